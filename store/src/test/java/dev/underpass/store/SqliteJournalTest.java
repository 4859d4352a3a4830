package dev.underpass.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.AccountRegion;
import dev.underpass.model.Resource;
import dev.underpass.model.ec2.Vpc;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite backend's journal: an acknowledged commit is durable in the journal even when SQLite loses its last,
 * unsynced transactions. A crash is imitated by copying the database file without its WAL (what SQLite holds on disk
 * before a checkpoint) together with the journal, while the backend is still open, and opening the copy.
 */
class SqliteJournalTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private static Resource marker(String account) {
        return AccountRegion.of(account, "us-east-1", NOW);
    }

    /** A VPC of about {@code kib} KiB of JSON (tags), so a few of them fill the journal. */
    private static Resource bigVpc(int i, int kib) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int t = 0; t < kib * 8; t++) {
            tags.put("tag-" + t, "x".repeat(100));
        }
        String id = String.format("vpc-%017x", i);
        return new Vpc(id, "123456789012", "us-east-1", "10.0.0.0/16",
                List.of(new Vpc.CidrAssociation("vpc-cidr-assoc-" + id.substring(4), "10.0.0.0/16", "associated")),
                "default", "default", false, true, false, NOW, tags);
    }

    /** The data dir as a crash could leave it: the database file without its WAL, and the journal. */
    private Path crashCopy(String name) throws IOException {
        Path copy = Files.createDirectory(dir.resolve(name));
        Files.copy(dir.resolve("data/underpass.db"), copy.resolve("underpass.db"));
        Files.copy(dir.resolve("data/underpass.journal"), copy.resolve("underpass.journal"));
        return copy;
    }

    private static Set<String> ids(Backend b) {
        return b.load().stream().map(Resource::id).collect(Collectors.toSet());
    }

    @Test
    void commitsLostBySqlite_comeBackFromTheJournal() throws IOException {
        Path data = dir.resolve("data");
        try (SqliteBackend b = new SqliteBackend(data)) {
            b.commit(0, List.of(marker("111111111111")), List.of());
        }
        Path copy;
        try (SqliteBackend b = new SqliteBackend(data)) { // Opening settles: version 1 is in the database file.
            b.commit(1, List.of(marker("222222222222")), List.of());
            b.commit(2, List.of(marker("333333333333")), List.of(marker("111111111111")));
            copy = crashCopy("crash");
            try (SqliteBackend sqliteAlone = new SqliteBackend(copyWithoutJournal(copy))) {
                assertThat(sqliteAlone.version()).as("what SQLite alone kept").isEqualTo(1);
            }
        }
        try (SqliteBackend b = new SqliteBackend(copy)) {
            assertThat(b.version()).isEqualTo(3);
            assertThat(ids(b)).containsExactlyInAnyOrder(marker("222222222222").id(), marker("333333333333").id());
            b.commit(3, List.of(marker("444444444444")), List.of());
        }
        try (SqliteBackend b = new SqliteBackend(copy)) {
            assertThat(b.version()).isEqualTo(4);
            assertThat(ids(b)).hasSize(3);
        }
    }

    private Path copyWithoutJournal(Path copy) throws IOException {
        Path bare = Files.createDirectory(dir.resolve("bare"));
        Files.copy(copy.resolve("underpass.db"), bare.resolve("underpass.db"));
        return bare;
    }

    @Test
    void aTornLastRecord_isNotApplied_andTheRecordsBeforeItAre() throws IOException {
        Path data = dir.resolve("data");
        Path copy;
        long secondEnd;
        try (SqliteBackend b = new SqliteBackend(data)) {
            b.commit(0, List.of(marker("111111111111")), List.of());
            b.commit(1, List.of(marker("222222222222")), List.of());
            copy = crashCopy("crash");
            secondEnd = Journal.encode(1, List.of(Json.write(marker("111111111111"))), List.of()).remaining()
                    + Journal.encode(2, List.of(Json.write(marker("222222222222"))), List.of()).remaining();
        }
        try (FileChannel ch = FileChannel.open(copy.resolve("underpass.journal"), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0x5a}), secondEnd - 7); // Inside the second record.
        }
        try (SqliteBackend b = new SqliteBackend(copy)) {
            assertThat(b.version()).isEqualTo(1);
            assertThat(ids(b)).containsExactly(marker("111111111111").id());
            b.commit(1, List.of(marker("333333333333")), List.of());
        }
        try (SqliteBackend b = new SqliteBackend(copy)) {
            assertThat(b.version()).isEqualTo(2);
            assertThat(ids(b)).containsExactlyInAnyOrder(marker("111111111111").id(), marker("333333333333").id());
        }
    }

    @Test
    void theJournalGrows_thenWrapsAround_andEveryCommitSurvives() throws IOException {
        Path data = dir.resolve("data");
        List<String> expected = new ArrayList<>();
        Path copy;
        try (SqliteBackend b = new SqliteBackend(data)) {
            long v = 0;
            // About 18 MB of 15 KB commits: the journal grows from 1 MiB to its 16 MiB and then wraps around.
            for (int i = 0; i < 1200; i++) {
                Resource r = bigVpc(i, 16);
                b.commit(v++, List.of(r), List.of());
                expected.add(r.id());
                if (i == 100) {
                    assertThat(Files.size(data.resolve("underpass.journal"))).isGreaterThan(Journal.CAPACITY);
                }
            }
            assertThat(Files.size(data.resolve("underpass.journal"))).isEqualTo(Journal.MAX_CAPACITY);
            copy = crashCopy("crash");
        }
        try (SqliteBackend b = new SqliteBackend(copy)) {
            assertThat(b.version()).isEqualTo(1200);
            assertThat(ids(b)).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void aLargeBatch_goesToSqliteSynced_andTheJournalCarriesOnAfterIt() throws IOException {
        Path data = dir.resolve("data");
        List<String> expected = new ArrayList<>();
        try (SqliteBackend b = new SqliteBackend(data)) {
            long v = 0;
            for (int i = 0; i < 5; i++) {
                Resource r = marker(String.format("%012d", i));
                b.commit(v++, List.of(r), List.of());
                expected.add(r.id());
            }
            List<Resource> big = new ArrayList<>();
            for (int i = 1000; i < 1010; i++) {
                big.add(bigVpc(i, 16)); // 150 KB of JSON: more than SqliteBackend.DIRECT_BYTES.
            }
            b.commit(v++, big, List.of());
            big.forEach(r -> expected.add(r.id()));
            for (int i = 5; i < 10; i++) {
                Resource r = marker(String.format("%012d", i));
                b.commit(v++, List.of(r), List.of());
                expected.add(r.id());
            }
            // The large batch is durable in SQLite's WAL (a synced commit), the later ones in the journal: a crash
            // keeps the WAL's synced frames, which a copy with the WAL stands for.
            Path copy = crashCopy("crash");
            Files.copy(data.resolve("underpass.db-wal"), copy.resolve("underpass.db-wal"));
            try (SqliteBackend c = new SqliteBackend(copy)) {
                assertThat(c.version()).isEqualTo(11);
                assertThat(ids(c)).containsExactlyInAnyOrderElementsOf(expected);
            }
            assertThat(b.version()).isEqualTo(v);
            b.commit(v++, List.of(marker("999999999999")), List.of());
        }
        try (SqliteBackend b = new SqliteBackend(data)) {
            assertThat(b.version()).isEqualTo(12);
            assertThat(ids(b)).hasSize(expected.size() + 1);
        }
    }

    @Test
    void aJournalThatSkipsVersions_refusesToOpen() throws IOException {
        Path data = dir.resolve("data");
        try (SqliteBackend b = new SqliteBackend(data)) {
            b.commit(0, List.of(marker("111111111111")), List.of());
        }
        try (SqliteBackend b = new SqliteBackend(data)) { // Opening starts the journal afresh: it now begins at 2.
            b.commit(1, List.of(marker("222222222222")), List.of());
            b.commit(2, List.of(marker("333333333333")), List.of());
        }
        Path gap = Files.createDirectory(dir.resolve("gap"));
        Files.copy(data.resolve("underpass.journal"), gap.resolve("underpass.journal"));
        assertThatThrownBy(() -> new SqliteBackend(gap)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("continues at version 2").hasMessageContaining("database is at 0");
    }
}
