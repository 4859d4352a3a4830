package dev.underpass.server.dataplane;

import dev.underpass.server.Loopback;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.underpass.dataplane.DataPlane;
import dev.underpass.server.TestVpcs;
import dev.underpass.server.UnderpassExtension;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
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
    static final UnderpassExtension UNDERPASS = UnderpassExtension.onLoopback();
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
        // The provider: an app instance behind an NLB, offered to the VPC owner as an endpoint service.
        Ec2Client provider = UNDERPASS.ec2(PROVIDER);
        Nlbs.Provider backend = Nlbs.oneApp(provider, "10.50.0.0/16", APP_PORT);
        appInstance = backend.instances().get(0);
        var service = Nlbs.offerApp(provider, UNDERPASS.elbv2(PROVIDER), backend, "shared-app", APP_PORT,
                LISTENER_PORT, OWNER, tg -> tg.healthCheckIntervalSeconds(5).healthCheckTimeoutSeconds(2)
                        .healthyThresholdCount(2).unhealthyThresholdCount(2));

        // The owner: an organization with the participant, a VPC whose subnet it shares, and the endpoint.
        OrganizationsClient mgmt = org(OWNER);
        mgmt.createOrganization(r -> r.featureSet("ALL"));
        Handshake h = mgmt.inviteAccountToOrganization(r -> r.target(t -> t.id(PARTICIPANT).type("ACCOUNT")))
                .handshake();
        org(PARTICIPANT).acceptHandshake(r -> r.handshakeId(h.id()));
        ram(OWNER).enableSharingWithAwsOrganization(r -> {});
        owner = UNDERPASS.ec2(OWNER);
        String vpc = TestVpcs.vpc(owner, "10.60.0.0/16");
        String subnet = TestVpcs.subnetId(owner, vpc, "10.60.1.0/24", "us-east-1a");
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
        return Loopback.address(dataPlane, id);
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
