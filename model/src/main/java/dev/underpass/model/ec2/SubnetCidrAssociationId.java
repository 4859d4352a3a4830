package dev.underpass.model.ec2;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.ResourceId;
import java.util.Objects;

/**
 * A subnet IPv6 CIDR block association's id ({@code subnet-cidr-assoc-0a1b2c3d4e5f67890}), as
 * DisassociateSubnetCidrBlock names it, so that no other id can be passed or compared where one is meant ({@link
 * ResourceId} says how it is stored and read).
 */
public record SubnetCidrAssociationId(String value) implements ResourceId {
    /** The prefix of every such id. */
    public static final String PREFIX = "subnet-cidr-assoc";

    public SubnetCidrAssociationId {
        Objects.requireNonNull(value, "value");
    }

    /** The id {@code value} names, or null for none (an absent request member, a stored null). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static SubnetCidrAssociationId of(String value) {
        return value == null ? null : new SubnetCidrAssociationId(value);
    }

    /** The ids {@code values} name, in order; none for null. */
    public static java.util.List<SubnetCidrAssociationId> all(java.util.List<String> values) {
        return values == null ? java.util.List.of() : values.stream().map(SubnetCidrAssociationId::new).toList();
    }

    /** The texts of {@code ids}, in order. */
    public static java.util.List<String> texts(java.util.List<SubnetCidrAssociationId> ids) {
        return ids.stream().map(SubnetCidrAssociationId::value).toList();
    }

    /** The text of {@code id}, or null for none (the API then leaves the member out). */
    public static String text(SubnetCidrAssociationId id) {
        return ResourceId.text(id);
    }

    /** The text, as the API and the store write it and messages quote it. */
    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
