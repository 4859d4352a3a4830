package dev.underpass.model.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VpcEndpointTargetTest {

    private static VpcEndpoint endpoint(String serviceName, String serviceId, String serviceOwner) {
        return new VpcEndpoint("vpce-0123456789abcdef0", "111122223333", "us-east-1", VpcId.of("vpc-1"), serviceName,
                EndpointServiceId.of(serviceId),
                serviceOwner, VpcEndpoint.Type.INTERFACE, VpcEndpoint.State.AVAILABLE, Instant.EPOCH, null,
                List.of(), List.of(), List.of(), List.of(), false, VpcEndpoint.IpAddressType.IPV4, null, null, null,
                List.of(),
                Instant.EPOCH, Map.of());
    }

    @Test
    void anEndpointWithoutAServiceId_connectsToAnAwsService() {
        VpcEndpoint e = endpoint("com.amazonaws.us-east-1.s3", null, null);
        assertThat(e.target()).isEqualTo(new VpcEndpoint.Target.AwsService("com.amazonaws.us-east-1.s3"));
    }

    @Test
    void anEndpointWithAServiceId_connectsToThatCustomerService_ofItsOwner() {
        VpcEndpoint e =
                endpoint("com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f60718", "vpce-svc-0a1b2c3d4e5f60718",
                        "444455556666");
        assertThat(e.target()).isEqualTo(new VpcEndpoint.Target.CustomerService(
                "com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f60718",
                EndpointServiceId.of("vpce-svc-0a1b2c3d4e5f60718"),
                "444455556666"));
        assertThat(e.target().serviceName()).isEqualTo(e.serviceName());
    }

    @Test
    void anInterfaceEndpointWithPrivateDns_answersItsServicesPublicNames_unlessOnlyForInboundResolvers() {
        String s3 = "com.amazonaws.us-east-1.s3";
        VpcEndpoint plain = endpoint(s3, null, null);
        VpcEndpoint dns = plain.withInterfaces(List.of(SubnetId.of("subnet-1")),
                NetworkInterfaceId.all(List.of("eni-1")), List.of(), true,
                new VpcEndpoint.DnsOptions(VpcEndpoint.DnsRecordIpType.IPV4, false), List.of());
        VpcEndpoint inboundOnly =
                plain.withInterfaces(List.of(SubnetId.of("subnet-1")), NetworkInterfaceId.all(List.of("eni-1")),
                        List.of(), true,
                        new VpcEndpoint.DnsOptions(VpcEndpoint.DnsRecordIpType.IPV4, true), List.of());
        assertThat(plain.answersPublicNamesOf(s3)).isFalse();
        assertThat(dns.answersPublicNamesOf(s3)).isTrue();
        assertThat(dns.answersPublicNamesOf("com.amazonaws.us-east-1.sqs")).isFalse();
        assertThat(inboundOnly.answersPublicNamesOf(s3)).isFalse();
        assertThat(dns.withState(VpcEndpoint.State.DELETED, Instant.EPOCH).answersPublicNamesOf(s3)).isFalse();
    }

    @Test
    void aGatewayEndpointSitsInRouteTables_anInterfaceEndpointInSubnets() {
        VpcEndpoint iface =
                endpoint("com.amazonaws.us-east-1.sqs", null, null).withInterfaces(List.of(SubnetId.of("subnet-1")),
                        NetworkInterfaceId.all(List.of("eni-1")), SecurityGroupId.all(List.of("sg-1")), true, null,
                        List.of());
        assertThat(iface.placement()).isEqualTo(new VpcEndpoint.Placement.Interface(List.of(SubnetId.of("subnet-1")),
                NetworkInterfaceId.all(List.of("eni-1")), SecurityGroupId.all(List.of("sg-1")), true,
                VpcEndpoint.IpAddressType.IPV4, null,
                List.of()));
        assertThat(((VpcEndpoint.Placement.Interface) iface.placement()).dnsRecordIpType()).isNull();
        VpcEndpoint gateway = new VpcEndpoint("vpce-0123456789abcdef1", "111122223333", "us-east-1", VpcId.of("vpc-1"),
                "com.amazonaws.us-east-1.s3", null, null, VpcEndpoint.Type.GATEWAY, VpcEndpoint.State.AVAILABLE,
                Instant.EPOCH, null, RouteTableId.all(List.of("rtb-1")), List.of(), List.of(), List.of(), false,
                VpcEndpoint.IpAddressType.IPV4, null, null, null, List.of(), Instant.EPOCH, Map.of());
        assertThat(gateway.placement())
                .isEqualTo(new VpcEndpoint.Placement.Gateway(RouteTableId.all(List.of("rtb-1"))));
    }
}
