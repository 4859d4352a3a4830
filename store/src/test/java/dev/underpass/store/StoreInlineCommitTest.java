package dev.underpass.store;

import dev.underpass.model.ec2.VpcCidrAssociationId;
import dev.underpass.model.ec2.DhcpOptionsId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.underpass.model.AccountRegion;
import dev.underpass.model.Caller;
import dev.underpass.model.Resource;
import dev.underpass.model.ec2.CidrAssociationState;
import dev.underpass.model.ec2.Vpc;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commits on the caller's thread when the store is idle ({@link Store#inlineCommits()}) are still the single writer's:
 * calls from many threads at once never run or commit side by side, each acknowledged call is on disk after a restart,
 * and a call is answered only after its commit returned.
 */
class StoreInlineCommitTest {
    private static final Caller CALLER = Caller.of("111111111111", "us-east-1");
    private static final String VPC = "vpc-0123456789abcdef0";

    private static Vpc vpc() {
        return new Vpc(VPC, "111111111111", "us-east-1", "10.0.0.0/16",
                List.of(new Vpc.CidrAssociation(VpcCidrAssociationId.of("vpc-cidr-assoc-0123456789abcdef0"),
                        "10.0.0.0/16",
                        CidrAssociationState.ASSOCIATED)),
                DhcpOptionsId.of("default"), "default", false, true, false, Instant.parse("2026-01-01T00:00:00Z"),
                Map.of());
    }

    /** A CreateTags-like call: reads the VPC's tags, adds one, writes the VPC back (a read-modify-write). */
    private static String tag(Store store, String key) {
        return store.writeAndWait(CALLER, tx -> {
            Vpc v = tx.find(Vpc.class, VPC).orElseThrow();
            Map<String, String> tags = new HashMap<>(v.tags());
            tags.put(key, "v");
            tx.put(v.withTags(tags));
            return key;
        });
    }

