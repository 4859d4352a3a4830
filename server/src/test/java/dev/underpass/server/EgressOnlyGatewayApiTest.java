package dev.underpass.server;

import static dev.underpass.server.Ec2Assertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.model.ec2.Quotas;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.EgressOnlyInternetGateway;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/** Egress-only internet gateways and the IPv6 routes to them, through the SDK. */
class EgressOnlyGatewayApiTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    @RegisterExtension
    static final UnderpassExtension ONE_GATEWAY = UnderpassExtension.withQuotas(Quotas.defaults()
            .with("egress-only-internet-gateways-per-region", 1));

    private static String dualStackVpc(Ec2Client ec2, String cidr) {
        return ec2.createVpc(r -> r.cidrBlock(cidr).amazonProvidedIpv6CidrBlock(true)).vpc().vpcId();
    }

    /** Creates an egress-only internet gateway for the VPC and answers its id. */
    private static String eigw(Ec2Client ec2, String vpcId) {
        return ec2.createEgressOnlyInternetGateway(r -> r.vpcId(vpcId)).egressOnlyInternetGateway()
                .egressOnlyInternetGatewayId();
    }

    private static Route routeTo(Ec2Client ec2, String tableId, String destination) {
        return ec2.describeRouteTables(r -> r.routeTableIds(tableId)).routeTables().get(0).routes().stream()
                .filter(r -> destination.equals(r.destinationIpv6CidrBlock())).findFirst().orElseThrow();
    }

    @Test
    void createEgressOnlyInternetGateway_isAttachedToItsVpc_andDescribed() {
        Ec2Client ec2 = UNDERPASS.ec2("420000000001");
        String vpcId = dualStackVpc(ec2, "10.90.0.0/16");
        try {
            EgressOnlyInternetGateway eigw = ec2.createEgressOnlyInternetGateway(r -> r.vpcId(vpcId)
                    .clientToken("token-1").tagSpecifications(TagSpecification.builder()
                            .resourceType(ResourceType.EGRESS_ONLY_INTERNET_GATEWAY)
                            .tags(Tag.builder().key("Name").value("v6-out").build()).build()))
                    .egressOnlyInternetGateway();
            assertThat(eigw.egressOnlyInternetGatewayId()).matches("eigw-0[0-9a-f]{16}");
            assertThat(eigw.attachments()).singleElement().satisfies(a -> {
                assertThat(a.vpcId()).isEqualTo(vpcId);
                assertThat(a.stateAsString()).isEqualTo("attached");
            });
            assertThat(eigw.tags()).containsExactly(Tag.builder().key("Name").value("v6-out").build());
            assertThat(ec2.describeEgressOnlyInternetGateways(r -> r.egressOnlyInternetGatewayIds(
                    eigw.egressOnlyInternetGatewayId())).egressOnlyInternetGateways()).containsExactly(eigw);
            assertThat(ec2.describeEgressOnlyInternetGateways(r -> r.filters(Filter.builder().name("tag:Name")
                    .values("v6-out").build())).egressOnlyInternetGateways())
                    .extracting(EgressOnlyInternetGateway::egressOnlyInternetGatewayId)
                    .containsExactly(eigw.egressOnlyInternetGatewayId());
            assertThat(ec2.describeTags(r -> r.filters(Filter.builder().name("resource-id")
                    .values(eigw.egressOnlyInternetGatewayId()).build())).tags())
                    .singleElement().satisfies(t -> assertThat(t.resourceTypeAsString())
                            .isEqualTo("egress-only-internet-gateway"));

            // One per VPC; the VPC cannot go while it has one.
            assertError(() -> ec2.createEgressOnlyInternetGateway(r -> r.vpcId(vpcId)), "InvalidParameterValue");
            assertError(() -> ec2.deleteVpc(r -> r.vpcId(vpcId)), "DependencyViolation");

            assertThat(ec2.deleteEgressOnlyInternetGateway(r -> r.egressOnlyInternetGatewayId(
                    eigw.egressOnlyInternetGatewayId())).returnCode()).isTrue();
            assertError(() -> ec2.describeEgressOnlyInternetGateways(r -> r.egressOnlyInternetGatewayIds(
                    eigw.egressOnlyInternetGatewayId())), "InvalidEgressOnlyInternetGatewayId.NotFound");
            assertError(() -> ec2.deleteEgressOnlyInternetGateway(r -> r.egressOnlyInternetGatewayId(
                    eigw.egressOnlyInternetGatewayId())), "InvalidEgressOnlyInternetGatewayId.NotFound");
        } finally {
            TestVpcs.tearDown(ec2, vpcId);
        }
    }

    @Test
    void egressOnlyGatewayCalls_badInput_getAwsErrors() {
        Ec2Client ec2 = UNDERPASS.ec2("420000000002");
        assertError(() -> ec2.createEgressOnlyInternetGateway(r -> {}), "MissingParameter");
        assertError(() -> ec2.createEgressOnlyInternetGateway(r -> r.vpcId("vpc-0123456789abcdef0")),
                "InvalidVpcID.NotFound");
        assertError(() -> ec2.createEgressOnlyInternetGateway(r -> r.vpcId("vpc-x")), "InvalidVpcId.Malformed");
        assertError(() -> ec2.deleteEgressOnlyInternetGateway(r -> r.egressOnlyInternetGatewayId("eigw-x")),
                "InvalidEgressOnlyInternetGatewayId.Malformed");
        assertError(() -> ec2.describeEgressOnlyInternetGateways(r -> r.egressOnlyInternetGatewayIds(
                "eigw-0123456789abcdef0")), "InvalidEgressOnlyInternetGatewayId.NotFound");
        assertError(() -> ec2.describeEgressOnlyInternetGateways(r -> r.maxResults(1)), "InvalidParameterValue");
        assertError(() -> ec2.describeEgressOnlyInternetGateways(r -> r.filters(Filter.builder().name("vpc")
                .values("x").build())), "InvalidParameterValue");
        assertThat(ec2.describeEgressOnlyInternetGateways().egressOnlyInternetGateways()).isEmpty();
    }

    @Test
    void ipv6Routes_toTheGateway_areActive_thenBlackholeWhenItIsDeleted() {
        Ec2Client ec2 = UNDERPASS.ec2("420000000003");
        String vpcId = dualStackVpc(ec2, "10.91.0.0/16");
        String otherVpc = dualStackVpc(ec2, "10.92.0.0/16");
        try {
            String eigw = eigw(ec2, vpcId);
            String foreignEigw = eigw(ec2, otherVpc);
            String table = ec2.createRouteTable(r -> r.vpcId(vpcId)).routeTable().routeTableId();
            ec2.createRoute(r -> r.routeTableId(table).destinationIpv6CidrBlock("::/0")
                    .egressOnlyInternetGatewayId(eigw));
            Route route = routeTo(ec2, table, "::/0");
            assertThat(route.egressOnlyInternetGatewayId()).isEqualTo(eigw);
            assertThat(route.gatewayId()).isNull();
            assertThat(route.stateAsString()).isEqualTo("active");
            assertThat(route.originAsString()).isEqualTo("CreateRoute");
            assertThat(ec2.describeRouteTables(r -> r.filters(Filter.builder()
                    .name("route.egress-only-internet-gateway-id").values(eigw).build())).routeTables())
                    .extracting(t -> t.routeTableId()).containsExactly(table);

            assertError(() -> ec2.createRoute(r -> r.routeTableId(table).destinationCidrBlock("0.0.0.0/0")
                    .egressOnlyInternetGatewayId(eigw)), "InvalidParameterValue");
            assertError(() -> ec2.createRoute(r -> r.routeTableId(table).destinationIpv6CidrBlock("2001:db8::/32")
                    .egressOnlyInternetGatewayId(foreignEigw)), "InvalidParameterValue");
            assertError(() -> ec2.createRoute(r -> r.routeTableId(table).destinationIpv6CidrBlock("2001:db8::/32")
                    .egressOnlyInternetGatewayId("eigw-0123456789abcdef0")),
                    "InvalidEgressOnlyInternetGatewayId.NotFound");
            assertError(() -> ec2.createRoute(r -> r.routeTableId(table).destinationIpv6CidrBlock("2001:db8::/32")
                    .egressOnlyInternetGatewayId(eigw).gatewayId("igw-0123456789abcdef0")),
                    "InvalidParameterCombination");

            // ReplaceRoute moves an IPv6 route to the gateway from another target.
            String igw = ec2.createInternetGateway(r -> {}).internetGateway().internetGatewayId();
            ec2.attachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpcId));
            ec2.createRoute(r -> r.routeTableId(table).destinationIpv6CidrBlock("2001:db8::/32").gatewayId(igw));
            ec2.replaceRoute(r -> r.routeTableId(table).destinationIpv6CidrBlock("2001:db8::/32")
                    .egressOnlyInternetGatewayId(eigw));
            assertThat(routeTo(ec2, table, "2001:db8::/32").egressOnlyInternetGatewayId()).isEqualTo(eigw);
            assertThat(routeTo(ec2, table, "2001:db8::/32").gatewayId()).isNull();

            ec2.deleteEgressOnlyInternetGateway(r -> r.egressOnlyInternetGatewayId(eigw));
            assertThat(routeTo(ec2, table, "::/0").stateAsString()).isEqualTo("blackhole");
            assertThat(routeTo(ec2, table, "::/0").egressOnlyInternetGatewayId()).isEqualTo(eigw);
            ec2.deleteRoute(r -> r.routeTableId(table).destinationIpv6CidrBlock("::/0"));
        } finally {
            TestVpcs.tearDown(ec2, vpcId);
            TestVpcs.tearDown(ec2, otherVpc);
        }
    }

    @Test
    void gatewaysAndTheirRoutes_surviveARestart(@TempDir Path dataDir) {
        record Made(String eigw, String table) {}
        TestStore.acrossARestart(dataDir, "420000000006", ec2 -> {
            String vpcId = dualStackVpc(ec2, "10.96.0.0/16");
            String eigw = eigw(ec2, vpcId);
            String table = ec2.createRouteTable(r -> r.vpcId(vpcId)).routeTable().routeTableId();
            ec2.createRoute(r -> r.routeTableId(table).destinationIpv6CidrBlock("::/0")
                    .egressOnlyInternetGatewayId(eigw));
            return new Made(eigw, table);
        }, (ec2, made) -> {
            assertThat(ec2.describeEgressOnlyInternetGateways(r -> r.egressOnlyInternetGatewayIds(made.eigw()))
                    .egressOnlyInternetGateways()).hasSize(1);
            Route route = routeTo(ec2, made.table(), "::/0");
            assertThat(route.egressOnlyInternetGatewayId()).isEqualTo(made.eigw());
            assertThat(route.stateAsString()).isEqualTo("active");
        });
    }

    @Test
    void quotaAndIsolation() {
        Ec2Client ec2 = ONE_GATEWAY.ec2("420000000004");
        Ec2Client stranger = ONE_GATEWAY.ec2("420000000005");
        String a = dualStackVpc(ec2, "10.93.0.0/16");
        String b = dualStackVpc(ec2, "10.94.0.0/16");
        try {
            String eigw = eigw(ec2, a);
            assertError(() -> ec2.createEgressOnlyInternetGateway(r -> r.vpcId(b)),
                    "EgressOnlyInternetGatewayLimitExceeded");
            assertThat(stranger.describeEgressOnlyInternetGateways().egressOnlyInternetGateways()).isEmpty();
            assertError(() -> stranger.describeEgressOnlyInternetGateways(r -> r.egressOnlyInternetGatewayIds(eigw)),
                    "InvalidEgressOnlyInternetGatewayId.NotFound");
            assertError(() -> stranger.deleteEgressOnlyInternetGateway(r -> r.egressOnlyInternetGatewayId(eigw)),
                    "InvalidEgressOnlyInternetGatewayId.NotFound");
            assertError(() -> stranger.createEgressOnlyInternetGateway(r -> r.vpcId(a)), "InvalidVpcID.NotFound");
            String strangerVpc = dualStackVpc(stranger, "10.95.0.0/16");
            String strangerTable = stranger.createRouteTable(r -> r.vpcId(strangerVpc)).routeTable().routeTableId();
            assertError(() -> stranger.createRoute(r -> r.routeTableId(strangerTable).destinationIpv6CidrBlock("::/0")
                    .egressOnlyInternetGatewayId(eigw)), "InvalidEgressOnlyInternetGatewayId.NotFound");
            TestVpcs.tearDown(stranger, strangerVpc);
        } finally {
            TestVpcs.tearDown(ec2, a);
            TestVpcs.tearDown(ec2, b);
        }
    }
}
