package dev.underpass.model.ec2;

import dev.underpass.model.ResourceKind;
import java.util.List;

/** The stored records of the VPC core and their on-disk names (see {@link ResourceKind}; never rename one). */
public final class Ec2ResourceKinds {
    private Ec2ResourceKinds() {}

    public static final List<ResourceKind> ALL = List.of(
            new ResourceKind(Vpc.class, "vpc"),
            new ResourceKind(Subnet.class, "subnet"),
            new ResourceKind(RouteTable.class, "route-table"),
            new ResourceKind(SecurityGroup.class, "security-group"),
            new ResourceKind(NetworkAcl.class, "network-acl"),
            new ResourceKind(NetworkInterface.class, "network-interface"),
            new ResourceKind(Instance.class, "instance"),
            new ResourceKind(InternetGateway.class, "internet-gateway"),
            new ResourceKind(NatGateway.class, "natgateway"),
            new ResourceKind(VpcEndpoint.class, "vpc-endpoint"),
            new ResourceKind(ManagedPrefixList.class, "prefix-list"),
            new ResourceKind(EndpointService.class, "vpc-endpoint-service"),
            new ResourceKind(ConnectionNotification.class, "vpc-endpoint-connection-notification"),
            new ResourceKind(ConnectionEvent.class, "vpc-endpoint-connection-event"),
            new ResourceKind(VerifiedDomain.class, "verified-domain"),
            new ResourceKind(PeeringConnection.class, "vpc-peering-connection"),
            new ResourceKind(FlowLog.class, "flow-log"),
            new ResourceKind(ElasticIp.class, "elastic-ip"),
            new ResourceKind(PublicIp.class, "public-ip"),
            new ResourceKind(DhcpOptions.class, "dhcp-options"),
            new ResourceKind(EgressOnlyInternetGateway.class, "egress-only-internet-gateway"),
            new ResourceKind(ResourceGrant.class, "resource-grant"),
            new ResourceKind(NetworkInsightsPath.class, "network-insights-path"),
            new ResourceKind(NetworkInsightsAnalysis.class, "network-insights-analysis"));
}
