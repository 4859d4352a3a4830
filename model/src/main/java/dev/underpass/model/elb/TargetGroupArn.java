package dev.underpass.model.elb;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.ResourceId;
import java.util.Objects;

/**
 * A target group's ARN ({@code arn:aws:elasticloadbalancing:…:targetgroup/web/…}),
 * as a forward action, the health of a target and the rules that find the listeners and load balancers in front
 * of a group name it ({@link ResourceId} says how it is stored and read).
 */
public record TargetGroupArn(String value) implements ResourceId {
    public TargetGroupArn {
        Objects.requireNonNull(value, "value");
    }

    /** The id {@code value} names, or null for none (an absent request member, a stored null). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static TargetGroupArn of(String value) {
        return value == null ? null : new TargetGroupArn(value);
    }

    /** The ids {@code values} name, in order; none for null. */
    public static java.util.List<TargetGroupArn> all(java.util.List<String> values) {
        return values == null ? java.util.List.of() : values.stream().map(TargetGroupArn::new).toList();
    }

    /** The texts of {@code ids}, in order. */
    public static java.util.List<String> texts(java.util.List<TargetGroupArn> ids) {
        return ids.stream().map(TargetGroupArn::value).toList();
    }

    /** The text of {@code id}, or null for none (the API then leaves the member out). */
    public static String text(TargetGroupArn id) {
        return ResourceId.text(id);
    }

    /** The text, as the API and the store write it and messages quote it. */
    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
