package dev.underpass.server;

import java.util.List;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.NatGateway;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociation;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Vpc;

/**
 * Tear-down for tests that share one server: removes what tests put in a VPC, through the API and in the order AWS
 * demands (instances, NAT gateways, Elastic IP associations, extra interfaces, custom route tables, internet gateways,
 * egress-only internet gateways, subnets), then the VPC,
 * so accounts stay under the five-VPC quota.
 */
public final class TestVpcs {
    private TestVpcs() {}

    /**
     * A VPC with one /24 subnet in us-east-1a (its x.y.1.0/24) and one in us-east-1b (x.y.2.0/24): the shape load
     * balancer tests need, since an ALB wants subnets in two zones.
     */
    public record TwoZones(String vpcId, String subnetA, String subnetB) {}

    /** Creates a {@link TwoZones} network in a VPC of {@code vpcCidr}, which must be an IPv4 /16. */
    public static TwoZones twoZones(Ec2Client client, String vpcCidr) {
        String prefix = vpcCidr.substring(0, vpcCidr.indexOf('.', vpcCidr.indexOf('.') + 1) + 1);
        String vpcId = client.createVpc(r -> r.cidrBlock(vpcCidr)).vpc().vpcId();
        return new TwoZones(vpcId, subnetId(client, vpcId, prefix + "1.0/24", "us-east-1a"),
                subnetId(client, vpcId, prefix + "2.0/24", "us-east-1b"));
    }

    /** Creates a VPC of {@code cidr} and answers its id. */
    public static String vpc(Ec2Client client, String cidr) {
        return client.createVpc(r -> r.cidrBlock(cidr)).vpc().vpcId();
    }

    /** A Describe filter. */
    public static Filter filter(String name, String... values) {
        return Filter.builder().name(name).values(values).build();
    }

    /** Deletes every VPC of the client's account but its default one; what they held must be gone already. */
    public static void deleteNonDefaultVpcs(Ec2Client client) {
        for (Vpc v : client.describeVpcs().vpcs()) {
            if (!v.isDefault()) {
                client.deleteVpc(r -> r.vpcId(v.vpcId()));
            }
        }
    }

    /** Creates a subnet and answers its id. */
    public static String subnetId(Ec2Client client, String vpcId, String cidr, String zone) {
        return client.createSubnet(r -> r.vpcId(vpcId).cidrBlock(cidr).availabilityZone(zone)).subnet().subnetId();
    }

    /** A VPC with one subnet, made by {@link #net}; {@link #cleanUp} deletes it with all it holds. */
    public record Net(Vpc vpc, Subnet subnet) {}

    public static Net net(Ec2Client client, String vpcCidr, String subnetCidr, String zone) {
        Vpc vpc = client.createVpc(r -> r.cidrBlock(vpcCidr)).vpc();
        Subnet subnet = client.createSubnet(r -> r.vpcId(vpc.vpcId()).cidrBlock(subnetCidr).availabilityZone(zone))
                .subnet();
        return new Net(vpc, subnet);
    }

    public static void cleanUp(Ec2Client client, Net net) {
        tearDown(client, net.vpc().vpcId());
    }

    public static void tearDown(Ec2Client ec2, String vpcId) {
        Filter inVpc = Filter.builder().name("vpc-id").values(vpcId).build();
        List<String> instances = ec2.describeInstances(r -> r.filters(inVpc)).reservations().stream()
                .flatMap(r -> r.instances().stream()).map(Instance::instanceId).toList();
        if (!instances.isEmpty()) {
            ec2.terminateInstances(r -> r.instanceIds(instances));
        }
        for (NatGateway n : ec2.describeNatGateways(r -> r.filter(inVpc)).natGateways()) {
            if (!n.stateAsString().equals("deleted")) {
                ec2.deleteNatGateway(r -> r.natGatewayId(n.natGatewayId()));
            }
        }
        List<String> interfaces = ec2.describeNetworkInterfaces(r -> r.filters(inVpc)).networkInterfaces().stream()
                .map(NetworkInterface::networkInterfaceId).toList();
        if (!interfaces.isEmpty()) {
            // Elastic IPs on the VPC's interfaces keep the internet gateway attached.
            ec2.describeAddresses(r -> r.filters(Filter.builder().name("network-interface-id").values(interfaces)
                    .build())).addresses().forEach(a -> ec2.disassociateAddress(r -> r.associationId(
                            a.associationId())));
        }
        for (NetworkInterface n : ec2.describeNetworkInterfaces(r -> r.filters(inVpc)).networkInterfaces()) {
            if (Boolean.TRUE.equals(n.requesterManaged())) {
                continue;
            }
            if (n.attachment() != null && n.attachment().deviceIndex() != 0) {
                ec2.detachNetworkInterface(r -> r.attachmentId(n.attachment().attachmentId()));
            }
            ec2.deleteNetworkInterface(r -> r.networkInterfaceId(n.networkInterfaceId()));
        }
        for (RouteTable t : ec2.describeRouteTables(r -> r.filters(inVpc)).routeTables()) {
            if (t.associations().stream().anyMatch(RouteTableAssociation::main)) {
                continue;
            }
            for (RouteTableAssociation a : t.associations()) {
                ec2.disassociateRouteTable(r -> r.associationId(a.routeTableAssociationId()));
            }
            ec2.deleteRouteTable(r -> r.routeTableId(t.routeTableId()));
        }
        ec2.describeInternetGateways(r -> r.filters(Filter.builder().name("attachment.vpc-id").values(vpcId)
                .build())).internetGateways().forEach(g -> {
                    ec2.detachInternetGateway(r -> r.internetGatewayId(g.internetGatewayId()).vpcId(vpcId));
                    ec2.deleteInternetGateway(r -> r.internetGatewayId(g.internetGatewayId()));
                });
        ec2.describeEgressOnlyInternetGateways().egressOnlyInternetGateways().stream()
                .filter(g -> g.attachments().stream().anyMatch(a -> vpcId.equals(a.vpcId())))
                .forEach(g -> ec2.deleteEgressOnlyInternetGateway(r -> r.egressOnlyInternetGatewayId(
                        g.egressOnlyInternetGatewayId())));
        ec2.describeSubnets(r -> r.filters(inVpc)).subnets().forEach(s -> ec2.deleteSubnet(r -> r.subnetId(
                s.subnetId())));
        ec2.deleteVpc(r -> r.vpcId(vpcId));
    }
}
