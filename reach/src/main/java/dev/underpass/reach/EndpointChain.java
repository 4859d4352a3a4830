package dev.underpass.reach;

import dev.underpass.model.elb.TargetGroupArn;
import dev.underpass.model.World;
import dev.underpass.model.ec2.EndpointService;
import dev.underpass.model.ec2.Instance;
import dev.underpass.model.ec2.NetworkInterface;
import dev.underpass.model.ec2.Scoped;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.ec2.Vpc;
import dev.underpass.model.ec2.VpcEndpoint;
import dev.underpass.model.ec2.VpcEndpoints;
import dev.underpass.model.elb.Listener;
import dev.underpass.model.elb.LoadBalancer;
import dev.underpass.model.elb.LoadBalancers;
import dev.underpass.model.elb.NlbAttributes;
import dev.underpass.model.elb.TargetGroup;
import dev.underpass.model.elb.TargetGroupAttributes;
import dev.underpass.model.elb.TargetType;
import dev.underpass.model.elb.TargetHealths;
import dev.underpass.model.net.Ipv4;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
/**
 * From an interface endpoint to the target behind it, for one {@link Walk}: the endpoint's connection state, the
 * endpoint service's state and zones, the Network Load Balancer's zone, security groups and listener, the target
 * group and its targets (registered, healthy, in a zone the load balancer sends to), then the leg from the load
 * balancer to the target. The part from the load balancer on ({@link #throughLoadBalancer}) also serves a load
 * balancer named as the destination itself.
 */
final class EndpointChain {
    private final Walk w;
    private final World world;
    private final Query q;
    private final Timing timing;
    private final Filters filters;
    private final Legs legs;

    EndpointChain(Walk w, Filters filters, Legs legs) {
        this.w = w;
        this.world = w.world;
        this.q = w.q;
        this.timing = w.timing;
        this.filters = filters;
        this.legs = legs;
    }

