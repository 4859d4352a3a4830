package dev.underpass.store;

import dev.underpass.model.ec2.VpcCidrAssociationId;
import dev.underpass.model.ec2.DhcpOptionsId;
import dev.underpass.model.ec2.SubnetId;
import dev.underpass.model.ec2.VpcId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.model.ec2.CidrAssociationState;
import dev.underpass.model.ec2.NetworkInterface;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.ec2.Vpc;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Resources stored before the IPv6 fields existed still load, as IPv4-only, and the new fields round-trip. */
class Ipv6JsonCompatibilityTest {
    /** Writes a resource, then drops the named JSON members, as an older underpass would have written it. */
    private static String withoutFields(Object written, String... fields) {
        String json = (String) written;
        for (String f : fields) {
            json = json.replaceAll(",\\s*\"" + f + "\"\\s*:\\s*(\\[[^\\]]*\\]|true|false)", "");
        }
        for (String f : fields) {
            assertThat(json).doesNotContain("\"" + f + "\"");
        }
        return json;
    }

    @Test
    void vpcWithoutIpv6Associations_loadsWithNone() {
        Vpc vpc = new Vpc("vpc-0123456789abcdef0", "111111111111", "us-east-1", "10.0.0.0/16",
                List.of(new Vpc.CidrAssociation(VpcCidrAssociationId.of("vpc-cidr-assoc-0123456789abcdef0"),
                        "10.0.0.0/16",
                        CidrAssociationState.ASSOCIATED)),
                DhcpOptionsId.of("dopt-0123456789abcdef0"), "default", false, true, false,
                Instant.parse("2024-01-01T00:00:00Z"),
                Map.of());
        Vpc read = (Vpc) Json.read(withoutFields(Json.write(vpc), "ipv6Associations"));
        assertThat(read).isEqualTo(vpc);
        assertThat(read.ipv6Associations()).isEmpty();

        Vpc v6 = vpc.withIpv6Associations(
                List.of(new Vpc.Ipv6Association(VpcCidrAssociationId.of("vpc-cidr-assoc-1"), "2600:1f18:1:100::/56",
                        CidrAssociationState.ASSOCIATED, "us-east-1", "Amazon")));
        assertThat(Json.read(Json.write(v6))).isEqualTo(v6);
    }

    @Test
    void subnetWithoutIpv6Fields_loadsAsIpv4Only() {
        Subnet subnet =
                new Subnet("subnet-0123456789abcdef0", "111111111111", "us-east-1", VpcId.of("vpc-0123456789abcdef0"),
                        "10.0.1.0/24", "us-east-1a", "use1-az1", false, false, Instant.parse("2024-01-01T00:00:00Z"),
                        Map.of());
        Subnet read = (Subnet) Json.read(withoutFields(Json.write(subnet), "ipv6Associations", "ipv6Native",
                "assignIpv6AddressOnCreation"));
        assertThat(read).isEqualTo(subnet);
        assertThat(read.ipv6Associations()).isEmpty();
        assertThat(read.ipv6Native()).isFalse();
    }

    @Test
    void networkInterfaceWithoutIpv6Addresses_loadsWithNone() {
        NetworkInterface eni = new NetworkInterface("eni-0123456789abcdef0", "111111111111", "us-east-1",
                SubnetId.of("subnet-0123456789abcdef0"), VpcId.of("vpc-0123456789abcdef0"), "us-east-1a", "",
                "interface", false,
                null,
                "02:00:00:00:00:01", true, List.of(new NetworkInterface.PrivateIp("10.0.1.4", true)), List.of(), null,
                Map.of());
        NetworkInterface read = (NetworkInterface) Json.read(withoutFields(Json.write(eni), "ipv6Addresses"));
        assertThat(read).isEqualTo(eni);
        NetworkInterface v6 = eni.withIpv6Addresses(List.of("2600:1f18:1:102::1234"));
        assertThat(Json.read(Json.write(v6))).isEqualTo(v6);
    }
}
