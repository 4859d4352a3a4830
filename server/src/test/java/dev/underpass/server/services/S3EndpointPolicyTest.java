package dev.underpass.server.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.underpass.dataplane.DataPlane;
import dev.underpass.dataplane.service.ServiceEndpoints;
import dev.underpass.server.Loopback;
import dev.underpass.server.TestVpcs;
import dev.underpass.server.UnderpassExtension;
import dev.underpass.server.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.FlowLogsResourceType;
import software.amazon.awssdk.services.ec2.model.LogDestinationType;
import software.amazon.awssdk.services.ec2.model.TrafficType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Endpoint policies enforced on real S3 requests (issue 15): the SDK's S3 client, bound to an instance's loopback
 * address, talks to the S3 service address of the data plane, which routes each connection as the analyzer says
 * (gateway endpoint, NAT, nothing) and decides each request with the endpoint policy and the bucket policy before
 * forwarding it, unchanged and still signed, to s3proxy. Linux only.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class S3EndpointPolicyTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = UnderpassExtension.onLoopback();
    private static final String ACCOUNT = S3Upstream.ACCESS_KEY;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static S3Upstream upstream;
    private static Ec2Client ec2;
    private static ServiceEndpoints services;
    private static DataPlane dataPlane;
    private static String endpointA;
    private static String instanceA;
    private static String instanceB;
    private static String instanceC;
    private static String instanceD;
    private static final List<String> flowLogs = new java.util.ArrayList<>();
    private static String s3Address;

    @BeforeAll
    static void scenario() throws Exception {
        upstream = new S3Upstream();
        ec2 = UNDERPASS.ec2(ACCOUNT);
        // VPC A: a gateway endpoint to S3 on its main route table.
        TestVpcs.Net netA = TestVpcs.net(ec2, "10.1.0.0/16", "10.1.1.0/24", "us-east-1a");
        String vpcA = netA.vpc().vpcId();
        String subA = netA.subnet().subnetId();
        endpointA = ServiceFixtures.gatewayEndpoint(ec2, vpcA, "s3");
        instanceA = run(subA);
        // VPC B: a private subnet whose default route goes to a NAT gateway in a public subnet.
        String vpcB = ec2.createVpc(r -> r.cidrBlock("10.2.0.0/16")).vpc().vpcId();
        String pub = ec2.createSubnet(r -> r.vpcId(vpcB).cidrBlock("10.2.0.0/24").availabilityZone("us-east-1a"))
                .subnet().subnetId();
        String priv = ec2.createSubnet(r -> r.vpcId(vpcB).cidrBlock("10.2.1.0/24").availabilityZone("us-east-1a"))
                .subnet().subnetId();
        String igw = ec2.createInternetGateway(r -> {}).internetGateway().internetGatewayId();
        ec2.attachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpcB));
        ec2.createRoute(r -> r.routeTableId(mainRouteTable(vpcB)).destinationCidrBlock("0.0.0.0/0").gatewayId(igw));
        String eip = ec2.allocateAddress(r -> r.domain("vpc")).allocationId();
        String nat = ec2.createNatGateway(r -> r.subnetId(pub).allocationId(eip)).natGateway().natGatewayId();
        String privRt = ec2.createRouteTable(r -> r.vpcId(vpcB)).routeTable().routeTableId();
        ec2.createRoute(r -> r.routeTableId(privRt).destinationCidrBlock("0.0.0.0/0").natGatewayId(nat));
        ec2.associateRouteTable(r -> r.routeTableId(privRt).subnetId(priv));
        instanceB = run(priv);
        // VPC C: no way out.
        TestVpcs.Net netC = TestVpcs.net(ec2, "10.3.0.0/16", "10.3.1.0/24", "us-east-1a");
        String vpcC = netC.vpc().vpcId();
        instanceC = run(netC.subnet().subnetId());
        // In VPC A too, but its security group lets nothing out.
        String closed = ec2.createSecurityGroup(r -> r.vpcId(vpcA).groupName("no-egress").description("none"))
                .groupId();
        ec2.revokeSecurityGroupEgress(r -> r.groupId(closed).ipPermissions(p -> p.ipProtocol("-1")
                .ipRanges(x -> x.cidrIp("0.0.0.0/0"))));
        instanceD = ec2.runInstances(r -> r.imageId("ami-12345678").instanceType("t3.micro").minCount(1).maxCount(1)
                .subnetId(subA).securityGroupIds(closed)).instances().get(0).instanceId();
        for (String vpc : List.of(vpcA, vpcB, vpcC)) {
            flowLogs.add(ec2.createFlowLogs(r -> r.resourceType(FlowLogsResourceType.VPC).resourceIds(vpc)
                    .trafficType(TrafficType.ALL).logDestinationType(LogDestinationType.S3)
                    .logDestination("arn:aws:s3:::flow-logs")).flowLogIds().get(0));
        }

        String lockedPolicy = """
                {"Version": "2012-10-17", "Statement": [{"Sid": "OnlyThroughEndpointA", "Effect": "Deny",
                  "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::locked", "arn:aws:s3:::locked/*"],
                  "Condition": {"StringNotEquals": {"aws:SourceVpce": "%s"}}}]}""".formatted(endpointA);
        services = ServiceFixtures.start(UNDERPASS, Map.of("s3", upstream.uri()), Map.of("locked", lockedPolicy));
        dataPlane = UNDERPASS.server().dataPlane();
        s3Address = dataPlane.resolve("s3.us-east-1.amazonaws.com", address(instanceA)).get(0);
        ServiceFixtures.seed(s3(instanceA), "locked", "report.txt", "quarterly figures", "open", "hello.txt", "hello");
    }

    @AfterAll
    static void stop() throws Exception {
        if (upstream != null) {
            upstream.stop();
        }
    }

    private static String mainRouteTable(String vpc) {
        return ServiceFixtures.mainRouteTable(ec2, vpc);
    }

    private static String run(String subnet) {
        return Loopback.instance(ec2, subnet);
    }

    static String address(String id) {
        return Loopback.address(dataPlane, id);
    }

    /** The SDK's S3 client as a process on {@code instance} runs it: its connections leave from its address. */
    // The Apache 4 client is deprecated in favour of Apache 5, which is not in the local repository; both bind.
    @SuppressWarnings("deprecation")
    static S3Client s3(String instance) throws Exception {
        return ServiceFixtures.s3(s3Address, services,
                AwsBasicCredentials.create(S3Upstream.ACCESS_KEY, S3Upstream.SECRET))
                .httpClientBuilder(ApacheHttpClient.builder().localAddress(InetAddress.getByName(address(instance)))
                        .socketTimeout(Duration.ofSeconds(10)))
                .build();
    }

    @Test
    @Order(1)
    void s3Names_resolveToTheServiceAddress_forEveryVpcWithoutAnInterfaceEndpoint() {
        assertThat(dataPlane.resolve("s3.us-east-1.amazonaws.com", address(instanceB))).containsExactly(s3Address);
        assertThat(dataPlane.resolve("locked.s3.us-east-1.amazonaws.com", address(instanceC)))
                .containsExactly(s3Address);
        assertThat(s3Address).startsWith("127.").isNotEqualTo("127.0.0.1");
    }

    @Test
    @Order(2)
    void bucketPolicyKeyedOnSourceVpce_letsVpcAReadThroughItsGatewayEndpoint() throws Exception {
        String body = s3(instanceA).getObjectAsBytes(r -> r.bucket("locked").key("report.txt")).asUtf8String();
        assertThat(body).isEqualTo("quarterly figures");
        JsonNode last = decisions("action=s3:GetObject&limit=1").get(0);
        assertThat(last.get("decision").asText()).isEqualTo("Allowed");
        assertThat(last.get("path").asText()).isEqualTo("gateway");
        assertThat(last.get("endpoint").asText()).isEqualTo(endpointA);
        assertThat(last.get("source").asText()).isEqualTo(instanceA);
        assertThat(last.get("principal").asText()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":root");
        assertThat(last.get("resource").asText()).isEqualTo("arn:aws:s3:::locked/report.txt");
    }

    @Test
    @Order(3)
    void bucketPolicyKeyedOnSourceVpce_refusesVpcBThroughNat_withAccessDenied() throws Exception {
        S3Client b = s3(instanceB);
        ServiceFixtures.assertS3AccessDenied(() -> b.getObjectAsBytes(r -> r.bucket("locked").key("report.txt")),
                "User: arn:aws:iam::" + ACCOUNT + ":root is not authorized to perform: s3:GetObject on resource: "
                        + "\"arn:aws:s3:::locked/report.txt\" with an explicit deny in a resource-based policy");
        // The same caller through NAT may read a bucket without such a policy: over the internet, no endpoint.
        assertThat(b.getObjectAsBytes(r -> r.bucket("open").key("hello.txt")).asUtf8String()).isEqualTo("hello");
        JsonNode last = decisions("source=" + instanceB).get(1);
        assertThat(last.get("path").asText()).isEqualTo("internet");
        assertThat(last.get("endpoint").isNull()).isTrue();
        JsonNode denied = decisions("source=" + instanceB + "&decision=denied").get(0);
        assertThat(denied.get("decision").asText()).isEqualTo("ExplicitlyDenied");
        assertThat(denied.get("blocking").asText()).isEqualTo("resource[0].OnlyThroughEndpointA");
    }

    @Test
    @Order(4)
    void noRouteToS3_connectionIsReset() {
        S3Client c;
        try {
            c = s3(instanceC);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThatThrownBy(() -> c.listBuckets()).isInstanceOf(SdkClientException.class);
        JsonNode last = decisions("decision=Dropped").get(0);
        assertThat(last.get("source").asText()).isEqualTo(instanceC);
        assertThat(last.get("blocking").asText()).contains("NO_ROUTE_TO_DESTINATION");
    }

    @Test
    @Order(5)
    void defaultEndpointPolicy_allowsWhatTheUpstreamAllows() throws Exception {
        S3Client a = s3(instanceA);
        assertThat(a.listBuckets().buckets()).extracting(x -> x.name()).contains("locked", "open");
        assertThat(a.listObjectsV2(r -> r.bucket("open").prefix("he")).contents()).extracting(x -> x.key())
                .containsExactly("hello.txt");
        assertThat(a.headObject(r -> r.bucket("open").key("hello.txt")).contentLength()).isEqualTo(5);
        a.putObject(r -> r.bucket("open").key("scratch"), RequestBody.fromString("x"));
        a.deleteObject(r -> r.bucket("open").key("scratch"));
        List<String> actions = new java.util.ArrayList<>();
        decisions("source=" + instanceA + "&limit=5").forEach(d -> actions.add(d.get("action").asText()));
        assertThat(actions).containsExactly("s3:ListAllMyBuckets", "s3:ListBucket", "s3:GetObject", "s3:PutObject",
                "s3:DeleteObject");
        JsonNode list = decisions("action=s3:ListBucket&limit=1").get(0);
        assertThat(list.at("/input/request/context/s3:prefix").asText()).isEqualTo("he");
    }

    @Test
    @Order(5)
    void largeBodies_streamBothWays_unchanged() throws Exception {
        byte[] big = new byte[12 * 1024 * 1024 + 7];
        new java.util.Random(42).nextBytes(big);
        S3Client a = s3(instanceA);
        a.putObject(r -> r.bucket("open").key("big.bin"), RequestBody.fromBytes(big));
        byte[] back = a.getObjectAsBytes(r -> r.bucket("open").key("big.bin")).asByteArray();
        assertThat(back).hasSize(big.length).isEqualTo(big);
    }

    @Test
    @Order(5)
    void presignedGet_isDecidedLikeASignedOne() throws Exception {
        URI url = ServiceFixtures.presignedGet(s3Address, services, "locked", "report.txt");
        assertThat(rawGet(instanceA, url)).startsWith("HTTP/1.1 200").endsWith("quarterly figures");
        assertThat(rawGet(instanceB, url)).startsWith("HTTP/1.1 403").contains("<Code>AccessDenied</Code>");
        JsonNode last = decisions("source=" + instanceB + "&limit=1").get(0);
        assertThat(last.at("/input/request/context/s3:authType").asText()).isEqualTo("REST-QUERY-STRING");
    }

    /** One HTTP/1.1 GET of {@code url} from {@code instance}'s address; the whole answer as text. */
    private static String rawGet(String instance, URI url) throws Exception {
        try (java.net.Socket s = new java.net.Socket()) {
            s.bind(new java.net.InetSocketAddress(address(instance), 0));
            s.connect(new java.net.InetSocketAddress(url.getHost(), url.getPort()), 5_000);
            s.getOutputStream().write(("GET " + url.getRawPath() + "?" + url.getRawQuery() + " HTTP/1.1\r\nHost: "
                    + url.getHost() + ":" + url.getPort() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    @Order(6)
    void endpointPolicyAllowingOnlyGetObjectOnOneBucket_refusesPutObjectAndOtherBuckets() throws Exception {
        ec2.modifyVpcEndpoint(r -> r.vpcEndpointId(endpointA).policyDocument("""
                {"Version": "2012-10-17", "Statement": [{"Sid": "ReadOpen", "Effect": "Allow", "Principal": "*",
                  "Action": "s3:GetObject", "Resource": "arn:aws:s3:::open/*"}]}"""));
        S3Client a = s3(instanceA);
        // The change applies to the next request, on the same client's pooled connection too.
        assertThat(a.getObjectAsBytes(r -> r.bucket("open").key("hello.txt")).asUtf8String()).isEqualTo("hello");
        ServiceFixtures.assertS3AccessDeniedEndingWith(
                () -> a.putObject(r -> r.bucket("open").key("new"), RequestBody.fromString("n")),
                "because no VPC endpoint policy allows the s3:PutObject action");
        assertThatThrownBy(() -> a.getObjectAsBytes(r -> r.bucket("locked").key("report.txt")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .endsWith("because no VPC endpoint policy allows the s3:GetObject action"));
        ec2.modifyVpcEndpoint(r -> r.vpcEndpointId(endpointA).resetPolicy(true));
        a.putObject(r -> r.bucket("open").key("new"), RequestBody.fromString("n"));
        assertThat(a.getObjectAsBytes(r -> r.bucket("open").key("new")).asUtf8String()).isEqualTo("n");
    }

    @Test
    @Order(7)
    void everyDecision_equalsWhatPolicyEvaluateSaysOnTheSameInput() throws Exception {
        JsonNode all = decisions("limit=1000");
        int compared = S3EndpointPolicyTestDecisions.assertPolicyEvaluateAgrees(UNDERPASS);
        assertThat(compared).isGreaterThanOrEqualTo(15);
        List<String> outcomes = new java.util.ArrayList<>();
        all.forEach(d -> outcomes.add(d.get("decision").asText()));
        assertThat(outcomes).contains("Allowed", "ImplicitlyDenied", "ExplicitlyDenied", "Dropped");
    }

    @Test
    @Order(8)
    void everyConnection_isInTheVpcFlowLogs_atTheNetworkLevel() throws Exception {
        S3Client d = s3(instanceD);
        assertThatThrownBy(() -> d.listBuckets()).isInstanceOf(SdkClientException.class);
        // A record is written when its connection ends: these clients close theirs.
        try (S3Client a = s3(instanceA); S3Client b = s3(instanceB)) {
            assertThat(a.getObjectAsBytes(r -> r.bucket("locked").key("report.txt")).asUtf8String())
                    .isEqualTo("quarterly figures");
            assertThat(b.getObjectAsBytes(r -> r.bucket("open").key("hello.txt")).asUtf8String()).isEqualTo("hello");
        }
        // The first address of S3's prefix list in us-east-1 (3.5.0.0/19) stands for the service.
        String s3Public = "3.5.0.1";
        List<JsonNode> a = flowRecords(0, instanceA);
        assertThat(a).anySatisfy(r -> {
            assertThat(r.path("srcaddr").asText()).isEqualTo(privateIp(instanceA));
            assertThat(r.path("dstaddr").asText()).isEqualTo(s3Public);
            assertThat(r.path("dstport").asText()).isEqualTo("443");
            assertThat(r.path("protocol").asText()).isEqualTo("6");
            assertThat(r.path("action").asText()).isEqualTo("ACCEPT");
            assertThat(Long.parseLong(r.path("bytes").asText())).isGreaterThan(200);
        });
        // The reply direction too, on the same interface.
        assertThat(a).anySatisfy(r -> {
            assertThat(r.path("srcaddr").asText()).isEqualTo(s3Public);
            assertThat(r.path("srcport").asText()).isEqualTo("443");
            assertThat(r.path("dstaddr").asText()).isEqualTo(privateIp(instanceA));
        });
        // Refused by S3's policies is still carried by the network: ACCEPT, through NAT as well.
        assertThat(flowRecords(1, instanceB)).anySatisfy(r -> {
            assertThat(r.path("dstaddr").asText()).isEqualTo(s3Public);
            assertThat(r.path("action").asText()).isEqualTo("ACCEPT");
        });
        // No route: the interface let it out (its group and ACL allow), the VPC's router had nowhere to send it.
        assertThat(flowRecords(2, instanceC)).anySatisfy(r -> {
            assertThat(r.path("dstaddr").asText()).isEqualTo(s3Public);
            assertThat(r.path("action").asText()).isEqualTo("ACCEPT");
            assertThat(r.path("packets").asText()).isEqualTo("1");
        });
        // Its security group's egress rules: REJECT where it left, once per attempt the SDK made.
        assertThat(flowRecords(0, instanceD)).isNotEmpty().allSatisfy(r -> {
            assertThat(r.path("srcaddr").asText()).isEqualTo(privateIp(instanceD));
            assertThat(r.path("dstaddr").asText()).isEqualTo(s3Public);
            assertThat(r.path("dstport").asText()).isEqualTo("443");
            assertThat(r.path("action").asText()).isEqualTo("REJECT");
        });
    }

    @Test
    @Order(9)
    void traceToTheS3Name_withTheRequest_decidesAsTheProxyDid() throws Exception {
        record Ask(String instance, String bucket, String key, boolean put) {}
        List<Ask> asks = List.of(new Ask(instanceA, "locked", "report.txt", false),
                new Ask(instanceB, "locked", "report.txt", false), new Ask(instanceB, "open", "hello.txt", false),
                new Ask(instanceA, "open", "traced", true));
        ec2.modifyVpcEndpoint(r -> r.vpcEndpointId(endpointA).policyDocument("""
                {"Version": "2012-10-17", "Statement": [{"Sid": "ReadAll", "Effect": "Allow", "Principal": "*",
                  "Action": "s3:GetObject", "Resource": "*"}]}"""));
        try {
            for (Ask ask : asks) {
                S3Client c = s3(ask.instance());
                try {
                    if (ask.put()) {
                        c.putObject(r -> r.bucket(ask.bucket()).key(ask.key()), RequestBody.fromString("t"));
                    } else {
                        c.getObjectAsBytes(r -> r.bucket(ask.bucket()).key(ask.key()));
                    }
                } catch (S3Exception refused) {
                    assertThat(refused.statusCode()).isEqualTo(403);
                }
                JsonNode logged = decisions("source=" + ask.instance() + "&limit=1").get(0);
                JsonNode traced = trace(ask.instance(), ask.bucket() + ".s3.us-east-1.amazonaws.com",
                        logged.get("principal").asText(), logged.get("action").asText(),
                        logged.get("resource").asText());
                assertThat(traced.at("/policy/decision").asText()).as("%s", ask)
                        .isEqualTo(logged.get("decision").asText());
                assertThat(traced.at("/policy/blocking").isNull() ? null : traced.at("/policy/blocking").asText())
                        .as("%s", ask).isEqualTo(logged.get("blocking").isNull() ? null
                                : logged.get("blocking").asText());
                assertThat(traced.at("/policy/endpoint").isNull() ? null : traced.at("/policy/endpoint").asText())
                        .isEqualTo(logged.get("endpoint").isNull() ? null : logged.get("endpoint").asText());
            }
        } finally {
            ec2.modifyVpcEndpoint(r -> r.vpcEndpointId(endpointA).resetPolicy(true));
        }
        List<String> outcomes = new java.util.ArrayList<>();
        decisions("limit=4").forEach(x -> outcomes.add(x.get("decision").asText()));
        assertThat(outcomes).containsExactly("Allowed", "ExplicitlyDenied", "Allowed", "ImplicitlyDenied");
        // The network half: no route from VPC C, whatever the request.
        JsonNode c = trace(instanceC, "s3.us-east-1.amazonaws.com", "arn:aws:iam::" + ACCOUNT + ":root",
                "s3:ListAllMyBuckets", "*");
        assertThat(c.get("reachable").asBoolean()).isFalse();
        assertThat(c.get("blockers").toString()).contains("NO_ROUTE_TO_DESTINATION");
    }

    /** {@code underpass trace --from INSTANCE --to NAME --port 443 --principal … --action … --resource … --json}. */
    private static JsonNode trace(String from, String to, String principal, String action, String resource)
            throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute("trace",
                "--endpoint", UNDERPASS.endpoint().toString(), "--from", from, "--to", to, "--port", "443",
                "--principal", principal, "--action", action, "--resource", resource, "--json");
        assertThat(code).as(err.toString()).isIn(0, 1);
        return JSON.readTree(out.toString());
    }

    private static String privateIp(String instance) {
        return dataPlane.addresses().all().stream().filter(x -> x.resourceId().equals(instance)).findFirst()
                .orElseThrow().privateIp();
    }

    /** The records of the {@code n}th flow log (by VPC: A, B, C) on {@code instance}'s interface. */
    private static List<JsonNode> flowRecords(int n, String instance) throws Exception {
        String eni = dataPlane.addresses().all().stream().filter(x -> x.resourceId().equals(instance)).findFirst()
                .orElseThrow().networkInterfaceId();
        List<JsonNode> out = new java.util.ArrayList<>();
        for (int i = 0; i < 100 && out.isEmpty(); i++) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    UNDERPASS.endpoint() + "/_underpass/flow-logs?flowLogId=" + flowLogs.get(n))).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(r.statusCode()).isEqualTo(200);
            JSON.readTree(r.body()).path("flowLogs").get(0).path("records").forEach(x -> {
                if (x.path("interface-id").asText().equals(eni)) {
                    out.add(x);
                }
            });
            if (out.isEmpty()) {
                Thread.sleep(100);
            }
        }
        return out;
    }

    static JsonNode decisions(String query) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(UNDERPASS.endpoint() + "/_underpass/decisions?" + query)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(r.statusCode()).isEqualTo(200);
            return JSON.readTree(r.body()).get("decisions");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
