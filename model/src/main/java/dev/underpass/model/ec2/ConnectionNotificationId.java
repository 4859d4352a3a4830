package dev.underpass.model.ec2;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.ResourceId;
import java.util.Objects;

/**
 * A connection notification's id ({@code vpce-nfn-0a1b2c3d4e5f67890}), as a connection event names the notification
 * it was written for and the modify, delete and describe rules name it ({@link ResourceId} says how it is stored and
 * read).
 */
public record ConnectionNotificationId(String value) implements ResourceId {
    /** The prefix of every such id. */
    public static final String PREFIX = "vpce-nfn";

    public ConnectionNotificationId {
        Objects.requireNonNull(value, "value");
    }

    /** The id {@code value} names, or null for none (an absent request member, a stored null). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ConnectionNotificationId of(String value) {
        return value == null ? null : new ConnectionNotificationId(value);
    }

    /** The ids {@code values} name, in order; none for null. */
    public static java.util.List<ConnectionNotificationId> all(java.util.List<String> values) {
        return values == null ? java.util.List.of() : values.stream().map(ConnectionNotificationId::new).toList();
    }

    /** The texts of {@code ids}, in order. */
    public static java.util.List<String> texts(java.util.List<ConnectionNotificationId> ids) {
        return ids.stream().map(ConnectionNotificationId::value).toList();
    }

    /** The text of {@code id}, or null for none (the API then leaves the member out). */
    public static String text(ConnectionNotificationId id) {
        return ResourceId.text(id);
    }

    /** The text, as the API and the store write it and messages quote it. */
    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
