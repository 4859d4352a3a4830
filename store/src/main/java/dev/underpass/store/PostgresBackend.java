package dev.underpass.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.underpass.model.Resource;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.flywaydb.core.Flyway;

/**
 * PostgreSQL shared by any number of server nodes. Resources are rows of JSON ({@code json}, the text as written)
 * keyed by id, like SQLite's; the schema is created and migrated at start by Flyway from
 * {@code dev/underpass/store/postgresql}.
 *
 * <p>A commit is one transaction that first advances the single {@code world_version} row from the expected version
 * ({@code UPDATE ... WHERE version = ?}): the row lock orders concurrent committers, and the loser's update finds
 * another version, matches no row, and rolls back as a {@link VersionConflictException}. Connections run with
 * {@code synchronous_commit = on}, so a commit returns only once PostgreSQL has flushed it to its WAL.
 *
 * <p>Each commit also writes its changes to the {@code change} table under its version, so that a node that is a few
 * versions behind reads just those ({@link #changesSince}); rows older than {@link #KEEP_CHANGES} versions are pruned
 * now and then, and a node further behind than that reloads everything.
 */
public final class PostgresBackend implements Backend {
    /** How many versions of change rows are kept for nodes that are behind. */
    static final long KEEP_CHANGES = 10_000;
    private static final long PRUNE_EVERY = 1_000;

    private final HikariDataSource pool;
    private final String description;

    /**
     * Opens {@code url}: {@code postgresql://user:pass@host:port/db} (also {@code postgres://} or a
     * {@code jdbc:postgresql:} URL), and migrates the schema.
     */
    public PostgresBackend(String url) {
        Target target = Target.parse(url);
        this.description = target.describe();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(target.jdbcUrl());
        if (target.user() != null) {
            config.setUsername(target.user());
        }
        if (target.password() != null) {
            config.setPassword(target.password());
        }
        config.setPoolName("underpass-postgresql");
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        config.setAutoCommit(false);
        // Fail a call in seconds rather than hang when the database is down; the store answers ServiceUnavailable.
        config.setConnectionTimeout(3_000);
        config.setInitializationFailTimeout(10_000);
        // A startup parameter rather than init SQL: with auto-commit off, init SQL would leave a transaction open.
        config.addDataSourceProperty("options", "-c synchronous_commit=on");
        try {
            this.pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot connect to " + description + ": " + e.getMessage(), e);
        }
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:dev/underpass/store/postgresql")
                    .table("underpass_schema_history")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new IllegalStateException("cannot migrate the schema of " + description + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public List<Resource> load() {
        try (Connection c = pool.getConnection()) {
            List<Resource> out = readAll(c);
            c.commit();
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + description + ": " + e.getMessage(), e);
        }
    }

    private static List<Resource> readAll(Connection c) throws SQLException {
        List<Resource> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT body FROM resource");
                ResultSet rs = s.executeQuery()) {
            RecordDecoder.Strings strings = new RecordDecoder.Strings();
            while (rs.next()) {
                out.add(Json.read(rs.getString(1), strings));
            }
        }
        return out;
    }

    @Override
    public long version() {
        try (Connection c = pool.getConnection()) {
            long v = readVersion(c)[0];
            c.commit();
            return v;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the version of " + description + ": " + e.getMessage(), e);
        }
    }

    /** The version and the newest pruned version. */
    private static long[] readVersion(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT version, pruned_through FROM world_version");
                ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("the world_version row is missing");
            }
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    @Override
    public Changes changesSince(long since) {
        try (Connection c = pool.getConnection()) {
            // One snapshot for the version and the rows, whatever other nodes commit meanwhile.
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            long[] v = readVersion(c);
            Changes out;
            if (since < 0 || since < v[1] || since > v[0]) {
                out = Changes.everything(v[0], readAll(c));
            } else {
                out = readChanges(c, since, v[0]);
            }
            c.commit();
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the changes of " + description + ": " + e.getMessage(), e);
        }
    }

