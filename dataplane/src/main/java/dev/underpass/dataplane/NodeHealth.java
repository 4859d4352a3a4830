package dev.underpass.dataplane;

import dev.underpass.model.elb.LoadBalancerArn;
import dev.underpass.model.World;
import dev.underpass.model.elb.Listener;
import dev.underpass.model.elb.LoadBalancer;
import dev.underpass.model.elb.LoadBalancers;
import dev.underpass.model.elb.TargetGroup;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Which Network Load Balancer nodes the DNS name answers with, as AWS's DNS failover decides it: a node is in the
 * answer while, for <em>every</em> target group its TCP and UDP listeners forward to, enough of the targets it sends
 * new flows to are healthy ({@link TargetChoice#inDns}: in its own zone, or in any enabled zone with cross-zone load
 * balancing on; the group's {@code target_group_health.dns_failover.*} thresholds, by default one healthy target).
 * So a zone where no target is registered is out of the answer as a zone whose targets all failed is; a load
 * balancer without listeners has every node in. When no node qualifies, the name answers all of them
 * (fail-open; {@link Names}).
 *
 * <p>The verdicts depend on the world and on the health checks: they are kept per world snapshot <em>and</em>
 * health-state version ({@link HealthChecks#version}), and for at most a second (instance states change with
 * time), so the answer changes as soon as a check flips a target.
 */
final class NodeHealth {
    private final Supplier<World> worlds;
    private final Clock clock;
    private final TargetChoice targets;
    private final LongSupplier healthVersion;
    private final PerSnapshot<String, Boolean> up = new PerSnapshot<>();

    NodeHealth(Supplier<World> worlds, Clock clock, TargetChoice targets, LongSupplier healthVersion) {
        this.worlds = worlds;
        this.clock = clock;
        this.targets = targets;
        this.healthVersion = healthVersion;
    }

    /** Whether the node of load balancer {@code lbArn} in zone {@code zone} (a zone name) belongs in DNS answers. */
    boolean up(String lbArn, String zone) {
        World w = worlds.get();
        // The version is read before the verdict is worked out: a flip meanwhile gives the next asker a fresh one.
        long version = healthVersion.getAsLong();
        return up.get(w, version, lbArn + " " + zone, k -> compute(w, lbArn, zone));
    }

    private boolean compute(World w, String lbArn, String zone) {
        LoadBalancer lb = w.find(LoadBalancer.class, lbArn).orElse(null);
        if (lb == null) {
            return true;
        }
        Set<String> groups = new HashSet<>();
        for (Listener l : LoadBalancers.listenersOf(w, lb.loadBalancerArn())) {
            if (!DataPlane.carriesTcp(l) && !UdpFlows.carriesUdp(l)) {
                continue;
            }
            TargetGroup tg = DataPlane.targetGroup(w, l);
            if (tg != null && groups.add(tg.id()) && !targets.inDns(w, lb, zone, tg, clock.instant())) {
                return false;
            }
        }
        return true;
    }
}
