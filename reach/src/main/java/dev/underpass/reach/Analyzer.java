package dev.underpass.reach;

import dev.underpass.model.Index;
import dev.underpass.model.World;
import dev.underpass.model.ec2.AwsServices;
import dev.underpass.model.ec2.ElasticIp;
import dev.underpass.model.ec2.EndpointService;
import dev.underpass.model.ec2.Instance;
import dev.underpass.model.ec2.InstanceStates;
import dev.underpass.model.ec2.InternetGateway;
import dev.underpass.model.ec2.ManagedPrefixList;
import dev.underpass.model.ec2.NatGateway;
import dev.underpass.model.ec2.NetworkAcl;
import dev.underpass.model.ec2.NetworkInterface;
import dev.underpass.model.ec2.PeeringConnection;
import dev.underpass.model.ec2.PublicIp;
import dev.underpass.model.ec2.RouteTable;
import dev.underpass.model.ec2.Scoped;
import dev.underpass.model.ec2.SecurityGroup;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.ec2.Vpc;
import dev.underpass.model.ec2.VpcEndpoint;
import dev.underpass.model.ec2.VpcEndpoints;
import dev.underpass.model.elb.Listener;
import dev.underpass.model.elb.LoadBalancer;
import dev.underpass.model.elb.LoadBalancers;
import dev.underpass.model.elb.TargetGroup;
import dev.underpass.model.elb.TargetHealths;
import dev.underpass.model.net.Cidr;
import dev.underpass.model.net.Ipv4;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The reachability analyzer: follows one TCP or UDP flow from a source network interface to its destination and
 * back through the same components AWS's VPC Reachability Analyzer models (security groups, network ACLs, route
 * tables, peering connections, internet and NAT gateways, gateway endpoints, interface endpoints, endpoint
 * services, Network Load Balancers, target groups and targets), over one immutable {@link World}.
 *
 * <p>Unlike AWS, which reports one blocking component, it reports <em>every</em> blocker of the candidate path: a
 * check that fails is recorded and the walk goes on as if it had been fixed (the "blocked path" of Bayless et al.,
 * CAV 2021), so one answer lists every change needed. Where the path cannot be continued at all (a load balancer
 * with no listener on the port), the walk stops there.
 *
 * <p>Semantics, in the order the walk applies them to each leg (client → endpoint, load balancer → target):
 * <ul>
 *   <li>Security groups are stateful: the sender's egress and the receiver's ingress rules are checked on the
 *       forward path only. A rule matches by protocol ({@code -1} is all), port range, and peer: an IPv4 CIDR, a
 *       prefix list's entries, or a group the peer's interface is in (any account).
 *   <li>Network ACLs are stateless and apply only where the packet crosses a subnet boundary: the first entry by
 *       rule number that matches protocol, CIDR and destination port decides. The reply's destination port is the
 *       client's ephemeral port, 1024–65535: a reply gets through if some ephemeral port passes both the
 *       responder's subnet egress and the client's subnet ingress.
 *   <li>Routes: longest prefix match over CIDR routes and prefix-list routes (a CIDR route wins a tie); a
 *       {@code blackhole} route, an inactive peering connection, a NAT gateway not {@code available} block. The
 *       reply is routed too, so a peering route missing on the far side is found.
 *   <li>Interface endpoints: the endpoint's state ({@code pendingAcceptance}, {@code rejected}, … block), the
 *       service's state and zones, the NLB's zone, security groups (unless not enforced on PrivateLink traffic),
 *       listener port, target group, targets (registered, health, zone, cross-zone), and the leg from the NLB's
 *       private address to the target on its port (PrivateLink traffic never preserves the client address).
 * </ul>
 *
 * <p>Why a direct walk rather than a solver (AWS's Tiros uses SAT): a flow names one source, one destination and
 * one port, so one candidate path is determined by the configuration; walking it costs a few index lookups per hop,
 * which answers in microseconds, and the blocked-path reading falls out of not stopping at the first failure.
 * {@code ReachPropertyTest} checks it against a separately written brute-force walk on random networks.
 */
public final class Analyzer {
    /** The ephemeral ports a client's replies come back to (the union of common OS ranges). */
    static final int EPHEMERAL_FROM = 1024;
    static final int EPHEMERAL_TO = 65535;
    private static final int MAX_ROUTE_DEPTH = 4;
    /** Peering connections by each of their two VPCs, so that finding a VPC's peers reads only its own. */
    private static final Index<PeeringConnection, String> PEERINGS_BY_VPC = Index.byEach(PeeringConnection.class,
            p -> List.of(p.requester().vpcId(), p.accepter().vpcId()));

    private final World world;
    private final Query q;
    private final Timing timing;
    private final List<Hop> forward = new ArrayList<>();
    private final List<Hop> back = new ArrayList<>();
    private final Map<String, Blocker> blockers = new LinkedHashMap<>();
    private final List<Node[]> legs = new ArrayList<>();
    /** The destination port of each of {@link #legs}. */
    private final List<Integer> legPorts = new ArrayList<>();
    private boolean returning;
    /** The VPC endpoint the path goes through (interface, or gateway by route), for the policy layer. */
    private VpcEndpoint crossed;
    /** The endpoint interface the flow arrives at, when the caller knows it (the data plane); else null. */
    private String viaInterface;

    /**
     * A place a packet leaves or arrives: a network interface, or a load balancer's interface in one zone (whose
     * groups are the load balancer's).
     */
    record Node(String component, String type, int ip, Subnet subnet, Vpc vpc, List<String> groups,
            NetworkInterface eni) {
        String ipText() {
            return Ipv4.format(ip);
        }
    }

    private Analyzer(World world, Query q, Timing timing) {
        this.world = world;
        this.q = q;
        this.timing = timing;
    }

    /** Analyzes one flow. Never throws for a resource that does not exist: that is a blocker. */
    public static Analysis analyze(World world, Query query, Timing timing) {
        return new Analyzer(world, query, timing).run();
    }

    /**
     * Analyzes one flow to an interface endpoint that arrives at one given interface of the endpoint
     * ({@code endpointInterfaceId}), as the data plane sees it when a client connects to that interface's address,
     * rather than at the interface in the source's zone.
     */
    public static Analysis analyzeVia(World world, Query query, Timing timing, String endpointInterfaceId) {
        Analyzer a = new Analyzer(world, query, timing);
        a.viaInterface = endpointInterfaceId;
        return a.run();
    }

    private Analysis run() {
        Node src = resolveSource();
        if (src == null) {
            block("NO_SOURCE_OR_DESTINATION", q.source(), null, "The source " + q.source()
                    + " is not an instance, network interface or private address of account " + q.accountId()
                    + " in " + q.region() + ".", "Name an existing instance (i-…), network interface (eni-…) or "
                    + "its private IPv4 address.");
            return done(null);
        }
        Target target = resolveTarget(src);
        if (target == null) {
            return done(src);
        }
        instanceState(src);
        switch (target) {
            case Target.Eni t -> leg(src, t.node(), t.node().ip(), q.port());
            case Target.External t -> {
                crossed = t.gatewayEndpoint() != null ? t.gatewayEndpoint() : crossed;
                external(src, t.ip(), t.gatewayEndpoint());
            }
            case Target.Endpoint t -> {
                crossed = t.endpoint();
                leg(src, t.node(), t.node().ip(), q.port());
                endpointChain(t.endpoint(), t.node());
            }
        }
        if (q.policy() != null) {
            policy(src);
        }
        returning = true;
        for (int i = legs.size() - 1; i >= 0; i--) {
            returnLeg(legs.get(i)[0], legs.get(i)[1], legPorts.get(i));
        }
        return done(src);
    }

    /** The policy layer, at the end of the forward path: every layer that denies the request is a blocker. */
    private void policy(Node src) {
        boolean wasReturning = returning;
        returning = false;
        List<PolicyLayer.Denial> denials = new ArrayList<>();
        dev.underpass.policy.Decision d = PolicyLayer.evaluate(world, q.policy(), crossed, src, denials);
        hop(crossed == null ? "policy" : crossed.id(), "policy", q.policy().action() + " on "
                + q.policy().resource() + " by " + q.policy().principal(), d.outcome().wireName()
                + (d.statements().isEmpty() ? "" : " by " + d.statements().stream().map(st -> st.layer().wireName()
                        + (st.sid() == null ? "#" + st.statement() : ":" + st.sid())).toList()));
        for (PolicyLayer.Denial x : denials) {
            block(x.code(), x.component(), null, x.message(), x.fix());
        }
        returning = wasReturning;
    }

    private Analysis done(Node src) {
        String dest = forward.isEmpty() ? null : forward.get(forward.size() - 1).component();
        return new Analysis(q, blockers.isEmpty(), src == null ? null : src.component(), dest, forward, back,
                List.copyOf(blockers.values()));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Resolution

    sealed interface Target {
        record Eni(Node node) implements Target {}

        record Endpoint(VpcEndpoint endpoint, Node node) implements Target {}

        /** An address outside every VPC, or an AWS service behind a gateway endpoint. */
        record External(int ip, VpcEndpoint gatewayEndpoint) implements Target {}
    }

    private Node resolveSource() {
        String s = q.source();
        NetworkInterface eni = null;
        if (s.startsWith("i-")) {
            Instance i = world.find(Instance.class, s).filter(this::ours).orElse(null);
            eni = i == null ? null : world.find(NetworkInterface.class, i.primaryNetworkInterfaceId()).orElse(null);
        } else if (s.startsWith("eni-")) {
            eni = world.find(NetworkInterface.class, s).filter(this::ours).orElse(null);
        } else if (Ipv4.isValid(s)) {
            for (NetworkInterface n : Index.owned(world, NetworkInterface.class, q.accountId(), q.region())) {
                if (hasIp(n, s)) {
                    eni = n;
                    break;
                }
            }
        }
        return eni == null ? null : node(eni);
    }

    private boolean ours(dev.underpass.model.Resource r) {
        return r.ownerId().equals(q.accountId()) && r.region().equals(q.region());
    }

    private static boolean hasIp(NetworkInterface n, String ip) {
        for (NetworkInterface.PrivateIp p : n.privateIps()) {
            if (p.address().equals(ip)) {
                return true;
            }
        }
        return false;
    }

    private Node node(NetworkInterface eni) {
        Subnet subnet = world.find(Subnet.class, eni.subnetId()).orElse(null);
        Vpc vpc = world.find(Vpc.class, eni.vpcId()).orElse(null);
        String primary = eni.primaryIp();
        if (subnet == null || vpc == null || primary == null) {
            return null;
        }
        return new Node(eni.id(), "network-interface", Ipv4.parse(primary), subnet, vpc, eni.groupIds(), eni);
    }

    private Target resolveTarget(Node src) {
        String d = q.destination();
        boolean isId = d.indexOf('.') < 0;
        if (isId && (d.startsWith("i-") || d.startsWith("eni-"))) {
            NetworkInterface eni = null;
            if (d.startsWith("i-")) {
                Instance i = world.find(Instance.class, d).filter(r -> r.region().equals(q.region())).orElse(null);
                eni = i == null ? null
                        : world.find(NetworkInterface.class, i.primaryNetworkInterfaceId()).orElse(null);
            } else {
                eni = world.find(NetworkInterface.class, d).filter(r -> r.region().equals(q.region())).orElse(null);
            }
            Node n = eni == null ? null : node(eni);
            if (n == null) {
                return noDestination();
            }
            return new Target.Eni(n);
        }
        if (isId && d.startsWith("vpce-svc-")) {
            for (VpcEndpoint e : Scoped.inVpc(world, VpcEndpoint.class, src.vpc().id())) {
                if (d.equals(e.serviceId()) && e.isInterface()) {
                    return endpointTarget(src, e);
                }
            }
            if (world.find(EndpointService.class, d).isEmpty()) {
                return noDestination();
            }
            block("NO_PATH", d, null, src.vpc().id() + " has no interface endpoint to " + d
                    + ", so nothing in it can reach the service.", "Create an interface endpoint to " + d + " in "
                    + src.vpc().id() + " (aws ec2 create-vpc-endpoint --vpc-endpoint-type Interface --service-name "
                    + world.find(EndpointService.class, d).map(EndpointService::serviceName).orElse(d) + ").");
            return null;
        }
        if (isId && d.startsWith("vpce-")) {
            VpcEndpoint e = world.find(VpcEndpoint.class, d).filter(r -> r.region().equals(q.region())).orElse(null);
            if (e == null) {
                return noDestination();
            }
            if (e.isGateway()) {
                List<String> cidrs = AwsServices.prefixListFor(e.region(), e.serviceName())
                        .map(AwsServices.PrefixList::cidrs).orElse(List.of());
                if (cidrs.isEmpty()) {
                    return noDestination();
                }
                return new Target.External(Cidr.parse(cidrs.get(0)).first(), e);
            }
            return endpointTarget(src, e);
        }
        if (Ipv4.isValid(d)) {
            int ip = Ipv4.parse(d);
            Node n = findByIp(src.vpc(), ip);
            return n != null ? new Target.Eni(n) : new Target.External(ip, null);
        }
        // A DNS name: one of an endpoint's names in the source VPC, or a private DNS name it answers for.
        String name = d.toLowerCase(Locale.ROOT);
        for (VpcEndpoint e : Scoped.inVpc(world, VpcEndpoint.class, src.vpc().id())) {
            if (!e.isInterface()) {
                continue;
            }
            for (VpcEndpoint.DnsEntry entry : e.dnsEntries()) {
                String entryName = entry.dnsName().toLowerCase(Locale.ROOT);
                if (entryName.equals(name) || (entryName.startsWith("*.") && name.endsWith(entryName.substring(1)))) {
                    return endpointTarget(src, e);
                }
            }
        }
        return noDestination();
    }

    private Target noDestination() {
        block("NO_SOURCE_OR_DESTINATION", q.destination(), null, "The destination " + q.destination()
                + " does not exist in " + q.region() + " (or is not resolvable from the source's VPC).",
                "Name an existing instance, network interface, VPC endpoint, endpoint service, endpoint DNS name or "
                        + "IPv4 address.");
        return null;
    }

    /** The endpoint's interface in the source's zone if it has one there, else its first. */
    private Target endpointTarget(Node src, VpcEndpoint e) {
        Node chosen = null;
        for (String id : e.networkInterfaceIds()) {
            Node n = world.find(NetworkInterface.class, id).map(this::node).orElse(null);
            if (n == null) {
                continue;
            }
            if (id.equals(viaInterface)) {
                chosen = n;
                break;
            }
            String zone = src.subnet().availabilityZoneId();
            if (chosen == null || (Objects.equals(n.subnet().availabilityZoneId(), zone)
                    && !Objects.equals(chosen.subnet().availabilityZoneId(), zone))) {
                chosen = n;
            }
        }
        if (chosen == null) {
            block("NO_POSSIBLE_DESTINATION", e.id(), null, e.id() + " has no network interface to receive the "
                    + "traffic.", "Add a subnet to " + e.id() + " (aws ec2 modify-vpc-endpoint --add-subnet-ids).");
            return null;
        }
        return new Target.Endpoint(e, new Node(chosen.component(), "network-interface", chosen.ip(),
                chosen.subnet(), chosen.vpc(), chosen.groups(), chosen.eni()));
    }

    /** The interface with this address in the VPC, a VPC peered with it, or another VPC of the account. */
    private Node findByIp(Vpc vpc, int ip) {
        List<String> vpcs = new ArrayList<>();
        vpcs.add(vpc.id());
        for (PeeringConnection p : PEERINGS_BY_VPC.get(world, vpc.id())) {
            PeeringConnection.Side peer = p.peerOf(vpc.id());
            if (peer != null && peer.region().equals(q.region())) {
                vpcs.add(peer.vpcId());
            }
        }
        String text = Ipv4.format(ip);
        for (String v : vpcs) {
            for (NetworkInterface n : Scoped.inVpc(world, NetworkInterface.class, v)) {
                if (hasIp(n, text)) {
                    return node(n);
                }
            }
        }
        // An address of another of the account's VPCs: the walk then says what joins them (or that nothing does).
        for (NetworkInterface n : Index.owned(world, NetworkInterface.class, q.accountId(), q.region())) {
            if (hasIp(n, text)) {
                return node(n);
            }
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Legs

    /** The forward checks from {@code from} to {@code to}; the reply is checked after every forward leg. */
    private void leg(Node from, Node to, int dstIp, int port) {
        hop(from.component(), from.type(), "sends " + q.protocol().toUpperCase(Locale.ROOT) + " " + port + " to "
                + Ipv4.format(dstIp) + " from " + from.ipText(), null, at(from).outbound(
                        new Hop.Header(from.ipText(), Ipv4.format(dstIp), null, port, q.protocol())));
        securityGroups(from, true, to, dstIp, port);
        boolean crosses = !from.subnet().id().equals(to.subnet().id());
        if (crosses) {
            acl(from.subnet(), true, dstIp, port);
        }
        route(from, dstIp, to, 0);
        if (crosses) {
            acl(to.subnet(), false, from.ip(), port);
        }
        securityGroups(to, false, from, from.ip(), port);
        hop(to.component(), to.type(), "receives on " + to.ipText() + ":" + port, null, at(to).inbound(
                new Hop.Header(from.ipText(), to.ipText(), null, port, q.protocol())));
        instanceState(to);
        legs.add(new Node[] {from, to});
        legPorts.add(port);
    }

    private void returnLeg(Node from, Node to, int port) {
        hop(to.component(), to.type(), "replies to " + from.ipText() + " (security groups are stateful)", null,
                at(to).outbound(new Hop.Header(to.ipText(), from.ipText(), port, null, q.protocol())));
        if (!from.subnet().id().equals(to.subnet().id())) {
            ephemeral(to.subnet(), to.ip(), from.subnet(), from.ip());
        }
        route(to, from.ip(), from, 0);
        hop(from.component(), from.type(), "receives the reply", null, at(from).inbound(
                new Hop.Header(to.ipText(), from.ipText(), port, null, q.protocol())));
    }

    /** To an address outside every VPC (the internet) or an AWS service behind a gateway endpoint. */
    private void external(Node from, int dstIp, VpcEndpoint gatewayEndpoint) {
        hop(from.component(), from.type(), "sends " + q.protocol().toUpperCase(Locale.ROOT) + " " + q.port()
                + " to " + Ipv4.format(dstIp) + " from " + from.ipText(), null);
        securityGroups(from, true, null, dstIp, q.port());
        acl(from.subnet(), true, dstIp, q.port());
        route(from, dstIp, null, 0);
        returning = true;
        hop(Ipv4.format(dstIp), gatewayEndpoint != null ? "aws-service" : "address", "replies to "
                + from.ipText(), null);
        List<int[]> in = allowedEphemeral(aclOf(from.subnet()), false, dstIp);
        if (in.isEmpty()) {
            NetworkAcl acl = aclOf(from.subnet());
            blockAclReply(acl, from.subnet(), false, dstIp);
        } else {
            NetworkAcl acl = aclOf(from.subnet());
            hop(acl == null ? from.subnet().id() : acl.id(), "network-acl", "ingress of the reply to an "
                    + "ephemeral port", "ports " + ranges(in));
        }
        hop(from.component(), from.type(), "receives the reply", null);
        returning = false;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Security groups

    private void securityGroups(Node node, boolean egress, Node peer, int peerIp, int port) {
        if (node.groups().isEmpty()) {
            return; // a load balancer without security groups admits and sends everything
        }
        List<SecurityGroup> groups = new ArrayList<>();
        for (String id : node.groups()) {
            world.find(SecurityGroup.class, id).ifPresent(groups::add);
        }
        boolean anyRules = false;
        for (SecurityGroup g : groups) {
            for (SecurityGroup.Rule r : g.rules()) {
                if (r.egress() != egress) {
                    continue;
                }
                anyRules = true;
                if (Rules.sgMatches(r, q.protocol(), port, peerIp, peer == null ? List.of() : peer.groups(),
                        this::prefixListCidrs)) {
                    hop(g.id(), "security-group", (egress ? "egress" : "ingress") + " of " + node.component(),
                            Rules.describe(r), at(node).used(new Hop.SgRuleUsed(g.id(), r)));
                    return;
                }
            }
        }
        String first = groups.isEmpty() ? node.groups().get(0) : groups.get(0).id();
        String dir = egress ? "egress" : "ingress";
        String proto = q.protocol().toUpperCase(Locale.ROOT);
        String names = String.join(", ", node.groups());
        String peerText = peer == null ? Ipv4.format(peerIp) : peer.ipText() + " (" + peer.component() + ")";
        String wider = peer == null ? Ipv4.format(peerIp) + "/32" : peer.vpc().cidrBlock();
        hop(first, "security-group", dir + " of " + node.component(), null, at(node));
        block(anyRules ? "ENI_SG_RULES_MISMATCH" : "SG_HAS_NO_RULES", first, dir,
                names + " (" + node.component() + ") " + (node.groups().size() == 1 ? (anyRules ? "allows" : "has")
                        : (anyRules ? "allow" : "have")) + " no "
                        + (egress ? "outbound " : "inbound ") + (anyRules ? proto + " " + port + (egress ? " to "
                                : " from ") + peerText : "rules") + ".",
                "Add an " + (egress ? "outbound" : "inbound") + " rule to " + first + " for " + proto + " " + port
                        + (egress ? " to " : " from ") + wider + ".", named(node).groups(node.groups())
                        .flow(port, q.protocol(), List.of(Ipv4.format(peerIp))));
    }

    private List<String> prefixListCidrs(String id) {
        ManagedPrefixList p = world.find(ManagedPrefixList.class, id).orElse(null);
        if (p != null) {
            List<ManagedPrefixList.Entry> entries = p.entries();
            return entries == null ? List.of() : entries.stream().map(ManagedPrefixList.Entry::cidr).toList();
        }
        return AwsServices.prefixList(q.region(), id).map(AwsServices.PrefixList::cidrs).orElse(List.of());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Network ACLs

    NetworkAcl aclOf(Subnet subnet) {
        NetworkAcl fallback = null;
        for (NetworkAcl a : Scoped.inVpc(world, NetworkAcl.class, subnet.vpcId())) {
            for (NetworkAcl.Association as : a.associations()) {
                if (subnet.id().equals(as.subnetId())) {
                    return a;
                }
            }
            if (a.isDefault()) {
                fallback = a;
            }
        }
        return fallback;
    }

    private void acl(Subnet subnet, boolean egress, int peerIp, int port) {
        NetworkAcl acl = aclOf(subnet);
        if (acl == null) {
            return;
        }
        String dir = egress ? "egress" : "ingress";
        NetworkAcl.Entry e = Rules.firstAclMatch(acl, egress, q.protocolNumber(), peerIp, port);
        hop(acl.id(), "network-acl", dir + " of " + subnet.id(), e == null ? null : Rules.describe(e),
                Hop.Detail.in(subnet.vpcId(), subnet.id()).used(e == null ? null : new Hop.AclRuleUsed(e)));
        if (e == null || !"allow".equals(e.ruleAction())) {
            String proto = q.protocol().toUpperCase(Locale.ROOT);
            block("SUBNET_ACL_RESTRICTION", acl.id(), dir, acl.id() + " (subnet " + subnet.id() + ") denies "
                    + (egress ? "outbound " : "inbound ") + proto + " " + port + (egress ? " to " : " from ")
                    + Ipv4.format(peerIp) + (e == null ? " (no entry matches)" : " by rule " + e.ruleNumber()) + ".",
                    "Add an " + (egress ? "outbound" : "inbound") + " allow entry to " + acl.id() + " for " + proto
                            + " " + port + (egress ? " to " : " from ") + Ipv4.format(peerIp) + "/32, numbered "
                            + "below " + (e == null ? 32767 : e.ruleNumber()) + ".", named(subnet).acl(acl.id(), e)
                            .flow(port, q.protocol(), List.of(Ipv4.format(peerIp))));
        }
    }

    private List<int[]> allowedEphemeral(NetworkAcl acl, boolean egress, int peerIp) {
        if (acl == null) {
            return List.of(new int[] {EPHEMERAL_FROM, EPHEMERAL_TO});
        }
        return Rules.allowedPorts(acl, egress, q.protocolNumber(), peerIp, EPHEMERAL_FROM, EPHEMERAL_TO);
    }

    /** The reply from {@code respIp} in {@code respSubnet} to the client's ephemeral port. */
    private void ephemeral(Subnet respSubnet, int respIp, Subnet clientSubnet, int clientIp) {
        NetworkAcl out = aclOf(respSubnet);
        NetworkAcl in = aclOf(clientSubnet);
        List<int[]> a = allowedEphemeral(out, true, clientIp);
        List<int[]> b = allowedEphemeral(in, false, respIp);
        List<int[]> both = Rules.intersect(a, b);
        if (out != null) {
            hop(out.id(), "network-acl", "egress of the reply from " + respSubnet.id() + " to ephemeral ports",
                    a.isEmpty() ? null : "ports " + ranges(a));
        }
        if (in != null) {
            hop(in.id(), "network-acl", "ingress of the reply into " + clientSubnet.id() + " on ephemeral ports",
                    b.isEmpty() ? null : "ports " + ranges(b));
        }
        if (!both.isEmpty()) {
            return;
        }
        boolean blameOut = a.isEmpty() || !b.isEmpty();
        boolean blameIn = b.isEmpty() || !a.isEmpty();
        if (blameOut && out != null) {
            blockAclReply(out, respSubnet, true, clientIp);
        }
        if (blameIn && in != null) {
            blockAclReply(in, clientSubnet, false, respIp);
        }
    }

    private void blockAclReply(NetworkAcl acl, Subnet subnet, boolean egress, int peerIp) {
        if (acl == null) {
            return;
        }
        String proto = q.protocol().toUpperCase(Locale.ROOT);
        String dir = egress ? "egress" : "ingress";
        block("SUBNET_ACL_RESTRICTION", acl.id(), dir, acl.id() + " (subnet " + subnet.id() + ") lets no reply "
                + (egress ? "out to " : "in from ") + Ipv4.format(peerIp) + " on the ephemeral ports "
                + EPHEMERAL_FROM + "-" + EPHEMERAL_TO + " that the other side's network ACL admits.",
                "Add an " + (egress ? "outbound" : "inbound") + " allow entry to " + acl.id() + " for " + proto
                        + " 1024-65535 " + (egress ? "to " : "from ") + Ipv4.format(peerIp) + "/32.",
                named(subnet).acl(acl.id(), null).flow(null, q.protocol(), List.of(Ipv4.format(peerIp))));
    }

    private static String ranges(List<int[]> rs) {
        StringBuilder b = new StringBuilder();
        for (int[] r : rs) {
            if (!b.isEmpty()) {
                b.append(',');
            }
            b.append(r[0]).append('-').append(r[1]);
        }
        return b.toString();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Routes

    RouteTable routeTableOf(Subnet subnet) {
        RouteTable main = null;
        for (RouteTable t : Scoped.inVpc(world, RouteTable.class, subnet.vpcId())) {
            for (RouteTable.Association a : t.associations()) {
                if (subnet.id().equals(a.subnetId())) {
                    return t;
                }
                if (a.main()) {
                    main = t;
                }
            }
        }
        return main;
    }

    /**
     * Routes a packet from {@code from} to {@code dst}; {@code to} is the interface it must arrive at, or null for
     * an address outside every VPC.
     */
    private void route(Node from, int dst, Node to, int depth) {
        RouteTable rt = routeTableOf(from.subnet());
        String dstText = Ipv4.format(dst);
        String fix = to == null ? "a route for " + dstText + "/32 to an internet or NAT gateway"
                : to.vpc().id().equals(from.vpc().id()) ? "the local route"
                : "a route for " + to.vpc().cidrBlock() + " to the peering connection with " + to.vpc().id();
        if (rt == null) {
            block("NO_ROUTE_TO_DESTINATION", from.subnet().id(), null, "Subnet " + from.subnet().id()
                    + " has no route table.", "Associate a route table with " + fix + ".");
            return;
        }
        Rules.Match m = Rules.longestMatch(rt, dst, this::prefixListCidrs);
        hop(rt.id(), "route-table", "route to " + dstText + " from " + from.subnet().id(),
                m == null ? null : Rules.describe(m.route(), m.cidr()),
                at(from).used(m == null ? null : new Hop.RouteUsed(m.route(), m.cidr().toString())));
        Blocker.Named rn = named(from).route(rt.id(), m == null ? null : m.route())
                .flow(null, null, List.of(dstText));
        if (m == null) {
            block("NO_ROUTE_TO_DESTINATION", rt.id(), null, rt.id() + " (subnet " + from.subnet().id()
                    + ") has no route to " + dstText + ".", "Add " + fix + " to " + rt.id() + ".", rn);
            return;
        }
        RouteTable.Route r = m.route();
        if ("blackhole".equals(r.state())) {
            block("BAD_STATE_ROUTE", rt.id(), null, "The route " + m.cidr() + " in " + rt.id() + " is a blackhole "
                    + "(its target " + Rules.target(r) + " is gone).", "Replace the route in " + rt.id() + " with "
                    + fix + ".", rn);
            return;
        }
        if ("local".equals(r.gatewayId())) {
            if (to == null) {
                block("NO_POSSIBLE_DESTINATION", from.vpc().id(), null, "No network interface in " + from.vpc().id()
                        + " has the address " + dstText + ".", "Send to an address in use in " + from.vpc().id()
                        + ".");
            } else if (!to.vpc().id().equals(from.vpc().id())) {
                misrouted(rt, m, to);
            }
            return;
        }
        if (r.vpcPeeringConnectionId() != null) {
            peering(rt, m, from, dst, to);
            return;
        }
        if (r.natGatewayId() != null) {
            nat(rt, m, from, dst, to, depth);
            return;
        }
        if (r.gatewayId() != null && r.gatewayId().startsWith("igw-")) {
            internetGateway(r.gatewayId(), from, dst, to, rt, m, depth > 0);
            return;
        }
        if (r.gatewayId() != null && r.gatewayId().startsWith("vpce-")) {
            gatewayEndpoint(r.gatewayId(), to, rt, m);
            return;
        }
        if (r.networkInterfaceId() != null || r.instanceId() != null) {
            appliance(rt, m, from, dst, to, depth);
            return;
        }
        block("UNSUPPORTED_COMPONENT", rt.id(), null, "The route " + m.cidr() + " in " + rt.id() + " goes to "
                + Rules.target(r) + ", which the analyzer does not follow.", "Analyze the path up to "
                + Rules.target(r) + " separately.");
    }

    private void misrouted(RouteTable rt, Rules.Match m, Node to) {
        block("NO_ROUTE_TO_DESTINATION", rt.id(), null, "The route " + m.cidr() + " in " + rt.id() + " sends "
                + "traffic for " + to.ipText() + " to " + Rules.target(m.route()) + ", not towards " + to.vpc().id()
                + ".", "Add a more specific route for " + to.vpc().cidrBlock() + " towards " + to.vpc().id()
                + " to " + rt.id() + ".", Blocker.Named.NONE.route(rt.id(), m.route()).flow(null, null,
                        List.of(to.ipText())));
    }

    private void peering(RouteTable rt, Rules.Match m, Node from, int dst, Node to) {
        String id = m.route().vpcPeeringConnectionId();
        PeeringConnection p = world.find(PeeringConnection.class, id).orElse(null);
        PeeringConnection.Side far = p == null ? null : p.peerOf(from.vpc().id());
        hop(id, "vpc-peering-connection", "carries " + from.vpc().id() + " → peer", p == null ? null : p.status(),
                Hop.Detail.NONE.between(from.vpc().id(), far == null ? null : far.vpcId()));
        if (p == null) {
            block("BAD_STATE_ROUTE", rt.id(), null, "The route " + m.cidr() + " in " + rt.id() + " goes to " + id
                    + ", which no longer exists.", "Replace the route with one to an active peering connection.");
            return;
        }
        if (!PeeringConnection.ACTIVE.equals(p.status())) {
            block("BAD_STATE", id, null, id + " is " + p.status() + ", not active.", "The owner of "
                    + p.accepter().vpcId() + " (" + p.accepter().accountId() + ") accepts it: aws ec2 "
                    + "accept-vpc-peering-connection --vpc-peering-connection-id " + id + ".",
                    Blocker.Named.NONE.state(p.status()));
        }
        PeeringConnection.Side peer = p.peerOf(from.vpc().id());
        if (peer == null) {
            block("NO_POSSIBLE_DESTINATION", id, null, id + " does not join " + from.vpc().id() + ".",
                    "Route to a peering connection of " + from.vpc().id() + ".");
            return;
        }
        boolean inPeer = false;
        for (String c : peer.cidrBlocks()) {
            inPeer |= Cidr.parse(c).contains(dst);
        }
        if (!inPeer) {
            block("PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", id, null, id + " carries only traffic for " + peer.vpcId()
                    + "'s blocks " + peer.cidrBlocks() + ", and " + Ipv4.format(dst) + " is outside them.",
                    "Send the traffic to an address in " + peer.vpcId() + ", or route " + Ipv4.format(dst)
                            + " elsewhere.");
        }
        if (to == null) {
            block("NO_POSSIBLE_DESTINATION", peer.vpcId(), null, "No network interface in " + peer.vpcId()
                    + " has the address " + Ipv4.format(dst) + ".", "Send to an address in use in "
                    + peer.vpcId() + ".");
        } else if (!peer.vpcId().equals(to.vpc().id())) {
            misrouted(rt, m, to);
        }
    }

    private void nat(RouteTable rt, Rules.Match m, Node from, int dst, Node to, int depth) {
        String id = m.route().natGatewayId();
        NatGateway n = world.find(NatGateway.class, id).orElse(null);
        // A gateway stored as pending is available once its CreateNatGateway answer is out (NatGateways.observed).
        String natState = n == null ? null : dev.underpass.model.ec2.NatGateways.observed(n);
        hop(id, "nat-gateway", "translates " + from.ipText() + " to its own address", natState);
        if (to != null) {
            misrouted(rt, m, to);
            return;
        }
        if (n == null || !"available".equals(natState)) {
            block("BAD_STATE", id, null, id + " is " + (n == null ? "deleted" : natState) + ", not available.",
                    "Create a NAT gateway and point the route in " + rt.id() + " at it.");
            return;
        }
        if (!n.vpcId().equals(from.vpc().id())) {
            block("NGW_REQUIRES_SOURCE_IN_VPC", id, null, id + " forwards only traffic from its own VPC "
                    + n.vpcId() + ".", "Give " + from.vpc().id() + " a NAT gateway of its own.");
            return;
        }
        if ("private".equals(n.connectivityType())) {
            block("NO_POSSIBLE_DESTINATION", id, null, id + " is a private NAT gateway: it cannot reach the "
                    + "internet.", "Route internet traffic through a public NAT gateway.");
            return;
        }
        Subnet natSubnet = world.find(Subnet.class, n.subnetId()).orElse(null);
        if (natSubnet == null || depth >= MAX_ROUTE_DEPTH) {
            return;
        }
        Node natNode = new Node(id, "nat-gateway", n.privateIp() == null ? 0 : Ipv4.parse(n.privateIp()),
                natSubnet, from.vpc(), List.of(), null);
        route(natNode, dst, null, depth + 1);
    }

    private void internetGateway(String id, Node from, int dst, Node to, RouteTable rt, Rules.Match m,
            boolean viaNat) {
        InternetGateway igw = world.find(InternetGateway.class, id).orElse(null);
        hop(id, "internet-gateway", "to the internet", null);
        if (to != null) {
            misrouted(rt, m, to);
            return;
        }
        if (igw == null || !igw.attachedVpcIds().contains(from.vpc().id())) {
            block("BAD_STATE_ATTACHMENT", id, null, id + " is not attached to " + from.vpc().id() + ".",
                    "Attach it: aws ec2 attach-internet-gateway --internet-gateway-id " + id + " --vpc-id "
                            + from.vpc().id() + ".");
        }
        if (Rules.isPrivate(dst)) {
            block("IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS", id, null, id + " does not forward traffic to "
                    + "the private address " + Ipv4.format(dst) + ".", "Reach private addresses through "
                    + "peering or an endpoint, not the internet gateway.");
        }
        if (!viaNat && from.eni() != null && !hasPublicIp(from.eni())) {
            block("IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", id, null, from.component() + " has no public IPv4 "
                    + "address, so " + id + " cannot carry its traffic.", "Associate an Elastic IP with "
                    + from.component() + ", or route through a NAT gateway.");
        }
    }

    private boolean hasPublicIp(NetworkInterface eni) {
        for (ElasticIp e : Index.owned(world, ElasticIp.class, eni.ownerId(), eni.region())) {
            if (e.association() != null && eni.id().equals(e.association().networkInterfaceId())) {
                return true;
            }
        }
        for (PublicIp p : Index.owned(world, PublicIp.class, eni.ownerId(), eni.region())) {
            if (eni.id().equals(p.networkInterfaceId()) && p.publicIp() != null) {
                return true;
            }
        }
        return false;
    }

    private void gatewayEndpoint(String id, Node to, RouteTable rt, Rules.Match m) {
        VpcEndpoint e = world.find(VpcEndpoint.class, id).orElse(null);
        String state = e == null ? "deleted" : VpcEndpoints.observedState(e, timing.now(), timing.transition());
        hop(id, "vpc-endpoint", "gateway endpoint to " + (e == null ? "?" : e.serviceName()), state);
        if (e != null) {
            crossed = e;
        }
        if (to != null) {
            misrouted(rt, m, to);
            return;
        }
        if (!VpcEndpoint.AVAILABLE.equals(state)) {
            block("BAD_STATE", id, null, id + " is " + state + ", not available.", "Wait for " + id
                    + " to become available, or recreate it.");
        }
        if (!q.protocol().equals("tcp")) {
            block("VPCE_GATEWAY_PROTOCOL_RESTRICTION", id, null, "Gateway endpoint " + id + " carries only TCP "
                    + "(and ICMP), not " + q.protocol().toUpperCase(Locale.ROOT) + ".", "Use TCP.");
        }
    }

    private void appliance(RouteTable rt, Rules.Match m, Node from, int dst, Node to, int depth) {
        RouteTable.Route r = m.route();
        NetworkInterface eni = null;
        if (r.networkInterfaceId() != null) {
            eni = world.find(NetworkInterface.class, r.networkInterfaceId()).orElse(null);
        } else {
            eni = world.find(Instance.class, r.instanceId())
                    .flatMap(i -> world.find(NetworkInterface.class, i.primaryNetworkInterfaceId())).orElse(null);
        }
        Node box = eni == null ? null : node(eni);
        if (box == null) {
            block("BAD_STATE_ROUTE", rt.id(), null, "The route " + m.cidr() + " in " + rt.id() + " goes to "
                    + Rules.target(r) + ", which no longer exists.", "Point the route at a live interface.");
            return;
        }
        hop(box.component(), "network-interface", "forwards for " + Ipv4.format(dst), null);
        if (to != null && box.component().equals(to.component())) {
            return;
        }
        if (box.eni().sourceDestCheck()) {
            block("ENI_SOURCE_DEST_CHECK_RESTRICTION", box.component(), null, box.component() + " has its "
                    + "source/destination check on, so it drops traffic for " + Ipv4.format(dst) + ".",
                    "Turn it off: aws ec2 modify-network-interface-attribute --network-interface-id "
                            + box.component() + " --no-source-dest-check.");
        }
        if (depth >= MAX_ROUTE_DEPTH) {
            block("NO_PATH", rt.id(), null, "The route to " + Ipv4.format(dst) + " loops through appliances.",
                    "Remove the routing loop.");
            return;
        }
        route(box, dst, to, depth + 1);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Interface endpoint → service → NLB → target

    private void endpointChain(VpcEndpoint e, Node epNode) {
        String state = VpcEndpoints.observedState(e, timing.now(), timing.transition());
        hop(e.id(), "vpc-endpoint", "connection state", state);
        EndpointService svc = e.serviceId() == null ? null
                : world.find(EndpointService.class, e.serviceId()).orElse(null);
        if (!VpcEndpoint.AVAILABLE.equals(state)) {
            String fix = switch (state) {
                case VpcEndpoint.PENDING_ACCEPTANCE -> "The service owner (" + e.serviceOwner() + ") accepts it: "
                        + "aws ec2 accept-vpc-endpoint-connections --service-id " + e.serviceId()
                        + " --vpc-endpoint-ids " + e.id() + ".";
                case VpcEndpoint.REJECTED -> "Ask the service owner (" + e.serviceOwner() + ") to accept a new "
                        + "endpoint: create one and have it accepted.";
                case VpcEndpoint.PENDING -> "Wait until " + e.id() + " is available.";
                default -> "Create a new endpoint to " + e.serviceName() + ".";
            };
            block("BAD_STATE", e.id(), null, e.id() + " is " + state + ", not available"
                    + (VpcEndpoint.PENDING_ACCEPTANCE.equals(state) ? ": the provider has not accepted it" : "")
                    + ".", fix, named(epNode).state(state));
        }
        if (e.serviceId() == null) {
            hop(e.serviceName(), "aws-service", "served by AWS", "available");
            return;
        }
        if (svc == null) {
            block("NO_POSSIBLE_DESTINATION", e.id(), null, "The service " + e.serviceId() + " of " + e.id()
                    + " no longer exists.", "Delete " + e.id() + " and connect to a live service.");
            return;
        }
        hop(svc.id(), "vpc-endpoint-service", "service state and zones", svc.state());
        if (!EndpointService.AVAILABLE.equals(svc.state())) {
            block("BAD_STATE", svc.id(), null, svc.id() + " is " + svc.state() + ", not Available.",
                    "Wait until " + svc.id() + " is Available.", Blocker.Named.NONE.state(svc.state()));
        }
        String zoneId = epNode.subnet().availabilityZoneId();
        boolean inZone = svc.zones().stream().anyMatch(z -> Objects.equals(z.zoneId(), zoneId));
        if (!inZone) {
            block("VPCE_SERVICE_NOT_INSTALLED_IN_AZ", svc.id(), null, svc.id() + " is not offered in " + zoneId
                    + ", where " + epNode.component() + " of " + e.id() + " is.", "Enable a subnet in "
                    + zoneId + " on the service's load balancer, or place the endpoint in one of "
                    + svc.zones().stream().map(EndpointService.Zone::zoneId).toList() + ".");
        }
        LoadBalancer lb = null;
        for (String arn : svc.networkLoadBalancerArns()) {
            LoadBalancer each = world.find(LoadBalancer.class, arn).orElse(null);
            if (each != null && (lb == null || (each.zoneIds().contains(zoneId) && !lb.zoneIds().contains(zoneId)))) {
                lb = each;
            }
        }
        if (lb == null || lb.zones().isEmpty()) {
            block("NO_POSSIBLE_DESTINATION", svc.id(), null, svc.id() + " has no load balancer.",
                    "Add a Network Load Balancer to " + svc.id() + ".");
            return;
        }
        LoadBalancer.Zone z = lb.zones().stream().filter(x -> Objects.equals(x.zoneId(), zoneId)).findFirst()
                .orElse(lb.zones().get(0));
        Subnet lbSubnet = world.find(Subnet.class, z.subnetId()).orElse(null);
        Vpc lbVpc = world.find(Vpc.class, lb.vpcId()).orElse(null);
        if (lbSubnet == null || lbVpc == null || z.privateIp() == null) {
            return;
        }
        Node nlb = new Node(lb.id(), "load-balancer", Ipv4.parse(z.privateIp()), lbSubnet, lbVpc,
                lb.securityGroups(), null);
        hop(lb.id(), "load-balancer", "receives in " + z.zoneName() + " (" + z.zoneId() + ")", lb.name());
        boolean enforce = !"off".equals(lb.attributes().get(
                "underpass.enforce_security_group_inbound_rules_on_private_link"));
        if (enforce) {
            securityGroups(nlb, false, epNode, epNode.ip(), q.port());
        }
        Listener listener = null;
        for (Listener l : LoadBalancers.listenersOf(world, lb.id())) {
            if (l.port() == q.port() && Rules.listenerCarries(l.protocol(), q.protocol())) {
                listener = l;
                break;
            }
        }
        if (listener == null) {
            List<Integer> ports = LoadBalancers.listenersOf(world, lb.id()).stream().map(Listener::port).toList();
            block("ELBV2_LISTENERS_MISMATCH", lb.id(), null, lb.name() + " has no "
                    + q.protocol().toUpperCase(Locale.ROOT) + " listener on port " + q.port() + " (listeners: "
                    + ports + ").", "Add a listener on port " + q.port() + " to " + lb.name()
                    + " (aws elbv2 create-listener), or connect to one of " + ports + ".",
                    Blocker.Named.NONE.loadBalancer(lb.id(), null, null).flow(q.port(), q.protocol(), List.of()));
            return;
        }
        hop(listener.id(), "listener", "port " + listener.port(), listener.protocol());
        TargetGroup tg = null;
        for (String arn : listener.targetGroupArns()) {
            tg = world.find(TargetGroup.class, arn).orElse(null);
            if (tg != null) {
                break;
            }
        }
        List<TargetGroup.Target> targets = tg == null ? List.of()
                : tg.targets().stream().filter(t -> t.deregisteredAt() == null).toList();
        if (tg == null || targets.isEmpty()) {
            block("ELBV2_LISTENER_HAS_NO_TG", listener.id(), null, "The listener on port " + listener.port()
                    + " of " + lb.name() + " forwards to " + (tg == null ? "no target group" : tg.name()
                    + ", which has no registered targets") + ".", "Register a target: aws elbv2 register-targets "
                    + "--target-group-arn " + (tg == null ? "<arn>" : tg.id()) + " --targets Id=<instance>.",
                    Blocker.Named.NONE.loadBalancer(lb.id(), listener.port(), tg == null ? null : tg.id()));
            return;
        }
        hop(tg.id(), "target-group", "targets of " + tg.name(), tg.targetType());
        String cz = tg.attributes().getOrDefault("load_balancing.cross_zone.enabled",
                "use_load_balancer_configuration");
        boolean crossZone = cz.equals("true") || (!cz.equals("false") && lb.attributeTrue(
                "load_balancing.cross_zone.enabled"));
        TargetGroup.Target chosen = null;
        for (TargetGroup.Target t : targets) {
            if (targetUsable(tg, lb, z, t, crossZone)) {
                chosen = t;
                break;
            }
        }
        if (chosen == null) {
            chosen = targets.get(0);
        }
        targetChecks(tg, lb, z, chosen, crossZone);
        Node targetNode = targetNode(tg, chosen);
        if (targetNode == null) {
            block("UNKNOWN_DESTINATION", chosen.id(), null, "The target " + chosen.id() + " of " + tg.name()
                    + " has no network interface the analyzer can find.", "Register a target that exists.");
            return;
        }
        leg(nlb, targetNode, targetNode.ip(), chosen.effectivePort(tg));
    }

    private String targetZone(TargetGroup tg, TargetGroup.Target t) {
        if ("instance".equals(tg.targetType())) {
            return world.find(Instance.class, t.id()).map(Instance::availabilityZone).orElse(null);
        }
        if (t.availabilityZone() != null) {
            return t.availabilityZone();
        }
        Node n = targetNode(tg, t);
        return n == null ? null : n.subnet().availabilityZone();
    }

    private boolean targetUsable(TargetGroup tg, LoadBalancer lb, LoadBalancer.Zone z, TargetGroup.Target t,
            boolean crossZone) {
        String zone = targetZone(tg, t);
        boolean zoneOk = "all".equals(zone) || (zone != null && lb.zoneNames().contains(zone)
                && (crossZone || zone.equals(z.zoneName())));
        return zoneOk && healthy(tg, t);
    }

    private boolean healthy(TargetGroup tg, TargetGroup.Target t) {
        String state = TargetHealths.observe(world, tg, t, timing.now(), timing.targetSettle(), timing.transition())
                .state();
        return state.equals("healthy") || state.equals("unavailable");
    }

    private void targetChecks(TargetGroup tg, LoadBalancer lb, LoadBalancer.Zone z, TargetGroup.Target t,
            boolean crossZone) {
        String zone = targetZone(tg, t);
        boolean zoneBlocked = true;
        if (!"all".equals(zone) && !lb.zoneNames().contains(zone)) {
            block("ELB_INSTALLED_AZ_RESTRICTION", lb.id(), null, lb.name() + " sends only to targets in "
                    + lb.zoneNames() + ", and " + t.id() + " is in " + zone + ".", "Enable " + zone + " on "
                    + lb.name() + " (aws elbv2 set-subnets), or register a target in " + lb.zoneNames() + ".",
                    Blocker.Named.NONE.loadBalancer(lb.id(), null, tg.id()));
        } else if (!"all".equals(zone) && !crossZone && !Objects.equals(z.zoneName(), zone)) {
            block("ELB_NOT_CROSSZONE", lb.id(), null, "Cross-zone load balancing is off on " + lb.name()
                    + ", so traffic entering in " + z.zoneName() + " reaches no target there (" + t.id() + " is in "
                    + zone + ").", "Turn on load_balancing.cross_zone.enabled, or register a target in "
                    + z.zoneName() + ".", Blocker.Named.NONE.loadBalancer(lb.id(), null, tg.id()));
        } else {
            zoneBlocked = false;
        }
        TargetHealths.Health h = TargetHealths.observe(world, tg, t, timing.now(), timing.targetSettle(),
                timing.transition());
        hop(t.id(), "target", "registered on port " + t.effectivePort(tg) + " in " + zone, h.state());
        // A target outside the load balancer's zones is "unused" for that reason alone: reported above.
        if (!healthy(tg, t) && !(zoneBlocked && "Target.NotInUse".equals(h.reason()))) {
            block("BAD_STATE", t.id(), null, "Target " + t.id() + " of " + tg.name() + " is " + h.state()
                    + (h.reason() == null ? "" : " (" + h.reason() + ")") + ".", "Make " + t.id()
                    + " healthy (start it, or register a running target).",
                    Blocker.Named.NONE.loadBalancer(lb.id(), null, tg.id()).state(h.state()));
        }
    }

    private Node targetNode(TargetGroup tg, TargetGroup.Target t) {
        if ("instance".equals(tg.targetType())) {
            return world.find(Instance.class, t.id())
                    .flatMap(i -> world.find(NetworkInterface.class, i.primaryNetworkInterfaceId()))
                    .map(this::node).orElse(null);
        }
        if (!Ipv4.isValid(t.id())) {
            return null;
        }
        for (NetworkInterface n : Scoped.inVpc(world, NetworkInterface.class, tg.vpcId())) {
            if (hasIp(n, t.id())) {
                return node(n);
            }
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Instances, hops, blockers

    private void instanceState(Node n) {
        if (n.eni() == null || n.eni().attachment() == null || n.eni().attachment().instanceId() == null) {
            return;
        }
        Instance i = world.find(Instance.class, n.eni().attachment().instanceId()).orElse(null);
        String state = i == null ? InstanceStates.TERMINATED
                : InstanceStates.observed(i, timing.now(), timing.transition());
        if (!InstanceStates.RUNNING.equals(state)) {
            String id = n.eni().attachment().instanceId();
            block("BAD_STATE", id, null, "Instance " + id + " is " + state + ", not running.",
                    "Start it: aws ec2 start-instances --instance-ids " + id + ".", named(n).state(state));
        }
    }

    private void hop(String component, String type, String check, String matched) {
        hop(component, type, check, matched, Hop.Detail.NONE);
    }

    private void hop(String component, String type, String check, String matched, Hop.Detail detail) {
        List<Hop> list = returning ? back : forward;
        list.add(new Hop(list.size() + 1, component, type, check, matched, detail));
    }

    private void block(String code, String component, String direction, String message, String fix) {
        block(code, component, direction, message, fix, Blocker.Named.NONE);
    }

    private void block(String code, String component, String direction, String message, String fix,
            Blocker.Named named) {
        Blocker b = new Blocker(code, component, direction, returning ? "return" : "forward", message, fix, named);
        blockers.putIfAbsent(b.key(), b);
    }

    private static Hop.Detail at(Node n) {
        return Hop.Detail.in(n.vpc().id(), n.subnet().id());
    }

    private static Blocker.Named named(Node n) {
        return n == null ? Blocker.Named.NONE : Blocker.Named.NONE.in(n.vpc().id(), n.subnet().id());
    }

    private static Blocker.Named named(Subnet s) {
        return Blocker.Named.NONE.in(s.vpcId(), s.id());
    }
}
