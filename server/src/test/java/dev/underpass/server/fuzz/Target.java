package dev.underpass.server.fuzz;

import dev.underpass.aws.ec2.Ec2Api;
import dev.underpass.model.AzMapping;
import dev.underpass.model.ec2.Quotas;
import dev.underpass.server.ServerConfig;
import dev.underpass.server.TestStore;
import dev.underpass.server.UnderpassServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The server a fuzz sequence talks to, on a data directory it can be restarted on. */
abstract class Target implements AutoCloseable {
    final Path dataDir;
    final boolean defaultVpcs;

    Target(Path dataDir, boolean defaultVpcs) {
        this.dataDir = dataDir;
        this.defaultVpcs = defaultVpcs;
    }

    abstract String endpoint();

    /** Stops the server as an operator would and starts a new one on the same data directory. */
    abstract void restart();

    /** Kills the server without warning (SIGKILL) and starts a new one on the same data directory. */
    abstract void killAndRestart();

    @Override
    public abstract void close();

    /**
     * A server in this JVM: restarts are a close and a start. On PostgreSQL ({@link TestStore}) the data directory
     * stands for one schema, so a restart loads the same state.
     */
    static final class InProcess extends Target {
        private UnderpassServer server;

        private final AzMapping azMapping;

        InProcess(Path dataDir, boolean defaultVpcs, AzMapping azMapping) {
            super(dataDir, defaultVpcs);
            this.azMapping = azMapping;
            server = start();
        }

        private UnderpassServer start() {
            return TestStore.start(ServerConfig.forTests().withDataDir(dataDir)
                    .withEc2(new Ec2Api.Settings(Duration.ZERO, defaultVpcs, Quotas.defaults(), azMapping)));
        }

        @Override
        String endpoint() {
            return server.endpoint();
        }

        @Override
        void restart() {
            server.close();
            server = start();
        }

        @Override
        void killAndRestart() {
            throw new UnsupportedOperationException("an in-process server cannot be killed; use Target.Child");
        }

        @Override
        public void close() {
            server.close();
        }
    }

    /** A real {@code underpass serve} process, so that it can be killed with SIGKILL. */
    static final class Child extends Target {
        private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
        private Process process;
        private String endpoint;

        Child(Path dataDir, boolean defaultVpcs) {
            super(dataDir, defaultVpcs);
            start();
        }

        private void start() {
            String java = ProcessHandle.current().info().command().orElse("java");
            // On PostgreSQL (TestStore) the data directory stands for one schema, which a restarted process opens again.
            String store = TestStore.storeUrl(dataDir);
            List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp",
                    System.getProperty("java.class.path"), "dev.underpass.server.cli.Main", "serve", "--port", "0"));
            command.addAll(store == null ? List.of("--data-dir", dataDir.toString()) : List.of("--store", store));
            if (!defaultVpcs) {
                command.add("--no-default-vpcs");
            }
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true).start();
                BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                String line;
                while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        endpoint = m.group(1);
                        Thread drain = new Thread(() -> {
                            try {
                                while (out.readLine() != null) {
                                    // Keep the pipe from filling up.
                                }
                            } catch (IOException ignored) {
                                // The child died.
                            }
                        });
                        drain.setDaemon(true);
                        drain.start();
                        return;
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("could not start the server process", e);
            }
            process.destroyForcibly();
            throw new IllegalStateException("the server process did not start");
        }

        @Override
        String endpoint() {
            return endpoint;
        }

        @Override
        void restart() {
            process.destroy(); // SIGTERM: the shutdown hook closes the store.
            waitFor();
            start();
        }

        @Override
        void killAndRestart() {
            process.destroyForcibly(); // SIGKILL on Linux: no shutdown hook runs.
            waitFor();
            start();
        }

        private void waitFor() {
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the server process did not stop");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            process.destroy();
            waitFor();
        }
    }
}
