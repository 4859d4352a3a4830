package dev.underpass.aws.ec2;

import dev.underpass.aws.AwsResponse;
import dev.underpass.aws.QueryApi;
import dev.underpass.aws.SdkActions;
import dev.underpass.aws.ShapeCache;
import dev.underpass.aws.authz.OrgGuard;
import dev.underpass.aws.authz.RequestFacts;
import dev.underpass.aws.wire.QueryDecoder;
import dev.underpass.aws.wire.QueryParams;
import dev.underpass.aws.wire.QueryDialect;
import dev.underpass.aws.wire.XmlBytes;
import dev.underpass.aws.wire.XmlEncoder;
import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.DefaultVpcs;
import dev.underpass.model.ec2.Quotas;
import dev.underpass.store.Store;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.ec2.model.Ec2Request;
import software.amazon.awssdk.services.ec2.model.Ec2Response;

/**
 * The EC2 Query API (2016-11-15): finds the operation named by {@code Action}, decodes the form into the SDK's
 * request class, runs the handler (reads against the latest snapshot, writes through the {@link Store}'s single
 * writer), and encodes the SDK response class as EC2 XML. Handlers are registered per resource family.
 */
public final class Ec2Api extends QueryApi<Ec2Request, Ec2Response> implements Ec2Registry {
    public static final String VERSION = "2016-11-15";
    public static final String NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private final Settings settings;

    /**
     * Behaviour switches that a user may choose at start-up. {@code azMapping} is how accounts name zones; the
     * server opens its store with it, and the rules read it from the world ({@code World.azMapping()}).
     */
    public record Settings(Duration instanceTransition, boolean defaultVpcs, Quotas quotas,
            dev.underpass.model.AzMapping azMapping) {
        public Settings {
            java.util.Objects.requireNonNull(azMapping, "azMapping");
        }

        /** Settings with every account seeing the listed zone mapping ({@code --az-mapping aligned}). */
        public Settings(Duration instanceTransition, boolean defaultVpcs, Quotas quotas) {
            this(instanceTransition, defaultVpcs, quotas, dev.underpass.model.AzMapping.ALIGNED);
        }

        public static Settings defaults() {
            return new Settings(Duration.ZERO, true, Quotas.defaults());
        }

        public Settings withAzMapping(dev.underpass.model.AzMapping mapping) {
            return new Settings(instanceTransition, defaultVpcs, quotas, mapping);
        }
    }

    public Ec2Api(Store store, Settings settings) {
        super(store, VERSION);
        this.settings = settings;
        new RegionHandlers().register(this);
        new VpcHandlers(this).register(this);
        new SubnetHandlers(this).register(this);
        new RouteTableHandlers(this).register(this);
        new SecurityGroupHandlers(this).register(this);
        new NetworkAclHandlers(this).register(this);
        new NetworkInterfaceHandlers(this).register(this);
        new InstanceHandlers(this).register(this);
        new ImageHandlers().register(this);
        new FlowLogHandlers().register(this);
        new GatewayHandlers(this).register(this);
        new TagHandlers(this).register(this);
        new DefaultVpcHandlers(this).register(this);
        new VpcEndpointHandlers(this).register(this);
        new PrefixListHandlers(this).register(this);
        new EndpointServiceHandlers(this).register(this);
        new PeeringHandlers(this).register(this);
        new AddressHandlers(this).register(this);
        new EgressOnlyGatewayHandlers(this).register(this);
        new DhcpOptionsHandlers().register(this);
        new NetworkInsightsHandlers(this).register(this);
    }

    public Settings settings() {
        return settings;
    }

    @Override
    protected AwsException unknownAction(String action) {
        if (SdkActions.exists(Ec2Request.class, action)) {
            return ErrorCode.UNSUPPORTED_OPERATION.format("The action %s is not supported by underpass.", action);
        }
        return ErrorCode.INVALID_ACTION.format("The action %s is not valid for this web service.", action);
    }

    @Override
    protected Object decode(QueryParams params, SdkPojo builder) {
        return QueryDecoder.decode(params, builder);
    }

    /**
     * Adds EC2's two extras around every call: the caller's default VPC on its first request in a region, and
     * {@code DryRun}.
     */
    @Override
    protected CompletableFuture<AwsResponse> run(Operation op, String name, Caller caller, String requestId,
            Ec2Request request) {
        try {
            // SCPs first: a refused request changes nothing, not even the default VPC of a first request; and they
            // come before DryRun, since AWS answers a refused dry run with UnauthorizedOperation too.
            authorize(name, caller, request);
            if (settings.defaultVpcs() && !DefaultVpcs.isSetUp(store.world(), caller)) {
                // The first request of this account in this region (or the first since a reset): like a new AWS
                // account, it gets its default VPC before anything else. The request then runs off the writer
                // thread, so that a read never occupies it.
                return store.write(caller, tx -> DefaultVpcs.ensure(tx, settings.quotas()))
                        .handle((created, error) -> error)
                        .thenComposeAsync(error -> error == null ? run(op, name, caller, requestId, request)
                                : CompletableFuture.completedFuture(renderError(unwrap(error), requestId, name)));
            }
            if (dryRun(request)) {
                throw ErrorCode.DRY_RUN_OPERATION.with("Request would have succeeded, but DryRun flag is set.");
            }
            return super.run(op, name, caller, requestId, request);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(renderError(e, requestId, name));
        }
    }

    /** A member account's request against its organization's SCPs ({@link OrgGuard}). */
    private void authorize(String action, Caller caller, Ec2Request request) {
        World world = store.world();
        OrgGuard.scpCheck(world, caller, store.clock().instant(),
                () -> RequestFacts.ec2(action, request, world, caller)).ifPresent(d -> {
                    throw ErrorCode.UNAUTHORIZED_OPERATION.with(d.ec2Message());
                });
    }

    @Override
    protected void beforeWrite(Tx tx) {
        if (settings.defaultVpcs()) {
            // A no-op unless a reset was committed since run() checked.
            DefaultVpcs.ensure(tx, settings.quotas());
        }
    }

    private static boolean dryRun(Ec2Request request) {
        for (SdkField<?> f : request.sdkFields()) {
            if (f.memberName().equals("DryRun")) {
                return Boolean.TRUE.equals(f.getValueOrDefault(request));
            }
        }
        return false;
    }

    @Override
    protected AwsResponse render(String action, String requestId, Ec2Response response) {
        XmlBytes out = XmlBytes.scratch();
        try {
            out.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<").raw(action).raw("Response xmlns=\"")
                    .raw(NAMESPACE).raw("\"><requestId>").raw(requestId).raw("</requestId>");
            XmlEncoder.members(out, response, QueryDialect.EC2, ShapeCache.of(store.world()));
            out.raw("</").raw(action).raw("Response>");
            return AwsResponse.xml(200, out.finishParts());
        } finally {
            out.release();
        }
    }

    @Override
    protected AwsResponse renderError(Throwable failure, String requestId, String action) {
        return error(failure, requestId, action);
    }

    /** Renders any failure as EC2's error envelope; only a non-AWS exception is a 500. */
    public static AwsResponse error(Throwable t, String requestId, String action) {
        AwsException e = awsError(t, action);
        StringBuilder sb = new StringBuilder(256);
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>");
        XmlEncoder.text(sb, e.code());
        sb.append("</Code><Message>");
        XmlEncoder.text(sb, e.getMessage() == null ? "" : e.getMessage());
        sb.append("</Message></Error></Errors><RequestID>").append(requestId).append("</RequestID></Response>");
        return AwsResponse.xmlError(e.status(), sb.toString(), e.code());
    }
}
