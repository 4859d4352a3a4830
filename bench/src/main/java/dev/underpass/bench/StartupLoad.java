package dev.underpass.bench;

import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.Caller;
import dev.underpass.model.ec2.Quotas;
import dev.underpass.model.ec2.Subnets;
import dev.underpass.model.ec2.Vpc;
import dev.underpass.model.ec2.Vpcs;
import dev.underpass.store.SqliteBackend;
import dev.underpass.store.Store;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 16, target 5 (start-up): the time {@code ./underpass serve} takes to be ready on a data dir with no
 * resources and with {@code resources} (default 250,000: VPCs, each with its main route table, default network ACL
 * and security group, and ten subnets, in 100 accounts), as the server reports it ("ready N ms after JVM start")
 * and as seen from outside (launch to the log line). The data dir is filled through the store directly, a few
 * hundred records per commit, which is quick; the load time per 10,000 resources is the difference over the count.
 * Each size is started {@code runs} times (default 3) and the best is kept, beside the targets (0.5 s and 2 s).
 *
 * <p>Run: {@code ./mvnw -q -B -pl bench -am package -DskipTests && java -cp
 * "bench/target/lib/*:bench/target/underpass-bench-0.1.0-SNAPSHOT.jar" dev.underpass.bench.StartupLoad [resources]
 * [runs] [repository root]} (defaults 250000, 3 and the current directory). Figures are printed, never asserted.
 */
public final class StartupLoad {
    private static final Pattern READY = Pattern.compile("ready (\\d+) ms after JVM start");

    private StartupLoad() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("fill")) {
            // Fills a data dir once, for repeated "load" runs.
            System.out.println(fill(Path.of(args[2]), Integer.parseInt(args[1])) + " resources");
            return;
        }
        if (args.length == 2 && args[0].equals("load")) {
            // The store's part of a start in this fresh JVM: open the data dir, read it and build the world.
            long t0 = System.nanoTime();
            try (Store store = new Store(new SqliteBackend(Path.of(args[1])), Clock.systemUTC())) {
                System.out.printf(Locale.ROOT, "%d resources loaded in %.0f ms%n", store.world().size(),
                        (System.nanoTime() - t0) / 1e6);
            }
            return;
        }
        int resources = args.length > 0 ? Integer.parseInt(args[0]) : 250_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path root = Path.of(args.length > 2 ? args[2] : ".").toAbsolutePath();
        Path empty = Files.createTempDirectory("underpass-startup-empty");
        Path full = Files.createTempDirectory("underpass-startup-full");
        long t0 = System.nanoTime();
        int made = fill(full, resources);
        System.out.printf(Locale.ROOT, "underpass start-up: ./underpass serve on an empty data dir and on one with %d"
                + " resources (filled in %.1f s), best of %d, %d cores, JDK %s%n", made,
                (System.nanoTime() - t0) / 1e9, runs, Runtime.getRuntime().availableProcessors(), Runtime.version());
        // The launcher builds the jar and its class-data-sharing archive on first use: not part of any start here.
        new ProcessBuilder(root.resolve("underpass").toString(), "--version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        long[] a = best(root, empty, runs);
        long[] b = best(root, full, runs);
        System.out.println(
                "data dir               resources   ready ms (server)   ready ms (launch to log)   CPU ms to ready");
        System.out.printf(Locale.ROOT, "empty                  %9d   %17d   %24d   %15d%n", 0, a[0], a[1], a[2]);
        System.out.printf(Locale.ROOT, "filled                 %9d   %17d   %24d   %15d%n", made, b[0], b[1], b[2]);
        delete(empty);
        delete(full);
        System.out.printf(Locale.ROOT, "load time per 10,000 resources: %.0f ms, CPU %.0f ms (targets: ready < 500 ms "
                + "empty, < 2,000 ms with 250,000)%n", (b[0] - a[0]) * 10_000.0 / made,
                (b[2] - a[2]) * 10_000.0 / made);
        Result.print("16.5 start-up", "ready, empty data dir (best of " + runs + ")", a[0], "ms",
                "target < 500 ms; CPU " + Result.number(a[2]) + " ms", a[0] < 500);
        // The 2 s target is for 250,000 resources; a smaller fill is held to the line between the two targets
        // (500 ms empty, 2,000 ms at 250,000: 6 ms per 1,000 resources).
        double limit = made >= 250_000 ? 2_000 : 500 + 1_500.0 * made / 250_000;
        Result.print("16.5 start-up", "ready, " + made + " resources (best of " + runs + ")", b[0], "ms",
                made >= 250_000 ? "target < 2,000 ms" : "target < 2,000 ms at 250,000; at this size < "
                        + Result.number(limit) + " ms (500 + 6 per 1,000)",
                b[0] < limit);
        Result.info("16.5 start-up", "load time per 10,000 resources", (b[0] - a[0]) * 10_000.0 / made, "ms",
                "CPU " + Result.number((b[2] - a[2]) * 10_000.0 / made) + " ms");
    }

    /** Fills {@code dir} with about {@code target} resources; returns how many there are. */
    private static int fill(Path dir, int target) throws Exception {
        Quotas quotas = Quotas.defaults().with("vpcs-per-region", 1_000_000).with("subnets-per-vpc", 1_000);
        try (Store store = new Store(new SqliteBackend(dir), Clock.systemUTC())) {
            int account = 0;
            while (store.world().size() < target) {
                String id = String.format(Locale.ROOT, "3%011d", account++ % 100);
                store.writeAndWait(Caller.of(id, "us-east-1"), tx -> {
                    for (int v = 0; v < 20; v++) {
                        Vpc vpc = Vpcs.create(tx, quotas, new Vpcs.Create("10.0.0.0/16", null, false,
                                Map.of("Name", "vpc-" + v)));
                        for (int s = 0; s < 10; s++) {
                            Subnets.create(tx, quotas, new Subnets.Create(vpc.vpcId(), "10.0." + s + ".0/24",
                                    "us-east-1a", null, false, false, Map.of("Name", "subnet-" + s)));
                        }
                    }
                    return null;
                });
            }
            return store.world().size();
        }
    }

    private static void delete(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** {server-reported ready ms, launch-to-log ms}, each the best of {@code runs}. */
    private static long[] best(Path root, Path dataDir, int runs) throws Exception {
        long[] best = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
        for (int i = 0; i < runs; i++) {
            long[] r = start(root, dataDir);
            for (int k = 0; k < best.length; k++) {
                best[k] = Math.min(best[k], r[k]);
            }
        }
        return best;
    }

    private static long[] start(Path root, Path dataDir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of(root.resolve("underpass").toString(), "serve", "--port",
                String.valueOf(port), "--data-dir", dataDir.toString()));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                Matcher m = READY.matcher(line);
                if (m.find()) {
                    long outside = (System.nanoTime() - t0) / 1_000_000;
                    // CPU the server's JVM used until ready, all threads: less sensitive to a busy machine.
                    long cpu = p.toHandle().info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L);
                    return new long[] {Long.parseLong(m.group(1)), outside, cpu};
                }
            }
            throw new IOException("the server ended without reporting it was ready");
        } finally {
            p.destroy();
            p.waitFor();
        }
    }
}
