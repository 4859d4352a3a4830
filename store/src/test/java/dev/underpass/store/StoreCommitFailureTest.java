package dev.underpass.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.AccountRegion;
import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.Resource;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A commit that fails acknowledges and applies nothing: the caller gets AWS's ServiceUnavailable, the world stays
 * as it was, {@link Store#failure} says why until a commit succeeds, and if the backend had in fact stored the
 * failed batch, the next commit puts the world's rows back.
 */
class StoreCommitFailureTest {
    private static final Caller CALLER = Caller.of("111111111111", "us-east-1");
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    /** A memory backend told to fail its next commit, before storing anything or after storing everything. */
    private static final class FaultyBackend extends WrappedMemoryBackend {
        volatile boolean failBefore;
        volatile boolean failAfter;

        FaultyBackend() {
            super("faulty");
        }

        @Override
        public void commit(long expectedVersion, Collection<Resource> puts, Collection<Resource> removes) {
            if (failBefore) {
                failBefore = false;
                throw new IllegalStateException("[SQLITE_FULL] database or disk is full");
            }
            rows.commit(expectedVersion, puts, removes);
            if (failAfter) {
                failAfter = false;
                throw new IllegalStateException("[SQLITE_IOERR] disk I/O error");
            }
        }
    }

    private final FaultyBackend backend = new FaultyBackend();
    private final Store store = new Store(backend, Clock.systemUTC());

    @AfterEach
    void close() {
        store.close();
    }

    private static Resource marker(String account) {
        return AccountRegion.of(account, "us-east-1", NOW);
    }

    private void put(Resource r) {
        store.writeAndWait(CALLER, tx -> tx.put(r));
    }

    private List<String> storedIds() {
        return backend.load().stream().map(Resource::id).sorted().toList();
    }

    private List<String> worldIds() {
        return store.world().everything().stream().map(Resource::id).sorted().toList();
    }

    @Test
    void failedCommit_refusesTheCall_changesNothing_andDegradesUntilACommitSucceeds() {
        put(marker("222222222222"));
        backend.failBefore = true;
        assertThatThrownBy(() -> put(marker("333333333333")))
                .isInstanceOfSatisfying(AwsException.class, e -> {
                    assertThat(e.code()).isEqualTo("ServiceUnavailable");
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.getMessage()).isEqualTo(
                            "The request has failed due to a temporary failure of the server.");
                });
        assertThat(worldIds()).containsExactly(marker("222222222222").id());
        assertThat(store.failure()).hasValueSatisfying(f -> assertThat(f).contains("SQLITE_FULL"));

        put(marker("444444444444"));
        assertThat(store.failure()).isEmpty();
        assertThat(worldIds()).containsExactly(marker("222222222222").id(), marker("444444444444").id());
        assertThat(storedIds()).isEqualTo(worldIds());
    }

    @Test
    void commitThatFailsAfterStoring_isUndoneOnDiskByTheNextCommit() {
        Resource kept = marker("222222222222");
        put(kept);
        backend.failAfter = true;
        // The failed call puts one row and removes another; the backend stored both changes anyway.
        assertThatThrownBy(() -> store.writeAndWait(CALLER, tx -> {
            tx.remove(kept);
            return tx.put(marker("333333333333"));
        })).isInstanceOf(AwsException.class);
        assertThat(storedIds()).containsExactly(marker("333333333333").id());
        assertThat(worldIds()).containsExactly(kept.id());
        // The failed commit advanced the stored version; the world did not take it.
        assertThat(backend.version()).isEqualTo(2);
        assertThat(store.world().version()).isEqualTo(1);

        put(marker("444444444444"));
        assertThat(storedIds()).isEqualTo(worldIds())
                .containsExactly(kept.id(), marker("444444444444").id());
        // The next commit read the stored version back rather than conflict with it, and the world follows.
        assertThat(backend.version()).isEqualTo(3);
        assertThat(store.world().version()).isEqualTo(3);
    }

    @Test
    void writeAfterClose_isRefusedWithServiceUnavailable() {
        store.close();
        assertThatThrownBy(() -> put(marker("222222222222")))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.code()).isEqualTo("ServiceUnavailable"));
    }
}
