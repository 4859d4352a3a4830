package dev.underpass.server.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.dataplane.service.ServiceEndpoints;
import dev.underpass.server.Loopback;
import dev.underpass.server.UnderpassExtension;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.Handshake;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The set-up steps the service-endpoint tests share: a member account under an organization policy, gateway and
 * interface endpoints to a service, the service endpoints started on a free port, and an S3 client aimed at the
 * service address. Each test keeps its own scenario; only the steps live here.
 */
final class ServiceFixtures {
    private ServiceFixtures() {}

    static OrganizationsClient org(UnderpassExtension underpass, String account) {
        return OrganizationsClient.builder().endpointOverride(underpass.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(account, "s")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /**
     * Makes {@code management} an organization with all features, brings {@code member} in through a handshake,
     * enables the policy type at the root and attaches a new policy of that type to the member; answers its id.
     */
    static String memberUnderPolicy(UnderpassExtension underpass, String management, String member, String type,
            String name, String description, String content) {
        OrganizationsClient org = org(underpass, management);
        org.createOrganization(r -> r.featureSet("ALL"));
        String rootId = org.listRoots(r -> {}).roots().get(0).id();
        Handshake h = org.inviteAccountToOrganization(r -> r.target(t -> t.id(member).type("ACCOUNT"))).handshake();
        org(underpass, member).acceptHandshake(r -> r.handshakeId(h.id()));
        org.enablePolicyType(r -> r.rootId(rootId).policyType(type));
        String policyId = org.createPolicy(r -> r.name(name).description(description).type(type).content(content))
                .policy().policySummary().id();
        org.attachPolicy(r -> r.policyId(policyId).targetId(member));
        return policyId;
    }

    /** A gateway endpoint to {@code service} (e.g. "s3") on the VPC's main route table, with the default policy. */
    static String gatewayEndpoint(Ec2Client ec2, String vpcId, String service) {
        return ec2.createVpcEndpoint(r -> r.vpcId(vpcId).vpcEndpointType("Gateway")
                .serviceName("com.amazonaws.us-east-1." + service).routeTableIds(mainRouteTable(ec2, vpcId)))
                .vpcEndpoint().vpcEndpointId();
    }

    static String mainRouteTable(Ec2Client ec2, String vpcId) {
        return ec2.describeRouteTables(r -> r.filters(f -> f.name("vpc-id").values(vpcId),
                f -> f.name("association.main").values("true"))).routeTables().get(0).routeTableId();
    }

    /** A security group of the VPC, named {@code name}, that lets HTTPS in from {@code cidr}; answers its id. */
    static String httpsFrom(Ec2Client ec2, String vpcId, String name, String cidr) {
        String group = ec2.createSecurityGroup(r -> r.vpcId(vpcId).groupName(name).description("https")).groupId();
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(group).ipProtocol("tcp").fromPort(443).toPort(443)
                .cidrIp(cidr));
        return group;
    }

    /**
     * An S3 interface endpoint in the subnet, guarded by {@link #httpsFrom} the VPC's {@code cidr}, with private DNS
     * for the whole VPC (which needs DNS hostnames on: a new VPC has them off).
     */
    static String s3InterfaceEndpoint(Ec2Client ec2, String vpcId, String subnetId, String cidr) {
        ec2.modifyVpcAttribute(r -> r.vpcId(vpcId).enableDnsHostnames(b -> b.value(true)));
        String group = httpsFrom(ec2, vpcId, "s3-endpoint", cidr);
        return ec2.createVpcEndpoint(r -> r.vpcId(vpcId).vpcEndpointType("Interface")
                .serviceName("com.amazonaws.us-east-1.s3").subnetIds(subnetId).securityGroupIds(group)
                .privateDnsEnabled(true).dnsOptions(o -> o.privateDnsOnlyForInboundResolverEndpoint(false)))
                .vpcEndpoint().vpcEndpointId();
    }

    /**
     * Starts the service endpoints on a free port with these upstreams and bucket policies, then brings the data
     * plane and the endpoints up to date with the world.
     */
    static ServiceEndpoints start(UnderpassExtension underpass, Map<String, URI> upstreams,
            Map<String, String> bucketPolicies) throws IOException {
        ServiceEndpoints services = underpass.server().startServiceEndpoints(new ServiceEndpoints.Settings(
                upstreams, bucketPolicies, Loopback.freePort(), Duration.ZERO));
        underpass.server().dataPlane().sync();
        services.sync();
        return services;
    }

    /**
     * An S3 client to {@code target} on the service endpoints' port, path-style, checksums only where required,
     * signed with these credentials; the caller adds the HTTP client that leaves from its instance's address.
     */
    static S3ClientBuilder s3(String target, ServiceEndpoints services, AwsCredentials credentials) {
        return S3Client.builder().region(Region.US_EAST_1)
                .endpointOverride(URI.create("http://" + target + ":" + services.port())).forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(credentials));
    }

    /**
     * Puts objects given as (bucket, key, body) triples, creating each bucket once, before its first object.
     */
    static void seed(S3Client s3, String... bucketKeyBody) {
        Set<String> made = new HashSet<>();
        for (int i = 0; i < bucketKeyBody.length; i += 3) {
            String bucket = bucketKeyBody[i];
            String key = bucketKeyBody[i + 1];
            if (made.add(bucket)) {
                s3.createBucket(r -> r.bucket(bucket));
            }
            s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(bucketKeyBody[i + 2]));
        }
    }

    /**
     * A GET of the object presigned for five minutes with the S3 upstream's own key, aimed at {@code target} on the
     * service endpoints' port (path style).
     */
    static URI presignedGet(String target, ServiceEndpoints services, String bucket, String key) throws Exception {
        try (S3Presigner presigner = S3Presigner.builder().region(Region.US_EAST_1)
                .endpointOverride(URI.create("http://" + target + ":" + services.port()))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        S3Upstream.ACCESS_KEY, S3Upstream.SECRET)))
                .build()) {
            return presigner.presignGetObject(r -> r.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(g -> g.bucket(bucket).key(key))).url().toURI();
        }
    }

    /**
     * {@code call} is refused as S3 refuses what a policy denies: 403 {@code AccessDenied}, with exactly
     * {@code message}.
     */
    static void assertS3AccessDenied(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
        });
    }

    /** As {@link #assertS3AccessDenied}, for a message that ends with {@code messageEnd}. */
    static void assertS3AccessDeniedEndingWith(ThrowingCallable call, String messageEnd) {
        assertThatThrownBy(call).isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            assertThat(e.awsErrorDetails().errorMessage()).endsWith(messageEnd);
        });
    }
}
