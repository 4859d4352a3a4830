package dev.underpass.server.dataplane;

import dev.underpass.server.Loopback;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.underpass.dataplane.DataPlane;
import dev.underpass.dataplane.LoopbackAddresses;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import dev.underpass.server.UnderpassExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.FlowLogsResourceType;
import software.amazon.awssdk.services.ec2.model.LogDestinationType;
import software.amazon.awssdk.services.ec2.model.TrafficType;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealth;

/**
 * The NLB's health checks in the target's flow log: a real HTTP target behind an NLB, a flow log on the target's
 * interface. While the target's security group admits the load balancer's subnet, each check is an ACCEPT record
 * from the node's private address to the target's health check port (and the answer back); once the rule is
 * revoked, the checks are dropped, as AWS drops them: REJECT records of one SYN each, and the target turns
 * unhealthy with {@code Target.Timeout}. Linux only (the loopback data plane).
 */
class HealthCheckFlowLogTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = UnderpassExtension.onLoopback();
    private static final String PROVIDER = "131313131313";
    private static final int PORT = 7471;
    private static final int APP_PORT = 7111;
    private static final int INTERVAL = 5;

    private static Ec2Client ec2;
    private static ElasticLoadBalancingV2Client elb;
    private static DataPlane dataPlane;
    private static HttpServer http;
    private static String app;
    private static String appGroup;
    private static String nlb;
    private static String targetGroup;
    private static String targetLog;

    @BeforeAll
    static void scenario() throws Exception {
        ec2 = UNDERPASS.ec2(PROVIDER);
        elb = UNDERPASS.elbv2(PROVIDER);
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.23.0.0/16")).vpc().vpcId();
        String appSubnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.23.1.0/24")
                .availabilityZone("us-east-1a")).subnet().subnetId();
        String lbSubnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.23.9.0/24")
                .availabilityZone("us-east-1a")).subnet().subnetId();
        appGroup = ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName("app").description("app")).groupId();
        app = ec2.runInstances(r -> r.imageId("ami-12345678").instanceType("t3.micro").minCount(1).maxCount(1)
                .subnetId(appSubnet).securityGroupIds(appGroup)).instances().get(0).instanceId();
        // The load balancer's subnet only: its nodes send the checks.
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(appGroup).ipProtocol("tcp").fromPort(APP_PORT)
                .toPort(APP_PORT).cidrIp("10.23.9.0/24"));
        nlb = elb.createLoadBalancer(r -> r.name("checked").type("network").scheme("internal").subnets(lbSubnet))
                .loadBalancers().get(0).loadBalancerArn();
        targetGroup = elb.createTargetGroup(r -> r.name("checked").protocol("TCP").port(APP_PORT).vpcId(vpc)
                .targetType("instance").healthCheckProtocol("HTTP").healthCheckPath("/health")
                .healthCheckIntervalSeconds(INTERVAL).healthCheckTimeoutSeconds(2).healthyThresholdCount(2)
                .unhealthyThresholdCount(2)).targetGroups().get(0).targetGroupArn();
        elb.registerTargets(r -> r.targetGroupArn(targetGroup).targets(TargetDescription.builder().id(app).build()));
        elb.createListener(r -> r.loadBalancerArn(nlb).port(PORT).protocol("TCP")
                .defaultActions(Action.builder().type("forward").targetGroupArn(targetGroup).build()));
        String appInterface = ec2.describeInstances(r -> r.instanceIds(app)).reservations().get(0).instances().get(0)
                .networkInterfaces().get(0).networkInterfaceId();
        targetLog = ec2.createFlowLogs(r -> r.resourceType(FlowLogsResourceType.NETWORK_INTERFACE)
                .resourceIds(appInterface).trafficType(TrafficType.ALL).logDestinationType(LogDestinationType.S3)
                .logDestination("arn:aws:s3:::provider-logs")
                .logFormat("${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} "
                        + "${bytes} ${flow-direction} ${action}"))
                .flowLogIds().get(0);
        dataPlane = UNDERPASS.server().startDataPlane();
        dataPlane.sync();
        http = HttpServer.create(new InetSocketAddress(address(app).loopback(), APP_PORT), 50);
        http.createContext("/", exchange -> {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/health") ? 200 : 404,
                    body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
    }

    @AfterAll
    static void stop() {
        if (http != null) {
            http.stop(0);
        }
    }

    static LoopbackAddresses.Address address(String resourceId) {
        return Loopback.entry(dataPlane, resourceId);
    }

    static TargetHealth health() {
        return elb.describeTargetHealth(r -> r.targetGroupArn(targetGroup)).targetHealthDescriptions().get(0)
                .targetHealth();
    }

    @Test
    void checksAreRecordedOnTheTargetsInterface_acceptedWhileItsGroupAdmitsTheNode_rejectedOnceItDoesNot()
            throws Exception {
        LoopbackAddresses.Address target = address(app);
        String nodeIp = address(nlb).privateIp();
        DataPlaneTest.await(Duration.ofSeconds(INTERVAL + 5), () -> health().stateAsString().equals("healthy"));
        List<Map<String, String>> accepted = UdpFlowWindowsTest.written(UNDERPASS, targetLog).stream()
                .filter(r -> r.get("action").equals("ACCEPT")).toList();
        // Two checks so far (healthy threshold 2), each seen coming in and its answer going out.
        List<Map<String, String>> in = accepted.stream().filter(r -> r.get("flow-direction").equals("ingress"))
                .toList();
        List<Map<String, String>> out = accepted.stream().filter(r -> r.get("flow-direction").equals("egress"))
                .toList();
        assertThat(in).hasSizeGreaterThanOrEqualTo(2);
        assertThat(out).hasSameSizeAs(in);
        for (Map<String, String> r : in) {
            assertThat(r.get("interface-id")).isEqualTo(target.networkInterfaceId());
            assertThat(r.get("srcaddr")).isEqualTo(nodeIp);
            assertThat(r.get("dstaddr")).isEqualTo(target.privateIp());
            assertThat(r.get("dstport")).isEqualTo(Integer.toString(APP_PORT));
            assertThat(r.get("protocol")).isEqualTo("6");
            assertThat(Integer.parseInt(r.get("srcport"))).isPositive();
        }
        // The two successful checks carried the GET request (beyond 52 header bytes per packet); a check sent
        // before the app listened, if any, is its SYN alone, refused.
        assertThat(in.stream()
                .filter(r -> Long.parseLong(r.get("bytes"))
                        - 52 * Long.parseLong(r.get("packets")) > "GET /health HTTP/1.1\r\n".length())
                .count()).isGreaterThanOrEqualTo(2);
        for (Map<String, String> r : out) {
            assertThat(r.get("srcaddr")).isEqualTo(target.privateIp());
            assertThat(r.get("dstaddr")).isEqualTo(nodeIp);
            assertThat(r.get("srcport")).isEqualTo(Integer.toString(APP_PORT));
        }

        // The target's group no longer admits the load balancer's subnet: the checks are dropped on the way in.
        ec2.revokeSecurityGroupIngress(r -> r.groupId(appGroup).ipProtocol("tcp").fromPort(APP_PORT)
                .toPort(APP_PORT).cidrIp("10.23.9.0/24"));
        // Two failures, each waiting out the 2 s timeout, the first after the check in progress (if any): up to
        // 3 intervals and 2 timeouts.
        try {
            DataPlaneTest.await(Duration.ofSeconds(INTERVAL * 3 + 5),
                    () -> health().stateAsString().equals("unhealthy"));
        } catch (AssertionError e) {
            throw new AssertionError(health() + " " + UdpFlowWindowsTest.written(UNDERPASS, targetLog), e);
        }
        assertThat(health().reasonAsString()).isEqualTo("Target.Timeout");
        List<Map<String, String>> rejected = UdpFlowWindowsTest.written(UNDERPASS, targetLog).stream()
                .filter(r -> r.get("action").equals("REJECT")).toList();
        assertThat(rejected).hasSizeGreaterThanOrEqualTo(2);
        for (Map<String, String> r : rejected) {
            assertThat(r.get("interface-id")).isEqualTo(target.networkInterfaceId());
            assertThat(r.get("flow-direction")).isEqualTo("ingress");
            assertThat(r.get("srcaddr")).isEqualTo(nodeIp);
            assertThat(r.get("dstport")).isEqualTo(Integer.toString(APP_PORT));
            assertThat(r.get("packets")).isEqualTo("1");
            assertThat(r.get("bytes")).isEqualTo("60");
        }
        // The app itself still answers: it is the group, not the target, that fails the checks.
        try (var s = new java.net.Socket()) {
            s.connect(new InetSocketAddress(target.loopback(), APP_PORT), 2_000);
            assertThat(s.isConnected()).isTrue();
        }
    }
}
