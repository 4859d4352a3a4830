package dev.underpass.reach;

import dev.underpass.model.ec2.VpcEndpointId;
import dev.underpass.model.ec2.EndpointServiceId;
import dev.underpass.model.ec2.NetworkInterfaceId;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.Index;
import dev.underpass.model.World;
import dev.underpass.model.ec2.AwsServices;
import dev.underpass.model.ec2.EndpointService;
import dev.underpass.model.ec2.Instance;
import dev.underpass.model.ec2.NetworkInterface;
import dev.underpass.model.ec2.PeeringConnection;
import dev.underpass.model.ec2.Scoped;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.ec2.Vpc;
import dev.underpass.model.ec2.VpcEndpoint;
import dev.underpass.model.elb.LoadBalancer;
import dev.underpass.model.net.Cidr;
import dev.underpass.model.net.Ipv4;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 *
 * <p>This class resolves the source and destination and orders the walk; the parts it delegates to share one
 * {@link Walk} (the hops, blockers and common lookups): {@link Legs} (one sender to one receiver and the reply),
 * {@link Filters} (security groups and network ACLs), {@link Routing} (route tables and what routes point at) and
 * {@link EndpointChain} (interface endpoint → endpoint service → load balancer → target).
 */
public final class Analyzer {
    /** Peering connections by each of their two VPCs, so that finding a VPC's peers reads only its own. */
    private static final Index<PeeringConnection, VpcId> PEERINGS_BY_VPC = Index.byEach(PeeringConnection.class,
            p -> List.of(p.requester().vpcId(), p.accepter().vpcId()));
    /** Load balancers by VPC, so that an address destination looks only at its own VPC's. */
    private static final Index<LoadBalancer, VpcId> BALANCERS_BY_VPC = Index.by(LoadBalancer.class,
            LoadBalancer::vpcId);

    private final Walk w;
    private final World world;
    private final Query q;
    private final Legs legs;
    private final EndpointChain chain;

    private Analyzer(World world, Query q, Timing timing) {
        this.w = new Walk(world, q, timing);
        this.world = world;
        this.q = q;
        Filters filters = new Filters(w);
        this.legs = new Legs(w, filters, new Routing(w));
        this.chain = new EndpointChain(w, filters, legs);
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
        a.w.viaInterface = endpointInterfaceId;
        return a.run();
    }

    private Analysis run() {
        Node src = resolveSource();
        if (src == null) {
            w.block("NO_SOURCE_OR_DESTINATION", q.source(), null, "The source " + q.source()
                    + " is not an instance, network interface or private address of account " + q.accountId()
                    + " in " + q.region() + ".",
                    "Name an existing instance (i-…), network interface (eni-…) or "
                            + "its private IPv4 address.");
            return done(null);
        }
        Target target = resolveTarget(src);
        if (target == null) {
            return done(src);
        }
        w.instanceState(src);
        switch (target) {
            case Target.Eni t -> legs.leg(src, t.node(), t.node().ip(), q.port());
            case Target.External t -> {
                w.crossed = t.gatewayEndpoint() != null ? t.gatewayEndpoint() : w.crossed;
                legs.external(src, t.ip(), t.gatewayEndpoint());
            }
            case Target.Balancer t -> {
                legs.leg(src, t.node(), t.node().ip(), q.port());
                chain.throughLoadBalancer(t.lb(), t.zone(), t.node(), src);
            }
            case Target.Endpoint t -> {
                w.crossed = t.endpoint();
                legs.leg(src, t.node(), t.node().ip(), q.port());
                chain.endpointChain(t.endpoint(), t.node());
            }
        }
        if (q.policy() != null) {
            policy(src);
        }
        w.returning = true;
        for (int i = w.legs.size() - 1; i >= 0; i--) {
            legs.returnLeg(w.legs.get(i)[0], w.legs.get(i)[1], w.legPorts.get(i));
        }
        return done(src);
    }

