package dev.underpass.server;

import dev.underpass.aws.ec2.Ec2Api;
import dev.underpass.aws.elbv2.Elbv2Api;
import dev.underpass.aws.org.OrganizationsApi;
import dev.underpass.aws.ram.RamApi;
import dev.underpass.aws.ssm.SsmApi;
import dev.underpass.aws.sts.StsApi;
import dev.underpass.model.IdSource;
import dev.underpass.store.Backend;
import dev.underpass.store.MemoryBackend;
import dev.underpass.store.PostgresBackend;
import dev.underpass.store.SqliteBackend;
import dev.underpass.store.Store;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One underpass node: the durable store, the AWS APIs over it, and a Netty HTTP listener. {@link #start} returns
 * once the port is bound and the state loaded; {@link #close} stops accepting, lets the writer finish and answer
 * what was queued, and closes the database.
 */
public final class UnderpassServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UnderpassServer.class);
    /** Requests larger than this are refused before they are read whole. */
    static final int MAX_BODY = 16 * 1024 * 1024;
    /**
     * How long a connection may sit idle (nothing read, nothing written, no answer owed) before the server closes it,
     * unless the {@code underpass.idle-timeout-seconds} system property says otherwise. Longer than the SDKs' own
     * idle pool timeouts (the Java SDK's is 60 s), so that a client closes first and never reuses a connection the
     * server is closing; well under the 350 s that AWS's load balancers allow for TCP.
     */
    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(120);

    private final ServerConfig config;
    private final Store store;
    private final Ec2Api ec2;
    private final Elbv2Api elbv2;
    private final StsApi sts;
    private final SsmApi ssm;
    private final OrganizationsApi organizations;
    private final RamApi ram;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel channel;
    private final AccessLog accessLog = new AccessLog(System.err);
    private volatile dev.underpass.dataplane.DataPlane dataPlane;
    private volatile dev.underpass.dataplane.FlowLogWriter flowLogs;
    private volatile dev.underpass.dataplane.service.ServiceEndpoints serviceEndpoints;

    private UnderpassServer(ServerConfig config, Duration idleTimeout) throws InterruptedException {
        this.config = config;
        Backend backend = config.storeUrl() != null ? new PostgresBackend(config.storeUrl())
                : config.dataDir() == null ? new MemoryBackend() : new SqliteBackend(config.dataDir());
        this.store = new Store(backend, config.sources().clock(), config.sources().storeIds(backend.version()),
                config.ec2().azMapping());
        this.ec2 = new Ec2Api(store, config.ec2());
        this.sts = new StsApi(store);
        this.ssm = new SsmApi(store);
        this.organizations = new OrganizationsApi(store);
        this.ram = new RamApi(store, config.ec2().instanceTransition());
        this.elbv2 = new Elbv2Api(store, new Elbv2Api.Settings(java.time.Duration.ZERO, java.time.Duration.ZERO,
                config.ec2().instanceTransition()));
        this.boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.workers = new MultiThreadIoEventLoopGroup(0, NioIoHandler.newFactory());
        Router router = new Router(this);
        IdSource requestIds = config.sources().requestIds();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // A client that half-closes after sending still gets its answers (HttpHandler closes after them).
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS))
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpServerKeepAliveHandler())
                                .addLast(new BodyAggregator(MAX_BODY))
                                .addLast(new HttpHandler(router, accessLog, requestIds));
                    }
                });
        try {
            this.channel = bootstrap.bind(config.host(), config.port()).sync().channel();
        } catch (Exception e) {
            // The port is taken (Netty rethrows the BindException unchecked): let the threads and the data dir go,
            // so that this process can still open the directory on another port.
            boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            store.close();
            throw e;
        }
    }

    public static UnderpassServer start(ServerConfig config) {
        long idle = Long.getLong("underpass.idle-timeout-seconds", DEFAULT_IDLE_TIMEOUT.toSeconds());
        if (idle < 1) {
            throw new IllegalArgumentException("underpass.idle-timeout-seconds must be at least 1, got " + idle);
        }
        return start(config, Duration.ofSeconds(idle));
    }

    /** Starts a server that closes connections idle for {@code idleTimeout}. */
    static UnderpassServer start(ServerConfig config, Duration idleTimeout) {
        try {
            UnderpassServer server = new UnderpassServer(config, idleTimeout);
            long sinceJvmStart = System.currentTimeMillis()
                    - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
            LOG.info("underpass {} listening on http://{}:{} (store: {}; ready {} ms after JVM start)",
                    Version.get(), config.host(), server.port(), server.store.describe(), sinceJvmStart);
            return server;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public String endpoint() {
        return "http://" + config.host() + ":" + port();
    }

    public ServerConfig config() {
        return config;
    }

    public Store store() {
        return store;
    }

    public Ec2Api ec2() {
        return ec2;
    }

    public Elbv2Api elbv2() {
        return elbv2;
    }

    public StsApi sts() {
        return sts;
    }

    public SsmApi ssm() {
        return ssm;
    }

    public OrganizationsApi organizations() {
        return organizations;
    }

    public RamApi ram() {
        return ram;
    }

    /**
     * Starts the loopback data plane (docs/dataplane.md): listeners on 127.0.0.0/8 for NLB nodes and interface
     * endpoints, and real health checks, which DescribeTargetHealth then reports. Idempotent.
     */
    public synchronized dev.underpass.dataplane.DataPlane startDataPlane() {
        if (dataPlane == null) {
            dataPlane = dev.underpass.dataplane.DataPlane.start(store::world, store.clock(),
                    new dev.underpass.dataplane.DataPlane.Settings(Duration.ZERO,
                            config.ec2().instanceTransition(), Duration.ofMillis(100)));
            elbv2.healthSource(dataPlane);
            dev.underpass.dataplane.DataPlane dp = dataPlane;
            flowLogs = new dev.underpass.dataplane.FlowLogWriter(store::world, dp::addresses,
                    config.dataDir() == null ? null : config.dataDir().resolve("flow-logs"));
            dp.recordFlowsWith(flowLogs);
        }
        return dataPlane;
    }

    /** The flow-log writer of the data plane, or null when the data plane is off. */
    public dev.underpass.dataplane.FlowLogWriter flowLogs() {
        return flowLogs;
    }

    /**
     * Starts the AWS service endpoints (docs/service-endpoints.md) on the data plane, which it starts if needed: a
     * policy-enforcing proxy to each upstream on the service's addresses, and the service's names in the data
     * plane's DNS. Idempotent (the first settings win).
     */
    public synchronized dev.underpass.dataplane.service.ServiceEndpoints startServiceEndpoints(
            dev.underpass.dataplane.service.ServiceEndpoints.Settings settings) {
        if (serviceEndpoints == null) {
            dev.underpass.dataplane.DataPlane dp = startDataPlane();
            dev.underpass.aws.auth.Authenticator keys = new dev.underpass.aws.auth.Authenticator(store,
                    config.accessKeys(), config.accessKeySecrets(), config.defaultRegion());
            serviceEndpoints = dev.underpass.dataplane.service.ServiceEndpoints.start(store::world, store.clock(),
                    dp::addresses, settings, keys::identify);
            dp.addNames(serviceEndpoints::resolve);
            serviceEndpoints.recordFlowsWith(flowLogs);
        }
        return serviceEndpoints;
    }

    /** The service endpoints, or null when none were started. */
    public dev.underpass.dataplane.service.ServiceEndpoints serviceEndpoints() {
        return serviceEndpoints;
    }

    /** The data plane, or null when it is off. */
    public dev.underpass.dataplane.DataPlane dataPlane() {
        return dataPlane;
    }

    @Override
    public void close() {
        dev.underpass.dataplane.service.ServiceEndpoints se = serviceEndpoints;
        if (se != null) {
            se.close();
        }
        dev.underpass.dataplane.DataPlane dp = dataPlane;
        if (dp != null) {
            elbv2.healthSource(null);
            dp.close();
            flowLogs.close();
        }
        channel.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        // The writer first: it commits what is queued and answers those calls while the connections can still carry
        // the answers (a call arriving meanwhile is refused with ServiceUnavailable).
        store.close();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        accessLog.close();
        LOG.info("underpass stopped");
    }
}
