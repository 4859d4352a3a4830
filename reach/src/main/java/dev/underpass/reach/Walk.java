package dev.underpass.reach;

import dev.underpass.model.ec2.PrefixListId;
import dev.underpass.model.ec2.InstanceId;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.World;
import dev.underpass.model.ec2.InstanceState;
import dev.underpass.model.ec2.AwsServices;
import dev.underpass.model.ec2.Instance;
import dev.underpass.model.ec2.InstanceStates;
import dev.underpass.model.ec2.ManagedPrefixList;
import dev.underpass.model.ec2.NetworkAcl;
import dev.underpass.model.ec2.NetworkInterface;
import dev.underpass.model.ec2.RouteTable;
import dev.underpass.model.ec2.RouteTables;
import dev.underpass.model.ec2.Scoped;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.ec2.Vpc;
import dev.underpass.model.ec2.VpcEndpoint;
import dev.underpass.model.net.Ipv4;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of one analysis as the {@link Analyzer}'s parts build it: the hops both ways, the blockers (each once,
 * in the order found), the legs whose replies are checked at the end, and the lookups every part shares (a
 * network interface as a {@link Node}, the network ACL and route table of a subnet, a prefix list's blocks).
 * One instance per analysis; never shared between threads.
 */
final class Walk {
    final World world;
    final Query q;
    final Timing timing;
    final List<Hop> forward = new ArrayList<>();
    final List<Hop> back = new ArrayList<>();
    final Map<String, Blocker> blockers = new LinkedHashMap<>();
    /** The forward legs (sender, receiver) in order, and the destination port of each. */
    final List<Node[]> legs = new ArrayList<>();
    final List<Integer> legPorts = new ArrayList<>();
    /** Whether hops and blockers now belong to the return path. */
    boolean returning;
    /** The VPC endpoint the path goes through (interface, or gateway by route), for the policy layer. */
    VpcEndpoint crossed;
    /** The policy layer's answer, when the query carries a request. */
    Analysis.PolicyVerdict policy;
    /** The endpoint interface the flow arrives at, when the caller knows it (the data plane); else null. */
    String viaInterface;

    Walk(World world, Query q, Timing timing) {
        this.world = world;
        this.q = q;
        this.timing = timing;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Hops and blockers

    void hop(String component, Hop.Kind type, String check, String matched) {
        hop(component, type, check, matched, Hop.Detail.NONE);
    }

    void hop(String component, Hop.Kind type, String check, String matched, Hop.Detail detail) {
        List<Hop> list = returning ? back : forward;
        list.add(new Hop(list.size() + 1, component, type, check, matched, detail));
    }

    void block(String code, String component, Blocker.Direction direction, String message, String fix) {
        block(code, component, direction, message, fix, Blocker.Named.NONE);
    }

    void block(String code, String component, Blocker.Direction direction, String message, String fix,
            Blocker.Named named) {
        Blocker b = new Blocker(code, component, direction, returning ? Blocker.Path.RETURN : Blocker.Path.FORWARD,
                message, fix, named);
        blockers.putIfAbsent(b.key(), b);
    }

    static Hop.Detail at(Node n) {
        return Hop.Detail.in(n.vpc().id(), n.subnet().id());
    }

    static Blocker.Named named(Node n) {
        return n == null ? Blocker.Named.NONE : Blocker.Named.NONE.in(n.vpc().id(), n.subnet().id());
    }

    static Blocker.Named named(Subnet s) {
        return Blocker.Named.NONE.in(VpcId.text(s.vpcId()), s.id());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Shared lookups

    Node node(NetworkInterface eni) {
        Subnet subnet = world.find(Subnet.class, eni.subnetId()).orElse(null);
        Vpc vpc = world.find(Vpc.class, eni.vpcId()).orElse(null);
        String primary = eni.primaryIp();
        if (subnet == null || vpc == null || primary == null) {
            return null;
        }
        return new Node(eni.id(), Hop.Kind.NETWORK_INTERFACE, Ipv4.parse(primary), subnet, vpc, eni.groupIds(), eni);
    }

    static boolean hasIp(NetworkInterface n, String ip) {
        for (NetworkInterface.PrivateIp p : n.privateIps()) {
            if (p.address().equals(ip)) {
                return true;
            }
        }
        return false;
    }

    List<String> prefixListCidrs(PrefixListId id) {
        ManagedPrefixList p = world.find(ManagedPrefixList.class, id).orElse(null);
        if (p != null) {
            List<ManagedPrefixList.Entry> entries = p.entries();
            return entries == null ? List.of() : entries.stream().map(ManagedPrefixList.Entry::cidr).toList();
        }
        return AwsServices.prefixList(q.region(), id).map(AwsServices.PrefixList::cidrs).orElse(List.of());
    }

    /** The subnet's network ACL: the one associated with it, else the VPC's default. */
    NetworkAcl aclOf(Subnet subnet) {
        NetworkAcl fallback = null;
        for (NetworkAcl a : Scoped.inVpc(world, NetworkAcl.class, subnet.vpcId())) {
            for (NetworkAcl.Association as : a.associations()) {
                if (subnet.subnetId().equals(as.subnetId())) {
                    return a;
                }
            }
            if (a.isDefault()) {
                fallback = a;
            }
        }
        return fallback;
    }

    /** The subnet's route table: the one associated with it, else the VPC's main table. */
    RouteTable routeTableOf(Subnet subnet) {
        return RouteTables.effectiveFor(world, subnet); // the same rule the EC2 API applies
    }

    /** A stopped or terminated instance behind the interface blocks the path. */
    void instanceState(Node n) {
        if (n.eni() == null || n.eni().attachment() == null || n.eni().attachment().instanceId() == null) {
            return;
        }
        Instance i = world.find(Instance.class, n.eni().attachment().instanceId()).orElse(null);
        InstanceState state = i == null ? InstanceState.TERMINATED
                : InstanceStates.observed(i, timing.now(), timing.transition());
        if (state != InstanceState.RUNNING) {
            String id = InstanceId.text(n.eni().attachment().instanceId());
            block("BAD_STATE", id, null, "Instance " + id + " is " + state + ", not running.",
                    "Start it: aws ec2 start-instances --instance-ids " + id + ".", named(n).state(state.wire()));
        }
    }
}
