package dev.underpass.reach;

import dev.underpass.model.ec2.InstanceId;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.World;
import dev.underpass.model.ec2.NetworkInterface;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * "Who can reach it": every candidate source interface analyzed against one destination, port and protocol. The
 * answer lists the interfaces that get through and, for the rest, how many are blocked by each explanation code (an
 * interface blocked for two reasons counts under both). Candidates are the caller's to choose (an account's
 * interfaces, or every account's for an administrator); interfaces that AWS services manage (endpoints, load
 * balancers, NAT gateways) and the destination's own are never sources.
 */
public record Reachers(String destination, String protocol, int port, int analyzed, List<Source> reachable,
        int blocked, Map<String, Integer> blockedBy) {

    /** One interface that reaches the destination. */
    public record Source(String networkInterfaceId, String instanceId, String accountId, String vpcId) {}

    public Reachers {
        reachable = List.copyOf(reachable);
        blockedBy = Map.copyOf(blockedBy);
    }

    /** Analyzes every interface of {@code candidates} that {@code include} accepts. */
    public static Reachers of(World world, Collection<NetworkInterface> candidates, Predicate<NetworkInterface> include,
            String region, String destination, String protocol, int port, Timing timing) {
        List<Source> ok = new ArrayList<>();
        Map<String, Integer> by = new TreeMap<>();
        int analyzed = 0;
        int blocked = 0;
        Query template = new Query("000000000000", region, "eni-template", destination, protocol, port);
        for (NetworkInterface eni : candidates) {
            if (eni.requesterManaged() || !eni.region().equals(region) || !include.test(eni)
                    || eni.id().equals(destination) || (eni.attachment() != null
                            && destination.equals(InstanceId.text(eni.attachment().instanceId())))) {
                continue;
            }
            analyzed++;
            Analysis a = Analyzer.analyze(world, new Query(eni.ownerId(), region, eni.id(), template.destination(),
                    template.protocol(), port), timing);
            if (a.reachable()) {
                ok.add(new Source(eni.id(),
                        eni.attachment() == null ? null : InstanceId.text(eni.attachment().instanceId()),
                        eni.ownerId(), VpcId.text(eni.vpcId())));
            } else {
                blocked++;
                Set<String> codes = new LinkedHashSet<>();
                for (Blocker b : a.blockers()) {
                    codes.add(b.code());
                }
                for (String c : codes) {
                    by.merge(c, 1, Integer::sum);
                }
            }
        }
        return new Reachers(destination, template.protocol(), port, analyzed, ok, blocked, by);
    }
}
