package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.underpass.aws.ec2.Ec2Api;
import dev.underpass.model.ec2.Quotas;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Vpc;

/**
 * A full disk: the data directory is a small tmpfs (mounting one needs root, as CI has; elsewhere the test is
 * skipped). With the disk full, writes fail with AWS's {@code ServiceUnavailable} and leave nothing, in the live
 * world or on disk, and the health endpoint says the store is degraded; once space is freed, writes succeed again
 * without a restart; after a restart exactly the acknowledged VPCs exist, each whole.
 */
class DiskFullTest {
    private static final String ACCOUNT = "313131313131";

    @TempDir
    Path tmp;

    private Path mount;
    private UnderpassServer server;

    @BeforeEach
    void mountTmpfs() throws Exception {
        assumeTrue(isRoot(), "mounting a tmpfs needs root");
        mount = Files.createDirectory(tmp.resolve("small"));
        run("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", mount.toString());
    }

    @AfterEach
    void unmount() throws Exception {
        if (server != null) {
            server.close();
        }
        if (mount != null) {
            run("umount", mount.toString());
        }
    }

    private static boolean isRoot() throws Exception {
        Process id = new ProcessBuilder("id", "-u").start();
        String uid = new String(id.getInputStream().readAllBytes()).trim();
        return id.waitFor() == 0 && uid.equals("0");
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }

    private UnderpassServer start(Path dataDir) {
        Quotas quotas = Quotas.defaults().with("vpcs-per-region", 10_000);
        return UnderpassServer.start(ServerConfig.forTests().withDataDir(dataDir)
                .withEc2(new Ec2Api.Settings(Duration.ZERO, false, quotas)));
    }

    /** Writes zeros until the file system refuses. */
    private static void fill(Path file) {
        byte[] chunk = new byte[16 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 100_000; i++) {
                out.write(chunk);
                out.flush();
            }
        } catch (IOException full) {
            return;
        }
        throw new AssertionError("the tmpfs never filled up");
    }

    private static String cidr(int i) {
        return "10." + (i / 250) + "." + (i % 250) + ".0/24";
    }

    @Test
    void diskFull_failedWritesLeaveNothing_andWritesResumeOnceSpaceIsFreed() throws Exception {
        Path dataDir = mount.resolve("data");
        server = start(dataDir);
        Set<String> acknowledged = new HashSet<>();
        int next = 0;
        try (Ec2Client ec2 = TestClients.ec2(server.endpoint(), ACCOUNT, "us-east-1")) {
            for (; next < 3; next++) {
                int i = next;
                acknowledged.add(ec2.createVpc(r -> r.cidrBlock(cidr(i))).vpc().vpcId());
            }
            assertThat(TestClients.call("GET", server.endpoint(), "/_underpass/health").status()).isEqualTo(200);

            Path filler = mount.resolve("filler");
            fill(filler);
            int failures = 0;
            for (int attempts = 0; failures < 5 && attempts < 500; attempts++, next++) {
                int i = next;
                try {
                    acknowledged.add(ec2.createVpc(r -> r.cidrBlock(cidr(i))).vpc().vpcId());
                } catch (Ec2Exception e) {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
                    assertThat(e.statusCode()).isEqualTo(503);
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("The request has failed due to a temporary failure of the server.");
                    failures++;
                }
            }
            assertThat(failures).as("writes on a full disk should fail").isEqualTo(5);

            TestClients.Answer health = TestClients.call("GET", server.endpoint(), "/_underpass/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.body().get("status").asText()).isEqualTo("degraded");
            assertThat(health.body().get("store").asText()).contains("the last commit failed").contains("full");
            // Nothing of a failed write is visible.
            assertThat(vpcIds(ec2)).isEqualTo(acknowledged);
            assertVpcsWhole(ec2);
            // Other writes fail as cleanly, whatever they touch.
            String first = acknowledged.iterator().next();
            assertThatThrownBy(() -> ec2.createSubnet(r -> r.vpcId(first).cidrBlock(
                    ec2.describeVpcs(d -> d.vpcIds(first)).vpcs().get(0).cidrBlock())))
                    .isInstanceOfSatisfying(Ec2Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                            .isEqualTo("ServiceUnavailable"));
            assertThat(ec2.describeSubnets(r -> r.filters(f -> f.name("vpc-id").values(first))).subnets())
                    .isEmpty();

            // Space again: writes succeed at once, and health is ok after the first commit.
            Files.delete(filler);
            for (int k = 0; k < 3; k++, next++) {
                int i = next;
                acknowledged.add(ec2.createVpc(r -> r.cidrBlock(cidr(i))).vpc().vpcId());
            }
            health = TestClients.call("GET", server.endpoint(), "/_underpass/health");
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.body().get("status").asText()).isEqualTo("ok");
            assertThat(vpcIds(ec2)).isEqualTo(acknowledged);
        }

        server.close();
        server = start(dataDir);
        try (Ec2Client ec2 = TestClients.ec2(server.endpoint(), ACCOUNT, "us-east-1")) {
            assertThat(vpcIds(ec2)).as("after a restart, exactly the acknowledged VPCs").isEqualTo(acknowledged);
            assertVpcsWhole(ec2);
            assertThat(ec2.describeSubnets().subnets()).isEmpty();
        }
    }

    private static Set<String> vpcIds(Ec2Client ec2) {
        return ec2.describeVpcsPaginator(r -> r.maxResults(1000)).vpcs().stream().map(Vpc::vpcId)
                .collect(Collectors.toSet());
    }

    /** Each VPC has exactly its default security group, main route table and default network ACL. */
    private static void assertVpcsWhole(Ec2Client ec2) {
        for (String vpcId : vpcIds(ec2)) {
            List<Filter> byVpc = List.of(Filter.builder().name("vpc-id").values(vpcId).build());
            assertThat(ec2.describeRouteTables(r -> r.filters(byVpc)).routeTables()).as(vpcId).hasSize(1)
                    .allSatisfy(t -> assertThat(t.associations()).anySatisfy(a -> assertThat(a.main()).isTrue()));
            assertThat(ec2.describeSecurityGroups(r -> r.filters(byVpc)).securityGroups()).as(vpcId).hasSize(1)
                    .allSatisfy(g -> assertThat(g.groupName()).isEqualTo("default"));
            assertThat(ec2.describeNetworkAcls(r -> r.filters(byVpc)).networkAcls()).as(vpcId).hasSize(1)
                    .allSatisfy(n -> assertThat(n.isDefault()).isTrue());
        }
    }
}
