package dev.underpass.aws.elbv2;

import dev.underpass.aws.AwsResponse;
import dev.underpass.aws.wire.QueryDecoder;
import dev.underpass.aws.wire.QueryDialect;
import dev.underpass.aws.wire.QueryParams;
import dev.underpass.aws.wire.XmlEncoder;
import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.elb.ElbError;
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
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ElasticLoadBalancingV2Request;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ElasticLoadBalancingV2Response;
import software.amazon.awssdk.utils.builder.SdkBuilder;

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
public final class Elbv2Api {
    public static final String VERSION = "2015-12-01";
    public static final String NAMESPACE = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";
    private static final Logger LOG = LoggerFactory.getLogger(Elbv2Api.class);

    /** A read: runs on the caller's thread against one consistent snapshot. */
    @FunctionalInterface
    public interface Read<Q extends ElasticLoadBalancingV2Request, R extends ElasticLoadBalancingV2Response> {
        R handle(Q request, ReadContext ctx);
    }

    /** A write: runs on the store's writer thread; what it puts in the {@link Tx} becomes durable atomically. */
    @FunctionalInterface
    public interface Write<Q extends ElasticLoadBalancingV2Request, R extends ElasticLoadBalancingV2Response> {
        R handle(Q request, Tx tx);
    }

    /** What a read sees: who asks, the snapshot, and the clock. */
    public record ReadContext(Caller caller, World world, Instant now) {}

    /**
     * Behaviour switches: how long a new load balancer stays {@code provisioning}, how long a new target stays
     * {@code initial}, and the EC2 instance transition time (to know whether an instance target is running).
     */
    public record Settings(Duration provisioning, Duration targetSettle, Duration instanceTransition) {
        public static Settings defaults() {
            return new Settings(Duration.ZERO, Duration.ZERO, Duration.ZERO);
        }
    }

    private record Operation(String name, Supplier<? extends SdkBuilder<?, ?>> builder, Read<?, ?> read,
            Write<?, ?> write) {}

    private final Map<String, Operation> operations = new HashMap<>();
    private final Store store;
    private final Settings settings;

    public Elbv2Api(Store store, Settings settings) {
        this.store = store;
        this.settings = settings;
        new LoadBalancerHandlers(this).register(this);
        new TargetGroupHandlers(this).register(this);
        new ListenerHandlers(this).register(this);
        new TagHandlers(this).register(this);
    }

    public Settings settings() {
        return settings;
    }

    public Store store() {
        return store;
    }

    public <Q extends ElasticLoadBalancingV2Request, R extends ElasticLoadBalancingV2Response> void read(
            String action, Supplier<? extends SdkBuilder<?, Q>> builder, Read<Q, R> handler) {
        register(new Operation(action, builder, handler, null));
    }

    public <Q extends ElasticLoadBalancingV2Request, R extends ElasticLoadBalancingV2Response> void write(
            String action, Supplier<? extends SdkBuilder<?, Q>> builder, Write<Q, R> handler) {
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

    /** Handles one request. The future always completes normally: failures become awsQuery error responses. */
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
                throw ErrorCode.INVALID_ACTION.format("The action %s is not valid for this web service.", action);
            }
            if (version != null && !version.equals(VERSION)) {
                throw ErrorCode.NO_SUCH_VERSION.format(
                        "An invalid or out-of-range value was supplied for the input parameter Version: %s", version);
            }
            ElasticLoadBalancingV2Request request = decode(params, op);
            String name = action;
            if (op.read() != null) {
                ElasticLoadBalancingV2Response response = invokeRead(op.read(), request,
                        new ReadContext(caller, store.world(), store.clock().instant()));
                return CompletableFuture.completedFuture(ok(name, requestId, response));
            }
            Write<?, ?> write = op.write();
            return store.write(caller, tx -> invokeWrite(write, request, tx))
                    .handle((response, error) -> error == null ? ok(name, requestId, response)
                            : error(unwrap(error), requestId, name));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(error(e, requestId, action));
        }
    }

    private static ElasticLoadBalancingV2Request decode(QueryParams params, Operation op) {
        try {
            return QueryDecoder.decode(params, (SdkPojo) op.builder().get(), QueryDialect.AWS_QUERY);
        } catch (AwsException e) {
            // A value of the wrong type is, for the Query services other than EC2, a validation error.
            if (e.code().equals(ErrorCode.INVALID_PARAMETER_VALUE.wire())) {
                throw ElbError.VALIDATION_ERROR.with(e.getMessage());
            }
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    private static <Q extends ElasticLoadBalancingV2Request> ElasticLoadBalancingV2Response invokeRead(
            Read<Q, ?> read, ElasticLoadBalancingV2Request request, ReadContext ctx) {
        return read.handle((Q) request, ctx);
    }

    @SuppressWarnings("unchecked")
    private static <Q extends ElasticLoadBalancingV2Request> ElasticLoadBalancingV2Response invokeWrite(
            Write<Q, ?> write, ElasticLoadBalancingV2Request request, Tx tx) {
        return write.handle((Q) request, tx);
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private static AwsResponse ok(String action, String requestId, ElasticLoadBalancingV2Response response) {
        StringBuilder sb = new StringBuilder(512);
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<").append(action).append("Response xmlns=\"")
                .append(NAMESPACE).append("\"><").append(action).append("Result>");
        XmlEncoder.members(sb, response, QueryDialect.AWS_QUERY);
        sb.append("</").append(action).append("Result><ResponseMetadata><RequestId>").append(requestId)
                .append("</RequestId></ResponseMetadata></").append(action).append("Response>");
        return AwsResponse.xml(200, sb.toString());
    }

    /** Renders any failure as the awsQuery error envelope; only a non-AWS exception is a 500. */
    public static AwsResponse error(Throwable t, String requestId, String action) {
        AwsException e;
        if (t instanceof AwsException aws) {
            e = aws;
        } else {
            LOG.error("internal error in {}", action, t);
            e = ErrorCode.INTERNAL_ERROR.with("An internal error has occurred");
        }
        StringBuilder sb = new StringBuilder(256);
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse xmlns=\"").append(NAMESPACE)
                .append("\"><Error><Type>").append(e.status() >= 500 ? "Receiver" : "Sender").append("</Type><Code>");
        XmlEncoder.text(sb, e.code());
        sb.append("</Code><Message>");
        XmlEncoder.text(sb, e.getMessage() == null ? "" : e.getMessage());
        sb.append("</Message></Error><RequestId>").append(requestId).append("</RequestId></ErrorResponse>");
        return AwsResponse.xmlError(e.status(), sb.toString(), e.code());
    }
}
