package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.InvalidSecurityGroupException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.SubnetNotFoundException;
import software.amazon.awssdk.services.ram.RamClient;

/**
 * VPC sharing as participants and the owner see it, with three accounts of one organization: the owner shares two
 * subnets with an OU holding participant A; B is in the organization but not in the OU (a non-participant). Each
 * test builds its own organization from fresh account ids, so the tests share one server.
 */
class SharedVpcTest {
    private static final String AMI = "ami-0123456789abcdef0";

    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    record Shared(RamApiTest.Org org, String shareArn, Ec2Client owner, Ec2Client a, Ec2Client b) {}

    private static Shared shared() {
        return shared(UNDERPASS);
    }

    /** A fresh organization on {@code underpass} whose management account shares its two subnets with the OU. */
    static Shared shared(UnderpassExtension underpass) {
        RamApiTest.Org o = RamApiTest.organization(underpass.endpoint(), true);
        Ec2Client owner = underpass.ec2(o.owner());
        owner.createTags(r -> r.resources(o.subnet1(), o.vpc()).tags(t -> t.key("Name").value("owner-secret")));
        String arn = RamApiTest.ram(underpass.endpoint(), o.owner()).createResourceShare(r -> r.name("net")
                .resourceArns(o.subnetArn(o.subnet1()), o.subnetArn(o.subnet2())).principals(o.ouArn()))
                .resourceShare().resourceShareArn();
        return new Shared(o, arn, owner, underpass.ec2(o.a()), underpass.ec2(o.b()));
    }

    private static void assertCode(Runnable call, String code) {
        assertThatThrownBy(call::run).isInstanceOf(Ec2Exception.class)
                .satisfies(e -> assertThat(((Ec2Exception) e).awsErrorDetails().errorCode()).isEqualTo(code));
    }

    static String ownGroup(Ec2Client ec2, String vpc, String name) {
        return ec2.createSecurityGroup(r -> r.groupName(name).description(name).vpcId(vpc)).groupId();
    }

    static Instance launch(Ec2Client ec2, String subnet, String group) {
        return ec2.runInstances(r -> r.imageId(AMI).instanceType("t3.micro").minCount(1).maxCount(1)
                .subnetId(subnet).securityGroupIds(group)).instances().get(0);
    }

    @Test
    void participant_seesSharedVpcAndSubnets_withoutOwnerTags_andItsRouteTablesReadOnly() {
        Shared s = shared();
        RamApiTest.Org o = s.org();
        List<Subnet> subnets = s.a().describeSubnets(r -> r.filters(f -> f.name("vpc-id").values(o.vpc())))
                .subnets();
        assertThat(subnets).extracting(Subnet::subnetId).containsExactly(
                List.of(o.subnet1(), o.subnet2()).stream().sorted().toArray(String[]::new));
        assertThat(subnets).allSatisfy(sub -> {
            assertThat(sub.ownerId()).isEqualTo(o.owner());
            assertThat(sub.tags()).isEmpty();
        });
        assertThat(s.a().describeSubnets(r -> r.subnetIds(o.subnet1())).subnets().get(0).tags()).isEmpty();
        assertThat(s.owner().describeSubnets(r -> r.subnetIds(o.subnet1())).subnets().get(0).tags()).hasSize(1);
        assertThat(s.a().describeVpcs(r -> r.vpcIds(o.vpc())).vpcs()).singleElement().satisfies(v -> {
            assertThat(v.ownerId()).isEqualTo(o.owner());
            assertThat(v.tags()).isEmpty();
        });
        String mainTable = s.a().describeRouteTables(r -> r.filters(f -> f.name("vpc-id").values(o.vpc())))
                .routeTables().get(0).routeTableId();
        assertThat(s.a().describeNetworkAcls(r -> r.filters(f -> f.name("vpc-id").values(o.vpc())))
                .networkAcls()).hasSize(1);
        // Read-only: the owner's route table, subnets and VPC cannot be changed by a participant.
        assertCode(() -> s.a().createRoute(r -> r.routeTableId(mainTable).destinationCidrBlock("0.0.0.0/0")
                .gatewayId("igw-0123456789abcdef0")), "UnauthorizedOperation");
        assertCode(() -> s.a().createRouteTable(r -> r.vpcId(o.vpc())), "UnauthorizedOperation");
        assertCode(() -> s.a().deleteSubnet(r -> r.subnetId(o.subnet1())), "UnauthorizedOperation");
        // The owner's default security group is not shown to a participant.
        assertThat(s.a().describeSecurityGroups(r -> r.filters(f -> f.name("vpc-id").values(o.vpc())))
                .securityGroups()).isEmpty();
        // B, outside the OU, sees none of it.
        assertThat(s.b().describeSubnets(r -> r.filters(f -> f.name("vpc-id").values(o.vpc()))).subnets())
                .isEmpty();
        assertCode(() -> s.b().describeVpcs(r -> r.vpcIds(o.vpc())), "InvalidVpcID.NotFound");
        assertCode(() -> s.b().describeSubnets(r -> r.subnetIds(o.subnet1())), "InvalidSubnetID.NotFound");
    }

