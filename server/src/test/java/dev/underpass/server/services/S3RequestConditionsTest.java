package dev.underpass.server.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.underpass.dataplane.DataPlane;
import dev.underpass.dataplane.service.ServiceEndpoints;
import dev.underpass.server.Loopback;
import dev.underpass.server.ServerConfig;
import dev.underpass.server.TestVpcs;
import dev.underpass.server.UnderpassExtension;
import dev.underpass.server.cli.Main;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The request's own condition keys and actions on real S3 requests through a gateway endpoint (issue 15):
 * {@code s3:x-amz-acl} and {@code s3:prefix} in an endpoint policy, the multipart calls, a policy change applied to
 * the next request on an open connection, and {@code underpass trace}'s text answer for an S3 name. The SDK's S3
 * client bound to an instance address, s3proxy with signature checking behind. Linux only.
 */
public class S3RequestConditionsTest {
    /** A static key of an IAM user ({@code serve --access-key AKIA…=arn:…:user/alice}). */
    private static final String ALICE_KEY = "AKIAALICEEXAMPLE0001";

    @RegisterExtension
    static final UnderpassExtension UNDERPASS = UnderpassExtension.onLoopback(ServerConfig.forTests()
            .withAccessKeys(Map.of(ALICE_KEY, "arn:aws:iam::111111111111:user/alice")));
    private static final String ACCOUNT = S3Upstream.ACCESS_KEY;

    private static S3Upstream upstream;
    private static Ec2Client ec2;
    private static ServiceEndpoints services;
    private static DataPlane dataPlane;
    private static String endpoint;
    private static String instance;
    private static String s3Address;

    @BeforeAll
    static void scenario() throws Exception {
        // s3proxy accepts any signature here: alice's key is not its one key.
        upstream = new S3Upstream(org.gaul.s3proxy.AuthenticationType.NONE);
        ec2 = UNDERPASS.ec2(ACCOUNT);
        TestVpcs.Net net = TestVpcs.net(ec2, "10.7.0.0/16", "10.7.1.0/24", "us-east-1a");
        endpoint = ServiceFixtures.gatewayEndpoint(ec2, net.vpc().vpcId(), "s3");
        instance = Loopback.instance(ec2, net.subnet().subnetId());
        services = ServiceFixtures.start(UNDERPASS, Map.of("s3", upstream.uri()), Map.of());
        dataPlane = UNDERPASS.server().dataPlane();
        s3Address = dataPlane.resolve("s3.us-east-1.amazonaws.com", address()).get(0);
        ServiceFixtures.seed(s3(), "data", "public/a.txt", "a", "data", "private/b.txt", "b");
    }

    @AfterAll
    static void stop() throws Exception {
        if (upstream != null) {
            upstream.stop();
        }
        if (services != null) {
            assertThat(S3EndpointPolicyTestDecisions.assertPolicyEvaluateAgrees(UNDERPASS)).isGreaterThanOrEqualTo(10);
        }
    }

    @AfterEach
    void resetPolicy() {
        ec2.modifyVpcEndpoint(r -> r.vpcEndpointId(endpoint).resetPolicy(true));
    }

    private static String address() {
        return Loopback.address(dataPlane, instance);
    }

    private static S3Client s3() throws Exception {
        return s3(S3Upstream.ACCESS_KEY, S3Upstream.SECRET);
    }

