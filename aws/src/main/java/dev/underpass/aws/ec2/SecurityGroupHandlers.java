package dev.underpass.aws.ec2;

import dev.underpass.aws.ShapeCache;
import dev.underpass.model.Caller;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Index;
import dev.underpass.model.Resource;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.Kind;
import dev.underpass.model.ec2.Lookup;
import dev.underpass.model.ec2.Scoped;
import dev.underpass.model.ec2.SecurityGroups;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.services.ec2.model.AuthorizeSecurityGroupEgressRequest;
import software.amazon.awssdk.services.ec2.model.AuthorizeSecurityGroupEgressResponse;
import software.amazon.awssdk.services.ec2.model.AuthorizeSecurityGroupIngressRequest;
import software.amazon.awssdk.services.ec2.model.AuthorizeSecurityGroupIngressResponse;
import software.amazon.awssdk.services.ec2.model.CreateSecurityGroupRequest;
import software.amazon.awssdk.services.ec2.model.CreateSecurityGroupResponse;
import software.amazon.awssdk.services.ec2.model.DeleteSecurityGroupRequest;
import software.amazon.awssdk.services.ec2.model.DeleteSecurityGroupResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupReferencesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupReferencesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupRulesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupRulesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupsResponse;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.ModifySecurityGroupRulesRequest;
import software.amazon.awssdk.services.ec2.model.ModifySecurityGroupRulesResponse;
import software.amazon.awssdk.services.ec2.model.PrefixListId;
import software.amazon.awssdk.services.ec2.model.ReferencedSecurityGroup;
import software.amazon.awssdk.services.ec2.model.RevokeSecurityGroupEgressRequest;
import software.amazon.awssdk.services.ec2.model.RevokeSecurityGroupEgressResponse;
import software.amazon.awssdk.services.ec2.model.RevokeSecurityGroupIngressRequest;
import software.amazon.awssdk.services.ec2.model.RevokeSecurityGroupIngressResponse;
import software.amazon.awssdk.services.ec2.model.RevokedSecurityGroupRule;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.SecurityGroupReference;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRuleDescription;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRuleUpdate;
import software.amazon.awssdk.services.ec2.model.UpdateSecurityGroupRuleDescriptionsEgressRequest;
import software.amazon.awssdk.services.ec2.model.UpdateSecurityGroupRuleDescriptionsEgressResponse;
import software.amazon.awssdk.services.ec2.model.UpdateSecurityGroupRuleDescriptionsIngressRequest;
import software.amazon.awssdk.services.ec2.model.UpdateSecurityGroupRuleDescriptionsIngressResponse;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;

/**
 * Security groups and their rules: create, delete, describe (groups with their rules regrouped into AWS's
 * IpPermissions, and rules one by one), authorize, revoke, modify, rule descriptions, and references from other
 * VPCs. Domain rules live in {@link SecurityGroups}; this class maps the SDK shapes, including the legacy top-level
 * {@code CidrIp}/{@code IpProtocol}/{@code SourceSecurityGroupName} form of AuthorizeSecurityGroupIngress.
 */
final class SecurityGroupHandlers {
    private static final String RULE_TAG_TYPE = "security-group-rule";

    private final Ec2Registry api;

    SecurityGroupHandlers(Ec2Registry api) {
        this.api = api;
    }

    void register(Ec2Registry registry) {
        registry.write("CreateSecurityGroup", CreateSecurityGroupRequest::builder, this::create);
        registry.write("DeleteSecurityGroup", DeleteSecurityGroupRequest::builder, this::delete);
        registry.read("DescribeSecurityGroups", DescribeSecurityGroupsRequest::builder, this::describe);
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
        registry.read("DescribeSecurityGroupReferences", DescribeSecurityGroupReferencesRequest::builder,
                this::describeReferences);
    }

    // Groups.

    private CreateSecurityGroupResponse create(CreateSecurityGroupRequest req, Tx tx) {
        var group = SecurityGroups.create(tx, api.settings().quotas(), new SecurityGroups.Create(req.vpcId(),
                req.groupName(), req.description(), Shapes.tagsFor(req.tagSpecifications(), "security-group")));
        var out = CreateSecurityGroupResponse.builder().groupId(group.id()).securityGroupArn(group.arn());
        if (!group.tags().isEmpty()) {
            out.tags(Shapes.tags(group.tags()));
        }
        return out.build();
    }

