package dev.underpass.server.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.underpass.dataplane.DataPlane;
import dev.underpass.dataplane.FlowRecorder;
import dev.underpass.dataplane.LoopbackAddresses;
import dev.underpass.server.Loopback;
import dev.underpass.server.ServerConfig;
import dev.underpass.server.TestVpcs;
import dev.underpass.server.UnderpassExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
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

/**
 * Flow-log records from real connections: a consumer calls a provider's app through its interface endpoint, and
 * the flow logs on the consumer's VPC, on its endpoint interface and on the provider's subnet get the records AWS
 * would write (private addresses, ports, ACCEPT/REJECT, the custom formats' fields), in files named as AWS names its
 * S3 objects under {@code --data-dir/flow-logs/<flow-log-id>/}, and from {@code GET /_underpass/flow-logs}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlowLogRecordsTest {
    private static final Path DATA = tempDir();
    @RegisterExtension
    static final UnderpassExtension UNDERPASS =
            UnderpassExtension.onLoopback(ServerConfig.forTests().withDataDir(DATA));
    private static final String PROVIDER = "777777777777";
    private static final String CONSUMER = "888888888888";
    private static final int PORT = 7447;
    private static final int APP_PORT = 7083;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Ec2Client consumer;
    private static DataPlane dataPlane;
    private static HttpServer app;
    private static String appInstance;
    private static String client;
    private static String endpointId;
    private static String endpointGroup;
    private static String vpcLog;
    private static String endpointLog;
    private static String subnetLog;

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("underpass-flow-logs");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void scenario() throws Exception {
        Ec2Client provider = UNDERPASS.ec2(PROVIDER);
        Nlbs.Provider backend = Nlbs.oneApp(provider, "10.7.0.0/16", APP_PORT);
        appInstance = backend.instances().get(0);
        var service = Nlbs.offerApp(provider, UNDERPASS.elbv2(PROVIDER), backend, "logged", APP_PORT, PORT, CONSUMER,
                tg -> {});
        String psub = backend.subnetId();
        subnetLog = provider.createFlowLogs(r -> r.resourceType(FlowLogsResourceType.SUBNET).resourceIds(psub)
                .trafficType(TrafficType.ALL).logDestinationType(LogDestinationType.S3)
                .logDestination("arn:aws:s3:::provider-logs").maxAggregationInterval(60)
                .logFormat("${interface-id} ${instance-id} ${srcaddr} ${dstaddr} ${dstport} ${flow-direction} "
                        + "${tcp-flags} ${action} ${version}"))
                .flowLogIds().get(0);

        consumer = UNDERPASS.ec2(CONSUMER);
        String cvpc = TestVpcs.vpc(consumer, "10.8.0.0/16");
        String csub = TestVpcs.subnetId(consumer, cvpc, "10.8.1.0/24", "us-east-1a");
        client = Loopback.instance(consumer, csub);
        endpointGroup = consumer.createSecurityGroup(r -> r.vpcId(cvpc).groupName("endpoint")
                .description("endpoint")).groupId();
        Nlbs.admitTcp(consumer, endpointGroup, PORT, PORT, "10.8.0.0/16");
        endpointId = consumer.createVpcEndpoint(r -> r.vpcId(cvpc).vpcEndpointType("Interface")
                .serviceName(service.serviceName()).subnetIds(csub).securityGroupIds(endpointGroup))
                .vpcEndpoint().vpcEndpointId();
        String endpointInterface = consumer.describeVpcEndpoints(r -> r.vpcEndpointIds(endpointId)).vpcEndpoints()
                .get(0).networkInterfaceIds().get(0);
        vpcLog = consumer.createFlowLogs(r -> r.resourceType(FlowLogsResourceType.VPC).resourceIds(cvpc)
                .trafficType(TrafficType.ALL).logDestinationType(LogDestinationType.S3)
                .logDestination("arn:aws:s3:::consumer-logs")).flowLogIds().get(0);
        endpointLog = consumer.createFlowLogs(r -> r.resourceType(FlowLogsResourceType.NETWORK_INTERFACE)
                .resourceIds(endpointInterface).trafficType(TrafficType.REJECT)
                .logDestinationType(LogDestinationType.S3).logDestination("arn:aws:s3:::consumer-logs/rejects"))
                .flowLogIds().get(0);

        dataPlane = UNDERPASS.server().startDataPlane();
        dataPlane.sync();
        app = Nlbs.serve(HttpServer.create(new InetSocketAddress(address(appInstance).loopback(), APP_PORT), 50),
                () -> 200, "hello from the provider");
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.stop(0);
        }
    }

    static LoopbackAddresses.Address address(String resourceId) {
        return Loopback.entry(dataPlane, resourceId);
    }

    static HttpResponse<String> get(String query) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(UNDERPASS.endpoint() + "/_underpass/flow-logs"
                    + query)).GET().build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    static List<JsonNode> records(String flowLogId) throws Exception {
        HttpResponse<String> r = get("?flowLogId=" + flowLogId);
        assertThat(r.statusCode()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(r.body()).path("flowLogs").get(0).path("records").forEach(out::add);
        return out;
    }

    static List<JsonNode> awaitRecords(String flowLogId, int atLeast) throws Exception {
        List<JsonNode> got = records(flowLogId);
        for (int i = 0; i < 100 && got.size() < atLeast; i++) {
            Thread.sleep(100);
            got = records(flowLogId);
        }
        return got;
    }

    @Test
    @Order(1)
    void acceptedConnection_isRecordedOnTheClientAndEndpointInterfaces_inTheDefaultFormat() throws Exception {
        assertThat(DataPlaneTest.call(address(client).loopback(), address(endpointId).loopback(), PORT))
                .isEqualTo("hello from the provider");
        List<JsonNode> recs = awaitRecords(vpcLog, 4);
        assertThat(recs).hasSize(4);
        String clientIp = address(client).privateIp();
        String endpointIp = address(endpointId).privateIp();
        JsonNode out = recs.stream().filter(r -> r.path("interface-id").asText().equals(
                address(client).networkInterfaceId()) && r.path("srcaddr").asText().equals(clientIp)).findFirst()
                .orElseThrow();
        assertThat(out.path("version").asText()).isEqualTo("2");
        assertThat(out.path("account-id").asText()).isEqualTo(CONSUMER);
        assertThat(out.path("dstaddr").asText()).isEqualTo(endpointIp);
        assertThat(out.path("dstport").asText()).isEqualTo(Integer.toString(PORT));
        assertThat(out.path("protocol").asText()).isEqualTo("6");
        assertThat(out.path("action").asText()).isEqualTo("ACCEPT");
        assertThat(out.path("log-status").asText()).isEqualTo("OK");
        assertThat(out.path("packets").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(out.path("bytes").asLong()).isGreaterThan(29);
        assertThat(out.path("end").asLong()).isGreaterThanOrEqualTo(out.path("start").asLong());
        // The answer's direction: from the endpoint's address back to the client's port.
        JsonNode back = recs.stream().filter(r -> r.path("interface-id").asText().equals(
                address(endpointId).networkInterfaceId()) && r.path("srcaddr").asText().equals(endpointIp))
                .findFirst().orElseThrow();
        assertThat(back.path("dstaddr").asText()).isEqualTo(clientIp);
        assertThat(back.path("srcport").asText()).isEqualTo(Integer.toString(PORT));
        assertThat(back.path("dstport").asText()).isEqualTo(out.path("srcport").asText());
        // The answer carried the body: more bytes back than the bare handshake.
        assertThat(back.path("bytes").asLong()).isGreaterThan(23 + 4 * 52);
        // A REJECT-only flow log on the endpoint interface has nothing yet.
        assertThat(records(endpointLog)).isEmpty();
    }

    @Test
    @Order(2)
    void providerSubnetLog_showsTheNodeToTargetHop_inItsCustomFormat() throws Exception {
        List<JsonNode> recs = awaitRecords(subnetLog, 4);
        String appIp = address(appInstance).privateIp();
        JsonNode in = recs.stream().filter(r -> r.path("interface-id").asText().equals(
                address(appInstance).networkInterfaceId()) && r.path("flow-direction").asText().equals("ingress"))
                .findFirst().orElseThrow();
        assertThat(in.path("instance-id").asText()).isEqualTo(appInstance);
        assertThat(in.path("dstaddr").asText()).isEqualTo(appIp);
        assertThat(in.path("dstport").asText()).isEqualTo(Integer.toString(APP_PORT));
        // Through PrivateLink the target sees the NLB node's address, never the consumer's.
        List<String> nodeIps = dataPlane.addresses().all().stream()
                .filter(a -> a.role() == LoopbackAddresses.Role.LOAD_BALANCER).map(LoopbackAddresses.Address::privateIp)
                .toList();
        assertThat(nodeIps).contains(in.path("srcaddr").asText());
        assertThat(in.path("tcp-flags").asText()).isEqualTo("3");
        assertThat(in.path("version").asText()).isEqualTo("5");
        assertThat(in.path("action").asText()).isEqualTo("ACCEPT");
        // The node's own interface (in the same subnet) records its side of the hop too.
        assertThat(recs.stream().map(r -> r.path("instance-id").asText())).contains("-");
    }

    @Test
    @Order(3)
    void revokedEndpointGroup_refusesTheConnection_andTheEndpointInterfaceRecordsReject() throws Exception {
        consumer.revokeSecurityGroupIngress(r -> r.groupId(endpointGroup).ipProtocol("tcp").fromPort(PORT)
                .toPort(PORT).cidrIp("10.8.0.0/16"));
        assertThat(DataPlaneTest.call(address(client).loopback(), address(endpointId).loopback(), PORT)).isNull();
        List<JsonNode> rejects = awaitRecords(endpointLog, 1);
        assertThat(rejects).hasSize(1);
        JsonNode r = rejects.get(0);
        assertThat(r.path("action").asText()).isEqualTo("REJECT");
        assertThat(r.path("interface-id").asText()).isEqualTo(address(endpointId).networkInterfaceId());
        assertThat(r.path("srcaddr").asText()).isEqualTo(address(client).privateIp());
        assertThat(r.path("dstport").asText()).isEqualTo(Integer.toString(PORT));
        assertThat(r.path("packets").asText()).isEqualTo("1");
        // The VPC's log has the REJECT at the endpoint and the client's attempt leaving as ACCEPT.
        HttpResponse<String> onlyRejects = get("?flowLogId=" + vpcLog + "&action=REJECT");
        assertThat(JSON.readTree(onlyRejects.body()).path("flowLogs").get(0).path("records")).hasSize(1);
        assertThat(awaitRecords(vpcLog, 6)).hasSize(6);
    }

    @Test
    @Order(4)
    void files_areNamedAsAwsNamesItsObjects_withTheHeaderLineFirst() throws Exception {
        Path dir = DATA.resolve("flow-logs").resolve(vpcLog);
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.toList();
        }
        assertThat(files).isNotEmpty();
        String name = files.get(0).getFileName().toString();
        assertThat(name).matches(CONSUMER + "_vpcflowlogs_us-east-1_" + vpcLog + "_\\d{8}T\\d{4}Z_[0-9a-f]{8}\\.log");
        List<String> lines = Files.readAllLines(files.get(0));
        assertThat(lines.get(0)).isEqualTo("version account-id interface-id srcaddr dstaddr srcport dstport protocol "
                + "packets bytes start end action log-status");
        assertThat(lines.get(1)).startsWith("2 " + CONSUMER + " eni-");
        JsonNode body = JSON.readTree(get("?flowLogId=" + vpcLog).body()).path("flowLogs").get(0);
        assertThat(body.path("files").get(0).asText()).isEqualTo("flow-logs/" + vpcLog + "/" + name);
    }

    @Test
    @Order(6)
    void recorderApi_aHopToAnAddressThatIsNoInterface_isRecordedAtTheClientOnly() throws Exception {
        java.time.Instant now = java.time.Instant.now();
        UNDERPASS.server().flowLogs().record(FlowRecorder.Leg.tcp(address(client).loopback(), 40_000, "52.216.8.10",
                443, 100, 5_000, now, now, FlowRecorder.Outcome.ACCEPTED));
        List<JsonNode> recs = awaitRecords(vpcLog, 8);
        List<JsonNode> toS3 = recs.stream().filter(r -> r.path("dstaddr").asText().equals("52.216.8.10")
                || r.path("srcaddr").asText().equals("52.216.8.10")).toList();
        assertThat(toS3).hasSize(2);
        assertThat(toS3).allSatisfy(r -> assertThat(r.path("interface-id").asText())
                .isEqualTo(address(client).networkInterfaceId()));
        JsonNode out = toS3.stream().filter(r -> r.path("dstaddr").asText().equals("52.216.8.10")).findFirst()
                .orElseThrow();
        assertThat(out.path("srcport").asText()).isEqualTo("40000");
        assertThat(out.path("dstport").asText()).isEqualTo("443");
        // SYN, one data segment, FIN; 52 header bytes each.
        assertThat(out.path("packets").asText()).isEqualTo("3");
        assertThat(out.path("bytes").asText()).isEqualTo(Integer.toString(100 + 3 * 52));
    }

    @Test
    @Order(5)
    void badQueries_getAwsShapedErrors() throws Exception {
        HttpResponse<String> unknown = get("?flowLogId=fl-0000000000000dead");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).path("error").asText()).isEqualTo("InvalidFlowLogId.NotFound");
        HttpResponse<String> badAction = get("?action=DROP");
        assertThat(badAction.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badAction.body()).path("error").asText()).isEqualTo("InvalidParameterValue");
    }

    @Test
    @Order(7)
    void longConnection_hasARecordPerWindow_whoseBytesAddUpToWhatItCarried() throws Exception {
        // The SG revoked in order 3 is opened again; windows of 1 s stand in for AWS's 60 s.
        Nlbs.admitTcp(consumer, endpointGroup, PORT, PORT, "10.8.0.0/16");
        dataPlane.aggregateFlowsEvery(java.time.Duration.ofSeconds(1));
        int localPort;
        long sent = 0;
        long received;
        try (java.net.Socket s = new java.net.Socket()) {
            s.bind(new InetSocketAddress(address(client).loopback(), 0));
            s.connect(new InetSocketAddress(address(endpointId).loopback(), PORT), 5000);
            localPort = s.getLocalPort();
            OutputStream out = s.getOutputStream();
            // A request sent a header at a time over about three windows, then read to its end.
            String[] parts = {"GET /slow HTTP/1.1\r\n", "Host: provider\r\n", "X-Part: two\r\n",
                "Connection: close\r\n\r\n"};
            for (int i = 0; i < parts.length; i++) {
                byte[] b = parts[i].getBytes(StandardCharsets.US_ASCII);
                out.write(b);
                out.flush();
                sent += b.length;
                if (i < parts.length - 1) {
                    Thread.sleep(1100);
                }
            }
            received = s.getInputStream().readAllBytes().length;
        } finally {
            dataPlane.aggregateFlowsEvery(java.time.Duration.ofSeconds(60));
        }
        assertThat(received).isGreaterThan(0);
        String clientEni = address(client).networkInterfaceId();
        String port = Integer.toString(localPort);
        java.util.function.Predicate<JsonNode> egress = r -> r.path("interface-id").asText().equals(clientEni)
                && r.path("srcport").asText().equals(port);
        java.util.function.Predicate<JsonNode> ingress = r -> r.path("interface-id").asText().equals(clientEni)
                && r.path("dstport").asText().equals(port);
        List<JsonNode> out = List.of();
        List<JsonNode> in = List.of();
        for (int i = 0; i < 100 && (payload(out) < sent || payload(in) < received); i++) {
            Thread.sleep(100);
            List<JsonNode> all = records(vpcLog);
            out = all.stream().filter(egress).toList();
            in = all.stream().filter(ingress).toList();
        }
        // One record per window the request's parts fell in, each no longer than a window, none counted twice.
        // (Four parts 1.1 s apart fall in four windows; a sweep run late under load may merge two.)
        assertThat(out.size()).isGreaterThanOrEqualTo(2);
        assertThat(payload(out)).isEqualTo(sent);
        assertThat(payload(in)).isEqualTo(received);
        for (JsonNode r : out) {
            long start = r.path("start").asLong();
            long end = r.path("end").asLong();
            assertThat(end - start).isBetween(0L, 1L);
            assertThat(r.path("action").asText()).isEqualTo("ACCEPT");
        }
        // The SYN is in the first part only and the FIN in the last: packets are the payload's segments (one per
        // record that carried any, each part being under 1,448 bytes) plus two.
        long carrying = out.stream().filter(r -> payload(List.of(r)) > 0).count();
        assertThat(out.stream().mapToLong(r -> r.path("packets").asLong()).sum()).isEqualTo(carrying + 2);
    }

    /** The payload of some records: their bytes less the 52 header bytes of each packet. */
    private static long payload(List<JsonNode> recs) {
        return recs.stream().mapToLong(r -> r.path("bytes").asLong() - 52 * r.path("packets").asLong()).sum();
    }
}
