package dev.underpass.server;

import dev.underpass.model.ec2.VpcId;
import static dev.underpass.server.Ec2Assertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.aws.ec2.Ec2Api;
import dev.underpass.model.AccountRegion;
import dev.underpass.model.Caller;
import dev.underpass.model.Regions;
import dev.underpass.model.World;
import dev.underpass.model.ec2.DefaultVpcs;
import dev.underpass.model.ec2.InternetGateway;
import dev.underpass.model.ec2.NetworkAcl;
import dev.underpass.model.ec2.Quotas;
import dev.underpass.model.ec2.RouteTable;
import dev.underpass.model.ec2.SecurityGroup;
import dev.underpass.model.ec2.Visibility;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AvailabilityZone;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ec2.model.VpcAttributeName;

/** The default VPC every account gets in every region, and CreateDefaultVpc / CreateDefaultSubnet. */
class DefaultVpcTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    @RegisterExtension
    static final UnderpassExtension WITHOUT_DEFAULTS = new UnderpassExtension(ServerConfig.forTests()
            .withEc2(new Ec2Api.Settings(Duration.ZERO, false, Quotas.defaults())));

    private static World world() {
        return UNDERPASS.server().store().world();
    }

    private static Vpc onlyVpc(Ec2Client ec2) {
        List<Vpc> vpcs = ec2.describeVpcs().vpcs();
        assertThat(vpcs).hasSize(1);
        return vpcs.get(0);
    }

    private static List<Subnet> subnetsOf(Ec2Client ec2, String vpcId) {
        return ec2.describeSubnets(r -> r.filters(Filter.builder().name("vpc-id").values(vpcId).build()))
                .subnets().stream().sorted(Comparator.comparing(Subnet::availabilityZone)).toList();
    }

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource({"100000000001, us-east-1", "100000000001, eu-west-1", "100000000002, us-east-1",
        "100000000002, eu-west-1"})
    void firstRequest_inARegion_findsTheDefaultVpcLaidOutAsAwsDoes(String account, String region) {
        Ec2Client ec2 = UNDERPASS.ec2(account, region);

        Vpc vpc = onlyVpc(ec2);
        assertThat(vpc.isDefault()).isTrue();
        assertThat(vpc.cidrBlock()).isEqualTo("172.31.0.0/16");
        assertThat(vpc.stateAsString()).isEqualTo("available");
        assertThat(vpc.ownerId()).isEqualTo(account);
        assertThat(vpc.instanceTenancyAsString()).isEqualTo("default");
        assertThat(vpc.cidrBlockAssociationSet()).singleElement()
                .satisfies(a -> assertThat(a.cidrBlock()).isEqualTo("172.31.0.0/16"));
        assertThat(ec2.describeVpcAttribute(r -> r.vpcId(vpc.vpcId())
                .attribute(VpcAttributeName.ENABLE_DNS_HOSTNAMES)).enableDnsHostnames().value()).isTrue();
        assertThat(ec2.describeVpcAttribute(r -> r.vpcId(vpc.vpcId())
                .attribute(VpcAttributeName.ENABLE_DNS_SUPPORT)).enableDnsSupport().value()).isTrue();
        assertThat(ec2.describeVpcs(r -> r.filters(Filter.builder().name("is-default").values("true").build()))
                .vpcs()).extracting(Vpc::vpcId).containsExactly(vpc.vpcId());

        // One default subnet per zone, /20s from the bottom of the block in zone order.
        List<String> zones = ec2.describeAvailabilityZones().availabilityZones().stream()
                .map(AvailabilityZone::zoneName).sorted().toList();
        assertThat(zones).hasSize(region.equals("us-east-1") ? 6 : 3);
        List<Subnet> subnets = subnetsOf(ec2, vpc.vpcId());
        assertThat(subnets).extracting(Subnet::availabilityZone).containsExactlyElementsOf(zones);
        for (int i = 0; i < subnets.size(); i++) {
            Subnet s = subnets.get(i);
            assertThat(s.cidrBlock()).isEqualTo("172.31." + (16 * i) + ".0/20");
            assertThat(s.defaultForAz()).isTrue();
            assertThat(s.mapPublicIpOnLaunch()).isTrue();
            assertThat(s.availableIpAddressCount()).isEqualTo(4091);
            assertThat(s.stateAsString()).isEqualTo("available");
            assertThat(s.ownerId()).isEqualTo(account);
            assertThat(s.availabilityZoneId())
                    .isEqualTo(Regions.zone(region, s.availabilityZone()).orElseThrow().zoneId());
        }
        assertThat(ec2.describeSubnets(r -> r.filters(Filter.builder().name("default-for-az").values("true")
                .build())).subnets()).hasSize(zones.size());

        assertThat(ec2.describeAccountAttributes(r -> r.attributeNamesWithStrings("default-vpc"))
                .accountAttributes()).singleElement().satisfies(a -> assertThat(a.attributeValues())
                        .singleElement().satisfies(v -> assertThat(v.attributeValue()).isEqualTo(vpc.vpcId())));

        // Gateway, routes, group and ACL: checked on the stored state, whatever APIs this build has for them.
        Caller caller = Caller.of(account, region);
        World w = world();
        List<InternetGateway> igws = w.all(InternetGateway.class, g -> Visibility.owns(caller, g));
        assertThat(igws).singleElement()
                .satisfies(g -> assertThat(g.attachedVpcIds()).containsExactly(VpcId.of(vpc.vpcId())));
        String igwId = igws.get(0).id();
        assertThat(igwId).matches("igw-[0-9a-f]{17}");
        List<RouteTable> tables = w.all(RouteTable.class, t -> t.vpcId().value().equals(vpc.vpcId()));
        assertThat(tables).singleElement().satisfies(t -> {
            assertThat(t.isMain()).isTrue();
            assertThat(t.associations()).singleElement().satisfies(a -> assertThat(a.subnetId()).isNull());
            assertThat(t.routes()).extracting(RouteTable.Route::fields).extracting(
                    RouteTable.Fields::destinationCidrBlock, RouteTable.Fields::gatewayId, RouteTable.Fields::origin,
                    RouteTable.Fields::state)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("172.31.0.0/16", "local", "CreateRouteTable",
                                    "active"),
                            org.assertj.core.groups.Tuple.tuple("0.0.0.0/0", igwId, "CreateRoute", "active"));
        });
        assertThat(w.all(SecurityGroup.class, g -> g.vpcId().value().equals(vpc.vpcId()))).singleElement()
                .satisfies(g -> {
                    assertThat(g.groupName()).isEqualTo("default");
                    assertThat(g.isDefault()).isTrue();
                });
        assertThat(w.all(NetworkAcl.class, a -> a.vpcId().value().equals(vpc.vpcId()))).singleElement()
                .satisfies(a -> {
                    assertThat(a.isDefault()).isTrue();
                    assertThat(a.associations()).extracting(x -> x.subnetId().value())
                            .containsExactlyInAnyOrderElementsOf(subnets.stream().map(Subnet::subnetId).toList());
                });
    }

    @Test
    void eachAccountAndRegion_hasItsOwnDefaultVpc_invisibleToOtherAccounts() {
        Ec2Client east = UNDERPASS.ec2("100000000003", "us-east-1");
        Ec2Client west = UNDERPASS.ec2("100000000003", "eu-west-1");
        Ec2Client other = UNDERPASS.ec2("100000000004", "us-east-1");
        String eastId = onlyVpc(east).vpcId();
        String westId = onlyVpc(west).vpcId();
        String otherId = onlyVpc(other).vpcId();

        assertThat(Set.of(eastId, westId, otherId)).hasSize(3);
        assertError(() -> other.describeVpcs(r -> r.vpcIds(eastId)), "InvalidVpcID.NotFound", 400);
        assertError(() -> east.describeVpcs(r -> r.vpcIds(westId)), "InvalidVpcID.NotFound", 400);
        assertError(() -> other.deleteVpc(r -> r.vpcId(eastId)), "InvalidVpcID.NotFound", 400);
    }

    @Test
    void concurrentFirstRequests_createExactlyOneDefaultVpc() throws Exception {
        String account = "100000000005";
        Ec2Client ec2 = UNDERPASS.ec2(account, "us-east-1");
        int threads = 16;
        CyclicBarrier start = new CyclicBarrier(threads);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Vpc>>> answers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                answers.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return ec2.describeVpcs().vpcs();
                }));
            }
            for (Future<List<Vpc>> answer : answers) {
                List<Vpc> vpcs = answer.get(60, TimeUnit.SECONDS);
                assertThat(vpcs).hasSize(1);
                seen.add(vpcs.get(0).vpcId());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(seen).hasSize(1);
        Caller caller = Caller.of(account, "us-east-1");
        World w = world();
        assertThat(w.all(dev.underpass.model.ec2.Vpc.class, v -> Visibility.owns(caller, v))).hasSize(1);
        assertThat(w.all(dev.underpass.model.ec2.Subnet.class, s -> Visibility.owns(caller, s))).hasSize(6);
        assertThat(w.all(InternetGateway.class, g -> Visibility.owns(caller, g))).hasSize(1);
        assertThat(w.all(AccountRegion.class, m -> Visibility.owns(caller, m))).hasSize(1);
    }

    @Test
    void deletedDefaultVpc_staysGone_untilCreateDefaultVpcBringsItBack() {
        String account = "100000000006";
        Ec2Client ec2 = UNDERPASS.ec2(account, "us-east-1");
        Vpc original = onlyVpc(ec2);
        for (Subnet s : subnetsOf(ec2, original.vpcId())) {
            ec2.deleteSubnet(r -> r.subnetId(s.subnetId()));
        }
        assertError(() -> ec2.deleteVpc(r -> r.vpcId(original.vpcId())), "DependencyViolation", 400);
        // Detach and delete the gateway (through the domain: the gateway API is not part of this change).
        UNDERPASS.server().store().writeAndWait(Caller.of(account, "us-east-1"), tx -> {
            tx.all(InternetGateway.class, g -> Visibility.owns(tx.caller(), g)).forEach(tx::remove);
            return null;
        });
        ec2.deleteVpc(r -> r.vpcId(original.vpcId()));

        assertThat(ec2.describeVpcs().vpcs()).isEmpty();
        assertThat(ec2.describeAccountAttributes(r -> r.attributeNamesWithStrings("default-vpc"))
                .accountAttributes().get(0).attributeValues().get(0).attributeValue()).isEqualTo("none");
        assertError(() -> ec2.createDefaultSubnet(r -> r.availabilityZone("us-east-1a")), "DefaultVpcDoesNotExist",
                400);

        Vpc created = ec2.createDefaultVpc(r -> {}).vpc();
        assertThat(created.vpcId()).isNotEqualTo(original.vpcId());
        assertThat(created.isDefault()).isTrue();
        assertThat(created.cidrBlock()).isEqualTo("172.31.0.0/16");
        assertThat(created.stateAsString()).isEqualTo("pending");
        assertThat(onlyVpc(ec2).vpcId()).isEqualTo(created.vpcId());
        assertThat(subnetsOf(ec2, created.vpcId())).hasSize(6).allSatisfy(s -> {
            assertThat(s.defaultForAz()).isTrue();
            assertThat(s.mapPublicIpOnLaunch()).isTrue();
        });
        assertThat(world().all(InternetGateway.class, g -> g.attachedVpcIds().contains(VpcId.of(created.vpcId()))))
                .hasSize(1);

        assertThatThrownBy(() -> ec2.createDefaultVpc(r -> {})).isInstanceOfSatisfying(Ec2Exception.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("DefaultVpcAlreadyExists");
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorMessage())
                    .isEqualTo("A Default VPC already exists for this account in this region.");
        });
        assertThat(ec2.describeVpcs().vpcs()).hasSize(1);
    }

    @Test
    void createDefaultSubnet_inAZoneWithoutOne_takesTheLowestFreeSlash20() {
        Ec2Client ec2 = UNDERPASS.ec2("100000000007", "us-east-1");
        Vpc vpc = onlyVpc(ec2);
        List<Subnet> subnets = subnetsOf(ec2, vpc.vpcId());
        Subnet c = subnets.get(2);
        assertThat(c.availabilityZone()).isEqualTo("us-east-1c");
        ec2.deleteSubnet(r -> r.subnetId(c.subnetId()));

        Subnet again = ec2.createDefaultSubnet(r -> r.availabilityZone("us-east-1c")).subnet();
        assertThat(again.subnetId()).isNotEqualTo(c.subnetId());
        assertThat(again.vpcId()).isEqualTo(vpc.vpcId());
        assertThat(again.cidrBlock()).isEqualTo("172.31.32.0/20");
        assertThat(again.availabilityZoneId()).isEqualTo("use1-az4");
        assertThat(again.defaultForAz()).isTrue();
        assertThat(again.mapPublicIpOnLaunch()).isTrue();
        assertThat(again.availableIpAddressCount()).isEqualTo(4091);

        // With the bottom /20 partly taken by a subnet of the user's, the next default subnet goes above the rest.
        Subnet a = subnets.get(0);
        ec2.deleteSubnet(r -> r.subnetId(a.subnetId()));
        ec2.createSubnet(r -> r.vpcId(vpc.vpcId()).cidrBlock("172.31.0.0/24").availabilityZone("us-east-1a"));
        Subnet placed = ec2.createDefaultSubnet(r -> r.availabilityZoneId("use1-az1")).subnet();
        assertThat(placed.availabilityZone()).isEqualTo("us-east-1a");
        assertThat(placed.cidrBlock()).isEqualTo("172.31.96.0/20");
        assertThat(ec2.describeSubnets(r -> r.filters(Filter.builder().name("default-for-az").values("true")
                .build())).subnets()).hasSize(6);
    }

    @Test
    void createDefaultSubnet_badRequests_failWithAwsErrors() {
        Ec2Client ec2 = UNDERPASS.ec2("100000000008", "us-east-1");
        onlyVpc(ec2);
        assertError(() -> ec2.createDefaultSubnet(r -> r.availabilityZone("us-east-1b")),
                "DefaultSubnetAlreadyExistsInAvailabilityZone", 400);
        assertError(() -> ec2.createDefaultSubnet(r -> r.availabilityZoneId("use1-az2")),
                "DefaultSubnetAlreadyExistsInAvailabilityZone", 400);
        assertError(() -> ec2.createDefaultSubnet(r -> {}), "MissingParameter", 400);
        assertError(() -> ec2.createDefaultSubnet(r -> r.availabilityZone("us-east-1b").availabilityZoneId("use1-az2")),
                "InvalidParameterCombination", 400);
        assertError(() -> ec2.createDefaultSubnet(r -> r.availabilityZone("us-east-1z")), "InvalidParameterValue",
                400);
        assertError(() -> ec2.createDefaultSubnet(r -> r.availabilityZone("use1-az2")), "InvalidParameterValue",
                400);
        assertThat(ec2.describeSubnets().subnets()).hasSize(6);
    }

    @Test
    void defaultVpc_countsAgainstTheQuotaOfFiveVpcs() {
        Ec2Client ec2 = UNDERPASS.ec2("100000000009", "us-east-1");
        for (int i = 0; i < 4; i++) {
            int n = i;
            ec2.createVpc(r -> r.cidrBlock("10." + n + ".0.0/16"));
        }
        assertError(() -> ec2.createVpc(r -> r.cidrBlock("10.9.0.0/16")), "VpcLimitExceeded", 400);
        assertThat(ec2.describeVpcs().vpcs()).hasSize(5).filteredOn(Vpc::isDefault).hasSize(1);
    }

    @Test
    void noDefaultVpcs_accountsStartEmpty_butCreateDefaultVpcStillWorks() {
        Ec2Client ec2 = WITHOUT_DEFAULTS.ec2("100000000010", "us-east-1");
        assertThat(ec2.describeVpcs().vpcs()).isEmpty();
        assertThat(ec2.describeSubnets().subnets()).isEmpty();
        assertThat(ec2.describeAccountAttributes(r -> r.attributeNamesWithStrings("default-vpc"))
                .accountAttributes().get(0).attributeValues().get(0).attributeValue()).isEqualTo("none");
        assertError(() -> ec2.createDefaultSubnet(r -> r.availabilityZone("us-east-1a")), "DefaultVpcDoesNotExist",
                400);

        Vpc vpc = ec2.createDefaultVpc(r -> {}).vpc();
        assertThat(vpc.isDefault()).isTrue();
        assertThat(subnetsOf(ec2, vpc.vpcId())).extracting(Subnet::cidrBlock).containsExactly("172.31.0.0/20",
                "172.31.16.0/20", "172.31.32.0/20", "172.31.48.0/20", "172.31.64.0/20", "172.31.80.0/20");
        assertError(() -> ec2.createDefaultVpc(r -> {}), "DefaultVpcAlreadyExists", 400);
    }

    @Test
    void serveCommand_noDefaultVpcsFlag_isParsed() {
        picocli.CommandLine.ParseResult on =
                dev.underpass.server.cli.Main.commandLine().parseArgs("serve", "--no-default-vpcs");
        assertThat(on.subcommand().matchedOptionValue("--no-default-vpcs", false)).isTrue();
        if (System.getenv("UNDERPASS_NO_DEFAULT_VPCS") == null) {
            picocli.CommandLine.ParseResult off = dev.underpass.server.cli.Main.commandLine().parseArgs("serve");
            assertThat(off.subcommand().commandSpec().findOption("--no-default-vpcs").<Boolean>getValue()).isFalse();
        }
    }

    @Test
    void defaultVpc_survivesARestart_andIsNotCreatedTwice(@TempDir Path dir) {
        TestStore.acrossARestart(dir,
                server -> onlyVpc(TestClients.ec2(server.endpoint(), "100000000011", "eu-west-1")).vpcId(),
                (server, first) -> {
                    assertThat(DefaultVpcs.isSetUp(server.store().world(), Caller.of("100000000011", "eu-west-1")))
                            .isTrue();
                    Ec2Client ec2 = TestClients.ec2(server.endpoint(), "100000000011", "eu-west-1");
                    assertThat(onlyVpc(ec2).vpcId()).isEqualTo(first);
                    assertThat(ec2.describeSubnets().subnets()).hasSize(3);
                });
    }
}
