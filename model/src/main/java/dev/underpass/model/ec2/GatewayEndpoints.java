package dev.underpass.model.ec2;

import dev.underpass.model.PolicyDocument;
import dev.underpass.model.Caller;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Tx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Gateway endpoints: an endpoint that is a route. In each of its route tables AWS adds
 * {@code DestinationPrefixListId=pl-… → GatewayId=vpce-…}, at most one per service per table, and only the endpoint
 * can add or remove it (the route-table API refuses, see {@link Routes}). Split from {@link VpcEndpoints}, which
 * checks what both endpoint types share and hands gateway endpoints here.
 */
final class GatewayEndpoints {
    private GatewayEndpoints() {}

    /** Creates a gateway endpoint whose VPC, service and policy {@link VpcEndpoints#create} has checked. */
    static VpcEndpoint create(Tx tx, Quotas quotas, VpcEndpoints.Create cmd, Vpc vpc, AwsServices.Offering offering,
            String id, Instant now) {
        Caller caller = tx.caller();
        VpcEndpoint.Type type = VpcEndpoint.Type.GATEWAY;
        if (!cmd.subnetIds().isEmpty() || !cmd.securityGroupIds().isEmpty()) {
            throw ErrorCode.INVALID_PARAMETER.with(
                    "Subnets and security groups can be specified only for Interface endpoints.");
        }
        if (Boolean.TRUE.equals(cmd.privateDnsEnabled())) {
            throw ErrorCode.INVALID_PARAMETER.with("Private DNS can be enabled only for Interface endpoints.");
        }
        long gateways = Scoped.owned(tx.world(), caller, VpcEndpoint.class, VpcEndpoint::isGateway).size();
        if (gateways >= quotas.gatewayEndpointsPerRegion()) {
            throw ErrorCode.VPC_ENDPOINT_LIMIT_EXCEEDED.format(
                    "The maximum number of gateway VPC endpoints (%d) in this Region has been reached.",
                    quotas.gatewayEndpointsPerRegion());
        }
        PolicyDocument policy = cmd.policyDocument() == null ? VpcEndpoints.DEFAULT_GATEWAY_POLICY
                : cmd.policyDocument();
        VpcEndpoint endpoint = new VpcEndpoint(id, caller.accountId(), caller.region(), vpc.vpcId(),
                offering.serviceName(), null, null, type, VpcEndpoint.State.AVAILABLE, now, policy, List.of(),
                List.of(), List.of(), List.of(), false, VpcEndpoint.IpAddressType.IPV4, null, null, null, List.of(),
                now, cmd.tags());
        List<RouteTableId> tables = new ArrayList<>(new LinkedHashSet<>(cmd.routeTableIds()));
        for (RouteTableId rtb : tables) {
            addRoute(tx, quotas, endpoint, rtb);
        }
        return tx.put(endpoint.withRouteTableIds(tables));
    }

    static VpcEndpoint modifyRoutes(Tx tx, Quotas quotas, VpcEndpoint endpoint, VpcEndpoints.Modify cmd) {
        List<RouteTableId> tables = new ArrayList<>(endpoint.routeTableIds());
        for (RouteTableId rtb : new LinkedHashSet<>(cmd.removeRouteTableIds())) {
            Lookup.requireOwned(tx.world(), tx.caller(), Kind.ROUTE_TABLE, RouteTable.class, rtb);
            if (tables.remove(rtb)) {
                removeRoute(tx, endpoint, rtb);
            }
        }
        for (RouteTableId rtb : new LinkedHashSet<>(cmd.addRouteTableIds())) {
            if (!tables.contains(rtb)) {
                addRoute(tx, quotas, endpoint, rtb);
                tables.add(rtb);
            }
        }
        return endpoint.withRouteTableIds(tables);
    }
    private static void addRoute(Tx tx, Quotas quotas, VpcEndpoint endpoint, RouteTableId rtbId) {
        RouteTable table = Lookup.requireOwned(tx.world(), tx.caller(), Kind.ROUTE_TABLE, RouteTable.class, rtbId);
        if (!table.vpcId().equals(endpoint.vpcId())) {
            throw ErrorCode.INVALID_PARAMETER.format("The route table %s is not in VPC %s of the endpoint.", rtbId,
                    endpoint.vpcId());
        }
        PrefixListId pl = AwsServices.prefixListFor(endpoint.region(), endpoint.serviceName()).orElseThrow()
                .prefixListId();
        for (RouteTable.Route r : table.routes()) {
            if (r.destination().equals(new AddressSet.PrefixList(pl))) {
                throw ErrorCode.ROUTE_ALREADY_EXISTS.format(
                        "The route identified by %s already exists in route table %s.", pl, rtbId);
            }
        }
        if (table.routes().size() >= quotas.routesPerTable()) {
            throw ErrorCode.ROUTE_LIMIT_EXCEEDED.format(
                    "The maximum number of routes (%d) in route table %s has been reached.", quotas.routesPerTable(),
                    rtbId);
        }
        List<RouteTable.Route> routes = new ArrayList<>(table.routes());
        routes.add(RouteTables.endpointRoute(pl, endpoint.vpcEndpointId()));
        tx.put(table.withRoutes(routes));
    }

    static void removeRoute(Tx tx, VpcEndpoint endpoint, RouteTableId rtbId) {
        tx.find(RouteTable.class, rtbId).ifPresent(table -> {
            List<RouteTable.Route> routes = new ArrayList<>(table.routes());
            if (routes.removeIf(r -> RouteTables.isEndpointRoute(r) && endpoint.id().equals(r.target().id()))) {
                tx.put(table.withRoutes(routes));
            }
        });
    }
}
