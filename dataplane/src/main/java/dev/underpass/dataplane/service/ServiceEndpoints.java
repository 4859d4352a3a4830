package dev.underpass.dataplane.service;

import dev.underpass.model.ec2.NetworkInterfaceId;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.dataplane.ByteCounter;
import dev.underpass.dataplane.ControlThread;
import dev.underpass.dataplane.FlowRecorder;
import dev.underpass.dataplane.LoopbackAddresses;
import dev.underpass.model.Caller;
import dev.underpass.model.World;
import dev.underpass.model.ec2.AwsServices;
import dev.underpass.model.ec2.Vpc;
import dev.underpass.model.ec2.VpcEndpoint;
import dev.underpass.reach.Timing;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpRequestDecoder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AWS service endpoints on the loopback data plane (docs/service-endpoints.md): for each service with an upstream
 * ({@code --service-upstream s3=http://127.0.0.1:9000}), an HTTP proxy listens on the service's public address in
 * each region that has a VPC, and on the interfaces of every interface endpoint to the service. Each connection is
 * first routed as the analyzer says ({@link ServiceRoute}: interface endpoint, gateway endpoint, internet, or reset);
 * each request on it is then read as S3 REST ({@link S3Call}), its caller found from the SigV4 access key, and
 * decided by the policy layers ({@link RequestPolicies}). An allowed request goes to the upstream unchanged (the
 * request line and headers as sent, the body streamed through); a refused one gets S3's {@code AccessDenied}.
 *
 * <p>Why a proxy that parses HTTP rather than a byte relay: the decision is per request (one connection carries many,
 * and each names its own bucket and key), and S3's answer to a refusal is an HTTP response. Only the request head
 * is decoded; bodies and the upstream's answers pass through as they come, with the same back-pressure as the data
 * plane's relays.
 */
public final class ServiceEndpoints implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceEndpoints.class);

    /**
     * {@code upstreams}: service short name ({@code s3}) to the server that answers it; {@code bucketPolicies}:
     * bucket to policy JSON; {@code port}: the port every service address listens on.
     */
    public record Settings(Map<String, URI> upstreams, Map<String, String> bucketPolicies, int port,
            Duration instanceTransition) {
        public Settings {
            upstreams = Map.copyOf(upstreams);
            bucketPolicies = Map.copyOf(bucketPolicies);
        }
    }

    /** Who an access key is, as the server's authentication knows it; empty for a key it does not know. */
    public interface Identities {
        Optional<Caller> of(String accessKeyId, String sessionToken, String region);
    }

    /** A listening socket: the service's public address in a region, or an interface endpoint's interface. */
    record Want(String service, String region, String endpointId, String interfaceId, String loopback, int port) {
        String key() {
            return loopback + ":" + port;
        }
    }

    private final Supplier<World> worlds;
    private final Clock clock;
    private final Supplier<LoopbackAddresses> addresses;
    final Settings settings;
    final Identities identities;
    final RequestPolicies policies;
    final DecisionLog log = new DecisionLog();
    private final EventLoopGroup group;
    private final ControlThread thread;
    private final ScheduledExecutorService control;
    private final Map<String, Channel> listening = new HashMap<>();
    private volatile FlowRecorder flows = FlowRecorder.NONE;
    private volatile Map<String, String> publicAddresses = Map.of();

    private ServiceEndpoints(Supplier<World> worlds, Clock clock, Supplier<LoopbackAddresses> addresses,
            Settings settings, Identities identities) {
        this.worlds = worlds;
        this.clock = clock;
        this.addresses = addresses;
        this.settings = settings;
        this.identities = identities;
        this.policies = new RequestPolicies(settings.bucketPolicies());
        this.group = new MultiThreadIoEventLoopGroup(0, dev.underpass.dataplane.Transport.ioHandlers());
        this.thread = new ControlThread("underpass-service-endpoints");
        this.control = thread.executor();
    }

    /** Starts following the world; returns once the current world's listeners are open. */
    public static ServiceEndpoints start(Supplier<World> worlds, Clock clock, Supplier<LoopbackAddresses> addresses,
            Settings settings, Identities identities) {
        ServiceEndpoints s = new ServiceEndpoints(worlds, clock, addresses, settings, identities);
        s.sync();
        s.control.scheduleWithFixedDelay(s::refresh, 100, 100, TimeUnit.MILLISECONDS);
        return s;
    }

    public DecisionLog decisions() {
        return log;
    }

    /**
     * Reports every client connection, carried or refused by the network, to {@code recorder} (VPC flow logs), as
     * the data plane's relays do: one hop from the instance's address to the endpoint interface or to the
     * service's public address, on port 443.
     */
    public void recordFlowsWith(FlowRecorder recorder) {
        this.flows = recorder == null ? FlowRecorder.NONE : recorder;
    }

    FlowRecorder flows() {
        return flows;
    }

    /** The bucket policy given at start for {@code bucket} ({@code --resource-policy s3:BUCKET=FILE}). */
    public Optional<String> bucketPolicy(String bucket) {
        return policies.bucketPolicy(bucket);
    }

    /** The port the service addresses listen on. */
    public int port() {
        return settings.port();
    }

    /** Waits until the listeners match the current world (tests, after a change). */
    public void sync() {
        thread.sync(this::refresh);
    }

    /**
     * The loopback address that stands for {@code service}'s public range in {@code region}: {@code 127.a.b.c} from
     * the first three bytes of SHA-256 over {@code underpass-service:<service>.<region>}, moved on past
     * {@code 127.0.0.0/24}, addresses ending in {@code .0} or {@code .255}, and any interface's address.
     */
    public static String publicAddress(String service, String region, LoopbackAddresses book) {
        byte[] h;
        try {
            h = MessageDigest.getInstance("SHA-256").digest(("underpass-service:" + service + "." + region)
                    .getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        int v = ((h[0] & 0xff) << 16) | ((h[1] & 0xff) << 8) | (h[2] & 0xff);
        while (true) {
            String a = "127." + ((v >> 16) & 0xff) + "." + ((v >> 8) & 0xff) + "." + (v & 0xff);
            if ((v >> 8) != 0 && (v & 0xff) != 0 && (v & 0xff) != 255 && book.atLoopback(a).isEmpty()) {
                return a;
            }
            v = (v + 1) & 0xffffff;
        }
    }

    /**
     * The addresses a service name has for an asker at {@code askerLoopback}, or null when it is no name of a service
     * with an upstream ({@code s3.<region>.amazonaws.com}, {@code <bucket>.s3.<region>.amazonaws.com},
     * {@code dynamodb.<region>.amazonaws.com}): the interfaces of the asker VPC's interface endpoint to the service
     * when it has private DNS (and not "only for inbound resolver endpoints"), else the service's public address.
     */
    public List<String> resolve(String name, String askerLoopback) {
        AwsServices.ServiceHost host = AwsServices.serviceOfHost(name);
        if (host == null || !settings.upstreams().containsKey(host.service())) {
            return null;
        }
        String service = host.service();
        String region = host.region();
        LoopbackAddresses book = addresses.get();
        VpcId vpc = book.atLoopback(askerLoopback).map(LoopbackAddresses.Address::vpcId).orElse(null);
        if (vpc != null) {
            World w = worlds.get();
            String serviceName = AwsServices.serviceName(region, service);
            for (VpcEndpoint e : w.all(VpcEndpoint.class)) {
                if (e.vpcId().equals(vpc) && e.answersPublicNamesOf(serviceName)) {
                    List<String> out = new ArrayList<>();
                    for (String eni : NetworkInterfaceId.texts(e.networkInterfaceIds())) {
                        book.ofInterface(eni).ifPresent(a -> out.add(a.loopback()));
                    }
                    if (!out.isEmpty()) {
                        return out;
                    }
                }
            }
        }
        String pub = publicAddresses.get(service + " " + region);
        return pub == null ? null : List.of(pub);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Following the world (control thread only)

    private void refresh() {
        try {
            World w = worlds.get();
            if (!thread.due(w)) {
                return;
            }
            LoopbackAddresses book = addresses.get();
            Map<String, Want> wanted = new LinkedHashMap<>();
            Map<String, String> pubs = new HashMap<>();
            TreeSet<String> regions = new TreeSet<>();
            for (Vpc v : w.all(Vpc.class)) {
                regions.add(v.region());
            }
            for (String service : settings.upstreams().keySet()) {
                for (String region : regions) {
                    String a = publicAddress(service, region, book);
                    pubs.put(service + " " + region, a);
                    Want want = new Want(service, region, null, null, a, settings.port());
                    wanted.put(want.key(), want);
                }
                for (VpcEndpoint e : w.all(VpcEndpoint.class)) {
                    if (!(e.placement() instanceof VpcEndpoint.Placement.Interface placed)
                            || !(e.target() instanceof VpcEndpoint.Target.AwsService aws)
                            || !AwsServices.serviceName(e.region(), service).equals(aws.serviceName())) {
                        continue;
                    }
                    for (String eni : NetworkInterfaceId.texts(placed.networkInterfaceIds())) {
                        book.ofInterface(eni).ifPresent(a -> {
                            Want want = new Want(service, e.region(), e.id(), eni, a.loopback(), settings.port());
                            wanted.put(want.key(), want);
                        });
                    }
                }
            }
            publicAddresses = Map.copyOf(pubs);
            apply(wanted);
        } catch (Exception e) {
            LOG.warn("service endpoints: refresh failed; will retry", e);
        }
    }

    private final Map<String, Long> bindFailedAt = new HashMap<>();

    private void apply(Map<String, Want> wanted) {
        for (String key : new ArrayList<>(listening.keySet())) {
            Want now = wanted.get(key);
            Channel ch = listening.get(key);
            if (now == null || !now.equals(ch.attr(ProxyConnection.WANT).get())) {
                listening.remove(key);
                ch.close();
                LOG.info("service endpoints: closed {}", key);
            }
        }
        long t = System.nanoTime();
        for (Want want : wanted.values()) {
            if (listening.containsKey(want.key())) {
                continue;
            }
            Long failed = bindFailedAt.get(want.key());
            if (failed != null && t - failed < TimeUnit.SECONDS.toNanos(5)) {
                continue;
            }
            try {
                Channel ch = bind(want);
                ch.attr(ProxyConnection.WANT).set(want);
                listening.put(want.key(), ch);
                bindFailedAt.remove(want.key());
                LOG.info("service endpoints: {} {} listens on {}:{}{}", want.service(), want.region(),
                        want.loopback(), want.port(), want.endpointId() == null ? "" : " (" + want.endpointId()
                                + " " + want.interfaceId() + ")");
            } catch (Exception e) {
                if (failed == null) {
                    LOG.warn("service endpoints: cannot listen on {}:{}: {}", want.loopback(), want.port(),
                            e.toString());
                }
                bindFailedAt.put(want.key(), t);
            }
        }
        bindFailedAt.keySet().retainAll(wanted.keySet());
    }

    private Channel bind(Want want) {
        ServerBootstrap b =
                new ServerBootstrap().group(group, group).channel(dev.underpass.dataplane.Transport.serverSocket())
                        .option(ChannelOption.SO_BACKLOG, 1024)
                        .option(ChannelOption.SO_REUSEADDR, true)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ByteCounter tally = new ByteCounter();
                                ch.pipeline().addLast(tally).addLast(new HttpRequestDecoder(8192, 65536, 65536))
                                        .addLast(new ProxyConnection(ServiceEndpoints.this, want, tally));
                            }
                        });
        return b.bind(want.loopback(), want.port()).syncUninterruptibly().channel();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Routing decisions, remembered per world snapshot for up to a second (as the data plane's)

    private record RouteKey(String source, String listener) {}

    private volatile World routedOn;
    private volatile long routedAt;
    private final Map<RouteKey, ServiceRoute> routes = new ConcurrentHashMap<>();

    ServiceRoute route(String clientIp, Want want) {
        World w = worlds.get();
        long t = System.nanoTime();
        if (routedOn != w || t - routedAt > ControlThread.FULL_REFRESH_NANOS) {
            routes.clear();
            routedOn = w;
            routedAt = t;
        }
        RouteKey key = new RouteKey(clientIp, want.key());
        ServiceRoute known = routes.get(key);
        if (known != null) {
            return known;
        }
        LoopbackAddresses.Address src = addresses.get().atLoopback(clientIp).orElse(null);
        ServiceRoute r;
        Timing timing = new Timing(clock.instant(), settings.instanceTransition(), Duration.ZERO);
        if (src == null || src.role() != LoopbackAddresses.Role.INSTANCE) {
            r = ServiceRoute.unknownSource();
        } else if (want.endpointId() != null) {
            VpcEndpoint e = w.find(VpcEndpoint.class, want.endpointId()).orElse(null);
            r = e == null ? ServiceRoute.unknownSource()
                    : ServiceRoute.viaInterface(w, timing, src, e, want.interfaceId());
        } else {
            r = ServiceRoute.viaPublicAddress(w, timing, src, want.service(), want.region());
        }
        if (routes.size() < 100_000) {
            routes.put(key, r);
        }
        return r;
    }

    World world() {
        return worlds.get();
    }

    Clock clock() {
        return clock;
    }

    EventLoopGroup group() {
        return group;
    }

    @Override
    public void close() {
        thread.stop("service endpoints", () -> {
            listening.values().forEach(Channel::close);
            listening.clear();
        });
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
