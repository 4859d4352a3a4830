package dev.underpass.server.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.underpass.dataplane.DataPlane;
import dev.underpass.dataplane.LoopbackAddresses;
import dev.underpass.server.Loopback;
import dev.underpass.server.TestVpcs;
import dev.underpass.server.UnderpassExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.FlowLogsResourceType;
import software.amazon.awssdk.services.ec2.model.LogDestinationType;
import software.amazon.awssdk.services.ec2.model.TrafficType;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ElasticLoadBalancingV2Exception;

/**
 * UDP end to end with real datagram sockets on 127.0.0.0/8: two provider instances in two zones run a UDP echo
 * (which says who it is and whom it heard from) behind an NLB with a UDP listener and a TCP_UDP listener, health
 * checked over TCP on the same port; a consumer reaches them directly through a node and through its interface
 * endpoint, whose security group allows UDP on one listener port only. Linux only.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UdpDataPlaneTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = UnderpassExtension.onLoopback();
    private static final String PROVIDER = "555555555555";
    private static final String CONSUMER = "666666666666";
    private static final int UDP_PORT = 7453;
    private static final int BOTH_PORT = 7454;
    private static final int APP_PORT = 7093;
    private static final int APP_BOTH_PORT = 7094;
    private static final int INTERVAL = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Ec2Client consumer;
    private static ElasticLoadBalancingV2Client elb;
    private static DataPlane dataPlane;
    private static String pvpc;
    private static String appA;
    private static String appB;
    private static String client;
    private static String insider;
    private static String endpointId;
    private static String endpointGroup;
    private static String nlb;
    private static String udpGroup;
    private static String endpointLog;
    private static String subnetLog;
    private static final List<AutoCloseable> running = new ArrayList<>();
    private static final Map<String, ServerSocket> healthPorts = new ConcurrentHashMap<>();

    @BeforeAll
    static void scenario() throws Exception {
        Ec2Client provider = UNDERPASS.ec2(PROVIDER);
        elb = UNDERPASS.elbv2(PROVIDER);
        pvpc = TestVpcs.vpc(provider, "10.9.0.0/16");
        String subA = TestVpcs.subnetId(provider, pvpc, "10.9.1.0/24", "us-east-1a");
        String subB = TestVpcs.subnetId(provider, pvpc, "10.9.2.0/24", "us-east-1b");
        appA = Loopback.instance(provider, subA);
        appB = Loopback.instance(provider, subB);
        // Straight to the nodes sends a client in the provider's VPC: the consumer's has no path there (the
        // analyzer decides direct datagrams as it decides the endpoint's).
        insider = Loopback.instance(provider, subA);
        String pDefault = Nlbs.defaultGroup(provider, pvpc);
        for (String proto : new String[] {"tcp", "udp"}) {
            provider.authorizeSecurityGroupIngress(r -> r.groupId(pDefault).ipProtocol(proto).fromPort(APP_PORT)
                    .toPort(APP_BOTH_PORT).cidrIp("10.9.0.0/16"));
        }
        nlb = Nlbs.internalNlb(elb, "udp", subA, subB);
        udpGroup = elb.createTargetGroup(r -> r.name("udp").protocol("UDP").port(APP_PORT).vpcId(pvpc)
                .targetType("instance").healthCheckProtocol("TCP").healthCheckIntervalSeconds(INTERVAL)
                .healthCheckTimeoutSeconds(2).healthyThresholdCount(2).unhealthyThresholdCount(2))
                .targetGroups().get(0).targetGroupArn();
        String bothGroup = elb.createTargetGroup(r -> r.name("both").protocol("TCP_UDP").port(APP_BOTH_PORT)
                .vpcId(pvpc).targetType("instance")).targetGroups().get(0).targetGroupArn();
        for (String tg : new String[] {udpGroup, bothGroup}) {
            Nlbs.register(elb, tg, appA, appB);
        }
        elb.createListener(r -> r.loadBalancerArn(nlb).port(UDP_PORT).protocol("UDP")
                .defaultActions(Action.builder().type("forward").targetGroupArn(udpGroup).build()));
        elb.createListener(r -> r.loadBalancerArn(nlb).port(BOTH_PORT).protocol("TCP_UDP")
                .defaultActions(Action.builder().type("forward").targetGroupArn(bothGroup).build()));
        var service = Nlbs.offer(provider, nlb, CONSUMER);
        subnetLog = provider.createFlowLogs(r -> r.resourceType(FlowLogsResourceType.SUBNET).resourceIds(subA)
                .trafficType(TrafficType.ALL).logDestinationType(LogDestinationType.S3)
                .logDestination("arn:aws:s3:::provider-logs")
                .logFormat("${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} "
                        + "${bytes} ${flow-direction} ${tcp-flags} ${action}"))
                .flowLogIds().get(0);

        consumer = UNDERPASS.ec2(CONSUMER);
        String cvpc = TestVpcs.vpc(consumer, "10.10.0.0/16");
        String csub = TestVpcs.subnetId(consumer, cvpc, "10.10.1.0/24", "us-east-1a");
        client = Loopback.instance(consumer, csub);
        endpointGroup = consumer.createSecurityGroup(r -> r.vpcId(cvpc).groupName("endpoint")
                .description("endpoint")).groupId();
        // UDP on the UDP listener's port; on the TCP_UDP listener's port TCP only.
        consumer.authorizeSecurityGroupIngress(r -> r.groupId(endpointGroup).ipProtocol("udp").fromPort(UDP_PORT)
                .toPort(UDP_PORT).cidrIp("10.10.0.0/16"));
        Nlbs.admitTcp(consumer, endpointGroup, BOTH_PORT, BOTH_PORT, "10.10.0.0/16");
        endpointId = consumer.createVpcEndpoint(r -> r.vpcId(cvpc).vpcEndpointType("Interface")
                .serviceName(service.serviceName()).subnetIds(csub).securityGroupIds(endpointGroup))
                .vpcEndpoint().vpcEndpointId();
        String endpointInterface = consumer.describeVpcEndpoints(r -> r.vpcEndpointIds(endpointId)).vpcEndpoints()
                .get(0).networkInterfaceIds().get(0);
        endpointLog = consumer.createFlowLogs(r -> r.resourceType(FlowLogsResourceType.NETWORK_INTERFACE)
                .resourceIds(endpointInterface).trafficType(TrafficType.REJECT)
                .logDestinationType(LogDestinationType.S3).logDestination("arn:aws:s3:::consumer-logs")
                .logFormat("${srcaddr} ${dstport} ${protocol} ${packets} ${bytes} ${action}")).flowLogIds().get(0);

        dataPlane = UNDERPASS.server().startDataPlane();
        dataPlane.sync();
        for (String app : new String[] {appA, appB}) {
            startEcho(app, APP_PORT);
            startEcho(app, APP_BOTH_PORT);
            healthPorts.put(app, startTcp(app, APP_PORT));
            startTcp(app, APP_BOTH_PORT);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : running) {
            c.close();
        }
    }

    /** A UDP echo "on" an instance: answers each datagram with its id, the sender's address and the payload. */
    static void startEcho(String instanceId, int port) throws IOException {
        running.add(Loopback.udpEcho(address(instanceId), port, p -> (instanceId + " "
                + p.getAddress().getHostAddress() + " " + new String(p.getData(), 0, p.getLength(),
                        StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8), "udp-echo-" + instanceId));
    }

    /** A TCP service "on" an instance: says its id and the peer's address, then closes (health checks, TCP_UDP). */
    static ServerSocket startTcp(String instanceId, int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(address(instanceId), port));
        running.add(s);
        Thread t = new Thread(() -> {
            while (!s.isClosed()) {
                try (Socket c = s.accept()) {
                    c.getOutputStream().write((instanceId + " " + c.getInetAddress().getHostAddress() + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // closed, or a health check that left first
                }
            }
        }, "tcp-" + instanceId);
        t.setDaemon(true);
        t.start();
        return s;
    }

    static String address(String id) {
        return Loopback.address(dataPlane, id);
    }

    static String privateIp(String id) {
        return Loopback.entry(dataPlane, id).privateIp();
    }

    static String node(String zone) {
        return Loopback.node(dataPlane, nlb, zone).loopback();
    }

    static List<LoopbackAddresses.Address> nodes() {
        return Loopback.nodes(dataPlane, nlb);
    }

    /** Sends {@code text} on {@code s} to {@code to:port}; the answer, or null when none comes within the timeout. */
    static DatagramPacket exchange(DatagramSocket s, String to, int port, String text) throws IOException {
        byte[] out = text.getBytes(StandardCharsets.UTF_8);
        s.send(new DatagramPacket(out, out.length, new InetSocketAddress(to, port)));
        DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
        try {
            s.receive(in);
            return in;
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    static DatagramSocket clientSocket(int timeoutMillis) throws IOException {
        return socketOf(client, timeoutMillis);
    }

    /** A socket of the provider-VPC client, which may send to the nodes straight. */
    static DatagramSocket insiderSocket(int timeoutMillis) throws IOException {
        return socketOf(insider, timeoutMillis);
    }

    private static DatagramSocket socketOf(String instanceId, int timeoutMillis) throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(address(instanceId), 0));
        s.setSoTimeout(timeoutMillis);
        return s;
    }

    static String text(DatagramPacket p) {
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    }

    static List<JsonNode> records(String flowLogId) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(UNDERPASS.endpoint()
                    + "/_underpass/flow-logs?flowLogId=" + flowLogId)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            List<JsonNode> out = new ArrayList<>();
            JSON.readTree(r.body()).path("flowLogs").get(0).path("records").forEach(out::add);
            return out;
        }
    }

    @Test
    @Order(1)
    void udpListener_directToANode_reachesTheZonesTarget_whichSeesTheClientsAddress_andAnswersFromTheNode()
            throws Exception {
        try (DatagramSocket s = insiderSocket(5_000)) {
            DatagramPacket answer = exchange(s, node("us-east-1a"), UDP_PORT, "ping");
            assertThat(answer).isNotNull();
            // Cross-zone is off: the node in us-east-1a has appA only. Instance targets: the client's address.
            assertThat(text(answer)).isEqualTo(appA + " " + address(insider) + " ping");
            assertThat(answer.getAddress().getHostAddress()).isEqualTo(node("us-east-1a"));
            assertThat(answer.getPort()).isEqualTo(UDP_PORT);
            // The flow keeps its target: the node in us-east-1b has appB.
            assertThat(text(exchange(s, node("us-east-1b"), UDP_PORT, "pong"))).startsWith(appB + " "
                    + address(insider) + " ");
        }
        assertThat(dataPlane.udpFlowCount()).isGreaterThanOrEqualTo(2);
    }

    @Test
    @Order(2)
    void tcpUdpListener_carriesBothProtocols() throws Exception {
        try (DatagramSocket s = insiderSocket(5_000)) {
            DatagramPacket answer = exchange(s, node("us-east-1a"), BOTH_PORT, "both");
            assertThat(answer).isNotNull();
            assertThat(text(answer)).isEqualTo(appA + " " + address(insider) + " both");
        }
        try (Socket t = new Socket()) {
            t.bind(new InetSocketAddress(address(insider), 0));
            t.connect(new InetSocketAddress(node("us-east-1a"), BOTH_PORT), 5_000);
            t.setSoTimeout(5_000);
            String line = new BufferedReader(new InputStreamReader(t.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertThat(line).isEqualTo(appA + " " + address(insider));
        }
    }

    @Test
    @Order(3)
    void throughTheEndpoint_oneFlowKeepsItsTarget_whichSeesTheNodesAddress() throws Exception {
        List<String> nodeAddresses = nodes().stream().map(LoopbackAddresses.Address::loopback).toList();
        try (DatagramSocket s = clientSocket(5_000)) {
            for (int i = 0; i < 3; i++) {
                DatagramPacket answer = exchange(s, address(endpointId), UDP_PORT, "hello-" + i);
                assertThat(answer).isNotNull();
                assertThat(answer.getAddress().getHostAddress()).isEqualTo(address(endpointId));
                assertThat(answer.getPort()).isEqualTo(UDP_PORT);
                String[] parts = text(answer).split(" ");
                // The endpoint interface is in us-east-1a: its node sends to appA, from the node's address.
                assertThat(parts[0]).isEqualTo(appA);
                assertThat(nodeAddresses).contains(parts[1]);
                assertThat(parts[1]).isNotEqualTo(address(client));
                assertThat(parts[2]).isEqualTo("hello-" + i);
            }
        }
    }

    @Test
    @Order(4)
    void openUdpFlows_showInTheFlowLogs_withProtocol17_countedDatagrams_andTheirBytes() throws Exception {
        List<String> nodeIps = nodes().stream().map(LoopbackAddresses.Address::privateIp).toList();
        List<JsonNode> recs = records(subnetLog);
        // The endpoint's flow from test 3 (still open): three datagrams of 7 bytes each way, seen at appA.
        String appInterface = Loopback.entry(dataPlane, appA).networkInterfaceId();
        JsonNode in = recs.stream().filter(r -> r.path("protocol").asText().equals("17")
                && r.path("interface-id").asText().equals(appInterface)
                && r.path("dstaddr").asText().equals(privateIp(appA))
                && r.path("dstport").asText().equals(Integer.toString(APP_PORT))
                && nodeIps.contains(r.path("srcaddr").asText())).findFirst().orElseThrow();
        assertThat(in.path("flow-direction").asText()).isEqualTo("ingress");
        assertThat(in.path("action").asText()).isEqualTo("ACCEPT");
        assertThat(in.path("packets").asText()).isEqualTo("3");
        assertThat(in.path("bytes").asText()).isEqualTo(Integer.toString(3 * (7 + 28)));
        assertThat(in.path("tcp-flags").asText()).isEqualTo("0");
        // Directly through the node the target's interface sees the client's private address.
        assertThat(recs).anySatisfy(r -> {
            assertThat(r.path("protocol").asText()).isEqualTo("17");
            assertThat(r.path("srcaddr").asText()).isEqualTo(privateIp(insider));
            assertThat(r.path("dstaddr").asText()).isEqualTo(privateIp(appA));
        });
        // A flow reported while open is not reported twice: the next read has nothing new for it.
        long before = recs.size();
        assertThat(records(subnetLog)).hasSize((int) before);
    }

    @Test
    @Order(5)
    void straightToANode_fromAVpcWithNoPathThere_isDropped_andTheNodesSubnetLogsReject() throws Exception {
        String nodeA = nodes().stream().filter(a -> a.availabilityZone().equals("us-east-1a")).findFirst()
                .orElseThrow().privateIp();
        try (DatagramSocket s = clientSocket(1_500)) {
            assertThat(exchange(s, node("us-east-1a"), UDP_PORT, "no-path")).isNull();
        }
        assertThat(records(subnetLog)).anySatisfy(r -> {
            assertThat(r.path("protocol").asText()).isEqualTo("17");
            assertThat(r.path("srcaddr").asText()).isEqualTo(privateIp(client));
            assertThat(r.path("dstaddr").asText()).isEqualTo(nodeA);
            assertThat(r.path("dstport").asText()).isEqualTo(Integer.toString(UDP_PORT));
            assertThat(r.path("action").asText()).isEqualTo("REJECT");
            assertThat(r.path("bytes").asText()).isEqualTo(Integer.toString("no-path".length() + 28));
        });
    }

    @Test
    @Order(6)
    void anEndpointGroupWithoutAUdpRule_dropsTheDatagram_logsReject_andARuleAddedLetsTheNextOneThrough()
            throws Exception {
        try (DatagramSocket s = clientSocket(1_500)) {
            assertThat(exchange(s, address(endpointId), BOTH_PORT, "dropped")).isNull();
            // TCP on the same port is allowed, so the listener is there and only UDP is refused.
            try (Socket t = new Socket()) {
                t.bind(new InetSocketAddress(address(client), 0));
                t.connect(new InetSocketAddress(address(endpointId), BOTH_PORT), 5_000);
                t.setSoTimeout(5_000);
                assertThat(new BufferedReader(new InputStreamReader(t.getInputStream(), StandardCharsets.UTF_8))
                        .readLine()).startsWith(appA + " ");
            }
            List<JsonNode> rejects = records(endpointLog);
            assertThat(rejects).hasSize(1);
            JsonNode r = rejects.get(0);
            assertThat(r.path("action").asText()).isEqualTo("REJECT");
            assertThat(r.path("protocol").asText()).isEqualTo("17");
            assertThat(r.path("srcaddr").asText()).isEqualTo(privateIp(client));
            assertThat(r.path("dstport").asText()).isEqualTo(Integer.toString(BOTH_PORT));
            assertThat(r.path("packets").asText()).isEqualTo("1");
            assertThat(r.path("bytes").asText()).isEqualTo(Integer.toString("dropped".length() + 28));

            consumer.authorizeSecurityGroupIngress(q -> q.groupId(endpointGroup).ipProtocol("udp")
                    .fromPort(BOTH_PORT).toPort(BOTH_PORT).cidrIp("10.10.0.0/16"));
            s.setSoTimeout(5_000);
            DatagramPacket answer = exchange(s, address(endpointId), BOTH_PORT, "now");
            assertThat(answer).isNotNull();
            assertThat(text(answer)).startsWith(appA + " ").endsWith(" now");
        }
    }

    @Test
    @Order(7)
    void aTargetFailingItsTcpHealthCheck_isUnhealthy_andNewAndOpenFlowsGoToTheOtherZone() throws Exception {
        DataPlaneTest.await(Duration.ofSeconds(INTERVAL * 2 + 1), () -> state(appA).equals("healthy")
                && state(appB).equals("healthy"));
        try (DatagramSocket open = insiderSocket(5_000)) {
            assertThat(text(exchange(open, node("us-east-1a"), UDP_PORT, "before"))).startsWith(appA + " ");
            healthPorts.get(appA).close();
            DataPlaneTest.await(Duration.ofSeconds(INTERVAL * 2 + 1), () -> state(appA).equals("unhealthy"));
            assertThat(state(appB)).isEqualTo("healthy");
            for (int i = 0; i < 3; i++) {
                try (DatagramSocket s = insiderSocket(5_000)) {
                    DatagramPacket answer = exchange(s, node("us-east-1a"), UDP_PORT, "failover");
                    assertThat(answer).isNotNull();
                    assertThat(text(answer)).isEqualTo(appB + " " + address(insider) + " failover");
                }
            }
            // The flow opened before leaves its unhealthy target too (unhealthy connection termination, on by
            // default), still from the client's address and answered from the node's.
            DatagramPacket moved = exchange(open, node("us-east-1a"), UDP_PORT, "after");
            assertThat(moved).isNotNull();
            assertThat(text(moved)).isEqualTo(appB + " " + address(insider) + " after");
            assertThat(moved.getAddress().getHostAddress()).isEqualTo(node("us-east-1a"));
        }
    }

    static String state(String instanceId) {
        return elb.describeTargetHealth(r -> r.targetGroupArn(udpGroup)).targetHealthDescriptions().stream()
                .filter(d -> d.target().id().equals(instanceId)).findFirst().orElseThrow().targetHealth()
                .stateAsString();
    }

    @Test
    @Order(8)
    void aUdpHealthCheck_isRefused_andAUdpGroupIsCheckedOverTcpByDefault() {
        assertThatThrownBy(() -> elb.createTargetGroup(r -> r.name("udp-checked").protocol("UDP").port(53)
                .vpcId(pvpc).targetType("instance").healthCheckProtocol("UDP")))
                .isInstanceOfSatisfying(ElasticLoadBalancingV2Exception.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                    assertThat(e.statusCode()).isEqualTo(400);
                });
        var defaults = elb.createTargetGroup(r -> r.name("udp-default").protocol("UDP").port(53).vpcId(pvpc)
                .targetType("instance")).targetGroups().get(0);
        assertThat(defaults.healthCheckProtocolAsString()).isEqualTo("TCP");
        assertThat(defaults.healthCheckPort()).isEqualTo("traffic-port");
    }

    @Test
    @Order(9)
    void stoppingTheDataPlane_reportsItsOpenUdpFlows() throws Exception {
        int sent = 0;
        try (DatagramSocket s = clientSocket(5_000)) {
            for (String text : new String[] {"last-1", "last-22"}) {
                assertThat(exchange(s, address(endpointId), UDP_PORT, text)).isNotNull();
                sent += text.length();
            }
        }
        dataPlane.close();
        // Nothing is open any more, so reading the records reports nothing: what shows was reported at the stop.
        int bytes = sent + 2 * 28;
        List<JsonNode> recs = records(subnetLog);
        assertThat(recs).anySatisfy(r -> {
            assertThat(r.path("protocol").asText()).isEqualTo("17");
            assertThat(r.path("dstaddr").asText()).isEqualTo(privateIp(appB));
            assertThat(r.path("packets").asText()).isEqualTo("2");
            assertThat(r.path("bytes").asText()).isEqualTo(Integer.toString(bytes));
        });
    }
}