    private DeleteSecurityGroupResponse delete(DeleteSecurityGroupRequest req, Tx tx) {
        var group = SecurityGroups.delete(tx, req.groupId(), req.groupName());
        return DeleteSecurityGroupResponse.builder().returnValue(true).groupId(group.id()).build();
    }

    private DescribeSecurityGroupsResponse describe(DescribeSecurityGroupsRequest req, Ec2Api.ReadContext ctx) {
        World world = ctx.world();
        Caller caller = ctx.caller();
        List<dev.underpass.model.ec2.SecurityGroup> candidates;
        if (req.groupIds().isEmpty() && req.groupNames().isEmpty()) {
            candidates = Scoped.visible(world, caller, dev.underpass.model.ec2.SecurityGroup.class);
        } else {
            Map<String, dev.underpass.model.ec2.SecurityGroup> named = new LinkedHashMap<>();
            if (!req.groupIds().isEmpty()) {
                Lookup.requireAll(world, caller, Kind.SECURITY_GROUP, dev.underpass.model.ec2.SecurityGroup.class,
                        req.groupIds()).forEach(g -> named.put(g.id(), g));
            }
            for (String name : req.groupNames()) {
                var g = SecurityGroups.byNameInDefaultVpc(world, caller, name);
                named.put(g.id(), g);
            }
            candidates = named.values().stream()
                    .sorted(Comparator.comparing(dev.underpass.model.ec2.SecurityGroup::id)).toList();
        }
        var page = Describe.of(candidates).map(g -> Describe.asSeen(caller, g)).filter(groupFilters(world),
                req.filters()).page(req.maxResults(), req.nextToken(), Describe.Limits.STANDARD);
        ShapeCache shapes = ShapeCache.of(world);
        return DescribeSecurityGroupsResponse.builder()
                .securityGroups(page.items().stream()
                        .map(g -> shapes.shape(g, SecurityGroup.class, null, () -> shape(g))).toList())
                .nextToken(page.nextToken()).build();
    }

    private static FilterSpec<dev.underpass.model.ec2.SecurityGroup> groupFilters(World world) {
        var b = FilterSpec.<dev.underpass.model.ec2.SecurityGroup>resources()
                .one("description", dev.underpass.model.ec2.SecurityGroup::description)
                .one("group-id", dev.underpass.model.ec2.SecurityGroup::id)
                .one("group-name", dev.underpass.model.ec2.SecurityGroup::groupName)
                .one("owner-id", dev.underpass.model.ec2.SecurityGroup::ownerId)
                .one("vpc-id", dev.underpass.model.ec2.SecurityGroup::vpcId);
        for (boolean egress : new boolean[] {false, true}) {
            String p = egress ? "egress.ip-permission." : "ip-permission.";
            b.many(p + "cidr", rules(egress, r -> nullable(r.cidrIpv4())))
                    .many(p + "ipv6-cidr", rules(egress, r -> nullable(r.cidrIpv6())))
                    .many(p + "prefix-list-id", rules(egress, r -> nullable(r.prefixListId())))
                    .many(p + "group-id", rules(egress, r -> nullable(r.referencedGroupId())))
                    .many(p + "user-id", rules(egress, r -> nullable(r.referencedUserId())))
                    .many(p + "group-name", g -> groupNames(world, g, egress))
                    .many(p + "from-port", rules(egress, r -> nullable(Integer.toString(r.fromPort()))))
                    .many(p + "to-port", rules(egress, r -> nullable(Integer.toString(r.toPort()))))
                    .many(p + "protocol", rules(egress, r -> protocolAliases(r.protocol())));
        }
        return b.build();
    }

    /**
     * The names of the groups a group's rules reference. Only groups of the same account are named: another
     * account's group names are not the caller's to learn.
     */
    private static Collection<String> groupNames(World world, dev.underpass.model.ec2.SecurityGroup g,
            boolean egress) {
        Set<String> out = new LinkedHashSet<>();
        for (var r : g.rules()) {
            if (r.egress() == egress && r.referencedGroupId() != null) {
                world.find(dev.underpass.model.ec2.SecurityGroup.class, r.referencedGroupId())
                        .filter(ref -> ref.ownerId().equals(g.ownerId()))
                        .ifPresent(ref -> out.add(ref.groupName()));
            }
        }
        return out;
    }

