package dev.underpass.model.ec2;

import static dev.underpass.model.ec2.RouteTable.Route.State.ACTIVE;
import static dev.underpass.model.ec2.RouteTable.Route.State.BLACKHOLE;

import dev.underpass.model.Caller;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a route may point at: the one target of a route call checked against the world and the table's VPC
 * (internet, NAT and egress-only gateways, interfaces, instances, peering connections), and, once stored, whether
 * that target is still there.
 *
 * <p>A route's {@code state} is not stored: {@link #state} derives {@code active} or {@code blackhole} from the world
 * when the route is described, so deleting a NAT gateway, detaching an internet gateway or deleting an interface
 * needs no bookkeeping in the tables that point at it. Split from {@link Routes} (the route calls) because both
 * the calls and Describe need it.
 */
public final class RouteTargets {
    private RouteTargets() {}

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

    /** Checks the one target against the world and the table's VPC. */
    static RouteTarget resolve(Tx tx, RouteTable table, Target target) {
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
            return new RouteTarget.Igw(
                    attachedInternetGateway(world, caller, table, target.gatewayId()).internetGatewayId());
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
            return new RouteTarget.Nat(nat.natGatewayId());
        }
        if (target.networkInterfaceId() != null) {
            NetworkInterface eni = Lookup.require(world, caller, Kind.NETWORK_INTERFACE, NetworkInterface.class,
                    target.networkInterfaceId());
            if (!eni.vpcId().equals(table.vpcId())) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                        "route table %s and interface %s belong to different networks", table.id(), eni.id());
            }
            InstanceId instanceId = eni.attachment() == null ? null : eni.attachment().instanceId();
            String instanceOwner = instanceId == null ? null : eni.attachment().instanceOwnerId();
            return new RouteTarget.Eni(eni.networkInterfaceId(), instanceId, instanceOwner);
        }
        if (target.instanceId() != null) {
            Instance instance = Lookup.require(world, caller, Kind.INSTANCE, Instance.class, target.instanceId());
            if (!table.vpcId().equals(instance.vpcId())) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                        "route table %s and instance %s belong to different networks", table.id(), instance.id());
            }
            if (InstanceState.TERMINATED.equals(instance.state())
                    || InstanceState.SHUTTING_DOWN.equals(instance.state())) {
                throw ErrorCode.INCORRECT_INSTANCE_STATE.format(
                        "The instance '%s' is not in a state from which a route can target it.", instance.id());
            }
            long interfaces = NetworkInterfaces.attachedTo(world, instance.instanceId()).size();
            if (interfaces > 1) {
                throw ErrorCode.INVALID_INSTANCE_ID.format("There are multiple interfaces attached to instance "
                        + "'%s'. Please specify an interface ID for the operation instead.", instance.id());
            }
            return new RouteTarget.Eni(instance.primaryNetworkInterfaceId(), instance.instanceId(), instance.ownerId());
        }
        if (target.vpcPeeringConnectionId() != null) {
            PeeringConnection pcx = PeeringConnections.requireRoutable(tx, table,
                    PeeringConnectionId.of(target.vpcPeeringConnectionId()));
            return new RouteTarget.Peering(pcx.peeringConnectionId());
        }
        if (target.egressOnlyInternetGatewayId() != null) {
            EgressOnlyInternetGateway eigw = Lookup.require(world, caller, Kind.EGRESS_ONLY_INTERNET_GATEWAY,
                    EgressOnlyInternetGateway.class, target.egressOnlyInternetGatewayId());
            if (!eigw.vpcId().equals(table.vpcId())) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                        "route table %s and network gateway %s belong to different networks", table.id(), eigw.id());
            }
            return new RouteTarget.EgressOnlyIgw(eigw.egressOnlyInternetGatewayId());
        }
        throw ErrorCode.UNSUPPORTED_OPERATION.format("underpass does not yet support routes to a %s.", given.get(0));
    }

    /**
     * The internet gateway a route or an edge association names, which must be attached to the table's VPC. Only
     * internet gateways are modelled, so any other gateway id (a virtual private gateway, say) does not exist.
     */
    static InternetGateway attachedInternetGateway(World world, Caller caller, RouteTable table, String gatewayId) {
        InternetGateway igw = gatewayId.startsWith("igw-")
                ? world.find(InternetGateway.class, gatewayId).filter(g -> Visibility.visible(world, caller, g))
                        .orElse(null)
                : null;
        if (igw == null) {
            throw ErrorCode.INVALID_GATEWAY_ID_NOT_FOUND.format("The gateway ID '%s' does not exist", gatewayId);
        }
        if (!igw.attachedVpcIds().contains(table.vpcId())) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "route table %s and network gateway %s belong to different networks", table.id(), gatewayId);
        }
        return igw;
    }

    /**
     * {@code active}, or {@code blackhole} when the target is gone: the internet gateway deleted or detached from
     * the VPC, the egress-only internet gateway deleted, the NAT gateway deleted, the interface deleted or its
     * instance stopped or terminated.
     */
    public static RouteTable.Route.State state(World world, RouteTable table, RouteTable.Route r) {
        return switch (r.target()) {
            case RouteTarget.Local t -> ACTIVE;
            case RouteTarget.GatewayEndpoint t -> ACTIVE;
            case RouteTarget.Igw t -> world.find(InternetGateway.class, t.internetGatewayId())
                    .filter(g -> g.attachedVpcIds().contains(table.vpcId())).isPresent() ? ACTIVE : BLACKHOLE;
            case RouteTarget.EgressOnlyIgw t ->
                world.find(EgressOnlyInternetGateway.class, t.egressOnlyInternetGatewayId())
                        .filter(g -> g.vpcId().equals(table.vpcId())).isPresent() ? ACTIVE : BLACKHOLE;
            case RouteTarget.Nat t -> world.find(NatGateway.class, t.natGatewayId()).filter(n -> !NatGateways.gone(n))
                    .isPresent() ? ACTIVE : BLACKHOLE;
            case RouteTarget.Peering t ->
                PeeringConnections.active(world, t.peeringConnectionId()) ? ACTIVE : BLACKHOLE;
            case RouteTarget.Eni t -> interfaceState(world, t);
            case RouteTarget.OtherGateway t -> BLACKHOLE;
        };
    }

    /** An interface route is active while the interface exists and its instance (if any) is pending or running. */
    private static RouteTable.Route.State interfaceState(World world, RouteTarget.Eni t) {
        InstanceId instanceId = t.instanceId();
        if (t.networkInterfaceId() != null) {
            Optional<NetworkInterface> eni = world.find(NetworkInterface.class, t.networkInterfaceId());
            if (eni.isEmpty()) {
                return BLACKHOLE;
            }
            NetworkInterface.Attachment a = eni.get().attachment();
            if (a == null) {
                return eni.get().requesterManaged() ? ACTIVE : BLACKHOLE;
            }
            instanceId = a.instanceId();
        }
        if (instanceId == null) {
            return ACTIVE;
        }
        InstanceState s = world.find(Instance.class, instanceId).map(Instance::state)
                .orElse(InstanceState.TERMINATED);
        return s.equals(InstanceState.PENDING) || s.equals(InstanceState.RUNNING) ? ACTIVE : BLACKHOLE;
    }
}
