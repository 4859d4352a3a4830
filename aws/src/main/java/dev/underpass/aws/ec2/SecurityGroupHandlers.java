package dev.underpass.aws.ec2;

import dev.underpass.model.ec2.GroupRef;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.ec2.RulePeer;
import dev.underpass.aws.ShapeCache;
import dev.underpass.model.Caller;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.Index;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.Kind;
import dev.underpass.model.ec2.Lookup;
import dev.underpass.model.ec2.Scoped;
import dev.underpass.model.ec2.SecurityGroup;
import dev.underpass.model.ec2.SecurityGroups;
import dev.underpass.model.net.IpProtocol;
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
import software.amazon.awssdk.services.ec2.model.CreateSecurityGroupRequest;
import software.amazon.awssdk.services.ec2.model.CreateSecurityGroupResponse;
import software.amazon.awssdk.services.ec2.model.DeleteSecurityGroupRequest;
import software.amazon.awssdk.services.ec2.model.DeleteSecurityGroupResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupReferencesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupReferencesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupsResponse;
import software.amazon.awssdk.services.ec2.model.SecurityGroupReference;

/**
 * Security groups: create, delete, describe (groups with their rules regrouped into AWS's IpPermissions) and
 * references from other VPCs. Domain rules live in {@link SecurityGroups}. The rule calls (authorize, revoke, modify,
 * descriptions, DescribeSecurityGroupRules) are in {@link SecurityGroupRuleHandlers} and the SDK shapes both use in
 * {@link SecurityGroupShapes}: three files of one family, split so that each stays readable.
 */
record SecurityGroupHandlers(Ec2Registry api) {
    void register(Ec2Registry registry) {
        registry.write("CreateSecurityGroup", CreateSecurityGroupRequest::builder, this::create);
        registry.write("DeleteSecurityGroup", DeleteSecurityGroupRequest::builder, this::delete);
        registry.read("DescribeSecurityGroups", DescribeSecurityGroupsRequest::builder, this::describe);
        registry.read("DescribeSecurityGroupReferences", DescribeSecurityGroupReferencesRequest::builder,
                this::describeReferences);
        // The rule calls are a family of their own; registering them here keeps one entry per resource in Ec2Api.
        new SecurityGroupRuleHandlers(api).register(registry);
    }

    private CreateSecurityGroupResponse create(CreateSecurityGroupRequest req, Tx tx) {
        var group = SecurityGroups.create(tx, api.settings().quotas(), new SecurityGroups.Create(VpcId.of(req.vpcId()),
                req.groupName(), req.description(), Shapes.tagsFor(req.tagSpecifications(), "security-group")));
        var out = CreateSecurityGroupResponse.builder().groupId(group.id()).securityGroupArn(group.arn());
        if (!group.tags().isEmpty()) {
            out.tags(Shapes.tags(group.tags()));
        }
        return out.build();
    }

    private DeleteSecurityGroupResponse delete(DeleteSecurityGroupRequest req, Tx tx) {
        var group = SecurityGroups.delete(tx, GroupRef.of(req.groupId(), req.groupName()));
        return DeleteSecurityGroupResponse.builder().returnValue(true).groupId(group.id()).build();
    }

    private DescribeSecurityGroupsResponse describe(DescribeSecurityGroupsRequest req, Ec2Api.ReadContext ctx) {
        World world = ctx.world();
        Caller caller = ctx.caller();
        List<SecurityGroup> candidates;
        if (req.groupIds().isEmpty() && req.groupNames().isEmpty()) {
            candidates = Scoped.visible(world, caller, SecurityGroup.class);
        } else {
            Map<String, SecurityGroup> named = new LinkedHashMap<>();
            if (!req.groupIds().isEmpty()) {
                Lookup.requireAll(world, caller, Kind.SECURITY_GROUP, SecurityGroup.class,
                        req.groupIds()).forEach(g -> named.put(g.id(), g));
            }
            for (String name : req.groupNames()) {
                var g = SecurityGroups.byNameInDefaultVpc(world, caller, name);
                named.put(g.id(), g);
            }
            candidates = named.values().stream()
                    .sorted(Comparator.comparing(SecurityGroup::id)).toList();
        }
        var page = Describe.of(candidates).map(g -> Describe.asSeen(caller, g)).filter(groupFilters(world),
                req.filters()).page(req.maxResults(), req.nextToken(), Describe.Limits.STANDARD);
        return DescribeSecurityGroupsResponse.builder()
                .securityGroups(ShapeCache.of(world).shapes(page.items(),
                        software.amazon.awssdk.services.ec2.model.SecurityGroup.class, SecurityGroupShapes::shape))
                .nextToken(page.nextToken()).build();
    }

