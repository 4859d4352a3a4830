package dev.underpass.aws.sts;

import dev.underpass.aws.AwsResponse;
import dev.underpass.aws.QueryApi;
import dev.underpass.aws.wire.AwsQueryEnvelope;
import dev.underpass.aws.wire.QueryDecoder;
import dev.underpass.aws.wire.QueryDialect;
import dev.underpass.aws.wire.QueryParams;
import dev.underpass.model.AwsException;
import dev.underpass.model.ErrorCode;
import dev.underpass.store.Store;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityRequest;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsRequest;
import software.amazon.awssdk.services.sts.model.StsResponse;

/**
 * The part of STS (awsQuery, 2011-06-15) that tools ask before anything else: {@code GetCallerIdentity}, which the
 * AWS CLI, the SDKs' account-id resolution and Terraform's AWS provider call on start. The caller is who the
 * signature's access key says (the account's root today).
 */
public final class StsApi extends QueryApi<StsRequest, StsResponse> {
    public static final String VERSION = "2011-06-15";
    public static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

    public StsApi(Store store) {
        super(store, VERSION);
        read("GetCallerIdentity", GetCallerIdentityRequest::builder, (req, ctx) -> {
            String account = ctx.caller().accountId();
            return GetCallerIdentityResponse.builder().account(account).arn(ctx.caller().principalArn())
                    .userId(account).build();
        });
    }

    @Override
    protected AwsException unknownAction(String action) {
        return ErrorCode.INVALID_ACTION.format("Could not find operation %s for version %s", action, VERSION);
    }

    @Override
    protected Object decode(QueryParams params, SdkPojo builder) {
        return QueryDecoder.decode(params, builder, QueryDialect.AWS_QUERY);
    }

    @Override
    protected AwsResponse render(String action, String requestId, StsResponse response) {
        return AwsQueryEnvelope.result(action, requestId, response, NAMESPACE);
    }

    @Override
    protected AwsResponse renderError(Throwable failure, String requestId, String action) {
        return AwsQueryEnvelope.error(awsError(failure, action), requestId, NAMESPACE);
    }
}
