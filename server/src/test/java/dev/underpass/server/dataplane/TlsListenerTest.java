package dev.underpass.server.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.underpass.dataplane.DataPlane;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import dev.underpass.server.Loopback;
import dev.underpass.server.UnderpassExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;

/**
 * TLS listeners on a Network Load Balancer: the node terminates TLS with a certificate made for the listener (no
 * ACM here) and sends the plain request to a TCP target group, or opens TLS again to a TLS target group. A client
 * in the VPC speaks TLS to the node and gets the app's answer, as does a consumer through its interface endpoint;
 * one that speaks plain HTTP to the TLS port gets no answer. Linux only (the loopback data plane).
 */
class TlsListenerTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = UnderpassExtension.onLoopback();
    private static final String PROVIDER = "141414141414";
    private static final int PLAIN_PORT = 7481;
    private static final int REENCRYPT_PORT = 7482;
    private static final int APP_PORT = 7121;
    private static final int TLS_APP_PORT = 7122;
    private static final String CERT =
            "arn:aws:acm:us-east-1:141414141414:certificate/4b1f0c9e-0d2a-4c55-9d0e-2f6b1a7c8e91";

    private static final String CONSUMER = "151515151515";

    private static DataPlane dataPlane;
    private static String consumerInstance;
    private static String endpoint;
    private static String app;
    private static String client;
    private static String nlb;
    private static String dnsName;
    private static final List<HttpServer> servers = new ArrayList<>();

    @BeforeAll
    static void scenario() throws Exception {
        Ec2Client ec2 = UNDERPASS.ec2(PROVIDER);
        ElasticLoadBalancingV2Client elb = UNDERPASS.elbv2(PROVIDER);
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.24.0.0/16")).vpc().vpcId();
        String sub = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.24.1.0/24").availabilityZone("us-east-1a"))
                .subnet().subnetId();
        List<String> ids = ec2.runInstances(r -> r.imageId("ami-12345678").instanceType("t3.micro").minCount(2)
                .maxCount(2).subnetId(sub)).instances().stream().map(i -> i.instanceId()).sorted().toList();
        app = ids.get(0);
        client = ids.get(1);
        DataPlaneTest.admitVpcBlock(ec2, vpc, "10.24.0.0/16");
        var lb = elb.createLoadBalancer(r -> r.name("tls").type("network").scheme("internal").subnets(sub))
                .loadBalancers().get(0);
        nlb = lb.loadBalancerArn();
        dnsName = lb.dnsName();
        String plain = elb.createTargetGroup(r -> r.name("tls-to-tcp").protocol("TCP").port(APP_PORT).vpcId(vpc)
                .targetType("instance")).targetGroups().get(0).targetGroupArn();
        String encrypted = elb.createTargetGroup(r -> r.name("tls-to-tls").protocol("TLS").port(TLS_APP_PORT)
                .vpcId(vpc).targetType("instance")).targetGroups().get(0).targetGroupArn();
        for (String tg : new String[] {plain, encrypted}) {
            elb.registerTargets(r -> r.targetGroupArn(tg).targets(TargetDescription.builder().id(app).build()));
        }
        elb.createListener(r -> r.loadBalancerArn(nlb).port(PLAIN_PORT).protocol("TLS")
                .certificates(c -> c.certificateArn(CERT))
                .defaultActions(Action.builder().type("forward").targetGroupArn(plain).build()));
        elb.createListener(r -> r.loadBalancerArn(nlb).port(REENCRYPT_PORT).protocol("TLS")
                .certificates(c -> c.certificateArn(CERT))
                .defaultActions(Action.builder().type("forward").targetGroupArn(encrypted).build()));
        // A consumer in another account reaches the TLS listener through its interface endpoint.
        var service = ec2.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(nlb)
                .acceptanceRequired(false)).serviceConfiguration();
        ec2.modifyVpcEndpointServicePermissions(r -> r.serviceId(service.serviceId())
                .addAllowedPrincipals("arn:aws:iam::" + CONSUMER + ":root"));
        Ec2Client consumer = UNDERPASS.ec2(CONSUMER);
        String cvpc = consumer.createVpc(r -> r.cidrBlock("10.25.0.0/16")).vpc().vpcId();
        String csub = consumer.createSubnet(r -> r.vpcId(cvpc).cidrBlock("10.25.1.0/24")
                .availabilityZone("us-east-1a")).subnet().subnetId();
        consumerInstance = consumer.runInstances(r -> r.imageId("ami-12345678").instanceType("t3.micro").minCount(1)
                .maxCount(1).subnetId(csub)).instances().get(0).instanceId();
        DataPlaneTest.admitVpcBlock(consumer, cvpc, "10.25.0.0/16");
        endpoint = consumer.createVpcEndpoint(r -> r.vpcId(cvpc).vpcEndpointType("Interface")
                .serviceName(service.serviceName()).subnetIds(csub)).vpcEndpoint().vpcEndpointId();
        dataPlane = UNDERPASS.server().startDataPlane();
        dataPlane.sync();
        HttpServer http = HttpServer.create(new InetSocketAddress(address(app), APP_PORT), 50);
        serve(http, "plain");
        HttpsServer https = HttpsServer.create(new InetSocketAddress(address(app), TLS_APP_PORT), 50);
        https.setHttpsConfigurator(
                new HttpsConfigurator(Loopback.selfSignedServer(Files.createTempDirectory("underpass-tls-target"))));
        serve(https, "tls");
    }

    @AfterAll
    static void stop() {
        servers.forEach(s -> s.stop(0));
    }

    private static void serve(HttpServer server, String kind) {
        server.createContext("/", exchange -> {
            byte[] body = (kind + " " + exchange.getRemoteAddress().getAddress().getHostAddress())
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        servers.add(server);
    }

    static String address(String id) {
        return Loopback.address(dataPlane, id);
    }

    /** A client that takes whatever certificate the node shows, and keeps it to look at. */
    private static final class Trusting implements X509TrustManager {
        volatile X509Certificate[] seen;

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            seen = chain;
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** GET / over TLS from the client instance to the node; the answer's body. */
    private static String get(int port, Trusting trust) throws Exception {
        return get(client, nlb, port, trust);
    }

    /** GET / over TLS from instance {@code from} to the address of {@code to} (a load balancer or an endpoint). */
    private static String get(String from, String to, int port, Trusting trust) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {trust}, null);
        Socket raw = new Socket();
        raw.bind(new InetSocketAddress(address(from), 0));
        raw.connect(new InetSocketAddress(address(to), port), 5_000);
        raw.setSoTimeout(10_000);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(raw, dnsName, port, true)) {
            s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + dnsName + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 200");
            return answer.substring(answer.indexOf("\r\n\r\n") + 4);
        }
    }

    @Test
    void tlsListener_terminatesAtTheNode_withACertificateForTheLoadBalancer_andSendsPlainTcpToTheTarget()
            throws Exception {
        Trusting trust = new Trusting();
        // Instance targets: the client's address is preserved, TLS or not.
        assertThat(get(PLAIN_PORT, trust)).isEqualTo("plain " + address(client));
        assertThat(trust.seen).isNotNull();
        assertThat(trust.seen[0].getSubjectX500Principal().getName()).isEqualTo("CN=" + dnsName);
        // The same certificate for the listener's next connection.
        Trusting again = new Trusting();
        get(PLAIN_PORT, again);
        assertThat(again.seen[0]).isEqualTo(trust.seen[0]);
    }

    @Test
    void tlsListener_toATlsTargetGroup_opensTlsAgainToTheTarget() throws Exception {
        assertThat(get(REENCRYPT_PORT, new Trusting())).isEqualTo("tls " + address(client));
    }

    @Test
    void tlsListener_throughAnInterfaceEndpoint_terminatesAtTheNode_andTheTargetSeesTheNode() throws Exception {
        Trusting trust = new Trusting();
        // PrivateLink never preserves the client's address: the target sees the node's.
        assertThat(get(consumerInstance, endpoint, PLAIN_PORT, trust)).isEqualTo("plain " + address(nlb));
        assertThat(trust.seen[0].getSubjectX500Principal().getName()).isEqualTo("CN=" + dnsName);
    }

    @Test
    void plainHttpToATlsListener_getsNoAnswer() throws Exception {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(address(client), 0));
            s.connect(new InetSocketAddress(address(nlb), PLAIN_PORT), 5_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            // The node fails the handshake: the connection ends (or is reset) without an HTTP answer.
            byte[] buf = new byte[64];
            int n;
            try {
                n = s.getInputStream().read(buf);
            } catch (IOException reset) {
                n = -1;
            }
            String got = n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            assertThat(got).doesNotStartWith("HTTP/");
        }
    }
}
