package dev.underpass.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.AccountRegion;
import dev.underpass.model.Resource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every {@link Backend} promises, run against each: versions count commits, a stale commit conflicts and changes
 * nothing, a batch is all or nothing, and the stored world survives reopening.
 */
class BackendContractTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    /** Opens the same store again each time it is called (a restart). */
    interface Opener extends Supplier<Backend> {}

    static Stream<Arguments> backends() {
        Path dir;
        try {
            dir = Files.createTempDirectory("underpass-contract");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String url = EmbeddedPostgres.newDatabase();
        return Stream.of(
                Arguments.of("sqlite", (Opener) () -> new SqliteBackend(dir)),
                Arguments.of("postgresql", (Opener) () -> new PostgresBackend(url)));
    }

    private static Resource marker(String account) {
        return AccountRegion.of(account, "us-east-1", NOW);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void commits_advanceTheVersion_andSurviveReopening(String name, Opener open) {
        try (Backend b = open.get()) {
            assertThat(b.version()).isZero();
            assertThat(b.load()).isEmpty();
            b.commit(0, List.of(marker("111111111111"), marker("222222222222")), List.of());
            b.commit(1, List.of(marker("333333333333")), List.of(marker("111111111111")));
            assertThat(b.version()).isEqualTo(2);
        }
        try (Backend b = open.get()) {
            assertThat(b.version()).isEqualTo(2);
            assertThat(b.load()).extracting(Resource::id)
                    .containsExactlyInAnyOrder(marker("222222222222").id(), marker("333333333333").id());
            assertThat(b.load()).contains(marker("222222222222"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aNulCharacterInAString_isKeptAsWritten(String name, Opener open) {
        // A client may send U+0000 in a name or tag value; PostgreSQL's jsonb would refuse it (the RAM fuzzer found it).
        AccountRegion plain = (AccountRegion) marker("444444444444");
        Resource odd = new AccountRegion(plain.id(), plain.ownerId(), plain.region(), plain.setUpAt(),
                java.util.Map.of("name", "a\u0000b"));
        try (Backend b = open.get()) {
            b.commit(0, List.of(odd), List.of());
        }
        try (Backend b = open.get()) {
            assertThat(b.load()).containsExactly(odd);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aStaleCommit_conflicts_andChangesNothing(String name, Opener open) {
        try (Backend b = open.get()) {
            b.commit(0, List.of(marker("111111111111")), List.of());
            assertThatThrownBy(() -> b.commit(0, List.of(marker("222222222222")), List.of(marker("111111111111"))))
                    .isInstanceOfSatisfying(VersionConflictException.class, e -> {
                        assertThat(e.expected()).isZero();
                        assertThat(e.actual()).isEqualTo(1);
                    });
            assertThat(b.version()).isEqualTo(1);
            assertThat(b.load()).containsExactly(marker("111111111111"));
            b.commit(1, List.of(marker("222222222222")), List.of());
            assertThat(b.version()).isEqualTo(2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void changesSince_givesWhatLaterCommitsDid(String name, Opener open) {
        try (Backend b = open.get()) {
            b.commit(0, List.of(marker("111111111111")), List.of());
            b.commit(1, List.of(marker("222222222222")), List.of());
            b.commit(2, List.of(marker("333333333333")), List.of(marker("222222222222")));

            Backend.Changes changes = b.changesSince(1);
            assertThat(changes.version()).isEqualTo(3);
            if (changes.full()) {
                assertThat(changes.puts()).containsExactlyInAnyOrder(marker("111111111111"), marker("333333333333"));
            } else {
                assertThat(changes.puts()).containsExactly(marker("333333333333"));
                assertThat(changes.removes()).extracting(Resource::id).containsExactly(marker("222222222222").id());
            }
            Backend.Changes all = b.changesSince(-1);
            assertThat(all.full()).isTrue();
            assertThat(all.version()).isEqualTo(3);
            assertThat(all.puts()).containsExactlyInAnyOrder(marker("111111111111"), marker("333333333333"));
            assertThat(b.changesSince(3).puts()).isSubsetOf(all.puts());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void commitExclusive_preparesOnTheCurrentWorld_andCommitsWithoutConflict(String name, Opener open) {
        try (Backend b = open.get()) {
            b.commit(0, List.of(marker("111111111111")), List.of());
            long after = b.commitExclusive(0, changes -> {
                assertThat(changes.version()).isEqualTo(1);
                assertThat(changes.puts()).contains(marker("111111111111"));
                return new Backend.Batch(List.of(marker("222222222222")), List.of(marker("111111111111")));
            });
            assertThat(after).isEqualTo(2);
            assertThat(b.version()).isEqualTo(2);
            assertThat(b.load()).containsExactly(marker("222222222222"));

            assertThat(b.commitExclusive(2, changes -> null)).isEqualTo(2); // Nothing to commit.
            assertThat(b.version()).isEqualTo(2);
        }
    }
}
