package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Runs {@code scripts/cli-smoke*.sh} (the README's scenarios, with every output checked) through the AWS CLI v2
 * against a fresh server. CI sets {@code UNDERPASS_REQUIRE_AWS_CLI=1}, so there a missing CLI is a failure; on a
 * developer machine without it the test is skipped.
 *
 * <p>Each CLI call is a Python process that spends about a second starting up, so the scenarios' ten minutes are
 * mostly that process's own time. They are split in two halves of about equal length, this class and
 * {@link CliSmokeServicesTest}, each with its own server, and both run beside the other test classes
 * (server/src/test/resources/junit-platform.properties). Within a half the scenarios run one after another.
 */
@Execution(ExecutionMode.CONCURRENT)
class CliSmokeTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    static String awsCliV2() throws Exception {
        return Executables.first("--version", out -> out.startsWith("aws-cli/2"), System.getenv("UNDERPASS_AWS_CLI"),
                "/usr/bin/aws", "/usr/local/bin/aws", "aws");
    }

    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("scripts/cli-smoke.sh"))) {
            p = p.getParent();
        }
        return p;
    }

    @Execution(ExecutionMode.SAME_THREAD)
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"cli-smoke.sh", "cli-smoke-vpc-module.sh",
        "cli-smoke-peering.sh", "cli-smoke-scp.sh", "cli-smoke-trace.sh"})
    void scenario_throughAwsCliV2_printsWhatAwsWould(String script) throws Exception {
        run(UNDERPASS, script);
    }

    /** Runs {@code scripts/<script>} against {@code server}: it must exit 0 having printed "all checks passed". */
    static void run(UnderpassExtension server, String script) throws Exception {
        String aws = awsCliV2();
        if ("1".equals(System.getenv("UNDERPASS_REQUIRE_AWS_CLI"))) {
            assertThat(aws).as("AWS CLI v2 is required in CI").isNotNull();
        }
        assumeTrue(aws != null, "AWS CLI v2 not installed");
        ProcessBuilder pb = new ProcessBuilder("bash", repoRoot().resolve("scripts/" + script).toString(),
                server.endpoint().toString()).redirectErrorStream(true);
        pb.environment().put("AWS_CLI", aws);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("all checks passed");
    }
}
