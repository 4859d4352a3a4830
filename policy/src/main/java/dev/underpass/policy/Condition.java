package dev.underpass.policy;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One operator-key pair of a {@code Condition} block with its values, e.g. {@code "StringEquals":
 * {"aws:SourceVpce": ["vpce-1", "vpce-2"]}}. All conditions of a statement must hold (AND); any one value of a
 * condition may match (OR), and for a negated operator the request value must differ from every value.
 *
 * <p>Missing keys, empty sets and the set qualifiers follow AWS's rules:
 * <ul>
 *   <li>without a qualifier, a missing key makes a positive operator false and a negated one true, and
 *       {@code IfExists} makes any operator true;</li>
 *   <li>{@code ForAllValues} is true when the key is missing or its set empty (or the empty string);
 *       {@code ForAnyValue} is false then, unless {@code IfExists} and the key is missing;</li>
 *   <li>{@code Null} tests presence: {@code "true"} matches a missing key (or an empty set); with
 *       {@code ForAllValues} it is always true and with {@code ForAnyValue} always false.</li>
 * </ul>
 * A key given as a list without a qualifier is treated as {@code ForAnyValue} for positive operators and as its
 * negation for negated ones (AWS reports such policies as errors; the behaviour is our choice).
 */
public record Condition(ConditionOperator operator, ConditionKey key, List<ConditionValue> values) {
    public Condition {
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(key, "key");
        values = List.copyOf(values);
    }

    /** Whether the condition holds for the request. Allocates nothing unless a value uses a policy variable. */
    public boolean evaluate(RequestContext context) {
        RequestContext.Entry entry = context.get(key.lookup());
        Operator base = operator.base();
        SetQualifier qualifier = operator.qualifier();
        if (base == Operator.NULL) {
            return switch (qualifier) {
                case FOR_ALL_VALUES -> true;
                case FOR_ANY_VALUE -> false;
                case NONE -> nullMatches(entry == null || entry.values().isEmpty());
            };
        }
        if (entry == null) {
            return switch (qualifier) {
                case FOR_ALL_VALUES -> true;
                case FOR_ANY_VALUE -> operator.ifExists();
                case NONE -> operator.ifExists() || base.negated();
            };
        }
        List<String> requestValues = entry.values();
        boolean negated = base.negated();
        switch (qualifier) {
            case NONE -> {
                for (int i = 0; i < requestValues.size(); i++) {
                    if (matchesAny(requestValues.get(i), context)) {
                        return !negated;
                    }
                }
                return negated;
            }
            case FOR_ALL_VALUES -> {
                if (isEmptySet(requestValues)) {
                    return true;
                }
                for (int i = 0; i < requestValues.size(); i++) {
                    if (matchesAny(requestValues.get(i), context) == negated) {
                        return false;
                    }
                }
                return true;
            }
            case FOR_ANY_VALUE -> {
                if (isEmptySet(requestValues)) {
                    return false;
                }
                for (int i = 0; i < requestValues.size(); i++) {
                    if (matchesAny(requestValues.get(i), context) != negated) {
                        return true;
                    }
                }
                return false;
            }
        }
        throw new AssertionError(qualifier);
    }

    private static boolean isEmptySet(List<String> values) {
        return values.isEmpty() || values.size() == 1 && values.getFirst().isEmpty();
    }

    private boolean nullMatches(boolean absent) {
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) instanceof ConditionValue.Flag f && f.value() != null && f.value() == absent) {
                return true;
            }
        }
        return false;
    }

    /** Whether one request value matches at least one policy value under the positive form of the operator. */
    private boolean matchesAny(String requestValue, RequestContext context) {
        Operator base = operator.base();
        switch (base.kind()) {
            case STRING -> {
                for (int i = 0; i < values.size(); i++) {
                    if (((ConditionValue.Text) values.get(i)).template().matches(requestValue, context)) {
                        return true;
                    }
                }
                return false;
            }
            case ARN -> {
                for (int i = 0; i < values.size(); i++) {
                    ConditionValue.ArnValue v = (ConditionValue.ArnValue) values.get(i);
                    ArnPattern p = v.compiled();
                    if (p == null) {
                        int[] tokens = v.template().resolveTokens(context);
                        p = tokens == null ? null : ArnPattern.compile(tokens);
                    }
                    if (p != null && p.matches(requestValue)) {
                        return true;
                    }
                }
                return false;
            }
            case NUMERIC -> {
                BigDecimal r = Values.number(requestValue);
                if (r == null) {
                    return false;
                }
                for (int i = 0; i < values.size(); i++) {
                    BigDecimal v = ((ConditionValue.Number) values.get(i)).value();
                    if (v != null && compares(base, r.compareTo(v))) {
                        return true;
                    }
                }
                return false;
            }
            case DATE -> {
                Instant r = Values.date(requestValue);
                if (r == null) {
                    return false;
                }
                for (int i = 0; i < values.size(); i++) {
                    Instant v = ((ConditionValue.Date) values.get(i)).value();
                    if (v != null && compares(base, r.compareTo(v))) {
                        return true;
                    }
                }
                return false;
            }
            case BOOLEAN -> {
                Boolean r = Values.bool(requestValue);
                if (r == null) {
                    return false;
                }
                for (int i = 0; i < values.size(); i++) {
                    if (r.equals(((ConditionValue.Flag) values.get(i)).value())) {
                        return true;
                    }
                }
                return false;
            }
            case BINARY -> {
                ByteBuffer r = Values.binary(requestValue);
                if (r == null) {
                    return false;
                }
                for (int i = 0; i < values.size(); i++) {
                    if (r.equals(((ConditionValue.Binary) values.get(i)).value())) {
                        return true;
                    }
                }
                return false;
            }
            case IP -> {
                for (int i = 0; i < values.size(); i++) {
                    IpRange range = ((ConditionValue.Cidr) values.get(i)).range();
                    if (range != null && range.contains(requestValue)) {
                        return true;
                    }
                }
                return false;
            }
            case NULL -> throw new AssertionError("Null is handled before value matching");
        }
        throw new AssertionError(base);
    }

    /** Interprets {@code cmp} (request compared with policy value) for an ordered operator's positive form. */
    private static boolean compares(Operator op, int cmp) {
        return switch (op) {
            case NUMERIC_EQUALS, NUMERIC_NOT_EQUALS, DATE_EQUALS, DATE_NOT_EQUALS -> cmp == 0;
            case NUMERIC_LESS_THAN, DATE_LESS_THAN -> cmp < 0;
            case NUMERIC_LESS_THAN_EQUALS, DATE_LESS_THAN_EQUALS -> cmp <= 0;
            case NUMERIC_GREATER_THAN, DATE_GREATER_THAN -> cmp > 0;
            case NUMERIC_GREATER_THAN_EQUALS, DATE_GREATER_THAN_EQUALS -> cmp >= 0;
            default -> throw new AssertionError(op);
        };
    }
}
