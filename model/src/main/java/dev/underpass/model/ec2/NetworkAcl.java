package dev.underpass.model.ec2;

import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import java.util.List;
import java.util.Map;

/** A network ACL: numbered allow/deny entries in each direction, and the subnets associated with it. */
public record NetworkAcl(
        String id,
        String ownerId,
        String region,
        String vpcId,
        boolean isDefault,
        List<Entry> entries,
        List<Association> associations,
        Map<String, String> tags)
        implements Resource {

    /**
     * One entry. Rule number 32767 is the catch-all deny AWS adds in each direction; it cannot be changed.
     * {@code protocol} is a protocol number as a string, or {@code -1} for all.
     */
    public record Entry(
            int ruleNumber,
            boolean egress,
            String protocol,
            String ruleAction,
            String cidrBlock,
            String ipv6CidrBlock,
            Integer icmpType,
            Integer icmpCode,
            Integer portFrom,
            Integer portTo) {}

    /** A subnet association, {@code aclassoc-…}. */
    public record Association(String associationId, String subnetId) {}

    public NetworkAcl {
        entries = List.copyOf(entries);
        associations = List.copyOf(associations);
        tags = Tags.copy(tags);
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
