package dev.underpass.model.ec2;

/**
 * Service quotas that underpass enforces, with AWS's defaults. AWS raises most of them on request, so each can be
 * changed at start-up ({@code underpass serve --quota vpcs-per-region=50}).
 */
public record Quotas(
        int vpcsPerRegion,
        int subnetsPerVpc,
        int cidrBlocksPerVpc,
        int routeTablesPerVpc,
        int routesPerTable,
        int securityGroupsPerRegion,
        int rulesPerSecurityGroup,
        int securityGroupsPerInterface,
        int networkAclsPerVpc,
        int entriesPerNetworkAcl,
        int internetGatewaysPerRegion,
        int natGatewaysPerAz,
        int networkInterfacesPerRegion,
        int interfaceEndpointsPerVpc,
        int gatewayEndpointsPerRegion,
        int activePeeringsPerVpc,
        int outstandingPeeringRequests,
        int elasticIpsPerRegion,
        int egressOnlyInternetGatewaysPerRegion) {

    /**
     * The quotas before peering, Elastic IPs and egress-only gateways, which take AWS's defaults (50 active peerings
     * per VPC, 25 outstanding requests, 5 Elastic IPs and 5 egress-only gateways per region).
     */
    public Quotas(int vpcsPerRegion, int subnetsPerVpc, int cidrBlocksPerVpc, int routeTablesPerVpc,
            int routesPerTable, int securityGroupsPerRegion, int rulesPerSecurityGroup, int securityGroupsPerInterface,
            int networkAclsPerVpc, int entriesPerNetworkAcl, int internetGatewaysPerRegion, int natGatewaysPerAz,
            int networkInterfacesPerRegion, int interfaceEndpointsPerVpc, int gatewayEndpointsPerRegion) {
        this(vpcsPerRegion, subnetsPerVpc, cidrBlocksPerVpc, routeTablesPerVpc, routesPerTable,
                securityGroupsPerRegion, rulesPerSecurityGroup, securityGroupsPerInterface, networkAclsPerVpc,
                entriesPerNetworkAcl, internetGatewaysPerRegion, natGatewaysPerAz, networkInterfacesPerRegion,
                interfaceEndpointsPerVpc, gatewayEndpointsPerRegion, 50, 25, 5, 5);
    }

    /** The quotas without the endpoint ones, which take AWS's defaults (50 interface, 20 gateway endpoints). */
    public Quotas(int vpcsPerRegion, int subnetsPerVpc, int cidrBlocksPerVpc, int routeTablesPerVpc,
            int routesPerTable, int securityGroupsPerRegion, int rulesPerSecurityGroup, int securityGroupsPerInterface,
            int networkAclsPerVpc, int entriesPerNetworkAcl, int internetGatewaysPerRegion, int natGatewaysPerAz,
            int networkInterfacesPerRegion) {
        this(vpcsPerRegion, subnetsPerVpc, cidrBlocksPerVpc, routeTablesPerVpc, routesPerTable,
                securityGroupsPerRegion, rulesPerSecurityGroup, securityGroupsPerInterface, networkAclsPerVpc,
                entriesPerNetworkAcl, internetGatewaysPerRegion, natGatewaysPerAz, networkInterfacesPerRegion, 50, 20);
    }

    public static Quotas defaults() {
        return new Quotas(5, 200, 5, 200, 50, 2500, 60, 5, 200, 20, 5, 5, 5000, 50, 20, 50, 25, 5, 5);
    }

    /** Returns a copy with one quota changed, by its kebab-case name. */
    public Quotas with(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("quota " + name + " must not be negative");
        }
        return switch (name) {
            case "active-vpc-peerings-per-vpc" -> withLater(value, outstandingPeeringRequests, elasticIpsPerRegion,
                    egressOnlyInternetGatewaysPerRegion);
            case "outstanding-vpc-peering-requests" -> withLater(activePeeringsPerVpc, value, elasticIpsPerRegion,
                    egressOnlyInternetGatewaysPerRegion);
            case "elastic-ips-per-region" -> withLater(activePeeringsPerVpc, outstandingPeeringRequests, value,
                    egressOnlyInternetGatewaysPerRegion);
            case "egress-only-internet-gateways-per-region" -> withLater(activePeeringsPerVpc,
                    outstandingPeeringRequests, elasticIpsPerRegion, value);
            default -> withBase(name, value).withLater(activePeeringsPerVpc, outstandingPeeringRequests,
                    elasticIpsPerRegion, egressOnlyInternetGatewaysPerRegion);
        };
    }

    private Quotas withLater(int activePeerings, int outstandingPeerings, int elasticIps, int egressOnlyGateways) {
        return new Quotas(vpcsPerRegion, subnetsPerVpc, cidrBlocksPerVpc, routeTablesPerVpc, routesPerTable,
                securityGroupsPerRegion, rulesPerSecurityGroup, securityGroupsPerInterface, networkAclsPerVpc,
                entriesPerNetworkAcl, internetGatewaysPerRegion, natGatewaysPerAz, networkInterfacesPerRegion,
                interfaceEndpointsPerVpc, gatewayEndpointsPerRegion, activePeerings, outstandingPeerings, elasticIps,
                egressOnlyGateways);
    }

    private Quotas withBase(String name, int value) {
        return switch (name) {
            case "vpcs-per-region" -> new Quotas(value, subnetsPerVpc, cidrBlocksPerVpc, routeTablesPerVpc,
                    routesPerTable, securityGroupsPerRegion, rulesPerSecurityGroup, securityGroupsPerInterface,
                    networkAclsPerVpc, entriesPerNetworkAcl, internetGatewaysPerRegion, natGatewaysPerAz,
                    networkInterfacesPerRegion, interfaceEndpointsPerVpc, gatewayEndpointsPerRegion);
            case "subnets-per-vpc" -> new Quotas(vpcsPerRegion, value, cidrBlocksPerVpc, routeTablesPerVpc,
                    routesPerTable, securityGroupsPerRegion, rulesPerSecurityGroup, securityGroupsPerInterface,
                    networkAclsPerVpc, entriesPerNetworkAcl, internetGatewaysPerRegion, natGatewaysPerAz,
                    networkInterfacesPerRegion, interfaceEndpointsPerVpc, gatewayEndpointsPerRegion);
            case "security-groups-per-region" -> new Quotas(vpcsPerRegion, subnetsPerVpc, cidrBlocksPerVpc,
                    routeTablesPerVpc, routesPerTable, value, rulesPerSecurityGroup, securityGroupsPerInterface,
                    networkAclsPerVpc, entriesPerNetworkAcl, internetGatewaysPerRegion, natGatewaysPerAz,
                    networkInterfacesPerRegion, interfaceEndpointsPerVpc, gatewayEndpointsPerRegion);
            case "internet-gateways-per-region" -> new Quotas(vpcsPerRegion, subnetsPerVpc, cidrBlocksPerVpc,
                    routeTablesPerVpc, routesPerTable, securityGroupsPerRegion, rulesPerSecurityGroup,
                    securityGroupsPerInterface, networkAclsPerVpc, entriesPerNetworkAcl, value, natGatewaysPerAz,
                    networkInterfacesPerRegion, interfaceEndpointsPerVpc, gatewayEndpointsPerRegion);
            case "network-interfaces-per-region" -> new Quotas(vpcsPerRegion, subnetsPerVpc, cidrBlocksPerVpc,
                    routeTablesPerVpc, routesPerTable, securityGroupsPerRegion, rulesPerSecurityGroup,
                    securityGroupsPerInterface, networkAclsPerVpc, entriesPerNetworkAcl, internetGatewaysPerRegion,
                    natGatewaysPerAz, value, interfaceEndpointsPerVpc, gatewayEndpointsPerRegion);
            case "interface-endpoints-per-vpc" -> new Quotas(vpcsPerRegion, subnetsPerVpc, cidrBlocksPerVpc,
                    routeTablesPerVpc, routesPerTable, securityGroupsPerRegion, rulesPerSecurityGroup,
                    securityGroupsPerInterface, networkAclsPerVpc, entriesPerNetworkAcl, internetGatewaysPerRegion,
                    natGatewaysPerAz, networkInterfacesPerRegion, value, gatewayEndpointsPerRegion);
            case "gateway-endpoints-per-region" -> new Quotas(vpcsPerRegion, subnetsPerVpc, cidrBlocksPerVpc,
                    routeTablesPerVpc, routesPerTable, securityGroupsPerRegion, rulesPerSecurityGroup,
                    securityGroupsPerInterface, networkAclsPerVpc, entriesPerNetworkAcl, internetGatewaysPerRegion,
                    natGatewaysPerAz, networkInterfacesPerRegion, interfaceEndpointsPerVpc, value);
            default -> throw new IllegalArgumentException("unknown quota '" + name + "'; known: vpcs-per-region, "
                    + "subnets-per-vpc, security-groups-per-region, internet-gateways-per-region, "
                    + "network-interfaces-per-region, interface-endpoints-per-vpc, gateway-endpoints-per-region, "
                    + "active-vpc-peerings-per-vpc, outstanding-vpc-peering-requests, elastic-ips-per-region, "
                    + "egress-only-internet-gateways-per-region");
        };
    }
}
