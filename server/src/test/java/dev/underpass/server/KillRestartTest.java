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

    /** A server child process and the port it bound. */
    private record Child(Process process, int port) {}

    private Child startChild() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "dev.underpass.server.Main", "serve", "--port", "0", "--data-dir", dataDir.toString(),
                "--quota", "vpcs-per-region=100000")
                .redirectErrorStream(true);
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                int port = Integer.parseInt(m.group(1));
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // Keep the pipe from filling up.
                        }
                    } catch (java.io.IOException ignored) {
                        // The child died; that is the point.
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return new Child(p, port);
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
                                return; // The server was killed mid-call: not acknowledged.
                            } catch (RuntimeException e) {
                                if (!stop.get()) {
                                    unexpected.add(e);
                                }
                                return;
                            }
                            i++;
                        }
                    }
                });
            }
            Thread.sleep(1500 + round * 700L);
            child.process().destroyForcibly(); // SIGKILL on Linux: no shutdown hook runs.
            child.process().waitFor(30, TimeUnit.SECONDS);
            stop.set(true);
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            assertThat(unexpected).isEmpty();
        }
        assertThat(acknowledged).hasSizeGreaterThan(10);

        Child child = startChild();
        try (Ec2Client ec2 = client(child.port())) {
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
