package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.ec2.Quotas;
import dev.underpass.model.net.Ipv6Block;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateVpcEndpointRequest;
import software.amazon.awssdk.services.ec2.model.DnsEntry;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * The IP address type and DNS record IP type of interface endpoints against IPv4, dual-stack and IPv6-only subnets,
 * through the AWS SDK: every accepted combination and every refused one with its code.
 */
class VpcEndpointIpTypeTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS =
            UnderpassExtension.withQuotas(Quotas.defaults().with("vpcs-per-region", 100));

    private final Ec2Client ec2 = UNDERPASS.ec2("111111111111");
    private static final String SQS = "com.amazonaws.us-east-1.sqs";

    /** A VPC with an IPv6 block and one subnet of each kind, each in its own zone. */
    private record Net(String vpcId, String ipv6Block, String v4, String dual, String v6only) {}

    private Net network() {
        String vpcId = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16").amazonProvidedIpv6CidrBlock(true)).vpc()
                .vpcId();
        Vpc vpc = ec2.describeVpcs(r -> r.vpcIds(vpcId)).vpcs().get(0);
        Ipv6Block block = Ipv6Block.parse(vpc.ipv6CidrBlockAssociationSet().get(0).ipv6CidrBlock());
        String v4 = ec2.createSubnet(r -> r.vpcId(vpcId).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a"))
                .subnet().subnetId();
        String dual = ec2.createSubnet(r -> r.vpcId(vpcId).cidrBlock("10.0.2.0/24").availabilityZone("us-east-1b")
                .ipv6CidrBlock(block.child(64, 2).toString())).subnet().subnetId();
        String v6 = ec2.createSubnet(r -> r.vpcId(vpcId).ipv6Native(true).availabilityZone("us-east-1c")
                .ipv6CidrBlock(block.child(64, 3).toString())).subnet().subnetId();
        return new Net(vpcId, block.toString(), v4, dual, v6);
    }

    private VpcEndpoint create(Net net, Consumer<CreateVpcEndpointRequest.Builder> more) {
        String id = ec2.createVpcEndpoint(r -> {
            r.vpcId(net.vpcId()).vpcEndpointType("Interface").serviceName(SQS).privateDnsEnabled(false);
            more.accept(r);
        }).vpcEndpoint().vpcEndpointId();
        return ec2.describeVpcEndpoints(r -> r.vpcEndpointIds(id)).vpcEndpoints().get(0);
    }

    private void assertRefused(Net net, Consumer<CreateVpcEndpointRequest.Builder> more, String code) {
        assertThatThrownBy(() -> create(net, more)).isInstanceOfSatisfying(Ec2Exception.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.statusCode()).isEqualTo(400);
        });
    }

    private List<NetworkInterface> enis(VpcEndpoint e) {
        return ec2.describeNetworkInterfaces(r -> r.networkInterfaceIds(e.networkInterfaceIds()))
                .networkInterfaces();
    }

    private static String subnetBlock(Ec2Client ec2, String subnetId) {
        return ec2.describeSubnets(r -> r.subnetIds(subnetId)).subnets().get(0).ipv6CidrBlockAssociationSet().get(0)
                .ipv6CidrBlock();
    }

    private static boolean inside(String block, String address) throws Exception {
        return Ipv6Block.parse(block).contains(new BigInteger(1, InetAddress.getByName(address).getAddress()));
    }

    @Test
    void describeFilters_matchTheIpAddressTypesByAwsNames() {
        Net net = network();
        VpcEndpoint v4 = create(net, r -> r.subnetIds(net.v4()));
        VpcEndpoint dual = create(net, r -> r.subnetIds(net.dual()).ipAddressType("dualstack"));
        VpcEndpoint v6 = create(net, r -> r.subnetIds(net.v6only()));
        List<String> mine = List.of(v4.vpcEndpointId(), dual.vpcEndpointId(), v6.vpcEndpointId());
        for (var expected : List.of(List.of("ipv4", v4), List.of("dualstack", dual), List.of("ipv6", v6))) {
            assertThat(ec2.describeVpcEndpoints(r -> r.vpcEndpointIds(mine).filters(Filter.builder()
                    .name("ip-address-type").values((String) expected.get(0)).build())).vpcEndpoints())
                    .extracting(VpcEndpoint::vpcEndpointId)
                    .containsExactly(((VpcEndpoint) expected.get(1)).vpcEndpointId());
        }
        // AWS's services: a Gateway offering is IPv4 only, an Interface offering takes both families.
        var services = ec2.describeVpcEndpointServices(r -> r.serviceNames("com.amazonaws.us-east-1.s3")
                .filters(Filter.builder().name("supported-ip-address-types").values("ipv6").build()))
                .serviceDetails();
        assertThat(services).isNotEmpty().allSatisfy(d -> {
            assertThat(d.serviceType().get(0).serviceTypeAsString()).isEqualTo("Interface");
            assertThat(d.supportedIpAddressTypesAsStrings()).containsExactly("ipv4", "ipv6");
        });
        assertThat(ec2.describeVpcEndpointServices(r -> r.serviceNames("com.amazonaws.us-east-1.s3"))
                .serviceDetails()).anySatisfy(
                        d -> assertThat(d.supportedIpAddressTypesAsStrings())
                                .containsExactly("ipv4"));
    }

    @Test
    void ipv4Subnet_defaultsToIpv4WithIpv4Records_andNoIpv6Address() {
        Net net = network();
        VpcEndpoint e = create(net, r -> r.subnetIds(net.v4()));
        assertThat(e.ipAddressTypeAsString()).isEqualTo("ipv4");
        assertThat(e.dnsOptions().dnsRecordIpTypeAsString()).isEqualTo("ipv4");
        NetworkInterface n = enis(e).get(0);
        assertThat(n.privateIpAddress()).startsWith("10.0.1.");
        assertThat(n.ipv6Addresses()).isEmpty();
        assertThat(n.ipv6Address()).isNull();
    }

    @Test
    void dualStackSubnet_dualstack_givesEachInterfaceBothFamilies_andDualstackRecords() throws Exception {
        Net net = network();
        VpcEndpoint e = create(net, r -> r.subnetIds(net.dual()).ipAddressType("dualstack"));
        assertThat(e.ipAddressTypeAsString()).isEqualTo("dualstack");
        assertThat(e.dnsOptions().dnsRecordIpTypeAsString()).isEqualTo("dualstack");
        NetworkInterface n = enis(e).get(0);
        assertThat(n.privateIpAddress()).startsWith("10.0.2.");
        assertThat(n.ipv6Addresses()).hasSize(1);
        String v6 = n.ipv6Addresses().get(0).ipv6Address();
        assertThat(inside(subnetBlock(ec2, net.dual()), v6)).isTrue();
        assertThat(n.ipv6Address()).isEqualTo(v6);
        assertThat(ec2.describeNetworkInterfaces(r -> r.filters(Filter.builder().name("ipv6-addresses.ipv6-address")
                .values(v6).build())).networkInterfaces()).extracting(NetworkInterface::networkInterfaceId)
                .containsExactly(n.networkInterfaceId());
        // The same regional and zonal names answer A and AAAA queries.
        assertThat(e.dnsEntries()).extracting(DnsEntry::dnsName).hasSize(2)
                .allSatisfy(d -> assertThat(d).startsWith(e.vpcEndpointId() + "-").endsWith(
                        ".sqs.us-east-1.vpce.amazonaws.com"));
    }

    @Test
    void dualStackSubnet_ipv4_isAccepted_withoutIpv6Addresses() {
        Net net = network();
        VpcEndpoint e = create(net, r -> r.subnetIds(net.dual()));
        assertThat(e.ipAddressTypeAsString()).isEqualTo("ipv4");
        assertThat(enis(e).get(0).ipv6Addresses()).isEmpty();
    }

    @Test
    void dualstack_acceptsEveryDnsRecordIpType() {
        Net net = network();
        for (String record : List.of("ipv4", "ipv6", "dualstack", "service-defined")) {
            VpcEndpoint e = create(net, r -> r.subnetIds(net.dual()).ipAddressType("dualstack")
                    .dnsOptions(d -> d.dnsRecordIpType(record)));
            assertThat(e.dnsOptions().dnsRecordIpTypeAsString()).isEqualTo(record);
            ec2.deleteVpcEndpoints(r -> r.vpcEndpointIds(e.vpcEndpointId()));
        }
    }

    @Test
    void ipv6OnlySubnet_defaultsToIpv6_withIpv6OnlyInterfaces() throws Exception {
        Net net = network();
        VpcEndpoint e = create(net, r -> r.subnetIds(net.v6only()));
        assertThat(e.ipAddressTypeAsString()).isEqualTo("ipv6");
        assertThat(e.dnsOptions().dnsRecordIpTypeAsString()).isEqualTo("ipv6");
        NetworkInterface n = enis(e).get(0);
        assertThat(n.privateIpAddresses()).isEmpty();
        assertThat(n.ipv6Addresses()).hasSize(1);
        assertThat(inside(subnetBlock(ec2, net.v6only()), n.ipv6Addresses().get(0).ipv6Address())).isTrue();
        ec2.deleteVpcEndpoints(r -> r.vpcEndpointIds(e.vpcEndpointId()));
        VpcEndpoint explicit = create(net, r -> r.subnetIds(net.v6only()).ipAddressType("ipv6")
                .dnsOptions(d -> d.dnsRecordIpType("ipv6")));
        assertThat(explicit.ipAddressTypeAsString()).isEqualTo("ipv6");
    }

    @Test
    void addressTypeThatTheSubnetsCannotCarry_isRefusedWithInvalidParameter() {
        Net net = network();
        assertRefused(net, r -> r.subnetIds(net.v4()).ipAddressType("dualstack"), "InvalidParameter");
        assertRefused(net, r -> r.subnetIds(net.v4()).ipAddressType("ipv6"), "InvalidParameter");
        assertRefused(net, r -> r.subnetIds(net.dual()).ipAddressType("ipv6"), "InvalidParameter");
        assertRefused(net, r -> r.subnetIds(net.v6only()).ipAddressType("ipv4"), "InvalidParameter");
        assertRefused(net, r -> r.subnetIds(net.v6only()).ipAddressType("dualstack"), "InvalidParameter");
        // Mixed subnets: every subnet must qualify.
        assertRefused(net, r -> r.subnetIds(net.dual(), net.v4()).ipAddressType("dualstack"), "InvalidParameter");
        assertRefused(net, r -> r.subnetIds(net.v4(), net.v6only()), "InvalidParameter");
        assertRefused(net, r -> r.subnetIds(net.dual()).ipAddressType("ipv5"), "InvalidParameterValue");
        assertThat(ec2.describeNetworkInterfaces(r -> r.filters(Filter.builder().name("vpc-id")
                .values(net.vpcId()).build())).networkInterfaces()).isEmpty();
    }

    @Test
    void dnsRecordTypeThatTheAddressTypeCannotCarry_isRefused() {
        Net net = network();
        assertRefused(net, r -> r.subnetIds(net.v4()).dnsOptions(d -> d.dnsRecordIpType("ipv6")),
                "InvalidParameter");
        assertRefused(net, r -> r.subnetIds(net.v4()).dnsOptions(d -> d.dnsRecordIpType("dualstack")),
                "InvalidParameter");
        assertRefused(net, r -> r.subnetIds(net.v4()).dnsOptions(d -> d.dnsRecordIpType("service-defined")),
                "InvalidParameter");
        assertRefused(net, r -> r.subnetIds(net.v6only()).dnsOptions(d -> d.dnsRecordIpType("ipv4")),
                "InvalidParameter");
        assertRefused(net, r -> r.subnetIds(net.v6only()).dnsOptions(d -> d.dnsRecordIpType("dualstack")),
                "InvalidParameter");
        assertRefused(net, r -> r.subnetIds(net.v6only()).dnsOptions(d -> d.dnsRecordIpType("service-defined")),
                "InvalidParameter");
        assertRefused(net, r -> r.subnetIds(net.dual()).ipAddressType("dualstack")
                .dnsOptions(d -> d.dnsRecordIpType("aaaa")), "InvalidParameterValue");
    }

    @Test
    void modifyVpcEndpoint_switchesAddressType_andTheInterfacesFollow() {
        Net net = network();
        VpcEndpoint e = create(net, r -> r.subnetIds(net.dual()));
        ec2.modifyVpcEndpoint(r -> r.vpcEndpointId(e.vpcEndpointId()).ipAddressType("dualstack"));
        VpcEndpoint dual = ec2.describeVpcEndpoints(r -> r.vpcEndpointIds(e.vpcEndpointId())).vpcEndpoints().get(0);
        assertThat(dual.ipAddressTypeAsString()).isEqualTo("dualstack");
        assertThat(dual.dnsOptions().dnsRecordIpTypeAsString()).isEqualTo("dualstack");
        assertThat(enis(dual).get(0).ipv6Addresses()).hasSize(1);

        ec2.modifyVpcEndpoint(r -> r.vpcEndpointId(e.vpcEndpointId()).dnsOptions(d -> d.dnsRecordIpType("ipv6")));
        assertThat(ec2.describeVpcEndpoints(r -> r.vpcEndpointIds(e.vpcEndpointId())).vpcEndpoints().get(0)
                .dnsOptions().dnsRecordIpTypeAsString()).isEqualTo("ipv6");

        // A subnet that is not dual-stack cannot join a dualstack endpoint.
        assertThatThrownBy(() -> ec2.modifyVpcEndpoint(r -> r.vpcEndpointId(e.vpcEndpointId())
                .addSubnetIds(net.v4()))).isInstanceOfSatisfying(Ec2Exception.class,
                        x -> assertThat(x.awsErrorDetails().errorCode()).isEqualTo("InvalidParameter"));
        // Back to ipv4: the record type follows the address type, and the IPv6 addresses go.
        ec2.modifyVpcEndpoint(r -> r.vpcEndpointId(e.vpcEndpointId()).ipAddressType("ipv4"));
        VpcEndpoint back = ec2.describeVpcEndpoints(r -> r.vpcEndpointIds(e.vpcEndpointId())).vpcEndpoints().get(0);
        assertThat(back.ipAddressTypeAsString()).isEqualTo("ipv4");
        assertThat(back.dnsOptions().dnsRecordIpTypeAsString()).isEqualTo("ipv4");
        assertThat(enis(back).get(0).ipv6Addresses()).isEmpty();

        assertThatThrownBy(() -> ec2.modifyVpcEndpoint(r -> r.vpcEndpointId(e.vpcEndpointId())
                .ipAddressType("ipv6"))).isInstanceOfSatisfying(Ec2Exception.class,
                        x -> assertThat(x.awsErrorDetails().errorCode()).isEqualTo("InvalidParameter"));
        assertThatThrownBy(() -> ec2.modifyVpcEndpoint(r -> r.vpcEndpointId(e.vpcEndpointId())
                .dnsOptions(d -> d.dnsRecordIpType("dualstack")))).isInstanceOfSatisfying(Ec2Exception.class,
                        x -> assertThat(x.awsErrorDetails().errorCode()).isEqualTo("InvalidParameter"));
    }

    @Test
    void disassociatingTheSubnetBlock_isRefusedWhileAnEndpointInterfaceHoldsAnAddress() {
        Net net = network();
        VpcEndpoint e = create(net, r -> r.subnetIds(net.dual()).ipAddressType("dualstack"));
        String assoc = ec2.describeSubnets(r -> r.subnetIds(net.dual())).subnets().get(0)
                .ipv6CidrBlockAssociationSet().get(0).associationId();
        assertThatThrownBy(() -> ec2.disassociateSubnetCidrBlock(r -> r.associationId(assoc)))
                .isInstanceOfSatisfying(Ec2Exception.class,
                        x -> assertThat(x.awsErrorDetails().errorCode()).isEqualTo("DependencyViolation"));
        ec2.deleteVpcEndpoints(r -> r.vpcEndpointIds(e.vpcEndpointId()));
        ec2.disassociateSubnetCidrBlock(r -> r.associationId(assoc));
    }

    @Test
    void customerServiceThatOffersOnlyIpv4_refusesDualstackEndpoints() {
        Ec2Client provider = UNDERPASS.ec2("333333333333");
        ElasticLoadBalancingV2Client elb = UNDERPASS.elbv2("333333333333");
        String pvpc = provider.createVpc(r -> r.cidrBlock("10.9.0.0/16")).vpc().vpcId();
        String ps = provider.createSubnet(r -> r.vpcId(pvpc).cidrBlock("10.9.1.0/24").availabilityZone("us-east-1b"))
                .subnet().subnetId();
        String nlb = elb.createLoadBalancer(r -> r.name("svc").type("network").scheme("internal").subnets(ps))
                .loadBalancers().get(0).loadBalancerArn();
        var svc = provider.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(nlb)
                .acceptanceRequired(false)).serviceConfiguration();
        provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(svc.serviceId())
                .addAllowedPrincipals("arn:aws:iam::111111111111:root"));
        Net net = network();
        assertThatThrownBy(() -> ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).vpcEndpointType("Interface")
                .serviceName(svc.serviceName()).subnetIds(net.dual()).ipAddressType("dualstack")))
                .isInstanceOfSatisfying(Ec2Exception.class,
                        x -> assertThat(x.awsErrorDetails().errorCode()).isEqualTo("InvalidParameter"));
        VpcEndpoint ok = ec2.createVpcEndpoint(r -> r.vpcId(net.vpcId()).vpcEndpointType("Interface")
                .serviceName(svc.serviceName()).subnetIds(net.dual())).vpcEndpoint();
        assertThat(ok.ipAddressTypeAsString()).isEqualTo("ipv4");
        assertThat(ok.dnsOptions().dnsRecordIpTypeAsString()).isEqualTo("ipv4");
    }
}
