package dev.underpass.model.ec2;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.ResourceId;
import java.util.Objects;

/**
 * A VPC endpoint's id ({@code vpce-0a1b2c3d4e5f67890}), gateway or interface, as a route to a gateway endpoint,
 * a connection notification, a connection event and the rules that accept, reject, modify and delete endpoints
 * name it ({@link ResourceId} says how it is stored and read). An endpoint service's id ({@code vpce-svc-…}) is not
 * one.
 */
public record VpcEndpointId(String value) implements ResourceId {
    /** The prefix of every such id. */
    public static final String PREFIX = "vpce";

    public VpcEndpointId {
        Objects.requireNonNull(value, "value");
    }

    /** The id {@code value} names, or null for none (an absent request member, a stored null). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static VpcEndpointId of(String value) {
        return value == null ? null : new VpcEndpointId(value);
    }

    /** The ids {@code values} name, in order; none for null. */
    public static java.util.List<VpcEndpointId> all(java.util.List<String> values) {
        return values == null ? java.util.List.of() : values.stream().map(VpcEndpointId::new).toList();
    }

    /** The texts of {@code ids}, in order. */
    public static java.util.List<String> texts(java.util.List<VpcEndpointId> ids) {
        return ids.stream().map(VpcEndpointId::value).toList();
    }

    /** The text of {@code id}, or null for none (the API then leaves the member out). */
    public static String text(VpcEndpointId id) {
        return ResourceId.text(id);
    }

    /** The text, as the API and the store write it and messages quote it. */
    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
