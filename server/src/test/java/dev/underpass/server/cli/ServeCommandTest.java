package dev.underpass.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.server.ServerConfig;
import dev.underpass.server.UnderpassServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * {@code underpass serve} refuses to listen beyond loopback without an admin token, before it opens or binds
 * anything; with a token (never bound here to anything but loopback) the control endpoints require it.
 */
class ServeCommandTest {
    private static final String TOKEN = "serve-command-test-admin-token-42";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path dir;

    private static ServeRuns.Run serve(String... args) throws Exception {
        return ServeRuns.serve(List.of(args));
    }

    /** The configuration {@code serve ARGS} would start with, without starting it. */
    private static ServerConfig config(String... args) {
        ServeCommand command = new ServeCommand();
        new CommandLine(command).parseArgs(args);
        return command.config();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void assertNothingListens(int port) {
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            }
        }).isInstanceOf(ConnectException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::", "[::]", "192.0.2.10", "10.0.0.1", "::ffff:10.0.0.1", "example.com",
        "127.0.0.1.example.com"})
    void nonLoopbackHost_withoutAdminToken_isAUsageError_andNothingIsOpenedOrBound(String host) throws Exception {
        int port = freePort();
        Path data = dir.resolve("never-created");

        ServeRuns.Run run = serve("--host", host, "--port", String.valueOf(port), "--data-dir", data.toString());

        assertThat(run.status()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains("refusing to listen on '" + host + "'", "not a loopback address",
                "--admin-token", "UNDERPASS_ADMIN_TOKEN");
        assertNothingListens(port);
        assertThat(data).doesNotExist();
    }

    @Test
    void azMapping_unknownMode_isAUsageError_andNothingIsBound() throws Exception {
        int port = freePort();
        ServeRuns.Run run = serve("--port", String.valueOf(port), "--data-dir", ":memory:", "--az-mapping", "shuffled");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("--az-mapping", "'shuffled'", "aligned or per-account");
        assertNothingListens(port);
    }

    @Test
    void azMapping_defaultsToAligned_andTakesPerAccount() {
        ServeCommand aligned = new ServeCommand();
        new CommandLine(aligned).parseArgs();
        assertThat(aligned.azMapping()).isEqualTo(dev.underpass.model.AzMapping.ALIGNED);
        ServeCommand perAccount = new ServeCommand();
        new CommandLine(perAccount).parseArgs("--az-mapping", "per-account");
        assertThat(perAccount.azMapping()).isEqualTo(dev.underpass.model.AzMapping.PER_ACCOUNT);
        // The server's store opens its world with the mode chosen; nothing else in the process changes.
        assertThat(aligned.config().ec2().azMapping()).isEqualTo(dev.underpass.model.AzMapping.ALIGNED);
        assertThat(perAccount.config().ec2().azMapping()).isEqualTo(dev.underpass.model.AzMapping.PER_ACCOUNT);
    }

    @Test
    void adminToken_tooShort_isAUsageError_thatDoesNotEchoIt() throws Exception {
        ServeRuns.Run run = serve("--host", "127.0.0.1", "--port", "0", "--data-dir", ":memory:", "--admin-token",
                "short-tok");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("at least 16").doesNotContain("short-tok");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "127.255.255.254", "localhost", "LOCALHOST", "::1", "[::1]",
        "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"})
    void loopbackHost_needsNoAdminToken(String host) {
        ServerConfig config = config("--host", host, "--data-dir", ":memory:");

        assertThat(config.host()).isEqualTo(host);
        assertThat(config.adminToken()).isNull();
    }

    @Test
    void nonLoopbackHost_withAnAdminToken_isAccepted() {
        // Only the configuration: this test never binds anything but loopback.
        ServerConfig config = config("--host", "0.0.0.0", "--data-dir", ":memory:", "--admin-token", TOKEN);

        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.adminToken()).isEqualTo(TOKEN);
        assertThat(config.toString()).doesNotContain(TOKEN).contains("adminToken=<set>");
    }

    @Test
    void serverWithAdminToken_on127002_requiresItOnControlEndpoints() throws Exception {
        ServerConfig config = config("--host", "127.0.0.2", "--port", "0", "--data-dir", ":memory:",
                "--admin-token", TOKEN);
        try (UnderpassServer server = UnderpassServer.start(config)) {
            URI events = URI.create(server.endpoint() + "/_underpass/events");
            assertThat(status(HttpRequest.newBuilder(events).GET().build())).isEqualTo(401);
            assertThat(status(HttpRequest.newBuilder(events).header("Authorization", "Bearer " + TOKEN).GET()
                    .build())).isEqualTo(200);
            assertThat(status(HttpRequest.newBuilder(URI.create(server.endpoint() + "/_underpass/health")).GET()
                    .build())).isEqualTo(200);
        }
    }

    private static int status(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    // ------------------------------------------------------------------------------------------------------------
    // The real main, in its own JVM, for the exit code and the environment variables.

    private static Process launch(List<String> args, java.util.Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("UNDERPASS_HOST");
        pb.environment().remove("UNDERPASS_ADMIN_TOKEN");
        pb.environment().put("UNDERPASS_ACCESS_LOG", "false");
        pb.environment().putAll(env);
        return pb.start();
    }

    @Test
    void main_withUnderpassHostOffLoopback_andNoToken_exitsNonZeroWithTheReason() throws Exception {
        int port = freePort();
        Process p = launch(List.of("--port", String.valueOf(port), "--data-dir", ":memory:"),
                java.util.Map.of("UNDERPASS_HOST", "0.0.0.0"));
        try {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("serve should refuse at once").isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(out).isEqualTo(2);
            assertThat(out).contains("refusing to listen on '0.0.0.0'");
            assertNothingListens(port);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void main_takesTheAdminTokenFromUnderpassAdminToken() throws Exception {
        int port = freePort();
        Path log = dir.resolve("serve.log");
        List<String> command = List.of("--host", "127.0.0.2", "--port", String.valueOf(port), "--data-dir",
                ":memory:");
        Process p = launch(command, java.util.Map.of("UNDERPASS_ADMIN_TOKEN", TOKEN));
        try {
            URI base = URI.create("http://127.0.0.2:" + port);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            Integer health = null;
            while (health == null && System.nanoTime() < deadline && p.isAlive()) {
                try {
                    health = status(HttpRequest.newBuilder(base.resolve("/_underpass/health")).GET().build());
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            if (!p.isAlive()) {
                Files.write(log, p.getInputStream().readAllBytes());
            }
            assertThat(health).as("server came up (see %s)", log).isEqualTo(200);
            URI reset = base.resolve("/_underpass/reset");
            assertThat(status(HttpRequest.newBuilder(reset).POST(HttpRequest.BodyPublishers.noBody()).build()))
                    .isEqualTo(401);
            assertThat(status(HttpRequest.newBuilder(reset).header("X-Underpass-Admin-Token", TOKEN)
                    .POST(HttpRequest.BodyPublishers.noBody()).build())).isEqualTo(200);
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void seedOption_seedsTheServersIdSources() {
        ServeCommand seeded = new ServeCommand();
        new CommandLine(seeded).parseArgs("--seed", "7", "--data-dir", ":memory:");
        assertThat(seeded.config().sources().seed()).isEqualTo(7L);
        ServerConfig.Sources sources = seeded.config().sources();
        assertThat(sources.storeIds(0).next("vpc")).isEqualTo(sources.storeIds(0).next("vpc"));
        // After a restart on a data dir with commits, the stream is another, so old ids are not handed out again.
        assertThat(sources.storeIds(5).next("vpc")).isNotEqualTo(sources.storeIds(0).next("vpc"))
                .isEqualTo(sources.storeIds(5).next("vpc"));

        ServeCommand unseeded = new ServeCommand();
        new CommandLine(unseeded).parseArgs("--data-dir", ":memory:");
        // Without --seed (and UNDERPASS_SEED unset in the test JVM) ids stay random.
        if (System.getenv("UNDERPASS_SEED") == null) {
            assertThat(unseeded.config().sources().seed()).isNull();
        }
    }
}
