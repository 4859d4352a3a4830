package dev.underpass.model.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A typed route and AWS's flat shape of it (the wire's and the store's) carry the same route: each target kind fills
 * its own field, and reading the flat shape back gives the typed route again.
 */
class RouteFieldsTest {
    private static final List<RouteTable.Route> ROUTES = List.of(
            RouteTables.localRoute("10.0.0.0/16"),
            RouteTables.localRoute("2600:1F18:0001:0000::/56"),
            RouteTables.route("0.0.0.0/0", new RouteTarget.Igw(InternetGatewayId.of("igw-1"))),
            RouteTables.endpointRoute(PrefixListId.of("pl-63a5400a"), VpcEndpointId.of("vpce-1")),
            RouteTables.route("10.9.0.0/16", new RouteTarget.Nat(NatGatewayId.of("nat-1"))),
            RouteTables.route("10.8.0.0/16",
                    new RouteTarget.Eni(NetworkInterfaceId.of("eni-1"), InstanceId.of("i-1"), "111111111111")),
            RouteTables.route("10.8.0.0/16", new RouteTarget.Eni(NetworkInterfaceId.of("eni-2"), null, null)),
            RouteTables.route("10.7.0.0/16", new RouteTarget.Peering(PeeringConnectionId.of("pcx-1"))),
            RouteTables.route("::/0", new RouteTarget.EgressOnlyIgw(EgressOnlyInternetGatewayId.of("eigw-1"))),
            RouteTables.route("10.6.0.0/16", new RouteTarget.OtherGateway("vgw-1")),
            new RouteTable.Route(AddressSet.of("10.0.0.0/16"), new RouteTarget.Nat(NatGatewayId.of("nat-2")),
                    RouteTable.Route.Origin.CREATE_ROUTE_TABLE, RouteTable.Route.State.BLACKHOLE));

    @Test
    void everyKindOfRoute_survivesItsFlatShape() {
        for (RouteTable.Route r : ROUTES) {
            assertThat(r.fields().route()).as(r.toString()).isEqualTo(r);
        }
    }

    @Test
    void eachTargetFillsItsOwnField() {
        assertThat(ROUTES).extracting(r -> r.fields().gatewayId()).containsExactly("local", "local", "igw-1",
                "vpce-1", null, null, null, null, null, "vgw-1", null);
        RouteTable.Fields instance = ROUTES.get(5).fields();
        assertThat(List.of(instance.networkInterfaceId(), instance.instanceId(), instance.instanceOwnerId()))
                .containsExactly("eni-1", "i-1", "111111111111");
        assertThat(ROUTES.get(1).fields().destinationIpv6CidrBlock()).isEqualTo("2600:1f18:1::/56");
        assertThat(ROUTES.get(3).fields().destinationPrefixListId()).isEqualTo("pl-63a5400a");
        assertThat(ROUTES.get(7).fields().vpcPeeringConnectionId()).isEqualTo("pcx-1");
        assertThat(ROUTES.get(8).fields().egressOnlyInternetGatewayId()).isEqualTo("eigw-1");
    }

    @Test
    void aReplacedLocalRoute_staysLocalByOrigin_andOnlyMiddleboxesAreMiddleboxes() {
        assertThat(RouteTables.isLocal(ROUTES.get(10))).isTrue();
        assertThat(ROUTES).filteredOn(r -> r.target().middlebox()).extracting(r -> r.target().id())
                .containsExactly("nat-1", "eni-1", "eni-2", "nat-2");
        assertThat(ROUTES).filteredOn(RouteTables::isEndpointRoute).extracting(r -> r.target().id())
                .containsExactly("vpce-1");
    }

    @Test
    void aGatewayIdIsReadByItsPrefix() {
        assertThat(RouteTarget.gateway("local")).isEqualTo(new RouteTarget.Local());
        assertThat(RouteTarget.gateway("igw-0a")).isEqualTo(new RouteTarget.Igw(InternetGatewayId.of("igw-0a")));
        assertThat(RouteTarget.gateway("vpce-0a"))
                .isEqualTo(new RouteTarget.GatewayEndpoint(VpcEndpointId.of("vpce-0a")));
        assertThat(RouteTarget.gateway("vgw-0a")).isEqualTo(new RouteTarget.OtherGateway("vgw-0a"));
    }

    @Test
    void aFlatRouteWithoutADestinationOrTarget_isRefused() {
        assertThatThrownBy(() -> new RouteTable.Fields(null, null, null, "local", null, null, null, null, "o", "s",
                null, null).route()).hasMessageContaining("no destination");
        assertThatThrownBy(() -> new RouteTable.Fields("10.0.0.0/16", null, null, null, null, null, null, null, "o",
                "s", null, null).route()).hasMessageContaining("no target");
        assertThatThrownBy(() -> new RouteTarget.Eni(null, null, "111111111111"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
