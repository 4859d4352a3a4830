package dev.underpass.server;

import dev.underpass.model.ec2.SubnetId;
import dev.underpass.model.ec2.VpcId;
import static dev.underpass.server.Ec2Assertions.assertError;
import static dev.underpass.server.TestVpcs.cleanUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.Caller;
import dev.underpass.model.ec2.Quotas;
import dev.underpass.model.net.Cidr;
import dev.underpass.model.net.Ipv4;
import dev.underpass.server.TestVpcs.Net;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.NetworkInterfacePrivateIpAddress;
import software.amazon.awssdk.services.ec2.model.PrivateIpAddressSpecification;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Vpc;

class NetworkInterfaceApiTest {
    private static final String ACCOUNT = "555555555555";
    private static final String OTHER = "555555555556";

    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    /** A server with tight quotas: two interfaces per region and no explicit security group per interface. */
    @RegisterExtension
    static final UnderpassExtension TIGHT =
            UnderpassExtension.withQuotas(new Quotas(5, 200, 5, 200, 50, 2500, 60, 0, 200, 20, 5, 5, 2));

    private final Ec2Client ec2 = UNDERPASS.ec2(ACCOUNT);
    private final Ec2Client other = UNDERPASS.ec2(OTHER);

    private static Net net(Ec2Client client, String vpcCidr, String subnetCidr) {
        return TestVpcs.net(client, vpcCidr, subnetCidr, "us-east-1a");
    }

    private static SecurityGroupRef defaultGroup(Net net) {
        String id = UNDERPASS.server().store().world().all(dev.underpass.model.ec2.SecurityGroup.class,
                g -> g.vpcId().value().equals(net.vpc().vpcId()) && g.isDefault()).get(0).id();
        return new SecurityGroupRef(id);
    }

    private record SecurityGroupRef(String id) {}

    private int available(Ec2Client client, Net net) {
        return client.describeSubnets(r -> r.subnetIds(net.subnet().subnetId())).subnets().get(0)
                .availableIpAddressCount();
    }

    @Test
    void createNetworkInterface_returnsAvailableInterfaceWithDefaultGroupMacDnsAndTags() {
        Net net = net(ec2, "10.60.0.0/16", "10.60.1.0/24");
        NetworkInterface eni = ec2.createNetworkInterface(r -> r.subnetId(net.subnet().subnetId())
                .description("web").tagSpecifications(TagSpecification.builder()
                        .resourceType(ResourceType.NETWORK_INTERFACE)
                        .tags(Tag.builder().key("Name").value("eni-one").build()).build()))
                .networkInterface();

        assertThat(eni.networkInterfaceId()).matches("eni-[0-9a-f]{17}");
        assertThat(eni.subnetId()).isEqualTo(net.subnet().subnetId());
        assertThat(eni.vpcId()).isEqualTo(net.vpc().vpcId());
        assertThat(eni.availabilityZone()).isEqualTo("us-east-1a");
        assertThat(eni.description()).isEqualTo("web");
        assertThat(eni.ownerId()).isEqualTo(ACCOUNT);
        assertThat(eni.requesterManaged()).isFalse();
        assertThat(eni.statusAsString()).isEqualTo("available");
        assertThat(eni.macAddress()).matches("02(:[0-9a-f]{2}){5}");
        assertThat(eni.privateIpAddress()).isEqualTo("10.60.1.4");
        assertThat(eni.privateDnsName()).isEqualTo("ip-10-60-1-4.ec2.internal");
        assertThat(eni.privateIpAddresses()).singleElement().satisfies(ip -> {
            assertThat(ip.primary()).isTrue();
            assertThat(ip.privateIpAddress()).isEqualTo("10.60.1.4");
            assertThat(ip.privateDnsName()).isEqualTo("ip-10-60-1-4.ec2.internal");
        });
        assertThat(eni.sourceDestCheck()).isTrue();
        assertThat(eni.interfaceTypeAsString()).isEqualTo("interface");
        assertThat(eni.groups()).singleElement().satisfies(g -> {
            assertThat(g.groupName()).isEqualTo("default");
            assertThat(g.groupId()).isEqualTo(defaultGroup(net).id());
        });
        assertThat(eni.attachment()).isNull();
        assertThat(eni.tagSet()).containsExactly(Tag.builder().key("Name").value("eni-one").build());
        assertThat(available(ec2, net)).isEqualTo(250);

        NetworkInterface described = ec2.describeNetworkInterfaces(r -> r.networkInterfaceIds(
                eni.networkInterfaceId())).networkInterfaces().get(0);
        assertThat(described).isEqualTo(eni);
        cleanUp(ec2, net);
    }

