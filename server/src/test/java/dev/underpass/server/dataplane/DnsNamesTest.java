package dev.underpass.server.dataplane;

import dev.underpass.server.Loopback;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.underpass.dataplane.DataPlane;
import dev.underpass.dataplane.LoopbackAddresses;
import dev.underpass.server.TestVpcs;
import dev.underpass.server.UnderpassExtension;
import dev.underpass.server.cli.Main;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupAttribute;

/**
 * The DNS items of issue 14 through real sockets: a Network Load Balancer's name answers only the nodes of zones
 * that can carry a new flow to a healthy target (zone c has no target at all), all of them with cross-zone load
 * balancing, all of them again when no target is healthy (fail-open); instances' resource names answer when the
 * instance's own A-record option is on (taken from its subnet at launch, changed by ModifyPrivateDnsNameOptions),
 * inside their VPC only; and {@code underpass trace} takes these names, resolved as the
 * source's VPC resolves them. Linux only.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class DnsNamesTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = UnderpassExtension.onLoopback();
    private static final String OWNER = "555555555555";
    private static final int LISTENER_PORT = 7543;
    private static final int APP_PORT = 7180;
    private static final int INTERVAL = 5;
    private static final int UNHEALTHY = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Ec2Client ec2;
    private static ElasticLoadBalancingV2Client elb;
    private static String subA;
    private static String appA;
    private static String appB;
    private static String client;
    private static String stranger;
    private static String nlb;
    private static String nlbName;
    private static String targetGroup;
    private static DataPlane dataPlane;
    private static int dnsPort;
    private static final Map<String, HttpServer> apps = new ConcurrentHashMap<>();

    @BeforeAll
    static void scenario() throws Exception {
        ec2 = UNDERPASS.ec2(OWNER);
        elb = UNDERPASS.elbv2(OWNER);
        String vpc = TestVpcs.vpc(ec2, "10.5.0.0/16");
        subA = subnet(vpc, "10.5.1.0/24", "us-east-1a");
        String subB = subnet(vpc, "10.5.2.0/24", "us-east-1b");
        String subC = subnet(vpc, "10.5.3.0/24", "us-east-1c");
        appA = run(subA);
        appB = run(subB);
        client = run(subA);
        String group = Nlbs.defaultGroup(ec2, vpc);
        Nlbs.admitTcp(ec2, group, APP_PORT, APP_PORT, "10.5.0.0/16");
        String otherVpc = TestVpcs.vpc(ec2, "10.6.0.0/16");
        stranger = run(subnet(otherVpc, "10.6.1.0/24", "us-east-1a"));

        var lb = elb.createLoadBalancer(r -> r.name("dns").type("network").scheme("internal").subnets(subA, subB,
                subC)).loadBalancers().get(0);
        nlb = lb.loadBalancerArn();
        nlbName = lb.dnsName();
        targetGroup = elb.createTargetGroup(r -> r.name("dns").protocol("TCP").port(APP_PORT).vpcId(vpc)
                .targetType("instance").healthCheckProtocol("HTTP").healthCheckPath("/")
                .healthCheckIntervalSeconds(INTERVAL).healthCheckTimeoutSeconds(2).healthyThresholdCount(2)
                .unhealthyThresholdCount(UNHEALTHY)).targetGroups().get(0).targetGroupArn();
        Nlbs.register(elb, targetGroup, appA, appB);
        Nlbs.forwardTcp(elb, nlb, LISTENER_PORT, targetGroup);

        dataPlane = UNDERPASS.server().startDataPlane();
        dataPlane.sync();
        dnsPort = dataPlane.startDns("127.0.0.1", 0);
        startApp(appA);
        startApp(appB);
    }

    @AfterAll
    static void stopApps() {
        apps.values().forEach(s -> s.stop(0));
    }

    private static String subnet(String vpc, String cidr, String zone) {
        return ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock(cidr).availabilityZone(zone)).subnet().subnetId();
    }

    private static String run(String subnet) {
        return ec2.runInstances(r -> r.imageId("ami-12345678").instanceType("t3.micro").minCount(1).maxCount(1)
                .subnetId(subnet)).instances().get(0).instanceId();
    }

    private static void startApp(String instanceId) throws IOException {
        startApp(instanceId, 200);
    }

    /** An HTTP server on the instance's address that answers every request with {@code status} and its id. */
    private static void startApp(String instanceId, int status) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(address(instanceId).loopback(), APP_PORT), 50);
        http.createContext("/", exchange -> {
            byte[] body = instanceId.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        apps.put(instanceId, http);
    }

    private static LoopbackAddresses.Address address(String resourceId) {
        return Loopback.entry(dataPlane, resourceId);
    }

    /** The node addresses of the load balancer by zone letter (a, b, c). */
    private static String node(String zoneLetter) {
        return Loopback.node(dataPlane, nlb, "us-east-1" + zoneLetter).loopback();
    }

    private static Message ask(String from, String name) throws IOException {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", dnsPort));
        resolver.setLocalAddress(new InetSocketAddress(from, 0));
        resolver.setTimeout(Duration.ofSeconds(5));
        return resolver.send(Message.newQuery(org.xbill.DNS.Record.newRecord(Name.fromString(name + "."), Type.A,
                DClass.IN)));
    }

    private static List<String> answers(String from, String name) throws IOException {
        Message m = ask(from, name);
        assertThat(m.getRcode()).as("rcode of %s", name).isEqualTo(Rcode.NOERROR);
        return m.getSection(Section.ANSWER).stream().map(r -> ((ARecord) r).getAddress().getHostAddress()).toList();
    }

    private static String state(String instanceId) {
        return elb.describeTargetHealth(r -> r.targetGroupArn(targetGroup)).targetHealthDescriptions().stream()
                .filter(d -> d.target().id().equals(instanceId)).findFirst().orElseThrow().targetHealth()
                .stateAsString();
    }

    private static void crossZone(boolean on) {
        elb.modifyLoadBalancerAttributes(r -> r.loadBalancerArn(nlb).attributes(LoadBalancerAttribute.builder()
                .key("load_balancing.cross_zone.enabled").value(String.valueOf(on)).build()));
    }

    private static JsonNode trace(String query) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(UNDERPASS.endpoint()
                    + "/_underpass/trace?" + query)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return JSON.readTree(r.body());
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    @Order(1)
    void nlbName_answersTheZonesWithAHealthyTarget_notTheZoneWithoutTargets() throws Exception {
        String asker = address(client).loopback();
        DataPlaneTest.await(Duration.ofSeconds(INTERVAL * 2 + 5), () -> state(appA).equals("healthy")
                && state(appB).equals("healthy"));
        assertThat(answers(asker, nlbName)).containsExactlyInAnyOrder(node("a"), node("b"));
        // Anyone may ask: the name is public.
        assertThat(answers("127.0.0.1", nlbName)).containsExactlyInAnyOrder(node("a"), node("b"));
        // The source's own zone is in the answer: the trace takes the name to that node, as it always did.
        JsonNode body = trace("from=" + client + "&to=" + enc(nlbName) + "&port=" + LISTENER_PORT);
        assertThat(body.path("resolved").isMissingNode()).isTrue();
        assertThat(body.path("reachable").asBoolean()).as(body.toString()).isTrue();
    }

    @Test
    @Order(2)
    void withCrossZone_everyNodeReachesAHealthyTarget_soEveryNodeIsAnswered() throws Exception {
        crossZone(true);
        try {
            assertThat(answers(address(client).loopback(), nlbName))
                    .containsExactlyInAnyOrder(node("a"), node("b"), node("c"));
        } finally {
            crossZone(false);
        }
        assertThat(answers(address(client).loopback(), nlbName)).containsExactlyInAnyOrder(node("a"), node("b"));
    }

    @Test
    @Order(3)
    void dnsFailoverThresholds_takeAZoneWithTooFewHealthyTargetsOut() throws Exception {
        // Zone a gets a second target that serves nothing: one healthy of two there, one of one in zone b.
        Nlbs.register(elb, targetGroup, client);
        try {
            DataPlaneTest.await(Duration.ofSeconds(INTERVAL * (UNHEALTHY + 1) + 5),
                    () -> state(client).equals("unhealthy"));
            assertThat(answers(address(client).loopback(), nlbName)).containsExactlyInAnyOrder(node("a"), node("b"));
            failover("percentage", "100");
            assertThat(answers(address(client).loopback(), nlbName)).containsExactly(node("b"));
            failover("percentage", "50");
            assertThat(answers(address(client).loopback(), nlbName)).containsExactlyInAnyOrder(node("a"), node("b"));
            failover("count", "2"); // No zone has two healthy targets: none qualifies, and every node is answered.
            assertThat(answers(address(client).loopback(), nlbName))
                    .containsExactlyInAnyOrder(node("a"), node("b"), node("c"));
        } finally {
            failover("count", "1");
            failover("percentage", "off");
            elb.deregisterTargets(r -> r.targetGroupArn(targetGroup).targets(t -> t.id(client)));
        }
        assertThat(answers(address(client).loopback(), nlbName)).containsExactlyInAnyOrder(node("a"), node("b"));
    }

    @Test
    @Order(4)
    void routingFailover_belowItsThreshold_sendsNewFlowsToUnhealthyTargetsToo() throws Exception {
        // A second target in zone a that answers 503: unhealthy for the checks, yet it answers a flow sent to it.
        String sick = run(subA);
        dataPlane.sync();
        startApp(sick, 503);
        Nlbs.register(elb, targetGroup, sick);
        String from = address(client).loopback();
        try {
            DataPlaneTest.await(Duration.ofSeconds(INTERVAL * (UNHEALTHY + 1) + 5),
                    () -> state(sick).equals("unhealthy"));
            assertThat(calls(from, node("a"))).as("one healthy target is enough by default").containsOnly(appA);
            routing("2");
            assertThat(calls(from, node("a"))).as("below two healthy targets: every target of the zone")
                    .containsOnly(appA, sick).contains(sick);
            routing("1");
            assertThat(calls(from, node("a"))).containsOnly(appA);
        } finally {
            routing("1");
            elb.deregisterTargets(r -> r.targetGroupArn(targetGroup).targets(t -> t.id(sick)));
            apps.remove(sick).stop(0);
        }
    }

    /** The bodies of 24 HTTP calls from {@code from} through the node at {@code node}. */
    private static List<String> calls(String from, String node) {
        List<String> bodies = new java.util.ArrayList<>();
        for (int i = 0; i < 24; i++) {
            bodies.add(DataPlaneTest.call(from, node, LISTENER_PORT));
        }
        return bodies;
    }

    /**
     * Sets routing failover's minimum healthy count; DNS failover's count goes with it (DNS failover's threshold may
     * not be below routing failover's), so DNS answers every node while the routing test looks at one.
     */
    private static void routing(String count) {
        elb.modifyTargetGroupAttributes(r -> r.targetGroupArn(targetGroup).attributes(TargetGroupAttribute.builder()
                .key("target_group_health.dns_failover.minimum_healthy_targets.count").value(count).build(),
                TargetGroupAttribute.builder()
                        .key("target_group_health.unhealthy_state_routing.minimum_healthy_targets.count").value(count)
                        .build()));
        dataPlane.sync(); // The relays follow the world from the control thread.
    }

    private static void failover(String threshold, String value) {
        elb.modifyTargetGroupAttributes(r -> r.targetGroupArn(targetGroup).attributes(TargetGroupAttribute.builder()
                .key("target_group_health.dns_failover.minimum_healthy_targets." + threshold).value(value).build()));
    }

    @Test
    @Order(5)
    void deadTarget_takesItsZoneOutOfTheAnswer_assoonAsItsCheckFlips() throws Exception {
        apps.remove(appA).stop(0);
        DataPlaneTest.await(Duration.ofSeconds(INTERVAL * UNHEALTHY + 1), () -> state(appA).equals("unhealthy"));
        // No wait: the answer follows the health state's version, not only the world's.
        assertThat(answers(address(client).loopback(), nlbName)).containsExactly(node("b"));
    }

    @Test
    @Order(6)
    void traceToTheNlbName_goesToTheNodeDnsAnswers_notTheSourceZonesNodeTakenOut() throws Exception {
        String nodeB = dataPlane.addresses().all().stream().filter(a -> a.loopback().equals(node("b"))).findFirst()
                .orElseThrow().privateIp();
        JsonNode body = trace("from=" + client + "&to=" + enc(nlbName) + "&port=" + LISTENER_PORT);
        assertThat(body.path("query").path("to").asText()).isEqualTo(nlbName);
        assertThat(body.path("resolved").path("to").asText()).isEqualTo(nodeB);
        assertThat(body.path("reachable").asBoolean()).as(body.toString()).isTrue();
    }

    @Test
    @Order(7)
    void noHealthyTargetAnywhere_answersEveryNode() throws Exception {
        apps.remove(appB).stop(0);
        DataPlaneTest.await(Duration.ofSeconds(INTERVAL * UNHEALTHY + 1), () -> state(appB).equals("unhealthy"));
        assertThat(answers(address(client).loopback(), nlbName))
                .containsExactlyInAnyOrder(node("a"), node("b"), node("c"));
    }

    @Test
    @Order(8)
    void resourceName_answersInsideItsVpc_byTheInstancesOwnOption_keptFromLaunch() throws Exception {
        String resourceName = client + ".ec2.internal";
        String asker = address(client).loopback();
        assertThat(ask(asker, resourceName).getRcode()).isEqualTo(Rcode.NXDOMAIN);

        // Turning the subnet's switch on changes what later launches get, not the instance launched with it off.
        ec2.modifySubnetAttribute(r -> r.subnetId(subA).enableResourceNameDnsARecordOnLaunch(b -> b.value(true)));
        assertThat(ec2.describeSubnets(r -> r.subnetIds(subA)).subnets().get(0).privateDnsNameOptionsOnLaunch()
                .enableResourceNameDnsARecord()).isTrue();
        String named = run(subA);
        dataPlane.sync();
        assertThat(ask(asker, resourceName).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        String namedAddress = address(named).loopback();
        assertThat(answers(asker, named + ".ec2.internal")).containsExactly(namedAddress);

        // Turning it off again leaves the instance launched with it on answering.
        ec2.modifySubnetAttribute(r -> r.subnetId(subA).enableResourceNameDnsARecordOnLaunch(b -> b.value(false)));
        dataPlane.sync();
        assertThat(answers(asker, named + ".ec2.internal")).containsExactly(namedAddress);

        // ModifyPrivateDnsNameOptions turns the launched-off instance's record on.
        assertThat(ec2.modifyPrivateDnsNameOptions(r -> r.instanceId(client).enableResourceNameDnsARecord(true))
                .returnValue()).isTrue();
        dataPlane.sync();
        assertThat(answers(asker, resourceName)).containsExactly(asker);
        assertThat(answers(address(appA).loopback(), resourceName.toUpperCase(Locale.ROOT))).containsExactly(asker);
        // Another VPC does not see it; appB's record was never turned on.
        assertThat(ask(address(stranger).loopback(), resourceName).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(ask(asker, appB + ".ec2.internal").getRcode()).isEqualTo(Rcode.NXDOMAIN);
        // The IP name keeps working.
        String ipName = "ip-" + address(client).privateIp().replace('.', '-') + ".ec2.internal";
        assertThat(answers(asker, ipName)).containsExactly(asker);
    }

    @Test
    @Order(9)
    void trace_takesInstanceNames_asTheSourcesVpcResolvesThem() throws Exception {
        String from = client + ".ec2.internal";
        String to = "ip-" + address(appB).privateIp().replace('.', '-') + ".ec2.internal";
        JsonNode body = trace("from=" + enc(from) + "&to=" + enc(to) + "&port=" + APP_PORT);
        assertThat(body.path("query").path("from").asText()).isEqualTo(from);
        assertThat(body.path("resolved").path("from").asText()).isEqualTo(address(client).networkInterfaceId());
        assertThat(body.path("resolved").path("to").asText()).isEqualTo(address(appB).networkInterfaceId());
        assertThat(body.path("reachable").asBoolean()).as(body.toString()).isTrue();

        // From another VPC the name does not exist: nothing to reach.
        JsonNode away = trace("from=" + stranger + "&to=" + enc(to) + "&port=" + APP_PORT);
        assertThat(away.path("reachable").asBoolean()).isFalse();
        assertThat(away.path("resolved").isMissingNode()).isTrue();
        assertThat(away.path("blockers").get(0).path("code").asText()).isEqualTo("NO_SOURCE_OR_DESTINATION");

        StringWriter out = new StringWriter();
        var cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(new StringWriter()));
        assertThat(cmd.execute("trace", "--endpoint", UNDERPASS.endpoint().toString(), "--from", from, "--to", to,
                "--port", String.valueOf(APP_PORT))).isEqualTo(0);
        assertThat(out.toString()).startsWith("trace " + from + " (" + address(client).networkInterfaceId() + ") -> "
                + to + " (" + address(appB).networkInterfaceId() + ")").contains("REACHABLE");
    }

    @Test
    @Order(10)
    void trace_fromAnIpNameTwoVpcsShare_isRefusedAsAmbiguous() throws Exception {
        String ip = address(client).privateIp();
        String twin = TestVpcs.vpc(ec2, "10.5.0.0/16");
        String sub = subnet(twin, "10.5.1.0/24", "us-east-1a");
        ec2.runInstances(r -> r.imageId("ami-12345678").instanceType("t3.micro").minCount(1).maxCount(1)
                .subnetId(sub).privateIpAddress(ip));
        dataPlane.sync();
        String name = "ip-" + ip.replace('.', '-') + ".ec2.internal";
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(UNDERPASS.endpoint()
                    + "/_underpass/trace?from=" + enc(name) + "&to=" + appB + "&port=" + APP_PORT)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(400);
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.path("error").asText()).isEqualTo("InvalidParameterValue");
            assertThat(body.path("message").asText()).contains("stands for 2 interfaces");
        }
    }
}
