package dev.underpass.aws;

import dev.underpass.aws.wire.QueryParams;
import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.store.Store;
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
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * What every Query-protocol service (EC2's ec2Query, ELBv2's awsQuery) does the same way: a registry of operations
 * by {@code Action}, the checks of {@code Action} and {@code Version}, decoding into the SDK's request class, reads
 * against one snapshot and writes through the {@link Store}'s single writer, and turning every failure into the
 * protocol's error envelope. Subclasses supply the protocol: how to decode, how to render a result and an error,
 * and what to say of an unknown action.
 *
 * @param <Q> the service's SDK request base class
 * @param <R> the service's SDK response base class
 */
public abstract class QueryApi<Q extends SdkPojo, R extends SdkPojo> {
    private static final Logger LOG = LoggerFactory.getLogger(QueryApi.class);

    /** A read: runs on the caller's thread against one consistent snapshot. */
    @FunctionalInterface
    public interface Read<A, B> {
        B handle(A request, ReadContext ctx);
    }

    /** A write: runs on the store's writer thread; what it puts in the {@link Tx} becomes durable atomically. */
    @FunctionalInterface
    public interface Write<A, B> {
        B handle(A request, Tx tx);
    }

    /** What a read sees: who asks, the snapshot, and the clock. */
    public record ReadContext(Caller caller, World world, Instant now) {}

    /** One registered operation: exactly one of {@code read} and {@code write} is set. */
    protected record Operation(String name, Supplier<? extends SdkBuilder<?, ?>> builder, Read<?, ?> read,
            Write<?, ?> write) {}

    private final Map<String, Operation> operations = new HashMap<>();
    private final String version;
    protected final Store store;

    protected QueryApi(Store store, String version) {
        this.store = store;
        this.version = version;
    }

    public Store store() {
        return store;
    }

    public <A extends Q, B extends R> void read(String action, Supplier<? extends SdkBuilder<?, A>> builder,
            Read<A, B> handler) {
        register(new Operation(action, builder, handler, null));
    }

    public <A extends Q, B extends R> void write(String action, Supplier<? extends SdkBuilder<?, A>> builder,
            Write<A, B> handler) {
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

    /** The operation registered for {@code action}, or null. */
    protected Operation operation(String action) {
        return operations.get(action);
    }

    /**
     * Handles one request given its HTTP parts. The Query services read everything from the form's
     * {@code params}; a JSON-protocol service overrides this to read the operation from {@code X-Amz-Target} and
     * its input from the body.
     */
    public CompletableFuture<AwsResponse> handle(Caller caller, String requestId, QueryParams params,
            Map<String, String> headers, byte[] body) {
        return handle(caller, requestId, params);
    }

    /**
     * Handles one request. The future always completes normally: failures become the protocol's error response
     * here, so that nothing a client sends can produce anything but an AWS-shaped answer.
     */
    public CompletableFuture<AwsResponse> handle(Caller caller, String requestId, QueryParams params) {
        String action = null;
        try {
            action = params.take("Action");
            String requestedVersion = params.take("Version");
            if (action == null || action.isEmpty()) {
                throw Ec2Errors.missingParameter("Action");
            }
            Operation op = operations.get(action);
            if (op == null) {
                throw unknownAction(action);
            }
            if (requestedVersion != null && !requestedVersion.equals(version)) {
                throw ErrorCode.NO_SUCH_VERSION.format(
                        "An invalid or out-of-range value was supplied for the input parameter Version: %s",
                        requestedVersion);
            }
            @SuppressWarnings("unchecked")
            Q request = (Q) decode(params, (SdkPojo) op.builder().get());
            return run(op, action, caller, requestId, request);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(renderError(e, requestId, action));
        }
    }

    /**
     * Runs a decoded request: a read at once against the latest snapshot, a write through the store, with
     * {@code beforeWrite} applied first inside the same transaction. Subclasses may wrap it.
     */
    protected CompletableFuture<AwsResponse> run(Operation op, String action, Caller caller, String requestId,
            Q request) {
        try {
            if (op.read() != null) {
                R response = invokeRead(op.read(), request, new ReadContext(caller, store.world(),
                        store.clock().instant()));
                return CompletableFuture.completedFuture(render(action, requestId, response));
            }
            Write<?, ?> write = op.write();
            return store.write(caller, tx -> {
                beforeWrite(tx);
                return invokeWrite(write, request, tx);
            }).handle((response, error) -> error == null ? render(action, requestId, response)
                    : renderError(unwrap(error), requestId, action));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(renderError(e, requestId, action));
        }
    }

    /** Work every write does first, in its own transaction; nothing by default. */
    protected void beforeWrite(Tx tx) {}

    /** The error for an action this service does not have (or underpass does not emulate). */
    protected abstract AwsException unknownAction(String action);

    /** Decodes the parameters into the request builder and builds it. */
    protected abstract Object decode(QueryParams params, SdkPojo builder);

    /** The success envelope. */
    protected abstract AwsResponse render(String action, String requestId, R response);

    /** The error envelope for any failure. */
    protected abstract AwsResponse renderError(Throwable failure, String requestId, String action);

    /** This service's error envelope, for failures found before a request reaches {@link #handle}. */
    public final AwsResponse errorResponse(Throwable failure, String requestId, String action) {
        return renderError(failure, requestId, action);
    }

    /** The AWS error to show for a failure: itself when it is one, else a logged internal error. */
    protected static AwsException awsError(Throwable t, String action) {
        if (t instanceof AwsException aws) {
            return aws;
        }
        LOG.error("internal error in {}", action, t);
        return ErrorCode.INTERNAL_ERROR.with("An internal error has occurred");
    }

    protected static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    // The registry pairs each handler with the request class it was registered for, so these casts hold.
    @SuppressWarnings("unchecked")
    private R invokeRead(Read<?, ?> read, Q request, ReadContext ctx) {
        return (R) ((Read<Q, ?>) read).handle(request, ctx);
    }

    @SuppressWarnings("unchecked")
    private R invokeWrite(Write<?, ?> write, Q request, Tx tx) {
        return (R) ((Write<Q, ?>) write).handle(request, tx);
    }
}
