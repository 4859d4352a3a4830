package dev.underpass.dataplane;

import dev.underpass.model.elb.LoadBalancerArn;
import dev.underpass.model.World;
import dev.underpass.model.elb.Listener;
import dev.underpass.model.elb.LoadBalancer;
import dev.underpass.model.elb.LoadBalancers;
import dev.underpass.model.elb.Protocol;
import dev.underpass.model.elb.TargetGroup;
import dev.underpass.model.elb.TargetGroupAttributes;
import dev.underpass.model.elb.TargetHealthSource;
import dev.underpass.reach.Query;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP sockets {@link DataPlane} opens and what happens to a connection they accept (event loop threads): at an
 * endpoint interface the analyzer decides ({@link Verdicts}) and the NLB node of its zone carries it; at a node a
 * target is chosen ({@link TargetChoice}); then the bytes are relayed and both hops reported to the flow recorder,
 * a long connection once per aggregation window. Split from {@code DataPlane}, which keeps following the world and
 * deciding which listeners to open, and from {@code TargetChoice}, which decides on world snapshots without
 * sockets, so that each reads on its own. Logs under {@code DataPlane}'s name.
 */
final class Flows {
    private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);
    /** Per direction of a relayed connection: reads of up to 256 KiB, at most 1 MiB queued for the other side. */
    private static final io.netty.channel.WriteBufferWaterMark WATER_MARK =
            new io.netty.channel.WriteBufferWaterMark(512 * 1024, 1024 * 1024);
    private static final io.netty.channel.RecvByteBufAllocator READS =
            new io.netty.channel.AdaptiveRecvByteBufAllocator(4096, 65536, 256 * 1024);

    private final Supplier<World> worlds;
    private final Clock clock;
    private final Supplier<LoopbackAddresses> addresses;
    private final Supplier<FlowRecorder> flows;
    /** Which node and target a flow goes to (shared with UDP, DNS failover and the health checks). */
    final TargetChoice targets;
    /** The analyzer's verdicts on endpoint and direct node flows. */
    final Verdicts verdicts;

    Flows(Supplier<World> worlds, Clock clock, DataPlane.Settings settings, Supplier<LoopbackAddresses> addresses,
            Supplier<FlowRecorder> flows, TargetHealthSource health) {
        this.worlds = worlds;
        this.clock = clock;
        this.addresses = addresses;
        this.flows = flows;
        this.targets = new TargetChoice(addresses, settings, health);
        this.verdicts = new Verdicts(addresses, settings);
    }

    /** A connection to an endpoint interface: the analyzer decides, then the NLB node of its zone carries it. */
    void endpoint(Channel in, DataPlane.Want want) {
        InetSocketAddress client = (InetSocketAddress) in.remoteAddress();
        String clientIp = client.getAddress().getHostAddress();
        LoopbackAddresses.Address src = addresses.get().atLoopback(clientIp).orElse(null);
        if (src == null) {
            LOG.debug("data plane: reset {} -> {}:{}: the source is no interface's address", clientIp,
                    want.loopback(), want.port());
            Relay.reset(in);
            return;
        }
        World w = worlds.get();
        Instant now = clock.instant();
        Query q = new Query(src.ownerId(), src.region(), src.networkInterfaceId(), want.owner(), "tcp", want.port());
        FlowRecorder.Outcome verdict = verdicts.decide(w, now, q, want.interfaceId());
        if (verdict != FlowRecorder.Outcome.ACCEPTED) {
            flows.get().record(FlowRecorder.Leg.tcp(clientIp, client.getPort(), want.loopback(), want.port(), 0, 0, now,
                    now, verdict));
            Relay.reset(in);
            return;
        }
        TargetChoice.Node node = targets.endpointNode(w, want);
        if (node == null) {
            Relay.reset(in);
            return;
        }
        // The node's work is done here, in process: no second TCP hop from the endpoint interface to the node.
        forward(in, w, now, node.lbArn(), node.zone(), want.port(), node.loopback(), true);
    }

    /**
     * A connection to an NLB node: decided by the analyzer as a connection to an endpoint is
     * ({@link Verdicts#decideNode}); then a target by flow hash among the healthy ones, and relayed. Refused ones are reset.
     */
    void node(Channel in, DataPlane.Want want) {
        InetSocketAddress client = (InetSocketAddress) in.remoteAddress();
        String clientIp = client.getAddress().getHostAddress();
        LoopbackAddresses.Address src = addresses.get().atLoopback(clientIp).orElse(null);
        boolean viaEndpoint = src != null && src.role() == LoopbackAddresses.Role.VPC_ENDPOINT;
        World w = worlds.get();
        Instant now = clock.instant();
        if (!viaEndpoint) {
            FlowRecorder.Outcome verdict = verdicts.decideNode(w, now, src, want, "tcp");
            if (verdict == null) {
                LOG.debug("data plane: reset {} -> {}:{}: the source is no interface's address", clientIp,
                        want.loopback(), want.port());
                Relay.reset(in);
                return;
            }
            if (verdict != FlowRecorder.Outcome.ACCEPTED) {
                flows.get().record(FlowRecorder.Leg.tcp(clientIp, client.getPort(), want.loopback(), want.port(), 0,
                        0, now, now, verdict));
                Relay.reset(in);
                return;
            }
        }
        forward(in, w, now, want.owner(), want.zone(), want.port(), want.loopback(), viaEndpoint);
    }

    /** Per snapshot: each node listener's route. */
    private final PerSnapshot<String, Route> routes = new PerSnapshot<>();

    /**
     * Where a node's listener sends flows: its load balancer, listener and target group (null when there is none).
     */
    private record Route(LoadBalancer lb, Listener listener, TargetGroup tg) {}

    /** Per TLS listener: the server side, with a certificate made for it when it first took a connection. */
    private final Map<String, SslContext> tlsListeners = new ConcurrentHashMap<>();

    /**
     * What a node of {@code lbArn} in {@code zone} does with a flow on {@code port}: a target by flow hash, and a
     * connection to it from the client's address (client IP preservation) or the node's.
     */
    private void forward(Channel in, World w, Instant now, String lbArn, String zone, int port, String nodeLoopback,
            boolean viaEndpoint) {
        Route route = routes.get(w, lbArn + " " + port, k -> {
            LoadBalancer l = w.find(LoadBalancer.class, lbArn).orElse(null);
            Listener listener = l == null ? null : LoadBalancers.listenersOf(w, l.loadBalancerArn()).stream()
                    .filter(x -> x.port() == port && DataPlane.carriesTcp(x)).findFirst().orElse(null);
            return new Route(l, listener, listener == null ? null : DataPlane.targetGroup(w, listener));
        });
        LoadBalancer lb = route.lb();
        TargetGroup tg = route.tg();
        if (tg == null) {
            Relay.reset(in);
            return;
        }
        InetSocketAddress client = (InetSocketAddress) in.remoteAddress();
        int flowHash = TargetChoice.flowHash(client.getAddress().getHostAddress(), client.getPort(), nodeLoopback,
                port, 6);
        TargetChoice.Choice c = targets.choose(w, lb, zone, tg, now, flowHash);
        if (c == null) {
            LOG.debug("data plane: reset {} -> {} port {}: no target", client, lb.name(), port);
            Relay.reset(in);
            return;
        }
        String clientIp = client.getAddress().getHostAddress();
        boolean preserve = !viaEndpoint && TargetGroupAttributes.preservesClientIp(tg);
        if (route.listener().protocol() == Protocol.TLS) {
            // The node terminates TLS (the handshake goes on while the target is reached); the target gets plain
            // TCP, or TLS again for a TLS target group.
            in.pipeline().addFirst("tls", tlsListeners.computeIfAbsent(route.listener().id(),
                    k -> SelfSigned.server(lb.dnsName())).newHandler(in.alloc()));
        }
        SslContext toTarget = tg.protocol() == Protocol.TLS ? HealthChecks.TLS : null;
        connect(in, c.loopback(), c.port(), preserve ? clientIp : nodeLoopback, preserve, now, toTarget);
    }

    /**
     * Connects to {@code host:port} from {@code sourceIp} (over TLS with {@code toTarget}, when not null) and relays
     * both ways; resets {@code in} on failure.
     */
    private void connect(Channel in, String host, int port, String sourceIp, boolean preserved, Instant start,
            SslContext toTarget) {
        Relay.Tally tally = new Relay.Tally();
        InetSocketAddress client = (InetSocketAddress) in.remoteAddress();
        InetSocketAddress front = (InetSocketAddress) in.localAddress();
        relay(in, new InetSocketAddress(host, port), new InetSocketAddress(sourceIp, 0), tally, toTarget);
        Open o = new Open(client, front, preserved, start, tally);
        open.add(o);
        in.closeFuture().addListener(x -> {
            open.remove(o);
            report(o, clock.instant(), true);
        });
    }

    /**
     * A relayed connection still open, and how much of it the flow logs have had: each aggregation window's sweep
     * reports what it carried since the last report, so no byte is counted twice or lost. Guarded by itself.
     */
    private static final class Open {
        final InetSocketAddress client;
        final InetSocketAddress front;
        final boolean preserved;
        final Relay.Tally tally;
        /** Where the part not yet reported starts: the connection's start, then the last window boundary. */
        Instant since;
        long reportedForward;
        long reportedBack;
        boolean first = true;
        boolean ended;

        Open(InetSocketAddress client, InetSocketAddress front, boolean preserved, Instant start, Relay.Tally tally) {
            this.client = client;
            this.front = front;
            this.preserved = preserved;
            this.since = start;
            this.tally = tally;
        }
    }

    private final java.util.Set<Open> open = ConcurrentHashMap.newKeySet();

    /**
     * Reports, for every open connection, what it carried since its last report, up to {@code boundary} (the end of
     * an aggregation window): the periodic sweep that gives a long connection one record per window.
     */
    void sweep(Instant boundary) {
        for (Open o : open) {
            report(o, boundary, false);
        }
    }

    /** Connections open now (tests, and the sweep's cost). */
    int openCount() {
        return open.size();
    }

    /**
     * Reports the part of {@code o} since its last report: with its SYN when it is the first part, its FIN when
     * {@code last}; an interim part that carried nothing is not reported (AWS writes no record for a silent window).
     */
    private void report(Open o, Instant end, boolean last) {
        long forward;
        long back;
        Instant start;
        boolean first;
        synchronized (o) {
            if (o.ended) {
                return;
            }
            long f = o.tally.forward;
            long b = o.tally.back;
            forward = f - o.reportedForward;
            back = b - o.reportedBack;
            if (!last && forward == 0 && back == 0) {
                // A silent window: no record, and the next part starts at this cut, not before it.
                o.since = end;
                return;
            }
            o.reportedForward = f;
            o.reportedBack = b;
            start = o.since;
            first = o.first;
            o.first = false;
            o.since = end;
            o.ended = last;
        }
        FlowRecorder recorder = flows.get();
        if (recorder == FlowRecorder.NONE || o.client == null || o.front == null) {
            return;
        }
        int edges = (first ? 1 : 0) + (last ? 1 : 0);
        long packetsForward = edges + FlowLogRecords.segments(forward);
        long packetsBack = edges + FlowLogRecords.segments(back);
        recorder.record(new FlowRecorder.Leg(o.client.getAddress().getHostAddress(), o.client.getPort(),
                o.front.getAddress().getHostAddress(), o.front.getPort(), 6, forward, back, packetsForward,
                packetsBack, start, end, FlowRecorder.Outcome.ACCEPTED, true, true));
        InetSocketAddress from = o.tally.from;
        InetSocketAddress to = o.tally.to;
        if (from != null && to != null) {
            // With the client's address preserved, the client's own interface never carries this hop.
            recorder.record(new FlowRecorder.Leg(from.getAddress().getHostAddress(), from.getPort(),
                    to.getAddress().getHostAddress(), to.getPort(), 6, forward, back, packetsForward, packetsBack,
                    start, end, FlowRecorder.Outcome.ACCEPTED, !o.preserved, true));
        }
    }

    /**
     * Connects to {@code target} from {@code source} on {@code in}'s event loop and relays both ways (what {@code in}
     * sends meanwhile is held); resets {@code in} when the target cannot be reached.
     */
    static void relay(Channel in, InetSocketAddress target, InetSocketAddress source, Relay.Tally tally) {
        relay(in, target, source, tally, null);
    }

    /** As {@link #relay(Channel, InetSocketAddress, InetSocketAddress, Relay.Tally)}, over TLS with {@code tls}. */
    static void relay(Channel in, InetSocketAddress target, InetSocketAddress source, Relay.Tally tally,
            SslContext tls) {
        Relay.Early early = new Relay.Early();
        in.pipeline().addLast(early);
        boolean epoll = Transport.epoll(in);
        Bootstrap b = Transport.outbound(new Bootstrap(), epoll).group(in.eventLoop()).channel(Transport.socket(epoll))
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .option(ChannelOption.RECVBUF_ALLOCATOR, READS)
                // Binding a source address with port 0 must find a free port; let ports in TIME_WAIT count.
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(tls == null ? new Relay(in, tally, false) : new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()), new Relay(in, tally, false));
                    }
                });
        ChannelFuture f = b.connect(target, source);
        Channel out = f.channel();
        f.addListener(cf -> {
            if (cf.isSuccess() && !in.isActive()) {
                // The client went away (reset) while the target was being reached: so does the target's side.
                early.release();
                Relay.reset(out);
            } else if (cf.isSuccess()) {
                tally.from = (InetSocketAddress) out.localAddress();
                tally.to = (InetSocketAddress) out.remoteAddress();
                early.replaceWith(in, new Relay(out, tally, true));
                Relay.read(in);
            } else {
                early.release();
                LOG.debug("data plane: {} refused a relayed connection: {}", target, cf.cause().toString());
                Relay.reset(in);
            }
        });
        in.closeFuture().addListener(x -> Relay.closeOnFlush(out));
    }

    /** Listens for {@code want} on {@code group}; an accepted connection goes to {@link #endpoint} or {@link #node}. */
    Channel bind(EventLoopGroup group, DataPlane.Want want) {
        ChannelFuture f = acceptor(group, Transport.EPOLL, new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new io.netty.handler.timeout.IdleStateHandler(0, 0,
                        Relay.IDLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).addLast(new Accept(want));
            }
        }).bind(want.loopback(), want.port()).syncUninterruptibly();
        return f.channel();
    }

    /**
     * A listening socket for relayed connections. It and the connections it accepts share one event loop of
     * {@code group} (the next one, so listeners are spread over the loops): an accepted connection is not handed
     * to another thread, and the connection to its target opens on the same loop, so a flow never crosses threads.
     */
    static ServerBootstrap acceptor(EventLoopGroup group, boolean epoll,
            io.netty.channel.ChannelHandler childHandler) {
        EventLoopGroup loop = group.next();
        return new ServerBootstrap().group(loop, loop).channel(Transport.serverSocket(epoll))
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                // A client's FIN is passed on as a FIN (Relay), not as the end of the connection.
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childOption(ChannelOption.RECVBUF_ALLOCATOR, READS)
                .childHandler(childHandler);
    }

    /** Decides a new connection once it is accepted. */
    private final class Accept extends ChannelInboundHandlerAdapter {
        private final DataPlane.Want want;

        Accept(DataPlane.Want want) {
            this.want = want;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.pipeline().remove(this);
            try {
                if (want.kind() == DataPlane.Want.Kind.NLB) {
                    node(ctx.channel(), want);
                } else {
                    endpoint(ctx.channel(), want);
                }
            } catch (RuntimeException e) {
                LOG.warn("data plane: {} on {}:{} failed", want.kind(), want.loopback(), want.port(), e);
                Relay.reset(ctx.channel());
            }
        }
    }
}
