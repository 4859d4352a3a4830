package dev.underpass.model.ec2;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.ResourceId;
import java.util.Objects;

/**
 * A VPC's id ({@code vpc-0a1b2c3d4e5f67890}), as the records that sit in a VPC refer to it, so that no other id can
 * be passed or compared where a VPC's is meant ({@link ResourceId} says how it is stored and read). Whether a
 * malformed one is {@code InvalidVpcID.Malformed} or {@code InvalidVpcID.NotFound} is the rule's to say.
 */
public record VpcId(String value) implements ResourceId {
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

    /** The text of {@code id}, or null for none (the API then leaves the member out). */
    public static String text(VpcId id) {
        return ResourceId.text(id);
    }

    /** The text, as the API and the store write it and messages quote it. */
    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
