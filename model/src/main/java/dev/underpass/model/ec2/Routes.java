package dev.underpass.model.ec2;

import static dev.underpass.model.ec2.RouteTables.isEndpointRoute;
import static dev.underpass.model.ec2.RouteTables.isLocal;
import static dev.underpass.model.ec2.RouteTables.localRoute;

import dev.underpass.model.AsciiDigits;
import dev.underpass.model.AwsException;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.RouteTargets.Target;
import dev.underpass.model.net.Cidr;
import dev.underpass.model.net.Ipv4;
import dev.underpass.model.net.Ipv6Cidrs;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The route calls CreateRoute, ReplaceRoute and DeleteRoute, following the EC2 API reference and the VPC guide's
 * <a href="https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html">route tables</a> chapter:
 * destinations in canonical form, one route per destination, the per-table route quota, and the two kinds of route
 * a client may not change freely. A table's local route cannot be deleted, and ReplaceRoute may only point it at a
 * middlebox (network interface, instance or NAT gateway) or restore it with {@code LocalTarget}; a route more
 * specific than a VPC block is likewise allowed only towards those targets. Routes whose destination is a prefix
 * list and whose target is a {@code vpce-} gateway belong to a gateway endpoint and are changed only through it.
 * Split from {@link RouteTables} (tables and associations); the targets are checked by {@link RouteTargets}.
 */
public final class Routes {
    private Routes() {}

    /** The destination of a route call, as the client gave it; exactly one part must be set. */
    public record Destination(String cidrBlock, String ipv6CidrBlock, String prefixListId) {}

    /** Adds a route. */
    public static void createRoute(Tx tx, Quotas quotas, RouteTableId routeTableId, Destination destination,
            Target target) {
        RouteTable table = RouteTables.owned(tx, routeTableId);
        AddressSet dest = normalise(destination);
        if (target.gatewayId() != null && target.gatewayId().startsWith("vpce-")) {
            throw endpointManaged(dest, table.id(), "created with CreateRoute");
        }
        if (dest instanceof AddressSet.PrefixList pl
                && !PrefixLists.exists(tx.world(), tx.caller(), pl.prefixListId())) {
            throw ErrorCode.INVALID_PREFIX_LIST_ID_NOT_FOUND.format("The prefix list '%s' does not exist.",
                    pl.prefixListId());
        }
        RouteTarget resolved = RouteTargets.resolve(tx, table, target);
        String key = dest.text();
        for (RouteTable.Route r : table.routes()) {
            if (key.equals(r.destination().text())) {
                throw ErrorCode.ROUTE_ALREADY_EXISTS.format("The route identified by %s already exists.", key);
            }
        }
        checkSpecificity(tx.world(), table, dest, resolved);
        boolean ipv6 = dest instanceof AddressSet.Ipv6;
        long count = table.routes().stream()
                .filter(r -> !isLocal(r) && (r.destination() instanceof AddressSet.Ipv6) == ipv6).count();
        if (count >= quotas.routesPerTable()) {
            throw ErrorCode.ROUTE_LIMIT_EXCEEDED.format(
                    "The maximum number of routes (%d) in route table '%s' has been reached.",
                    quotas.routesPerTable(), table.id());
        }
        List<RouteTable.Route> routes = new ArrayList<>(table.routes());
        routes.add(new RouteTable.Route(dest, resolved, RouteTable.Route.Origin.CREATE_ROUTE,
                RouteTable.Route.State.ACTIVE));
        tx.put(table.withRoutes(routes));
    }

