package dev.underpass.dataplane;

import dev.underpass.model.elb.LoadBalancerArn;
import dev.underpass.model.World;
import dev.underpass.model.elb.Listener;
import dev.underpass.model.elb.LoadBalancer;
import dev.underpass.model.elb.LoadBalancers;
import dev.underpass.model.elb.TargetGroup;
import dev.underpass.model.elb.TargetGroupAttributes;
import dev.underpass.reach.Query;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UDP through NLB nodes and interface endpoints. UDP has no connection, so a node keeps flows: the first datagram
 * from a client address and port to a node's address and port (the 5-tuple) chooses a target as a TCP connection
 * does ({@link TargetChoice#choose}), opens a socket of its own to it (from the client's address when the client's
 * address is preserved, else from the node's) and keeps both; the target's answers go back to the client from the
 * listening socket, so the client sees them come from the address and port it sent to. At an endpoint interface the
 * first datagram is decided by the analyzer, as a TCP connection is, with protocol {@code udp}; refused datagrams
 * are dropped without a word (UDP has no reset), counted, and re-decided one by one, so a rule added later lets
 * the next one through. A datagram sent straight to a node is decided the same way, from the sender's interface to
 * the node's address ({@link Verdicts#decideNode}).
 *
 * <p>A flow ends after {@link #IDLE_TIMEOUT} without a datagram either way (AWS's UDP idle timeout), when room is
 * needed ({@link #FLOWS_PER_SOCKET} per listening socket, {@link #FLOWS_IN_ALL} in all; the least recently used
 * goes), or when its listening socket closes. Each flow holds one socket (a file descriptor), which is what the
 * global cap protects. Flow log records are written when a flow ends, at each aggregation window's end for what
 * open flows carried in it ({@link #sweep}, as TCP connections are cut), and for open flows on {@link #flush}.
 *
 * <p>A listening socket and all its flows' sockets share one event loop: the flow table needs no lock.
 */
final class UdpFlows {
    private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);
    /** An NLB's idle timeout for UDP flows. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(120);
    /** Open flows per listening socket (node or endpoint interface and port). */
    static final int FLOWS_PER_SOCKET = 4_096;
    /** Open flows of all listening sockets together: each holds a socket, so this bounds file descriptors too. */
    static final int FLOWS_IN_ALL = 16_384;
    /** How often a flow whose target is unhealthy looks for another target (at most). */
    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Datagrams held per flow while its socket to the target is being bound; more are dropped. */
    private static final int HELD = 64;

    private final Flows flows;
    private final Supplier<World> worlds;
    private final Clock clock;
    private final Supplier<LoopbackAddresses> addresses;
    private final Supplier<FlowRecorder> recorder;
    private final long idleNanos;
    private final UdpFlowTable.Budget budget = new UdpFlowTable.Budget(FLOWS_IN_ALL);
    private final Set<Front> fronts = ConcurrentHashMap.newKeySet();

    UdpFlows(Flows flows, Supplier<World> worlds, Clock clock, Supplier<LoopbackAddresses> addresses,
            Supplier<FlowRecorder> recorder, Duration idle) {
        this.flows = flows;
        this.worlds = worlds;
        this.clock = clock;
        this.addresses = addresses;
        this.recorder = recorder;
        this.idleNanos = idle.toNanos();
    }

    static boolean carriesUdp(Listener l) {
        return l.protocol().carriesUdp();
    }

    /** How many UDP flows are open on all sockets. */
    int open() {
        return budget.used();
    }

    /** Binds the UDP socket of {@code want} (kind {@code nlb-udp} or {@code vpce-udp}) on {@code group}. */
    Channel bind(EventLoopGroup group, DataPlane.Want want) {
        // No SO_REUSEADDR: for UDP it would let two sockets share the address and port and split the datagrams,
        // where a port that is taken must be reported (and retried) as for TCP.
        Bootstrap b = new Bootstrap().group(group).channel(Transport.datagram())
                .handler(new Front(want));
        return b.bind(want.loopback(), want.port()).syncUninterruptibly().channel();
    }

    /**
     * Reports the traffic of every open flow since its last report to the flow recorder, and waits until that is
     * done: what {@code GET /_underpass/flow-logs} calls so that open flows show.
     */
    void flush() {
        onEveryFront(f -> f.reportAll(null));
    }

    /**
     * Cuts every open flow's records at {@code boundary}, the end of an aggregation window: what each carried since
     * its last report is reported as ending there, and its next record starts there. A flow that carried nothing
     * since gets no record (as a silent TCP connection gets none); a flow opened after the boundary (the cut runs a
     * moment late) is left whole for the next one. Waits until that is done.
     */
    void sweep(Instant boundary) {
        onEveryFront(f -> f.reportAll(boundary));
    }

    /** Runs {@code task} on each listening socket's event loop (its flows live there) and waits for all of them. */
    private void onEveryFront(java.util.function.Consumer<Front> task) {
        List<Future<?>> waits = new ArrayList<>();
        for (Front f : fronts) {
            Channel ch = f.channel;
            if (ch != null && ch.isOpen()) {
                waits.add(ch.eventLoop().submit(() -> task.accept(f)));
            }
        }
        for (Future<?> w : waits) {
            w.awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /** One flow (event loop of its listening socket only). */
    private static final class Flow {
        final InetSocketAddress client;
        final InetSocketAddress front;
        /** ACCEPTED for a carried flow; a refusal for datagrams dropped at an endpoint interface. */
        FlowRecorder.Outcome outcome;
        Channel out;
        boolean preserved;
        /** Where the flow goes, to look again when its target turns unhealthy. */
        TargetChoice.Node node;
        String targetGroupArn;
        TargetChoice.Choice target;
        boolean terminateOnUnhealthy;
        long checkedAt;
        InetSocketAddress from;
        InetSocketAddress to;
        List<ByteBuf> held = new ArrayList<>();
        long packetsForward;
        long bytesForward;
        long packetsBack;
        long bytesBack;
        Instant start;

        Flow(InetSocketAddress client, InetSocketAddress front, FlowRecorder.Outcome outcome, Instant start) {
            this.client = client;
            this.front = front;
            this.outcome = outcome;
            this.start = start;
        }
    }

    /** A listening UDP socket: its flow table and what it does with a datagram. */
    private final class Front extends ChannelInboundHandlerAdapter {
        private final DataPlane.Want want;
        private final UdpFlowTable<InetSocketAddress, Flow> table = new UdpFlowTable<>(FLOWS_PER_SOCKET, budget);
        volatile Channel channel;
        private io.netty.util.concurrent.ScheduledFuture<?> sweeper;

        Front(DataPlane.Want want) {
            this.want = want;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            fronts.add(this);
            long sweep = Math.max(TimeUnit.MILLISECONDS.toNanos(100), Math.min(idleNanos / 4,
                    TimeUnit.SECONDS.toNanos(5)));
            sweeper = ctx.executor().scheduleWithFixedDelay(() -> {
                for (Flow f : table.expire(System.nanoTime(), idleNanos)) {
                    end(f);
                }
            }, sweep, sweep, TimeUnit.NANOSECONDS);
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fronts.remove(this);
            if (sweeper != null) {
                sweeper.cancel(false);
            }
            for (Flow f : table.clear()) {
                end(f);
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof DatagramPacket p)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            try {
                datagram(ctx.channel(), p);
            } catch (RuntimeException e) {
                LOG.warn("data plane: UDP {} on {}:{} failed", want.kind(), want.loopback(), want.port(), e);
                p.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("data plane: UDP {}:{}: {}", want.loopback(), want.port(), cause.toString());
        }

        private void datagram(Channel in, DatagramPacket p) {
            InetSocketAddress sender = p.sender();
            long now = System.nanoTime();
            Flow f = table.touch(sender, now);
            if (f != null && f.outcome != FlowRecorder.Outcome.ACCEPTED
                    && decide(sender) == FlowRecorder.Outcome.ACCEPTED) {
                // Refused so far, let through now (a rule was added): the refusals are reported, a new flow starts.
                end(table.remove(sender));
                f = null;
            }
            if (f != null && f.target != null && now - f.checkedAt >= RECHECK_NANOS) {
                f.checkedAt = now;
                if (targetLost(f)) {
                    end(table.remove(sender));
                    f = null;
                }
            }
            if (f == null) {
                f = open(in, sender);
                if (f == null) {
                    p.release();
                    return;
                }
                UdpFlowTable.Added<Flow> added = table.add(sender, f, now);
                added.evicted().forEach(UdpFlows.this::end);
                if (!added.added()) {
                    LOG.debug("data plane: UDP flow from {} dropped: {} flows open", sender, FLOWS_IN_ALL);
                    end(f);
                    p.release();
                    return;
                }
            }
            ByteBuf payload = p.content();
            f.packetsForward++;
            f.bytesForward += payload.readableBytes();
            if (f.outcome != FlowRecorder.Outcome.ACCEPTED) {
                p.release();
            } else if (f.out != null && f.out.isActive()) {
                f.out.writeAndFlush(payload);
            } else if (f.held != null && f.held.size() < HELD) {
                f.held.add(payload);
            } else {
                p.release();
            }
        }

        /**
         * Whether a flow should leave its target: the target failed its health checks, the group ends such flows
         * ({@code target_health_state.unhealthy.connection_termination.enabled}, on unless set to false), and the
         * flow would now go elsewhere (when every target is unhealthy, fail-open keeps it where it is).
         */
        private boolean targetLost(Flow f) {
            if (!f.terminateOnUnhealthy
                    || !flows.targets.unhealthy(f.targetGroupArn, f.target.targetId(), f.target.port())) {
                return false;
            }
            return !f.target.sameTarget(pick(worlds.get(), clock.instant(), f.node, f.client));
        }

        /** The target a new flow from {@code sender} through {@code node} goes to; null when there is none. */
        private TargetChoice.Choice pick(World w, Instant now, TargetChoice.Node node, InetSocketAddress sender) {
            TargetGroup tg = targetGroup(w, node);
            if (tg == null) {
                return null;
            }
            LoadBalancer lb = w.find(LoadBalancer.class, node.lbArn()).orElseThrow();
            int flowHash = TargetChoice.flowHash(sender.getAddress().getHostAddress(), sender.getPort(),
                    node.loopback(), want.port(), 17);
            return flows.targets.choose(w, lb, node.zone(), tg, now, flowHash);
        }

        /** The target group of the node's UDP listener on this port; null when there is none. */
        private TargetGroup targetGroup(World w, TargetChoice.Node node) {
            LoadBalancer lb = node == null ? null : w.find(LoadBalancer.class, node.lbArn()).orElse(null);
            Listener listener = lb == null ? null : LoadBalancers.listenersOf(w, lb.loadBalancerArn()).stream()
                    .filter(l -> l.port() == want.port() && carriesUdp(l)).findFirst().orElse(null);
            return listener == null ? null : DataPlane.targetGroup(w, listener);
        }

        /**
         * The analyzer's verdict on a datagram from {@code sender} at this endpoint interface or node (a node takes
         * what an endpoint interface hands it); null when the sender is no interface.
         */
        private FlowRecorder.Outcome decide(InetSocketAddress sender) {
            LoopbackAddresses.Address src = addresses.get().atLoopback(sender.getAddress().getHostAddress())
                    .orElse(null);
            if (want.kind() != DataPlane.Want.Kind.VPCE_UDP) {
                return src != null && src.role() == LoopbackAddresses.Role.VPC_ENDPOINT ? FlowRecorder.Outcome.ACCEPTED
                        : flows.verdicts.decideNode(worlds.get(), clock.instant(), src, want, "udp");
            }
            if (src == null) {
                return null;
            }
            Query q = new Query(src.ownerId(), src.region(), src.networkInterfaceId(), want.owner(), "udp",
                    want.port());
            return flows.verdicts.decide(worlds.get(), clock.instant(), q, want.interfaceId());
        }

        /** A new flow from {@code sender}: refused, or carried to a target; null when dropped without a trace. */
        private Flow open(Channel in, InetSocketAddress sender) {
            World w = worlds.get();
            Instant now = clock.instant();
            InetSocketAddress front = (InetSocketAddress) in.localAddress();
            FlowRecorder.Outcome verdict = decide(sender);
            if (verdict == null) {
                LOG.debug("data plane: UDP from {} dropped: the source is no interface's address", sender);
                return null;
            }
            if (verdict != FlowRecorder.Outcome.ACCEPTED) {
                return new Flow(sender, front, verdict, now);
            }
            boolean viaEndpoint;
            TargetChoice.Node node;
            if (want.kind() == DataPlane.Want.Kind.VPCE_UDP) {
                node = flows.targets.endpointNode(w, want);
                viaEndpoint = true;
            } else {
                node = new TargetChoice.Node(want.owner(), want.zone(), want.loopback());
                viaEndpoint = addresses.get().atLoopback(sender.getAddress().getHostAddress())
                        .map(a -> a.role() == LoopbackAddresses.Role.VPC_ENDPOINT).orElse(false);
            }
            TargetGroup tg = targetGroup(w, node);
            TargetChoice.Choice c = tg == null ? null : pick(w, now, node, sender);
            if (c == null) {
                LOG.debug("data plane: UDP from {} to {} port {} dropped: no target", sender,
                        node == null ? "no node" : node.lbArn(), want.port());
                return null;
            }
            String clientIp = sender.getAddress().getHostAddress();
            Flow f = new Flow(sender, front, FlowRecorder.Outcome.ACCEPTED, now);
            f.node = node;
            f.targetGroupArn = tg.id();
            f.target = c;
            f.checkedAt = System.nanoTime();
            f.terminateOnUnhealthy = TargetGroupAttributes.terminatesOnUnhealthy(tg);
            f.preserved = !viaEndpoint && TargetGroupAttributes.preservesClientIp(tg);
            connect(in, f, c, f.preserved ? clientIp : node.loopback());
            return f;
        }

        /** Opens the flow's socket to the target, bound to {@code sourceIp}; the target's answers go to the client. */
        private void connect(Channel in, Flow f, TargetChoice.Choice c, String sourceIp) {
            Bootstrap b = new Bootstrap().group(in.eventLoop()).channel(Transport.datagram())
                    .handler(new Back(in, f, table));
            ChannelFuture cf = b.connect(new InetSocketAddress(c.loopback(), c.port()),
                    new InetSocketAddress(sourceIp, 0));
            f.out = cf.channel();
            cf.addListener(x -> {
                List<ByteBuf> held = f.held;
                f.held = null;
                if (!x.isSuccess()) {
                    LOG.debug("data plane: UDP to {}:{} from {} failed: {}", c.loopback(), c.port(), sourceIp,
                            x.cause().toString());
                    held.forEach(ByteBuf::release);
                    if (table.peek(f.client) == f) {
                        end(table.remove(f.client));
                    }
                    return;
                }
                f.from = (InetSocketAddress) f.out.localAddress();
                f.to = (InetSocketAddress) f.out.remoteAddress();
                for (ByteBuf buf : held) {
                    f.out.write(buf);
                }
                f.out.flush();
            });
        }

        /** Reports every open flow up to now ({@code cut} null) or up to the window boundary {@code cut}. */
        void reportAll(Instant cut) {
            for (Flow f : table.all()) {
                if (cut == null) {
                    report(f, clock.instant());
                } else if (f.start.isBefore(cut)) {
                    report(f, cut);
                }
            }
        }
    }

    /** The target's side of a flow: its answers go back to the client from the listening socket. */
    private static final class Back extends ChannelInboundHandlerAdapter {
        private final Channel front;
        private final Flow flow;
        private final UdpFlowTable<InetSocketAddress, Flow> table;

        Back(Channel front, Flow flow, UdpFlowTable<InetSocketAddress, Flow> table) {
            this.front = front;
            this.flow = flow;
            this.table = table;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf content = msg instanceof DatagramPacket p ? p.content() : msg instanceof ByteBuf b ? b : null;
            if (content == null || !front.isActive()) {
                ReferenceCountUtil.release(msg);
                return;
            }
            table.touch(flow.client, System.nanoTime());
            flow.packetsBack++;
            flow.bytesBack += content.readableBytes();
            front.writeAndFlush(new DatagramPacket(content, flow.client));
        }

        /** A target that does not listen answers with ICMP port unreachable: the datagram is lost, as on AWS. */
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("data plane: UDP to {}: {}", flow.to, cause.toString());
        }
    }

    /** Closes a flow that left its table, reporting what it carried since its last report. */
    private void end(Flow f) {
        if (f == null) {
            return;
        }
        report(f, clock.instant());
        if (f.held != null) {
            f.held.forEach(ByteBuf::release);
            f.held = null;
        }
        if (f.out != null) {
            f.out.close();
        }
    }

    /**
     * Reports the flow's traffic since its last report, as ending at {@code end}: the client's hop to the address it
     * sent to, and for a carried flow the hop from the source (node, or client when preserved) to the target. Then
     * starts counting afresh from {@code end}, so that a flow reported while open (each window's cut, a read of the
     * records) and again when it ends is counted once, each part within the window it was carried in.
     */
    private void report(Flow f, Instant end) {
        if (f.packetsForward == 0 && f.packetsBack == 0) {
            // Nothing since the last report: no record, and the next part starts here, not before.
            f.start = end;
            return;
        }
        FlowRecorder r = recorder.get();
        if (r != FlowRecorder.NONE) {
            String client = f.client.getAddress().getHostAddress();
            String front = f.front.getAddress().getHostAddress();
            r.record(FlowRecorder.Leg.udp(client, f.client.getPort(), front, f.front.getPort(), f.packetsForward,
                    f.bytesForward, f.packetsBack, f.bytesBack, f.start, end, f.outcome));
            if (f.outcome == FlowRecorder.Outcome.ACCEPTED && f.from != null && f.to != null) {
                // With the client's address preserved, the client's own interface never carries this hop.
                r.record(FlowRecorder.Leg.udp(f.from.getAddress().getHostAddress(), f.from.getPort(),
                        f.to.getAddress().getHostAddress(), f.to.getPort(), f.packetsForward, f.bytesForward,
                        f.packetsBack, f.bytesBack, f.start, end, f.outcome).seenAt(!f.preserved, true));
            }
        }
        f.packetsForward = 0;
        f.bytesForward = 0;
        f.packetsBack = 0;
        f.bytesBack = 0;
        f.start = end;
    }
}
