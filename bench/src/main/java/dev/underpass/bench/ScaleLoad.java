package dev.underpass.bench;

import dev.underpass.aws.ec2.Ec2Api;
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
 * the service, accepted by the provider. The same request mix, sent by the same first {@code small} consumers, is
 * timed with {@code small} and then with {@code large} consumers in the world (default 500 and 5,000): each
 * consumer's DescribeVpcs, DescribeSubnets, DescribeSecurityGroups, DescribeNetworkInterfaces,
 * DescribeVpcEndpoints, a filtered DescribeVpcEndpoints and CreateTags on its VPC (a write, with its reference and
 * quota checks). Prints each operation's median and mean latency at both sizes and the ratio of the medians (target at most 1.3).
 *
 * <p>The world is built over HTTP in an in-memory store (set-up speed is not the point here; per-request cost is),
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
        int small = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int large = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Quotas quotas = Quotas.defaults().with("network-interfaces-per-region", 1_000_000);
        ServerConfig config = ServerConfig.forTests().withEc2(new Ec2Api.Settings(Duration.ZERO, false, quotas));
        try (UnderpassServer server = UnderpassServer.start(config)) {
            int port = server.port();
            String serviceName = provider(port);
            String serviceId = serviceName.substring(serviceName.lastIndexOf('.') + 1);
            String[] vpcs = new String[large];
            System.out.printf(Locale.ROOT, "underpass scale load: the same request mix of %d consumers with %d and"
                    + " with %d consumer accounts in the world (in-memory store), %d cores, JDK %s%n", small, small,
                    large, Runtime.getRuntime().availableProcessors(), Runtime.version());
            long t0 = System.nanoTime();
            grow(port, serviceName, serviceId, 0, small, vpcs);
            System.out.printf(Locale.ROOT, "set-up of %d consumers: %.1f s%n", small, (System.nanoTime() - t0) / 1e9);
            mix(port, small, vpcs, Math.max(2, seconds / 2));   // warm-up
            double[][] a = mix(port, small, vpcs, seconds);
            t0 = System.nanoTime();
            grow(port, serviceName, serviceId, small, large, vpcs);
            System.out.printf(Locale.ROOT, "set-up of %d more consumers: %.1f s%n", large - small,
                    (System.nanoTime() - t0) / 1e9);
            mix(port, small, vpcs, Math.max(2, seconds / 2));
            double[][] b = mix(port, small, vpcs, seconds);
            System.out.printf(Locale.ROOT, "%-30s %12s %12s %12s %12s %9s%n", "operation", small + " p50 ms",
                    large + " p50 ms", small + " mean", large + " mean", "p50 ratio");
            double worst = 0;
            String worstOp = OPS[0];
            for (int op = 0; op < OPS.length; op++) {
                double ratio = b[op][0] / a[op][0];
                if (ratio > worst) {
                    worst = ratio;
                    worstOp = OPS[op];
                }
                System.out.printf(Locale.ROOT, "%-30s %12.3f %12.3f %12.3f %12.3f %9.2f%n", OPS[op], a[op][0],
                        b[op][0], a[op][1], b[op][1], ratio);
            }
            System.out.printf(Locale.ROOT, "worst p50 ratio %.2f (target: at most 1.3; medians, as means on a shared machine carry other processes' pauses)%n", worst);
            Result.print("16.2 no growth", "request mix p50, " + large + " vs " + small + " accounts, worst ("
                    + worstOp + ")", worst, "x", "target <= 1.3", worst <= 1.3);
        }
    }

    /** The provider: a VPC, two subnets, an internal NLB and a service open to every principal. */
    private static String provider(int port) throws IOException {
        String vpc = PrivateLinkLoad.find(PrivateLinkLoad.call(port, PROVIDER, "ec2", "Action=CreateVpc" + V
                + "&CidrBlock=10.0.0.0%2F16"), "vpcId");
        String a = PrivateLinkLoad.find(PrivateLinkLoad.call(port, PROVIDER, "ec2", "Action=CreateSubnet" + V
                + "&VpcId=" + vpc + "&CidrBlock=10.0.1.0%2F24&AvailabilityZone=us-east-1a"), "subnetId");
        String b = PrivateLinkLoad.find(PrivateLinkLoad.call(port, PROVIDER, "ec2", "Action=CreateSubnet" + V
                + "&VpcId=" + vpc + "&CidrBlock=10.0.2.0%2F24&AvailabilityZone=us-east-1b"), "subnetId");
        String nlb = PrivateLinkLoad.find(PrivateLinkLoad.call(port, PROVIDER, "elasticloadbalancing",
                "Action=CreateLoadBalancer&Version=2015-12-01&Name=app&Type=network&Scheme=internal"
                        + "&Subnets.member.1=" + a + "&Subnets.member.2=" + b), "LoadBalancerArn");
        String body = PrivateLinkLoad.call(port, PROVIDER, "ec2", "Action=CreateVpcEndpointServiceConfiguration" + V
                + "&AcceptanceRequired=true&NetworkLoadBalancerArn.1=" + PrivateLinkLoad.enc(nlb));
        String serviceId = PrivateLinkLoad.find(body, "serviceId");
        PrivateLinkLoad.call(port, PROVIDER, "ec2", "Action=ModifyVpcEndpointServicePermissions" + V + "&ServiceId="
                + serviceId + "&AddAllowedPrincipals.1=*");
        return PrivateLinkLoad.find(body, "serviceName");
    }

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

    /** Per operation: {p50 ms, mean ms}, from a closed loop on one connection over the first consumers. */
    private static double[][] mix(int port, int consumers, String[] vpcs, int seconds) throws IOException {
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        long[][] lat = new long[OPS.length][1 << 12];
        int[] count = new int[OPS.length];
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
                if (count[op] == lat[op].length) {
                    lat[op] = Arrays.copyOf(lat[op], lat[op].length * 2);
                }
                lat[op][count[op]++] = took;
            }
        }
        double[][] result = new double[OPS.length][];
        for (int op = 0; op < OPS.length; op++) {
            long[] all = Arrays.copyOf(lat[op], count[op]);
            Arrays.sort(all);
            result[op] = new double[] {all.length == 0 ? 0 : all[all.length / 2] / 1e6,
                Arrays.stream(all).average().orElse(0) / 1e6};
        }
        return result;
    }
}
