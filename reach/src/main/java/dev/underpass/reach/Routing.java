package dev.underpass.reach;

import dev.underpass.model.ec2.VpcEndpointId;
import dev.underpass.model.ec2.InternetGatewayId;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.net.IpProtocol;
import dev.underpass.model.Index;
import dev.underpass.model.World;
import dev.underpass.model.ec2.ElasticIp;
import dev.underpass.model.ec2.Instance;
import dev.underpass.model.ec2.InternetGateway;
import dev.underpass.model.ec2.NatGateway;
import dev.underpass.model.ec2.NetworkInterface;
import dev.underpass.model.ec2.PeeringConnection;
import dev.underpass.model.ec2.PublicIp;
import dev.underpass.model.ec2.RouteTable;
import dev.underpass.model.ec2.RouteTarget;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.ec2.VpcEndpoint;
import dev.underpass.model.ec2.VpcEndpoints;
import dev.underpass.model.net.Cidr;
import dev.underpass.model.net.Ipv4;
import java.util.List;
import java.util.Locale;
/**
 * Routes for one {@link Walk}: longest prefix match in the sender's subnet's route table, then whatever the route
 * points at (the VPC itself, a peering connection, a NAT gateway, an internet gateway, a gateway endpoint, or an
 * appliance interface, whose own subnet routes the packet on).
 */
final class Routing {
    private static final int MAX_ROUTE_DEPTH = 4;

    private final Walk w;
    private final World world;
    private final Query q;
    private final Timing timing;

    Routing(Walk w) {
        this.w = w;
        this.world = w.world;
        this.q = w.q;
        this.timing = w.timing;
    }

    /**
     * Routes a packet from {@code from} to {@code dst}; {@code to} is the interface it must arrive at, or null for
     * an address outside every VPC.
     */
    void route(Node from, int dst, Node to, int depth) {
        RouteTable rt = w.routeTableOf(from.subnet());
        String dstText = Ipv4.format(dst);
        String fix = to == null ? "a route for " + dstText + "/32 to an internet or NAT gateway"
                : to.vpc().id().equals(from.vpc().id()) ? "the local route"
                : "a route for " + to.vpc().cidrBlock() + " to the peering connection with " + to.vpc().id();
        if (rt == null) {
            w.block("NO_ROUTE_TO_DESTINATION", from.subnet().id(), null, "Subnet " + from.subnet().id()
                    + " has no route table.", "Associate a route table with " + fix + ".");
            return;
        }
        Rules.Match m = Rules.longestMatch(rt, dst, w::prefixListCidrs);
        w.hop(rt.id(), Hop.Kind.ROUTE_TABLE, "route to " + dstText + " from " + from.subnet().id(),
                m == null ? null : Rules.describe(m.route(), m.cidr()),
                Walk.at(from).used(m == null ? null : new Hop.RouteUsed(m.route(), m.cidr().toString())));
        Blocker.Named rn = Walk.named(from).route(rt.id(), m == null ? null : m.route())
                .flow(null, null, List.of(dstText));
        if (m == null) {
            w.block("NO_ROUTE_TO_DESTINATION", rt.id(), null, rt.id() + " (subnet " + from.subnet().id()
                    + ") has no route to " + dstText + ".", "Add " + fix + " to " + rt.id() + ".", rn);
            return;
        }
        RouteTable.Route r = m.route();
        if (r.state() == RouteTable.Route.State.BLACKHOLE) {
            w.block("BAD_STATE_ROUTE", rt.id(), null, "The route " + m.cidr() + " in " + rt.id() + " is a blackhole "
                    + "(its target " + Rules.target(r) + " is gone).",
                    "Replace the route in " + rt.id() + " with "
                            + fix + ".",
                    rn);
            return;
        }
        switch (r.target()) {
            case RouteTarget.Local t -> {
                if (to == null) {
                    w.block("NO_POSSIBLE_DESTINATION", from.vpc().id(), null, "No network interface in "
                            + from.vpc().id() + " has the address " + dstText + ".",
                            "Send to an address in use in " + from.vpc().id() + ".");
                } else if (!to.vpc().id().equals(from.vpc().id())) {
                    misrouted(rt, m, to);
                }
            }
            case RouteTarget.Peering t -> peering(rt, m, t.id(), from, dst, to);
            case RouteTarget.Nat t -> nat(rt, m, t.id(), from, dst, to, depth);
            case RouteTarget.Igw t -> internetGateway(t.internetGatewayId(), from, dst, to, rt, m, depth > 0);
            case RouteTarget.GatewayEndpoint t -> gatewayEndpoint(t.vpcEndpointId(), to, rt, m);
            case RouteTarget.Eni t -> appliance(rt, m, t, from, dst, to, depth);
            case RouteTarget.EgressOnlyIgw t -> unsupported(rt, m, t);
            case RouteTarget.OtherGateway t -> unsupported(rt, m, t);
        }
    }