    private static FilterSpec<SecurityGroup> groupFilters(World world) {
        var b = FilterSpec.<SecurityGroup>resources()
                .one("description", SecurityGroup::description)
                .one("group-id", SecurityGroup::id)
                .one("group-name", SecurityGroup::groupName)
                .one("owner-id", SecurityGroup::ownerId)
                .one("vpc-id", SecurityGroup::vpcId);
        for (boolean egress : new boolean[] {false, true}) {
            String p = egress ? "egress.ip-permission." : "ip-permission.";
            b.many(p + "cidr", rules(egress, r -> nullable(r.fields().cidrIpv4())))
                    .many(p + "ipv6-cidr", rules(egress, r -> nullable(r.fields().cidrIpv6())))
                    .many(p + "prefix-list-id", rules(egress, r -> nullable(r.fields().prefixListId())))
                    .many(p + "group-id", rules(egress, r -> nullable(r.fields().referencedGroupId())))
                    .many(p + "user-id", rules(egress, r -> nullable(r.fields().referencedUserId())))
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
    private static Collection<String> groupNames(World world, SecurityGroup g,
            boolean egress) {
        Set<String> out = new LinkedHashSet<>();
        for (var r : g.rules()) {
            if (r.egress() == egress && r.peer() instanceof RulePeer.Group peer) {
                world.find(SecurityGroup.class, peer.groupId())
                        .filter(ref -> ref.ownerId().equals(g.ownerId()))
                        .ifPresent(ref -> out.add(ref.groupName()));
            }
        }
        return out;
    }

    /** A filter over one direction's rules: the union of {@code values} of each rule, nulls left out. */
    private static Function<SecurityGroup, Collection<String>> rules(boolean egress,
            Function<SecurityGroup.Rule, List<String>> values) {
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
    private static List<String> protocolAliases(IpProtocol protocol) {
        return protocol.isAll() || protocol.commonName() == null ? List.of(protocol.ruleName())
                : List.of(protocol.ruleName(), protocol.aclNumber());
    }

    /** Which other VPCs' groups reference each group (AWS answers this for peered VPCs). */
    private DescribeSecurityGroupReferencesResponse describeReferences(DescribeSecurityGroupReferencesRequest req,
            Ec2Api.ReadContext ctx) {
        if (req.groupId().isEmpty()) {
            throw Ec2Errors.missingParameter("GroupId");
        }
        World world = ctx.world();
        var groups = Lookup.requireAll(world, ctx.caller(), Kind.SECURITY_GROUP,
                SecurityGroup.class, req.groupId());
        List<SecurityGroupReference> out = new ArrayList<>();
        for (var g : groups) {
            Set<String> vpcs = new LinkedHashSet<>();
            // Referencing groups are the owner's (peering within an account); other accounts are not read.
            for (var other : Index.owned(world, SecurityGroup.class, g.ownerId(),
                    g.region())) {
                if (!other.vpcId().equals(g.vpcId())
                        && other.rules().stream().anyMatch(r -> r.peer() instanceof RulePeer.Group ref
                                && g.groupId().equals(ref.groupId()))) {
                    vpcs.add(VpcId.text(other.vpcId()));
                }
            }
            vpcs.forEach(v -> out.add(SecurityGroupReference.builder().groupId(g.id()).referencingVpcId(v).build()));
        }
        return DescribeSecurityGroupReferencesResponse.builder().securityGroupReferenceSet(out).build();
    }
}
