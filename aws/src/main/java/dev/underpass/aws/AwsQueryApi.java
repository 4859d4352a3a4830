package dev.underpass.aws;

import dev.underpass.aws.wire.QueryDecoder;
import dev.underpass.aws.wire.QueryDialect;
import dev.underpass.aws.wire.QueryParams;
import dev.underpass.store.Store;
import software.amazon.awssdk.core.SdkPojo;

/**
 * What the awsQuery services (ELBv2, STS) do the same way on top of {@link QueryApi}: the form is decoded in the
 * awsQuery dialect, and results and errors travel in {@link AwsQueryEnvelope}s in the service's XML namespace. EC2,
 * which has a Query dialect and envelopes of its own, is not one of them.
 *
 * @param <Q> the service's SDK request base class
 * @param <R> the service's SDK response base class
 */
public abstract class AwsQueryApi<Q extends SdkPojo, R extends SdkPojo> extends QueryApi<Q, R> {
    private final String namespace;

    /** @param namespace the service's XML namespace ({@code https://sts.amazonaws.com/doc/2011-06-15/}) */
    protected AwsQueryApi(Store store, String version, String namespace) {
        super(store, version);
        this.namespace = namespace;
    }

    @Override
    protected Object decode(QueryParams params, SdkPojo builder) {
        return QueryDecoder.decode(params, builder, QueryDialect.AWS_QUERY);
    }

    @Override
    protected AwsResponse render(String action, String requestId, R response) {
        return AwsQueryEnvelope.result(action, requestId, response, namespace);
    }

    @Override
    protected AwsResponse renderError(Throwable failure, String requestId, String action) {
        return error(failure, requestId, action, namespace);
    }

    /** Renders any failure as the awsQuery error envelope of {@code namespace}; only a non-AWS exception is a 500. */
    protected static AwsResponse error(Throwable failure, String requestId, String action, String namespace) {
        return AwsQueryEnvelope.error(awsError(failure, action), requestId, namespace);
    }
}
