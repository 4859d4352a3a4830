package dev.underpass.model.ec2;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.ResourceId;
import java.util.Objects;

/**
 * A managed prefix list's id ({@code pl-0a1b2c3d4e5f67890}), customer-managed or AWS-managed, as a route's
 * destination, a security group rule's peer and the prefix-list rules name it ({@link ResourceId} says how it is
 * stored and read).
 */
public record PrefixListId(String value) implements ResourceId {
    /** The prefix of every such id. */
    public static final String PREFIX = "pl";

    public PrefixListId {
        Objects.requireNonNull(value, "value");
    }

    /** The id {@code value} names, or null for none (an absent request member, a stored null). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static PrefixListId of(String value) {
        return value == null ? null : new PrefixListId(value);
    }

    /** The ids {@code values} name, in order; none for null. */
    public static java.util.List<PrefixListId> all(java.util.List<String> values) {
        return values == null ? java.util.List.of() : values.stream().map(PrefixListId::new).toList();
    }

    /** The texts of {@code ids}, in order. */
    public static java.util.List<String> texts(java.util.List<PrefixListId> ids) {
        return ids.stream().map(PrefixListId::value).toList();
    }

    /** The text of {@code id}, or null for none (the API then leaves the member out). */
    public static String text(PrefixListId id) {
        return ResourceId.text(id);
    }

    /** The text, as the API and the store write it and messages quote it. */
    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
