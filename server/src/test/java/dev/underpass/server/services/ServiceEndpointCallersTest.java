package dev.underpass.server.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.underpass.dataplane.DataPlane;
import dev.underpass.dataplane.service.ServiceEndpoints;
import dev.underpass.server.Loopback;
import dev.underpass.server.TestVpcs;
import dev.underpass.server.UnderpassExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.gaul.s3proxy.AuthenticationType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Who calls, and what answers when something is missing: a resource control policy of the bucket owner's
 * organization refusing a read; a role session's temporary credentials (the principal is the assumed-role ARN); an
 * access key underpass never issued ({@code InvalidAccessKeyId}); the data plane's DNS over the wire answering the
 * S3 name per asking VPC; and an upstream that is down ({@code ServiceUnavailable}, 503, in S3's XML). Linux only.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class ServiceEndpointCallersTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = UnderpassExtension.onLoopback();
    private static final String MANAGEMENT = "555555555555";
    private static final String MEMBER = "666666666666";

    private static S3Upstream upstream;
    private static ServiceEndpoints services;
    private static DataPlane dataPlane;
    private static String interfaceEndpoint;
    private static String gatewayEndpoint;
    /** In a VPC with an interface endpoint to S3 (private DNS). */
    private static String inner;
    /** In a VPC with a gateway endpoint to S3. */
    private static String outer;
    private static String rcpId;
    private static int dnsPort;

    @BeforeAll
    static void scenario() throws Exception {
        upstream = new S3Upstream(AuthenticationType.NONE);
        rcpId = ServiceFixtures.memberUnderPolicy(UNDERPASS, MANAGEMENT, MEMBER, "RESOURCE_CONTROL_POLICY", "sealed",
                "sealed bucket", """
                        {"Version": "2012-10-17", "Statement": [{"Sid": "SealedStaysSealed", "Effect": "Deny",
                          "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::sealed/*"}]}""");

        Ec2Client ec2 = UNDERPASS.ec2(MEMBER);
        TestVpcs.Net innerNet = TestVpcs.net(ec2, "10.6.0.0/16", "10.6.1.0/24", "us-east-1a");
        String subnet = innerNet.subnet().subnetId();
        interfaceEndpoint = ServiceFixtures.s3InterfaceEndpoint(ec2, innerNet.vpc().vpcId(), subnet, "10.6.0.0/16");
        inner = Loopback.instance(ec2, subnet);
        TestVpcs.Net outerNet = TestVpcs.net(ec2, "10.7.0.0/16", "10.7.1.0/24", "us-east-1a");
        gatewayEndpoint = ServiceFixtures.gatewayEndpoint(ec2, outerNet.vpc().vpcId(), "s3");
        outer = Loopback.instance(ec2, outerNet.subnet().subnetId());

        String rolesOnly = """
                {"Version": "2012-10-17", "Statement": [{"Sid": "ReaderRoleOnly", "Effect": "Deny",
                  "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::roles-only", "arn:aws:s3:::roles-only/*"],
                  "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::%s:role/reader"}}}]}"""
                .formatted(MEMBER);
        services = ServiceFixtures.start(UNDERPASS, Map.of("s3", upstream.uri()), Map.of("roles-only", rolesOnly));
        dataPlane = UNDERPASS.server().dataPlane();
        dnsPort = dataPlane.startDns("127.0.0.1", 0);
        S3Client root = s3(outer, root());
        for (String bucket : List.of("sealed", "roles-only", "plain")) {
            root.createBucket(r -> r.bucket(bucket));
        }
        root.putObject(r -> r.bucket("sealed").key("k"), RequestBody.fromString("sealed"));
        root.putObject(r -> r.bucket("plain").key("k"), RequestBody.fromString("plain"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (upstream != null) {
            upstream.stop();
        }
    }

    private static AwsCredentials root() {
        return AwsBasicCredentials.create(MEMBER, "s");
    }

    private static String address(String id) {
        return Loopback.address(dataPlane, id);
    }

    /** The S3 client of a process on {@code instance}, to the S3 name as the data plane resolves it there. */
    @SuppressWarnings("deprecation") // Apache 4 client: see S3EndpointPolicyTest.s3
    private static S3Client s3(String instance, AwsCredentials credentials) throws Exception {
        String target = dataPlane.resolve("s3.us-east-1.amazonaws.com", address(instance)).get(0);
        return ServiceFixtures.s3(target, services, credentials)
                .httpClientBuilder(ApacheHttpClient.builder().localAddress(InetAddress.getByName(address(instance)))
                        .socketTimeout(Duration.ofSeconds(10)))
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    /** One A query to the data plane's DNS, sent from {@code from}'s address (which says the asking VPC). */
    private static List<String> dig(String from, String name) throws Exception {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", dnsPort));
        resolver.setLocalAddress(new InetSocketAddress(from, 0));
        resolver.setTimeout(Duration.ofSeconds(5));
        Message m = resolver.send(Message.newQuery(org.xbill.DNS.Record.newRecord(Name.fromString(name + "."),
                Type.A, DClass.IN)));
        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        return m.getSection(Section.ANSWER).stream().map(r -> ((ARecord) r).getAddress().getHostAddress()).toList();
    }

    @Test
    @Order(1)
    void dnsOverTheWire_answersTheS3NamePerAskingVpc() throws Exception {
        String publicAddress = ServiceEndpoints.publicAddress("s3", "us-east-1", dataPlane.addresses());
        assertThat(dig(address(inner), "s3.us-east-1.amazonaws.com")).containsExactly(address(interfaceEndpoint));
        assertThat(dig(address(inner), "sealed.s3.us-east-1.amazonaws.com"))
                .containsExactly(address(interfaceEndpoint));
        assertThat(dig(address(outer), "s3.us-east-1.amazonaws.com")).containsExactly(publicAddress);
        assertThat(dig(address(outer), "plain.s3.us-east-1.amazonaws.com")).containsExactly(publicAddress);
    }

    @Test
    @Order(2)
    void resourceControlPolicyOfTheBucketOwnersOrganization_refusesTheRead() throws Exception {
        S3Client s3 = s3(outer, root());
        assertThat(s3.getObjectAsBytes(r -> r.bucket("plain").key("k")).asUtf8String()).isEqualTo("plain");
        ServiceFixtures.assertS3AccessDenied(() -> s3.getObjectAsBytes(r -> r.bucket("sealed").key("k")),
                "User: arn:aws:iam::" + MEMBER + ":root is not authorized to perform: s3:GetObject on resource: "
                        + "\"arn:aws:s3:::sealed/k\" with an explicit deny in a resource control policy");
        JsonNode last = S3EndpointPolicyTestDecisions.last(UNDERPASS, "source=" + outer);
        assertThat(last.get("decision").asText()).isEqualTo("ExplicitlyDenied");
        assertThat(last.get("blocking").asText()).isEqualTo("rcp:" + rcpId + ".SealedStaysSealed");
        assertThat(last.get("path").asText()).isEqualTo("gateway");
        assertThat(last.get("endpoint").asText()).isEqualTo(gatewayEndpoint);
    }

    @Test
    @Order(3)
    void assumedRoleSession_isThePrincipal_andItsRoleArnIsMatched() throws Exception {
        StsClient sts = StsClient.builder().endpointOverride(UNDERPASS.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(root()))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        Credentials c = sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + MEMBER + ":role/reader")
                .roleSessionName("nightly")).credentials();
        S3Client session = s3(inner, AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(),
                c.sessionToken()));
        session.putObject(r -> r.bucket("roles-only").key("report"), RequestBody.fromString("by the role"));
        assertThat(session.getObjectAsBytes(r -> r.bucket("roles-only").key("report")).asUtf8String())
                .isEqualTo("by the role");
        JsonNode allowed = S3EndpointPolicyTestDecisions.last(UNDERPASS, "source=" + inner);
        assertThat(allowed.get("principal").asText()).isEqualTo("arn:aws:sts::" + MEMBER
                + ":assumed-role/reader/nightly");
        assertThat(allowed.get("decision").asText()).isEqualTo("Allowed");
        assertThat(allowed.get("path").asText()).isEqualTo("interface");
        assertThat(allowed.at("/input/request/resourceAccount").asText()).isEqualTo(MEMBER);
        assertThat(allowed.at("/input/request/context/aws:SourceVpce").asText()).isEqualTo(interfaceEndpoint);
        // The account's root is not the role: the bucket policy refuses it.
        assertThatThrownBy(() -> s3(inner, root()).getObjectAsBytes(r -> r.bucket("roles-only").key("report")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .endsWith("with an explicit deny in a resource-based policy"));
        assertThat(S3EndpointPolicyTestDecisions.last(UNDERPASS, "source=" + inner).get("blocking").asText())
                .isEqualTo("resource[0].ReaderRoleOnly");
    }

    @Test
    @Order(4)
    void accessKeyUnderpassNeverIssued_isInvalidAccessKeyId() throws Exception {
        S3Client unknown = s3(outer, AwsSessionCredentials.create("ASIAUNDERPASSNOTREAL", "secret", "token"));
        assertThatThrownBy(() -> unknown.getObjectAsBytes(r -> r.bucket("plain").key("k")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAccessKeyId");
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("The AWS Access Key Id you provided does not exist in our records.");
                    assertThat(e.requestId()).isNotBlank();
                });
    }

    @Test
    @Order(5)
    void everyDecision_equalsWhatPolicyEvaluateSaysOnTheSameInput() {
        assertThat(S3EndpointPolicyTestDecisions.assertPolicyEvaluateAgrees(UNDERPASS)).isGreaterThanOrEqualTo(8);
    }

    @Test
    @Order(6)
    void upstreamDown_isServiceUnavailableInS3Xml_withoutHanging() throws Exception {
        upstream.stop();
        S3Client s3 = s3(outer, root());
        assertThatThrownBy(() -> s3.getObjectAsBytes(r -> r.bucket("plain").key("k")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(503);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
                    assertThat(e.awsErrorDetails().errorMessage()).startsWith("The upstream http://127.0.0.1:");
                });
        upstream = null;
    }
}
