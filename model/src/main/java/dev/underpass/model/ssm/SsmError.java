package dev.underpass.model.ssm;

import dev.underpass.model.AwsError;

/**
 * Systems Manager (SSM, awsJson1.1) error codes underpass answers, with their HTTP statuses. The wire code is the
 * {@code __type} of AWS's JSON error body, which for SSM is the model's shape name ({@code ParameterNotFound},
 * {@code UnsupportedOperationException}).
 */
public enum SsmError implements AwsError {
    /** GetParameter of a name underpass does not have ({@code /aws/service/…/no-such-image}). */
    PARAMETER_NOT_FOUND("ParameterNotFound", 400),
    /** GetParameter with a {@code :version} selector the parameter never had. */
    PARAMETER_VERSION_NOT_FOUND("ParameterVersionNotFound", 400),
    /** A member breaks a constraint of the model (GetParameters with eleven names, MaxResults 11, a path without /). */
    VALIDATION_EXCEPTION("ValidationException", 400),
    /** A GetParametersByPath filter key that the call does not support ({@code Name}, {@code Path}, {@code tag:…}). */
    INVALID_FILTER_KEY("InvalidFilterKey", 400),
    /** A filter option other than {@code Equals} for a key that only takes it. */
    INVALID_FILTER_OPTION("InvalidFilterOption", 400),
    /** A NextToken that underpass did not issue. */
    INVALID_NEXT_TOKEN("InvalidNextToken", 400),
    /** An SSM action that exists in AWS but that underpass does not serve ({@code PutParameter}, …). */
    UNSUPPORTED_OPERATION("UnsupportedOperationException", 400),
    /** An {@code X-Amz-Target} that names no SSM action at all. */
    UNKNOWN_OPERATION("UnknownOperationException", 400),
    /** A service control policy refuses the member account's read (SSM answers it with 400, not 403). */
    ACCESS_DENIED("AccessDeniedException", 400),
    /** The access key or security token is not known (what AWS's JSON services answer for it). */
    UNRECOGNIZED_CLIENT("UnrecognizedClientException", 400),
    /** The signature is not what the caller's secret gives for the request. */
    INVALID_SIGNATURE("InvalidSignatureException", 400),
    /** The temporary credentials have expired. */
    EXPIRED_TOKEN("ExpiredTokenException", 400),
    /** A failure of underpass itself. */
    INTERNAL_SERVER_ERROR("InternalServerError", 500);

    private final String wire;
    private final int status;

    SsmError(String wire, int status) {
        this.wire = wire;
        this.status = status;
    }

    @Override
    public String wire() {
        return wire;
    }

    @Override
    public int status() {
        return status;
    }
}
