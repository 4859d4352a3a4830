package dev.underpass.model.ec2;

import dev.underpass.model.Caller;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Index;
import dev.underpass.model.Ids;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.net.Cidr;
import dev.underpass.model.net.Ipv6Cidrs;
import dev.underpass.model.net.Ipv4;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Route-table rules shared by the VPC life cycle and the route-table API, following the
 * <a href="https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html">route tables</a> chapter of the
 * VPC guide and the EC2 API reference for CreateRoute, ReplaceRoute, DeleteRoute and the association calls.
 *
 * <p>Every table of a VPC holds one local route per VPC CIDR block (origin {@code CreateRouteTable}); it cannot be
 * deleted, and ReplaceRoute may only point it at a middlebox (network interface, instance or NAT gateway) or restore
 * it with {@code LocalTarget}. A route more specific than a VPC block is likewise allowed only towards those
 * targets. Routes whose destination is a prefix list and whose target is a {@code vpce-} gateway belong to a gateway
 * endpoint: only the endpoint's route-table associations add or remove them.
 *
 * <p>A route's {@code state} is not stored: {@link #state} derives {@code active} or {@code blackhole} from the world
 * when the route is described, so deleting a NAT gateway, detaching an internet gateway or deleting an interface
 * needs no bookkeeping in the tables that point at it.
 */
public final class RouteTables {
    public static final String ORIGIN_LOCAL = "CreateRouteTable";
    public static final String ORIGIN_ROUTE = "CreateRoute";
    public static final String ACTIVE = "active";
    public static final String BLACKHOLE = "blackhole";

    private RouteTables() {}

    /** The {@code local} route AWS puts in every table of a VPC for each of its CIDR blocks. */
    public static RouteTable.Route localRoute(String cidr) {
        if (cidr.indexOf(':') >= 0) {
            return new RouteTable.Route(null, cidr, null, "local", null, null, null, null, ORIGIN_LOCAL, ACTIVE);
        }
        return new RouteTable.Route(cidr, null, null, "local", null, null, null, null, ORIGIN_LOCAL, ACTIVE);
    }

    /** The route a gateway endpoint adds to each of its route tables. */
    public static RouteTable.Route endpointRoute(String prefixListId, String vpcEndpointId) {
        return new RouteTable.Route(null, null, prefixListId, vpcEndpointId, null, null, null, null, ORIGIN_ROUTE,
                ACTIVE);
    }

    /** Whether the route belongs to a gateway endpoint (a prefix-list destination towards a {@code vpce-}). */
    public static boolean isEndpointRoute(RouteTable.Route r) {
        return r.destinationPrefixListId() != null && r.gatewayId() != null && r.gatewayId().startsWith("vpce-");
    }

    /** Whether the route is one of the table's local routes (whatever its target is now). */
    public static boolean isLocal(RouteTable.Route r) {
        return ORIGIN_LOCAL.equals(r.origin());
    }

    /** Adds the local route for a newly associated VPC CIDR block to every table of the VPC. */
    public static void addLocalRoutes(Tx tx, String vpcId, String cidr) {
        for (RouteTable t : Scoped.inVpc(tx.world(), RouteTable.class, vpcId)) {
            List<RouteTable.Route> routes = new ArrayList<>(t.routes());
            routes.add(localRoute(cidr));
            tx.put(t.withRoutes(routes));
        }
    }

    public static void removeLocalRoutes(Tx tx, String vpcId, String cidr) {
        for (RouteTable t : Scoped.inVpc(tx.world(), RouteTable.class, vpcId)) {
            List<RouteTable.Route> routes = new ArrayList<>(t.routes());
            // By destination, not by target: a local route whose target was replaced is still the local route.
            routes.removeIf(r -> isLocal(r) && (cidr.equals(r.destinationCidrBlock())
                    || cidr.equals(r.destinationIpv6CidrBlock())));
            tx.put(t.withRoutes(routes));
        }
    }

