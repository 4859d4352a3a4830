package dev.underpass.model.ssm;

import dev.underpass.model.AwsError;

/**
 * Systems Manager (SSM, awsJson1.1) error codes underpass answers, with their HTTP statuses. The wire code is the
 * {@code __type} of AWS's JSON error body, which for SSM is the model's shape name ({@code ParameterNotFound},
 * {@code UnsupportedOperationException}).
 */
public final class SsmError {
    /** GetParameter of a name underpass does not have ({@code /aws/service/…/no-such-image}). */
    public static final AwsError PARAMETER_NOT_FOUND = new AwsError("ParameterNotFound", 400);
    /** GetParameter with a {@code :version} selector the parameter never had. */
    public static final AwsError PARAMETER_VERSION_NOT_FOUND = new AwsError("ParameterVersionNotFound", 400);
    /** A member breaks a constraint of the model (GetParameters with eleven names, MaxResults 11, a path without /). */
    public static final AwsError VALIDATION_EXCEPTION = new AwsError("ValidationException", 400);
    /** A GetParametersByPath filter key that the call does not support ({@code Name}, {@code Path}, {@code tag:…}). */
    public static final AwsError INVALID_FILTER_KEY = new AwsError("InvalidFilterKey", 400);
    /** A filter option other than {@code Equals} for a key that only takes it. */
    public static final AwsError INVALID_FILTER_OPTION = new AwsError("InvalidFilterOption", 400);
    /** A NextToken that underpass did not issue. */
    public static final AwsError INVALID_NEXT_TOKEN = new AwsError("InvalidNextToken", 400);
    /** An SSM action that exists in AWS but that underpass does not serve ({@code PutParameter}, …). */
    public static final AwsError UNSUPPORTED_OPERATION = new AwsError("UnsupportedOperationException", 400);
    /** An {@code X-Amz-Target} that names no SSM action at all. */
    public static final AwsError UNKNOWN_OPERATION = new AwsError("UnknownOperationException", 400);
    /** A service control policy refuses the member account's read (SSM answers it with 400, not 403). */
    public static final AwsError ACCESS_DENIED = new AwsError("AccessDeniedException", 400);
    /** The access key or security token is not known (what AWS's JSON services answer for it). */
    public static final AwsError UNRECOGNIZED_CLIENT = new AwsError("UnrecognizedClientException", 400);
    /** The signature is not what the caller's secret gives for the request. */
    public static final AwsError INVALID_SIGNATURE = new AwsError("InvalidSignatureException", 400);
    /** The temporary credentials have expired. */
    public static final AwsError EXPIRED_TOKEN = new AwsError("ExpiredTokenException", 400);
    /** A failure of underpass itself. */
    public static final AwsError INTERNAL_SERVER_ERROR = new AwsError("InternalServerError", 500);

    private SsmError() {}
}
