package dev.underpass.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Which store the server tests run on. By default a test server keeps its state in memory (or in SQLite when the
 * test gives it a data dir). With {@code -Dunderpass.test.store=postgresql} (the {@code postgresql} surefire
 * execution of this module) every test server that names no store of its own runs on a fresh schema of the JVM's
 * one embedded PostgreSQL instead, so that the same API tests check the PostgreSQL backend.
 *
 * <p>A test that restarts a server on the same data dir to prove durability gets the same database again: each data
 * dir maps to one schema for the life of the JVM.
 */
public final class TestStore {
    /** The system property that picks the store; {@code postgresql} or absent. */
    public static final String PROPERTY = "underpass.test.store";

    private static final Map<Path, String> SCHEMA_BY_DATA_DIR = new ConcurrentHashMap<>();

    private TestStore() {}

    /** True when this JVM runs the server tests on PostgreSQL. */
    public static boolean postgresql() {
        String store = System.getProperty(PROPERTY, "");
        return switch (store) {
            case "", "memory", "sqlite" -> false;
            case "postgresql" -> true;
            default -> throw new IllegalArgumentException(PROPERTY + " must be postgresql, sqlite or memory, got "
                    + store);
        };
    }

    /** {@code config} on the store this JVM's tests run on; a config that names its own store keeps it. */
    public static ServerConfig apply(ServerConfig config) {
        if (!postgresql() || config.storeUrl() != null) {
            return config;
        }
        return config.withStoreUrl(config.dataDir() == null ? TestPostgres.newSchema() : storeUrl(config.dataDir()));
    }

    /**
     * The {@code postgresql://} URL that stands for {@code dataDir} when this JVM's tests run on PostgreSQL (the same
     * one for the same directory), for a test that starts {@code underpass serve} as a process; null otherwise.
     */
    public static String storeUrl(Path dataDir) {
        if (!postgresql()) {
            return null;
        }
        return SCHEMA_BY_DATA_DIR.computeIfAbsent(dataDir.toAbsolutePath().normalize(),
                dir -> TestPostgres.newSchema());
    }

    /** {@link UnderpassServer#start(ServerConfig)} on this JVM's test store. */
    public static UnderpassServer start(ServerConfig config) {
        return UnderpassServer.start(apply(config));
    }

    /**
     * A durability check: {@code before} runs on a test server on {@code dataDir}, and what it returns goes to
     * {@code after}, which runs on a second server started on the same data dir once the first has stopped.
     */
    static <T> void acrossARestart(Path dataDir, Function<UnderpassServer, T> before,
            BiConsumer<UnderpassServer, T> after) {
        ServerConfig config = ServerConfig.forTests().withDataDir(dataDir);
        T made;
        try (UnderpassServer server = start(config)) {
            made = before.apply(server);
        }
        try (UnderpassServer server = start(config)) {
            after.accept(server, made);
        }
    }

    /** {@link #acrossARestart(Path, Function, BiConsumer)} with an EC2 client of {@code account} in us-east-1. */
    static <T> void acrossARestart(Path dataDir, String account, Function<Ec2Client, T> before,
            BiConsumer<Ec2Client, T> after) {
        acrossARestart(dataDir, server -> {
            try (Ec2Client ec2 = TestClients.ec2(server.endpoint(), account, "us-east-1")) {
                return before.apply(ec2);
            }
        }, (server, made) -> {
            try (Ec2Client ec2 = TestClients.ec2(server.endpoint(), account, "us-east-1")) {
                after.accept(ec2, made);
            }
        });
    }

    /** {@link UnderpassServer#start(ServerConfig, Duration)} on this JVM's test store. */
    static UnderpassServer start(ServerConfig config, Duration idleTimeout) {
        return UnderpassServer.start(apply(config), idleTimeout);
    }
}
