package dev.underpass.bench;

import dev.underpass.model.ec2.Quotas;
import dev.underpass.server.ServerConfig;
import dev.underpass.server.UnderpassServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The seed's PrivateLink scenario at scale, over keep-alive HTTP: one provider (an internal NLB across two AZs, an
 * endpoint service requiring acceptance, every consumer's account root allowed) and {@code consumers} accounts, each
 * with its own VPC and subnet, each creating one interface endpoint to the service. Reports:
 *
 * <ul>
 *   <li>{@code CreateVpcEndpoint}: every consumer connects once (a fixed amount of work, spread over the
 *       connections; every call is a durable SQLite commit);
 *   <li>{@code AcceptVpcEndpointConnections}: the provider accepts them one call per endpoint;
 *   <li>{@code DescribeVpcEndpointConnections}: the provider lists all its connections (timed, closed loop), and a
 *       filtered page of 50.
 * </ul>
 *
 * <p>Run: {@code ./mvnw -q -B -pl bench -am package -DskipTests && java -cp
 * "bench/target/lib/*:bench/target/underpass-bench-0.1.0-SNAPSHOT.jar" dev.underpass.bench.PrivateLinkLoad
 * [consumers] [seconds]} (defaults 300 and 10). Figures are printed, never asserted.
 */
public final class PrivateLinkLoad {
    private static final DateTimeFormatter AMZ = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final String PROVIDER = "100000000000";
    private static final String V = "&Version=2016-11-15";

    private PrivateLinkLoad() {}

    public static void main(String[] args) throws Exception {
        int consumers = Loads.arg(args, 0, 300);
        int seconds = Loads.arg(args, 1, 10);
        Path dir = Files.createTempDirectory("underpass-privatelink-bench");
        Quotas quotas = Quotas.defaults().with("network-interfaces-per-region", 100_000);
        // No default VPCs: a consumer account here is one VPC and one subnet, nothing else.
        ServerConfig config = Loads.instant(quotas).withDataDir(dir);
        try (UnderpassServer server = UnderpassServer.start(config)) {
            int port = server.port();
            String serviceName = provider(port, consumers);
            String serviceId = serviceName.substring(serviceName.lastIndexOf('.') + 1);
            List<String> accounts = new ArrayList<>();
            for (int i = 0; i < consumers; i++) {
                accounts.add(String.format(Locale.ROOT, "2%011d", i));
            }
            long t0 = System.nanoTime();
            String[] subnets = new String[consumers];
            String[] vpcs = new String[consumers];
            parallel(8, consumers, i -> {
                String vpc = find(call(port, accounts.get(i), "ec2", "Action=CreateVpc" + V
                        + "&CidrBlock=10.1.0.0%2F16"), "vpcId");
                vpcs[i] = vpc;
                subnets[i] = find(call(port, accounts.get(i), "ec2", "Action=CreateSubnet" + V + "&VpcId=" + vpc
                        + "&CidrBlock=10.1.1.0%2F24&AvailabilityZone=us-east-1a"), "subnetId");
            });
            System.out.printf(Locale.ROOT, "underpass PrivateLink load: 1 provider, %d consumers (set up in %.1f s), "
                    + "%d cores, JDK %s%n", consumers, (System.nanoTime() - t0) / 1e9,
                    Runtime.getRuntime().availableProcessors(), Runtime.version());
            System.out.println("workload                          conns  requests   req/s    p50 ms   p90 ms   p99 ms"
                    + "   max ms  errors");

            String[] endpoints = new String[consumers];
            fixed("CreateVpcEndpoint", port, 8, consumers, i -> request(port, accounts.get(i), "ec2",
                    "Action=CreateVpcEndpoint" + V + "&VpcId=" + vpcs[i] + "&VpcEndpointType=Interface&ServiceName="
                            + serviceName + "&SubnetId.1=" + subnets[i]),
                    (i, body) -> endpoints[i] = find(body,
                            "vpcEndpointId"));
            fixed("AcceptVpcEndpointConnections", port, 8, consumers, i -> request(port, PROVIDER, "ec2",
                    "Action=AcceptVpcEndpointConnections" + V + "&ServiceId=" + serviceId + "&VpcEndpointId.1="
                            + endpoints[i]),
                    null);
            IntFunction<IntFunction<byte[]>> all = conn -> n -> request(port, PROVIDER, "ec2",
                    "Action=DescribeVpcEndpointConnections" + V);
            timed("warm-up", port, 2, Math.max(2, seconds / 3), all, false);
            timed("DescribeVpcEndpointConnections", port, 1, seconds, all, true);
            timed("DescribeVpcEndpointConnections", port, 8, seconds, all, true);
            IntFunction<IntFunction<byte[]>> page = conn -> n -> request(port, PROVIDER, "ec2",
                    "Action=DescribeVpcEndpointConnections" + V + "&MaxResults=50&Filter.1.Name=vpc-endpoint-state"
                            + "&Filter.1.Value.1=available");
            timed("  ... MaxResults=50, filtered", port, 8, seconds, page, true);
            IntFunction<IntFunction<byte[]>> consumerView = conn -> n -> request(port, accounts.get((n * 8 + conn)
                    % consumers), "ec2", "Action=DescribeVpcEndpoints" + V);
            timed("DescribeVpcEndpoints (consumers)", port, 8, seconds, consumerView, true);
        }
    }

