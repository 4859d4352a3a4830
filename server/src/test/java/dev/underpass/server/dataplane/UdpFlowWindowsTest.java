package dev.underpass.server.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.dataplane.DataPlane;
import dev.underpass.dataplane.FlowLogWriter;
import dev.underpass.model.ec2.FlowLog;
import dev.underpass.server.Loopback;
import dev.underpass.server.UnderpassExtension;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.FlowLogsResourceType;
import software.amazon.awssdk.services.ec2.model.LogDestinationType;
import software.amazon.awssdk.services.ec2.model.TrafficType;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;

/**
 * A UDP flow that spans aggregation windows gets one flow-log record per window, as a TCP connection does: a client
 * in the provider's VPC sends a datagram to an NLB node's UDP listener in each of three 1 s windows (standing in for
 * AWS's 60 s) and gets each echoed. The records of the windows already past are written while the flow is still
 * open, without anyone reading the flow logs (reading them reports open flows too); each lies within one window,
 * and together they add up to what the flow carried. Linux only (the loopback data plane).
 */
class UdpFlowWindowsTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = UnderpassExtension.onLoopback();
    private static final String PROVIDER = "121212121212";
    private static final int PORT = 7461;
    private static final int APP_PORT = 7101;

    private static DataPlane dataPlane;
    private static String app;
    private static String insider;
    private static String nlb;
    private static String subnetLog;
    private static final List<AutoCloseable> running = new ArrayList<>();

    @BeforeAll
    static void scenario() throws Exception {
        Ec2Client ec2 = UNDERPASS.ec2(PROVIDER);
        ElasticLoadBalancingV2Client elb = UNDERPASS.elbv2(PROVIDER);
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.21.0.0/16")).vpc().vpcId();
        String sub = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.21.1.0/24").availabilityZone("us-east-1a"))
                .subnet().subnetId();
        app = ec2.runInstances(r -> r.imageId("ami-12345678").instanceType("t3.micro").minCount(1).maxCount(1)
                .subnetId(sub)).instances().get(0).instanceId();
        insider = ec2.runInstances(r -> r.imageId("ami-12345678").instanceType("t3.micro").minCount(1).maxCount(1)
                .subnetId(sub)).instances().get(0).instanceId();
        String group = ec2.describeSecurityGroups(r -> r.filters(f -> f.name("vpc-id").values(vpc),
                f -> f.name("group-name").values("default"))).securityGroups().get(0).groupId();
        for (String proto : new String[] {"tcp", "udp"}) {
            ec2.authorizeSecurityGroupIngress(r -> r.groupId(group).ipProtocol(proto).fromPort(APP_PORT)
                    .toPort(APP_PORT).cidrIp("10.21.0.0/16"));
        }
        nlb = elb.createLoadBalancer(r -> r.name("udp-windows").type("network").scheme("internal").subnets(sub))
                .loadBalancers().get(0).loadBalancerArn();
        String tg = elb.createTargetGroup(r -> r.name("udp-windows").protocol("UDP").port(APP_PORT).vpcId(vpc)
                .targetType("instance").healthCheckProtocol("TCP")).targetGroups().get(0).targetGroupArn();
        elb.registerTargets(r -> r.targetGroupArn(tg).targets(TargetDescription.builder().id(app).build()));
        elb.createListener(r -> r.loadBalancerArn(nlb).port(PORT).protocol("UDP")
                .defaultActions(Action.builder().type("forward").targetGroupArn(tg).build()));
        subnetLog = ec2.createFlowLogs(r -> r.resourceType(FlowLogsResourceType.SUBNET).resourceIds(sub)
                .trafficType(TrafficType.ALL).logDestinationType(LogDestinationType.S3)
                .logDestination("arn:aws:s3:::provider-logs").maxAggregationInterval(60)).flowLogIds().get(0);
        dataPlane = UNDERPASS.server().startDataPlane();
        dataPlane.sync();
        startEcho();
        ServerSocket health = new ServerSocket();
        health.bind(new InetSocketAddress(address(app), APP_PORT));
        running.add(health);
        Thread t = new Thread(() -> {
            while (!health.isClosed()) {
                try (Socket c = health.accept()) {
                    c.getInputStream().read();
                } catch (IOException e) {
                    // closed, or a check that left first
                }
            }
        }, "tcp-health");
        t.setDaemon(true);
        t.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (dataPlane != null) {
            dataPlane.aggregateFlowsEvery(Duration.ofSeconds(60));
        }
        for (AutoCloseable c : running) {
            c.close();
        }
    }

    private static void startEcho() throws IOException {
        running.add(Loopback.udpEcho(address(app), APP_PORT,
                p -> Arrays.copyOf(p.getData(), p.getLength()), "udp-echo"));
    }

    static String address(String id) {
        return Loopback.address(dataPlane, id);
    }

    static String privateIp(String id) {
        return Loopback.entry(dataPlane, id).privateIp();
    }

    static String eni(String id) {
        return Loopback.entry(dataPlane, id).networkInterfaceId();
    }

    static List<Map<String, String>> written(String flowLogId) {
        return written(UNDERPASS, flowLogId);
    }

    /** The flow log's records as written so far, by field name, without reporting open flows (no API read). */
    static List<Map<String, String>> written(UnderpassExtension underpass, String flowLogId) {
        FlowLogWriter writer = underpass.server().flowLogs();
        FlowLog f = underpass.server().store().world().find(FlowLog.class, flowLogId).orElseThrow();
        List<String> fields = FlowLogWriter.fields(f);
        List<Map<String, String>> out = new ArrayList<>();
        for (FlowLogWriter.LogFile file : writer.read(f)) {
            for (String line : file.records()) {
                String[] values = line.split(" ");
                Map<String, String> rec = new HashMap<>();
                for (int i = 0; i < fields.size() && i < values.length; i++) {
                    rec.put(fields.get(i), values[i]);
                }
                out.add(rec);
            }
        }
        return out;
    }

    private static long sum(List<Map<String, String>> recs, String field) {
        return recs.stream().mapToLong(r -> Long.parseLong(r.get(field))).sum();
    }

    @Test
    void udpFlowAcrossWindows_hasARecordPerWindow_writtenWhileItIsOpen_addingUpToWhatItCarried() throws Exception {
        dataPlane.aggregateFlowsEvery(Duration.ofSeconds(1));
        String node = Loopback.address(dataPlane, nlb);
        String[] texts = {"one", "second", "the third"};
        long payload = 0;
        int clientPort;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(address(insider), 0))) {
            s.setSoTimeout(5_000);
            clientPort = s.getLocalPort();
            for (int i = 0; i < texts.length; i++) {
                byte[] out = texts[i].getBytes(StandardCharsets.UTF_8);
                s.send(new DatagramPacket(out, out.length, new InetSocketAddress(node, PORT)));
                DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
                s.receive(in);
                assertThat(new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8)).isEqualTo(texts[i]);
                payload += out.length;
                if (i < texts.length - 1) {
                    Thread.sleep(1_100);
                }
            }
        }
        String port = Integer.toString(clientPort);
        String insiderEni = eni(insider);
        java.util.function.Predicate<Map<String, String>> egress = r -> r.get("interface-id").equals(insiderEni)
                && r.get("srcport").equals(port) && r.get("protocol").equals("17");
        // The flow is still open (its idle timeout is 120 s): the windows already past were cut by the sweep alone.
        List<Map<String, String>> cut = List.of();
        for (int i = 0; i < 50 && sum(cut, "packets") < 2; i++) {
            Thread.sleep(100);
            cut = written(subnetLog).stream().filter(egress).toList();
        }
        assertThat(dataPlane.udpFlowCount()).isEqualTo(1);
        assertThat(sum(cut, "packets")).isGreaterThanOrEqualTo(2);
        // Wait for the last window's cut too, then the flow's records are complete without a read of the API.
        List<Map<String, String>> out = cut;
        for (int i = 0; i < 50 && sum(out, "packets") < 3; i++) {
            Thread.sleep(100);
            out = written(subnetLog).stream().filter(egress).toList();
        }
        // Three datagrams a window apart: a record per window (a sweep run late under load may merge two).
        assertThat(out.size()).isBetween(2, 3);
        assertThat(sum(out, "packets")).isEqualTo(3);
        assertThat(sum(out, "bytes")).isEqualTo(payload + 3 * 28);
        for (Map<String, String> r : out) {
            assertThat(r.get("action")).isEqualTo("ACCEPT");
            assertThat(r.get("dstaddr")).isEqualTo(Loopback.entry(dataPlane, nlb).privateIp());
            assertThat(Long.parseLong(r.get("end")) - Long.parseLong(r.get("start"))).isBetween(0L, 1L);
        }
        // No two records of the flow cover the same window's traffic: their starts differ.
        assertThat(out.stream().map(r -> r.get("start")).distinct().count()).isEqualTo(out.size());
        // The echoes come back on the same windows' records, and the target's interface sees the client's address.
        List<Map<String, String>> back = written(subnetLog).stream().filter(r -> r.get("interface-id")
                .equals(insiderEni) && r.get("dstport").equals(port) && r.get("protocol").equals("17")).toList();
        assertThat(sum(back, "packets")).isEqualTo(3);
        assertThat(sum(back, "bytes")).isEqualTo(payload + 3 * 28);
        List<Map<String, String>> atTarget = written(subnetLog).stream().filter(r -> r.get("interface-id")
                .equals(eni(app)) && r.get("srcaddr").equals(privateIp(insider)) && r.get("protocol").equals("17"))
                .toList();
        assertThat(sum(atTarget, "packets")).isEqualTo(3);
    }
}
