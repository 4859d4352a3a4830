package dev.underpass.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.AccountRegion;
import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.IdSource;
import dev.underpass.model.Ids;
import dev.underpass.model.Resource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The world's version counts committed batches, survives restarts, and guards commits; the store's id source is the
 * one every call draws from.
 */
class StoreVersionTest {
    private static final Caller CALLER = Caller.of("111111111111", "us-east-1");
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static Resource marker(String account) {
        return AccountRegion.of(account, "us-east-1", NOW);
    }

    @Test
    void eachCommittedWrite_advancesTheVersionByOne_andFailedOrEmptyOnesDoNot() {
        MemoryBackend backend = new MemoryBackend();
        try (Store store = new Store(backend, Clock.systemUTC())) {
            assertThat(store.world().version()).isZero();
            store.writeAndWait(CALLER, tx -> tx.put(marker("111111111111")));
            assertThat(store.world().version()).isEqualTo(1);
            store.writeAndWait(CALLER, tx -> tx.put(marker("222222222222")));
            assertThat(store.world().version()).isEqualTo(2);

            store.writeAndWait(CALLER, tx -> tx.world().size()); // Reads only: nothing to commit.
            assertThatThrownBy(() -> store.writeAndWait(CALLER, tx -> {
                tx.put(marker("333333333333"));
                throw ErrorCode.INVALID_PARAMETER_VALUE.with("refused");
            })).isInstanceOf(AwsException.class);
            assertThat(store.world().version()).isEqualTo(2);
            assertThat(backend.version()).isEqualTo(2);
        }
    }

    @Test
    void memoryBackend_commitOnAStaleVersion_conflictsAndChangesNothing() {
        MemoryBackend backend = new MemoryBackend();
        backend.commit(0, List.of(marker("111111111111")), List.of());
        assertThat(backend.version()).isEqualTo(1);

        // A second writer that still believes the store is at version 0 loses.
        assertThatThrownBy(() -> backend.commit(0, List.of(marker("222222222222")), List.of()))
                .isInstanceOfSatisfying(VersionConflictException.class, e -> {
                    assertThat(e.expected()).isZero();
                    assertThat(e.actual()).isEqualTo(1);
                });
        assertThat(backend.version()).isEqualTo(1);
        assertThat(backend.load()).extracting(Resource::id).containsExactly(marker("111111111111").id());

        backend.commit(1, List.of(marker("222222222222")), List.of());
        assertThat(backend.version()).isEqualTo(2);
    }

    @Test
    void sqlite_versionSurvivesARestart_andAStaleCommitConflicts(@TempDir Path dir) {
        try (Store store = new Store(new SqliteBackend(dir), Clock.systemUTC())) {
            store.writeAndWait(CALLER, tx -> tx.put(marker("111111111111")));
            store.writeAndWait(CALLER, tx -> tx.put(marker("222222222222")));
            assertThat(store.world().version()).isEqualTo(2);
        }
        try (SqliteBackend backend = new SqliteBackend(dir)) {
            assertThat(backend.version()).isEqualTo(2);
            assertThatThrownBy(() -> backend.commit(1, List.of(marker("333333333333")), List.of()))
                    .isInstanceOf(VersionConflictException.class);
            assertThat(backend.version()).isEqualTo(2);
            assertThat(backend.load()).hasSize(2);
            backend.commit(2, List.of(marker("333333333333")), List.of());
        }
        try (Store store = new Store(new SqliteBackend(dir), Clock.systemUTC())) {
            assertThat(store.world().version()).isEqualTo(3);
            assertThat(store.world().size()).isEqualTo(3);
        }
    }

    @Test
    void sqlite_dataDirFromBeforeVersions_startsAtZero(@TempDir Path dir) throws Exception {
        String row = Json.write(marker("111111111111"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("underpass.db"));
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE resource (id TEXT PRIMARY KEY, kind TEXT NOT NULL, owner TEXT NOT NULL, "
                    + "region TEXT NOT NULL, body TEXT NOT NULL)");
            s.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
            s.execute("INSERT INTO meta(key, value) VALUES ('schema', '1')");
            try (var insert = c.prepareStatement("INSERT INTO resource VALUES (?, 'AccountRegion', ?, ?, ?)")) {
                insert.setString(1, marker("111111111111").id());
                insert.setString(2, "111111111111");
                insert.setString(3, "us-east-1");
                insert.setString(4, row);
                insert.executeUpdate();
            }
        }
        try (Store store = new Store(new SqliteBackend(dir), Clock.systemUTC())) {
            assertThat(store.world().version()).isZero();
            assertThat(store.world().size()).isEqualTo(1);
            store.writeAndWait(CALLER, tx -> tx.put(marker("222222222222")));
            assertThat(store.world().version()).isEqualTo(1);
        }
    }

    @Test
    void seededStores_handOutTheSameIds_throughTxAndIds() {
        Clock fixed = Clock.fixed(NOW, ZoneOffset.UTC);
        List<String> first;
        try (Store store = new Store(new MemoryBackend(), fixed, IdSource.seeded(5))) {
            first = store.writeAndWait(CALLER, tx -> List.of(tx.ids().next("vpc"), Ids.next("subnet"),
                    Ids.hex(10), tx.now().toString()));
        }
        try (Store store = new Store(new MemoryBackend(), fixed, IdSource.seeded(5))) {
            List<String> second = store.writeAndWait(CALLER, tx -> List.of(tx.ids().next("vpc"), Ids.next("subnet"),
                    Ids.hex(10), tx.now().toString()));
            assertThat(second).isEqualTo(first);
        }
        IdSource twin = IdSource.seeded(5);
        assertThat(first).containsExactly(twin.next("vpc"), twin.next("subnet"), twin.hex(10), NOW.toString());
    }
}
