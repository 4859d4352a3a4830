package dev.underpass.model.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The model rules issue 9 changed, each beside its rule; the SDK tests are in the server's HardeningModelTest. */
class HardeningRulesTest {
    private static final Caller CALLER = Caller.of("930000000001", "us-east-1");
    private static final Caller OTHER = Caller.of("930000000002", "eu-west-1");
    private static final Quotas QUOTAS = Quotas.defaults();
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static void assertCode(Runnable call, String code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(AwsException.class,
                e -> assertThat(e.code()).isEqualTo(code));
    }

    private static Subnet subnet(Tx tx, String vpcCidr, String subnetCidr, String zone) {
        Vpc vpc = Vpcs.create(tx, QUOTAS, new Vpcs.Create(vpcCidr, null, false, Map.of()));
        return Subnets.create(tx, QUOTAS, new Subnets.Create(vpc.vpcId(), subnetCidr, zone, null, false, false,
                Map.of()));
    }

    @Test
    void attachedTo_ignoresInterfacesThatNoInstanceHolds_inAnyAccount() {
        Tx other = new Tx(World.empty(), OTHER, NOW);
        Subnet otherSubnet = subnet(other, "10.1.0.0/16", "10.1.1.0/24", "eu-west-1a");
        // A load balancer's interface: attached, but to no instance.
        NetworkInterface managed = NetworkInterfaces.createIn(other, QUOTAS, otherSubnet, "ELB", List.of(),
                List.of(), 0, "network_load_balancer", Map.of());
        other.put(managed.withAttachment(
                new NetworkInterface.Attachment(NetworkInterfaceAttachmentId.of("ela-attach-1"), null, "amazon-elb", 1,
                        AttachmentStatus.ATTACHED, false, NOW)));

        Tx tx = new Tx(other.world(), CALLER, NOW);
        Subnet subnet = subnet(tx, "10.0.0.0/16", "10.0.1.0/24", "us-east-1a");
        Instance instance = Instances
                .run(tx, QUOTAS, new Instances.Run(ImageId.of("ami-12345678"), null, 1, 1, subnet.subnetId(),
                        null, List.of(), List.of(), null, null, null, Map.of(), Map.of(), null, null))
                .instances().get(0);

        assertThat(NetworkInterfaces.attachedTo(tx.world(), instance.instanceId()))
                .extracting(NetworkInterface::networkInterfaceId)
                .containsExactly(instance.primaryNetworkInterfaceId());
        assertThat(Instances.terminate(tx, java.time.Duration.ZERO, List.of(instance.id()))).hasSize(1);
    }

    @Test
    void createSecurityGroup_addsTheIpv6AllOutboundRule_onlyInAVpcWithAnIpv6Block() {
        Tx tx = new Tx(World.empty(), CALLER, NOW);
        Vpc dual = Vpcs.create(tx, QUOTAS, new Vpcs.Create("10.0.0.0/16", null, false, Map.of()));
        Vpcs.associateAmazonIpv6(tx, dual.vpcId(), null);
        Vpc v4 = Vpcs.create(tx, QUOTAS, new Vpcs.Create("10.1.0.0/16", null, false, Map.of()));

        SecurityGroup inDual = SecurityGroups.create(tx, QUOTAS, new SecurityGroups.Create(dual.vpcId(), "a", "a",
                Map.of()));
        SecurityGroup inV4 = SecurityGroups.create(tx, QUOTAS, new SecurityGroups.Create(VpcId.of(v4.id()), "a", "a",
                Map.of()));
        assertThat(inDual.rules()).allMatch(SecurityGroup.Rule::egress)
                .extracting(r -> r.peer().text())
                .containsExactly("0.0.0.0/0", "::/0");
        assertThat(inV4.rules()).extracting(SecurityGroup.Rule::peer).containsExactly(AddressSet.ALL_IPV4);
    }

    @Test
    void modifyRules_withoutProtocolOrTarget_orWithTwoTargets_isRefusedWithAwsCodes() {
        Tx tx = new Tx(World.empty(), CALLER, NOW);
        Vpc vpc = Vpcs.create(tx, QUOTAS, new Vpcs.Create("10.0.0.0/16", null, false, Map.of()));
        SecurityGroup g = SecurityGroups.create(tx, QUOTAS, new SecurityGroups.Create(vpc.vpcId(), "a", "a", Map.of()));
        String rule = SecurityGroupRuleId.text(g.rules().get(0).ruleId());

        assertCode(
                () -> SecurityGroupRules
                        .modifyRules(tx, QUOTAS, g,
                                List.of(new SecurityGroupRules.RuleUpdate(SecurityGroupRuleId.of(rule),
                                        null, null, null, "10.0.0.0/8", null, null, null, null))),
                "InvalidParameterValue");
        assertCode(() -> SecurityGroupRules.modifyRules(tx, QUOTAS, g,
                List.of(new SecurityGroupRules.RuleUpdate(SecurityGroupRuleId.of(rule),
                        "-1", null, null, null, null, null, null, null))),
                "MissingParameter");
        assertCode(
                () -> SecurityGroupRules.modifyRules(tx, QUOTAS, g,
                        List.of(new SecurityGroupRules.RuleUpdate(SecurityGroupRuleId.of(rule),
                                "-1", null, null, "10.0.0.0/8", "::/0", null, null, null))),
                "InvalidParameterCombination");
    }

    @Test
    void aclEntry_icmpv6NeedsTypeAndCodeOnlyWithAnIpv6Block() {
        NetworkAcl.Entry v4 =
                NetworkAcls.entry(new NetworkAcls.EntrySpec(NetworkAclId.of("acl-1"), 100, "icmpv6", "allow", false,
                        "10.0.0.0/8", null, null, null, null, null));
        assertThat(v4.protocol().aclNumber()).isEqualTo("58");
        assertThat(v4.icmpType()).isNull();
        assertCode(() -> NetworkAcls
                .entry(new NetworkAcls.EntrySpec(NetworkAclId.of("acl-1"), 100, "58", "allow", false, null,
                        "::/0", null, null, null, null)),
                "MissingParameter");
        assertThat(NetworkAcls
                .entry(new NetworkAcls.EntrySpec(NetworkAclId.of("acl-1"), 100, "58", "allow", false, null, "::/0", 128,
                        0, null, null))
                .icmpType()).isEqualTo(128);
        assertCode(() -> NetworkAcls.entry(new NetworkAcls.EntrySpec(NetworkAclId.of("acl-1"), 100, "1", "allow", false,
                "10.0.0.0/8", null, null, null, null, null)), "MissingParameter");
    }

    @Test
    void disassociateVpcCidrBlock_withAnIpv6OnlySubnet_isNotAnInternalError() {
        Tx tx = new Tx(World.empty(), CALLER, NOW);
        Vpc vpc = Vpcs.create(tx, QUOTAS, new Vpcs.Create("10.0.0.0/16", null, false, Map.of()));
        Vpc.CidrAssociation second = Vpcs.associateCidr(tx, QUOTAS, vpc.vpcId(), "10.1.0.0/16");
        Vpc.Ipv6Association v6 = Vpcs.associateAmazonIpv6(tx, vpc.vpcId(), null);
        String slash64 = dev.underpass.model.net.Ipv6Block.parse(v6.ipv6CidrBlock()).child(64, 0).toString();
        Subnets.create(tx, QUOTAS, new Subnets.Create(vpc.vpcId(), null, "us-east-1a", null, false, false, Map.of()),
                slash64, true);

        assertThat(Vpcs.disassociateCidr(tx, second.associationId()).association().state())
                .isEqualTo(CidrAssociationState.DISASSOCIATING);
    }
}
