package dev.underpass.server;

import static dev.underpass.server.Ec2Assertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AddPrefixListEntry;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateChange;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.NetworkAclEntry;
import software.amazon.awssdk.services.ec2.model.PrefixListId;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;
import software.amazon.awssdk.services.ec2.model.ServiceDetail;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * Defects and fidelity gaps found by using underpass from the outside (issue 9), each reproduced through the SDK:
 * one account's service-managed interfaces must not break another's instance calls, and a handful of answers must
 * be the ones AWS gives.
 */
class HardeningModelTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    private static final String AMI = "ami-0123456789abcdef0";

    private static ElasticLoadBalancingV2Client elbv2(String account, String region) {
        return UnderpassExtension.client(ElasticLoadBalancingV2Client.builder(),
                UNDERPASS.endpoint(), account, Region.of(region));
    }

    private static String subnet(Ec2Client ec2, String vpcCidr, String subnetCidr, String zone) {
        String vpc = ec2.createVpc(r -> r.cidrBlock(vpcCidr)).vpc().vpcId();
        return ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock(subnetCidr).availabilityZone(zone)).subnet().subnetId();
    }

    /** Runs one instance and checks every instance call on it still answers. */
    private static void instanceLifecycleWorks(Ec2Client ec2, String subnetId) {
        Instance launched = ec2.runInstances(r -> r.imageId(AMI).minCount(1).maxCount(1).subnetId(subnetId))
                .instances().get(0);
        assertThat(launched.networkInterfaces()).singleElement()
                .satisfies(n -> assertThat(n.attachment().deviceIndex()).isZero());

        Instance described = ec2.describeInstances(r -> r.instanceIds(launched.instanceId())).reservations().get(0)
                .instances().get(0);
        assertThat(described.networkInterfaces()).singleElement()
                .satisfies(n -> assertThat(n.networkInterfaceId()).isEqualTo(launched.networkInterfaces().get(0)
                        .networkInterfaceId()));

        String extra = ec2.createNetworkInterface(r -> r.subnetId(subnetId)).networkInterface().networkInterfaceId();
        String attachment = ec2.attachNetworkInterface(r -> r.networkInterfaceId(extra)
                .instanceId(launched.instanceId()).deviceIndex(1)).attachmentId();
        assertThat(attachment).startsWith("eni-attach-");
        assertError(() -> ec2.attachNetworkInterface(r -> r.networkInterfaceId(
                ec2.createNetworkInterface(c -> c.subnetId(subnetId)).networkInterface().networkInterfaceId())
                .instanceId(launched.instanceId()).deviceIndex(1)), "InvalidParameterValue");

        InstanceStateChange change = ec2.terminateInstances(r -> r.instanceIds(launched.instanceId()))
                .terminatingInstances().get(0);
        assertThat(change.currentState().nameAsString()).isEqualTo("shutting-down");
        // The extra interface (not delete-on-termination) is detached, not deleted.
        assertThat(ec2.describeNetworkInterfaces(r -> r.networkInterfaceIds(extra)).networkInterfaces().get(0)
                .statusAsString()).isEqualTo("available");
    }

    @Test
    void instanceCalls_whileAnotherAccountHasAnNlbInAnotherRegion_answer() {
        ElasticLoadBalancingV2Client elb = elbv2("910000000002", "eu-west-1");
        Ec2Client owner = UNDERPASS.ec2("910000000002", "eu-west-1");
        String nlbSubnet = subnet(owner, "10.1.0.0/16", "10.1.1.0/24", "eu-west-1a");
        elb.createLoadBalancer(r -> r.name("other-nlb").type("network").scheme("internal").subnets(nlbSubnet));

        Ec2Client ec2 = UNDERPASS.ec2("910000000001");
        instanceLifecycleWorks(ec2, subnet(ec2, "10.0.0.0/16", "10.0.1.0/24", "us-east-1a"));
    }

    @Test
    void instanceCalls_whileOtherAccountsHaveNatGatewaysAndInterfaceEndpoints_answer() {
        Ec2Client nat = UNDERPASS.ec2("910000000004");
        String natSubnet = subnet(nat, "10.2.0.0/16", "10.2.1.0/24", "us-east-1a");
        nat.createNatGateway(r -> r.subnetId(natSubnet).connectivityType("private"));
        Ec2Client endpoint = UNDERPASS.ec2("910000000005", "us-west-2");
        String endpointSubnet = subnet(endpoint, "10.3.0.0/16", "10.3.1.0/24", "us-west-2a");
        String endpointVpc = endpoint.describeSubnets(r -> r.subnetIds(endpointSubnet)).subnets().get(0).vpcId();
        endpoint.createVpcEndpoint(r -> r.vpcId(endpointVpc).vpcEndpointType("Interface")
                .serviceName("com.amazonaws.us-west-2.sqs").privateDnsEnabled(false).subnetIds(endpointSubnet));

        Ec2Client ec2 = UNDERPASS.ec2("910000000003");
        instanceLifecycleWorks(ec2, subnet(ec2, "10.0.0.0/16", "10.0.1.0/24", "us-east-1a"));
    }

    // ---- Fidelity: AWS's recorded answers.

    @Test
    void createVpc_outsideSixteenToTwentyEight_answersInvalidVpcDotRange_asAssociateVpcCidrBlockDoes() {
        Ec2Client ec2 = UNDERPASS.ec2("920000000001");
        assertError(() -> ec2.createVpc(r -> r.cidrBlock("10.0.0.0/8")), "InvalidVpc.Range",
                "The CIDR '10.0.0.0/8' is invalid.");
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        assertError(() -> ec2.associateVpcCidrBlock(r -> r.vpcId(vpc).cidrBlock("10.64.0.0/12")), "InvalidVpc.Range",
                "The CIDR '10.64.0.0/12' is invalid.");
        assertError(() -> ec2.associateVpcCidrBlock(r -> r.vpcId(vpc).cidrBlock("10.1.0.0/29")), "InvalidVpc.Range",
                "The CIDR '10.1.0.0/29' is invalid.");
    }

    @Test
    void associateVpcCidrBlock_beyondFiveBlocks_answersCidrLimitExceeded() {
        Ec2Client ec2 = UNDERPASS.ec2("920000000002");
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        for (int i = 1; i <= 4; i++) {
            String block = "10." + i + ".0.0/16";
            ec2.associateVpcCidrBlock(r -> r.vpcId(vpc).cidrBlock(block));
        }
        assertError(() -> ec2.associateVpcCidrBlock(r -> r.vpcId(vpc).cidrBlock("10.5.0.0/16")), "CidrLimitExceeded",
                "This network '" + vpc + "' has met its maximum number of allowed CIDRs: 5");
        assertThat(ec2.describeVpcs(r -> r.vpcIds(vpc)).vpcs().get(0).cidrBlockAssociationSet()).hasSize(5);
    }

    @Test
    void createSecurityGroup_inAVpcWithIpv6_allowsAllOutboundOnIpv4AndIpv6() {
        Ec2Client ec2 = UNDERPASS.ec2("920000000003");
        String dual = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16").amazonProvidedIpv6CidrBlock(true)).vpc().vpcId();
        String v4 = ec2.createVpc(r -> r.cidrBlock("10.1.0.0/16")).vpc().vpcId();
        String inDual = ec2.createSecurityGroup(r -> r.vpcId(dual).groupName("web").description("web")).groupId();
        String inV4 = ec2.createSecurityGroup(r -> r.vpcId(v4).groupName("web").description("web")).groupId();

        var dualEgress = ec2.describeSecurityGroups(r -> r.groupIds(inDual)).securityGroups().get(0)
                .ipPermissionsEgress();
        assertThat(dualEgress).singleElement().satisfies(p -> {
            assertThat(p.ipProtocol()).isEqualTo("-1");
            assertThat(p.ipRanges()).singleElement().satisfies(x -> assertThat(x.cidrIp()).isEqualTo("0.0.0.0/0"));
            assertThat(p.ipv6Ranges()).singleElement().satisfies(x -> assertThat(x.cidrIpv6()).isEqualTo("::/0"));
        });
        assertThat(ec2.describeSecurityGroupRules(r -> r.filters(f -> f.name("group-id").values(inDual)))
                .securityGroupRules()).filteredOn(SecurityGroupRule::isEgress).hasSize(2);
        var v4Egress = ec2.describeSecurityGroups(r -> r.groupIds(inV4)).securityGroups().get(0)
                .ipPermissionsEgress();
        assertThat(v4Egress).singleElement().satisfies(p -> assertThat(p.ipv6Ranges()).isEmpty());
    }

    @Test
    void modifySecurityGroupRules_ruleWithoutItsRequiredMembers_answersAwsCodes() {
        Ec2Client ec2 = UNDERPASS.ec2("920000000004");
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String group = ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName("app").description("app")).groupId();
        String rule = ec2.authorizeSecurityGroupIngress(r -> r.groupId(group).ipPermissions(IpPermission.builder()
                .ipProtocol("tcp").fromPort(22).toPort(22).ipRanges(x -> x.cidrIp("10.0.0.0/8")).build()))
                .securityGroupRules().get(0).securityGroupRuleId();

        assertError(() -> ec2.modifySecurityGroupRules(r -> r.groupId(group).securityGroupRules(u -> u
                .securityGroupRuleId(rule).securityGroupRule(x -> x.ipProtocol("tcp").fromPort(22).toPort(22)))),
                "MissingParameter");
        assertError(() -> ec2.modifySecurityGroupRules(r -> r.groupId(group).securityGroupRules(u -> u
                .securityGroupRuleId(rule).securityGroupRule(x -> x.ipProtocol("tcp").fromPort(22).toPort(22)
                        .cidrIpv4("10.0.0.0/8").cidrIpv6("::/0")))),
                "InvalidParameterCombination");
        assertError(() -> ec2.modifySecurityGroupRules(r -> r.groupId(group).securityGroupRules(u -> u
                .securityGroupRuleId(rule).securityGroupRule(x -> x.fromPort(22).toPort(22).cidrIpv4("10.0.0.0/8")))),
                "InvalidParameterValue", "Invalid value 'null' for protocol. VPC security group rules must specify "
                        + "protocols explicitly.");
        // Nothing changed.
        assertThat(ec2.describeSecurityGroupRules(r -> r.securityGroupRuleIds(rule)).securityGroupRules().get(0)
                .cidrIpv4()).isEqualTo("10.0.0.0/8");
    }

    @Test
    void createSubnet_ipv6OnlyWithoutAnIpv6Block_answersAwsWording() {
        Ec2Client ec2 = UNDERPASS.ec2("920000000005");
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16").amazonProvidedIpv6CidrBlock(true)).vpc().vpcId();
        assertError(() -> ec2.createSubnet(r -> r.vpcId(vpc).ipv6Native(true)), "MissingParameter",
                "Either 'ipv6CidrBlock' or 'ipv6IpamPoolId' should be provided.");
        assertError(() -> ec2.createSubnet(r -> r.vpcId(vpc).ipv6Native(true).cidrBlock("10.0.1.0/24")),
                "InvalidParameterCombination",
                "When specifying ipv4 parameters, cidrBlock or ipv4IpamPoolId, you cannot set ipv6Native to true.");
    }

    @Test
    void networkAclEntry_icmpv6WithAnIpv4Block_needsNoTypeAndCode_butWithAnIpv6BlockItDoes() {
        Ec2Client ec2 = UNDERPASS.ec2("920000000006");
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16").amazonProvidedIpv6CidrBlock(true)).vpc().vpcId();
        String acl = ec2.createNetworkAcl(r -> r.vpcId(vpc)).networkAcl().networkAclId();

        ec2.createNetworkAclEntry(r -> r.networkAclId(acl).ruleNumber(100).protocol("58").ruleAction("allow")
                .egress(false).cidrBlock("10.0.0.0/8"));
        assertError(() -> ec2.createNetworkAclEntry(r -> r.networkAclId(acl).ruleNumber(110).protocol("58")
                .ruleAction("allow").egress(false).ipv6CidrBlock("::/0")), "MissingParameter");
        assertError(() -> ec2.createNetworkAclEntry(r -> r.networkAclId(acl).ruleNumber(120).protocol("1")
                .ruleAction("allow").egress(false).cidrBlock("10.0.0.0/8")), "MissingParameter");

        NetworkAclEntry entry = ec2.describeNetworkAcls(r -> r.networkAclIds(acl)).networkAcls().get(0).entries()
                .stream().filter(e -> e.ruleNumber() == 100).findFirst().orElseThrow();
        assertThat(entry.protocol()).isEqualTo("58");
        assertThat(entry.cidrBlock()).isEqualTo("10.0.0.0/8");
        assertThat(entry.icmpTypeCode()).isNull();
    }

    @Test
    void describeVpcEndpointServices_customersNlbService_doesNotSupportEndpointPolicies() {
        String provider = "920000000007";
        Ec2Client ec2 = UNDERPASS.ec2(provider);
        String subnet = subnet(ec2, "10.0.0.0/16", "10.0.1.0/24", "us-east-1a");
        var elb = UNDERPASS.elbv2(provider);
        String nlb = elb.createLoadBalancer(r -> r.name("svc").type("network").scheme("internal").subnets(subnet))
                .loadBalancers().get(0).loadBalancerArn();
        String serviceName = ec2.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(nlb)
                .acceptanceRequired(false)).serviceConfiguration().serviceName();

        ServiceDetail custom = ec2.describeVpcEndpointServices(r -> r.serviceNames(serviceName)).serviceDetails()
                .get(0);
        assertThat(custom.vpcEndpointPolicySupported()).isFalse();
        ServiceDetail sqs = ec2.describeVpcEndpointServices(r -> r.serviceNames("com.amazonaws.us-east-1.sqs"))
                .serviceDetails().get(0);
        assertThat(sqs.vpcEndpointPolicySupported()).isTrue();
        ServiceDetail ssmMessages = ec2.describeVpcEndpointServices(r -> r.serviceNames(
                "com.amazonaws.us-east-1.ssmmessages")).serviceDetails().get(0);
        assertThat(ssmMessages.vpcEndpointPolicySupported()).isFalse();
    }

    @Test
    void disassociateVpcCidrBlock_besideAnIpv6OnlySubnet_answersInsteadOfFailing() {
        Ec2Client ec2 = UNDERPASS.ec2("920000000010");
        var vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16").amazonProvidedIpv6CidrBlock(true)).vpc();
        String block = ec2.describeVpcs(r -> r.vpcIds(vpc.vpcId())).vpcs().get(0).ipv6CidrBlockAssociationSet().get(0)
                .ipv6CidrBlock();
        String slash64 = dev.underpass.model.net.Ipv6Block.parse(block).child(64, 0).toString();
        ec2.createSubnet(r -> r.vpcId(vpc.vpcId()).ipv6Native(true).ipv6CidrBlock(slash64)
                .availabilityZone("us-east-1a"));
        String second = ec2.associateVpcCidrBlock(r -> r.vpcId(vpc.vpcId()).cidrBlock("10.1.0.0/16"))
                .cidrBlockAssociation().associationId();

        assertThat(ec2.disassociateVpcCidrBlock(r -> r.associationId(second)).cidrBlockAssociation()
                .cidrBlockState().stateAsString()).isEqualTo("disassociating");
    }

    // ---- Prefix-list references are released with whatever held them.

    private static String prefixList(Ec2Client ec2) {
        return ec2.createManagedPrefixList(r -> r.prefixListName("office").addressFamily("IPv4").maxEntries(5)
                .entries(AddPrefixListEntry.builder().cidr("192.0.2.0/24").build())).prefixList().prefixListId();
    }

    private static IpPermission fromList(String listId) {
        return IpPermission.builder().ipProtocol("tcp").fromPort(443).toPort(443)
                .prefixListIds(PrefixListId.builder().prefixListId(listId).build()).build();
    }

    private static void deletable(Ec2Client ec2, String listId) {
        assertThat(ec2.getManagedPrefixListAssociations(r -> r.prefixListId(listId)).prefixListAssociations())
                .isEmpty();
        assertThat(ec2.deleteManagedPrefixList(r -> r.prefixListId(listId)).prefixList().prefixListId())
                .isEqualTo(listId);
    }

    @Test
    void deleteSecurityGroup_releasesItsPrefixListReferences() {
        Ec2Client ec2 = UNDERPASS.ec2("920000000008");
        String list = prefixList(ec2);
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String group = ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName("app").description("app")).groupId();
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(group).ipPermissions(fromList(list)));
        ec2.authorizeSecurityGroupEgress(r -> r.groupId(group).ipPermissions(fromList(list)));
        assertError(() -> ec2.deleteManagedPrefixList(r -> r.prefixListId(list)), "DependencyViolation");

        ec2.deleteSecurityGroup(r -> r.groupId(group));
        deletable(ec2, list);
    }

    @Test
    void revokeAndDeleteRoute_andDeleteRouteTable_releasePrefixListReferences() {
        Ec2Client ec2 = UNDERPASS.ec2("920000000009");
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String igw = ec2.createInternetGateway().internetGateway().internetGatewayId();
        ec2.attachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpc));

        String byRule = prefixList(ec2);
        String group = ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName("app").description("app")).groupId();
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(group).ipPermissions(fromList(byRule)));
        ec2.revokeSecurityGroupIngress(r -> r.groupId(group).ipPermissions(fromList(byRule)));
        deletable(ec2, byRule);

        String byRuleId = prefixList(ec2);
        String egressRule = ec2.authorizeSecurityGroupEgress(r -> r.groupId(group).ipPermissions(fromList(byRuleId)))
                .securityGroupRules().get(0).securityGroupRuleId();
        ec2.revokeSecurityGroupEgress(r -> r.groupId(group).securityGroupRuleIds(egressRule));
        deletable(ec2, byRuleId);

        String byModifiedRule = prefixList(ec2);
        String modified = ec2.authorizeSecurityGroupIngress(r -> r.groupId(group).ipPermissions(
                fromList(byModifiedRule))).securityGroupRules().get(0).securityGroupRuleId();
        ec2.modifySecurityGroupRules(r -> r.groupId(group).securityGroupRules(u -> u.securityGroupRuleId(modified)
                .securityGroupRule(x -> x.ipProtocol("tcp").fromPort(443).toPort(443).cidrIpv4("10.9.0.0/16"))));
        deletable(ec2, byModifiedRule);

        String byRoute = prefixList(ec2);
        String table = ec2.createRouteTable(r -> r.vpcId(vpc)).routeTable().routeTableId();
        ec2.createRoute(r -> r.routeTableId(table).destinationPrefixListId(byRoute).gatewayId(igw));
        ec2.deleteRoute(r -> r.routeTableId(table).destinationPrefixListId(byRoute));
        deletable(ec2, byRoute);

        String byTable = prefixList(ec2);
        ec2.createRoute(r -> r.routeTableId(table).destinationPrefixListId(byTable).gatewayId(igw));
        ec2.deleteRouteTable(r -> r.routeTableId(table));
        deletable(ec2, byTable);

        String byDefaultGroup = prefixList(ec2);
        String defaultGroup = ec2.describeSecurityGroups(r -> r.filters(f -> f.name("vpc-id").values(vpc),
                f -> f.name("group-name").values("default"))).securityGroups().get(0).groupId();
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(defaultGroup).ipPermissions(fromList(byDefaultGroup)));
        ec2.deleteSecurityGroup(r -> r.groupId(group));
        ec2.detachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpc));
        ec2.deleteVpc(r -> r.vpcId(vpc));
        deletable(ec2, byDefaultGroup);
    }
}