    /** A filter over one direction's rules: the union of {@code values} of each rule, nulls left out. */
    private static Function<dev.underpass.model.ec2.SecurityGroup, Collection<String>> rules(boolean egress,
            Function<dev.underpass.model.ec2.SecurityGroup.Rule, List<String>> values) {
        return g -> {
            Set<String> out = new LinkedHashSet<>();
            for (var r : g.rules()) {
                if (r.egress() == egress) {
                    for (String v : values.apply(r)) {
                        if (v != null && !v.isEmpty()) {
                            out.add(v);
                        }
                    }
                }
            }
            return out;
        };
    }

    /** A list that may hold nulls (a rule has only one kind of peer); the filter skips them. */
    private static List<String> nullable(String... values) {
        return Arrays.asList(values);
    }

    /** Filters accept a protocol by name or number, as AWS's do ({@code tcp} or {@code 6}). */
    private static List<String> protocolAliases(String protocol) {
        return switch (protocol) {
            case "tcp" -> List.of("tcp", "6");
            case "udp" -> List.of("udp", "17");
            case "icmp" -> List.of("icmp", "1");
            case "icmpv6" -> List.of("icmpv6", "58");
            default -> List.of(protocol);
        };
    }

    static SecurityGroup shape(dev.underpass.model.ec2.SecurityGroup g) {
        var b = SecurityGroup.builder().groupId(g.id()).groupName(g.groupName()).description(g.description())
                .vpcId(g.vpcId()).ownerId(g.ownerId()).securityGroupArn(g.arn())
                .ipPermissions(permissions(g.rules(), false)).ipPermissionsEgress(permissions(g.rules(), true));
        if (!g.tags().isEmpty()) {
            b.tags(Shapes.tags(g.tags()));
        }
        return b.build();
    }

    /** One IpPermission per (protocol, from, to), holding every peer of those rules, as AWS groups them. */
    private static List<IpPermission> permissions(List<dev.underpass.model.ec2.SecurityGroup.Rule> rules,
            boolean egress) {
        List<IpPermission> out = new ArrayList<>();
        for (var group : SecurityGroups.byPermission(rules, egress).values()) {
            var first = group.get(0);
            List<IpRange> v4 = new ArrayList<>();
            List<Ipv6Range> v6 = new ArrayList<>();
            List<PrefixListId> lists = new ArrayList<>();
            List<UserIdGroupPair> pairs = new ArrayList<>();
            for (var r : group) {
                if (r.cidrIpv4() != null) {
                    v4.add(IpRange.builder().cidrIp(r.cidrIpv4()).description(r.description()).build());
                } else if (r.cidrIpv6() != null) {
                    v6.add(Ipv6Range.builder().cidrIpv6(r.cidrIpv6()).description(r.description()).build());
                } else if (r.prefixListId() != null) {
                    lists.add(PrefixListId.builder().prefixListId(r.prefixListId()).description(r.description())
                            .build());
                } else {
                    pairs.add(UserIdGroupPair.builder().userId(r.referencedUserId()).groupId(r.referencedGroupId())
                            .description(r.description()).build());
                }
            }
            var p = IpPermission.builder().ipProtocol(first.protocol()).ipRanges(v4).ipv6Ranges(v6)
                    .prefixListIds(lists).userIdGroupPairs(pairs);
            if (hasPorts(first.protocol())) {
                p.fromPort(first.fromPort()).toPort(first.toPort());
            }
            out.add(p.build());
        }
        return out;
    }

    /** AWS shows ports (or ICMP type and code) only for the protocols that have them. */
    private static boolean hasPorts(String protocol) {
        return switch (protocol) {
            case "tcp", "udp", "icmp", "icmpv6" -> true;
            default -> false;
        };
    }

    // Rules.

    private AuthorizeSecurityGroupIngressResponse authorizeIngress(AuthorizeSecurityGroupIngressRequest req, Tx tx) {
        List<SecurityGroups.Permission> permissions = new ArrayList<>(permissions(req.ipPermissions()));
        permissions.addAll(legacy(req.ipProtocol(), req.fromPort(), req.toPort(), req.cidrIp(),
                req.sourceSecurityGroupName(), req.sourceSecurityGroupOwnerId()));
        if (permissions.isEmpty()) {
            throw ErrorCode.MISSING_PARAMETER.with("The request must contain the parameter ipPermissions");
        }
        var group = SecurityGroups.resolve(tx.world(), tx.caller(), req.groupId(), req.groupName(), true);
        var added = SecurityGroups.authorize(tx, api.settings().quotas(), group, false, permissions,
                Shapes.tagsFor(req.tagSpecifications(), RULE_TAG_TYPE));
        return AuthorizeSecurityGroupIngressResponse.builder().returnValue(true)
                .securityGroupRules(added.stream().map(r -> rule(group, r)).toList()).build();
    }

