package dev.underpass.model.ec2;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.ResourceId;
import java.util.Objects;

/**
 * A VPC CIDR block association's id ({@code vpc-cidr-assoc-0a1b2c3d4e5f67890}), IPv4 or IPv6, as
 * DisassociateVpcCidrBlock names it, so that no other id can be passed or compared where one is meant ({@link
 * ResourceId} says how it is stored and read).
 */
public record VpcCidrAssociationId(String value) implements ResourceId {
    /** The prefix of every such id. */
    public static final String PREFIX = "vpc-cidr-assoc";

    public VpcCidrAssociationId {
        Objects.requireNonNull(value, "value");
    }

    /** The id {@code value} names, or null for none (an absent request member, a stored null). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static VpcCidrAssociationId of(String value) {
        return value == null ? null : new VpcCidrAssociationId(value);
    }

    /** The ids {@code values} name, in order; none for null. */
    public static java.util.List<VpcCidrAssociationId> all(java.util.List<String> values) {
        return values == null ? java.util.List.of() : values.stream().map(VpcCidrAssociationId::new).toList();
    }

    /** The texts of {@code ids}, in order. */
    public static java.util.List<String> texts(java.util.List<VpcCidrAssociationId> ids) {
        return ids.stream().map(VpcCidrAssociationId::value).toList();
    }

    /** The text of {@code id}, or null for none (the API then leaves the member out). */
    public static String text(VpcCidrAssociationId id) {
        return ResourceId.text(id);
    }

    /** The text, as the API and the store write it and messages quote it. */
    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
