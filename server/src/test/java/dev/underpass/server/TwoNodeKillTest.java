package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.aws.ec2.Ec2Api;
import dev.underpass.model.ec2.Quotas;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Vpc;

/**
 * One of two nodes on one PostgreSQL is killed with SIGKILL while 16 clients, spread over both, create VPCs and
 * subnets: the other node keeps serving, and everything acknowledged by either node is there, whole.
 */
class TwoNodeKillTest {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
    private static final String ACCOUNT = "777777777777";

    /** An {@code underpass serve --store URL} child process and the port it bound. */
    private record Child(Process process, int port) {}

    private static Child startChild(String url) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "dev.underpass.server.cli.Main", "serve", "--port", "0", "--quota", "vpcs-per-region=100000")
                .redirectErrorStream(true);
        pb.environment().put("UNDERPASS_STORE", url); // The password stays out of the process list.
        pb.environment().put("UNDERPASS_ACCESS_LOG", "false");
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        StringBuilder printed = new StringBuilder();
        for (String line; System.nanoTime() < deadline && (line = out.readLine()) != null;) {
            printed.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // Keeps the pipe from filling up.
                        }
                    } catch (java.io.IOException ignored) {
                        // The child died; that is the point.
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return new Child(p, Integer.parseInt(m.group(1)));
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("the server did not start:\n" + printed);
    }

    private static Ec2Client client(int port) {
        return UnderpassExtension.client(Ec2Client.builder(),
                URI.create("http://127.0.0.1:" + port), ACCOUNT, Region.US_EAST_1);
    }

    @Test
    void killingOneNodeUnderLoad_losesNothingAcknowledged_andTheOtherKeepsServing() throws Exception {
        String url = TestPostgres.newDatabase();
        Child killed = startChild(url);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        AtomicInteger afterKill = new AtomicInteger();
        AtomicBoolean killedYet = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        Ec2Api.Settings manyVpcs = new Ec2Api.Settings(Duration.ZERO, true,
                Quotas.defaults().with("vpcs-per-region", 100_000));
        try (UnderpassServer survivor =
                UnderpassServer.start(ServerConfig.forTests().withStoreUrl(url).withEc2(manyVpcs))) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            for (int t = 0; t < 16; t++) {
                int thread = t;
                boolean onKilled = t % 2 == 0;
                pool.submit(() -> {
                    try (Ec2Client ec2 = client(onKilled ? killed.port() : survivor.port())) {
                        for (int i = 0; !stop.get(); i++) {
                            String cidr = "10." + (thread * 15 + i % 15) + ".0.0/16";
                            try {
                                Vpc vpc = ec2.createVpc(r -> r.cidrBlock(cidr)).vpc();
                                acknowledged.add(vpc.vpcId());
                                ec2.createSubnet(r -> r.vpcId(vpc.vpcId())
                                        .cidrBlock(cidr.replace(".0.0/16", ".1.0/24")));
                                acknowledged.add("subnet-of:" + vpc.vpcId());
                                if (killedYet.get() && !onKilled) {
                                    afterKill.incrementAndGet();
                                }
                            } catch (SdkClientException e) {
                                if (!onKilled) {
                                    unexpected.add(e); // The survivor must keep answering.
                                }
                                return; // The killed node went away mid-call: not acknowledged.
                            } catch (Ec2Exception e) {
                                if (!e.awsErrorDetails().errorCode().equals("ServiceUnavailable")) {
                                    unexpected.add(e);
                                }
                                if (onKilled) {
                                    return;
                                }
                            } catch (RuntimeException e) {
                                unexpected.add(e);
                                return;
                            }
                        }
                    }
                });
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acknowledged.size() < 40 && System.nanoTime() < deadline && unexpected.isEmpty()) {
                Thread.sleep(20);
            }
            Thread.sleep(500);
            killed.process().destroyForcibly(); // SIGKILL on Linux: no shutdown hook runs.
            assertThat(killed.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            killedYet.set(true);
            while (afterKill.get() < 20 && System.nanoTime() < deadline + TimeUnit.SECONDS.toNanos(30)
                    && unexpected.isEmpty()) {
                Thread.sleep(20);
            }
            stop.set(true);
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            assertThat(unexpected).isEmpty();
            assertThat(afterKill.get()).as("the survivor keeps taking writes").isGreaterThanOrEqualTo(20);

            // A fresh node reads everything from the database; the survivor has it all too.
            try (UnderpassServer fresh = UnderpassServer.start(ServerConfig.forTests().withStoreUrl(url))) {
                for (UnderpassServer node : List.of(survivor, fresh)) {
                    try (Ec2Client ec2 = client(node.port())) {
                        verify(ec2, acknowledged);
                    }
                }
            }
        } finally {
            killed.process().destroyForcibly();
        }
    }

    private static void verify(Ec2Client ec2, Set<String> acknowledged) {
        Set<String> vpcIds = KillRestartTest.assertAcknowledgedKept(ec2, acknowledged);
        // Whole VPCs only: each has exactly its three defaults (the account's default VPC included).
        Set<String> groups = new java.util.HashSet<>();
        ec2.describeSecurityGroupsPaginator(r -> r.maxResults(1000)).securityGroups()
                .forEach(g -> groups.add(g.vpcId()));
        Set<String> tables = new java.util.HashSet<>();
        ec2.describeRouteTablesPaginator(r -> r.maxResults(100)).routeTables().forEach(rt -> tables.add(rt.vpcId()));
        Set<String> acls = new java.util.HashSet<>();
        ec2.describeNetworkAclsPaginator(r -> r.maxResults(100)).networkAcls().forEach(a -> acls.add(a.vpcId()));
        assertThat(groups).containsAll(vpcIds);
        assertThat(tables).containsAll(vpcIds);
        assertThat(acls).containsAll(vpcIds);
        assertThat(ec2.describeVpcs(r -> r.filters(Filter.builder().name("is-default").values("true").build()))
                .vpcs()).hasSize(1);
    }
}
