package dev.underpass.aws.elbv2;

import dev.underpass.aws.AwsQueryApi;
import dev.underpass.aws.AwsResponse;
import dev.underpass.aws.authz.OrgGuard;
import dev.underpass.aws.authz.RequestFacts;
import dev.underpass.aws.wire.QueryParams;
import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.World;
import dev.underpass.model.elb.ElbError;
import dev.underpass.store.Store;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ElasticLoadBalancingV2Request;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ElasticLoadBalancingV2Response;

/**
 * The Elastic Load Balancing v2 API (awsQuery, 2015-12-01): finds the operation named by {@code Action}, decodes the
 * form ({@code Subnets.member.1}, ...) into the SDK's request class, runs the handler (reads against the latest
 * snapshot, writes through the {@link Store}'s single writer) and encodes the SDK response class inside AWS's
 * {@code <ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>} envelope. Errors use the awsQuery
 * {@code <ErrorResponse>} envelope. Shapes are the SDK's, so nothing here is a per-operation template.
 *
 * <p>Unlike EC2 there is no {@code DryRun}; constraint violations are {@code ValidationError}. Parameters that the
 * operation does not have are refused with {@code UnknownParameter}, as on the EC2 side.
 */
public final class Elbv2Api extends AwsQueryApi<ElasticLoadBalancingV2Request, ElasticLoadBalancingV2Response>
        implements Elbv2Registry {
    public static final String VERSION = "2015-12-01";
    public static final String NAMESPACE = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";

    /**
     * Behaviour switches: how long a new load balancer stays {@code provisioning}, how long a new target stays
     * {@code initial}, and the EC2 instance transition time (to know whether an instance target is running).
     */
    public record Settings(Duration provisioning, Duration targetSettle, Duration instanceTransition) {
        public static Settings defaults() {
            return new Settings(Duration.ZERO, Duration.ZERO, Duration.ZERO);
        }
    }

    private final Settings settings;
    private volatile dev.underpass.model.elb.TargetHealthSource healthSource =
            dev.underpass.model.elb.TargetHealthSource.NONE;

    public Elbv2Api(Store store, Settings settings) {
        super(store, VERSION, NAMESPACE);
        this.settings = settings;
        new LoadBalancerHandlers(this).register(this);
        new LoadBalancerSettingHandlers().register(this);
        new CapacityReservationHandlers(this).register(this);
        new TargetGroupHandlers(this).register(this);
        new ListenerHandlers().register(this);
        new RuleHandlers().register(this);
        new TagHandlers().register(this);
    }

    public Settings settings() {
        return settings;
    }

    /** Real target health (the data plane's checks) for DescribeTargetHealth; {@code NONE} keeps the derived one. */
    public void healthSource(dev.underpass.model.elb.TargetHealthSource source) {
        this.healthSource = source == null ? dev.underpass.model.elb.TargetHealthSource.NONE : source;
    }

    @Override
    public dev.underpass.model.elb.TargetHealthSource healthSource() {
        return healthSource;
    }

    @Override
    protected AwsException unknownAction(String action) {
        return ErrorCode.INVALID_ACTION.format("The action %s is not valid for this web service.", action);
    }

    @Override
    protected Object decode(QueryParams params, SdkPojo builder) {
        try {
            return super.decode(params, builder);
        } catch (AwsException e) {
            // A value of the wrong type is, for the Query services other than EC2, a validation error.
            if (e.code().equals(ErrorCode.INVALID_PARAMETER_VALUE.wire())) {
                throw ElbError.VALIDATION_ERROR.with(e.getMessage());
            }
            throw e;
        }
    }

    /** Checks a member account's request against its organization's SCPs ({@link OrgGuard}) first. */
    @Override
    protected CompletableFuture<AwsResponse> run(Operation op, String action, Caller caller, String requestId,
            ElasticLoadBalancingV2Request request) {
        World world = store.world();
        var denial = OrgGuard.scpDenial(world, caller, store.clock().instant(),
                () -> RequestFacts.elbv2(action, request, world, caller));
        return denial.isPresent()
                ? CompletableFuture.completedFuture(renderError(ElbError.ACCESS_DENIED.with(denial.get()), requestId,
                        action))
                : super.run(op, action, caller, requestId, request);
    }

    /** Renders any failure as the awsQuery error envelope; only a non-AWS exception is a 500. */
    public static AwsResponse error(Throwable t, String requestId, String action) {
        return error(t, requestId, action, NAMESPACE);
    }
}
