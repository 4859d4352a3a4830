package dev.underpass.server;

import static dev.underpass.server.Ec2Assertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.model.ec2.NetworkInterface;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.InternetGateway;
import software.amazon.awssdk.services.ec2.model.NatGateway;
import software.amazon.awssdk.services.ec2.model.NatGatewayAddress;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

class GatewayApiTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    private final Ec2Client ec2 = UNDERPASS.ec2("333333333333");
    private final Ec2Client other = UNDERPASS.ec2("333333333334");

    private String vpc(String cidr) {
        return ec2.createVpc(r -> r.cidrBlock(cidr)).vpc().vpcId();
    }

    private String subnet(String vpcId, String cidr, String zone) {
        return ec2.createSubnet(r -> r.vpcId(vpcId).cidrBlock(cidr).availabilityZone(zone)).subnet().subnetId();
    }

    private int freeAddresses(String subnetId) {
        return ec2.describeSubnets(r -> r.subnetIds(subnetId)).subnets().get(0).availableIpAddressCount();
    }

    private NatGateway describeNat(String natId) {
        return ec2.describeNatGateways(r -> r.natGatewayIds(natId)).natGateways().get(0);
    }

    /** This test's {@code n}-th Elastic IP, allocated on first use and released after the test. */
    private String allocation(int n) {
        return allocations.computeIfAbsent(n, k -> ec2.allocateAddress(r -> {}).allocationId());
    }

    private final Map<Integer, String> allocations = new HashMap<>();

    @AfterEach
    void releaseAddresses() {
        allocations.values().forEach(id -> ec2.releaseAddress(r -> r.allocationId(id)));
    }

    // Internet gateways

    private void cleanup(String vpcId) {
        TestVpcs.tearDown(ec2, vpcId);
    }

    @Test
    void createInternetGateway_returnsADetachedGatewayWithItsTags() {
        InternetGateway igw = ec2.createInternetGateway(r -> r.tagSpecifications(TagSpecification.builder()
                .resourceType(ResourceType.INTERNET_GATEWAY).tags(Tag.builder().key("Name").value("edge").build())
                .build())).internetGateway();
        try {
            assertThat(igw.internetGatewayId()).matches("igw-[0-9a-f]{17}");
            assertThat(igw.ownerId()).isEqualTo("333333333333");
            assertThat(igw.attachments()).isEmpty();
            assertThat(igw.tags()).containsExactly(Tag.builder().key("Name").value("edge").build());
            assertThat(ec2.describeInternetGateways(r -> r.internetGatewayIds(igw.internetGatewayId()))
                    .internetGateways()).containsExactly(igw);
            assertThat(ec2.describeInternetGateways(r -> r.filters(
                    Filter.builder().name("tag:Name").values("edge").build(),
                    Filter.builder().name("owner-id").values("333333333333").build())).internetGateways())
                    .extracting(InternetGateway::internetGatewayId).containsExactly(igw.internetGatewayId());
        } finally {
            ec2.deleteInternetGateway(r -> r.internetGatewayId(igw.internetGatewayId()));
        }
        assertError(() -> ec2.describeInternetGateways(r -> r.internetGatewayIds(igw.internetGatewayId())),
                "InvalidInternetGatewayID.NotFound");
        assertError(() -> ec2.describeInternetGateways(r -> r.internetGatewayIds("igw-nope")),
                "InvalidInternetGatewayId.Malformed");
    }

    @Test
    void internetGateway_attachDetachDelete_followsAwsRules() {
        String vpcA = vpc("10.60.0.0/16");
        String vpcB = vpc("10.61.0.0/16");
        String igw = ec2.createInternetGateway(r -> {}).internetGateway().internetGatewayId();
        String second = ec2.createInternetGateway(r -> {}).internetGateway().internetGatewayId();
        try {
            ec2.attachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpcA));
            InternetGateway attached = ec2.describeInternetGateways(r -> r.internetGatewayIds(igw))
                    .internetGateways().get(0);
            assertThat(attached.attachments()).singleElement().satisfies(a -> {
                assertThat(a.vpcId()).isEqualTo(vpcA);
                assertThat(a.stateAsString()).isEqualTo("available");
            });
            assertThat(ec2.describeInternetGateways(r -> r.filters(
                    Filter.builder().name("attachment.vpc-id").values(vpcA).build(),
                    Filter.builder().name("attachment.state").values("available").build())).internetGateways())
                    .extracting(InternetGateway::internetGatewayId).containsExactly(igw);
            assertThat(ec2.describeInternetGateways(r -> r.filters(
                    Filter.builder().name("internet-gateway-id").values(second).build(),
                    Filter.builder().name("attachment.state").values("available").build())).internetGateways())
                    .isEmpty();

            // One VPC per gateway, one gateway per VPC.
            assertError(() -> ec2.attachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpcB)),
                    "Resource.AlreadyAssociated");
            assertError(() -> ec2.attachInternetGateway(r -> r.internetGatewayId(second).vpcId(vpcA)),
                    "Resource.AlreadyAssociated");
            assertError(() -> ec2.deleteInternetGateway(r -> r.internetGatewayId(igw)), "DependencyViolation");
            assertError(() -> ec2.detachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpcB)),
                    "Gateway.NotAttached");
            assertError(() -> ec2.detachInternetGateway(r -> r.internetGatewayId(second).vpcId(vpcA)),
                    "Gateway.NotAttached");
            assertError(() -> ec2.attachInternetGateway(r -> r.internetGatewayId(second)
                    .vpcId("vpc-0123456789abcdef0")), "InvalidVpcID.NotFound");
            assertError(() -> ec2.attachInternetGateway(r -> r.internetGatewayId("igw-0123456789abcdef0")
                    .vpcId(vpcB)), "InvalidInternetGatewayID.NotFound");
            // A VPC with an internet gateway cannot be deleted.
            assertError(() -> ec2.deleteVpc(r -> r.vpcId(vpcA)), "DependencyViolation");

            ec2.detachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpcA));
            assertThat(ec2.describeInternetGateways(r -> r.internetGatewayIds(igw)).internetGateways().get(0)
                    .attachments()).isEmpty();
            ec2.attachInternetGateway(r -> r.internetGatewayId(second).vpcId(vpcA));
            ec2.detachInternetGateway(r -> r.internetGatewayId(second).vpcId(vpcA));
        } finally {
            ec2.deleteInternetGateway(r -> r.internetGatewayId(igw));
            ec2.deleteInternetGateway(r -> r.internetGatewayId(second));
            cleanup(vpcA);
            cleanup(vpcB);
        }
        assertError(() -> ec2.deleteInternetGateway(r -> r.internetGatewayId(igw)),
                "InvalidInternetGatewayID.NotFound");
    }

    @Test
    void createInternetGateway_beyondFivePerRegion_failsWithInternetGatewayLimitExceeded() {
        Ec2Client quota = UNDERPASS.ec2("333333333335");
        List<String> created = new ArrayList<>();
        // The default VPC's gateway already counts against the quota.
        int room = 5 - quota.describeInternetGateways().internetGateways().size();
        assertThat(room).isEqualTo(4);
        try {
            for (int i = 0; i < room; i++) {
                created.add(quota.createInternetGateway(r -> {}).internetGateway().internetGatewayId());
            }
            assertError(() -> quota.createInternetGateway(r -> {}), "InternetGatewayLimitExceeded");
            // The quota is per region.
            Ec2Client west = UNDERPASS.ec2("333333333335", "us-west-2");
            String elsewhere = west.createInternetGateway(r -> {}).internetGateway().internetGatewayId();
            west.deleteInternetGateway(r -> r.internetGatewayId(elsewhere));
        } finally {
            created.forEach(id -> quota.deleteInternetGateway(r -> r.internetGatewayId(id)));
        }
        // Deleting one frees a place.
        String again = quota.createInternetGateway(r -> {}).internetGateway().internetGatewayId();
        quota.deleteInternetGateway(r -> r.internetGatewayId(again));
    }

    @Test
    void describeInternetGateways_paginatesWithinFiveToAThousand() {
        List<String> created = new ArrayList<>();
        int room = 5 - ec2.describeInternetGateways().internetGateways().size();
        try {
            for (int i = 0; i < room; i++) {
                created.add(ec2.createInternetGateway(r -> {}).internetGateway().internetGatewayId());
            }
            assertError(() -> ec2.describeInternetGateways(r -> r.maxResults(4)), "InvalidParameterValue");
            assertError(() -> ec2.describeInternetGateways(r -> r.maxResults(1001)), "InvalidParameterValue");
            assertError(() -> ec2.describeInternetGateways(r -> r.filters(
                    Filter.builder().name("attachment.color").values("x").build())), "InvalidParameterValue");
            assertThat(ec2.describeInternetGatewaysPaginator(r -> r.maxResults(5)).internetGateways().stream()
                    .map(InternetGateway::internetGatewayId)).containsAll(created);
        } finally {
            created.forEach(id -> ec2.deleteInternetGateway(r -> r.internetGatewayId(id)));
        }
    }

    // NAT gateways

    @Test
    void createNatGateway_public_takesAnAddressOfTheSubnet_andBecomesAvailable() {
        String vpcId = vpc("10.62.0.0/16");
        try {
            String subnetId = subnet(vpcId, "10.62.1.0/24", "us-east-1a");
            int before = freeAddresses(subnetId);
            NatGateway created = ec2.createNatGateway(r -> r.subnetId(subnetId).allocationId(allocation(1))
                    .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.NATGATEWAY)
                            .tags(Tag.builder().key("Name").value("egress").build()).build()))
                    .natGateway();

            assertThat(created.natGatewayId()).matches("nat-[0-9a-f]{17}");
            assertThat(created.stateAsString()).isEqualTo("pending");
            assertThat(created.connectivityTypeAsString()).isEqualTo("public");
            assertThat(created.subnetId()).isEqualTo(subnetId);
            assertThat(created.vpcId()).isEqualTo(vpcId);
            assertThat(created.createTime()).isNotNull();
            assertThat(created.tags()).containsExactly(Tag.builder().key("Name").value("egress").build());
            NatGatewayAddress address = created.natGatewayAddresses().get(0);
            assertThat(address.allocationId()).isEqualTo(allocation(1));
            String eipAddress = ec2.describeAddresses(r -> r.allocationIds(allocation(1))).addresses().get(0)
                    .publicIp();
            assertThat(address.publicIp()).isEqualTo(eipAddress).startsWith("198.18.");
            assertThat(address.privateIp()).isEqualTo("10.62.1.4");
            assertThat(address.networkInterfaceId()).matches("eni-[0-9a-f]{17}");
            assertThat(address.isPrimary()).isTrue();
            assertThat(address.statusAsString()).isEqualTo("succeeded");
            assertThat(freeAddresses(subnetId)).isEqualTo(before - 1);

            NetworkInterface eni = UNDERPASS.server().store().world()
                    .find(NetworkInterface.class, address.networkInterfaceId()).orElseThrow();
            assertThat(eni.interfaceType()).isEqualTo("nat_gateway");
            assertThat(eni.requesterManaged()).isTrue();
            assertThat(eni.description()).isEqualTo("Interface for NAT Gateway " + created.natGatewayId());
            assertThat(eni.primaryIp()).isEqualTo("10.62.1.4");
            assertThat(eni.sourceDestCheck()).isFalse();

            NatGateway described = describeNat(created.natGatewayId());
            assertThat(described.stateAsString()).isEqualTo("available");
            assertThat(described.natGatewayAddresses()).singleElement()
                    .satisfies(a -> assertThat(a.publicIp()).isEqualTo(address.publicIp()));

            // A second gateway takes the next address and another public address.
            NatGateway second = ec2.createNatGateway(r -> r.subnetId(subnetId).allocationId(allocation(2)))
                    .natGateway();
            assertThat(second.natGatewayAddresses().get(0).privateIp()).isEqualTo("10.62.1.5");
            assertThat(second.natGatewayAddresses().get(0).publicIp()).isNotEqualTo(address.publicIp());
            assertThat(freeAddresses(subnetId)).isEqualTo(before - 2);
        } finally {
            cleanup(vpcId);
        }
    }

    @Test
    void createNatGateway_private_hasNoPublicAddress() {
        String vpcId = vpc("10.63.0.0/16");
        try {
            String subnetId = subnet(vpcId, "10.63.1.0/24", "us-east-1a");
            NatGateway nat = ec2.createNatGateway(r -> r.subnetId(subnetId).connectivityType("private")
                    .privateIpAddress("10.63.1.50")).natGateway();
            assertThat(nat.connectivityTypeAsString()).isEqualTo("private");
            assertThat(nat.natGatewayAddresses()).singleElement().satisfies(a -> {
                assertThat(a.allocationId()).isNull();
                assertThat(a.publicIp()).isNull();
                assertThat(a.privateIp()).isEqualTo("10.63.1.50");
            });
        } finally {
            cleanup(vpcId);
        }
    }

    @Test
    void createNatGateway_badParameters_areRefused() {
        String vpcId = vpc("10.64.0.0/16");
        try {
            String subnetId = subnet(vpcId, "10.64.1.0/24", "us-east-1a");
            assertError(() -> ec2.createNatGateway(r -> r.subnetId(subnetId)), "MissingParameter");
            assertError(() -> ec2.createNatGateway(r -> r.subnetId(subnetId).connectivityType("private")
                    .allocationId(allocation(3))), "InvalidParameterCombination");
            assertError(() -> ec2.createNatGateway(r -> r.subnetId(subnetId).allocationId("eip-1")),
                    "InvalidAllocationID.Malformed");
            assertError(() -> ec2.createNatGateway(r -> r.subnetId(subnetId).connectivityType("sideways")),
                    "InvalidParameterValue");
            assertError(() -> ec2.createNatGateway(r -> r.subnetId(subnetId).connectivityType("Private")),
                    "InvalidParameterValue",
                    "Value (Private) for parameter connectivityType is invalid. Valid values: public, private");
            assertError(() -> ec2.createNatGateway(r -> r.subnetId("subnet-0123456789abcdef0")
                    .allocationId(allocation(3))), "InvalidSubnetID.NotFound");
            assertError(() -> ec2.createNatGateway(r -> r.allocationId(allocation(3))), "MissingParameter");
            assertError(() -> ec2.createNatGateway(r -> r.subnetId(subnetId).connectivityType("private")
                    .privateIpAddress("10.64.1.1")), "InvalidParameterValue");
            ec2.createNatGateway(r -> r.subnetId(subnetId).allocationId(allocation(3)));
            assertError(() -> ec2.createNatGateway(r -> r.subnetId(subnetId).allocationId(allocation(3))),
                    "Resource.AlreadyAssociated");
            assertThat(ec2.describeNatGateways(r -> r.filter(Filter.builder().name("vpc-id").values(vpcId).build()))
                    .natGateways()).hasSize(1);
        } finally {
            cleanup(vpcId);
        }
    }

    @Test
    void deleteNatGateway_releasesTheAddress_andStaysVisibleAsDeleted() {
        String vpcId = vpc("10.65.0.0/16");
        try {
            String subnetId = subnet(vpcId, "10.65.1.0/24", "us-east-1a");
            int before = freeAddresses(subnetId);
            NatGateway nat = ec2.createNatGateway(r -> r.subnetId(subnetId).allocationId(allocation(4)))
                    .natGateway();
            String eniId = nat.natGatewayAddresses().get(0).networkInterfaceId();
            // The subnet cannot go while the gateway lives.
            assertError(() -> ec2.deleteSubnet(r -> r.subnetId(subnetId)), "DependencyViolation");

            assertThat(ec2.deleteNatGateway(r -> r.natGatewayId(nat.natGatewayId())).natGatewayId())
                    .isEqualTo(nat.natGatewayId());

            NatGateway deleted = describeNat(nat.natGatewayId());
            assertThat(deleted.stateAsString()).isEqualTo("deleted");
            assertThat(deleted.deleteTime()).isNotNull();
            assertThat(freeAddresses(subnetId)).isEqualTo(before);
            assertThat(UNDERPASS.server().store().world().find(NetworkInterface.class, eniId)).isEmpty();
            assertThat(ec2.describeNatGateways(r -> r.filter(Filter.builder().name("state").values("deleted")
                    .build(), Filter.builder().name("vpc-id").values(vpcId).build())).natGateways())
                    .extracting(NatGateway::natGatewayId).containsExactly(nat.natGatewayId());
            // Deleting again changes nothing; the allocation is free for a new gateway.
            ec2.deleteNatGateway(r -> r.natGatewayId(nat.natGatewayId()));
            ec2.createNatGateway(r -> r.subnetId(subnetId).allocationId(allocation(4)));

            assertError(() -> ec2.deleteNatGateway(r -> r.natGatewayId("nat-0123456789abcdef0")),
                    "NatGatewayNotFound");
            assertError(() -> ec2.deleteNatGateway(r -> r.natGatewayId("nat-x")), "NatGatewayMalformed");
        } finally {
            cleanup(vpcId);
        }
    }

    @Test
    void describeNatGateways_filtersAndPagination() {
        String vpcId = vpc("10.66.0.0/16");
        try {
            String subnetA = subnet(vpcId, "10.66.1.0/24", "us-east-1a");
            String subnetB = subnet(vpcId, "10.66.2.0/24", "us-east-1b");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.add(ec2.createNatGateway(r -> r.subnetId(subnetA).connectivityType("private")).natGateway()
                        .natGatewayId());
            }
            String inB = ec2.createNatGateway(r -> r.subnetId(subnetB).connectivityType("private")
                    .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.NATGATEWAY)
                            .tags(Tag.builder().key("side").value("b").build()).build()))
                    .natGateway()
                    .natGatewayId();
            ec2.deleteNatGateway(r -> r.natGatewayId(ids.get(0)));

            assertThat(ec2.describeNatGateways(r -> r.filter(
                    Filter.builder().name("subnet-id").values(subnetB).build())).natGateways())
                    .extracting(NatGateway::natGatewayId).containsExactly(inB);
            assertThat(ec2.describeNatGateways(r -> r.filter(
                    Filter.builder().name("tag:side").values("b").build())).natGateways())
                    .extracting(NatGateway::natGatewayId).containsExactly(inB);
            assertThat(ec2.describeNatGateways(r -> r.filter(
                    Filter.builder().name("vpc-id").values(vpcId).build(),
                    Filter.builder().name("state").values("available").build())).natGateways()).hasSize(3);
            assertThat(ec2.describeNatGateways(r -> r.filter(
                    Filter.builder().name("nat-gateway-id").values(ids.get(1), ids.get(2)).build())).natGateways())
                    .hasSize(2);
            assertThat(ec2.describeNatGateways(r -> r.natGatewayIds(ids.get(0), inB)).natGateways()).hasSize(2);
            assertError(() -> ec2.describeNatGateways(r -> r.natGatewayIds("nat-0123456789abcdef0")),
                    "NatGatewayNotFound");
            assertError(() -> ec2.describeNatGateways(r -> r.maxResults(4)), "InvalidParameterValue");
            assertError(() -> ec2.describeNatGateways(r -> r.filter(
                    Filter.builder().name("connectivity").values("x").build())), "InvalidParameterValue");
            var page = ec2.describeNatGateways(r -> r.maxResults(5).filter(
                    Filter.builder().name("vpc-id").values(vpcId).build()));
            assertThat(page.natGateways()).hasSize(4);
            assertThat(page.nextToken()).isNull();
        } finally {
            cleanup(vpcId);
        }
    }

    @Test
    void createNatGateway_beyondFivePerZone_failsWithNatGatewayLimitExceeded() {
        String vpcId = vpc("10.67.0.0/16");
        try {
            String subnetA = subnet(vpcId, "10.67.1.0/24", "us-east-1a");
            String subnetA2 = subnet(vpcId, "10.67.3.0/24", "us-east-1a");
            String subnetB = subnet(vpcId, "10.67.2.0/24", "us-east-1b");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String subnet = i % 2 == 0 ? subnetA : subnetA2;
                ids.add(ec2.createNatGateway(r -> r.subnetId(subnet).connectivityType("private")).natGateway()
                        .natGatewayId());
            }
            assertError(() -> ec2.createNatGateway(r -> r.subnetId(subnetA).connectivityType("private")),
                    "NatGatewayLimitExceeded");
            ec2.createNatGateway(r -> r.subnetId(subnetB).connectivityType("private"));
            // Deleted gateways no longer count.
            ec2.deleteNatGateway(r -> r.natGatewayId(ids.get(0)));
            ec2.createNatGateway(r -> r.subnetId(subnetA).connectivityType("private"));
        } finally {
            cleanup(vpcId);
        }
    }

    @Test
    void detachInternetGateway_whileAPublicNatGatewayRemains_failsWithDependencyViolation() {
        String vpcId = vpc("10.68.0.0/16");
        try {
            String subnetId = subnet(vpcId, "10.68.1.0/24", "us-east-1a");
            String igw = ec2.createInternetGateway(r -> {}).internetGateway().internetGatewayId();
            ec2.attachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpcId));
            String nat = ec2.createNatGateway(r -> r.subnetId(subnetId).allocationId(allocation(5))).natGateway()
                    .natGatewayId();
            assertError(() -> ec2.detachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpcId)),
                    "DependencyViolation");
            ec2.deleteNatGateway(r -> r.natGatewayId(nat));
            ec2.detachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpcId));
            ec2.deleteInternetGateway(r -> r.internetGatewayId(igw));
        } finally {
            cleanup(vpcId);
        }
    }

    @Test
    void anotherAccount_cannotSeeOrChangeTheGateways() {
        String vpcId = vpc("10.69.0.0/16");
        String igw = ec2.createInternetGateway(r -> {}).internetGateway().internetGatewayId();
        try {
            String subnetId = subnet(vpcId, "10.69.1.0/24", "us-east-1a");
            String nat = ec2.createNatGateway(r -> r.subnetId(subnetId).connectivityType("private")).natGateway()
                    .natGatewayId();

            assertError(() -> other.describeInternetGateways(r -> r.internetGatewayIds(igw)),
                    "InvalidInternetGatewayID.NotFound");
            assertThat(other.describeInternetGateways().internetGateways())
                    .extracting(InternetGateway::internetGatewayId).doesNotContain(igw);
            assertError(() -> other.deleteInternetGateway(r -> r.internetGatewayId(igw)),
                    "InvalidInternetGatewayID.NotFound");
            assertError(() -> ec2.attachInternetGateway(r -> r.internetGatewayId(igw).vpcId(
                    other.createVpc(v -> v.cidrBlock("10.70.0.0/16")).vpc().vpcId())), "InvalidVpcID.NotFound");
            other.describeVpcs().vpcs().stream().filter(v -> !v.isDefault())
                    .forEach(v -> other.deleteVpc(r -> r.vpcId(v.vpcId())));

            assertError(() -> other.describeNatGateways(r -> r.natGatewayIds(nat)), "NatGatewayNotFound");
            assertThat(other.describeNatGateways().natGateways()).isEmpty();
            assertError(() -> other.deleteNatGateway(r -> r.natGatewayId(nat)), "NatGatewayNotFound");
            assertError(() -> other.createNatGateway(r -> r.subnetId(subnetId).connectivityType("private")),
                    "InvalidSubnetID.NotFound");
            assertThat(describeNat(nat).stateAsString()).isEqualTo("available");
        } finally {
            ec2.deleteInternetGateway(r -> r.internetGatewayId(igw));
            cleanup(vpcId);
        }
    }
}
