package dev.underpass.store;

import dev.underpass.model.Resource;
import java.io.IOException;
import java.nio.ByteBuffer;
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
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embedded SQLite behind a {@link Journal}: a commit first writes its batch as one record to the journal and waits for
 * that record's {@code fdatasync}, then applies it to SQLite (WAL mode, {@code synchronous=NORMAL}: atomic, but not
 * synced on each commit). An acknowledged change so survives {@code kill -9} and power loss in the journal even if
 * SQLite lost its last transactions; on opening, the journal's records newer than SQLite's version are applied again.
 * Before the journal wraps around, and after a batch too big for it (which goes to SQLite alone), a full checkpoint
 * makes SQLite durable up to the last record. A batch is all-or-nothing in both. One table holds every
 * resource as JSON keyed by id; the in-memory {@link dev.underpass.model.World} is the index. The {@code meta} table
 * keeps the schema number and the world's version, which each commit advances in the same transaction as its rows
 * (a data dir from before versions starts at 0).
 *
 * <p>The data directory is claimed with an OS lock ({@link DataDirLock}) for as long as the backend is open, so a
 * second server on the same directory refuses to start instead of serving a diverging copy.
 *
 * <p>A failed commit must leave nothing behind, also for the batches after it. SQLite rolls a transaction back by
 * itself on some errors ({@code SQLITE_FULL}, {@code SQLITE_IOERR}); the driver's {@code rollback()} then fails ("no
 * transaction is active") before it issues the {@code begin} of the next transaction, and every later statement
 * would commit on its own, row by row. So when a rollback does not succeed cleanly the connection is closed (SQLite
 * discards whatever it still holds) and the next commit opens a fresh one; until that works, commits fail.
 */