    @Test
    void createNetworkInterface_outsideUsEast1_usesComputeInternalDnsNames() {
        Ec2Client west = UNDERPASS.ec2(ACCOUNT, "eu-west-1");
        Vpc vpc = west.createVpc(r -> r.cidrBlock("10.61.0.0/16")).vpc();
        Subnet subnet = west.createSubnet(r -> r.vpcId(vpc.vpcId()).cidrBlock("10.61.0.0/24")).subnet();
        NetworkInterface eni = west.createNetworkInterface(r -> r.subnetId(subnet.subnetId())
                .privateIpAddress("10.61.0.77")).networkInterface();
        assertThat(eni.privateDnsName()).isEqualTo("ip-10-61-0-77.eu-west-1.compute.internal");
        cleanUp(west, new Net(vpc, subnet));
    }

    @Test
    void createNetworkInterface_explicitAddressesAndCount_assignsPrimaryAndSecondaries() {
        Net net = net(ec2, "10.62.0.0/16", "10.62.0.0/24");
        NetworkInterface eni = ec2.createNetworkInterface(r -> r.subnetId(net.subnet().subnetId())
                .privateIpAddresses(
                        PrivateIpAddressSpecification.builder().privateIpAddress("10.62.0.50").primary(false).build(),
                        PrivateIpAddressSpecification.builder().privateIpAddress("10.62.0.40").primary(true).build()))
                .networkInterface();
        assertThat(eni.privateIpAddress()).isEqualTo("10.62.0.40");
        assertThat(eni.privateIpAddresses()).extracting(NetworkInterfacePrivateIpAddress::privateIpAddress,
                NetworkInterfacePrivateIpAddress::primary)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("10.62.0.40", true),
                        org.assertj.core.groups.Tuple.tuple("10.62.0.50", false));

        NetworkInterface counted = ec2.createNetworkInterface(r -> r.subnetId(net.subnet().subnetId())
                .secondaryPrivateIpAddressCount(2)).networkInterface();
        assertThat(counted.privateIpAddresses()).extracting(NetworkInterfacePrivateIpAddress::privateIpAddress)
                .containsExactly("10.62.0.4", "10.62.0.5", "10.62.0.6");
        assertThat(available(ec2, net)).isEqualTo(251 - 5);

