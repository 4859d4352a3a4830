package dev.underpass.model.ec2;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.Ids;
import dev.underpass.model.ResourceId;
import java.util.Objects;

/**
 * A subnet's id ({@code subnet-0a1b2c3d4e5f67890}), as the records placed in a subnet refer to it: its own type, so that a
 * VPC's or an interface's id cannot be passed where a subnet's is meant, nor compared with one (Error Prone's
 * {@code EqualsIncompatibleType} and {@code CollectionIncompatibleType} refuse that at compile time).
 *
 * <p>It holds the text a request named, well formed or not: whether that is an error, and which ({@code
 * InvalidSubnetID.Malformed} or {@code InvalidSubnetID.NotFound}), is the rule's to say, as AWS answers differently from one
 * call to another. The store and the API write it as that text, and so does {@link #toString()}, so messages quote it
 * as before.
 */
public record SubnetId(String value) implements ResourceId, Comparable<SubnetId> {
    /** The prefix of every subnet id. */
    public static final String PREFIX = "subnet";

    public SubnetId {
        Objects.requireNonNull(value, "value");
    }

    /** The id {@code value} names, or null for none (an absent request member, a stored null). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static SubnetId of(String value) {
        return value == null ? null : new SubnetId(value);
    }

    /** The ids {@code values} name, in order; none for null. */
    public static java.util.List<SubnetId> all(java.util.List<String> values) {
        return values == null ? java.util.List.of() : values.stream().map(SubnetId::new).toList();
    }

    /** The texts of {@code ids}, in order. */
    public static java.util.List<String> texts(java.util.List<SubnetId> ids) {
        return ids.stream().map(SubnetId::value).toList();
    }

    /** A new id, from the current transaction's id source. */
    public static SubnetId next() {
        return new SubnetId(Ids.next(PREFIX));
    }

    /** The text of {@code id}, or null for none (the API then leaves the member out). */
    public static String text(SubnetId id) {
        return id == null ? null : id.value;
    }

    /** Whether the request named it empty ({@code SubnetId=}): for most calls, as if it were missing. */
    public boolean isEmpty() {
        return value.isEmpty();
    }

    /** Whether the text has AWS's form: {@code subnet-} and 8 or 17 lowercase hex digits. */
    public boolean wellFormed() {
        return Ids.wellFormed(PREFIX, value);
    }

    @Override
    public int compareTo(SubnetId o) {
        return value.compareTo(o.value);
    }

    /** The text, as the API and the store write it and messages quote it. */
    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
