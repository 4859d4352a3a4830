package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.model.AzMapping;
import dev.underpass.model.Regions;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AvailabilityZone;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Vpc;

/**
 * {@code serve --az-mapping per-account}: each account sees its own name-to-id mapping through EC2, a subnet created
 * by zone id gets the caller's name for that id, and a participant sees a shared subnet's zone by its own name. The
 * mapping is a setting of each server: this class runs one of each mode, beside every other test's server.
 */
class AzMappingApiTest {
    private static final String A = "530000000001";
    private static final String B = "530000000002";

    @RegisterExtension
    static final UnderpassExtension PER_ACCOUNT =
            new UnderpassExtension(ServerConfig.forTests().withAzMapping(AzMapping.PER_ACCOUNT));

    @RegisterExtension
    static final UnderpassExtension ALIGNED = new UnderpassExtension();

    private static Map<String, String> idsByName(Ec2Client ec2) {
        return ec2.describeAvailabilityZones().availabilityZones().stream()
                .collect(Collectors.toMap(AvailabilityZone::zoneName, AvailabilityZone::zoneId));
    }

    @Test
    void describeAvailabilityZones_perAccount_showsEachAccountItsOwnPermutation() {
        Map<String, String> a = idsByName(PER_ACCOUNT.ec2(A));
        Map<String, String> b = idsByName(PER_ACCOUNT.ec2(B));
        Map<String, String> expectedA = AzMapping.PER_ACCOUNT.apply(Regions.zones("us-east-1"), A, "us-east-1")
                .stream().collect(Collectors.toMap(Regions.Zone::name, Regions.Zone::zoneId));
        assertThat(a).isEqualTo(expectedA);
        assertThat(a.keySet()).isEqualTo(b.keySet());
        assertThat(a.values()).containsExactlyInAnyOrderElementsOf(b.values());
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void createSubnet_byZoneId_getsTheCallersNameForThatId() {
        Ec2Client ec2 = PER_ACCOUNT.ec2(A);
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
        Map<String, String> listed = Regions.zones("us-east-1").stream()
                .collect(Collectors.toMap(Regions.Zone::name, Regions.Zone::zoneId));
        assertThat(idsByName(ALIGNED.ec2(A))).isEqualTo(listed);
        assertThat(idsByName(ALIGNED.ec2(B))).isEqualTo(listed);
    }

    @Test
    void perAccount_participantSeesTheSharedSubnetsZoneByItsOwnName() {
        SharedVpcTest.Shared s = SharedVpcTest.shared(PER_ACCOUNT);
        RamApiTest.Org o = s.org();
        String sg = SharedVpcTest.ownGroup(s.a(), o.vpc(), "app");
        Subnet ownerView = s.owner().describeSubnets(r -> r.subnetIds(o.subnet1())).subnets().get(0);
        Subnet participantView = s.a().describeSubnets(r -> r.subnetIds(o.subnet1())).subnets().get(0);
        assertThat(participantView.availabilityZoneId()).isEqualTo(ownerView.availabilityZoneId());
        String expected = s.a().describeAvailabilityZones(r -> r.zoneIds(ownerView.availabilityZoneId()))
                .availabilityZones().get(0).zoneName();
        assertThat(participantView.availabilityZone()).isEqualTo(expected);
        Instance i = SharedVpcTest.launch(s.a(), o.subnet1(), sg);
        assertThat(i.placement().availabilityZone()).isEqualTo(expected);
        // The owner sees A's interface under its own name for the zone.
        String eni = i.networkInterfaces().get(0).networkInterfaceId();
        assertThat(s.owner().describeNetworkInterfaces(r -> r.networkInterfaceIds(eni)).networkInterfaces()
                .get(0).availabilityZone()).isEqualTo(ownerView.availabilityZone());
    }
}