    @Test
    void participant_launchesWithItsOwnGroup_notTheOwners_andCannotCreateEndpoints() {
        Shared s = shared();
        RamApiTest.Org o = s.org();
        String ownerDefault = s.owner().describeSecurityGroups(r -> r.filters(
                f -> f.name("vpc-id").values(o.vpc()), f -> f.name("group-name").values("default")))
                .securityGroups().get(0).groupId();
        String sg = ownGroup(s.a(), o.vpc(), "app");
        Instance i = launch(s.a(), o.subnet1(), sg);
        assertThat(i.subnetId()).isEqualTo(o.subnet1());
        assertThat(i.vpcId()).isEqualTo(o.vpc());
        assertThat(i.securityGroups()).extracting(g -> g.groupId()).containsExactly(sg);

        assertCode(() -> launch(s.a(), o.subnet1(), ownerDefault), "InvalidGroup.NotFound");
        assertCode(() -> s.a().runInstances(r -> r.imageId(AMI).instanceType("t3.micro").minCount(1).maxCount(1)
                .subnetId(o.subnet1())), "MissingParameter");
        assertCode(() -> s.a().createVpcEndpoint(r -> r.vpcId(o.vpc()).serviceName("com.amazonaws.us-east-1.s3")),
                "UnauthorizedOperation");
        // The owner may still create endpoints in its VPC.
        assertThat(s.owner().createVpcEndpoint(r -> r.vpcId(o.vpc()).serviceName("com.amazonaws.us-east-1.s3"))
                .vpcEndpoint().vpcEndpointId()).startsWith("vpce-");
        // B cannot launch in a subnet not shared with it.
        String bGroup = s.b().createSecurityGroup(r -> r.groupName("b").description("b")).groupId();
        assertCode(() -> launch(s.b(), o.subnet1(), bGroup), "InvalidSubnetID.NotFound");
    }

    @Test
    void owner_seesParticipantsInterfacesAndGroups_butCannotChangeThem_andOthersSeeNothing() {
        Shared s = shared();
        RamApiTest.Org o = s.org();
        String sg = ownGroup(s.a(), o.vpc(), "app");
        s.a().createTags(r -> r.resources(sg).tags(t -> t.key("team").value("a")));
        Instance i = launch(s.a(), o.subnet1(), sg);
        String eni = i.networkInterfaces().get(0).networkInterfaceId();

        List<NetworkInterface> seen = s.owner().describeNetworkInterfaces(r -> r.filters(
                f -> f.name("vpc-id").values(o.vpc()))).networkInterfaces();
        assertThat(seen).extracting(NetworkInterface::networkInterfaceId).contains(eni);
        assertThat(seen).filteredOn(n -> n.networkInterfaceId().equals(eni)).singleElement()
                .satisfies(n -> assertThat(n.ownerId()).isEqualTo(o.a()));
        List<SecurityGroup> groups = s.owner().describeSecurityGroups(r -> r.groupIds(sg)).securityGroups();
        assertThat(groups).singleElement().satisfies(g -> {
            assertThat(g.ownerId()).isEqualTo(o.a());
            assertThat(g.tags()).isEmpty();
        });
        // The owner sees no participant instance and changes nothing of A's.
        assertCode(() -> s.owner().terminateInstances(r -> r.instanceIds(i.instanceId())),
                "InvalidInstanceID.NotFound");
        assertCode(() -> s.owner().deleteNetworkInterface(r -> r.networkInterfaceId(eni)), "UnauthorizedOperation");
        assertCode(() -> s.owner().deleteSecurityGroup(r -> r.groupId(sg)), "UnauthorizedOperation");
        assertThat(s.owner().describeInstances(r -> {}).reservations()).flatExtracting(x -> x.instances())
                .extracting(Instance::instanceId).doesNotContain(i.instanceId());
        // B (not a participant) sees neither the instance nor its interface.
        assertCode(() -> s.b().describeInstances(r -> r.instanceIds(i.instanceId())), "InvalidInstanceID.NotFound");
        assertThat(s.b().describeNetworkInterfaces(r -> {}).networkInterfaces())
                .extracting(NetworkInterface::networkInterfaceId).doesNotContain(eni);
        assertCode(() -> s.b().describeNetworkInterfaces(r -> r.networkInterfaceIds(eni)),
                "InvalidNetworkInterfaceID.NotFound");
    }

