package dev.underpass.aws.ec2;

import dev.underpass.model.Resource;
import dev.underpass.model.World;
import dev.underpass.model.ec2.NetworkAcl;
import dev.underpass.model.ec2.NetworkInsightsAnalysis.Explanation;
import dev.underpass.model.ec2.NetworkInsightsAnalysis.Header;
import dev.underpass.model.ec2.NetworkInsightsAnalysis.Hop;
import dev.underpass.model.ec2.NetworkInsightsAnalysis.Ref;
import dev.underpass.model.ec2.RouteTable;
import dev.underpass.model.ec2.SecurityGroup;
import dev.underpass.reach.Blocker;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.AnalysisAclRule;
import software.amazon.awssdk.services.ec2.model.AnalysisComponent;
import software.amazon.awssdk.services.ec2.model.AnalysisPacketHeader;
import software.amazon.awssdk.services.ec2.model.AnalysisRouteTableRoute;
import software.amazon.awssdk.services.ec2.model.AnalysisSecurityGroupRule;
import software.amazon.awssdk.services.ec2.model.PathComponent;
import software.amazon.awssdk.services.ec2.model.PortRange;

/**
 * The analyzer's hops and blockers as stored values (naming each component by id, ARN and Name tag as the world
 * has them when the analysis runs, so that a later deletion does not change a stored analysis), and those as AWS's
 * PathComponent and Explanation members.
 */
final class NetworkInsightsShapes {
    private static final int EPHEMERAL_FROM = 1024;
    private static final int EPHEMERAL_TO = 65535;

    private NetworkInsightsShapes() {}

    // ---------------------------------------------------------------------------------------------------------
    // reach → stored values

    /** A component by id: its ARN ({@code arn:aws:ec2:<region>:<owner>:<type>/<id>}) and Name tag if it exists. */
    static Ref ref(World world, String id) {
        if (id == null) {
            return null;
        }
        Resource r = world.findAny(id).orElse(null);
        if (id.startsWith("arn:")) {
            return new Ref(id, id, r == null ? null : r.tags().get("Name"));
        }
        if (r == null) {
            return new Ref(id, null, null);
        }
        return new Ref(id, "arn:aws:ec2:" + r.region() + ":" + r.ownerId() + ":" + r.resourceType() + "/" + id,
                r.tags().get("Name"));
    }

    static Hop hop(World world, dev.underpass.reach.Hop h) {
        dev.underpass.reach.Hop.Detail d = h.detail();
        String groupId = null;
        SecurityGroup.Rule sgRule = null;
        NetworkAcl.Entry aclRule = null;
        RouteTable.Route route = null;
        switch (d.used()) {
            case dev.underpass.reach.Hop.SgRuleUsed u -> {
                groupId = u.groupId();
                sgRule = u.rule();
            }
            case dev.underpass.reach.Hop.AclRuleUsed u -> aclRule = u.entry();
            case dev.underpass.reach.Hop.RouteUsed u -> route = u.route();
            case null -> { }
        }
        return new Hop(h.sequence(), h.component(), h.type(), h.check(), h.matched(), component(world, h),
                ref(world, d.vpcId()), ref(world, d.subnetId()), ref(world, d.sourceVpcId()),
                ref(world, d.destinationVpcId()), groupId, sgRule, aclRule, route, header(d.outbound()),
                header(d.inbound()));
    }

    /** Addresses and AWS service names are components with no ARN. */
    private static Ref component(World world, dev.underpass.reach.Hop h) {
        if (h.type().equals("address") || h.type().equals("aws-service") || h.type().equals("policy")) {
            return new Ref(h.component(), null, null);
        }
        return ref(world, h.component());
    }

    private static Header header(dev.underpass.reach.Hop.Header h) {
        return h == null ? null : new Header(h.sourceAddress(), h.destinationAddress(), h.sourcePort(),
                h.destinationPort(), h.protocol());
    }

