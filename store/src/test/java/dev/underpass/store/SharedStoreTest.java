package dev.underpass.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.AccountRegion;
import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Resource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Two stores (two nodes) on one PostgreSQL database: one truth, cross-node rules, and prompt visibility. */
class SharedStoreTest {
    private static final Caller CALLER = Caller.of("111111111111", "us-east-1");
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static Resource marker(int n) {
        return AccountRegion.of(String.format("%012d", n), "us-east-1", NOW);
    }

    private static void eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition still false at the deadline").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void aWriteOnOneNode_isSeenByTheOther_andTheOtherWritesOnTop() throws Exception {
        String url = EmbeddedPostgres.newDatabase();
        try (Store a = new Store(new PostgresBackend(url), Clock.systemUTC());
                Store b = new Store(new PostgresBackend(url), Clock.systemUTC())) {
            a.writeAndWait(CALLER, tx -> tx.put(marker(1)));
            assertThat(a.world().find(AccountRegion.class, marker(1).id())).isPresent(); // Read-your-writes.
            eventually(() -> b.world().find(AccountRegion.class, marker(1).id()).isPresent());
            assertThat(b.world().version()).isEqualTo(1);

            b.writeAndWait(CALLER, tx -> {
                tx.remove(marker(1));
                return tx.put(marker(2));
            });
            eventually(() -> a.world().version() == 2);
            assertThat(a.world().everything()).containsExactly(marker(2));
        }
    }

    @Test
    void aRuleThatSpansResources_holdsAcrossNodes_andNoWriteIsLost() throws Exception {
        String url = EmbeddedPostgres.newDatabase();
        int perNode = 40;
        int limit = 50;
        try (Store a = new Store(new PostgresBackend(url), Clock.systemUTC());
                Store b = new Store(new PostgresBackend(url), Clock.systemUTC())) {
            List<CompletableFuture<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < perNode; i++) {
                for (Store node : List.of(a, b)) {
                    int n = calls.size();
                    // A quota: at most `limit` markers in the world, counted on the world the call runs on.
                    calls.add(node.write(CALLER, tx -> {
                        int count = tx.all(AccountRegion.class).size();
                        if (count >= limit) {
                            throw ErrorCode.INVALID_PARAMETER_VALUE.with("quota reached at " + count);
                        }
                        tx.put(marker(n));
                        return count;
                    }));
                }
            }
            int ok = 0;
            int refused = 0;
            for (CompletableFuture<Integer> call : calls) {
                try {
                    call.join();
                    ok++;
                } catch (CompletionException e) {
                    assertThat(e.getCause()).isInstanceOf(AwsException.class);
                    refused++;
                }
            }
            assertThat(ok).isEqualTo(limit);
            assertThat(refused).isEqualTo(2 * perNode - limit);
            try (PostgresBackend reader = new PostgresBackend(url)) {
                assertThat(reader.load()).hasSize(limit);
                long version = reader.version();
                eventually(() -> a.world().version() == version && b.world().version() == version);
            }
            assertThat(a.world().everything()).containsExactlyInAnyOrderElementsOf(b.world().everything());
        }
    }

    @Test
    void twoBusyNodesWritingFlatOut_bothMakeProgress_andNothingIsRefused() throws Exception {
        String url = EmbeddedPostgres.newDatabase();
        int perThread = 150;
        try (Store a = new Store(new PostgresBackend(url), Clock.systemUTC());
                Store b = new Store(new PostgresBackend(url), Clock.systemUTC())) {
            List<Thread> threads = new ArrayList<>();
            List<CompletableFuture<Integer>> calls = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 8; t++) {
                Store node = t % 2 == 0 ? a : b;
                int thread = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < perThread; i++) {
                        int n = thread * perThread + i;
                        CompletableFuture<Integer> call = node.write(CALLER, tx -> {
                            tx.put(marker(n));
                            return n;
                        });
                        calls.add(call);
                        call.join(); // Closed loop: each thread waits for its call, as a client would.
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(calls).hasSize(8 * perThread).allSatisfy(c -> assertThat(c).isCompleted());
            try (PostgresBackend reader = new PostgresBackend(url)) {
                assertThat(reader.load()).hasSize(8 * perThread);
            }
        }
    }

    @Test
    void connectionsCommitSynchronously() {
        try (PostgresBackend backend = new PostgresBackend(EmbeddedPostgres.newDatabase())) {
            assertThat(backend.setting("synchronous_commit")).isEqualTo("on");
            assertThat(backend.describe()).doesNotContain("postgres:postgres").startsWith("postgresql://postgres@");
        }
    }

    @Test
    void aStoreOnAStaleWorld_catchesUpInsteadOfOverwriting() {
        String url = EmbeddedPostgres.newDatabase();
        try (PostgresBackend other = new PostgresBackend(url);
                Store store = new Store(new PostgresBackend(url), Clock.systemUTC())) {
            other.commit(0, List.of(marker(1)), List.of()); // Another node, just before this one writes.
            int seen = store.writeAndWait(CALLER, tx -> {
                tx.put(marker(2));
                return tx.all(AccountRegion.class).size();
            });
            assertThat(seen).isEqualTo(2);
            assertThat(store.world().version()).isEqualTo(2);
            assertThat(other.load()).containsExactlyInAnyOrder(marker(1), marker(2));
            assertThatThrownBy(() -> other.commit(1, List.of(marker(3)), List.of()))
                    .isInstanceOf(VersionConflictException.class);
        }
    }
}
