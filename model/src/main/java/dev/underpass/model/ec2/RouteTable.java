package dev.underpass.model.ec2;

import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import java.util.List;
import java.util.Map;

/**
 * A route table of a VPC. The main table carries an association with {@code main=true} and no subnet; explicit
 * associations name a subnet (or a gateway, for edge associations).
 */
public record RouteTable(
        String id,
        String ownerId,
        String region,
        String vpcId,
        List<Route> routes,
        List<Association> associations,
        Map<String, String> tags)
        implements Resource {

    /**
     * One route. Exactly one destination (IPv4 CIDR, IPv6 CIDR or prefix list) and one target are set. {@code origin}
     * is {@code CreateRouteTable} for the local route, {@code CreateRoute} for user routes, and
     * {@code CreateRoute} too for gateway-endpoint routes (AWS reports those that way), which carry
     * {@code vpcEndpointId}-style gateway ids.
     */
    public record Route(
            String destinationCidrBlock,
            String destinationIpv6CidrBlock,
            String destinationPrefixListId,
            String gatewayId,
            String natGatewayId,
            String networkInterfaceId,
            String instanceId,
            String instanceOwnerId,
            String origin,
            String state,
            String vpcPeeringConnectionId,
            String egressOnlyInternetGatewayId) {

        /** A route to neither a peering nor an egress-only gateway (stored routes from before those load this way). */
        public Route(String destinationCidrBlock, String destinationIpv6CidrBlock, String destinationPrefixListId,
                String gatewayId, String natGatewayId, String networkInterfaceId, String instanceId,
                String instanceOwnerId, String origin, String state) {
            this(destinationCidrBlock, destinationIpv6CidrBlock, destinationPrefixListId, gatewayId, natGatewayId,
                    networkInterfaceId, instanceId, instanceOwnerId, origin, state, null, null);
        }

        /** The destination whichever kind it is, used for uniqueness within a table. */
        public String destination() {
            if (destinationCidrBlock != null) {
                return destinationCidrBlock;
            }
            return destinationIpv6CidrBlock != null ? destinationIpv6CidrBlock : destinationPrefixListId;
        }

        public Route withState(String newState) {
            return new Route(destinationCidrBlock, destinationIpv6CidrBlock, destinationPrefixListId, gatewayId,
                    natGatewayId, networkInterfaceId, instanceId, instanceOwnerId, origin, newState,
                    vpcPeeringConnectionId, egressOnlyInternetGatewayId);
        }
    }

    /** A subnet (or main) association, {@code rtbassoc-…}. */
    public record Association(String associationId, String subnetId, String gatewayId, boolean main) {}

    public RouteTable {
        routes = List.copyOf(routes);
        associations = List.copyOf(associations);
        tags = Tags.copy(tags);
    }

    public boolean isMain() {
        return associations.stream().anyMatch(Association::main);
    }

    @Override
    public RouteTable withTags(Map<String, String> tags) {
        return new RouteTable(id, ownerId, region, vpcId, routes, associations, tags);
    }

    public RouteTable withRoutes(List<Route> newRoutes) {
        return new RouteTable(id, ownerId, region, vpcId, newRoutes, associations, tags);
    }

    public RouteTable withAssociations(List<Association> newAssociations) {
        return new RouteTable(id, ownerId, region, vpcId, routes, newAssociations, tags);
    }

    @Override
    public String resourceType() {
        return "route-table";
    }
}