        assertError(() -> ec2.createNetworkInterface(r -> r.subnetId(net.subnet().subnetId()).privateIpAddresses(
                PrivateIpAddressSpecification.builder().privateIpAddress("10.62.0.60").primary(true).build(),
                PrivateIpAddressSpecification.builder().privateIpAddress("10.62.0.61").primary(true).build())),
                "InvalidParameterValue");
        assertError(() -> ec2.createNetworkInterface(r -> r.subnetId(net.subnet().subnetId())
                .secondaryPrivateIpAddressCount(0)), "InvalidParameterValue");
        cleanUp(ec2, net);
    }

    @Test
    void createNetworkInterface_reservedOutsideOrTakenAddress_isRefused() {
        Net net = net(ec2, "10.63.0.0/16", "10.63.0.0/28");
        String subnet = net.subnet().subnetId();
        for (String reserved : List.of("10.63.0.0", "10.63.0.1", "10.63.0.2", "10.63.0.3", "10.63.0.15")) {
            assertError(() -> ec2.createNetworkInterface(r -> r.subnetId(subnet).privateIpAddress(reserved)),
                    "InvalidParameterValue");
        }
        assertError(() -> ec2.createNetworkInterface(r -> r.subnetId(subnet).privateIpAddress("10.63.0.16")),
                "InvalidParameterValue");
        assertError(() -> ec2.createNetworkInterface(r -> r.subnetId(subnet).privateIpAddress("banana")),
                "InvalidParameterValue");
        ec2.createNetworkInterface(r -> r.subnetId(subnet).privateIpAddress("10.63.0.9"));
        assertError(() -> ec2.createNetworkInterface(r -> r.subnetId(subnet).privateIpAddress("10.63.0.9")),
                "InvalidIPAddress.InUse");
        assertThat(available(ec2, net)).isEqualTo(10);
        cleanUp(ec2, net);
    }

    @Test
    void createNetworkInterface_badSubnetOrGroup_failsWithAwsCodes() {
        Net net = net(ec2, "10.64.0.0/16", "10.64.0.0/24");
        Net second = net(ec2, "10.65.0.0/16", "10.65.0.0/24");
        String subnet = net.subnet().subnetId();
        assertError(() -> ec2.createNetworkInterface(r -> r.subnetId("subnet-0123456789abcdef0")),
                "InvalidSubnetID.NotFound");
        assertError(() -> ec2.createNetworkInterface(r -> r.subnetId("subnet-zz")), "InvalidSubnetId.Malformed");
        assertError(() -> ec2.createNetworkInterface(r -> r.groups("sg-0123456789abcdef0").subnetId(subnet)),
                "InvalidGroup.NotFound");
        assertError(() -> ec2.createNetworkInterface(r -> r.groups(defaultGroup(second).id()).subnetId(subnet)),
                "InvalidParameter");
        NetworkInterface ok = ec2.createNetworkInterface(r -> r.groups(defaultGroup(net).id()).subnetId(subnet))
                .networkInterface();
        assertThat(ok.groups()).extracting(g -> g.groupId()).containsExactly(defaultGroup(net).id());
        assertError(() -> ec2.createNetworkInterface(r -> r.subnetId(subnet).interfaceType("nat_gateway")),
                "InvalidParameterValue");
        cleanUp(ec2, net);
        cleanUp(ec2, second);
    }

    @Test
    void createNetworkInterface_beyondQuotas_failsWithLimitExceeded() {
        Ec2Client tight = TIGHT.ec2(ACCOUNT);
        Vpc vpc = tight.createVpc(r -> r.cidrBlock("10.66.0.0/16")).vpc();
        Subnet subnet = tight.createSubnet(r -> r.vpcId(vpc.vpcId()).cidrBlock("10.66.0.0/24")).subnet();
        String group = TIGHT.server().store().world().all(dev.underpass.model.ec2.SecurityGroup.class,
                g -> g.vpcId().value().equals(vpc.vpcId())).get(0).id();
        assertError(() -> tight.createNetworkInterface(r -> r.subnetId(subnet.subnetId()).groups(group)),
                "SecurityGroupsPerInterfaceLimitExceeded");
        tight.createNetworkInterface(r -> r.subnetId(subnet.subnetId()));
        tight.createNetworkInterface(r -> r.subnetId(subnet.subnetId()));
        assertError(() -> tight.createNetworkInterface(r -> r.subnetId(subnet.subnetId())),
                "NetworkInterfaceLimitExceeded");
    }

    @Test
    void deleteNetworkInterface_unknownMalformedOrAttached_isRefused_thenDeletes() {
        Net net = net(ec2, "10.67.0.0/16", "10.67.0.0/24");
        assertError(() -> ec2.deleteNetworkInterface(r -> r.networkInterfaceId("eni-0123456789abcdef0")),
                "InvalidNetworkInterfaceID.NotFound");
        assertError(() -> ec2.deleteNetworkInterface(r -> r.networkInterfaceId("eni-1")),
                "InvalidNetworkInterfaceId.Malformed");
        Instance instance = ec2.runInstances(r -> r.imageId("ami-0123456789abcdef0").minCount(1).maxCount(1)
                .subnetId(net.subnet().subnetId())).instances().get(0);
        String primary = instance.networkInterfaces().get(0).networkInterfaceId();
        assertError(() -> ec2.deleteNetworkInterface(r -> r.networkInterfaceId(primary)),
                "InvalidNetworkInterface.InUse");

        NetworkInterface eni = ec2.createNetworkInterface(r -> r.subnetId(net.subnet().subnetId()))
                .networkInterface();
        ec2.deleteNetworkInterface(r -> r.networkInterfaceId(eni.networkInterfaceId()));
        assertError(() -> ec2.describeNetworkInterfaces(r -> r.networkInterfaceIds(eni.networkInterfaceId())),
                "InvalidNetworkInterfaceID.NotFound");
        cleanUp(ec2, net);
    }

    @Test
    void deleteNetworkInterface_requesterManaged_failsWithOperationNotPermitted() {
        Net net = net(ec2, "10.68.0.0/16", "10.68.0.0/24");
        // Stands in for a NAT gateway's interface: the NAT gateway API lives in another handler family.
        var managed = UNDERPASS.server().store().writeAndWait(Caller.of(ACCOUNT, "us-east-1"), tx -> {
            var eni = new dev.underpass.model.ec2.NetworkInterface("eni-0a0a0a0a0a0a0a0a0", ACCOUNT, "us-east-1",
                    SubnetId.of(net.subnet().subnetId()), VpcId.of(net.vpc().vpcId()), "us-east-1a",
                    "Interface for NAT Gateway",
                    "nat_gateway", true, "AWS-NAT", "02:00:00:00:00:01", false,
                    List.of(new dev.underpass.model.ec2.NetworkInterface.PrivateIp("10.68.0.200", true)), List.of(),
                    null, Map.of());
            return tx.put(eni);
        });
        NetworkInterface shown = ec2.describeNetworkInterfaces(r -> r.filters(
                Filter.builder().name("requester-managed").values("true").build(),
                Filter.builder().name("vpc-id").values(net.vpc().vpcId()).build())).networkInterfaces().get(0);
        assertThat(shown.networkInterfaceId()).isEqualTo(managed.id());
        assertThat(shown.requesterId()).isEqualTo("AWS-NAT");
        assertThat(shown.interfaceTypeAsString()).isEqualTo("nat_gateway");
        assertError(() -> ec2.deleteNetworkInterface(r -> r.networkInterfaceId(managed.id())),
                "OperationNotPermitted");
        assertError(() -> ec2.modifyNetworkInterfaceAttribute(r -> r.networkInterfaceId(managed.id())
                .description(d -> d.value("mine now"))), "OperationNotPermitted");
        UNDERPASS.server().store().writeAndWait(Caller.of(ACCOUNT, "us-east-1"), tx -> {
            tx.remove(managed);
            return null;
        });
        cleanUp(ec2, net);
    }

    @Test
    void describeNetworkInterfaces_filtersIdsAndPagination() {
        Net net = net(ec2, "10.69.0.0/16", "10.69.0.0/24");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int n = i;
            ids.add(ec2.createNetworkInterface(r -> r.subnetId(net.subnet().subnetId()).description("d" + n)
                    .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.NETWORK_INTERFACE)
                            .tags(Tag.builder().key("n").value("v" + n).build()).build()))
                    .networkInterface().networkInterfaceId());
        }
        Filter inVpc = Filter.builder().name("vpc-id").values(net.vpc().vpcId()).build();
        assertThat(ec2.describeNetworkInterfaces(r -> r.filters(inVpc)).networkInterfaces()).hasSize(6);
        assertThat(ec2.describeNetworkInterfaces(r -> r.filters(inVpc,
                Filter.builder().name("description").values("d1", "d2").build())).networkInterfaces()).hasSize(2);
        assertThat(ec2.describeNetworkInterfaces(r -> r.filters(inVpc,
                Filter.builder().name("tag:n").values("v5").build())).networkInterfaces())
                .singleElement().satisfies(n -> assertThat(n.networkInterfaceId()).isEqualTo(ids.get(5)));
        assertThat(ec2.describeNetworkInterfaces(r -> r.filters(
                Filter.builder().name("private-ip-address").values("10.69.0.5").build())).networkInterfaces())
                .singleElement().satisfies(n -> assertThat(n.networkInterfaceId()).isEqualTo(ids.get(1)));
        assertThat(ec2.describeNetworkInterfaces(r -> r.filters(
                Filter.builder().name("addresses.private-ip-address").values("10.69.0.4").build()))
                .networkInterfaces()).hasSize(1);
        for (String[] f : new String[][] {{"status", "available"}, {"interface-type", "interface"},
            {"subnet-id", net.subnet().subnetId()}, {"availability-zone", "us-east-1a"},
            {"owner-id", ACCOUNT}, {"requester-managed", "false"}, {"group-id", defaultGroup(net).id()}}) {
            assertThat(ec2.describeNetworkInterfaces(r -> r.filters(inVpc,
                    Filter.builder().name(f[0]).values(f[1]).build())).networkInterfaces()).as(f[0]).hasSize(6);
        }
        assertThat(ec2.describeNetworkInterfaces(r -> r.filters(inVpc,
                Filter.builder().name("status").values("in-use").build())).networkInterfaces()).isEmpty();
        assertError(() -> ec2.describeNetworkInterfaces(r -> r.filters(
                Filter.builder().name("colour").values("x").build())), "InvalidParameterValue");
        assertError(() -> ec2.describeNetworkInterfaces(r -> r.networkInterfaceIds(ids.get(0)).maxResults(5)),
                "InvalidParameterCombination");
        assertError(() -> ec2.describeNetworkInterfaces(r -> r.maxResults(4)), "InvalidParameterValue");
        assertError(() -> ec2.describeNetworkInterfaces(r -> r.maxResults(1001)), "InvalidParameterValue");
        var first = ec2.describeNetworkInterfaces(r -> r.filters(inVpc).maxResults(5));
        assertThat(first.networkInterfaces()).hasSize(5);
        assertThat(first.nextToken()).isNotNull();
        assertThat(ec2.describeNetworkInterfacesPaginator(r -> r.filters(inVpc).maxResults(5)).networkInterfaces()
                .stream().map(NetworkInterface::networkInterfaceId).toList()).containsExactlyInAnyOrderElementsOf(ids);
        cleanUp(ec2, net);
    }

    @Test
    void attachAndDetach_followAwsRules() {
        Net net = net(ec2, "10.70.0.0/16", "10.70.0.0/24");
        Instance instance = ec2.runInstances(r -> r.imageId("ami-0123456789abcdef0").minCount(1).maxCount(1)
                .subnetId(net.subnet().subnetId())).instances().get(0);
        String eni = ec2.createNetworkInterface(r -> r.subnetId(net.subnet().subnetId())).networkInterface()
                .networkInterfaceId();
        String eni2 = ec2.createNetworkInterface(r -> r.subnetId(net.subnet().subnetId())).networkInterface()
                .networkInterfaceId();

        assertError(() -> ec2.attachNetworkInterface(r -> r.networkInterfaceId(eni)
                .instanceId(instance.instanceId()).deviceIndex(0)), "InvalidParameterValue");
        String attachmentId = ec2.attachNetworkInterface(r -> r.networkInterfaceId(eni)
                .instanceId(instance.instanceId()).deviceIndex(1)).attachmentId();
        assertThat(attachmentId).matches("eni-attach-[0-9a-f]{17}");
        NetworkInterface attached = ec2.describeNetworkInterfaces(r -> r.networkInterfaceIds(eni))
                .networkInterfaces().get(0);
        assertThat(attached.statusAsString()).isEqualTo("in-use");
        assertThat(attached.attachment().instanceId()).isEqualTo(instance.instanceId());
        assertThat(attached.attachment().deviceIndex()).isEqualTo(1);
        assertThat(attached.attachment().deleteOnTermination()).isFalse();
        assertThat(attached.attachment().statusAsString()).isEqualTo("attached");
        assertThat(attached.attachment().instanceOwnerId()).isEqualTo(ACCOUNT);
        assertThat(ec2.describeNetworkInterfaces(r -> r.filters(Filter.builder().name("attachment.instance-id")
                .values(instance.instanceId()).build())).networkInterfaces()).hasSize(2);
        assertThat(ec2.describeNetworkInterfaces(r -> r.filters(Filter.builder().name("attachment.status")
                .values("attached").build(), Filter.builder().name("vpc-id").values(net.vpc().vpcId()).build()))
                .networkInterfaces()).hasSize(2);
        assertThat(ec2.describeInstances(r -> r.instanceIds(instance.instanceId())).reservations().get(0)
                .instances().get(0).networkInterfaces()).hasSize(2);

        assertError(() -> ec2.attachNetworkInterface(r -> r.networkInterfaceId(eni2)
                .instanceId(instance.instanceId()).deviceIndex(1)), "InvalidParameterValue");
        assertError(() -> ec2.attachNetworkInterface(r -> r.networkInterfaceId(eni)
                .instanceId(instance.instanceId()).deviceIndex(2)), "InvalidNetworkInterface.InUse");
        assertError(() -> ec2.attachNetworkInterface(r -> r.networkInterfaceId(eni2)
                .instanceId("i-0123456789abcdef0").deviceIndex(2)), "InvalidInstanceID.NotFound");
        assertError(() -> ec2.deleteNetworkInterface(r -> r.networkInterfaceId(eni)),
                "InvalidNetworkInterface.InUse");

        String primaryAttachment = instance.networkInterfaces().get(0).attachment().attachmentId();
        assertError(() -> ec2.detachNetworkInterface(r -> r.attachmentId(primaryAttachment)),
                "OperationNotPermitted");
        assertError(() -> ec2.detachNetworkInterface(r -> r.attachmentId("eni-attach-0123456789abcdef0")),
                "InvalidAttachmentID.NotFound");
        assertError(() -> ec2.detachNetworkInterface(r -> r.attachmentId("attach-1")),
                "InvalidNetworkInterfaceAttachmentId.Malformed");
        assertError(() -> other.detachNetworkInterface(r -> r.attachmentId(attachmentId)),
                "InvalidAttachmentID.NotFound");
        ec2.detachNetworkInterface(r -> r.attachmentId(attachmentId));
        assertThat(ec2.describeNetworkInterfaces(r -> r.networkInterfaceIds(eni)).networkInterfaces().get(0)
                .statusAsString()).isEqualTo("available");
        cleanUp(ec2, net);
    }

    @Test
    void modifyAndDescribeAttribute_changeDescriptionCheckGroupsAndDeleteOnTermination() {
        Net net = net(ec2, "10.71.0.0/16", "10.71.0.0/24");
        String eni = ec2.createNetworkInterface(r -> r.subnetId(net.subnet().subnetId())).networkInterface()
                .networkInterfaceId();
        ec2.modifyNetworkInterfaceAttribute(r -> r.networkInterfaceId(eni).description(d -> d.value("router")));
        ec2.modifyNetworkInterfaceAttribute(r -> r.networkInterfaceId(eni).sourceDestCheck(b -> b.value(false)));
        ec2.modifyNetworkInterfaceAttribute(r -> r.networkInterfaceId(eni).groups(defaultGroup(net).id()));
        assertThat(ec2.describeNetworkInterfaceAttribute(r -> r.networkInterfaceId(eni).attribute("description"))
                .description().value()).isEqualTo("router");
        assertThat(ec2.describeNetworkInterfaceAttribute(r -> r.networkInterfaceId(eni)
                .attribute("sourceDestCheck")).sourceDestCheck().value()).isFalse();
        assertThat(ec2.describeNetworkInterfaceAttribute(r -> r.networkInterfaceId(eni).attribute("groupSet"))
                .groups()).extracting(g -> g.groupName()).containsExactly("default");
        assertThat(ec2.describeNetworkInterfaces(r -> r.filters(Filter.builder().name("source-dest-check")
                .values("false").build())).networkInterfaces()).extracting(NetworkInterface::networkInterfaceId)
                .containsExactly(eni);
        assertError(() -> ec2.modifyNetworkInterfaceAttribute(r -> r.networkInterfaceId(eni)
                .description(d -> d.value("x")).sourceDestCheck(b -> b.value(true))), "InvalidParameterCombination");
        assertError(() -> ec2.modifyNetworkInterfaceAttribute(r -> r.networkInterfaceId(eni)), "MissingParameter");
        assertError(() -> other.modifyNetworkInterfaceAttribute(r -> r.networkInterfaceId(eni)
                .description(d -> d.value("x"))), "InvalidNetworkInterfaceID.NotFound");

        Instance instance = ec2.runInstances(r -> r.imageId("ami-0123456789abcdef0").minCount(1).maxCount(1)
                .subnetId(net.subnet().subnetId())).instances().get(0);
        String attachmentId = ec2.attachNetworkInterface(r -> r.networkInterfaceId(eni)
                .instanceId(instance.instanceId()).deviceIndex(1)).attachmentId();
        ec2.modifyNetworkInterfaceAttribute(r -> r.networkInterfaceId(eni).attachment(a -> a
                .attachmentId(attachmentId).deleteOnTermination(true)));
        var attachment = ec2.describeNetworkInterfaceAttribute(r -> r.networkInterfaceId(eni)
                .attribute("attachment")).attachment();
        assertThat(attachment.attachmentId()).isEqualTo(attachmentId);
        assertThat(attachment.deleteOnTermination()).isTrue();
        // Delete-on-termination now covers the secondary interface too: terminating removes both.
        ec2.terminateInstances(r -> r.instanceIds(instance.instanceId()));
        assertError(() -> ec2.describeNetworkInterfaces(r -> r.networkInterfaceIds(eni)),
                "InvalidNetworkInterfaceID.NotFound");
        cleanUp(ec2, net);
    }

    @Test
    void assignAndUnassignPrivateIpAddresses_explicitCountedAndErrors() {
        Net net = net(ec2, "10.72.0.0/16", "10.72.0.0/24");
        String eni = ec2.createNetworkInterface(r -> r.subnetId(net.subnet().subnetId())).networkInterface()
                .networkInterfaceId();
        var counted = ec2.assignPrivateIpAddresses(r -> r.networkInterfaceId(eni).secondaryPrivateIpAddressCount(2));
        assertThat(counted.assignedPrivateIpAddresses()).extracting(a -> a.privateIpAddress())
                .containsExactly("10.72.0.5", "10.72.0.6");
        ec2.assignPrivateIpAddresses(r -> r.networkInterfaceId(eni).privateIpAddresses("10.72.0.100"));
        assertThat(ec2.describeNetworkInterfaces(r -> r.networkInterfaceIds(eni)).networkInterfaces().get(0)
                .privateIpAddresses()).extracting(NetworkInterfacePrivateIpAddress::privateIpAddress)
                .containsExactly("10.72.0.4", "10.72.0.5", "10.72.0.6", "10.72.0.100");
        assertThat(available(ec2, net)).isEqualTo(247);

        assertError(() -> ec2.assignPrivateIpAddresses(r -> r.networkInterfaceId(eni)
                .privateIpAddresses("10.72.0.100")), "InvalidIPAddress.InUse");
        assertError(() -> ec2.assignPrivateIpAddresses(r -> r.networkInterfaceId(eni)
                .privateIpAddresses("10.72.0.255")), "InvalidParameterValue");
        assertError(() -> ec2.assignPrivateIpAddresses(r -> r.networkInterfaceId(eni)), "MissingParameter");
        assertError(() -> ec2.unassignPrivateIpAddresses(r -> r.networkInterfaceId(eni)
                .privateIpAddresses("10.72.0.99")), "InvalidParameterValue");
        assertError(() -> ec2.unassignPrivateIpAddresses(r -> r.networkInterfaceId(eni)
                .privateIpAddresses("10.72.0.4")), "InvalidParameterValue");

        // A secondary address moves between interfaces only with AllowReassignment.
        String eni2 = ec2.createNetworkInterface(r -> r.subnetId(net.subnet().subnetId())).networkInterface()
                .networkInterfaceId();
        assertError(() -> ec2.assignPrivateIpAddresses(r -> r.networkInterfaceId(eni2)
                .privateIpAddresses("10.72.0.100")), "InvalidIPAddress.InUse");
        ec2.assignPrivateIpAddresses(r -> r.networkInterfaceId(eni2).privateIpAddresses("10.72.0.100")
                .allowReassignment(true));
        assertThat(ec2.describeNetworkInterfaces(r -> r.filters(Filter.builder().name("private-ip-address")
                .values("10.72.0.100").build())).networkInterfaces()).extracting(NetworkInterface::networkInterfaceId)
                .containsExactly(eni2);

        ec2.unassignPrivateIpAddresses(r -> r.networkInterfaceId(eni).privateIpAddresses("10.72.0.5", "10.72.0.6"));
        assertThat(ec2.describeNetworkInterfaces(r -> r.networkInterfaceIds(eni)).networkInterfaces().get(0)
                .privateIpAddresses()).extracting(NetworkInterfacePrivateIpAddress::privateIpAddress)
                .containsExactly("10.72.0.4");
        cleanUp(ec2, net);
    }

    @Test
    void anotherAccount_cannotSeeOrChangeTheInterface() {
        Net net = net(ec2, "10.73.0.0/16", "10.73.0.0/24");
        String eni = ec2.createNetworkInterface(r -> r.subnetId(net.subnet().subnetId())).networkInterface()
                .networkInterfaceId();
        assertError(() -> other.describeNetworkInterfaces(r -> r.networkInterfaceIds(eni)),
                "InvalidNetworkInterfaceID.NotFound");
        assertThat(other.describeNetworkInterfaces().networkInterfaces())
                .extracting(NetworkInterface::networkInterfaceId).doesNotContain(eni);
        assertError(() -> other.deleteNetworkInterface(r -> r.networkInterfaceId(eni)),
                "InvalidNetworkInterfaceID.NotFound");
        assertError(() -> other.assignPrivateIpAddresses(r -> r.networkInterfaceId(eni)
                .secondaryPrivateIpAddressCount(1)), "InvalidNetworkInterfaceID.NotFound");
        assertError(() -> other.describeNetworkInterfaceAttribute(r -> r.networkInterfaceId(eni)
                .attribute("description")), "InvalidNetworkInterfaceID.NotFound");
        assertError(() -> other.createNetworkInterface(r -> r.subnetId(net.subnet().subnetId())),
                "InvalidSubnetID.NotFound");
        cleanUp(ec2, net);
    }

    @Test
    void fiftyParallelCreates_inA27_getDistinctUnreservedAddresses_untilTheSubnetIsFull() throws Exception {
        Net net = net(ec2, "10.74.0.0/16", "10.74.0.32/27");
        String subnet = net.subnet().subnetId();
        List<Ec2Client> clients = List.of(UNDERPASS.ec2(ACCOUNT), UNDERPASS.ec2(ACCOUNT), UNDERPASS.ec2(ACCOUNT),
                UNDERPASS.ec2(ACCOUNT), UNDERPASS.ec2(ACCOUNT));
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<String>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                Ec2Client client = clients.get(i % clients.size());
                results.add(pool.submit(() -> {
                    try {
                        return client.createNetworkInterface(r -> r.subnetId(subnet)).networkInterface()
                                .privateIpAddress();
                    } catch (Ec2Exception e) {
                        return "error:" + e.awsErrorDetails().errorCode();
                    }
                }));
            }
            List<String> addresses = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            for (Future<String> f : results) {
                String r = f.get();
                (r.startsWith("error:") ? errors : addresses).add(r);
            }
            // A /27 has 32 addresses; AWS reserves 5, so 27 creates succeed and the other 23 find it full.
            assertThat(addresses).hasSize(27).doesNotHaveDuplicates();
            assertThat(errors).hasSize(23).containsOnly("error:InsufficientFreeAddressesInSubnet");
            Cidr block = Cidr.parse("10.74.0.32/27");
            Set<String> expected = new HashSet<>();
            for (int a = block.first() + 4; a < block.last(); a++) {
                expected.add(Ipv4.format(a));
            }
            assertThat(addresses).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(available(ec2, net)).isZero();

            String one = ec2.describeNetworkInterfaces(r -> r.filters(Filter.builder().name("subnet-id")
                    .values(subnet).build())).networkInterfaces().get(0).networkInterfaceId();
            ec2.deleteNetworkInterface(r -> r.networkInterfaceId(one));
            assertThat(available(ec2, net)).isEqualTo(1);
        } finally {
            pool.shutdown();
            clients.forEach(Ec2Client::close);
        }
        cleanUp(ec2, net);
    }

    @Test
    void dryRun_createNetworkInterface_changesNothing() {
        Net net = net(ec2, "10.75.0.0/16", "10.75.0.0/24");
        assertThatThrownBy(() -> ec2.createNetworkInterface(r -> r.subnetId(net.subnet().subnetId()).dryRun(true)))
                .isInstanceOfSatisfying(Ec2Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("DryRunOperation"));
        assertThat(available(ec2, net)).isEqualTo(251);
        cleanUp(ec2, net);
    }
}
