package dev.underpass.dataplane;

import dev.underpass.model.elb.TargetGroupArn;
import dev.underpass.model.ec2.NetworkInterfaceId;
import dev.underpass.model.World;
import dev.underpass.model.elb.Protocol;
import dev.underpass.model.elb.LoadBalancer;
import dev.underpass.model.elb.TargetGroup;
import dev.underpass.model.elb.TargetHealths;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * Real health checks, in memory: one per registration that an active Network Load Balancer's TCP listener sends
 * traffic to, run from a load balancer node's address at the target group's interval, with its timeout and
 * thresholds. TCP checks succeed when the connection is accepted; HTTP checks send {@code GET path} and compare
 * the status code with the matcher ({@code 200}, {@code 200,202}, {@code 200-399}); HTTPS checks do the same over
 * TLS, trusting whatever certificate the target shows (as ELB does: it neither validates the chain nor checks the
 * host name, and sends no SNI), so a handshake that fails (a target speaking plain HTTP, say) is a failed check.
 *
 * <p>States as DescribeTargetHealth shows them: {@code initial} ({@code Elb.InitialHealthChecking}) until the
 * healthy threshold of consecutive successes ({@code healthy}) or the unhealthy threshold of consecutive failures
 * ({@code unhealthy}, reason {@code Target.FailedHealthChecks} for a refused connection, {@code Target.Timeout},
 * or {@code Target.ResponseCodeMismatch}); then flips after that many consecutive opposite results.
 *
 * <p>A check is a flow like any other: the analyzer decides it first (from the node's interface to the target's
 * private address on the health check port, {@link Verdicts#decideHealthCheck}), so a target whose security group
 * or subnet ACL does not admit the load balancer fails its checks with {@code Target.Timeout} (the packets are
 * dropped, so the node waits its timeout) and the flow logs show the dropped SYN as {@code REJECT}; a check let
 * through is reported to the flow recorder when its connection closes, {@code ACCEPT} at the node's and the
 * target's interfaces, whatever the target answered.
 */
final class HealthChecks {
    /** One registration checked: the group, the target id and its traffic port. */
    record Key(TargetGroupArn targetGroupArn, String targetId, int port) {}

    /**
     * How to check it: protocol ({@code TCP}, {@code HTTP}, {@code HTTPS}), where (the target's
     * loopback address and health check port), from where (a node's address), path and matcher, and the timing.
     */
    record Spec(Protocol protocol, String host, int port, String source, String path, String matcher,
            int intervalSeconds, int timeoutSeconds, int healthyThreshold, int unhealthyThreshold) {}

    private static final class Check {
        volatile Spec spec;
        volatile TargetHealths.Health health =
                new TargetHealths.Health(TargetHealths.State.INITIAL, TargetHealths.Reason.ELB_INITIAL_HEALTH_CHECKING,
                        "Initial health checks in progress");
        int successes;
        int failures;
        ScheduledFuture<?> next;
        volatile boolean cancelled;

        Check(Spec spec) {
            this.spec = spec;
        }
    }

    /**
     * The client side of HTTPS checks and of TLS to targets: any certificate is accepted, as ELB accepts
     * self-signed ones.
     */
    static final SslContext TLS = clientContext();

    private final EventLoopGroup group;
    private final Clock clock;
    /** The analyzer's verdict on a check's flow (null: no verdict, the check goes ahead). */
    private final Function<Spec, FlowRecorder.Outcome> gate;
    private final Supplier<FlowRecorder> recorder;
    private final Map<Key, Check> checks = new ConcurrentHashMap<>();
    /** Moves on whenever a verdict changes state or a check starts or stops (what depends on health caches by it). */
    private final java.util.concurrent.atomic.AtomicLong version = new java.util.concurrent.atomic.AtomicLong();

    HealthChecks(EventLoopGroup group, Clock clock, Function<Spec, FlowRecorder.Outcome> gate,
            Supplier<FlowRecorder> recorder) {
        this.group = group;
        this.clock = clock;
        this.gate = gate;
        this.recorder = recorder;
    }

    /** The current verdict on one registration, or empty when it is not being checked. */
    Optional<TargetHealths.Health> health(Key key) {
        Check c = checks.get(key);
        return c == null ? Optional.empty() : Optional.of(c.health);
    }

    /** The health-state version: a value computed from the verdicts holds while this is unchanged. */
    long version() {
        return version.get();
    }

    /** Starts checks for new registrations, updates changed settings, and stops the checks of those gone. */
    void sync(Map<Key, Spec> wanted) {
        for (Map.Entry<Key, Check> e : new HashMap<>(checks).entrySet()) {
            if (!wanted.containsKey(e.getKey())) {
                checks.remove(e.getKey());
                version.incrementAndGet();
                e.getValue().cancelled = true;
                ScheduledFuture<?> f = e.getValue().next;
                if (f != null) {
                    f.cancel(false);
                }
            }
        }
        for (Map.Entry<Key, Spec> e : wanted.entrySet()) {
            Check existing = checks.get(e.getKey());
            if (existing != null) {
                existing.spec = e.getValue();
                continue;
            }
            Check c = new Check(e.getValue());
            checks.put(e.getKey(), c);
            version.incrementAndGet();
            c.next = group.next().schedule(() -> run(c), 0, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Adds to {@code checks} one check per registration of {@code tg} (behind {@code lb}) that has an address: from
     * the node in the target's zone (else the load balancer's first), on the health check port ({@code traffic-port}
     * or a number), with the group's protocol, path, matcher, timing and thresholds. None when checks are disabled.
     */
    static void want(World w, LoadBalancer lb, TargetGroup tg, TargetChoice targets, LoopbackAddresses addresses,
            Map<Key, Spec> checks) {
        TargetGroup.HealthCheck hc = tg.healthCheck();
        if (hc == null || !hc.enabled()) {
            return;
        }
        for (TargetGroup.Target t : tg.targets()) {
            if (t.deregisteredAt() != null) {
                continue;
            }
            TargetChoice.Placed p = targets.place(w, tg, t);
            if (p == null) {
                continue;
            }
            int trafficPort = t.effectivePort(tg);
            int port = hc.port() == null || "traffic-port".equals(hc.port()) ? trafficPort : parsePort(hc.port(),
                    trafficPort);
            String source = nodeAddress(lb, p.zone(), addresses);
            if (source == null) {
                continue;
            }
            checks.put(new Key(tg.targetGroupArn(), t.id(), trafficPort), new Spec(
                    hc.protocol() == null ? Protocol.TCP : hc.protocol(), p.loopback(), port, source, hc.path(),
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

    /** The node address of {@code lb} in {@code zone}, else of its first zone; null when it has none. */
    private static String nodeAddress(LoadBalancer lb, String zone, LoopbackAddresses addresses) {
        LoadBalancer.Zone chosen = null;
        for (LoadBalancer.Zone z : lb.zones()) {
            if (chosen == null || z.zoneName().equals(zone)) {
                chosen = z;
            }
        }
        return chosen == null ? null
                : addresses.ofInterface(NetworkInterfaceId.text(chosen.networkInterfaceId()))
                        .map(LoopbackAddresses.Address::loopback)
                        .orElse(null);
    }

    int size() {
        return checks.size();
    }

    void close() {
        sync(Map.of());
    }

    private void run(Check c) {
        if (c.cancelled) {
            return;
        }
        Spec s = c.spec;
        AtomicBoolean done = new AtomicBoolean();
        FlowRecorder.Outcome verdict = gate.apply(s);
        if (verdict != null && verdict != FlowRecorder.Outcome.ACCEPTED) {
            // The target's security group or a network ACL drops the check: no connection, and a timeout as the
            // node sees it; the flow logs show the dropped SYN.
            Instant now = clock.instant();
            FlowRecorder r = recorder.get();
            if (r != FlowRecorder.NONE) {
                r.record(FlowRecorder.Leg.tcp(s.source(), freePort(s.source()), s.host(), s.port(), 0, 0, now, now,
                        verdict));
            }
            group.next().schedule(() -> finish(c, done, TargetHealths.Reason.TARGET_TIMEOUT, "Request timed out"),
                    s.timeoutSeconds(),
                    TimeUnit.SECONDS);
            return;
        }
        boolean tls = s.protocol() == Protocol.HTTPS;
        boolean http = s.protocol().http();
        Attempt attempt = new Attempt(clock.instant());
        Bootstrap b = new Bootstrap().group(group).channel(Transport.socket())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, s.timeoutSeconds() * 1000)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(attempt);
                        if (tls) {
                            // No peer host given: no SNI and no host name check; the trust manager trusts any chain.
                            ch.pipeline().addLast(TLS.newHandler(ch.alloc()));
                        }
                        if (http) {
                            ch.pipeline().addLast(new StatusLine(s, code -> {
                                if (matches(s.matcher(), code)) {
                                    finish(c, done, null, null);
                                } else {
                                    finish(c, done, TargetHealths.Reason.TARGET_RESPONSE_CODE_MISMATCH,
                                            "Health checks failed with these codes: [" + code + "]");
                                }
                                ch.close();
                            }, () -> finish(c, done, TargetHealths.Reason.TARGET_FAILED_HEALTH_CHECKS,
                                    "Health checks failed")));
                        }
                    }
                });
        // Bound first, then connected: the source port is known for the flow logs even when the connection fails.
        ChannelFuture bound = b.bind(new InetSocketAddress(s.source(), 0));
        Channel ch = bound.channel();
        ch.closeFuture().addListener(x -> record(s, attempt));
        bound.addListener(bf -> {
            if (!bf.isSuccess()) {
                finish(c, done, TargetHealths.Reason.TARGET_FAILED_HEALTH_CHECKS, "Health checks failed");
                return;
            }
            attempt.local = (InetSocketAddress) ch.localAddress();
            ch.connect(new InetSocketAddress(s.host(), s.port())).addListener(cf -> {
                if (!cf.isSuccess()) {
                    if (cf.cause() instanceof ConnectTimeoutException) {
                        finish(c, done, TargetHealths.Reason.TARGET_TIMEOUT, "Request timed out");
                    } else {
                        attempt.refused = true;
                        finish(c, done, TargetHealths.Reason.TARGET_FAILED_HEALTH_CHECKS, "Health checks failed");
                    }
                    ch.close();
                } else {
                    attempt.connected = true;
                    if (!http) {
                        finish(c, done, null, null);
                        ch.close();
                    }
                }
            });
        });
        group.next().schedule(() -> {
            if (!done.get()) {
                io.netty.handler.ssl.SslHandler ssl = ch.pipeline().get(io.netty.handler.ssl.SslHandler.class);
                if (ssl != null && ch.isActive() && !ssl.handshakeFuture().isDone()) {
                    // Connected, but no TLS session came of it (a target speaking plain HTTP waits for a request
                    // line that never comes): the handshake failed, not the request.
                    finish(c, done, TargetHealths.Reason.TARGET_FAILED_HEALTH_CHECKS, "Health checks failed");
                } else {
                    finish(c, done, TargetHealths.Reason.TARGET_TIMEOUT, "Request timed out");
                }
                ch.close();
            }
        }, s.timeoutSeconds(), TimeUnit.SECONDS);
    }

    /**
     * One check's connection as the flow logs see it: its source port, whether it was answered (connected, or
     * refused with a reset) and the bytes on the wire each way (TLS records included). Counts at the head of the
     * pipeline, on the check's event loop.
     */
    private static final class Attempt extends ByteCounter {
        final Instant start;
        volatile InetSocketAddress local;
        volatile boolean connected;
        volatile boolean refused;

        Attempt(Instant start) {
            this.start = start;
        }
    }

    /**
     * Reports a check's connection to the flow recorder once it is closed: accepted (the groups and ACLs let it
     * through); a connection made is estimated from its bytes as any TCP connection is, one the target refused is
     * its SYN and the reset, one never answered its SYN alone.
     */
    private void record(Spec s, Attempt a) {
        FlowRecorder r = recorder.get();
        if (r == FlowRecorder.NONE || a.local == null) {
            return;
        }
        long packetsOut = a.connected ? -1 : 1;
        long packetsBack = a.connected ? -1 : a.refused ? 1 : 0;
        r.record(new FlowRecorder.Leg(s.source(), a.local.getPort(), s.host(), s.port(), 6, a.sent(), a.received(),
                packetsOut, packetsBack, a.start, clock.instant(), FlowRecorder.Outcome.ACCEPTED, true, true));
    }

    /** A free port of {@code address}, for the record of a check that was never sent (0 when none is found). */
    private static int freePort(String address) {
        try (java.net.Socket probe = new java.net.Socket()) {
            probe.bind(new InetSocketAddress(address, 0));
            return probe.getLocalPort();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /** Records one result (reason null: success) and schedules the next check. */
    private void finish(Check c, AtomicBoolean done, TargetHealths.Reason reason, String description) {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        synchronized (c) {
            Spec s = c.spec;
            TargetHealths.State state = c.health.state();
            if (reason == null) {
                c.successes++;
                c.failures = 0;
                if (state != TargetHealths.State.HEALTHY && c.successes >= s.healthyThreshold()) {
                    c.health = TargetHealths.Health.HEALTHY;
                    version.incrementAndGet();
                }
            } else {
                c.failures++;
                c.successes = 0;
                if (c.failures >= s.unhealthyThreshold()) {
                    c.health = new TargetHealths.Health(TargetHealths.State.UNHEALTHY, reason, description);
                    if (state != TargetHealths.State.UNHEALTHY) {
                        version.incrementAndGet();
                    }
                }
            }
            if (!c.cancelled) {
                c.next = group.next().schedule(() -> run(c), s.intervalSeconds(), TimeUnit.SECONDS);
            }
        }
    }

    private static SslContext clientContext() {
        try {
            return SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        } catch (SSLException e) {
            throw new IllegalStateException("no TLS client context", e);
        }
    }

    /** Whether an HTTP status code matches a matcher such as {@code 200}, {@code 200,202} or {@code 200-399}. */
    static boolean matches(String matcher, int code) {
        String m = matcher == null || matcher.isBlank() ? "200-399" : matcher;
        for (String part : m.split(",")) {
            String p = part.strip();
            try {
                int dash = p.indexOf('-');
                if (dash > 0) {
                    if (code >= Integer.parseInt(p.substring(0, dash).strip())
                            && code <= Integer.parseInt(p.substring(dash + 1).strip())) {
                        return true;
                    }
                } else if (Integer.parseInt(p) == code) {
                    return true;
                }
            } catch (NumberFormatException e) {
                // A malformed matcher part matches nothing.
            }
        }
        return false;
    }

    /** Sends {@code GET path} and reads the status line (at most 1 KiB of it). */
    private static final class StatusLine extends ChannelInboundHandlerAdapter {
        private final Spec spec;
        private final java.util.function.IntConsumer onCode;
        private final Runnable onFailure;
        private final StringBuilder line = new StringBuilder();
        private boolean answered;

        StatusLine(Spec spec, java.util.function.IntConsumer onCode, Runnable onFailure) {
            this.spec = spec;
            this.onCode = onCode;
            this.onFailure = onFailure;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            String path = spec.path() == null || spec.path().isBlank() ? "/" : spec.path();
            String req = "GET " + path + " HTTP/1.1\r\nHost: " + spec.host() + ":" + spec.port()
                    + "\r\nUser-Agent: ELB-HealthChecker/2.0\r\nConnection: close\r\n\r\n";
            ctx.writeAndFlush(Unpooled.copiedBuffer(req, StandardCharsets.US_ASCII));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                while (!answered && buf.isReadable()) {
                    char ch = (char) buf.readByte();
                    if (ch == '\n' || line.length() > 1024) {
                        answered = true;
                        String[] parts = line.toString().strip().split(" ");
                        int code = -1;
                        if (parts.length >= 2 && parts[0].startsWith("HTTP/")) {
                            try {
                                code = Integer.parseInt(parts[1]);
                            } catch (NumberFormatException ignored) {
                                // not a status line
                            }
                        }
                        if (code < 0) {
                            onFailure.run();
                            ctx.close();
                        } else {
                            onCode.accept(code);
                        }
                    } else {
                        line.append(ch);
                    }
                }
            } finally {
                buf.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!answered) {
                answered = true;
                onFailure.run();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
