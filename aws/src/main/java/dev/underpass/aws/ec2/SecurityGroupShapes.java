package dev.underpass.aws.ec2;

import dev.underpass.model.ec2.SecurityGroupId;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.ec2.AddressSet;
import dev.underpass.model.ec2.RulePeer;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ec2.IpPermissions;
import dev.underpass.model.ec2.SecurityGroupRules;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.PrefixListId;
import software.amazon.awssdk.services.ec2.model.ReferencedSecurityGroup;
import software.amazon.awssdk.services.ec2.model.RevokedSecurityGroupRule;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;

/**
 * The SDK shapes of security groups and their rules, both ways: stored rules regrouped into AWS's IpPermissions (one
 * per protocol and port range) and rules one by one, and the IpPermissions of a request turned into the domain's
 * {@link IpPermissions.Permission}s. Shared by {@link SecurityGroupHandlers} and {@link SecurityGroupRuleHandlers}.
 */
final class SecurityGroupShapes {
    private SecurityGroupShapes() {}

    static SecurityGroup shape(dev.underpass.model.ec2.SecurityGroup g) {
        var b = SecurityGroup.builder().groupId(g.id()).groupName(g.groupName()).description(g.description())
                .vpcId(VpcId.text(g.vpcId())).ownerId(g.ownerId()).securityGroupArn(g.arn())
                .ipPermissions(permissions(g.rules(), false)).ipPermissionsEgress(permissions(g.rules(), true));
        if (!g.tags().isEmpty()) {
            b.tags(Shapes.tags(g.tags()));
        }
        return b.build();
    }

    /** One IpPermission per (protocol, from, to), holding every peer of those rules, as AWS groups them. */
    static List<IpPermission> permissions(List<dev.underpass.model.ec2.SecurityGroup.Rule> rules,
            boolean egress) {
        List<IpPermission> out = new ArrayList<>();
        for (var group : SecurityGroupRules.byPermission(rules, egress).values()) {
            var first = group.get(0);
            List<IpRange> v4 = new ArrayList<>();
            List<Ipv6Range> v6 = new ArrayList<>();
            List<PrefixListId> lists = new ArrayList<>();
            List<UserIdGroupPair> pairs = new ArrayList<>();
            for (var r : group) {
                switch (r.peer()) {
                    case AddressSet.Ipv4 p -> v4.add(IpRange.builder().cidrIp(p.text()).description(r.description())
                            .build());
                    case AddressSet.Ipv6 p -> v6.add(Ipv6Range.builder().cidrIpv6(p.text())
                            .description(r.description()).build());
                    case AddressSet.PrefixList p -> lists.add(PrefixListId.builder().prefixListId(p.text())
                            .description(r.description()).build());
                    case RulePeer.Group p -> pairs.add(UserIdGroupPair.builder().userId(p.userId())
                            .groupId(SecurityGroupId.text(p.groupId())).description(r.description()).build());
                }
            }
            var p = IpPermission.builder().ipProtocol(first.protocol().ruleName()).ipRanges(v4).ipv6Ranges(v6)
                    .prefixListIds(lists).userIdGroupPairs(pairs);
            // AWS shows ports (or ICMP type and code) only for the protocols that have them.
            if (first.protocol().hasPorts() || first.protocol().isIcmp()) {
                p.fromPort(first.fromPort()).toPort(first.toPort());
            }
            out.add(p.build());
        }
        return out;
    }

    static List<IpPermissions.Permission> permissions(List<IpPermission> permissions) {
        List<IpPermissions.Permission> out = new ArrayList<>();
        for (IpPermission p : permissions) {
            List<IpPermissions.Peer> peers = new ArrayList<>();
            for (IpRange r : p.ipRanges()) {
                peers.add(new IpPermissions.Peer(emptyToMalformed(r.cidrIp()), null, null, null, null, null,
                        r.description()));
            }
            for (Ipv6Range r : p.ipv6Ranges()) {
                peers.add(new IpPermissions.Peer(null, emptyToMalformed(r.cidrIpv6()), null, null, null, null,
                        r.description()));
            }
            for (PrefixListId r : p.prefixListIds()) {
                peers.add(new IpPermissions.Peer(null, null, emptyToMalformed(r.prefixListId()), null, null, null,
                        r.description()));
            }
            for (UserIdGroupPair r : p.userIdGroupPairs()) {
                if (r.groupId() == null && r.groupName() == null) {
                    throw Ec2Errors.missingParameter("groupId or groupName of each UserIdGroupPair");
                }
                peers.add(new IpPermissions.Peer(null, null, null, r.groupId(), r.groupName(), r.userId(),
                        r.description()));
            }
            out.add(new IpPermissions.Permission(p.ipProtocol(), p.fromPort(), p.toPort(), peers));
        }
        return out;
    }

    /** An empty CIDR or id is a malformed one, not an absent one (it was sent as a member of a list). */
    private static String emptyToMalformed(String value) {
        return value == null ? "" : value;
    }

    static SecurityGroupRule rule(dev.underpass.model.ec2.SecurityGroup g,
            dev.underpass.model.ec2.SecurityGroup.Rule rule) {
        var r = rule.fields();
        var b = SecurityGroupRule.builder().securityGroupRuleId(r.ruleId()).groupId(g.id()).groupOwnerId(g.ownerId())
                .isEgress(r.egress()).ipProtocol(r.protocol()).fromPort(r.fromPort()).toPort(r.toPort())
                .cidrIpv4(r.cidrIpv4()).cidrIpv6(r.cidrIpv6()).prefixListId(r.prefixListId())
                .description(r.description()).tags(Shapes.tags(r.tags()))
                .securityGroupRuleArn(rule.arn(g.region(), g.ownerId()));
        if (r.referencedGroupId() != null) {
            b.referencedGroupInfo(ReferencedSecurityGroup.builder().groupId(r.referencedGroupId())
                    .userId(r.referencedUserId()).build());
        }
        return b.build();
    }

    static RevokedSecurityGroupRule revoked(dev.underpass.model.ec2.SecurityGroup g,
            dev.underpass.model.ec2.SecurityGroup.Rule rule) {
        var r = rule.fields();
        return RevokedSecurityGroupRule.builder().securityGroupRuleId(r.ruleId()).groupId(g.id())
                .isEgress(r.egress()).ipProtocol(r.protocol()).fromPort(r.fromPort()).toPort(r.toPort())
                .cidrIpv4(r.cidrIpv4()).cidrIpv6(r.cidrIpv6()).prefixListId(r.prefixListId())
                .referencedGroupId(r.referencedGroupId()).description(r.description()).build();
    }
}
