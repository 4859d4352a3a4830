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
 * Central), with a fresh database per call so that tests do not see each other's rows.
 */
final class TestPostgres {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestPostgres() {}

    /** A {@code postgresql://} URL of a new, empty database. */
    static synchronized String newDatabase() {
        try {
            if (server == null) {
                EmbeddedPostgres started = EmbeddedPostgres.builder().start();
                server = started;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        started.close();
                    } catch (IOException e) {
                        // The JVM is exiting and the data dir is a temporary one.
                    }
                }));
            }
            String name = "server_test_" + DATABASES.incrementAndGet();
            try (Connection c = server.getPostgresDatabase().getConnection();
                    Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            }
            return "postgresql://postgres:postgres@127.0.0.1:" + server.getPort() + "/" + name;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
