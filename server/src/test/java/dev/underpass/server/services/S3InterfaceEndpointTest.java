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
import java.util.List;
import java.util.Map;
import org.gaul.s3proxy.AuthenticationType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An interface endpoint to S3 with private DNS, in a member account of an organization whose SCP denies
 * {@code s3:DeleteObject}: the S3 name resolves to the endpoint's interfaces inside the VPC, requests through them
 * carry the interface endpoint as {@code aws:SourceVpce}, and the SCP refuses the delete with S3's AccessDenied.
 */
public class S3InterfaceEndpointTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = UnderpassExtension.onLoopback();
    private static final String MANAGEMENT = "333333333333";
    private static final String MEMBER = "222222222222";

    private static S3Upstream upstream;
    private static ServiceEndpoints services;
    private static DataPlane dataPlane;
    private static String endpoint;
    private static String instance;

    @BeforeAll
    static void scenario() throws Exception {
        upstream = new S3Upstream(AuthenticationType.NONE);
        ServiceFixtures.memberUnderPolicy(UNDERPASS, MANAGEMENT, MEMBER, "SERVICE_CONTROL_POLICY", "no-deletes",
                "no deletes", """
                        {"Version": "2012-10-17", "Statement": [{"Sid": "NoDeletes", "Effect": "Deny",
                          "Action": "s3:DeleteObject", "Resource": "*"}]}""");

        Ec2Client ec2 = UNDERPASS.ec2(MEMBER);
        TestVpcs.Net net = TestVpcs.net(ec2, "10.4.0.0/16", "10.4.1.0/24", "us-east-1a");
        String vpc = net.vpc().vpcId();
        String subnet = net.subnet().subnetId();
        endpoint = ServiceFixtures.s3InterfaceEndpoint(ec2, vpc, subnet, "10.4.0.0/16");
        instance = Loopback.instance(ec2, subnet);
        services = ServiceFixtures.start(UNDERPASS, Map.of("s3", upstream.uri()), Map.of());
        dataPlane = UNDERPASS.server().dataPlane();
    }

    @AfterAll
    static void stop() throws Exception {
        if (upstream != null) {
            upstream.stop();
        }
    }

    private static String address(String id) {
        return Loopback.address(dataPlane, id);
    }

    @SuppressWarnings("deprecation") // Apache 4 client: see S3EndpointPolicyTest.s3
    private static S3Client s3(String target) throws Exception {
        return ServiceFixtures.s3(target, services, AwsBasicCredentials.create(MEMBER, "s"))
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
        ServiceFixtures.assertS3AccessDenied(() -> s3.deleteObject(r -> r.bucket("member-data").key("k")),
                "User: arn:aws:iam::" + MEMBER + ":root is not authorized to perform: s3:DeleteObject on resource: "
                        + "\"arn:aws:s3:::member-data/k\" with an explicit deny in a service control policy");
        JsonNode last = S3EndpointPolicyTestDecisions.last(UNDERPASS, "source=" + instance);
        assertThat(last.get("path").asText()).isEqualTo("interface");
        assertThat(last.get("endpoint").asText()).isEqualTo(endpoint);
        assertThat(last.get("blocking").asText()).matches("scp:p-[0-9a-z]+\\.NoDeletes");
        assertThat(last.at("/input/request/context/aws:SourceVpce").asText()).isEqualTo(endpoint);
        assertThat(last.at("/input/request/context/aws:PrincipalOrgID").asText()).startsWith("o-");
        assertThat(last.at("/input/vpcEndpointKind").asText()).isEqualTo("Interface");
    }
}
