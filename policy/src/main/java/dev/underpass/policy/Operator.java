package dev.underpass.policy;

/**
 * The 27 base condition operators of the IAM policy language, before any {@code IfExists} suffix or set qualifier.
 * Wire names are spelled out rather than derived from the constant names.
 */
public enum Operator {
    STRING_EQUALS("StringEquals", Kind.STRING, false),
    STRING_NOT_EQUALS("StringNotEquals", Kind.STRING, true),
    STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", Kind.STRING, false),
    STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", Kind.STRING, true),
    STRING_LIKE("StringLike", Kind.STRING, false),
    STRING_NOT_LIKE("StringNotLike", Kind.STRING, true),
    NUMERIC_EQUALS("NumericEquals", Kind.NUMERIC, false),
    NUMERIC_NOT_EQUALS("NumericNotEquals", Kind.NUMERIC, true),
    NUMERIC_LESS_THAN("NumericLessThan", Kind.NUMERIC, false),
    NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", Kind.NUMERIC, false),
    NUMERIC_GREATER_THAN("NumericGreaterThan", Kind.NUMERIC, false),
    NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", Kind.NUMERIC, false),
    DATE_EQUALS("DateEquals", Kind.DATE, false),
    DATE_NOT_EQUALS("DateNotEquals", Kind.DATE, true),
    DATE_LESS_THAN("DateLessThan", Kind.DATE, false),
    DATE_LESS_THAN_EQUALS("DateLessThanEquals", Kind.DATE, false),
    DATE_GREATER_THAN("DateGreaterThan", Kind.DATE, false),
    DATE_GREATER_THAN_EQUALS("DateGreaterThanEquals", Kind.DATE, false),
    BOOL("Bool", Kind.BOOLEAN, false),
    BINARY_EQUALS("BinaryEquals", Kind.BINARY, false),
    IP_ADDRESS("IpAddress", Kind.IP, false),
    NOT_IP_ADDRESS("NotIpAddress", Kind.IP, true),
    ARN_EQUALS("ArnEquals", Kind.ARN, false),
    ARN_LIKE("ArnLike", Kind.ARN, false),
    ARN_NOT_EQUALS("ArnNotEquals", Kind.ARN, true),
    ARN_NOT_LIKE("ArnNotLike", Kind.ARN, true),
    NULL("Null", Kind.NULL, false);

    /** The type of value an operator compares. */
    public enum Kind {
        STRING, NUMERIC, DATE, BOOLEAN, BINARY, IP, ARN, NULL
    }

    private final String wireName;
    private final Kind kind;
    private final boolean negated;

    Operator(String wireName, Kind kind, boolean negated) {
        this.wireName = wireName;
        this.kind = kind;
        this.negated = negated;
    }

    public String wireName() {
        return wireName;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * Whether the operator is the negation of a positive one: it is true when the request value differs from every
     * policy value, and true when the key is missing.
     */
    public boolean negated() {
        return negated;
    }

    /**
     * Whether policy variables are substituted in its values: string and ARN operators only. {@code Bool} is listed
     * both ways in AWS's pages; we follow the variables page and leave it literal.
     */
    public boolean takesVariables() {
        return kind == Kind.STRING || kind == Kind.ARN;
    }

    /** Whether {@code *} and {@code ?} in its values are wildcards. */
    public boolean takesWildcards() {
        return this == STRING_LIKE || this == STRING_NOT_LIKE || kind == Kind.ARN;
    }

    static Operator fromWire(String text) {
        for (Operator o : values()) {
            if (o.wireName.equals(text)) {
                return o;
            }
        }
        return null;
    }
}