    static Explanation explanation(World world, Blocker b) {
        Blocker.Named n = b.named();
        Resource owner = b.component() == null ? null : world.findAny(b.component()).orElse(null);
        return new Explanation(b.code(), b.component(), b.direction(), b.path(), b.message(), b.fix(),
                ref(world, b.component()), owner == null ? null : owner.ownerId(),
                owner == null ? null : owner.region(), ref(world, n.vpcId()), ref(world, n.subnetId()),
                n.securityGroupIds().stream().map(id -> ref(world, id)).toList(), ref(world, n.aclId()),
                n.aclRule(), ref(world, n.routeTableId()), n.route(), n.loadBalancerArn(), n.listenerPort(),
                ref(world, n.targetGroupArn()), n.port(), n.protocol(), n.addresses(), n.state());
    }

    // ---------------------------------------------------------------------------------------------------------
    // stored values → AWS shapes

    private static AnalysisComponent shape(Ref r) {
        return r == null ? null : AnalysisComponent.builder().id(r.id()).arn(r.arn()).name(r.name()).build();
    }

    static PathComponent component(Hop h) {
        Ref c = h.component() != null ? h.component() : new Ref(h.componentId(), null, null);
        PathComponent.Builder b = PathComponent.builder().sequenceNumber(h.sequence()).component(shape(c))
                .vpc(shape(h.vpc())).subnet(shape(h.subnet())).sourceVpc(shape(h.sourceVpc()))
                .destinationVpc(shape(h.destinationVpc())).outboundHeader(header(h.outbound()))
                .inboundHeader(header(h.inbound()));
        if (h.securityGroupRule() != null) {
            b.securityGroupRule(sgRule(h.securityGroupRule()));
        }
        if (h.aclRule() != null) {
            b.aclRule(aclRule(h.aclRule()));
        }
        if (h.route() != null) {
            b.routeTableRoute(route(h.route()));
        }
        return b.build();
    }

    private static AnalysisSecurityGroupRule sgRule(SecurityGroup.Rule r) {
        boolean allPorts = r.protocol().equals("-1") || (r.fromPort() == -1 && r.toPort() == -1);
        return AnalysisSecurityGroupRule.builder().cidr(r.cidrIpv4() != null ? r.cidrIpv4() : r.cidrIpv6())
                .direction(r.egress() ? "egress" : "ingress").securityGroupId(r.referencedGroupId())
                .prefixListId(r.prefixListId()).protocol(r.protocol())
                .portRange(allPorts ? null : range(r.fromPort(), r.toPort())).build();
    }

    private static AnalysisAclRule aclRule(NetworkAcl.Entry e) {
        boolean allPorts = e.protocol().equals("-1") || e.portFrom() == null || e.portTo() == null;
        return AnalysisAclRule.builder().cidr(e.cidrBlock() != null ? e.cidrBlock() : e.ipv6CidrBlock())
                .egress(e.egress()).protocol(e.protocol()).ruleAction(e.ruleAction()).ruleNumber(e.ruleNumber())
                .portRange(allPorts ? null : range(e.portFrom(), e.portTo())).build();
    }

    private static AnalysisRouteTableRoute route(RouteTable.Route r) {
        return AnalysisRouteTableRoute.builder()
                .destinationCidr(r.destinationCidrBlock() != null ? r.destinationCidrBlock()
                        : r.destinationIpv6CidrBlock())
                .destinationPrefixListId(r.destinationPrefixListId()).gatewayId(r.gatewayId())
                .natGatewayId(r.natGatewayId()).networkInterfaceId(r.networkInterfaceId())
                .instanceId(r.instanceId()).vpcPeeringConnectionId(r.vpcPeeringConnectionId())
                .egressOnlyInternetGatewayId(r.egressOnlyInternetGatewayId()).origin(r.origin())
                .state(r.state()).build();
    }

    private static PortRange range(int from, int to) {
        return PortRange.builder().from(from).to(to).build();
    }

