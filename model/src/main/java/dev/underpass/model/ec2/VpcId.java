package dev.underpass.model.ec2;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.Ids;
import dev.underpass.model.ResourceId;
import java.util.Objects;

/**
 * A VPC's id ({@code vpc-0a1b2c3d4e5f67890}), as the records that sit in a VPC refer to it: its own type, so that a
 * subnet's or a group's id cannot be passed where a VPC's is meant, nor compared with one (Error Prone's
 * {@code EqualsIncompatibleType} and {@code CollectionIncompatibleType} refuse that at compile time).
 *
 * <p>It holds the text a request named, well formed or not: whether that is an error, and which ({@code
 * InvalidVpcID.Malformed} or {@code InvalidVpcID.NotFound}), is the rule's to say, as AWS answers differently from one
 * call to another. The store and the API write it as that text, and so does {@link #toString()}, so messages quote it
 * as before.
 */
public record VpcId(String value) implements ResourceId, Comparable<VpcId> {
    /** The prefix of every VPC id. */
    public static final String PREFIX = "vpc";

    public VpcId {
        Objects.requireNonNull(value, "value");
    }

    /** The id {@code value} names, or null for none (an absent request member, a stored null). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static VpcId of(String value) {
        return value == null ? null : new VpcId(value);
    }

    /** A new id, from the current transaction's id source. */
    public static VpcId next() {
        return new VpcId(Ids.next(PREFIX));
    }

    /** The text of {@code id}, or null for none (the API then leaves the member out). */
    public static String text(VpcId id) {
        return id == null ? null : id.value;
    }

    /** Whether the request named it empty ({@code VpcId=}): for most calls, as if it were missing. */
    public boolean isEmpty() {
        return value.isEmpty();
    }

    /** Whether the text has AWS's form: {@code vpc-} and 8 or 17 lowercase hex digits. */
    public boolean wellFormed() {
        return Ids.wellFormed(PREFIX, value);
    }

    @Override
    public int compareTo(VpcId o) {
        return value.compareTo(o.value);
    }

    /** The text, as the API and the store write it and messages quote it. */
    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
