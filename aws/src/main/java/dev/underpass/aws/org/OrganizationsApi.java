package dev.underpass.aws.org;

import dev.underpass.aws.JsonApi;
import dev.underpass.model.AwsException;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.org.ControlPolicy;
import dev.underpass.model.org.MemberAccount;
import dev.underpass.model.org.OrgError;
import dev.underpass.model.org.Organization;
import dev.underpass.model.org.OrganizationalUnit;
import dev.underpass.model.org.Organizations;
import dev.underpass.model.org.PolicyAttachment;
import dev.underpass.policy.Finding;
import dev.underpass.policy.FindingType;
import dev.underpass.policy.PolicyType;
import dev.underpass.policy.PolicyValidator;
import dev.underpass.policy.SizeLimit;
import dev.underpass.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.organizations.model.AcceptHandshakeRequest;
import software.amazon.awssdk.services.organizations.model.AcceptHandshakeResponse;
import software.amazon.awssdk.services.organizations.model.Account;
import software.amazon.awssdk.services.organizations.model.AttachPolicyRequest;
import software.amazon.awssdk.services.organizations.model.AttachPolicyResponse;
import software.amazon.awssdk.services.organizations.model.CancelHandshakeRequest;
import software.amazon.awssdk.services.organizations.model.CancelHandshakeResponse;
import software.amazon.awssdk.services.organizations.model.Child;
import software.amazon.awssdk.services.organizations.model.CreateAccountRequest;
import software.amazon.awssdk.services.organizations.model.CreateAccountResponse;
import software.amazon.awssdk.services.organizations.model.CreateAccountStatus;
import software.amazon.awssdk.services.organizations.model.CreateOrganizationRequest;
import software.amazon.awssdk.services.organizations.model.CreateOrganizationResponse;
import software.amazon.awssdk.services.organizations.model.CreateOrganizationalUnitRequest;
import software.amazon.awssdk.services.organizations.model.CreateOrganizationalUnitResponse;
import software.amazon.awssdk.services.organizations.model.CreatePolicyRequest;
import software.amazon.awssdk.services.organizations.model.CreatePolicyResponse;
import software.amazon.awssdk.services.organizations.model.DeclineHandshakeRequest;
import software.amazon.awssdk.services.organizations.model.DeclineHandshakeResponse;
import software.amazon.awssdk.services.organizations.model.DeleteOrganizationRequest;
import software.amazon.awssdk.services.organizations.model.DeleteOrganizationResponse;
import software.amazon.awssdk.services.organizations.model.DeleteOrganizationalUnitRequest;
import software.amazon.awssdk.services.organizations.model.DeleteOrganizationalUnitResponse;
import software.amazon.awssdk.services.organizations.model.DeletePolicyRequest;
import software.amazon.awssdk.services.organizations.model.DeletePolicyResponse;
import software.amazon.awssdk.services.organizations.model.DescribeAccountRequest;
import software.amazon.awssdk.services.organizations.model.DescribeAccountResponse;
import software.amazon.awssdk.services.organizations.model.DescribeCreateAccountStatusRequest;
import software.amazon.awssdk.services.organizations.model.DescribeCreateAccountStatusResponse;
import software.amazon.awssdk.services.organizations.model.DescribeHandshakeRequest;
import software.amazon.awssdk.services.organizations.model.DescribeHandshakeResponse;
import software.amazon.awssdk.services.organizations.model.DescribeOrganizationRequest;
import software.amazon.awssdk.services.organizations.model.DescribeOrganizationResponse;
import software.amazon.awssdk.services.organizations.model.DescribeOrganizationalUnitRequest;
import software.amazon.awssdk.services.organizations.model.DescribeOrganizationalUnitResponse;
import software.amazon.awssdk.services.organizations.model.DescribePolicyRequest;
import software.amazon.awssdk.services.organizations.model.DescribePolicyResponse;
import software.amazon.awssdk.services.organizations.model.DetachPolicyRequest;
import software.amazon.awssdk.services.organizations.model.DetachPolicyResponse;
import software.amazon.awssdk.services.organizations.model.DisableAwsServiceAccessRequest;
import software.amazon.awssdk.services.organizations.model.DisableAwsServiceAccessResponse;
import software.amazon.awssdk.services.organizations.model.DisablePolicyTypeRequest;
import software.amazon.awssdk.services.organizations.model.DisablePolicyTypeResponse;
import software.amazon.awssdk.services.organizations.model.EnableAwsServiceAccessRequest;
import software.amazon.awssdk.services.organizations.model.EnableAwsServiceAccessResponse;
import software.amazon.awssdk.services.organizations.model.EnablePolicyTypeRequest;
import software.amazon.awssdk.services.organizations.model.EnablePolicyTypeResponse;
import software.amazon.awssdk.services.organizations.model.EnabledServicePrincipal;
import software.amazon.awssdk.services.organizations.model.Handshake;
import software.amazon.awssdk.services.organizations.model.HandshakeParty;
import software.amazon.awssdk.services.organizations.model.HandshakeResource;
import software.amazon.awssdk.services.organizations.model.InviteAccountToOrganizationRequest;
import software.amazon.awssdk.services.organizations.model.InviteAccountToOrganizationResponse;
import software.amazon.awssdk.services.organizations.model.LeaveOrganizationRequest;
import software.amazon.awssdk.services.organizations.model.LeaveOrganizationResponse;
import software.amazon.awssdk.services.organizations.model.ListAccountsForParentRequest;
import software.amazon.awssdk.services.organizations.model.ListAccountsForParentResponse;
import software.amazon.awssdk.services.organizations.model.ListAccountsRequest;
import software.amazon.awssdk.services.organizations.model.ListAccountsResponse;
import software.amazon.awssdk.services.organizations.model.ListAwsServiceAccessForOrganizationRequest;
import software.amazon.awssdk.services.organizations.model.ListAwsServiceAccessForOrganizationResponse;
import software.amazon.awssdk.services.organizations.model.ListChildrenRequest;
import software.amazon.awssdk.services.organizations.model.ListChildrenResponse;
import software.amazon.awssdk.services.organizations.model.ListCreateAccountStatusRequest;
import software.amazon.awssdk.services.organizations.model.ListCreateAccountStatusResponse;
import software.amazon.awssdk.services.organizations.model.ListHandshakesForAccountRequest;
import software.amazon.awssdk.services.organizations.model.ListHandshakesForAccountResponse;
import software.amazon.awssdk.services.organizations.model.ListHandshakesForOrganizationRequest;
import software.amazon.awssdk.services.organizations.model.ListHandshakesForOrganizationResponse;
import software.amazon.awssdk.services.organizations.model.ListOrganizationalUnitsForParentRequest;
import software.amazon.awssdk.services.organizations.model.ListOrganizationalUnitsForParentResponse;
import software.amazon.awssdk.services.organizations.model.ListParentsRequest;
import software.amazon.awssdk.services.organizations.model.ListParentsResponse;
import software.amazon.awssdk.services.organizations.model.ListPoliciesForTargetRequest;
import software.amazon.awssdk.services.organizations.model.ListPoliciesForTargetResponse;
import software.amazon.awssdk.services.organizations.model.ListPoliciesRequest;
import software.amazon.awssdk.services.organizations.model.ListPoliciesResponse;
import software.amazon.awssdk.services.organizations.model.ListRootsRequest;
import software.amazon.awssdk.services.organizations.model.ListRootsResponse;
import software.amazon.awssdk.services.organizations.model.ListTargetsForPolicyRequest;
import software.amazon.awssdk.services.organizations.model.ListTargetsForPolicyResponse;
import software.amazon.awssdk.services.organizations.model.MoveAccountRequest;
import software.amazon.awssdk.services.organizations.model.MoveAccountResponse;
import software.amazon.awssdk.services.organizations.model.OrganizationsRequest;
import software.amazon.awssdk.services.organizations.model.OrganizationsResponse;
import software.amazon.awssdk.services.organizations.model.Parent;
import software.amazon.awssdk.services.organizations.model.Policy;
import software.amazon.awssdk.services.organizations.model.PolicySummary;
import software.amazon.awssdk.services.organizations.model.PolicyTargetSummary;
import software.amazon.awssdk.services.organizations.model.PolicyTypeSummary;
import software.amazon.awssdk.services.organizations.model.RemoveAccountFromOrganizationRequest;
import software.amazon.awssdk.services.organizations.model.RemoveAccountFromOrganizationResponse;
import software.amazon.awssdk.services.organizations.model.Root;
import software.amazon.awssdk.services.organizations.model.Tag;
import software.amazon.awssdk.services.organizations.model.UpdateOrganizationalUnitRequest;
import software.amazon.awssdk.services.organizations.model.UpdateOrganizationalUnitResponse;
import software.amazon.awssdk.services.organizations.model.UpdatePolicyRequest;
import software.amazon.awssdk.services.organizations.model.UpdatePolicyResponse;

