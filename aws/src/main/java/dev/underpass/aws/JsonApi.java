package dev.underpass.aws;

import dev.underpass.aws.wire.JsonCodec;
import dev.underpass.aws.wire.QueryParams;
import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.sts.StsError;
import dev.underpass.store.Store;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.core.SdkPojo;

/**
 * What every awsJson service (1.0 or 1.1: SSM, later Organizations) does the same way, on top of the registry,
 * reads and writes of {@link QueryApi}: the operation is named by the {@code X-Amz-Target} header
 * ({@code AmazonSSM.GetParameter}), the input is the JSON body, decoded into the SDK's request class by
 * {@link JsonCodec}, the output is the SDK response class encoded as JSON, and every failure is AWS's JSON error
 * body {@code {"__type": code, "message": …}} with the error's status. Subclasses give the target prefix, the
 * content type and what to say of an action they do not serve.
 *
 * <p>The request-level errors found before a request reaches the service (unknown key, bad signature, expired
 * token) are spelled as the JSON services spell them: {@code UnrecognizedClientException},
 * {@code InvalidSignatureException} and {@code ExpiredTokenException}, all 400.
 *
 * @param <Q> the service's SDK request base class
 * @param <R> the service's SDK response base class
 */
public abstract class JsonApi<Q extends SdkPojo, R extends SdkPojo> extends QueryApi<Q, R> {
    private final String targetPrefix;
    private final String contentType;

    /**
     * @param targetPrefix what precedes the action in {@code X-Amz-Target}, with its dot ({@code AmazonSSM.})
     * @param contentType {@code application/x-amz-json-1.1} or {@code -1.0}
     */
    protected JsonApi(Store store, String version, String targetPrefix, String contentType) {
        super(store, version);
        this.targetPrefix = targetPrefix;
        this.contentType = contentType;
    }

    /** The action an {@code X-Amz-Target} header names (what follows its last dot), or null. */
    public static String action(String target) {
        if (target == null) {
            return null;
        }
        int dot = target.lastIndexOf('.');
        return dot < 0 ? target : target.substring(dot + 1);
    }

    @Override
    public CompletableFuture<AwsResponse> handle(Caller caller, String requestId, QueryParams params,
            Map<String, String> headers, byte[] body) {
        String target = headers.get("x-amz-target");
        String action = action(target);
        try {
            if (target == null || target.isEmpty()) {
                throw new AwsException("UnknownOperationException", 400,
                        "The request must name its operation in the X-Amz-Target header.");
            }
            Operation op = target.startsWith(targetPrefix) ? operation(action) : null;
            if (op == null) {
                throw target.startsWith(targetPrefix) ? unknownAction(action)
                        : new AwsException("UnknownOperationException", 400,
                                "The operation " + target + " is not known to this service.");
            }
            @SuppressWarnings("unchecked")
            Q request = (Q) JsonCodec.decode(body, (SdkPojo) op.builder().get());
            return run(op, action, caller, requestId, request);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(renderError(e, requestId, action));
        }
    }

    /** A JSON service has no form parameters: only {@link #handle(Caller, String, QueryParams, Map, byte[])}. */
    @Override
    public final CompletableFuture<AwsResponse> handle(Caller caller, String requestId, QueryParams params) {
        return handle(caller, requestId, params, Map.of(), new byte[0]);
    }

    @Override
    protected final Object decode(QueryParams params, SdkPojo builder) {
        return JsonCodec.decode(new byte[0], builder);
    }

    @Override
    protected final AwsResponse render(String action, String requestId, R response) {
        return new AwsResponse(200, contentType, JsonCodec.encode(response), null);
    }

    @Override
    protected final AwsResponse renderError(Throwable failure, String requestId, String action) {
        AwsException e = translate(awsError(failure, action));
        return new AwsResponse(e.status(), contentType, JsonCodec.error(e.code(), e.getMessage(), e.reason()),
                e.code());
    }

    /**
     * The JSON services' spelling of an error raised in underpass's shared vocabulary; subclasses may add their own
     * (for example their internal-error code).
     */
    protected AwsException translate(AwsException e) {
        return sharedSpelling(e, 400);
    }

    /**
     * How both JSON protocols spell the errors of underpass's shared vocabulary: the signature and token failures
     * under their JSON names, answered with {@code authStatus} (awsJson says 400, restJson 403), and an internal error
     * as {@code InternalFailure}. Any other error is returned as it is.
     */
    static AwsException sharedSpelling(AwsException e, int authStatus) {
        if (e.code().equals(StsError.INVALID_CLIENT_TOKEN_ID.wire())) {
            return new AwsException("UnrecognizedClientException", authStatus, e.getMessage());
        }
        if (e.code().equals(StsError.SIGNATURE_DOES_NOT_MATCH.wire())) {
            return new AwsException("InvalidSignatureException", authStatus, e.getMessage());
        }
        if (e.code().equals(StsError.EXPIRED_TOKEN.wire())) {
            return new AwsException("ExpiredTokenException", authStatus, e.getMessage());
        }
        if (e.code().equals(ErrorCode.INTERNAL_ERROR.wire())) {
            return new AwsException("InternalFailure", 500, e.getMessage());
        }
        return e;
    }
}
