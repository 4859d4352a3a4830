package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.aws.ec2.Ec2Api;
import dev.underpass.model.ec2.Quotas;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * The Describe answers built from shapes and XML kept per world snapshot ({@code aws.ShapeCache}) are byte for byte
 * the answers encoded afresh: the first answer after a commit encodes every item (and keeps it), the next copies the
 * kept bytes, and both are compared whole (request id aside) for each Describe that keeps them, before and after a
 * tag change that must show at once. Text with characters XML escapes and non-ASCII ones goes through both paths.
 */
class ShapeCacheWireTest {
    private static final String ACCOUNT = "111111111111";
    private static final List<String> ACTIONS = List.of("DescribeVpcs", "DescribeSubnets", "DescribeSecurityGroups",
            "DescribeRouteTables", "DescribeVpcEndpoints", "DescribeVpcEndpointConnections",
            "DescribeNetworkInterfaces");

    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension(ServerConfig.forTests().withEc2(
            new Ec2Api.Settings(Duration.ZERO, false, Quotas.defaults())));

    @Test
    void keptAnswers_areByteIdenticalToFreshOnes_beforeAndAfterATagChange() {
        Ec2Client ec2 = UNDERPASS.ec2(ACCOUNT);
        ElasticLoadBalancingV2Client elb = UNDERPASS.elbv2(ACCOUNT);
        Tag odd = tag("Name", "a<b>&\"c'é€😀" + "x".repeat(200));
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")
                .tagSpecifications(t -> t.resourceType("vpc").tags(odd))).vpc().vpcId();
        String a = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a")
                .tagSpecifications(t -> t.resourceType("subnet").tags(odd))).subnet().subnetId();
        String b = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.2.0/24").availabilityZone("us-east-1b"))
                .subnet().subnetId();
        String sg = ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName("web").description("web & api"))
                .groupId();
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(sg).ipProtocol("tcp").fromPort(443).toPort(443)
                .cidrIp("0.0.0.0/0"));
        String rtb = ec2.createRouteTable(r -> r.vpcId(vpc)).routeTable().routeTableId();
        String igw = ec2.createInternetGateway().internetGateway().internetGatewayId();
        ec2.attachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpc));
        ec2.createRoute(r -> r.routeTableId(rtb).destinationCidrBlock("0.0.0.0/0").gatewayId(igw));
        String aws = ec2.createVpcEndpoint(r -> r.vpcId(vpc).vpcEndpointType("Interface").privateDnsEnabled(false)
                .serviceName("com.amazonaws.us-east-1.sqs").subnetIds(a)).vpcEndpoint().vpcEndpointId();
        String nlb = elb.createLoadBalancer(r -> r.name("svc").type("network").scheme("internal").subnets(a, b))
                .loadBalancers().get(0).loadBalancerArn();
        var service = ec2.createVpcEndpointServiceConfiguration(r -> r.acceptanceRequired(false)
                .networkLoadBalancerArns(nlb)).serviceConfiguration();
        ec2.modifyVpcEndpointServicePermissions(r -> r.serviceId(service.serviceId())
                .addAllowedPrincipals("arn:aws:iam::" + ACCOUNT + ":root"));
        String own = ec2.createVpcEndpoint(r -> r.vpcId(vpc).vpcEndpointType("Interface")
                .serviceName(service.serviceName()).subnetIds(b)).vpcEndpoint().vpcEndpointId();

        List<String> before = answersTwice();
        assertThat(before.get(0)).contains("<vpcId>" + vpc).contains("a&lt;b&gt;&amp;&quot;c&apos;é€😀");
        assertThat(before.get(1)).contains("<subnetId>" + a).contains("<subnetId>" + b);
        assertThat(before.get(2)).contains("<groupId>" + sg).contains("web &amp; api");
        assertThat(before.get(3)).contains("<routeTableId>" + rtb).contains("<gatewayId>" + igw);
        assertThat(before.get(4)).contains("<vpcEndpointId>" + aws).contains("<vpcEndpointId>" + own);
        assertThat(before.get(5)).contains("<vpcEndpointId>" + own).doesNotContain(aws);
        assertThat(before.get(6)).contains("<interfaceType>vpc_endpoint</interfaceType>");

        ec2.createTags(r -> r.resources(vpc, a, sg, rtb, aws, own).tags(tag("team", "blue & green")));
        List<String> after = answersTwice();
        for (int i = 0; i < 5; i++) {
            assertThat(after.get(i)).as(ACTIONS.get(i)).contains("<value>blue &amp; green</value>")
                    .isNotEqualTo(before.get(i));
        }
        // A connection shows no tags, and the tag commit left it as it was; so are the endpoints' interfaces.
        assertThat(after.get(5)).isEqualTo(before.get(5));
        assertThat(after.get(6)).isEqualTo(before.get(6));
    }

    /** Each Describe's answer twice in a row, compared whole; the first of each. */
    private static List<String> answersTwice() {
        List<String> firsts = new ArrayList<>();
        for (String action : ACTIONS) {
            String first = describe(action);
            String second = describe(action);
            assertThat(second).as(action).isEqualTo(first);
            firsts.add(first);
        }
        return firsts;
    }

    private static String describe(String action) {
        HttpResponse<String> r = RawHttp.post(UNDERPASS.endpoint(), "Action=" + action + "&Version=2016-11-15");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Length")).hasValue(
                String.valueOf(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
        return r.body().replaceFirst("<requestId>[^<]*</requestId>", "<requestId/>");
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }
}