    /** The table a subnet uses: its explicit association, else the VPC's main table. */
    public static RouteTable effectiveFor(World world, Subnet subnet) {
        RouteTable main = null;
        for (RouteTable t : Scoped.inVpc(world, RouteTable.class, subnet.vpcId())) {
            for (RouteTable.Association a : t.associations()) {
                if (subnet.id().equals(a.subnetId())) {
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
    public static RouteTable create(Tx tx, Quotas quotas, String vpcId, Map<String, String> tags) {
        Caller caller = tx.caller();
        Vpc vpc = Lookup.requireOwned(tx.world(), caller, Kind.VPC, Vpc.class, vpcId);
        int existing = Scoped.inVpc(tx.world(), RouteTable.class, vpc.id()).size();
        if (existing >= quotas.routeTablesPerVpc()) {
            throw ErrorCode.ROUTE_TABLE_LIMIT_EXCEEDED.format(
                    "The maximum number of route tables (%d) for VPC '%s' has been reached.",
                    quotas.routeTablesPerVpc(), vpc.id());
        }
        List<RouteTable.Route> routes = java.util.stream.Stream.concat(vpc.activeCidrs().stream(),
                vpc.activeIpv6Cidrs().stream()).map(RouteTables::localRoute).toList();
        return tx.put(new RouteTable(Ids.next("rtb"), vpc.ownerId(), vpc.region(), vpc.id(), routes, List.of(),
                tags));
    }

    /** Deletes a table; the main table and tables still associated with a subnet or gateway stay. */
    public static void delete(Tx tx, String routeTableId) {
        RouteTable table = owned(tx, routeTableId);
        if (!table.associations().isEmpty()) {
            throw ErrorCode.DEPENDENCY_VIOLATION.format(
                    "The routeTable '%s' has dependencies and cannot be deleted.", table.id());
        }
        tx.remove(table);
    }

    private static RouteTable owned(Tx tx, String routeTableId) {
        return Lookup.requireOwned(tx.world(), tx.caller(), Kind.ROUTE_TABLE, RouteTable.class, routeTableId);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Routes

    /** The destination of a route call, as the client gave it; exactly one part must be set. */
    public record Destination(String cidrBlock, String ipv6CidrBlock, String prefixListId) {}

    /** The targets a route call may name; exactly one must be set (or none, with LocalTarget on ReplaceRoute). */
    public record Target(
            String gatewayId,
            String natGatewayId,
            String networkInterfaceId,
            String instanceId,
            String vpcEndpointId,
            String vpcPeeringConnectionId,
            String egressOnlyInternetGatewayId,
            String transitGatewayId,
            String localGatewayId,
            String carrierGatewayId,
            String coreNetworkArn,
            String odbNetworkArn) {

        public static Target gateway(String id) {
            return new Target(id, null, null, null, null, null, null, null, null, null, null, null);
        }

        public static Target natGateway(String id) {
            return new Target(null, id, null, null, null, null, null, null, null, null, null, null);
        }

        /** The parameters that are set, by their wire names. */
        List<String> given() {
            List<String> names = new ArrayList<>();
            add(names, gatewayId, "gatewayId");
            add(names, natGatewayId, "natGatewayId");
            add(names, networkInterfaceId, "networkInterfaceId");
            add(names, instanceId, "instanceId");
            add(names, vpcEndpointId, "vpcEndpointId");
            add(names, vpcPeeringConnectionId, "vpcPeeringConnectionId");
            add(names, egressOnlyInternetGatewayId, "egressOnlyInternetGatewayId");
            add(names, transitGatewayId, "transitGatewayId");
            add(names, localGatewayId, "localGatewayId");
            add(names, carrierGatewayId, "carrierGatewayId");
            add(names, coreNetworkArn, "coreNetworkArn");
            add(names, odbNetworkArn, "odbNetworkArn");
            return names;
        }

        private static void add(List<String> names, String value, String name) {
            if (value != null && !value.isEmpty()) {
                names.add(name);
            }
        }
    }

    private static final String TARGETS = "gatewayId, natGatewayId, networkInterfaceId, instanceId, vpcEndpointId, "
            + "vpcPeeringConnectionId, egressOnlyInternetGatewayId, transitGatewayId, localGatewayId, "
            + "carrierGatewayId, coreNetworkArn";

    /** A target checked against the world: the fields a stored route carries, and whether it is a middlebox. */
    private record Resolved(String gatewayId, String natGatewayId, String networkInterfaceId, String instanceId,
            String instanceOwnerId, boolean middlebox, String vpcPeeringConnectionId,
            String egressOnlyInternetGatewayId) {

        Resolved(String gatewayId, String natGatewayId, String networkInterfaceId, String instanceId,
                String instanceOwnerId, boolean middlebox) {
            this(gatewayId, natGatewayId, networkInterfaceId, instanceId, instanceOwnerId, middlebox, null, null);
        }
    }

    /** Adds a route. */
    public static void createRoute(Tx tx, Quotas quotas, String routeTableId, Destination destination,
            Target target) {
        RouteTable table = owned(tx, routeTableId);
        Destination dest = normalise(destination);
        if (target.gatewayId() != null && target.gatewayId().startsWith("vpce-")) {
            throw endpointManaged(dest, table.id(), "created with CreateRoute");
        }
        if (dest.prefixListId() != null && !PrefixLists.exists(tx.world(), tx.caller(), dest.prefixListId())) {
            throw ErrorCode.INVALID_PREFIX_LIST_ID_NOT_FOUND.format("The prefix list '%s' does not exist.",
                    dest.prefixListId());
        }
        Resolved resolved = resolve(tx, table, target);
        String key = key(dest);
        for (RouteTable.Route r : table.routes()) {
            if (key.equals(r.destination())) {
                throw ErrorCode.ROUTE_ALREADY_EXISTS.format("The route identified by %s already exists.", key);
            }
        }
        checkSpecificity(tx.world(), table, dest, resolved);
        boolean ipv6 = dest.ipv6CidrBlock() != null;
        long count = table.routes().stream()
                .filter(r -> !isLocal(r) && (r.destinationIpv6CidrBlock() != null) == ipv6).count();
        if (count >= quotas.routesPerTable()) {
            throw ErrorCode.ROUTE_LIMIT_EXCEEDED.format(
                    "The maximum number of routes (%d) in route table '%s' has been reached.",
                    quotas.routesPerTable(), table.id());
        }
        List<RouteTable.Route> routes = new ArrayList<>(table.routes());
        routes.add(route(dest, resolved, ORIGIN_ROUTE));
        tx.put(table.withRoutes(routes));
    }

    /**
     * Points an existing route at another target. The local route may be pointed at a middlebox, or restored with
     * {@code localTarget} (Terraform sends {@code GatewayId=local} for the same).
     */
    public static void replaceRoute(Tx tx, String routeTableId, Destination destination, Target target,
            boolean localTarget) {
        RouteTable table = owned(tx, routeTableId);
        Destination dest = normalise(destination);
        String key = key(dest);
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
                                + "the local target.", key);
            }
            replacement = localRoute(existing.destinationCidrBlock());
        } else if (isLocal(existing)) {
            Resolved resolved = resolve(tx, table, target);
            if (!resolved.middlebox()) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                        "The route identified by %s cannot be replaced with target %s: the target of a local route "
                                + "can only be a network interface, an instance or a NAT gateway.", key,
                        firstNonNull(resolved.gatewayId(), target.given().toString()));
            }
            replacement = route(dest, resolved, ORIGIN_LOCAL);
        } else {
            Resolved resolved = resolve(tx, table, target);
            checkSpecificity(tx.world(), table, dest, resolved);
            replacement = route(dest, resolved, ORIGIN_ROUTE);
        }
        List<RouteTable.Route> routes = new ArrayList<>(table.routes());
        routes.set(index, replacement);
        tx.put(table.withRoutes(routes));
    }