    @SuppressWarnings("deprecation") // Apache 4 client: see S3EndpointPolicyTest.s3
    private static S3Client s3(String accessKey, String secret) throws Exception {
        return ServiceFixtures.s3(s3Address, services, AwsBasicCredentials.create(accessKey, secret))
                .httpClientBuilder(ApacheHttpClient.builder().localAddress(InetAddress.getByName(address()))
                        .socketTimeout(Duration.ofSeconds(10)))
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    private static void endpointPolicy(String json) {
        ec2.modifyVpcEndpoint(r -> r.vpcEndpointId(endpoint).policyDocument(json));
    }

    @Test
    void cannedAclAndListPrefix_areConditionKeysOfTheEndpointPolicy() throws Exception {
        endpointPolicy("""
                {"Version": "2012-10-17", "Statement": [
                  {"Sid": "All", "Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"},
                  {"Sid": "NoPublicObjects", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
                   "Resource": "*", "Condition": {"StringEquals": {"s3:x-amz-acl": "public-read"}}},
                  {"Sid": "ListPublicOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:ListBucket",
                   "Resource": "arn:aws:s3:::data", "Condition": {"StringNotLike": {"s3:prefix": "public/*"}}}]}""");
        S3Client s3 = s3();
        ServiceFixtures.assertS3AccessDeniedEndingWith(
                () -> s3.putObject(r -> r.bucket("data").key("public/c.txt").acl(ObjectCannedACL.PUBLIC_READ),
                        RequestBody.fromString("c")),
                "with an explicit deny in a VPC endpoint policy");
        JsonNode acl = S3EndpointPolicyTestDecisions.last(UNDERPASS, "action=s3:PutObject");
        assertThat(acl.get("blocking").asText()).isEqualTo("vpcEndpoint[0].NoPublicObjects");
        assertThat(acl.at("/input/request/context/s3:x-amz-acl").asText()).isEqualTo("public-read");
        s3.putObject(r -> r.bucket("data").key("public/c.txt").acl(ObjectCannedACL.PRIVATE),
                RequestBody.fromString("c"));
        assertThat(s3.listObjectsV2(r -> r.bucket("data").prefix("public/")).contents()).extracting(o -> o.key())
                .containsExactly("public/a.txt", "public/c.txt");
        ServiceFixtures.assertS3AccessDeniedEndingWith(() -> s3.listObjectsV2(r -> r.bucket("data").prefix("private/")),
                "with an explicit deny in a VPC endpoint policy");
        // No prefix at all: the key is absent, and StringNotLike on an absent key matches, so the Deny applies.
        ServiceFixtures.assertS3AccessDeniedEndingWith(() -> s3.listObjectsV2(r -> r.bucket("data")),
                "with an explicit deny in a VPC endpoint policy");
        JsonNode list = S3EndpointPolicyTestDecisions.list(UNDERPASS, "action=s3:ListBucket&limit=3");
        assertThat(list.get(0).at("/input/request/context/s3:prefix").asText()).isEqualTo("public/");
        assertThat(list.get(1).at("/input/request/context/s3:prefix").asText()).isEqualTo("private/");
        assertThat(list.get(2).at("/input/request/context").has("s3:prefix")).isFalse();
    }

    @Test
    void staticKeyOfAnIamUser_isThatUser_forTheEndpointPolicysPrincipal() throws Exception {
        endpointPolicy("""
                {"Version": "2012-10-17", "Statement": [{"Sid": "AliceReads", "Effect": "Allow",
                  "Principal": {"AWS": "arn:aws:iam::111111111111:user/alice"}, "Action": "s3:GetObject",
                  "Resource": "arn:aws:s3:::data/*"}]}""");
        S3Client alice = s3(ALICE_KEY, "any-secret");
        assertThat(alice.getObjectAsBytes(r -> r.bucket("data").key("public/a.txt")).asUtf8String()).isEqualTo("a");
        JsonNode allowed = S3EndpointPolicyTestDecisions.last(UNDERPASS, "action=s3:GetObject");
        assertThat(allowed.get("principal").asText()).isEqualTo("arn:aws:iam::111111111111:user/alice");
        assertThat(allowed.at("/input/request/principal").asText()).isEqualTo("arn:aws:iam::111111111111:user/alice");
        S3Client root = s3();
        ServiceFixtures.assertS3AccessDeniedEndingWith(
                () -> root.getObjectAsBytes(r -> r.bucket("data").key("public/a.txt")),
                "because no VPC endpoint policy allows the s3:GetObject action");
        assertThat(S3EndpointPolicyTestDecisions.last(UNDERPASS, "action=s3:GetObject").get("principal").asText())
                .isEqualTo("arn:aws:iam::111111111111:root");
    }

    @Test
    void multipartUpload_isPutObject_andAbortIsItsOwnAction() throws Exception {
        endpointPolicy("""
                {"Version": "2012-10-17", "Statement": [{"Sid": "UploadAndRead", "Effect": "Allow", "Principal": "*",
                  "Action": ["s3:PutObject", "s3:GetObject", "s3:ListMultipartUploadParts"],
                  "Resource": "arn:aws:s3:::data/*"}]}""");
        S3Client s3 = s3();
        String upload = s3.createMultipartUpload(r -> r.bucket("data").key("parts.bin")).uploadId();
        byte[] part = new byte[64 * 1024];
        new java.util.Random(7).nextBytes(part);
        String etag = s3.uploadPart(r -> r.bucket("data").key("parts.bin").uploadId(upload).partNumber(1),
                RequestBody.fromBytes(part)).eTag();
        assertThat(s3.listParts(r -> r.bucket("data").key("parts.bin").uploadId(upload)).parts()).hasSize(1);
        s3.completeMultipartUpload(r -> r.bucket("data").key("parts.bin").uploadId(upload).multipartUpload(m -> m
                .parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
        assertThat(s3.getObjectAsBytes(r -> r.bucket("data").key("parts.bin")).asByteArray()).isEqualTo(part);
        List<String> actions = new ArrayList<>();
        S3EndpointPolicyTestDecisions.list(UNDERPASS, "limit=5").forEach(d -> actions.add(d.get("action").asText()));
        assertThat(actions).containsExactly("s3:PutObject", "s3:PutObject", "s3:ListMultipartUploadParts",
                "s3:PutObject", "s3:GetObject");

        String other = s3.createMultipartUpload(r -> r.bucket("data").key("abandoned.bin")).uploadId();
        ServiceFixtures.assertS3AccessDeniedEndingWith(
                () -> s3.abortMultipartUpload(r -> r.bucket("data").key("abandoned.bin").uploadId(other)),
                "because no VPC endpoint policy allows the s3:AbortMultipartUpload action");
        ServiceFixtures.assertS3AccessDeniedEndingWith(() -> s3.listMultipartUploads(r -> r.bucket("data")),
                "because no VPC endpoint policy allows the s3:ListBucketMultipartUploads action");
    }

    @Test
    void changedEndpointPolicy_appliesToTheNextRequest_onTheSameOpenConnection() throws Exception {
        URI url = ServiceFixtures.presignedGet(s3Address, services, "data", "public/a.txt");
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(address(), 0));
            s.connect(new InetSocketAddress(url.getHost(), url.getPort()), 5_000);
            s.setSoTimeout(10_000);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            byte[] get = ("GET " + url.getRawPath() + "?" + url.getRawQuery() + " HTTP/1.1\r\nHost: " + url.getHost()
                    + ":" + url.getPort() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            out.write(get);
            assertThat(answer(in)).startsWith("HTTP/1.1 200").endsWith("\r\n\r\na");
            endpointPolicy("""
                    {"Version": "2012-10-17", "Statement": [{"Sid": "ListOnly", "Effect": "Allow", "Principal": "*",
                      "Action": "s3:ListBucket", "Resource": "*"}]}""");
            out.write(get);
            assertThat(answer(in)).startsWith("HTTP/1.1 403").contains("<Code>AccessDenied</Code>",
                    "because no VPC endpoint policy allows the s3:GetObject action");
        }
    }

    /** One HTTP/1.1 answer with a Content-Length body, head and body as text. */
    private static String answer(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            assertThat(c).as("answer so far: %s", head).isNotNegative();
            head.append((char) c);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).strip());
            }
        }
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Test
    void traceText_forAnS3Name_printsThePolicyDecisionAndTheEndpoint() {
        String principal = "arn:aws:iam::" + ACCOUNT + ":root";
        String allowed = trace("s3:GetObject", "arn:aws:s3:::data/public/a.txt", principal);
        assertThat(allowed).contains("trace " + instance + " -> data.s3.us-east-1.amazonaws.com tcp/443",
                "policy: Allowed (endpoint " + endpoint + ")", "REACHABLE");
        endpointPolicy("""
                {"Version": "2012-10-17", "Statement": [{"Sid": "NoDeletes", "Effect": "Deny", "Principal": "*",
                  "Action": "s3:DeleteObject", "Resource": "*"},
                  {"Sid": "All", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}""");
        String denied = trace("s3:DeleteObject", "arn:aws:s3:::data/public/a.txt", principal);
        assertThat(denied).contains("policy: ExplicitlyDenied by vpcEndpoint[0].NoDeletes (endpoint " + endpoint
                + ")", "BLOCKED by 1:");
    }

    private static String trace(String action, String resource, String principal) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute("trace",
                "--endpoint", UNDERPASS.endpoint().toString(), "--from", instance, "--to",
                "data.s3.us-east-1.amazonaws.com", "--port", "443", "--principal", principal, "--action", action,
                "--resource", resource);
        assertThat(code).as(err.toString()).isIn(0, 1);
        return out.toString();
    }
}
