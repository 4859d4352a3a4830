package dev.underpass.model.ec2;

import java.util.Objects;

/**
 * What a route sends its traffic to, one type per kind of target underpass models. A route call's target is
 * checked against the world once ({@link RouteTargets#resolve}) and stored as one of these; route resolution (the
 * analyzer, the data plane) switches over them.
 */
public sealed interface RouteTarget {

    /** The id AWS shows for the target ({@code local} for the local route). */
    String id();

    /**
     * Whether the target is a middlebox (a NAT gateway or a network interface, an instance's included): the only
     * targets a route more specific than a VPC block, or a replaced local route, may have.
     */
    default boolean middlebox() {
        return false;
    }

    /**
     * What a route's {@code gatewayId} names: {@code local}, a gateway endpoint ({@code vpce-}), an internet gateway
     * ({@code igw-}), or a gateway underpass does not model.
     */
    static RouteTarget gateway(String gatewayId) {
        if (gatewayId.equals("local")) {
            return new Local();
        }
        if (gatewayId.startsWith("vpce-")) {
            return new GatewayEndpoint(new VpcEndpointId(gatewayId));
        }
        return gatewayId.startsWith("igw-") ? new Igw(new InternetGatewayId(gatewayId)) : new OtherGateway(gatewayId);
    }

    /** The VPC itself: the local route of each VPC block. */
    record Local() implements RouteTarget {
        @Override
        public String id() {
            return "local";
        }
    }

    /** An internet gateway ({@code igw-…}) attached to the table's VPC. */
    record Igw(InternetGatewayId internetGatewayId) implements RouteTarget {
        public Igw {
            Objects.requireNonNull(internetGatewayId, "internetGatewayId");
        }

        @Override
        public String id() {
            return internetGatewayId.value();
        }
    }

    /** A gateway VPC endpoint ({@code vpce-…}); its routes go to the service's prefix list and are its own. */
    record GatewayEndpoint(VpcEndpointId vpcEndpointId) implements RouteTarget {
        public GatewayEndpoint {
            Objects.requireNonNull(vpcEndpointId, "vpcEndpointId");
        }

        @Override
        public String id() {
            return vpcEndpointId.value();
        }
    }

    /** A NAT gateway ({@code nat-…}). */
    record Nat(NatGatewayId natGatewayId) implements RouteTarget {
        public Nat {
            Objects.requireNonNull(natGatewayId, "natGatewayId");
        }

        @Override
        public String id() {
            return natGatewayId.value();
        }

        @Override
        public boolean middlebox() {
            return true;
        }
    }

    /**
     * A network interface ({@code eni-…}), with the instance it is attached to (and that instance's owner) when the
     * route named the instance or the interface was attached when the route was made.
     */
    record Eni(NetworkInterfaceId networkInterfaceId, InstanceId instanceId, String instanceOwnerId)
            implements RouteTarget {
        public Eni {
            if (networkInterfaceId == null && instanceId == null) {
                throw new IllegalArgumentException("a route to an interface names an interface or an instance");
            }
        }

        @Override
        public String id() {
            return networkInterfaceId != null ? networkInterfaceId.value() : instanceId.value();
        }

        @Override
        public boolean middlebox() {
            return true;
        }
    }

    /** A VPC peering connection ({@code pcx-…}). */
    record Peering(PeeringConnectionId peeringConnectionId) implements RouteTarget {
        public Peering {
            Objects.requireNonNull(peeringConnectionId, "peeringConnectionId");
        }

        @Override
        public String id() {
            return peeringConnectionId.value();
        }
    }

    /** An egress-only internet gateway ({@code eigw-…}), for IPv6 destinations only. */
    record EgressOnlyIgw(EgressOnlyInternetGatewayId egressOnlyInternetGatewayId) implements RouteTarget {
        public EgressOnlyIgw {
            Objects.requireNonNull(egressOnlyInternetGatewayId, "egressOnlyInternetGatewayId");
        }

        @Override
        public String id() {
            return egressOnlyInternetGatewayId.value();
        }
    }

    /**
     * A gateway underpass does not model, such as a virtual private gateway ({@code vgw-…}): no route call makes
     * one, but the analyzer explains a route to it as a component it does not follow, and it is never active.
     */
    record OtherGateway(String id) implements RouteTarget {
        public OtherGateway {
            Objects.requireNonNull(id, "id");
        }
    }
}
