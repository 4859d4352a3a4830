package dev.underpass.store;

import dev.underpass.model.Resource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Embedded SQLite in WAL mode with {@code synchronous=FULL}: a commit returns after the WAL is fsynced, so an
 * acknowledged change survives {@code kill -9} and power loss, and a batch is all-or-nothing. One table holds every
 * resource as JSON keyed by id; the in-memory {@link dev.underpass.model.World} is the index.
 */
public final class SqliteBackend implements Backend {
    private final Path file;
    private final Connection connection;
    private final PreparedStatement upsert;
    private final PreparedStatement delete;

    public SqliteBackend(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            this.file = dataDir.resolve("underpass.db");
            this.connection = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA busy_timeout=5000");
                s.execute("CREATE TABLE IF NOT EXISTS resource ("
                        + "id TEXT PRIMARY KEY, kind TEXT NOT NULL, owner TEXT NOT NULL, region TEXT NOT NULL, "
                        + "body TEXT NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                s.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema', '1')");
            }
            connection.setAutoCommit(false);
            connection.commit();
            upsert = connection.prepareStatement(
                    "INSERT INTO resource(id, kind, owner, region, body) VALUES (?, ?, ?, ?, ?) "
                            + "ON CONFLICT(id) DO UPDATE SET kind=excluded.kind, owner=excluded.owner, "
                            + "region=excluded.region, body=excluded.body");
            delete = connection.prepareStatement("DELETE FROM resource WHERE id = ?");
        } catch (Exception e) {
            throw new IllegalStateException("cannot open the SQLite store in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<Resource> load() {
        List<Resource> out = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT body FROM resource")) {
            while (rs.next()) {
                out.add(Json.read(rs.getString(1)));
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the store: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void commit(Collection<Resource> puts, Collection<Resource> removes) {
        try {
            for (Resource r : removes) {
                delete.setString(1, r.id());
                delete.addBatch();
            }
            if (!removes.isEmpty()) {
                delete.executeBatch();
            }
            for (Resource r : puts) {
                upsert.setString(1, r.id());
                upsert.setString(2, r.resourceType());
                upsert.setString(3, r.ownerId());
                upsert.setString(4, r.region());
                upsert.setString(5, Json.write(r));
                upsert.addBatch();
            }
            if (!puts.isEmpty()) {
                upsert.executeBatch();
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new IllegalStateException("commit failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "sqlite:" + file;
    }

    @Override
    public void close() {
        try {
            upsert.close();
            delete.close();
            connection.close();
        } catch (SQLException e) {
            throw new IllegalStateException("close failed: " + e.getMessage(), e);
        }
    }
}