    void endpointChain(VpcEndpoint e, Node epNode) {
        VpcEndpoint.State state = VpcEndpoints.observedState(e, timing.now(), timing.transition());
        w.hop(e.id(), Hop.Kind.VPC_ENDPOINT, "connection state", state.wire());
        VpcEndpoint.Target target = e.target();
        String owner = target instanceof VpcEndpoint.Target.CustomerService c ? c.owner() : null;
        if (state != VpcEndpoint.State.AVAILABLE) {
            String fix = switch (state) {
                case PENDING_ACCEPTANCE -> "The service owner (" + owner + ") accepts it: "
                        + "aws ec2 accept-vpc-endpoint-connections --service-id " + e.serviceId()
                        + " --vpc-endpoint-ids " + e.id() + ".";
                case REJECTED -> "Ask the service owner (" + owner + ") to accept a new "
                        + "endpoint: create one and have it accepted.";
                case PENDING -> "Wait until " + e.id() + " is available.";
                default -> "Create a new endpoint to " + e.serviceName() + ".";
            };
            w.block("BAD_STATE", e.id(), null, e.id() + " is " + state + ", not available"
                    + (state == VpcEndpoint.State.PENDING_ACCEPTANCE ? ": the provider has not accepted it" : "")
                    + ".", fix, Walk.named(epNode).state(state.wire()));
        }
        if (!(target instanceof VpcEndpoint.Target.CustomerService customer)) {
            w.hop(target.serviceName(), Hop.Kind.AWS_SERVICE, "served by AWS", "available");
            return;
        }
        EndpointService svc = world.find(EndpointService.class, customer.serviceId()).orElse(null);
        if (svc == null) {
            w.block("NO_POSSIBLE_DESTINATION", e.id(), null, "The service " + customer.serviceId() + " of " + e.id()
                    + " no longer exists.", "Delete " + e.id() + " and connect to a live service.");
            return;
        }
        w.hop(svc.id(), Hop.Kind.VPC_ENDPOINT_SERVICE, "service state and zones", svc.state().wire());
        if (svc.state() != EndpointService.State.AVAILABLE) {
            w.block("BAD_STATE", svc.id(), null, svc.id() + " is " + svc.state() + ", not Available.",
                    "Wait until " + svc.id() + " is Available.", Blocker.Named.NONE.state(svc.state().wire()));
        }
        String zoneId = epNode.subnet().availabilityZoneId();
        boolean inZone = svc.zones().stream().anyMatch(z -> Objects.equals(z.zoneId(), zoneId));
        if (!inZone) {
            w.block("VPCE_SERVICE_NOT_INSTALLED_IN_AZ", svc.id(), null, svc.id() + " is not offered in " + zoneId
                    + ", where " + epNode.component() + " of " + e.id() + " is.",
                    "Enable a subnet in "
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
            w.block("NO_POSSIBLE_DESTINATION", svc.id(), null, svc.id() + " has no load balancer.",
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
        Node nlb = new Node(lb.id(), Hop.Kind.LOAD_BALANCER, Ipv4.parse(z.privateIp()), lbSubnet, lbVpc,
                lb.securityGroups(), null);
        w.hop(lb.id(), Hop.Kind.LOAD_BALANCER, "receives in " + z.zoneName() + " (" + z.zoneId() + ")", lb.name());
        if (NlbAttributes.enforcesInboundOnPrivateLink(lb)) {
            filters.securityGroups(nlb, false, epNode, epNode.ip(), q.port());
        }
        throughLoadBalancer(lb, z, nlb, null);
    }

    /**
     * From a load balancer's node in one zone to its target: the listener on the flow's port, its target group, the
     * target chosen, then the leg to the target. The target sees the load balancer's address, or the client's
     * ({@code client}, null through PrivateLink, which never preserves it) when the target group preserves client
     * addresses: a Network Load Balancer's instance targets, UDP, or {@code preserve_client_ip.enabled}.
     */
    void throughLoadBalancer(LoadBalancer lb, LoadBalancer.Zone z, Node nlb, Node client) {
        Listener listener = null;
        for (Listener l : LoadBalancers.listenersOf(world, lb.loadBalancerArn())) {
            if (l.port() == q.port() && Rules.listenerCarries(l.protocol(), q.ipProtocol())) {
                listener = l;
                break;
            }
        }
        if (listener == null) {
            List<Integer> ports =
                    LoadBalancers.listenersOf(world, lb.loadBalancerArn()).stream().map(Listener::port).toList();
            w.block("ELBV2_LISTENERS_MISMATCH", lb.id(), null, lb.name() + " has no "
                    + q.protocol().toUpperCase(Locale.ROOT) + " listener on port " + q.port() + " (listeners: "
                    + ports + ").",
                    "Add a listener on port " + q.port() + " to " + lb.name()
                            + " (aws elbv2 create-listener), or connect to one of " + ports + ".",
                    Blocker.Named.NONE.loadBalancer(lb.id(), null, null).flow(q.port(), q.protocol(), List.of()));
            return;
        }
        w.hop(listener.id(), Hop.Kind.LISTENER, "port " + listener.port(), listener.protocol().wire());
        TargetGroup tg = null;
        for (TargetGroupArn arn : listener.targetGroupArns()) {
            tg = world.find(TargetGroup.class, arn).orElse(null);
            if (tg != null) {
                break;
            }
        }
        List<TargetGroup.Target> targets = tg == null ? List.of()
                : tg.targets().stream().filter(t -> t.deregisteredAt() == null).toList();
        if (tg == null || targets.isEmpty()) {
            w.block("ELBV2_LISTENER_HAS_NO_TG", listener.id(), null, "The listener on port " + listener.port()
                    + " of " + lb.name() + " forwards to " + (tg == null ? "no target group" : tg.name()
                            + ", which has no registered targets")
                    + ".",
                    "Register a target: aws elbv2 register-targets "
                            + "--target-group-arn " + (tg == null ? "<arn>" : tg.id()) + " --targets Id=<instance>.",
                    Blocker.Named.NONE.loadBalancer(lb.id(), listener.port(), tg == null ? null : tg.id()));
            return;
        }
        w.hop(tg.id(), Hop.Kind.TARGET_GROUP, "targets of " + tg.name(), tg.targetType().wire());
        boolean crossZone = TargetGroupAttributes.crossZone(lb, tg);
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
            w.block("UNKNOWN_DESTINATION", chosen.id(), null, "The target " + chosen.id() + " of " + tg.name()
                    + " has no network interface the analyzer can find.", "Register a target that exists.");
            return;
        }
        Node from = nlb;
        if (client != null && preservesClient(lb, tg)) {
            from = new Node(nlb.component(), nlb.type(), client.ip(), nlb.subnet(), nlb.vpc(), nlb.groups(), null);
        }
        legs.leg(from, targetNode, targetNode.ip(), chosen.effectivePort(tg));
    }

    private static boolean preservesClient(LoadBalancer lb, TargetGroup tg) {
        // An Application Load Balancer opens its own connection to the target.
        return lb.type() == LoadBalancer.Type.NETWORK && TargetGroupAttributes.preservesClientIp(tg);
    }

    private String targetZone(TargetGroup tg, TargetGroup.Target t) {
        if (tg.targetType() == TargetType.INSTANCE) {
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
        TargetHealths.State state = TargetHealths.observe(world, tg, t, timing.now(), timing.targetSettle(),
                timing.transition()).state();
        return state == TargetHealths.State.HEALTHY || state == TargetHealths.State.UNAVAILABLE;
    }

    private void targetChecks(TargetGroup tg, LoadBalancer lb, LoadBalancer.Zone z, TargetGroup.Target t,
            boolean crossZone) {
        String zone = targetZone(tg, t);
        boolean zoneBlocked = true;
        if (!"all".equals(zone) && !lb.zoneNames().contains(zone)) {
            w.block("ELB_INSTALLED_AZ_RESTRICTION", lb.id(), null, lb.name() + " sends only to targets in "
                    + lb.zoneNames() + ", and " + t.id() + " is in " + zone + ".",
                    "Enable " + zone + " on "
                            + lb.name() + " (aws elbv2 set-subnets), or register a target in " + lb.zoneNames() + ".",
                    Blocker.Named.NONE.loadBalancer(lb.id(), null, tg.id()));
        } else if (!"all".equals(zone) && !crossZone && !Objects.equals(z.zoneName(), zone)) {
            w.block("ELB_NOT_CROSSZONE", lb.id(), null, "Cross-zone load balancing is off on " + lb.name()
                    + ", so traffic entering in " + z.zoneName() + " reaches no target there (" + t.id() + " is in "
                    + zone + ").",
                    "Turn on load_balancing.cross_zone.enabled, or register a target in "
                            + z.zoneName() + ".",
                    Blocker.Named.NONE.loadBalancer(lb.id(), null, tg.id()));
        } else {
            zoneBlocked = false;
        }
        TargetHealths.Health h = TargetHealths.observe(world, tg, t, timing.now(), timing.targetSettle(),
                timing.transition());
        w.hop(t.id(), Hop.Kind.TARGET, "registered on port " + t.effectivePort(tg) + " in " + zone, h.state().wire());
        // A target outside the load balancer's zones is "unused" for that reason alone: reported above.
        if (!healthy(tg, t) && !(zoneBlocked && h.reason() == TargetHealths.Reason.TARGET_NOT_IN_USE)) {
            w.block("BAD_STATE", t.id(), null, "Target " + t.id() + " of " + tg.name() + " is " + h.state()
                    + (h.reason() == null ? "" : " (" + h.reason() + ")") + ".",
                    "Make " + t.id()
                            + " healthy (start it, or register a running target).",
                    Blocker.Named.NONE.loadBalancer(lb.id(), null, tg.id()).state(h.state().wire()));
        }
    }

    private Node targetNode(TargetGroup tg, TargetGroup.Target t) {
        if (tg.targetType() == TargetType.INSTANCE) {
            return world.find(Instance.class, t.id())
                    .flatMap(i -> world.find(NetworkInterface.class, i.primaryNetworkInterfaceId()))
                    .map(w::node).orElse(null);
        }
        if (!Ipv4.isValid(t.id())) {
            return null;
        }
        for (NetworkInterface n : Scoped.inVpc(world, NetworkInterface.class, tg.vpcId())) {
            if (Walk.hasIp(n, t.id())) {
                return w.node(n);
            }
        }
        return null;
    }
}
