package dev.underpass.dataplane;

import dev.underpass.model.World;
import dev.underpass.model.ec2.EndpointService;
import dev.underpass.model.ec2.Instance;
import dev.underpass.model.ec2.NetworkInterface;
import dev.underpass.model.ec2.Scoped;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.ec2.VpcEndpoint;
import dev.underpass.model.elb.Listener;
import dev.underpass.model.elb.LoadBalancer;
import dev.underpass.model.elb.LoadBalancers;
import dev.underpass.model.elb.TargetGroup;
import dev.underpass.model.elb.TargetHealthSource;
import dev.underpass.model.elb.TargetHealths;
import dev.underpass.reach.Analysis;
import dev.underpass.reach.Analyzer;
import dev.underpass.reach.Blocker;
import dev.underpass.reach.Query;
import dev.underpass.reach.Timing;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loopback data plane: real TCP through interface endpoints, Network Load Balancer nodes and targets, all on
 * 127.0.0.0/8 ({@link LoopbackAddresses} says which address stands for which interface). It follows the world: a
 * control thread polls the world's version (and re-reads it every second for time-derived states) and opens or
 * closes listeners and health checks to match.
 *
 * <ul>
 *   <li>Each TCP (or TCP_UDP) listener of an active NLB listens on each node's address and the listener's port and
 *       forwards each connection to a registered target chosen by flow hash among the healthy ones in the node's
 *       zone (every enabled zone with cross-zone load balancing). A zone with no healthy target hands its flows to
 *       the healthy targets of the other zones (the effect of AWS's DNS failover, which this slice has no DNS
 *       for); when no target is healthy anywhere, all receive flows (fail-open).
 *   <li>Each interface endpoint's interfaces listen on its service's listener ports. A new connection is decided
 *       by the analyzer ({@link Analyzer#analyzeVia}) from the client's address (which names its interface):
 *       reachable flows go on to the NLB node of the endpoint interface's zone; blocked ones are reset.
 * </ul>
 *
 * <p>Connections are relayed by Netty with auto-read off and one read in flight per direction, so memory per
 * connection is bounded and no thread is tied to a connection.
 */
public final class DataPlane implements AutoCloseable, TargetHealthSource {
    private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);
    private static final long FULL_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long BIND_RETRY_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Per direction of a relayed connection: reads of up to 256 KiB, at most 1 MiB queued for the other side. */
    private static final io.netty.channel.WriteBufferWaterMark WATER_MARK =
            new io.netty.channel.WriteBufferWaterMark(512 * 1024, 1024 * 1024);
    private static final io.netty.channel.RecvByteBufAllocator READS =
            new io.netty.channel.AdaptiveRecvByteBufAllocator(4096, 65536, 256 * 1024);

    /** How long load balancers stay provisioning and instances take to change state (the server's settings). */
    public record Settings(Duration provisioning, Duration instanceTransition, Duration poll) {
        public static Settings defaults() {
            return new Settings(Duration.ZERO, Duration.ZERO, Duration.ofMillis(100));
        }
    }

    /** A listening socket the world wants: what it is for, and where. */
    private record Want(String kind, String owner, String interfaceId, String loopback, int port, String zone) {
        String key() {
            return kind + " " + interfaceId + " " + port;
        }
    }

    private final Supplier<World> worlds;
    private final Clock clock;
    private final Settings settings;
    private final EventLoopGroup group;
    private final ScheduledExecutorService control;
    private final HealthChecks health;
    private final Map<String, Channel> listening = new HashMap<>();
    private final Map<String, Long> bindFailedAt = new HashMap<>();
    private volatile LoopbackAddresses addresses = LoopbackAddresses.empty();
    private volatile DnsServer dns;
    private volatile FlowRecorder flows = FlowRecorder.NONE;
    private static final Object NAMES = new Object();
    private long seenVersion = -1;
    private long lastFull;

    private DataPlane(Supplier<World> worlds, Clock clock, Settings settings) {
        this.worlds = worlds;
        this.clock = clock;
        this.settings = settings;
        this.group = new MultiThreadIoEventLoopGroup(0, Transport.ioHandlers());
        this.health = new HealthChecks(group);
        this.control = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "underpass-dataplane");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts following {@code worlds}; returns once the current world's listeners are open. */
    public static DataPlane start(Supplier<World> worlds, Clock clock, Settings settings) {
        DataPlane dp = new DataPlane(worlds, clock, settings);
        LOG.info("data plane: {} transport", Transport.name());
        try {
            dp.control.submit(dp::refresh).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.warn("data plane: first refresh failed", e.getCause());
        }
        dp.control.scheduleWithFixedDelay(dp::refresh, settings.poll().toMillis(), settings.poll().toMillis(),
                TimeUnit.MILLISECONDS);
        return dp;
    }

    public LoopbackAddresses addresses() {
        return addresses;
    }

    /** Reports every endpoint and node flow, carried or refused, to {@code recorder} (flow logs). */
    public void recordFlowsWith(FlowRecorder recorder) {
        this.flows = recorder == null ? FlowRecorder.NONE : recorder;
    }

    /**
     * Starts the DNS server (UDP and TCP) on {@code host:port} ({@code port} 0: any free port) and returns its port.
     * A port that is taken throws, as Netty does, with the {@link java.net.BindException}.
     */
    public synchronized int startDns(String host, int port) {
        if (dns == null) {
            dns = new DnsServer(group, host, port, this::resolve);
            LOG.info("data plane: DNS on {}:{} (UDP and TCP)", host, dns.port());
        }
        return dns.port();
    }

    /**
     * Adds names that another part of the data plane answers (the AWS service endpoints): {@code names} is asked
     * first, and its null means "not mine".
     */
    public void addNames(java.util.function.BiFunction<String, String, List<String>> names) {
        this.extraNames = names;
    }

    private volatile java.util.function.BiFunction<String, String, List<String>> extraNames;

    /** The addresses {@code name} has for an asker at {@code askerLoopback}, or null (NXDOMAIN). */
    public List<String> resolve(String name, String askerLoopback) {
        var extra = extraNames;
        if (extra != null) {
            List<String> answer = extra.apply(name, askerLoopback);
            if (answer != null) {
                return answer;
            }
        }
        World w = worlds.get();
        LoopbackAddresses book = addresses;
        Names names = w.derive(NAMES, world -> Names.of(world, book));
        return names.resolve(name, book, askerLoopback);
    }

    /** How many sockets listen and how many registrations are checked (for reports and benchmarks). */
    public int listenerCount() {
        try {
            return control.submit(listening::size).get();
        } catch (Exception e) {
            return -1;
        }
    }

    public int healthCheckCount() {
        return health.size();
    }

    /** Waits until the control thread has applied the current world (tests, after a change). */
    public void sync() {
        try {
            control.submit(() -> {
                seenVersion = -1;
                refresh();
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public Optional<TargetHealths.Health> health(String targetGroupArn, String targetId, int port) {
        return health.health(new HealthChecks.Key(targetGroupArn, targetId, port));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Following the world (control thread only)

    private void refresh() {
        try {
            World w = worlds.get();
            long now = System.nanoTime();
            if (w.version() == seenVersion && now - lastFull < FULL_REFRESH_NANOS) {
                return;
            }
            seenVersion = w.version();
            lastFull = now;
            addresses = LoopbackAddresses.of(w, addresses);
            Map<String, Want> wanted = new LinkedHashMap<>();
            Map<HealthChecks.Key, HealthChecks.Spec> checks = new HashMap<>();
            Instant instant = clock.instant();
            for (LoadBalancer lb : w.all(LoadBalancer.class)) {
                if (lb.isApplication() || !LoadBalancer.ACTIVE.equals(lb.state(instant, settings.provisioning()))) {
                    continue;
                }
                for (Listener l : LoadBalancers.listenersOf(w, lb.id())) {
                    if (!carriesTcp(l)) {
                        continue;
                    }
                    for (LoadBalancer.Zone z : lb.zones()) {
                        addresses.ofInterface(z.networkInterfaceId()).ifPresent(a -> {
                            Want want = new Want("nlb", lb.id(), z.networkInterfaceId(), a.loopback(), l.port(),
                                    z.zoneName());
                            wanted.put(want.key(), want);
                        });
                    }
                    TargetGroup tg = targetGroup(w, l);
                    if (tg != null) {
                        wantChecks(w, lb, tg, instant, checks);
                    }
                }
            }
            for (VpcEndpoint e : w.all(VpcEndpoint.class)) {
                if (!e.isInterface() || e.serviceId() == null) {
                    continue;
                }
                EndpointService svc = w.find(EndpointService.class, e.serviceId()).orElse(null);
                if (svc == null) {
                    continue;
                }
                List<Integer> ports = new ArrayList<>();
                for (String arn : svc.networkLoadBalancerArns()) {
                    for (Listener l : LoadBalancers.listenersOf(w, arn)) {
                        if (carriesTcp(l) && !ports.contains(l.port())) {
                            ports.add(l.port());
                        }
                    }
                }
                for (String eni : e.networkInterfaceIds()) {
                    addresses.ofInterface(eni).ifPresent(a -> {
                        for (int port : ports) {
                            Want want = new Want("vpce", e.id(), eni, a.loopback(), port, a.availabilityZone());
                            wanted.put(want.key(), want);
                        }
                    });
                }
            }
            apply(wanted);
            health.sync(checks);
        } catch (Exception e) {
            LOG.warn("data plane: refresh failed; will retry", e);
        }
    }

    private static boolean carriesTcp(Listener l) {
        return "TCP".equals(l.protocol()) || "TCP_UDP".equals(l.protocol());
    }

    private static TargetGroup targetGroup(World w, Listener l) {
        for (String arn : l.targetGroupArns()) {
            TargetGroup tg = w.find(TargetGroup.class, arn).orElse(null);
            if (tg != null) {
                return tg;
            }
        }
        return null;
    }

    private void wantChecks(World w, LoadBalancer lb, TargetGroup tg, Instant now,
            Map<HealthChecks.Key, HealthChecks.Spec> checks) {
        TargetGroup.HealthCheck hc = tg.healthCheck();
        if (hc == null || !hc.enabled()) {
            return;
        }
        for (TargetGroup.Target t : tg.targets()) {
            if (t.deregisteredAt() != null) {
                continue;
            }
            Placed p = place(w, tg, t);
            if (p == null) {
                continue;
            }
            int trafficPort = t.effectivePort(tg);
            int port = hc.port() == null || "traffic-port".equals(hc.port()) ? trafficPort : parsePort(hc.port(),
                    trafficPort);
            String source = nodeAddress(lb, p.zone()).orElse(null);
            if (source == null) {
                continue;
            }
            checks.put(new HealthChecks.Key(tg.id(), t.id(), trafficPort), new HealthChecks.Spec(
                    hc.protocol() == null ? "TCP" : hc.protocol(), p.loopback(), port, source, hc.path(),
                    hc.matcher(), Math.max(1, hc.intervalSeconds()), Math.max(1, hc.timeoutSeconds()),
                    Math.max(1, hc.healthyThreshold()), Math.max(1, hc.unhealthyThreshold())));
        }
    }

    private static int parsePort(String s, int fallback) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** The node address of {@code lb} in {@code zone}, else of its first zone. */
    private Optional<String> nodeAddress(LoadBalancer lb, String zone) {
        LoadBalancer.Zone chosen = null;
        for (LoadBalancer.Zone z : lb.zones()) {
            if (chosen == null || z.zoneName().equals(zone)) {
                chosen = z;
            }
        }
        return chosen == null ? Optional.empty()
                : addresses.ofInterface(chosen.networkInterfaceId()).map(LoopbackAddresses.Address::loopback);
    }

    private void apply(Map<String, Want> wanted) {
        for (String key : new ArrayList<>(listening.keySet())) {
            if (!wanted.containsKey(key)) {
                Channel ch = listening.remove(key);
                ch.close();
                LOG.info("data plane: closed {}", key);
            }
        }
        long now = System.nanoTime();
        for (Want want : wanted.values()) {
            String key = want.key();
            if (listening.containsKey(key)) {
                continue;
            }
            Long failed = bindFailedAt.get(key);
            if (failed != null && now - failed < BIND_RETRY_NANOS) {
                continue;
            }
            try {
                Channel ch = bind(want);
                listening.put(key, ch);
                bindFailedAt.remove(key);
                LOG.info("data plane: {} listens on {}:{} ({})", want.kind(), want.loopback(), want.port(),
                        want.interfaceId());
            } catch (Exception e) {
                // Netty rethrows the BindException (checked) unchecked: a port in use is one of these.
                if (failed == null) {
                    LOG.warn("data plane: cannot listen on {}:{} for {} {}: {}", want.loopback(), want.port(),
                            want.kind(), want.interfaceId(), e.toString());
                }
                bindFailedAt.put(key, now);
            }
        }
        bindFailedAt.keySet().retainAll(wanted.keySet());
    }

    private Channel bind(Want want) {
        ServerBootstrap b = new ServerBootstrap().group(group, group).channel(Transport.serverSocket())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                // A client's FIN is passed on as a FIN (Relay), not as the end of the connection.
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childOption(ChannelOption.RECVBUF_ALLOCATOR, READS)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new io.netty.handler.timeout.IdleStateHandler(0, 0,
                                Relay.IDLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).addLast(new Accept(want));
                    }
                });
        ChannelFuture f = b.bind(want.loopback(), want.port()).syncUninterruptibly();
        return f.channel();
    }

    /** Decides a new connection once it is accepted. */
    private final class Accept extends ChannelInboundHandlerAdapter {
        private final Want want;

        Accept(Want want) {
            this.want = want;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.pipeline().remove(this);
            try {
                if (want.kind().equals("nlb")) {
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

    // ---------------------------------------------------------------------------------------------------------
    // Flows (event loop threads)

    /** A connection to an endpoint interface: the analyzer decides, then the NLB node of its zone carries it. */
    private void endpoint(Channel in, Want want) {
        InetSocketAddress client = (InetSocketAddress) in.remoteAddress();
        String clientIp = client.getAddress().getHostAddress();
        LoopbackAddresses.Address src = addresses.atLoopback(clientIp).orElse(null);
        if (src == null) {
            LOG.debug("data plane: reset {} -> {}:{}: the source is no interface's address", clientIp,
                    want.loopback(), want.port());
            Relay.reset(in);
            return;
        }
        World w = worlds.get();
        Instant now = clock.instant();
        Query q = new Query(src.ownerId(), src.region(), src.networkInterfaceId(), want.owner(), "tcp", want.port());
        FlowRecorder.Outcome verdict = decide(w, now, q, want.interfaceId());
        if (verdict != FlowRecorder.Outcome.ACCEPTED) {
            flows.record(FlowRecorder.Leg.tcp(clientIp, client.getPort(), want.loopback(), want.port(), 0, 0, now,
                    now, verdict));
            Relay.reset(in);
            return;
        }
        LoadBalancer.Zone zone = null;
        LoadBalancer lb = null;
        VpcEndpoint e = w.find(VpcEndpoint.class, want.owner()).orElse(null);
        EndpointService svc = e == null || e.serviceId() == null ? null
                : w.find(EndpointService.class, e.serviceId()).orElse(null);
        String zoneId = w.find(NetworkInterface.class, want.interfaceId())
                .flatMap(n -> w.find(Subnet.class, n.subnetId())).map(Subnet::availabilityZoneId).orElse(null);
        for (String arn : svc == null ? List.<String>of() : svc.networkLoadBalancerArns()) {
            LoadBalancer each = w.find(LoadBalancer.class, arn).orElse(null);
            if (each == null || each.zones().isEmpty()) {
                continue;
            }
            LoadBalancer.Zone match = each.zones().stream().filter(z -> z.zoneId().equals(zoneId)).findFirst()
                    .orElse(null);
            if (match != null) {
                lb = each;
                zone = match;
                break;
            }
            if (lb == null) {
                lb = each;
                zone = each.zones().get(0);
            }
        }
        String node = zone == null ? null : addresses.ofInterface(zone.networkInterfaceId())
                .map(LoopbackAddresses.Address::loopback).orElse(null);
        if (node == null) {
            Relay.reset(in);
            return;
        }
        // The node's work is done here, in process: no second TCP hop from the endpoint interface to the node.
        forward(in, w, now, lb.id(), zone.zoneName(), want.port(), node, true);
    }

    private record Decision(String source, String endpointInterface, int port) {}

    /** The analyzer's verdicts on the current world, for at most a second (time-derived states may change). */
    private volatile World decidedOn;
    private volatile long decidedAt;
    private final Map<Decision, FlowRecorder.Outcome> decisions = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Whether the analyzer lets {@code q} through the endpoint interface: a pure function of the world (and of
     * time, for states that change with it), so it is remembered per world snapshot for up to a second.
     */
    private FlowRecorder.Outcome decide(World w, Instant now, Query q, String endpointInterface) {
        long t = System.nanoTime();
        if (decidedOn != w || t - decidedAt > FULL_REFRESH_NANOS) {
            decisions.clear();
            decidedOn = w;
            decidedAt = t;
        }
        Decision key = new Decision(q.source(), endpointInterface, q.port());
        FlowRecorder.Outcome known = decisions.get(key);
        if (known != null) {
            return known;
        }
        Analysis a = Analyzer.analyzeVia(w, q, new Timing(now, settings.instanceTransition(), Duration.ZERO),
                endpointInterface);
        if (!a.reachable()) {
            LOG.debug("data plane: refused {} -> {} port {}: {}", q.source(), q.destination(), q.port(),
                    a.blockers().stream().map(Blocker::code).toList());
        }
        // Where a flow log sees the drop: leaving the client (its group's or subnet ACL's egress rules on the way
        // there) or arriving at the endpoint interface (anything else).
        FlowRecorder.Outcome verdict = a.reachable() ? FlowRecorder.Outcome.ACCEPTED
                : a.blockers().stream().anyMatch(b -> "egress".equals(b.direction()) && "forward".equals(b.path()))
                        ? FlowRecorder.Outcome.REJECTED_AT_SOURCE : FlowRecorder.Outcome.REJECTED_AT_DESTINATION;
        if (decisions.size() < 100_000) {
            decisions.put(key, verdict);
        }
        return verdict;
    }

    /** A target as the data plane reaches it: its loopback address and zone. */
    private record Placed(String loopback, String zone) {}

    private Placed place(World w, TargetGroup tg, TargetGroup.Target t) {
        if ("instance".equals(tg.targetType())) {
            Instance i = w.find(Instance.class, t.id()).orElse(null);
            if (i == null) {
                return null;
            }
            return addresses.ofInterface(i.primaryNetworkInterfaceId())
                    .map(a -> new Placed(a.loopback(), i.availabilityZone())).orElse(null);
        }
        if ("ip".equals(tg.targetType())) {
            for (NetworkInterface n : Scoped.inVpc(w, NetworkInterface.class, tg.vpcId())) {
                for (NetworkInterface.PrivateIp ip : n.privateIps()) {
                    if (ip.address().equals(t.id())) {
                        String zone = t.availabilityZone() != null ? t.availabilityZone() : n.availabilityZone();
                        return addresses.ofInterface(n.id()).map(a -> new Placed(a.loopback(), zone)).orElse(null);
                    }
                }
            }
        }
        return null;
    }

    /** A connection to an NLB node: a target by flow hash among the healthy ones, then relayed. */
    private void node(Channel in, Want want) {
        InetSocketAddress client = (InetSocketAddress) in.remoteAddress();
        boolean viaEndpoint = addresses.atLoopback(client.getAddress().getHostAddress())
                .map(a -> a.role() == LoopbackAddresses.Role.VPC_ENDPOINT).orElse(false);
        forward(in, worlds.get(), clock.instant(), want.owner(), want.zone(), want.port(), want.loopback(),
                viaEndpoint);
    }

    /**
     * What a node of {@code lbArn} in {@code zone} does with a flow on {@code port}: a target by flow hash, and a
     * connection to it from the client's address (client IP preservation) or the node's.
     */
    private void forward(Channel in, World w, Instant now, String lbArn, String zone, int port, String nodeLoopback,
            boolean viaEndpoint) {
        LoadBalancer lb = w.find(LoadBalancer.class, lbArn).orElse(null);
        Listener listener = lb == null ? null : LoadBalancers.listenersOf(w, lb.id()).stream()
                .filter(l -> l.port() == port && carriesTcp(l)).findFirst().orElse(null);
        TargetGroup tg = listener == null ? null : targetGroup(w, listener);
        if (tg == null) {
            Relay.reset(in);
            return;
        }
        InetSocketAddress client = (InetSocketAddress) in.remoteAddress();
        int flowHash = java.util.Objects.hash(client.getAddress().getHostAddress(), client.getPort(), nodeLoopback,
                port, 6);
        Choice c = choose(w, lb, zone, tg, now, flowHash);
        if (c == null) {
            LOG.debug("data plane: reset {} -> {} port {}: no target", client, lb.name(), port);
            Relay.reset(in);
            return;
        }
        String clientIp = client.getAddress().getHostAddress();
        String preserveAttr = tg.attributes().get("preserve_client_ip.enabled");
        boolean preserve = !viaEndpoint && (preserveAttr != null ? "true".equals(preserveAttr)
                : "instance".equals(tg.targetType()));
        connect(in, c.loopback(), c.port(), preserve ? clientIp : nodeLoopback, preserve, now);
    }

    private record Choice(String loopback, int port) {}

    private Choice choose(World w, LoadBalancer lb, String zone, TargetGroup tg, Instant now, int flowHash) {
        String cz = tg.attributes().getOrDefault("load_balancing.cross_zone.enabled",
                "use_load_balancer_configuration");
        boolean crossZone = cz.equals("true") || (!cz.equals("false")
                && lb.attributeTrue("load_balancing.cross_zone.enabled"));
        List<TargetGroup.Target> targets = new ArrayList<>(tg.targets());
        targets.sort(Comparator.comparing(TargetGroup.Target::id).thenComparing(t -> t.effectivePort(tg)));
        List<Choice> inZone = new ArrayList<>();
        List<Choice> healthyInZone = new ArrayList<>();
        List<Choice> healthyAnywhere = new ArrayList<>();
        for (TargetGroup.Target t : targets) {
            if (t.deregisteredAt() != null) {
                continue;
            }
            TargetHealths.Health derived = TargetHealths.observe(w, tg, t, now, Duration.ZERO,
                    settings.instanceTransition());
            if (derived.state().equals("unused") || derived.state().equals("draining")) {
                continue;
            }
            Placed p = place(w, tg, t);
            if (p == null) {
                continue;
            }
            Choice c = new Choice(p.loopback(), t.effectivePort(tg));
            boolean healthy = health(tg.id(), t.id(), t.effectivePort(tg))
                    .map(h -> h.state().equals("healthy")).orElse(true);
            boolean here = crossZone || "all".equals(p.zone()) || p.zone().equals(zone);
            if (here) {
                inZone.add(c);
                if (healthy) {
                    healthyInZone.add(c);
                }
            }
            if (healthy) {
                healthyAnywhere.add(c);
            }
        }
        List<Choice> pick = !healthyInZone.isEmpty() ? healthyInZone
                : !healthyAnywhere.isEmpty() ? healthyAnywhere : inZone;
        return pick.isEmpty() ? null : pick.get(Math.floorMod(flowHash, pick.size()));
    }

    /** Connects to {@code host:port} from {@code sourceIp} and relays both ways; resets {@code in} on failure. */
    private void connect(Channel in, String host, int port, String sourceIp, boolean preserved, Instant start) {
        Relay.Tally tally = new Relay.Tally();
        InetSocketAddress client = (InetSocketAddress) in.remoteAddress();
        InetSocketAddress front = (InetSocketAddress) in.localAddress();
        Relay.Early early = new Relay.Early();
        in.pipeline().addLast(early);
        Bootstrap b = Transport.outbound(new Bootstrap()).group(in.eventLoop()).channel(Transport.socket())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .option(ChannelOption.RECVBUF_ALLOCATOR, READS)
                // Binding a source address with port 0 must find a free port; let ports in TIME_WAIT count.
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new Relay(in, tally, false));
        ChannelFuture f = b.connect(new InetSocketAddress(host, port), new InetSocketAddress(sourceIp, 0));
        Channel out = f.channel();
        f.addListener(cf -> {
            if (cf.isSuccess() && !in.isActive()) {
                early.release();
                out.close();
            } else if (cf.isSuccess()) {
                tally.from = (InetSocketAddress) out.localAddress();
                tally.to = (InetSocketAddress) out.remoteAddress();
                early.replaceWith(in, new Relay(out, tally, true));
                in.read();
            } else {
                early.release();
                LOG.debug("data plane: {}:{} refused a relayed connection: {}", host, port, cf.cause().toString());
                Relay.reset(in);
            }
        });
        in.closeFuture().addListener(x -> {
            Relay.closeOnFlush(out);
            record(client, front, preserved, start, tally);
        });
    }

    /**
     * Reports a relayed connection's two hops: client to the address it connected to (an endpoint interface or a
     * node), and source (node, or client when preserved) to target, once the target had accepted.
     */
    private void record(InetSocketAddress client, InetSocketAddress front, boolean preserved, Instant start,
            Relay.Tally tally) {
        FlowRecorder recorder = flows;
        if (recorder == FlowRecorder.NONE) {
            return;
        }
        Instant end = clock.instant();
        if (client == null || front == null) {
            return;
        }
        recorder.record(FlowRecorder.Leg.tcp(client.getAddress().getHostAddress(), client.getPort(),
                front.getAddress().getHostAddress(), front.getPort(), tally.forward, tally.back, start, end,
                FlowRecorder.Outcome.ACCEPTED));
        InetSocketAddress from = tally.from;
        InetSocketAddress to = tally.to;
        if (from != null && to != null) {
            // With the client's address preserved, the client's own interface never carries this hop.
            recorder.record(FlowRecorder.Leg.tcp(from.getAddress().getHostAddress(), from.getPort(),
                    to.getAddress().getHostAddress(), to.getPort(), tally.forward, tally.back, start, end,
                    FlowRecorder.Outcome.ACCEPTED).seenAt(!preserved, true));
        }
    }

    @Override
    public void close() {
        DnsServer d = dns;
        if (d != null) {
            d.close();
        }
        try {
            control.submit(() -> {
                for (Channel ch : listening.values()) {
                    ch.close();
                }
                listening.clear();
                health.close();
            }).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("data plane: closing listeners failed", e);
        }
        control.shutdownNow();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
