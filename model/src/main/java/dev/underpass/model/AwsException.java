package dev.underpass.model;

/**
 * A client-visible AWS error: the wire code (spelled exactly as AWS spells it), the HTTP status and a message.
 * Every protocol renderer turns this one type into its own envelope; nothing else is allowed to reach a client.
 */
public final class AwsException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;
    private final int status;
    /** The {@code Reason} member some JSON services add to an error (Organizations' ConstraintViolation), or null. */
    private final String reason;

    public AwsException(String code, int status, String message) {
        this(code, status, message, null);
    }

    public AwsException(String code, int status, String message, String reason) {
        super(message, null, false, false);
        this.code = code;
        this.status = status;
        this.reason = reason;
    }

    public AwsException(AwsError code, String message) {
        this(code.wire(), code.status(), message);
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    /** The error's {@code Reason} member, or null when it has none. */
    public String reason() {
        return reason;
    }
}
