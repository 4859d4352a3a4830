package dev.underpass.aws.ec2;

import dev.underpass.model.ec2.InstanceId;
import dev.underpass.model.AwsNamed;
import dev.underpass.model.Resource;
import dev.underpass.model.World;
import dev.underpass.model.ec2.EndpointService;
import dev.underpass.model.ec2.NetworkAcl;
import dev.underpass.model.ec2.NetworkInterface;
import dev.underpass.model.ec2.NetworkInsightsAnalysis.Explanation;
import dev.underpass.model.ec2.NetworkInsightsAnalysis.Header;
import dev.underpass.model.ec2.NetworkInsightsAnalysis.Hop;
import dev.underpass.model.ec2.NetworkInsightsAnalysis.Ref;
import dev.underpass.model.ec2.RouteTable;
import dev.underpass.model.ec2.SecurityGroup;
import dev.underpass.model.ec2.VpcEndpoint;
import dev.underpass.reach.Blocker;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
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
    /** AWS writes an unconstrained port (the client's side of a flow) as the whole range. */
    private static final int ANY_PORT_FROM = 0;
    private static final int ANY_PORT_TO = 65535;

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

    /**
     * A path's hops as stored, with packet headers where AWS shows them: the packet in full where it leaves the
     * first component and where it arrives at the last, and, at a component that rewrites it (a load balancer
     * sending to its target), only the members it changed. The analyzer records a header at every interface a
     * packet leaves or reaches; the ones in between are dropped here. Where the path starts or ends at an
     * instance's interface, the instance is a component of its own before or after it (as AWS lists them), and
     * carries that end's header.
     */
    static List<Hop> hops(World world, List<dev.underpass.reach.Hop> path) {
        int lastInbound = -1;
        for (int i = 0; i < path.size(); i++) {
            if (path.get(i).detail().inbound() != null) {
                lastInbound = i;
            }
        }
        List<Hop> out = new ArrayList<>();
        Header current = null;
        for (int i = 0; i < path.size(); i++) {
            dev.underpass.reach.Hop h = path.get(i);
            Header outbound = header(h.detail().outbound());
            Header shown = null;
            if (outbound != null) {
                shown = current == null ? outbound : changes(current, outbound);
                current = outbound;
            }
            Header inbound = i == lastInbound ? header(h.detail().inbound()) : null;
            out.add(hop(world, h).withHeaders(shown, inbound));
        }
        if (!out.isEmpty() && out.get(0).attachedTo() != null && out.get(0).outbound() != null) {
            Hop eni = out.get(0);
            out.set(0, eni.withHeaders(null, eni.inbound()));
            out.add(0, instance(eni.attachedTo(), "sends from " + eni.componentId(), eni.outbound(), null));
        }
        int last = out.size() - 1;
        if (last >= 0 && out.get(last).attachedTo() != null && out.get(last).inbound() != null
                && lastInbound == path.size() - 1) {
            Hop eni = out.get(last);
            out.set(last, eni.withHeaders(eni.outbound(), null));
            out.add(instance(eni.attachedTo(), "receives on " + eni.componentId(), null, eni.inbound()));
        }
        List<Hop> numbered = new ArrayList<>();
        for (Hop h : out) {
            numbered.add(new Hop(numbered.size() + 1, h.componentId(), h.componentType(), h.check(), h.matched(),
                    h.component(), h.vpc(), h.subnet(), h.sourceVpc(), h.destinationVpc(), h.securityGroupId(),
                    h.securityGroupRule(), h.aclRule(), h.route(), h.outbound(), h.inbound(), h.attachedTo(),
                    h.serviceName(), h.listener()));
        }
        return numbered;
    }

    /** An instance at either end of a path (numbered later). */
    private static Hop instance(Ref instance, String check, Header outbound, Header inbound) {
        return new Hop(0, instance.id(), "instance", check, null, instance, null, null, null, null, null, null,
                null, null, outbound, inbound, null, null, null);
    }

    /** The members of {@code next} that differ from {@code before}, or null when the packet is unchanged. */
    private static Header changes(Header before, Header next) {
        String src = Objects.equals(before.sourceAddress(), next.sourceAddress()) ? null : next.sourceAddress();
        String dst = Objects.equals(before.destinationAddress(), next.destinationAddress()) ? null
                : next.destinationAddress();
        Integer sport = Objects.equals(before.sourcePort(), next.sourcePort()) ? null : next.sourcePort();
        Integer dport = Objects.equals(before.destinationPort(), next.destinationPort()) ? null
                : next.destinationPort();
        if (src == null && dst == null && sport == null && dport == null) {
            return null;
        }
        return new Header(src, dst, sport, dport, null, true);
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
            case null -> {
            }
        }
        Ref attachedTo = null;
        String serviceName = null;
        Ref listener = null;
        switch (h.type()) {
            case NETWORK_INTERFACE -> attachedTo = world.find(NetworkInterface.class, h.component())
                    .map(NetworkInterface::attachment).map(NetworkInterface.Attachment::instanceId)
                    .map(id -> ref(world, InstanceId.text(id))).orElse(null);
            case VPC_ENDPOINT -> serviceName = world.find(VpcEndpoint.class, h.component())
                    .map(VpcEndpoint::serviceName).orElse(null);
            case VPC_ENDPOINT_SERVICE -> serviceName = world.find(EndpointService.class, h.component())
                    .map(EndpointService::serviceName).orElse(null);
            case AWS_SERVICE -> serviceName = h.component().indexOf('.') > 0 ? h.component() : null;
            case LISTENER -> listener = ref(world, h.component());
            default -> {
            }
        }
        return new Hop(h.sequence(), h.component(), h.type().toString(), h.check(), h.matched(), component(world, h),
                ref(world, d.vpcId()), ref(world, d.subnetId()), ref(world, d.sourceVpcId()),
                ref(world, d.destinationVpcId()), groupId, sgRule, aclRule, route, header(d.outbound()),
                header(d.inbound()), attachedTo, serviceName, listener);
    }

    /** Addresses and AWS service names are components with no ARN. */
    private static Ref component(World world, dev.underpass.reach.Hop h) {
        if (!h.type().isResource()) {
            return new Ref(h.component(), null, null);
        }
        return ref(world, h.component());
    }

    private static Header header(dev.underpass.reach.Hop.Header h) {
        return h == null ? null : new Header(h.sourceAddress(), h.destinationAddress(), h.sourcePort(),
                h.destinationPort(), h.protocol(), false);
    }

    static Explanation explanation(World world, Blocker b) {
        Blocker.Named n = b.named();
        Resource owner = b.component() == null ? null : world.findAny(b.component()).orElse(null);
        return new Explanation(b.code(), b.component(), AwsNamed.wireOf(b.direction()), b.path().toString(),
                b.message(), b.fix(),
                ref(world, b.component()), owner == null ? null : owner.ownerId(),
                owner == null ? null : owner.region(), ref(world, n.vpcId()), ref(world, n.subnetId()),
                n.securityGroupIds().stream().map(id -> ref(world, id)).toList(), ref(world, n.aclId()),
                n.aclRule(), ref(world, n.routeTableId()), n.route(), n.loadBalancerArn(), n.listenerPort(),
                ref(world, n.targetGroupArn()), n.port(), n.protocol(), n.addresses(), n.state(),
                ref(world, n.networkInterfaceId()), n.vpcs() == null ? null : ref(world, n.vpcs().sourceVpcId()),
                n.vpcs() == null ? null : ref(world, n.vpcs().destinationVpcId()),
                n.vpcs() == null ? List.of() : n.vpcs().destinationCidrs());
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
                .inboundHeader(header(h.inbound())).attachedTo(shape(h.attachedTo())).serviceName(h.serviceName());
        if (h.listener() != null) {
            b.elasticLoadBalancerListener(shape(h.listener()));
        }
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

    private static AnalysisSecurityGroupRule sgRule(SecurityGroup.Rule rule) {
        SecurityGroup.RuleFields r = rule.fields();
        boolean allPorts = r.protocol().equals("-1") || (r.fromPort() == -1 && r.toPort() == -1);
        return AnalysisSecurityGroupRule.builder().cidr(r.cidrIpv4() != null ? r.cidrIpv4() : r.cidrIpv6())
                .direction(r.egress() ? "egress" : "ingress").securityGroupId(r.referencedGroupId())
                .prefixListId(r.prefixListId()).protocol(protocolName(r.protocol()))
                .portRange(allPorts ? null : range(r.fromPort(), r.toPort())).build();
    }

    private static AnalysisAclRule aclRule(NetworkAcl.Entry entry) {
        NetworkAcl.EntryFields e = entry.fields();
        boolean allPorts = e.protocol().equals("-1") || e.portFrom() == null || e.portTo() == null;
        return AnalysisAclRule.builder().cidr(e.cidrBlock() != null ? e.cidrBlock() : e.ipv6CidrBlock())
                .egress(e.egress()).protocol(protocolName(e.protocol())).ruleAction(e.ruleAction())
                .ruleNumber(e.ruleNumber())
                .portRange(allPorts ? null : range(e.portFrom(), e.portTo())).build();
    }

    private static AnalysisRouteTableRoute route(RouteTable.Route route) {
        RouteTable.Fields r = route.fields();
        return AnalysisRouteTableRoute.builder()
                .destinationCidr(r.destinationCidrBlock() != null ? r.destinationCidrBlock()
                        : r.destinationIpv6CidrBlock())
                .destinationPrefixListId(r.destinationPrefixListId()).gatewayId(r.gatewayId())
                .natGatewayId(r.natGatewayId()).networkInterfaceId(r.networkInterfaceId())
                .instanceId(r.instanceId()).vpcPeeringConnectionId(r.vpcPeeringConnectionId())
                .egressOnlyInternetGatewayId(r.egressOnlyInternetGatewayId())
                .origin(r.origin() == null ? null : r.origin().toLowerCase(Locale.ROOT))
                .state(r.state()).build();
    }

    private static PortRange range(int from, int to) {
        return PortRange.builder().from(from).to(to).build();
    }

    /**
     * A header as AWS writes it: addresses in CIDR notation, ports as ranges (an unconstrained port as 0-65535),
     * the protocol as its number. A header of changes only carries the members that are set.
     */
    private static AnalysisPacketHeader header(Header h) {
        if (h == null) {
            return null;
        }
        var b = AnalysisPacketHeader.builder();
        if (h.sourceAddress() != null) {
            b.sourceAddresses(h.sourceAddress() + "/32");
        }
        if (h.destinationAddress() != null) {
            b.destinationAddresses(h.destinationAddress() + "/32");
        }
        if (h.sourcePort() != null || !h.changesOnly()) {
            b.sourcePortRanges(ports(h.sourcePort()));
        }
        if (h.destinationPort() != null || !h.changesOnly()) {
            b.destinationPortRanges(ports(h.destinationPort()));
        }
        return b.protocol(protocolNumber(h.protocol())).build();
    }

    private static PortRange ports(Integer port) {
        return port == null ? range(ANY_PORT_FROM, ANY_PORT_TO) : range(port, port);
    }

    private static String protocolNumber(String protocol) {
        return switch (protocol == null ? "" : protocol) {
            case "" -> null;
            case "tcp" -> "6";
            case "udp" -> "17";
            default -> protocol;
        };
    }

    /**
     * A rule's protocol as AWS names it in an analysis: {@code all} for every protocol (AWS's documented output),
     * {@code tcp} and {@code udp} by name whether the rule was written by name or number.
     */
    static String protocolName(String protocol) {
        return switch (protocol == null ? "" : protocol) {
            case "-1", "all" -> "all";
            case "6", "tcp" -> "tcp";
            case "17", "udp" -> "udp";
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
                .loadBalancerTargetGroup(shape(e.targetGroup())).port(e.port()).state(e.state())
                .networkInterface(shape(e.networkInterface())).sourceVpc(shape(e.sourceVpc()))
                .destinationVpc(shape(e.destinationVpc()));
        if (!e.cidrs().isEmpty()) {
            b.cidrs(e.cidrs());
        }
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
