package dev.underpass.policy;

/**
 * A policy document that is not valid policy grammar. The message names the place in plain words, e.g.
 * {@code Statement[1].Effect: "allow" is not an effect; write "Allow" or "Deny"}.
 */
public final class PolicyParseException extends Exception {
    private final String issueCode;
    private final String path;
    private final String detail;

    public PolicyParseException(String issueCode, String path, String detail) {
        super(path.isEmpty() ? detail : path + ": " + detail);
        this.issueCode = issueCode;
        this.path = path;
        this.detail = detail;
    }

    /** The Access Analyzer style issue code, e.g. {@code INVALID_EFFECT}. */
    public String issueCode() {
        return issueCode;
    }

    /** Where in the document, e.g. {@code Statement[1].Effect}; empty for the whole document. */
    public String path() {
        return path;
    }

    /** The message without the path. */
    public String detail() {
        return detail;
    }
}
