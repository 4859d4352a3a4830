package dev.underpass.server.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.underpass.dataplane.DataPlane;
import dev.underpass.server.Loopback;
import dev.underpass.server.UnderpassExtension;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealth;

/**
 * HTTPS health checks speak TLS: a target serving a self-signed certificate (which ELB does not validate) and
 * answering 200 on the path is healthy, then unhealthy with {@code Target.ResponseCodeMismatch} once it answers 503;
 * a target speaking plain HTTP under an HTTPS check fails the handshake and is unhealthy with
 * {@code Target.FailedHealthChecks}.
 */
class HttpsHealthCheckTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = UnderpassExtension.onLoopback();
    private static final String PROVIDER = "666666666666";
    private static final int APP_PORT = 7443;
    private static final int INTERVAL = 5;

    @TempDir
    static Path tmp;

    private static ElasticLoadBalancingV2Client elb;
    private static String tls;
    private static String plain;
    private static String targetGroup;
    private static DataPlane dataPlane;
    private static final AtomicInteger status = new AtomicInteger(200);
    private static final List<HttpServer> apps = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void scenario() throws Exception {
        Nlbs.Provider p = Nlbs.provider(UNDERPASS.ec2(PROVIDER), "10.6.0.0/16", 2);
        elb = UNDERPASS.elbv2(PROVIDER);
        tls = p.instances().get(0);
        plain = p.instances().get(1);
        String vpc = p.vpcId();
        String sub = p.subnetId();
        String nlb = Nlbs.internalNlb(elb, "tls-checks", sub);
        targetGroup = Nlbs.checkedTargetGroup(elb, "tls-checks", vpc, APP_PORT, "HTTPS", INTERVAL);
        Nlbs.register(elb, targetGroup, tls, plain);
        Nlbs.forwardTcp(elb, nlb, APP_PORT, targetGroup);

        dataPlane = UNDERPASS.server().startDataPlane();
        dataPlane.sync();
        HttpsServer https = HttpsServer.create(new InetSocketAddress(address(tls), APP_PORT), 50);
        https.setHttpsConfigurator(new HttpsConfigurator(Loopback.selfSignedServer(tmp)));
        serve(https);
        serve(HttpServer.create(new InetSocketAddress(address(plain), APP_PORT), 50));
    }

    @AfterAll
    static void stop() {
        apps.forEach(a -> a.stop(0));
    }

    static void serve(HttpServer http) {
        apps.add(Nlbs.serve(http, status::get, "ok"));
    }

    static String address(String id) {
        return Loopback.address(dataPlane, id);
    }

    static TargetHealth health(String id) {
        return Nlbs.health(elb, targetGroup, id).targetHealth();
    }

    @Test
    void tlsTargetIsCheckedOverTls_andPlainHttpFailsTheHandshake() throws Exception {
        // Two checks to a verdict, one per interval: interval × 2 + timeout + 1 s.
        DataPlaneTest.await(Duration.ofSeconds(INTERVAL * 2 + 3), () -> health(tls).stateAsString().equals("healthy")
                && health(plain).stateAsString().equals("unhealthy"));
        assertThat(health(tls).stateAsString()).isEqualTo("healthy");
        assertThat(health(tls).reasonAsString()).isNull();
        assertThat(health(plain).stateAsString()).isEqualTo("unhealthy");
        assertThat(health(plain).reasonAsString()).isEqualTo("Target.FailedHealthChecks");

        status.set(503);
        DataPlaneTest.await(Duration.ofSeconds(INTERVAL * 2 + 3),
                () -> health(tls).stateAsString().equals("unhealthy"));
        assertThat(health(tls).stateAsString()).isEqualTo("unhealthy");
        assertThat(health(tls).reasonAsString()).isEqualTo("Target.ResponseCodeMismatch");
        assertThat(health(tls).description()).isEqualTo("Health checks failed with these codes: [503]");
    }
}
