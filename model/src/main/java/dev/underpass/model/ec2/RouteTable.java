package dev.underpass.model.ec2;

import dev.underpass.model.AwsNamed;
import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.net.Cidr;
import java.util.List;
import java.util.Objects;
import java.util.Map;

/**
 * A route table of a VPC. The main table carries an association with {@code main=true} and no subnet; explicit
 * associations name a subnet (or a gateway, for edge associations).
 */
public record RouteTable(
        String id,
        String ownerId,
        String region,
        VpcId vpcId,
        List<Route> routes,
        List<Association> associations,
        Map<String, String> tags)
        implements Resource {

    /**
     * One route: a destination, a target, its {@code origin} ({@code CreateRouteTable} for the local routes, which
     * keep it when they are pointed at a middlebox, and {@code CreateRoute} for the others, gateway-endpoint routes
     * included, as AWS reports them) and its {@code state} ({@code active}; Describe works out {@code blackhole}).
     *
     * <p>It is stored in AWS's flat shape ({@link Fields}), which routes stored before the typed model also have.
     */
    public record Route(AddressSet destination, RouteTarget target, Origin origin, State state) {
        public Route {
            Objects.requireNonNull(destination, "destination");
            Objects.requireNonNull(target, "target");
        }

        /** Which call made the route, by AWS's names. */
        public enum Origin implements AwsNamed {
            CREATE_ROUTE_TABLE,
            CREATE_ROUTE,
            ENABLE_VGW_ROUTE_PROPAGATION;

            /** AWS's name, as the API and the store write it and messages quote it. */
            @JsonValue
            @Override
            public String toString() {
                return Spelling.PASCAL.of(this);
            }
        }

        /** Whether the route's target is there ({@code active}) or gone ({@code blackhole}), by AWS's names. */
        public enum State implements AwsNamed {
            ACTIVE,
            BLACKHOLE;

            /** AWS's name, as the API and the store write it and messages quote it. */
            @JsonValue
            @Override
            public String toString() {
                return Spelling.KEBAB.of(this);
            }
        }

        public Route withState(State newState) {
            return new Route(destination, target, origin, newState);
        }

        /** The route in AWS's flat shape: one field per kind of destination and target, the others null. */
        @JsonValue
        public Fields fields() {
            String v4 = destination instanceof AddressSet.Ipv4 d ? d.text() : null;
            String v6 = destination instanceof AddressSet.Ipv6 d ? d.text() : null;
            String pl = destination instanceof AddressSet.PrefixList d ? d.text() : null;
            String origin = this.origin == null ? null : this.origin.wire();
            String state = this.state == null ? null : this.state.wire();
            return switch (target) {
                case RouteTarget.Local t -> new Fields(v4, v6, pl, t.id(), null, null, null, null, origin, state, null,
                        null);
                case RouteTarget.Igw t -> new Fields(v4, v6, pl, t.id(), null, null, null, null, origin, state, null,
                        null);
                case RouteTarget.GatewayEndpoint t -> new Fields(v4, v6, pl, t.id(), null, null, null, null, origin,
                        state, null, null);
                case RouteTarget.OtherGateway t -> new Fields(v4, v6, pl, t.id(), null, null, null, null, origin,
                        state, null, null);
                case RouteTarget.Nat t -> new Fields(v4, v6, pl, null, t.id(), null, null, null, origin, state, null,
                        null);
                case RouteTarget.Eni t ->
                    new Fields(v4, v6, pl, null, null, NetworkInterfaceId.text(t.networkInterfaceId()),
                            InstanceId.text(t.instanceId()),
                            t.instanceOwnerId(), origin, state, null, null);
                case RouteTarget.Peering t -> new Fields(v4, v6, pl, null, null, null, null, null, origin, state,
                        t.id(), null);
                case RouteTarget.EgressOnlyIgw t -> new Fields(v4, v6, pl, null, null, null, null, null, origin,
                        state, null, t.id());
            };
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Route fromFields(Fields f) {
            return f.route();
        }
    }

    /**
     * A route as AWS's API and the store write it: exactly one destination field and one target (an instance route
     * fills both {@code networkInterfaceId} and {@code instanceId}; {@code gatewayId} holds {@code local}, an
     * {@code igw-} or a gateway endpoint's {@code vpce-}).
     */
    public record Fields(
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

        /** The typed route; throws {@link IllegalArgumentException} when no destination or no target is set. */
        public Route route() {
            AddressSet d;
            if (destinationCidrBlock != null) {
                d = new AddressSet.Ipv4(Cidr.parse(destinationCidrBlock));
            } else if (destinationIpv6CidrBlock != null) {
                d = new AddressSet.Ipv6(destinationIpv6CidrBlock);
            } else if (destinationPrefixListId != null) {
                d = new AddressSet.PrefixList(new PrefixListId(destinationPrefixListId));
            } else {
                throw new IllegalArgumentException("a route with no destination");
            }
            return new Route(d, target(), named(Route.Origin.values(), origin, "origin"),
                    named(Route.State.values(), state, "state"));
        }

        /** The constant AWS calls {@code name} (null stays null); an unknown name is a broken row. */
        private static <E extends Enum<E> & AwsNamed> E named(E[] values, String name, String what) {
            if (name == null) {
                return null;
            }
            E e = AwsNamed.find(values, name);
            if (e == null) {
                throw new IllegalArgumentException("a route with an unknown " + what + ": " + name);
            }
            return e;
        }

        private RouteTarget target() {
            if (vpcPeeringConnectionId != null) {
                return new RouteTarget.Peering(PeeringConnectionId.of(vpcPeeringConnectionId));
            }
            if (egressOnlyInternetGatewayId != null) {
                return new RouteTarget.EgressOnlyIgw(EgressOnlyInternetGatewayId.of(egressOnlyInternetGatewayId));
            }
            if (natGatewayId != null) {
                return new RouteTarget.Nat(NatGatewayId.of(natGatewayId));
            }
            if (networkInterfaceId != null || instanceId != null) {
                return new RouteTarget.Eni(NetworkInterfaceId.of(networkInterfaceId), InstanceId.of(instanceId),
                        instanceOwnerId);
            }
            if (gatewayId == null) {
                throw new IllegalArgumentException("a route with no target");
            }
            return RouteTarget.gateway(gatewayId);
        }
    }

    /** A subnet (or main) association, {@code rtbassoc-…}. */
    public record Association(RouteTableAssociationId associationId, SubnetId subnetId, InternetGatewayId gatewayId,
            boolean main) {}

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

    /** This table's id, typed as gateway endpoints refer to it. */
    public RouteTableId routeTableId() {
        return new RouteTableId(id);
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
