package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.store.DataDirInUseException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * One data directory, one server: a second server on a directory in use refuses to start and names the directory
 * and the process that holds it, in this JVM and as {@code underpass serve}; once the first stops, the directory
 * can be served again, with its data.
 */
class DataDirLockTest {
    @TempDir
    Path dataDir;

    private static final long OUR_PID = ProcessHandle.current().pid();

    @Test
    void secondServerOnOneDataDir_refusesToStart_namingTheDirAndTheHolder() {
        try (UnderpassServer first = UnderpassServer.start(ServerConfig.forTests().withDataDir(dataDir))) {
            assertThatThrownBy(() -> UnderpassServer.start(ServerConfig.forTests().withDataDir(dataDir)))
                    .isInstanceOf(DataDirInUseException.class)
                    .hasMessageContaining("the data dir " + dataDir + " is in use by another underpass process")
                    .hasMessageContaining("(pid " + OUR_PID + ")");
            // The first server is unharmed.
            try (Ec2Client ec2 = TestClients.ec2(first.endpoint(), "121212121212", "us-east-1")) {
                assertThat(ec2.createVpc(r -> r.cidrBlock("10.1.0.0/16")).vpc().vpcId()).startsWith("vpc-");
            }
        }
        // Stopped, it lets the directory go: the next server starts and has the VPC.
        try (UnderpassServer again = UnderpassServer.start(ServerConfig.forTests().withDataDir(dataDir));
                Ec2Client ec2 = TestClients.ec2(again.endpoint(), "121212121212", "us-east-1")) {
            assertThat(ec2.describeVpcs(r -> r.filters(f -> f.name("cidr").values("10.1.0.0/16"))).vpcs())
                    .hasSize(1);
        }
    }

    @Test
    void serverThatCannotBindItsPort_letsTheDataDirGo() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> UnderpassServer.start(ServerConfig.forTests().withDataDir(dataDir)
                    .withPort(taken.getLocalPort()))).isInstanceOf(java.net.BindException.class);
        }
        try (UnderpassServer server = UnderpassServer.start(ServerConfig.forTests().withDataDir(dataDir))) {
            assertThat(TestClients.call("GET", server.endpoint(), "/_underpass/health").status()).isEqualTo(200);
        }
    }

    @Test
    void underpassServe_onADataDirInUse_exitsNonZeroWithAClearMessage() throws Exception {
        try (UnderpassServer first = UnderpassServer.start(ServerConfig.forTests().withDataDir(dataDir))) {
            String java = ProcessHandle.current().info().command().orElse("java");
            Process serve = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    "dev.underpass.server.cli.Main", "serve", "--port", "0", "--data-dir", dataDir.toString())
                    .redirectErrorStream(true)
                    .start();
            assertThat(serve.waitFor(60, TimeUnit.SECONDS)).as("serve should give up at once").isTrue();
            String output = new String(serve.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(serve.exitValue()).as(output).isEqualTo(1);
            assertThat(output).contains("underpass: the data dir " + dataDir
                    + " is in use by another underpass process (pid " + OUR_PID + ")");
            assertThat(output).doesNotContain("\tat ");
            assertThat(TestClients.call("GET", first.endpoint(), "/_underpass/health").status()).isEqualTo(200);
        }
    }
}
