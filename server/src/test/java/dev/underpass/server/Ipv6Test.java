package dev.underpass.server;

import static dev.underpass.server.Ec2Assertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.model.ec2.Quotas;
import dev.underpass.model.net.Ipv6Block;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ec2.model.VpcIpv6CidrBlockAssociation;

/** IPv6 for VPCs and subnets through the AWS SDK: Amazon-provided blocks, subnet /64s, routes, filters, errors. */
class Ipv6Test {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS =
            UnderpassExtension.withQuotas(Quotas.defaults().with("vpcs-per-region", 100));

    private final Ec2Client ec2 = UNDERPASS.ec2("111111111111");
    private final Ec2Client other = UNDERPASS.ec2("222222222222");

    private Vpc ipv6Vpc(String cidr) {
        String id = ec2.createVpc(r -> r.cidrBlock(cidr).amazonProvidedIpv6CidrBlock(true)).vpc().vpcId();
        return describe(id);
    }

    private Vpc describe(String vpcId) {
        return ec2.describeVpcs(r -> r.vpcIds(vpcId)).vpcs().get(0);
    }

    private static String block(Vpc vpc) {
        return vpc.ipv6CidrBlockAssociationSet().get(0).ipv6CidrBlock();
    }

    /** The {@code index}th /64 of a VPC's /56. */
    private static String slash64(Vpc vpc, int index) {
        return Ipv6Block.parse(block(vpc)).child(64, index).toString();
    }

    private List<Route> mainRoutes(String vpcId) {
        return ec2.describeRouteTables(r -> r.filters(Filter.builder().name("vpc-id").values(vpcId).build(),
                Filter.builder().name("association.main").values("true").build())).routeTables().get(0).routes();
    }

    @Test
    void createVpc_withAmazonProvidedIpv6_answersAssociatingAndDescribesAnAssociatedSlash56() {
        Vpc created = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16").amazonProvidedIpv6CidrBlock(true)).vpc();
        VpcIpv6CidrBlockAssociation pending = created.ipv6CidrBlockAssociationSet().get(0);
        assertThat(pending.ipv6CidrBlockState().stateAsString()).isEqualTo("associating");
        assertThat(pending.ipv6CidrBlock()).isEmpty();
        assertThat(pending.associationId()).startsWith("vpc-cidr-assoc-");

        VpcIpv6CidrBlockAssociation a = describe(created.vpcId()).ipv6CidrBlockAssociationSet().get(0);
        assertThat(a.associationId()).isEqualTo(pending.associationId());
        assertThat(a.ipv6CidrBlockState().stateAsString()).isEqualTo("associated");
        assertThat(a.ipv6CidrBlock()).startsWith("2600:1f").endsWith("00::/56");
        assertThat(a.networkBorderGroup()).isEqualTo("us-east-1");
        assertThat(a.ipv6Pool()).isEqualTo("Amazon");
    }

    @Test
    void createVpc_twice_getsDistinctIpv6Blocks() {
        assertThat(block(ipv6Vpc("10.0.0.0/16"))).isNotEqualTo(block(ipv6Vpc("10.0.0.0/16")));
    }

    @Test
    void createVpc_withoutIpv6_hasEmptyIpv6Set() {
        String id = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        assertThat(describe(id).ipv6CidrBlockAssociationSet()).isEmpty();
    }