    /** The policy layer, at the end of the forward path: every layer that denies the request is a blocker. */
    private void policy(Node src) {
        boolean wasReturning = w.returning;
        w.returning = false;
        List<PolicyLayer.Denial> denials = new ArrayList<>();
        String[] blocking = new String[1];
        dev.underpass.policy.Decision d = PolicyLayer.evaluate(world, q.policy(), w.crossed, src, denials,
                blocking);
        w.policy = new Analysis.PolicyVerdict(d.outcome().wireName(), blocking[0],
                w.crossed == null ? null : w.crossed.id());
        w.hop(w.crossed == null ? "policy" : w.crossed.id(), Hop.Kind.POLICY, q.policy().action() + " on "
                + q.policy().resource() + " by " + q.policy().principal(),
                d.outcome().wireName()
                        + (d.statements().isEmpty() ? ""
                                : " by " + d.statements().stream().map(st -> st.layer().wireName()
                                        + (st.sid() == null ? "#" + st.statement() : ":" + st.sid())).toList()));
        for (PolicyLayer.Denial x : denials) {
            w.block(x.code(), x.component(), null, x.message(), x.fix());
        }
        w.returning = wasReturning;
    }

    private Analysis done(Node src) {
        String dest = w.forward.isEmpty() ? null : w.forward.get(w.forward.size() - 1).component();
        return new Analysis(q, w.blockers.isEmpty(), src == null ? null : src.component(), dest, w.forward, w.back,
                List.copyOf(w.blockers.values()), w.policy);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Resolution

    sealed interface Target {
        record Eni(Node node) implements Target {}

        record Endpoint(VpcEndpoint endpoint, Node node) implements Target {}

        /** An address outside every VPC, or an AWS service behind a gateway endpoint. */
        record External(int ip, VpcEndpoint gatewayEndpoint) implements Target {}

        /** A load balancer (by ARN, DNS name or one of its addresses), at its node in {@code zone}. */
        record Balancer(LoadBalancer lb, LoadBalancer.Zone zone, Node node) implements Target {}
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
                if (Walk.hasIp(n, s)) {
                    eni = n;
                    break;
                }
            }
        }
        return eni == null ? null : w.node(eni);
    }

    private boolean ours(dev.underpass.model.Resource r) {
        return r.ownerId().equals(q.accountId()) && r.region().equals(q.region());
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
            Node n = eni == null ? null : w.node(eni);
            if (n == null) {
                return noDestination();
            }
            return new Target.Eni(n);
        }
        if (isId && d.startsWith("vpce-svc-")) {
            EndpointServiceId serviceId = new EndpointServiceId(d);
            for (VpcEndpoint e : Scoped.inVpc(world, VpcEndpoint.class, src.vpc().vpcId())) {
                if (serviceId.equals(e.serviceId()) && e.isInterface()) {
                    return endpointTarget(src, e);
                }
            }
            if (world.find(EndpointService.class, serviceId).isEmpty()) {
                return noDestination();
            }
            w.block("NO_PATH", d, null, src.vpc().id() + " has no interface endpoint to " + d
                    + ", so nothing in it can reach the service.",
                    "Create an interface endpoint to " + d + " in "
                            + src.vpc().id()
                            + " (aws ec2 create-vpc-endpoint --vpc-endpoint-type Interface --service-name "
                            + world.find(EndpointService.class, serviceId).map(EndpointService::serviceName).orElse(d)
                            + ").");
            return null;
        }
        if (isId && d.startsWith("vpce-")) {
            VpcEndpoint e = world.find(VpcEndpoint.class, new VpcEndpointId(d))
                    .filter(r -> r.region().equals(q.region())).orElse(null);
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
            // A load balancer's address: its interface, or (where it has none recorded) its zone's address.
            VpcId vpcId = n == null ? src.vpc().vpcId() : n.vpc().vpcId();
            for (LoadBalancer lb : BALANCERS_BY_VPC.get(world, vpcId)) {
                for (LoadBalancer.Zone z : lb.zones()) {
                    if (n == null ? d.equals(z.privateIp())
                            : n.component().equals(NetworkInterfaceId.text(z.networkInterfaceId()))) {
                        return balancerTarget(src, lb, z);
                    }
                }
            }
            return n != null ? new Target.Eni(n) : new Target.External(ip, null);
        }
        if (d.startsWith("arn:") && d.contains(":loadbalancer/")) {
            LoadBalancer lb = world.find(LoadBalancer.class, d).filter(r -> r.region().equals(q.region()))
                    .orElse(null);
            return lb == null ? noDestination() : balancerTarget(src, lb, null);
        }
        // A DNS name: one of an endpoint's names in the source VPC, or a private DNS name it answers for.
        String name = d.toLowerCase(Locale.ROOT);
        AwsServices.ServiceHost service = AwsServices.serviceOfHost(name);
        if (service != null) {
            return serviceTarget(src, service);
        }
        for (VpcEndpoint e : Scoped.inVpc(world, VpcEndpoint.class, src.vpc().vpcId())) {
            if (!(e.placement() instanceof VpcEndpoint.Placement.Interface placed)) {
                continue;
            }
            for (VpcEndpoint.DnsEntry entry : placed.dnsEntries()) {
                String entryName = entry.dnsName().toLowerCase(Locale.ROOT);
                if (entryName.equals(name) || (entryName.startsWith("*.") && name.endsWith(entryName.substring(1)))) {
                    return endpointTarget(src, e);
                }
            }
        }
        for (LoadBalancer lb : world.all(LoadBalancer.class, b -> b.region().equals(q.region()))) {
            if (lb.dnsName().equalsIgnoreCase(name)) {
                return balancerTarget(src, lb, null);
            }
        }
        return noDestination();
    }

    /**
     * An AWS service's public name ({@code s3.us-east-1.amazonaws.com}, {@code bucket.s3…},
     * {@code dynamodb.<region>…}) as the data plane's DNS answers it inside the source's VPC: the VPC's interface
     * endpoint to the service when it has private DNS (and not "only for inbound resolver endpoints", S3's default,
     * under which the names stay public); otherwise an address of the service's public range (the first of its
     * prefix list, which a gateway endpoint route catches), or of the internet for a service in another region.
     */
    private Target serviceTarget(Node src, AwsServices.ServiceHost service) {
        String serviceName = AwsServices.serviceName(service.region(), service.service());
        for (VpcEndpoint e : Scoped.inVpc(world, VpcEndpoint.class, src.vpc().vpcId())) {
            if (e.answersPublicNamesOf(serviceName) && !e.networkInterfaceIds().isEmpty()) {
                return endpointTarget(src, e);
            }
        }
        List<String> cidrs = service.region().equals(q.region()) ? AwsServices.prefixListFor(service.region(),
                serviceName).map(AwsServices.PrefixList::cidrs).orElse(List.of()) : List.of();
        if (cidrs.isEmpty()) {
            return new Target.External(Ipv4.parse(SERVICE_ON_THE_INTERNET), null);
        }
        int first = Cidr.parse(cidrs.get(0)).first();
        // The network address of the block is no host; the one after it is (as the data plane picks it).
        return new Target.External((first & 0xff) == 0 ? first + 1 : first, null);
    }

    /** The address a service outside the source's region stands at (TEST-NET-3, as the data plane uses). */
    public static final String SERVICE_ON_THE_INTERNET = "203.0.113.10";

    /** The load balancer at {@code zone}, else at its node in the source's zone (by zone id), else its first. */
    private Target balancerTarget(Node src, LoadBalancer lb, LoadBalancer.Zone zone) {
        LoadBalancer.Zone z = zone;
        for (LoadBalancer.Zone each : lb.zones()) {
            if (z == null || (zone == null && Objects.equals(each.zoneId(), src.subnet().availabilityZoneId())
                    && !Objects.equals(z.zoneId(), src.subnet().availabilityZoneId()))) {
                z = each;
            }
        }
        Subnet subnet = z == null ? null : world.find(Subnet.class, z.subnetId()).orElse(null);
        Vpc vpc = world.find(Vpc.class, lb.vpcId()).orElse(null);
        if (subnet == null || vpc == null || z.privateIp() == null) {
            w.block("NO_POSSIBLE_DESTINATION", lb.id(), null, lb.name() + " has no address in a subnet to receive "
                    + "the traffic.", "Give " + lb.name() + " a subnet (aws elbv2 set-subnets).");
            return null;
        }
        return new Target.Balancer(lb, z,
                new Node(lb.id(), Hop.Kind.LOAD_BALANCER, Ipv4.parse(z.privateIp()), subnet, vpc,
                        lb.securityGroups(), null));
    }

    private Target noDestination() {
        if (isIpv6(q.destination())) {
            w.block("NO_SOURCE_OR_DESTINATION", q.destination(), null, "The destination " + q.destination()
                    + " is an IPv6 address: underpass analyzes IPv4 flows only.",
                    "Name the destination by id, "
                            + "or by its IPv4 address.");
            return null;
        }
        w.block("NO_SOURCE_OR_DESTINATION", q.destination(), null, "The destination " + q.destination()
                + " does not exist in " + q.region() + " (or is not resolvable from the source's VPC).",
                "Name an existing instance, network interface, VPC endpoint, endpoint service, load balancer, "
                        + "endpoint or load balancer DNS name, or IPv4 address.");
        return null;
    }

    /** An IPv6 address (hex groups and colons), which the analyzer does not follow yet. */
    private static boolean isIpv6(String s) {
        return s.indexOf(':') >= 0 && !s.startsWith("arn:") && s.matches("[0-9A-Fa-f:.]+(/[0-9]+)?");
    }

    /** The endpoint's interface in the source's zone if it has one there, else its first. */
    private Target endpointTarget(Node src, VpcEndpoint e) {
        Node chosen = null;
        for (NetworkInterfaceId id : e.networkInterfaceIds()) {
            Node n = world.find(NetworkInterface.class, id).map(w::node).orElse(null);
            if (n == null) {
                continue;
            }
            if (id.value().equals(w.viaInterface)) {
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
            w.block("NO_POSSIBLE_DESTINATION", e.id(), null, e.id() + " has no network interface to receive the "
                    + "traffic.", "Add a subnet to " + e.id() + " (aws ec2 modify-vpc-endpoint --add-subnet-ids).");
            return null;
        }
        return new Target.Endpoint(e, new Node(chosen.component(), Hop.Kind.NETWORK_INTERFACE, chosen.ip(),
                chosen.subnet(), chosen.vpc(), chosen.groups(), chosen.eni()));
    }

    /** The interface with this address in the VPC, a VPC peered with it, or another VPC of the account. */
    private Node findByIp(Vpc vpc, int ip) {
        List<VpcId> vpcs = new ArrayList<>();
        vpcs.add(vpc.vpcId());
        for (PeeringConnection p : PEERINGS_BY_VPC.get(world, vpc.vpcId())) {
            PeeringConnection.Side peer = p.peerOf(vpc.vpcId());
            if (peer != null && peer.region().equals(q.region())) {
                vpcs.add(peer.vpcId());
            }
        }
        String text = Ipv4.format(ip);
        for (VpcId v : vpcs) {
            for (NetworkInterface n : Scoped.inVpc(world, NetworkInterface.class, v)) {
                if (Walk.hasIp(n, text)) {
                    return w.node(n);
                }
            }
        }
        // An address of another of the account's VPCs: the walk then says what joins them (or that nothing does).
        for (NetworkInterface n : Index.owned(world, NetworkInterface.class, q.accountId(), q.region())) {
            if (Walk.hasIp(n, text)) {
                return w.node(n);
            }
        }
        return null;
    }
}
