package dev.underpass.aws;

import dev.underpass.aws.wire.QueryParams;
import dev.underpass.aws.wire.RestJsonCodec;
import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * What every restJson1 service (RAM) does the same way, on top of the registry, reads and writes of
 * {@link QueryApi}: the operation is chosen by HTTP method and path as the SDK model binds them
 * ({@code POST /createresourceshare}, {@code DELETE /deleteresourceshare?resourceShareArn=…}; read by
 * {@link RestJsonCodec#binding}), its input comes from the path, query string, headers and JSON body by each member's
 * location, the output is the SDK response class as JSON, and every failure is the restJson error: the code in the
 * {@code x-amzn-ErrorType} header (set by the server for any JSON error answer carrying a code) and
 * {@code {"message": …}} as the body, with the error's status.
 *
 * <p>A decoded request runs through {@link QueryApi#run}, the same path as the Query and awsJson services, so a
 * request-path guard placed there (service control policies) covers RAM too; {@link #beforeRun} is the place for a
 * guard that needs the restJson operation by name before anything runs.
 *
 * @param <Q> the service's SDK request base class
 * @param <R> the service's SDK response base class
 */
public abstract class RestJsonApi<Q extends SdkPojo, R extends SdkPojo> extends QueryApi<Q, R> {
    private record Route(RestJsonCodec.Binding binding, String action) {}

    private volatile List<Route> routes;

    protected RestJsonApi(Store store, String version) {
        super(store, version);
    }

    /** The operations' bindings, computed once from the SDK marshallers of the registered request classes. */
    private List<Route> routes() {
        List<Route> r = routes;
        if (r == null) {
            List<Route> built = new ArrayList<>();
            for (String action : actions()) {
                SdkBuilder<?, ?> builder = operation(action).builder().get();
                built.add(new Route(RestJsonCodec.binding(builder.build().getClass()), action));
            }
            routes = r = List.copyOf(built);
        }
        return r;
    }

    /** The action bound to {@code method} and {@code path}, or null. */
    public String actionFor(String method, String path) {
        for (Route route : routes()) {
            if (route.binding().matches(method, path)) {
                return route.action();
            }
        }
        return null;
    }

    /** Handles one request given its method, decoded path and query, lower-case headers and body. */
    public CompletableFuture<AwsResponse> handle(Caller caller, String requestId, String method, String path,
            Map<String, String> query, Map<String, String> headers, byte[] body) {
        String action = null;
        try {
            Route route = null;
            for (Route r : routes()) {
                if (r.binding().matches(method, path)) {
                    route = r;
                    break;
                }
            }
            if (route == null) {
                throw new AwsException("UnknownOperationException", 404,
                        "No operation of this service answers " + method + " " + path + ".");
            }
            action = route.action();
            Operation op = operation(action);
            @SuppressWarnings("unchecked")
            Q request = (Q) RestJsonCodec.decode(route.binding().labels(path), query, headers, body,
                    (SdkPojo) op.builder().get());
            beforeRun(caller, action, request);
            return run(op, action, caller, requestId, request);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(renderError(e, requestId, action));
        }
    }

    /**
     * Called with every decoded request before it runs; throw an {@link AwsException} to refuse it. Nothing by
     * default: this is where a service-control-policy guard (or any other request-path authorisation) plugs in.
     */
    protected void beforeRun(Caller caller, String action, Q request) {}

    /** A restJson service reads its parameters with the HTTP method and path: see the method above. */
    @Override
    public final CompletableFuture<AwsResponse> handle(Caller caller, String requestId, QueryParams params,
            Map<String, String> headers, byte[] body) {
        return CompletableFuture.completedFuture(renderError(new AwsException("UnknownOperationException", 404,
                "A restJson request needs its method and path."), requestId, null));
    }

    @Override
    public final CompletableFuture<AwsResponse> handle(Caller caller, String requestId, QueryParams params) {
        return handle(caller, requestId, params, Map.of(), new byte[0]);
    }

    @Override
    protected final Object decode(QueryParams params, SdkPojo builder) {
        return RestJsonCodec.decode(Map.of(), Map.of(), Map.of(), new byte[0], builder);
    }

    @Override
    protected final AwsResponse render(String action, String requestId, R response) {
        return new AwsResponse(200, AwsResponse.JSON, dev.underpass.aws.wire.JsonCodec.encode(response), null);
    }

    @Override
    protected final AwsResponse renderError(Throwable failure, String requestId, String action) {
        AwsException e = translate(awsError(failure, action));
        return new AwsResponse(e.status(), AwsResponse.JSON, RestJsonCodec.error(e.getMessage()), e.code());
    }

    /** The restJson spelling of an error raised in underpass's shared vocabulary; subclasses may add their own. */
    protected AwsException translate(AwsException e) {
        return JsonApi.sharedSpelling(e, 403);
    }
}
