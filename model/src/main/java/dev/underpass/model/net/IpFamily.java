package dev.underpass.model.net;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.AwsNamed;

/**
 * An address family, by the names AWS gives it ({@code ipv4}, {@code ipv6}), in the order of the two API enums that
 * are these names: what an endpoint service offers its consumers (EC2's {@code SupportedIpAddressTypes}), and the
 * family of a target group's targets (ELB's {@code IpAddressType} of a target group).
 */
public enum IpFamily implements AwsNamed {
    IPV4,
    IPV6;

    /** AWS's name, as the API and the store write it and messages quote it. */
    @JsonValue
    @Override
    public String toString() {
        return Spelling.KEBAB.of(this);
    }
}
