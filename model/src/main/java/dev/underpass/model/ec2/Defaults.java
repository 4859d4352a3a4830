package dev.underpass.model.ec2;

import dev.underpass.model.net.IpProtocol;
import dev.underpass.model.Ids;
import java.util.List;
import java.util.Map;

/**
 * What AWS creates with every VPC: the default security group (all traffic in from itself, all traffic out), the
 * main route table (one local route per VPC CIDR) and the default network ACL (rule 100 allows everything both
 * ways, the catch-all * rule denies).
 */
public final class Defaults {
    /** The rule number AWS shows as {@code *}: the last, unchangeable deny. */
    public static final int CATCH_ALL_RULE = 32767;

    private Defaults() {}

    public static SecurityGroup securityGroup(Vpc vpc) {
        String id = Ids.next("sg");
        List<SecurityGroup.Rule> rules = List.of(
                new SecurityGroup.Rule(new SecurityGroupRuleId(Ids.next(SecurityGroupRuleId.PREFIX)), false,
                        IpProtocol.ALL, -1, -1,
                        new RulePeer.Group(SecurityGroupId.of(id), vpc.ownerId()),
                        null),
                new SecurityGroup.Rule(new SecurityGroupRuleId(Ids.next(SecurityGroupRuleId.PREFIX)), true,
                        IpProtocol.ALL, -1, -1,
                        AddressSet.ALL_IPV4,
                        null));
        return new SecurityGroup(id, vpc.ownerId(), vpc.region(), vpc.vpcId(), "default",
                "default VPC security group", rules, Map.of());
    }

    public static RouteTable mainRouteTable(Vpc vpc) {
        List<RouteTable.Route> routes = vpc.activeCidrs().stream().map(RouteTables::localRoute).toList();
        return new RouteTable(Ids.next("rtb"), vpc.ownerId(), vpc.region(), vpc.vpcId(), routes,
                List.of(new RouteTable.Association(
                        new RouteTableAssociationId(Ids.next(RouteTableAssociationId.PREFIX)), null, null, true)),
                Map.of());
    }

    public static NetworkAcl networkAcl(Vpc vpc) {
        return new NetworkAcl(Ids.next("acl"), vpc.ownerId(), vpc.region(), vpc.vpcId(), true, defaultEntries(true),
                List.of(), Map.of());
    }

    /**
     * The entries of a new ACL: a default ACL allows all traffic at rule 100; a custom one starts with only the
     * catch-all denies.
     */
    public static List<NetworkAcl.Entry> defaultEntries(boolean allowAll) {
        NetworkAcl.Entry denyIn =
                new NetworkAcl.Entry(CATCH_ALL_RULE, false, IpProtocol.ALL, false, AddressSet.ALL_IPV4, null,
                        null, null, null);
        NetworkAcl.Entry denyOut =
                new NetworkAcl.Entry(CATCH_ALL_RULE, true, IpProtocol.ALL, false, AddressSet.ALL_IPV4, null,
                        null, null, null);
        if (!allowAll) {
            return List.of(denyOut, denyIn);
        }
        return List.of(
                new NetworkAcl.Entry(100, true, IpProtocol.ALL, true, AddressSet.ALL_IPV4, null, null, null, null),
                denyOut,
                new NetworkAcl.Entry(100, false, IpProtocol.ALL, true, AddressSet.ALL_IPV4, null, null, null, null),
                denyIn);
    }
}
