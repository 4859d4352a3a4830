package dev.underpass.model.ec2;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.ResourceId;
import java.util.Objects;

/**
 * A NAT gateway's id ({@code nat-0a1b2c3d4e5f67890}), as a route to the gateway names it, so that no other id can be
 * passed or compared where a NAT gateway's is meant ({@link ResourceId} says how it is stored and read).
 */
public record NatGatewayId(String value) implements ResourceId {
    /** The prefix of every NAT gateway id. */
    public static final String PREFIX = "nat";

    public NatGatewayId {
        Objects.requireNonNull(value, "value");
    }

    /** The id {@code value} names, or null for none (an absent request member, a stored null). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static NatGatewayId of(String value) {
        return value == null ? null : new NatGatewayId(value);
    }

    /** The ids {@code values} name, in order; none for null. */
    public static java.util.List<NatGatewayId> all(java.util.List<String> values) {
        return values == null ? java.util.List.of() : values.stream().map(NatGatewayId::new).toList();
    }

    /** The texts of {@code ids}, in order. */
    public static java.util.List<String> texts(java.util.List<NatGatewayId> ids) {
        return ids.stream().map(NatGatewayId::value).toList();
    }

    /** The text of {@code id}, or null for none (the API then leaves the member out). */
    public static String text(NatGatewayId id) {
        return ResourceId.text(id);
    }

    /** The text, as the API and the store write it and messages quote it. */
    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
