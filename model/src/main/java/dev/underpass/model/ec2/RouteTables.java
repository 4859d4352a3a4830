package dev.underpass.model.ec2;

import dev.underpass.model.ResourceId;
import dev.underpass.model.Caller;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Index;
import dev.underpass.model.Ids;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Route tables as the VPC life cycle and the route-table API share them, following the
 * <a href="https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html">route tables</a> chapter of the
 * VPC guide and the EC2 API reference for CreateRouteTable, DeleteRouteTable and the association calls. Every table
 * of a VPC holds one local route per VPC CIDR block (origin {@code CreateRouteTable}), added and removed with the
 * VPC's blocks; a subnet uses its explicitly associated table, else the VPC's main one.
 *
 * <p>This class holds the tables, their local routes and their associations; the route calls are in {@link Routes}
 * and what a route may point at (and whether that target is still there) in {@link RouteTargets}.
 */
public final class RouteTables {
    private RouteTables() {}

    /** The {@code local} route AWS puts in every table of a VPC for each of its CIDR blocks. */
    public static RouteTable.Route localRoute(String cidr) {
        return localRoute(AddressSet.of(cidr));
    }

    /** The {@code local} route for a destination (a VPC block), as CreateRouteTable or ReplaceRoute makes it. */
    public static RouteTable.Route localRoute(AddressSet destination) {
        return new RouteTable.Route(destination, new RouteTarget.Local(), RouteTable.Route.Origin.CREATE_ROUTE_TABLE,
                RouteTable.Route.State.ACTIVE);
    }

    /**
     * An active route from its destination's text (a block or a {@code pl-} id): origin {@code CreateRouteTable}
     * for a local target, {@code CreateRoute} for any other.
     */
    public static RouteTable.Route route(String destination, RouteTarget target) {
        return new RouteTable.Route(AddressSet.of(destination), target,
                target instanceof RouteTarget.Local ? RouteTable.Route.Origin.CREATE_ROUTE_TABLE
                        : RouteTable.Route.Origin.CREATE_ROUTE,
                RouteTable.Route.State.ACTIVE);
    }

    /** The route a gateway endpoint adds to each of its route tables. */
    public static RouteTable.Route endpointRoute(PrefixListId prefixListId, VpcEndpointId vpcEndpointId) {
        return new RouteTable.Route(new AddressSet.PrefixList(prefixListId),
                new RouteTarget.GatewayEndpoint(vpcEndpointId), RouteTable.Route.Origin.CREATE_ROUTE,
                RouteTable.Route.State.ACTIVE);
    }

    /** Whether the route belongs to a gateway endpoint (a prefix-list destination towards a {@code vpce-}). */
    public static boolean isEndpointRoute(RouteTable.Route r) {
        return r.destination() instanceof AddressSet.PrefixList
                && r.target() instanceof RouteTarget.GatewayEndpoint;
    }

    /** Whether the route is one of the table's local routes (whatever its target is now). */
    public static boolean isLocal(RouteTable.Route r) {
        return r.origin() == RouteTable.Route.Origin.CREATE_ROUTE_TABLE;
    }

    /** Adds the local route for a newly associated VPC CIDR block to every table of the VPC. */
    public static void addLocalRoutes(Tx tx, VpcId vpcId, String cidr) {
        for (RouteTable t : Scoped.inVpc(tx.world(), RouteTable.class, vpcId)) {
            List<RouteTable.Route> routes = new ArrayList<>(t.routes());
            routes.add(localRoute(cidr));
            tx.put(t.withRoutes(routes));
        }
    }

    public static void removeLocalRoutes(Tx tx, VpcId vpcId, String cidr) {
        for (RouteTable t : Scoped.inVpc(tx.world(), RouteTable.class, vpcId)) {
            List<RouteTable.Route> routes = new ArrayList<>(t.routes());
            // By destination, not by target: a local route whose target was replaced is still the local route.
            AddressSet gone = AddressSet.of(cidr);
            routes.removeIf(r -> isLocal(r) && r.destination().equals(gone));
            tx.put(t.withRoutes(routes));
        }
    }

