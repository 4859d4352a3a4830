package dev.underpass.bench;

import dev.underpass.model.ec2.Quotas;
import dev.underpass.server.ServerConfig;
import dev.underpass.server.UnderpassServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issue 16, target 2 (no per-request cost that grows with other accounts' data): one provider with an endpoint
 * service open to every principal, and consumer accounts each with a VPC, two subnets and an interface endpoint to
 * the service, accepted by the provider. Two servers run in this process, one holding {@code small} consumers and
 * one holding {@code large} (default 500 and 5,000); the same request mix, sent by the same first {@code small}
 * consumers, is timed on both in alternating one-second rounds (the order swapped each round): each consumer's
 * DescribeVpcs, DescribeSubnets, DescribeSecurityGroups, DescribeNetworkInterfaces, DescribeVpcEndpoints, a filtered
 * DescribeVpcEndpoints and CreateTags on its VPC (a write, with its reference and quota checks). Prints each
 * operation's median and mean latency at both sizes and the ratio of the medians (target at most 1.3). Timing one
 * size after the other let the machine's drift and the set-up's garbage collection land on one side only (a quiet
 * run once gave a uniform 1.4-1.5x on every operation, a loaded one 0.49x); alternating puts them on both.
 *
 * <p>The worlds are built over HTTP in in-memory stores (set-up speed is not the point here; per-request cost is),
 * with 4 connections; the mix runs on one connection, a closed loop.
 *
 * <p>Run: {@code ./mvnw -q -B -pl bench -am package -DskipTests && java -cp
 * "bench/target/lib/*:bench/target/underpass-bench-0.1.0-SNAPSHOT.jar" dev.underpass.bench.ScaleLoad [small] [large]
 * [seconds]} (defaults 500, 5000 and 5). Figures are printed, never asserted.
 */
public final class ScaleLoad {
    private static final String PROVIDER = "100000000000";
    private static final String V = "&Version=2016-11-15";
    private static final String[] OPS = {"DescribeVpcs", "DescribeSubnets", "DescribeSecurityGroups",
        "DescribeNetworkInterfaces", "DescribeVpcEndpoints", "DescribeVpcEndpoints (filter)", "CreateTags"};

    private ScaleLoad() {}

    public static void main(String[] args) throws Exception {
        int small = Loads.arg(args, 0, 500);
        int large = Loads.arg(args, 1, 5000);
        int seconds = Loads.arg(args, 2, 5);
        Quotas quotas = Quotas.defaults().with("network-interfaces-per-region", 1_000_000);
        ServerConfig config = Loads.instant(quotas);
        try (UnderpassServer smallServer = UnderpassServer.start(config);
                UnderpassServer largeServer = UnderpassServer.start(config)) {
            System.out.printf(Locale.ROOT, "underpass scale load: the same request mix of %d consumers with %d and"
                    + " with %d consumer accounts in the world (in-memory store), %d cores, JDK %s%n", small, small,
                    large, Runtime.getRuntime().availableProcessors(), Runtime.version());
            String[] smallVpcs = new String[small];
            String[] largeVpcs = new String[large];
            long t0 = System.nanoTime();
            build(smallServer.port(), 0, small, smallVpcs);
            System.out.printf(Locale.ROOT, "set-up of %d consumers: %.1f s%n", small, (System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
            build(largeServer.port(), 0, large, largeVpcs);
            System.out.printf(Locale.ROOT, "set-up of %d consumers (second server): %.1f s%n", large,
                    (System.nanoTime() - t0) / 1e9);
            // Both servers live in this one process, so the larger world's heap, GC and caches weigh on both alike;
            // what remains between them is the per-request cost that grows with other accounts' data.
            Samples a = new Samples();
            Samples b = new Samples();
            mix(smallServer.port(), small, smallVpcs, 1, new Samples()); // warm-up, both
            mix(largeServer.port(), small, largeVpcs, 1, new Samples());
            System.gc();
            int rounds = Math.max(2, seconds) * 2;
            for (int r = 0; r < rounds; r++) {
                // Alternate in one-second rounds, the order swapped each round, so drift falls on both sides.
                if (r % 2 == 0) {
                    mix(smallServer.port(), small, smallVpcs, 1, a);
                    mix(largeServer.port(), small, largeVpcs, 1, b);
                } else {
                    mix(largeServer.port(), small, largeVpcs, 1, b);
                    mix(smallServer.port(), small, smallVpcs, 1, a);
                }
            }
            System.out.printf(Locale.ROOT, "%-30s %12s %12s %12s %12s %9s%n", "operation", small + " p50 ms",
                    large + " p50 ms", small + " mean", large + " mean", "p50 ratio");
            double worst = 0;
            String worstOp = OPS[0];
            for (int op = 0; op < OPS.length; op++) {
                double[] sa = a.summary(op);
                double[] sb = b.summary(op);
                double ratio = sb[0] / sa[0];
                if (ratio > worst) {
                    worst = ratio;
                    worstOp = OPS[op];
                }
                System.out.printf(Locale.ROOT, "%-30s %12.3f %12.3f %12.3f %12.3f %9.2f%n", OPS[op], sa[0], sb[0],
                        sa[1], sb[1], ratio);
            }
            System.out.printf(Locale.ROOT, "worst p50 ratio %.2f over %d alternating one-second rounds per size"
                    + " (target: at most 1.3; medians, as means on a shared machine carry other processes' pauses)%n",
                    worst, rounds);
            Result.print("16.2 no growth", "request mix p50, " + large + " vs " + small + " accounts, worst ("
                    + worstOp + ")", worst, "x", "target <= 1.3", worst <= 1.3);
        }
    }

    /** A world of one provider and consumers {@code from} to {@code to} on the server at {@code port}. */
    private static void build(int port, int from, int to, String[] vpcs) throws Exception {
        String serviceName = PrivateLinkLoad.provider(port, "&AddAllowedPrincipals.1=*");
        String serviceId = serviceName.substring(serviceName.lastIndexOf('.') + 1);
        grow(port, serviceName, serviceId, from, to, vpcs);
    }

    /** Latencies per operation, gathered over several rounds. */
    private static final class Samples {
        private final long[][] lat = new long[OPS.length][1 << 12];
        private final int[] count = new int[OPS.length];

        void add(int op, long nanos) {
            if (count[op] == lat[op].length) {
                lat[op] = Arrays.copyOf(lat[op], lat[op].length * 2);
            }
            lat[op][count[op]++] = nanos;
        }

        /** {p50 ms, mean ms} of one operation. */
        double[] summary(int op) {
            long[] all = Arrays.copyOf(lat[op], count[op]);
            Arrays.sort(all);
            return new double[] {all.length == 0 ? 0 : all[all.length / 2] / 1e6,
                Arrays.stream(all).average().orElse(0) / 1e6};
        }
    }

    /** The provider: a VPC, two subnets, an internal NLB and a service open to every principal. */

    private static String account(int i) {
        return String.format(Locale.ROOT, "2%011d", i);
    }

    /** Consumers {@code from} to {@code to}: VPC, two subnets, an interface endpoint, accepted. */
    private static void grow(int port, String serviceName, String serviceId, int from, int to, String[] vpcs)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger(from);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < to; i = next.getAndIncrement()) {
                    try {
                        String acct = account(i);
                        String vpc = PrivateLinkLoad.find(PrivateLinkLoad.call(port, acct, "ec2", "Action=CreateVpc"
                                + V + "&CidrBlock=10.1.0.0%2F16"), "vpcId");
                        vpcs[i] = vpc;
                        String a = PrivateLinkLoad.find(PrivateLinkLoad.call(port, acct, "ec2", "Action=CreateSubnet"
                                + V + "&VpcId=" + vpc + "&CidrBlock=10.1.1.0%2F24&AvailabilityZone=us-east-1a"),
                                "subnetId");
                        String b = PrivateLinkLoad.find(PrivateLinkLoad.call(port, acct, "ec2", "Action=CreateSubnet"
                                + V + "&VpcId=" + vpc + "&CidrBlock=10.1.2.0%2F24&AvailabilityZone=us-east-1b"),
                                "subnetId");
                        String endpoint = PrivateLinkLoad.find(PrivateLinkLoad.call(port, acct, "ec2",
                                "Action=CreateVpcEndpoint" + V + "&VpcId=" + vpc + "&VpcEndpointType=Interface"
                                        + "&ServiceName=" + serviceName + "&SubnetId.1=" + a + "&SubnetId.2=" + b),
                                "vpcEndpointId");
                        PrivateLinkLoad.call(port, PROVIDER, "ec2", "Action=AcceptVpcEndpointConnections" + V
                                + "&ServiceId=" + serviceId + "&VpcEndpointId.1=" + endpoint);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            th.start();
            threads.add(th);
        }
        for (Thread th : threads) {
            th.join();
        }
    }

    private static byte[] request(int port, int op, int consumer, String vpc, int n) {
        String acct = account(consumer);
        String body = switch (op) {
            case 0 -> "Action=DescribeVpcs" + V;
            case 1 -> "Action=DescribeSubnets" + V;
            case 2 -> "Action=DescribeSecurityGroups" + V;
            case 3 -> "Action=DescribeNetworkInterfaces" + V;
            case 4 -> "Action=DescribeVpcEndpoints" + V;
            case 5 -> "Action=DescribeVpcEndpoints" + V + "&Filter.1.Name=vpc-id&Filter.1.Value.1=" + vpc;
            default -> "Action=CreateTags" + V + "&ResourceId.1=" + vpc + "&Tag.1.Key=round&Tag.1.Value=" + n;
        };
        return PrivateLinkLoad.request(port, acct, "ec2", body);
    }

    /** Runs the mix for {@code seconds} on one connection over the first consumers, adding latencies to {@code into}. */
    private static void mix(int port, int consumers, String[] vpcs, int seconds, Samples into) throws IOException {
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setTcpNoDelay(true);
            PrivateLinkLoad.Reader reader = new PrivateLinkLoad.Reader(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            for (int n = 0; System.nanoTime() < end; n++) {
                int op = n % OPS.length;
                int consumer = (n / OPS.length * 7919) % consumers;
                byte[] req = request(port, op, consumer, vpcs[consumer], n);
                long t0 = System.nanoTime();
                out.write(req);
                out.flush();
                int status = reader.read();
                long took = System.nanoTime() - t0;
                if (status != 200) {
                    throw new IOException(OPS[op] + " failed (" + status + "): " + reader.body());
                }
                into.add(op, took);
            }
        }
    }
}
