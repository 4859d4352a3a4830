package dev.underpass.dataplane;

import dev.underpass.reach.Analysis;
import dev.underpass.reach.Blocker;
import java.time.Instant;
import java.util.Objects;

/**
 * Where the data plane reports the flows it carried or refused, for VPC flow logs ({@link FlowLogWriter}). A
 * caller describes one hop of a connection between two loopback addresses (a {@link Leg}); the recorder knows which
 * interfaces those addresses stand for, which flow logs watch them, and writes a record for each direction on each
 * watched interface. Anything in the data plane that relays traffic (endpoint interfaces, NLB nodes, a future S3
 * proxy) calls {@link #record} once per hop when the connection ends, or when it is refused; a TCP connection
 * open across aggregation windows is reported in parts, one per window, each with only that part's bytes.
 *
 * <p>Implementations must be thread-safe and must not block for long: they are called on event-loop threads.
 */
@FunctionalInterface
public interface FlowRecorder {
    /** Records nothing (the data plane without flow logs). */
    FlowRecorder NONE = leg -> {};

    void record(Leg leg);

    /** What happened to a hop. */
    enum Outcome {
        /** Carried: both interfaces record ACCEPT, each direction. */
        ACCEPTED,
        /** Dropped on the way out of the source interface (its security group or subnet ACL): REJECT there. */
        REJECTED_AT_SOURCE,
        /**
         * Dropped on the way into the destination interface (its security group, subnet ACL, or the endpoint's
         * state): the source records its attempt as ACCEPT, the destination records REJECT.
         */
        REJECTED_AT_DESTINATION;

        /**
         * Where a flow log sees the analyzer's verdict: a refused flow is dropped leaving the client when an egress
         * rule of its security group or subnet ACL blocks it on the way out, else arriving at the destination.
         */
        public static Outcome of(Analysis a) {
            if (a.reachable()) {
                return ACCEPTED;
            }
            return a.blockers().stream().anyMatch(Blocker::atSourceEgress) ? REJECTED_AT_SOURCE
                    : REJECTED_AT_DESTINATION;
        }
    }

    /**
     * One hop of a TCP connection or UDP flow: from {@code srcLoopback:srcPort} to {@code dstLoopback:dstPort}, payload
     * bytes each way, when it started and ended. {@code packetsForward}/{@code packetsBack} are the datagrams of a UDP
     * flow each way, or the estimated segments of a part of a TCP connection; -1 for a whole TCP connection, whose
     * segments the records estimate from the bytes. {@code recordAtSource} /
     * {@code recordAtDestination} say whether the interface of each end sees this hop (false, for instance, for the
     * client's interface on the node-to-target hop of a flow whose client address an NLB preserves: the client's
     * interface never carries that hop). An address that is no interface's loopback address (a public address a proxy
     * stands in for, say) appears as given in the records of the other end, and nothing is recorded at its own end.
     */
    record Leg(String srcLoopback, int srcPort, String dstLoopback, int dstPort, int protocol, long bytesForward,
            long bytesBack, long packetsForward, long packetsBack, Instant start, Instant end, Outcome outcome,
            boolean recordAtSource,
            boolean recordAtDestination) {
        public Leg {
            Objects.requireNonNull(srcLoopback, "srcLoopback");
            Objects.requireNonNull(dstLoopback, "dstLoopback");
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            Objects.requireNonNull(outcome, "outcome");
        }

        /** A TCP hop seen at both ends. */
        public static Leg tcp(String src, int srcPort, String dst, int dstPort, long forward, long back,
                Instant start, Instant end, Outcome outcome) {
            return new Leg(src, srcPort, dst, dstPort, 6, forward, back, -1, -1, start, end, outcome, true, true);
        }

        /**
         * A UDP flow seen at both ends: {@code datagramsForward} datagrams carrying {@code forward} payload bytes
         * from the source, {@code datagramsBack} carrying {@code back} bytes the other way.
         */
        public static Leg udp(String src, int srcPort, String dst, int dstPort, long datagramsForward, long forward,
                long datagramsBack, long back, Instant start, Instant end, Outcome outcome) {
            return new Leg(src, srcPort, dst, dstPort, 17, forward, back, datagramsForward, datagramsBack, start,
                    end, outcome, true, true);
        }

        public Leg seenAt(boolean atSource, boolean atDestination) {
            return new Leg(srcLoopback, srcPort, dstLoopback, dstPort, protocol, bytesForward, bytesBack,
                    packetsForward, packetsBack, start, end, outcome, atSource, atDestination);
        }
    }
}