    private void unsupported(RouteTable rt, Rules.Match m, RouteTarget t) {
        w.block("UNSUPPORTED_COMPONENT", rt.id(), null, "The route "
                + m.cidr() + " in " + rt.id() + " goes to " + t.id() + ", which the analyzer does not follow.",
                "Analyze the path up to " + t.id() + " separately.");
    }

    private void misrouted(RouteTable rt, Rules.Match m, Node to) {
        w.block("NO_ROUTE_TO_DESTINATION", rt.id(), null, "The route " + m.cidr() + " in " + rt.id() + " sends "
                + "traffic for " + to.ipText() + " to " + Rules.target(m.route()) + ", not towards " + to.vpc().id()
                + ".",
                "Add a more specific route for " + to.vpc().cidrBlock() + " towards " + to.vpc().id()
                        + " to " + rt.id() + ".",
                Blocker.Named.NONE.route(rt.id(), m.route()).flow(null, null,
                        List.of(to.ipText())));
    }

    private void peering(RouteTable rt, Rules.Match m, String id, Node from, int dst, Node to) {
        PeeringConnection p = world.find(PeeringConnection.class, id).orElse(null);
        PeeringConnection.Side far = p == null ? null : p.peerOf(from.vpc().vpcId());
        w.hop(id, Hop.Kind.VPC_PEERING_CONNECTION, "carries " + from.vpc().id() + " → peer",
                p == null ? null : p.status().wire(),
                Hop.Detail.NONE.between(from.vpc().id(), far == null ? null : far.vpcId().value()));
        if (p == null) {
            w.block("BAD_STATE_ROUTE", rt.id(), null, "The route " + m.cidr() + " in " + rt.id() + " goes to " + id
                    + ", which no longer exists.", "Replace the route with one to an active peering connection.");
            return;
        }
        if (p.status() != PeeringConnection.Status.ACTIVE) {
            w.block("BAD_STATE", id, null, id + " is " + p.status() + ", not active.", "The owner of "
                    + p.accepter().vpcId() + " (" + p.accepter().accountId() + ") accepts it: aws ec2 "
                    + "accept-vpc-peering-connection --vpc-peering-connection-id " + id + ".",
                    Blocker.Named.NONE.state(p.status().wire()).between(from.vpc().id(),
                            far == null ? null : far.vpcId().value(),
                            far == null ? List.of() : far.cidrBlocks()));
        }
        PeeringConnection.Side peer = p.peerOf(from.vpc().vpcId());
        if (peer == null) {
            w.block("NO_POSSIBLE_DESTINATION", id, null, id + " does not join " + from.vpc().id() + ".",
                    "Route to a peering connection of " + from.vpc().id() + ".");
            return;
        }
        boolean inPeer = false;
        for (String c : peer.cidrBlocks()) {
            inPeer |= Cidr.parse(c).contains(dst);
        }
        if (!inPeer) {
            w.block("PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", id, null, id + " carries only traffic for " + peer.vpcId()
                    + "'s blocks " + peer.cidrBlocks() + ", and " + Ipv4.format(dst) + " is outside them.",
                    "Send the traffic to an address in " + peer.vpcId() + ", or route " + Ipv4.format(dst)
                            + " elsewhere.",
                    Blocker.Named.NONE.between(from.vpc().id(), VpcId.text(peer.vpcId()),
                            peer.cidrBlocks()).flow(null, null, List.of(Ipv4.format(dst))));
        }
        if (to == null) {
            w.block("NO_POSSIBLE_DESTINATION", VpcId.text(peer.vpcId()), null, "No network interface in " + peer.vpcId()
                    + " has the address " + Ipv4.format(dst) + ".",
                    "Send to an address in use in "
                            + peer.vpcId() + ".");
        } else if (!peer.vpcId().equals(to.vpc().vpcId())) {
            misrouted(rt, m, to);
        }
    }

