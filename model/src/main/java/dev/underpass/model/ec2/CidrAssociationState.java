package dev.underpass.model.ec2;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.AwsNamed;

/**
 * The state of a CIDR block's association with a VPC or a subnet, by AWS's names ({@code associated},
 * {@code disassociating}, …). Only {@link #ASSOCIATED} blocks route and hold addresses.
 */
public enum CidrAssociationState implements AwsNamed {
    ASSOCIATING,
    ASSOCIATED,
    DISASSOCIATING,
    DISASSOCIATED,
    FAILING,
    FAILED;

    /** AWS's name, as the API and the store write it and messages quote it. */
    @JsonValue
    @Override
    public String toString() {
        return Spelling.KEBAB.of(this);
    }
}
