package dev.underpass.bench;

import dev.underpass.model.ec2.Quotas;
import dev.underpass.server.ServerConfig;
import dev.underpass.server.UnderpassServer;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 16, target 3: the seed's scenario at {@code consumers} consumer accounts (default 5,000), on a durable data
 * directory. One provider (an internal NLB in two AZs, an endpoint service requiring acceptance, open to every
 * principal); each consumer a VPC with two subnets. Prints the time to create the {@code consumers} interface
 * endpoints and to accept their connections (one call each, 8 keep-alive connections), the provider's
 * {@code DescribeVpcEndpointConnections} paged through all of them ({@code MaxResults=1000}) and in one answer,
 * each consumer's {@code DescribeVpcEndpoints}, and the resident memory of the process (server and load generator;
 * target under 1 GB).
 *
 * <p>Run: {@code ./mvnw -q -B -pl bench -am package -DskipTests && java -cp
 * "bench/target/lib/*:bench/target/underpass-bench-0.1.0-SNAPSHOT.jar" dev.underpass.bench.SeedLoad [consumers]
 * [seconds] [data-dir-parent]} (defaults 5000, 5 and the temporary directory). Figures are printed, never asserted.
 */
public final class SeedLoad {
    private static final String PROVIDER = "100000000000";
    private static final String V = "&Version=2016-11-15";
    private static final Pattern NEXT = Pattern.compile("<nextToken>([^<]*)</nextToken>");
    private static final Pattern CONNECTION = Pattern.compile("<vpcEndpointConnectionId>");

    private SeedLoad() {}

