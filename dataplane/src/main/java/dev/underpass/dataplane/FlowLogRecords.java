package dev.underpass.dataplane;

import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.World;
import dev.underpass.model.ec2.FlowLog;
import dev.underpass.model.ec2.FlowLogs;
import dev.underpass.model.ec2.Subnet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a {@link FlowRecorder.Leg} into VPC flow log records: for each end of the hop whose interface some flow log
 * watches (the interface itself, its subnet or its VPC), one record per direction, rendered in the flow log's format
 * (AWS's version-2 default or its custom {@code LogFormat}). Pure: the world and the address book in, lines out.
 *
 * <p>Field semantics follow <a href="https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html">flow
 * log records</a>: addresses are the private IPv4 addresses the loopback addresses stand for; {@code account-id} is
 * the owner of the interface; {@code start}/{@code end} are Unix seconds; {@code version} is the highest version of
 * the fields the format uses. underpass relays bytes, not packets, so {@code packets} and {@code bytes} are estimated
 * from the payload: a SYN (or SYN-ACK) and a FIN, plus one segment per 1,448 payload bytes, each with 52 bytes of IP
 * and TCP headers (Linux's default, with timestamps). A refused connection is one 60-byte SYN. A UDP flow's
 * datagrams are counted, not estimated: each is one packet of its payload plus 28 bytes of IPv4 and UDP headers;
 * its {@code tcp-flags} are 0.
 */
final class FlowLogRecords {
    private static final Pattern FIELD = Pattern.compile("\\$\\{([a-z0-9-]+)}");
    private static final int MSS = 1448;
    private static final int HEADERS = 52;
    private static final int UDP_HEADERS = 28;
    private static final Object INDEX = new Object();

    private FlowLogRecords() {}

    /** One rendered record, for the flow log {@code flowLog}, in its aggregation window starting at {@code window}. */
    record Line(FlowLog flowLog, long window, String text) {}

    /** What one interface saw of a hop, in one direction. */
    private record Seen(LoopbackAddresses.Address at, boolean egress, LoopbackAddresses.Address src,
            int srcPort, LoopbackAddresses.Address dst, int dstPort, int protocol, long packets, long bytes,
            int tcpFlags, FlowLog.TrafficType action) {}

    /** Whether the world has no flow log at all (then nothing is worth queuing). */
    static boolean none(World world) {
        return world.derive(INDEX, FlowLogRecords::index).isEmpty();
    }

    static List<Line> lines(World world, LoopbackAddresses book, FlowRecorder.Leg leg) {
        Map<String, List<FlowLog>> index = world.derive(INDEX, FlowLogRecords::index);
        if (index.isEmpty()) {
            return List.of();
        }
        // An address that is no interface's (a public service address, say) is shown as given, recorded nowhere.
        LoopbackAddresses.Address src = book.atLoopback(leg.srcLoopback()).orElseGet(() -> outside(leg.srcLoopback()));
        LoopbackAddresses.Address dst = book.atLoopback(leg.dstLoopback()).orElseGet(() -> outside(leg.dstLoopback()));
        List<Seen> seen = new ArrayList<>();
        int p = leg.protocol();
        switch (leg.outcome()) {
            case ACCEPTED -> {
                boolean udp = leg.protocol() == 17;
                // Counted when the caller knows them (UDP datagrams, a TCP connection's part of a window), else a
                // whole TCP connection's: SYN, FIN and the payload's segments.
                long fwdPackets = leg.packetsForward() >= 0 ? leg.packetsForward() : 2 + segments(leg.bytesForward());
                long backPackets = leg.packetsBack() >= 0 ? leg.packetsBack() : 2 + segments(leg.bytesBack());
                int headers = udp ? UDP_HEADERS : HEADERS;
                long fwdBytes = leg.bytesForward() + headers * fwdPackets;
                long backBytes = leg.bytesBack() + headers * backPackets;
                int fwdFlags = udp ? 0 : 0x02 | 0x01;
                int backFlags = udp ? 0 : 0x12 | 0x01;
                // A UDP direction that carried nothing (no answer yet) has no record; a TCP one always has its SYN.
                boolean fwd = fwdPackets > 0;
                boolean back = backPackets > 0;
                if (leg.recordAtSource()) {
                    if (fwd) {
                        seen.add(new Seen(src, true, src, leg.srcPort(), dst, leg.dstPort(), p, fwdPackets,
                                fwdBytes, fwdFlags, FlowLog.TrafficType.ACCEPT));
                    }
                    if (back) {
                        seen.add(new Seen(src, false, dst, leg.dstPort(), src, leg.srcPort(), p, backPackets,
                                backBytes, backFlags, FlowLog.TrafficType.ACCEPT));
                    }
                }
                if (leg.recordAtDestination()) {
                    if (fwd) {
                        seen.add(new Seen(dst, false, src, leg.srcPort(), dst, leg.dstPort(), p, fwdPackets,
                                fwdBytes, fwdFlags, FlowLog.TrafficType.ACCEPT));
                    }
                    if (back) {
                        seen.add(new Seen(dst, true, dst, leg.dstPort(), src, leg.srcPort(), p, backPackets,
                                backBytes, backFlags, FlowLog.TrafficType.ACCEPT));
                    }
                }
            }
            case REJECTED_AT_SOURCE, REJECTED_AT_DESTINATION -> {
                // TCP: one 60-byte SYN. UDP: the datagrams that were dropped.
                boolean udp = leg.protocol() == 17;
                long packets = udp ? leg.packetsForward() : 1;
                long bytes = udp ? leg.bytesForward() + UDP_HEADERS * packets : 60;
                int flags = udp ? 0 : 0x02;
                boolean atSource = leg.outcome() == FlowRecorder.Outcome.REJECTED_AT_SOURCE;
                if (leg.recordAtSource()) {
                    seen.add(new Seen(src, true, src, leg.srcPort(), dst, leg.dstPort(), p, packets, bytes, flags,
                            atSource ? FlowLog.TrafficType.REJECT : FlowLog.TrafficType.ACCEPT));
                }
                if (!atSource && leg.recordAtDestination()) {
                    seen.add(new Seen(dst, false, src, leg.srcPort(), dst, leg.dstPort(), p, packets, bytes,
                            flags, FlowLog.TrafficType.REJECT));
                }
            }
        }
        List<Line> out = new ArrayList<>();
        for (Seen s : seen) {
            if (s.at().networkInterfaceId() == null) {
                continue;
            }
            for (String watched : new String[] {s.at().networkInterfaceId(), s.at().subnetId(),
                VpcId.text(s.at().vpcId())}) {
                for (FlowLog f : watched == null ? List.<FlowLog>of() : index.getOrDefault(watched, List.of())) {
                    if (!f.trafficType().records(s.action())) {
                        continue;
                    }
                    // The window the hop (or its part, for a connection open across windows) started in.
                    long window = leg.start().getEpochSecond() / f.maxAggregationInterval()
                            * f.maxAggregationInterval();
                    out.add(new Line(f, window, render(world, f, s, leg)));
                }
            }
        }
        return out;
    }

    private static LoopbackAddresses.Address outside(String address) {
        return new LoopbackAddresses.Address(address, null, null, null, address, null, null, null, null, null);
    }

    static long segments(long bytes) {
        return (bytes + MSS - 1) / MSS;
    }

    /** Flow logs by the resource they watch. */
    private static Map<String, List<FlowLog>> index(World world) {
        Map<String, List<FlowLog>> m = new HashMap<>();
        for (FlowLog f : world.all(FlowLog.class)) {
            m.computeIfAbsent(f.resourceId(), k -> new ArrayList<>()).add(f);
        }
        return m;
    }

    /** The format's field names, in order. */
    static List<String> fields(FlowLog f) {
        List<String> names = new ArrayList<>();
        Matcher m = FIELD.matcher(f.logFormat() == null ? FlowLogs.DEFAULT_FORMAT : f.logFormat());
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The header line AWS puts at the top of a plain-text log file: the field names, space separated. */
    static String header(FlowLog f) {
        return String.join(" ", fields(f));
    }

    private static String render(World world, FlowLog f, Seen s, FlowRecorder.Leg leg) {
        List<String> names = fields(f);
        StringBuilder b = new StringBuilder();
        for (String name : names) {
            if (!b.isEmpty()) {
                b.append(' ');
            }
            b.append(value(world, names, name, s, leg));
        }
        return b.toString();
    }

    private static String value(World world, List<String> names, String field, Seen s, FlowRecorder.Leg leg) {
        LoopbackAddresses.Address at = s.at();
        return switch (field) {
            case "version" -> Integer.toString(version(names));
            case "account-id" -> at.ownerId();
            case "interface-id" -> at.networkInterfaceId();
            case "srcaddr", "pkt-srcaddr" -> s.src().privateIp();
            case "dstaddr", "pkt-dstaddr" -> s.dst().privateIp();
            case "srcport" -> Integer.toString(s.srcPort());
            case "dstport" -> Integer.toString(s.dstPort());
            case "protocol" -> Integer.toString(s.protocol());
            case "packets" -> Long.toString(s.packets());
            case "bytes" -> Long.toString(s.bytes());
            case "start" -> Long.toString(leg.start().getEpochSecond());
            case "end" -> Long.toString(leg.end().getEpochSecond());
            case "action" -> s.action().wire();
            case "log-status" -> "OK";
            case "vpc-id" -> dash(VpcId.text(at.vpcId()));
            case "subnet-id" -> dash(at.subnetId());
            case "instance-id" -> at.role() == LoopbackAddresses.Role.INSTANCE ? at.resourceId() : "-";
            case "tcp-flags" -> Integer.toString(s.tcpFlags());
            case "type" -> "IPv4";
            case "region" -> at.region();
            case "az-id" -> at.subnetId() == null ? "-" : world.find(Subnet.class, at.subnetId())
                    .map(Subnet::availabilityZoneId).orElse("-");
            case "flow-direction" -> s.egress() ? "egress" : "ingress";
            // Egress within the VPC (to another interface of it, an endpoint, a load balancer node): path 1.
            case "traffic-path" -> s.egress() ? "1" : "-";
            default -> "-";
        };
    }

    /** The version of a format: that of its newest field (AWS's rule). */
    static int version(List<String> names) {
        int v = 2;
        for (String n : names) {
            int fv = switch (n) {
                case "vpc-id", "subnet-id", "instance-id", "tcp-flags", "type", "pkt-srcaddr", "pkt-dstaddr" -> 3;
                case "region", "az-id", "sublocation-type", "sublocation-id" -> 4;
                case "pkt-src-aws-service", "pkt-dst-aws-service", "flow-direction", "traffic-path" -> 5;
                case "reject-reason" -> 8;
                default -> n.startsWith("ecs-") ? 7 : 2;
            };
            v = Math.max(v, fv);
        }
        return v;
    }

    private static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
