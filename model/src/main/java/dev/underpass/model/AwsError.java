package dev.underpass.model;

/**
 * A catalogue entry of AWS error codes: the wire code and the HTTP status AWS answers it with. Implemented by the
 * per-service catalogues ({@link ErrorCode} for EC2 and the common codes, {@code ElbError} for ELBv2).
 */
public interface AwsError {
    String wire();

    int status();

    default AwsException with(String message) {
        return new AwsException(wire(), status(), message);
    }

    /** This error with a {@code Reason} member (Organizations' {@code ConstraintViolationException}, …). */
    default AwsException because(String reason, String message) {
        return new AwsException(wire(), status(), message, reason);
    }

    default AwsException format(String template, Object... args) {
        return new AwsException(wire(), status(), String.format(template, args));
    }
}
