package dev.underpass.bench;

import dev.underpass.dataplane.DataPlane;
import dev.underpass.dataplane.service.RequestPolicies;
import dev.underpass.dataplane.service.S3Call;
import dev.underpass.dataplane.service.ServiceEndpoints;
import dev.underpass.model.World;
import dev.underpass.model.ec2.VpcEndpoint;
import dev.underpass.server.ServerConfig;
import dev.underpass.server.UnderpassServer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The S3 service endpoint (docs/service-endpoints.md) against a direct connection to its upstream: s3proxy's
 * in-memory store on 127.0.0.1; an instance in a VPC with a gateway endpoint to S3 (default endpoint policy) and a
 * bucket policy that allows only requests through that endpoint. One client, bound to the instance's address, sends
 * GetObject requests one after another on a keep-alive connection, straight to s3proxy and through the service
 * address in alternating one-second rounds, so that the machine's other load falls on both (through the service
 * address: route decided once per connection; each request parsed, its caller found from the access key, the
 * endpoint and bucket policies evaluated, then forwarded). Reports the median requests/s and MB/s for 1 KiB and
 * 1 MiB objects, the proxy's CPU time per request (its event-loop threads' CPU time over a round: much less
 * sensitive to the machine's other load than throughput), and the policy evaluation alone (µs per request).
 *
 * <p>Run (Linux): {@code ./mvnw -q -B -pl bench -am package -DskipTests && java -cp
 * "bench/target/lib/*:bench/target/underpass-bench-0.1.0-SNAPSHOT.jar" dev.underpass.bench.ServiceEndpointLoad
 * [rounds]} (default 5: that many one-second rounds each way per size). Figures are printed, never asserted.
 */
public final class ServiceEndpointLoad {
    private static final String ACCOUNT = "111111111111";
    /** s3proxy runs without authentication here; the header only names the caller for the proxy. */
    private static final String AUTH = "AWS4-HMAC-SHA256 Credential=" + ACCOUNT
            + "/20261205/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0";

