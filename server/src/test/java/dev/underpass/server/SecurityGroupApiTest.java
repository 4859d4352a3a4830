package dev.underpass.server;

import static dev.underpass.server.Ec2Assertions.assertError;
import static dev.underpass.server.TestVpcs.deleteNonDefaultVpcs;
import static dev.underpass.server.TestVpcs.filter;
import static dev.underpass.server.TestVpcs.vpc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.aws.ec2.Ec2Api;
import dev.underpass.model.ec2.Quotas;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.PrefixListId;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRuleDescription;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRuleRequest;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRuleUpdate;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;

class SecurityGroupApiTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    /** A second server with tiny quotas: 3 groups per region, 3 rules per group and direction. */
    @RegisterExtension
    static final UnderpassExtension SMALL =
            UnderpassExtension.withQuotas(new Quotas(5, 200, 5, 200, 50, 3, 3, 5, 200, 20, 5, 5, 5000));

    /** A server without default VPCs, where a group without a VPC has nowhere to go. */
    @RegisterExtension
    static final UnderpassExtension NO_DEFAULT = new UnderpassExtension(ServerConfig.forTests().withEc2(
            new Ec2Api.Settings(Duration.ZERO, false, Quotas.defaults())));

    private static final String ACCOUNT = "333333333333";
    private static final String OTHER = "444444444444";

    private final Ec2Client ec2 = UNDERPASS.ec2(ACCOUNT);
    private final Ec2Client other = UNDERPASS.ec2(OTHER);

    @AfterEach
    void deleteEverything() {
        cleanUp(ec2);
        cleanUp(other);
        cleanUp(SMALL.ec2(ACCOUNT));
    }

    /** Revokes every rule (so no group references another), then deletes the groups and VPCs. */
    private static void cleanUp(Ec2Client client) {
        for (SecurityGroup g : client.describeSecurityGroups().securityGroups()) {
            List<SecurityGroupRule> rules = client.describeSecurityGroupRules(r -> r.filters(filter("group-id",
                    g.groupId()))).securityGroupRules();
            List<String> in = rules.stream().filter(r -> !r.isEgress()).map(SecurityGroupRule::securityGroupRuleId)
                    .toList();
            List<String> out = rules.stream().filter(SecurityGroupRule::isEgress)
                    .map(SecurityGroupRule::securityGroupRuleId).toList();
            if (!in.isEmpty()) {
                client.revokeSecurityGroupIngress(r -> r.groupId(g.groupId()).securityGroupRuleIds(in));
            }
            if (!out.isEmpty()) {
                client.revokeSecurityGroupEgress(r -> r.groupId(g.groupId()).securityGroupRuleIds(out));
            }
        }
        for (SecurityGroup g : client.describeSecurityGroups().securityGroups()) {
            if (!g.groupName().equals("default")) {
                client.deleteSecurityGroup(r -> r.groupId(g.groupId()));
            }
        }
        deleteNonDefaultVpcs(client);
    }

    private static String group(Ec2Client client, String vpcId, String name) {
        return client.createSecurityGroup(r -> r.vpcId(vpcId).groupName(name).description("group " + name))
                .groupId();
    }

    private static IpPermission tcp(int from, int to, String... cidrs) {
        return IpPermission.builder().ipProtocol("tcp").fromPort(from).toPort(to)
                .ipRanges(java.util.Arrays.stream(cidrs).map(c -> IpRange.builder().cidrIp(c).build()).toList())
                .build();
    }

    private SecurityGroup describe(String groupId) {
        return ec2.describeSecurityGroups(r -> r.groupIds(groupId)).securityGroups().get(0);
    }

    @Test
    void createSecurityGroup_returnsIdArnTags_andAllowsAllEgress() {
        String vpcId = vpc(ec2, "10.30.0.0/16");
        var created = ec2.createSecurityGroup(r -> r.vpcId(vpcId).groupName("web").description("web servers")
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.SECURITY_GROUP)
                        .tags(Tag.builder().key("Name").value("web").build()).build()));

        assertThat(created.groupId()).matches("sg-[0-9a-f]{17}");
        assertThat(created.securityGroupArn())
                .isEqualTo("arn:aws:ec2:us-east-1:" + ACCOUNT + ":security-group/" + created.groupId());
        assertThat(created.tags()).containsExactly(Tag.builder().key("Name").value("web").build());

        SecurityGroup g = describe(created.groupId());
        assertThat(g.groupName()).isEqualTo("web");
        assertThat(g.description()).isEqualTo("web servers");
        assertThat(g.vpcId()).isEqualTo(vpcId);
        assertThat(g.ownerId()).isEqualTo(ACCOUNT);
        assertThat(g.ipPermissions()).isEmpty();
        assertThat(g.ipPermissionsEgress()).singleElement().satisfies(p -> {
            assertThat(p.ipProtocol()).isEqualTo("-1");
            assertThat(p.fromPort()).isNull();
            assertThat(p.toPort()).isNull();
            assertThat(p.ipRanges()).extracting(IpRange::cidrIp).containsExactly("0.0.0.0/0");
            assertThat(p.userIdGroupPairs()).isEmpty();
        });
    }

    @Test
    void vpcDefaultGroup_allowsItselfIn_andCannotBeDeleted() {
        String vpcId = vpc(ec2, "10.31.0.0/16");
        SecurityGroup def = ec2.describeSecurityGroups(r -> r.filters(filter("vpc-id", vpcId),
                filter("group-name", "default"))).securityGroups().get(0);
        assertThat(def.ipPermissions()).singleElement().satisfies(p -> assertThat(p.userIdGroupPairs())
                .containsExactly(UserIdGroupPair.builder().userId(ACCOUNT).groupId(def.groupId()).build()));

        assertError(() -> ec2.deleteSecurityGroup(r -> r.groupId(def.groupId())), "CannotDelete",
                "the specified group: \"" + def.groupId() + "\" name: \"default\" cannot be deleted by a user");
    }

    @Test
    void createSecurityGroup_withoutVpcIdAndNoDefaultVpc_failsWithVpcIdNotSpecified() {
        Ec2Client bare = NO_DEFAULT.ec2(ACCOUNT);
        assertError(() -> bare.createSecurityGroup(r -> r.groupName("x").description("x")), "VPCIdNotSpecified");
        assertError(() -> bare.deleteSecurityGroup(r -> r.groupName("x")), "InvalidGroup.NotFound");
    }

    @Test
    void createSecurityGroup_withoutVpcId_usesTheDefaultVpc_andIsFoundByName() {
        String defaultVpc = ec2.describeVpcs(r -> r.filters(filter("is-default", "true"))).vpcs().get(0).vpcId();
        String id = ec2.createSecurityGroup(r -> r.groupName("in-default").description("x")).groupId();
        assertThat(ec2.describeSecurityGroups(r -> r.groupNames("in-default")).securityGroups()).singleElement()
                .satisfies(g -> {
                    assertThat(g.groupId()).isEqualTo(id);
                    assertThat(g.vpcId()).isEqualTo(defaultVpc);
                });
        ec2.deleteSecurityGroup(r -> r.groupName("in-default"));
        assertError(() -> ec2.describeSecurityGroups(r -> r.groupIds(id)), "InvalidGroup.NotFound");
    }

    @Test
    void createSecurityGroup_badNames_areRefusedWithAwsCodes() {
        String vpcId = vpc(ec2, "10.32.0.0/16");
        group(ec2, vpcId, "app");
        assertError(() -> group(ec2, vpcId, "default"), "InvalidGroup.Reserved");
        assertError(() -> group(ec2, vpcId, "app"), "InvalidGroup.Duplicate",
                "The security group 'app' already exists for VPC '" + vpcId + "'");
        assertError(() -> group(ec2, vpcId, "sg-lookalike"), "InvalidParameterValue");
        assertError(() -> group(ec2, vpcId, "n".repeat(256)), "InvalidParameterValue");
        assertError(() -> ec2.createSecurityGroup(r -> r.vpcId(vpcId).groupName("d").description("é")),
                "InvalidParameterValue");
        assertError(() -> ec2.createSecurityGroup(r -> r.vpcId(vpcId).groupName("nodesc")), "MissingParameter");
        assertError(() -> group(ec2, "vpc-0123456789abcdef0", "x"), "InvalidVpcID.NotFound");
        assertError(() -> group(ec2, "vpc-bad", "x"), "InvalidVpcId.Malformed");
        // The same name is fine in another VPC.
        String second = vpc(ec2, "10.33.0.0/16");
        assertThat(group(ec2, second, "app")).startsWith("sg-");
    }

    @Test
    void createSecurityGroup_beyondRegionQuota_failsWithSecurityGroupLimitExceeded() {
        Ec2Client small = SMALL.ec2(ACCOUNT);
        String vpcId = vpc(small, "10.34.0.0/16");
        // The default groups of the default VPC and of this VPC count too: 2 of the 3 are taken.
        assertThat(small.describeSecurityGroups().securityGroups()).hasSize(2);
        group(small, vpcId, "one");
        assertError(() -> group(small, vpcId, "two"), "SecurityGroupLimitExceeded");
    }

    @Test
    void deleteSecurityGroup_referencedByAnotherGroup_failsWithDependencyViolation_untilRevoked() {
        String vpcId = vpc(ec2, "10.35.0.0/16");
        String db = group(ec2, vpcId, "db");
        String app = group(ec2, vpcId, "app");
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(db).ipPermissions(IpPermission.builder().ipProtocol("tcp")
                .fromPort(5432).toPort(5432).userIdGroupPairs(UserIdGroupPair.builder().groupId(app).build())
                .build()));

        assertError(() -> ec2.deleteSecurityGroup(r -> r.groupId(app)), "DependencyViolation",
                "resource " + app + " has a dependent object");
        ec2.revokeSecurityGroupIngress(r -> r.groupId(db).ipPermissions(IpPermission.builder().ipProtocol("tcp")
                .fromPort(5432).toPort(5432).userIdGroupPairs(UserIdGroupPair.builder().groupId(app).build())
                .build()));
        var deleted = ec2.deleteSecurityGroup(r -> r.groupId(app));
        assertThat(deleted.returnValue()).isTrue();
        assertThat(deleted.groupId()).isEqualTo(app);
        assertError(() -> ec2.describeSecurityGroups(r -> r.groupIds(app)), "InvalidGroup.NotFound",
                "The security group '" + app + "' does not exist");
    }

    @Test
    void anotherAccount_cannotSeeOrChangeTheGroup() {
        String vpcId = vpc(ec2, "10.36.0.0/16");
        String g = group(ec2, vpcId, "private");
        assertError(() -> other.describeSecurityGroups(r -> r.groupIds(g)), "InvalidGroup.NotFound");
        assertThat(other.describeSecurityGroups().securityGroups()).extracting(SecurityGroup::groupId)
                .doesNotContain(g);
        assertError(() -> other.authorizeSecurityGroupIngress(r -> r.groupId(g).ipPermissions(tcp(22, 22,
                "0.0.0.0/0"))), "InvalidGroup.NotFound");
        assertError(() -> other.deleteSecurityGroup(r -> r.groupId(g)), "InvalidGroup.NotFound");
        assertError(() -> other.createSecurityGroup(r -> r.vpcId(vpcId).groupName("x").description("x")),
                "InvalidVpcID.NotFound");
        assertThat(other.describeSecurityGroupRules(r -> r.filters(filter("group-id", g))).securityGroupRules())
                .isEmpty();
        assertError(() -> ec2.describeSecurityGroups(r -> r.groupIds("sg-nothex")), "InvalidGroupId.Malformed");
    }

    @Test
    void authorizeIngress_returnsRulesWithIds_andDescribeGroupsThemIntoIpPermissions() {
        String vpcId = vpc(ec2, "10.37.0.0/16");
        String web = group(ec2, vpcId, "web");
        String lb = group(ec2, vpcId, "lb");
        var resp = ec2.authorizeSecurityGroupIngress(r -> r.groupId(web).ipPermissions(
                IpPermission.builder().ipProtocol("tcp").fromPort(443).toPort(443)
                        .ipRanges(IpRange.builder().cidrIp("203.0.113.0/24").description("office").build(),
                                IpRange.builder().cidrIp("198.51.100.0/24").build())
                        .ipv6Ranges(Ipv6Range.builder().cidrIpv6("2001:DB8:0::/32").build())
                        .prefixListIds(PrefixListId.builder().prefixListId("pl-63a5400a").build())
                        .userIdGroupPairs(UserIdGroupPair.builder().groupId(lb).build()).build(),
                IpPermission.builder().ipProtocol("6").fromPort(22).toPort(22)
                        .ipRanges(IpRange.builder().cidrIp("10.37.0.0/16").build()).build(),
                IpPermission.builder().ipProtocol("icmp").fromPort(8).toPort(-1)
                        .ipRanges(IpRange.builder().cidrIp("0.0.0.0/0").build()).build(),
                IpPermission.builder().ipProtocol("50")
                        .ipRanges(IpRange.builder().cidrIp("192.0.2.0/24").build()).build()));

        assertThat(resp.returnValue()).isTrue();
        assertThat(resp.securityGroupRules()).hasSize(8).allSatisfy(rule -> {
            assertThat(rule.securityGroupRuleId()).matches("sgr-[0-9a-f]{17}");
            assertThat(rule.groupId()).isEqualTo(web);
            assertThat(rule.groupOwnerId()).isEqualTo(ACCOUNT);
            assertThat(rule.isEgress()).isFalse();
            assertThat(rule.securityGroupRuleArn()).isEqualTo(
                    "arn:aws:ec2:us-east-1:" + ACCOUNT + ":security-group-rule/" + rule.securityGroupRuleId());
        });
        assertThat(resp.securityGroupRules().get(0).cidrIpv4()).isEqualTo("203.0.113.0/24");
        assertThat(resp.securityGroupRules().get(0).description()).isEqualTo("office");
        assertThat(resp.securityGroupRules().get(2).cidrIpv6()).isEqualTo("2001:db8::/32");
        assertThat(resp.securityGroupRules().get(4).referencedGroupInfo().groupId()).isEqualTo(lb);
        assertThat(resp.securityGroupRules().get(4).referencedGroupInfo().userId()).isEqualTo(ACCOUNT);
        assertThat(resp.securityGroupRules().get(5).ipProtocol()).isEqualTo("tcp");
        assertThat(resp.securityGroupRules().get(7).fromPort()).isEqualTo(-1);

        List<IpPermission> perms = describe(web).ipPermissions();
        assertThat(perms).hasSize(4);
        IpPermission https = perms.get(0);
        assertThat(https.ipProtocol()).isEqualTo("tcp");
        assertThat(https.fromPort()).isEqualTo(443);
        assertThat(https.toPort()).isEqualTo(443);
        assertThat(https.ipRanges()).extracting(IpRange::cidrIp).containsExactly("203.0.113.0/24", "198.51.100.0/24");
        assertThat(https.ipRanges().get(0).description()).isEqualTo("office");
        assertThat(https.ipv6Ranges()).extracting(Ipv6Range::cidrIpv6).containsExactly("2001:db8::/32");
        assertThat(https.prefixListIds()).extracting(PrefixListId::prefixListId)
                .containsExactly("pl-63a5400a");
        assertThat(https.userIdGroupPairs()).containsExactly(
                UserIdGroupPair.builder().userId(ACCOUNT).groupId(lb).build());
        assertThat(perms.get(1).ipRanges()).extracting(IpRange::cidrIp).containsExactly("10.37.0.0/16");
        assertThat(perms.get(2).ipProtocol()).isEqualTo("icmp");
        assertThat(perms.get(2).fromPort()).isEqualTo(8);
        assertThat(perms.get(2).toPort()).isEqualTo(-1);
        assertThat(perms.get(3).ipProtocol()).isEqualTo("50");
        assertThat(perms.get(3).fromPort()).isNull();
    }

    @Test
    void authorizeIngress_legacyTopLevelForm_addsTheSameRule() {
        String vpcId = vpc(ec2, "10.38.0.0/16");
        String g = group(ec2, vpcId, "legacy");
        var resp = ec2.authorizeSecurityGroupIngress(r -> r.groupId(g).ipProtocol("tcp").fromPort(22).toPort(22)
                .cidrIp("0.0.0.0/0"));
        assertThat(resp.securityGroupRules()).singleElement().satisfies(rule -> {
            assertThat(rule.ipProtocol()).isEqualTo("tcp");
            assertThat(rule.fromPort()).isEqualTo(22);
            assertThat(rule.cidrIpv4()).isEqualTo("0.0.0.0/0");
        });
        assertError(() -> ec2.authorizeSecurityGroupIngress(r -> r.groupId(g).ipPermissions(tcp(22, 22,
                "0.0.0.0/0"))), "InvalidPermission.Duplicate",
                "the specified rule \"peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW\" already exists");
    }

    @Test
    void authorizeIngress_invalidPermissions_areRefused() {
        String vpcId = vpc(ec2, "10.39.0.0/16");
        String g = group(ec2, vpcId, "strict");
        assertError(() -> ec2.authorizeSecurityGroupIngress(r -> r.groupId(g).ipPermissions(tcp(0, 70000,
                "0.0.0.0/0"))), "InvalidParameterValue", "TCP/UDP port (70000) out of range");
        assertError(() -> ec2.authorizeSecurityGroupIngress(r -> r.groupId(g).ipPermissions(tcp(90, 80,
                "0.0.0.0/0"))), "InvalidParameterValue");
        assertError(() -> ec2.authorizeSecurityGroupIngress(r -> r.groupId(g).ipPermissions(IpPermission.builder()
                .ipProtocol("udp").fromPort(53).ipRanges(IpRange.builder().cidrIp("0.0.0.0/0").build()).build())),
                "InvalidParameterValue",
                "Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange.");
        assertError(() -> ec2.authorizeSecurityGroupIngress(r -> r.groupId(g).ipPermissions(IpPermission.builder()
                .ipProtocol("icmp").fromPort(8).toPort(300).ipRanges(IpRange.builder().cidrIp("0.0.0.0/0").build())
                .build())), "InvalidParameterValue", "ICMP code (300) out of range");
        assertError(() -> ec2.authorizeSecurityGroupIngress(r -> r.groupId(g).ipPermissions(tcp(22, 22,
                "10.0.0.1/16"))), "InvalidParameterValue", "CIDR block 10.0.0.1/16 is malformed");
        assertError(() -> ec2.authorizeSecurityGroupIngress(r -> r.groupId(g).ipPermissions(tcp(22, 22,
                "banana"))), "InvalidParameterValue");
        assertError(() -> ec2.authorizeSecurityGroupIngress(r -> r.groupId(g).ipPermissions(IpPermission.builder()
                .ipProtocol("gre").ipRanges(IpRange.builder().cidrIp("0.0.0.0/0").build()).build())),
                "InvalidParameterValue");
        assertError(() -> ec2.authorizeSecurityGroupIngress(r -> r.groupId(g).ipPermissions(tcp(22, 22,
                "10.0.0.0/8", "10.0.0.0/8"))), "InvalidParameterValue",
                "The same permission must not appear multiple times");
        assertError(() -> ec2.authorizeSecurityGroupIngress(r -> r.groupId(g).ipPermissions(IpPermission.builder()
                .ipProtocol("tcp").fromPort(1).toPort(2).userIdGroupPairs(UserIdGroupPair.builder()
                        .groupId("sg-0123456789abcdef0").build())
                .build())), "InvalidGroup.NotFound");
        assertError(() -> ec2.authorizeSecurityGroupIngress(r -> r.groupId("sg-0123456789abcdef0")
                .ipPermissions(tcp(22, 22, "0.0.0.0/0"))), "InvalidGroup.NotFound");
        assertThat(describe(g).ipPermissions()).isEmpty();
    }

    @Test
    void authorizeIngress_crossAccountGroupPair_isAcceptedAsGiven() {
        String vpcId = vpc(ec2, "10.40.0.0/16");
        String mine = group(ec2, vpcId, "mine");
        String theirVpc = vpc(other, "10.41.0.0/16");
        String theirs = group(other, theirVpc, "theirs");
        var resp = ec2.authorizeSecurityGroupIngress(r -> r.groupId(mine).ipPermissions(IpPermission.builder()
                .ipProtocol("tcp").fromPort(8080).toPort(8080).userIdGroupPairs(UserIdGroupPair.builder()
                        .userId(OTHER).groupId(theirs).description("partner").build())
                .build()));

        assertThat(resp.securityGroupRules()).singleElement().satisfies(rule -> {
            assertThat(rule.referencedGroupInfo().groupId()).isEqualTo(theirs);
            assertThat(rule.referencedGroupInfo().userId()).isEqualTo(OTHER);
            assertThat(rule.description()).isEqualTo("partner");
        });
        assertThat(describe(mine).ipPermissions()).singleElement().satisfies(p -> assertThat(p.userIdGroupPairs())
                .containsExactly(UserIdGroupPair.builder().userId(OTHER).groupId(theirs).description("partner")
                        .build()));
        assertThat(ec2.describeSecurityGroups(r -> r.filters(filter("ip-permission.user-id", OTHER)))
                .securityGroups()).extracting(SecurityGroup::groupId).containsExactly(mine);
        // Without the UserId the group is looked up in the caller's own account, where it does not exist.
        assertError(() -> ec2.authorizeSecurityGroupIngress(r -> r.groupId(mine).ipPermissions(IpPermission.builder()
                .ipProtocol("tcp").fromPort(9090).toPort(9090).userIdGroupPairs(UserIdGroupPair.builder()
                        .groupId(theirs).build())
                .build())), "InvalidGroup.NotFound");
    }

    @Test
    void authorizeEgress_andRevokeEgress_workOnTheEgressDirection() {
        String vpcId = vpc(ec2, "10.42.0.0/16");
        String g = group(ec2, vpcId, "out");
        ec2.revokeSecurityGroupEgress(r -> r.groupId(g).ipPermissions(IpPermission.builder().ipProtocol("-1")
                .ipRanges(IpRange.builder().cidrIp("0.0.0.0/0").build()).build()));
        assertThat(describe(g).ipPermissionsEgress()).isEmpty();

        var added = ec2.authorizeSecurityGroupEgress(r -> r.groupId(g).ipPermissions(tcp(443, 443, "0.0.0.0/0"),
                IpPermission.builder().ipProtocol("all").ipRanges(IpRange.builder().cidrIp("10.42.0.0/16").build())
                        .build()));
        assertThat(added.securityGroupRules()).extracting(SecurityGroupRule::isEgress).containsExactly(true, true);
        assertThat(added.securityGroupRules().get(1).ipProtocol()).isEqualTo("-1");
        assertThat(describe(g).ipPermissionsEgress()).hasSize(2);
        assertThat(describe(g).ipPermissions()).isEmpty();

        var revoked = ec2.revokeSecurityGroupEgress(r -> r.groupId(g)
                .securityGroupRuleIds(added.securityGroupRules().get(0).securityGroupRuleId()));
        assertThat(revoked.returnValue()).isTrue();
        assertThat(revoked.revokedSecurityGroupRules()).singleElement()
                .satisfies(r -> assertThat(r.cidrIpv4()).isEqualTo("0.0.0.0/0"));
        assertThat(describe(g).ipPermissionsEgress()).singleElement()
                .satisfies(p -> assertThat(p.ipProtocol()).isEqualTo("-1"));
    }

    @Test
    void revokeIngress_missingRuleInNondefaultVpc_failsWithInvalidPermissionNotFound_andUnknownRuleId() {
        String vpcId = vpc(ec2, "10.43.0.0/16");
        String g = group(ec2, vpcId, "rev");
        var rules = ec2.authorizeSecurityGroupIngress(r -> r.groupId(g).ipPermissions(tcp(80, 80, "0.0.0.0/0")))
                .securityGroupRules();
        assertError(() -> ec2.revokeSecurityGroupIngress(r -> r.groupId(g).ipPermissions(tcp(81, 81,
                "0.0.0.0/0"))), "InvalidPermission.NotFound");
        assertError(() -> ec2.revokeSecurityGroupIngress(r -> r.groupId(g)
                .securityGroupRuleIds("sgr-0123456789abcdef0")), "InvalidSecurityGroupRuleId.NotFound");
        assertError(() -> ec2.revokeSecurityGroupIngress(r -> r.groupId(g).securityGroupRuleIds("sgr-zz")),
                "InvalidSecurityGroupRuleId.Malformed");
        // An ingress rule id is not an egress rule.
        assertError(() -> ec2.revokeSecurityGroupEgress(r -> r.groupId(g)
                .securityGroupRuleIds(rules.get(0).securityGroupRuleId())), "InvalidSecurityGroupRuleId.NotFound");

        var revoked = ec2.revokeSecurityGroupIngress(r -> r.groupId(g).ipPermissions(tcp(80, 80, "0.0.0.0/0")));
        assertThat(revoked.returnValue()).isTrue();
        assertThat(revoked.unknownIpPermissions()).isEmpty();
        assertThat(revoked.revokedSecurityGroupRules()).extracting(r -> r.securityGroupRuleId())
                .containsExactly(rules.get(0).securityGroupRuleId());
        assertThat(describe(g).ipPermissions()).isEmpty();
    }

    @Test
    void authorize_beyondRulesQuota_failsWithRulesPerSecurityGroupLimitExceeded() {
        Ec2Client small = SMALL.ec2(ACCOUNT);
        String vpcId = vpc(small, "10.44.0.0/16");
        String g = group(small, vpcId, "busy");
        small.authorizeSecurityGroupIngress(r -> r.groupId(g).ipPermissions(tcp(1, 1, "10.0.0.0/24", "10.0.1.0/24",
                "10.0.2.0/24")));
        assertError(() -> small.authorizeSecurityGroupIngress(r -> r.groupId(g).ipPermissions(tcp(2, 2,
                "10.0.3.0/24"))), "RulesPerSecurityGroupLimitExceeded");
        // IPv6 rules are counted separately, and so is the other direction.
        small.authorizeSecurityGroupIngress(r -> r.groupId(g).ipPermissions(IpPermission.builder()
                .ipProtocol("tcp").fromPort(3).toPort(3).ipv6Ranges(Ipv6Range.builder().cidrIpv6("::/0").build())
                .build()));
        small.authorizeSecurityGroupEgress(r -> r.groupId(g).ipPermissions(tcp(4, 4, "10.0.0.0/24", "10.0.1.0/24")));
    }

    @Test
    void describeSecurityGroups_filtersAndPagination() {
        String vpcId = vpc(ec2, "10.45.0.0/16");
        String a = group(ec2, vpcId, "filter-a");
        String b = group(ec2, vpcId, "filter-b");
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(a).ipPermissions(tcp(22, 22, "203.0.113.0/24")));
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(b).ipPermissions(IpPermission.builder().ipProtocol("udp")
                .fromPort(53).toPort(53).userIdGroupPairs(UserIdGroupPair.builder().groupId(a).build()).build()));

        assertThat(ids(filter("ip-permission.cidr", "203.0.113.0/24"))).containsExactly(a);
        assertThat(ids(filter("ip-permission.from-port", "22"), filter("ip-permission.protocol", "6")))
                .containsExactly(a);
        assertThat(ids(filter("ip-permission.group-id", a))).containsExactly(b);
        assertThat(ids(filter("ip-permission.group-name", "filter-a"))).containsExactly(b);
        assertThat(ids(filter("group-name", "filter-*"))).containsExactlyInAnyOrder(a, b);
        assertThat(ids(filter("egress.ip-permission.cidr", "0.0.0.0/0"), filter("vpc-id", vpcId))).hasSize(3);
        assertThat(ids(filter("description", "group filter-b"))).containsExactly(b);
        assertThat(ids(filter("owner-id", ACCOUNT), filter("vpc-id", vpcId))).hasSize(3);
        assertError(() -> ec2.describeSecurityGroups(r -> r.filters(filter("colour", "x"))), "InvalidParameterValue");
        assertError(() -> ec2.describeSecurityGroups(r -> r.maxResults(4)), "InvalidParameterValue");
        assertThat(ec2.describeSecurityGroupsPaginator(r -> r.maxResults(5)).securityGroups().stream().count())
                .isEqualTo(ec2.describeSecurityGroups().securityGroups().size());
    }

    private List<String> ids(Filter... filters) {
        return ec2.describeSecurityGroups(r -> r.filters(filters)).securityGroups().stream()
                .map(SecurityGroup::groupId).toList();
    }

    @Test
    void describeSecurityGroupRules_byIdAndFilter_withAllFields() {
        String vpcId = vpc(ec2, "10.46.0.0/16");
        String g = group(ec2, vpcId, "rules");
        var added = ec2.authorizeSecurityGroupIngress(r -> r.groupId(g).ipPermissions(tcp(5432, 5432, "10.46.0.0/16"))
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.SECURITY_GROUP_RULE)
                        .tags(Tag.builder().key("purpose").value("db").build()).build()))
                .securityGroupRules().get(0);

        List<SecurityGroupRule> all = ec2.describeSecurityGroupRules(r -> r.filters(filter("group-id", g)))
                .securityGroupRules();
        assertThat(all).hasSize(2);
        SecurityGroupRule rule = ec2.describeSecurityGroupRules(r -> r.securityGroupRuleIds(
                added.securityGroupRuleId())).securityGroupRules().get(0);
        assertThat(rule.groupId()).isEqualTo(g);
        assertThat(rule.groupOwnerId()).isEqualTo(ACCOUNT);
        assertThat(rule.isEgress()).isFalse();
        assertThat(rule.ipProtocol()).isEqualTo("tcp");
        assertThat(rule.fromPort()).isEqualTo(5432);
        assertThat(rule.toPort()).isEqualTo(5432);
        assertThat(rule.cidrIpv4()).isEqualTo("10.46.0.0/16");
        assertThat(rule.tags()).containsExactly(Tag.builder().key("purpose").value("db").build());
        assertThat(ec2.describeSecurityGroupRules(r -> r.filters(filter("tag:purpose", "db"))).securityGroupRules())
                .extracting(SecurityGroupRule::securityGroupRuleId).containsExactly(added.securityGroupRuleId());
        SecurityGroupRule egress = all.stream().filter(SecurityGroupRule::isEgress).findFirst().orElseThrow();
        assertThat(egress.ipProtocol()).isEqualTo("-1");
        assertThat(egress.fromPort()).isEqualTo(-1);
        assertThat(egress.toPort()).isEqualTo(-1);

        assertError(() -> ec2.describeSecurityGroupRules(r -> r.securityGroupRuleIds("sgr-0123456789abcdef0")),
                "InvalidSecurityGroupRuleId.NotFound");
        assertError(() -> ec2.describeSecurityGroupRules(r -> r.maxResults(1001)), "InvalidParameterValue");
        assertError(() -> other.describeSecurityGroupRules(r -> r.securityGroupRuleIds(added.securityGroupRuleId())),
                "InvalidSecurityGroupRuleId.NotFound");
    }

    @Test
    void modifySecurityGroupRules_changesTheRuleInPlace() {
        String vpcId = vpc(ec2, "10.47.0.0/16");
        String g = group(ec2, vpcId, "mod");
        var rules = ec2.authorizeSecurityGroupIngress(r -> r.groupId(g).ipPermissions(tcp(80, 80, "0.0.0.0/0"),
                tcp(443, 443, "0.0.0.0/0"))).securityGroupRules();
        String id = rules.get(0).securityGroupRuleId();

        var resp = ec2.modifySecurityGroupRules(r -> r.groupId(g).securityGroupRules(update(id, s -> s
                .ipProtocol("tcp").fromPort(8080).toPort(8081).cidrIpv4("10.0.0.0/8").description("internal"))));
        assertThat(resp.returnValue()).isTrue();
        SecurityGroupRule changed = ec2.describeSecurityGroupRules(r -> r.securityGroupRuleIds(id))
                .securityGroupRules().get(0);
        assertThat(changed.fromPort()).isEqualTo(8080);
        assertThat(changed.toPort()).isEqualTo(8081);
        assertThat(changed.cidrIpv4()).isEqualTo("10.0.0.0/8");
        assertThat(changed.description()).isEqualTo("internal");

        assertError(() -> ec2.modifySecurityGroupRules(r -> r.groupId(g).securityGroupRules(update(id, s -> s
                .ipProtocol("tcp").fromPort(443).toPort(443).cidrIpv4("0.0.0.0/0")))), "InvalidPermission.Duplicate");
        assertError(() -> ec2.modifySecurityGroupRules(r -> r.groupId(g).securityGroupRules(update(
                "sgr-0123456789abcdef0", s -> s.ipProtocol("-1").cidrIpv4("0.0.0.0/0")))),
                "InvalidSecurityGroupRuleId.NotFound");
    }

    private static SecurityGroupRuleUpdate update(String ruleId,
            java.util.function.Consumer<SecurityGroupRuleRequest.Builder> rule) {
        return SecurityGroupRuleUpdate.builder().securityGroupRuleId(ruleId)
                .securityGroupRule(SecurityGroupRuleRequest.builder().applyMutation(rule).build()).build();
    }

    private static SecurityGroupRuleDescription description(String ruleId, String text) {
        return SecurityGroupRuleDescription.builder().securityGroupRuleId(ruleId).description(text).build();
    }

    @Test
    void updateRuleDescriptions_byPermissionAndById() {
        String vpcId = vpc(ec2, "10.48.0.0/16");
        String g = group(ec2, vpcId, "desc");
        var rule = ec2.authorizeSecurityGroupIngress(r -> r.groupId(g).ipPermissions(tcp(22, 22, "192.0.2.0/24")))
                .securityGroupRules().get(0);

        assertThat(ec2.updateSecurityGroupRuleDescriptionsIngress(r -> r.groupId(g).ipPermissions(
                IpPermission.builder().ipProtocol("tcp").fromPort(22).toPort(22).ipRanges(IpRange.builder()
                        .cidrIp("192.0.2.0/24").description("bastion").build()).build()))
                .returnValue()).isTrue();
        assertThat(describe(g).ipPermissions().get(0).ipRanges().get(0).description()).isEqualTo("bastion");

        String egressId = ec2.describeSecurityGroupRules(r -> r.filters(filter("group-id", g))).securityGroupRules()
                .stream().filter(SecurityGroupRule::isEgress).findFirst().orElseThrow().securityGroupRuleId();
        ec2.updateSecurityGroupRuleDescriptionsEgress(r -> r.groupId(g).securityGroupRuleDescriptions(
                description(egressId, "anywhere")));
        assertThat(describe(g).ipPermissionsEgress().get(0).ipRanges().get(0).description()).isEqualTo("anywhere");

        assertError(() -> ec2.updateSecurityGroupRuleDescriptionsIngress(r -> r.groupId(g).ipPermissions(
                tcp(23, 23, "192.0.2.0/24"))), "InvalidPermission.NotFound");
        assertError(() -> ec2.updateSecurityGroupRuleDescriptionsIngress(r -> r.groupId(g)
                .securityGroupRuleDescriptions(description(egressId, "x"))),
                "InvalidSecurityGroupRuleId.NotFound");
        assertThat(rule.securityGroupRuleId()).isNotEqualTo(egressId);
    }

    @Test
    void describeSecurityGroupReferences_listsReferencingVpcs() {
        String vpcA = vpc(ec2, "10.49.0.0/16");
        String vpcB = vpc(ec2, "10.50.0.0/16");
        String target = group(ec2, vpcA, "target");
        String client = group(ec2, vpcB, "client");
        ec2.authorizeSecurityGroupEgress(r -> r.groupId(client).ipPermissions(IpPermission.builder()
                .ipProtocol("tcp").fromPort(443).toPort(443).userIdGroupPairs(UserIdGroupPair.builder()
                        .groupId(target).build())
                .build()));
        assertThat(ec2.describeSecurityGroupReferences(r -> r.groupId(target)).securityGroupReferenceSet())
                .singleElement().satisfies(ref -> {
                    assertThat(ref.groupId()).isEqualTo(target);
                    assertThat(ref.referencingVpcId()).isEqualTo(vpcB);
                });
        assertError(() -> ec2.describeSecurityGroupReferences(r -> r.groupId("sg-0123456789abcdef0")),
                "InvalidGroup.NotFound");
    }

    @Test
    void rulesAndTheirTags_surviveARestart(@TempDir Path dataDir) {
        record Made(String groupId, String ruleId) {}
        TestStore.acrossARestart(dataDir, ACCOUNT, client -> {
            String vpcId = vpc(client, "10.51.0.0/16");
            String groupId = group(client, vpcId, "durable");
            String ruleId = client.authorizeSecurityGroupIngress(r -> r.groupId(groupId).ipPermissions(tcp(22, 22,
                    "192.0.2.0/24")).tagSpecifications(TagSpecification.builder()
                            .resourceType(ResourceType.SECURITY_GROUP_RULE)
                            .tags(Tag.builder().key("k").value("v").build())
                            .build()))
                    .securityGroupRules().get(0).securityGroupRuleId();
            return new Made(groupId, ruleId);
        }, (client, made) -> {
            SecurityGroupRule rule = client.describeSecurityGroupRules(r -> r.securityGroupRuleIds(made.ruleId()))
                    .securityGroupRules().get(0);
            assertThat(rule.groupId()).isEqualTo(made.groupId());
            assertThat(rule.cidrIpv4()).isEqualTo("192.0.2.0/24");
            assertThat(rule.tags()).containsExactly(Tag.builder().key("k").value("v").build());
        });
    }

    @Test
    void authorizeIngress_unknownPrefixList_failsWithInvalidPrefixListIdNotFound() {
        String vpcId = vpc(ec2, "10.39.0.0/16");
        String sg = group(ec2, vpcId, "pl");
        assertError(() -> ec2.authorizeSecurityGroupIngress(r -> r.groupId(sg).ipPermissions(IpPermission.builder()
                .ipProtocol("tcp").fromPort(443).toPort(443)
                .prefixListIds(PrefixListId.builder().prefixListId("pl-0123456789abcdef0").build()).build())),
                "InvalidPrefixListID.NotFound");
    }
}
