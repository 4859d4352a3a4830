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
        int elasticIpsPerRegion,
        int egressOnlyInternetGatewaysPerRegion) {

    /** The quotas before Elastic IPs and egress-only gateways, which take AWS's defaults (5 each). */
    public Quotas(int vpcsPerRegion, int subnetsPerVpc, int cidrBlocksPerVpc, int routeTablesPerVpc,
            int routesPerTable, int securityGroupsPerRegion, int rulesPerSecurityGroup, int securityGroupsPerInterface,
            int networkAclsPerVpc, int entriesPerNetworkAcl, int internetGatewaysPerRegion, int natGatewaysPerAz,
            int networkInterfacesPerRegion, int interfaceEndpointsPerVpc, int gatewayEndpointsPerRegion) {
        this(vpcsPerRegion, subnetsPerVpc, cidrBlocksPerVpc, routeTablesPerVpc, routesPerTable,
                securityGroupsPerRegion, rulesPerSecurityGroup, securityGroupsPerInterface, networkAclsPerVpc,
                entriesPerNetworkAcl, internetGatewaysPerRegion, natGatewaysPerAz, networkInterfacesPerRegion,
                interfaceEndpointsPerVpc, gatewayEndpointsPerRegion, 5, 5);
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
        return new Quotas(5, 200, 5, 200, 50, 2500, 60, 5, 200, 20, 5, 5, 5000, 50, 20, 5, 5);
    }

    /** Returns a copy with one quota changed, by its kebab-case name. */
    public Quotas with(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("quota " + name + " must not be negative");
        }
        return switch (name) {
            case "elastic-ips-per-region" -> withAddressQuotas(value, egressOnlyInternetGatewaysPerRegion);
            case "egress-only-internet-gateways-per-region" -> withAddressQuotas(elasticIpsPerRegion, value);
            default -> withEarlier(name, value).withAddressQuotas(elasticIpsPerRegion,
                    egressOnlyInternetGatewaysPerRegion);
        };
    }

    private Quotas withAddressQuotas(int elasticIps, int egressOnlyGateways) {
        return new Quotas(vpcsPerRegion, subnetsPerVpc, cidrBlocksPerVpc, routeTablesPerVpc, routesPerTable,
                securityGroupsPerRegion, rulesPerSecurityGroup, securityGroupsPerInterface, networkAclsPerVpc,
                entriesPerNetworkAcl, internetGatewaysPerRegion, natGatewaysPerAz, networkInterfacesPerRegion,
                interfaceEndpointsPerVpc, gatewayEndpointsPerRegion, elasticIps, egressOnlyGateways);
    }

    private Quotas withEarlier(String name, int value) {
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
                    + "elastic-ips-per-region, egress-only-internet-gateways-per-region");
        };
    }
}
