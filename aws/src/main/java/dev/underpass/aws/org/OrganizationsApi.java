package dev.underpass.aws.org;

import dev.underpass.aws.AwsResponse;
import dev.underpass.aws.JsonApi;
import dev.underpass.aws.SdkActions;
import dev.underpass.aws.authz.OrgGuard;
import dev.underpass.aws.authz.RequestFacts;
import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.org.OrgError;
import dev.underpass.model.org.Organizations;
import dev.underpass.policy.PolicyValidator;
import dev.underpass.store.Store;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.organizations.model.OrganizationsRequest;
import software.amazon.awssdk.services.organizations.model.OrganizationsResponse;
/**
 * AWS Organizations (awsJson1.1, {@code X-Amz-Target: AWSOrganizationsV20161128.<Action>}): organizations, OUs,
 * accounts joined by invitation or created, and service and resource control policies. This class dispatches; the
 * handler families ({@link OrgTreeHandlers}, {@link OrgAccountHandlers}, {@link OrgPolicyHandlers}) only translate
 * between the SDK shapes and the rules in {@link Organizations}. The one check made above the model
 * ({@link OrgInput}) is a policy document's, by the policy engine (which the model does not depend on): over 5,120
 * characters, whitespace included as AWS counts it for documents saved through the API, is
 * {@code ConstraintViolationException} {@code POLICY_CONTENT_LIMIT_EXCEEDED}, any other error of
 * {@link PolicyValidator} is {@code MalformedPolicyDocumentException}.
 *
 * <p>Organizations is global: whatever region a request is signed for, it reads and writes the one organization
 * state. Actions that AWS has and underpass does not serve answer {@code UnsupportedAPIEndpointException}. Quirks:
 * only the {@code SERVICE_CONTROL_POLICY} and {@code RESOURCE_CONTROL_POLICY} types; invitations by account id only
 * (an {@code EMAIL} target cannot be resolved); accounts are created at once (DescribeCreateAccountStatus always
 * reads {@code SUCCEEDED}); e-mail addresses of accounts underpass did not create are
 * {@code account-<id>@underpass.invalid}.
 */
public final class OrganizationsApi extends JsonApi<OrganizationsRequest, OrganizationsResponse>
        implements OrgRegistry {
    public static final String VERSION = "2016-11-28";
    public static final String TARGET_PREFIX = "AWSOrganizationsV20161128.";
    public static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    public OrganizationsApi(Store store) {
        super(store, VERSION, TARGET_PREFIX, CONTENT_TYPE);
        OrgTreeHandlers.register(this);
        OrgAccountHandlers.register(this);
        OrgPolicyHandlers.register(this);
        OrgTagHandlers.register(this);
    }

    /**
     * A member account's request against its organization's SCPs ({@link OrgGuard}), as AWS checks them (the
     * classic SCP denies {@code organizations:LeaveOrganization}); a refusal is {@code AccessDeniedException}.
     */
    @Override
    protected CompletableFuture<AwsResponse> run(Operation op, String action, Caller caller, String requestId,
            OrganizationsRequest request) {
        var denial = OrgGuard.scpDenial(store.world(), caller, store.clock().instant(),
                () -> RequestFacts.global("organizations", action, request));
        return denial.isPresent()
                ? CompletableFuture.completedFuture(renderError(OrgError.ACCESS_DENIED.with(denial.get()), requestId,
                        action))
                : super.run(op, action, caller, requestId, request);
    }

    @Override
    protected AwsException unknownAction(String action) {
        if (action != null && SdkActions.exists(OrganizationsRequest.class, action.replace("AWS", "Aws"))) {
            return OrgError.UNSUPPORTED_API_ENDPOINT.format("The action %s is not supported by underpass.", action);
        }
        return new AwsException("UnknownOperationException", 400,
                "The operation " + action + " is not known to this service.");
    }

    @Override
    protected AwsException translate(AwsException e) {
        if (e.code().equals(ErrorCode.INTERNAL_ERROR.wire())) {
            return OrgError.SERVICE_EXCEPTION.with(e.getMessage());
        }
        return super.translate(e);
    }
}
