package dev.underpass.dataplane;

import dev.underpass.model.elb.TargetGroupArn;
import dev.underpass.model.ec2.NetworkInterfaceId;
import dev.underpass.model.World;
import dev.underpass.model.ec2.EndpointService;
import dev.underpass.model.ec2.Instance;
import dev.underpass.model.ec2.NetworkInterface;
import dev.underpass.model.ec2.Scoped;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.ec2.VpcEndpoint;
import dev.underpass.model.elb.LoadBalancer;
import dev.underpass.model.elb.TargetGroup;
import dev.underpass.model.elb.TargetGroupAttributes;
import dev.underpass.model.elb.TargetType;
import dev.underpass.model.elb.TargetGroupAttributes;
import dev.underpass.model.elb.TargetHealthSource;
import dev.underpass.model.elb.TargetHealths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where a flow goes once it is let in: which NLB node carries an endpoint interface's flows, which targets of a
 * group a node may choose, and which one a flow gets (zone, cross-zone, failover to other zones, fail-open, flow
 * hash). These are decisions on one world snapshot (kept per snapshot) plus target health (read per flow), with no
 * socket in sight, so TCP ({@link Flows}), UDP ({@link UdpFlows}), DNS failover ({@link NodeHealth}) and the health
 * checks ({@link DataPlane}) all ask the same code. Split from {@link Flows}, which sets up the relays.
 */
final class TargetChoice {
    private final Supplier<LoopbackAddresses> addresses;
    private final DataPlane.Settings settings;
    private final TargetHealthSource health;

    /** Per snapshot: the node carrying each endpoint interface's flows, and each group's candidate targets. */
    private final PerSnapshot<DataPlane.Want, Optional<Node>> nodes = new PerSnapshot<>();
    private final PerSnapshot<String, List<Candidate>> candidates = new PerSnapshot<>();

    TargetChoice(Supplier<LoopbackAddresses> addresses, DataPlane.Settings settings, TargetHealthSource health) {
        this.addresses = addresses;
        this.settings = settings;
        this.health = health;
    }

    /** An NLB node: its load balancer, zone name and loopback address. */
    record Node(String lbArn, String zone, String loopback) {}

    /** A target a node may choose, before health and zone are looked at. */
    private record Candidate(Choice choice, String zone) {}

    /** A target as the data plane reaches it: its loopback address and zone. */
    record Placed(String loopback, String zone) {}

    /** A target as a node reaches it. */
    record Choice(String loopback, int port, String targetId) {
        boolean sameTarget(Choice other) {
            return other != null && loopback.equals(other.loopback) && port == other.port;
        }
    }

    /** The node carrying flows that arrive at the endpoint interface of {@code want} (per snapshot); null: none. */
    Node endpointNode(World w, DataPlane.Want want) {
        return nodes.get(w, want, k -> Optional.ofNullable(findEndpointNode(w, k))).orElse(null);
    }

    /**
     * The NLB node that carries flows arriving at the endpoint interface of {@code want}: the service's load
     * balancer with a node in that interface's zone id, else the first one's first zone; null when there is none.
     */
    private Node findEndpointNode(World w, DataPlane.Want want) {
        LoadBalancer.Zone zone = null;
        LoadBalancer lb = null;
        VpcEndpoint e = w.find(VpcEndpoint.class, want.owner()).orElse(null);
        EndpointService svc = e != null && e.target() instanceof VpcEndpoint.Target.CustomerService c
                ? w.find(EndpointService.class, c.serviceId()).orElse(null) : null;
        String zoneId = w.find(NetworkInterface.class, want.interfaceId())
                .flatMap(n -> w.find(Subnet.class, n.subnetId())).map(Subnet::availabilityZoneId).orElse(null);
        for (String arn : svc == null ? List.<String>of() : svc.networkLoadBalancerArns()) {
            LoadBalancer each = w.find(LoadBalancer.class, arn).orElse(null);
            if (each == null || each.zones().isEmpty()) {
                continue;
            }
            LoadBalancer.Zone match = each.zones().stream().filter(z -> z.zoneId().equals(zoneId)).findFirst()
                    .orElse(null);
            if (match != null) {
                lb = each;
                zone = match;
                break;
            }
            if (lb == null) {
                lb = each;
                zone = each.zones().get(0);
            }
        }
        String node =
                zone == null ? null : addresses.get().ofInterface(NetworkInterfaceId.text(zone.networkInterfaceId()))
                        .map(LoopbackAddresses.Address::loopback).orElse(null);
        return node == null ? null : new Node(lb.id(), zone.zoneName(), node);
    }

    /** Where the data plane reaches target {@code t} of {@code tg}; null when it has no loopback address. */
    Placed place(World w, TargetGroup tg, TargetGroup.Target t) {
        if (tg.targetType() == TargetType.INSTANCE) {
            Instance i = w.find(Instance.class, t.id()).orElse(null);
            if (i == null) {
                return null;
            }
            return addresses.get().ofInterface(NetworkInterfaceId.text(i.primaryNetworkInterfaceId()))
                    .map(a -> new Placed(a.loopback(), i.availabilityZone())).orElse(null);
        }
        if (tg.targetType() == TargetType.IP) {
            for (NetworkInterface n : Scoped.inVpc(w, NetworkInterface.class, tg.vpcId())) {
                for (NetworkInterface.PrivateIp ip : n.privateIps()) {
                    if (ip.address().equals(t.id())) {
                        String zone = t.availabilityZone() != null ? t.availabilityZone() : n.availabilityZone();
                        return addresses.get().ofInterface(n.id()).map(a -> new Placed(a.loopback(), zone))
                                .orElse(null);
                    }
                }
            }
        }
        return null;
    }

