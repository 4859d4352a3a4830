package dev.underpass.store;

import dev.underpass.model.Resource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
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
 * Embedded SQLite in WAL mode with {@code synchronous=FULL}: a commit returns after the WAL is fsynced, so an
 * acknowledged change survives {@code kill -9} and power loss, and a batch is all-or-nothing. One table holds every
 * resource as JSON keyed by id; the in-memory {@link dev.underpass.model.World} is the index. The {@code meta} table
 * keeps the schema number and the world's version, which each commit advances in the same transaction as its rows
 * (a data dir from before versions starts at 0).
 *
 * <p>The data directory is claimed with an OS lock ({@link DataDirLock}) for as long as the backend is open, so a
 * second server on the same directory refuses to start instead of serving a diverging copy; from its first commit on,
 * the connection also holds SQLite's own lock on the database for itself ({@link #claim}).
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
    /** Null after a failure that left the connection's state in doubt, until a commit reopens it. */
    private Connection connection;
    private PreparedStatement upsert;
    private PreparedStatement delete;
    private PreparedStatement bumpVersion;
    /** Whether {@link #connection} holds the database for itself ({@link #claim}); false for a new connection. */
    private boolean claimed;
    /** {@link #exclusiveLocking()} when the backend was made. */
    private final boolean exclusive = exclusiveLocking();

    /**
     * Whether connections claim the database at their first commit ({@link #claim}; read when a backend is made);
     * {@code -Dunderpass.sqliteExclusive=false} leaves SQLite's normal locking, e.g. to read a running server's data
     * dir with the {@code sqlite3} shell.
     */
    static boolean exclusiveLocking() {
        return !"false".equalsIgnoreCase(System.getProperty("underpass.sqliteExclusive", "true"));
    }

    public SqliteBackend(Path dataDir) {
        this.file = dataDir.resolve("underpass.db");
        try {
            Files.createDirectories(dataDir);
            this.lock = DataDirLock.acquire(dataDir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the data dir " + dataDir + ": " + e.getMessage(), e);
        }
        try {
            open();
        } catch (SQLException | RuntimeException e) {
            lock.close();
            throw new IllegalStateException("cannot open the SQLite store in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private void open() throws SQLException {
        SqliteNative.useCachedLibrary();
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
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
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
        connection = c;
        claimed = false;
    }

    /**
     * Makes this connection the database's only user before its first commit: {@code locking_mode=EXCLUSIVE} keeps
     * the file lock and the WAL's read and write locks from one transaction to the next, instead of taking and
     * dropping them (six {@code fcntl} calls on the {@code -shm} file) in every commit: a third of SQLite's CPU per
     * one-row commit (16 to 11 µs on tmpfs), ~5% of a commit with its sync (docs/performance.md, target 1). The
     * process owns the data dir anyway ({@link DataDirLock}). It is set here rather than when the connection opens so
     * that start-up may still read with other connections; SQLite takes the exclusive lock with the next write, and
     * keeps the WAL and its sync exactly as before.
     */
    private void claim() throws SQLException {
        if (exclusive && !claimed) {
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA locking_mode=EXCLUSIVE");
            }
            claimed = true;
        }
    }

    /** Rows per decoding task at start-up. */
    private static final int LOAD_CHUNK = 2_000;

    /**
     * Reads every row on this thread and decodes them, chunk by chunk, on all cores while it reads on: decoding JSON
     * is most of a start-up's work. The result is in id order, which is how the world keeps each type, so that
     * {@link dev.underpass.model.World#of} sees each type's ids ascending and skips its sort.
     *
     * <p>Rows come in the table's own order: walking the primary key's index instead ({@code ORDER BY id}) fetched
     * every row from the table separately, 0.6 s of CPU for 250,000 rows against 0.14 s. Each chunk is sorted by id
     * where it is decoded (a {@link SortedRun}), and this thread merges the sorted chunks as they come back (pairs of equal size, as a
     * merge sort would) while the others decode, so that only the last few merges are left when decoding ends.
     *
     * <p>At most two chunks per decoding thread are read ahead: SQLite gives up its rows much faster than they
     * decode, and rows read all at once would stay live through the load's young collections, copied by each (about
     * 140 MB for 250,000 resources) for nothing.
     */
    @Override
    public synchronized List<Resource> load() {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        int window = 2 * threads;
        ArrayDeque<Future<SortedRun>> pending = new ArrayDeque<>(window + 1);
        ExecutorService pool = Executors.newFixedThreadPool(threads,
                Thread.ofPlatform().name("underpass-load-", 0).daemon(true).factory());
        List<SortedRun> runs = new ArrayList<>();
        try (Statement s = connection().createStatement();
                ResultSet rs = s.executeQuery("SELECT body FROM resource")) {
            List<byte[]> rows = new ArrayList<>(LOAD_CHUNK);
            while (rs.next()) {
                rows.add(rs.getBytes(1));
                if (rows.size() == LOAD_CHUNK) {
                    pending.add(pool.submit(decode(rows)));
                    rows = new ArrayList<>(LOAD_CHUNK);
                    if (pending.size() >= window) {
                        SortedRun.push(runs, pending.removeFirst().get()); // The next chunks are decoded meanwhile.
                    }
                }
            }
            if (!rows.isEmpty()) {
                pending.add(pool.submit(decode(rows)));
            }
            connection.commit();
            while (!pending.isEmpty()) {
                SortedRun.push(runs, pending.removeFirst().get());
            }
            return SortedRun.collapse(runs).records();
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

    private static Callable<SortedRun> decode(List<byte[]> rows) {
        return () -> SortedRun.of(Json.readRows(rows, new RecordDecoder.Strings()));
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
            claim();
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
            for (Resource r : removes) {
                delete.setString(1, r.id());
                delete.addBatch();
            }
            if (!removes.isEmpty()) {
                delete.executeBatch();
            }
            for (Resource r : puts) {
                ResourceRows.addUpsert(upsert, r);
            }
            if (!puts.isEmpty()) {
                upsert.executeBatch();
            }
            connection.commit();
        } catch (VersionConflictException e) {
            abandon(e);
            throw e;
        } catch (SQLException | RuntimeException | Error e) {
            // Even an Error (out of memory half-way through the batch) must not leave rows for the next commit.
            abandon(e);
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The open connection, reopened first if a failure closed it. */
    private Connection connection() throws SQLException {
        if (connection == null) {
            open();
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
