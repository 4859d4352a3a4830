package dev.underpass.policy;

/**
 * The policy language version. Only 2012-10-17 has policy variables; a policy without {@code Version} behaves like
 * 2008-10-17 (its {@code ${...}} text is literal), which is what AWS does whatever its documentation says about the
 * default.
 */
public enum PolicyVersion {
    V2012_10_17("2012-10-17"),
    V2008_10_17("2008-10-17"),
    /** No {@code Version} element. */
    UNSPECIFIED("");

    private final String wireName;

    PolicyVersion(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public boolean supportsVariables() {
        return this == V2012_10_17;
    }

    static PolicyVersion fromWire(String text) {
        return switch (text) {
            case "2012-10-17" -> V2012_10_17;
            case "2008-10-17" -> V2008_10_17;
            default -> null;
        };
    }
}
