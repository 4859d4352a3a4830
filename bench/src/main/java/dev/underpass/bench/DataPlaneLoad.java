package dev.underpass.bench;

import dev.underpass.dataplane.DataPlane;
import dev.underpass.model.ec2.Quotas;
import dev.underpass.server.ServerConfig;
import dev.underpass.server.UnderpassServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Arrays;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;

/**
 * The data plane against a direct loopback connection: a provider instance runs an echo server and a sink (reads
 * to the end, answers {@code ok}) bound to its loopback address, behind an NLB offered as an endpoint service; a
 * consumer instance connects to its interface endpoint (endpoint → analyzer → NLB node → target: two relays) and,
 * for comparison, straight to the target. Reports bulk throughput (MB/s through the sink), new connections per
 * second (connect, one byte each way, close) and the p50/p99 round trip of one byte on an open connection; then
 * creates {@code endpoints} more consumer endpoints and reports listeners, health checks and heap.
 *
 * <p>Run (Linux): {@code ./mvnw -q -B -pl bench -am package -DskipTests && java -cp
 * "bench/target/lib/*:bench/target/underpass-bench-0.1.0-SNAPSHOT.jar" dev.underpass.bench.DataPlaneLoad
 * [megabytes] [seconds] [endpoints]} (defaults 512, 5 and 0). Figures are printed, never asserted.
 */
public final class DataPlaneLoad {
    private static final int ECHO = 7090;
    private static final int SINK = 7091;

    private DataPlaneLoad() {}

    public static void main(String[] args) throws Exception {
        int megabytes = Loads.arg(args, 0, 512);
        int seconds = Loads.arg(args, 1, 5);
        int endpoints = Loads.arg(args, 2, 0);
        Quotas quotas = Quotas.defaults().with("network-interfaces-per-region", 100_000);
        ServerConfig config = Loads.instant(quotas);
        try (UnderpassServer server = UnderpassServer.start(config)) {
            URI uri = URI.create(server.endpoint());
            Ec2Client provider = ec2(uri, "100000000001");
            ElasticLoadBalancingV2Client elb = elb(uri, "100000000001");
            String pvpc = provider.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
            String sub = provider.createSubnet(r -> r.vpcId(pvpc).cidrBlock("10.0.1.0/24")
                    .availabilityZone("us-east-1a")).subnet().subnetId();
            String app = provider.runInstances(r -> r.imageId("ami-12345678").instanceType("t3.micro").minCount(1)
                    .maxCount(1).subnetId(sub)).instances().get(0).instanceId();
            // A client in the provider's VPC: the one that may connect to the NLB node straight (the consumer's VPC
            // has no path there, and the analyzer refuses it).
            String insider = provider.runInstances(r -> r.imageId("ami-12345678").instanceType("t3.micro")
                    .minCount(1).maxCount(1).subnetId(sub)).instances().get(0).instanceId();
            String sg = provider.describeSecurityGroups(r -> r.filters(
                    software.amazon.awssdk.services.ec2.model.Filter.builder().name("vpc-id").values(pvpc).build(),
                    software.amazon.awssdk.services.ec2.model.Filter.builder().name("group-name").values("default")
                            .build()))
                    .securityGroups().get(0).groupId();
            provider.authorizeSecurityGroupIngress(r -> r.groupId(sg).ipProtocol("tcp").fromPort(ECHO).toPort(SINK)
                    .cidrIp("10.0.0.0/16"));
            String nlb = elb.createLoadBalancer(r -> r.name("bench").type("network").scheme("internal")
                    .subnets(sub)).loadBalancers().get(0).loadBalancerArn();
            for (int port : new int[] {ECHO, SINK}) {
                String tg = elb.createTargetGroup(r -> r.name("bench-" + port).protocol("TCP").port(port)
                        .vpcId(pvpc).targetType("instance")).targetGroups().get(0).targetGroupArn();
                elb.registerTargets(r -> r.targetGroupArn(tg).targets(TargetDescription.builder().id(app).build()));
                elb.createListener(r -> r.loadBalancerArn(nlb).port(port).protocol("TCP")
                        .defaultActions(Action.builder().type("forward").targetGroupArn(tg).build()));
            }
            var service = provider.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(nlb)
                    .acceptanceRequired(false)).serviceConfiguration();
            provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(service.serviceId())
                    .addAllowedPrincipals("*"));
            Consumer c = consumer(uri, "200000000000", service.serviceName());