    /** The table a subnet uses: its explicit association, else the VPC's main table. */
    public static RouteTable effectiveFor(World world, Subnet subnet) {
        RouteTable main = null;
        for (RouteTable t : Scoped.inVpc(world, RouteTable.class, subnet.vpcId())) {
            for (RouteTable.Association a : t.associations()) {
                if (subnet.subnetId().equals(a.subnetId())) {
                    return t;
                }
                if (a.main()) {
                    main = t;
                }
            }
        }
        return main;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Tables

    /** Creates a table in a VPC with one local route per VPC CIDR block and no associations. */
    public static RouteTable create(Tx tx, Quotas quotas, VpcId vpcId, Map<String, String> tags) {
        Caller caller = tx.caller();
        Vpc vpc = Lookup.requireOwned(tx.world(), caller, Kind.VPC, Vpc.class, vpcId);
        int existing = Scoped.inVpc(tx.world(), RouteTable.class, vpc.vpcId()).size();
        if (existing >= quotas.routeTablesPerVpc()) {
            throw ErrorCode.ROUTE_TABLE_LIMIT_EXCEEDED.format(
                    "The maximum number of route tables (%d) for VPC '%s' has been reached.",
                    quotas.routeTablesPerVpc(), vpc.vpcId());
        }
        List<RouteTable.Route> routes = Stream.concat(vpc.activeCidrs().stream(),
                vpc.activeIpv6Cidrs().stream()).map(RouteTables::localRoute).toList();
        return tx.put(new RouteTable(Ids.next("rtb"), vpc.ownerId(), vpc.region(), vpc.vpcId(), routes, List.of(),
                tags));
    }

    /** Deletes a table; the main table and tables still associated with a subnet or gateway stay. */
    public static void delete(Tx tx, RouteTableId routeTableId) {
        RouteTable table = owned(tx, routeTableId);
        if (!table.associations().isEmpty()) {
            throw ErrorCode.DEPENDENCY_VIOLATION.format(
                    "The routeTable '%s' has dependencies and cannot be deleted.", table.id());
        }
        tx.remove(table);
    }

    static RouteTable owned(Tx tx, RouteTableId routeTableId) {
        return Lookup.requireOwned(tx.world(), tx.caller(), Kind.ROUTE_TABLE, RouteTable.class, routeTableId);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Associations

    /** Where an association was found: its table and the association itself. */
    public record Found(RouteTable table, RouteTable.Association association) {}

    /** Associates a table with a subnet, or (edge association) with an internet gateway of its VPC. */
    public static RouteTable.Association associate(Tx tx, RouteTableId routeTableId, SubnetId subnetId,
            String gatewayId) {
        RouteTable table = owned(tx, routeTableId);
        boolean bySubnet = !ResourceId.absent(subnetId);
        boolean byGateway = gatewayId != null && !gatewayId.isEmpty();
        if (bySubnet && byGateway) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.with(
                    "The parameters subnetId and gatewayId cannot be used together.");
        }
        if (!bySubnet && !byGateway) {
            throw Ec2Errors.missingParameter("subnetId or gatewayId");
        }
        World world = tx.world();
        InternetGatewayId gateway = null;
        if (bySubnet) {
            Subnet subnet = Lookup.requireOwned(world, tx.caller(), Kind.SUBNET, Subnet.class, subnetId);
            if (!subnet.vpcId().equals(table.vpcId())) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                        "Route table %s and subnet %s belong to different networks", table.id(), subnet.subnetId());
            }
            boolean taken = !Scoped.inVpc(tx.world(), RouteTable.class, subnet.vpcId(), t -> t.associations()
                    .stream().anyMatch(a -> subnet.subnetId().equals(a.subnetId()))).isEmpty();
            if (taken) {
                throw ErrorCode.RESOURCE_ALREADY_ASSOCIATED.format(
                        "the specified association for route table %s conflicts with an existing association",
                        table.id());
            }
        } else {
            InternetGateway igw = RouteTargets.attachedInternetGateway(world, tx.caller(), table, gatewayId);
            gateway = igw.internetGatewayId();
            boolean taken = !Index.owned(tx.world(), RouteTable.class, igw.ownerId(), igw.region(),
                    t -> t.associations().stream().anyMatch(a -> igw.internetGatewayId().equals(a.gatewayId())))
                    .isEmpty();
            if (taken) {
                throw ErrorCode.RESOURCE_ALREADY_ASSOCIATED.format(
                        "the specified association for route table %s conflicts with an existing association",
                        table.id());
            }
        }
        RouteTable.Association association =
                new RouteTable.Association(new RouteTableAssociationId(Ids.next(RouteTableAssociationId.PREFIX)),
                        bySubnet ? subnetId : null, gateway, false);
        List<RouteTable.Association> all = new ArrayList<>(table.associations());
        all.add(association);
        tx.put(table.withAssociations(all));
        return association;
    }

    /** Finds an association among the caller's tables, or {@code InvalidAssociationID.NotFound}. */
    public static Found findAssociation(World world, Caller caller, RouteTableAssociationId associationId) {
        if (ResourceId.absent(associationId)) {
            throw Ec2Errors.missingParameter("associationId");
        }
        for (RouteTable t : Scoped.owned(world, caller, RouteTable.class)) {
            for (RouteTable.Association a : t.associations()) {
                if (a.associationId().equals(associationId)) {
                    return new Found(t, a);
                }
            }
        }
        throw ErrorCode.INVALID_ASSOCIATION_ID_NOT_FOUND.format("The association ID '%s' does not exist",
                associationId);
    }

    /** Removes a subnet or gateway association; the main association cannot be removed, only moved. */
    public static void disassociate(Tx tx, RouteTableAssociationId associationId) {
        Found found = findAssociation(tx.world(), tx.caller(), associationId);
        if (found.association().main()) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "cannot disassociate the main route table association %s", associationId);
        }
        List<RouteTable.Association> rest = new ArrayList<>(found.table().associations());
        rest.remove(found.association());
        tx.put(found.table().withAssociations(rest));
    }

    /**
     * Moves an association to another table of the same VPC under a new association id. Moving the main
     * association makes the other table the VPC's main table.
     */
    public static RouteTable.Association replaceAssociation(Tx tx, RouteTableAssociationId associationId,
            RouteTableId routeTableId) {
        Found found = findAssociation(tx.world(), tx.caller(), associationId);
        RouteTable target = owned(tx, routeTableId);
        if (!target.vpcId().equals(found.table().vpcId())) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "Route table %s and association %s belong to different networks", target.id(), associationId);
        }
        List<RouteTable.Association> rest = new ArrayList<>(found.table().associations());
        rest.remove(found.association());
        tx.put(found.table().withAssociations(rest));
        RouteTable fresh = tx.find(RouteTable.class, target.id()).orElseThrow();
        RouteTable.Association moved =
                new RouteTable.Association(new RouteTableAssociationId(Ids.next(RouteTableAssociationId.PREFIX)),
                        found.association().subnetId(), found.association().gatewayId(), found.association().main());
        List<RouteTable.Association> all = new ArrayList<>(fresh.associations());
        all.add(moved);
        tx.put(fresh.withAssociations(all));
        return moved;
    }

    /** The VPC's main table, if the VPC exists. */
    public static Optional<RouteTable> main(World world, VpcId vpcId) {
        return Scoped.inVpc(world, RouteTable.class, vpcId, RouteTable::isMain).stream().findFirst();
    }

}
