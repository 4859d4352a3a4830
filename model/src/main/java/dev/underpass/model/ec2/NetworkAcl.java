package dev.underpass.model.ec2;

import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.net.Cidr;
import dev.underpass.model.net.IpProtocol;
import java.util.Objects;
import java.util.List;
import java.util.Map;

/** A network ACL: numbered allow/deny entries in each direction, and the subnets associated with it. */
public record NetworkAcl(
        String id,
        String ownerId,
        String region,
        VpcId vpcId,
        boolean isDefault,
        List<Entry> entries,
        List<Association> associations,
        Map<String, String> tags)
        implements Resource {

    /**
     * One entry: it {@code allow}s or denies the packets of its {@code block} (an IPv4 or an IPv6 block). Rule number
     * 32767 is the catch-all deny AWS adds in each direction; it cannot be changed. {@code protocol} is stored by
     * AWS's entry spelling, a number ({@code 6}) or {@code -1} for all. Stored in AWS's flat shape ({@link EntryFields}).
     */
    public record Entry(
            int ruleNumber,
            boolean egress,
            IpProtocol protocol,
            boolean allow,
            AddressSet block,
            Integer icmpType,
            Integer icmpCode,
            Integer portFrom,
            Integer portTo) {

        public Entry {
            Objects.requireNonNull(protocol, "protocol");
            if (!(block instanceof AddressSet.Ipv4 || block instanceof AddressSet.Ipv6)) {
                throw new IllegalArgumentException("a network ACL entry names an IPv4 or an IPv6 block: " + block);
            }
        }

        /** Whether the entry's block is IPv6 (AWS counts and matches the two families apart). */
        public boolean ipv6() {
            return block instanceof AddressSet.Ipv6;
        }

        /** The entry in AWS's flat shape. */
        @JsonValue
        public EntryFields fields() {
            return new EntryFields(ruleNumber, egress, protocol.aclNumber(), allow ? "allow" : "deny",
                    block instanceof AddressSet.Ipv4 ? block.text() : null, ipv6() ? block.text() : null, icmpType,
                    icmpCode, portFrom, portTo);
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Entry fromFields(EntryFields f) {
            return f.entry();
        }
    }

    /** An entry as AWS's API and the store write it: {@code ruleAction} and one of the two blocks. */
    public record EntryFields(
            int ruleNumber,
            boolean egress,
            String protocol,
            String ruleAction,
            String cidrBlock,
            String ipv6CidrBlock,
            Integer icmpType,
            Integer icmpCode,
            Integer portFrom,
            Integer portTo) {

        /** The typed entry; throws {@link IllegalArgumentException} when no block or no known action is set. */
        public Entry entry() {
            if (!"allow".equals(ruleAction) && !"deny".equals(ruleAction)) {
                throw new IllegalArgumentException("a network ACL entry with rule action " + ruleAction);
            }
            AddressSet block = cidrBlock != null ? new AddressSet.Ipv4(Cidr.parse(cidrBlock))
                    : ipv6CidrBlock != null ? new AddressSet.Ipv6(ipv6CidrBlock) : null;
            IpProtocol p = IpProtocol.parse(protocol);
            if (p == null) {
                throw new IllegalArgumentException("a network ACL entry with protocol '" + protocol + "'");
            }
            return new Entry(ruleNumber, egress, p, "allow".equals(ruleAction), block, icmpType, icmpCode,
                    portFrom, portTo);
        }
    }

    /** A subnet association, {@code aclassoc-…}. */
    public record Association(NetworkAclAssociationId associationId, SubnetId subnetId) {}

    public NetworkAcl {
        entries = List.copyOf(entries);
        associations = List.copyOf(associations);
        tags = Tags.copy(tags);
    }

    /** The ACL's id, typed. */
    public NetworkAclId networkAclId() {
        return new NetworkAclId(id);
    }

    @Override
    public NetworkAcl withTags(Map<String, String> tags) {
        return new NetworkAcl(id, ownerId, region, vpcId, isDefault, entries, associations, tags);
    }

    public NetworkAcl withEntries(List<Entry> newEntries) {
        return new NetworkAcl(id, ownerId, region, vpcId, isDefault, newEntries, associations, tags);
    }

    public NetworkAcl withAssociations(List<Association> newAssociations) {
        return new NetworkAcl(id, ownerId, region, vpcId, isDefault, entries, newAssociations, tags);
    }

    @Override
    public String resourceType() {
        return "network-acl";
    }
}
