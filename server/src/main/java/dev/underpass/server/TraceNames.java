package dev.underpass.server;

import dev.underpass.model.ec2.SubnetId;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.dataplane.DataPlane;
import dev.underpass.dataplane.LoopbackAddresses;
import dev.underpass.dataplane.Names;
import dev.underpass.model.Index;
import dev.underpass.model.World;
import dev.underpass.model.ec2.Instance;
import dev.underpass.model.ec2.NetworkInterface;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.net.Ipv4;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The DNS names a trace may start from or go to, resolved with the data plane's own {@link Names}: the name an
 * instance or load balancer has is what the trace analyzes, so that {@code underpass trace} and a real client
 * asking the DNS server meet the same answer.
 *
 * <ul>
 *   <li>{@code from}: an instance's private DNS name or resource name, as the instance's own VPC resolves it;
 *       the interface it names (one of the account's, when the account is known).
 *   <li>{@code to}, as the source's VPC resolves it: an instance's name → that interface; a Network Load
 *       Balancer's DNS name → the node DNS answers in the source's zone (left as the name, which the analyzer
 *       takes to that node), else the first node it answers, by its address (so a zone taken out by DNS failover
 *       is not the one traced); other names (endpoints', AWS services') are left to the
 *       analyzer, which knows them as DNS does. A name that does not exist for the source's VPC is left as it is:
 *       the analyzer finds no destination ({@code NO_SOURCE_OR_DESTINATION}), as the client would get NXDOMAIN.
 * </ul>
 *
 * With the data plane running its names and health are used; without it, the names of the current world (the
 * loopback mapping is a pure function of it) with every load balancer node counted up.
 */
final class TraceNames {
    private final World world;
    private final DataPlane dataPlane;
    private final LoopbackAddresses book;
    private final Names names;

    private TraceNames(World world, DataPlane dataPlane) {
        this.world = world;
        this.dataPlane = dataPlane;
        this.book = dataPlane != null ? dataPlane.addresses() : LoopbackAddresses.of(world);
        this.names = dataPlane != null ? dataPlane.names() : Names.of(world, book);
    }

    static TraceNames of(World world, DataPlane dataPlane) {
        return new TraceNames(world, dataPlane);
    }

    /** Whether {@code s} is a DNS name rather than an id, an ARN or an IPv4 address. */
    static boolean isName(String s) {
        return s != null && s.indexOf('.') > 0 && !s.startsWith("arn:") && !Ipv4.isValid(s);
    }

    /** A source name's interface ids (of {@code account} when it is not null): zero, one, or an ambiguous few. */
    List<String> sourceInterfaces(String name, String account) {
        List<String> out = new ArrayList<>();
        for (String loopback : names.anywhere(name)) {
            LoopbackAddresses.Address a = book.atLoopback(loopback).orElse(null);
            if (a != null && a.role() == LoopbackAddresses.Role.INSTANCE
                    && (account == null || account.equals(a.ownerId()))
                    && !out.contains(a.networkInterfaceId())) {
                out.add(a.networkInterfaceId());
            }
        }
        return out;
    }

    /**
     * What {@code name} stands for as a destination for a source at {@code source} (an instance or interface id,
     * or a private address of {@code account} in {@code region}): an interface id or a load balancer node's
     * private IPv4 address, or null when the analyzer should take the name as it is.
     */
    String destination(String name, String source, String account, String region) {
        NetworkInterface src = sourceInterface(source, account, region);
        VpcId vpc = src == null ? null : src.vpcId();
        List<String> answer = dataPlane != null ? dataPlane.resolveInVpc(name, vpc)
                : names.resolveInVpc(name, vpc, Names.ALL_UP);
        if (answer == null) {
            return null;
        }
        LoopbackAddresses.Address node = null;
        for (String loopback : answer) {
            LoopbackAddresses.Address a = book.atLoopback(loopback).orElse(null);
            if (a == null) {
                continue;
            }
            if (a.role() == LoopbackAddresses.Role.INSTANCE) {
                return a.networkInterfaceId();
            }
            if (a.role() == LoopbackAddresses.Role.LOAD_BALANCER && (node == null
                    || (src != null && Objects.equals(zoneId(a.subnetId()), zoneId(SubnetId.text(src.subnetId())))))) {
                node = a;
            }
        }
        if (node == null
                || (src != null && Objects.equals(zoneId(node.subnetId()), zoneId(SubnetId.text(src.subnetId()))))) {
            // The node in the source's zone is the one the analyzer takes for the name itself (with the load
            // balancer's own blockers wherever its VPC is): leave the name to it.
            return null;
        }
        return node.privateIp();
    }

    /** The zone id of a subnet (zone names differ from account to account; ids do not). */
    private String zoneId(String subnetId) {
        return subnetId == null ? null
                : world.find(Subnet.class, subnetId).map(Subnet::availabilityZoneId).orElse(null);
    }

    /** The source's interface: an instance's primary one, the interface named, or the one with that address. */
    private NetworkInterface sourceInterface(String source, String account, String region) {
        if (Ipv4.isValid(source)) {
            for (NetworkInterface n : Index.owned(world, NetworkInterface.class, account, region)) {
                if (n.privateIps().stream().anyMatch(p -> p.address().equals(source))) {
                    return n;
                }
            }
            return null;
        }
        if (source.startsWith("i-")) {
            return world.find(Instance.class, source)
                    .flatMap(i -> world.find(NetworkInterface.class, i.primaryNetworkInterfaceId())).orElse(null);
        }
        if (source.startsWith("eni-")) {
            return world.find(NetworkInterface.class, source).orElse(null);
        }
        return null;
    }
}