    /** Builds the provider's side, open to {@code consumers} numbered accounts, and returns the service name. */
    private static String provider(int port, int consumers) throws IOException {
        StringBuilder principals = new StringBuilder();
        for (int i = 0; i < consumers; i++) {
            principals.append("&AddAllowedPrincipals.").append(i + 1).append('=')
                    .append(enc(String.format(Locale.ROOT, "arn:aws:iam::2%011d:root", i)));
        }
        return provider(port, principals.toString());
    }

    /**
     * The provider of the PrivateLink loads: a VPC, two subnets, an internal NLB and a service that requires
     * acceptance, whose permissions get {@code allowedPrincipals} (a query fragment); returns the service name.
     */
    static String provider(int port, String allowedPrincipals) throws IOException {
        String vpc = find(call(port, PROVIDER, "ec2", "Action=CreateVpc" + V + "&CidrBlock=10.0.0.0%2F16"), "vpcId");
        String a = subnet(port, PROVIDER, vpc, "10.0.1.0%2F24", "us-east-1a");
        String b = subnet(port, PROVIDER, vpc, "10.0.2.0%2F24", "us-east-1b");
        String nlb = find(call(port, PROVIDER, "elasticloadbalancing", "Action=CreateLoadBalancer"
                + "&Version=2015-12-01&Name=app&Type=network&Scheme=internal&Subnets.member.1=" + a
                + "&Subnets.member.2=" + b), "LoadBalancerArn");
        String body = call(port, PROVIDER, "ec2", "Action=CreateVpcEndpointServiceConfiguration" + V
                + "&AcceptanceRequired=true&NetworkLoadBalancerArn.1=" + enc(nlb));
        String serviceId = find(body, "serviceId");
        call(port, PROVIDER, "ec2", "Action=ModifyVpcEndpointServicePermissions" + V + "&ServiceId=" + serviceId
                + allowedPrincipals);
        return find(body, "serviceName");
    }

    /** Creates a subnet of {@code account} ({@code cidr} URL-encoded) and returns its id. */
    static String subnet(int port, String account, String vpc, String cidr, String zone) throws IOException {
        return find(call(port, account, "ec2", "Action=CreateSubnet" + V + "&VpcId=" + vpc + "&CidrBlock=" + cidr
                + "&AvailabilityZone=" + zone), "subnetId");
    }

    interface Step {
        void run(int i) throws IOException;
    }

