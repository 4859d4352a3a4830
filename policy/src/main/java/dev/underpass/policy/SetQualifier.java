package dev.underpass.policy;

/** The set prefixes of a condition operator, for multivalued keys. */
public enum SetQualifier {
    /** No prefix. */
    NONE(""),
    /** True when every request value matches; true when the key is missing or its set is empty. */
    FOR_ALL_VALUES("ForAllValues"),
    /** True when at least one request value matches; false when the key is missing or its set is empty. */
    FOR_ANY_VALUE("ForAnyValue");

    private final String wireName;

    SetQualifier(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
