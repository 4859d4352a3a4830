package dev.underpass.reach;

import dev.underpass.model.ec2.PrefixListId;
import dev.underpass.model.ec2.NetworkAcl;
import dev.underpass.model.ec2.AddressSet;
import dev.underpass.model.ec2.RouteTable;
import dev.underpass.model.ec2.RulePeer;
import dev.underpass.model.ec2.SecurityGroup;
import dev.underpass.model.ec2.SecurityGroupId;
import dev.underpass.model.net.Cidr;
import dev.underpass.model.elb.Protocol;
import dev.underpass.model.net.IpProtocol;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * How one security group rule, network ACL entry or route applies to one packet: the matching semantics the
 * analyzer is built from, kept apart so that each reads as AWS documents it.
 */
final class Rules {
    private Rules() {}

    // ---------------------------------------------------------------------------------------------------------
    // Security group rules

    /** Whether {@code r} admits a {@code protocol} packet on {@code port} whose peer is {@code peerIp}/{@code peerGroups}. */
    static boolean sgMatches(SecurityGroup.Rule r, IpProtocol protocol, int port, int peerIp,
            List<SecurityGroupId> peerGroups, Function<PrefixListId, List<String>> prefixLists) {
        if (!r.protocol().covers(protocol)) {
            return false;
        }
        if (!r.protocol().isAll() && !(r.fromPort() == -1 && r.toPort() == -1)
                && (port < r.fromPort() || port > r.toPort())) {
            return false;
        }
        return switch (r.peer()) {
            case AddressSet.Ipv4 p -> p.cidr().contains(peerIp);
            case AddressSet.PrefixList p -> {
                for (String c : prefixLists.apply(p.prefixListId())) {
                    if (contains(c, peerIp)) {
                        yield true;
                    }
                }
                yield false;
            }
            case RulePeer.Group p -> peerGroups.contains(p.groupId());
            case AddressSet.Ipv6 p -> false; // the analyzer follows IPv4 packets only
        };
    }

