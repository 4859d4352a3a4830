package dev.underpass.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL for the test JVM (started on first use, stopped at exit), handing out a fresh database per
 * test so tests do not see each other's rows.
 */
final class EmbeddedPostgres {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;

    private EmbeddedPostgres() {}

    /** A {@code postgresql://} URL of a new, empty database. */
    static synchronized String newDatabase() {
        try {
            if (server == null) {
                server = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().start();
                io.zonky.test.db.postgres.embedded.EmbeddedPostgres started = server;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        started.close();
                    } catch (IOException e) {
                        // The JVM is exiting; the data dir is a temporary one.
                    }
                }));
            }
            String name = "store_test_" + DATABASES.incrementAndGet();
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
