package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.model.AzMapping;
import dev.underpass.model.Regions;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AvailabilityZone;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Vpc;

/**
 * {@code serve --az-mapping per-account}: each account sees its own name-to-id mapping through EC2, and a subnet
 * created by zone id gets the caller's name for that id. The mapping is process-wide, so this test switches it for
 * its own duration only.
 */
@Order(Integer.MAX_VALUE)
@ResourceLock(value = UnderpassExtension.AZ_MAPPING, mode = ResourceAccessMode.READ_WRITE)
class AzMappingApiTest {
    private static final String A = "530000000001";
    private static final String B = "530000000002";

    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    @BeforeEach
    void perAccount() {
        Regions.useMapping(AzMapping.PER_ACCOUNT);
    }

    @AfterEach
    void aligned() {
        Regions.useMapping(AzMapping.ALIGNED);
    }

    private static Map<String, String> idsByName(Ec2Client ec2) {
        return ec2.describeAvailabilityZones().availabilityZones().stream()
                .collect(Collectors.toMap(AvailabilityZone::zoneName, AvailabilityZone::zoneId));
    }

    @Test
    void describeAvailabilityZones_perAccount_showsEachAccountItsOwnPermutation() {
        Map<String, String> a = idsByName(UNDERPASS.ec2(A));
        Map<String, String> b = idsByName(UNDERPASS.ec2(B));
        Map<String, String> expectedA = AzMapping.PER_ACCOUNT.apply(Regions.zones("us-east-1"), A, "us-east-1")
                .stream().collect(Collectors.toMap(Regions.Zone::name, Regions.Zone::zoneId));
        assertThat(a).isEqualTo(expectedA);
        assertThat(a.keySet()).isEqualTo(b.keySet());
        assertThat(a.values()).containsExactlyInAnyOrderElementsOf(b.values());
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void createSubnet_byZoneId_getsTheCallersNameForThatId() {
        Ec2Client ec2 = UNDERPASS.ec2(A);
        Map<String, String> mine = idsByName(ec2);
        Vpc vpc = ec2.createVpc(r -> r.cidrBlock("10.53.0.0/16")).vpc();
        try {
            for (Map.Entry<String, String> e : mine.entrySet()) {
                Subnet s = ec2.createSubnet(r -> r.vpcId(vpc.vpcId()).availabilityZoneId(e.getValue())
                        .cidrBlock("10.53." + (Character.getNumericValue(e.getKey().charAt(e.getKey().length() - 1)))
                                + ".0/24"))
                        .subnet();
                assertThat(s.availabilityZone()).isEqualTo(e.getKey());
                assertThat(s.availabilityZoneId()).isEqualTo(e.getValue());
            }
        } finally {
            TestVpcs.tearDown(ec2, vpc.vpcId());
        }
    }

    @Test
    void aligned_isTheListedMappingForEveryone() {
        Regions.useMapping(AzMapping.ALIGNED);
        Map<String, String> listed = Regions.zones("us-east-1").stream()
                .collect(Collectors.toMap(Regions.Zone::name, Regions.Zone::zoneId));
        assertThat(idsByName(UNDERPASS.ec2(A))).isEqualTo(listed);
        assertThat(idsByName(UNDERPASS.ec2(B))).isEqualTo(listed);
    }
}
