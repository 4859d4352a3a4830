package dev.underpass.model;

/**
 * A catalogue entry of AWS error codes: the wire code and the HTTP status AWS answers it with. The per-service
 * catalogues ({@link ErrorCode} for EC2 and the common codes, {@code ElbError} for ELBv2, …) are constant holders of
 * this one value type, so that none of them repeats how an entry is stored or turned into an exception.
 */
public record AwsError(String wire, int status) {
    public AwsException with(String message) {
        return new AwsException(wire, status, message);
    }

    /** This error with a {@code Reason} member (Organizations' {@code ConstraintViolationException}, …). */
    public AwsException because(String reason, String message) {
        return new AwsException(wire, status, message, reason);
    }

    public AwsException format(String template, Object... args) {
        return new AwsException(wire, status, String.format(template, args));
    }
}