public final class SqliteBackend implements Backend {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteBackend.class);

    private final Path file;
    private final DataDirLock lock;
    private final Journal journal;
    /** The version SQLite holds (its {@code meta} row), kept so a stale commit is refused before it is journaled. */
    private long stored;
    /**
     * Whether SQLite may hold commits that are neither in the journal nor synced (after a batch too big for the
     * journal whose checkpoint failed, or a reopened connection): the next commit settles SQLite before it journals,
     * so that the journal's chain never skips a version SQLite could still lose.
     */
    private boolean unjournaled;
    /** Whether the connection was left at {@code synchronous=FULL} by a failed {@link #commitSynced}. */
    private boolean syncFull;
    /** Null after a failure that left the connection's state in doubt, until a commit reopens it. */
    private Connection connection;
    private PreparedStatement upsert;
    private PreparedStatement delete;
    private PreparedStatement bumpVersion;

    public SqliteBackend(Path dataDir) {
        this.file = dataDir.resolve("underpass.db");
        try {
            Files.createDirectories(dataDir);
            this.lock = DataDirLock.acquire(dataDir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the data dir " + dataDir + ": " + e.getMessage(), e);
        }
        Journal j = null;
        try {
            open();
            j = Journal.open(dataDir.resolve("underpass.journal"));
            replay(j);
        } catch (SQLException | IOException | RuntimeException e) {
            if (j != null) {
                try {
                    j.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (connection != null) {
                closeQuietly(connection);
            }
            lock.close();
            throw new IllegalStateException("cannot open the SQLite store in " + dataDir + ": " + e.getMessage(), e);
        }
        this.journal = j;
    }

    /**
     * Applies the journal's records that SQLite does not have yet (it may have lost its last unsynced transactions
     * in a crash), makes SQLite durable and starts the journal afresh. A gap between SQLite's version and the
     * journal's first newer record means lost data: the store refuses to open rather than serve it.
     */
    private void replay(Journal j) throws IOException, SQLException {
        List<Journal.Entry> entries = j.read();
        int applied = 0;
        for (Journal.Entry e : entries) {
            if (e.version() <= stored) {
                continue;
            }
            if (e.version() != stored + 1) {
                throw new IllegalStateException("the journal " + j.file() + " continues at version " + e.version()
                        + " but the database is at " + stored);
            }
            List<Row> rows = new ArrayList<>(e.putJson().size());
            for (String json : e.putJson()) {
                rows.add(Row.of(Json.read(json), json));
            }
            apply(stored, rows, e.removeIds());
            stored++;
            applied++;
        }
        if (applied > 0) {
            LOG.info("applied {} journaled commits to {} (now at version {})", applied, file, stored);
        }
        settle();
        j.rewind();
    }

    /** A row to store: the resource's columns and its JSON. */
    private record Row(String id, String kind, String owner, String region, String json) {
        static Row of(Resource r, String json) {
            return new Row(r.id(), r.resourceType(), r.ownerId(), r.region(), json);
        }
    }

    private void open() throws SQLException {
        SqliteNative.useCachedLibrary();
        syncFull = false;
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL"); // The journal is what makes a commit durable.
                s.execute("PRAGMA busy_timeout=5000");
                s.execute("CREATE TABLE IF NOT EXISTS resource ("
                        + "id TEXT PRIMARY KEY, kind TEXT NOT NULL, owner TEXT NOT NULL, region TEXT NOT NULL, "
                        + "body TEXT NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                s.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema', '1')");
                s.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('version', '0')");
            }
            c.setAutoCommit(false);
            c.commit();
            upsert = c.prepareStatement(
                    "INSERT INTO resource(id, kind, owner, region, body) VALUES (?, ?, ?, ?, ?) "
                            + "ON CONFLICT(id) DO UPDATE SET kind=excluded.kind, owner=excluded.owner, "
                            + "region=excluded.region, body=excluded.body");
            delete = c.prepareStatement("DELETE FROM resource WHERE id = ?");
            bumpVersion = c.prepareStatement("UPDATE meta SET value = ? WHERE key = 'version' AND value = ?");
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE key = 'version'")) {
                stored = rs.next() ? Long.parseLong(rs.getString(1)) : 0;
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
        connection = c;
    }

    /**
     * Batches with more JSON than this skip the journal and commit to SQLite synced: for them the journal would
     * double what reaches the disk, and one sync of SQLite's WAL costs about the same as the journal's.
     */
    static final int DIRECT_BYTES = 32 * 1024;

    /** Rows per decoding task at start-up. */
    private static final int LOAD_CHUNK = 2_000;

    /**
     * Reads every row on this thread and decodes them, chunk by chunk, on all cores while it reads on: decoding JSON
     * is most of a start-up's work. The result is in id order.
     */
    @Override
    public synchronized List<Resource> load() {
        int cores = Runtime.getRuntime().availableProcessors();
        List<Future<List<Resource>>> chunks = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, cores),
                Thread.ofPlatform().name("underpass-load-", 0).daemon(true).factory());
        try (Statement s = connection().createStatement();
                // In id order (the primary key's index): the world sorts each type by id, and sorted input costs
                // it one comparison a record; SQLite's walk runs here while the pool decodes.
                ResultSet rs = s.executeQuery("SELECT body FROM resource ORDER BY id")) {
            List<byte[]> rows = new ArrayList<>(LOAD_CHUNK);
            while (rs.next()) {
                rows.add(rs.getBytes(1));
                if (rows.size() == LOAD_CHUNK) {
                    chunks.add(pool.submit(decode(rows)));
                    rows = new ArrayList<>(LOAD_CHUNK);
                }
            }
            if (!rows.isEmpty()) {
                chunks.add(pool.submit(decode(rows)));
            }
            connection.commit();
            List<Resource> out = new ArrayList<>(chunks.size() * LOAD_CHUNK);
            for (Future<List<Resource>> chunk : chunks) {
                out.addAll(chunk.get());
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the store: " + e.getMessage(), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("cannot read the store: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the store", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Callable<List<Resource>> decode(List<byte[]> rows) {
        return () -> {
            List<Resource> out = new ArrayList<>(rows.size());
            for (byte[] row : rows) {
                out.add(Json.read(row));
            }
            return out;
        };
    }

    @Override
    public synchronized long version() {
        try (Statement s = connection().createStatement();
                ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE key = 'version'")) {
            long v = rs.next() ? Long.parseLong(rs.getString(1)) : 0;
            connection.commit();
            return v;
        } catch (SQLException | NumberFormatException e) {
            throw new IllegalStateException("cannot read the store's version: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void commit(long expectedVersion, Collection<Resource> puts, Collection<Resource> removes) {
        try {
            connection();
            if (unjournaled) {
                settle();
                journal.rewind();
                unjournaled = false;
            }
            if (expectedVersion != stored) {
                throw new VersionConflictException(expectedVersion, stored);
            }
            List<Row> rows = new ArrayList<>(puts.size());
            List<String> json = new ArrayList<>(puts.size());
            for (Resource r : puts) {
                String body = Json.write(r);
                rows.add(Row.of(r, body));
                json.add(body);
            }
            List<String> removeIds = new ArrayList<>(removes.size());
            for (Resource r : removes) {
                removeIds.add(r.id());
            }
            long chars = 0; // A lower bound of the record's size: UTF-8 takes at least a byte a char.
            for (String body : json) {
                chars += body.length();
            }
            ByteBuffer record = chars > DIRECT_BYTES ? null : Journal.encode(expectedVersion + 1, json, removeIds);
            if (record == null || !journal.fitsEmpty(record) && !(journal.fits(record) || journal.grow(record))) {
                // A large batch is written once, to SQLite alone, by a commit that syncs its WAL (and with it every
                // commit before): through the journal its bytes would reach the disk twice.
                unjournaled = true;
                commitSynced(expectedVersion, rows, removeIds);
                stored = expectedVersion + 1;
                journal.rewind();
                unjournaled = false;
                return;
            }
            if (!journal.fits(record) && !journal.grow(record)) {
                settle(); // Everything journaled so far is durable in SQLite: the journal may start over.
                journal.rewind();
            }
            journal.write(record);
            apply(expectedVersion, rows, removeIds);
            stored = expectedVersion + 1;
            journal.advance(record);
        } catch (VersionConflictException e) {
            abandon(e);
            throw e;
        } catch (SQLException | IOException | RuntimeException | Error e) {
            // Even an Error (out of memory half-way through the batch) must not leave rows for the next commit.
            // A record already journaled stays where the next commit's record will overwrite it.
            abandon(e);
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** One SQLite transaction: the version from {@code expectedVersion} to the next, the removes, the rows. */
    private void apply(long expectedVersion, List<Row> rows, List<String> removeIds) throws SQLException {
        bumpVersion.setString(1, Long.toString(expectedVersion + 1));
        bumpVersion.setString(2, Long.toString(expectedVersion));
        if (bumpVersion.executeUpdate() != 1) {
            long actual;
            try (Statement s = connection.createStatement();
                    ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE key = 'version'")) {
                actual = rs.next() ? Long.parseLong(rs.getString(1)) : -1;
            }
            throw new VersionConflictException(expectedVersion, actual);
        }
        for (String id : removeIds) {
            delete.setString(1, id);
            delete.addBatch();
        }
        if (!removeIds.isEmpty()) {
            delete.executeBatch();
        }
        for (Row r : rows) {
            upsert.setString(1, r.id());
            upsert.setString(2, r.kind());
            upsert.setString(3, r.owner());
            upsert.setString(4, r.region());
            upsert.setString(5, r.json());
            upsert.addBatch();
        }
        if (!rows.isEmpty()) {
            upsert.executeBatch();
        }
        connection.commit();
    }

    /** {@link #apply} with {@code synchronous=FULL}: the commit returns once SQLite's WAL is synced. */
    private void commitSynced(long expectedVersion, List<Row> rows, List<String> removeIds) throws SQLException {
        syncFull = true;
        synchronous("FULL");
        // On a failure the transaction is still open: abandon() rolls it back first, then restores NORMAL (switching
        // the pragma here would need autocommit, which would commit the half-done batch).
        apply(expectedVersion, rows, removeIds);
        synchronous("NORMAL");
        syncFull = false;
    }

    private void synchronous(String level) throws SQLException {
        connection.setAutoCommit(true);
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA synchronous=" + level);
        } finally {
            connection.setAutoCommit(false);
        }
    }

    /**
     * Makes every committed SQLite transaction durable: a full checkpoint syncs the WAL, copies it into the database
     * file and syncs that. With this backend's single connection nothing can keep it from completing.
     */
    private void settle() throws SQLException {
        connection.setAutoCommit(true);
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(FULL)")) {
            if (!rs.next() || rs.getInt(1) != 0) {
                throw new SQLException("the checkpoint of " + file + " did not complete");
            }
        } finally {
            connection.setAutoCommit(false);
        }
    }

    /** The open connection, reopened first if a failure closed it. */
    private Connection connection() throws SQLException {
        if (connection == null) {
            open();
            unjournaled = true; // Whatever the failure left is read back, but not known to be durable.
            LOG.info("reopened {}", file);
        }
        return connection;
    }

    /**
     * Discards the failed transaction. A clean {@code rollback()} also begins the next transaction; if it fails,
     * whether a transaction is still open is unknown, so the connection goes and the next commit opens another.
     */
    private void abandon(Throwable failure) {
        if (connection == null) {
            return;
        }
        try {
            upsert.clearBatch();
            delete.clearBatch();
            connection.rollback();
            if (syncFull) {
                synchronous("NORMAL");
                syncFull = false;
            }
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
            LOG.warn("rollback failed ({}); reopening {} for the next commit", e.getMessage(), file);
            closeQuietly(connection);
            connection = null;
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.warn("closing the SQLite connection failed: {}", e.getMessage());
        }
    }

    @Override
    public String describe() {
        return "sqlite:" + file;
    }

    @Override
    public synchronized void close() {
        try {
            journal.close();
        } catch (IOException e) {
            LOG.warn("closing the journal failed: {}", e.getMessage());
        }
        try {
            if (connection != null) {
                connection.close();
                connection = null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("close failed: " + e.getMessage(), e);
        } finally {
            lock.close();
        }
    }
}
