package dev.underpass.server;

import static dev.underpass.server.Ec2Assertions.assertError;
import static dev.underpass.server.TestVpcs.deleteNonDefaultVpcs;
import static dev.underpass.server.TestVpcs.filter;
import static dev.underpass.server.TestVpcs.vpc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.model.ec2.Quotas;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NetworkAcl;
import software.amazon.awssdk.services.ec2.model.NetworkAclAssociation;
import software.amazon.awssdk.services.ec2.model.NetworkAclEntry;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RuleAction;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

class NetworkAclApiTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    /** A second server with tiny quotas: 2 ACLs per VPC (the default one included), 2 entries per direction. */
    @RegisterExtension
    static final UnderpassExtension SMALL =
            UnderpassExtension.withQuotas(new Quotas(5, 200, 5, 200, 50, 2500, 60, 5, 2, 2, 5, 5, 5000));

    private static final String ACCOUNT = "555555555555";
    private static final String OTHER = "666666666666";

    private final Ec2Client ec2 = UNDERPASS.ec2(ACCOUNT);
    private final Ec2Client other = UNDERPASS.ec2(OTHER);

    @AfterEach
    void deleteEverything() {
        cleanUp(ec2);
        cleanUp(other);
        cleanUp(SMALL.ec2(ACCOUNT));
    }

    /** Deletes subnets (which frees their ACL associations), custom ACLs, then VPCs. */
    private static void cleanUp(Ec2Client client) {
        for (Subnet s : client.describeSubnets().subnets()) {
            client.deleteSubnet(r -> r.subnetId(s.subnetId()));
        }
        for (NetworkAcl a : client.describeNetworkAcls(r -> r.filters(filter("default", "false"))).networkAcls()) {
            client.deleteNetworkAcl(r -> r.networkAclId(a.networkAclId()));
        }
        deleteNonDefaultVpcs(client);
    }

    private NetworkAcl acl(String id) {
        return ec2.describeNetworkAcls(r -> r.networkAclIds(id)).networkAcls().get(0);
    }

    private NetworkAcl defaultAcl(String vpcId) {
        return ec2.describeNetworkAcls(r -> r.filters(filter("vpc-id", vpcId), filter("default", "true")))
                .networkAcls().get(0);
    }

    private void allowTcp(String aclId, int rule, boolean egress, int from, int to) {
        ec2.createNetworkAclEntry(r -> r.networkAclId(aclId).ruleNumber(rule).protocol("tcp")
                .ruleAction(RuleAction.ALLOW).egress(egress).cidrBlock("0.0.0.0/0")
                .portRange(p -> p.from(from).to(to)));
    }

    @Test
    void createNetworkAcl_hasOnlyTheCatchAllDenies_andTags() {
        String vpcId = vpc(ec2, "10.60.0.0/16");
        NetworkAcl created = ec2.createNetworkAcl(r -> r.vpcId(vpcId).tagSpecifications(TagSpecification.builder()
                .resourceType(ResourceType.NETWORK_ACL).tags(Tag.builder().key("Name").value("private").build())
                .build())).networkAcl();

        assertThat(created.networkAclId()).matches("acl-[0-9a-f]{17}");
        assertThat(created.vpcId()).isEqualTo(vpcId);
        assertThat(created.ownerId()).isEqualTo(ACCOUNT);
        assertThat(created.isDefault()).isFalse();
        assertThat(created.associations()).isEmpty();
        assertThat(created.tags()).containsExactly(Tag.builder().key("Name").value("private").build());
        assertThat(created.entries()).containsExactly(
                NetworkAclEntry.builder().ruleNumber(32767).egress(true).protocol("-1").ruleAction("deny")
                        .cidrBlock("0.0.0.0/0").build(),
                NetworkAclEntry.builder().ruleNumber(32767).egress(false).protocol("-1").ruleAction("deny")
                        .cidrBlock("0.0.0.0/0").build());

        NetworkAcl def = defaultAcl(vpcId);
        assertThat(def.entries()).extracting(NetworkAclEntry::ruleNumber, NetworkAclEntry::egress,
                NetworkAclEntry::ruleActionAsString).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(100, true, "allow"),
                        org.assertj.core.groups.Tuple.tuple(32767, true, "deny"),
                        org.assertj.core.groups.Tuple.tuple(100, false, "allow"),
                        org.assertj.core.groups.Tuple.tuple(32767, false, "deny"));
        assertError(() -> ec2.createNetworkAcl(r -> r.vpcId("vpc-0123456789abcdef0")), "InvalidVpcID.NotFound");
    }

    @Test
    void createNetworkAcl_beyondQuota_failsWithNetworkAclLimitExceeded() {
        Ec2Client small = SMALL.ec2(ACCOUNT);
        String vpcId = vpc(small, "10.61.0.0/16");
        small.createNetworkAcl(r -> r.vpcId(vpcId));
        assertError(() -> small.createNetworkAcl(r -> r.vpcId(vpcId)), "NetworkAclLimitExceeded");
    }

    @Test
    void createNetworkAclEntry_addsEntriesInAwsOrder_withNormalisedProtocols() {
        String vpcId = vpc(ec2, "10.62.0.0/16");
        String aclId = ec2.createNetworkAcl(r -> r.vpcId(vpcId)).networkAcl().networkAclId();
        allowTcp(aclId, 200, false, 443, 443);
        allowTcp(aclId, 100, false, 80, 80);
        ec2.createNetworkAclEntry(r -> r.networkAclId(aclId).ruleNumber(110).protocol("1")
                .ruleAction(RuleAction.DENY).egress(false).cidrBlock("192.0.2.0/24")
                .icmpTypeCode(i -> i.type(8).code(-1)));
        ec2.createNetworkAclEntry(r -> r.networkAclId(aclId).ruleNumber(100).protocol("all")
                .ruleAction(RuleAction.ALLOW).egress(true).ipv6CidrBlock("::/0"));
        ec2.createNetworkAclEntry(r -> r.networkAclId(aclId).ruleNumber(120).protocol("50")
                .ruleAction(RuleAction.ALLOW).egress(false).cidrBlock("10.0.0.0/8").portRange(p -> p.from(1).to(2)));

        List<NetworkAclEntry> entries = acl(aclId).entries();
        assertThat(entries).extracting(NetworkAclEntry::egress, NetworkAclEntry::ruleNumber).containsExactly(
                org.assertj.core.groups.Tuple.tuple(true, 100),
                org.assertj.core.groups.Tuple.tuple(true, 32767),
                org.assertj.core.groups.Tuple.tuple(false, 100),
                org.assertj.core.groups.Tuple.tuple(false, 110),
                org.assertj.core.groups.Tuple.tuple(false, 120),
                org.assertj.core.groups.Tuple.tuple(false, 200),
                org.assertj.core.groups.Tuple.tuple(false, 32767));
        NetworkAclEntry http = entries.get(2);
        assertThat(http.protocol()).isEqualTo("6");
        assertThat(http.portRange().from()).isEqualTo(80);
        assertThat(http.portRange().to()).isEqualTo(80);
        assertThat(http.icmpTypeCode()).isNull();
        NetworkAclEntry icmp = entries.get(3);
        assertThat(icmp.protocol()).isEqualTo("1");
        assertThat(icmp.ruleActionAsString()).isEqualTo("deny");
        assertThat(icmp.icmpTypeCode().type()).isEqualTo(8);
        assertThat(icmp.icmpTypeCode().code()).isEqualTo(-1);
        assertThat(icmp.portRange()).isNull();
        assertThat(entries.get(0).protocol()).isEqualTo("-1");
        assertThat(entries.get(0).ipv6CidrBlock()).isEqualTo("::/0");
        assertThat(entries.get(0).cidrBlock()).isNull();
        assertThat(entries.get(4).protocol()).isEqualTo("50");
        assertThat(entries.get(4).portRange()).as("ports are meaningless for protocol 50").isNull();
    }

    @Test
    void createNetworkAclEntry_invalidOrDuplicate_isRefused() {
        String vpcId = vpc(ec2, "10.63.0.0/16");
        String aclId = ec2.createNetworkAcl(r -> r.vpcId(vpcId)).networkAcl().networkAclId();
        allowTcp(aclId, 100, false, 22, 22);

        assertError(() -> allowTcp(aclId, 100, false, 23, 23), "NetworkAclEntryAlreadyExists",
                "The network acl entry identified by 100 already exists.");
        allowTcp(aclId, 100, true, 22, 22);
        assertError(() -> allowTcp(aclId, 32767, false, 1, 1), "InvalidParameterValue");
        assertError(() -> allowTcp(aclId, 0, false, 1, 1), "InvalidParameterValue");
        assertError(() -> allowTcp(aclId, 101, false, 1, 70000), "InvalidParameterValue");
        assertError(() -> ec2.createNetworkAclEntry(r -> r.networkAclId(aclId).ruleNumber(102).protocol("tcp")
                .ruleAction(RuleAction.ALLOW).egress(false).cidrBlock("0.0.0.0/0")), "MissingParameter",
                "The request must contain the parameter portRange.from");
        assertError(() -> ec2.createNetworkAclEntry(r -> r.networkAclId(aclId).ruleNumber(103).protocol("icmp")
                .ruleAction(RuleAction.ALLOW).egress(false).cidrBlock("0.0.0.0/0")), "MissingParameter",
                "The request must contain the parameter icmpTypeCode.type");
        assertError(() -> ec2.createNetworkAclEntry(r -> r.networkAclId(aclId).ruleNumber(104).protocol("-1")
                .ruleAction(RuleAction.ALLOW).egress(false).cidrBlock("10.0.0.1/8")), "InvalidParameterValue");
        assertError(() -> ec2.createNetworkAclEntry(r -> r.networkAclId(aclId).ruleNumber(105).protocol("-1")
                .ruleAction(RuleAction.ALLOW).egress(false)), "MissingParameter");
        assertError(() -> ec2.createNetworkAclEntry(r -> r.networkAclId(aclId).ruleNumber(106).protocol("300")
                .ruleAction(RuleAction.ALLOW).egress(false).cidrBlock("0.0.0.0/0")), "InvalidParameterValue");
        assertError(() -> ec2.createNetworkAclEntry(r -> r.networkAclId(aclId).ruleNumber(107).protocol("-1")
                .ruleAction("maybe").egress(false).cidrBlock("0.0.0.0/0")), "InvalidParameterValue");
        assertError(() -> ec2.createNetworkAclEntry(r -> r.networkAclId("acl-0123456789abcdef0").ruleNumber(1)
                .protocol("-1").ruleAction(RuleAction.ALLOW).egress(false).cidrBlock("0.0.0.0/0")),
                "InvalidNetworkAclID.NotFound");
        assertThat(acl(aclId).entries()).hasSize(4);
    }

    @Test
    void createNetworkAclEntry_beyondQuota_failsWithNetworkAclEntryLimitExceeded() {
        Ec2Client small = SMALL.ec2(ACCOUNT);
        String vpcId = vpc(small, "10.64.0.0/16");
        String aclId = small.createNetworkAcl(r -> r.vpcId(vpcId)).networkAcl().networkAclId();
        for (int n : new int[] {10, 20}) {
            small.createNetworkAclEntry(r -> r.networkAclId(aclId).ruleNumber(n).protocol("-1")
                    .ruleAction(RuleAction.ALLOW).egress(false).cidrBlock("10.0." + n + ".0/24"));
        }
        assertError(() -> small.createNetworkAclEntry(r -> r.networkAclId(aclId).ruleNumber(30).protocol("-1")
                .ruleAction(RuleAction.ALLOW).egress(false).cidrBlock("10.0.30.0/24")),
                "NetworkAclEntryLimitExceeded");
        // The other direction, and IPv6 entries, have quotas of their own.
        small.createNetworkAclEntry(r -> r.networkAclId(aclId).ruleNumber(30).protocol("-1")
                .ruleAction(RuleAction.ALLOW).egress(true).cidrBlock("10.0.30.0/24"));
        small.createNetworkAclEntry(r -> r.networkAclId(aclId).ruleNumber(30).protocol("-1")
                .ruleAction(RuleAction.ALLOW).egress(false).ipv6CidrBlock("2001:db8::/32"));
    }

    @Test
    void replaceAndDeleteNetworkAclEntry_changeExistingEntriesOnly() {
        String vpcId = vpc(ec2, "10.65.0.0/16");
        String aclId = ec2.createNetworkAcl(r -> r.vpcId(vpcId)).networkAcl().networkAclId();
        allowTcp(aclId, 100, false, 22, 22);

        ec2.replaceNetworkAclEntry(r -> r.networkAclId(aclId).ruleNumber(100).protocol("udp")
                .ruleAction(RuleAction.DENY).egress(false).cidrBlock("198.51.100.0/24")
                .portRange(p -> p.from(53).to(53)));
        NetworkAclEntry replaced = acl(aclId).entries().stream().filter(e -> e.ruleNumber() == 100).findFirst()
                .orElseThrow();
        assertThat(replaced.protocol()).isEqualTo("17");
        assertThat(replaced.ruleActionAsString()).isEqualTo("deny");
        assertThat(replaced.cidrBlock()).isEqualTo("198.51.100.0/24");
        assertThat(replaced.portRange().from()).isEqualTo(53);

        assertError(() -> ec2.replaceNetworkAclEntry(r -> r.networkAclId(aclId).ruleNumber(100).protocol("-1")
                .ruleAction(RuleAction.ALLOW).egress(true).cidrBlock("0.0.0.0/0")),
                "InvalidNetworkAclEntry.NotFound");
        assertError(() -> ec2.deleteNetworkAclEntry(r -> r.networkAclId(aclId).ruleNumber(101).egress(false)),
                "InvalidNetworkAclEntry.NotFound");
        ec2.deleteNetworkAclEntry(r -> r.networkAclId(aclId).ruleNumber(100).egress(false));
        assertThat(acl(aclId).entries()).extracting(NetworkAclEntry::ruleNumber).containsExactly(32767, 32767);
        assertError(() -> ec2.deleteNetworkAclEntry(r -> r.networkAclId(aclId).ruleNumber(32767).egress(false)),
                "InvalidParameterValue");
    }

    @Test
    void replaceNetworkAclAssociation_movesTheSubnet_andBlocksDeletionWhileAssociated() {
        String vpcId = vpc(ec2, "10.66.0.0/16");
        String subnetId = ec2.createSubnet(r -> r.vpcId(vpcId).cidrBlock("10.66.1.0/24")).subnet().subnetId();
        NetworkAcl def = defaultAcl(vpcId);
        NetworkAclAssociation original = def.associations().stream().filter(a -> a.subnetId().equals(subnetId))
                .findFirst().orElseThrow();
        String custom = ec2.createNetworkAcl(r -> r.vpcId(vpcId)).networkAcl().networkAclId();

        String newAssoc = ec2.replaceNetworkAclAssociation(r -> r.associationId(original.networkAclAssociationId())
                .networkAclId(custom)).newAssociationId();
        assertThat(newAssoc).matches("aclassoc-[0-9a-f]{17}").isNotEqualTo(original.networkAclAssociationId());
        assertThat(acl(custom).associations()).containsExactly(NetworkAclAssociation.builder()
                .networkAclAssociationId(newAssoc).networkAclId(custom).subnetId(subnetId).build());
        assertThat(defaultAcl(vpcId).associations()).extracting(NetworkAclAssociation::subnetId)
                .doesNotContain(subnetId);
        assertThat(ec2.describeNetworkAcls(r -> r.filters(filter("association.subnet-id", subnetId)))
                .networkAcls()).extracting(NetworkAcl::networkAclId).containsExactly(custom);

        assertError(() -> ec2.deleteNetworkAcl(r -> r.networkAclId(custom)), "DependencyViolation");
        assertError(() -> ec2.replaceNetworkAclAssociation(r -> r.associationId(original.networkAclAssociationId())
                .networkAclId(def.networkAclId())), "InvalidAssociationID.NotFound");
        String otherVpc = vpc(ec2, "10.67.0.0/16");
        String foreign = ec2.createNetworkAcl(r -> r.vpcId(otherVpc)).networkAcl().networkAclId();
        assertError(() -> ec2.replaceNetworkAclAssociation(r -> r.associationId(newAssoc).networkAclId(foreign)),
                "InvalidParameterValue");

        String back = ec2.replaceNetworkAclAssociation(r -> r.associationId(newAssoc)
                .networkAclId(def.networkAclId())).newAssociationId();
        assertThat(defaultAcl(vpcId).associations()).extracting(NetworkAclAssociation::networkAclAssociationId)
                .contains(back);
        ec2.deleteNetworkAcl(r -> r.networkAclId(custom));
        assertError(() -> ec2.describeNetworkAcls(r -> r.networkAclIds(custom)), "InvalidNetworkAclID.NotFound",
                "The networkAcl ID '" + custom + "' does not exist");
    }

    @Test
    void deleteNetworkAcl_default_isRefused() {
        String vpcId = vpc(ec2, "10.68.0.0/16");
        String def = defaultAcl(vpcId).networkAclId();
        assertError(() -> ec2.deleteNetworkAcl(r -> r.networkAclId(def)), "InvalidParameterValue",
                "cannot delete default network ACL " + def);
        assertError(() -> ec2.deleteNetworkAcl(r -> r.networkAclId("acl-bad")), "InvalidNetworkAclId.Malformed");
    }

    @Test
    void anotherAccount_cannotSeeOrChangeTheAcl() {
        String vpcId = vpc(ec2, "10.69.0.0/16");
        String aclId = ec2.createNetworkAcl(r -> r.vpcId(vpcId)).networkAcl().networkAclId();
        assertError(() -> other.describeNetworkAcls(r -> r.networkAclIds(aclId)), "InvalidNetworkAclID.NotFound");
        assertThat(other.describeNetworkAcls().networkAcls()).extracting(NetworkAcl::networkAclId)
                .doesNotContain(aclId);
        assertError(() -> other.createNetworkAclEntry(r -> r.networkAclId(aclId).ruleNumber(1).protocol("-1")
                .ruleAction(RuleAction.ALLOW).egress(false).cidrBlock("0.0.0.0/0")), "InvalidNetworkAclID.NotFound");
        assertError(() -> other.deleteNetworkAcl(r -> r.networkAclId(aclId)), "InvalidNetworkAclID.NotFound");
        assertError(() -> other.createNetworkAcl(r -> r.vpcId(vpcId)), "InvalidVpcID.NotFound");
    }

    @Test
    void describeNetworkAcls_filtersAndPagination() {
        String vpcId = vpc(ec2, "10.70.0.0/16");
        String aclId = ec2.createNetworkAcl(r -> r.vpcId(vpcId)).networkAcl().networkAclId();
        allowTcp(aclId, 150, false, 8080, 8090);
        ec2.createNetworkAclEntry(r -> r.networkAclId(aclId).ruleNumber(160).protocol("icmp")
                .ruleAction(RuleAction.DENY).egress(true).cidrBlock("192.0.2.0/24")
                .icmpTypeCode(i -> i.type(3).code(4)));

        assertThat(ids(filter("entry.port-range.from", "8080"))).containsExactly(aclId);
        assertThat(ids(filter("entry.port-range.to", "8090"))).containsExactly(aclId);
        assertThat(ids(filter("entry.protocol", "tcp"), filter("vpc-id", vpcId))).containsExactly(aclId);
        assertThat(ids(filter("entry.protocol", "6"), filter("vpc-id", vpcId))).containsExactly(aclId);
        assertThat(ids(filter("entry.icmp.type", "3"))).containsExactly(aclId);
        assertThat(ids(filter("entry.icmp.code", "4"))).containsExactly(aclId);
        assertThat(ids(filter("entry.rule-number", "160"))).containsExactly(aclId);
        assertThat(ids(filter("entry.rule-action", "deny"), filter("vpc-id", vpcId))).hasSize(2);
        assertThat(ids(filter("entry.cidr", "192.0.2.0/24"))).containsExactly(aclId);
        assertThat(ids(filter("entry.egress", "true"), filter("vpc-id", vpcId))).hasSize(2);
        assertThat(ids(filter("default", "false"), filter("vpc-id", vpcId))).containsExactly(aclId);
        assertThat(ids(filter("network-acl-id", aclId))).containsExactly(aclId);
        assertThat(ids(filter("owner-id", ACCOUNT), filter("vpc-id", vpcId))).hasSize(2);
        assertThat(ids(filter("association.network-acl-id", aclId))).isEmpty();
        assertError(() -> ec2.describeNetworkAcls(r -> r.filters(filter("entry.colour", "x"))),
                "InvalidParameterValue");
        assertError(() -> ec2.describeNetworkAcls(r -> r.maxResults(2)), "InvalidParameterValue");
        assertThat(ec2.describeNetworkAclsPaginator(r -> r.maxResults(5)).networkAcls().stream().count())
                .isEqualTo(ec2.describeNetworkAcls().networkAcls().size());
    }

    private List<String> ids(Filter... filters) {
        return ec2.describeNetworkAcls(r -> r.filters(filters)).networkAcls().stream()
                .map(NetworkAcl::networkAclId).toList();
    }
}
