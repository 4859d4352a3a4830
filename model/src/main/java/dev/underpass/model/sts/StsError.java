package dev.underpass.model.sts;

import dev.underpass.model.AwsError;

/**
 * STS error codes (2011-06-15) and the authentication errors that every awsQuery service shares, with their HTTP
 * statuses. Codes are spelled as AWS sends them on the wire, which for the request-level token errors is not the
 * model's shape name ({@code ExpiredToken}, not {@code ExpiredTokenException}).
 */
public enum StsError implements AwsError {
    /** A parameter breaks a constraint of the model (length, range, pattern, required) or an ARN is malformed. */
    VALIDATION_ERROR("ValidationError", 400),
    /** A session policy that is not a valid policy document. */
    MALFORMED_POLICY_DOCUMENT("MalformedPolicyDocument", 400),
    /** The session policy and session tags, packed, exceed what a session token may carry. */
    PACKED_POLICY_TOO_LARGE("PackedPolicyTooLarge", 400),
    /** DecodeAuthorizationMessage with a message that is damaged, not underpass's, or another account's. */
    INVALID_AUTHORIZATION_MESSAGE("InvalidAuthorizationMessageException", 400),
    /** The caller may not do this (for example GetSessionToken with session credentials). */
    ACCESS_DENIED("AccessDenied", 403),
    /** The access key id is not known, or the security token does not belong to it (awsQuery services). */
    INVALID_CLIENT_TOKEN_ID("InvalidClientTokenId", 403),
    /** The signature or the body hash is not what the caller's secret gives for the request (awsQuery services). */
    SIGNATURE_DOES_NOT_MATCH("SignatureDoesNotMatch", 403),
    /** The temporary credentials have expired (awsQuery services). */
    EXPIRED_TOKEN("ExpiredToken", 400);

    private final String wire;
    private final int status;

    StsError(String wire, int status) {
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
