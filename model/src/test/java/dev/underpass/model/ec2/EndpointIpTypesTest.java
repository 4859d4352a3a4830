package dev.underpass.model.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.VpcEndpoint.DnsRecordIpType;
import dev.underpass.model.ec2.VpcEndpoint.IpAddressType;
import dev.underpass.model.net.IpFamily;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An interface endpoint's IP address type and DNS record IP type against its subnets and its service. */
class EndpointIpTypesTest {
    private static final Quotas QUOTAS = Quotas.defaults();

    private static void assertRefused(Runnable call, String code, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(AwsException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void eachAddressType_hasItsFamilies_andTheRecordsItDefaultsTo() {
        assertThat(IpAddressType.IPV4.families()).containsExactly(IpFamily.IPV4);
        assertThat(IpAddressType.DUALSTACK.families()).containsExactly(IpFamily.IPV4, IpFamily.IPV6);
        assertThat(IpAddressType.IPV6.families()).containsExactly(IpFamily.IPV6);
        assertThat(List.of(IpAddressType.values())).filteredOn(IpAddressType::usesIpv6)
                .containsExactly(IpAddressType.DUALSTACK, IpAddressType.IPV6);
        for (IpAddressType t : IpAddressType.values()) {
            assertThat(t.records().wire()).isEqualTo(t.wire());
        }
        assertThat(List.of(DnsRecordIpType.values())).filteredOn(DnsRecordIpType::answersAaaa)
                .containsExactly(DnsRecordIpType.DUALSTACK, DnsRecordIpType.IPV6, DnsRecordIpType.SERVICE_DEFINED);
    }

    @Test
    void anAddressType_isReadByAwsName_andCheckedAgainstTheSubnets() {
        Tx tx = new Tx(World.empty(), Caller.of("930000000001", "us-east-1"), Instant.EPOCH);
        Vpc vpc = Vpcs.create(tx, QUOTAS, new Vpcs.Create("10.0.0.0/16", null, false, Map.of()));
        Subnet v4 = Subnets.create(tx, QUOTAS, new Subnets.Create(vpc.vpcId(), "10.0.1.0/24", "us-east-1a", null, false,
                false, Map.of()));
        assertThat(InterfaceEndpoints.checkIpAddressType(null, IpAddressType.IPV4, List.of(v4)))
                .isEqualTo(IpAddressType.IPV4);
        assertThat(InterfaceEndpoints.checkIpAddressType("ipv4", IpAddressType.DUALSTACK, List.of(v4)))
                .isEqualTo(IpAddressType.IPV4);
        assertThat(InterfaceEndpoints.defaultIpAddressType(List.of(v4), List.of(IpFamily.IPV4, IpFamily.IPV6)))
                .isEqualTo(IpAddressType.IPV4);
        assertRefused(() -> InterfaceEndpoints.checkIpAddressType("dualstack", IpAddressType.IPV4, List.of(v4)),
                "InvalidParameter", "IpAddressType dualstack requires subnets with both IPv4 and IPv6 address "
                        + "ranges, but subnet " + v4.id() + " has no IPv6 CIDR block.");
        assertRefused(() -> InterfaceEndpoints.checkIpAddressType("ipv6", IpAddressType.IPV4, List.of(v4)),
                "InvalidParameter", "IpAddressType ipv6 requires IPv6-only subnets, but subnet " + v4.id()
                        + " has no IPv6 CIDR block.");
        assertRefused(() -> InterfaceEndpoints.checkIpAddressType("DualStack", IpAddressType.IPV4, List.of(v4)),
                "InvalidParameterValue",
                "Value (DualStack) for parameter IpAddressType is invalid. Valid values: ipv4, dualstack, ipv6.");
    }

    @Test
    void theServiceMustOfferEveryFamily_andTheRecordsMustSuitTheAddressType() {
        InterfaceEndpoints.checkServiceSupports(IpAddressType.DUALSTACK, List.of(IpFamily.IPV4, IpFamily.IPV6),
                "svc");
        assertRefused(() -> InterfaceEndpoints.checkServiceSupports(IpAddressType.DUALSTACK,
                List.of(IpFamily.IPV4), "vpce-svc-1"), "InvalidParameter", "The VPC endpoint service vpce-svc-1 "
                        + "does not support IP address type dualstack; its supported IP address types are: ipv4.");

        assertThat(InterfaceEndpoints.recordIpType(IpAddressType.DUALSTACK, null, null, null))
                .isEqualTo(DnsRecordIpType.DUALSTACK);
        // Kept while the address type stays, reset to it when the address type changes.
        assertThat(InterfaceEndpoints.recordIpType(IpAddressType.DUALSTACK, null, DnsRecordIpType.IPV6,
                IpAddressType.DUALSTACK)).isEqualTo(DnsRecordIpType.IPV6);
        assertThat(InterfaceEndpoints.recordIpType(IpAddressType.IPV4, null, DnsRecordIpType.IPV6,
                IpAddressType.DUALSTACK)).isEqualTo(DnsRecordIpType.IPV4);
        assertThat(InterfaceEndpoints.recordIpType(IpAddressType.DUALSTACK, "service-defined", null, null))
                .isEqualTo(DnsRecordIpType.SERVICE_DEFINED);
        assertRefused(() -> InterfaceEndpoints.recordIpType(IpAddressType.IPV6, "dualstack", null, null),
                "InvalidParameter", "DnsRecordIpType dualstack is not supported with IpAddressType ipv6; use one of: "
                        + "ipv6.");
        assertRefused(() -> InterfaceEndpoints.recordIpType(IpAddressType.IPV4, "aaaa", null, null),
                "InvalidParameterValue", "Value (aaaa) for parameter DnsRecordIpType is invalid. Valid values: "
                        + "ipv4, dualstack, ipv6, service-defined.");
    }
}
