package dev.underpass.model.ec2;

import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import java.util.List;
import java.util.Map;

/**
 * A security group and its rules. Each rule has one source or destination: an IPv4 CIDR, an IPv6 CIDR, a prefix
 * list, or another group (possibly in another account, {@code referencedUserId}).
 */
public record SecurityGroup(
        String id,
        String ownerId,
        String region,
        String vpcId,
        String groupName,
        String description,
        List<Rule> rules,
        Map<String, String> tags)
        implements Resource {

    /**
     * One rule, {@code sgr-…}. {@code protocol} is AWS's IP protocol string ({@code tcp}, {@code udp}, {@code icmp},
     * {@code icmpv6}, {@code -1} or a number); ports are -1 when the protocol has none. A rule carries its own
     * tags (AWS tags rules separately from their group).
     */
    public record Rule(
            String ruleId,
            boolean egress,
            String protocol,
            int fromPort,
            int toPort,
            String cidrIpv4,
            String cidrIpv6,
            String prefixListId,
            String referencedGroupId,
            String referencedUserId,
            String description,
            Map<String, String> tags) {

        public Rule {
            tags = Tags.copy(tags);
        }

        /** A rule without tags. */
        public Rule(String ruleId, boolean egress, String protocol, int fromPort, int toPort, String cidrIpv4,
                String cidrIpv6, String prefixListId, String referencedGroupId, String referencedUserId,
                String description) {
            this(ruleId, egress, protocol, fromPort, toPort, cidrIpv4, cidrIpv6, prefixListId, referencedGroupId,
                    referencedUserId, description, Map.of());
        }

        /** Whether two rules permit the same thing (AWS's duplicate check ignores the description). */
        public boolean sameAs(Rule o) {
            return egress == o.egress && protocol.equals(o.protocol) && fromPort == o.fromPort && toPort == o.toPort
                    && java.util.Objects.equals(cidrIpv4, o.cidrIpv4) && java.util.Objects.equals(cidrIpv6, o.cidrIpv6)
                    && java.util.Objects.equals(prefixListId, o.prefixListId)
                    && java.util.Objects.equals(referencedGroupId, o.referencedGroupId);
        }

        public Rule withDescription(String newDescription) {
            return new Rule(ruleId, egress, protocol, fromPort, toPort, cidrIpv4, cidrIpv6, prefixListId,
                    referencedGroupId, referencedUserId, newDescription, tags);
        }

        public Rule withTags(Map<String, String> newTags) {
            return new Rule(ruleId, egress, protocol, fromPort, toPort, cidrIpv4, cidrIpv6, prefixListId,
                    referencedGroupId, referencedUserId, description, newTags);
        }

        public String arn(String region, String ownerId) {
            return "arn:aws:ec2:" + region + ":" + ownerId + ":security-group-rule/" + ruleId;
        }
    }

    public SecurityGroup {
        rules = List.copyOf(rules);
        tags = Tags.copy(tags);
    }

    public boolean isDefault() {
        return "default".equals(groupName);
    }

    @Override
    public SecurityGroup withTags(Map<String, String> tags) {
        return new SecurityGroup(id, ownerId, region, vpcId, groupName, description, rules, tags);
    }

    public SecurityGroup withRules(List<Rule> newRules) {
        return new SecurityGroup(id, ownerId, region, vpcId, groupName, description, newRules, tags);
    }

    public String arn() {
        return "arn:aws:ec2:" + region + ":" + ownerId + ":security-group/" + id;
    }

    @Override
    public String resourceType() {
        return "security-group";
    }
}
