package dev.underpass.server.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.underpass.dataplane.DataPlane;
import dev.underpass.dataplane.service.ServiceEndpoints;
import dev.underpass.server.UnderpassExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gaul.s3proxy.AuthenticationType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.Handshake;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An interface endpoint to S3 with private DNS, in a member account of an organization whose SCP denies
 * {@code s3:DeleteObject}: the S3 name resolves to the endpoint's interfaces inside the VPC, requests through them
 * carry the interface endpoint as {@code aws:SourceVpce}, and the SCP refuses the delete with S3's AccessDenied.
 */
public class S3InterfaceEndpointTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();
    private static final String MANAGEMENT = "333333333333";
    private static final String MEMBER = "222222222222";

    private static S3Upstream upstream;
    private static ServiceEndpoints services;
    private static DataPlane dataPlane;
    private static String endpoint;
    private static String instance;

    @BeforeAll
    static void scenario() throws Exception {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"),
                "the loopback data plane needs Linux");
        upstream = new S3Upstream(AuthenticationType.NONE);
        OrganizationsClient org = org(MANAGEMENT);
        org.createOrganization(r -> r.featureSet("ALL"));
        String rootId = org.listRoots(r -> {}).roots().get(0).id();
        Handshake h = org.inviteAccountToOrganization(r -> r.target(t -> t.id(MEMBER).type("ACCOUNT"))).handshake();
        org(MEMBER).acceptHandshake(r -> r.handshakeId(h.id()));
        org.enablePolicyType(r -> r.rootId(rootId).policyType("SERVICE_CONTROL_POLICY"));
        String scp = org.createPolicy(r -> r.name("no-deletes").description("no deletes")
                .type("SERVICE_CONTROL_POLICY").content("""
                        {"Version": "2012-10-17", "Statement": [{"Sid": "NoDeletes", "Effect": "Deny",
                          "Action": "s3:DeleteObject", "Resource": "*"}]}""")).policy().policySummary().id();
        org.attachPolicy(r -> r.policyId(scp).targetId(MEMBER));

        Ec2Client ec2 = UNDERPASS.ec2(MEMBER);
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.4.0.0/16")).vpc().vpcId();
        ec2.modifyVpcAttribute(r -> r.vpcId(vpc).enableDnsHostnames(b -> b.value(true)));
        String subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.4.1.0/24").availabilityZone("us-east-1a"))
                .subnet().subnetId();
        String group = ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName("s3-endpoint").description("https"))
                .groupId();
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(group).ipProtocol("tcp").fromPort(443).toPort(443)
                .cidrIp("10.4.0.0/16"));
        endpoint = ec2.createVpcEndpoint(r -> r.vpcId(vpc).vpcEndpointType("Interface")
                .serviceName("com.amazonaws.us-east-1.s3").subnetIds(subnet).securityGroupIds(group)
                .privateDnsEnabled(true).dnsOptions(o -> o.privateDnsOnlyForInboundResolverEndpoint(false)))
                .vpcEndpoint().vpcEndpointId();
        instance = ec2.runInstances(r -> r.imageId("ami-12345678").instanceType("t3.micro").minCount(1).maxCount(1)
                .subnetId(subnet)).instances().get(0).instanceId();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        services = UNDERPASS.server().startServiceEndpoints(new ServiceEndpoints.Settings(
                Map.of("s3", upstream.uri()), Map.of(), port, Duration.ZERO));
        dataPlane = UNDERPASS.server().dataPlane();
        dataPlane.sync();
        services.sync();
    }

    @AfterAll
    static void stop() throws Exception {
        if (upstream != null) {
            upstream.stop();
        }
    }

    private static OrganizationsClient org(String account) {
        return OrganizationsClient.builder().endpointOverride(UNDERPASS.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(account, "s")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    private static String address(String id) {
        return dataPlane.addresses().all().stream().filter(x -> x.resourceId().equals(id)).findFirst()
                .orElseThrow().loopback();
    }

    @SuppressWarnings("deprecation") // Apache 4 client: see S3EndpointPolicyTest.s3
    private static S3Client s3(String target) throws Exception {
        return S3Client.builder().region(Region.US_EAST_1)
                .endpointOverride(URI.create("http://" + target + ":" + services.port())).forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(MEMBER, "s")))
                .httpClientBuilder(ApacheHttpClient.builder().localAddress(InetAddress.getByName(address(instance))))
                .build();
    }

    @Test
    void privateDnsName_resolvesToTheEndpointInterfaces_andScpRefusesTheDelete() throws Exception {
        List<String> answer = dataPlane.resolve("s3.us-east-1.amazonaws.com", address(instance));
        assertThat(answer).containsExactly(address(endpoint));
        S3Client s3 = s3(answer.get(0));
        s3.createBucket(r -> r.bucket("member-data"));
        s3.putObject(r -> r.bucket("member-data").key("k"), RequestBody.fromString("v"));
        assertThat(s3.getObjectAsBytes(r -> r.bucket("member-data").key("k")).asUtf8String()).isEqualTo("v");
        assertThatThrownBy(() -> s3.deleteObject(r -> r.bucket("member-data").key("k")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("User: arn:aws:iam::" + MEMBER
                            + ":root is not authorized to perform: s3:DeleteObject on resource: "
                            + "\"arn:aws:s3:::member-data/k\" with an explicit deny in a service control policy");
                });
        JsonNode last = S3EndpointPolicyTestDecisions.last(UNDERPASS, "source=" + instance);
        assertThat(last.get("path").asText()).isEqualTo("interface");
        assertThat(last.get("endpoint").asText()).isEqualTo(endpoint);
        assertThat(last.get("blocking").asText()).matches("scp:p-[0-9a-z]+\\.NoDeletes");
        assertThat(last.at("/input/request/context/aws:SourceVpce").asText()).isEqualTo(endpoint);
        assertThat(last.at("/input/request/context/aws:PrincipalOrgID").asText()).startsWith("o-");
        assertThat(last.at("/input/vpcEndpointKind").asText()).isEqualTo("Interface");
    }
}
