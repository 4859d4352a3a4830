package dev.underpass.model.ec2;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.ResourceId;
import java.util.Objects;

/**
 * An endpoint service's id ({@code vpce-svc-0a1b2c3d4e5f67890}), a customer's (PrivateLink) or one of AWS's, as an
 * endpoint holds the service it connects to, a connection notification or event the service it concerns, and the
 * provider's rules name the service they change ({@link ResourceId} says how it is stored and read).
 */
public record EndpointServiceId(String value) implements ResourceId {
    /** The prefix of every such id. */
    public static final String PREFIX = "vpce-svc";

    public EndpointServiceId {
        Objects.requireNonNull(value, "value");
    }

    /** The id {@code value} names, or null for none (an absent request member, a stored null). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static EndpointServiceId of(String value) {
        return value == null ? null : new EndpointServiceId(value);
    }

    /** The ids {@code values} name, in order; none for null. */
    public static java.util.List<EndpointServiceId> all(java.util.List<String> values) {
        return values == null ? java.util.List.of() : values.stream().map(EndpointServiceId::new).toList();
    }

    /** The texts of {@code ids}, in order. */
    public static java.util.List<String> texts(java.util.List<EndpointServiceId> ids) {
        return ids.stream().map(EndpointServiceId::value).toList();
    }

    /** The text of {@code id}, or null for none (the API then leaves the member out). */
    public static String text(EndpointServiceId id) {
        return ResourceId.text(id);
    }

    /** The text, as the API and the store write it and messages quote it. */
    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
