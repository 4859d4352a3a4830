package dev.underpass.server;

import static dev.underpass.server.Ec2Assertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateChange;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * Defects and fidelity gaps found by using underpass from the outside (issue 9), each reproduced through the SDK:
 * one account's service-managed interfaces must not break another's instance calls, and a handful of answers must
 * be the ones AWS gives.
 */
class HardeningModelTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    private static final String AMI = "ami-0123456789abcdef0";

    private static ElasticLoadBalancingV2Client elbv2(String account, String region) {
        return ElasticLoadBalancingV2Client.builder()
                .endpointOverride(UNDERPASS.endpoint())
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(account, "secret")))
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(ClientOverrideConfiguration.builder().retryStrategy(b -> b.maxAttempts(1))
                        .build())
                .build();
    }

    private static String subnet(Ec2Client ec2, String vpcCidr, String subnetCidr, String zone) {
        String vpc = ec2.createVpc(r -> r.cidrBlock(vpcCidr)).vpc().vpcId();
        return ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock(subnetCidr).availabilityZone(zone)).subnet().subnetId();
    }

    /** Runs one instance and checks every instance call on it still answers. */
    private static void instanceLifecycleWorks(Ec2Client ec2, String subnetId) {
        Instance launched = ec2.runInstances(r -> r.imageId(AMI).minCount(1).maxCount(1).subnetId(subnetId))
                .instances().get(0);
        assertThat(launched.networkInterfaces()).singleElement()
                .satisfies(n -> assertThat(n.attachment().deviceIndex()).isZero());

        Instance described = ec2.describeInstances(r -> r.instanceIds(launched.instanceId())).reservations().get(0)
                .instances().get(0);
        assertThat(described.networkInterfaces()).singleElement()
                .satisfies(n -> assertThat(n.networkInterfaceId()).isEqualTo(launched.networkInterfaces().get(0)
                        .networkInterfaceId()));

        String extra = ec2.createNetworkInterface(r -> r.subnetId(subnetId)).networkInterface().networkInterfaceId();
        String attachment = ec2.attachNetworkInterface(r -> r.networkInterfaceId(extra)
                .instanceId(launched.instanceId()).deviceIndex(1)).attachmentId();
        assertThat(attachment).startsWith("eni-attach-");
        assertError(() -> ec2.attachNetworkInterface(r -> r.networkInterfaceId(
                ec2.createNetworkInterface(c -> c.subnetId(subnetId)).networkInterface().networkInterfaceId())
                .instanceId(launched.instanceId()).deviceIndex(1)), "InvalidParameterValue");

        InstanceStateChange change = ec2.terminateInstances(r -> r.instanceIds(launched.instanceId()))
                .terminatingInstances().get(0);
        assertThat(change.currentState().nameAsString()).isEqualTo("shutting-down");
        // The extra interface (not delete-on-termination) is detached, not deleted.
        assertThat(ec2.describeNetworkInterfaces(r -> r.networkInterfaceIds(extra)).networkInterfaces().get(0)
                .statusAsString()).isEqualTo("available");
    }

    @Test
    void instanceCalls_whileAnotherAccountHasAnNlbInAnotherRegion_answer() {
        ElasticLoadBalancingV2Client elb = elbv2("910000000002", "eu-west-1");
        Ec2Client owner = UNDERPASS.ec2("910000000002", "eu-west-1");
        String nlbSubnet = subnet(owner, "10.1.0.0/16", "10.1.1.0/24", "eu-west-1a");
        elb.createLoadBalancer(r -> r.name("other-nlb").type("network").scheme("internal").subnets(nlbSubnet));

        Ec2Client ec2 = UNDERPASS.ec2("910000000001");
        instanceLifecycleWorks(ec2, subnet(ec2, "10.0.0.0/16", "10.0.1.0/24", "us-east-1a"));
    }

    @Test
    void instanceCalls_whileOtherAccountsHaveNatGatewaysAndInterfaceEndpoints_answer() {
        Ec2Client nat = UNDERPASS.ec2("910000000004");
        String natSubnet = subnet(nat, "10.2.0.0/16", "10.2.1.0/24", "us-east-1a");
        nat.createNatGateway(r -> r.subnetId(natSubnet).connectivityType("private"));
        Ec2Client endpoint = UNDERPASS.ec2("910000000005", "us-west-2");
        String endpointSubnet = subnet(endpoint, "10.3.0.0/16", "10.3.1.0/24", "us-west-2a");
        String endpointVpc = endpoint.describeSubnets(r -> r.subnetIds(endpointSubnet)).subnets().get(0).vpcId();
        endpoint.createVpcEndpoint(r -> r.vpcId(endpointVpc).vpcEndpointType("Interface")
                .serviceName("com.amazonaws.us-west-2.sqs").privateDnsEnabled(false).subnetIds(endpointSubnet));

        Ec2Client ec2 = UNDERPASS.ec2("910000000003");
        instanceLifecycleWorks(ec2, subnet(ec2, "10.0.0.0/16", "10.0.1.0/24", "us-east-1a"));
    }
}