    static void parallel(int threads, int count, Step step) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    try {
                        step.run(i);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            th.start();
            all.add(th);
        }
        for (Thread th : all) {
            th.join();
        }
    }

    /** A fixed list of requests, item i sent once, spread over the connections; {@code sink} sees each body. */
    static void fixed(String name, int port, int connections, int count, IntFunction<byte[]> requests,
            java.util.function.BiConsumer<Integer, String> sink) throws Exception {
        long[] latencies = new long[count];
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(connections);
        long start = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            new Thread(() -> {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.setTcpNoDelay(true);
                    Reader reader = new Reader(socket.getInputStream());
                    OutputStream out = socket.getOutputStream();
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        long t0 = System.nanoTime();
                        out.write(requests.apply(i));
                        out.flush();
                        int status = reader.read();
                        latencies[i] = System.nanoTime() - t0;
                        if (status != 200) {
                            errors.incrementAndGet();
                        } else if (sink != null) {
                            sink.accept(i, reader.body());
                        }
                    }
                } catch (IOException e) {
                    errors.incrementAndGet();
                }
                done.countDown();
            }).start();
        }
        done.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        print(name, connections, latencies, elapsed, errors.get());
    }

    static void timed(String name, int port, int connections, int seconds,
            IntFunction<IntFunction<byte[]>> requests, boolean print) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        long[][] latencies = new long[connections][];
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(connections);
        long start = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            int conn = c;
            new Thread(() -> {
                long[] lat = new long[1 << 14];
                int n = 0;
                IntFunction<byte[]> source = requests.apply(conn);
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.setTcpNoDelay(true);
                    Reader reader = new Reader(socket.getInputStream());
                    OutputStream out = socket.getOutputStream();
                    while (System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        out.write(source.apply(n));
                        out.flush();
                        int status = reader.read();
                        if (n == lat.length) {
                            lat = Arrays.copyOf(lat, lat.length * 2);
                        }
                        lat[n++] = System.nanoTime() - t0;
                        if (status != 200) {
                            errors.incrementAndGet();
                        }
                    }
                } catch (IOException e) {
                    errors.incrementAndGet();
                }
                latencies[conn] = Arrays.copyOf(lat, n);
                done.countDown();
            }).start();
        }
        done.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (print) {
            print(name, connections, Arrays.stream(latencies).flatMapToLong(Arrays::stream).toArray(), elapsed,
                    errors.get());
        }
    }

    private static void print(String name, int connections, long[] latencies, double elapsed, int errors) {
        long[] all = latencies.clone();
        Arrays.sort(all);
        System.out.printf(Locale.ROOT, "%-33s %5d %9d %8.0f %8.3f %8.3f %8.3f %8.3f %7d%n", name, connections,
                all.length, all.length / elapsed, pct(all, 50), pct(all, 90), pct(all, 99),
                all.length == 0 ? 0 : all[all.length - 1] / 1e6, errors);
    }

    private static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(sorted.length * p / 100.0) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String find(String body, String element) {
        Matcher m = Pattern.compile("<" + element + ">([^<]*)</" + element + ">").matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no <" + element + "> in " + body);
        }
        return m.group(1);
    }

    /** A request signed in the shape SigV4 parsing expects (underpass does not check the signature itself). */
    static byte[] request(int port, String account, String service, String body) {
        String date = AMZ.format(ZonedDateTime.now(ZoneOffset.UTC));
        String head = "POST / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + "Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n"
                + "X-Amz-Date: " + date + "\r\n"
                + "Authorization: AWS4-HMAC-SHA256 Credential=" + account + "/" + date.substring(0, 8)
                + "/us-east-1/" + service + "/aws4_request, SignedHeaders=host;x-amz-date, Signature=00\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n";
        return (head + body).getBytes(StandardCharsets.UTF_8);
    }

    static String call(int port, String account, String service, String body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(request(port, account, service, body));
            Reader reader = new Reader(socket.getInputStream());
            int status = reader.read();
            if (status != 200) {
                throw new IOException("setup call failed (" + status + "): " + reader.body());
            }
            return reader.body();
        }
    }

    /** Reads HTTP/1.1 responses with Content-Length from one connection, bodies of any size. */
    static final class Reader {
        private final InputStream in;
        private byte[] buf = new byte[1 << 16];
        private int len;
        private int bodyStart;
        private int bodyEnd;

        Reader(InputStream in) {
            this.in = in;
        }

        int read() throws IOException {
            // Keep what follows the previous response (none in a closed loop, but be exact).
            if (bodyEnd > 0) {
                System.arraycopy(buf, bodyEnd, buf, 0, len - bodyEnd);
                len -= bodyEnd;
                bodyEnd = 0;
            }
            int headerEnd = -1;
            int scanned = 0;
            while (headerEnd < 0) {
                for (int i = Math.max(0, scanned - 3); i + 3 < len; i++) {
                    if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
                        headerEnd = i + 4;
                        break;
                    }
                }
                scanned = len;
                if (headerEnd < 0) {
                    fill();
                }
            }
            String headers = new String(buf, 0, headerEnd, StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(headers.substring(9, 12));
            int cl = headers.toLowerCase(Locale.ROOT).indexOf("content-length:");
            int eol = headers.indexOf('\r', cl);
            int total = headerEnd + Integer.parseInt(headers.substring(cl + 15, eol).trim());
            while (len < total) {
                fill();
            }
            bodyStart = headerEnd;
            bodyEnd = total;
            return status;
        }

        int bodyLength() {
            return bodyEnd - bodyStart;
        }

        String body() {
            return new String(buf, bodyStart, bodyEnd - bodyStart, StandardCharsets.UTF_8);
        }

        private void fill() throws IOException {
            if (len == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            int r = in.read(buf, len, buf.length - len);
            if (r < 0) {
                throw new IOException("connection closed");
            }
            len += r;
        }
    }
}
