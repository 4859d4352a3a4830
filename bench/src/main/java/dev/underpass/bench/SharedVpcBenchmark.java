package dev.underpass.bench;

import dev.underpass.model.ec2.DhcpOptionsId;
import dev.underpass.model.ec2.SubnetId;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.aws.QueryApi;
import dev.underpass.aws.ec2.Describe;
import dev.underpass.model.Caller;
import dev.underpass.model.Resource;
import dev.underpass.model.World;
import dev.underpass.model.ec2.Kind;
import dev.underpass.model.ec2.NetworkInterface;
import dev.underpass.model.ec2.ResourceGrant;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.ec2.Vpc;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What VPC sharing costs a participant's Describe calls: DescribeSubnets and DescribeNetworkInterfaces (through
 * {@link Describe#visible}, the path every EC2 Describe takes: candidates, visibility, tags as seen, one page) by
 * one participant of a VPC shared with 100 participant accounts (AWS's quota), each with 50 network interfaces in
 * the VPC's four shared subnets (5,000 interfaces, 400 grants), against the same call by an account that owns a VPC
 * with four subnets and 50 interfaces in a world of 100 such accounts (the unshared baseline, same record count).
 * {@code ownerDescribeNetworkInterfaces} is the VPC owner listing every participant's interface (all 5,000: no
 * MaxResults). The issue's target: a participant's calls within 1.5x of the unshared ones.
 *
 * <p>Run from the repository root:
 * <pre>
 * ./mvnw -q -pl bench -am package -DskipTests
 * java -cp "bench/target/underpass-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" org.openjdk.jmh.Main SharedVpcBenchmark -f 1 -wi 3 -i 5
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SharedVpcBenchmark {
    static final int PARTICIPANTS = 100;
    static final int INTERFACES_EACH = 50;
    static final int SUBNETS = 4;
    static final String REGION = "us-east-1";
    static final String OWNER = "100000000000";
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    World shared;
    World unshared;
    Caller participant;
    Caller owner;
    Caller alone;

    static String account(int i) {
        return Long.toString(200_000_000_000L + i);
    }

    static Vpc vpc(String id, String owner) {
        return new Vpc(id, owner, REGION, "10.0.0.0/16", List.of(), DhcpOptionsId.of("dopt-0"), "default", false, true,
                false, T0,
                Map.of());
    }

    static Subnet subnet(String id, String owner, String vpc, int n) {
        return new Subnet(id, owner, REGION, VpcId.of(vpc), "10.0." + n + ".0/24", "us-east-1a", "use1-az1", false,
                false, T0,
                Map.of("Name", "s" + n));
    }

    static NetworkInterface eni(String id, String owner, String subnet, String vpc) {
        return new NetworkInterface(id, owner, REGION, SubnetId.of(subnet), VpcId.of(vpc), "us-east-1a", "",
                "interface", false,
                null,
                "02:00:00:00:00:00", true, List.of(), List.of(), null, Map.of());
    }

    @Setup
    public void setUp() {
        List<Resource> s = new ArrayList<>();
        s.add(vpc("vpc-shared", OWNER));
        for (int n = 0; n < SUBNETS; n++) {
            s.add(subnet("subnet-shared" + n, OWNER, "vpc-shared", n));
        }
        List<Resource> u = new ArrayList<>();
        for (int p = 0; p < PARTICIPANTS; p++) {
            String a = account(p);
            for (int n = 0; n < SUBNETS; n++) {
                String share = "arn:aws:ram:us-east-1:" + OWNER + ":resource-share/bench";
                s.add(new ResourceGrant(ResourceGrant.idOf(share, "subnet-shared" + n, a), OWNER, REGION,
                        "subnet-shared" + n, a, share));
                u.add(subnet("subnet-" + p + "x" + n, a, "vpc-" + p, n));
            }
            u.add(vpc("vpc-" + p, a));
            for (int i = 0; i < INTERFACES_EACH; i++) {
                String sub = "subnet-shared" + (i % SUBNETS);
                s.add(eni(String.format("eni-%03d%05d", p, i), a, sub, "vpc-shared"));
                u.add(eni(String.format("eni-%03d%05d", p, i), a, "subnet-" + p + "x" + (i % SUBNETS), "vpc-" + p));
            }
        }
        shared = World.of(s);
        unshared = World.of(u);
        participant = Caller.of(account(PARTICIPANTS / 2), REGION);
        alone = Caller.of(account(PARTICIPANTS / 2), REGION);
        owner = Caller.of(OWNER, REGION);
        // Warm each world's indexes, as a server's first call after a commit does, and check what each call sees.
        check(participantDescribeSubnets(), SUBNETS);
        check(unsharedDescribeSubnets(), SUBNETS);
        check(participantDescribeNetworkInterfaces(), INTERFACES_EACH);
        check(unsharedDescribeNetworkInterfaces(), INTERFACES_EACH);
        check(ownerDescribeNetworkInterfaces(), PARTICIPANTS * INTERFACES_EACH);
    }

    private static void check(int seen, int expected) {
        if (seen != expected) {
            throw new IllegalStateException("saw " + seen + " items, expected " + expected);
        }
    }

    private static <T extends Resource> int describe(World world, Caller caller, Class<T> type, Kind kind) {
        return Describe.visible(new QueryApi.ReadContext(caller, world, T0), type, kind, List.of())
                .page(null, null, Describe.Limits.STANDARD).items().size();
    }

    @Benchmark
    public int participantDescribeSubnets() {
        return describe(shared, participant, Subnet.class, Kind.SUBNET);
    }

    @Benchmark
    public int unsharedDescribeSubnets() {
        return describe(unshared, alone, Subnet.class, Kind.SUBNET);
    }

    @Benchmark
    public int participantDescribeNetworkInterfaces() {
        return describe(shared, participant, NetworkInterface.class, Kind.NETWORK_INTERFACE);
    }

    @Benchmark
    public int unsharedDescribeNetworkInterfaces() {
        return describe(unshared, alone, NetworkInterface.class, Kind.NETWORK_INTERFACE);
    }

    @Benchmark
    public int ownerDescribeNetworkInterfaces() {
        return describe(shared, owner, NetworkInterface.class, Kind.NETWORK_INTERFACE);
    }
}
