package dev.underpass.policy;

import java.util.Objects;

/**
 * A condition operator as written: a base {@link Operator}, an optional set qualifier ({@code ForAllValues:},
 * {@code ForAnyValue:}) and an optional {@code IfExists} suffix.
 */
public record ConditionOperator(SetQualifier qualifier, Operator base, boolean ifExists) {
    public ConditionOperator {
        Objects.requireNonNull(qualifier, "qualifier");
        Objects.requireNonNull(base, "base");
    }

    /** Parses an operator name such as {@code ForAnyValue:StringLikeIfExists}, or returns null. */
    public static ConditionOperator parse(String text) {
        SetQualifier qualifier = SetQualifier.NONE;
        String rest = text;
        int colon = text.indexOf(':');
        if (colon >= 0) {
            String prefix = text.substring(0, colon);
            if (prefix.equals(SetQualifier.FOR_ALL_VALUES.wireName())) {
                qualifier = SetQualifier.FOR_ALL_VALUES;
            } else if (prefix.equals(SetQualifier.FOR_ANY_VALUE.wireName())) {
                qualifier = SetQualifier.FOR_ANY_VALUE;
            } else {
                return null;
            }
            rest = text.substring(colon + 1);
        }
        boolean ifExists = false;
        Operator base = Operator.fromWire(rest);
        if (base == null && rest.endsWith("IfExists")) {
            base = Operator.fromWire(rest.substring(0, rest.length() - "IfExists".length()));
            ifExists = true;
        }
        return base == null ? null : new ConditionOperator(qualifier, base, ifExists);
    }

    public String wireName() {
        String name = base.wireName() + (ifExists ? "IfExists" : "");
        return qualifier == SetQualifier.NONE ? name : qualifier.wireName() + ":" + name;
    }

    @Override
    public String toString() {
        return wireName();
    }
}
