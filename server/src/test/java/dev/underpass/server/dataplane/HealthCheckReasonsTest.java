package dev.underpass.server.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.underpass.dataplane.DataPlane;
import dev.underpass.server.Loopback;
import dev.underpass.server.UnderpassExtension;
import java.io.IOException;
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
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealth;

/**
 * HTTP health checks against real processes: a target answering 200 is healthy, one answering 503 is unhealthy
 * with {@code Target.ResponseCodeMismatch}, one that accepts and never answers is unhealthy with
 * {@code Target.Timeout}; flows go to the healthy one only. A listener port already taken on a node's address is
 * logged and skipped, and the load balancer's other listener still carries traffic.
 */
class HealthCheckReasonsTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = UnderpassExtension.onLoopback();
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
        Nlbs.Provider p = Nlbs.provider(UNDERPASS.ec2(PROVIDER), "10.5.0.0/16", 4);
        elb = UNDERPASS.elbv2(PROVIDER);
        String vpc = p.vpcId();
        String sub = p.subnetId();
        ok = p.instances().get(0);
        failing = p.instances().get(1);
        silent = p.instances().get(2);
        client = p.instances().get(3);
        String nlb = Nlbs.internalNlb(elb, "checks", sub);
        targetGroup = Nlbs.checkedTargetGroup(elb, "checks", vpc, APP_PORT, "HTTP", INTERVAL);
        Nlbs.register(elb, targetGroup, ok, failing, silent);
        for (int port : new int[] {TAKEN_PORT, FREE_PORT}) {
            Nlbs.forwardTcp(elb, nlb, port, targetGroup);
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
        apps.add(Nlbs.serve(HttpServer.create(new InetSocketAddress(address(instanceId), APP_PORT), 50),
                () -> healthStatus, instanceId));
    }

    static String address(String id) {
        return Loopback.address(dataPlane, id);
    }

    static JsonNode addresses(String query) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(UNDERPASS.endpoint()
                    + "/_underpass/addresses" + query)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new ObjectMapper().readTree(r.body());
        }
    }

    static TargetHealth health(String id) {
        return Nlbs.health(elb, targetGroup, id).targetHealth();
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
