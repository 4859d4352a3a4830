package dev.underpass.server.golden;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.underpass.server.ServerConfig;
import dev.underpass.server.TestStore;
import dev.underpass.server.UnderpassServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A PrivateLink scenario (a provider's VPC, subnets, security group, route table, network load balancer, target
 * group, listener and endpoint service; a consumer's VPC and interface endpoint; acceptance, describes and a few
 * client mistakes) sent as raw HTTP to a server started with a seed and a fixed clock. Every request and its whole
 * response (status, request id header, body) go into a transcript that must equal the checked-in
 * {@code src/test/resources/golden/privatelink.txt}; the scenario runs twice, on two fresh servers, to show that
 * the same seed gives byte-identical answers.
 *
 * <p>A change that alters any answer fails here: if it is intended, rewrite the transcript with
 * {@code -Dunderpass.golden.update=true} and review its diff.
 */
class GoldenTranscriptTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/privatelink.txt");
    private static final long SEED = 20260101L;
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    /** The signature date matching the server's fixed clock. Unknown access keys are accepted with any signature. */
    private static final String AMZ_DATE = "20260101T000000Z";
    private static final String PROVIDER = "111111111111";
    private static final String CONSUMER = "222222222222";
    private static final String EC2 = "ec2";
    private static final String ELB = "elasticloadbalancing";
    private static final Pattern VAR = Pattern.compile("\\$\\{(\\w+)}");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** One request: who sends it, to which service, its parameters, and what to remember from the answer. */
    private record Step(String account, String service, List<String> params, Map<String, String> captures) {}

    private static Step ec2(String account, String action, String... params) {
        return step(account, EC2, "Version=2016-11-15", action, params);
    }

    private static Step elb(String action, String... params) {
        return step(PROVIDER, ELB, "Version=2015-12-01", action, params);
    }

    /** {@code params} are {@code Name=value}; a {@code ->var=Tag} entry remembers the first {@code <Tag>} value. */
    private static Step step(String account, String service, String version, String action, String... params) {
        List<String> list = new ArrayList<>(List.of("Action=" + action));
        Map<String, String> captures = new HashMap<>();
        for (String p : params) {
            if (p.startsWith("->")) {
                String[] kv = p.substring(2).split("=", 2);
                captures.put(kv[0], kv[1]);
            } else {
                list.add(p);
            }
        }
        list.add(version);
        return new Step(account, service, list, captures);
    }

    private static List<Step> scenario() {
        return List.of(
                // The provider's network.
                ec2(PROVIDER, "CreateVpc", "CidrBlock=10.0.0.0/16", "->vpc=vpcId"),
                ec2(PROVIDER, "CreateSubnet", "VpcId=${vpc}", "CidrBlock=10.0.1.0/24",
                        "AvailabilityZone=us-east-1a", "->subnetA=subnetId"),
                ec2(PROVIDER, "CreateSubnet", "VpcId=${vpc}", "CidrBlock=10.0.2.0/24",
                        "AvailabilityZone=us-east-1b", "->subnetB=subnetId"),
                ec2(PROVIDER, "CreateSecurityGroup", "GroupName=web", "GroupDescription=web tier", "VpcId=${vpc}",
                        "->sg=groupId"),
                ec2(PROVIDER, "AuthorizeSecurityGroupIngress", "GroupId=${sg}", "IpPermissions.1.IpProtocol=tcp",
                        "IpPermissions.1.FromPort=443", "IpPermissions.1.ToPort=443",
                        "IpPermissions.1.IpRanges.1.CidrIp=10.0.0.0/8"),
                ec2(PROVIDER, "CreateRouteTable", "VpcId=${vpc}", "->rtb=routeTableId"),
                ec2(PROVIDER, "AssociateRouteTable", "RouteTableId=${rtb}", "SubnetId=${subnetA}"),
                // The provider's load balancer and endpoint service.
                elb("CreateLoadBalancer", "Name=golden-nlb", "Type=network", "Scheme=internal",
                        "Subnets.member.1=${subnetA}", "Subnets.member.2=${subnetB}", "->lb=LoadBalancerArn"),
                elb("CreateTargetGroup", "Name=golden-tg", "Protocol=TCP", "Port=443", "VpcId=${vpc}",
                        "TargetType=ip", "->tg=TargetGroupArn"),
                elb("RegisterTargets", "TargetGroupArn=${tg}", "Targets.member.1.Id=10.0.1.10"),
                elb("CreateListener", "LoadBalancerArn=${lb}", "Protocol=TCP", "Port=443",
                        "DefaultActions.member.1.Type=forward", "DefaultActions.member.1.TargetGroupArn=${tg}"),
                ec2(PROVIDER, "CreateVpcEndpointServiceConfiguration", "NetworkLoadBalancerArn.1=${lb}",
                        "AcceptanceRequired=true", "->svc=serviceId", "->svcName=serviceName"),
                ec2(PROVIDER, "ModifyVpcEndpointServicePermissions", "ServiceId=${svc}",
                        "AddAllowedPrincipals.1=arn:aws:iam::" + CONSUMER + ":root"),
                // The consumer's interface endpoint, accepted by the provider.
                ec2(CONSUMER, "CreateVpc", "CidrBlock=10.1.0.0/16", "->cvpc=vpcId"),
                ec2(CONSUMER, "CreateSubnet", "VpcId=${cvpc}", "CidrBlock=10.1.1.0/24",
                        "AvailabilityZone=us-east-1a", "->csubnet=subnetId"),
                ec2(CONSUMER, "DescribeVpcEndpointServices", "ServiceName.1=${svcName}"),
                ec2(CONSUMER, "CreateVpcEndpoint", "VpcEndpointType=Interface", "VpcId=${cvpc}",
                        "ServiceName=${svcName}", "SubnetId.1=${csubnet}", "->vpce=vpcEndpointId"),
                ec2(PROVIDER, "DescribeVpcEndpointConnections"),
                ec2(PROVIDER, "AcceptVpcEndpointConnections", "ServiceId=${svc}", "VpcEndpointId.1=${vpce}"),
                ec2(CONSUMER, "DescribeVpcEndpoints", "VpcEndpointId.1=${vpce}"),
                ec2(CONSUMER, "DescribeNetworkInterfaces", "Filter.1.Name=vpc-id", "Filter.1.Value.1=${cvpc}"),
                // Describes of the provider's side.
                ec2(PROVIDER, "DescribeVpcs", "VpcId.1=${vpc}"),
                ec2(PROVIDER, "DescribeSubnets", "Filter.1.Name=vpc-id", "Filter.1.Value.1=${vpc}"),
                ec2(PROVIDER, "DescribeSecurityGroups", "GroupId.1=${sg}"),
                ec2(PROVIDER, "DescribeRouteTables", "RouteTableId.1=${rtb}"),
                ec2(PROVIDER, "DescribeVpcEndpointServiceConfigurations", "ServiceId.1=${svc}"),
                elb("DescribeLoadBalancers", "LoadBalancerArns.member.1=${lb}"),
                elb("DescribeTargetGroups", "TargetGroupArns.member.1=${tg}"),
                elb("DescribeListeners", "LoadBalancerArn=${lb}"),
                // Client mistakes: AWS's codes, nothing changed.
                ec2(PROVIDER, "CreateVpc"),
                ec2(PROVIDER, "CreateVpc", "CidrBlock=10.0.0.0/29"),
                ec2(PROVIDER, "CreateSubnet", "VpcId=${vpc}", "CidrBlock=10.0.1.0/25"),
                ec2(PROVIDER, "DescribeVpcs", "VpcId.1=vpc-0123456789abcdef0"),
                ec2(PROVIDER, "DescribeVpcs", "VpcId.1=vpc-nothex"),
                ec2(CONSUMER, "DeleteVpc", "VpcId=${vpc}"),
                elb("CreateTargetGroup", "Name=golden-tg", "Protocol=TCP", "Port=80", "VpcId=${vpc}",
                        "TargetType=ip"),
                ec2(PROVIDER, "NoSuchAction"));
    }

    @Test
    void privateLinkScenario_matchesTheGoldenTranscript_twiceInARow() throws IOException {
        String first = run();
        String second = run();
        assertThat(second).as("a second run from the same seed").isEqualTo(first);
        if (Boolean.getBoolean("underpass.golden.update")) {
            Files.createDirectories(GOLDEN.getParent());
            Files.writeString(GOLDEN, first, StandardCharsets.UTF_8);
        }
        assertThat(GOLDEN).as("the checked-in transcript (rewrite with -Dunderpass.golden.update=true)").exists();
        assertThat(first).isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
    }

    /** Runs the scenario against a fresh seeded server with a fixed clock and returns its transcript. */
    private static String run() throws IOException {
        ServerConfig config = ServerConfig.forTests()
                .withSources(ServerConfig.Sources.seeded(SEED).withClock(Clock.fixed(NOW, ZoneOffset.UTC)));
        StringBuilder transcript = new StringBuilder();
        try (UnderpassServer server = TestStore.start(config)) {
            URI endpoint = URI.create(server.endpoint() + "/");
            Map<String, String> vars = new HashMap<>();
            int n = 0;
            for (Step step : scenario()) {
                String body = form(step.params(), vars);
                HttpResponse<String> r = send(endpoint, step, body);
                transcript.append("### ").append(++n).append(' ').append(step.account()).append(' ')
                        .append(step.service()).append('\n');
                transcript.append("> ").append(body).append('\n');
                transcript.append("< ").append(r.statusCode()).append(" x-amzn-RequestId: ")
                        .append(r.headers().firstValue("x-amzn-RequestId").orElse("-")).append('\n');
                transcript.append(r.body().strip()).append("\n\n");
                step.captures().forEach((var, tag) -> vars.put(var, first(r.body(), tag)));
            }
            // The store's version counts the committed batches of the scenario, also part of the record.
            HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(endpoint.resolve("/_underpass/health"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            transcript.append("### health worldVersion: ")
                    .append(new ObjectMapper().readTree(health.body()).path("worldVersion").asLong(-1)).append('\n');
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return transcript.toString();
    }

    private static String form(List<String> params, Map<String, String> vars) {
        List<String> encoded = new ArrayList<>();
        for (String p : params) {
            String[] kv = p.split("=", 2);
            Matcher m = VAR.matcher(kv[1]);
            String value = m.replaceAll(mr -> {
                String v = vars.get(mr.group(1));
                if (v == null) {
                    throw new IllegalStateException("no value captured for ${" + mr.group(1) + "} in " + p);
                }
                return Matcher.quoteReplacement(v);
            });
            encoded.add(kv[0] + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
        return String.join("&", encoded);
    }

    private static HttpResponse<String> send(URI endpoint, Step step, String body) throws IOException {
        String authorization = "AWS4-HMAC-SHA256 Credential=" + step.account() + "/" + AMZ_DATE.substring(0, 8)
                + "/us-east-1/" + step.service() + "/aws4_request, SignedHeaders=host;x-amz-date, "
                + "Signature=0123456789abcdef";
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("X-Amz-Date", AMZ_DATE)
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The text of the first {@code <tag>} element of {@code xml}. */
    private static String first(String xml, String tag) {
        Matcher m = Pattern.compile("<" + tag + ">([^<]*)</" + tag + ">").matcher(xml);
        if (!m.find()) {
            throw new IllegalStateException("no <" + tag + "> in " + xml);
        }
        return m.group(1);
    }
}
