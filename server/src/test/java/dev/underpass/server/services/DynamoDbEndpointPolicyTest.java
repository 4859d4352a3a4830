package dev.underpass.server.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.underpass.dataplane.DataPlane;
import dev.underpass.dataplane.service.ServiceEndpoints;
import dev.underpass.server.Loopback;
import dev.underpass.server.TestVpcs;
import dev.underpass.server.UnderpassExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * DynamoDB through a gateway endpoint whose policy allows only {@code dynamodb:GetItem} on one table. The upstream is
 * a small JSON server in the test (DynamoDB Local is not used): it answers GetItem with one item and anything else
 * with an empty object, and records what reached it.
 */
public class DynamoDbEndpointPolicyTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = UnderpassExtension.onLoopback();
    private static final String ACCOUNT = "444444444444";
    private static final List<String> RECEIVED = new CopyOnWriteArrayList<>();

    private static HttpServer upstream;
    private static ServiceEndpoints services;
    private static DataPlane dataPlane;
    private static String endpoint;
    private static String instance;
    private static String interfaceEndpoint;
    private static String interfaceInstance;

    @BeforeAll
    static void scenario() throws Exception {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        upstream.createContext("/", x -> {
            String target = x.getRequestHeaders().getFirst("X-Amz-Target");
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            RECEIVED.add(target + " " + body);
            byte[] out = (target.endsWith(".GetItem") ? "{\"Item\":{\"id\":{\"S\":\"1\"},\"total\":{\"N\":\"42\"}}}"
                    : "{}").getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            x.sendResponseHeaders(200, out.length);
            x.getResponseBody().write(out);
            x.close();
        });
        upstream.start();
        Ec2Client ec2 = UNDERPASS.ec2(ACCOUNT);
        TestVpcs.Net net = TestVpcs.net(ec2, "10.5.0.0/16", "10.5.1.0/24", "us-east-1a");
        String vpc = net.vpc().vpcId();
        String rtb = ServiceFixtures.mainRouteTable(ec2, vpc);
        endpoint = ec2.createVpcEndpoint(r -> r.vpcId(vpc).vpcEndpointType("Gateway")
                .serviceName("com.amazonaws.us-east-1.dynamodb").routeTableIds(rtb).policyDocument("""
                        {"Version": "2012-10-17", "Statement": [{"Sid": "ReadOrders", "Effect": "Allow",
                          "Principal": "*", "Action": "dynamodb:GetItem",
                          "Resource": "arn:aws:dynamodb:us-east-1:444444444444:table/orders"}]}"""))
                .vpcEndpoint().vpcEndpointId();
        instance = Loopback.instance(ec2, net.subnet().subnetId());
        // A second VPC reaches DynamoDB through an interface endpoint (no private DNS: clients name its address).
        TestVpcs.Net net2 = TestVpcs.net(ec2, "10.9.0.0/16", "10.9.1.0/24", "us-east-1a");
        String vpc2 = net2.vpc().vpcId();
        String subnet2 = net2.subnet().subnetId();
        String group = ServiceFixtures.httpsFrom(ec2, vpc2, "ddb-endpoint", "10.9.0.0/16");
        interfaceEndpoint = ec2.createVpcEndpoint(r -> r.vpcId(vpc2).vpcEndpointType("Interface")
                .serviceName("com.amazonaws.us-east-1.dynamodb").subnetIds(subnet2).securityGroupIds(group))
                .vpcEndpoint().vpcEndpointId();
        interfaceInstance = Loopback.instance(ec2, subnet2);
        services = ServiceFixtures.start(UNDERPASS, Map.of("dynamodb",
                URI.create("http://127.0.0.1:" + upstream.getAddress().getPort())), Map.of());
        dataPlane = UNDERPASS.server().dataPlane();
    }

    @AfterAll
    static void stop() {
        if (upstream != null) {
            upstream.stop(0);
        }
    }

    private static String address(String id) {
        return Loopback.address(dataPlane, id);
    }

    private static DynamoDbClient dynamodb() throws Exception {
        return dynamodb(instance, dataPlane.resolve("dynamodb.us-east-1.amazonaws.com", address(instance)).get(0));
    }

    @SuppressWarnings("deprecation") // Apache 4 client: see S3EndpointPolicyTest.s3
    private static DynamoDbClient dynamodb(String from, String service) throws Exception {
        return DynamoDbClient.builder().region(Region.US_EAST_1)
                .endpointOverride(URI.create("http://" + service + ":" + services.port()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCOUNT, "s")))
                .httpClientBuilder(ApacheHttpClient.builder().localAddress(InetAddress.getByName(address(from))))
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    @Test
    void endpointPolicyAllowingOnlyGetItemOnOrders_refusesPutItemAndOtherTables() throws Exception {
        DynamoDbClient db = dynamodb();
        var item = db.getItem(r -> r.tableName("orders").key(Map.of("id", AttributeValue.fromS("1")))).item();
        assertThat(item.get("total").n()).isEqualTo("42");
        assertThat(RECEIVED).anyMatch(s -> s.startsWith("DynamoDB_20120810.GetItem ") && s.contains("\"orders\""));
        JsonNode allowed = S3EndpointPolicyTestDecisions.last(UNDERPASS, "source=" + instance);
        assertThat(allowed.get("resource").asText()).isEqualTo("arn:aws:dynamodb:us-east-1:" + ACCOUNT
                + ":table/orders");
        assertThat(allowed.get("path").asText()).isEqualTo("gateway");
        assertThat(allowed.get("endpoint").asText()).isEqualTo(endpoint);

        int before = RECEIVED.size();
        assertThatThrownBy(() -> db.putItem(r -> r.tableName("orders").item(Map.of("id", AttributeValue.fromS("2")))))
                .isInstanceOfSatisfying(DynamoDbException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("User: arn:aws:iam::" + ACCOUNT
                            + ":root is not authorized to perform: dynamodb:PutItem on resource: \"arn:aws:dynamodb:"
                            + "us-east-1:" + ACCOUNT + ":table/orders\" because no VPC endpoint policy allows the "
                            + "dynamodb:PutItem action");
                });
        assertThatThrownBy(() -> dynamodb().getItem(r -> r.tableName("customers")
                .key(Map.of("id", AttributeValue.fromS("1"))))).isInstanceOf(DynamoDbException.class);
        KeysAndAttributes key = KeysAndAttributes.builder().keys(Map.of("id", AttributeValue.fromS("1"))).build();
        assertThatThrownBy(() -> dynamodb().batchGetItem(r -> r.requestItems(Map.of("orders", key, "customers", key))))
                .isInstanceOfSatisfying(DynamoDbException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("AccessDeniedException"));
        assertThat(RECEIVED).hasSize(before);
        JsonNode batch = S3EndpointPolicyTestDecisions.last(UNDERPASS, "action=dynamodb:BatchGetItem");
        assertThat(batch.get("decision").asText()).isEqualTo("ImplicitlyDenied");
        // BatchGetItem is an action of its own, which the policy does not allow on either table.
        assertThat(batch.get("resource").asText()).matches("arn:aws:dynamodb:us-east-1:" + ACCOUNT
                + ":table/(orders|customers)");
    }

    @Test
    void accessDenied_isDynamoDbsJsonEnvelope_onTheWire() throws Exception {
        String service = dataPlane.resolve("dynamodb.us-east-1.amazonaws.com", address(instance)).get(0);
        byte[] body = "{\"TableName\":\"orders\",\"Item\":{\"id\":{\"S\":\"9\"}}}"
                .getBytes(StandardCharsets.UTF_8);
        String answer;
        try (java.net.Socket s = new java.net.Socket()) {
            s.bind(new InetSocketAddress(address(instance), 0));
            s.connect(new InetSocketAddress(service, services.port()), 5_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("POST / HTTP/1.1\r\nHost: dynamodb.us-east-1.amazonaws.com\r\n"
                    + "X-Amz-Target: DynamoDB_20120810.PutItem\r\nContent-Type: application/x-amz-json-1.0\r\n"
                    + "Authorization: AWS4-HMAC-SHA256 Credential=" + ACCOUNT + "/20261205/us-east-1/dynamodb/"
                    + "aws4_request, SignedHeaders=host;x-amz-target, Signature=0\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(body);
            answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        int split = answer.indexOf("\r\n\r\n");
        String head = answer.substring(0, split).toLowerCase(Locale.ROOT);
        assertThat(head).startsWith("http/1.1 400 ").contains("\r\ncontent-type: application/x-amz-json-1.0",
                "\r\nx-amzn-requestid: ");
        JsonNode error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.substring(split + 4));
        assertThat(error.size()).isEqualTo(2);
        assertThat(error.get("__type").asText()).isEqualTo("com.amazon.coral.service#AccessDeniedException");
        assertThat(error.get("message").asText()).isEqualTo("User: arn:aws:iam::" + ACCOUNT + ":root is not "
                + "authorized to perform: dynamodb:PutItem on resource: \"arn:aws:dynamodb:us-east-1:" + ACCOUNT
                + ":table/orders\" because no VPC endpoint policy allows the dynamodb:PutItem action");
        assertThat(RECEIVED).noneMatch(r -> r.contains("\"9\""));
    }

    @Test
    void interfaceEndpointToDynamoDb_carriesEveryCall_underItsDefaultPolicy() throws Exception {
        // DynamoDB's public name stays public in that VPC (its interface endpoints have no private DNS here).
        assertThat(dataPlane.resolve("dynamodb.us-east-1.amazonaws.com", address(interfaceInstance)))
                .doesNotContain(address(interfaceEndpoint));
        DynamoDbClient db = dynamodb(interfaceInstance, address(interfaceEndpoint));
        db.putItem(r -> r.tableName("customers").item(Map.of("id", AttributeValue.fromS("7"))));
        assertThat(RECEIVED).anyMatch(s -> s.startsWith("DynamoDB_20120810.PutItem ") && s.contains("\"customers\""));
        assertThat(db.getItem(r -> r.tableName("orders").key(Map.of("id", AttributeValue.fromS("1")))).item()
                .get("total").n()).isEqualTo("42");
        JsonNode last = S3EndpointPolicyTestDecisions.last(UNDERPASS, "source=" + interfaceInstance);
        assertThat(last.get("decision").asText()).isEqualTo("Allowed");
        assertThat(last.get("path").asText()).isEqualTo("interface");
        assertThat(last.get("endpoint").asText()).isEqualTo(interfaceEndpoint);
        assertThat(last.at("/input/vpcEndpointKind").asText()).isEqualTo("Interface");
        assertThat(last.at("/input/request/context/aws:SourceVpce").asText()).isEqualTo(interfaceEndpoint);
    }

    @AfterAll
    static void everyDecision_equalsWhatPolicyEvaluateSaysOnTheSameInput() {
        if (services != null) {
            assertThat(S3EndpointPolicyTestDecisions.assertPolicyEvaluateAgrees(UNDERPASS)).isGreaterThanOrEqualTo(3);
        }
    }
}
