package dev.underpass.bench;

import dev.underpass.model.World;
import dev.underpass.model.ec2.NetworkInterface;
import dev.underpass.reach.Reachers;
import dev.underpass.reach.Timing;
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
 * "Who can reach it" ({@link Reachers#of}), single-threaded: every interface of a network of {@code vpcs} VPCs with
 * {@code enisPerVpc} interfaces each (default 5,000 × 20 = 100,000 ENIs; target: under 2 s) analyzed against one
 * interface of VPC 1 on TCP 443. The network is {@link ReachBenchmark}'s (a ring of peered VPCs, so the interfaces of
 * VPCs 0, 1 and 2 reach it and the rest have no route), built once in {@link #setUp()}, indexes warmed by a first
 * run.
 *
 * <p>Run from the repository root:
 * <pre>
 * ./mvnw -q -pl bench -am package -DskipTests
 * java -cp "bench/target/underpass-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" org.openjdk.jmh.Main ReachersBenchmark -f 1 -wi 2 -i 5
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ReachersBenchmark {
    @Param("5000")
    public int vpcs;

    @Param("20")
    public int enisPerVpc;

    private World world;
    private Timing timing;

    @Setup
    public void setUp() {
        world = ReachBenchmark.network(vpcs, enisPerVpc);
        timing = Timing.settled(ReachBenchmark.T0.plusSeconds(3600));
        Reachers r = whoCanReach();
        if (r.analyzed() != vpcs * enisPerVpc - 1 || r.reachable().size() != 3 * enisPerVpc - 1) {
            throw new IllegalStateException("benchmark network is not what it claims: " + r.analyzed() + " analyzed, "
                    + r.reachable().size() + " reach");
        }
    }

    @Benchmark
    public Reachers whoCanReach() {
        return Reachers.of(world, world.all(NetworkInterface.class), eni -> true, ReachBenchmark.REGION,
                "eni-1-" + (enisPerVpc - 1), "tcp", 443, timing);
    }
}
