package dev.underpass.aws.auth;

import dev.underpass.aws.SigV4;
import dev.underpass.model.AwsException;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.sts.StsError;
import java.time.Instant;

/**
 * The authentication errors of a family of services, which differ in code and status though they mean the same:
 * EC2 answers a credential it does not know or a wrong signature with {@code AuthFailure} (401), the awsQuery
 * services (ELBv2, STS) with IAM's {@code InvalidClientTokenId} or {@code SignatureDoesNotMatch} (403).
 *
 * <p>Errors found before the request's service is known (a missing or malformed signature, see
 * {@link SigV4#read}) are the same for every service and are not here.
 */
public enum AuthErrors {
    /** EC2's answers. */
    EC2,
    /** The awsQuery services' answers (ELBv2, STS). */
    QUERY;

    private static final String EC2_UNKNOWN = "AWS was not able to validate the provided access credentials";

    /**
     * Rejects a signature dated too far from {@code now}, or a presigned request past its expiry, with the error
     * this family answers a stale signature with: EC2's {@code RequestExpired} (400), the awsQuery services'
     * {@code SignatureDoesNotMatch} (403) "Signature expired: …". This is the one place that chooses.
     */
    void checkClock(SigV4.Signature signature, Instant now) {
        SigV4.checkClock(signature, now, this == EC2);
    }

    /** Temporary credentials that underpass did not issue, or a session token that is not theirs. */
    AwsException unknownCredentials() {
        return this == EC2 ? new AwsException(ErrorCode.AUTH_FAILURE, EC2_UNKNOWN)
                : StsError.INVALID_CLIENT_TOKEN_ID.with("The security token included in the request is invalid.");
    }

    /** Temporary credentials past their expiration. */
    AwsException expiredCredentials() {
        return this == EC2 ? new AwsException(ErrorCode.REQUEST_EXPIRED, "Request has expired.")
                : StsError.EXPIRED_TOKEN.with("The security token included in the request is expired");
    }

    /** A signature (or body hash) that is not what the signer's secret gives for the request. */
    AwsException signatureMismatch(SigV4.Mismatch mismatch) {
        if (this == EC2) {
            // EC2 does not tell a wrong secret from an unknown key.
            return new AwsException(ErrorCode.AUTH_FAILURE, EC2_UNKNOWN);
        }
        return StsError.SIGNATURE_DOES_NOT_MATCH.with(mismatch == SigV4.Mismatch.PAYLOAD_HASH
                ? "The provided 'x-amz-content-sha256' header does not match what was computed."
                : "The request signature we calculated does not match the signature you provided. Check your AWS "
                        + "Secret Access Key and signing method. Consult the service documentation for details.");
    }
}