    @Test
    void concurrentReadModifyWrites_loseNothing_andEveryAcknowledgedOneSurvivesARestart(@TempDir Path dir)
            throws Exception {
        int threads = 8;
        int perThread = 150;
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> callerThreads = ConcurrentHashMap.newKeySet();
        try (Store store = new Store(new SqliteBackend(dir), Clock.systemUTC())) {
            store.writeAndWait(CALLER, tx -> tx.put(vpc()));
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        String key = "t" + thread + "-" + i;
                        store.writeAndWait(CALLER, tx -> {
                            callerThreads.add(Thread.currentThread().getName());
                            return null;
                        });
                        acknowledged.add(tag(store, key));
                        if (i % 50 == 0) {
                            Thread.sleep(30); // Let the store fall idle now and then, so calls also run inline.
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            // No update was lost in the world either: two calls never ran on the same snapshot.
            assertThat(store.world().find(Vpc.class, VPC).orElseThrow().tags()).hasSize(threads * perThread);
        }
        assertThat(acknowledged).hasSize(threads * perThread);
        try (Store again = new Store(new SqliteBackend(dir), Clock.systemUTC())) {
            assertThat(again.world().find(Vpc.class, VPC).orElseThrow().tags().keySet())
                    .containsExactlyInAnyOrderElementsOf(acknowledged);
        }
        if (Store.inlineCommits()) {
            // Both paths were taken: calls ran on the writer thread and on the callers' own.
            assertThat(callerThreads).contains("underpass-writer");
            assertThat(callerThreads).anyMatch(name -> !name.equals("underpass-writer"));
        }
    }

    /** A backend that records which threads commit and whether two commits ever overlap. */
    private static final class WatchingBackend extends WrappedMemoryBackend {
        final AtomicInteger inside = new AtomicInteger();
        volatile boolean overlapped;
        final Set<String> threads = ConcurrentHashMap.newKeySet();

        WatchingBackend() {
            super("watching");
        }

        @Override
        public void commit(long expectedVersion, Collection<Resource> puts, Collection<Resource> removes) {
            if (inside.incrementAndGet() != 1) {
                overlapped = true;
            }
            threads.add(Thread.currentThread().getName());
            try {
                long until = System.nanoTime() + 20_000; // Widens the window in which an overlap would show.
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                rows.commit(expectedVersion, puts, removes);
            } finally {
                inside.decrementAndGet();
            }
        }
    }

    @Test
    void anIdleStore_commitsOnTheCallersThread_beforeAnswering() {
        assumeTrue(Store.inlineCommits(), "inline commits are switched off (-Dunderpass.inlineCommit=false)");
        WatchingBackend backend = new WatchingBackend();
        try (Store store = new Store(backend, Clock.systemUTC())) {
            String caller = Thread.currentThread().getName();
            String ranOn = store.writeAndWait(CALLER, tx -> {
                tx.put(AccountRegion.of("222222222222", "us-east-1", Instant.EPOCH));
                return Thread.currentThread().getName();
            });
            assertThat(ranOn).isEqualTo(caller);
            assertThat(backend.threads).containsExactly(caller);
            // The answer came after the commit: the backend already holds the row.
            assertThat(backend.version()).isEqualTo(1);
            assertThat(backend.load()).hasSize(1);
        }
    }

    @Test
    void aLoneCallerThatOnceMetABusyStore_isBackOnItsOwnThreadOnceTheWindowHasPassed() throws Exception {
        assumeTrue(Store.inlineCommits(), "inline commits are switched off (-Dunderpass.inlineCommit=false)");
        WatchingBackend backend = new WatchingBackend();
        try (Store store = new Store(backend, Clock.systemUTC())) {
            for (int i = 0; i < 200; i++) { // Warm: what follows must fit well inside the contention window.
                String account = String.format("%012d", 1000 + i);
                store.writeAndWait(CALLER, tx -> tx.put(AccountRegion.of(account, "us-east-1", Instant.EPOCH)));
            }
            // Another caller holds the store while this one writes: this call finds it busy and queues.
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread other = Thread.ofPlatform().start(() -> store.writeAndWait(CALLER, tx -> {
                inside.countDown();
                awaitQuietly(release);
                tx.put(AccountRegion.of("000000000001", "us-east-1", Instant.EPOCH));
                return null;
            }));
            assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<String> contended = store.write(CALLER, tx -> {
                tx.put(AccountRegion.of("000000000002", "us-east-1", Instant.EPOCH));
                return Thread.currentThread().getName();
            });
            release.countDown();
            other.join();
            assertThat(contended.get(10, TimeUnit.SECONDS)).isEqualTo("underpass-writer");
            // Then calls far more often than the contention window is long: the first ones may still queue, but the
            // window is not renewed by them, so the caller is back on its own thread after it.
            String caller = Thread.currentThread().getName();
            List<String> ranOn = new ArrayList<>();
            long end = System.nanoTime() + 6 * Store.CONTENTION_WINDOW_NANOS;
            for (int i = 0; System.nanoTime() < end || i < 20; i++) {
                String account = String.format("%012d", 100 + i);
                ranOn.add(store.writeAndWait(CALLER, tx -> {
                    tx.put(AccountRegion.of(account, "us-east-1", Instant.EPOCH));
                    return Thread.currentThread().getName();
                }));
                Thread.sleep(1);
            }
            assertThat(ranOn.subList(ranOn.size() - 5, ranOn.size())).containsOnly(caller);
            assertThat(backend.overlapped).isFalse();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void manyThreadsAtOnce_neverCommitSideBySide() throws Exception {
        WatchingBackend backend = new WatchingBackend();
        try (Store store = new Store(backend, Clock.systemUTC())) {
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<?>> done = new ArrayList<>();
            AtomicInteger n = new AtomicInteger();
            for (int t = 0; t < 6; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        String account = String.format("%012d", n.incrementAndGet());
                        store.writeAndWait(CALLER, tx -> tx.put(AccountRegion.of(account, "us-east-1",
                                Instant.EPOCH)));
                        if (i % 100 == 0) {
                            Thread.sleep(30);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            assertThat(backend.overlapped).isFalse();
            assertThat(backend.load()).hasSize(6 * 300);
            assertThat(store.world().everything()).hasSize(6 * 300);
        }
    }
}
