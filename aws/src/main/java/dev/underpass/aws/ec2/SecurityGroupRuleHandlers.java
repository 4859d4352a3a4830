package dev.underpass.aws.ec2;

import dev.underpass.model.ec2.SecurityGroupId;
import dev.underpass.model.ec2.GroupRef;
import dev.underpass.model.ec2.SecurityGroupRuleId;
import static dev.underpass.aws.ec2.SecurityGroupShapes.permissions;
import static dev.underpass.aws.ec2.SecurityGroupShapes.revoked;
import static dev.underpass.aws.ec2.SecurityGroupShapes.rule;

import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.IpPermissions;
import dev.underpass.model.ec2.Kind;
import dev.underpass.model.ec2.Lookup;
import dev.underpass.model.ec2.Scoped;
import dev.underpass.model.ec2.SecurityGroup;
import dev.underpass.model.ec2.SecurityGroupRules;
import dev.underpass.model.ec2.SecurityGroups;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.AuthorizeSecurityGroupEgressRequest;
import software.amazon.awssdk.services.ec2.model.AuthorizeSecurityGroupEgressResponse;
import software.amazon.awssdk.services.ec2.model.AuthorizeSecurityGroupIngressRequest;
import software.amazon.awssdk.services.ec2.model.AuthorizeSecurityGroupIngressResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupRulesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupRulesResponse;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.ModifySecurityGroupRulesRequest;
import software.amazon.awssdk.services.ec2.model.ModifySecurityGroupRulesResponse;
import software.amazon.awssdk.services.ec2.model.RevokeSecurityGroupEgressRequest;
import software.amazon.awssdk.services.ec2.model.RevokeSecurityGroupEgressResponse;
import software.amazon.awssdk.services.ec2.model.RevokeSecurityGroupIngressRequest;
import software.amazon.awssdk.services.ec2.model.RevokeSecurityGroupIngressResponse;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRuleDescription;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRuleUpdate;
import software.amazon.awssdk.services.ec2.model.UpdateSecurityGroupRuleDescriptionsEgressRequest;
import software.amazon.awssdk.services.ec2.model.UpdateSecurityGroupRuleDescriptionsEgressResponse;
import software.amazon.awssdk.services.ec2.model.UpdateSecurityGroupRuleDescriptionsIngressRequest;
import software.amazon.awssdk.services.ec2.model.UpdateSecurityGroupRuleDescriptionsIngressResponse;

/**
 * Security-group rules: authorize, revoke, modify, rule descriptions and DescribeSecurityGroupRules, including the
 * legacy top-level {@code CidrIp}/{@code IpProtocol}/{@code SourceSecurityGroupName} form of
 * AuthorizeSecurityGroupIngress. Domain rules live in {@link SecurityGroupRules}; split from
 * {@link SecurityGroupHandlers} (the groups), which registers this class.
 */
record SecurityGroupRuleHandlers(Ec2Registry api) {
    private static final String RULE_TAG_TYPE = "security-group-rule";

    void register(Ec2Registry registry) {
        registry.write("AuthorizeSecurityGroupIngress", AuthorizeSecurityGroupIngressRequest::builder,
                this::authorizeIngress);
        registry.write("AuthorizeSecurityGroupEgress", AuthorizeSecurityGroupEgressRequest::builder,
                this::authorizeEgress);
        registry.write("RevokeSecurityGroupIngress", RevokeSecurityGroupIngressRequest::builder, this::revokeIngress);
        registry.write("RevokeSecurityGroupEgress", RevokeSecurityGroupEgressRequest::builder, this::revokeEgress);
        registry.read("DescribeSecurityGroupRules", DescribeSecurityGroupRulesRequest::builder, this::describeRules);
        registry.write("ModifySecurityGroupRules", ModifySecurityGroupRulesRequest::builder, this::modifyRules);
        registry.write("UpdateSecurityGroupRuleDescriptionsIngress",
                UpdateSecurityGroupRuleDescriptionsIngressRequest::builder, this::updateIngressDescriptions);
        registry.write("UpdateSecurityGroupRuleDescriptionsEgress",
                UpdateSecurityGroupRuleDescriptionsEgressRequest::builder, this::updateEgressDescriptions);
    }

