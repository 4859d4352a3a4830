package dev.underpass.bench;

import dev.underpass.aws.ec2.Ec2Api;
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
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntFunction;

/**
 * HTTP load harness for the EC2 API over keep-alive connections: a closed loop per connection (send, read the whole
 * response, repeat), pre-built signed-looking requests, latency recorded per request.
 *
 * <p>Workloads: {@code DescribeVpcs} (an account with five VPCs) and {@code CreateSubnet} (each connection fills its
 * own /16 VPC with /28 subnets; every call is a durable SQLite commit, batched by the store's group commit). Each
 * runs with 1 and with 8 connections against an in-process server with a fresh SQLite data directory.
 *
 * <p>Run: {@code ./mvnw -q -B -pl bench -am package -DskipTests && java -cp "bench/target/lib/*:bench/target/underpass-bench-0.1.0-SNAPSHOT.jar" dev.underpass.bench.HttpLoad [seconds]}
 * (or {@code scripts/bench.sh}). Figures are printed, never asserted.
 */
public final class HttpLoad {
    private static final DateTimeFormatter AMZ = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private HttpLoad() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path dir = Files.createTempDirectory("underpass-bench");
        Quotas quotas = Quotas.defaults().with("subnets-per-vpc", 5000).with("vpcs-per-region", 100);
        ServerConfig config = ServerConfig.forTests().withDataDir(dir)
                .withEc2(new Ec2Api.Settings(Duration.ZERO, true, quotas));
        try (UnderpassServer server = UnderpassServer.start(config)) {
            int port = server.port();
            String account = "123456789012";
            for (int i = 0; i < 4; i++) {
                call(port, account, "Action=CreateVpc&Version=2016-11-15&CidrBlock=10." + (200 + i) + ".0.0%2F16");
            }
            System.out.printf(Locale.ROOT, "underpass HTTP load, %d s per run, %d cores, JDK %s%n", seconds,
                    Runtime.getRuntime().availableProcessors(), Runtime.version());
            System.out.println("workload       conns  requests   req/s    p50 ms   p90 ms   p99 ms   max ms  errors");
            IntFunction<IntFunction<byte[]>> describe = conn -> n -> request(port, account,
                    "Action=DescribeVpcs&Version=2016-11-15");
            run("warm-up", port, 4, Math.max(2, seconds / 3), describe, false);
            double one = run("DescribeVpcs", port, 1, seconds, describe, true);
            double eight = run("DescribeVpcs", port, 8, seconds, describe, true);
            // Issue 16, target 4: every Describe at least twice floci's requests/s (floci not re-measured here).
            Result.print("16.4 encoding", "DescribeVpcs (5 VPCs), 1 conn", one, "req/s",
                    Result.FLOCI + " 3.1-3.3k; target >= 2x = 6,600", one >= 6_600);
            Result.print("16.4 encoding", "DescribeVpcs (5 VPCs), 8 conns", eight, "req/s",
                    Result.FLOCI + " 7.9-8.4k; target >= 2x = 16,800", eight >= 16_800);
            List<String> vpcs = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                String body = call(port, "210000000000", "Action=CreateVpc&Version=2016-11-15&CidrBlock=10." + i
                        + ".0.0%2F16");
                int s = body.indexOf("<vpcId>");
                vpcs.add(body.substring(s + 7, body.indexOf("</vpcId>")));
            }
            IntFunction<IntFunction<byte[]>> createSubnet = conn -> n -> request(port, "210000000000",
                    "Action=CreateSubnet&Version=2016-11-15&VpcId=" + vpcs.get(conn) + "&CidrBlock=10." + conn + "."
                            + ((n * 16) / 256) + "." + ((n * 16) % 256) + "%2F28");
            double w1 = run("CreateSubnet", port, 1, seconds, conn -> createSubnet.apply(8), true, 4096);
            double w8 = run("CreateSubnet", port, 8, seconds, conn -> createSubnet.apply(conn), true, 4096);
            Result.info("HTTP", "CreateSubnet (durable), 1 conn", w1, "req/s", "each call a durable commit");
            Result.info("HTTP", "CreateSubnet (durable), 8 conns", w8, "req/s", "group commit");
        }
    }

    private static double run(String name, int port, int connections, int seconds,
            IntFunction<IntFunction<byte[]>> requests, boolean print) throws Exception {
        return run(name, port, connections, seconds, requests, print, Integer.MAX_VALUE);
    }

    /** Requests per second of one closed-loop run (errors excluded), printing nothing. */
    static double rate(int port, int connections, int seconds, IntFunction<IntFunction<byte[]>> requests)
            throws Exception {
        return run(name(connections), port, connections, seconds, requests, false, Integer.MAX_VALUE);
    }

    private static String name(int connections) {
        return connections + " connections";
    }

    /** The first {@code vpcId} of a response body. */
    static String vpcOf(String body) {
        int s = body.indexOf("<vpcId>");
        return body.substring(s + 7, body.indexOf("</vpcId>"));
    }

    /** One closed-loop run; each connection stops after {@code maxRequests} (a /16 holds 4,096 /28 subnets). */
    private static double run(String name, int port, int connections, int seconds,
            IntFunction<IntFunction<byte[]>> requests, boolean print, int maxRequests) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        long[][] latencies = new long[connections][];
        int[] counts = new int[connections];
        int[] errors = new int[connections];
        CountDownLatch done = new CountDownLatch(connections);
        long start = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            int conn = c;
            Thread t = new Thread(() -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                IntFunction<byte[]> source = requests.apply(conn);
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.setTcpNoDelay(true);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = socket.getInputStream();
                    byte[] buf = new byte[1 << 16];
                    while (System.nanoTime() < end && n < maxRequests) {
                        byte[] req = source.apply(n);
                        long t0 = System.nanoTime();
                        out.write(req);
                        out.flush();
                        int status = readResponse(in, buf);
                        long t1 = System.nanoTime();
                        if (n == lat.length) {
                            lat = Arrays.copyOf(lat, lat.length * 2);
                        }
                        lat[n++] = t1 - t0;
                        if (status != 200) {
                            errors[conn]++;
                            if (errors[conn] > 100) {
                                break;
                            }
                        }
                    }
                } catch (IOException e) {
                    errors[conn]++;
                }
                latencies[conn] = Arrays.copyOf(lat, n);
                counts[conn] = n;
                done.countDown();
            });
            t.start();
        }
        done.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        int total = Arrays.stream(counts).sum();
        int errs = Arrays.stream(errors).sum();
        lastErrors = errs;
        if (!print) {
            if (errs > 0) {
                throw new IOException(name + " on " + connections + " connections: " + errs + " requests failed");
            }
            return (total - errs) / elapsed;
        }
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        System.out.printf(Locale.ROOT, "%-14s %5d %9d %8.0f %8.3f %8.3f %8.3f %8.3f %7d%n", name, connections, total,
                total / elapsed, pct(all, 50), pct(all, 90), pct(all, 99),
                all.length == 0 ? 0 : all[all.length - 1] / 1e6,
                errs);
        if (errs > 0) {
            throw new IOException(name + " on " + connections + " connections: " + errs + " requests failed");
        }
        return (total - errs) / elapsed;
    }

    private static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(sorted.length * p / 100.0) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    static byte[] request(int port, String account, String body) {
        String date = AMZ.format(ZonedDateTime.now(ZoneOffset.UTC));
        String head = "POST / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + "Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n"
                + "X-Amz-Date: " + date + "\r\n"
                + "Authorization: AWS4-HMAC-SHA256 Credential=" + account + "/" + date.substring(0, 8)
                + "/us-east-1/ec2/aws4_request, SignedHeaders=host;x-amz-date, Signature=00\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n";
        return (head + body).getBytes(StandardCharsets.UTF_8);
    }

    static String call(int port, String account, String body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(request(port, account, body));
            byte[] buf = new byte[1 << 20];
            InputStream in = socket.getInputStream();
            int status = readResponse(in, buf);
            String text = new String(buf, 0, lastLength, StandardCharsets.UTF_8);
            if (status != 200) {
                throw new IOException("setup call failed: " + text);
            }
            return text;
        }
    }

    private static int lastLength;
    /** The failed requests (status other than 200) of the last run. */
    static volatile int lastErrors;

    /**
     * Reads one HTTP/1.1 response with Content-Length into buf, its body moved to the start; returns the status. The
     * body's length is left in a shared field for the single-connection callers that read it.
     */
    static int readResponse(InputStream in, byte[] buf) throws IOException {
        int len = 0;
        int headerEnd = -1;
        while (headerEnd < 0) {
            int r = in.read(buf, len, buf.length - len);
            if (r < 0) {
                throw new IOException("connection closed");
            }
            len += r;
            for (int i = Math.max(0, len - r - 3); i + 3 < len; i++) {
                if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
                    headerEnd = i + 4;
                    break;
                }
            }
        }
        String headers = new String(buf, 0, headerEnd, StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(headers.substring(9, 12));
        int cl = headers.toLowerCase(Locale.ROOT).indexOf("content-length:");
        int eol = headers.indexOf('\r', cl);
        int contentLength = Integer.parseInt(headers.substring(cl + 15, eol).trim());
        int total = headerEnd + contentLength;
        while (len < total) {
            int r = in.read(buf, len, Math.min(buf.length, total) - len);
            if (r < 0) {
                throw new IOException("connection closed");
            }
            len += r;
        }
        lastLength = total - headerEnd;
        System.arraycopy(buf, headerEnd, buf, 0, lastLength);
        return status;
    }
}
