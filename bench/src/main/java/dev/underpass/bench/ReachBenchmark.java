package dev.underpass.bench;

import dev.underpass.model.ec2.SecurityGroupRuleId;
import dev.underpass.model.ec2.NetworkAclAssociationId;
import dev.underpass.model.ec2.RouteTableAssociationId;
import dev.underpass.model.ec2.VpcCidrAssociationId;
import dev.underpass.model.ec2.PeeringConnectionId;
import dev.underpass.model.ec2.SecurityGroupId;
import dev.underpass.model.ec2.SubnetId;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.net.IpProtocol;
import dev.underpass.model.Resource;
import dev.underpass.model.World;
import dev.underpass.model.ec2.CidrAssociationState;
import dev.underpass.model.ec2.AddressSet;
import dev.underpass.model.ec2.NetworkAcl;
import dev.underpass.model.ec2.NetworkInterface;
import dev.underpass.model.ec2.PeeringConnection;
import dev.underpass.model.ec2.RouteTable;
import dev.underpass.model.ec2.RouteTables;
import dev.underpass.model.ec2.RouteTarget;
import dev.underpass.model.ec2.RulePeer;
import dev.underpass.model.ec2.SecurityGroup;
import dev.underpass.model.net.Cidr;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.ec2.Vpc;
import dev.underpass.reach.Analysis;
import dev.underpass.reach.Analyzer;
import dev.underpass.reach.Query;
import dev.underpass.reach.Timing;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One reachability analysis ({@link Analyzer#analyze}), single-threaded, on a network of {@code vpcs} VPCs with
 * {@code enisPerVpc} network interfaces each (default 500 × 20 = 10,000 ENIs; target: median under 1 ms).
 *
 * <p>The network, built once in {@link #setUp()} straight from model records: each VPC ({@code 10.<i>.0.0/16} for
 * the first 256, {@code 172.16-31.…} after) has two subnets, a main route table with its local route and a peering
 * route to the next VPC (a ring of 500 active peering connections, routes both ways), a default network ACL that
 * allows all and a custom ACL on the second subnet with ten entries, and five security groups of ten rules each
 * (CIDR and group-reference rules, the one that matches last). The indexes the analyzer reads are built by a first
 * analysis in the setup, as a running server has them. Workloads:
 * <ul>
 *   <li>{@code peeredById}: an interface in VPC 0 to an interface in VPC 1, by id, TCP 443: egress group, two
 *       ACLs, route over the peering connection, ingress group, and the reply back (ACLs on ephemeral ports, the
 *       far side's return route).</li>
 *   <li>{@code peeredByAddress}: the same, the destination given as an IPv4 address (found in the peered VPC).</li>
 *   <li>{@code blocked}: the same to port 22, which the destination's groups do not admit: the walk goes on past
 *       the blocker, as every analysis does.</li>
 * </ul>
 *
 * <p>Run from the repository root:
 * <pre>
 * ./mvnw -q -pl bench -am package -DskipTests
 * java -cp "bench/target/underpass-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" org.openjdk.jmh.Main ReachBenchmark -f 1 -wi 3 -i 5
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ReachBenchmark {
    static final String ACCOUNT = "111111111111";
    static final String REGION = "us-east-1";
    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    @Param("500")
    public int vpcs;

    @Param("20")
    public int enisPerVpc;

    private World world;
    private Timing timing;
    private Query byId;
    private Query byAddress;
    private Query blocked;

    @Setup
    public void setUp() {
        world = network(vpcs, enisPerVpc);
        timing = Timing.settled(T0.plusSeconds(3600));
        byId = new Query(ACCOUNT, REGION, "eni-0-0", "eni-1-" + (enisPerVpc - 1), "tcp", 443);
        byAddress = new Query(ACCOUNT, REGION, "eni-0-0", address(1, enisPerVpc - 1), "tcp", 443);
        blocked = new Query(ACCOUNT, REGION, "eni-0-0", "eni-1-" + (enisPerVpc - 1), "tcp", 22);
        Analysis a = Analyzer.analyze(world, byId, timing);
        if (!a.reachable() || Analyzer.analyze(world, byAddress, timing).blockers().size() != 0
                || Analyzer.analyze(world, blocked, timing).reachable()) {
            throw new IllegalStateException("benchmark network is not what it claims: " + a.blockers());
        }
    }

    @Benchmark
    public Analysis peeredById() {
        return Analyzer.analyze(world, byId, timing);
    }

    @Benchmark
    public Analysis peeredByAddress() {
        return Analyzer.analyze(world, byAddress, timing);
    }

    @Benchmark
    public Analysis blocked() {
        return Analyzer.analyze(world, blocked, timing);
    }

    static String cidr(int v) {
        return v < 256 ? "10." + v + ".0.0/16" : "172." + (16 + (v - 256) / 256) + "." + ((v - 256) % 256) + ".0/24";
    }

    /** The address of interface {@code e} of VPC {@code v}: in its first subnet if {@code e} is even, else its second. */
    static String address(int v, int e) {
        String base = cidr(v).substring(0, cidr(v).indexOf('/'));
        String[] o = base.split("\\.");
        if (v < 256) {
            return o[0] + "." + o[1] + "." + (e % 2) + "." + (10 + e / 2);
        }
        return o[0] + "." + o[1] + "." + o[2] + "." + ((e % 2) * 128 + 10 + e / 2);
    }

    static String subnetCidr(int v, int s) {
        if (v < 256) {
            return "10." + v + "." + s + ".0/24";
        }
        String base = cidr(v).substring(0, cidr(v).indexOf('/'));
        String[] o = base.split("\\.");
        return o[0] + "." + o[1] + "." + o[2] + "." + (s * 128) + "/25";
    }

    static World network(int vpcs, int enis) {
        List<Resource> all = new ArrayList<>();
        for (int v = 0; v < vpcs; v++) {
            String vpc = "vpc-" + v;
            all.add(new Vpc(vpc, ACCOUNT, REGION, cidr(v),
                    List.of(new Vpc.CidrAssociation(VpcCidrAssociationId.of("a" + v), cidr(v),
                            CidrAssociationState.ASSOCIATED)),
                    null, "default", false, true, true, T0, Map.of()));
            for (int s = 0; s < 2; s++) {
                all.add(new Subnet("subnet-" + v + "-" + s, ACCOUNT, REGION, VpcId.of(vpc), subnetCidr(v, s),
                        "us-east-1" + (char) ('a' + s), "use1-az" + (s + 1), false, false, T0, Map.of()));
            }
            int next = (v + 1) % vpcs;
            int prev = (v + vpcs - 1) % vpcs;
            List<RouteTable.Route> routes = new ArrayList<>();
            routes.add(RouteTables.route(cidr(v), new RouteTarget.Local()));
            routes.add(RouteTables.route(cidr(next), new RouteTarget.Peering(PeeringConnectionId.of("pcx-" + v))));
            if (prev != next) {
                routes.add(
                        RouteTables.route(cidr(prev), new RouteTarget.Peering(PeeringConnectionId.of("pcx-" + prev))));
            }
            all.add(new RouteTable("rtb-" + v, ACCOUNT, REGION, VpcId.of(vpc), routes,
                    List.of(new RouteTable.Association(RouteTableAssociationId.of("rtbassoc-" + v), null, null, true)),
                    Map.of()));
            all.add(new NetworkAcl("acl-default-" + v, ACCOUNT, REGION, VpcId.of(vpc), true, List.of(
                    new NetworkAcl.Entry(100, false, IpProtocol.ALL, true, AddressSet.ALL_IPV4, null, null, null, null),
                    new NetworkAcl.Entry(100, true, IpProtocol.ALL, true, AddressSet.ALL_IPV4, null, null, null, null)),
                    List.of(new NetworkAcl.Association(NetworkAclAssociationId.of("aclassoc-" + v + "-0"),
                            SubnetId.of("subnet-" + v + "-0"))),
                    Map.of()));
            List<NetworkAcl.Entry> entries = new ArrayList<>();
            for (int k = 1; k <= 8; k++) {
                entries.add(new NetworkAcl.Entry(k * 10, k % 2 == 0, IpProtocol.TCP, false,
                        new AddressSet.Ipv4(Cidr.parse("192.168." + k + ".0/24")), null, null, 0, 65535));
            }
            entries.add(new NetworkAcl.Entry(100, false, IpProtocol.ALL, true, AddressSet.ALL_IPV4, null, null, null,
                    null));
            entries.add(
                    new NetworkAcl.Entry(100, true, IpProtocol.ALL, true, AddressSet.ALL_IPV4, null, null, null, null));
            all.add(new NetworkAcl("acl-" + v, ACCOUNT, REGION, VpcId.of(vpc), false, entries,
                    List.of(new NetworkAcl.Association(NetworkAclAssociationId.of("aclassoc-" + v + "-1"),
                            SubnetId.of("subnet-" + v + "-1"))),
                    Map.of()));
            for (int g = 0; g < 5; g++) {
                List<SecurityGroup.Rule> rules = new ArrayList<>();
                for (int k = 0; k < 9; k++) {
                    rules.add(new SecurityGroup.Rule(SecurityGroupRuleId.of("sgr-" + v + "-" + g + "-" + k), false,
                            IpProtocol.TCP, 1000 + k,
                            1000 + k, new AddressSet.Ipv4(Cidr.parse("192.168." + k + ".0/24")), null));
                }
                rules.add(new SecurityGroup.Rule(SecurityGroupRuleId.of("sgr-" + v + "-" + g + "-in"), false,
                        IpProtocol.TCP, 443, 443,
                        new AddressSet.Ipv4(Cidr.parse("10.0.0.0/8")), null));
                rules.add(new SecurityGroup.Rule(SecurityGroupRuleId.of("sgr-" + v + "-" + g + "-out"), true,
                        IpProtocol.ALL, -1, -1,
                        AddressSet.ALL_IPV4,
                        null));
                all.add(new SecurityGroup("sg-" + v + "-" + g, ACCOUNT, REGION, VpcId.of(vpc), "g" + g, "g" + g, rules,
                        Map.of()));
            }
            for (int e = 0; e < enis; e++) {
                all.add(new NetworkInterface("eni-" + v + "-" + e, ACCOUNT, REGION,
                        SubnetId.of("subnet-" + v + "-" + (e % 2)),
                        VpcId.of(vpc), "us-east-1" + (char) ('a' + e % 2), "", "interface", false, null,
                        "02:00:00:00:00:00",
                        true, List.of(new NetworkInterface.PrivateIp(address(v, e), true)),
                        List.of(SecurityGroupId.of("sg-" + v + "-" + (e % 5))), null, Map.of()));
            }
            if (vpcs > 1 && (v < vpcs - 1 || vpcs > 2)) {
                all.add(new PeeringConnection("pcx-" + v, ACCOUNT, REGION,
                        new PeeringConnection.Side(ACCOUNT, REGION, VpcId.of(vpc), List.of(cidr(v)), List.of(), false),
                        new PeeringConnection.Side(ACCOUNT, REGION, VpcId.of("vpc-" + next), List.of(cidr(next)),
                                List.of(),
                                false),
                        PeeringConnection.Status.ACTIVE, null, T0, T0, Map.of(), Map.of()));
            }
        }
        return World.of(all);
    }
}