    private void nat(RouteTable rt, Rules.Match m, String id, Node from, int dst, Node to, int depth) {
        NatGateway n = world.find(NatGateway.class, id).orElse(null);
        // A gateway stored as pending is available once its CreateNatGateway answer is out (NatGateways.observed).
        NatGateway.State natState = n == null ? null : dev.underpass.model.ec2.NatGateways.observed(n);
        w.hop(id, Hop.Kind.NAT_GATEWAY, "translates " + from.ipText() + " to its own address",
                natState == null ? null : natState.wire());
        if (to != null) {
            misrouted(rt, m, to);
            return;
        }
        if (n == null || natState != NatGateway.State.AVAILABLE) {
            w.block("BAD_STATE", id, null, id + " is " + (n == null ? "deleted" : natState) + ", not available.",
                    "Create a NAT gateway and point the route in " + rt.id() + " at it.");
            return;
        }
        if (!n.vpcId().equals(from.vpc().vpcId())) {
            w.block("NGW_REQUIRES_SOURCE_IN_VPC", id, null, id + " forwards only traffic from its own VPC "
                    + n.vpcId() + ".", "Give " + from.vpc().id() + " a NAT gateway of its own.");
            return;
        }
        if (n.connectivityType() == NatGateway.ConnectivityType.PRIVATE) {
            w.block("NO_POSSIBLE_DESTINATION", id, null, id + " is a private NAT gateway: it cannot reach the "
                    + "internet.", "Route internet traffic through a public NAT gateway.");
            return;
        }
        Subnet natSubnet = world.find(Subnet.class, n.subnetId()).orElse(null);
        if (natSubnet == null || depth >= MAX_ROUTE_DEPTH) {
            return;
        }
        Node natNode = new Node(id, Hop.Kind.NAT_GATEWAY, n.privateIp() == null ? 0 : Ipv4.parse(n.privateIp()),
                natSubnet, from.vpc(), List.of(), null);
        route(natNode, dst, null, depth + 1);
    }

    private void internetGateway(InternetGatewayId igwId, Node from, int dst, Node to, RouteTable rt, Rules.Match m,
            boolean viaNat) {
        InternetGateway igw = world.find(InternetGateway.class, igwId).orElse(null);
        String id = igwId.value();
        w.hop(id, Hop.Kind.INTERNET_GATEWAY, "to the internet", null);
        if (to != null) {
            misrouted(rt, m, to);
            return;
        }
        if (igw == null || !igw.attachedVpcIds().contains(from.vpc().vpcId())) {
            w.block("BAD_STATE_ATTACHMENT", id, null, id + " is not attached to " + from.vpc().id() + ".",
                    "Attach it: aws ec2 attach-internet-gateway --internet-gateway-id " + id + " --vpc-id "
                            + from.vpc().id() + ".");
        }
        if (Rules.isPrivate(dst)) {
            w.block("IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS", id, null, id + " does not forward traffic to "
                    + "the private address " + Ipv4.format(dst) + ".",
                    "Reach private addresses through "
                            + "peering or an endpoint, not the internet gateway.");
        }
        if (!viaNat && from.eni() != null && !hasPublicIp(from.eni())) {
            w.block("IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", id, null, from.component() + " has no public IPv4 "
                    + "address, so " + id + " cannot carry its traffic.",
                    "Associate an Elastic IP with "
                            + from.component() + ", or route through a NAT gateway.");
        }
    }

