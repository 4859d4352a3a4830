package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;

/**
 * {@code GET /_underpass/trace} to an internal Application Load Balancer built through the SDK, named by its DNS
 * name, ARN or address: the ALB's group admits the client, but the web instance's default group admits only its own
 * members, so the target leg is blocked until the default group admits the ALB's group (a group-reference rule).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TraceLoadBalancerTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();
    private static final String ACCOUNT = "444444444444";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Ec2Client ec2;
    private static LoadBalancer alb;
    private static String client;
    private static String web;
    private static String defaultGroup;
    private static String albGroup;

    @BeforeAll
    static void internalAlb() {
        ec2 = UNDERPASS.ec2(ACCOUNT);
        TestVpcs.TwoZones net = TestVpcs.twoZones(ec2, "10.4.0.0/16");
        ElasticLoadBalancingV2Client elb = UNDERPASS.elbv2(ACCOUNT);
        String vpc = net.vpcId();
        String a = net.subnetA();
        String b = net.subnetB();
        client = run(a);
        web = run(b);
        defaultGroup = ec2.describeSecurityGroups(r -> r.filters(f -> f.name("vpc-id").values(vpc),
                f -> f.name("group-name").values("default"))).securityGroups().get(0).groupId();
        albGroup = ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName("alb").description("alb")).groupId();
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(albGroup).ipProtocol("tcp").fromPort(80).toPort(80)
                .cidrIp("10.4.0.0/16"));
        alb = elb.createLoadBalancer(r -> r.name("front").type("application").scheme("internal").subnets(a, b)
                .securityGroups(albGroup)).loadBalancers().get(0);
        String tg = elb.createTargetGroup(r -> r.name("web").protocol("HTTP").port(8080).vpcId(vpc)
                .targetType("instance")).targetGroups().get(0).targetGroupArn();
        elb.registerTargets(r -> r.targetGroupArn(tg).targets(TargetDescription.builder().id(web).build()));
        elb.createListener(r -> r.loadBalancerArn(alb.loadBalancerArn()).port(80).protocol("HTTP")
                .defaultActions(Action.builder().type("forward").targetGroupArn(tg).build()));
    }

    private static String run(String subnet) {
        return ec2.runInstances(r -> r.imageId("ami-12345678").instanceType("t3.micro").minCount(1).maxCount(1)
                .subnetId(subnet)).instances().get(0).instanceId();
    }

    static JsonNode trace(String to, int port) throws Exception {
        String q = "from=" + client + "&to=" + URLEncoder.encode(to, StandardCharsets.UTF_8) + "&port=" + port;
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(UNDERPASS.endpoint()
                    + "/_underpass/trace?" + q)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isIn(200);
            return JSON.readTree(r.body());
        }
    }

    static List<String> codes(JsonNode body) {
        List<String> out = new ArrayList<>();
        body.path("blockers").forEach(b -> out.add(b.path("code").asText() + " " + b.path("component").asText()));
        return out;
    }

    @Test
    @Order(1)
    void byDnsName_theTargetsDefaultGroupRefusesTheAlb() throws Exception {
        JsonNode body = trace(alb.dnsName(), 80);
        assertThat(body.path("reachable").asBoolean()).isFalse();
        assertThat(codes(body)).containsExactly("ENI_SG_RULES_MISMATCH " + defaultGroup);
        assertThat(body.path("blockers").get(0).path("direction").asText()).isEqualTo("ingress");
        List<String> components = new ArrayList<>();
        body.path("forward").forEach(h -> components.add(h.path("component").asText()));
        assertThat(components).contains(albGroup, alb.loadBalancerArn(), web);
    }

    @Test
    @Order(2)
    void afterAdmittingTheAlbsGroup_byArnOrName_isReachable_andAnotherPortIsNot() throws Exception {
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(defaultGroup).ipPermissions(p -> p.ipProtocol("tcp")
                .fromPort(8080).toPort(8080).userIdGroupPairs(g -> g.groupId(albGroup))));
        for (String to : List.of(alb.dnsName(), alb.loadBalancerArn())) {
            JsonNode body = trace(to, 80);
            assertThat(codes(body)).as(to).isEmpty();
            assertThat(body.path("reachable").asBoolean()).isTrue();
        }
        assertThat(codes(trace(alb.loadBalancerArn(), 81))).contains("ENI_SG_RULES_MISMATCH " + albGroup,
                "ELBV2_LISTENERS_MISMATCH " + alb.loadBalancerArn());
    }
}