    /** Whether the health checks found {@code targetId}'s registration on {@code port} in {@code tgArn} unhealthy. */
    boolean unhealthy(String tgArn, String targetId, int port) {
        return health.health(TargetGroupArn.of(tgArn), targetId, port)
                .map(h -> h.state() == TargetHealths.State.UNHEALTHY).orElse(false);
    }

    /**
     * The target a new flow through the node of {@code lb} in {@code zone} goes to: the healthy ones it reaches
     * (all it reaches, unhealthy ones too, when too few are healthy for the group's routing failover thresholds),
     * else the healthy ones anywhere, else (fail-open) all it reaches; one of them by {@code flowHash}. Null: none.
     */
    Choice choose(World w, LoadBalancer lb, String zone, TargetGroup tg, Instant now, int flowHash) {
        boolean crossZone = crossZone(lb, tg);
        List<Choice> inZone = new ArrayList<>();
        List<Choice> healthyInZone = new ArrayList<>();
        List<Choice> healthyAnywhere = new ArrayList<>();
        for (Candidate cand : candidates.get(w, tg.id(), k -> candidates(w, tg, now))) {
            Choice c = cand.choice();
            boolean healthy = healthy(tg, c);
            boolean here = reaches(crossZone, cand, zone);
            if (here) {
                inZone.add(c);
                if (healthy) {
                    healthyInZone.add(c);
                }
            }
            if (healthy) {
                healthyAnywhere.add(c);
            }
        }
        // Routing failover: too few healthy targets here (by default none) and the node sends to all it reaches.
        boolean enough = TargetGroupAttributes.healthyEnough(tg.attributes(),
                TargetGroupAttributes.HealthAction.ROUTING_FAILOVER, healthyInZone.size(), inZone.size());
        List<Choice> pick = enough && !healthyInZone.isEmpty() ? healthyInZone
                : !healthyInZone.isEmpty() ? inZone
                : !healthyAnywhere.isEmpty() ? healthyAnywhere : inZone;
        return pick.isEmpty() ? null : pick.get(Math.floorMod(flowHash, pick.size()));
    }

    /**
     * Whether the node of {@code lb} in {@code zone} stays in DNS answers as far as {@code tg} goes: the healthy
     * targets among those it sends flows to (in its zone, or in any zone with cross-zone load balancing on) meet the
     * group's DNS failover thresholds (by default: at least one). What AWS's DNS failover asks of each target group
     * ({@link NodeHealth}); the same tests as {@link #choose}.
     */
    boolean inDns(World w, LoadBalancer lb, String zone, TargetGroup tg, Instant now) {
        boolean crossZone = crossZone(lb, tg);
        int total = 0;
        int healthy = 0;
        for (Candidate cand : candidates.get(w, tg.id(), k -> candidates(w, tg, now))) {
            if (reaches(crossZone, cand, zone)) {
                total++;
                if (healthy(tg, cand.choice())) {
                    healthy++;
                }
            }
        }
        return TargetGroupAttributes.healthyEnough(tg.attributes(), TargetGroupAttributes.HealthAction.DNS_FAILOVER,
                healthy, total);
    }

    /**
     * A flow's hash from its five-tuple, mixed so that every bit depends on every field: Linux hands out even
     * ephemeral ports to sockets bound to port 0, so an unmixed sum kept the parity of the source port, and with
     * two targets every flow of one client went to the same one.
     */
    static int flowHash(String sourceIp, int sourcePort, String destinationIp, int destinationPort, int protocol) {
        int h = java.util.Objects.hash(sourceIp, sourcePort, destinationIp, destinationPort, protocol);
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ h >>> 16;
    }

    /** Cross-zone load balancing for {@code tg} behind {@code lb}: the group's setting, else the load balancer's. */
    static boolean crossZone(LoadBalancer lb, TargetGroup tg) {
        return TargetGroupAttributes.crossZone(lb, tg);
    }

    /** Whether a node in {@code zone} sends flows to {@code cand}: same zone, cross-zone on, or IP target in "all". */
    private static boolean reaches(boolean crossZone, Candidate cand, String zone) {
        return crossZone || "all".equals(cand.zone()) || cand.zone().equals(zone);
    }

    /** Whether {@code c} takes new flows as far as health goes: the checks found it healthy, or do not check it. */
    private boolean healthy(TargetGroup tg, Choice c) {
        return health.health(tg.targetGroupArn(), c.targetId(), c.port())
                .map(h -> h.state() == TargetHealths.State.HEALTHY)
                .orElse(true);
    }

    /**
     * The targets of {@code tg} a node may choose, in a stable order: registered and not draining, whose instance is
     * running, with a loopback address. Health (which the checks change at any time) is looked at per flow.
     */
    private List<Candidate> candidates(World w, TargetGroup tg, Instant now) {
        List<TargetGroup.Target> targets = new ArrayList<>(tg.targets());
        targets.sort(Comparator.comparing(TargetGroup.Target::id).thenComparing(t -> t.effectivePort(tg)));
        List<Candidate> out = new ArrayList<>();
        for (TargetGroup.Target t : targets) {
            if (t.deregisteredAt() != null) {
                continue;
            }
            TargetHealths.Health derived = TargetHealths.observe(w, tg, t, now, Duration.ZERO,
                    settings.instanceTransition());
            if (derived.state() == TargetHealths.State.UNUSED || derived.state() == TargetHealths.State.DRAINING) {
                continue;
            }
            Placed p = place(w, tg, t);
            if (p == null) {
                continue;
            }
            out.add(new Candidate(new Choice(p.loopback(), t.effectivePort(tg), t.id()), p.zone()));
        }
        return List.copyOf(out);
    }
}