    @Test
    void anotherParticipant_neverSeesTheFirstOnesResources() {
        RamApiTest.Org o = RamApiTest.organization(UNDERPASS.endpoint(), true);
        RamApiTest.ram(UNDERPASS.endpoint(), o.owner()).createResourceShare(r -> r.name("all")
                .resourceArns(o.subnetArn(o.subnet1())).principals(o.orgArn()));
        Ec2Client a = UNDERPASS.ec2(o.a());
        Ec2Client b = UNDERPASS.ec2(o.b());
        Instance i = launch(a, o.subnet1(), ownGroup(a, o.vpc(), "a"));
        String bGroup = ownGroup(b, o.vpc(), "b");
        // Both participate; each sees only its own.
        assertThat(b.describeSubnets(r -> r.subnetIds(o.subnet1())).subnets()).hasSize(1);
        assertCode(() -> b.describeInstances(r -> r.instanceIds(i.instanceId())), "InvalidInstanceID.NotFound");
        assertThat(b.describeNetworkInterfaces(r -> r.filters(f -> f.name("vpc-id").values(o.vpc())))
                .networkInterfaces()).isEmpty();
        assertThat(b.describeSecurityGroups(r -> r.filters(f -> f.name("vpc-id").values(o.vpc())))
                .securityGroups()).extracting(SecurityGroup::groupId).containsExactly(bGroup);
        // B cannot launch with A's group either.
        String aGroup = i.securityGroups().get(0).groupId();
        assertCode(() -> launch(b, o.subnet1(), aGroup), "InvalidGroup.NotFound");
    }

    /** Found by the stateful fuzzer: a participant's group outlived the owner's view once the subnets were gone. */
    @Test
    void participantsGroup_staysInTheOwnersView_afterTheSharedSubnetsAreUnsharedAndDeleted() {
        Shared s = shared();
        RamApiTest.Org o = s.org();
        String sg = ownGroup(s.a(), o.vpc(), "left-behind");
        RamApiTest.ram(UNDERPASS.endpoint(), o.owner()).deleteResourceShare(r -> r.resourceShareArn(s.shareArn()));
        s.owner().deleteSubnet(r -> r.subnetId(o.subnet1()));
        s.owner().deleteSubnet(r -> r.subnetId(o.subnet2()));

        assertThat(s.owner().describeSecurityGroups(r -> r.filters(f -> f.name("vpc-id").values(o.vpc())))
                .securityGroups()).extracting(SecurityGroup::groupId).contains(sg);
        assertThat(s.owner().describeSecurityGroups(r -> r.groupIds(sg)).securityGroups().get(0).ownerId())
                .isEqualTo(o.a());
        // It still holds the VPC up, and only A can remove it.
        assertCode(() -> s.owner().deleteVpc(r -> r.vpcId(o.vpc())), "DependencyViolation");
        s.a().deleteSecurityGroup(r -> r.groupId(sg));
        s.owner().deleteVpc(r -> r.vpcId(o.vpc()));
    }

    @Test
    void unsharing_keepsInstances_blocksNewOnes_andOwnerCannotDeleteTheSubnetUntilTheyAreGone() {
        Shared s = shared();
        RamApiTest.Org o = s.org();
        String sg = ownGroup(s.a(), o.vpc(), "app");
        Instance i = launch(s.a(), o.subnet1(), sg);
        RamClient ram = RamApiTest.ram(UNDERPASS.endpoint(), o.owner());
        ram.disassociateResourceShare(r -> r.resourceShareArn(s.shareArn()).resourceArns(o.subnetArn(o.subnet1())));

        assertCode(() -> launch(s.a(), o.subnet1(), sg), "InvalidSubnetID.NotFound");
        assertThat(s.a().describeInstances(r -> r.instanceIds(i.instanceId())).reservations().get(0).instances()
                .get(0).state().nameAsString()).isIn("pending", "running");
        // Subnet 2 is still shared.
        assertThat(launch(s.a(), o.subnet2(), sg).subnetId()).isEqualTo(o.subnet2());

        // Even with the share gone, the owner still sees what A left in the subnet.
        ram.deleteResourceShare(r -> r.resourceShareArn(s.shareArn()));
        assertCode(() -> s.a().describeSubnets(r -> r.subnetIds(o.subnet2())), "InvalidSubnetID.NotFound");
        assertThat(s.owner().describeNetworkInterfaces(r -> r.filters(f -> f.name("subnet-id").values(o.subnet1())))
                .networkInterfaces()).extracting(NetworkInterface::ownerId).containsExactly(o.a());
        assertCode(() -> s.owner().deleteSubnet(r -> r.subnetId(o.subnet1())), "DependencyViolation");
        assertCode(() -> s.owner().deleteVpc(r -> r.vpcId(o.vpc())), "DependencyViolation");
        s.a().terminateInstances(r -> r.instanceIds(i.instanceId()));
        s.owner().deleteSubnet(r -> r.subnetId(o.subnet1()));
        assertCode(() -> s.owner().describeSubnets(r -> r.subnetIds(o.subnet1())), "InvalidSubnetID.NotFound");
    }

