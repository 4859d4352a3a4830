package dev.underpass.model.ec2;

import dev.underpass.model.net.Cidr;
import java.util.Objects;

/**
 * The other side of a security-group rule: the sources an inbound rule admits, the destinations an outbound one
 * allows. Exactly one of an IPv4 block, an IPv6 block, a managed prefix list or a security group, parsed once when
 * the rule is made or read from the store.
 */
public sealed interface RulePeer {

    /** Every IPv4 address ({@code 0.0.0.0/0}), as a default group's outbound rule allows. */
    RulePeer ALL_IPV4 = new Ipv4(new Cidr(0, 0));

    /** Every IPv6 address ({@code ::/0}). */
    RulePeer ALL_IPV6 = new Ipv6("::/0");

    /** The peer as AWS quotes it: the block, the prefix list's id or the group's id. */
    String text();

    /**
     * Whether two peers make rules duplicates of each other: the same block or list, or the same group whatever
     * account it was named with.
     */
    default boolean sameAs(RulePeer other) {
        return this instanceof Group g && other instanceof Group o ? g.groupId().equals(o.groupId())
                : equals(other);
    }

    /** An IPv4 block, such as {@code 0.0.0.0/0}. */
    record Ipv4(Cidr cidr) implements RulePeer {
        public Ipv4 {
            Objects.requireNonNull(cidr, "cidr");
        }

        @Override
        public String text() {
            return cidr.toString();
        }
    }

    /** An IPv6 block in canonical form, such as {@code ::/0}. */
    record Ipv6(String block) implements RulePeer {
        public Ipv6 {
            Objects.requireNonNull(block, "block");
        }

        @Override
        public String text() {
            return block;
        }
    }

    /** A managed prefix list ({@code pl-…}): each of its entries. */
    record PrefixList(String id) implements RulePeer {
        public PrefixList {
            Objects.requireNonNull(id, "id");
        }

        @Override
        public String text() {
            return id;
        }
    }

    /**
     * The interfaces in a security group ({@code sg-…}) of the account {@code userId} (the rule's own account, or
     * another one's group across a peering connection).
     */
    record Group(String groupId, String userId) implements RulePeer {
        public Group {
            Objects.requireNonNull(groupId, "groupId");
        }

        @Override
        public String text() {
            return groupId;
        }
    }
}
