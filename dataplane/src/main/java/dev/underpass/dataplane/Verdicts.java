package dev.underpass.dataplane;

import dev.underpass.model.World;
import dev.underpass.reach.Analysis;
import dev.underpass.reach.Analyzer;
import dev.underpass.reach.Blocker;
import dev.underpass.reach.Query;
import dev.underpass.reach.Timing;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analyzer's verdicts on the flows the data plane is asked to carry: into an endpoint interface
 * ({@link Analyzer#analyzeVia}) and straight to a load balancer node ({@link Analyzer#analyze} to the node's
 * address), each as {@code underpass trace} would walk it. A verdict is a pure function of the world (and of time),
 * so it is remembered per world snapshot for up to a second; the next write gives a fresh one. Split from
 * {@link Flows}. Logs under {@code DataPlane}'s name.
 */
final class Verdicts {
    private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);

    private final Supplier<LoopbackAddresses> addresses;
    private final DataPlane.Settings settings;

    Verdicts(Supplier<LoopbackAddresses> addresses, DataPlane.Settings settings) {
        this.addresses = addresses;
        this.settings = settings;
    }

    /** A flow to decide: its source interface, the interface it arrives at (endpoint or node), protocol, port. */
    private record Decision(String source, String arrivesAt, String protocol, int port) {}

    /** The analyzer's verdicts on the current world, for at most a second (time-derived states may change). */
    private final PerSnapshot<Decision, FlowRecorder.Outcome> decisions = new PerSnapshot<>();

    /**
     * Whether the analyzer lets {@code q} through the endpoint interface: a pure function of the world (and of
     * time, for states that change with it), so it is remembered per world snapshot for up to a second.
     */
    FlowRecorder.Outcome decide(World w, Instant now, Query q, String endpointInterface) {
        return decisions.get(w, new Decision(q.source(), endpointInterface, q.protocol(), q.port()),
                k -> analyze(w, now, q, endpointInterface));
    }

    /** The analyzer's verdict: through {@code endpointInterface}, or (null) straight to the query's destination. */
    private FlowRecorder.Outcome analyze(World w, Instant now, Query q, String endpointInterface) {
        Timing timing = new Timing(now, settings.instanceTransition(), Duration.ZERO);
        Analysis a = endpointInterface == null ? Analyzer.analyze(w, q, timing)
                : Analyzer.analyzeVia(w, q, timing, endpointInterface);
        if (!a.reachable()) {
            LOG.debug("data plane: refused {} -> {} port {}: {}", q.source(), q.destination(), q.port(),
                    a.blockers().stream().map(Blocker::code).toList());
        }
        return FlowRecorder.Outcome.of(a);
    }

    /**
     * The analyzer's verdict on a flow from {@code src} straight to the load balancer node of {@code want}: what
     * {@code underpass trace --from <src's interface> --to <the node's private address>} walks (the source's security
     * groups, routes and network ACLs, the load balancer's security groups, the node subnet's ACL, the listener, its
     * target group and the leg to a target). Remembered per world snapshot as endpoint decisions are. Null when
     * {@code src} is no interface (or the node has no address).
     */
    FlowRecorder.Outcome decideNode(World w, Instant now, LoopbackAddresses.Address src, DataPlane.Want want,
            String protocol) {
        LoopbackAddresses.Address node = src == null ? null : addresses.get().ofInterface(want.interfaceId())
                .orElse(null);
        if (node == null || node.privateIp() == null) {
            return null;
        }
        Query q = new Query(src.ownerId(), src.region(), src.networkInterfaceId(), node.privateIp(), protocol,
                want.port());
        return decisions.get(w, new Decision(q.source(), want.interfaceId(), protocol, want.port()),
                k -> analyze(w, now, q, null));
    }

    /**
     * The analyzer's verdict on a health check from the load balancer node at {@code nodeLoopback} to the target at
     * {@code targetLoopback} on {@code port} (TCP): what {@code underpass trace --from <node's interface> --to
     * <target's private address> --port <port>} walks (the load balancer's security groups, if it has any, the
     * node's and the target's subnet ACLs both ways, the target's security groups, which must admit the node's
     * address or the load balancer's groups). Remembered per world snapshot as the other decisions are. Null when
     * either address is no interface's.
     */
    FlowRecorder.Outcome decideHealthCheck(World w, Instant now, String nodeLoopback, String targetLoopback,
            int port) {
        LoopbackAddresses book = addresses.get();
        LoopbackAddresses.Address node = book.atLoopback(nodeLoopback).orElse(null);
        LoopbackAddresses.Address target = book.atLoopback(targetLoopback).orElse(null);
        if (node == null || target == null || target.privateIp() == null) {
            return null;
        }
        Query q = new Query(node.ownerId(), node.region(), node.networkInterfaceId(), target.privateIp(), "tcp",
                port);
        return decisions.get(w, new Decision(q.source(), target.networkInterfaceId(), "tcp", port),
                k -> analyze(w, now, q, null));
    }
}