    private static boolean contains(String cidr, int ip) {
        try {
            return Cidr.parse(cidr).contains(ip);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static String describe(SecurityGroup.Rule r) {
        String peer = r.peer().text();
        String ports = r.protocol().isAll() ? "all" : r.fromPort() == r.toPort() ? String.valueOf(r.fromPort())
                : r.fromPort() + "-" + r.toPort();
        return r.ruleId() + " " + (r.egress() ? "egress " : "ingress ") + r.protocol() + " " + ports
                + (r.egress() ? " to " : " from ") + peer;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Network ACL entries

    private static List<NetworkAcl.Entry> ordered(NetworkAcl acl, boolean egress) {
        List<NetworkAcl.Entry> out = new ArrayList<>();
        for (NetworkAcl.Entry e : acl.entries()) {
            if (e.egress() == egress && e.block() instanceof AddressSet.Ipv4) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparingInt(NetworkAcl.Entry::ruleNumber));
        return out;
    }

    private static boolean aclProtocol(NetworkAcl.Entry e, IpProtocol protocol) {
        return e.protocol().covers(protocol);
    }

    /** The entry's port range, or all ports when it has none (protocol {@code -1}). */
    private static int[] aclPorts(NetworkAcl.Entry e) {
        if (e.protocol().isAll() || e.portFrom() == null || e.portTo() == null) {
            return new int[] {0, 65535};
        }
        return new int[] {e.portFrom(), e.portTo()};
    }

    /** Whether an IPv4 entry's block holds the address (the entries are IPv4 ones, {@link #ordered}). */
    private static boolean covers(NetworkAcl.Entry e, int ip) {
        return e.block() instanceof AddressSet.Ipv4 v4 && v4.cidr().contains(ip);
    }

    /** The first entry by rule number that matches the packet, or null (an implicit deny). */
    static NetworkAcl.Entry firstAclMatch(NetworkAcl acl, boolean egress, IpProtocol protocol, int peerIp,
            int port) {
        for (NetworkAcl.Entry e : ordered(acl, egress)) {
            int[] ports = aclPorts(e);
            if (aclProtocol(e, protocol) && covers(e, peerIp) && port >= ports[0]
                    && port <= ports[1]) {
                return e;
            }
        }
        return null;
    }

    /**
     * The ports in {@code from..to} (as sorted disjoint ranges) on which the ACL lets a packet to or from
     * {@code peerIp} pass: each entry, in rule order, decides the ports no earlier entry decided.
     */
    static List<int[]> allowedPorts(NetworkAcl acl, boolean egress, IpProtocol protocol, int peerIp, int from,
            int to) {
        List<int[]> undecided = new ArrayList<>(List.of(new int[] {from, to}));
        List<int[]> allowed = new ArrayList<>();
        for (NetworkAcl.Entry e : ordered(acl, egress)) {
            if (undecided.isEmpty()) {
                break;
            }
            if (!aclProtocol(e, protocol) || !covers(e, peerIp)) {
                continue;
            }
            int[] range = aclPorts(e);
            List<int[]> rest = new ArrayList<>();
            for (int[] u : undecided) {
                int lo = Math.max(u[0], range[0]);
                int hi = Math.min(u[1], range[1]);
                if (lo > hi) {
                    rest.add(u);
                    continue;
                }
                if (e.allow()) {
                    allowed.add(new int[] {lo, hi});
                }
                if (u[0] < lo) {
                    rest.add(new int[] {u[0], lo - 1});
                }
                if (hi < u[1]) {
                    rest.add(new int[] {hi + 1, u[1]});
                }
            }
            undecided = rest;
        }
        allowed.sort(Comparator.comparingInt(r -> r[0]));
        return allowed;
    }

    static List<int[]> intersect(List<int[]> a, List<int[]> b) {
        List<int[]> out = new ArrayList<>();
        for (int[] x : a) {
            for (int[] y : b) {
                int lo = Math.max(x[0], y[0]);
                int hi = Math.min(x[1], y[1]);
                if (lo <= hi) {
                    out.add(new int[] {lo, hi});
                }
            }
        }
        return out;
    }

    static String describe(NetworkAcl.Entry e) {
        int[] p = aclPorts(e);
        IpProtocol protocol = e.protocol();
        String proto = protocol.isAll() || protocol.hasPorts() ? protocol.commonName() : protocol.aclNumber();
        return "rule " + e.ruleNumber() + " " + (e.allow() ? "allow" : "deny") + " " + proto + " "
                + (p[0] == 0 && p[1] == 65535 ? "all" : p[0] + "-" + p[1]) + " " + e.block().text();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Routes

    /** A route that matched, with the block (its own, or a prefix list entry's) that contained the address. */
    record Match(RouteTable.Route route, Cidr cidr) {}

    /** Longest prefix match; a CIDR route beats a prefix-list route of the same length. */
    static Match longestMatch(RouteTable rt, int dst, Function<PrefixListId, List<String>> prefixLists) {
        Match best = null;
        boolean bestIsList = false;
        for (RouteTable.Route r : rt.routes()) {
            switch (r.destination()) {
                case AddressSet.Ipv4 d -> {
                    Cidr c = d.cidr();
                    if (c.contains(dst) && (best == null || c.prefix() > best.cidr().prefix()
                            || (c.prefix() == best.cidr().prefix() && bestIsList))) {
                        best = new Match(r, c);
                        bestIsList = false;
                    }
                }
                case AddressSet.PrefixList d -> {
                    for (String text : prefixLists.apply(d.prefixListId())) {
                        Cidr c = parse(text);
                        if (c != null && c.contains(dst) && (best == null || c.prefix() > best.cidr().prefix())) {
                            best = new Match(r, c);
                            bestIsList = true;
                        }
                    }
                }
                case AddressSet.Ipv6 d -> {
                    // The analyzer follows IPv4 packets only.
                }
            }
        }
        return best;
    }

    private static Cidr parse(String text) {
        try {
            return Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The id of what the route points at, as AWS names it. */
    static String target(RouteTable.Route r) {
        return r.target().id();
    }

    static String describe(RouteTable.Route r, Cidr matched) {
        String dest = r.destination() instanceof AddressSet.PrefixList pl ? pl.prefixListId() + " (" + matched + ")"
                : r.destination().text();
        return dest + " -> " + target(r) + (r.state() == RouteTable.Route.State.BLACKHOLE ? " (blackhole)" : "");
    }

    /** RFC 1918 private and RFC 6598 shared address space, which internet gateways do not forward to. */
    static boolean isPrivate(int ip) {
        return Cidr.parse("10.0.0.0/8").contains(ip) || Cidr.parse("172.16.0.0/12").contains(ip)
                || Cidr.parse("192.168.0.0/16").contains(ip) || Cidr.parse("100.64.0.0/10").contains(ip);
    }

    /** Whether an NLB listener of {@code listenerProtocol} accepts a {@code protocol} flow. */
    static boolean listenerCarries(Protocol listenerProtocol, IpProtocol protocol) {
        return switch (listenerProtocol) {
            case UDP -> protocol.equals(IpProtocol.UDP);
            case TCP_UDP -> true;
            // TCP and TLS, and the ALB's HTTP and HTTPS, run over TCP (GENEVE and QUIC are not emulated)
            default -> protocol.equals(IpProtocol.TCP);
        };
    }
}
