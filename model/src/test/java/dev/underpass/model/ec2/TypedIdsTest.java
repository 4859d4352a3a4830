package dev.underpass.model.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.underpass.model.ResourceId;
import dev.underpass.model.net.IpProtocol;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class TypedIdsTest {

    @Test
    void anIdIsItsText_andNoneIsNull() {
        VpcId vpc = VpcId.of("vpc-0a1b2c3d4e5f67890");
        assertThat(vpc.value()).isEqualTo("vpc-0a1b2c3d4e5f67890");
        assertThat(vpc).hasToString("vpc-0a1b2c3d4e5f67890");
        assertThat("in " + vpc).isEqualTo("in vpc-0a1b2c3d4e5f67890");
        assertThat(VpcId.of(null)).isNull();
        assertThat(VpcId.text(null)).isNull();
        assertThat(SubnetId.text(SubnetId.of("subnet-1"))).isEqualTo("subnet-1");
        assertThatNullPointerException().isThrownBy(() -> new VpcId(null));
    }

    @Test
    void idsOfTwoKinds_withOneText_areNotEqual() {
        ResourceId vpc = VpcId.of("x-1");
        ResourceId subnet = SubnetId.of("x-1");
        assertThat(vpc).isNotEqualTo(subnet);
        assertThat(vpc).isEqualTo(VpcId.of("x-1")).hasSameHashCodeAs(VpcId.of("x-1"));
    }

    @Test
    void idsOrderByText_asTheWorldOrdersRecords_andAnEmptyOneIsEmpty() {
        TreeSet<VpcId> sorted = new TreeSet<>(List.of(VpcId.of("vpc-b"), VpcId.of("vpc-a"), VpcId.of("vpc-c")));
        assertThat(sorted).extracting(VpcId::value).containsExactly("vpc-a", "vpc-b", "vpc-c");
        assertThat(VpcId.of("").isEmpty()).isTrue();
        assertThat(VpcId.of("vpc-a").isEmpty()).isFalse();
    }

    @Test
    void subnetLists_convertBothWays_inOrder() {
        List<SubnetId> ids = SubnetId.all(List.of("subnet-2", "subnet-1"));
        assertThat(ids).containsExactly(SubnetId.of("subnet-2"), SubnetId.of("subnet-1"));
        assertThat(SubnetId.texts(ids)).containsExactly("subnet-2", "subnet-1");
        assertThat(SubnetId.all(null)).isEmpty();
    }

    @Test
    void groupLists_convertBothWays_inOrder() {
        List<SecurityGroupId> ids = SecurityGroupId.all(List.of("sg-2", "sg-1"));
        assertThat(ids).containsExactly(SecurityGroupId.of("sg-2"), SecurityGroupId.of("sg-1"));
        assertThat(SecurityGroupId.texts(ids)).containsExactly("sg-2", "sg-1");
        assertThat(SecurityGroupId.all(null)).isEmpty();
        assertThat((ResourceId) SecurityGroupId.of("x-1")).isNotEqualTo(SubnetId.of("x-1"));
    }

    @Test
    void aRuleNamingAGroup_isStoredWithTheText_andReadBackTyped() {
        SecurityGroup.Rule rule = new SecurityGroup.Rule(SecurityGroupRuleId.of("sgr-1"), false, IpProtocol.ALL, -1, -1,
                new RulePeer.Group(SecurityGroupId.of("sg-1"), "111122223333"), null);
        SecurityGroup.RuleFields flat = rule.fields();
        assertThat(flat.referencedGroupId()).isEqualTo("sg-1");
        assertThat(flat.referencedUserId()).isEqualTo("111122223333");
        assertThat(flat.rule()).isEqualTo(rule);
        assertThat(rule.peer().text()).isEqualTo("sg-1");
    }

    @Test
    void aRouteToAnInstance_isStoredWithTheTexts_andReadBackTyped() {
        RouteTarget.Eni target =
                new RouteTarget.Eni(NetworkInterfaceId.of("eni-1"), InstanceId.of("i-1"), "111122223333");
        RouteTable.Route route = RouteTables.route("10.1.0.0/16", target);
        RouteTable.Fields flat = route.fields();
        assertThat(flat.networkInterfaceId()).isEqualTo("eni-1");
        assertThat(flat.instanceId()).isEqualTo("i-1");
        assertThat(flat.route()).isEqualTo(route);
        assertThat(flat.route().target()).isEqualTo(target);
        assertThat(target.id()).isEqualTo("eni-1");
        assertThat(new RouteTarget.Eni(null, InstanceId.of("i-2"), null).id()).isEqualTo("i-2");
    }

    @Test
    void aGatewayId_becomesTheTargetItsPrefixNames_typed() {
        assertThat(RouteTarget.gateway("igw-1"))
                .isEqualTo(new RouteTarget.Igw(InternetGatewayId.of("igw-1")));
        assertThat(RouteTarget.gateway("vpce-1"))
                .isEqualTo(new RouteTarget.GatewayEndpoint(VpcEndpointId.of("vpce-1")));
        assertThat(RouteTarget.gateway("vgw-1")).isEqualTo(new RouteTarget.OtherGateway("vgw-1"));
        assertThat(RouteTarget.gateway("igw-1").id()).isEqualTo("igw-1");
        assertThat(new RouteTarget.EgressOnlyIgw(EgressOnlyInternetGatewayId.of("eigw-1")).id()).isEqualTo("eigw-1");
    }

    @Test
    void aPrefixListDestination_isStoredWithTheText_andReadBackTyped() {
        RouteTable.Route route = RouteTables.endpointRoute(PrefixListId.of("pl-63a5400a"), VpcEndpointId.of("vpce-1"));
        RouteTable.Fields flat = route.fields();
        assertThat(flat.destinationPrefixListId()).isEqualTo("pl-63a5400a");
        assertThat(flat.gatewayId()).isEqualTo("vpce-1");
        assertThat(flat.route()).isEqualTo(route);
        assertThat(route.destination()).isEqualTo(new AddressSet.PrefixList(PrefixListId.of("pl-63a5400a")));
        assertThat(route.destination().text()).isEqualTo("pl-63a5400a");
    }

    @Test
    void anEndpointsIdAndItsServicesId_areDifferentKinds() {
        ResourceId endpoint = VpcEndpointId.of("vpce-svc-1");
        ResourceId service = EndpointServiceId.of("vpce-svc-1");
        assertThat(endpoint).isNotEqualTo(service);
        assertThat(EndpointServiceId.all(List.of("vpce-svc-2", "vpce-svc-1")))
                .containsExactly(EndpointServiceId.of("vpce-svc-2"), EndpointServiceId.of("vpce-svc-1"));
        assertThat(VpcEndpointId.texts(VpcEndpointId.all(List.of("vpce-2", "vpce-1")))).containsExactly("vpce-2",
                "vpce-1");
        assertThat(AllocationId.of(null)).isNull();
        assertThat(DhcpOptionsId.text(DhcpOptionsId.of("default"))).isEqualTo("default");
    }

    @Test
    void associationIds_ofEachKind_areTheirOwn_andTheRulesNameThemTyped() {
        ResourceId table = RouteTableAssociationId.of("assoc-1");
        ResourceId acl = NetworkAclAssociationId.of("assoc-1");
        ResourceId address = ElasticIpAssociationId.of("assoc-1");
        ResourceId vpcBlock = VpcCidrAssociationId.of("assoc-1");
        ResourceId subnetBlock = SubnetCidrAssociationId.of("assoc-1");
        assertThat(List.of(table, acl, address, vpcBlock, subnetBlock)).doesNotHaveDuplicates()
                .extracting(ResourceId::value).containsOnly("assoc-1");
        assertThat(NetworkInterfaceAttachmentId.text(NetworkInterfaceAttachmentId.of("eni-attach-1")))
                .isEqualTo("eni-attach-1");
        assertThat(FlowLogId.texts(FlowLogId.all(List.of("fl-2", "fl-1")))).containsExactly("fl-2", "fl-1");
        assertThat((ResourceId) NetworkInsightsPathId.of("x-1")).isNotEqualTo(NetworkInsightsAnalysisId.of("x-1"));
        // A record holds the typed id; its accessor and its stored text agree.
        RouteTable.Association main = new RouteTable.Association(RouteTableAssociationId.of("rtbassoc-1"), null,
                null, true);
        assertThat(main.associationId().value()).isEqualTo("rtbassoc-1");
    }
}
