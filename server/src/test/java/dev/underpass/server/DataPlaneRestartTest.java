package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.dataplane.DataPlane;
import dev.underpass.dataplane.LoopbackAddresses;
import dev.underpass.server.dataplane.DataPlaneTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;

/**
 * After a restart on the same data directory the data plane comes back from the store: the same loopback
 * addresses, the same listeners carrying traffic, and health checks starting again from {@code initial}.
 */
@EnabledOnOs(OS.LINUX) // the loopback data plane needs all of 127.0.0.0/8 routed to loopback
class DataPlaneRestartTest {
    private static final String ACCOUNT = "666666666666";
    private static final int PORT = 7446;
    private static final int APP_PORT = 7082;

    @TempDir
    Path dataDir;

    @Test
    void restart_bringsBackTheSameAddressesAndListeners_andHealthStartsAgainAtInitial() throws Exception {
        ServerConfig config = ServerConfig.forTests().withDataDir(dataDir);
        String instance;
        String targetGroup;
        List<LoopbackAddresses.Address> before;
        try (UnderpassServer server = TestStore.start(config)) {
            Ec2Client ec2 = TestClients.ec2(server.endpoint(), ACCOUNT, "us-east-1");
            ElasticLoadBalancingV2Client elb = elb(server.endpoint());
            String vpc = TestVpcs.vpc(ec2, "10.6.0.0/16");
            String sub = TestVpcs.subnetId(ec2, vpc, "10.6.1.0/24", "us-east-1a");
            instance = Loopback.instance(ec2, sub);
            // The instance calls its own NLB: its group must admit its address (a reference to itself would not).
            dev.underpass.server.dataplane.DataPlaneTest.admitVpcBlock(ec2, vpc, "10.6.0.0/16");
            String nlb = elb.createLoadBalancer(r -> r.name("restart").type("network").scheme("internal")
                    .subnets(sub)).loadBalancers().get(0).loadBalancerArn();
            targetGroup = elb.createTargetGroup(r -> r.name("restart").protocol("TCP").port(APP_PORT).vpcId(vpc)
                    .targetType("instance")).targetGroups().get(0).targetGroupArn();
            String tg = targetGroup;
            elb.registerTargets(r -> r.targetGroupArn(tg).targets(TargetDescription.builder().id(instance).build()));
            elb.createListener(r -> r.loadBalancerArn(nlb).port(PORT).protocol("TCP")
                    .defaultActions(Action.builder().type("forward").targetGroupArn(tg).build()));
            DataPlane dp = server.startDataPlane();
            dp.sync();
            before = dp.addresses().all();
            assertThat(dp.listenerCount()).isEqualTo(1);
        }
        try (UnderpassServer server = TestStore.start(config)) {
            DataPlane dp = server.startDataPlane();
            dp.sync();
            assertThat(dp.addresses().all()).isEqualTo(before);
            assertThat(dp.listenerCount()).isEqualTo(1);
            String health = elb(server.endpoint()).describeTargetHealth(r -> r.targetGroupArn(targetGroup))
                    .targetHealthDescriptions().get(0).targetHealth().reasonAsString();
            // Default thresholds: five successes at 30 s before healthy, so it is still initial here.
            assertThat(health).isEqualTo("Elb.InitialHealthChecking");
            String app = before.stream().filter(a -> a.resourceId().equals(instance)).findFirst().orElseThrow()
                    .loopback();
            String node = before.stream().filter(a -> a.role() == LoopbackAddresses.Role.LOAD_BALANCER)
                    .findFirst().orElseThrow().loopback();
            try (ServerSocket ss = new ServerSocket()) {
                ss.bind(new InetSocketAddress(app, APP_PORT));
                Thread.ofVirtual().start(() -> {
                    try (Socket s = ss.accept()) {
                        InputStream in = s.getInputStream();
                        in.readNBytes(4);
                        OutputStream out = s.getOutputStream();
                        out.write("HTTP/1.0 200 OK\r\n\r\nback".getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException ignored) {
                        // the test fails on its own
                    }
                });
                assertThat(DataPlaneTest.call(app, node, PORT)).isEqualTo("back");
            }
        }
    }

    static ElasticLoadBalancingV2Client elb(String endpoint) {
        return ElasticLoadBalancingV2Client.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCOUNT, "s")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }
}
