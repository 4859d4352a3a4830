package dev.underpass.server.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.underpass.dataplane.DataPlane;
import dev.underpass.server.UnderpassExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealth;

/**
 * HTTPS health checks speak TLS: a target serving a self-signed certificate (which ELB does not validate) and
 * answering 200 on the path is healthy, then unhealthy with {@code Target.ResponseCodeMismatch} once it answers 503;
 * a target speaking plain HTTP under an HTTPS check fails the handshake and is unhealthy with
 * {@code Target.FailedHealthChecks}.
 */
class HttpsHealthCheckTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();
    private static final String PROVIDER = "666666666666";
    private static final int APP_PORT = 7443;
    private static final int INTERVAL = 5;
    private static final char[] PASSWORD = "changeit".toCharArray();

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
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"),
                "the loopback data plane needs Linux");
        Ec2Client ec2 = UNDERPASS.ec2(PROVIDER);
        elb = UNDERPASS.elbv2(PROVIDER);
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.6.0.0/16")).vpc().vpcId();
        String sub = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.6.1.0/24").availabilityZone("us-east-1a"))
                .subnet().subnetId();
        List<String> ids = ec2.runInstances(r -> r.imageId("ami-12345678").instanceType("t3.micro").minCount(2)
                .maxCount(2).subnetId(sub)).instances().stream().map(i -> i.instanceId()).sorted().toList();
        tls = ids.get(0);
        plain = ids.get(1);
        DataPlaneTest.admitVpcBlock(ec2, vpc, "10.6.0.0/16");
        String nlb = elb.createLoadBalancer(r -> r.name("tls-checks").type("network").scheme("internal").subnets(sub))
                .loadBalancers().get(0).loadBalancerArn();
        targetGroup = elb.createTargetGroup(r -> r.name("tls-checks").protocol("TCP").port(APP_PORT).vpcId(vpc)
                .targetType("instance").healthCheckProtocol("HTTPS").healthCheckPath("/health")
                .matcher(m -> m.httpCode("200")).healthCheckIntervalSeconds(INTERVAL).healthCheckTimeoutSeconds(2)
                .healthyThresholdCount(2).unhealthyThresholdCount(2)).targetGroups().get(0).targetGroupArn();
        elb.registerTargets(r -> r.targetGroupArn(targetGroup).targets(TargetDescription.builder().id(tls).build(),
                TargetDescription.builder().id(plain).build()));
        elb.createListener(r -> r.loadBalancerArn(nlb).port(APP_PORT).protocol("TCP")
                .defaultActions(a -> a.type("forward").targetGroupArn(targetGroup)));

        dataPlane = UNDERPASS.server().startDataPlane();
        dataPlane.sync();
        HttpsServer https = HttpsServer.create(new InetSocketAddress(address(tls), APP_PORT), 50);
        https.setHttpsConfigurator(new HttpsConfigurator(selfSigned()));
        serve(https);
        serve(HttpServer.create(new InetSocketAddress(address(plain), APP_PORT), 50));
    }

    @AfterAll
    static void stop() {
        apps.forEach(a -> a.stop(0));
    }

    /** A TLS server context with a fresh self-signed certificate, made by the JDK's keytool into a temp keystore. */
    static SSLContext selfSigned() throws Exception {
        Path store = tmp.resolve("target.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "target", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=target.invalid", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    static void serve(HttpServer http) {
        http.createContext("/", exchange -> {
            int code = exchange.getRequestURI().getPath().equals("/health") ? status.get() : 200;
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(code, body.length);
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

    static TargetHealth health(String id) {
        return elb.describeTargetHealth(r -> r.targetGroupArn(targetGroup)).targetHealthDescriptions().stream()
                .filter(d -> d.target().id().equals(id)).findFirst().orElseThrow().targetHealth();
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
