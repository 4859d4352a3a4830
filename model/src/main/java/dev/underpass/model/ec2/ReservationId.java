package dev.underpass.model.ec2;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.ResourceId;
import java.util.Objects;

/**
 * A reservation's id ({@code r-0a1b2c3d4e5f67890}): the instances one RunInstances call launched share it, and
 * DescribeInstances groups them by it, so that no other id can be passed or compared where one is meant ({@link
 * ResourceId} says how it is stored and read).
 */
public record ReservationId(String value) implements ResourceId {
    /** The prefix of every such id. */
    public static final String PREFIX = "r";

    public ReservationId {
        Objects.requireNonNull(value, "value");
    }

    /** The id {@code value} names, or null for none (an absent request member, a stored null). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ReservationId of(String value) {
        return value == null ? null : new ReservationId(value);
    }

    /** The ids {@code values} name, in order; none for null. */
    public static java.util.List<ReservationId> all(java.util.List<String> values) {
        return values == null ? java.util.List.of() : values.stream().map(ReservationId::new).toList();
    }

    /** The texts of {@code ids}, in order. */
    public static java.util.List<String> texts(java.util.List<ReservationId> ids) {
        return ids.stream().map(ReservationId::value).toList();
    }

    /** The text of {@code id}, or null for none (the API then leaves the member out). */
    public static String text(ReservationId id) {
        return ResourceId.text(id);
    }

    /** The text, as the API and the store write it and messages quote it. */
    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
