package dev.underpass.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.AccountRegion;
import dev.underpass.model.Resource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@link SqliteBackend} commits: its connection claims the database for itself at the first commit (and not
 * before, so start-up may read with other connections), and every commit is in the WAL and on disk when it returns.
 */
class SqliteCommitPathTest {
    private static Resource marker(String account) {
        return AccountRegion.of(account, "us-east-1", Instant.EPOCH);
    }

    /** Rows in the resource table, read by a connection of its own that does not wait for locks. */
    private static int rowsSeenByAnotherConnection(Path dir) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("underpass.db"));
                Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=0");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM resource")) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Test
    void otherConnectionsMayReadUntilTheFirstCommit_thenTheBackendHoldsTheDatabase(@TempDir Path dir)
            throws SQLException {
        try (SqliteBackend backend = new SqliteBackend(dir)) {
            backend.commit(0, List.of(marker("111111111111")), List.of());
        }
        try (SqliteBackend backend = new SqliteBackend(dir)) {
            assertThat(backend.load()).hasSize(1);
            assertThat(backend.version()).isEqualTo(1);
            assertThat(rowsSeenByAnotherConnection(dir)).isEqualTo(1);

            backend.commit(1, List.of(marker("222222222222")), List.of());
            assertThatThrownBy(() -> rowsSeenByAnotherConnection(dir)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("SQLITE_BUSY");
            backend.commit(2, List.of(marker("333333333333")), List.of(marker("111111111111")));
            assertThat(backend.load()).extracting(Resource::ownerId)
                    .containsExactly("222222222222", "333333333333");
        }
        assertThat(rowsSeenByAnotherConnection(dir)).isEqualTo(2);
        try (SqliteBackend backend = new SqliteBackend(dir)) {
            assertThat(backend.version()).isEqualTo(3);
        }
    }

    @Test
    void withExclusiveLockingOff_otherConnectionsStillReadAfterCommits(@TempDir Path dir) throws SQLException {
        String before = System.getProperty("underpass.sqliteExclusive");
        System.setProperty("underpass.sqliteExclusive", "false");
        try (SqliteBackend backend = new SqliteBackend(dir)) {
            backend.commit(0, List.of(marker("111111111111")), List.of());
            backend.commit(1, List.of(marker("222222222222")), List.of());
            assertThat(rowsSeenByAnotherConnection(dir)).isEqualTo(2);
        } finally {
            if (before == null) {
                System.clearProperty("underpass.sqliteExclusive");
            } else {
                System.setProperty("underpass.sqliteExclusive", before);
            }
        }
    }
}
