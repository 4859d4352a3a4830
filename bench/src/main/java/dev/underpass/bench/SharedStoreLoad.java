package dev.underpass.bench;

import dev.underpass.aws.ec2.Ec2Api;
import dev.underpass.model.ec2.Quotas;
import dev.underpass.server.ServerConfig;
import dev.underpass.server.UnderpassServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Write and read throughput of SQLite (one node) beside PostgreSQL with one and with two nodes on one database
 * (issue 17). Writes: {@code CreateTags} on one VPC, each call a durable commit; reads: {@code DescribeVpcs}. Eight
 * closed-loop keep-alive connections in each row; with two nodes, four on each, all writing to the same VPC (so the
 * nodes' commits contend for the same world version). PostgreSQL is an embedded one on this machine unless a URL is
 * given. Both stores are warmed up first (unprinted), so that no row pays for the JVM's warm-up.
 *
 * <p>Run: {@code ./mvnw -q -B -pl bench -am package -DskipTests && java -cp "bench/target/lib/*:bench/target/underpass-bench-0.1.0-SNAPSHOT.jar" dev.underpass.bench.SharedStoreLoad [seconds] [postgresql://user:pass@host:port/db]}
 * (a given database must be empty).
 */
public final class SharedStoreLoad {
    private static final String ACCOUNT = "123456789012";
    private static final int CONNECTIONS = 8;

    private SharedStoreLoad() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        EmbeddedPostgres embedded = null;
        String url;
        String warmUpUrl = null;
        if (args.length > 1) {
            url = args[1];
        } else {
            embedded = EmbeddedPostgres.builder().start();
            try (Connection c = embedded.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE bench");
            }
            url = "postgresql://postgres:postgres@127.0.0.1:" + embedded.getPort() + "/bench";
            warmUpUrl = "postgresql://postgres:postgres@127.0.0.1:" + embedded.getPort() + "/warmup";
            try (Connection c = embedded.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE warmup");
            }
        }
        try {
            Quotas quotas = Quotas.defaults().with("vpcs-per-region", 100);
            ServerConfig base = ServerConfig.forTests().withEc2(new Ec2Api.Settings(Duration.ZERO, true, quotas));
            Path dir = Files.createTempDirectory("underpass-shared-bench");
            System.out.printf(Locale.ROOT, "%d s per run, %d connections, %d cores, JDK %s%n", seconds, CONNECTIONS,
                    Runtime.getRuntime().availableProcessors(), Runtime.version());
            // The first row would otherwise run on a cold JVM (interpreted HTTP and JSON code) and look slow for
            // reasons that have nothing to do with its store: warm both stores up first, on their own data, unprinted.
            int warmUp = Math.min(seconds, 3);
            row(null, List.of(base.withDataDir(Files.createTempDirectory("underpass-shared-bench-warmup"))), warmUp);
            if (warmUpUrl != null) {
                row(null, List.of(base.withStoreUrl(warmUpUrl)), warmUp);
            }
            System.out.println("store                      writes/s (CreateTags)   reads/s (DescribeVpcs)");
            row("SQLite, 1 node", List.of(base.withDataDir(dir)), seconds);
            row("PostgreSQL, 1 node", List.of(base.withStoreUrl(url)), seconds);
            row("PostgreSQL, 2 nodes", List.of(base.withStoreUrl(url), base.withStoreUrl(url)), seconds);
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** Runs the writes and then the reads on {@code configs}' nodes and prints the rates, unless {@code label} is null. */
    private static void row(String label, List<ServerConfig> configs, int seconds) throws Exception {
        List<UnderpassServer> nodes = new ArrayList<>();
        try {
            for (ServerConfig config : configs) {
                nodes.add(UnderpassServer.start(config));
            }
            String vpc = HttpLoad.vpcOf(HttpLoad.call(nodes.get(0).port(), ACCOUNT,
                    "Action=CreateVpc&Version=2016-11-15&CidrBlock=10.9.0.0%2F16"));
            Thread.sleep(500); // Let the other node see the VPC.
            double writes = across(nodes, seconds, (port, conn) -> n -> HttpLoad.request(port, ACCOUNT,
                    "Action=CreateTags&Version=2016-11-15&ResourceId.1=" + vpc + "&Tag.1.Key=k" + conn
                            + "&Tag.1.Value=v" + n));
            double reads = across(nodes, seconds, (port, conn) -> n -> HttpLoad.request(port, ACCOUNT,
                    "Action=DescribeVpcs&Version=2016-11-15"));
            if (label != null) {
                System.out.printf(Locale.ROOT, "%-26s %12.0f %24.0f%n", label, writes, reads);
            }
            HttpLoad.call(nodes.get(0).port(), ACCOUNT, "Action=DeleteVpc&Version=2016-11-15&VpcId=" + vpc);
        } finally {
            nodes.forEach(UnderpassServer::close);
        }
    }

    /** A request source per connection of one node. */
    private interface Requests {
        java.util.function.IntFunction<byte[]> of(int port, int connection);
    }

    /** The summed rate of all nodes, the connections split evenly among them, all running at once. */
    private static double across(List<UnderpassServer> nodes, int seconds, Requests requests) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
        try {
            List<Future<Double>> rates = new ArrayList<>();
            for (UnderpassServer node : nodes) {
                int port = node.port();
                rates.add(pool.submit(() -> HttpLoad.rate(port, CONNECTIONS / nodes.size(), seconds,
                        conn -> requests.of(port, conn))));
            }
            double sum = 0;
            for (Future<Double> rate : rates) {
                sum += rate.get();
            }
            return sum;
        } finally {
            pool.shutdown();
        }
    }
}
