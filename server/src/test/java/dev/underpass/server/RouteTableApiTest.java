package dev.underpass.server;

import static dev.underpass.server.Ec2Assertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AssociateRouteTableResponse;
import software.amazon.awssdk.services.ec2.model.CreateRouteRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ReplaceRouteRequest;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

class RouteTableApiTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    private final Ec2Client ec2 = UNDERPASS.ec2("444444444444");
    private final Ec2Client other = UNDERPASS.ec2("444444444445");

    private String vpc(String cidr) {
        return ec2.createVpc(r -> r.cidrBlock(cidr)).vpc().vpcId();
    }

    private String subnet(String vpcId, String cidr) {
        return ec2.createSubnet(r -> r.vpcId(vpcId).cidrBlock(cidr).availabilityZone("us-east-1a")).subnet()
                .subnetId();
    }

    private String table(String vpcId) {
        return ec2.createRouteTable(r -> r.vpcId(vpcId)).routeTable().routeTableId();
    }

    private String attachedIgw(String vpcId) {
        String igw = ec2.createInternetGateway(r -> {}).internetGateway().internetGatewayId();
        ec2.attachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpcId));
        return igw;
    }

    private RouteTable describe(String tableId) {
        return ec2.describeRouteTables(r -> r.routeTableIds(tableId)).routeTables().get(0);
    }

    private Route routeTo(String tableId, String destination) {
        return describe(tableId).routes().stream().filter(r -> destination.equals(r.destinationCidrBlock())
                || destination.equals(r.destinationIpv6CidrBlock())).findFirst().orElseThrow();
    }

    private RouteTable mainTable(String vpcId) {
        return ec2.describeRouteTables(r -> r.filters(
                Filter.builder().name("vpc-id").values(vpcId).build(),
                Filter.builder().name("association.main").values("true").build())).routeTables().get(0);
    }

    private void cleanup(String vpcId) {
        TestVpcs.tearDown(ec2, vpcId);
    }

    /** CreateRoute in {@code tableId}, with what {@code route} sets, fails with {@code code}. */
    private void assertCreateRouteFails(String tableId, Consumer<CreateRouteRequest.Builder> route, String code) {
        assertError(() -> ec2.createRoute(r -> route.accept(r.routeTableId(tableId))), code);
    }

    /** ReplaceRoute in {@code tableId}, with what {@code route} sets, fails with {@code code}. */
    private void assertReplaceRouteFails(String tableId, Consumer<ReplaceRouteRequest.Builder> route, String code) {
        assertError(() -> ec2.replaceRoute(r -> route.accept(r.routeTableId(tableId))), code);
    }

    @Test
    void createRouteTable_hasALocalRouteForEveryVpcCidr_andNoAssociations() {
        String vpcId = vpc("10.30.0.0/16");
        try {
            ec2.associateVpcCidrBlock(r -> r.vpcId(vpcId).cidrBlock("10.31.0.0/16"));
            RouteTable created = ec2.createRouteTable(r -> r.vpcId(vpcId).tagSpecifications(TagSpecification
                    .builder().resourceType(ResourceType.ROUTE_TABLE)
                    .tags(Tag.builder().key("Name").value("private").build()).build())).routeTable();

            assertThat(created.routeTableId()).matches("rtb-[0-9a-f]{17}");
            assertThat(created.vpcId()).isEqualTo(vpcId);
            assertThat(created.ownerId()).isEqualTo("444444444444");
            assertThat(created.associations()).isEmpty();
            assertThat(created.tags()).containsExactly(Tag.builder().key("Name").value("private").build());
            assertThat(created.routes()).extracting(Route::destinationCidrBlock)
                    .containsExactly("10.30.0.0/16", "10.31.0.0/16");
            assertThat(created.routes()).allSatisfy(route -> {
                assertThat(route.gatewayId()).isEqualTo("local");
                assertThat(route.originAsString()).isEqualTo("CreateRouteTable");
                assertThat(route.stateAsString()).isEqualTo("active");
            });
            assertThat(describe(created.routeTableId())).isEqualTo(created);
        } finally {
            cleanup(vpcId);
        }
    }

    @Test
    void createRouteTable_unknownOrMalformedVpc_isRefused() {
        assertError(() -> ec2.createRouteTable(r -> r.vpcId("vpc-0123456789abcdef0")), "InvalidVpcID.NotFound");
        assertError(() -> ec2.createRouteTable(r -> r.vpcId("vpc-xyz")), "InvalidVpcId.Malformed");
    }

    @Test
    void createRouteTable_beyondTwoHundredPerVpc_failsWithRouteTableLimitExceeded() {
        String vpcId = vpc("10.32.0.0/16");
        try {
            // The main table counts: 199 more reach the quota of 200.
            for (int i = 0; i < 199; i++) {
                table(vpcId);
            }
            assertError(() -> table(vpcId), "RouteTableLimitExceeded");
        } finally {
            cleanup(vpcId);
        }
    }

    @Test
    void deleteRouteTable_mainOrAssociated_failsWithDependencyViolation_thenSucceedsOnceFree() {
        String vpcId = vpc("10.33.0.0/16");
        try {
            String subnetId = subnet(vpcId, "10.33.1.0/24");
            String tableId = table(vpcId);
            String assoc = ec2.associateRouteTable(r -> r.routeTableId(tableId).subnetId(subnetId)).associationId();

            assertError(() -> ec2.deleteRouteTable(r -> r.routeTableId(mainTable(vpcId).routeTableId())),
                    "DependencyViolation");
            assertError(() -> ec2.deleteRouteTable(r -> r.routeTableId(tableId)), "DependencyViolation");

            ec2.disassociateRouteTable(r -> r.associationId(assoc));
            ec2.deleteRouteTable(r -> r.routeTableId(tableId));
            assertError(() -> describe(tableId), "InvalidRouteTableID.NotFound");
            assertError(() -> ec2.deleteRouteTable(r -> r.routeTableId(tableId)), "InvalidRouteTableID.NotFound");
        } finally {
            cleanup(vpcId);
        }
    }

    @Test
    void describeRouteTables_filtersAndPagination() {
        String vpcId = vpc("10.34.0.0/16");
        try {
            String subnetId = subnet(vpcId, "10.34.1.0/24");
            String tableId = ec2.createRouteTable(r -> r.vpcId(vpcId).tagSpecifications(TagSpecification.builder()
                    .resourceType(ResourceType.ROUTE_TABLE).tags(Tag.builder().key("tier").value("app").build())
                    .build())).routeTable().routeTableId();
            String assoc = ec2.associateRouteTable(r -> r.routeTableId(tableId).subnetId(subnetId)).associationId();
            String igw = attachedIgw(vpcId);
            ec2.createRoute(r -> r.routeTableId(tableId).destinationCidrBlock("0.0.0.0/0").gatewayId(igw));
            for (int i = 0; i < 4; i++) {
                table(vpcId);
            }
            String mainId = mainTable(vpcId).routeTableId();
            Filter inVpc = Filter.builder().name("vpc-id").values(vpcId).build();

            assertThat(ec2.describeRouteTables(r -> r.filters(inVpc)).routeTables()).hasSize(6);
            assertThat(ec2.describeRouteTables(r -> r.filters(inVpc,
                    Filter.builder().name("association.subnet-id").values(subnetId).build())).routeTables())
                    .singleElement().satisfies(t -> {
                        assertThat(t.routeTableId()).isEqualTo(tableId);
                        assertThat(t.associations()).singleElement().satisfies(a -> {
                            assertThat(a.main()).isFalse();
                            assertThat(a.subnetId()).isEqualTo(subnetId);
                            assertThat(a.routeTableAssociationId()).isEqualTo(assoc);
                            assertThat(a.routeTableId()).isEqualTo(tableId);
                            assertThat(a.associationState().stateAsString()).isEqualTo("associated");
                        });
                    });
            assertThat(ec2.describeRouteTables(r -> r.filters(inVpc,
                    Filter.builder().name("association.main").values("false").build())).routeTables())
                    .extracting(RouteTable::routeTableId).containsExactly(tableId);
            assertThat(ec2.describeRouteTables(r -> r.filters(
                    Filter.builder().name("association.route-table-association-id").values(assoc).build()))
                    .routeTables()).extracting(RouteTable::routeTableId).containsExactly(tableId);
            assertThat(ec2.describeRouteTables(r -> r.filters(inVpc,
                    Filter.builder().name("association.route-table-id").values(mainId, tableId).build()))
                    .routeTables()).hasSize(2);
            assertThat(ec2.describeRouteTables(r -> r.filters(
                    Filter.builder().name("route.gateway-id").values(igw).build())).routeTables())
                    .extracting(RouteTable::routeTableId).containsExactly(tableId);
            assertThat(ec2.describeRouteTables(r -> r.filters(inVpc,
                    Filter.builder().name("route.destination-cidr-block").values("0.0.0.0/0").build(),
                    Filter.builder().name("route.origin").values("CreateRoute").build(),
                    Filter.builder().name("route.state").values("active").build())).routeTables())
                    .extracting(RouteTable::routeTableId).containsExactly(tableId);
            assertThat(ec2.describeRouteTables(r -> r.filters(
                    Filter.builder().name("tag:tier").values("app").build(),
                    Filter.builder().name("owner-id").values("444444444444").build(),
                    Filter.builder().name("route-table-id").values("rtb-*").build())).routeTables())
                    .extracting(RouteTable::routeTableId).containsExactly(tableId);

            assertError(() -> ec2.describeRouteTables(r -> r.filters(
                    Filter.builder().name("route.color").values("x").build())), "InvalidParameterValue");
            assertError(() -> ec2.describeRouteTables(r -> r.maxResults(4)), "InvalidParameterValue");
            assertError(() -> ec2.describeRouteTables(r -> r.maxResults(101)), "InvalidParameterValue");
            var firstPage = ec2.describeRouteTables(r -> r.filters(inVpc).maxResults(5));
            assertThat(firstPage.routeTables()).hasSize(5);
            assertThat(firstPage.nextToken()).isNotNull();
            assertThat(ec2.describeRouteTablesPaginator(r -> r.filters(inVpc).maxResults(5)).routeTables()
                    .stream().map(RouteTable::routeTableId).distinct().count()).isEqualTo(6);
        } finally {
            cleanup(vpcId);
        }
    }

    @Test
    void createRoute_toAttachedInternetGateway_isActive_andTurnsBlackholeWhenDetached() {
        String vpcId = vpc("10.35.0.0/16");
        try {
            String tableId = table(vpcId);
            String igw = attachedIgw(vpcId);
            assertThat(ec2.createRoute(r -> r.routeTableId(tableId).destinationCidrBlock("0.0.0.0/0")
                    .gatewayId(igw)).returnValue()).isTrue();
            Route route = routeTo(tableId, "0.0.0.0/0");
            assertThat(route.gatewayId()).isEqualTo(igw);
            assertThat(route.originAsString()).isEqualTo("CreateRoute");
            assertThat(route.stateAsString()).isEqualTo("active");

            ec2.detachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpcId));
            assertThat(routeTo(tableId, "0.0.0.0/0").stateAsString()).isEqualTo("blackhole");
            assertThat(ec2.describeRouteTables(r -> r.filters(
                    Filter.builder().name("route.state").values("blackhole").build())).routeTables())
                    .extracting(RouteTable::routeTableId).containsExactly(tableId);
            ec2.deleteInternetGateway(r -> r.internetGatewayId(igw));
        } finally {
            cleanup(vpcId);
        }
    }

    @Test
    void createRoute_gatewayUnknownOrNotAttached_isRefused() {
        String vpcId = vpc("10.36.0.0/16");
        String otherVpc = vpc("10.37.0.0/16");
        try {
            String tableId = table(vpcId);
            assertCreateRouteFails(tableId, r -> r.destinationCidrBlock("0.0.0.0/0").gatewayId("igw-0123456789abcdef0"),
                    "InvalidGatewayID.NotFound");
            assertCreateRouteFails(tableId, r -> r.destinationCidrBlock("0.0.0.0/0").gatewayId("vgw-0123456789abcdef0"),
                    "InvalidGatewayID.NotFound");
            String detached = ec2.createInternetGateway(r -> {}).internetGateway().internetGatewayId();
            try {
                assertCreateRouteFails(tableId, r -> r.destinationCidrBlock("0.0.0.0/0").gatewayId(detached),
                        "InvalidParameterValue");
                ec2.attachInternetGateway(r -> r.internetGatewayId(detached).vpcId(otherVpc));
                assertCreateRouteFails(tableId, r -> r.destinationCidrBlock("0.0.0.0/0").gatewayId(detached),
                        "InvalidParameterValue");
            } finally {
                cleanup(otherVpc);
                // cleanup(otherVpc) deleted it if it got attached; otherwise it is still here.
                ec2.describeInternetGateways(r -> r.filters(Filter.builder().name("internet-gateway-id")
                        .values(detached).build())).internetGateways()
                        .forEach(g -> ec2.deleteInternetGateway(r -> r.internetGatewayId(detached)));
            }
            assertThat(describe(tableId).routes()).hasSize(1);
        } finally {
            cleanup(vpcId);
        }
    }

    @Test
    void createRoute_missingOrDoubleTargetOrDestination_isRefused() {
        String vpcId = vpc("10.38.0.0/16");
        try {
            String tableId = table(vpcId);
            String igw = attachedIgw(vpcId);
            assertCreateRouteFails(tableId, r -> r.destinationCidrBlock("0.0.0.0/0"), "MissingParameter");
            assertCreateRouteFails(tableId,
                    r -> r.destinationCidrBlock("0.0.0.0/0").gatewayId(igw).natGatewayId("nat-0123456789abcdef0"),
                    "InvalidParameterCombination");
            assertCreateRouteFails(tableId, r -> r.gatewayId(igw), "MissingParameter");
            assertCreateRouteFails(tableId,
                    r -> r.destinationCidrBlock("0.0.0.0/0").destinationIpv6CidrBlock("::/0").gatewayId(igw),
                    "InvalidParameterCombination");
            assertCreateRouteFails(tableId, r -> r.destinationCidrBlock("banana").gatewayId(igw),
                    "InvalidParameterValue");
            assertCreateRouteFails(tableId,
                    r -> r.destinationCidrBlock("0.0.0.0/0").vpcPeeringConnectionId("pcx-0123456789abcdef0"),
                    "InvalidVpcPeeringConnectionID.NotFound");
            assertCreateRouteFails(tableId,
                    r -> r.destinationCidrBlock("0.0.0.0/0").natGatewayId("nat-0123456789abcdef0"),
                    "InvalidNatGatewayID.NotFound");
            assertCreateRouteFails(tableId,
                    r -> r.destinationCidrBlock("0.0.0.0/0").networkInterfaceId("eni-0123456789abcdef0"),
                    "InvalidNetworkInterfaceID.NotFound");
            assertCreateRouteFails(tableId, r -> r.destinationCidrBlock("0.0.0.0/0").instanceId("i-0123456789abcdef0"),
                    "InvalidInstanceID.NotFound");
            assertThat(describe(tableId).routes()).hasSize(1);
        } finally {
            cleanup(vpcId);
        }
    }

    @Test
    void createRoute_duplicateDestination_failsWithRouteAlreadyExists() {
        String vpcId = vpc("10.39.0.0/16");
        try {
            String tableId = table(vpcId);
            String igw = attachedIgw(vpcId);
            ec2.createRoute(r -> r.routeTableId(tableId).destinationCidrBlock("0.0.0.0/0").gatewayId(igw));
            assertCreateRouteFails(tableId, r -> r.destinationCidrBlock("0.0.0.0/0").gatewayId(igw),
                    "RouteAlreadyExists");
            // The local route's destination is taken as well.
            assertCreateRouteFails(tableId, r -> r.destinationCidrBlock("10.39.0.0/16").gatewayId(igw),
                    "RouteAlreadyExists");
        } finally {
            cleanup(vpcId);
        }
    }

    @Test
    void createRoute_canonicalisesDestinations_andAcceptsIpv6() {
        String vpcId = vpc("10.40.0.0/16");
        try {
            String tableId = table(vpcId);
            String igw = attachedIgw(vpcId);
            ec2.createRoute(r -> r.routeTableId(tableId).destinationCidrBlock("100.68.0.18/18").gatewayId(igw));
            ec2.createRoute(r -> r.routeTableId(tableId).destinationIpv6CidrBlock("0:0::0/0").gatewayId(igw));
            ec2.createRoute(r -> r.routeTableId(tableId).destinationIpv6CidrBlock("2001:DB8:0:0:1::/64")
                    .gatewayId(igw));
            assertThat(describe(tableId).routes()).extracting(r -> r.destinationCidrBlock() != null
                    ? r.destinationCidrBlock() : r.destinationIpv6CidrBlock())
                    .containsExactly("10.40.0.0/16", "100.68.0.0/18", "::/0", "2001:db8::/64");
            assertCreateRouteFails(tableId, r -> r.destinationIpv6CidrBlock("10.0.0.0/8").gatewayId(igw),
                    "InvalidParameterValue");
            assertCreateRouteFails(tableId, r -> r.destinationIpv6CidrBlock("::/129").gatewayId(igw),
                    "InvalidParameterValue");
        } finally {
            cleanup(vpcId);
        }
    }

    @Test
    void createRoute_moreSpecificThanTheVpc_isAllowedOnlyTowardsAMiddlebox() {
        String vpcId = vpc("10.41.0.0/16");
        try {
            String subnetId = subnet(vpcId, "10.41.1.0/24");
            String tableId = table(vpcId);
            String igw = attachedIgw(vpcId);
            String nat = ec2.createNatGateway(r -> r.subnetId(subnetId).connectivityType("private")).natGateway()
                    .natGatewayId();
            assertCreateRouteFails(tableId, r -> r.destinationCidrBlock("10.41.2.0/24").gatewayId(igw),
                    "InvalidParameterValue");
            ec2.createRoute(r -> r.routeTableId(tableId).destinationCidrBlock("10.41.2.0/24").natGatewayId(nat));
            // Less specific than the VPC is fine for any target: the local route still wins inside the VPC.
            ec2.createRoute(r -> r.routeTableId(tableId).destinationCidrBlock("10.0.0.0/8").gatewayId(igw));
            assertThat(routeTo(tableId, "10.41.2.0/24").natGatewayId()).isEqualTo(nat);
            assertThat(routeTo(tableId, "10.0.0.0/8").gatewayId()).isEqualTo(igw);
        } finally {
            cleanup(vpcId);
        }
    }

    @Test
    void routeToNatGateway_turnsBlackholeAfterTheNatGatewayIsDeleted() {
        String vpcId = vpc("10.42.0.0/16");
        try {
            String subnetId = subnet(vpcId, "10.42.1.0/24");
            String tableId = table(vpcId);
            String nat = ec2.createNatGateway(r -> r.subnetId(subnetId).connectivityType("private")).natGateway()
                    .natGatewayId();
            ec2.createRoute(r -> r.routeTableId(tableId).destinationCidrBlock("0.0.0.0/0").natGatewayId(nat));
            Route before = routeTo(tableId, "0.0.0.0/0");
            assertThat(before.natGatewayId()).isEqualTo(nat);
            assertThat(before.stateAsString()).isEqualTo("active");
            assertThat(ec2.describeRouteTables(r -> r.filters(
                    Filter.builder().name("route.nat-gateway-id").values(nat).build())).routeTables())
                    .extracting(RouteTable::routeTableId).containsExactly(tableId);

            ec2.deleteNatGateway(r -> r.natGatewayId(nat));

            Route after = routeTo(tableId, "0.0.0.0/0");
            assertThat(after.natGatewayId()).isEqualTo(nat);
            assertThat(after.stateAsString()).isEqualTo("blackhole");
            // A deleted NAT gateway can no longer be a new route's target.
            assertCreateRouteFails(tableId, r -> r.destinationCidrBlock("1.0.0.0/8").natGatewayId(nat),
                    "InvalidNatGatewayID.NotFound");
        } finally {
            cleanup(vpcId);
        }
    }

    @Test
    void createRoute_beyondFiftyRoutes_failsWithRouteLimitExceeded() {
        String vpcId = vpc("10.43.0.0/16");
        try {
            String tableId = table(vpcId);
            String igw = attachedIgw(vpcId);
            for (int i = 0; i < 50; i++) {
                int n = i;
                ec2.createRoute(r -> r.routeTableId(tableId).destinationCidrBlock("192.168." + n + ".0/24")
                        .gatewayId(igw));
            }
            assertCreateRouteFails(tableId, r -> r.destinationCidrBlock("192.168.99.0/24").gatewayId(igw),
                    "RouteLimitExceeded");
            // IPv6 routes are counted apart.
            ec2.createRoute(r -> r.routeTableId(tableId).destinationIpv6CidrBlock("::/0").gatewayId(igw));
        } finally {
            cleanup(vpcId);
        }
    }

    @Test
    void gatewayEndpointRoutes_cannotBeManagedThroughRouteApis() {
        String vpcId = vpc("10.44.0.0/16");
        try {
            String tableId = table(vpcId);
            assertCreateRouteFails(tableId,
                    r -> r.destinationPrefixListId("pl-63a5400a").gatewayId("vpce-0123456789abcdef0"),
                    "InvalidParameterValue");
            assertCreateRouteFails(tableId,
                    r -> r.destinationPrefixListId("prefix").gatewayId("vpce-0123456789abcdef0"),
                    "InvalidPrefixListId.Malformed");
            String igw = ec2.createInternetGateway(r -> {}).internetGateway().internetGatewayId();
            ec2.attachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpcId));
            assertCreateRouteFails(tableId, r -> r.destinationPrefixListId("pl-0123456789abcdef0").gatewayId(igw),
                    "InvalidPrefixListID.NotFound");
            ec2.detachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpcId));
            ec2.deleteInternetGateway(r -> r.internetGatewayId(igw));
            assertThat(describe(tableId).routes()).hasSize(1);
        } finally {
            cleanup(vpcId);
        }
    }

    @Test
    void replaceRoute_changesTheTarget_andRefusesUnknownRoutesAndGatewaysOnTheLocalRoute() {
        String vpcId = vpc("10.45.0.0/16");
        try {
            String subnetId = subnet(vpcId, "10.45.1.0/24");
            String tableId = table(vpcId);
            String igw = attachedIgw(vpcId);
            String nat = ec2.createNatGateway(r -> r.subnetId(subnetId).connectivityType("private")).natGateway()
                    .natGatewayId();
            ec2.createRoute(r -> r.routeTableId(tableId).destinationCidrBlock("0.0.0.0/0").gatewayId(igw));

            ec2.replaceRoute(r -> r.routeTableId(tableId).destinationCidrBlock("0.0.0.0/0").natGatewayId(nat));
            Route replaced = routeTo(tableId, "0.0.0.0/0");
            assertThat(replaced.natGatewayId()).isEqualTo(nat);
            assertThat(replaced.gatewayId()).isNull();
            assertThat(replaced.originAsString()).isEqualTo("CreateRoute");

            assertReplaceRouteFails(tableId, r -> r.destinationCidrBlock("8.8.8.0/24").gatewayId(igw),
                    "InvalidRoute.NotFound");
            assertReplaceRouteFails(tableId, r -> r.destinationCidrBlock("10.45.0.0/16").gatewayId(igw),
                    "InvalidParameterValue");
            assertReplaceRouteFails(tableId, r -> r.destinationCidrBlock("0.0.0.0/0").localTarget(true),
                    "InvalidParameterValue");

            // The local route may point at a middlebox and be restored afterwards.
            ec2.replaceRoute(r -> r.routeTableId(tableId).destinationCidrBlock("10.45.0.0/16").natGatewayId(nat));
            Route middlebox = routeTo(tableId, "10.45.0.0/16");
            assertThat(middlebox.natGatewayId()).isEqualTo(nat);
            assertThat(middlebox.originAsString()).isEqualTo("CreateRouteTable");
            ec2.replaceRoute(r -> r.routeTableId(tableId).destinationCidrBlock("10.45.0.0/16").localTarget(true));
            assertThat(routeTo(tableId, "10.45.0.0/16").gatewayId()).isEqualTo("local");
        } finally {
            cleanup(vpcId);
        }
    }

    @Test
    void replaceRoute_theIpv6LocalRoute_pointsItAtAnInterface_andRestoresIt() {
        String vpcId = ec2.createVpc(r -> r.cidrBlock("10.46.0.0/16").amazonProvidedIpv6CidrBlock(true)).vpc()
                .vpcId();
        try {
            String block = ec2.describeVpcs(r -> r.vpcIds(vpcId)).vpcs().get(0).ipv6CidrBlockAssociationSet().get(0)
                    .ipv6CidrBlock();
            String subnetId = subnet(vpcId, "10.46.1.0/24");
            String eni = ec2.createNetworkInterface(r -> r.subnetId(subnetId)).networkInterface()
                    .networkInterfaceId();
            String tableId = table(vpcId);
            assertThat(routeTo(tableId, block).gatewayId()).isEqualTo("local");

            ec2.replaceRoute(r -> r.routeTableId(tableId).destinationIpv6CidrBlock(block).networkInterfaceId(eni));
            Route middlebox = routeTo(tableId, block);
            assertThat(middlebox.networkInterfaceId()).isEqualTo(eni);
            assertThat(middlebox.gatewayId()).isNull();
            assertThat(middlebox.originAsString()).isEqualTo("CreateRouteTable");

            ec2.replaceRoute(r -> r.routeTableId(tableId).destinationIpv6CidrBlock(block).localTarget(true));
            Route restored = routeTo(tableId, block);
            assertThat(restored.gatewayId()).isEqualTo("local");
            assertThat(restored.networkInterfaceId()).isNull();
            assertThat(restored.destinationCidrBlock()).isNull();
        } finally {
            cleanup(vpcId);
        }
    }

    @Test
    void deleteRoute_removesTheRoute_butNotTheLocalRouteOrAMissingOne() {
        String vpcId = vpc("10.46.0.0/16");
        try {
            String tableId = table(vpcId);
            String igw = attachedIgw(vpcId);
            ec2.createRoute(r -> r.routeTableId(tableId).destinationCidrBlock("0.0.0.0/0").gatewayId(igw));

            ec2.deleteRoute(r -> r.routeTableId(tableId).destinationCidrBlock("0.0.0.0/0"));
            assertThat(describe(tableId).routes()).extracting(Route::destinationCidrBlock)
                    .containsExactly("10.46.0.0/16");
            assertError(() -> ec2.deleteRoute(r -> r.routeTableId(tableId).destinationCidrBlock("0.0.0.0/0")),
                    "InvalidRoute.NotFound");
            assertError(() -> ec2.deleteRoute(r -> r.routeTableId(tableId).destinationCidrBlock("10.46.0.0/16")),
                    "InvalidParameterValue");
            assertError(() -> ec2.deleteRoute(r -> r.routeTableId(tableId)), "MissingParameter");
        } finally {
            cleanup(vpcId);
        }
    }

    @Test
    void associateRouteTable_subnet_returnsAssociation_andRefusesConflictsAndOtherVpcs() {
        String vpcId = vpc("10.47.0.0/16");
        String otherVpc = vpc("10.48.0.0/16");
        try {
            String subnetId = subnet(vpcId, "10.47.1.0/24");
            String foreignSubnet = subnet(otherVpc, "10.48.1.0/24");
            String tableId = table(vpcId);
            String secondId = table(vpcId);

            AssociateRouteTableResponse answer = ec2.associateRouteTable(r -> r.routeTableId(tableId)
                    .subnetId(subnetId));
            assertThat(answer.associationId()).matches("rtbassoc-[0-9a-f]{17}");
            assertThat(answer.associationState().stateAsString()).isEqualTo("associated");

            assertError(() -> ec2.associateRouteTable(r -> r.routeTableId(secondId).subnetId(subnetId)),
                    "Resource.AlreadyAssociated");
            assertError(() -> ec2.associateRouteTable(r -> r.routeTableId(tableId).subnetId(subnetId)),
                    "Resource.AlreadyAssociated");
            assertError(() -> ec2.associateRouteTable(r -> r.routeTableId(tableId).subnetId(foreignSubnet)),
                    "InvalidParameterValue");
            assertError(() -> ec2.associateRouteTable(r -> r.routeTableId(tableId)), "MissingParameter");
            assertError(() -> ec2.associateRouteTable(r -> r.routeTableId(tableId)
                    .subnetId("subnet-0123456789abcdef0")), "InvalidSubnetID.NotFound");

            String mainAssoc = mainTable(vpcId).associations().get(0).routeTableAssociationId();
            assertError(() -> ec2.disassociateRouteTable(r -> r.associationId(mainAssoc)), "InvalidParameterValue");
            assertError(() -> ec2.disassociateRouteTable(r -> r.associationId("rtbassoc-0123456789abcdef0")),
                    "InvalidAssociationID.NotFound");

            ec2.disassociateRouteTable(r -> r.associationId(answer.associationId()));
            assertThat(describe(tableId).associations()).isEmpty();
            assertError(() -> ec2.disassociateRouteTable(r -> r.associationId(answer.associationId())),
                    "InvalidAssociationID.NotFound");
        } finally {
            cleanup(otherVpc);
            cleanup(vpcId);
        }
    }

    @Test
    void associateRouteTable_internetGateway_makesAnEdgeAssociation() {
        String vpcId = vpc("10.49.0.0/16");
        try {
            String tableId = table(vpcId);
            String igw = attachedIgw(vpcId);
            String assoc = ec2.associateRouteTable(r -> r.routeTableId(tableId).gatewayId(igw)).associationId();
            assertThat(describe(tableId).associations()).singleElement().satisfies(a -> {
                assertThat(a.gatewayId()).isEqualTo(igw);
                assertThat(a.subnetId()).isNull();
                assertThat(a.main()).isFalse();
            });
            assertThat(ec2.describeRouteTables(r -> r.filters(
                    Filter.builder().name("association.gateway-id").values(igw).build())).routeTables())
                    .extracting(RouteTable::routeTableId).containsExactly(tableId);
            assertError(() -> ec2.associateRouteTable(r -> r.routeTableId(tableId).gatewayId(igw)),
                    "Resource.AlreadyAssociated");
            assertError(() -> ec2.associateRouteTable(r -> r.routeTableId(tableId).gatewayId(igw)
                    .subnetId("subnet-0123456789abcdef0")), "InvalidParameterCombination");
            ec2.disassociateRouteTable(r -> r.associationId(assoc));
        } finally {
            cleanup(vpcId);
        }
    }

    @Test
    void replaceRouteTableAssociation_movesSubnetAndMainAssociations() {
        String vpcId = vpc("10.50.0.0/16");
        try {
            String subnetId = subnet(vpcId, "10.50.1.0/24");
            String first = table(vpcId);
            String second = table(vpcId);
            String assoc = ec2.associateRouteTable(r -> r.routeTableId(first).subnetId(subnetId)).associationId();

            var moved = ec2.replaceRouteTableAssociation(r -> r.associationId(assoc).routeTableId(second));
            assertThat(moved.newAssociationId()).matches("rtbassoc-[0-9a-f]{17}").isNotEqualTo(assoc);
            assertThat(moved.associationState().stateAsString()).isEqualTo("associated");
            assertThat(describe(first).associations()).isEmpty();
            assertThat(describe(second).associations()).singleElement()
                    .satisfies(a -> assertThat(a.subnetId()).isEqualTo(subnetId));

            RouteTable oldMain = mainTable(vpcId);
            String mainAssoc = oldMain.associations().get(0).routeTableAssociationId();
            var newMain = ec2.replaceRouteTableAssociation(r -> r.associationId(mainAssoc).routeTableId(first));
            assertThat(mainTable(vpcId).routeTableId()).isEqualTo(first);
            assertThat(mainTable(vpcId).associations()).singleElement().satisfies(a -> {
                assertThat(a.main()).isTrue();
                assertThat(a.routeTableAssociationId()).isEqualTo(newMain.newAssociationId());
            });
            // The former main table is an ordinary table now and can go.
            ec2.deleteRouteTable(r -> r.routeTableId(oldMain.routeTableId()));
            assertError(() -> ec2.replaceRouteTableAssociation(r -> r.associationId(mainAssoc).routeTableId(first)),
                    "InvalidAssociationID.NotFound");
        } finally {
            cleanup(vpcId);
        }
    }

    @Test
    void anotherAccount_cannotSeeOrChangeTheRouteTables() {
        String vpcId = vpc("10.51.0.0/16");
        try {
            String subnetId = subnet(vpcId, "10.51.1.0/24");
            String tableId = table(vpcId);
            String assoc = ec2.associateRouteTable(r -> r.routeTableId(tableId).subnetId(subnetId)).associationId();

            assertError(() -> other.describeRouteTables(r -> r.routeTableIds(tableId)),
                    "InvalidRouteTableID.NotFound");
            assertThat(other.describeRouteTables().routeTables()).extracting(RouteTable::routeTableId)
                    .doesNotContain(tableId);
            assertError(() -> other.createRouteTable(r -> r.vpcId(vpcId)), "InvalidVpcID.NotFound");
            assertError(() -> other.createRoute(r -> r.routeTableId(tableId).destinationCidrBlock("0.0.0.0/0")
                    .gatewayId("igw-0123456789abcdef0")), "InvalidRouteTableID.NotFound");
            assertError(() -> other.deleteRoute(r -> r.routeTableId(tableId).destinationCidrBlock("10.51.0.0/16")),
                    "InvalidRouteTableID.NotFound");
            assertError(() -> other.deleteRouteTable(r -> r.routeTableId(tableId)), "InvalidRouteTableID.NotFound");
            assertError(() -> other.disassociateRouteTable(r -> r.associationId(assoc)),
                    "InvalidAssociationID.NotFound");
            assertError(() -> other.replaceRouteTableAssociation(r -> r.associationId(assoc).routeTableId(tableId)),
                    "InvalidAssociationID.NotFound");
            assertThat(describe(tableId).associations()).hasSize(1);
            List<String> otherVpcTables = other.describeRouteTables(r -> r.filters(
                    Filter.builder().name("vpc-id").values(vpcId).build())).routeTables().stream()
                    .map(RouteTable::routeTableId).toList();
            assertThat(otherVpcTables).isEmpty();
        } finally {
            cleanup(vpcId);
        }
    }
}