    private AuthorizeSecurityGroupIngressResponse authorizeIngress(AuthorizeSecurityGroupIngressRequest req, Tx tx) {
        List<IpPermissions.Permission> permissions = new ArrayList<>(permissions(req.ipPermissions()));
        permissions.addAll(legacy(req.ipProtocol(), req.fromPort(), req.toPort(), req.cidrIp(),
                req.sourceSecurityGroupName(), req.sourceSecurityGroupOwnerId()));
        if (permissions.isEmpty()) {
            throw Ec2Errors.missingParameter("ipPermissions");
        }
        var group = SecurityGroups.resolve(tx.world(), tx.caller(), GroupRef.of(req.groupId(), req.groupName()), true);
        var added = SecurityGroupRules.authorize(tx, api.settings().quotas(), group, false, permissions,
                Shapes.tagsFor(req.tagSpecifications(), RULE_TAG_TYPE));
        return AuthorizeSecurityGroupIngressResponse.builder().returnValue(true)
                .securityGroupRules(added.stream().map(r -> rule(group, r)).toList()).build();
    }

    private AuthorizeSecurityGroupEgressResponse authorizeEgress(AuthorizeSecurityGroupEgressRequest req, Tx tx) {
        refuseLegacyEgress(req.ipProtocol(), req.fromPort(), req.toPort(), req.cidrIp(), req.sourceSecurityGroupName(),
                req.sourceSecurityGroupOwnerId());
        List<IpPermissions.Permission> permissions = permissions(req.ipPermissions());
        if (permissions.isEmpty()) {
            throw Ec2Errors.missingParameter("ipPermissions");
        }
        var group = SecurityGroups.resolve(tx.world(), tx.caller(),
                GroupRef.byId(SecurityGroupId.of(Shapes.required(req.groupId(), "GroupId"))), true);
        var added = SecurityGroupRules.authorize(tx, api.settings().quotas(), group, true, permissions,
                Shapes.tagsFor(req.tagSpecifications(), RULE_TAG_TYPE));
        return AuthorizeSecurityGroupEgressResponse.builder().returnValue(true)
                .securityGroupRules(added.stream().map(r -> rule(group, r)).toList()).build();
    }

    private RevokeSecurityGroupIngressResponse revokeIngress(RevokeSecurityGroupIngressRequest req, Tx tx) {
        List<IpPermissions.Permission> permissions = new ArrayList<>(permissions(req.ipPermissions()));
        permissions.addAll(legacy(req.ipProtocol(), req.fromPort(), req.toPort(), req.cidrIp(),
                req.sourceSecurityGroupName(), req.sourceSecurityGroupOwnerId()));
        var group = SecurityGroups.resolve(tx.world(), tx.caller(), GroupRef.of(req.groupId(), req.groupName()), true);
        var result = SecurityGroupRules.revoke(tx, group, false, permissions,
                SecurityGroupRuleId.all(req.securityGroupRuleIds()));
        var out = RevokeSecurityGroupIngressResponse.builder().returnValue(true)
                .revokedSecurityGroupRules(result.revoked().stream().map(r -> revoked(group, r)).toList());
        if (!result.unknown().isEmpty()) {
            out.unknownIpPermissions(permissions(result.unknown(), false));
        }
        return out.build();
    }

