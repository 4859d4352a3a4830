package dev.underpass.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL per test JVM (started on first use, stopped at exit; its binaries come from Maven
 * Central), with a fresh database or schema per call so that tests do not see each other's rows.
 *
 * <p>{@link #newDatabase()} is the isolation a deployment has; {@link #newSchema()} is what the whole API suite on
 * PostgreSQL ({@link TestStore}) uses for its hundred-odd servers: a schema costs a few files, where each database
 * is a copy of the template's thousand, which the JVM would then spend its exit deleting.
 */
final class TestPostgres {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static final String SCHEMA_DATABASE = "server_test_schemas";
    private static EmbeddedPostgres server;
    private static boolean schemaDatabaseCreated;

    private TestPostgres() {}

    /** A {@code postgresql://} URL of a new, empty database. */
    static synchronized String newDatabase() {
        String name = "server_test_" + DATABASES.incrementAndGet();
        execute("CREATE DATABASE " + name);
        return url(name);
    }

    /**
     * A {@code postgresql://} URL of a new, empty schema in a database shared with other such schemas: the
     * connections' {@code search_path} is that schema only, so the store's tables are created there.
     */
    static synchronized String newSchema() {
        if (!schemaDatabaseCreated) {
            execute("CREATE DATABASE " + SCHEMA_DATABASE);
            schemaDatabaseCreated = true;
        }
        String schema = "server_test_" + SCHEMAS.incrementAndGet();
        try (Connection c = started().getDatabase("postgres", SCHEMA_DATABASE).getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return url(SCHEMA_DATABASE) + "?currentSchema=" + schema;
    }

    private static String url(String database) {
        return "postgresql://postgres:postgres@127.0.0.1:" + started().getPort() + "/" + database;
    }

    private static void execute(String sql) {
        try (Connection c = started().getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static EmbeddedPostgres started() {
        if (server == null) {
            try {
                // No fsync: the tests check what the store does, not that PostgreSQL survives a power cut; a node that
                // is killed (TwoNodeKillTest) leaves PostgreSQL running, so its acknowledged commits stay readable.
                EmbeddedPostgres started = EmbeddedPostgres.builder()
                        .setServerConfig("fsync", "off")
                        .setServerConfig("full_page_writes", "off")
                        .start();
                server = started;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        started.close();
                    } catch (IOException e) {
                        // The JVM is exiting and the data dir is a temporary one.
                    }
                }));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return server;
    }
}
