package dev.underpass.model.ec2;

import java.util.Objects;

/**
 * The other side of a security-group rule: the sources an inbound rule admits, the destinations an outbound one
 * allows. Exactly one of an IPv4 block, an IPv6 block, a managed prefix list ({@link AddressSet}) or a security
 * group, parsed once when the rule is made or read from the store.
 */
public sealed interface RulePeer permits AddressSet.Ipv4, AddressSet.Ipv6, AddressSet.PrefixList, RulePeer.Group {

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

    /**
     * The interfaces in a security group ({@code sg-…}) of the account {@code userId} (the rule's own account, or
     * another one's group across a peering connection).
     */
    record Group(SecurityGroupId groupId, String userId) implements RulePeer {
        public Group {
            Objects.requireNonNull(groupId, "groupId");
        }

        @Override
        public String text() {
            return groupId.value();
        }
    }
}