    /**
     * Points an existing route at another target. The local route may be pointed at a middlebox, or restored with
     * {@code localTarget} (Terraform sends {@code GatewayId=local} for the same).
     */
    public static void replaceRoute(Tx tx, RouteTableId routeTableId, Destination destination, Target target,
            boolean localTarget) {
        RouteTable table = RouteTables.owned(tx, routeTableId);
        AddressSet dest = normalise(destination);
        String key = dest.text();
        boolean restore = localTarget || "local".equals(target.gatewayId());
        if (restore && "local".equals(target.gatewayId()) && target.given().size() > 1) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.format(
                    "The parameters %s cannot be used together.", String.join(", ", target.given()));
        }
        if (localTarget && !target.given().isEmpty()) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.format(
                    "The parameter localTarget cannot be used with the parameter %s.", target.given().get(0));
        }
        int index = indexOf(table, key);
        if (index < 0) {
            throw ErrorCode.INVALID_ROUTE_NOT_FOUND.format(
                    "There is no route defined for '%s' in the route table %s. Use CreateRoute instead.", key,
                    table.id());
        }
        RouteTable.Route existing = table.routes().get(index);
        if (isEndpointRoute(existing)) {
            throw endpointManaged(dest, table.id(), "replaced with ReplaceRoute");
        }
        if (target.gatewayId() != null && target.gatewayId().startsWith("vpce-")) {
            throw endpointManaged(dest, table.id(), "created with ReplaceRoute");
        }
        RouteTable.Route replacement;
        if (restore) {
            if (!isLocal(existing)) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                        "The route identified by %s is not a local route; only a local route can be restored to "
                                + "the local target.",
                        key);
            }
            replacement = localRoute(existing.destination());
        } else if (isLocal(existing)) {
            RouteTarget resolved = RouteTargets.resolve(tx, table, target);
            if (!resolved.middlebox()) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                        "The route identified by %s cannot be replaced with target %s: the target of a local route "
                                + "can only be a network interface, an instance or a NAT gateway.",
                        key,
                        resolved instanceof RouteTarget.Igw igw ? igw.id() : target.given().toString());
            }
            replacement = new RouteTable.Route(dest, resolved, RouteTable.Route.Origin.CREATE_ROUTE_TABLE,
                    RouteTable.Route.State.ACTIVE);
        } else {
            RouteTarget resolved = RouteTargets.resolve(tx, table, target);
            checkSpecificity(tx.world(), table, dest, resolved);
            replacement = new RouteTable.Route(dest, resolved, RouteTable.Route.Origin.CREATE_ROUTE,
                    RouteTable.Route.State.ACTIVE);
        }
        List<RouteTable.Route> routes = new ArrayList<>(table.routes());
        routes.set(index, replacement);
        tx.put(table.withRoutes(routes));
    }

    /** Removes a route; local routes and gateway-endpoint routes stay. */
    public static void deleteRoute(Tx tx, RouteTableId routeTableId, Destination destination) {
        RouteTable table = RouteTables.owned(tx, routeTableId);
        AddressSet dest = normalise(destination);
        String key = dest.text();
        int index = indexOf(table, key);
        if (index < 0) {
            throw ErrorCode.INVALID_ROUTE_NOT_FOUND.format("no route with %s %s in route table %s",
                    switch (dest) {
                        case AddressSet.Ipv4 d -> "destination-cidr-block";
                        case AddressSet.Ipv6 d -> "destination-ipv6-cidr-block";
                        case AddressSet.PrefixList d -> "destination-prefix-list-id";
                    },
                    key, table.id());
        }
        RouteTable.Route existing = table.routes().get(index);
        if (isLocal(existing)) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format("cannot remove local route %s in route table %s", key,
                    table.id());
        }
        if (isEndpointRoute(existing)) {
            throw endpointManaged(dest, table.id(), "deleted with DeleteRoute");
        }
        List<RouteTable.Route> routes = new ArrayList<>(table.routes());
        routes.remove(index);
        tx.put(table.withRoutes(routes));
    }

    private static int indexOf(RouteTable table, String key) {
        for (int i = 0; i < table.routes().size(); i++) {
            if (key.equals(table.routes().get(i).destination().text())) {
                return i;
            }
        }
        return -1;
    }

    private static AwsException endpointManaged(AddressSet dest, String tableId, String verb) {
        return ErrorCode.INVALID_PARAMETER_VALUE.format(
                "The route to %s in route table %s is managed by a gateway VPC endpoint and cannot be %s; change "
                        + "the endpoint's route tables with ModifyVpcEndpoint instead.",
                dest.text(), tableId, verb);
    }

    /**
     * Checks that exactly one destination is given and puts it in canonical form: AWS turns
     * {@code 100.68.0.18/18} into {@code 100.68.0.0/18} rather than refusing it.
     */
    static AddressSet normalise(Destination d) {
        int given = (present(d.cidrBlock()) ? 1 : 0) + (present(d.ipv6CidrBlock()) ? 1 : 0)
                + (present(d.prefixListId()) ? 1 : 0);
        if (given == 0) {
            throw Ec2Errors.missingParameter("destinationCidrBlock, "
                    + "destinationIpv6CidrBlock or destinationPrefixListId");
        }
        if (given > 1) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.with("Only one of destinationCidrBlock, "
                    + "destinationIpv6CidrBlock and destinationPrefixListId may be specified.");
        }
        if (present(d.cidrBlock())) {
            return new AddressSet.Ipv4(canonicalIpv4(d.cidrBlock()));
        }
        if (present(d.ipv6CidrBlock())) {
            return new AddressSet.Ipv6(canonicalIpv6(d.ipv6CidrBlock()));
        }
        if (!Ids.wellFormed("pl", d.prefixListId())) {
            throw ErrorCode.INVALID_PREFIX_LIST_ID_MALFORMED.format("The prefix list ID '%s' is malformed.",
                    d.prefixListId());
        }
        return new AddressSet.PrefixList(new PrefixListId(d.prefixListId()));
    }

    private static boolean present(String s) {
        return s != null && !s.isEmpty();
    }

    private static Cidr canonicalIpv4(String text) {
        int slash = text.indexOf('/');
        try {
            if (slash < 0) {
                throw new IllegalArgumentException(text);
            }
            String digits = text.substring(slash + 1);
            int prefix = digits.length() > 2 ? -1 : AsciiDigits.parseUnsigned(digits, 32);
            if (prefix < 0) {
                throw new IllegalArgumentException(text);
            }
            int address = Ipv4.parse(text.substring(0, slash));
            return new Cidr(address & Cidr.mask(prefix), prefix);
        } catch (IllegalArgumentException e) {
            throw Ec2Errors.invalidValue(text, "destinationCidrBlock", "This is not a valid CIDR block.");
        }
    }

    /** An IPv6 block with host bits cleared, written in RFC 5952's compressed form ({@code ::/0}). */
    static String canonicalIpv6(String text) {
        String canonical = Ipv6Cidrs.canonical(text, true);
        if (canonical == null) {
            throw Ec2Errors.invalidValue(text, "destinationIpv6CidrBlock", "This is not a valid IPv6 CIDR "
                    + "block.");
        }
        return canonical;
    }

    /**
     * A destination inside one of the VPC's blocks but smaller than it overrides local routing; AWS allows that only
     * towards a middlebox (network interface, instance or NAT gateway).
     */
    private static void checkSpecificity(World world, RouteTable table, AddressSet dest, RouteTarget target) {
        if (target instanceof RouteTarget.EgressOnlyIgw eigw && !(dest instanceof AddressSet.Ipv6)) {
            // An egress-only gateway carries IPv6 only.
            throw ErrorCode.INVALID_PARAMETER_VALUE.format("Route %s cannot target egress-only internet gateway "
                    + "%s: egress-only internet gateways accept IPv6 destinations only.", dest.text(), eigw.id());
        }
        if (!(dest instanceof AddressSet.Ipv4 v4) || target.middlebox()) {
            return;
        }
        Optional<Vpc> vpc = world.find(Vpc.class, table.vpcId());
        for (String block : vpc.map(Vpc::activeCidrs).orElse(List.of())) {
            Cidr c = Cidr.parse(block);
            if (c.contains(v4.cidr())) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format("The destination CIDR block %s is equal to or more "
                        + "specific than one of this VPC's CIDR blocks. This route can target only a network "
                        + "interface, an instance or a NAT gateway.", v4.text());
            }
        }
    }
}
