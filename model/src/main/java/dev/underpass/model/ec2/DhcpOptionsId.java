package dev.underpass.model.ec2;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.ResourceId;
import java.util.Objects;

/**
 * A DHCP options set's id ({@code dopt-0a1b2c3d4e5f67890}), or {@code default} for none, as a VPC holds the set it
 * uses and the associate and delete rules name it ({@link ResourceId} says how it is stored and read).
 */
public record DhcpOptionsId(String value) implements ResourceId {
    /** The prefix of every such id. */
    public static final String PREFIX = "dopt";

    public DhcpOptionsId {
        Objects.requireNonNull(value, "value");
    }

    /** The id {@code value} names, or null for none (an absent request member, a stored null). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static DhcpOptionsId of(String value) {
        return value == null ? null : new DhcpOptionsId(value);
    }

    /** The ids {@code values} name, in order; none for null. */
    public static java.util.List<DhcpOptionsId> all(java.util.List<String> values) {
        return values == null ? java.util.List.of() : values.stream().map(DhcpOptionsId::new).toList();
    }

    /** The texts of {@code ids}, in order. */
    public static java.util.List<String> texts(java.util.List<DhcpOptionsId> ids) {
        return ids.stream().map(DhcpOptionsId::value).toList();
    }

    /** The text of {@code id}, or null for none (the API then leaves the member out). */
    public static String text(DhcpOptionsId id) {
        return ResourceId.text(id);
    }

    /** The text, as the API and the store write it and messages quote it. */
    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
