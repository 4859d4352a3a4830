package dev.underpass.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** {@code serve --service-upstream/--resource-policy/--service-port}: bad values are usage errors (exit 2). */
class ServeServiceOptionsTest {
    @TempDir
    Path dir;

    private static ServeRuns.Run serve(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--port", "0", "--data-dir", ":memory:"));
        all.addAll(List.of(args));
        return ServeRuns.serve(all);
    }

    /** A service option that is wrong on its own: the arguments and what the usage error says. */
    static Stream<Arguments> badServiceOptions() {
        return Stream.of(
                Arguments.of("unknown service", List.of("--data-plane", "loopback", "--service-upstream",
                        "sqs=http://127.0.0.1:8000"), "--service-upstream takes s3=URL or dynamodb=URL"),
                Arguments.of("upstream that is no HTTP URL", List.of("--data-plane", "loopback",
                        "--service-upstream", "s3=ftp://127.0.0.1:21"),
                        "the upstream must be an http://HOST[:PORT] URL"),
                Arguments.of("upstream without the data plane", List.of("--data-plane", "off", "--service-upstream",
                        "s3=http://127.0.0.1:9000"), "--service-upstream needs the data plane"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badServiceOptions")
    void badServiceOption_isAUsageError(String what, List<String> args, String says) throws Exception {
        ServeRuns.Run run = serve(args.toArray(String[]::new));
        assertThat(run.status()).as(what).isEqualTo(2);
        assertThat(run.err()).as(what).contains(says);
    }

    @Test
    void resourcePolicy_thatDoesNotParse_orCannotBeRead_orHasNoUpstream_isAUsageError() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"Statement\": [{\"Effect\": \"allow\"}]}");
        ServeRuns.Run parse = serve("--data-plane", "loopback", "--service-upstream", "s3=http://127.0.0.1:9000",
                "--resource-policy", "s3:reports=" + bad);
        assertThat(parse.status()).isEqualTo(2);
        assertThat(parse.err()).contains("--resource-policy s3:reports=", "\"allow\" is not an effect");
        ServeRuns.Run missing = serve("--data-plane", "loopback", "--service-upstream", "s3=http://127.0.0.1:9000",
                "--resource-policy", "s3:reports=" + dir.resolve("missing.json"));
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read");
        ServeRuns.Run alone = serve("--resource-policy", "s3:reports=" + bad);
        assertThat(alone.status()).isEqualTo(2);
        assertThat(alone.err()).contains("--resource-policy needs a --service-upstream");
        ServeRuns.Run shape = serve("--data-plane", "loopback", "--service-upstream", "s3=http://127.0.0.1:9000",
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
