package dev.underpass.server.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.underpass.dataplane.DataPlane;
import dev.underpass.server.UnderpassExtension;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.Handshake;
import software.amazon.awssdk.services.ram.RamClient;

/**
 * Shared VPCs on the data plane: a VPC owner shares a subnet with a participant of its organization and keeps the
 * interface endpoint (to a third account's endpoint service) for itself; the participant's instance in the shared
 * subnet connects to the owner's endpoint and gets the provider's answer, as AWS lets participants use the owner's
 * endpoints. When the owner takes the endpoint group's rule away, the participant is refused too. Linux only, as
 * {@link DataPlaneTest}.
 */
class SharedVpcDataPlaneTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();
    private static final String PROVIDER = "355555555555";
    private static final String OWNER = "366666666666";
    private static final String PARTICIPANT = "377777777777";
    private static final int LISTENER_PORT = 7543;
    private static final int APP_PORT = 7181;

    private static DataPlane dataPlane;
    private static HttpServer app;
    private static String appInstance;
    private static String participantInstance;
    private static String endpointId;
    private static String endpointGroup;
    private static Ec2Client owner;

    private static StaticCredentialsProvider creds(String account) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(account, "s"));
    }

    private static OrganizationsClient org(String account) {
        return OrganizationsClient.builder().endpointOverride(URI.create(UNDERPASS.endpoint().toString()))
                .region(Region.US_EAST_1).credentialsProvider(creds(account))
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1))).build();
    }

    private static RamClient ram(String account) {
        return RamClient.builder().endpointOverride(URI.create(UNDERPASS.endpoint().toString()))
                .region(Region.US_EAST_1).credentialsProvider(creds(account))
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1))).build();
    }

    @BeforeAll
    static void scenario() throws Exception {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"),
                "the loopback data plane needs Linux");
        // The provider: an app instance behind an NLB, offered to the VPC owner as an endpoint service.
        Ec2Client provider = UNDERPASS.ec2(PROVIDER);
        ElasticLoadBalancingV2Client elb = UNDERPASS.elbv2(PROVIDER);
        String pvpc = provider.createVpc(r -> r.cidrBlock("10.50.0.0/16")).vpc().vpcId();
        String psub = provider.createSubnet(r -> r.vpcId(pvpc).cidrBlock("10.50.1.0/24")
                .availabilityZone("us-east-1a")).subnet().subnetId();
        appInstance = provider.runInstances(r -> r.imageId("ami-12345678").instanceType("t3.micro").minCount(1)
                .maxCount(1).subnetId(psub)).instances().get(0).instanceId();
        String pDefault = provider.describeSecurityGroups(r -> r.filters(f -> f.name("vpc-id").values(pvpc),
                f -> f.name("group-name").values("default"))).securityGroups().get(0).groupId();
        provider.authorizeSecurityGroupIngress(r -> r.groupId(pDefault).ipProtocol("tcp").fromPort(APP_PORT)
                .toPort(APP_PORT).cidrIp("10.50.0.0/16"));
        String nlb = elb.createLoadBalancer(r -> r.name("shared-app").type("network").scheme("internal")
                .subnets(psub)).loadBalancers().get(0).loadBalancerArn();
        String tg = elb.createTargetGroup(r -> r.name("shared-app").protocol("TCP").port(APP_PORT).vpcId(pvpc)
                .targetType("instance").healthCheckIntervalSeconds(5).healthCheckTimeoutSeconds(2)
                .healthyThresholdCount(2).unhealthyThresholdCount(2)).targetGroups().get(0).targetGroupArn();
        elb.registerTargets(r -> r.targetGroupArn(tg).targets(TargetDescription.builder().id(appInstance).build()));
        elb.createListener(r -> r.loadBalancerArn(nlb).port(LISTENER_PORT).protocol("TCP")
                .defaultActions(Action.builder().type("forward").targetGroupArn(tg).build()));
        var service = provider.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(nlb)
                .acceptanceRequired(false)).serviceConfiguration();
        provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(service.serviceId())
                .addAllowedPrincipals("arn:aws:iam::" + OWNER + ":root"));

        // The owner: an organization with the participant, a VPC whose subnet it shares, and the endpoint.
        OrganizationsClient mgmt = org(OWNER);
        mgmt.createOrganization(r -> r.featureSet("ALL"));
        Handshake h = mgmt.inviteAccountToOrganization(r -> r.target(t -> t.id(PARTICIPANT).type("ACCOUNT")))
                .handshake();
        org(PARTICIPANT).acceptHandshake(r -> r.handshakeId(h.id()));
        ram(OWNER).enableSharingWithAwsOrganization(r -> {});
        owner = UNDERPASS.ec2(OWNER);
        String vpc = owner.createVpc(r -> r.cidrBlock("10.60.0.0/16")).vpc().vpcId();
        String subnet = owner.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.60.1.0/24")
                .availabilityZone("us-east-1a")).subnet().subnetId();
        ram(OWNER).createResourceShare(r -> r.name("workloads").principals(PARTICIPANT)
                .resourceArns("arn:aws:ec2:us-east-1:" + OWNER + ":subnet/" + subnet));
        endpointGroup = owner.createSecurityGroup(r -> r.vpcId(vpc).groupName("endpoint").description("endpoint"))
                .groupId();
        owner.authorizeSecurityGroupIngress(r -> r.groupId(endpointGroup).ipProtocol("tcp")
                .fromPort(LISTENER_PORT).toPort(LISTENER_PORT).cidrIp("10.60.0.0/16"));
        endpointId = owner.createVpcEndpoint(r -> r.vpcId(vpc).vpcEndpointType("Interface")
                .serviceName(service.serviceName()).subnetIds(subnet).securityGroupIds(endpointGroup)
                .privateDnsEnabled(false)).vpcEndpoint().vpcEndpointId();

        // The participant: its own group and instance in the shared subnet.
        Ec2Client participant = UNDERPASS.ec2(PARTICIPANT);
        String own = participant.createSecurityGroup(r -> r.vpcId(vpc).groupName("workload")
                .description("workload")).groupId();
        participantInstance = participant.runInstances(r -> r.imageId("ami-12345678").instanceType("t3.micro")
                .minCount(1).maxCount(1).subnetId(subnet).securityGroupIds(own)).instances().get(0).instanceId();

        dataPlane = UNDERPASS.server().startDataPlane();
        dataPlane.sync();
        app = HttpServer.create(new InetSocketAddress(address(appInstance), APP_PORT), 50);
        app.createContext("/", exchange -> {
            byte[] body = ("app " + appInstance).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        app.start();
    }

    @AfterAll
    static void stopApp() {
        if (app != null) {
            app.stop(0);
        }
    }

    private static String address(String id) {
        return dataPlane.addresses().all().stream().filter(a -> a.resourceId().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("the data plane has no address for " + id)).loopback();
    }

    @Test
    void participantInstanceInASharedSubnet_reachesTheProvider_throughTheOwnersInterfaceEndpoint_untilTheOwnerRevokes()
            throws Exception {
        String from = address(participantInstance);
        String to = address(endpointId);
        DataPlaneTest.await(Duration.ofSeconds(30), () -> DataPlaneTest.call(from, to, LISTENER_PORT) != null);
        assertThat(DataPlaneTest.call(from, to, LISTENER_PORT)).isEqualTo("app " + appInstance);

        owner.revokeSecurityGroupIngress(r -> r.groupId(endpointGroup).ipProtocol("tcp").fromPort(LISTENER_PORT)
                .toPort(LISTENER_PORT).cidrIp("10.60.0.0/16"));
        dataPlane.sync();
        assertThat(DataPlaneTest.call(from, to, LISTENER_PORT)).isNull();
    }
}
