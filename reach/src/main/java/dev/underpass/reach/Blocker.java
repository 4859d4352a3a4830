package dev.underpass.reach;

/**
 * One reason the path is blocked. {@code code} is AWS's {@code ExplanationCode} where AWS has one (see
 * docs/trace.md for the list underpass produces); {@code direction} is {@code egress} or {@code ingress} for rules
 * (null otherwise); {@code path} is {@code forward} or {@code return}. {@code message} is one sentence naming the
 * resource, {@code fix} one sentence saying what change would clear it.
 */
public record Blocker(String code, String component, String direction, String path, String message, String fix) {
    /** The identity two analyses are compared by: what blocks where, not how it is worded. */
    public String key() {
        return code + " " + component + " " + direction + " " + path;
    }
}