    @Test
    void createVpc_withByoipOrPoolOrWrongBorderGroup_isRefused() {
        assertError(() -> ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16").ipv6CidrBlock("2001:db8::/56")
                .ipv6Pool("ipv6pool-ec2-0123456789abcdef0")), "UnsupportedOperation");
        assertError(() -> ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16").amazonProvidedIpv6CidrBlock(true)
                .ipv6CidrBlockNetworkBorderGroup("us-west-2")), "InvalidParameterValue");
        assertError(() -> ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")
                .ipv6CidrBlockNetworkBorderGroup("us-east-1")), "InvalidParameterCombination");
    }

    @Test
    void ipv6Block_addsLocalRouteToEveryTable_andDefaultSecurityGroupAndAclRules() {
        Vpc vpc = ipv6Vpc("10.1.0.0/16");
        String ipv6 = block(vpc);
        assertThat(mainRoutes(vpc.vpcId())).anySatisfy(r -> {
            assertThat(r.destinationIpv6CidrBlock()).isEqualTo(ipv6);
            assertThat(r.gatewayId()).isEqualTo("local");
            assertThat(r.originAsString()).isEqualTo("CreateRouteTable");
        });
        String rtb = ec2.createRouteTable(r -> r.vpcId(vpc.vpcId())).routeTable().routeTableId();
        assertThat(ec2.describeRouteTables(r -> r.routeTableIds(rtb)).routeTables().get(0).routes())
                .extracting(Route::destinationIpv6CidrBlock).contains(ipv6);

        var sg = ec2.describeSecurityGroups(r -> r.filters(Filter.builder().name("vpc-id").values(vpc.vpcId())
                .build(), Filter.builder().name("group-name").values("default").build())).securityGroups().get(0);
        assertThat(sg.ipPermissionsEgress()).anySatisfy(p -> assertThat(p.ipv6Ranges())
                .anySatisfy(x -> assertThat(x.cidrIpv6()).isEqualTo("::/0")));
        var acl = ec2.describeNetworkAcls(r -> r.filters(Filter.builder().name("vpc-id").values(vpc.vpcId())
                .build())).networkAcls().get(0);
        assertThat(acl.entries()).anySatisfy(e -> {
            assertThat(e.ruleNumber()).isEqualTo(101);
            assertThat(e.ipv6CidrBlock()).isEqualTo("::/0");
            assertThat(e.ruleActionAsString()).isEqualTo("allow");
        });
    }

    @Test
    void associateVpcCidrBlock_amazonIpv6_upToFive_thenCidrLimitExceeded() {
        String vpcId = ec2.createVpc(r -> r.cidrBlock("10.2.0.0/16")).vpc().vpcId();
        var answer = ec2.associateVpcCidrBlock(r -> r.vpcId(vpcId).amazonProvidedIpv6CidrBlock(true));
        assertThat(answer.ipv6CidrBlockAssociation().ipv6CidrBlockState().stateAsString()).isEqualTo("associating");
        assertThat(answer.ipv6CidrBlockAssociation().ipv6Pool()).isEqualTo("Amazon");
        for (int i = 1; i < 5; i++) {
            ec2.associateVpcCidrBlock(r -> r.vpcId(vpcId).amazonProvidedIpv6CidrBlock(true));
        }
        assertThat(describe(vpcId).ipv6CidrBlockAssociationSet()).hasSize(5);
        assertThat(mainRoutes(vpcId).stream().filter(r -> r.destinationIpv6CidrBlock() != null)).hasSize(5);
        assertError(() -> ec2.associateVpcCidrBlock(r -> r.vpcId(vpcId).amazonProvidedIpv6CidrBlock(true)),
                "CidrLimitExceeded");
        assertError(() -> ec2.associateVpcCidrBlock(r -> r.vpcId(vpcId).amazonProvidedIpv6CidrBlock(true)
                .cidrBlock("10.3.0.0/16")), "InvalidParameterCombination");
        assertError(() -> ec2.associateVpcCidrBlock(r -> r.vpcId(vpcId).ipv6CidrBlock("2001:db8::/56")
                .ipv6Pool("ipv6pool-ec2-0123456789abcdef0")), "UnsupportedOperation");
    }

    @Test
    void disassociateVpcCidrBlock_ipv6_removesRoute_butNotWhileASubnetUsesIt() {
        Vpc vpc = ipv6Vpc("10.4.0.0/16");
        String assoc = vpc.ipv6CidrBlockAssociationSet().get(0).associationId();
        String subnet = ec2.createSubnet(r -> r.vpcId(vpc.vpcId()).cidrBlock("10.4.1.0/24")
                .ipv6CidrBlock(slash64(vpc, 1))).subnet().subnetId();
        assertError(() -> ec2.disassociateVpcCidrBlock(r -> r.associationId(assoc)), "DependencyViolation");
        ec2.deleteSubnet(r -> r.subnetId(subnet));

        var answer = ec2.disassociateVpcCidrBlock(r -> r.associationId(assoc));
        assertThat(answer.ipv6CidrBlockAssociation().ipv6CidrBlockState().stateAsString())
                .isEqualTo("disassociating");
        assertThat(answer.ipv6CidrBlockAssociation().ipv6CidrBlock()).isEqualTo(block(vpc));
        assertThat(describe(vpc.vpcId()).ipv6CidrBlockAssociationSet()).isEmpty();
        assertThat(mainRoutes(vpc.vpcId())).allSatisfy(r -> assertThat(r.destinationIpv6CidrBlock()).isNull());
        assertError(() -> ec2.disassociateVpcCidrBlock(r -> r.associationId(assoc)),
                "InvalidVpcCidrBlockAssociationID.NotFound");
    }

    @Test
    void describeVpcs_ipv6Filters_match() {
        Vpc vpc = ipv6Vpc("10.5.0.0/16");
        String plain = ec2.createVpc(r -> r.cidrBlock("10.5.0.0/16")).vpc().vpcId();
        var a = vpc.ipv6CidrBlockAssociationSet().get(0);
        for (Filter f : List.of(
                Filter.builder().name("ipv6-cidr-block-association.ipv6-cidr-block").values(a.ipv6CidrBlock()).build(),
                Filter.builder().name("ipv6-cidr-block-association.association-id").values(a.associationId()).build(),
                Filter.builder().name("ipv6-cidr-block-association.ipv6-pool").values("Amazon").build(),
                Filter.builder().name("ipv6-cidr-block-association.state").values("associated").build())) {
            List<String> ids = ec2.describeVpcs(r -> r.filters(f)).vpcs().stream().map(Vpc::vpcId).toList();
            assertThat(ids).as(f.name()).contains(vpc.vpcId()).doesNotContain(plain);
        }
    }

    @Test
    void createSubnet_dualStack_getsTheSlash64_andFiltersFindIt() {
        Vpc vpc = ipv6Vpc("10.6.0.0/16");
        String v6 = slash64(vpc, 3);
        Subnet created = ec2.createSubnet(r -> r.vpcId(vpc.vpcId()).cidrBlock("10.6.1.0/24").ipv6CidrBlock(v6))
                .subnet();
        assertThat(created.ipv6CidrBlockAssociationSet().get(0).ipv6CidrBlockState().stateAsString())
                .isEqualTo("associating");
        Subnet s = ec2.describeSubnets(r -> r.subnetIds(created.subnetId())).subnets().get(0);
        var a = s.ipv6CidrBlockAssociationSet().get(0);
        assertThat(a.ipv6CidrBlock()).isEqualTo(v6);
        assertThat(a.associationId()).startsWith("subnet-cidr-assoc-");
        assertThat(a.ipv6CidrBlockState().stateAsString()).isEqualTo("associated");
        assertThat(s.ipv6Native()).isFalse();
        assertThat(s.assignIpv6AddressOnCreation()).isFalse();
        assertThat(s.cidrBlock()).isEqualTo("10.6.1.0/24");

        for (Filter f : List.of(
                Filter.builder().name("ipv6-cidr-block-association.ipv6-cidr-block").values(v6).build(),
                Filter.builder().name("ipv6-cidr-block-association.association-id").values(a.associationId()).build(),
                Filter.builder().name("ipv6-cidr-block-association.state").values("associated").build())) {
            assertThat(ec2.describeSubnets(r -> r.filters(f, Filter.builder().name("vpc-id").values(vpc.vpcId())
                    .build())).subnets()).as(f.name())
                    .extracting(Subnet::subnetId).containsExactly(s.subnetId());
        }
    }

    @Test
    void createSubnet_ipv6Native_hasNoIpv4_andAssignsIpv6OnCreation() {
        Vpc vpc = ipv6Vpc("10.7.0.0/16");
        String id = ec2.createSubnet(r -> r.vpcId(vpc.vpcId()).ipv6Native(true).ipv6CidrBlock(slash64(vpc, 0)))
                .subnet().subnetId();
        Subnet s = ec2.describeSubnets(r -> r.subnetIds(id)).subnets().get(0);
        assertThat(s.cidrBlock()).isNull();
        assertThat(s.ipv6Native()).isTrue();
        assertThat(s.assignIpv6AddressOnCreation()).isTrue();
        assertThat(s.availableIpAddressCount()).isZero();
        assertThat(s.privateDnsNameOptionsOnLaunch().hostnameTypeAsString()).isEqualTo("resource-name");
        assertThat(ec2.describeSubnets(r -> r.filters(Filter.builder().name("ipv6-native").values("true").build()))
                .subnets()).extracting(Subnet::subnetId).contains(id).doesNotHaveDuplicates()
                .allSatisfy(x -> assertThat(ec2.describeSubnets(q -> q.subnetIds(x)).subnets().get(0).ipv6Native())
                        .isTrue());

        String assoc = s.ipv6CidrBlockAssociationSet().get(0).associationId();
        assertError(() -> ec2.disassociateSubnetCidrBlock(r -> r.associationId(assoc)), "InvalidParameterValue");
        assertError(() -> ec2.modifySubnetAttribute(r -> r.subnetId(id)
                .assignIpv6AddressOnCreation(b -> b.value(false))), "InvalidParameterValue");
    }

    @Test
    void createSubnet_ipv6Errors_haveAwsCodes() {
        Vpc vpc = ipv6Vpc("10.8.0.0/16");
        String v4only = ec2.createVpc(r -> r.cidrBlock("10.9.0.0/16")).vpc().vpcId();
        String first = slash64(vpc, 0);
        ec2.createSubnet(r -> r.vpcId(vpc.vpcId()).cidrBlock("10.8.0.0/24").ipv6CidrBlock(first));
        // Same /64 again.
        assertError(() -> ec2.createSubnet(r -> r.vpcId(vpc.vpcId()).cidrBlock("10.8.1.0/24").ipv6CidrBlock(first)),
                "InvalidSubnet.Conflict");
        // Outside the VPC's block.
        assertError(() -> ec2.createSubnet(r -> r.vpcId(vpc.vpcId()).cidrBlock("10.8.2.0/24")
                .ipv6CidrBlock("2001:db8:0:1::/64")), "InvalidSubnet.Range");
        // A VPC without IPv6.
        assertError(() -> ec2.createSubnet(r -> r.vpcId(v4only).cidrBlock("10.9.0.0/24")
                .ipv6CidrBlock(first)), "InvalidSubnet.Range");
        // Not a /64, not a block.
        assertError(() -> ec2.createSubnet(r -> r.vpcId(vpc.vpcId()).cidrBlock("10.8.3.0/24")
                .ipv6CidrBlock(block(vpc))), "InvalidParameterValue");
        assertError(() -> ec2.createSubnet(r -> r.vpcId(vpc.vpcId()).cidrBlock("10.8.3.0/24")
                .ipv6CidrBlock("not-a-block")), "InvalidParameterValue");
        // IPv6-only rules.
        assertError(() -> ec2.createSubnet(r -> r.vpcId(vpc.vpcId()).ipv6Native(true)), "MissingParameter");
        assertError(() -> ec2.createSubnet(r -> r.vpcId(vpc.vpcId()).ipv6Native(true).cidrBlock("10.8.4.0/24")
                .ipv6CidrBlock(slash64(vpc, 4))), "InvalidParameterCombination");
        assertError(() -> ec2.createSubnet(r -> r.vpcId(vpc.vpcId()).ipv6CidrBlock(slash64(vpc, 5))),
                "MissingParameter");
    }

    @Test
    void associateSubnetCidrBlock_thenAssignOnCreation_thenDisassociate() {
        Vpc vpc = ipv6Vpc("10.10.0.0/16");
        String id = ec2.createSubnet(r -> r.vpcId(vpc.vpcId()).cidrBlock("10.10.1.0/24")).subnet().subnetId();
        assertError(() -> ec2.modifySubnetAttribute(r -> r.subnetId(id)
                .assignIpv6AddressOnCreation(b -> b.value(true))), "InvalidParameterValue");

        var answer = ec2.associateSubnetCidrBlock(r -> r.subnetId(id).ipv6CidrBlock(slash64(vpc, 7)));
        assertThat(answer.subnetId()).isEqualTo(id);
        assertThat(answer.ipv6CidrBlockAssociation().ipv6CidrBlock()).isEqualTo(slash64(vpc, 7));
        assertThat(answer.ipv6CidrBlockAssociation().ipv6CidrBlockState().stateAsString()).isEqualTo("associating");
        assertError(() -> ec2.associateSubnetCidrBlock(r -> r.subnetId(id).ipv6CidrBlock(slash64(vpc, 8))),
                "InvalidParameterValue");

        ec2.modifySubnetAttribute(r -> r.subnetId(id).assignIpv6AddressOnCreation(b -> b.value(true)));
        assertThat(ec2.describeSubnets(r -> r.subnetIds(id)).subnets().get(0).assignIpv6AddressOnCreation())
                .isTrue();

        String assoc = answer.ipv6CidrBlockAssociation().associationId();
        var gone = ec2.disassociateSubnetCidrBlock(r -> r.associationId(assoc));
        assertThat(gone.ipv6CidrBlockAssociation().ipv6CidrBlockState().stateAsString()).isEqualTo("disassociating");
        Subnet s = ec2.describeSubnets(r -> r.subnetIds(id)).subnets().get(0);
        assertThat(s.ipv6CidrBlockAssociationSet()).isEmpty();
        assertThat(s.assignIpv6AddressOnCreation()).isFalse();
        assertError(() -> ec2.disassociateSubnetCidrBlock(r -> r.associationId(assoc)),
                "InvalidSubnetCidrBlockAssociationID.NotFound");
    }

    @Test
    void anotherAccount_cannotSeeOrChangeIpv6Resources() {
        Vpc vpc = ipv6Vpc("10.11.0.0/16");
        String subnet = ec2.createSubnet(r -> r.vpcId(vpc.vpcId()).cidrBlock("10.11.1.0/24")).subnet().subnetId();
        assertError(() -> other.associateVpcCidrBlock(r -> r.vpcId(vpc.vpcId()).amazonProvidedIpv6CidrBlock(true)),
                "InvalidVpcID.NotFound");
        String vpcAssoc = vpc.ipv6CidrBlockAssociationSet().get(0).associationId();
        assertError(() -> other.disassociateVpcCidrBlock(r -> r.associationId(vpcAssoc)),
                "InvalidVpcCidrBlockAssociationID.NotFound");
        assertError(() -> other.associateSubnetCidrBlock(r -> r.subnetId(subnet).ipv6CidrBlock(slash64(vpc, 1))),
                "InvalidSubnetID.NotFound");
        assertError(() -> other.createSubnet(r -> r.vpcId(vpc.vpcId()).ipv6Native(true)
                .ipv6CidrBlock(slash64(vpc, 2))), "InvalidVpcID.NotFound");
        assertThat(other.describeVpcs(r -> r.filters(Filter.builder()
                .name("ipv6-cidr-block-association.ipv6-cidr-block").values(block(vpc)).build())).vpcs()).isEmpty();
    }
}
