package dev.underpass.server.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.underpass.dataplane.DataPlane;
import dev.underpass.dataplane.LoopbackAddresses;
import dev.underpass.server.Loopback;
import dev.underpass.server.TestVpcs;
import dev.underpass.server.UnderpassExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * Bad input and faults on the data plane, with real sockets: a listener port already taken when the data plane
 * starts (the others work, and it listens once the port is free); a target that accepts and never answers; a
 * target that never reads while its client keeps sending (back-pressure keeps what is queued bounded); a client
 * sending a lot to a target that reads (every byte arrives). Through it all a healthy listener keeps answering.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DataPlaneFaultsTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = UnderpassExtension.onLoopback();
    private static final String ACCOUNT = "999900000001";
    private static final int GOOD = 7450;
    private static final int SILENT = 7451;
    private static final int SINK = 7452;
    private static final int SQUATTED = 7453;
    private static final int GOOD_APP = 7090;
    private static final int SILENT_APP = 7091;
    private static final int SINK_APP = 7092;

    private static DataPlane dataPlane;
    private static String client;
    private static String node;
    private static HttpServer good;
    private static ServerSocket silent;
    private static ServerSocket squatter;
    private static final List<Socket> silentAccepted = new ArrayList<>();
    private static final AtomicLong sunk = new AtomicLong();
    private static volatile boolean sinkReads = false;
    private static ServerSocket sink;

    @BeforeAll
    static void scenario() throws Exception {
        Ec2Client ec2 = UNDERPASS.ec2(ACCOUNT);
        ElasticLoadBalancingV2Client elb = UNDERPASS.elbv2(ACCOUNT);
        String vpc = TestVpcs.vpc(ec2, "10.9.0.0/16");
        String sub = TestVpcs.subnetId(ec2, vpc, "10.9.1.0/24", "us-east-1a");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(Loopback.instance(ec2, sub));
        }
        client = ids.get(0);
        DataPlaneTest.admitVpcBlock(ec2, vpc, "10.9.0.0/16");
        String nlb = Nlbs.internalNlb(elb, "faults", sub);
        listener(elb, vpc, nlb, "good", GOOD, ids.get(1), GOOD_APP);
        listener(elb, vpc, nlb, "silent", SILENT, ids.get(2), SILENT_APP);
        listener(elb, vpc, nlb, "sink", SINK, ids.get(3), SINK_APP);
        listener(elb, vpc, nlb, "squatted", SQUATTED, ids.get(1), GOOD_APP);

        // Before the data plane starts, something else takes the node's address and one listener's port.
        LoopbackAddresses book = LoopbackAddresses.of(UNDERPASS.server().store().world());
        node = book.all().stream().filter(a -> a.resourceId().equals(nlb)).findFirst().orElseThrow().loopback();
        squatter = new ServerSocket();
        squatter.bind(new InetSocketAddress(node, SQUATTED));

        dataPlane = UNDERPASS.server().startDataPlane();
        dataPlane.sync();
        String goodAddr = book.ofInterface(instanceInterface(book, ids.get(1))).orElseThrow().loopback();
        good = Nlbs.serve(HttpServer.create(new InetSocketAddress(goodAddr, GOOD_APP), 50), () -> 200, "good");
        silent = new ServerSocket();
        silent.bind(new InetSocketAddress(address(book, ids.get(2)), SILENT_APP));
        Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    Socket s = silent.accept();
                    synchronized (silentAccepted) {
                        silentAccepted.add(s);
                    }
                }
            } catch (IOException closed) {
                // The test is over.
            }
        });
        sink = new ServerSocket();
        sink.setReceiveBufferSize(64 * 1024);
        sink.bind(new InetSocketAddress(address(book, ids.get(3)), SINK_APP));
        Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    Socket s = sink.accept();
                    Thread.ofVirtual().start(() -> drain(s));
                }
            } catch (IOException closed) {
                // The test is over.
            }
        });
    }

    private static void drain(Socket s) {
        byte[] buf = new byte[256 * 1024];
        try (s; InputStream in = s.getInputStream()) {
            while (true) {
                if (!sinkReads) {
                    Thread.sleep(20);
                    continue;
                }
                int n = in.read(buf);
                if (n < 0) {
                    return;
                }
                sunk.addAndGet(n);
            }
        } catch (IOException | InterruptedException e) {
            // Closed.
        }
    }

    private static String instanceInterface(LoopbackAddresses book, String instance) {
        return book.all().stream().filter(a -> a.resourceId().equals(instance)).findFirst().orElseThrow()
                .networkInterfaceId();
    }

    private static String address(LoopbackAddresses book, String instance) {
        return book.ofInterface(instanceInterface(book, instance)).orElseThrow().loopback();
    }

    private static void listener(ElasticLoadBalancingV2Client elb, String vpc, String nlb, String name, int port,
            String target, int targetPort) {
        String tg = elb.createTargetGroup(r -> r.name(name).protocol("TCP").port(targetPort).vpcId(vpc)
                .targetType("instance")).targetGroups().get(0).targetGroupArn();
        Nlbs.register(elb, tg, target);
        Nlbs.forwardTcp(elb, nlb, port, tg);
    }

    @AfterAll
    static void stop() throws IOException {
        for (AutoCloseable c : new AutoCloseable[] {silent, sink, squatter}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // Best effort.
            }
        }
        if (good != null) {
            good.stop(0);
        }
        synchronized (silentAccepted) {
            for (Socket s : silentAccepted) {
                s.close();
            }
        }
    }

    static String goodAnswer() {
        return DataPlaneTest.call(Loopback.address(dataPlane, client), node, GOOD);
    }

    static String clientAddress() {
        return Loopback.address(dataPlane, client);
    }

    @Test
    @Order(1)
    void portInUse_isSkipped_theOtherListenersWork_andItListensOnceFreed() throws Exception {
        assertThat(dataPlane.listenerCount()).isEqualTo(3);
        assertThat(goodAnswer()).isEqualTo("good");
        squatter.close();
        // Retried every 5 s.
        DataPlaneTest.await(Duration.ofSeconds(15), () -> {
            dataPlane.sync();
            return dataPlane.listenerCount() == 4;
        });
        assertThat(DataPlaneTest.call(clientAddress(), node, SQUATTED)).isEqualTo("good");
    }

    @Test
    @Order(2)
    void targetThatNeverAnswers_holdsOnlyItsOwnFlows() throws Exception {
        List<Socket> hung = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                Socket s = new Socket();
                s.bind(new InetSocketAddress(clientAddress(), 0));
                s.connect(new InetSocketAddress(node, SILENT), 5_000);
                s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                hung.add(s);
            }
            Socket first = hung.get(0);
            first.setSoTimeout(500);
            boolean timedOut = false;
            try {
                first.getInputStream().read();
            } catch (SocketTimeoutException e) {
                timedOut = true;
            }
            assertThat(timedOut).as("the silent target's client waits, as it would on AWS").isTrue();
            for (int i = 0; i < 20; i++) {
                assertThat(goodAnswer()).isEqualTo("good");
            }
        } finally {
            for (Socket s : hung) {
                s.close();
            }
        }
        // Closing the clients finishes the relayed connections to the silent target too (it reads their FIN).
        DataPlaneTest.await(Duration.ofSeconds(10), () -> {
            synchronized (silentAccepted) {
                return silentAccepted.size() >= 50 && silentAccepted.stream().allMatch(s -> {
                    try {
                        s.setSoTimeout(50);
                        // The request the client sent arrived; then the end of the stream.
                        byte[] buf = new byte[1024];
                        while (true) {
                            if (s.getInputStream().read(buf) < 0) {
                                return true;
                            }
                        }
                    } catch (SocketTimeoutException e) {
                        return false;
                    } catch (IOException e) {
                        return true;
                    }
                });
            }
        });
    }

    @Test
    @Order(4)
    void clientThatHalfClosesAfterItsRequest_stillGetsTheAnswer() throws Exception {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(clientAddress(), 0));
            s.connect(new InetSocketAddress(node, GOOD), 5_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.0\r\nHost: good\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 200").endsWith("good");
        }
    }

    @Test
    @Order(5)
    void manyIdleConnections_takeNoThreads_andOthersAreUnaffected() throws Exception {
        assertThat(goodAnswer()).isEqualTo("good");
        int before = Thread.getAllStackTraces().size();
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket s = new Socket();
                s.bind(new InetSocketAddress(clientAddress(), 0));
                s.connect(new InetSocketAddress(node, SILENT), 5_000);
                idle.add(s);
            }
            assertThat(goodAnswer()).isEqualTo("good");
            // The relay runs on a fixed set of event-loop threads: 200 flows add none (a few threads of the JVM,
            // the JDK's HTTP server or the test's own may come and go meanwhile).
            assertThat(Thread.getAllStackTraces().size()).isLessThan(before + 10);
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }

    @Test
    @Order(3)
    void clientSendingToATargetThatDoesNotRead_isHeldBack_andOthersAreUnaffected() throws Exception {
        AtomicLong written = new AtomicLong();
        Socket s = new Socket();
        s.setSendBufferSize(64 * 1024);
        s.bind(new InetSocketAddress(clientAddress(), 0));
        s.connect(new InetSocketAddress(node, SINK), 5_000);
        Thread writer = Thread.ofVirtual().start(() -> {
            byte[] chunk = new byte[64 * 1024];
            try {
                OutputStream out = s.getOutputStream();
                while (written.get() < 1L << 30) {
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (IOException e) {
                // Closed by the test.
            }
        });
        // Wait until the writer is stuck (nothing more written for half a second).
        long last = -1;
        while (written.get() != last) {
            last = written.get();
            Thread.sleep(500);
        }
        // Socket buffers on both hops plus the relay's 1 MiB high-water mark: far from the 1 GiB the client offers.
        assertThat(written.get()).isLessThan(64L << 20);
        assertThat(goodAnswer()).isEqualTo("good");

        // Once the target reads, everything flows: 1 GiB arrives in full.
        sinkReads = true;
        writer.join(Duration.ofMinutes(3));
        assertThat(writer.isAlive()).isFalse();
        s.shutdownOutput();
        DataPlaneTest.await(Duration.ofSeconds(60), () -> sunk.get() == 1L << 30);
        s.close();
        assertThat(goodAnswer()).isEqualTo("good");
    }
}
