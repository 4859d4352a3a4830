package dev.underpass.model.ec2;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.ResourceId;
import java.util.Objects;

/**
 * A network interface's id ({@code eni-0a1b2c3d4e5f67890}), as an instance names its primary interface, an interface
 * endpoint and a load balancer zone theirs, a NAT gateway its own, and an address or a route the interface it goes to,
 * so that no other id can be passed or compared where an interface's is meant ({@link ResourceId} says how it is
 * stored and read).
 */
public record NetworkInterfaceId(String value) implements ResourceId {
    /** The prefix of every network interface id. */
    public static final String PREFIX = "eni";

    public NetworkInterfaceId {
        Objects.requireNonNull(value, "value");
    }

    /** The id {@code value} names, or null for none (an absent request member, a stored null). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static NetworkInterfaceId of(String value) {
        return value == null ? null : new NetworkInterfaceId(value);
    }

    /** The ids {@code values} name, in order; none for null. */
    public static java.util.List<NetworkInterfaceId> all(java.util.List<String> values) {
        return values == null ? java.util.List.of() : values.stream().map(NetworkInterfaceId::new).toList();
    }

    /** The texts of {@code ids}, in order. */
    public static java.util.List<String> texts(java.util.List<NetworkInterfaceId> ids) {
        return ids.stream().map(NetworkInterfaceId::value).toList();
    }

    /** The text of {@code id}, or null for none (the API then leaves the member out). */
    public static String text(NetworkInterfaceId id) {
        return ResourceId.text(id);
    }

    /** The text, as the API and the store write it and messages quote it. */
    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