            DataPlane dp = server.startDataPlane();
            dp.sync();
            String appAddr = address(dp, app);
            String clientAddr = address(dp, c.instance());
            String endpointAddr = address(dp, c.endpoint());
            Thread.ofPlatform().daemon().start(() -> serve(appAddr, ECHO, true));
            Thread.ofPlatform().daemon().start(() -> serve(appAddr, SINK, false));
            Thread.sleep(500);

            System.out.printf("data plane load: %d MB bulk, %d s per rate, client %s, endpoint %s, target %s%n",
                    megabytes, seconds, clientAddr, endpointAddr, appAddr);
            bulk(clientAddr, appAddr, 64);
            bulk(clientAddr, endpointAddr, 64);
            double direct = bulk(clientAddr, appAddr, megabytes);
            double through = bulk(clientAddr, endpointAddr, megabytes);
            System.out.printf("bulk         direct %8.1f MB/s   through endpoint %8.1f MB/s   (%.0f%%)%n", direct,
                    through, 100 * through / direct);
            connections(clientAddr, appAddr, 1);
            connections(clientAddr, endpointAddr, 1);
            double cDirect = connections(clientAddr, appAddr, seconds);
            double cThrough = connections(clientAddr, endpointAddr, seconds);
            String nodeAddr = address(dp, nlb);
            double cNode = connections(address(dp, insider), nodeAddr, seconds);
            System.out.printf("connections  direct %8.0f /s     through endpoint %8.0f /s     (%.0f%%)   "
                    + "to the NLB node %8.0f /s%n", cDirect, cThrough, 100 * cThrough / cDirect, cNode);
            latency(clientAddr, appAddr, 5_000);
            long[] lDirect = latency(clientAddr, appAddr, 50_000);
            long[] lThrough = latency(clientAddr, endpointAddr, 50_000);
            System.out.printf("round trip   direct p50 %6.1f us p99 %6.1f us   through p50 %6.1f us p99 %6.1f us   "
                    + "(added p50 %.1f us)%n", lDirect[0] / 1e3, lDirect[1] / 1e3, lThrough[0] / 1e3,
                    lThrough[1] / 1e3, (lThrough[0] - lDirect[0]) / 1e3);
            String t = "14 data plane";
            Result.print(t, "bulk through endpoint -> NLB -> target (" + megabytes + " MB)", through, "MB/s",
                    "direct " + Result.number(direct) + " MB/s: " + Result.percent(through, direct) + "; target >= 80%",
                    through >= 0.8 * direct);
            Result.print(t, "new connections/s through the endpoint", cThrough, "/s", "direct "
                    + Result.number(cDirect) + "/s: " + Result.percent(cThrough, cDirect) + "; target >= 50%",
                    cThrough >= 0.5 * cDirect);
            double added = (lThrough[0] - lDirect[0]) / 1e3;
            Result.print(t, "added p50 round trip, 1 byte", added, "us", "direct p50 "
                    + Result.number(lDirect[0] / 1e3) + " us; target < 100 us", added < 100);
            if (endpoints > 0) {
                Runtime rt = Runtime.getRuntime();
                System.gc();
                long before = rt.totalMemory() - rt.freeMemory();
                for (int i = 1; i <= endpoints; i++) {
                    consumer(uri, String.valueOf(300000000000L + i), service.serviceName());
                }
                dp.sync();
                System.gc();
                long after = rt.totalMemory() - rt.freeMemory();
                System.out.printf("%d more endpoints: %d listeners, %d addresses, heap %d MB -> %d MB%n", endpoints,
                        dp.listenerCount(), dp.addresses().size(), before >> 20, after >> 20);
                Result.info("14 data plane", endpoints + " more consumer endpoints: listeners", dp.listenerCount(),
                        "listeners", dp.addresses().size() + " addresses");
                Result.info("14 data plane", endpoints + " more consumer endpoints: heap after GC", after >> 20, "MB",
                        "before " + (before >> 20) + " MB");
            }
        }
    }

    record Consumer(String instance, String endpoint) {}

    static Consumer consumer(URI uri, String account, String serviceName) {
        Ec2Client ec2 = ec2(uri, account);
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.1.0.0/16")).vpc().vpcId();
        String sub = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.1.1.0/24").availabilityZone("us-east-1a"))
                .subnet().subnetId();
        String instance = ec2.runInstances(r -> r.imageId("ami-12345678").instanceType("t3.micro").minCount(1)
                .maxCount(1).subnetId(sub)).instances().get(0).instanceId();
        String group = ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName("endpoint").description("endpoint"))
                .groupId();
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(group).ipProtocol("tcp").fromPort(ECHO).toPort(SINK)
                .cidrIp("10.1.0.0/16"));
        String endpoint = ec2.createVpcEndpoint(r -> r.vpcId(vpc).vpcEndpointType("Interface")
                .serviceName(serviceName).subnetIds(sub).securityGroupIds(group)).vpcEndpoint().vpcEndpointId();
        ec2.close();
        return new Consumer(instance, endpoint);
    }

    static String address(DataPlane dp, String id) {
        return dp.addresses().all().stream().filter(a -> a.resourceId().equals(id)).findFirst().orElseThrow()
                .loopback();
    }

    /** Echo (every byte back) or sink (read to the end, then "ok"), one virtual thread per connection. */
    static void serve(String host, int port, boolean echo) {
        try (ServerSocket ss = new ServerSocket()) {
            ss.bind(new InetSocketAddress(host, port), 4096);
            while (true) {
                Socket s = ss.accept();
                Thread.ofVirtual().start(() -> {
                    try (s) {
                        s.setTcpNoDelay(true);
                        InputStream in = s.getInputStream();
                        OutputStream out = s.getOutputStream();
                        byte[] buf = new byte[64 * 1024];
                        int n;
                        while ((n = in.read(buf)) > 0) {
                            if (echo) {
                                out.write(buf, 0, n);
                            }
                        }
                        if (!echo) {
                            out.write("ok".getBytes());
                        }
                    } catch (IOException ignored) {
                        // the client went away
                    }
                });
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Socket connect(String from, String to, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(from, 0));
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(to, port), 5_000);
        return s;
    }

    /** MB/s of {@code megabytes} written to the sink until it answers after the half-close. */
    static double bulk(String from, String to, int megabytes) throws IOException {
        byte[] chunk = new byte[256 * 1024];
        long start = System.nanoTime();
        try (Socket s = connect(from, to, SINK)) {
            OutputStream out = s.getOutputStream();
            for (long sent = 0; sent < (long) megabytes << 20; sent += chunk.length) {
                out.write(chunk);
            }
            out.flush();
            s.shutdownOutput();
            // The relay closes both ways when one side ends, so the sink's "ok" may not make it back: wait for EOF.
            s.getInputStream().readAllBytes();
        }
        return megabytes / ((System.nanoTime() - start) / 1e9);
    }

    static double connections(String from, String to, int seconds) throws IOException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        int n = 0;
        while (System.nanoTime() < end) {
            try (Socket s = connect(from, to, ECHO)) {
                s.setSoLinger(true, 0);
                s.getOutputStream().write(1);
                if (s.getInputStream().read() != 1) {
                    throw new IOException("no echo");
                }
            }
            n++;
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    /** p50 and p99 nanoseconds of a one-byte round trip on one open connection. */
    static long[] latency(String from, String to, int count) throws IOException {
        long[] t = new long[count];
        try (Socket s = connect(from, to, ECHO)) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                out.write(1);
                if (in.read() != 1) {
                    throw new IOException("no echo");
                }
                t[i] = System.nanoTime() - start;
            }
        }
        Arrays.sort(t);
        return new long[] {t[count / 2], t[count * 99 / 100]};
    }

    static Ec2Client ec2(URI uri, String account) {
        return Ec2Client.builder().endpointOverride(uri).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(account, "s")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(ClientOverrideConfiguration.builder().build()).build();
    }

    static ElasticLoadBalancingV2Client elb(URI uri, String account) {
        return ElasticLoadBalancingV2Client.builder().endpointOverride(uri).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(account, "s")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }
}