    private static Changes readChanges(Connection c, long since, long version) throws SQLException {
        // The last change of each id wins; the order of the map is irrelevant to the world.
        Map<String, Resource> puts = new LinkedHashMap<>();
        Map<String, Resource> removes = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT id, removed, body FROM change WHERE version > ? AND version <= ? ORDER BY version")) {
            s.setLong(1, since);
            s.setLong(2, version);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    Resource r = Json.read(rs.getString(3));
                    if (rs.getBoolean(2)) {
                        puts.remove(id);
                        removes.put(id, r);
                    } else {
                        removes.remove(id);
                        puts.put(id, r);
                    }
                }
            }
        }
        return new Changes(version, false, new ArrayList<>(puts.values()), new ArrayList<>(removes.values()));
    }

    @Override
    public void commit(long expectedVersion, Collection<Resource> puts, Collection<Resource> removes) {
        long next = expectedVersion + 1;
        try (Connection c = pool.getConnection()) {
            try {
                try (PreparedStatement bump =
                        c.prepareStatement("UPDATE world_version SET version = ? WHERE version = ?")) {
                    bump.setLong(1, next);
                    bump.setLong(2, expectedVersion);
                    if (bump.executeUpdate() != 1) {
                        long actual = readVersion(c)[0];
                        c.rollback();
                        throw new VersionConflictException(expectedVersion, actual);
                    }
                }
                writeRows(c, next, puts, removes);
                c.commit();
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("commit to " + description + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Locks the {@code world_version} row first ({@code SELECT ... FOR UPDATE}): every other commit waits at its
     * version update until this transaction ends, so the changes read next are all there is, and the batch that
     * {@code prepare} makes on them commits without a conflict.
     */
    @Override
    public long commitExclusive(long since, Function<Changes, Batch> prepare) {
        try (Connection c = pool.getConnection()) {
            try {
                long[] v;
                try (PreparedStatement lock = c.prepareStatement(
                        "SELECT version, pruned_through FROM world_version FOR UPDATE");
                        ResultSet rs = lock.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("the world_version row is missing");
                    }
                    v = new long[] {rs.getLong(1), rs.getLong(2)};
                }
                Changes changes = since < 0 || since < v[1] || since > v[0]
                        ? Changes.everything(v[0], readAll(c))
                        : readChanges(c, since, v[0]);
                Batch batch = prepare.apply(changes);
                if (batch == null || batch.isEmpty()) {
                    c.rollback();
                    return v[0];
                }
                long next = v[0] + 1;
                try (PreparedStatement bump = c.prepareStatement("UPDATE world_version SET version = ?")) {
                    bump.setLong(1, next);
                    bump.executeUpdate();
                }
                writeRows(c, next, batch.puts(), batch.removes());
                c.commit();
                return next;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("commit to " + description + " failed: " + e.getMessage(), e);
        }
    }

    /** The rows of one commit, and its change log, inside the caller's transaction. */
    private static void writeRows(Connection c, long version, Collection<Resource> puts,
            Collection<Resource> removes) throws SQLException {
        if (!removes.isEmpty()) {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM resource WHERE id = ANY (?)")) {
                delete.setArray(1, c.createArrayOf("text", removes.stream().map(Resource::id).toArray()));
                delete.executeUpdate();
            }
        }
        if (!puts.isEmpty()) {
            try (PreparedStatement upsert = c.prepareStatement(
                    "INSERT INTO resource (id, kind, owner, region, body) VALUES (?, ?, ?, ?, CAST(? AS json)) "
                            + "ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, owner = excluded.owner, "
                            + "region = excluded.region, body = excluded.body")) {
                for (Resource r : puts) {
                    ResourceRows.addUpsert(upsert, r);
                }
                upsert.executeBatch();
            }
        }
        logChanges(c, version, puts, removes);
        if (version % PRUNE_EVERY == 0 && version > KEEP_CHANGES) {
            prune(c, version - KEEP_CHANGES);
        }
    }

    private static void logChanges(Connection c, long version, Collection<Resource> puts,
            Collection<Resource> removes) throws SQLException {
        if (puts.isEmpty() && removes.isEmpty()) {
            return;
        }
        try (PreparedStatement log = c.prepareStatement(
                "INSERT INTO change (version, id, removed, body) VALUES (?, ?, ?, CAST(? AS json)) "
                        + "ON CONFLICT (version, id) DO UPDATE SET removed = excluded.removed, body = excluded.body")) {
            for (Resource r : removes) {
                addChange(log, version, r, true);
            }
            for (Resource r : puts) {
                addChange(log, version, r, false);
            }
            log.executeBatch();
        }
    }

    private static void addChange(PreparedStatement log, long version, Resource r, boolean removed)
            throws SQLException {
        log.setLong(1, version);
        log.setString(2, r.id());
        log.setBoolean(3, removed);
        log.setString(4, Json.write(r));
        log.addBatch();
    }

    private static void prune(Connection c, long through) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM change WHERE version <= ?");
                PreparedStatement mark = c.prepareStatement("UPDATE world_version SET pruned_through = ?")) {
            delete.setLong(1, through);
            delete.executeUpdate();
            mark.setLong(1, through);
            mark.executeUpdate();
        }
    }

    private static void rollbackQuietly(Connection c, Throwable failure) {
        try {
            c.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** A server setting as this backend's connections see it ({@code SHOW name}); for tests. */
    String setting(String name) {
        try (Connection c = pool.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT current_setting(?)")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                String value = rs.getString(1);
                c.commit();
                return value;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        pool.close();
    }

    /** Where to connect, from the URL a user gives; the password never appears in {@link #describe()}. */
    record Target(String jdbcUrl, String user, String password, String describe) {
        static Target parse(String url) {
            String rest = url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url;
            URI uri;
            try {
                uri = new URI(rest);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("not a PostgreSQL URL: " + e.getMessage(), e);
            }
            String scheme = uri.getScheme();
            if (!"postgresql".equals(scheme) && !"postgres".equals(scheme)) {
                throw new IllegalArgumentException(
                        "not a PostgreSQL URL (expected postgresql://user:pass@host:port/db): " + scheme + ":...");
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("the PostgreSQL URL names no host");
            }
            String user = null;
            String password = null;
            if (uri.getRawUserInfo() != null) {
                String[] parts = uri.getRawUserInfo().split(":", 2);
                user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
                password = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : null;
            }
            String hostPort = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
            String db = uri.getRawPath() == null ? "" : uri.getRawPath();
            String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
            return new Target("jdbc:postgresql://" + hostPort + db + query, user, password,
                    "postgresql://" + (user == null ? "" : user + "@") + hostPort + db);
        }
    }
}
