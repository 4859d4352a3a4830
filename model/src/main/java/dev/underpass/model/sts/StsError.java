package dev.underpass.model.sts;

import dev.underpass.model.AwsError;

/**
 * STS error codes (2011-06-15) and the authentication errors that every awsQuery service shares, with their HTTP
 * statuses. Codes are spelled as AWS sends them on the wire, which for the request-level token errors is not the
 * model's shape name ({@code ExpiredToken}, not {@code ExpiredTokenException}).
 */
public final class StsError {
    /** A parameter breaks a constraint of the model (length, range, pattern, required) or an ARN is malformed. */
    public static final AwsError VALIDATION_ERROR = new AwsError("ValidationError", 400);
    /** A session policy that is not a valid policy document. */
    public static final AwsError MALFORMED_POLICY_DOCUMENT = new AwsError("MalformedPolicyDocument", 400);
    /** The session policy and session tags, packed, exceed what a session token may carry. */
    public static final AwsError PACKED_POLICY_TOO_LARGE = new AwsError("PackedPolicyTooLarge", 400);
    /** DecodeAuthorizationMessage with a message that is damaged, not underpass's, or another account's. */
    public static final AwsError INVALID_AUTHORIZATION_MESSAGE =
            new AwsError("InvalidAuthorizationMessageException", 400);
    /** The caller may not do this (for example GetSessionToken with session credentials). */
    public static final AwsError ACCESS_DENIED = new AwsError("AccessDenied", 403);
    /** The access key id is not known, or the security token does not belong to it (awsQuery services). */
    public static final AwsError INVALID_CLIENT_TOKEN_ID = new AwsError("InvalidClientTokenId", 403);
    /** The signature or the body hash is not what the caller's secret gives for the request (awsQuery services). */
    public static final AwsError SIGNATURE_DOES_NOT_MATCH = new AwsError("SignatureDoesNotMatch", 403);
    /** The temporary credentials have expired (awsQuery services). */
    public static final AwsError EXPIRED_TOKEN = new AwsError("ExpiredToken", 400);

    private StsError() {}
}
