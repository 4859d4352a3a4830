package dev.underpass.bench;

import dev.underpass.model.ec2.VpcCidrAssociationId;
import dev.underpass.model.ec2.DhcpOptionsId;
import dev.underpass.aws.ec2.Ec2Api;
import dev.underpass.model.Resource;
import dev.underpass.model.ec2.CidrAssociationState;
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
 * Durable writes against the disk's own limit (issue 16, target 1). It measures, in the data directory's file
 * system, how many 4 KiB overwrite + {@code fdatasync} rounds the disk does per second: the ceiling of any store that
 * acknowledges a write only once it is on disk and commits one write per sync. Then, on the same file system:
 * <ol>
 *   <li>the SQLite backend alone, one-resource commits back to back (what the store pays per commit, no HTTP);</li>
 *   <li>{@code CreateTags} over HTTP on one keep-alive connection (each call waits for its own commit);</li>
 *   <li>the same on eight connections (group commit lets one sync cover several calls).</li>
 * </ol>
 * With {@code -Dunderpass.inlineCommit=false} the servers' stores hand every call to their writer thread (the
 * default commits on the caller's thread when the store is idle).
 *
 * <p>{@code DurableWriteLoad versus SECONDS DIR} runs CreateTags (1 and 8 connections) against two servers in one
 * process, one per commit path, in alternating slices, with the process's CPU per request; {@code DurableWriteLoad
 * store SECONDS DIR} the same on {@code Store.writeAndWait} without HTTP. Beware: run with
 * {@code -Dunderpass.inlineCommit=false} (both servers on the writer thread, an A/A test) the two slots differed by
 * up to 40% (1 connection) and 75% (8 connections) on the loaded machine, so one run of either says little.
 * Each workload runs in 1 s slices alternating with 1 s of the sync probe, so that both see the same disk (on a shared
 * machine the probe alone can swing tenfold within minutes); each line prints the workload's rate, the probe's rate
 * over its slices and their ratio. {@code DurableWriteLoad commits N DIR} makes N backend commits and nothing else,
 * for counting system calls per commit with {@code strace -f -c}. {@code DurableWriteLoad interleaved SECONDS DIR}
 * times a backend commit against the probe and against the writes it is made of, operation by operation
 * ({@link #interleaved}): the figure to trust when the disk's speed swings.
 *
 * <p>Run: {@code ./mvnw -q -B -pl bench -am package -DskipTests && java -cp "bench/target/lib/*:bench/target/underpass-bench-0.1.0-SNAPSHOT.jar" dev.underpass.bench.DurableWriteLoad [seconds] [dir]}
 */
public final class DurableWriteLoad {
    private DurableWriteLoad() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("commits")) {
            // A fixed number of one-resource commits, to count system calls per commit under strace -c -f.
            int n = Integer.parseInt(args[1]);
            Path dir = Files.createTempDirectory(Path.of(args[2]), "underpass-commits");
            try (SqliteBackend backend = new SqliteBackend(dir.resolve("backend"))) {
                long[] version = {backend.version()};
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    commitOne(backend, version);
                }
                System.out.printf(Locale.ROOT, "%d commits in %.0f ms%n", n, (System.nanoTime() - start) / 1e6);
            }
            deleteTree(dir);
            return;
        }
        if (args.length == 3 && args[0].equals("interleaved")) {
            Path dir = Files.createTempDirectory(Path.of(args[2]), "underpass-interleaved");
            interleaved(Integer.parseInt(args[1]), dir);
            deleteTree(dir);
            return;
        }
        if (args.length == 3 && args[0].equals("store")) {
            // Store.writeAndWait in a loop on one thread, no HTTP: inline commits against the writer thread.
            storeVersus(Integer.parseInt(args[1]), Files.createTempDirectory(Path.of(args[2]), "underpass-store"));
            return;
        }
        if (args.length == 3 && args[0].equals("versus")) {
            // Only the A/B of inline commits against the writer thread.
            int seconds = Integer.parseInt(args[1]);
            Path dir = Files.createTempDirectory(Path.of(args[2]), "underpass-versus");
            Quotas quotas = Quotas.defaults().with("vpcs-per-region", 100);
            versus(ServerConfig.forTests().withEc2(new Ec2Api.Settings(Duration.ZERO, true, quotas)), dir, seconds,
                    dir.resolve("probe"));
            deleteTree(dir);
            return;
        }
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path base = args.length > 1 ? Path.of(args[1]) : Path.of(System.getProperty("java.io.tmpdir"));
        Path dir = Files.createTempDirectory(base, "underpass-durable");
        Path probe = dir.resolve("probe");
        System.out.printf(Locale.ROOT, "durable writes in %s, %d s per run, %d cores, JDK %s%n", dir, seconds,
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        System.out.println(
                "Each run alternates 1 s slices of the workload with 1 s of the fdatasync probe, so that both");
        System.out.println("see the same disk load; the ratio is of the two sums.");
        System.out.println("workload                                   rate/s  fdatasync/s   ratio");
        double[] fsync = paired("fsync (4 KiB overwrite)", probe, seconds,
                s -> syncRate(dir.resolve("fsync"), s, true));
        Result.info("16.1 durable writes", "fdatasync probe (4 KiB overwrite), this file system", fsync[1], "/s",
                "the machine's own reference for the rows below");
        double[] backend;
        try (SqliteBackend sqlite = new SqliteBackend(dir.resolve("backend"))) {
            long[] version = {sqlite.version()};
            backend = paired("SqliteBackend.commit, 1 resource", probe, seconds, s -> backendRate(sqlite, version, s));
        }
        Result.info("16.1 durable writes", "SqliteBackend.commit alone, 1 resource", backend[0], "/s",
                Result.percent(backend[0], backend[1]) + " of fdatasync " + Result.number(backend[1]) + "/s");
        Quotas quotas = Quotas.defaults().with("vpcs-per-region", 100);
        ServerConfig memory = ServerConfig.forTests().withEc2(new Ec2Api.Settings(Duration.ZERO, true, quotas));
        double[][] mem = tags("in memory (no store)", memory, new int[] {1}, seconds, probe);
        double[][] durable = tags("durable", memory.withDataDir(dir.resolve("server")), new int[] {1, 8}, seconds,
                probe);
        deleteTree(dir);
        double[] one = durable[0];
        double[] eight = durable[1];
        Result.print("16.1 durable writes", "CreateTags durable, 1 conn", one[0], "req/s",
                Result.percent(one[0], one[1]) + " of fdatasync " + Result.number(one[1]) + "/s; target >= 50%",
                one[0] >= 0.5 * one[1]);
        Result.print("16.1 durable writes", "CreateTags durable, 8 conns", eight[0], "req/s",
                Result.percent(eight[0], eight[1]) + " of fdatasync " + Result.number(eight[1])
                        + "/s; group commit keeps scaling: target >= 2x 1 conn (" + Result.number(2 * one[0]) + ")",
                eight[0] >= 2 * one[0]);
        // The issue's closing line: "We intend to lead on every row" (floci keeps its state in memory).
        Result.print("16 vs floci", "CreateTags in memory, 1 conn", mem[0][0], "req/s",
                Result.FLOCI + " in memory 3.7-4.8k; lead", mem[0][0] > 4_800);
    }

    /**
     * CreateTags on the old path, each call handed to the store's writer thread (-Dunderpass.inlineCommit=false),
     * against the default, in slices alternating with the default's so that both see the same machine.
     */
    private static void versus(ServerConfig memory, Path dir, int seconds, Path probe) throws Exception {
        String before = System.getProperty("underpass.inlineCommit");
        System.setProperty("underpass.inlineCommit", "false");
        try (UnderpassServer queued = UnderpassServer.start(memory.withDataDir(dir.resolve("queued")))) {
            restoreProperty("underpass.inlineCommit", before);
            try (UnderpassServer inline = UnderpassServer.start(memory.withDataDir(dir.resolve("inline")))) {
                for (int conns : new int[] {1, 8}) {
                    versus(conns, inline, queued, seconds, probe);
                }
            }
        } finally {
            restoreProperty("underpass.inlineCommit", before);
        }
    }

    private static void storeVersus(int seconds, Path dir) throws Exception {
        String before = System.getProperty("underpass.inlineCommit");
        dev.underpass.store.Store[] stores = new dev.underpass.store.Store[2];
        System.setProperty("underpass.inlineCommit", "true");
        java.time.Clock utc = java.time.Clock.systemUTC();
        stores[0] = new dev.underpass.store.Store(new SqliteBackend(dir.resolve("inline")), utc);
        System.setProperty("underpass.inlineCommit", "false");
        stores[1] = new dev.underpass.store.Store(new SqliteBackend(dir.resolve("queued")), utc);
        restoreProperty("underpass.inlineCommit", before);
        dev.underpass.model.Caller caller = dev.underpass.model.Caller.of("123456789012", "us-east-1");
        double[] done = new double[2];
        double[] syncs = new double[2];
        for (int s = -2; s < seconds; s++) { // two rounds of warm-up
            for (int k = 0; k < 2; k++) {
                int i = (k + s + 2) % 2;
                double sync = syncRate(dir.resolve("probe"), 1);
                long end = System.nanoTime() + 1_000_000_000L;
                long start = System.nanoTime();
                long n = 0;
                while (System.nanoTime() < end) {
                    long v = n++;
                    stores[i].writeAndWait(caller, tx -> tx.put(dev.underpass.model.AccountRegion.of("123456789012",
                            "us-east-1", Instant.ofEpochSecond(v))));
                }
                if (s >= 0) {
                    done[i] += n / ((System.nanoTime() - start) / 1e9);
                    syncs[i] += sync;
                }
            }
        }
        String[] labels = {"Store.write, inline when idle", "Store.write, writer thread only"};
        for (int i = 0; i < 2; i++) {
            System.out.printf(Locale.ROOT, "%-40s %8.0f %12.0f   %5.0f%%%n", labels[i], done[i] / seconds,
                    syncs[i] / seconds, 100 * done[i] / syncs[i]);
            stores[i].close();
        }
        deleteTree(dir);
    }

    /** One timed operation of {@link #interleaved}; {@code n} counts the rounds. */
    private interface Op {
        void run(long n) throws IOException;
    }

    /**
     * What one backend commit costs the disk against the probe, robust to a disk whose speed swings from one second
     * to the next: the operations run one after another in a shuffled order, round after round, each timed alone, so
     * that all of them see the same disk; the median of each, and the median over the rounds of its time divided by
     * the probe's in the same round. The operations: the probe (4 KiB overwrite + {@code fdatasync}); the same with
     * {@code fsync}, which SQLite calls; the two WAL frames a one-resource commit writes (24-byte header + 4 KiB page,
     * twice, going round a 4 MB file as the WAL does after its first checkpoint) + {@code fsync}; and
     * {@code SqliteBackend.commit} of one resource, as configured and with {@code -Dunderpass.sqliteExclusive=false}.
     */
    private static void interleaved(int seconds, Path dir) throws Exception {
        ByteBuffer page = ByteBuffer.allocateDirect(4096);
        ByteBuffer frame = ByteBuffer.allocateDirect(4096 + 24);
        List<FileChannel> files = new java.util.ArrayList<>();
        for (String name : List.of("probe", "fsync", "frames")) {
            FileChannel ch = FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
            for (int k = 0; k < 5; k++) { // written, not sparse: the timed writes overwrite allocated blocks
                ch.write(zeros.clear(), (long) k << 20);
            }
            ch.force(true);
            files.add(ch);
        }
        long frames = 2L * frame.capacity();
        String[] names = {"probe: 4 KiB overwrite + fdatasync", "4 KiB overwrite + fsync",
            "2 WAL frames (2 x 4,120 B) + fsync", "SqliteBackend.commit, 1 resource",
            "the same, sqliteExclusive=false"};
        String before = System.getProperty("underpass.sqliteExclusive");
        System.setProperty("underpass.sqliteExclusive", "false");
        SqliteBackend shared = new SqliteBackend(dir.resolve("shared"));
        restoreProperty("underpass.sqliteExclusive", before);
        try (SqliteBackend backend = new SqliteBackend(dir.resolve("backend")); shared) {
            long[] version = {backend.version()};
            long[] sharedVersion = {shared.version()};
            Op[] ops = {
                n -> {
                    files.get(0).write(page.clear(), 0);
                    files.get(0).force(false);
                },
                n -> {
                    files.get(1).write(page.clear(), 0);
                    files.get(1).force(true);
                },
                n -> {
                    long at = 32 + (n % 500) * frames;
                    files.get(2).write(frame.clear(), at);
                    files.get(2).write(frame.clear(), at + frame.capacity());
                    files.get(2).force(true);
                },
                n -> commitOne(backend, version),
                n -> commitOne(shared, sharedVersion),
            };
            for (int n = 0; n < 1_200; n++) { // warm-up: past the WAL's first pass, where it grows
                for (Op op : ops) {
                    op.run(n);
                }
            }
            List<long[]> rounds = new java.util.ArrayList<>();
            List<Integer> order = new java.util.ArrayList<>(List.of(0, 1, 2, 3, 4));
            java.util.Random random = new java.util.Random(16);
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            for (long n = 0; System.nanoTime() < end; n++) {
                long[] took = new long[ops.length];
                java.util.Collections.shuffle(order, random);
                for (int i : order) {
                    long start = System.nanoTime();
                    ops[i].run(n);
                    took[i] = System.nanoTime() - start;
                }
                rounds.add(took);
            }
            System.out.printf(Locale.ROOT, "%d rounds in %d s; per operation: median [25th-75th percentile], and the%n"
                    + "median over the rounds of its time / the probe's in the same round%n", rounds.size(), seconds);
            for (int i = 0; i < ops.length; i++) {
                int op = i;
                double[] us = rounds.stream().mapToDouble(r -> r[op] / 1e3).sorted().toArray();
                double[] ratio = rounds.stream().mapToDouble(r -> (double) r[op] / r[0]).sorted().toArray();
                System.out.printf(Locale.ROOT, "%-40s %7.1f us [%6.1f-%6.1f]   x %.2f%n", names[i], us[us.length / 2],
                        us[us.length / 4], us[3 * us.length / 4], ratio[ratio.length / 2]);
            }
        } finally {
            for (FileChannel ch : files) {
                ch.close();
            }
        }
    }

    private static void restoreProperty(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }

    /**
     * CreateTags on {@code conns} connections against two durable servers, the default one and one whose writes all
     * go through the writer thread, in alternating 1 s slices, each after 1 s of the probe.
     */
    private static void versus(int conns, UnderpassServer inline, UnderpassServer queued, int seconds, Path probe)
            throws Exception {
        String account = "123456789012";
        String[] vpcs = new String[2];
        UnderpassServer[] servers = {inline, queued};
        for (int i = 0; i < 2; i++) {
            vpcs[i] = HttpLoad.vpcOf(HttpLoad.call(servers[i].port(), account,
                    "Action=CreateVpc&Version=2016-11-15&CidrBlock=10.9.0.0%2F16"));
        }
        double[] syncs = new double[2];
        double[] done = new double[2];
        int[] errors = new int[2];
        double[] cpuNanos = new double[2];
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        for (int w = 0; w < 2; w++) { // Warm-up, not counted: both paths compiled before the first slice.
            for (int i = 0; i < 2; i++) {
                int port = servers[i].port();
                String vpc = vpcs[i];
                HttpLoad.rate(port, conns, 1, conn -> n -> HttpLoad.request(port, account,
                        "Action=CreateTags&Version=2016-11-15&ResourceId.1=" + vpc + "&Tag.1.Key=w" + conn
                                + "&Tag.1.Value=v" + n));
            }
        }
        for (int s = 0; s < seconds; s++) {
            for (int k = 0; k < 2; k++) {
                int i = (k + s) % 2; // Each goes first in every other round.
                int port = servers[i].port();
                String vpc = vpcs[i];
                syncs[i] += syncRate(probe, 1);
                long cpu = os.getProcessCpuTime();
                done[i] += HttpLoad.rate(port, conns, 1, conn -> n -> HttpLoad.request(port, account,
                        "Action=CreateTags&Version=2016-11-15&ResourceId.1=" + vpc + "&Tag.1.Key=k" + conn
                                + "&Tag.1.Value=v" + n));
                cpuNanos[i] += os.getProcessCpuTime() - cpu;
                errors[i] += HttpLoad.lastErrors;
            }
        }
        String[] labels = {"inline when idle", "writer thread only"};
        for (int i = 0; i < 2; i++) {
            // CPU of the whole process (client threads included) per request: less at the mercy of other load.
            System.out.printf(Locale.ROOT, "%-40s %8.0f %12.0f   %5.0f%%   %5.0f us CPU/request%n", "CreateTags, "
                    + conns + " conn" + (conns == 1 ? ", " : "s, ") + labels[i], done[i] / seconds,
                    syncs[i] / seconds, 100 * done[i] / syncs[i], cpuNanos[i] / 1e3 / Math.max(1, done[i]));
            if (errors[i] > 0) {
                System.out.println("  (" + errors[i] + " failed requests, not counted)");
            }
        }
    }

    /** A workload measured for a number of seconds, returning its rate. */
    interface Slice {
        double run(int seconds) throws Exception;
    }

    /**
     * Alternates one-second slices of {@code work} and of the fdatasync probe; prints both mean rates and returns
     * them: {workload/s, fdatasync/s}.
     */
    private static double[] paired(String name, Path probe, int seconds, Slice work) throws Exception {
        double syncs = 0;
        double done = 0;
        for (int i = 0; i < seconds; i++) {
            syncs += syncRate(probe, 1);
            done += work.run(1);
        }
        System.out.printf(Locale.ROOT, "%-40s %8.0f %12.0f   %5.0f%%%n", name, done / seconds, syncs / seconds,
                100 * done / syncs);
        return new double[] {done / seconds, syncs / seconds};
    }

    /** CreateTags on one VPC, closed loop on each of {@code connections} keep-alive connections. */
    private static double[][] tags(String label, ServerConfig config, int[] connections, int seconds, Path probe)
            throws Exception {
        double[][] rates = new double[connections.length][];
        try (UnderpassServer server = UnderpassServer.start(config)) {
            int port = server.port();
            String account = "123456789012";
            String vpc = HttpLoad.vpcOf(HttpLoad.call(port, account,
                    "Action=CreateVpc&Version=2016-11-15&CidrBlock=10.9.0.0%2F16"));
            for (int i = 0; i < connections.length; i++) {
                int conns = connections[i];
                rates[i] =
                        paired("CreateTags, " + conns + " conn" + (conns == 1 ? ", " : "s, ") + label, probe, seconds,
                                s -> HttpLoad.rate(port, conns, s, conn -> n -> HttpLoad.request(port, account,
                                        "Action=CreateTags&Version=2016-11-15&ResourceId.1=" + vpc + "&Tag.1.Key=k"
                                                + conn
                                                + "&Tag.1.Value=v" + n)));
            }
        }
        return rates;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
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

    /** One-resource commits straight into a SQLite backend, for {@code seconds}. */
    static double backendRate(SqliteBackend backend, long[] version, int seconds) {
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        long start = System.nanoTime();
        long n = 0;
        while (System.nanoTime() < end) {
            commitOne(backend, version);
            n++;
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    private static void commitOne(SqliteBackend backend, long[] version) {
        Resource r = new Vpc("vpc-0123456789abcdef0", "123456789012", "us-east-1", "10.0.0.0/16",
                List.of(new Vpc.CidrAssociation(VpcCidrAssociationId.of("vpc-cidr-assoc-0123456789abcdef0"),
                        "10.0.0.0/16",
                        CidrAssociationState.ASSOCIATED)),
                DhcpOptionsId.of("default"), "default", false, true, false, Instant.now(), Map.of("Name", "bench"));
        backend.commit(version[0]++, List.of(r), List.of());
    }
}