    private ServiceEndpointLoad() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        BlobStoreContext blobs = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
                .overrides(new Properties()).build(BlobStoreContext.class);
        S3Proxy s3proxy = S3Proxy.builder().blobStore(blobs.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.NONE, null, null).build();
        s3proxy.start();
        while (!s3proxy.getState().equals("STARTED")) {
            Thread.sleep(10);
        }
        try (UnderpassServer server = UnderpassServer.start(ServerConfig.forTests())) {
            Ec2Client ec2 = DataPlaneLoad.ec2(URI.create(server.endpoint()), ACCOUNT);
            String vpc = ec2.createVpc(r -> r.cidrBlock("10.1.0.0/16")).vpc().vpcId();
            String sub = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.1.1.0/24").availabilityZone("us-east-1a"))
                    .subnet().subnetId();
            String rtb = ec2.describeRouteTables(r -> r.filters(software.amazon.awssdk.services.ec2.model.Filter
                    .builder().name("vpc-id").values(vpc).build())).routeTables().get(0).routeTableId();
            String vpce = ec2.createVpcEndpoint(r -> r.vpcId(vpc).vpcEndpointType("Gateway")
                    .serviceName("com.amazonaws.us-east-1.s3").routeTableIds(rtb)).vpcEndpoint().vpcEndpointId();
            String instance = ec2.runInstances(r -> r.imageId("ami-12345678").instanceType("t3.micro").minCount(1)
                    .maxCount(1).subnetId(sub)).instances().get(0).instanceId();
            String bucketPolicy = """
                    {"Version": "2012-10-17", "Statement": [{"Sid": "OnlyThroughEndpoint", "Effect": "Deny",
                      "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::bench", "arn:aws:s3:::bench/*"],
                      "Condition": {"StringNotEquals": {"aws:SourceVpce": "%s"}}}]}""".formatted(vpce);
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            ServiceEndpoints services = server.startServiceEndpoints(new ServiceEndpoints.Settings(
                    Map.of("s3", URI.create("http://127.0.0.1:" + s3proxy.getPort())), Map.of("bench", bucketPolicy),
                    port, Duration.ZERO));
            DataPlane dp = server.dataPlane();
            dp.sync();
            services.sync();
            String client = dp.addresses().all().stream().filter(a -> a.resourceId().equals(instance)).findFirst()
                    .orElseThrow().loopback();
            String s3 = dp.resolve("s3.us-east-1.amazonaws.com", client).get(0);
            InetSocketAddress direct = new InetSocketAddress("127.0.0.1", s3proxy.getPort());
            InetSocketAddress proxied = new InetSocketAddress(s3, port);
            try (Http h = new Http(client, direct)) {
                h.call("PUT", "/bench", new byte[0]);
                h.call("PUT", "/bench/1k", new byte[1024]);
                h.call("PUT", "/bench/1m", new byte[1024 * 1024]);
            }
            for (String key : new String[] {"1k", "1m"}) {
                String path = "/bench/" + key;
                // Warm-up (the JIT's compilations would count in the CPU figures).
                for (int i = 0; i < 3; i++) {
                    run(client, direct, path, 1_000);
                    run(client, proxied, path, 1_000);
                }
                // Rounds of one second each, direct and proxied alternating (the order swapped every round), so
                // that the machine's other load falls on both; the medians are reported.
                double[] d = new double[seconds];
                double[] p = new double[seconds];
                double[] ratio = new double[seconds];
                double[] added = new double[seconds];
                double[] addedUser = new double[seconds];
                double[] bytes = new double[seconds];
                for (int i = 0; i < seconds; i++) {
                    Round rd;
                    Round rp;
                    if (i % 2 == 0) {
                        rd = run(client, direct, path, 1_000);
                        rp = run(client, proxied, path, 1_000);
                    } else {
                        rp = run(client, proxied, path, 1_000);
                        rd = run(client, direct, path, 1_000);
                    }
                    d[i] = rd.rate();
                    p[i] = rp.rate();
                    ratio[i] = p[i] / d[i];
                    added[i] = rp.loopMicros();
                    addedUser[i] = rp.loopUserMicros();
                    bytes[i] = rp.loopBytes();
                }
                long size = key.equals("1k") ? 1024 : 1024 * 1024;
                double dm = median(d);
                double pm = median(p);
                System.out.printf("GetObject %-3s direct %9.0f req/s %8.1f MB/s   proxied %9.0f req/s %8.1f MB/s"
                        + "   (%.0f%%; median of %d interleaved 1 s rounds' ratios: %.0f%%; proxy CPU per request "
                        + "%.1f us, %.1f of it in user mode; %.0f bytes allocated)%n", key, dm, dm * size / 1e6, pm,
                        pm * size / 1e6, 100 * pm / dm, seconds, 100 * median(ratio), median(added),
                        median(addedUser), median(bytes));
                Result.print("15 service proxy", "GetObject " + (key.equals("1k") ? "1 KiB" : "1 MiB")
                        + " through the gateway endpoint, 1 conn", pm, "req/s",
                        "direct to s3proxy "
                                + Result.number(dm) + " req/s: " + Result.percent(pm, dm) + "; target >= 70%",
                        pm >= 0.7 * dm);
            }
            evaluation(server, vpce, bucketPolicy, seconds);
        } finally {
            s3proxy.stop();
            blobs.close();
        }
    }

    /** A round's requests per second, and the CPU time of Netty's event loops (the proxy's) per request. */
    private record Round(double rate, double loopMicros, double loopUserMicros, double loopBytes) {}

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    /**
     * The CPU time so far of the threads running Netty event loops: in this process only the service endpoints'
     * proxy does work on them during a round (the client and s3proxy have threads of their own).
     */
    private static long loopCpuNanos() {
        return loopNanos(false);
    }

    /** Bytes allocated so far on the event-loop threads (the proxy's garbage: steady whatever the load). */
    private static long loopAllocated() {
        long sum = 0;
        var threads = (com.sun.management.ThreadMXBean) THREADS;
        for (java.lang.management.ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith("multiThreadIoEventLoopGroup")) {
                sum += Math.max(0, threads.getThreadAllocatedBytes(t.getThreadId()));
            }
        }
        return sum;
    }

    private static long loopNanos(boolean user) {
        long sum = 0;
        for (java.lang.management.ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith("multiThreadIoEventLoopGroup")) {
                sum += Math.max(0, user ? THREADS.getThreadUserTime(t.getThreadId())
                        : THREADS.getThreadCpuTime(t.getThreadId()));
            }
        }
        return sum;
    }

    /** GetObject requests for {@code millis}, one at a time on one keep-alive connection. */
    private static Round run(String client, InetSocketAddress target, String path, int millis) throws IOException {
        try (Http h = new Http(client, target)) {
            long end = System.nanoTime() + millis * 1_000_000L;
            long start = System.nanoTime();
            long cpu = loopCpuNanos();
            long user = loopNanos(true);
            long allocated = loopAllocated();
            long n = 0;
            while (System.nanoTime() < end) {
                int status = h.call("GET", path, null);
                if (status != 200) {
                    throw new IllegalStateException("GET " + path + " via " + target + ": " + status);
                }
                n++;
            }
            return new Round(n / ((System.nanoTime() - start) / 1e9), (loopCpuNanos() - cpu) / 1e3 / n,
                    (loopNanos(true) - user) / 1e3 / n, (double) (loopAllocated() - allocated) / n);
        }
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** The policy evaluation alone, as the proxy runs it for a GetObject through the gateway endpoint. */
    private static void evaluation(UnderpassServer server, String vpce, String bucketPolicy, int seconds) {
        RequestPolicies policies = new RequestPolicies(Map.of("bench", bucketPolicy));
        World world = server.store().world();
        VpcEndpoint endpoint = world.find(VpcEndpoint.class, vpce).orElseThrow();
        S3Call call = S3Call.of("GET", "/bench/1k", Map.of("host", "s3.us-east-1.amazonaws.com",
                "authorization", AUTH));
        Map<String, Object> context = new java.util.LinkedHashMap<>(call.context());
        context.put("aws:SourceVpce", vpce);
        context.put("aws:SourceVpc", endpoint.vpcId().value());
        context.put("aws:VpcSourceIp", "10.1.1.4");
        String principal = "arn:aws:iam::" + ACCOUNT + ":root";
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long n = 0;
        long start = System.nanoTime();
        boolean allowed = true;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) {
                allowed &= policies.evaluate(world, principal, ACCOUNT, call.checks().get(0), "bench", context,
                        endpoint).allowed();
            }
            n += 1000;
        }
        double us = (System.nanoTime() - start) / 1e3 / n;
        System.out.printf("policy evaluation (endpoint + bucket policy, %s) %.2f us per request%n",
                allowed ? "allowed" : "DENIED", us);
        if (!allowed) {
            throw new IllegalStateException("the policy evaluation denied a request the bench expects allowed");
        }
        Result.print("15 service proxy", "policy evaluation per request (endpoint + bucket policy)", us, "us",
                "target < 10 us", us < 10);
    }

    /** A minimal HTTP/1.1 client on one keep-alive connection from {@code source}. */
    private static final class Http implements AutoCloseable {
        private final Socket socket = new Socket();
        private final InputStream in;
        private final OutputStream out;
        private final String host;
        private final byte[] buffer = new byte[64 * 1024];

        Http(String source, InetSocketAddress target) throws IOException {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(target, 5_000);
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            out = socket.getOutputStream();
            host = target.getHostString() + ":" + target.getPort();
        }

        int call(String method, String path, byte[] body) throws IOException {
            String head = method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: " + AUTH
                    + "\r\nx-amz-content-sha256: UNSIGNED-PAYLOAD\r\nContent-Length: "
                    + (body == null ? 0 : body.length) + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            String status = line();
            long length = -1;
            for (String l = line(); !l.isEmpty(); l = line()) {
                if (l.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Long.parseLong(l.substring(15).strip());
                } else if (l.regionMatches(true, 0, "transfer-encoding:", 0, 18)) {
                    throw new IOException("chunked answers are not read by this client: " + l);
                }
            }
            for (long left = Math.max(0, length); left > 0;) {
                int r = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (r < 0) {
                    throw new IOException("closed in the body");
                }
                left -= r;
            }
            return Integer.parseInt(status.split(" ")[1]);
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("closed");
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