    private RevokeSecurityGroupEgressResponse revokeEgress(RevokeSecurityGroupEgressRequest req, Tx tx) {
        refuseLegacyEgress(req.ipProtocol(), req.fromPort(), req.toPort(), req.cidrIp(), req.sourceSecurityGroupName(),
                req.sourceSecurityGroupOwnerId());
        var group = SecurityGroups.resolve(tx.world(), tx.caller(),
                GroupRef.byId(SecurityGroupId.of(Shapes.required(req.groupId(), "GroupId"))), true);
        var result = SecurityGroupRules.revoke(tx, group, true, permissions(req.ipPermissions()),
                SecurityGroupRuleId.all(req.securityGroupRuleIds()));
        var out = RevokeSecurityGroupEgressResponse.builder().returnValue(true)
                .revokedSecurityGroupRules(result.revoked().stream().map(r -> revoked(group, r)).toList());
        if (!result.unknown().isEmpty()) {
            out.unknownIpPermissions(permissions(result.unknown(), true));
        }
        return out.build();
    }

    private DescribeSecurityGroupRulesResponse describeRules(DescribeSecurityGroupRulesRequest req,
            Ec2Api.ReadContext ctx) {
        World world = ctx.world();
        List<RuleView> all = new ArrayList<>();
        for (var g : Scoped.visible(world, ctx.caller(), SecurityGroup.class)) {
            for (var r : g.rules()) {
                all.add(new RuleView(g, r));
            }
        }
        all.sort(Comparator.comparing(RuleView::id));
        if (!req.securityGroupRuleIds().isEmpty()) {
            Set<String> wanted = new LinkedHashSet<>(req.securityGroupRuleIds());
            List<String> missing = new ArrayList<>();
            for (String id : wanted) {
                dev.underpass.model.Ids.require("sgr", id, ErrorCode.INVALID_SECURITY_GROUP_RULE_ID_MALFORMED);
                if (all.stream().noneMatch(v -> v.id().equals(id))) {
                    missing.add(id);
                }
            }
            if (!missing.isEmpty()) {
                throw SecurityGroupRules.ruleNotFound(missing);
            }
            all.removeIf(v -> !wanted.contains(v.id()));
        }
        var page = Describe.of(all, RuleView::id).filter(RULE_FILTERS, req.filters())
                .page(req.maxResults(), req.nextToken(), Describe.Limits.STANDARD);
        return DescribeSecurityGroupRulesResponse.builder()
                .securityGroupRules(page.map(v -> rule(v.group(), v.rule())))
                .nextToken(page.nextToken()).build();
    }

    private ModifySecurityGroupRulesResponse modifyRules(ModifySecurityGroupRulesRequest req, Tx tx) {
        var group = Lookup.requireOwned(tx.world(), tx.caller(), Kind.SECURITY_GROUP,
                SecurityGroup.class, Shapes.required(req.groupId(), "GroupId"));
        List<SecurityGroupRules.RuleUpdate> updates = new ArrayList<>();
        for (SecurityGroupRuleUpdate u : req.securityGroupRules()) {
            var r = u.securityGroupRule();
            if (r == null) {
                throw Ec2Errors.missingParameter("SecurityGroupRule.N.SecurityGroupRule");
            }
            updates.add(new SecurityGroupRules.RuleUpdate(SecurityGroupRuleId.of(u.securityGroupRuleId()),
                    r.ipProtocol(), r.fromPort(),
                    r.toPort(), r.cidrIpv4(), r.cidrIpv6(), r.prefixListId(), r.referencedGroupId(), r.description()));
        }
        SecurityGroupRules.modifyRules(tx, api.settings().quotas(), group, updates);
        return ModifySecurityGroupRulesResponse.builder().returnValue(true).build();
    }

    private UpdateSecurityGroupRuleDescriptionsIngressResponse updateIngressDescriptions(
            UpdateSecurityGroupRuleDescriptionsIngressRequest req, Tx tx) {
        updateDescriptions(tx, req.groupId(), req.groupName(), false, req.ipPermissions(),
                req.securityGroupRuleDescriptions());
        return UpdateSecurityGroupRuleDescriptionsIngressResponse.builder().returnValue(true).build();
    }

