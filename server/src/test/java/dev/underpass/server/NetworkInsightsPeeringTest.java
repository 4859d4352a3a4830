package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Explanation;
import software.amazon.awssdk.services.ec2.model.NetworkInsightsAnalysis;
import software.amazon.awssdk.services.ec2.model.PathComponent;
import software.amazon.awssdk.services.ec2.model.Protocol;

/**
 * Network Insights across a VPC peering connection whose route covers more than the peer VPC: to an address outside
 * the peer's blocks the explanation names the connection, the VPC the flow leaves, the one it enters with that VPC's
 * blocks, and the address; to the peer's instance the path is found, the peering component naming both VPCs.
 */
class NetworkInsightsPeeringTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();
    private static final String ACCOUNT = "555555555555";

    @Test
    void addressOutsideThePeer_isPcxRequiresAddressInVpcCidr_naming_bothVpcs_andThePeersBlocks() {
        Ec2Client ec2 = UNDERPASS.ec2(ACCOUNT);
        String a = ec2.createVpc(r -> r.cidrBlock("10.5.0.0/16")).vpc().vpcId();
        String b = ec2.createVpc(r -> r.cidrBlock("10.6.0.0/16")).vpc().vpcId();
        String sa = ec2.createSubnet(r -> r.vpcId(a).cidrBlock("10.5.1.0/24").availabilityZone("us-east-1a"))
                .subnet().subnetId();
        String sb = ec2.createSubnet(r -> r.vpcId(b).cidrBlock("10.6.1.0/24").availabilityZone("us-east-1a"))
                .subnet().subnetId();
        String from = run(ec2, sa);
        String to = run(ec2, sb);
        String pcx = ec2.createVpcPeeringConnection(r -> r.vpcId(a).peerVpcId(b)).vpcPeeringConnection()
                .vpcPeeringConnectionId();
        ec2.acceptVpcPeeringConnection(r -> r.vpcPeeringConnectionId(pcx));
        route(ec2, a, "10.0.0.0/8", pcx);
        route(ec2, b, "10.5.0.0/16", pcx);
        String groupB = ec2.describeSecurityGroups(r -> r.filters(f -> f.name("vpc-id").values(b),
                f -> f.name("group-name").values("default"))).securityGroups().get(0).groupId();
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(groupB).ipProtocol("tcp").fromPort(5432).toPort(5432)
                .cidrIp("10.5.0.0/16"));
        String outside = ec2.createNetworkInsightsPath(r -> r.source(from).destinationIp("10.7.1.5")
                .protocol(Protocol.TCP).destinationPort(5432)).networkInsightsPath().networkInsightsPathId();
        NetworkInsightsAnalysis blocked = ec2.startNetworkInsightsAnalysis(r -> r.networkInsightsPathId(outside))
                .networkInsightsAnalysis();
        assertThat(blocked.networkPathFound()).isFalse();
        Explanation e = blocked.explanations().stream()
                .filter(x -> x.explanationCode().equals("PCX_REQUIRES_ADDRESS_IN_VPC_CIDR")).findFirst().orElseThrow();
        assertThat(e.vpcPeeringConnection().id()).isEqualTo(pcx);
        assertThat(e.vpcPeeringConnection().arn()).isEqualTo("arn:aws:ec2:us-east-1:" + ACCOUNT
                + ":vpc-peering-connection/" + pcx);
        assertThat(e.sourceVpc().id()).isEqualTo(a);
        assertThat(e.destinationVpc().id()).isEqualTo(b);
        assertThat(e.cidrs()).containsExactly("10.6.0.0/16");
        assertThat(e.addresses()).containsExactly("10.7.1.5/32");
        assertThat(e.componentAccount()).isEqualTo(ACCOUNT);

        String path = ec2.createNetworkInsightsPath(r -> r.source(from).destination(to).protocol(Protocol.TCP)
                .destinationPort(5432)).networkInsightsPath().networkInsightsPathId();
        NetworkInsightsAnalysis found = ec2.startNetworkInsightsAnalysis(r -> r.networkInsightsPathId(path))
                .networkInsightsAnalysis();
        assertThat(found.explanations()).isEmpty();
        assertThat(found.networkPathFound()).isTrue();
        PathComponent peering = found.forwardPathComponents().stream()
                .filter(c -> c.component().id().equals(pcx)).findFirst().orElseThrow();
        assertThat(peering.sourceVpc().id()).isEqualTo(a);
        assertThat(peering.destinationVpc().id()).isEqualTo(b);
        PathComponent back = found.returnPathComponents().stream()
                .filter(c -> c.component().id().equals(pcx)).findFirst().orElseThrow();
        assertThat(back.sourceVpc().id()).isEqualTo(b);
        assertThat(back.destinationVpc().id()).isEqualTo(a);
        assertThat(found.forwardPathComponents().get(found.forwardPathComponents().size() - 1).component().id())
                .isEqualTo(to);
    }

    private static String run(Ec2Client ec2, String subnet) {
        return ec2.runInstances(r -> r.imageId("ami-12345678").instanceType("t3.micro").minCount(1).maxCount(1)
                .subnetId(subnet)).instances().get(0).instanceId();
    }

    private static void route(Ec2Client ec2, String vpc, String cidr, String pcx) {
        String rtb = ec2.describeRouteTables(r -> r.filters(f -> f.name("vpc-id").values(vpc),
                f -> f.name("association.main").values("true"))).routeTables().get(0).routeTableId();
        ec2.createRoute(r -> r.routeTableId(rtb).destinationCidrBlock(cidr).vpcPeeringConnectionId(pcx));
    }
}
