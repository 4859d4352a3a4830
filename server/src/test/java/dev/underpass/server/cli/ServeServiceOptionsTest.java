package dev.underpass.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code serve --service-upstream/--resource-policy/--service-port}: bad values are usage errors (exit 2). */
class ServeServiceOptionsTest {
    @TempDir
    Path dir;

    private record Run(int status, String err) {}

    private static Run serve(String... args) throws Exception {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        List<String> all = new ArrayList<>(List.of("serve", "--port", "0", "--data-dir", ":memory:"));
        all.addAll(List.of(args));
        FutureTask<Integer> task = new FutureTask<>(() -> cli.execute(all.toArray(String[]::new)));
        Thread t = new Thread(task, "serve-under-test");
        t.setDaemon(true);
        t.start();
        return new Run(task.get(60, TimeUnit.SECONDS), err.toString());
    }

    @Test
    void unknownService_isAUsageError() throws Exception {
        Run run = serve("--data-plane", "loopback", "--service-upstream", "sqs=http://127.0.0.1:8000");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("--service-upstream takes s3=URL or dynamodb=URL");
    }

    @Test
    void upstreamThatIsNoHttpUrl_isAUsageError() throws Exception {
        Run run = serve("--data-plane", "loopback", "--service-upstream", "s3=ftp://127.0.0.1:21");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("the upstream must be an http://HOST[:PORT] URL");
    }

    @Test
    void upstreamWithoutTheDataPlane_isAUsageError() throws Exception {
        Run run = serve("--data-plane", "off", "--service-upstream", "s3=http://127.0.0.1:9000");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("--service-upstream needs the data plane");
    }

    @Test
    void resourcePolicy_thatDoesNotParse_orCannotBeRead_orHasNoUpstream_isAUsageError() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"Statement\": [{\"Effect\": \"allow\"}]}");
        Run parse = serve("--data-plane", "loopback", "--service-upstream", "s3=http://127.0.0.1:9000",
                "--resource-policy", "s3:reports=" + bad);
        assertThat(parse.status()).isEqualTo(2);
        assertThat(parse.err()).contains("--resource-policy s3:reports=", "\"allow\" is not an effect");
        Run missing = serve("--data-plane", "loopback", "--service-upstream", "s3=http://127.0.0.1:9000",
                "--resource-policy", "s3:reports=" + dir.resolve("missing.json"));
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read");
        Run alone = serve("--resource-policy", "s3:reports=" + bad);
        assertThat(alone.status()).isEqualTo(2);
        assertThat(alone.err()).contains("--resource-policy needs a --service-upstream");
        Run shape = serve("--data-plane", "loopback", "--service-upstream", "s3=http://127.0.0.1:9000",
                "--resource-policy", "reports=" + bad);
        assertThat(shape.status()).isEqualTo(2);
        assertThat(shape.err()).contains("--resource-policy takes s3:BUCKET=FILE");
    }

    @Test
    void upstreamsAndResourcePolicies_becomeTheServiceEndpointsSettings() throws Exception {
        String policy = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Deny\", \"Principal\": \"*\","
                + " \"Action\": \"s3:*\", \"Resource\": \"arn:aws:s3:::reports/*\"}]}";
        Path file = Files.writeString(dir.resolve("reports.json"), policy);
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--service-upstream", "s3=http://127.0.0.1:9000", "--service-upstream",
                "dynamodb=http://127.0.0.1:8000", "--resource-policy", "s3:reports=" + file, "--service-port", "8443");
        var settings = serve.serviceSettings(true);
        assertThat(settings.upstreams()).containsOnly(
                java.util.Map.entry("s3", java.net.URI.create("http://127.0.0.1:9000")),
                java.util.Map.entry("dynamodb", java.net.URI.create("http://127.0.0.1:8000")));
        assertThat(settings.bucketPolicies()).containsOnly(java.util.Map.entry("reports", policy));
        assertThat(settings.port()).isEqualTo(8443);
        // The policy reaches the proxy's layers: a request on that bucket meets it.
        var policies = new dev.underpass.dataplane.service.RequestPolicies(settings.bucketPolicies());
        assertThat(policies.bucketPolicy("reports")).contains(policy);
        assertThat(policies.bucketPolicy("other")).isEmpty();
    }
}