    private UpdateSecurityGroupRuleDescriptionsEgressResponse updateEgressDescriptions(
            UpdateSecurityGroupRuleDescriptionsEgressRequest req, Tx tx) {
        updateDescriptions(tx, req.groupId(), req.groupName(), true, req.ipPermissions(),
                req.securityGroupRuleDescriptions());
        return UpdateSecurityGroupRuleDescriptionsEgressResponse.builder().returnValue(true).build();
    }

    /** The two UpdateSecurityGroupRuleDescriptions calls differ only in direction. */
    private static void updateDescriptions(Tx tx, String groupId, String groupName, boolean egress,
            List<IpPermission> ipPermissions, List<SecurityGroupRuleDescription> byRuleId) {
        var group = SecurityGroups.resolve(tx.world(), tx.caller(), GroupRef.of(groupId, groupName), true);
        SecurityGroupRules.updateDescriptions(tx, group, egress, permissions(ipPermissions), descriptions(byRuleId));
    }

    /**
     * The legacy form: {@code IpProtocol}, {@code FromPort}, {@code ToPort} and {@code CidrIp} at the top level
     * make one permission; {@code SourceSecurityGroupName} (with {@code SourceSecurityGroupOwnerId}) grants the
     * named group all ICMP, TCP and UDP, as three rules.
     */
    private static List<IpPermissions.Permission> legacy(String protocol, Integer from, Integer to, String cidr,
            String sourceName, String sourceOwner) {
        if (sourceName != null || sourceOwner != null) {
            if (protocol != null || from != null || to != null || cidr != null) {
                throw ErrorCode.INVALID_PARAMETER_COMBINATION.with("SourceSecurityGroupName cannot be combined with "
                        + "CidrIp, IpProtocol, FromPort or ToPort; use IpPermissions instead.");
            }
            if (sourceName == null) {
                throw Ec2Errors.missingParameter("sourceSecurityGroupName");
            }
            var peer = List.of(new IpPermissions.Peer(null, null, null, null, sourceName, sourceOwner, null));
            return List.of(new IpPermissions.Permission("icmp", -1, -1, peer),
                    new IpPermissions.Permission("tcp", 0, 65535, peer),
                    new IpPermissions.Permission("udp", 0, 65535, peer));
        }
        if (protocol == null && from == null && to == null && cidr == null) {
            return List.of();
        }
        if (cidr == null) {
            throw Ec2Errors.missingParameter("cidrIp");
        }
        return List.of(new IpPermissions.Permission(protocol, from, to,
                List.of(new IpPermissions.Peer(cidr, null, null, null, null, null, null))));
    }

    private static void refuseLegacyEgress(String protocol, Integer from, Integer to, String cidr, String sourceName,
            String sourceOwner) {
        if (protocol != null || from != null || to != null || cidr != null || sourceName != null
                || sourceOwner != null) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.with("Egress rules must be given as IpPermissions; the "
                    + "top-level CidrIp, IpProtocol, FromPort, ToPort and SourceSecurityGroup parameters are not "
                    + "supported for egress.");
        }
    }

    private static Map<SecurityGroupRuleId, String> descriptions(List<SecurityGroupRuleDescription> list) {
        Map<SecurityGroupRuleId, String> out = new LinkedHashMap<>();
        for (SecurityGroupRuleDescription d : list) {
            out.put(SecurityGroupRuleId.of(
                    Shapes.required(d.securityGroupRuleId(), "SecurityGroupRuleDescription.N.SecurityGroupRuleId")),
                    d.description() == null || d.description().isEmpty() ? null : d.description());
        }
        return out;
    }

    /** A rule with its group, as DescribeSecurityGroupRules lists it (by rule id). */
    private record RuleView(SecurityGroup group,
            SecurityGroup.Rule rule) {
        String id() {
            return SecurityGroupRuleId.text(rule.ruleId());
        }
    }

    private static final FilterSpec<RuleView> RULE_FILTERS = FilterSpec.<RuleView>of(v -> v.rule().tags())
            .one("group-id", v -> v.group().id())
            .one("security-group-rule-id", RuleView::id)
            .build();
}
