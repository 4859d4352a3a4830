package dev.underpass.server;

import static dev.underpass.server.Ec2Assertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Vpc;

class VpcApiTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    private final Ec2Client ec2 = UNDERPASS.ec2("111111111111");
    private final Ec2Client other = UNDERPASS.ec2("222222222222");

    @Test
    void createVpc_returnsPendingVpcWithTagsAndCidrAssociation() {
        Vpc vpc = ec2.createVpc(r -> r.cidrBlock("10.1.0.0/16").tagSpecifications(TagSpecification.builder()
                .resourceType(ResourceType.VPC).tags(Tag.builder().key("Name").value("one").build()).build()))
                .vpc();

        assertThat(vpc.vpcId()).matches("vpc-[0-9a-f]{17}");
        assertThat(vpc.cidrBlock()).isEqualTo("10.1.0.0/16");
        assertThat(vpc.stateAsString()).isEqualTo("pending");
        assertThat(vpc.ownerId()).isEqualTo("111111111111");
        assertThat(vpc.isDefault()).isFalse();
        assertThat(vpc.tags()).containsExactly(Tag.builder().key("Name").value("one").build());
        assertThat(vpc.cidrBlockAssociationSet()).singleElement()
                .satisfies(a -> assertThat(a.cidrBlockState().stateAsString()).isEqualTo("associated"));

        Vpc described = ec2.describeVpcs(r -> r.vpcIds(vpc.vpcId())).vpcs().get(0);
        assertThat(described.stateAsString()).isEqualTo("available");
        ec2.deleteVpc(r -> r.vpcId(vpc.vpcId()));
    }

    @Test
    void createVpc_outsideSixteenToTwentyEight_failsWithInvalidVpcDotRange() {
        assertError(() -> ec2.createVpc(r -> r.cidrBlock("10.0.0.0/8")), "InvalidVpc.Range", 400);
        assertError(() -> ec2.createVpc(r -> r.cidrBlock("10.0.0.0/29")), "InvalidVpc.Range", 400);
        assertError(() -> ec2.createVpc(r -> r.cidrBlock("10.0.0.1/16")), "InvalidParameterValue", 400);
        assertError(() -> ec2.createVpc(r -> r.cidrBlock("banana")), "InvalidParameterValue", 400);
    }

    @Test
    void describeVpcs_anotherAccountsVpc_isNotFound() {
        Vpc vpc = ec2.createVpc(r -> r.cidrBlock("10.2.0.0/16")).vpc();
        assertError(() -> other.describeVpcs(r -> r.vpcIds(vpc.vpcId())), "InvalidVpcID.NotFound", 400);
        assertThat(other.describeVpcs().vpcs()).extracting(Vpc::vpcId).doesNotContain(vpc.vpcId());
        assertError(() -> other.deleteVpc(r -> r.vpcId(vpc.vpcId())), "InvalidVpcID.NotFound", 400);
        ec2.deleteVpc(r -> r.vpcId(vpc.vpcId()));
    }

    @Test
    void deleteVpc_withSubnet_failsWithDependencyViolation_thenSucceedsOnceEmpty() {
        Vpc vpc = ec2.createVpc(r -> r.cidrBlock("10.3.0.0/16")).vpc();
        Subnet subnet = ec2.createSubnet(r -> r.vpcId(vpc.vpcId()).cidrBlock("10.3.1.0/24")
                .availabilityZone("us-east-1b")).subnet();
        assertThat(subnet.availableIpAddressCount()).isEqualTo(251);
        assertThat(subnet.availabilityZoneId()).isEqualTo("use1-az2");

        assertError(() -> ec2.deleteVpc(r -> r.vpcId(vpc.vpcId())), "DependencyViolation", 400);
        ec2.deleteSubnet(r -> r.subnetId(subnet.subnetId()));
        ec2.deleteVpc(r -> r.vpcId(vpc.vpcId()));
        assertError(() -> ec2.describeVpcs(r -> r.vpcIds(vpc.vpcId())), "InvalidVpcID.NotFound", 400);
    }

    @Test
    void createSubnet_overlappingOrOutside_isRefused() {
        Vpc vpc = ec2.createVpc(r -> r.cidrBlock("10.4.0.0/16")).vpc();
        Subnet subnet = ec2.createSubnet(r -> r.vpcId(vpc.vpcId()).cidrBlock("10.4.0.0/24")).subnet();
        assertError(() -> ec2.createSubnet(r -> r.vpcId(vpc.vpcId()).cidrBlock("10.4.0.128/25")),
                "InvalidSubnet.Conflict", 400);
        assertError(() -> ec2.createSubnet(r -> r.vpcId(vpc.vpcId()).cidrBlock("10.5.0.0/24")),
                "InvalidSubnet.Range", 400);
        assertError(() -> ec2.createSubnet(r -> r.vpcId(vpc.vpcId()).cidrBlock("10.4.9.0/24")
                .availabilityZone("us-east-1z")), "InvalidParameterValue", 400);
        assertError(() -> ec2.createSubnet(r -> r.vpcId("vpc-nope").cidrBlock("10.4.9.0/24")),
                "InvalidVpcId.Malformed", 400);
        // The account's default VPC counts against its quota of five: leave room for the other tests.
        ec2.deleteSubnet(r -> r.subnetId(subnet.subnetId()));
        ec2.deleteVpc(r -> r.vpcId(vpc.vpcId()));
    }

    @Test
    void describeVpcs_filtersAndPagination() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int n = i;
            created.add(ec2.createVpc(r -> r.cidrBlock("10.10" + n + ".0.0/16").tagSpecifications(
                    TagSpecification.builder().resourceType(ResourceType.VPC)
                            .tags(Tag.builder().key("page").value("v" + n).build()).build()))
                    .vpc().vpcId());
        }
        assertThat(ec2.describeVpcs(r -> r.filters(Filter.builder().name("tag:page").values("v1").build())).vpcs())
                .singleElement().satisfies(v -> assertThat(v.cidrBlock()).isEqualTo("10.101.0.0/16"));
        assertThat(ec2.describeVpcs(r -> r.filters(Filter.builder().name("tag-key").values("page").build(),
                Filter.builder().name("cidr").values("10.10?.0.0/16").build())).vpcs()).hasSize(3);
        assertError(() -> ec2.describeVpcs(r -> r.filters(Filter.builder().name("color").values("x").build())),
                "InvalidParameterValue", 400);
        assertError(() -> ec2.describeVpcs(r -> r.maxResults(2)), "InvalidParameterValue", 400);
        assertThat(ec2.describeVpcsPaginator(r -> r.maxResults(5)).vpcs().stream().count())
                .isEqualTo(ec2.describeVpcs().vpcs().size());
        created.forEach(id -> ec2.deleteVpc(r -> r.vpcId(id)));
    }

    @Test
    void dryRun_answersDryRunOperationWithStatus412_andChangesNothing() {
        int before = ec2.describeVpcs().vpcs().size();
        assertError(() -> ec2.createVpc(r -> r.cidrBlock("10.20.0.0/16").dryRun(true)), "DryRunOperation", 412);
        assertThat(ec2.describeVpcs().vpcs()).hasSize(before);
    }
}
