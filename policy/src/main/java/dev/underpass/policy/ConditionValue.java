package dev.underpass.policy;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * One value of a condition, as written and as compiled for its operator's type. A value that does not parse as its
 * type (a date that is not a date) is kept with a null compiled form: the policy is still valid, as in AWS, and the
 * value matches nothing; the validator reports it.
 */
public sealed interface ConditionValue {

    /** The value as written in the policy (numbers and booleans as their JSON text). */
    String text();

    /** For string operators: compiled with wildcards for the Like operators and case folding for IgnoreCase. */
    record Text(String text, Template template) implements ConditionValue {}

    /** For ARN operators: compiled part by part unless it contains policy variables. */
    record ArnValue(String text, Template template, ArnPattern compiled) implements ConditionValue {}

    record Number(String text, BigDecimal value) implements ConditionValue {}

    record Date(String text, Instant value) implements ConditionValue {}

    record Cidr(String text, IpRange range) implements ConditionValue {}

    record Binary(String text, ByteBuffer value) implements ConditionValue {}

    /** For {@code Bool} and {@code Null}. */
    record Flag(String text, Boolean value) implements ConditionValue {}

    /** Compiles {@code text} for {@code operator}. */
    static ConditionValue compile(Operator operator, String text, boolean variables) {
        return switch (operator.kind()) {
            case STRING -> new Text(text, Template.compile(text, variables, operator.takesWildcards(),
                    operator == Operator.STRING_EQUALS_IGNORE_CASE
                            || operator == Operator.STRING_NOT_EQUALS_IGNORE_CASE));
            case ARN -> {
                Template t = Template.compile(text, variables, true, false);
                yield new ArnValue(text, t, t.hasVariables() ? null : ArnPattern.compile(t.resolveTokens(null)));
            }
            case NUMERIC -> new Number(text, Values.number(text));
            case DATE -> new Date(text, Values.date(text));
            case IP -> new Cidr(text, IpRange.parse(text));
            case BINARY -> new Binary(text, Values.binary(text));
            case BOOLEAN, NULL -> new Flag(text, Values.bool(text));
        };
    }
}
