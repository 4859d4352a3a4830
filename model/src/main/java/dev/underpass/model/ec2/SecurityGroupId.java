package dev.underpass.model.ec2;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.ResourceId;
import java.util.Objects;

/**
 * A security group's id ({@code sg-0a1b2c3d4e5f67890}), as interfaces, instances, interface endpoints, load balancers
 * and other groups' rules refer to the group, so that no other id can be passed or compared where a group's is meant
 * ({@link ResourceId} says how it is stored and read).
 */
public record SecurityGroupId(String value) implements ResourceId {
    /** The prefix of every security group id. */
    public static final String PREFIX = "sg";

    public SecurityGroupId {
        Objects.requireNonNull(value, "value");
    }

    /** The id {@code value} names, or null for none (an absent request member, a stored null). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static SecurityGroupId of(String value) {
        return value == null ? null : new SecurityGroupId(value);
    }

    /** The ids {@code values} name, in order; none for null. */
    public static java.util.List<SecurityGroupId> all(java.util.List<String> values) {
        return values == null ? java.util.List.of() : values.stream().map(SecurityGroupId::new).toList();
    }

    /** The texts of {@code ids}, in order. */
    public static java.util.List<String> texts(java.util.List<SecurityGroupId> ids) {
        return ids.stream().map(SecurityGroupId::value).toList();
    }

    /** The text of {@code id}, or null for none (the API then leaves the member out). */
    public static String text(SecurityGroupId id) {
        return ResourceId.text(id);
    }

    /** The text, as the API and the store write it and messages quote it. */
    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
