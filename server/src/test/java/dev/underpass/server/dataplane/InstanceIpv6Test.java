package dev.underpass.server.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.dataplane.DataPlane;
import dev.underpass.model.net.Ipv6Block;
import dev.underpass.server.Loopback;
import dev.underpass.server.UnderpassExtension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceIpv6Address;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;

/**
 * Instances with IPv6 addresses: RunInstances takes {@code Ipv6AddressCount} (or the subnet's
 * {@code AssignIpv6AddressOnCreation}), DescribeInstances and DescribeNetworkInterfaces show the addresses, and the
 * DNS server answers AAAA for the instance's resource name when its {@code EnableResourceNameDnsAAAARecord} is on.
 */
class InstanceIpv6Test {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = UnderpassExtension.onLoopback();
    private static final String OWNER = "616161616161";

    private static Ec2Client ec2;
    private static String vpc;
    private static String block64;
    private static String dualStack;
    private static String ipv4Only;
    private static DataPlane dataPlane;
    private static int dnsPort;

    @BeforeAll
    static void network() {
        ec2 = UNDERPASS.ec2(OWNER);
        vpc = ec2.createVpc(r -> r.cidrBlock("10.61.0.0/16").amazonProvidedIpv6CidrBlock(true)).vpc().vpcId();
        String block56 = ec2.describeVpcs(r -> r.vpcIds(vpc)).vpcs().get(0).ipv6CidrBlockAssociationSet().get(0)
                .ipv6CidrBlock();
        block64 = Ipv6Block.parse(block56).child(64, 1).toString();
        dualStack = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.61.1.0/24").ipv6CidrBlock(block64)
                .availabilityZone("us-east-1a")).subnet().subnetId();
        ipv4Only = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.61.2.0/24").availabilityZone("us-east-1a"))
                .subnet().subnetId();
        dataPlane = UNDERPASS.server().startDataPlane();
        dnsPort = dataPlane.startDns("127.0.0.1", 0);
    }

    private static Instance run(Consumer<RunInstancesRequest.Builder> more) {
        return ec2.runInstances(r -> {
            r.imageId("ami-12345678").instanceType("t3.micro").minCount(1).maxCount(1);
            more.accept(r);
        }).instances().get(0);
    }

    private static List<String> ipv6Of(String instanceId) {
        return ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().get(0).instances().get(0)
                .networkInterfaces().get(0).ipv6Addresses().stream().map(InstanceIpv6Address::ipv6Address).toList();
    }

    @Test
    void ipv6AddressCount_givesThePrimaryInterfaceThatManyAddressesOfTheSubnet() {
        Instance i = run(r -> r.subnetId(dualStack).ipv6AddressCount(2));
        List<String> addresses = ipv6Of(i.instanceId());
        assertThat(addresses).hasSize(2).doesNotHaveDuplicates()
                .allSatisfy(a -> assertThat(Ipv6Block.parse(block64).contains(Ipv6Block.parse(a + "/128"))).as(a)
                        .isTrue());
        assertThat(ec2.describeInstances(r -> r.filters(f -> f.name("network-interface.ipv6-addresses.ipv6-address")
                .values(addresses.get(1)))).reservations()).flatExtracting(res -> res.instances())
                .extracting(Instance::instanceId).containsExactly(i.instanceId());
        String eni = i.networkInterfaces().get(0).networkInterfaceId();
        assertThat(ec2.describeNetworkInterfaces(r -> r.networkInterfaceIds(eni)).networkInterfaces().get(0)
                .ipv6Addresses()).extracting(a -> a.ipv6Address()).containsExactlyElementsOf(addresses);
        // Without a count the subnet decides: none unless it assigns IPv6 addresses on creation.
        assertThat(ipv6Of(run(r -> r.subnetId(dualStack)).instanceId())).isEmpty();
        ec2.modifySubnetAttribute(r -> r.subnetId(dualStack).assignIpv6AddressOnCreation(b -> b.value(true)));
        try {
            assertThat(ipv6Of(run(r -> r.subnetId(dualStack)).instanceId())).hasSize(1);
            assertThat(ipv6Of(run(r -> r.subnetId(dualStack).ipv6AddressCount(0)).instanceId())).isEmpty();
        } finally {
            ec2.modifySubnetAttribute(r -> r.subnetId(dualStack).assignIpv6AddressOnCreation(b -> b.value(false)));
        }
    }

    @Test
    void ipv6AddressCount_inASubnetWithoutIpv6_orOutOfRange_isRefused_andLaunchesNothing() {
        int before = instances();
        assertEc2Error(() -> run(r -> r.subnetId(ipv4Only).ipv6AddressCount(1)),
                "InvalidParameterCombination", 400);
        assertEc2Error(() -> run(r -> r.subnetId(dualStack).ipv6AddressCount(-1)),
                "InvalidParameterValue", 400);
        assertEc2Error(() -> run(r -> r.subnetId(dualStack).ipv6Addresses(a -> a.ipv6Address(
                Ipv6Block.parse(block64).child(128, 77).toString().replace("/128", "")))),
                "UnsupportedOperation", 400);
        assertThat(instances()).isEqualTo(before);
    }

    private static void assertEc2Error(Runnable call, String code, int status) {
        org.assertj.core.api.Assertions.assertThatThrownBy(call::run).isInstanceOfSatisfying(Ec2Exception.class,
                e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
                    assertThat(e.statusCode()).isEqualTo(status);
                });
    }

    private static int instances() {
        return ec2.describeInstances().reservations().stream().mapToInt(r -> r.instances().size()).sum();
    }

    @Test
    void resourceName_answersAaaaInsideItsVpc_whenItsAaaaRecordIsOn() throws Exception {
        Instance i = run(r -> r.subnetId(dualStack).ipv6AddressCount(1).privateDnsNameOptions(o -> o
                .hostnameType("resource-name").enableResourceNameDnsARecord(true)
                .enableResourceNameDnsAAAARecord(true)));
        Instance plain = run(r -> r.subnetId(dualStack).ipv6AddressCount(1).privateDnsNameOptions(o -> o
                .hostnameType("resource-name").enableResourceNameDnsARecord(true)));
        dataPlane.sync();
        String asker = Loopback.entry(dataPlane, plain.instanceId()).loopback();
        String name = i.instanceId() + ".ec2.internal";
        Message aaaa = ask(asker, name, Type.AAAA);
        assertThat(aaaa.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(aaaa.getSection(Section.ANSWER)).extracting(r -> ((AAAARecord) r).getAddress().getHostAddress())
                .extracting(a -> java.net.InetAddress.getByName(a).getHostAddress())
                .containsExactly(java.net.InetAddress.getByName(ipv6Of(i.instanceId()).get(0)).getHostAddress());
        Message a = ask(asker, name, Type.A);
        assertThat(a.getSection(Section.ANSWER)).extracting(r -> ((ARecord) r).getAddress().getHostAddress())
                .containsExactly(Loopback.entry(dataPlane, i.instanceId()).loopback());
        // The other instance has its A record and no AAAA one: NOERROR without an answer (NODATA).
        Message none = ask(asker, plain.instanceId() + ".ec2.internal", Type.AAAA);
        assertThat(none.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(none.getSection(Section.ANSWER)).isEmpty();
        // Outside the VPC the name does not exist.
        assertThat(ask("127.0.0.1", name, Type.AAAA).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void dualstackEndpointNames_answerAaaaWithTheInterfacesIpv6Addresses_ipv4RecordsDoNot() throws Exception {
        String dual = endpoint("dualstack");
        String v4 = endpoint("ipv4");
        Instance asker = run(r -> r.subnetId(dualStack));
        dataPlane.sync();
        String from = Loopback.entry(dataPlane, asker.instanceId()).loopback();
        var e = ec2.describeVpcEndpoints(r -> r.vpcEndpointIds(dual)).vpcEndpoints().get(0);
        String eniV6 = ec2.describeNetworkInterfaces(r -> r.networkInterfaceIds(e.networkInterfaceIds()))
                .networkInterfaces().get(0).ipv6Addresses().get(0).ipv6Address();
        String regional = e.dnsEntries().get(0).dnsName();
        assertThat(ask(from, regional, Type.AAAA).getSection(Section.ANSWER))
                .extracting(r -> ((AAAARecord) r).getAddress()).containsExactly(java.net.InetAddress.getByName(eniV6));
        assertThat(ask(from, regional, Type.A).getSection(Section.ANSWER)).hasSize(1);
        String v4Name = ec2.describeVpcEndpoints(r -> r.vpcEndpointIds(v4)).vpcEndpoints().get(0).dnsEntries().get(0)
                .dnsName();
        Message none = ask(from, v4Name, Type.AAAA);
        assertThat(none.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(none.getSection(Section.ANSWER)).isEmpty();
        assertThat(ask(from, v4Name, Type.A).getSection(Section.ANSWER)).hasSize(1);
    }

    /** An SQS interface endpoint in the dual-stack subnet, dual-stack, with this DNS record IP type. */
    private static String endpoint(String recordIpType) {
        return ec2.createVpcEndpoint(r -> r.vpcId(vpc).vpcEndpointType("Interface")
                .serviceName("com.amazonaws.us-east-1.sqs").privateDnsEnabled(false).subnetIds(dualStack)
                .ipAddressType("dualstack").dnsOptions(o -> o.dnsRecordIpType(recordIpType))).vpcEndpoint()
                .vpcEndpointId();
    }

    private static Message ask(String from, String name, int type) throws IOException {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", dnsPort));
        resolver.setLocalAddress(new InetSocketAddress(from, 0));
        resolver.setTimeout(Duration.ofSeconds(5));
        return resolver.send(Message.newQuery(org.xbill.DNS.Record.newRecord(Name.fromString(name + "."), type,
                DClass.IN)));
    }
}
