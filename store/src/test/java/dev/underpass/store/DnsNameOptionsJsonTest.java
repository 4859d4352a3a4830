package dev.underpass.store;

import dev.underpass.model.ec2.ReservationId;
import dev.underpass.model.ec2.ImageId;
import dev.underpass.model.ec2.NetworkInterfaceId;
import dev.underpass.model.ec2.SecurityGroupId;

import dev.underpass.model.ec2.SubnetId;
import dev.underpass.model.ec2.VpcId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.model.ec2.Instance;
import dev.underpass.model.ec2.InstanceState;
import dev.underpass.model.ec2.Subnet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Instances and subnets stored before the DNS name options were kept still load: an instance without
 * {@code privateDnsNameOptions} has none of its own (its subnet's are read), a subnet without the hostname type and
 * AAAA on-launch fields has AWS's defaults; the new fields round-trip.
 */
class DnsNameOptionsJsonTest {
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    /** Drops a JSON member (a flat object, a string, null or a boolean), as an older underpass wrote the record. */
    private static String without(Object written, String field) {
        String json = ((String) written).replaceAll(
                ",\\s*\"" + field + "\"\\s*:\\s*(\\{[^}]*\\}|\"[^\"]*\"|null|true|false)", "");
        assertThat(json).doesNotContain("\"" + field + "\"");
        return json;
    }

    private static Instance instance(Instance.DnsNameOptions options) {
        return new Instance("i-0123456789abcdef0", "111111111111", "us-east-1", ImageId.of("ami-0123456789abcdef0"),
                "t3.micro",
                null, SubnetId.of("subnet-0123456789abcdef0"), VpcId.of("vpc-0123456789abcdef0"), "us-east-1a",
                NetworkInterfaceId.of("eni-0123456789abcdef0"),
                "10.0.1.4", SecurityGroupId.all(List.of("sg-0123456789abcdef0")), InstanceState.RUNNING, T0, T0, "0",
                ReservationId.of("r-0123456789abcdef0"),
                "",
                Map.of(), "fp", options);
    }

    @Test
    void instanceWithoutOptions_loadsWithNoneOfItsOwn_andOptionsRoundTrip() {
        Instance with = instance(new Instance.DnsNameOptions("resource-name", true, false));
        assertThat(Json.read(Json.write(with))).isEqualTo(with);

        Instance read = (Instance) Json.read(without(Json.write(with), "privateDnsNameOptions"));
        assertThat(read.privateDnsNameOptions()).isNull();
        assertThat(read).isEqualTo(instance(null));
    }

    @Test
    void subnetWithoutHostnameTypeAndAaaaFields_loadsWithAwsDefaults() {
        Subnet subnet = new Subnet("subnet-0123456789abcdef0", "111111111111", "us-east-1",
                VpcId.of("vpc-0123456789abcdef0"),
                "10.0.1.0/24", "us-east-1a", "use1-az1", false, false, T0, Map.of(), List.of(), false, false, true,
                "resource-name", true);
        assertThat(Json.read(Json.write(subnet))).isEqualTo(subnet);

        Subnet read = (Subnet) Json.read(without(without(Json.write(subnet), "privateDnsHostnameTypeOnLaunch"),
                "enableResourceNameDnsAAAARecordOnLaunch"));
        assertThat(read.privateDnsHostnameTypeOnLaunch()).isNull();
        assertThat(read.hostnameTypeOnLaunch()).isEqualTo("ip-name");
        assertThat(read.enableResourceNameDnsAAAARecordOnLaunch()).isFalse();
        assertThat(read.enableResourceNameDnsARecordOnLaunch()).isTrue();
    }
}