    /** AWS writes a header's protocol as its number; an unknown source port is the client's ephemeral range. */
    private static AnalysisPacketHeader header(Header h) {
        if (h == null) {
            return null;
        }
        return AnalysisPacketHeader.builder().sourceAddresses(h.sourceAddress())
                .destinationAddresses(h.destinationAddress())
                .sourcePortRanges(h.sourcePort() == null ? range(EPHEMERAL_FROM, EPHEMERAL_TO)
                        : range(h.sourcePort(), h.sourcePort()))
                .destinationPortRanges(h.destinationPort() == null ? range(EPHEMERAL_FROM, EPHEMERAL_TO)
                        : range(h.destinationPort(), h.destinationPort()))
                .protocol(protocolNumber(h.protocol())).build();
    }

    private static String protocolNumber(String protocol) {
        return switch (protocol == null ? "" : protocol) {
            case "tcp" -> "6";
            case "udp" -> "17";
            default -> protocol;
        };
    }

    /**
     * AWS's Explanation: the component in {@code component} and in the member of its kind, and the resources and
     * values the blocker names in theirs.
     */
    static software.amazon.awssdk.services.ec2.model.Explanation explanation(Explanation e) {
        AnalysisComponent c = e.component() != null ? shape(e.component())
                : AnalysisComponent.builder().id(e.componentId()).build();
        var b = software.amazon.awssdk.services.ec2.model.Explanation.builder().explanationCode(e.code())
                .direction(e.direction()).component(c).componentAccount(e.componentAccount())
                .componentRegion(e.componentRegion()).vpc(shape(e.vpc())).subnet(shape(e.subnet()))
                .loadBalancerArn(e.loadBalancerArn()).loadBalancerListenerPort(e.listenerPort())
                .loadBalancerTargetGroup(shape(e.targetGroup())).port(e.port()).state(e.state());
        if (!e.securityGroups().isEmpty()) {
            b.securityGroups(e.securityGroups().stream().map(NetworkInsightsShapes::shape).toList());
        }
        if (e.acl() != null) {
            b.acl(shape(e.acl()));
        }
        if (e.aclRule() != null) {
            b.aclRule(aclRule(e.aclRule()));
        }
        if (e.routeTable() != null) {
            b.routeTable(shape(e.routeTable()));
        }
        if (e.route() != null) {
            b.routeTableRoute(route(e.route()));
        }
        if (e.protocol() != null) {
            b.protocols(e.protocol());
        }
        if (!e.addresses().isEmpty()) {
            List<String> cidrs = e.addresses().stream().map(a -> a.contains("/") ? a : a + "/32").toList();
            b.addresses(cidrs);
            if (cidrs.size() == 1) {
                b.address(cidrs.get(0));
            }
        }
        String id = e.componentId() == null ? "" : e.componentId();
        if (id.startsWith("sg-")) {
            b.securityGroup(c);
        } else if (id.startsWith("acl-")) {
            b.acl(c);
        } else if (id.startsWith("rtb-")) {
            b.routeTable(c);
        } else if (id.startsWith("vpce-") && !id.startsWith("vpce-svc-")) {
            b.vpcEndpoint(c);
        } else if (id.startsWith("pcx-")) {
            b.vpcPeeringConnection(c);
        } else if (id.startsWith("igw-")) {
            b.internetGateway(c);
        } else if (id.startsWith("nat-")) {
            b.natGateway(c);
        } else if (id.startsWith("eni-")) {
            b.networkInterface(c);
        } else if (id.startsWith("subnet-")) {
            b.subnet(c);
        } else if (id.startsWith("vpc-")) {
            b.vpc(c);
        } else if (id.contains(":loadbalancer/")) {
            b.loadBalancerArn(id);
        } else if (id.contains(":listener/")) {
            b.elasticLoadBalancerListener(c);
        } else if (id.contains(":targetgroup/")) {
            b.loadBalancerTargetGroup(c);
        }
        return b.build();
    }
}
