package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Endpoint-service permissions matched against the caller's real principal: sessions of an assumed role, IAM users
 * behind static access keys, and account roots. A role ARN admits that role's sessions, a user ARN that user, an
 * account's root ARN every principal of the account; whoever is not admitted cannot see the service nor connect.
 */
class PrivateLinkPrincipalsTest {
    private static final String PROVIDER = "111111111111";
    private static final String CONSUMER = "222222222222";
    private static final String BOB_KEY = "AKIACONSUMERBOB";
    private static final String CAROL_KEY = "AKIACONSUMERCAROL";
    private static final String BOB = "arn:aws:iam::" + CONSUMER + ":user/bob";
    private static final String CAROL = "arn:aws:iam::" + CONSUMER + ":user/team/carol";

    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension(
            ServerConfig.forTests().withAccessKeys(Map.of(BOB_KEY, BOB, CAROL_KEY, CAROL)));

    private static Ec2Client provider;
    private static String nlbArn;
    private static String consumerSubnet;
    private static Ec2Client appSession;
    private static Ec2Client otherSession;
    private static Ec2Client bob;
    private static Ec2Client carol;
    private static Ec2Client root;

    @BeforeAll
    static void setUp() {
        provider = UNDERPASS.ec2(PROVIDER);
        ElasticLoadBalancingV2Client elb = UNDERPASS.elbv2(PROVIDER);
        String a = TestVpcs.net(provider, "10.0.0.0/16", "10.0.1.0/24", "us-east-1a").subnet().subnetId();
        nlbArn = elb.createLoadBalancer(r -> r.name("app").type("network").scheme("internal").subnets(a))
                .loadBalancers().get(0).loadBalancerArn();
        root = UNDERPASS.ec2(CONSUMER);
        consumerSubnet = TestVpcs.net(root, "10.1.0.0/16", "10.1.1.0/24", "us-east-1a").subnet().subnetId();
        appSession = ec2(session(CONSUMER, "arn:aws:iam::" + CONSUMER + ":role/app", "worker"));
        otherSession = ec2(session(CONSUMER, "arn:aws:iam::" + CONSUMER + ":role/other", "worker"));
        bob = ec2(AwsBasicCredentials.create(BOB_KEY, "secret"));
        carol = ec2(AwsBasicCredentials.create(CAROL_KEY, "secret"));
    }

    private static AwsSessionCredentials session(String caller, String roleArn, String name) {
        StsClient sts = StsClient.builder().endpointOverride(UNDERPASS.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(caller, "s")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1))).build();
        Credentials c = sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName(name)).credentials();
        return AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
    }

    private static Ec2Client ec2(AwsCredentials credentials) {
        return Ec2Client.builder().endpointOverride(UNDERPASS.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1))).build();
    }

    /** A new service (no acceptance needed) allowing exactly {@code principals}; returns its name. */
    private static String serviceAllowing(String... principals) {
        var s = provider.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(nlbArn)
                .acceptanceRequired(false)).serviceConfiguration();
        provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(s.serviceId()).addAllowedPrincipals(principals));
        return s.serviceName();
    }

    private static boolean sees(Ec2Client consumer, String serviceName) {
        return consumer.describeVpcEndpointServices().serviceNames().contains(serviceName);
    }

    private static VpcEndpoint connect(Ec2Client consumer, String serviceName) {
        String vpc = root.describeSubnets(r -> r.subnetIds(consumerSubnet)).subnets().get(0).vpcId();
        return consumer.createVpcEndpoint(r -> r.vpcEndpointType("Interface").vpcId(vpc).serviceName(serviceName)
                .subnetIds(consumerSubnet)).vpcEndpoint();
    }

    private static void assertCannotConnect(Ec2Client consumer, String serviceName) {
        assertThat(sees(consumer, serviceName)).isFalse();
        assertThatThrownBy(() -> consumer.describeVpcEndpointServices(r -> r.serviceNames(serviceName)))
                .isInstanceOfSatisfying(Ec2Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidServiceName"));
        assertThatThrownBy(() -> connect(consumer, serviceName)).isInstanceOfSatisfying(Ec2Exception.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidServiceName");
            assertThat(e.statusCode()).isEqualTo(400);
        });
    }

    private static void assertConnects(Ec2Client consumer, String serviceName) {
        assertThat(sees(consumer, serviceName)).isTrue();
        assertThat(consumer.describeVpcEndpointServices(r -> r.serviceNames(serviceName)).serviceDetails())
                .singleElement().satisfies(d -> assertThat(d.serviceName()).isEqualTo(serviceName));
        VpcEndpoint e = connect(consumer, serviceName);
        assertThat(e.ownerId()).isEqualTo(CONSUMER);
        consumer.deleteVpcEndpoints(r -> r.vpcEndpointIds(e.vpcEndpointId()));
    }

    @Test
    void roleArnPermission_admitsSessionsOfThatRoleOnly() {
        String name = serviceAllowing("arn:aws:iam::" + CONSUMER + ":role/app");
        assertConnects(appSession, name);
        assertConnects(ec2(session(BOB_KEY, "arn:aws:iam::" + CONSUMER + ":role/app", "another")), name);
        for (Ec2Client notAdmitted : List.of(otherSession, bob, root)) {
            assertCannotConnect(notAdmitted, name);
        }
    }

    @Test
    void roleArnPermission_ofAnotherAccount_doesNotAdmitASessionOfTheSameRoleName() {
        String name = serviceAllowing("arn:aws:iam::333333333333:role/app");
        assertCannotConnect(appSession, name);
    }

    @Test
    void accountRootPermission_admitsEveryPrincipalOfTheAccount() {
        String name = serviceAllowing("arn:aws:iam::" + CONSUMER + ":root");
        for (Ec2Client admitted : List.of(appSession, otherSession, bob, carol, root)) {
            assertConnects(admitted, name);
        }
    }

    @Test
    void userArnPermission_admitsThatUserBehindAStaticKeyOnly() {
        String name = serviceAllowing(BOB);
        assertConnects(bob, name);
        for (Ec2Client notAdmitted : List.of(carol, appSession, root)) {
            assertCannotConnect(notAdmitted, name);
        }
    }

    @Test
    void userArnPermission_matchesAUserWithAPath_byName() {
        String name = serviceAllowing("arn:aws:iam::" + CONSUMER + ":user/carol");
        assertConnects(carol, name);
        assertCannotConnect(bob, name);
    }

    @Test
    void everyonePermission_admitsEveryPrincipal() {
        String name = serviceAllowing("*");
        for (Ec2Client admitted : List.of(appSession, bob, root)) {
            assertConnects(admitted, name);
        }
    }
}