    private boolean hasPublicIp(NetworkInterface eni) {
        for (ElasticIp e : Index.owned(world, ElasticIp.class, eni.ownerId(), eni.region())) {
            if (e.association() != null && eni.networkInterfaceId().equals(e.association().networkInterfaceId())) {
                return true;
            }
        }
        for (PublicIp p : Index.owned(world, PublicIp.class, eni.ownerId(), eni.region())) {
            if (eni.networkInterfaceId().equals(p.networkInterfaceId()) && p.publicIp() != null) {
                return true;
            }
        }
        return false;
    }

    private void gatewayEndpoint(VpcEndpointId endpointId, Node to, RouteTable rt, Rules.Match m) {
        VpcEndpoint e = world.find(VpcEndpoint.class, endpointId).orElse(null);
        String id = endpointId.value();
        VpcEndpoint.State state = e == null ? VpcEndpoint.State.DELETED
                : VpcEndpoints.observedState(e, timing.now(), timing.transition());
        w.hop(id, Hop.Kind.VPC_ENDPOINT, "gateway endpoint to " + (e == null ? "?" : e.serviceName()), state.wire());
        if (e != null) {
            w.crossed = e;
        }
        if (to != null) {
            misrouted(rt, m, to);
            return;
        }
        if (state != VpcEndpoint.State.AVAILABLE) {
            w.block("BAD_STATE", id, null, id + " is " + state + ", not available.", "Wait for " + id
                    + " to become available, or recreate it.");
        }
        if (q.ipProtocol() != IpProtocol.TCP) {
            w.block("VPCE_GATEWAY_PROTOCOL_RESTRICTION", id, null, "Gateway endpoint " + id + " carries only TCP "
                    + "(and ICMP), not " + q.protocol().toUpperCase(Locale.ROOT) + ".", "Use TCP.");
        }
    }

    private void appliance(RouteTable rt, Rules.Match m, RouteTarget.Eni target, Node from, int dst, Node to,
            int depth) {
        RouteTable.Route r = m.route();
        NetworkInterface eni = null;
        if (target.networkInterfaceId() != null) {
            eni = world.find(NetworkInterface.class, target.networkInterfaceId()).orElse(null);
        } else {
            eni = world.find(Instance.class, target.instanceId())
                    .flatMap(i -> world.find(NetworkInterface.class, i.primaryNetworkInterfaceId())).orElse(null);
        }
        Node box = eni == null ? null : w.node(eni);
        if (box == null) {
            w.block("BAD_STATE_ROUTE", rt.id(), null, "The route " + m.cidr() + " in " + rt.id() + " goes to "
                    + Rules.target(r) + ", which no longer exists.", "Point the route at a live interface.");
            return;
        }
        w.hop(box.component(), Hop.Kind.NETWORK_INTERFACE, "forwards for " + Ipv4.format(dst), null);
        if (to != null && box.component().equals(to.component())) {
            return;
        }
        if (box.eni().sourceDestCheck()) {
            w.block("ENI_SOURCE_DEST_CHECK_RESTRICTION", box.component(), null, box.component() + " has its "
                    + "source/destination check on, so it drops traffic for " + Ipv4.format(dst) + ".",
                    "Turn it off: aws ec2 modify-network-interface-attribute --network-interface-id "
                            + box.component() + " --no-source-dest-check.");
        }
        if (depth >= MAX_ROUTE_DEPTH) {
            w.block("NO_PATH", rt.id(), null, "The route to " + Ipv4.format(dst) + " loops through appliances.",
                    "Remove the routing loop.");
            return;
        }
        route(box, dst, to, depth + 1);
    }
}
