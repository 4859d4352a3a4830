package dev.underpass.aws.ec2;

import dev.underpass.aws.AwsResponse;
import dev.underpass.aws.wire.QueryDecoder;
import dev.underpass.aws.wire.QueryParams;
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
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.ec2.model.Ec2Request;
import software.amazon.awssdk.services.ec2.model.Ec2Response;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * The EC2 Query API (2016-11-15): finds the operation named by {@code Action}, decodes the form into the SDK's
 * request class, runs the handler (reads against the latest snapshot, writes through the {@link Store}'s single
 * writer), and encodes the SDK response class as EC2 XML. Handlers are registered per resource family.
 */
public final class Ec2Api {
    public static final String VERSION = "2016-11-15";
    public static final String NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";
    private static final Logger LOG = LoggerFactory.getLogger(Ec2Api.class);

    /** A read: runs on the caller's thread against one consistent snapshot. */
    @FunctionalInterface
    public interface Read<Q extends Ec2Request, R extends Ec2Response> {
        R handle(Q request, ReadContext ctx);
    }

    /** A write: runs on the store's writer thread; what it puts in the {@link Tx} becomes durable atomically. */
    @FunctionalInterface
    public interface Write<Q extends Ec2Request, R extends Ec2Response> {
        R handle(Q request, Tx tx);
    }

    /** What a read sees: who asks, the snapshot, and the clock. */
    public record ReadContext(Caller caller, World world, Instant now) {}

    private record Operation(String name, Supplier<? extends SdkBuilder<?, ?>> builder, Read<?, ?> read,
            Write<?, ?> write) {}

    private final Map<String, Operation> operations = new HashMap<>();
    private final Store store;
    private final Settings settings;

    /** Behaviour switches that a user may choose at start-up. */
    public record Settings(Duration instanceTransition, boolean defaultVpcs, Quotas quotas) {
        public static Settings defaults() {
            return new Settings(Duration.ZERO, true, Quotas.defaults());
        }
    }

    public Ec2Api(Store store, Settings settings) {
        this.store = store;
        this.settings = settings;
        new RegionHandlers().register(this);
        new VpcHandlers(this).register(this);
        new SubnetHandlers(this).register(this);
        new RouteTableHandlers(this).register(this);
        new SecurityGroupHandlers(this).register(this);
        new NetworkAclHandlers(this).register(this);
        new NetworkInterfaceHandlers(this).register(this);
        new InstanceHandlers(this).register(this);
        new GatewayHandlers(this).register(this);
        new TagHandlers(this).register(this);
        new DefaultVpcHandlers(this).register(this);
        new VpcEndpointHandlers(this).register(this);
        new PrefixListHandlers(this).register(this);
        new EndpointServiceHandlers(this).register(this);
    }

    public Settings settings() {
        return settings;
    }

    public Store store() {
        return store;
    }

    public <Q extends Ec2Request, R extends Ec2Response> void read(String action,
            Supplier<? extends SdkBuilder<?, Q>> builder, Read<Q, R> handler) {
        register(new Operation(action, builder, handler, null));
    }

    public <Q extends Ec2Request, R extends Ec2Response> void write(String action,
            Supplier<? extends SdkBuilder<?, Q>> builder, Write<Q, R> handler) {
        register(new Operation(action, builder, null, handler));
    }

    private void register(Operation op) {
        if (operations.putIfAbsent(op.name(), op) != null) {
            throw new IllegalStateException("two handlers for " + op.name());
        }
    }

    public Set<String> actions() {
        return operations.keySet();
    }

    /**
     * Handles one EC2 request. The future always completes normally: errors become EC2 error responses here, so
     * that nothing a client sends can produce anything but an AWS-shaped answer.
     */
    public CompletableFuture<AwsResponse> handle(Caller caller, String requestId, QueryParams params) {
        String action = null;
        try {
            action = params.take("Action");
            String version = params.take("Version");
            if (action == null || action.isEmpty()) {
                throw ErrorCode.MISSING_PARAMETER.with("The request must contain the parameter Action");
            }
            Operation op = operations.get(action);
            if (op == null) {
                if (Ec2Catalog.exists(action)) {
                    throw ErrorCode.UNSUPPORTED_OPERATION.format(
                            "The action %s is not supported by underpass.", action);
                }
                throw ErrorCode.INVALID_ACTION.format("The action %s is not valid for this web service.", action);
            }
            if (version != null && !version.equals(VERSION)) {
                throw ErrorCode.NO_SUCH_VERSION.format(
                        "An invalid or out-of-range value was supplied for the input parameter Version: %s", version);
            }
            Ec2Request request = QueryDecoder.decode(params, (SdkPojo) op.builder().get());
            return run(op, action, caller, requestId, request);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(error(e, requestId, action));
        }
    }

