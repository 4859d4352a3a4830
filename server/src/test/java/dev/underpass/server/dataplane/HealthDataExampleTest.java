package dev.underpass.server.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.server.UnderpassExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the README's example ({@code examples/health-data/HealthData.java}, what {@code run.sh} runs after starting
 * a server) with three consumers against a server started here with the data plane and DNS, and checks its
 * verdict and its summary table: every consumer answered while all zones are healthy and again once the health
 * checks notice the stopped zone (none by that zone), and the consumer whose endpoint group was revoked refused,
 * with a REJECT in its flow log.
 */
class HealthDataExampleTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = UnderpassExtension.onLoopback();

    @Test
    void example_withThreeConsumers_failsOverAndRecordsTheReject() throws Exception {
        Path example = repoRoot().resolve("examples/health-data/HealthData.java");
        int dns = UNDERPASS.server().startDataPlane().startDns("127.0.0.1", 0);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", example.toString(),
                UNDERPASS.endpoint().toString(), Integer.toString(dns), "3").redirectErrorStream(true).start();
        boolean done = p.waitFor(180, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            p.destroyForcibly();
        }
        assertThat(done).as(out).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(0);
        assertThat(out).contains("RESULT ok");
        assertThat(out).containsPattern("all zones healthy\\s+3\\s+3\\s+0\\s+1\\s+1\\s+1");
        assertThat(out).containsPattern("after health checks noticed\\s+3\\s+3\\s+0\\s+0\\s+");
        assertThat(out).containsPattern("consumer 1's endpoint SG revoked\\s+3\\s+2\\s+1\\s+");
        assertThat(out)
                .containsPattern("REJECT record: 2 200000000001 eni-[0-9a-f]+ 10\\.1\\.1\\.\\d+ 10\\.1\\.1\\.\\d+ "
                        + "\\d+ 8080 6 1 60 \\d+ \\d+ REJECT OK");
    }

    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("examples/health-data/HealthData.java"))) {
            p = p.getParent();
        }
        assertThat(p).as("repository root").isNotNull();
        return p;
    }
}
