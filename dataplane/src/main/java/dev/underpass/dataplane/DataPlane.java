package dev.underpass.dataplane;

import dev.underpass.model.elb.TargetGroupArn;
import dev.underpass.model.elb.LoadBalancerArn;
import dev.underpass.model.ec2.NetworkInterfaceId;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.World;
import dev.underpass.model.ec2.EndpointService;
import dev.underpass.model.ec2.VpcEndpoint;
import dev.underpass.model.elb.Listener;
import dev.underpass.model.elb.LoadBalancer;
import dev.underpass.model.elb.LoadBalancers;
import dev.underpass.model.elb.TargetGroup;
import dev.underpass.model.elb.TargetHealthSource;
import dev.underpass.model.elb.TargetHealths;
import dev.underpass.reach.Analyzer;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
 *   <li>Each TCP (or TCP_UDP, or TLS: terminated at the node) listener of an active NLB listens on each node's
 *       address and the listener's port and forwards each connection to a registered target chosen by flow hash
 *       among the healthy ones in the node's zone (every enabled zone with cross-zone load balancing). A zone with no healthy target hands its flows to
 *       the healthy targets of the other zones (for clients that still hold the node's address after DNS took it
 *       out, and for endpoint flows, which always enter the node of their zone); when no target is healthy
 *       anywhere, all receive flows (fail-open). The DNS name answers only the nodes that have a healthy target
 *       ({@link NodeHealth}).
 *   <li>Each interface endpoint's interfaces listen on its service's listener ports. A new connection is decided
 *       by the analyzer ({@link Analyzer#analyzeVia}) from the client's address (which names its interface):
 *       reachable flows go on to the NLB node of the endpoint interface's zone; blocked ones are reset.
 *   <li>UDP and TCP_UDP listeners get a UDP socket on the same addresses; datagrams travel as flows by 5-tuple,
 *       on the same decisions and target choice ({@link UdpFlows}).
 * </ul>
 *
 * <p>Connections are relayed by Netty with auto-read off and one read in flight per direction, so memory per
 * connection is bounded and no thread is tied to a connection.
 */
public final class DataPlane implements AutoCloseable, TargetHealthSource {
    private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);
    private static final long BIND_RETRY_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** How long load balancers stay provisioning and instances take to change state (the server's settings). */
    public record Settings(Duration provisioning, Duration instanceTransition, Duration poll) {
        public static Settings defaults() {
            return new Settings(Duration.ZERO, Duration.ZERO, Duration.ofMillis(100));
        }
    }

    /** A listening socket the world wants: what it is for, and where. */
    record Want(Kind kind, String owner, String interfaceId, String loopback, int port, String zone) {
        String key() {
            return kind + " " + interfaceId + " " + port;
        }

        /**
         * What a socket is for: a load balancer node's listener or an interface endpoint's, each over TCP or UDP.
         * Each prints as its kebab-case name ({@code vpce-udp}) in keys and logs.
         */
        enum Kind {
            NLB,
            VPCE,
            NLB_UDP,
            VPCE_UDP;

            private final String name = name().toLowerCase(Locale.ROOT).replace('_', '-');

            boolean udp() {
                return this == NLB_UDP || this == VPCE_UDP;
            }

            @Override
            public String toString() {
                return name;
            }
        }
    }

    private final Supplier<World> worlds;
    private final Clock clock;
    private final Settings settings;
    private final EventLoopGroup group;
    private final ControlThread thread;
    private final ScheduledExecutorService control;
    private final HealthChecks health;
    /** Carries the accepted connections: decisions, target choice, relaying and flow records. */
    private final Flows relays;
    /** Carries UDP datagrams: flows by 5-tuple, on the same decisions and target choice as TCP. */
    private final UdpFlows udp;
    /** Which load balancer nodes DNS answers with (the relay's health test, per health-state version). */
    private final NodeHealth nodeHealth;
    private final Map<String, Channel> listening = new HashMap<>();
    private final Map<String, Long> bindFailedAt = new HashMap<>();
    private volatile LoopbackAddresses addresses = LoopbackAddresses.empty();
    private volatile DnsServer dns;
    private volatile FlowRecorder flows = FlowRecorder.NONE;
    private volatile Duration flowWindow = Duration.ofSeconds(60);
    /** The next sweep of open connections for flow logs (control thread only). */
    private java.util.concurrent.ScheduledFuture<?> sweep;
    private static final Object NAMES = new Object();
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();

    private DataPlane(Supplier<World> worlds, Clock clock, Settings settings) {
        this.worlds = worlds;
        this.clock = clock;
        this.settings = settings;
        this.group = new MultiThreadIoEventLoopGroup(0, Transport.ioHandlers());
        this.relays = new Flows(worlds, clock, settings, () -> addresses, () -> flows, this);
        this.health = new HealthChecks(group, clock, s -> relays.verdicts.decideHealthCheck(worlds.get(),
                clock.instant(), s.source(), s.host(), s.port()), () -> flows);
        this.udp = new UdpFlows(relays, worlds, clock, () -> addresses, () -> flows, UdpFlows.IDLE_TIMEOUT);
        this.nodeHealth = new NodeHealth(worlds, clock, relays.targets, health::version);
        this.thread = new ControlThread("underpass-dataplane");
        this.control = thread.executor();
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
        dp.control.execute(dp::nextWindow);
        return dp;
    }

    /**
     * Cuts the flow records of open TCP connections and UDP flows at multiples of {@code window} (60 s, the shorter
     * of the two aggregation intervals a flow log may have, unless changed: tests shorten it). The next cut is
     * rescheduled at once; what open flows carried since the last cut goes into the next one.
     */
    public void aggregateFlowsEvery(Duration window) {
        if (window.toMillis() <= 0) {
            throw new IllegalArgumentException("window must be positive: " + window);
        }
        flowWindow = window;
        try {
            control.submit(() -> {
                if (sweep != null) {
                    sweep.cancel(false);
                }
                nextWindow();
            }).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                | java.util.concurrent.RejectedExecutionException e) {
            LOG.warn("data plane: could not reschedule the flow-log sweep: {}", e.toString());
        }
    }

    /** Schedules the next sweep of open flows at the next window boundary of the clock (control thread). */
    private void nextWindow() {
        if (closing.get()) {
            return;
        }
        long w = flowWindow.toMillis();
        long now = clock.millis();
        long boundary = (now / w + 1) * w;
        try {
            sweep = control.schedule(() -> {
                try {
                    relays.sweep(Instant.ofEpochMilli(boundary));
                    udp.sweep(Instant.ofEpochMilli(boundary));
                } catch (RuntimeException e) {
                    LOG.warn("data plane: flow-log sweep failed", e);
                }
                nextWindow();
            }, boundary - now, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Closed meanwhile.
        }
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
            dns = new DnsServer(group, host, port, this::answers);
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
        LoopbackAddresses book = addresses;
        return names().resolve(name, book, askerLoopback, nodeHealth::up);
    }

    /** What the DNS server answers {@code name} with for an asker at {@code askerLoopback}: A and AAAA, or null. */
    private DnsServer.Answers answers(String name, String askerLoopback) {
        List<String> a = resolve(name, askerLoopback);
        LoopbackAddresses book = addresses;
        VpcId vpc = book.atLoopback(askerLoopback).map(LoopbackAddresses.Address::vpcId).orElse(null);
        List<String> aaaa = names().resolve6InVpc(name, vpc);
        if (a == null && aaaa == null) {
            return null;
        }
        return new DnsServer.Answers(a == null ? List.of() : a, aaaa == null ? List.of() : aaaa);
    }

    /**
     * The addresses {@code name} has for an asker in {@code vpcId} (null: in no VPC), load balancer nodes as
     * health has them, or null (NXDOMAIN): what {@code underpass trace} resolves a name with.
     */
    public List<String> resolveInVpc(String name, VpcId vpcId) {
        return names().resolveInVpc(name, vpcId, nodeHealth::up);
    }

    /** The names of the current world (worked out once per world snapshot). */
    public Names names() {
        World w = worlds.get();
        LoopbackAddresses book = addresses;
        return w.derive(NAMES, world -> Names.of(world, book));
    }

    /** How many sockets listen and how many registrations are checked (for reports and benchmarks). */
    public int listenerCount() {
        try {
            return control.submit(listening::size).get();
        } catch (Exception e) {
            return -1;
        }
    }

    /** How many UDP flows are open (reports, tests). */
    public int udpFlowCount() {
        return udp.open();
    }

    /**
     * Reports the traffic of open UDP flows so far to the flow recorder (they are otherwise reported when they end),
     * and returns once that is done; the next report of a flow covers only what came after.
     */
    public void flushFlows() {
        udp.flush();
    }

    public int healthCheckCount() {
        return health.size();
    }

    /** Waits until the control thread has applied the current world (tests, after a change). */
    public void sync() {
        thread.sync(this::refresh);
    }

    @Override
    public Optional<TargetHealths.Health> health(TargetGroupArn targetGroupArn, String targetId, int port) {
        return health.health(new HealthChecks.Key(targetGroupArn, targetId, port));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Following the world (control thread only)

    private void refresh() {
        if (closed) {
            return; // a refresh queued behind close() must not open the listeners again
        }
        try {
            World w = worlds.get();
            if (!thread.due(w)) {
                return;
            }
            addresses = LoopbackAddresses.of(w, addresses);
            Map<String, Want> wanted = new LinkedHashMap<>();
            Map<HealthChecks.Key, HealthChecks.Spec> checks = new HashMap<>();
            Instant instant = clock.instant();
            for (LoadBalancer lb : w.all(LoadBalancer.class)) {
                if (lb.isApplication() || lb.state(instant, settings.provisioning()) != LoadBalancer.State.ACTIVE) {
                    continue;
                }
                for (Listener l : LoadBalancers.listenersOf(w, lb.loadBalancerArn())) {
                    if (!carriesTcp(l) && !UdpFlows.carriesUdp(l)) {
                        continue;
                    }
                    for (LoadBalancer.Zone z : lb.zones()) {
                        addresses.ofInterface(NetworkInterfaceId.text(z.networkInterfaceId())).ifPresent(a -> {
                            for (Want.Kind kind : kinds(l, Want.Kind.NLB, Want.Kind.NLB_UDP)) {
                                Want want = new Want(kind, lb.id(), NetworkInterfaceId.text(z.networkInterfaceId()),
                                        a.loopback(), l.port(),
                                        z.zoneName());
                                wanted.put(want.key(), want);
                            }
                        });
                    }
                    TargetGroup tg = targetGroup(w, l);
                    if (tg != null) {
                        HealthChecks.want(w, lb, tg, relays.targets, addresses, checks);
                    }
                }
            }
            for (VpcEndpoint e : w.all(VpcEndpoint.class)) {
                if (!(e.placement() instanceof VpcEndpoint.Placement.Interface placed)
                        || !(e.target() instanceof VpcEndpoint.Target.CustomerService c)) {
                    continue;
                }
                EndpointService svc = w.find(EndpointService.class, c.serviceId()).orElse(null);
                if (svc == null) {
                    continue;
                }
                List<Listener> listeners = new ArrayList<>();
                for (String arn : svc.networkLoadBalancerArns()) {
                    listeners.addAll(LoadBalancers.listenersOf(w, LoadBalancerArn.of(arn)));
                }
                for (String eni : NetworkInterfaceId.texts(placed.networkInterfaceIds())) {
                    addresses.ofInterface(eni).ifPresent(a -> {
                        for (Listener l : listeners) {
                            for (Want.Kind kind : kinds(l, Want.Kind.VPCE, Want.Kind.VPCE_UDP)) {
                                Want want = new Want(kind, e.id(), eni, a.loopback(), l.port(), a.availabilityZone());
                                wanted.putIfAbsent(want.key(), want);
                            }
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

    /** The kinds of socket a listener needs: {@code tcp} for its TCP part, {@code udp} for its UDP part. */
    private static List<Want.Kind> kinds(Listener l, Want.Kind tcp, Want.Kind udp) {
        List<Want.Kind> out = new ArrayList<>(2);
        if (carriesTcp(l)) {
            out.add(tcp);
        }
        if (UdpFlows.carriesUdp(l)) {
            out.add(udp);
        }
        return out;
    }

    /** Whether a listener takes TCP connections: TCP, TCP_UDP, and TLS (terminated at the node). */
    static boolean carriesTcp(Listener l) {
        return l.protocol().acceptsTcp();
    }

    static TargetGroup targetGroup(World w, Listener l) {
        for (TargetGroupArn arn : l.targetGroupArns()) {
            TargetGroup tg = w.find(TargetGroup.class, arn).orElse(null);
            if (tg != null) {
                return tg;
            }
        }
        return null;
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
                Channel ch = want.kind().udp() ? udp.bind(group, want) : relays.bind(group, want);
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

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return; // closed already (a test that stops the data plane before its server)
        }
        DnsServer d = dns;
        if (d != null) {
            d.close();
        }
        thread.stop("data plane", () -> {
            closed = true;
            // Open UDP flows are reported before the sockets close, so the records are out before the recorder
            // stops (closing reports nothing more: the counts start afresh after a report).
            udp.flush();
            List<io.netty.channel.ChannelFuture> closing = new ArrayList<>();
            for (Channel ch : listening.values()) {
                closing.add(ch.close());
            }
            closing.forEach(f -> f.awaitUninterruptibly(2, TimeUnit.SECONDS));
            listening.clear();
            health.close();
        });
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
