package dev.underpass.model.ec2;

import dev.underpass.model.net.Cidr;
import dev.underpass.model.net.Ipv6Cidrs;

/**
 * The CIDR blocks of security-group rules and network-ACL entries, IPv4 or IPv6, in the canonical text AWS stores
 * and compares them in. A block with host bits set ({@code 10.0.0.1/16}) is malformed: AWS refuses it rather than
 * rounding, and comparing canonical text is then the same as comparing blocks, which makes duplicate detection exact.
 */
final class RuleCidrs {
    private RuleCidrs() {}

    /** The IPv4 block {@code text} names, or null when it is not one. */
    static Cidr ipv4(String text) {
        try {
            return Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The canonical form of an IPv6 block, or null when {@code text} is not one (host bits set included). */
    static String ipv6(String text) {
        return Ipv6Cidrs.canonical(text, false);
    }
}
