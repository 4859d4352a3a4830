package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;

/**
 * Fuzzes VPC peering (ec2Query) and ALB listeners and rules (awsQuery) with random members and values, well-formed
 * and not, among real resources of the caller: two peered VPCs in one region and one in another, a pending and an
 * active connection, a route table, an ALB with an HTTP listener, a rule and target groups. Every answer is 200 or
 * the protocol's error envelope with a 4xx status, never a 500 or a stack trace.
 */
class PeeringAndRuleFuzzProperties {
    private static final String ACCOUNT = "111111111111";
    private static UnderpassServer server;
    private static final List<String> REAL = new ArrayList<>();

    @BeforeContainer
    static void start() {
        server = TestStore.start(ServerConfig.forTests());
        String endpoint = server.endpoint();
        try (Ec2Client east = TestClients.ec2(endpoint, ACCOUNT, "us-east-1");
                Ec2Client west = TestClients.ec2(endpoint, ACCOUNT, "eu-west-1");
                ElasticLoadBalancingV2Client elb = ElasticLoadBalancingV2Client.builder()
                        .endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCOUNT,
                                "secret")))
                        .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            String a = east.createVpc(r -> r.cidrBlock("10.90.0.0/16")).vpc().vpcId();
            String b = east.createVpc(r -> r.cidrBlock("10.91.0.0/16")).vpc().vpcId();
            String c = west.createVpc(r -> r.cidrBlock("10.92.0.0/16")).vpc().vpcId();
            String active = east.createVpcPeeringConnection(r -> r.vpcId(a).peerVpcId(b)).vpcPeeringConnection()
                    .vpcPeeringConnectionId();
            east.acceptVpcPeeringConnection(r -> r.vpcPeeringConnectionId(active));
            String pending = east.createVpcPeeringConnection(r -> r.vpcId(a).peerVpcId(c).peerRegion("eu-west-1"))
                    .vpcPeeringConnection().vpcPeeringConnectionId();
            String rtb = east.createRouteTable(r -> r.vpcId(a)).routeTable().routeTableId();
            String sa = east.createSubnet(r -> r.vpcId(a).cidrBlock("10.90.1.0/24").availabilityZone("us-east-1a"))
                    .subnet().subnetId();
            String sb = east.createSubnet(r -> r.vpcId(a).cidrBlock("10.90.2.0/24").availabilityZone("us-east-1b"))
                    .subnet().subnetId();
            String lb = elb.createLoadBalancer(r -> r.name("fuzz").type("application").scheme("internal")
                    .subnets(sa, sb)).loadBalancers().get(0).loadBalancerArn();
            String tg = elb.createTargetGroup(r -> r.name("fuzz").protocol("HTTP").port(80).vpcId(a))
                    .targetGroups().get(0).targetGroupArn();
            String listener = elb.createListener(r -> r.loadBalancerArn(lb).protocol("HTTP").port(80)
                    .defaultActions(Action.builder().type("forward").targetGroupArn(tg).build())).listeners().get(0)
                    .listenerArn();
            String rule = elb.createRule(r -> r.listenerArn(listener).priority(10).conditions(RuleCondition.builder()
                    .field("path-pattern").pathPatternConfig(p -> p.values("/api/*")).build())
                    .actions(Action.builder().type("fixed-response").fixedResponseConfig(f -> f.statusCode("404"))
                            .build()))
                    .rules().get(0).ruleArn();
            REAL.addAll(List.of(a, b, c, active, pending, rtb, sa, sb, lb, tg, listener, rule));
        }
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    private static final List<String> PEERING_ACTIONS = List.of("CreateVpcPeeringConnection",
            "AcceptVpcPeeringConnection", "RejectVpcPeeringConnection", "DeleteVpcPeeringConnection",
            "DescribeVpcPeeringConnections", "ModifyVpcPeeringConnectionOptions", "CreateRoute", "ReplaceRoute",
            "DeleteRoute", "DescribeRouteTables");
    private static final List<String> PEERING_KEYS = List.of("VpcId", "PeerVpcId", "PeerOwnerId", "PeerRegion",
            "VpcPeeringConnectionId", "VpcPeeringConnectionId.1", "VpcPeeringConnectionId.2",
            "RequesterPeeringConnectionOptions.AllowDnsResolutionFromRemoteVpc",
            "AccepterPeeringConnectionOptions.AllowDnsResolutionFromRemoteVpc",
            "RequesterPeeringConnectionOptions.AllowEgressFromLocalClassicLinkToRemoteVpc", "RouteTableId",
            "DestinationCidrBlock", "DestinationIpv6CidrBlock", "Filter.1.Name", "Filter.1.Value.1",
            "Filter.2.Name", "Filter.2.Value.1", "MaxResults", "NextToken", "TagSpecification.1.ResourceType",
            "TagSpecification.1.Tag.1.Key", "TagSpecification.1.Tag.1.Value", "DryRun");
    private static final List<String> PEERING_VALUES = List.of("pcx-0123456789abcdef0", "pcx-", "pcx-zz",
            "vpc-0123456789abcdef0", "111111111111", "222222222222", "12345", "us-east-1", "eu-west-1", "mars-1",
            "10.91.0.0/16", "10.90.0.0/16", "0.0.0.0/0", "10.91.0.0/33", "::/0", "status-code",
            "pending-acceptance", "active", "deleted", "expiration-time", "requester-vpc-info.vpc-id",
            "accepter-vpc-info.cidr-block", "accepter-vpc-info.owner-id", "tag:Name", "vpc-peering-connection",
            "route.vpc-peering-connection-id", "true", "false", "5", "1001", "0", "-1", "");

    private static final List<String> RULE_ACTIONS = List.of("CreateRule", "ModifyRule", "DeleteRule",
            "SetRulePriorities", "DescribeRules", "CreateListener", "ModifyListener", "DeleteListener",
            "DescribeListeners", "ModifyListenerAttributes", "DescribeListenerAttributes", "AddListenerCertificates",
            "RemoveListenerCertificates", "DescribeListenerCertificates", "AddTags", "RemoveTags", "DescribeTags");
    private static final List<String> RULE_KEYS = List.of("ListenerArn", "RuleArn", "RuleArns.member.1",
            "Priority", "Conditions.member.1.Field", "Conditions.member.1.Values.member.1",
            "Conditions.member.1.PathPatternConfig.Values.member.1", "Conditions.member.1.HostHeaderConfig.Values"
                    + ".member.1",
            "Conditions.member.1.HttpHeaderConfig.HttpHeaderName",
            "Conditions.member.1.HttpHeaderConfig.Values.member.1",
            "Conditions.member.1.HttpRequestMethodConfig.Values.member.1",
            "Conditions.member.1.QueryStringConfig.Values.member.1.Key",
            "Conditions.member.1.QueryStringConfig.Values.member.1.Value",
            "Conditions.member.1.SourceIpConfig.Values.member.1", "Conditions.member.2.Field",
            "Actions.member.1.Type", "Actions.member.1.TargetGroupArn", "Actions.member.1.Order",
            "Actions.member.1.FixedResponseConfig.StatusCode", "Actions.member.1.FixedResponseConfig.ContentType",
            "Actions.member.1.RedirectConfig.StatusCode", "Actions.member.1.RedirectConfig.Protocol",
            "Actions.member.1.RedirectConfig.Port", "Actions.member.1.ForwardConfig.TargetGroups.member.1"
                    + ".TargetGroupArn",
            "Actions.member.1.ForwardConfig.TargetGroups.member.1.Weight",
            "Actions.member.1.ForwardConfig.TargetGroupStickinessConfig.Enabled",
            "Actions.member.1.ForwardConfig.TargetGroupStickinessConfig.DurationSeconds", "Actions.member.2.Type",
            "RulePriorities.member.1.RuleArn", "RulePriorities.member.1.Priority", "RulePriorities.member.2.RuleArn",
            "RulePriorities.member.2.Priority", "LoadBalancerArn", "Port", "Protocol", "SslPolicy",
            "DefaultActions.member.1.Type", "DefaultActions.member.1.TargetGroupArn",
            "DefaultActions.member.1.FixedResponseConfig.StatusCode", "Certificates.member.1.CertificateArn",
            "Attributes.member.1.Key", "Attributes.member.1.Value", "ResourceArns.member.1", "Tags.member.1.Key",
            "Tags.member.1.Value", "TagKeys.member.1", "PageSize", "Marker");
    private static final List<String> RULE_VALUES = List.of("path-pattern", "host-header", "http-header",
            "http-request-method", "query-string", "source-ip", "/api/*", "*.example.com", "GET", "get me",
            "10.0.0.0/8", "10.0.0.300/8", "forward", "redirect", "fixed-response", "authenticate-oidc", "HTTP_301",
            "HTTP_302", "HTTP", "HTTPS", "TCP", "#{port}", "200", "503", "600", "text/plain", "1", "0", "50000",
            "-1", "999", "80", "65536", "ELBSecurityPolicy-2016-08", "arn:aws:acm:us-east-1:111111111111:"
                    + "certificate/0",
            "arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/x/"
                    + "0123456789abcdef/0123456789abcdef",
            "routing.http.response.server.enabled",
            "tcp.idle_timeout.seconds", "true", "maybe", "default", "");

    private static Arbitrary<String> values(List<String> pool) {
        return Arbitraries.oneOf(Arbitraries.of(pool), Arbitraries.of(REAL), Arbitraries.strings().ofMaxLength(20));
    }

    /**
     * A request: half the time an action with random members only, half the time a valid call on the real
     * resources (so that the check reaches deep code) with random members added to it.
     */
    private static Arbitrary<String> body(List<String> actions, List<String> valid, List<String> keys,
            List<String> pool, String version) {
        Arbitrary<String> pair = Combinators.combine(Arbitraries.of(keys), values(pool))
                .as((k, v) -> k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
        Arbitrary<String> start = Arbitraries.oneOf(Arbitraries.of(actions).map(a -> "Action=" + a),
                Arbitraries.of(valid));
        return Combinators.combine(start, pair.list().ofMaxSize(6))
                .as((head, pairs) -> head + "&Version=" + version
                        + (pairs.isEmpty() ? "" : "&" + String.join("&", pairs)));
    }

    private static String real(int i) {
        return URLEncoder.encode(REAL.get(i), StandardCharsets.UTF_8);
    }

    @Provide
    Arbitrary<String> peeringBodies() {
        String a = real(0);
        String b = real(1);
        String c = real(2);
        String active = real(3);
        String pending = real(4);
        String rtb = real(5);
        List<String> valid = List.of("Action=CreateVpcPeeringConnection&VpcId=" + a + "&PeerVpcId=" + b,
                "Action=CreateVpcPeeringConnection&VpcId=" + b + "&PeerVpcId=" + c + "&PeerRegion=eu-west-1"
                        + "&PeerOwnerId=" + ACCOUNT,
                "Action=AcceptVpcPeeringConnection&VpcPeeringConnectionId=" + pending,
                "Action=RejectVpcPeeringConnection&VpcPeeringConnectionId=" + pending,
                "Action=DeleteVpcPeeringConnection&VpcPeeringConnectionId=" + active,
                "Action=ModifyVpcPeeringConnectionOptions&VpcPeeringConnectionId=" + active
                        + "&RequesterPeeringConnectionOptions.AllowDnsResolutionFromRemoteVpc=true",
                "Action=CreateRoute&RouteTableId=" + rtb + "&DestinationCidrBlock=10.91.0.0%2F16"
                        + "&VpcPeeringConnectionId=" + active,
                "Action=ReplaceRoute&RouteTableId=" + rtb + "&DestinationCidrBlock=10.91.0.0%2F16"
                        + "&VpcPeeringConnectionId=" + active,
                "Action=DescribeVpcPeeringConnections&Filter.1.Name=status-code&Filter.1.Value.1=active");
        return body(PEERING_ACTIONS, valid, PEERING_KEYS, PEERING_VALUES, "2016-11-15");
    }

    @Provide
    Arbitrary<String> ruleBodies() {
        String lb = real(8);
        String tg = real(9);
        String listener = real(10);
        String rule = real(11);
        List<String> valid = List.of("Action=CreateRule&ListenerArn=" + listener + "&Priority=20"
                + "&Conditions.member.1.Field=path-pattern&Conditions.member.1.PathPatternConfig.Values"
                + ".member.1=%2Fx&Actions.member.1.Type=fixed-response"
                + "&Actions.member.1.FixedResponseConfig.StatusCode=200",
                "Action=ModifyRule&RuleArn=" + rule + "&Conditions.member.1.Field=host-header"
                        + "&Conditions.member.1.HostHeaderConfig.Values.member.1=a.example",
                "Action=SetRulePriorities&RulePriorities.member.1.RuleArn=" + rule
                        + "&RulePriorities.member.1.Priority=11",
                "Action=ModifyListener&ListenerArn=" + listener + "&Port=8080",
                "Action=CreateListener&LoadBalancerArn=" + lb + "&Protocol=HTTP&Port=81"
                        + "&DefaultActions.member.1.Type=forward&DefaultActions.member.1.TargetGroupArn=" + tg,
                "Action=ModifyListenerAttributes&ListenerArn=" + listener
                        + "&Attributes.member.1.Key=routing.http.response.server.enabled"
                        + "&Attributes.member.1.Value=true",
                "Action=DescribeRules&ListenerArn=" + listener,
                "Action=AddTags&ResourceArns.member.1=" + rule + "&Tags.member.1.Key=k&Tags.member.1.Value=v");
        return body(RULE_ACTIONS, valid, RULE_KEYS, RULE_VALUES, "2015-12-01");
    }

    @Property(tries = 400)
    void anyPeeringRequest_getsAnEc2Answer_neverA500(@ForAll("peeringBodies") String body) {
        HttpResponse<String> r = RawHttp.post(URI.create(server.endpoint()), body);
        // DryRun=true on a request that would succeed is EC2's DryRunOperation, with status 412.
        assertThat(r.statusCode()).as(body + " -> " + r.body()).isIn(200, 400, 412);
        if (r.statusCode() == 412) {
            assertThat(RawHttp.code(r)).as(body).isEqualTo("DryRunOperation");
        }
        if (r.statusCode() != 200) {
            assertThat(RawHttp.code(r)).as(body).isNotBlank().isNotEqualTo("InternalError");
        }
        assertThat(r.body()).as(body).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Property(tries = 400)
    void anyListenerOrRuleRequest_getsAnElbAnswer_neverA500(@ForAll("ruleBodies") String body) {
        HttpResponse<String> r = RawHttp.post(URI.create(server.endpoint()), body, Map.of("Authorization",
                RawHttp.authorization(ACCOUNT, "us-east-1", "elasticloadbalancing"), "X-Amz-Date",
                RawHttp.amzDate()));
        assertThat(r.statusCode()).as(body + " -> " + r.body()).isIn(200, 400);
        if (r.statusCode() != 200) {
            assertThat(r.body()).as(body).contains("<ErrorResponse").doesNotContain("InternalError");
        }
        assertThat(r.body()).as(body).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
