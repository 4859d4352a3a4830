package dev.underpass.model.ec2;

import dev.underpass.model.net.IpProtocol;
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

/** The parts of the security-group rules that the API tests cannot reach yet (no default VPC or ENI API). */
class SecurityGroupsTest {
    private static final Caller CALLER = Caller.of("777777777777", "us-east-1");
    private static final Quotas QUOTAS = Quotas.defaults();

    private static Tx tx(World world) {
        return new Tx(world, CALLER, Instant.parse("2026-01-01T00:00:00Z"));
    }

    private static Vpc defaultVpc(Tx tx) {
        return Vpcs.create(tx, QUOTAS, new Vpcs.Create("172.31.0.0/16", null, true, Map.of()));
    }

    private static IpPermissions.Permission tcp(int port, String cidr) {
        return new IpPermissions.Permission("tcp", port, port,
                List.of(new IpPermissions.Peer(cidr, null, null, null, null, null, null)));
    }

    private static void assertCode(Runnable call, String code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(AwsException.class,
                e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void groupRef_takesTheIdOverTheName_anEmptyMemberIsAbsent_andNeitherIsMissing() {
        assertThat(GroupRef.of("sg-1", "web")).isEqualTo(new GroupRef.ById(SecurityGroupId.of("sg-1")));
        assertThat(GroupRef.of("", "web")).isEqualTo(new GroupRef.ByName("web"));
        assertThat(GroupRef.of(null, "web")).isEqualTo(new GroupRef.ByName("web"));
        assertThatThrownBy(() -> GroupRef.of("", "")).isInstanceOfSatisfying(AwsException.class, e -> {
            assertThat(e.code()).isEqualTo("MissingParameter");
            assertThat(e.getMessage()).contains("groupName or groupId");
        });
        assertCode(() -> GroupRef.of(null, null), "MissingParameter");
    }

    @Test
    void createWithoutVpcId_usesTheDefaultVpc_andNamesResolveThere() {
        Tx tx = tx(World.empty());
        Vpc vpc = defaultVpc(tx);
        SecurityGroup g = SecurityGroups.create(tx, QUOTAS, new SecurityGroups.Create(null, "web", "web", Map.of()));
        assertThat(g.vpcId()).isEqualTo(vpc.vpcId());

        assertThat(SecurityGroups.resolve(tx.world(), CALLER, GroupRef.of(null, "web"), true).id()).isEqualTo(g.id());
        assertCode(() -> SecurityGroups.resolve(tx.world(), CALLER, GroupRef.of(null, "nope"), true),
                "InvalidGroup.NotFound");
        SecurityGroups.delete(tx, GroupRef.of(null, "web"));
        assertThat(tx.find(SecurityGroup.class, g.id())).isEmpty();
    }

    @Test
    void revokeInDefaultVpc_reportsUnknownPermissions_andRevokesTheRest() {
        Tx tx = tx(World.empty());
        defaultVpc(tx);
        SecurityGroup g = SecurityGroups.create(tx, QUOTAS, new SecurityGroups.Create(null, "app", "app", Map.of()));
        SecurityGroupRules.authorize(tx, QUOTAS, g, false, List.of(tcp(22, "10.0.0.0/8")), Map.of());
        SecurityGroup withRule = tx.find(SecurityGroup.class, g.id()).orElseThrow();

        var result =
                SecurityGroupRules.revoke(tx, withRule, false, List.of(tcp(22, "10.0.0.0/8"), tcp(23, "10.0.0.0/8")),
                        List.of());
        assertThat(result.revoked()).singleElement().satisfies(r -> assertThat(r.fromPort()).isEqualTo(22));
        assertThat(result.unknown()).singleElement().satisfies(r -> assertThat(r.fromPort()).isEqualTo(23));
        assertThat(tx.find(SecurityGroup.class, g.id()).orElseThrow().rules()).noneMatch(r -> !r.egress());
    }

    @Test
    void delete_groupUsedByANetworkInterface_failsWithDependencyViolation() {
        Tx tx = tx(World.empty());
        Vpc vpc = Vpcs.create(tx, QUOTAS, new Vpcs.Create("10.9.0.0/16", null, false, Map.of()));
        SecurityGroup g = SecurityGroups.create(tx, QUOTAS,
                new SecurityGroups.Create(vpc.vpcId(), "eni", "eni", Map.of()));
        tx.put(new NetworkInterface("eni-0123456789abcdef0", CALLER.accountId(), CALLER.region(),
                SubnetId.of("subnet-0123456789abcdef0"), vpc.vpcId(), "us-east-1a", "", "interface", false, null,
                "02:00:00:00:00:01", true, List.of(new NetworkInterface.PrivateIp("10.9.0.10", true)),
                List.of(g.groupId()), null, Map.of()));
        assertCode(() -> SecurityGroups.delete(tx, GroupRef.byId(g.groupId())), "DependencyViolation");
    }

    @Test
    void create_beyondRegionQuota_failsWithSecurityGroupLimitExceeded() {
        Quotas two = new Quotas(5, 200, 5, 200, 50, 2, 60, 5, 200, 20, 5, 5, 5000);
        Tx tx = tx(World.empty());
        Vpc vpc = Vpcs.create(tx, QUOTAS, new Vpcs.Create("10.9.0.0/16", null, false, Map.of()));
        SecurityGroups.create(tx, two, new SecurityGroups.Create(vpc.vpcId(), "one", "one", Map.of()));
        assertCode(() -> SecurityGroups.create(tx, two, new SecurityGroups.Create(vpc.vpcId(), "two", "two", Map.of())),
                "SecurityGroupLimitExceeded");
    }

    @Test
    void protocols_areSpelledAsAwsStoresThem() {
        assertThat(IpPermissions.protocol("6").ruleName()).isEqualTo("tcp");
        assertThat(IpPermissions.protocol("TCP").ruleName()).isEqualTo("tcp");
        assertThat(IpPermissions.protocol("17").ruleName()).isEqualTo("udp");
        assertThat(IpPermissions.protocol("1").ruleName()).isEqualTo("icmp");
        assertThat(IpPermissions.protocol("58").ruleName()).isEqualTo("icmpv6");
        assertThat(IpPermissions.protocol("all").ruleName()).isEqualTo("-1");
        assertThat(IpPermissions.protocol("050").ruleName()).isEqualTo("50");
        assertCode(() -> IpPermissions.protocol("256"), "InvalidParameterValue");
        assertCode(() -> IpPermissions.protocol(""), "MissingParameter");
        assertThat(NetworkAcls.protocol("tcp").aclNumber()).isEqualTo("6");
        assertThat(NetworkAcls.protocol("all").aclNumber()).isEqualTo("-1");
        assertCode(() -> NetworkAcls.protocol("tcpx"), "InvalidParameterValue");
    }

    @Test
    void duplicateMessage_quotesTheRuleTheWayAwsDoes() {
        var rule = new SecurityGroup.Rule(null, false, IpProtocol.TCP, 22, 22, AddressSet.ALL_IPV4, null);
        assertThat(IpPermissions.peerText(rule)).isEqualTo("peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW");
        var all = new SecurityGroup.Rule(null, false, IpProtocol.ALL, -1, -1,
                new RulePeer.Group(SecurityGroupId.of("sg-1"), "1"), null);
        assertThat(IpPermissions.peerText(all)).isEqualTo("peer: sg-1, ALL, ALLOW");
    }

    @Test
    void ipv6Blocks_areCanonical_andHostBitsAreMalformed() {
        assertThat(RuleCidrs.ipv6("2001:DB8:0:0::/32")).isEqualTo("2001:db8::/32");
        assertThat(RuleCidrs.ipv6("::/0")).isEqualTo("::/0");
        assertThat(RuleCidrs.ipv6("2001:db8:1234:1a00::/64")).isEqualTo("2001:db8:1234:1a00::/64");
        assertThat(RuleCidrs.ipv6("2001:0:0:1:0:0:0:0/64")).isEqualTo("2001:0:0:1::/64");
        assertThat(RuleCidrs.ipv6("2001:db8::1/64")).isNull();
        assertThat(RuleCidrs.ipv6("2001:db8::/129")).isNull();
        assertThat(RuleCidrs.ipv6("10.0.0.0/8")).isNull();
        assertThat(RuleCidrs.ipv6("example.com/8")).isNull();
        assertThat(RuleCidrs.ipv4("10.0.0.1/8")).isNull();
    }
}