    public static void main(String[] args) throws Exception {
        int consumers = Loads.arg(args, 0, 5000);
        int seconds = Loads.arg(args, 1, 5);
        Path dir = args.length > 2 ? Files.createTempDirectory(Path.of(args[2]), "underpass-seed-bench")
                : Files.createTempDirectory("underpass-seed-bench");
        Quotas quotas = Quotas.defaults().with("network-interfaces-per-region", 1_000_000);
        ServerConfig config = Loads.instant(quotas).withDataDir(dir);
        try (UnderpassServer server = UnderpassServer.start(config)) {
            int port = server.port();
            String serviceName = PrivateLinkLoad.provider(port, "&AddAllowedPrincipals.1=*");
            String serviceId = serviceName.substring(serviceName.lastIndexOf('.') + 1);
            String[] vpcs = new String[consumers];
            String[][] subnets = new String[consumers][];
            long t0 = System.nanoTime();
            PrivateLinkLoad.parallel(8, consumers, i -> {
                String acct = account(i);
                vpcs[i] = PrivateLinkLoad.find(PrivateLinkLoad.call(port, acct, "ec2", "Action=CreateVpc" + V
                        + "&CidrBlock=10.1.0.0%2F16"), "vpcId");
                subnets[i] = new String[] {PrivateLinkLoad.subnet(port, acct, vpcs[i], "10.1.1.0%2F24", "us-east-1a"),
                    PrivateLinkLoad.subnet(port, acct, vpcs[i], "10.1.2.0%2F24", "us-east-1b")};
            });
            System.out.printf(Locale.ROOT, "underpass seed load: 1 provider, %d consumer accounts (each a VPC and two"
                    + " subnets, set up in %.1f s), durable store, %d cores, JDK %s%n", consumers,
                    (System.nanoTime() - t0) / 1e9, Runtime.getRuntime().availableProcessors(), Runtime.version());
            System.out.println("workload                          conns  requests   req/s    p50 ms   p90 ms   p99 ms"
                    + "   max ms  errors");
            String[] endpoints = new String[consumers];
            long c0 = System.nanoTime();
            PrivateLinkLoad.fixed("CreateVpcEndpoint", port, 8, consumers, i -> PrivateLinkLoad.request(port,
                    account(i), "ec2", "Action=CreateVpcEndpoint" + V + "&VpcId=" + vpcs[i]
                            + "&VpcEndpointType=Interface&ServiceName=" + serviceName + "&SubnetId.1=" + subnets[i][0]
                            + "&SubnetId.2=" + subnets[i][1]),
                    (i, body) -> endpoints[i] = PrivateLinkLoad.find(body, "vpcEndpointId"));
            double create = (System.nanoTime() - c0) / 1e9;
            long a0 = System.nanoTime();
            PrivateLinkLoad.fixed("AcceptVpcEndpointConnections", port, 8, consumers, i -> PrivateLinkLoad.request(
                    port, PROVIDER, "ec2", "Action=AcceptVpcEndpointConnections" + V + "&ServiceId=" + serviceId
                            + "&VpcEndpointId.1=" + endpoints[i]),
                    null);
            double accept = (System.nanoTime() - a0) / 1e9;
            IntFunction<IntFunction<byte[]>> all = conn -> n -> PrivateLinkLoad.request(port, PROVIDER, "ec2",
                    "Action=DescribeVpcEndpointConnections" + V);
            PrivateLinkLoad.timed("warm-up", port, 1, 1, all, false);
            PrivateLinkLoad.timed("DescribeVpcEndpointConnections (all)", port, 1, seconds, all, true);
            IntFunction<IntFunction<byte[]>> mine = conn -> n -> PrivateLinkLoad.request(port, account((n * 8 + conn)
                    % consumers), "ec2", "Action=DescribeVpcEndpoints" + V);
            PrivateLinkLoad.timed("DescribeVpcEndpoints (consumers)", port, 8, seconds, mine, true);
            double[] pass = pages(port, seconds, consumers);
            System.out.printf(Locale.ROOT, "created %d endpoints in %.1f s, accepted them in %.1f s; paged through %d"
                    + " connections (%d pages of 1,000) in %.1f ms per pass%n", consumers, create, accept,
                    (int) pass[1], (int) pass[2], pass[0]);
            System.gc();
            Thread.sleep(500);
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long rss = rss() / 1024;
            System.out.printf(Locale.ROOT, "resident memory %d MB (server and load generator, one process; heap in"
                    + " use after GC %d MB); target under 1,024 MB%n", rss, heap >> 20);
            String t = "16.3 seed";
            Result.info(t, "CreateVpcEndpoint x " + consumers + ", 8 conns", create, "s",
                    Result.number(consumers / create) + "/s, durable store");
            Result.info(t, "AcceptVpcEndpointConnections x " + consumers + ", 8 conns", accept, "s",
                    Result.number(consumers / accept) + "/s");
            Result.info(t, "provider's DescribeVpcEndpointConnections, all " + (int) pass[1] + " paged ("
                    + (int) pass[2] + " x MaxResults=1000)", pass[0], "ms/pass", "every connection once");
            Result.print(t, "resident memory with " + consumers + " consumers", rss, "MB", "target < 1,024 MB"
                    + (consumers < 5000 ? " at 5,000 consumers (run at " + consumers + ")" : ""), rss < 1024);
        } finally {
            deleteTree(dir);
        }
    }

    /** Removes a benchmark's data directory and everything in it. */
    static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Pages through every connection again and again for {@code seconds}: ms per pass, connections, pages. */
    private static double[] pages(int port, int seconds, int expected) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setTcpNoDelay(true);
            PrivateLinkLoad.Reader reader = new PrivateLinkLoad.Reader(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            int passes = 0;
            int seen = 0;
            int pages = 0;
            long start = System.nanoTime();
            do {
                seen = 0;
                pages = 0;
                String token = null;
                do {
                    out.write(PrivateLinkLoad.request(port, PROVIDER, "ec2", "Action=DescribeVpcEndpointConnections"
                            + V + "&MaxResults=1000"
                            + (token == null ? "" : "&NextToken=" + PrivateLinkLoad.enc(token))));
                    out.flush();
                    if (reader.read() != 200) {
                        throw new IOException("page failed: " + reader.body());
                    }
                    String body = reader.body();
                    Matcher m = CONNECTION.matcher(body);
                    while (m.find()) {
                        seen++;
                    }
                    pages++;
                    Matcher next = NEXT.matcher(body);
                    token = next.find() ? next.group(1) : null;
                } while (token != null);
                passes++;
            } while (System.nanoTime() < end);
            if (seen != expected) {
                throw new IllegalStateException("paged through " + seen + " connections, expected " + expected);
            }
            return new double[] {(System.nanoTime() - start) / 1e6 / passes, seen, pages};
        }
    }

    private static long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static String account(int i) {
        return String.format(Locale.ROOT, "2%011d", i);
    }
}
