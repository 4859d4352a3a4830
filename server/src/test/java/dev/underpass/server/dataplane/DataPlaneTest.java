package dev.underpass.server.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.underpass.dataplane.DataPlane;
import dev.underpass.server.Loopback;
import dev.underpass.server.TestVpcs;
import dev.underpass.server.UnderpassExtension;
import dev.underpass.server.cli.Main;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
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
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/**
 * The data plane end to end, with real sockets on 127.0.0.0/8: a provider runs two small HTTP servers bound to its
 * instances' loopback addresses, in two zones behind an NLB offered as an endpoint service; a consumer instance
 * connects from its own address to its interface endpoint's address and gets an answer. Linux only (elsewhere
 * 127.0.0.0/8 beyond 127.0.0.1 is not routed to loopback).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class DataPlaneTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = UnderpassExtension.onLoopback();
    private static final String PROVIDER = "333333333333";
    private static final String CONSUMER = "444444444444";
    private static final int LISTENER_PORT = 7443;
    private static final int APP_PORT = 7080;
    private static final int INTERVAL = 5;
    private static final int UNHEALTHY = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Ec2Client consumer;
    private static ElasticLoadBalancingV2Client elb;
    private static String appA;
    private static String appB;
    private static String client;
    private static String endpointId;
    private static String endpointGroup;
    private static String targetGroup;
    private static String nlb;
    private static String providerVpc;
    private static String insider;
    private static DataPlane dataPlane;
    private static final Map<String, HttpServer> apps = new ConcurrentHashMap<>();

    @BeforeAll
    static void scenario() throws Exception {
        Ec2Client provider = UNDERPASS.ec2(PROVIDER);
        elb = UNDERPASS.elbv2(PROVIDER);
        String pvpc = TestVpcs.vpc(provider, "10.0.0.0/16");
        providerVpc = pvpc;
        String subA = TestVpcs.subnetId(provider, pvpc, "10.0.1.0/24", "us-east-1a");
        String subB = TestVpcs.subnetId(provider, pvpc, "10.0.2.0/24", "us-east-1b");
        appA = Loopback.instance(provider, subA);
        appB = Loopback.instance(provider, subB);
        insider = Loopback.instance(provider, subA);
        Nlbs.admitTcp(provider, Nlbs.defaultGroup(provider, pvpc), APP_PORT, APP_PORT, "10.0.0.0/16");
        nlb = Nlbs.internalNlb(elb, "app", subA, subB);
        targetGroup = elb.createTargetGroup(r -> r.name("app").protocol("TCP").port(APP_PORT).vpcId(pvpc)
                .targetType("instance").healthCheckProtocol("HTTP").healthCheckPath("/health")
                .healthCheckIntervalSeconds(INTERVAL).healthCheckTimeoutSeconds(2).healthyThresholdCount(2)
                .unhealthyThresholdCount(UNHEALTHY)).targetGroups().get(0).targetGroupArn();
        Nlbs.register(elb, targetGroup, appA, appB);
        Nlbs.forwardTcp(elb, nlb, LISTENER_PORT, targetGroup);
        var service = Nlbs.offer(provider, nlb, CONSUMER);

        consumer = UNDERPASS.ec2(CONSUMER);
        String cvpc = TestVpcs.vpc(consumer, "10.1.0.0/16");
        String csub = TestVpcs.subnetId(consumer, cvpc, "10.1.1.0/24", "us-east-1a");
        client = Loopback.instance(consumer, csub);
        endpointGroup = consumer.createSecurityGroup(r -> r.vpcId(cvpc).groupName("endpoint")
                .description("endpoint")).groupId();
        consumer.authorizeSecurityGroupIngress(r -> r.groupId(endpointGroup).ipProtocol("tcp")
                .fromPort(LISTENER_PORT).toPort(LISTENER_PORT).cidrIp("10.1.0.0/16"));
        endpointId = consumer.createVpcEndpoint(r -> r.vpcId(cvpc).vpcEndpointType("Interface")
                .serviceName(service.serviceName()).subnetIds(csub).securityGroupIds(endpointGroup))
                .vpcEndpoint().vpcEndpointId();

        dataPlane = UNDERPASS.server().startDataPlane();
        dataPlane.sync();
        startApp(appA);
        startApp(appB);
    }

    @AfterAll
    static void stopApps() {
        apps.values().forEach(s -> s.stop(0));
    }

    /** A tiny HTTP server "running on" an instance: bound to its loopback address; says who it is and who asked. */
    static void startApp(String instanceId) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(address(instanceId), APP_PORT), 50);
        http.createContext("/", exchange -> {
            byte[] body = (instanceId + " " + exchange.getRemoteAddress().getAddress().getHostAddress())
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        apps.put(instanceId, http);
    }

    static String address(String id) {
        return Loopback.address(dataPlane, id);
    }

    /** One HTTP/1.0 request from {@code from} to {@code to:port}: the body, or null when the connection fails. */
    public static String call(String from, String to, int port) {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress(to, port), 5_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.0\r\nHost: app\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int body = answer.indexOf("\r\n\r\n");
            return answer.isEmpty() || body < 0 ? null : answer.substring(body + 4);
        } catch (IOException e) {
            return null;
        }
    }

    static TargetHealthDescription health(String instanceId) {
        return Nlbs.health(elb, targetGroup, instanceId);
    }

    public static void await(Duration deadline, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within %s", deadline).isLessThan(end);
            Thread.sleep(100);
        }
    }

    static JsonNode addresses(String query) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(UNDERPASS.endpoint()
                    + "/_underpass/addresses" + query)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            return JSON.readTree(r.body());
        }
    }

    @Test
    @Order(1)
    void addresses_listInstancesEndpointInterfacesAndNodes_andAddrPrintsOne() throws Exception {
        JsonNode body = addresses("");
        assertThat(body.path("dataPlane").asText()).isEqualTo("loopback");
        List<String> roles = new ArrayList<>();
        body.path("addresses").forEach(a -> roles.add(a.path("role").asText() + " " + a.path("resourceId").asText()));
        assertThat(roles).contains("instance " + appA, "instance " + appB, "instance " + client,
                "vpc-endpoint " + endpointId, "load-balancer " + nlb);
        assertThat(roles.stream().filter(r -> r.equals("load-balancer " + nlb))).hasSize(2);
        body.path("addresses").forEach(a -> assertThat(a.path("loopback").asText()).startsWith("127.")
                .isNotEqualTo("127.0.0.1"));

        JsonNode one = addresses("?id=" + client).path("addresses");
        assertThat(one).hasSize(1);
        String privateIp = one.get(0).path("privateIp").asText();
        assertThat(privateIp).startsWith("10.1.1.");

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        assertThat(cmd.execute("addr", "--endpoint", UNDERPASS.endpoint().toString(), client)).isEqualTo(0);
        assertThat(out.toString()).startsWith(address(client)).contains(privateIp).contains("instance");
        assertThat(cmd.execute("addr", "--endpoint", UNDERPASS.endpoint().toString(), "i-0000000000000dead"))
                .isEqualTo(1);
    }

    @Test
    @Order(2)
    void targets_startInitial_thenRealChecksMakeThemHealthy() throws Exception {
        TargetHealthDescription first = health(appA);
        assertThat(first.targetHealth().stateAsString()).isIn("initial", "healthy");
        if (first.targetHealth().stateAsString().equals("initial")) {
            assertThat(first.targetHealth().reasonAsString()).isEqualTo("Elb.InitialHealthChecking");
        }
        // Two successes at the interval: healthy within interval × threshold + 1 s of the first check.
        await(Duration.ofSeconds(INTERVAL * 2 + 1), () -> health(appA).targetHealth().stateAsString()
                .equals("healthy") && health(appB).targetHealth().stateAsString().equals("healthy"));
    }

    @Test
    @Order(3)
    void consumerReachesTheProvidersApp_throughItsEndpoint_andTheAppSeesTheNlbNodeNotTheClient() {
        String answer = call(address(client), address(endpointId), LISTENER_PORT);
        assertThat(answer).isNotNull();
        // Cross-zone is off and the endpoint interface is in us-east-1a: the node there sends to appA.
        String[] parts = answer.split(" ");
        assertThat(parts[0]).isEqualTo(appA);
        List<String> nodes = Loopback.nodes(dataPlane, nlb).stream().map(a -> a.loopback()).toList();
        assertThat(nodes).contains(parts[1]);
    }

    @Test
    @Order(4)
    void directToTheNlbNode_isDecidedByTheAnalyzer_refusedWithoutAPath_andOnceJoinedTheTargetSeesTheClient()
            throws Exception {
        var nodeA = Loopback.node(dataPlane, nlb, "us-east-1a");
        String clientIp = Loopback.entry(dataPlane, client).privateIp();
        Ec2Client provider = UNDERPASS.ec2(PROVIDER);
        String providerLog = provider.createFlowLogs(r -> r.resourceType(
                software.amazon.awssdk.services.ec2.model.FlowLogsResourceType.VPC).resourceIds(providerVpc)
                .trafficType(software.amazon.awssdk.services.ec2.model.TrafficType.REJECT)
                .logDestinationType(software.amazon.awssdk.services.ec2.model.LogDestinationType.S3)
                .logDestination("arn:aws:s3:::provider-logs")).flowLogIds().get(0);
        // The consumer's VPC has no path to the provider's: the node refuses the connection (a reset).
        assertThat(call(address(client), nodeA.loopback(), LISTENER_PORT)).isNull();
        await(Duration.ofSeconds(10), () -> rejects(providerLog).stream().anyMatch(r -> r.path("srcaddr").asText()
                .equals(clientIp) && r.path("dstaddr").asText().equals(nodeA.privateIp())
                && r.path("dstport").asText().equals(String.valueOf(LISTENER_PORT))
                && r.path("interface-id").asText().equals(nodeA.networkInterfaceId())));

        // From the provider's own VPC (the targets' group admits its block): carried, and the instance target
        // sees the client's own address (client IP preservation).
        String answer = call(address(insider), nodeA.loopback(), LISTENER_PORT);
        assertThat(answer).isEqualTo(appA + " " + address(insider));
    }

    /**
     * Lets the VPC's block in to the default group of {@code vpc}, every protocol: instance targets behind an NLB
     * see their clients' own addresses, which a group's reference to itself does not match.
     */
    public static void admitVpcBlock(Ec2Client ec2, String vpc, String cidr) {
        String group = Nlbs.defaultGroup(ec2, vpc);
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(group).ipProtocol("-1").cidrIp(cidr));
    }

    /** The REJECT records of a flow log, as {@code GET /_underpass/flow-logs} gives them. */
    static List<JsonNode> rejects(String flowLogId) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(UNDERPASS.endpoint()
                    + "/_underpass/flow-logs?flowLogId=" + flowLogId + "&action=REJECT")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            List<JsonNode> out = new ArrayList<>();
            JSON.readTree(r.body()).path("flowLogs").get(0).path("records").forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    @Test
    @Order(5)
    void fromAnAddressThatIsNoInterface_theEndpointResets() {
        assertThat(call("127.0.0.1", address(endpointId), LISTENER_PORT)).isNull();
    }

    @Test
    @Order(6)
    void securityGroupRevoke_refusesTheNextConnection_andReAuthorizeLetsItThrough() {
        consumer.revokeSecurityGroupIngress(r -> r.groupId(endpointGroup).ipProtocol("tcp").fromPort(LISTENER_PORT)
                .toPort(LISTENER_PORT).cidrIp("10.1.0.0/16"));
        assertThat(call(address(client), address(endpointId), LISTENER_PORT)).isNull();
        consumer.authorizeSecurityGroupIngress(r -> r.groupId(endpointGroup).ipProtocol("tcp")
                .fromPort(LISTENER_PORT).toPort(LISTENER_PORT).cidrIp("10.1.0.0/16"));
        assertThat(call(address(client), address(endpointId), LISTENER_PORT)).startsWith(appA + " ");
    }

    @Test
    @Order(7)
    void deadTarget_isMarkedUnhealthy_andTrafficMovesToTheOtherZone() throws Exception {
        apps.remove(appA).stop(0);
        await(Duration.ofSeconds(INTERVAL * UNHEALTHY + 1), () -> health(appA).targetHealth().stateAsString()
                .equals("unhealthy"));
        assertThat(health(appA).targetHealth().reasonAsString()).isEqualTo("Target.FailedHealthChecks");
        assertThat(health(appB).targetHealth().stateAsString()).isEqualTo("healthy");
        for (int i = 0; i < 5; i++) {
            assertThat(call(address(client), address(endpointId), LISTENER_PORT)).startsWith(appB + " ");
        }
    }

    @Test
    @Order(8)
    void deregisteredTarget_isDraining_andGetsNoNewFlows() {
        elb.deregisterTargets(r -> r.targetGroupArn(targetGroup).targets(TargetDescription.builder().id(appB)
                .build()));
        assertThat(health(appB).targetHealth().stateAsString()).isEqualTo("draining");
        assertThat(health(appB).targetHealth().reasonAsString()).isEqualTo("Target.DeregistrationInProgress");
        // Only appA is left, and it is unhealthy: fail-open sends to it, and it is down, so the flow is refused.
        assertThat(call(address(client), address(endpointId), LISTENER_PORT)).isNull();
    }

    static Message ask(String from, String name, boolean tcp) throws IOException {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", dnsPort));
        resolver.setLocalAddress(new InetSocketAddress(from, 0));
        resolver.setTCP(tcp);
        resolver.setTimeout(Duration.ofSeconds(5));
        return resolver.send(Message.newQuery(org.xbill.DNS.Record.newRecord(Name.fromString(name + "."), Type.A,
                DClass.IN)));
    }

    static List<String> answers(Message m) {
        return m.getSection(Section.ANSWER).stream().map(r -> ((ARecord) r).getAddress().getHostAddress()).toList();
    }

    private static int dnsPort;

    @Test
    @Order(9)
    void dns_answersEndpointNlbAndInstanceNames_perAskingVpc_overUdpAndTcp() throws Exception {
        dnsPort = dataPlane.startDns("127.0.0.1", 0);
        var entries = consumer.describeVpcEndpoints(r -> r.vpcEndpointIds(endpointId)).vpcEndpoints().get(0)
                .dnsEntries();
        String regional = entries.get(0).dnsName();
        String zonal = entries.get(1).dnsName();
        assertThat(zonal).contains("-us-east-1a.");
        for (boolean tcp : new boolean[] {false, true}) {
            Message m = ask(address(client), regional, tcp);
            assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(answers(m)).containsExactly(address(endpointId));
            assertThat(m.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(60);
        }
        assertThat(answers(ask(address(client), zonal, false))).containsExactly(address(endpointId));
        // Public names answer anyone, even an asker that is no interface.
        assertThat(answers(ask("127.0.0.1", regional, false))).containsExactly(address(endpointId));

        String nlbName = elb.describeLoadBalancers(r -> r.loadBalancerArns(nlb)).loadBalancers().get(0).dnsName();
        List<String> nodes = Loopback.nodes(dataPlane, nlb).stream().map(a -> a.loopback()).toList();
        assertThat(answers(ask(address(client), nlbName, false))).containsExactlyInAnyOrderElementsOf(nodes);

        String privateIp = Loopback.entry(dataPlane, client).privateIp();
        String own = "ip-" + privateIp.replace('.', '-') + ".ec2.internal";
        assertThat(answers(ask(address(client), own, false))).containsExactly(address(client));
        // An instance's private name exists only inside its VPC.
        assertThat(ask(address(appA), own, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(ask(address(client), "nothing.example.com", false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }
}
