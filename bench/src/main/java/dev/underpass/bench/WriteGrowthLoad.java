package dev.underpass.bench;

import dev.underpass.model.ec2.Quotas;
import dev.underpass.server.ServerConfig;
import dev.underpass.server.UnderpassServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Write throughput as the store grows: 8 keep-alive connections create VPCs (each a VPC, its default security group,
 * main route table and default network ACL: four resources, one durable commit per call, group-committed) for 200
 * accounts in two regions, against an in-process server on a fresh SQLite data directory, until the store holds
 * {@code target} resources. Prints the rate of each step of 4,000 creates beside the store's size, so a per-write
 * cost that grows with the store shows as a falling rate.
 *
 * <p>Run: {@code ./mvnw -q -B -pl bench -am package -DskipTests && java -cp
 * "bench/target/lib/*:bench/target/underpass-bench-0.1.0-SNAPSHOT.jar" dev.underpass.bench.WriteGrowthLoad [target]
 * [data-dir-parent | :memory:]} (default 64,000 resources, a durable store in the temporary directory). Figures are
 * printed, never asserted.
 */
public final class WriteGrowthLoad {
    private static final int CONNECTIONS = 8;
    private static final int STEP = 4_000;

    private WriteGrowthLoad() {}

    public static void main(String[] args) throws Exception {
        int target = Loads.arg(args, 0, 64_000);
        boolean memory = args.length > 1 && args[1].equals(":memory:");
        Quotas quotas = Quotas.defaults().with("vpcs-per-region", 1_000_000);
        ServerConfig config = Loads.instant(quotas);
        Path dir = null;
        if (!memory) {
            dir = args.length > 1 ? Files.createTempDirectory(Path.of(args[1]), "underpass-growth")
                    : Files.createTempDirectory("underpass-growth");
            config = config.withDataDir(dir);
        }
        try (UnderpassServer server = UnderpassServer.start(config)) {
            int port = server.port();
            System.out.printf(Locale.ROOT, "underpass write growth (%s store), %d connections, %d cores, JDK %s%n",
                    memory ? "in-memory" : "durable", CONNECTIONS, Runtime.getRuntime().availableProcessors(),
                    Runtime.version());
            System.out.println("resources   creates/s");
            AtomicInteger counter = new AtomicInteger();
            List<Double> rates = new ArrayList<>();
            while (server.store().world().size() < target) {
                int before = server.store().world().size();
                double rate = step(port, counter);
                rates.add(rate);
                System.out.printf(Locale.ROOT, "%9d %11.0f%n", before, rate);
            }
            // The first step also warms the JIT up: "empty" is the better of the first two, "full" the last two's mean.
            if (rates.size() >= 4) {
                double empty = Math.max(rates.get(0), rates.get(1));
                double full = (rates.get(rates.size() - 1) + rates.get(rates.size() - 2)) / 2;
                System.out.printf(Locale.ROOT, "write throughput near empty %.0f/s, at %d resources %.0f/s: ratio %.2f"
                        + " (target: at most 1.3)%n", empty, server.store().world().size(), full, empty / full);
                Result.print("16.2 no growth", "CreateVpc (durable, 8 conns) at " + server.store().world().size()
                        + " resources", full, "/s",
                        "near empty " + Result.number(empty) + "/s, ratio "
                                + Result.number(empty / full) + "; target ratio <= 1.3",
                        empty / full <= 1.3);
            } else {
                throw new IllegalStateException("too few steps to compare: raise the target size");
            }
        } finally {
            if (dir != null) {
                SeedLoad.deleteTree(dir);
            }
        }
    }

    /** {@link #STEP} creates over the connections; returns creates per second. */
    private static double step(int port, AtomicInteger counter) throws Exception {
        AtomicInteger left = new AtomicInteger(STEP);
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        CountDownLatch done = new CountDownLatch(CONNECTIONS);
        long start = System.nanoTime();
        for (int c = 0; c < CONNECTIONS; c++) {
            Thread.ofPlatform().start(() -> {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.setTcpNoDelay(true);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = socket.getInputStream();
                    byte[] buf = new byte[1 << 16];
                    while (left.getAndDecrement() > 0) {
                        int n = counter.getAndIncrement();
                        String account = String.valueOf(300_000_000_000L + n % 200);
                        String region = n % 2 == 0 ? "us-east-1" : "eu-west-1";
                        out.write(request(port, account, region, "Action=CreateVpc&Version=2016-11-15&CidrBlock=10."
                                + (n / 256 % 256) + "." + (n % 256) + ".0%2F24"));
                        out.flush();
                        int status = HttpLoad.readResponse(in, buf);
                        if (status != 200) {
                            throw new IOException("CreateVpc answered " + status);
                        }
                    }
                } catch (IOException e) {
                    e.printStackTrace();
                    failed.set(true);
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        if (failed.get()) {
            throw new IOException("a connection failed (stack trace above)");
        }
        return STEP / ((System.nanoTime() - start) / 1e9);
    }

    private static byte[] request(int port, String account, String region, String body) {
        String signed = new String(HttpLoad.request(port, account, body), StandardCharsets.UTF_8);
        return signed.replace("/us-east-1/ec2/", "/" + region + "/ec2/").getBytes(StandardCharsets.UTF_8);
    }
}
