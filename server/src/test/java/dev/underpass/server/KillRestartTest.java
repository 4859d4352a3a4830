package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Vpc;

/**
 * Durability: a real {@code underpass serve} process is killed with SIGKILL while clients create VPCs and subnets
 * as fast as they can; after a restart on the same data directory every acknowledged creation is there, and every
 * VPC is whole (its default security group, main route table and default network ACL exist: no half-applied call).
 */
class KillRestartTest {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dataDir;

    /** A server child process, the port it bound, and what it printed. */
    private record Child(Process process, int port, StringBuffer output, Thread drain) {
        /** Everything the child printed; call once it has exited. */
        String printed() throws InterruptedException {
            drain.join(30_000);
            return output.toString();
        }
    }

    private Child startChild() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "dev.underpass.server.cli.Main", "serve", "--port", "0", "--data-dir", dataDir.toString(),
                "--quota", "vpcs-per-region=100000")
                .redirectErrorStream(true);
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        StringBuffer output = new StringBuffer();
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            output.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                int port = Integer.parseInt(m.group(1));
                Thread drain = new Thread(() -> {
                    try {
                        for (String more; (more = out.readLine()) != null;) {
                            output.append(more).append('\n'); // Also keeps the pipe from filling up.
                        }
                    } catch (java.io.IOException ignored) {
                        // The child died; that is the point.
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return new Child(p, port, output, drain);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("server did not start");
    }

    private static Ec2Client client(int port) {
        return Ec2Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("777777777777", "s")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    @Test
    void killDuringWrites_losesNothingAcknowledged_andLeavesNothingHalfApplied() throws Exception {
        Set<String> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
        for (int round = 0; round < 2; round++) {
            Child child = startChild();
            load(child, acknowledged, 1500 + round * 700L, () -> {
                child.process().destroyForcibly(); // SIGKILL on Linux: no shutdown hook runs.
                child.process().waitFor(30, TimeUnit.SECONDS);
            });
        }
        assertThat(acknowledged).hasSizeGreaterThan(10);
        verifyAfterRestart(acknowledged);
    }

    /**
     * SIGTERM under load is a clean stop: the process exits by itself (143, as any JVM ended by SIGTERM) after
     * logging that it stopped, every call is answered or refused with ServiceUnavailable (never a 500), and
     * everything acknowledged is there after a restart, whole. The restart also shows the data dir was let go.
     */
    @Test
    void sigtermDuringWrites_stopsCleanly_andKeepsEverythingAcknowledged() throws Exception {
        Set<String> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Child child = startChild();
        load(child, acknowledged, 1500, () -> {
            // SIGTERM on Linux; through the handle, as Process.destroy() would also close the pipe we read.
            assertThat(child.process().toHandle().destroy()).isTrue();
            assertThat(child.process().waitFor(60, TimeUnit.SECONDS)).as("stops by itself").isTrue();
        });
        String printed = child.printed();
        assertThat(child.process().exitValue()).as(printed).isEqualTo(143);
        assertThat(printed).contains("underpass stopped").doesNotContain("Exception");
        assertThat(acknowledged).hasSizeGreaterThan(10);
        verifyAfterRestart(acknowledged);
    }

    /** Stops the server child; returns once it is gone. */
    @FunctionalInterface
    private interface Stopper {
        void stop() throws Exception;
    }

    /**
     * Four clients create VPCs and subnets as fast as they can; {@code millis} after the first few are acknowledged,
     * {@code stopper} stops the server, and each client ends at its next failure. A connection failure is an unacknowledged call; an AWS
     * error is a failure of the test unless it is ServiceUnavailable (a call refused while stopping).
     */
    private static void load(Child child, Set<String> acknowledged, long millis, Stopper stopper) throws Exception {
        int before = acknowledged.size();
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            int thread = t;
            pool.submit(() -> {
                try (Ec2Client ec2 = client(child.port())) {
                    int i = 0;
                    while (!stop.get()) {
                        String cidr = "10." + (thread * 60 + (i % 60)) + ".0.0/16";
                        try {
                            Vpc vpc = ec2.createVpc(r -> r.cidrBlock(cidr)).vpc();
                            acknowledged.add(vpc.vpcId());
                            ec2.createSubnet(r -> r.vpcId(vpc.vpcId()).cidrBlock(cidr.replace(".0.0/16", ".1.0/24")));
                            acknowledged.add("subnet-of:" + vpc.vpcId());
                        } catch (software.amazon.awssdk.core.exception.SdkClientException e) {
                            return; // The server went away mid-call: not acknowledged.
                        } catch (software.amazon.awssdk.services.ec2.model.Ec2Exception e) {
                            if (!e.awsErrorDetails().errorCode().equals("ServiceUnavailable")) {
                                unexpected.add(e);
                            }
                            return;
                        } catch (RuntimeException e) {
                            unexpected.add(e);
                            return;
                        }
                        i++;
                    }
                }
            });
        }
        // Under load, the clients' first calls can take a while: count from the first acknowledgements.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acknowledged.size() < before + 10 && System.nanoTime() < deadline && unexpected.isEmpty()) {
            Thread.sleep(20);
        }
        Thread.sleep(millis);
        stopper.stop();
        stop.set(true);
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThat(unexpected).isEmpty();
    }

    /**
     * Asserts that every acknowledged VPC id, and every acknowledged "subnet-of:" a VPC, is still there; answers the
     * ids of all VPCs the node holds. Shared with {@link TwoNodeKillTest}, whose writers acknowledge the same way.
     */
    static Set<String> assertAcknowledgedKept(Ec2Client ec2, Set<String> acknowledged) {
        List<Vpc> vpcs = new ArrayList<>();
        ec2.describeVpcsPaginator(r -> r.maxResults(1000)).vpcs().forEach(vpcs::add);
        Set<String> vpcIds = vpcs.stream().map(Vpc::vpcId).collect(Collectors.toSet());
        Set<String> subnetVpcs = new java.util.HashSet<>();
        ec2.describeSubnetsPaginator(r -> r.maxResults(1000)).subnets()
                .forEach(s -> subnetVpcs.add("subnet-of:" + s.vpcId()));
        for (String ack : acknowledged) {
            if (ack.startsWith("subnet-of:")) {
                assertThat(subnetVpcs).as("acknowledged subnet lost").contains(ack);
            } else {
                assertThat(vpcIds).as("acknowledged VPC lost").contains(ack);
            }
        }
        return vpcIds;
    }

    private void verifyAfterRestart(Set<String> acknowledged) throws Exception {
        Child child = startChild();
        try (Ec2Client ec2 = client(child.port())) {
            Set<String> vpcIds = assertAcknowledgedKept(ec2, acknowledged);
            // Whole VPCs only: each has exactly its three defaults.
            for (String vpcId : vpcIds) {
                Filter byVpc = Filter.builder().name("vpc-id").values(vpcId).build();
                assertThat(child.process().isAlive()).isTrue();
                assertThat(ec2.describeRouteTables(r -> r.filters(byVpc)).routeTables()).as(vpcId).hasSize(1);
                assertThat(ec2.describeSecurityGroups(r -> r.filters(byVpc)).securityGroups()).as(vpcId).hasSize(1);
                assertThat(ec2.describeNetworkAcls(r -> r.filters(byVpc)).networkAcls()).as(vpcId).hasSize(1);
            }
        } finally {
            child.process().destroy();
            child.process().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