/**
 * AWS Organizations (awsJson1.1, {@code X-Amz-Target: AWSOrganizationsV20161128.<Action>}): organizations, OUs,
 * accounts joined by invitation or created, and service and resource control policies. Handlers only translate
 * between the SDK shapes and the rules in {@link Organizations}; the one check made here is a policy document's,
 * by the policy engine (which the model does not depend on): over 5,120 characters, whitespace included as AWS
 * counts it for documents saved through the API, is
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
public final class OrganizationsApi extends JsonApi<OrganizationsRequest, OrganizationsResponse> {
    public static final String VERSION = "2016-11-28";
    public static final String TARGET_PREFIX = "AWSOrganizationsV20161128.";
    public static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    private static final Pattern TARGET_ID = Pattern.compile(
            "(r-[0-9a-z]{4,32})|(\\d{12})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})");
    private static final Pattern PARENT_ID = Pattern.compile("(r-[0-9a-z]{4,32})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})");
    private static final Pattern EMAIL = Pattern.compile("[^\\s@]+@[^\\s@]+\\.[^\\s@]+");
    private static final Pattern SERVICE_PRINCIPAL = Pattern.compile("[\\w+=,.@-]+\\.amazonaws\\.com(\\.cn)?");
    private static final int MAX_RESULTS = 20;

    public OrganizationsApi(Store store) {
        super(store, VERSION, TARGET_PREFIX, CONTENT_TYPE);
        write("CreateOrganization", CreateOrganizationRequest::builder, this::createOrganization);
        read("DescribeOrganization", DescribeOrganizationRequest::builder, this::describeOrganization);
        write("DeleteOrganization", DeleteOrganizationRequest::builder, (req, tx) -> {
            Organizations.deleteOrganization(tx);
            return DeleteOrganizationResponse.builder().build();
        });
        read("ListRoots", ListRootsRequest::builder, this::listRoots);
        write("CreateOrganizationalUnit", CreateOrganizationalUnitRequest::builder, (req, tx) -> {
            String parent = required(req.parentId(), PARENT_ID, "ParentId");
            OrganizationalUnit ou = Organizations.createOrganizationalUnit(tx, parent, name(req.name(), 128),
                    tags(req.tags()));
            return CreateOrganizationalUnitResponse.builder().organizationalUnit(shape(ou)).build();
        });
        read("DescribeOrganizationalUnit", DescribeOrganizationalUnitRequest::builder, (req, ctx) -> {
            Organization org = Organizations.requireManagement(ctx.world(), ctx.caller().accountId());
            String id = required(req.organizationalUnitId(), Organizations.OU_ID, "OrganizationalUnitId");
            return DescribeOrganizationalUnitResponse.builder()
                    .organizationalUnit(shape(Organizations.requireUnit(ctx.world(), org, id))).build();
        });
        write("UpdateOrganizationalUnit", UpdateOrganizationalUnitRequest::builder, (req, tx) -> {
            String id = required(req.organizationalUnitId(), Organizations.OU_ID, "OrganizationalUnitId");
            String name = req.name() == null ? null : name(req.name(), 128);
            return UpdateOrganizationalUnitResponse.builder()
                    .organizationalUnit(shape(Organizations.renameOrganizationalUnit(tx, id, name))).build();
        });
        write("DeleteOrganizationalUnit", DeleteOrganizationalUnitRequest::builder, (req, tx) -> {
            Organizations.deleteOrganizationalUnit(tx,
                    required(req.organizationalUnitId(), Organizations.OU_ID, "OrganizationalUnitId"));
            return DeleteOrganizationalUnitResponse.builder().build();
        });
        read("ListOrganizationalUnitsForParent", ListOrganizationalUnitsForParentRequest::builder, (req, ctx) -> {
            Organization org = Organizations.requireManagement(ctx.world(), ctx.caller().accountId());
            String parent = requireParent(ctx.world(), org, req.parentId());
            Page<OrganizationalUnit> page = page(Organizations.units(ctx.world(), org).stream()
                    .filter(u -> u.parentId().equals(parent)).toList(), req.nextToken(), req.maxResults());
            return ListOrganizationalUnitsForParentResponse.builder()
                    .organizationalUnits(page.items().stream().map(OrganizationsApi::shape).toList())
                    .nextToken(page.next()).build();
        });
        read("ListParents", ListParentsRequest::builder, this::listParents);
        read("ListChildren", ListChildrenRequest::builder, this::listChildren);
        write("CreateAccount", CreateAccountRequest::builder, this::createAccount);
        read("DescribeCreateAccountStatus", DescribeCreateAccountStatusRequest::builder, (req, ctx) -> {
            Organization org = Organizations.requireManagement(ctx.world(), ctx.caller().accountId());
            String id = required(req.createAccountRequestId(), Organizations.CREATE_ACCOUNT_REQUEST_ID,
                    "CreateAccountRequestId");
            var status = ctx.world().find(dev.underpass.model.org.CreateAccountStatus.class, id)
                    .filter(s -> s.orgId().equals(org.id()))
                    .orElseThrow(() -> OrgError.CREATE_ACCOUNT_STATUS_NOT_FOUND.with("We can't find a create "
                            + "account request with the CreateAccountRequestId that you specified."));
            return DescribeCreateAccountStatusResponse.builder().createAccountStatus(shape(status)).build();
        });
        read("ListCreateAccountStatus", ListCreateAccountStatusRequest::builder, (req, ctx) -> {
            Organization org = Organizations.requireManagement(ctx.world(), ctx.caller().accountId());
            List<String> states = req.hasStates() ? req.statesAsStrings() : List.of();
            Page<dev.underpass.model.org.CreateAccountStatus> page = page(ctx.world().all(
                    dev.underpass.model.org.CreateAccountStatus.class, s -> s.orgId().equals(org.id())
                            && (states.isEmpty() || states.contains(s.state()))), req.nextToken(),
                    req.maxResults());
            return ListCreateAccountStatusResponse.builder()
                    .createAccountStatuses(page.items().stream().map(OrganizationsApi::shape).toList())
                    .nextToken(page.next()).build();
        });
        write("InviteAccountToOrganization", InviteAccountToOrganizationRequest::builder, this::invite);
        read("ListHandshakesForAccount", ListHandshakesForAccountRequest::builder, (req, ctx) -> {
            String action = req.filter() == null ? null : req.filter().actionTypeAsString();
            Page<dev.underpass.model.org.Handshake> page = page(Organizations.handshakesFor(ctx.world(),
                    ctx.caller().accountId()).stream().filter(h -> action == null || h.action().equals(action))
                    .toList(), req.nextToken(), req.maxResults());
            return ListHandshakesForAccountResponse.builder().handshakes(page.items().stream()
                    .map(h -> shape(ctx.world(), h, ctx.now())).toList()).nextToken(page.next()).build();
        });
        read("ListHandshakesForOrganization", ListHandshakesForOrganizationRequest::builder, (req, ctx) -> {
            Organization org = Organizations.requireManagement(ctx.world(), ctx.caller().accountId());
            String action = req.filter() == null ? null : req.filter().actionTypeAsString();
            Page<dev.underpass.model.org.Handshake> page = page(Organizations.handshakes(ctx.world(), org).stream()
                    .filter(h -> action == null || h.action().equals(action)).toList(), req.nextToken(),
                    req.maxResults());
            return ListHandshakesForOrganizationResponse.builder().handshakes(page.items().stream()
                    .map(h -> shape(ctx.world(), h, ctx.now())).toList()).nextToken(page.next()).build();
        });
        read("DescribeHandshake", DescribeHandshakeRequest::builder, (req, ctx) -> {
            String id = required(req.handshakeId(), Organizations.HANDSHAKE_ID, "HandshakeId");
            return DescribeHandshakeResponse.builder().handshake(shape(ctx.world(),
                    Organizations.requireHandshake(ctx.world(), ctx.caller().accountId(), id), ctx.now())).build();
        });
        write("AcceptHandshake", AcceptHandshakeRequest::builder, (req, tx) -> {
            String id = required(req.handshakeId(), Organizations.HANDSHAKE_ID, "HandshakeId");
            var answered = Organizations.answer(tx, id, true);
            refreshSharing(tx, Organizations.orgIdOf(tx.world(), tx.caller().accountId()));
            return AcceptHandshakeResponse.builder().handshake(shape(tx.world(), answered, tx.now())).build();
        });
        write("DeclineHandshake", DeclineHandshakeRequest::builder, (req, tx) -> {
            String id = required(req.handshakeId(), Organizations.HANDSHAKE_ID, "HandshakeId");
            return DeclineHandshakeResponse.builder()
                    .handshake(shape(tx.world(), Organizations.answer(tx, id, false), tx.now())).build();
        });
        write("CancelHandshake", CancelHandshakeRequest::builder, (req, tx) -> {
            String id = required(req.handshakeId(), Organizations.HANDSHAKE_ID, "HandshakeId");
            return CancelHandshakeResponse.builder()
                    .handshake(shape(tx.world(), Organizations.cancel(tx, id), tx.now())).build();
        });
        write("RemoveAccountFromOrganization", RemoveAccountFromOrganizationRequest::builder, (req, tx) -> {
            var org = Organizations.orgIdOf(tx.world(), tx.caller().accountId());
            Organizations.removeAccount(tx, required(req.accountId(), Organizations.ACCOUNT_ID, "AccountId"),
                    false);
            refreshSharing(tx, org);
            return RemoveAccountFromOrganizationResponse.builder().build();
        });
        write("LeaveOrganization", LeaveOrganizationRequest::builder, (req, tx) -> {
            var org = Organizations.orgIdOf(tx.world(), tx.caller().accountId());
            Organizations.removeAccount(tx, tx.caller().accountId(), true);
            refreshSharing(tx, org);
            return LeaveOrganizationResponse.builder().build();
        });
        read("ListAccounts", ListAccountsRequest::builder, (req, ctx) -> {
            Organization org = Organizations.requireManagement(ctx.world(), ctx.caller().accountId());
            Page<MemberAccount> page = page(Organizations.accounts(ctx.world(), org), req.nextToken(),
                    req.maxResults());
            return ListAccountsResponse.builder().accounts(page.items().stream().map(OrganizationsApi::shape)
                    .toList()).nextToken(page.next()).build();
        });
        read("ListAccountsForParent", ListAccountsForParentRequest::builder, (req, ctx) -> {
            Organization org = Organizations.requireManagement(ctx.world(), ctx.caller().accountId());
            String parent = requireParent(ctx.world(), org, req.parentId());
            Page<MemberAccount> page = page(Organizations.accounts(ctx.world(), org).stream()
                    .filter(m -> m.parentId().equals(parent)).toList(), req.nextToken(), req.maxResults());
            return ListAccountsForParentResponse.builder().accounts(page.items().stream()
                    .map(OrganizationsApi::shape).toList()).nextToken(page.next()).build();
        });
        read("DescribeAccount", DescribeAccountRequest::builder, (req, ctx) -> {
            Organization org = Organizations.requireManagement(ctx.world(), ctx.caller().accountId());
            String id = required(req.accountId(), Organizations.ACCOUNT_ID, "AccountId");
            return DescribeAccountResponse.builder()
                    .account(shape(Organizations.requireAccount(ctx.world(), org, id))).build();
        });
        write("MoveAccount", MoveAccountRequest::builder, (req, tx) -> {
            Organizations.moveAccount(tx, required(req.accountId(), Organizations.ACCOUNT_ID, "AccountId"),
                    required(req.sourceParentId(), PARENT_ID, "SourceParentId"),
                    required(req.destinationParentId(), PARENT_ID, "DestinationParentId"));
            refreshSharing(tx, Organizations.orgIdOf(tx.world(), tx.caller().accountId()));
            return MoveAccountResponse.builder().build();
        });
        write("EnableAWSServiceAccess", EnableAwsServiceAccessRequest::builder, (req, tx) -> {
            Organizations.setServiceAccess(tx, servicePrincipal(req.servicePrincipal()), true);
            return EnableAwsServiceAccessResponse.builder().build();
        });
        write("DisableAWSServiceAccess", DisableAwsServiceAccessRequest::builder, (req, tx) -> {
            Organizations.setServiceAccess(tx, servicePrincipal(req.servicePrincipal()), false);
            return DisableAwsServiceAccessResponse.builder().build();
        });
        read("ListAWSServiceAccessForOrganization", ListAwsServiceAccessForOrganizationRequest::builder,
                (req, ctx) -> {
                    Organization org = Organizations.requireManagement(ctx.world(), ctx.caller().accountId());
                    List<Map.Entry<String, Instant>> all = List.copyOf(org.serviceAccess().entrySet());
                    Page<Map.Entry<String, Instant>> page = page(all, req.nextToken(), req.maxResults());
                    return ListAwsServiceAccessForOrganizationResponse.builder()
                            .enabledServicePrincipals(page.items().stream().map(e -> EnabledServicePrincipal
                                    .builder().servicePrincipal(e.getKey()).dateEnabled(e.getValue()).build())
                                    .toList())
                            .nextToken(page.next()).build();
                });
        write("EnablePolicyType", EnablePolicyTypeRequest::builder, (req, tx) -> {
            String root = required(req.rootId(), Organizations.ROOT_ID, "RootId");
            Organization org = Organizations.enablePolicyType(tx, root, policyType(req.policyTypeAsString()));
            return EnablePolicyTypeResponse.builder().root(shape(org)).build();
        });
        write("DisablePolicyType", DisablePolicyTypeRequest::builder, (req, tx) -> {
            String root = required(req.rootId(), Organizations.ROOT_ID, "RootId");
            Organization org = Organizations.disablePolicyType(tx, root, policyType(req.policyTypeAsString()));
            return DisablePolicyTypeResponse.builder().root(shape(org)).build();
        });
        write("CreatePolicy", CreatePolicyRequest::builder, (req, tx) -> {
            String type = policyType(req.typeAsString());
            String name = name(req.name(), 128);
            String description = description(req.description());
            String content = content(req.content(), type);
            ControlPolicy p = Organizations.createPolicy(tx, name, description, type, content, tags(req.tags()));
            return CreatePolicyResponse.builder().policy(shapePolicy(p)).build();
        });
        write("UpdatePolicy", UpdatePolicyRequest::builder, (req, tx) -> {
            String id = required(req.policyId(), Organizations.POLICY_ID, "PolicyId");
            Organization org = Organizations.requireManagement(tx.world(), tx.caller().accountId());
            ControlPolicy existing = Organizations.requirePolicy(tx.world(), org, id);
            String name = req.name() == null ? null : name(req.name(), 128);
            String description = req.description() == null ? null : description(req.description());
            String content = req.content() == null ? null : content(req.content(), existing.type());
            ControlPolicy p = Organizations.updatePolicy(tx, id, name, description, content);
            return UpdatePolicyResponse.builder().policy(shapePolicy(p)).build();
        });
        write("DeletePolicy", DeletePolicyRequest::builder, (req, tx) -> {
            Organizations.deletePolicy(tx, required(req.policyId(), Organizations.POLICY_ID, "PolicyId"));
            return DeletePolicyResponse.builder().build();
        });
        read("DescribePolicy", DescribePolicyRequest::builder, (req, ctx) -> {
            Organization org = Organizations.requireManagement(ctx.world(), ctx.caller().accountId());
            String id = required(req.policyId(), Organizations.POLICY_ID, "PolicyId");
            return DescribePolicyResponse.builder()
                    .policy(shapePolicy(Organizations.requirePolicy(ctx.world(), org, id))).build();
        });
        read("ListPolicies", ListPoliciesRequest::builder, (req, ctx) -> {
            Organization org = Organizations.requireManagement(ctx.world(), ctx.caller().accountId());
            String type = policyType(req.filterAsString());
            Page<ControlPolicy> page = page(Organizations.policies(ctx.world(), org, type), req.nextToken(),
                    req.maxResults());
            return ListPoliciesResponse.builder().policies(page.items().stream().map(OrganizationsApi::summary)
                    .toList()).nextToken(page.next()).build();
        });
        write("AttachPolicy", AttachPolicyRequest::builder, (req, tx) -> {
            Organizations.attachPolicy(tx, required(req.policyId(), Organizations.POLICY_ID, "PolicyId"),
                    required(req.targetId(), TARGET_ID, "TargetId"));
            return AttachPolicyResponse.builder().build();
        });
        write("DetachPolicy", DetachPolicyRequest::builder, (req, tx) -> {
            Organizations.detachPolicy(tx, required(req.policyId(), Organizations.POLICY_ID, "PolicyId"),
                    required(req.targetId(), TARGET_ID, "TargetId"));
            return DetachPolicyResponse.builder().build();
        });
        read("ListPoliciesForTarget", ListPoliciesForTargetRequest::builder, (req, ctx) -> {
            Organization org = Organizations.requireManagement(ctx.world(), ctx.caller().accountId());
            String target = required(req.targetId(), TARGET_ID, "TargetId");
            String type = policyType(req.filterAsString());
            if (!Organizations.isTarget(ctx.world(), org, target)) {
                throw OrgError.TARGET_NOT_FOUND.with("We can't find a root, OU, account, or policy with the "
                        + "TargetId that you specified.");
            }
            Page<ControlPolicy> page = page(Organizations.attached(ctx.world(), org, target, type),
                    req.nextToken(), req.maxResults());
            return ListPoliciesForTargetResponse.builder().policies(page.items().stream()
                    .map(OrganizationsApi::summary).toList()).nextToken(page.next()).build();
        });
        read("ListTargetsForPolicy", ListTargetsForPolicyRequest::builder, (req, ctx) -> {
            Organization org = Organizations.requireManagement(ctx.world(), ctx.caller().accountId());
            String id = required(req.policyId(), Organizations.POLICY_ID, "PolicyId");
            Organizations.requirePolicy(ctx.world(), org, id);
            Page<PolicyAttachment> page = page(Organizations.attachmentsOf(ctx.world(), org, id), req.nextToken(),
                    req.maxResults());
            return ListTargetsForPolicyResponse.builder().targets(page.items().stream()
                    .map(a -> target(ctx.world(), org, a.targetId())).toList()).nextToken(page.next()).build();
        });
    }

    @Override
    protected AwsException unknownAction(String action) {
        if (exists(action)) {
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

    /** Whether Organizations has the action at all, judged by the SDK model having a request class for it. */
    private static boolean exists(String action) {
        if (action == null || !action.matches("[A-Z][A-Za-z0-9]*")) {
            return false;
        }
        String name = action.replace("AWS", "Aws");
        try {
            Class.forName("software.amazon.awssdk.services.organizations.model." + name + "Request", false,
                    OrganizationsApi.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ operations

    private CreateOrganizationResponse createOrganization(CreateOrganizationRequest req,
            Tx tx) {
        String featureSet = req.featureSetAsString() == null ? "ALL" : req.featureSetAsString();
        if (!featureSet.equals("ALL") && !featureSet.equals("CONSOLIDATED_BILLING")) {
            throw invalid("INVALID_ENUM", "You specified an invalid value for FeatureSet.");
        }
        Organization org = Organizations.createOrganization(tx, featureSet);
        return CreateOrganizationResponse.builder().organization(shapeOrg(org)).build();
    }

    private DescribeOrganizationResponse describeOrganization(DescribeOrganizationRequest req, ReadContext ctx) {
        Organization org = Organizations.requireOrg(ctx.world(), ctx.caller().accountId());
        return DescribeOrganizationResponse.builder().organization(shapeOrg(org)).build();
    }

    private ListRootsResponse listRoots(ListRootsRequest req, ReadContext ctx) {
        Organization org = Organizations.requireManagement(ctx.world(), ctx.caller().accountId());
        Page<Organization> page = page(List.of(org), req.nextToken(), req.maxResults());
        return ListRootsResponse.builder().roots(page.items().stream().map(OrganizationsApi::shape).toList())
                .nextToken(page.next()).build();
    }

    private ListParentsResponse listParents(ListParentsRequest req, ReadContext ctx) {
        Organization org = Organizations.requireManagement(ctx.world(), ctx.caller().accountId());
        String child = required(req.childId(), Pattern.compile("(\\d{12})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})"),
                "ChildId");
        String parent = ctx.world().find(MemberAccount.class, child).filter(m -> m.orgId().equals(org.id()))
                .map(MemberAccount::parentId)
                .or(() -> ctx.world().find(OrganizationalUnit.class, child).filter(u -> u.orgId().equals(org.id()))
                        .map(OrganizationalUnit::parentId))
                .orElseThrow(() -> OrgError.CHILD_NOT_FOUND.with("We can't find an organizational unit (OU) or "
                        + "AWS account with the ChildId that you specified."));
        Page<String> page = page(List.of(parent), req.nextToken(), req.maxResults());
        return ListParentsResponse.builder().parents(page.items().stream().map(p -> Parent.builder().id(p)
                .type(p.equals(org.rootId()) ? "ROOT" : "ORGANIZATIONAL_UNIT").build()).toList())
                .nextToken(page.next()).build();
    }

    private ListChildrenResponse listChildren(ListChildrenRequest req, ReadContext ctx) {
        Organization org = Organizations.requireManagement(ctx.world(), ctx.caller().accountId());
        String parent = requireParent(ctx.world(), org, req.parentId());
        String type = req.childTypeAsString();
        if (type == null) {
            throw invalid("INPUT_REQUIRED", "You must specify a value for ChildType.");
        }
        List<String> ids = switch (type) {
            case "ACCOUNT" -> Organizations.accounts(ctx.world(), org).stream()
                    .filter(m -> m.parentId().equals(parent)).map(MemberAccount::id).toList();
            case "ORGANIZATIONAL_UNIT" -> Organizations.units(ctx.world(), org).stream()
                    .filter(u -> u.parentId().equals(parent)).map(OrganizationalUnit::id).toList();
            default -> throw invalid("INVALID_ENUM", "You specified an invalid value for ChildType.");
        };
        Page<String> page = page(ids, req.nextToken(), req.maxResults());
        return ListChildrenResponse.builder().children(page.items().stream()
                .map(id -> Child.builder().id(id).type(type).build()).toList()).nextToken(page.next()).build();
    }

    private CreateAccountResponse createAccount(CreateAccountRequest req, Tx tx) {
        String name = req.accountName();
        if (name == null) {
            throw invalid("INPUT_REQUIRED", "You must specify a value for AccountName.");
        }
        if (name.isEmpty() || name.length() > 50) {
            throw invalid(name.isEmpty() ? "MIN_LENGTH_EXCEEDED" : "MAX_LENGTH_EXCEEDED",
                    "AccountName must be between 1 and 50 characters long.");
        }
        String email = req.email();
        if (email == null) {
            throw invalid("INPUT_REQUIRED", "You must specify a value for Email.");
        }
        if (email.length() < 6 || email.length() > 64 || !EMAIL.matcher(email).matches()) {
            throw invalid("INVALID_EMAIL_ADDRESS_TARGET", "You specified an invalid email address for the "
                    + "invited account owner.");
        }
        var status = Organizations.createAccount(tx, name, email, tags(req.tags()));
        // AWS answers CreateAccount before the account exists: the request reads IN_PROGRESS here, and
        // DescribeCreateAccountStatus then reports the outcome.
        return CreateAccountResponse.builder().createAccountStatus(CreateAccountStatus.builder().id(status.id())
                .accountName(status.accountName()).state("IN_PROGRESS").requestedTimestamp(status.requestedAt())
                .build()).build();
    }

    private InviteAccountToOrganizationResponse invite(InviteAccountToOrganizationRequest req,
            Tx tx) {
        HandshakeParty target = req.target();
        if (target == null || target.id() == null) {
            throw invalid("INPUT_REQUIRED", "You must specify a value for Target.");
        }
        String type = target.typeAsString() == null ? "ACCOUNT" : target.typeAsString();
        if (!type.equals("ACCOUNT")) {
            throw invalid("INVALID_PARTY_TYPE_TARGET", "underpass invites accounts by their 12-digit id only "
                    + "(Target Type ACCOUNT); it cannot resolve " + type + " " + target.id() + ".");
        }
        if (!Organizations.ACCOUNT_ID.matcher(target.id()).matches()) {
            throw invalid("INVALID_PATTERN", "You specified an invalid value for Target Id.");
        }
        if (req.notes() != null && req.notes().length() > 1024) {
            throw invalid("MAX_LENGTH_EXCEEDED", "Notes must be at most 1024 characters long.");
        }
        var h = Organizations.invite(tx, target.id(), req.notes());
        return InviteAccountToOrganizationResponse.builder().handshake(shape(tx.world(), h, tx.now())).build();
    }

    // ------------------------------------------------------------------ input

    private static AwsException invalid(String reason, String message) {
        return OrgError.INVALID_INPUT.because(reason, message);
    }

    private static String required(String value, Pattern pattern, String member) {
        if (value == null || value.isEmpty()) {
            throw invalid("INPUT_REQUIRED", "You must specify a value for " + member + ".");
        }
        if (!pattern.matcher(value).matches()) {
            throw invalid(member.equals("TargetId") ? "INVALID_PATTERN_TARGET_ID" : "INVALID_PATTERN",
                    "You specified an invalid value for " + member + ": " + value + ".");
        }
        return value;
    }

    private static String requireParent(World world, Organization org, String parentId) {
        String id = required(parentId, PARENT_ID, "ParentId");
        if (!Organizations.isParent(world, org, id)) {
            throw OrgError.PARENT_NOT_FOUND.with("We can't find a root or OU with the ParentId that you specified.");
        }
        return id;
    }

    private static String name(String name, int max) {
        if (name == null) {
            throw invalid("INPUT_REQUIRED", "You must specify a value for Name.");
        }
        if (name.isEmpty() || name.length() > max) {
            throw invalid(name.isEmpty() ? "MIN_LENGTH_EXCEEDED" : "MAX_LENGTH_EXCEEDED",
                    "Name must be between 1 and " + max + " characters long.");
        }
        return name;
    }

    private static String description(String description) {
        if (description == null) {
            throw invalid("INPUT_REQUIRED", "You must specify a value for Description.");
        }
        if (description.length() > 512) {
            throw invalid("MAX_LENGTH_EXCEEDED", "Description must be at most 512 characters long.");
        }
        return description;
    }

    private static String policyType(String type) {
        if (type == null) {
            throw invalid("INPUT_REQUIRED", "You must specify a policy type.");
        }
        if (!Organizations.POLICY_TYPES.contains(type)) {
            throw invalid("INVALID_ENUM_POLICY_TYPE", "You specified an invalid policy type: " + type
                    + ". underpass emulates SERVICE_CONTROL_POLICY and RESOURCE_CONTROL_POLICY.");
        }
        return type;
    }

    /** A control policy's document, checked by the policy engine as AWS checks it on CreatePolicy/UpdatePolicy. */
    private static String content(String content, String type) {
        if (content == null || content.isEmpty()) {
            throw invalid("INPUT_REQUIRED", "You must specify a value for Content.");
        }
        PolicyType kind = type.equals(ControlPolicy.SCP) ? PolicyType.SERVICE_CONTROL : PolicyType.RESOURCE_CONTROL;
        // AWS's quotas page: only the console strips whitespace before measuring; a document saved through the API
        // (which is what reaches underpass) is stored and measured exactly as given, whitespace included.
        SizeLimit limit = new SizeLimit(kind.sizeLimit().name(), kind.sizeLimit().maxCharacters(), true);
        if (limit.exceededBy(content)) {
            throw OrgError.CONSTRAINT_VIOLATION.because("POLICY_CONTENT_LIMIT_EXCEEDED", String.format(
                    "You attempted to create a policy that is larger than the maximum size (%,d characters; this one"
                            + " has %,d).", limit.maxCharacters(), limit.measure(content)));
        }
        List<Finding> findings = PolicyValidator.validate(content, kind);
        for (Finding f : findings) {
            if (f.type() == FindingType.ERROR) {
                throw OrgError.MALFORMED_POLICY_DOCUMENT.with("The provided policy document doesn't meet the "
                        + "requirements of the specified policy type: " + f.message());
            }
        }
        return content;
    }

    private static String servicePrincipal(String principal) {
        if (principal == null || principal.isEmpty()) {
            throw invalid("INPUT_REQUIRED", "You must specify a value for ServicePrincipal.");
        }
        if (principal.length() > 128 || !SERVICE_PRINCIPAL.matcher(principal).matches()) {
            throw invalid("UNRECOGNIZED_SERVICE_PRINCIPAL", "You specified a service principal that isn't "
                    + "recognized: " + principal + ".");
        }
        return principal;
    }

    private static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Tag t : tags) {
            if (t.key() == null || out.put(t.key(), t.value() == null ? "" : t.value()) != null) {
                throw invalid(t.key() == null ? "INPUT_REQUIRED" : "DUPLICATE_TAG_KEY",
                        "Tag keys must be given and unique.");
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ pages

    private record Page<T>(List<T> items, String next) {}

    /** {@code MaxResults} 1–20 (AWS's range); the token is the offset of the next item, base64. */
    private static <T> Page<T> page(List<T> all, String token, Integer maxResults) {
        int max = maxResults == null ? MAX_RESULTS : maxResults;
        if (max < 1 || max > MAX_RESULTS) {
            throw invalid(max < 1 ? "MIN_VALUE_EXCEEDED" : "MAX_VALUE_EXCEEDED",
                    "MaxResults must be between 1 and 20.");
        }
        int start = 0;
        if (token != null) {
            try {
                String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                if (!s.matches("v1:\\d{1,9}")) {
                    throw new IllegalArgumentException(s);
                }
                start = Math.min(Integer.parseInt(s.substring(3)), all.size());
            } catch (IllegalArgumentException e) {
                throw invalid("INVALID_NEXT_TOKEN", "You specified an invalid value for nextToken.");
            }
        }
        int end = Math.min(all.size(), start + max);
        String next = end < all.size() ? Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("v1:" + end).getBytes(StandardCharsets.UTF_8)) : null;
        return new Page<>(all.subList(start, end), next);
    }

    // ------------------------------------------------------------------ shapes

    private static software.amazon.awssdk.services.organizations.model.Organization shapeOrg(Organization org) {
        return software.amazon.awssdk.services.organizations.model.Organization.builder().id(org.id())
                .arn(org.arn()).featureSet(org.featureSet())
                .masterAccountArn("arn:aws:organizations::" + org.managementAccountId() + ":account/" + org.id()
                        + "/" + org.managementAccountId())
                .masterAccountId(org.managementAccountId())
                .masterAccountEmail(Organizations.emailOf(org.managementAccountId()))
                .availablePolicyTypes(policyTypes(org)).build();
    }

    private static List<PolicyTypeSummary> policyTypes(Organization org) {
        return org.enabledPolicyTypes().stream().map(t -> PolicyTypeSummary.builder().type(t).status("ENABLED")
                .build()).toList();
    }

    private static Root shape(Organization org) {
        return Root.builder().id(org.rootId()).arn(org.rootArn()).name("Root").policyTypes(policyTypes(org))
                .build();
    }

    private static software.amazon.awssdk.services.organizations.model.OrganizationalUnit shape(
            OrganizationalUnit ou) {
        return software.amazon.awssdk.services.organizations.model.OrganizationalUnit.builder().id(ou.id())
                .arn(ou.arn()).name(ou.name()).build();
    }

    private static Account shape(MemberAccount m) {
        return Account.builder().id(m.id()).arn(m.arn()).email(m.email()).name(m.name()).status("ACTIVE")
                .state("ACTIVE").joinedMethod(m.joinedMethod()).joinedTimestamp(m.joinedAt()).build();
    }

    private static CreateAccountStatus shape(dev.underpass.model.org.CreateAccountStatus s) {
        return CreateAccountStatus.builder().id(s.id()).accountName(s.accountName()).state(s.state())
                .requestedTimestamp(s.requestedAt()).completedTimestamp(s.completedAt()).accountId(s.accountId())
                .build();
    }

    private static Handshake shape(World world, dev.underpass.model.org.Handshake h, Instant now) {
        List<HandshakeResource> orgDetails = new ArrayList<>();
        orgDetails.add(HandshakeResource.builder().type("MASTER_EMAIL").value(Organizations.emailOf(h.ownerId()))
                .build());
        orgDetails.add(HandshakeResource.builder().type("MASTER_NAME").value("account-" + h.ownerId()).build());
        String featureSet = world.find(Organization.class, h.orgId()).map(Organization::featureSet).orElse("ALL");
        orgDetails.add(HandshakeResource.builder().type("ORGANIZATION_FEATURE_SET").value(featureSet).build());
        List<HandshakeResource> resources = new ArrayList<>();
        resources.add(HandshakeResource.builder().type("ORGANIZATION").value(h.orgId()).resources(orgDetails)
                .build());
        resources.add(HandshakeResource.builder().type("ACCOUNT").value(h.targetAccountId()).build());
        if (h.notes() != null) {
            resources.add(HandshakeResource.builder().type("NOTES").value(h.notes()).build());
        }
        return Handshake.builder().id(h.id()).arn(h.arn())
                .parties(HandshakeParty.builder().id(h.orgId()).type("ORGANIZATION").build(),
                        HandshakeParty.builder().id(h.targetAccountId()).type("ACCOUNT").build())
                .state(Organizations.stateAt(h, now)).requestedTimestamp(h.requestedAt())
                .expirationTimestamp(h.expiresAt()).action(h.action()).resources(resources).build();
    }

    private static PolicySummary summary(ControlPolicy p) {
        return PolicySummary.builder().id(p.id()).arn(p.arn()).name(p.name()).description(p.description())
                .type(p.type()).awsManaged(p.awsManaged()).build();
    }

    private static Policy shapePolicy(ControlPolicy p) {
        return Policy.builder().policySummary(summary(p)).content(p.content()).build();
    }

    private static PolicyTargetSummary target(World world, Organization org, String targetId) {
        if (targetId.equals(org.rootId())) {
            return PolicyTargetSummary.builder().targetId(targetId).arn(org.rootArn()).name("Root").type("ROOT")
                    .build();
        }
        Function<String, PolicyTargetSummary> account = id -> world.find(MemberAccount.class, id)
                .map(m -> PolicyTargetSummary.builder().targetId(id).arn(m.arn()).name(m.name()).type("ACCOUNT")
                        .build())
                .orElse(PolicyTargetSummary.builder().targetId(id).type("ACCOUNT").build());
        return world.find(OrganizationalUnit.class, targetId)
                .map(u -> PolicyTargetSummary.builder().targetId(u.id()).arn(u.arn()).name(u.name())
                        .type("ORGANIZATIONAL_UNIT").build())
                .orElseGet(() -> account.apply(targetId));
    }

    /** Shares with the organization or its OUs reach the accounts of the moment (RAM's grants follow moves). */
    private static void refreshSharing(Tx tx, java.util.Optional<String> orgId) {
        orgId.ifPresent(id -> dev.underpass.model.sharing.Sharing.refreshOrganization(tx, id));
    }
}
