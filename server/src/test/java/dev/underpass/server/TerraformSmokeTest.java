package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs {@code scripts/terraform-smoke.sh}: Terraform's AWS provider, unchanged, applies {@code examples/terraform}
 * (a PrivateLink service across two accounts with an NLB, an instance target, a capacity reservation, an S3 gateway
 * endpoint with a policy), finds nothing to change on a second plan, and destroys it. Needs {@code terraform} and the
 * provider in a local mirror ({@code UNDERPASS_TF_PLUGIN_MIRROR}, default {@code /opt/tf-plugins}); without them the
 * test is skipped, and with {@code UNDERPASS_REQUIRE_TERRAFORM=1} a missing one is a failure. It runs beside the other
 * test classes (server/src/test/resources/junit-platform.properties): most of its three minutes are the provider's own
 * waits, and its server is its own.
 */
@Execution(ExecutionMode.CONCURRENT)
class TerraformSmokeTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    static String terraform() throws InterruptedException {
        return Executables.first("version", out -> out.contains("Terraform v"), System.getenv("TERRAFORM"),
                "/usr/local/bin/terraform", "/usr/bin/terraform", "terraform");
    }

    static boolean mirrorHasAwsProvider() {
        String mirror = System.getenv().getOrDefault("UNDERPASS_TF_PLUGIN_MIRROR", "/opt/tf-plugins");
        return Files.isDirectory(Path.of(mirror, "registry.terraform.io", "hashicorp", "aws"));
    }

    @Test
    void examplesTerraform_appliesPlansCleanAndDestroys_withTheUnchangedAwsProvider() throws Exception {
        String terraform = terraform();
        boolean ready = terraform != null && mirrorHasAwsProvider();
        if ("1".equals(System.getenv("UNDERPASS_REQUIRE_TERRAFORM"))) {
            assertThat(ready).as("terraform and the AWS provider mirror are required").isTrue();
        }
        assumeTrue(ready, "terraform or its AWS provider mirror not installed");
        ProcessBuilder pb = new ProcessBuilder("bash",
                CliSmokeTest.repoRoot().resolve("scripts/terraform-smoke.sh").toString(),
                UNDERPASS.endpoint().toString()).redirectErrorStream(true);
        pb.environment().put("TERRAFORM", terraform);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(600, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("ok second plan's exit code (0: no changes) = 0").contains("all checks passed");
    }
}
