package dev.underpass.model.ec2;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.ResourceId;
import java.util.Objects;

/**
 * An Elastic IP address's allocation id ({@code eipalloc-0a1b2c3d4e5f67890}), as a public NAT gateway holds its
 * address and the associate and release rules name it ({@link ResourceId} says how it is stored and read).
 */
public record AllocationId(String value) implements ResourceId {
    /** The prefix of every such id. */
    public static final String PREFIX = "eipalloc";

    public AllocationId {
        Objects.requireNonNull(value, "value");
    }

    /** The id {@code value} names, or null for none (an absent request member, a stored null). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static AllocationId of(String value) {
        return value == null ? null : new AllocationId(value);
    }

    /** The ids {@code values} name, in order; none for null. */
    public static java.util.List<AllocationId> all(java.util.List<String> values) {
        return values == null ? java.util.List.of() : values.stream().map(AllocationId::new).toList();
    }

    /** The texts of {@code ids}, in order. */
    public static java.util.List<String> texts(java.util.List<AllocationId> ids) {
        return ids.stream().map(AllocationId::value).toList();
    }

    /** The text of {@code id}, or null for none (the API then leaves the member out). */
    public static String text(AllocationId id) {
        return ResourceId.text(id);
    }

    /** The text, as the API and the store write it and messages quote it. */
    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