    private AuthorizeSecurityGroupEgressResponse authorizeEgress(AuthorizeSecurityGroupEgressRequest req, Tx tx) {
        refuseLegacyEgress(req.ipProtocol(), req.fromPort(), req.toPort(), req.cidrIp(), req.sourceSecurityGroupName(),
                req.sourceSecurityGroupOwnerId());
        List<SecurityGroups.Permission> permissions = permissions(req.ipPermissions());
        if (permissions.isEmpty()) {
            throw ErrorCode.MISSING_PARAMETER.with("The request must contain the parameter ipPermissions");
        }
        var group = SecurityGroups.resolve(tx.world(), tx.caller(), Shapes.required(req.groupId(), "GroupId"), null,
                true);
        var added = SecurityGroups.authorize(tx, api.settings().quotas(), group, true, permissions,
                Shapes.tagsFor(req.tagSpecifications(), RULE_TAG_TYPE));
        return AuthorizeSecurityGroupEgressResponse.builder().returnValue(true)
                .securityGroupRules(added.stream().map(r -> rule(group, r)).toList()).build();
    }

    private RevokeSecurityGroupIngressResponse revokeIngress(RevokeSecurityGroupIngressRequest req, Tx tx) {
        List<SecurityGroups.Permission> permissions = new ArrayList<>(permissions(req.ipPermissions()));
        permissions.addAll(legacy(req.ipProtocol(), req.fromPort(), req.toPort(), req.cidrIp(),
                req.sourceSecurityGroupName(), req.sourceSecurityGroupOwnerId()));
        var group = SecurityGroups.resolve(tx.world(), tx.caller(), req.groupId(), req.groupName(), true);
        var result = SecurityGroups.revoke(tx, group, false, permissions, req.securityGroupRuleIds());
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
        var group = SecurityGroups.resolve(tx.world(), tx.caller(), Shapes.required(req.groupId(), "GroupId"), null,
                true);
        var result = SecurityGroups.revoke(tx, group, true, permissions(req.ipPermissions()),
                req.securityGroupRuleIds());
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
        for (var g : Scoped.visible(world, ctx.caller(), dev.underpass.model.ec2.SecurityGroup.class)) {
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
                throw SecurityGroups.ruleNotFound(missing);
            }
            all.removeIf(v -> !wanted.contains(v.id()));
        }
        var page = Describe.of(all, RuleView::id).filter(RULE_FILTERS, req.filters())
                .page(req.maxResults(), req.nextToken(), Describe.Limits.STANDARD);
        return DescribeSecurityGroupRulesResponse.builder()
                .securityGroupRules(page.items().stream().map(v -> rule(v.group(), v.rule())).toList())
                .nextToken(page.nextToken()).build();
    }

    private ModifySecurityGroupRulesResponse modifyRules(ModifySecurityGroupRulesRequest req, Tx tx) {
        var group = Lookup.requireOwned(tx.world(), tx.caller(), Kind.SECURITY_GROUP,
                dev.underpass.model.ec2.SecurityGroup.class, Shapes.required(req.groupId(), "GroupId"));
        List<SecurityGroups.RuleUpdate> updates = new ArrayList<>();
        for (SecurityGroupRuleUpdate u : req.securityGroupRules()) {
            var r = u.securityGroupRule();
            if (r == null) {
                throw ErrorCode.MISSING_PARAMETER.with(
                        "The request must contain the parameter SecurityGroupRule.N.SecurityGroupRule");
            }
            updates.add(new SecurityGroups.RuleUpdate(u.securityGroupRuleId(), r.ipProtocol(), r.fromPort(),
                    r.toPort(), r.cidrIpv4(), r.cidrIpv6(), r.prefixListId(), r.referencedGroupId(), r.description()));
        }
        SecurityGroups.modifyRules(tx, api.settings().quotas(), group, updates);
        return ModifySecurityGroupRulesResponse.builder().returnValue(true).build();
    }

    private UpdateSecurityGroupRuleDescriptionsIngressResponse updateIngressDescriptions(
            UpdateSecurityGroupRuleDescriptionsIngressRequest req, Tx tx) {
        var group = SecurityGroups.resolve(tx.world(), tx.caller(), req.groupId(), req.groupName(), true);
        SecurityGroups.updateDescriptions(tx, group, false, permissions(req.ipPermissions()),
                descriptions(req.securityGroupRuleDescriptions()));
        return UpdateSecurityGroupRuleDescriptionsIngressResponse.builder().returnValue(true).build();
    }

    private UpdateSecurityGroupRuleDescriptionsEgressResponse updateEgressDescriptions(
            UpdateSecurityGroupRuleDescriptionsEgressRequest req, Tx tx) {
        var group = SecurityGroups.resolve(tx.world(), tx.caller(), req.groupId(), req.groupName(), true);
        SecurityGroups.updateDescriptions(tx, group, true, permissions(req.ipPermissions()),
                descriptions(req.securityGroupRuleDescriptions()));
        return UpdateSecurityGroupRuleDescriptionsEgressResponse.builder().returnValue(true).build();
    }

    /** Which other VPCs' groups reference each group (AWS answers this for peered VPCs). */
    private DescribeSecurityGroupReferencesResponse describeReferences(DescribeSecurityGroupReferencesRequest req,
            Ec2Api.ReadContext ctx) {
        if (req.groupId().isEmpty()) {
            throw ErrorCode.MISSING_PARAMETER.with("The request must contain the parameter GroupId");
        }
        World world = ctx.world();
        var groups = Lookup.requireAll(world, ctx.caller(), Kind.SECURITY_GROUP,
                dev.underpass.model.ec2.SecurityGroup.class, req.groupId());
        List<SecurityGroupReference> out = new ArrayList<>();
        for (var g : groups) {
            Set<String> vpcs = new LinkedHashSet<>();
            // Referencing groups are the owner's (peering within an account); other accounts are not read.
            for (var other : Index.owned(world, dev.underpass.model.ec2.SecurityGroup.class, g.ownerId(),
                    g.region())) {
                if (!other.vpcId().equals(g.vpcId())
                        && other.rules().stream().anyMatch(r -> g.id().equals(r.referencedGroupId()))) {
                    vpcs.add(other.vpcId());
                }
            }
            vpcs.forEach(v -> out.add(SecurityGroupReference.builder().groupId(g.id()).referencingVpcId(v).build()));
        }
        return DescribeSecurityGroupReferencesResponse.builder().securityGroupReferenceSet(out).build();
    }

    // Shapes.

    private static List<SecurityGroups.Permission> permissions(List<IpPermission> permissions) {
        List<SecurityGroups.Permission> out = new ArrayList<>();
        for (IpPermission p : permissions) {
            List<SecurityGroups.Peer> peers = new ArrayList<>();
            for (IpRange r : p.ipRanges()) {
                peers.add(new SecurityGroups.Peer(emptyToMalformed(r.cidrIp()), null, null, null, null, null,
                        r.description()));
            }
            for (Ipv6Range r : p.ipv6Ranges()) {
                peers.add(new SecurityGroups.Peer(null, emptyToMalformed(r.cidrIpv6()), null, null, null, null,
                        r.description()));
            }
            for (PrefixListId r : p.prefixListIds()) {
                peers.add(new SecurityGroups.Peer(null, null, emptyToMalformed(r.prefixListId()), null, null, null,
                        r.description()));
            }
            for (UserIdGroupPair r : p.userIdGroupPairs()) {
                if (r.groupId() == null && r.groupName() == null) {
                    throw ErrorCode.MISSING_PARAMETER.with(
                            "The request must contain the parameter groupId or groupName of each UserIdGroupPair");
                }
                peers.add(new SecurityGroups.Peer(null, null, null, r.groupId(), r.groupName(), r.userId(),
                        r.description()));
            }
            out.add(new SecurityGroups.Permission(p.ipProtocol(), p.fromPort(), p.toPort(), peers));
        }
        return out;
    }

    /** An empty CIDR or id is a malformed one, not an absent one (it was sent as a member of a list). */
    private static String emptyToMalformed(String value) {
        return value == null ? "" : value;
    }

    /**
     * The legacy form: {@code IpProtocol}, {@code FromPort}, {@code ToPort} and {@code CidrIp} at the top level
     * make one permission; {@code SourceSecurityGroupName} (with {@code SourceSecurityGroupOwnerId}) grants the
     * named group all ICMP, TCP and UDP, as three rules.
     */
    private static List<SecurityGroups.Permission> legacy(String protocol, Integer from, Integer to, String cidr,
            String sourceName, String sourceOwner) {
        if (sourceName != null || sourceOwner != null) {
            if (protocol != null || from != null || to != null || cidr != null) {
                throw ErrorCode.INVALID_PARAMETER_COMBINATION.with("SourceSecurityGroupName cannot be combined with "
                        + "CidrIp, IpProtocol, FromPort or ToPort; use IpPermissions instead.");
            }
            if (sourceName == null) {
                throw ErrorCode.MISSING_PARAMETER.with(
                        "The request must contain the parameter sourceSecurityGroupName");
            }
            var peer = List.of(new SecurityGroups.Peer(null, null, null, null, sourceName, sourceOwner, null));
            return List.of(new SecurityGroups.Permission("icmp", -1, -1, peer),
                    new SecurityGroups.Permission("tcp", 0, 65535, peer),
                    new SecurityGroups.Permission("udp", 0, 65535, peer));
        }
        if (protocol == null && from == null && to == null && cidr == null) {
            return List.of();
        }
        if (cidr == null) {
            throw ErrorCode.MISSING_PARAMETER.with("The request must contain the parameter cidrIp");
        }
        return List.of(new SecurityGroups.Permission(protocol, from, to,
                List.of(new SecurityGroups.Peer(cidr, null, null, null, null, null, null))));
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

    private static Map<String, String> descriptions(List<SecurityGroupRuleDescription> list) {
        Map<String, String> out = new LinkedHashMap<>();
        for (SecurityGroupRuleDescription d : list) {
            out.put(Shapes.required(d.securityGroupRuleId(), "SecurityGroupRuleDescription.N.SecurityGroupRuleId"),
                    d.description() == null || d.description().isEmpty() ? null : d.description());
        }
        return out;
    }

    static SecurityGroupRule rule(dev.underpass.model.ec2.SecurityGroup g,
            dev.underpass.model.ec2.SecurityGroup.Rule r) {
        var b = SecurityGroupRule.builder().securityGroupRuleId(r.ruleId()).groupId(g.id()).groupOwnerId(g.ownerId())
                .isEgress(r.egress()).ipProtocol(r.protocol()).fromPort(r.fromPort()).toPort(r.toPort())
                .cidrIpv4(r.cidrIpv4()).cidrIpv6(r.cidrIpv6()).prefixListId(r.prefixListId())
                .description(r.description()).tags(Shapes.tags(r.tags()))
                .securityGroupRuleArn(r.arn(g.region(), g.ownerId()));
        if (r.referencedGroupId() != null) {
            b.referencedGroupInfo(ReferencedSecurityGroup.builder().groupId(r.referencedGroupId())
                    .userId(r.referencedUserId()).build());
        }
        return b.build();
    }

    private static RevokedSecurityGroupRule revoked(dev.underpass.model.ec2.SecurityGroup g,
            dev.underpass.model.ec2.SecurityGroup.Rule r) {
        return RevokedSecurityGroupRule.builder().securityGroupRuleId(r.ruleId()).groupId(g.id())
                .isEgress(r.egress()).ipProtocol(r.protocol()).fromPort(r.fromPort()).toPort(r.toPort())
                .cidrIpv4(r.cidrIpv4()).cidrIpv6(r.cidrIpv6()).prefixListId(r.prefixListId())
                .referencedGroupId(r.referencedGroupId()).description(r.description()).build();
    }

    /** A rule with its group, as DescribeSecurityGroupRules lists it (by rule id). */
    private record RuleView(dev.underpass.model.ec2.SecurityGroup group,
            dev.underpass.model.ec2.SecurityGroup.Rule rule) {
        String id() {
            return rule.ruleId();
        }
    }

    private static final FilterSpec<RuleView> RULE_FILTERS = FilterSpec.<RuleView>of(v -> v.rule().tags())
            .one("group-id", v -> v.group().id())
            .one("security-group-rule-id", RuleView::id)
            .build();
}
