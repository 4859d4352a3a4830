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

/**
 * A security group and its rules. Each rule has one source or destination: an IPv4 CIDR, an IPv6 CIDR, a prefix
 * list, or another group (possibly in another account, {@code referencedUserId}).
 */
public record SecurityGroup(
        String id,
        String ownerId,
        String region,
        VpcId vpcId,
        String groupName,
        String description,
        List<Rule> rules,
        Map<String, String> tags)
        implements Resource {

    /**
     * One rule, {@code sgr-…}, for one IP protocol (stored by AWS's rule spelling, {@code tcp} or {@code 50}); ports
     * are -1 when the protocol has none. A rule carries its own
     * tags (AWS tags rules separately from their group). It is stored in AWS's flat shape ({@link RuleFields}).
     */
    public record Rule(
            SecurityGroupRuleId ruleId,
            boolean egress,
            IpProtocol protocol,
            int fromPort,
            int toPort,
            RulePeer peer,
            String description,
            Map<String, String> tags) {

        public Rule {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(peer, "peer");
            tags = Tags.copy(tags);
        }

        /** A rule without tags. */
        public Rule(SecurityGroupRuleId ruleId, boolean egress, IpProtocol protocol, int fromPort, int toPort,
                RulePeer peer,
                String description) {
            this(ruleId, egress, protocol, fromPort, toPort, peer, description, Map.of());
        }

        /** Whether two rules permit the same thing (AWS's duplicate check ignores the description). */
        public boolean sameAs(Rule o) {
            return egress == o.egress && protocol.equals(o.protocol) && fromPort == o.fromPort && toPort == o.toPort
                    && peer.sameAs(o.peer);
        }

        /** This rule under another id, with other tags: the stored form of a rule a call asked for. */
        public Rule as(SecurityGroupRuleId newRuleId, Map<String, String> newTags) {
            return new Rule(newRuleId, egress, protocol, fromPort, toPort, peer, description, newTags);
        }

        public Rule withDescription(String newDescription) {
            return new Rule(ruleId, egress, protocol, fromPort, toPort, peer, newDescription, tags);
        }

        public Rule withTags(Map<String, String> newTags) {
            return new Rule(ruleId, egress, protocol, fromPort, toPort, peer, description, newTags);
        }

        public String arn(String region, String ownerId) {
            return "arn:aws:ec2:" + region + ":" + ownerId + ":security-group-rule/" + ruleId;
        }

        /** The rule in AWS's flat shape: one field per kind of peer, the others null. */
        @JsonValue
        public RuleFields fields() {
            String v4 = peer instanceof AddressSet.Ipv4 p ? p.text() : null;
            String v6 = peer instanceof AddressSet.Ipv6 p ? p.text() : null;
            String list = peer instanceof AddressSet.PrefixList p ? p.text() : null;
            String group = peer instanceof RulePeer.Group g ? g.groupId().value() : null;
            String user = peer instanceof RulePeer.Group g ? g.userId() : null;
            return new RuleFields(SecurityGroupRuleId.text(ruleId), egress, protocol.ruleName(), fromPort, toPort, v4,
                    v6, list, group, user,
                    description,
                    tags);
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Rule fromFields(RuleFields f) {
            return f.rule();
        }
    }

    /**
     * A rule as AWS's API and the store write it: exactly one of {@code cidrIpv4}, {@code cidrIpv6},
     * {@code prefixListId} and {@code referencedGroupId} (with {@code referencedUserId}) is set.
     */
    public record RuleFields(
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

        /** The typed rule; throws {@link IllegalArgumentException} when no peer is set. */
        public Rule rule() {
            RulePeer peer;
            if (cidrIpv4 != null) {
                peer = new AddressSet.Ipv4(Cidr.parse(cidrIpv4));
            } else if (cidrIpv6 != null) {
                peer = new AddressSet.Ipv6(cidrIpv6);
            } else if (prefixListId != null) {
                peer = new AddressSet.PrefixList(new PrefixListId(prefixListId));
            } else if (referencedGroupId != null) {
                peer = new RulePeer.Group(new SecurityGroupId(referencedGroupId), referencedUserId);
            } else {
                throw new IllegalArgumentException("a security group rule with no peer");
            }
            IpProtocol p = IpProtocol.parse(protocol);
            if (p == null) {
                throw new IllegalArgumentException("a security group rule with protocol '" + protocol + "'");
            }
            return new Rule(SecurityGroupRuleId.of(ruleId), egress, p, fromPort, toPort, peer, description, tags);
        }
    }

    public SecurityGroup {
        rules = List.copyOf(rules);
        tags = Tags.copy(tags);
    }

    /** This group's id, typed as interfaces, instances, endpoints, load balancers and rules refer to it. */
    public SecurityGroupId groupId() {
        return new SecurityGroupId(id);
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