    /** Removes a route; local routes and gateway-endpoint routes stay. */
    public static void deleteRoute(Tx tx, String routeTableId, Destination destination) {
        RouteTable table = owned(tx, routeTableId);
        Destination dest = normalise(destination);
        String key = key(dest);
        int index = indexOf(table, key);
        if (index < 0) {
            throw ErrorCode.INVALID_ROUTE_NOT_FOUND.format("no route with %s %s in route table %s",
                    dest.cidrBlock() != null ? "destination-cidr-block"
                            : dest.ipv6CidrBlock() != null ? "destination-ipv6-cidr-block"
                                    : "destination-prefix-list-id",
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
            if (key.equals(table.routes().get(i).destination())) {
                return i;
            }
        }
        return -1;
    }

    private static dev.underpass.model.AwsException endpointManaged(Destination dest, String tableId, String verb) {
        return ErrorCode.INVALID_PARAMETER_VALUE.format(
                "The route to %s in route table %s is managed by a gateway VPC endpoint and cannot be %s; change "
                        + "the endpoint's route tables with ModifyVpcEndpoint instead.", key(dest), tableId, verb);
    }

    private static RouteTable.Route route(Destination dest, Resolved t, String origin) {
        return new RouteTable.Route(dest.cidrBlock(), dest.ipv6CidrBlock(), dest.prefixListId(), t.gatewayId(),
                t.natGatewayId(), t.networkInterfaceId(), t.instanceId(), t.instanceOwnerId(), origin, ACTIVE,
                t.vpcPeeringConnectionId(), t.egressOnlyInternetGatewayId());
    }

    private static String key(Destination d) {
        return d.cidrBlock() != null ? d.cidrBlock() : d.ipv6CidrBlock() != null ? d.ipv6CidrBlock()
                : d.prefixListId();
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    /**
     * Checks that exactly one destination is given and puts it in canonical form: AWS turns
     * {@code 100.68.0.18/18} into {@code 100.68.0.0/18} rather than refusing it.
     */
    static Destination normalise(Destination d) {
        int given = (present(d.cidrBlock()) ? 1 : 0) + (present(d.ipv6CidrBlock()) ? 1 : 0)
                + (present(d.prefixListId()) ? 1 : 0);
        if (given == 0) {
            throw ErrorCode.MISSING_PARAMETER.with("The request must contain the parameter destinationCidrBlock, "
                    + "destinationIpv6CidrBlock or destinationPrefixListId");
        }
        if (given > 1) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.with("Only one of destinationCidrBlock, "
                    + "destinationIpv6CidrBlock and destinationPrefixListId may be specified.");
        }
        if (present(d.cidrBlock())) {
            return new Destination(canonicalIpv4(d.cidrBlock()), null, null);
        }
        if (present(d.ipv6CidrBlock())) {
            return new Destination(null, canonicalIpv6(d.ipv6CidrBlock()), null);
        }
        if (!Ids.wellFormed("pl", d.prefixListId())) {
            throw ErrorCode.INVALID_PREFIX_LIST_ID_MALFORMED.format("The prefix list ID '%s' is malformed.",
                    d.prefixListId());
        }
        return new Destination(null, null, d.prefixListId());
    }

    private static boolean present(String s) {
        return s != null && !s.isEmpty();
    }

    private static String canonicalIpv4(String text) {
        int slash = text.indexOf('/');
        try {
            if (slash < 0) {
                throw new IllegalArgumentException(text);
            }
            String digits = text.substring(slash + 1);
            int prefix = digits.length() > 2 ? -1 : dev.underpass.model.AsciiDigits.parseUnsigned(digits, 32);
            if (prefix < 0) {
                throw new IllegalArgumentException(text);
            }
            int address = Ipv4.parse(text.substring(0, slash));
            return new Cidr(address & Cidr.mask(prefix), prefix).toString();
        } catch (IllegalArgumentException e) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "Value (%s) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.", text);
        }
    }

    /** An IPv6 block with host bits cleared, written in RFC 5952's compressed form ({@code ::/0}). */
    static String canonicalIpv6(String text) {
        String canonical = Ipv6Cidrs.canonical(text, true);
        if (canonical == null) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "Value (%s) for parameter destinationIpv6CidrBlock is invalid. This is not a valid IPv6 CIDR "
                            + "block.", text);
        }
        return canonical;
    }

    /** Checks the one target against the world and the table's VPC. */
    private static Resolved resolve(Tx tx, RouteTable table, Target target) {
        List<String> given = target.given();
        if (given.isEmpty()) {
            throw ErrorCode.MISSING_PARAMETER.format("The request must contain exactly one of %s", TARGETS);
        }
        if (given.size() > 1) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.format(
                    "Only one route target may be specified, but the request names %s.", String.join(", ", given));
        }
        World world = tx.world();
        Caller caller = tx.caller();
        if (target.gatewayId() != null) {
            String id = target.gatewayId();
            InternetGateway igw = id.startsWith("igw-")
                    ? world.find(InternetGateway.class, id).filter(g -> Visibility.visible(world, caller, g))
                            .orElse(null)
                    : null;
            if (igw == null) {
                // Virtual private gateways and the rest are not modelled, so they cannot exist either.
                throw ErrorCode.INVALID_GATEWAY_ID_NOT_FOUND.format("The gateway ID '%s' does not exist", id);
            }
            if (!igw.attachedVpcIds().contains(table.vpcId())) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                        "route table %s and network gateway %s belong to different networks", table.id(), id);
            }
            return new Resolved(id, null, null, null, null, false);
        }
        if (target.natGatewayId() != null) {
            String id = target.natGatewayId();
            Ids.require("nat", id, ErrorCode.NAT_GATEWAY_MALFORMED);
            NatGateway nat = world.find(NatGateway.class, id)
                    .filter(n -> Visibility.visible(world, caller, n) && !NatGateways.gone(n))
                    .orElseThrow(() -> ErrorCode.ROUTE_NAT_GATEWAY_NOT_FOUND.format(
                            "The natGateway ID '%s' does not exist", id));
            if (!nat.vpcId().equals(table.vpcId())) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                        "route table %s and NAT gateway %s belong to different networks", table.id(), id);
            }
            return new Resolved(null, id, null, null, null, true);
        }
        if (target.networkInterfaceId() != null) {
            NetworkInterface eni = Lookup.require(world, caller, Kind.NETWORK_INTERFACE, NetworkInterface.class,
                    target.networkInterfaceId());
            if (!eni.vpcId().equals(table.vpcId())) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                        "route table %s and interface %s belong to different networks", table.id(), eni.id());
            }
            String instanceId = eni.attachment() == null ? null : eni.attachment().instanceId();
            String instanceOwner = instanceId == null ? null : eni.attachment().instanceOwnerId();
            return new Resolved(null, null, eni.id(), instanceId, instanceOwner, true);
        }
        if (target.instanceId() != null) {
            Instance instance = Lookup.require(world, caller, Kind.INSTANCE, Instance.class, target.instanceId());
            if (!table.vpcId().equals(instance.vpcId())) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                        "route table %s and instance %s belong to different networks", table.id(), instance.id());
            }
            if (InstanceStates.TERMINATED.equals(instance.state())
                    || InstanceStates.SHUTTING_DOWN.equals(instance.state())) {
                throw ErrorCode.INCORRECT_INSTANCE_STATE.format(
                        "The instance '%s' is not in a state from which a route can target it.", instance.id());
            }
            long interfaces = NetworkInterfaces.attachedTo(world, instance.id()).size();
            if (interfaces > 1) {
                throw ErrorCode.INVALID_INSTANCE_ID.format("There are multiple interfaces attached to instance "
                        + "'%s'. Please specify an interface ID for the operation instead.", instance.id());
            }
            return new Resolved(null, null, instance.primaryNetworkInterfaceId(), instance.id(), instance.ownerId(),
                    true);
        }
        if (target.vpcPeeringConnectionId() != null) {
            PeeringConnection pcx = PeeringConnections.requireRoutable(tx, table, target.vpcPeeringConnectionId());
            return new Resolved(null, null, null, null, null, false, pcx.id(), null);
        }
        if (target.egressOnlyInternetGatewayId() != null) {
            EgressOnlyInternetGateway eigw = Lookup.require(world, caller, Kind.EGRESS_ONLY_INTERNET_GATEWAY,
                    EgressOnlyInternetGateway.class, target.egressOnlyInternetGatewayId());
            if (!eigw.vpcId().equals(table.vpcId())) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                        "route table %s and network gateway %s belong to different networks", table.id(), eigw.id());
            }
            return new Resolved(null, null, null, null, null, false, null, eigw.id());
        }
        throw ErrorCode.UNSUPPORTED_OPERATION.format("underpass does not yet support routes to a %s.", given.get(0));
    }

    /**
     * A destination inside one of the VPC's blocks but smaller than it overrides local routing; AWS allows that only
     * towards a middlebox (network interface, instance or NAT gateway).
     */
    private static void checkSpecificity(World world, RouteTable table, Destination dest, Resolved target) {
        if (target.egressOnlyInternetGatewayId() != null && dest.ipv6CidrBlock() == null) {
            // An egress-only gateway carries IPv6 only.
            throw ErrorCode.INVALID_PARAMETER_VALUE.format("Route %s cannot target egress-only internet gateway "
                    + "%s: egress-only internet gateways accept IPv6 destinations only.", key(dest),
                    target.egressOnlyInternetGatewayId());
        }
        if (dest.cidrBlock() == null || target.middlebox()) {
            return;
        }
        Cidr wanted = Cidr.parse(dest.cidrBlock());
        Optional<Vpc> vpc = world.find(Vpc.class, table.vpcId());
        for (String block : vpc.map(Vpc::activeCidrs).orElse(List.of())) {
            Cidr c = Cidr.parse(block);
            if (c.contains(wanted)) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format("The destination CIDR block %s is equal to or more "
                        + "specific than one of this VPC's CIDR blocks. This route can target only a network "
                        + "interface, an instance or a NAT gateway.", dest.cidrBlock());
            }
        }
    }

    /**
     * {@code active}, or {@code blackhole} when the target is gone: the internet gateway deleted or detached from
     * the VPC, the egress-only internet gateway deleted, the NAT gateway deleted, the interface deleted or its instance stopped or terminated.
     */
    public static String state(World world, RouteTable table, RouteTable.Route r) {
        if ("local".equals(r.gatewayId()) || isEndpointRoute(r)) {
            return ACTIVE;
        }
        if (r.gatewayId() != null) {
            boolean attached = world.find(InternetGateway.class, r.gatewayId())
                    .map(g -> g.attachedVpcIds().contains(table.vpcId())).orElse(false);
            return attached ? ACTIVE : BLACKHOLE;
        }
        if (r.egressOnlyInternetGatewayId() != null) {
            return world.find(EgressOnlyInternetGateway.class, r.egressOnlyInternetGatewayId())
                    .filter(g -> g.vpcId().equals(table.vpcId())).isPresent() ? ACTIVE : BLACKHOLE;
        }
        if (r.natGatewayId() != null) {
            return world.find(NatGateway.class, r.natGatewayId()).filter(n -> !NatGateways.gone(n)).isPresent()
                    ? ACTIVE : BLACKHOLE;
        }
        if (r.vpcPeeringConnectionId() != null) {
            return PeeringConnections.active(world, r.vpcPeeringConnectionId()) ? ACTIVE : BLACKHOLE;
        }
        String instanceId = r.instanceId();
        if (r.networkInterfaceId() != null) {
            Optional<NetworkInterface> eni = world.find(NetworkInterface.class, r.networkInterfaceId());
            if (eni.isEmpty()) {
                return BLACKHOLE;
            }
            NetworkInterface.Attachment a = eni.get().attachment();
            if (a == null) {
                return eni.get().requesterManaged() ? ACTIVE : BLACKHOLE;
            }
            instanceId = a.instanceId();
        }
        if (instanceId != null) {
            String s = world.find(Instance.class, instanceId).map(Instance::state).orElse(InstanceStates.TERMINATED);
            return s.equals(InstanceStates.PENDING) || s.equals(InstanceStates.RUNNING) ? ACTIVE : BLACKHOLE;
        }
        return ACTIVE;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Associations

    /** Where an association was found: its table and the association itself. */
    public record Found(RouteTable table, RouteTable.Association association) {}

    /** Associates a table with a subnet, or (edge association) with an internet gateway of its VPC. */
    public static RouteTable.Association associate(Tx tx, String routeTableId, String subnetId, String gatewayId) {
        RouteTable table = owned(tx, routeTableId);
        boolean bySubnet = present(subnetId);
        boolean byGateway = present(gatewayId);
        if (bySubnet && byGateway) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.with(
                    "The parameters subnetId and gatewayId cannot be used together.");
        }
        if (!bySubnet && !byGateway) {
            throw ErrorCode.MISSING_PARAMETER.with("The request must contain the parameter subnetId or gatewayId");
        }
        World world = tx.world();
        if (bySubnet) {
            Subnet subnet = Lookup.requireOwned(world, tx.caller(), Kind.SUBNET, Subnet.class, subnetId);
            if (!subnet.vpcId().equals(table.vpcId())) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                        "Route table %s and subnet %s belong to different networks", table.id(), subnet.id());
            }
            boolean taken = !Scoped.inVpc(tx.world(), RouteTable.class, subnet.vpcId(), t -> t.associations()
                    .stream().anyMatch(a -> subnet.id().equals(a.subnetId()))).isEmpty();
            if (taken) {
                throw ErrorCode.RESOURCE_ALREADY_ASSOCIATED.format(
                        "the specified association for route table %s conflicts with an existing association",
                        table.id());
            }
        } else {
            InternetGateway igw = gatewayId.startsWith("igw-")
                    ? world.find(InternetGateway.class, gatewayId)
                            .filter(g -> Visibility.visible(world, tx.caller(), g)).orElse(null)
                    : null;
            if (igw == null) {
                throw ErrorCode.INVALID_GATEWAY_ID_NOT_FOUND.format("The gateway ID '%s' does not exist", gatewayId);
            }
            if (!igw.attachedVpcIds().contains(table.vpcId())) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                        "route table %s and network gateway %s belong to different networks", table.id(), gatewayId);
            }
            boolean taken = !Index.owned(tx.world(), RouteTable.class, igw.ownerId(), igw.region(),
                    t -> t.associations().stream().anyMatch(a -> gatewayId.equals(a.gatewayId()))).isEmpty();
            if (taken) {
                throw ErrorCode.RESOURCE_ALREADY_ASSOCIATED.format(
                        "the specified association for route table %s conflicts with an existing association",
                        table.id());
            }
        }
        RouteTable.Association association = new RouteTable.Association(Ids.next("rtbassoc"),
                bySubnet ? subnetId : null, byGateway ? gatewayId : null, false);
        List<RouteTable.Association> all = new ArrayList<>(table.associations());
        all.add(association);
        tx.put(table.withAssociations(all));
        return association;
    }

    /** Finds an association among the caller's tables, or {@code InvalidAssociationID.NotFound}. */
    public static Found findAssociation(World world, Caller caller, String associationId) {
        if (!present(associationId)) {
            throw ErrorCode.MISSING_PARAMETER.with("The request must contain the parameter associationId");
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
    public static void disassociate(Tx tx, String associationId) {
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
    public static RouteTable.Association replaceAssociation(Tx tx, String associationId, String routeTableId) {
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
        RouteTable.Association moved = new RouteTable.Association(Ids.next("rtbassoc"),
                found.association().subnetId(), found.association().gatewayId(), found.association().main());
        List<RouteTable.Association> all = new ArrayList<>(fresh.associations());
        all.add(moved);
        tx.put(fresh.withAssociations(all));
        return moved;
    }

    /** The VPC's main table, if the VPC exists. */
    public static Optional<RouteTable> main(World world, String vpcId) {
        return Scoped.inVpc(world, RouteTable.class, vpcId, RouteTable::isMain).stream().findFirst();
    }
}
