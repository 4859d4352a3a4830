package dev.underpass.server;

import static dev.underpass.server.Ec2Assertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.model.ec2.Quotas;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.AllocateAddressResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterfaceSpecification;
import software.amazon.awssdk.services.ec2.model.NatGateway;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/** Elastic IPs through the SDK: allocation, association with instances and interfaces, NAT gateways, release. */
class ElasticIpApiTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    @RegisterExtension
    static final UnderpassExtension TWO_ADDRESSES =
            UnderpassExtension.withQuotas(Quotas.defaults().with("elastic-ips-per-region", 2));

    private static final String IMAGE = "ami-0123456789abcdef0";

    /** A VPC with one subnet in us-east-1a and, when asked, an attached internet gateway. */
    private record Net(String vpcId, String subnetId) {}

    private static Net net(Ec2Client ec2, String cidr, boolean internet) {
        String vpcId = ec2.createVpc(r -> r.cidrBlock(cidr)).vpc().vpcId();
        String subnetId = ec2.createSubnet(r -> r.vpcId(vpcId).cidrBlock(cidr.replace(".0.0/16", ".1.0/24"))
                .availabilityZone("us-east-1a")).subnet().subnetId();
        if (internet) {
            String igw = ec2.createInternetGateway(r -> {}).internetGateway().internetGatewayId();
            ec2.attachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpcId));
        }
        return new Net(vpcId, subnetId);
    }

    private static Instance launch(Ec2Client ec2, String subnetId) {
        return ec2.runInstances(r -> r.imageId(IMAGE).minCount(1).maxCount(1).subnetId(subnetId)).instances().get(0);
    }

    private static Instance describe(Ec2Client ec2, String instanceId) {
        return ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().get(0).instances().get(0);
    }

    private static Address address(Ec2Client ec2, String allocationId) {
        return ec2.describeAddresses(r -> r.allocationIds(allocationId)).addresses().get(0);
    }

    private static NetworkInterface eni(Ec2Client ec2, String eniId) {
        return ec2.describeNetworkInterfaces(r -> r.networkInterfaceIds(eniId)).networkInterfaces().get(0);
    }

    private static void releaseAll(Ec2Client ec2) {
        for (Address a : ec2.describeAddresses().addresses()) {
            if (a.associationId() != null) {
                ec2.disassociateAddress(r -> r.associationId(a.associationId()));
            }
            ec2.releaseAddress(r -> r.allocationId(a.allocationId()));
        }
    }

    @Test
    void allocateAddress_givesAnAddressOfTheRegionsFakePool_andDescribeFindsIt() {
        Ec2Client ec2 = UNDERPASS.ec2("410000000001");
        AllocateAddressResponse eip = ec2.allocateAddress(r -> r.domain("vpc").tagSpecifications(
                TagSpecification.builder().resourceType(ResourceType.ELASTIC_IP)
                        .tags(Tag.builder().key("Name").value("front").build()).build()));
        assertThat(eip.allocationId()).matches("eipalloc-0[0-9a-f]{16}");
        // us-east-1 draws from 198.18.0.0/21 (RFC 2544 benchmarking space, never routed).
        assertThat(eip.publicIp()).matches("198\\.18\\.[0-7]\\.\\d+");
        assertThat(eip.publicIpv4Pool()).isEqualTo("amazon");
        assertThat(eip.networkBorderGroup()).isEqualTo("us-east-1");
        assertThat(eip.domainAsString()).isEqualTo("vpc");

        Address described = address(ec2, eip.allocationId());
        assertThat(described.publicIp()).isEqualTo(eip.publicIp());
        assertThat(described.domainAsString()).isEqualTo("vpc");
        assertThat(described.publicIpv4Pool()).isEqualTo("amazon");
        assertThat(described.networkBorderGroup()).isEqualTo("us-east-1");
        assertThat(described.associationId()).isNull();
        assertThat(described.instanceId()).isNull();
        assertThat(described.tags()).containsExactly(Tag.builder().key("Name").value("front").build());
        assertThat(ec2.describeAddresses(r -> r.publicIps(eip.publicIp())).addresses())
                .extracting(Address::allocationId).containsExactly(eip.allocationId());
        assertThat(ec2.describeAddresses(r -> r.filters(Filter.builder().name("tag:Name").values("front").build(),
                Filter.builder().name("domain").values("vpc").build(),
                Filter.builder().name("public-ip").values(eip.publicIp()).build())).addresses())
                .extracting(Address::allocationId).containsExactly(eip.allocationId());
        assertThat(ec2.describeAddresses(r -> r.filters(Filter.builder().name("association-id").values("*")
                .build())).addresses()).isEmpty();
        // No PTR record is ever set.
        assertThat(ec2.describeAddressesAttribute(r -> r.allocationIds(eip.allocationId())
                .attribute("domain-name")).addresses()).singleElement().satisfies(a -> {
                    assertThat(a.allocationId()).isEqualTo(eip.allocationId());
                    assertThat(a.publicIp()).isEqualTo(eip.publicIp());
                    assertThat(a.ptrRecord()).isNull();
                });

        // Another region draws from its own block, and the two never collide.
        Ec2Client west = UNDERPASS.ec2("410000000001", "eu-west-1");
        String westIp = west.allocateAddress(r -> {}).publicIp();
        assertThat(westIp).startsWith("198.").isNotEqualTo(eip.publicIp());
        assertThat(west.describeAddresses().addresses()).extracting(Address::publicIp).containsExactly(westIp);
        releaseAll(west);

        ec2.releaseAddress(r -> r.allocationId(eip.allocationId()));
        assertError(() -> ec2.describeAddresses(r -> r.allocationIds(eip.allocationId())),
                "InvalidAllocationID.NotFound");
        assertError(() -> ec2.releaseAddress(r -> r.allocationId(eip.allocationId())),
                "InvalidAllocationID.NotFound");
    }

    @Test
    void addressCalls_badInput_getAwsErrorsAndChangeNothing() {
        Ec2Client ec2 = UNDERPASS.ec2("410000000002");
        assertError(() -> ec2.describeAddresses(r -> r.allocationIds("eipalloc-nope")),
                "InvalidAllocationID.Malformed");
        assertError(() -> ec2.describeAddresses(r -> r.publicIps("192.0.2.10")), "InvalidAddress.NotFound");
        assertError(() -> ec2.describeAddresses(r -> r.filters(Filter.builder().name("colour").values("x")
                .build())), "InvalidParameterValue");
        assertError(() -> ec2.allocateAddress(r -> r.domain("standard")), "InvalidParameterValue");
        assertError(() -> ec2.allocateAddress(r -> r.networkBorderGroup("us-west-2")), "InvalidParameterValue");
        assertError(() -> ec2.allocateAddress(r -> r.publicIpv4Pool("ipv4pool-ec2-0123456789abcdef0")),
                "InvalidPublicIpv4PoolID.NotFound");
        assertError(() -> ec2.allocateAddress(r -> r.address("192.0.2.10")), "InvalidAddress.NotFound");
        assertError(() -> ec2.allocateAddress(r -> r.tagSpecifications(TagSpecification.builder()
                .resourceType(ResourceType.VPC).tags(Tag.builder().key("k").value("v").build()).build())),
                "InvalidParameterValue");
        assertError(() -> ec2.releaseAddress(r -> r.publicIp("198.18.0.1")), "InvalidParameterValue",
                "You must specify an allocation id when releasing a VPC elastic IP address");
        assertError(() -> ec2.releaseAddress(r -> {}), "MissingParameter");
        assertError(() -> ec2.releaseAddress(r -> r.allocationId("eipalloc-0123456789abcdef0")),
                "InvalidAllocationID.NotFound");
        assertError(() -> ec2.disassociateAddress(r -> r.associationId("eipassoc-0123456789abcdef0")),
                "InvalidAssociationID.NotFound");
        assertError(() -> ec2.associateAddress(r -> r.allocationId("eipalloc-0123456789abcdef0")
                .instanceId("i-0123456789abcdef0")), "InvalidAllocationID.NotFound");
        assertError(() -> ec2.describeAddressesAttribute(r -> r.attribute("colour")), "InvalidParameterValue");
        assertThat(ec2.describeAddresses().addresses()).isEmpty();
    }

    @Test
    void allocateAddress_beyondTheQuota_failsWithAddressLimitExceeded() {
        Ec2Client ec2 = TWO_ADDRESSES.ec2("410000000003");
        ec2.allocateAddress(r -> {});
        ec2.allocateAddress(r -> {});
        assertError(() -> ec2.allocateAddress(r -> {}), "AddressLimitExceeded");
        assertThat(ec2.describeAddresses().addresses()).hasSize(2);
        // The quota is per account: another account still has room.
        TWO_ADDRESSES.ec2("410000000004").allocateAddress(r -> {});

        Ec2Client defaults = UNDERPASS.ec2("410000000003");
        for (int i = 0; i < 5; i++) {
            defaults.allocateAddress(r -> {});
        }
        assertError(() -> defaults.allocateAddress(r -> {}), "AddressLimitExceeded");
        releaseAll(defaults);
    }

    @Test
    void associateAddress_withAnInstance_showsEverywhere_andFollowsTheReassociationRules() {
        Ec2Client ec2 = UNDERPASS.ec2("410000000005");
        Net net = net(ec2, "10.80.0.0/16", true);
        try {
            Instance first = launch(ec2, net.subnetId());
            Instance second = launch(ec2, net.subnetId());
            // A subnet without MapPublicIpOnLaunch gives no public address.
            assertThat(describe(ec2, first.instanceId()).publicIpAddress()).isNull();
            AllocateAddressResponse eip = ec2.allocateAddress(r -> {});
            String associationId = ec2.associateAddress(r -> r.allocationId(eip.allocationId())
                    .instanceId(first.instanceId())).associationId();
            assertThat(associationId).matches("eipassoc-0[0-9a-f]{16}");

            Address a = address(ec2, eip.allocationId());
            assertThat(a.associationId()).isEqualTo(associationId);
            assertThat(a.instanceId()).isEqualTo(first.instanceId());
            assertThat(a.networkInterfaceId()).isEqualTo(first.networkInterfaces().get(0).networkInterfaceId());
            assertThat(a.networkInterfaceOwnerId()).isEqualTo("410000000005");
            assertThat(a.privateIpAddress()).isEqualTo(first.privateIpAddress());
            assertThat(ec2.describeAddresses(r -> r.filters(Filter.builder().name("instance-id")
                    .values(first.instanceId()).build())).addresses()).extracting(Address::allocationId)
                    .containsExactly(eip.allocationId());
            assertThat(describe(ec2, first.instanceId()).publicIpAddress()).isEqualTo(eip.publicIp());
            assertThat(ec2.describeInstances(r -> r.filters(Filter.builder().name("ip-address")
                    .values(eip.publicIp()).build())).reservations()).singleElement()
                    .satisfies(res -> assertThat(res.instances().get(0).instanceId()).isEqualTo(first.instanceId()));
            NetworkInterface eni = eni(ec2, a.networkInterfaceId());
            assertThat(eni.association().publicIp()).isEqualTo(eip.publicIp());
            assertThat(eni.association().allocationId()).isEqualTo(eip.allocationId());
            assertThat(eni.association().associationId()).isEqualTo(associationId);
            assertThat(eni.association().ipOwnerId()).isEqualTo("410000000005");
            assertThat(eni.privateIpAddresses().get(0).association().publicIp()).isEqualTo(eip.publicIp());

            // Associating again with the same instance is a no-op; elsewhere needs AllowReassociation.
            assertThat(ec2.associateAddress(r -> r.allocationId(eip.allocationId()).instanceId(first.instanceId()))
                    .associationId()).isEqualTo(associationId);
            assertError(() -> ec2.associateAddress(r -> r.allocationId(eip.allocationId())
                    .instanceId(second.instanceId())), "Resource.AlreadyAssociated");
            assertError(() -> ec2.releaseAddress(r -> r.allocationId(eip.allocationId())),
                    "InvalidIPAddress.InUse");
            String moved = ec2.associateAddress(r -> r.allocationId(eip.allocationId())
                    .instanceId(second.instanceId()).allowReassociation(true)).associationId();
            assertThat(moved).isNotEqualTo(associationId);
            assertThat(describe(ec2, first.instanceId()).publicIpAddress()).isNull();
            assertThat(describe(ec2, second.instanceId()).publicIpAddress()).isEqualTo(eip.publicIp());
            assertError(() -> ec2.disassociateAddress(r -> r.associationId(associationId)),
                    "InvalidAssociationID.NotFound");

            // A second address on the same private address takes its place; the first stays allocated.
            AllocateAddressResponse other = ec2.allocateAddress(r -> {});
            ec2.associateAddress(r -> r.allocationId(other.allocationId()).networkInterfaceId(
                    second.networkInterfaces().get(0).networkInterfaceId()));
            assertThat(address(ec2, eip.allocationId()).associationId()).isNull();
            assertThat(describe(ec2, second.instanceId()).publicIpAddress()).isEqualTo(other.publicIp());

            String otherAssociation = address(ec2, other.allocationId()).associationId();
            ec2.disassociateAddress(r -> r.associationId(otherAssociation));
            assertThat(describe(ec2, second.instanceId()).publicIpAddress()).isNull();
            ec2.releaseAddress(r -> r.allocationId(other.allocationId()));
            ec2.releaseAddress(r -> r.allocationId(eip.allocationId()));
            assertThat(ec2.describeAddresses().addresses()).isEmpty();
        } finally {
            TestVpcs.tearDown(ec2, net.vpcId());
        }
    }

    @Test
    void associateAddress_withAnInterface_andItsErrors() {
        Ec2Client ec2 = UNDERPASS.ec2("410000000006");
        Net net = net(ec2, "10.81.0.0/16", true);
        Net isolated = net(ec2, "10.82.0.0/16", false);
        try {
            String eniId = ec2.createNetworkInterface(r -> r.subnetId(net.subnetId())
                    .privateIpAddresses(p -> p.privateIpAddress("10.81.1.10").primary(true),
                            p -> p.privateIpAddress("10.81.1.11").primary(false)))
                    .networkInterface().networkInterfaceId();
            String allocationId = ec2.allocateAddress(r -> {}).allocationId();
            ec2.associateAddress(r -> r.allocationId(allocationId).networkInterfaceId(eniId)
                    .privateIpAddress("10.81.1.11"));
            Address a = address(ec2, allocationId);
            assertThat(a.networkInterfaceId()).isEqualTo(eniId);
            assertThat(a.privateIpAddress()).isEqualTo("10.81.1.11");
            assertThat(a.instanceId()).isNull();
            NetworkInterface eni = eni(ec2, eniId);
            assertThat(eni.association()).isNull();
            assertThat(eni.privateIpAddresses()).filteredOn(p -> p.privateIpAddress().equals("10.81.1.11"))
                    .singleElement().satisfies(p -> assertThat(p.association().publicIp()).isEqualTo(a.publicIp()));
            // The internet gateway cannot leave while the VPC maps a public address.
            String igw = ec2.describeInternetGateways(r -> r.filters(Filter.builder().name("attachment.vpc-id")
                    .values(net.vpcId()).build())).internetGateways().get(0).internetGatewayId();
            assertError(() -> ec2.detachInternetGateway(r -> r.internetGatewayId(igw).vpcId(net.vpcId())),
                    "DependencyViolation");

            String spare = ec2.allocateAddress(r -> {}).allocationId();
            assertError(() -> ec2.associateAddress(r -> r.allocationId(spare).networkInterfaceId(eniId)
                    .privateIpAddress("10.81.1.99")), "InvalidParameterValue");
            assertError(() -> ec2.associateAddress(r -> r.allocationId(spare).networkInterfaceId(eniId)
                    .instanceId("i-0123456789abcdef0")), "InvalidParameterCombination");
            assertError(() -> ec2.associateAddress(r -> r.allocationId(spare)), "MissingParameter");
            assertError(() -> ec2.associateAddress(r -> r.allocationId(spare).instanceId("i-0123456789abcdef0")),
                    "InvalidInstanceID.NotFound");
            assertError(() -> ec2.associateAddress(r -> r.allocationId(spare).networkInterfaceId("eni-x")),
                    "InvalidNetworkInterfaceId.Malformed");
            assertError(() -> ec2.associateAddress(r -> r.allocationId(spare)
                    .networkInterfaceId("eni-0123456789abcdef0")), "InvalidNetworkInterfaceID.NotFound");
            String unreachable = launch(ec2, isolated.subnetId()).instanceId();
            assertError(() -> ec2.associateAddress(r -> r.allocationId(spare).instanceId(unreachable)),
                    "Gateway.NotAttached");
            assertThat(address(ec2, spare).associationId()).isNull();

            ec2.disassociateAddress(r -> r.associationId(a.associationId()));
            ec2.detachInternetGateway(r -> r.internetGatewayId(igw).vpcId(net.vpcId()));
            ec2.attachInternetGateway(r -> r.internetGatewayId(igw).vpcId(net.vpcId()));
            releaseAll(ec2);
        } finally {
            TestVpcs.tearDown(ec2, net.vpcId());
            TestVpcs.tearDown(ec2, isolated.vpcId());
        }
    }

    @Test
    void natGateway_needsAFreeAllocationOfTheCaller_holdsIt_andFreesItWhenDeleted() {
        Ec2Client ec2 = UNDERPASS.ec2("410000000007");
        Ec2Client stranger = UNDERPASS.ec2("410000000008");
        Net net = net(ec2, "10.83.0.0/16", true);
        try {
            String foreign = stranger.allocateAddress(r -> {}).allocationId();
            assertError(() -> ec2.createNatGateway(r -> r.subnetId(net.subnetId()).allocationId(foreign)),
                    "InvalidAllocationID.NotFound");
            assertError(() -> ec2.createNatGateway(r -> r.subnetId(net.subnetId())
                    .allocationId("eipalloc-0123456789abcdef0")), "InvalidAllocationID.NotFound");
            releaseAll(stranger);

            AllocateAddressResponse eip = ec2.allocateAddress(r -> {});
            NatGateway nat = ec2.createNatGateway(r -> r.subnetId(net.subnetId()).allocationId(eip.allocationId()))
                    .natGateway();
            var natAddress = nat.natGatewayAddresses().get(0);
            assertThat(natAddress.publicIp()).isEqualTo(eip.publicIp());
            Address a = address(ec2, eip.allocationId());
            assertThat(a.associationId()).matches("eipassoc-0[0-9a-f]{16}").isEqualTo(natAddress.associationId());
            assertThat(a.networkInterfaceId()).isEqualTo(natAddress.networkInterfaceId());
            assertThat(a.privateIpAddress()).isEqualTo(natAddress.privateIp());
            assertThat(a.networkInterfaceOwnerId()).isEqualTo("410000000007");
            assertThat(a.instanceId()).isNull();
            assertThat(eni(ec2, natAddress.networkInterfaceId()).association().publicIp()).isEqualTo(eip.publicIp());

            // The gateway's association is the gateway's: AWS answers AuthFailure (400) to every change.
            assertError(() -> ec2.releaseAddress(r -> r.allocationId(eip.allocationId())), "AuthFailure");
            assertError(() -> ec2.disassociateAddress(r -> r.associationId(a.associationId())), "AuthFailure");
            String instance = launch(ec2, net.subnetId()).instanceId();
            assertError(() -> ec2.associateAddress(r -> r.allocationId(eip.allocationId()).instanceId(instance)
                    .allowReassociation(true)), "AuthFailure");
            String spare = ec2.allocateAddress(r -> {}).allocationId();
            assertError(() -> ec2.associateAddress(r -> r.allocationId(spare)
                    .networkInterfaceId(natAddress.networkInterfaceId())), "AuthFailure");
            // An address in use cannot serve a second gateway, nor one associated with an instance.
            assertError(() -> ec2.createNatGateway(r -> r.subnetId(net.subnetId()).allocationId(eip.allocationId())),
                    "Resource.AlreadyAssociated");
            ec2.associateAddress(r -> r.allocationId(spare).instanceId(instance));
            assertError(() -> ec2.createNatGateway(r -> r.subnetId(net.subnetId()).allocationId(spare)),
                    "Resource.AlreadyAssociated");

            ec2.deleteNatGateway(r -> r.natGatewayId(nat.natGatewayId()));
            assertThat(address(ec2, eip.allocationId()).associationId()).isNull();
            ec2.releaseAddress(r -> r.allocationId(eip.allocationId()));
        } finally {
            TestVpcs.tearDown(ec2, net.vpcId());
            releaseAll(ec2);
        }
    }

    @Test
    void mapPublicIpOnLaunch_givesAmazonsAddress_releasedOnStop_andReplacedByAnElasticIp() {
        Ec2Client ec2 = UNDERPASS.ec2("410000000009");
        // The default VPC's subnets map public addresses on launch.
        Instance launched = ec2.runInstances(r -> r.imageId(IMAGE).minCount(1).maxCount(1)).instances().get(0);
        String id = launched.instanceId();
        String eniId = launched.networkInterfaces().get(0).networkInterfaceId();
        String first = launched.publicIpAddress();
        assertThat(first).matches("198\\.18\\.[0-7]\\.\\d+");
        NetworkInterface eni = eni(ec2, eniId);
        assertThat(eni.association().publicIp()).isEqualTo(first);
        assertThat(eni.association().ipOwnerId()).isEqualTo("amazon");
        assertThat(eni.association().allocationId()).isNull();
        // Amazon's addresses are not Elastic IPs.
        assertThat(ec2.describeAddresses().addresses()).isEmpty();

        ec2.stopInstances(r -> r.instanceIds(id));
        assertThat(describe(ec2, id).publicIpAddress()).isNull();
        assertThat(eni(ec2, eniId).association()).isNull();
        ec2.startInstances(r -> r.instanceIds(id));
        String second = describe(ec2, id).publicIpAddress();
        assertThat(second).matches("198\\.18\\.[0-7]\\.\\d+");

        AllocateAddressResponse eip = ec2.allocateAddress(r -> {});
        String associationId = ec2.associateAddress(r -> r.allocationId(eip.allocationId()).instanceId(id))
                .associationId();
        assertThat(describe(ec2, id).publicIpAddress()).isEqualTo(eip.publicIp());
        assertThat(eni(ec2, eniId).association().ipOwnerId()).isEqualTo("410000000009");
        ec2.disassociateAddress(r -> r.associationId(associationId));
        String third = describe(ec2, id).publicIpAddress();
        assertThat(third).matches("198\\.18\\.[0-7]\\.\\d+").isNotEqualTo(eip.publicIp());
        assertThat(eni(ec2, eniId).association().ipOwnerId()).isEqualTo("amazon");

        // An instance told not to take one has none, even in a mapping subnet.
        Instance quiet = ec2.runInstances(r -> r.imageId(IMAGE).minCount(1).maxCount(1).networkInterfaces(
                InstanceNetworkInterfaceSpecification.builder().deviceIndex(0).associatePublicIpAddress(false)
                        .subnetId(launched.subnetId()).build()))
                .instances().get(0);
        assertThat(quiet.publicIpAddress()).isNull();

        // Termination frees the address and takes the Elastic IP's association with the interface.
        ec2.associateAddress(r -> r.allocationId(eip.allocationId()).instanceId(id));
        ec2.terminateInstances(r -> r.instanceIds(id, quiet.instanceId()));
        assertThat(address(ec2, eip.allocationId()).associationId()).isNull();
        ec2.releaseAddress(r -> r.allocationId(eip.allocationId()));
    }

    @Test
    void anotherAccount_cannotSeeUseOrReleaseTheAddress() {
        Ec2Client owner = UNDERPASS.ec2("410000000010");
        Ec2Client stranger = UNDERPASS.ec2("410000000011");
        AllocateAddressResponse eip = owner.allocateAddress(r -> {});
        assertThat(stranger.describeAddresses().addresses()).isEmpty();
        assertError(() -> stranger.describeAddresses(r -> r.allocationIds(eip.allocationId())),
                "InvalidAllocationID.NotFound");
        assertError(() -> stranger.describeAddresses(r -> r.publicIps(eip.publicIp())), "InvalidAddress.NotFound");
        assertError(() -> stranger.releaseAddress(r -> r.allocationId(eip.allocationId())),
                "InvalidAllocationID.NotFound");
        String strangerInstance = stranger.runInstances(r -> r.imageId(IMAGE).minCount(1).maxCount(1)).instances()
                .get(0).instanceId();
        assertError(() -> stranger.associateAddress(r -> r.allocationId(eip.allocationId())
                .instanceId(strangerInstance)), "InvalidAllocationID.NotFound");
        assertError(() -> stranger.createTags(r -> r.resources(eip.allocationId()).tags(Tag.builder().key("k")
                .value("v").build())), "InvalidAllocationID.NotFound");
        // Nor does the stranger's instance take the owner's address by accident: public addresses are unique.
        assertThat(List.of(describe(stranger, strangerInstance).publicIpAddress())).doesNotContain(eip.publicIp());
        stranger.terminateInstances(r -> r.instanceIds(strangerInstance));
        owner.releaseAddress(r -> r.allocationId(eip.allocationId()));
    }

    @Test
    void addressesAndAssociations_surviveARestart(@TempDir Path dataDir) {
        record Made(String allocationId, String associationId, String instanceId, String publicIp) {}
        TestStore.acrossARestart(dataDir, "410000000012", ec2 -> {
            Instance instance = ec2.runInstances(r -> r.imageId(IMAGE).minCount(1).maxCount(1)).instances().get(0);
            AllocateAddressResponse eip = ec2.allocateAddress(r -> {});
            String associationId = ec2.associateAddress(r -> r.allocationId(eip.allocationId())
                    .instanceId(instance.instanceId())).associationId();
            return new Made(eip.allocationId(), associationId, instance.instanceId(), eip.publicIp());
        }, (ec2, made) -> {
            Address a = address(ec2, made.allocationId());
            assertThat(a.publicIp()).isEqualTo(made.publicIp());
            assertThat(a.associationId()).isEqualTo(made.associationId());
            assertThat(a.instanceId()).isEqualTo(made.instanceId());
            assertThat(describe(ec2, made.instanceId()).publicIpAddress()).isEqualTo(made.publicIp());
        });
    }
}
