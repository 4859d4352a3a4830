package dev.underpass.server.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.underpass.dataplane.DataPlane;
import dev.underpass.server.UnderpassExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealth;

/**
 * HTTP health checks against real processes: a target answering 200 is healthy, one answering 503 is unhealthy
 * with {@code Target.ResponseCodeMismatch}, one that accepts and never answers is unhealthy with
 * {@code Target.Timeout}; flows go to the healthy one only. A listener port already taken on a node's address is
 * logged and skipped, and the load balancer's other listener still carries traffic.
 */
class HealthCheckReasonsTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();
    private static final String PROVIDER = "555555555555";
    private static final int APP_PORT = 7081;
    private static final int TAKEN_PORT = 7444;
    private static final int FREE_PORT = 7445;
    private static final int INTERVAL = 5;

    private static ElasticLoadBalancingV2Client elb;
    private static String ok;
    private static String failing;
    private static String silent;
    private static String client;
    private static String targetGroup;
    private static String node;
    private static DataPlane dataPlane;
    private static ServerSocket blocker;
    private static ServerSocket silentServer;
    private static final List<Socket> held = new CopyOnWriteArrayList<>();
    private static final List<HttpServer> apps = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void scenario() throws Exception {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"),
                "the loopback data plane needs Linux");
        Ec2Client ec2 = UNDERPASS.ec2(PROVIDER);
        elb = UNDERPASS.elbv2(PROVIDER);
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.5.0.0/16")).vpc().vpcId();
        String sub = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.5.1.0/24").availabilityZone("us-east-1a"))
                .subnet().subnetId();
        List<String> ids = ec2.runInstances(r -> r.imageId("ami-12345678").instanceType("t3.micro").minCount(4)
                .maxCount(4).subnetId(sub)).instances().stream().map(i -> i.instanceId()).sorted().toList();
        ok = ids.get(0);
        failing = ids.get(1);
        silent = ids.get(2);
        client = ids.get(3);
        DataPlaneTest.admitVpcBlock(ec2, vpc, "10.5.0.0/16");
        String nlb = elb.createLoadBalancer(r -> r.name("checks").type("network").scheme("internal").subnets(sub))
                .loadBalancers().get(0).loadBalancerArn();
        targetGroup = elb.createTargetGroup(r -> r.name("checks").protocol("TCP").port(APP_PORT).vpcId(vpc)
                .targetType("instance").healthCheckProtocol("HTTP").healthCheckPath("/health")
                .matcher(m -> m.httpCode("200")).healthCheckIntervalSeconds(INTERVAL).healthCheckTimeoutSeconds(2)
                .healthyThresholdCount(2).unhealthyThresholdCount(2)).targetGroups().get(0).targetGroupArn();
        elb.registerTargets(r -> r.targetGroupArn(targetGroup).targets(TargetDescription.builder().id(ok).build(),
                TargetDescription.builder().id(failing).build(), TargetDescription.builder().id(silent).build()));
        for (int port : new int[] {TAKEN_PORT, FREE_PORT}) {
            elb.createListener(r -> r.loadBalancerArn(nlb).port(port).protocol("TCP")
                    .defaultActions(Action.builder().type("forward").targetGroupArn(targetGroup).build()));
        }
        // The mapping is known before the data plane runs: take one listener's port on the node's address.
        JsonNode before = addresses("?id=" + java.net.URLEncoder.encode(nlb, StandardCharsets.UTF_8));
        assertThat(before.path("dataPlane").asText()).isEqualTo("off");
        node = before.path("addresses").get(0).path("loopback").asText();
        blocker = new ServerSocket();
        blocker.bind(new InetSocketAddress(node, TAKEN_PORT));

        dataPlane = UNDERPASS.server().startDataPlane();
        dataPlane.sync();
        app(ok, 200);
        app(failing, 503);
        silentServer = new ServerSocket();
        silentServer.bind(new InetSocketAddress(address(silent), APP_PORT));
        Thread.ofVirtual().start(() -> {
            while (!silentServer.isClosed()) {
                try {
                    held.add(silentServer.accept());
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    @AfterAll
    static void stop() throws IOException {
        apps.forEach(a -> a.stop(0));
        for (Socket s : held) {
            s.close();
        }
        if (silentServer != null) {
            silentServer.close();
        }
        if (blocker != null) {
            blocker.close();
        }
    }

    static void app(String instanceId, int healthStatus) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(address(instanceId), APP_PORT), 50);
        http.createContext("/", exchange -> {
            int status = exchange.getRequestURI().getPath().equals("/health") ? healthStatus : 200;
            byte[] body = instanceId.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        apps.add(http);
    }

    static String address(String id) {
        return dataPlane.addresses().all().stream().filter(a -> a.resourceId().equals(id)).findFirst()
                .orElseThrow().loopback();
    }

    static JsonNode addresses(String query) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(UNDERPASS.endpoint()
                    + "/_underpass/addresses" + query)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new ObjectMapper().readTree(r.body());
        }
    }

    static TargetHealth health(String id) {
        return elb.describeTargetHealth(r -> r.targetGroupArn(targetGroup)).targetHealthDescriptions().stream()
                .filter(d -> d.target().id().equals(id)).findFirst().orElseThrow().targetHealth();
    }

    @Test
    void eachFailureHasAwsReason_andFlowsGoToTheHealthyTargetOnly_evenWithOneListenerPortTaken() throws Exception {
        // Healthy needs two successes, unhealthy two failures (a timeout takes 2 s): interval × 2 + 2 s + 1 s.
        DataPlaneTest.await(Duration.ofSeconds(INTERVAL * 2 + 3), () -> health(ok).stateAsString().equals("healthy")
                && health(failing).stateAsString().equals("unhealthy")
                && health(silent).stateAsString().equals("unhealthy"));
        assertThat(health(ok).reasonAsString()).isNull();
        assertThat(health(failing).reasonAsString()).isEqualTo("Target.ResponseCodeMismatch");
        assertThat(health(failing).description()).isEqualTo("Health checks failed with these codes: [503]");
        assertThat(health(silent).reasonAsString()).isEqualTo("Target.Timeout");
        for (int i = 0; i < 6; i++) {
            assertThat(DataPlaneTest.call(address(client), node, FREE_PORT)).isEqualTo(ok);
        }
        assertThat(dataPlane.listenerCount()).isEqualTo(1);
    }
}
