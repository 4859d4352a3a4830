package dev.underpass.model.ec2;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.ResourceId;
import java.util.Objects;

/**
 * An instance's id ({@code i-0a1b2c3d4e5f67890}), as an interface's attachment, a route to an instance and an
 * instance's state change refer to the instance, so that no other id can be passed or compared where an instance's is
 * meant ({@link ResourceId} says how it is stored and read).
 */
public record InstanceId(String value) implements ResourceId {
    /** The prefix of every instance id. */
    public static final String PREFIX = "i";

    public InstanceId {
        Objects.requireNonNull(value, "value");
    }

    /** The id {@code value} names, or null for none (an absent request member, a stored null). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static InstanceId of(String value) {
        return value == null ? null : new InstanceId(value);
    }

    /** The ids {@code values} name, in order; none for null. */
    public static java.util.List<InstanceId> all(java.util.List<String> values) {
        return values == null ? java.util.List.of() : values.stream().map(InstanceId::new).toList();
    }

    /** The texts of {@code ids}, in order. */
    public static java.util.List<String> texts(java.util.List<InstanceId> ids) {
        return ids.stream().map(InstanceId::value).toList();
    }

    /** The text of {@code id}, or null for none (the API then leaves the member out). */
    public static String text(InstanceId id) {
        return ResourceId.text(id);
    }

    /** The text, as the API and the store write it and messages quote it. */
    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