    private CompletableFuture<AwsResponse> run(Operation op, String name, Caller caller, String requestId,
            Ec2Request request) {
        try {
            World world = store.world();
            if (settings.defaultVpcs() && !DefaultVpcs.isSetUp(world, caller)) {
                // The first request of this account in this region (or the first since a reset): like a new AWS
                // account, it gets its default VPC before anything else. The request then runs off the writer
                // thread, so that a read never occupies it.
                return store.write(caller, tx -> DefaultVpcs.ensure(tx, settings.quotas()))
                        .handle((created, error) -> error)
                        .thenComposeAsync(error -> error == null ? run(op, name, caller, requestId, request)
                                : CompletableFuture.completedFuture(error(unwrap(error), requestId, name)));
            }
            if (dryRun(request)) {
                throw ErrorCode.DRY_RUN_OPERATION.with("Request would have succeeded, but DryRun flag is set.");
            }
            if (op.read() != null) {
                Ec2Response response = invokeRead(op.read(), request,
                        new ReadContext(caller, world, store.clock().instant()));
                return CompletableFuture.completedFuture(ok(name, requestId, response));
            }
            Write<?, ?> write = op.write();
            return store.write(caller, tx -> {
                if (settings.defaultVpcs()) {
                    // A no-op unless a reset was committed since the check above.
                    DefaultVpcs.ensure(tx, settings.quotas());
                }
                return invokeWrite(write, request, tx);
            }).handle((response, error) -> error == null ? ok(name, requestId, response)
                    : error(unwrap(error), requestId, name));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(error(e, requestId, name));
        }
    }

    @SuppressWarnings("unchecked")
    private static <Q extends Ec2Request> Ec2Response invokeRead(Read<Q, ?> read, Ec2Request request,
            ReadContext ctx) {
        return read.handle((Q) request, ctx);
    }

    @SuppressWarnings("unchecked")
    private static <Q extends Ec2Request> Ec2Response invokeWrite(Write<Q, ?> write, Ec2Request request, Tx tx) {
        return write.handle((Q) request, tx);
    }

    private static boolean dryRun(Ec2Request request) {
        for (SdkField<?> f : request.sdkFields()) {
            if (f.memberName().equals("DryRun")) {
                return Boolean.TRUE.equals(f.getValueOrDefault(request));
            }
        }
        return false;
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private static AwsResponse ok(String action, String requestId, Ec2Response response) {
        StringBuilder sb = new StringBuilder(512);
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<").append(action).append("Response xmlns=\"")
                .append(NAMESPACE).append("\"><requestId>").append(requestId).append("</requestId>");
        XmlEncoder.members(sb, response);
        sb.append("</").append(action).append("Response>");
        return AwsResponse.xml(200, sb.toString());
    }

    /** Renders any failure as EC2's error envelope; only a non-AWS exception is a 500. */
    public static AwsResponse error(Throwable t, String requestId, String action) {
        AwsException e;
        if (t instanceof AwsException aws) {
            e = aws;
        } else {
            LOG.error("internal error in {}", action, t);
            e = ErrorCode.INTERNAL_ERROR.with("An internal error has occurred");
        }
        StringBuilder sb = new StringBuilder(256);
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>");
        XmlEncoder.text(sb, e.code());
        sb.append("</Code><Message>");
        XmlEncoder.text(sb, e.getMessage() == null ? "" : e.getMessage());
        sb.append("</Message></Error></Errors><RequestID>").append(requestId).append("</RequestID></Response>");
        return AwsResponse.xmlError(e.status(), sb.toString(), e.code());
    }
}
