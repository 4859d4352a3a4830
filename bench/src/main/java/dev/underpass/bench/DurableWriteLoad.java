package dev.underpass.bench;

import dev.underpass.aws.ec2.Ec2Api;
import dev.underpass.model.Resource;
import dev.underpass.model.ec2.Quotas;
import dev.underpass.model.ec2.Vpc;
import dev.underpass.server.ServerConfig;
import dev.underpass.server.UnderpassServer;
import dev.underpass.store.SqliteBackend;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Durable writes against the disk's own limit (issue 16, target 1). It first measures, in the data directory's file
 * system, how many 4 KiB overwrite + {@code fdatasync} rounds the disk does per second: the ceiling of any store that
 * acknowledges a write only once it is on disk and commits one write per sync. Then, on the same file system:
 * <ol>
 *   <li>the SQLite backend alone, one-resource commits back to back (what the store pays per commit, no HTTP);</li>
 *   <li>{@code CreateTags} over HTTP on one keep-alive connection (each call waits for its own commit);</li>
 *   <li>the same on eight connections (group commit lets one sync cover several calls).</li>
 * </ol>
 * Each line prints its rate and the ratio to the measured sync rate.
 *
 * <p>Run: {@code ./mvnw -q -B -pl bench -am package -DskipTests && java -cp "bench/target/lib/*:bench/target/underpass-bench-0.1.0-SNAPSHOT.jar" dev.underpass.bench.DurableWriteLoad [seconds] [dir]}
 */
public final class DurableWriteLoad {
    private DurableWriteLoad() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path base = args.length > 1 ? Path.of(args[1]) : Path.of(System.getProperty("java.io.tmpdir"));
        Path dir = Files.createTempDirectory(base, "underpass-durable");
        double syncs = syncRate(dir.resolve("probe"), seconds);
        System.out.printf(Locale.ROOT, "durable writes in %s, %d s per run, %d cores, JDK %s%n", dir, seconds,
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        System.out.println("workload                                   rate/s   vs fdatasync");
        line("fdatasync (4 KiB overwrite)", syncs, syncs);
        line("fsync (4 KiB overwrite)", syncRate(dir.resolve("probe"), seconds, true), syncs);
        line("SqliteBackend.commit, 1 resource", backendRate(dir.resolve("backend"), seconds), syncs);
        Quotas quotas = Quotas.defaults().with("vpcs-per-region", 100);
        ServerConfig memory = ServerConfig.forTests().withEc2(new Ec2Api.Settings(Duration.ZERO, true, quotas));
        tags("in memory (no store)", memory, new int[] {1}, seconds, syncs);
        tags("durable", memory.withDataDir(dir.resolve("server")), new int[] {1, 8}, seconds, syncs);
    }

    /** CreateTags on one VPC, closed loop on each of {@code connections} keep-alive connections. */
    private static void tags(String label, ServerConfig config, int[] connections, int seconds, double syncs)
            throws Exception {
        try (UnderpassServer server = UnderpassServer.start(config)) {
            int port = server.port();
            String account = "123456789012";
            String vpc = HttpLoad.vpcOf(HttpLoad.call(port, account,
                    "Action=CreateVpc&Version=2016-11-15&CidrBlock=10.9.0.0%2F16"));
            for (int conns : connections) {
                double rate = HttpLoad.rate(port, conns, seconds, conn -> n -> HttpLoad.request(port, account,
                        "Action=CreateTags&Version=2016-11-15&ResourceId.1=" + vpc + "&Tag.1.Key=k" + conn
                                + "&Tag.1.Value=v" + n));
                line("CreateTags, " + conns + " conn" + (conns == 1 ? ", " : "s, ") + label, rate, syncs);
            }
        }
    }

    private static void line(String name, double rate, double syncs) {
        System.out.printf(Locale.ROOT, "%-40s %8.0f   %5.0f%%%n", name, rate, 100 * rate / syncs);
    }

    /** Overwrites the first 4 KiB of a file and fdatasyncs it, as fast as the disk allows. */
    static double syncRate(Path file, int seconds) throws IOException {
        return syncRate(file, seconds, false);
    }

    /** The same with {@code fsync} (metadata too) when {@code metadata}. */
    static double syncRate(Path file, int seconds, boolean metadata) throws IOException {
        ByteBuffer page = ByteBuffer.allocateDirect(4096);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            ch.write(page.duplicate(), 0);
            ch.force(true);
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            long start = System.nanoTime();
            long n = 0;
            while (System.nanoTime() < end) {
                page.putLong(0, n);
                ch.write(page.duplicate(), 0);
                ch.force(metadata);
                n++;
            }
            return n / ((System.nanoTime() - start) / 1e9);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** One-resource commits straight into a SQLite backend. */
    static double backendRate(Path dir, int seconds) {
        try (SqliteBackend backend = new SqliteBackend(dir)) {
            Resource r = new Vpc("vpc-0123456789abcdef0", "123456789012", "us-east-1", "10.0.0.0/16",
                    List.of(new Vpc.CidrAssociation("vpc-cidr-assoc-0123456789abcdef0", "10.0.0.0/16", "associated")),
                    "default", "default", false, true, false, Instant.now(), Map.of("Name", "bench"));
            long version = backend.version();
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            long start = System.nanoTime();
            long n = 0;
            while (System.nanoTime() < end) {
                backend.commit(version++, List.of(r), List.of());
                n++;
            }
            return n / ((System.nanoTime() - start) / 1e9);
        }
    }
}