    @Test
    void participant_referencesTheOwnersGroupAndASharedPrefixList_inItsOwnRules() {
        Shared s = shared();
        RamApiTest.Org o = s.org();
        String ownerDefault = s.owner().describeSecurityGroups(r -> r.filters(
                f -> f.name("vpc-id").values(o.vpc()), f -> f.name("group-name").values("default")))
                .securityGroups().get(0).groupId();
        String pl = s.owner().createManagedPrefixList(r -> r.prefixListName("corp").addressFamily("IPv4")
                .maxEntries(5).entries(e -> e.cidr("10.9.0.0/16"))).prefixList().prefixListId();
        String sg = ownGroup(s.a(), o.vpc(), "app");
        // The owner's group, as account/sg-…: allowed in a rule though not for launching.
        s.a().authorizeSecurityGroupIngress(r -> r.groupId(sg).ipPermissions(p -> p.ipProtocol("tcp").fromPort(443)
                .toPort(443).userIdGroupPairs(u -> u.userId(o.owner()).groupId(ownerDefault))));
        // A prefix list not shared with A cannot be referenced; once shared, it can.
        assertCode(() -> s.a().authorizeSecurityGroupIngress(r -> r.groupId(sg).ipPermissions(p -> p
                .ipProtocol("tcp").fromPort(22).toPort(22).prefixListIds(x -> x.prefixListId(pl)))),
                "InvalidPrefixListID.NotFound");
        RamApiTest.ram(UNDERPASS.endpoint(), o.owner()).createResourceShare(r -> r.name("pl").principals(o.a())
                .resourceArns("arn:aws:ec2:us-east-1:" + o.owner() + ":prefix-list/" + pl));
        s.a().authorizeSecurityGroupIngress(r -> r.groupId(sg).ipPermissions(p -> p.ipProtocol("tcp").fromPort(22)
                .toPort(22).prefixListIds(x -> x.prefixListId(pl))));
        assertThat(s.a().describeSecurityGroups(r -> r.groupIds(sg)).securityGroups().get(0).ipPermissions())
                .hasSize(2);
        // And in a route of A's own VPC.
        String ownVpc = s.a().createVpc(r -> r.cidrBlock("10.70.0.0/16")).vpc().vpcId();
        String igw = s.a().createInternetGateway(r -> {}).internetGateway().internetGatewayId();
        s.a().attachInternetGateway(r -> r.internetGatewayId(igw).vpcId(ownVpc));
        String rtb = s.a().createRouteTable(r -> r.vpcId(ownVpc)).routeTable().routeTableId();
        s.a().createRoute(r -> r.routeTableId(rtb).destinationPrefixListId(pl).gatewayId(igw));
        assertThat(s.a().describeRouteTables(r -> r.routeTableIds(rtb)).routeTables().get(0).routes())
                .anySatisfy(route -> assertThat(route.destinationPrefixListId()).isEqualTo(pl));
        assertCode(() -> s.b().createRoute(r -> r.routeTableId(rtb).destinationPrefixListId(pl).gatewayId(igw)),
                "InvalidRouteTableID.NotFound");
    }

    @Test
    void participant_createsLoadBalancersInSharedSubnets_aNonParticipantCannot() {
        Shared s = shared();
        RamApiTest.Org o = s.org();
        var nlb = UNDERPASS.elbv2(o.a()).createLoadBalancer(r -> r.name("a-nlb").type("network").scheme("internal")
                .subnets(o.subnet1(), o.subnet2())).loadBalancers().get(0);
        assertThat(nlb.vpcId()).isEqualTo(o.vpc());
        String sg = ownGroup(s.a(), o.vpc(), "alb");
        assertThat(UNDERPASS.elbv2(o.a()).createLoadBalancer(r -> r.name("a-alb").scheme("internal")
                .subnets(o.subnet1(), o.subnet2()).securityGroups(sg)).loadBalancers().get(0).securityGroups())
                .containsExactly(sg);
        assertThatThrownBy(() -> UNDERPASS.elbv2(o.a()).createLoadBalancer(r -> r.name("a-alb2").scheme("internal")
                .subnets(o.subnet1(), o.subnet2()))).isInstanceOf(InvalidSecurityGroupException.class);
        assertThatThrownBy(() -> UNDERPASS.elbv2(o.b()).createLoadBalancer(r -> r.name("b-nlb").type("network")
                .scheme("internal").subnets(o.subnet1(), o.subnet2()))).isInstanceOf(SubnetNotFoundException.class);
    }
}
