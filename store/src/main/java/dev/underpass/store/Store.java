package dev.underpass.store;

import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.AzMapping;
import dev.underpass.model.IdSource;
import dev.underpass.model.Ids;
import dev.underpass.model.Resource;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.store.BatchRun.Task;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer in front of a {@link Backend}, and the holder of the current {@link World}.
 *
 * <p>Every mutating call is a function from a {@link Tx} to a result. One thread applies queued calls in order,
 * each seeing the effects of those before it; a call that throws leaves no trace. The thread then commits the whole
 * batch in one backend transaction (group commit: one fsync covers every call in the batch) and only after that
 * publishes the new world and completes the callers' futures. So an acknowledged call is durable, a crash loses
 * only unacknowledged calls, and readers never see a change that might still be lost.
 *
 * <p>A failed commit (a full disk, say) acknowledges nothing and publishes nothing: its callers get
 * {@code ServiceUnavailable}, {@link #failure} reports it until a commit succeeds, and the next commit also rewrites
 * the failed batch's rows from the world, so the disk matches the world even if the failure came after the data was
 * durable. Writes resume by themselves once the cause is gone.
 *
 * <p>Each commit advances the world's {@link World#version() version} by one, and is conditional on the version the
 * batch was made on ({@link Backend#commit}). New ids inside a call come from the store's {@link IdSource}, handed to
 * the call's {@link Tx} and bound as {@link Ids#source()} while it runs: a store with a seeded source and a fixed
 * clock replays the same calls into the same ids, times and responses.
 *
 * <p>When the store is idle (nothing queued, nothing being committed, and no call has found it busy in the last
 * {@link #CONTENTION_WINDOW_NANOS}), a call runs and commits on the caller's own thread instead
 * ({@link #inlineCommits()}): with one client at a time, handing each call to the writer thread and its answer back
 * costs two thread wake-ups, more than the rest of a small write. It is the same single writer: {@link #commitLock} is
 * held by whoever runs and commits a batch, the writer thread or an inline caller, so batches never interleave, and an
 * inline call is acknowledged only after its commit returned (fsynced), as a queued one. Calls that find the store busy
 * queue as before, and for a while after a call found the store busy the others queue too, so concurrent clients
 * still share a commit. Only a busy store restarts that while: a lone client that once met another write (a
 * background transition, a second client) is back on its own thread within the window.
 * The answers of a batch are completed after the lock is released. A {@link Backend#shared() shared} backend always
 * uses the writer thread (it also reads other nodes' commits there).
 *
 * <p>Serialising writers also makes invariants that span resources (no two interfaces with one address, no
 * overlapping subnets) hold under concurrent requests without locks in the domain code.
 *
 * <p>A {@link Backend#shared() shared} backend (PostgreSQL under several nodes) has other writers. Their commits
 * reach this node in two ways: the writer thread reads what changed ({@link Backend#changesSince}) every
 * {@link #SYNC_INTERVAL_NANOS 100 ms} when idle and publishes the newer world; and a batch whose optimistic,
 * conditional commit loses to another node's ({@link VersionConflictException}) runs its calls again under the
 * store's write lock ({@link Backend#commitExclusive}) on the world caught up under that lock, so it commits the
 * second time whatever the other nodes do, and the rules that span resources hold across nodes too. A failed commit on such a backend is not
 * rewritten from this node's world (another node may have changed those rows since): the node reads the database
 * again before its next batch, whether the failed commit landed or not. See docs/postgresql.md.
 *
 * <p>This class holds the concurrency and the failure state; what a batch does to a world is {@link BatchRun}, and
 * how a world is reconciled with the rows on the backend is {@link WorldChanges}, both free of threads and locks.
 */
public final class Store implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Store.class);
    private static final int MAX_BATCH = 512;
    /** How often an idle writer looks for other nodes' commits on a shared backend. */
    static final long SYNC_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * Whether an idle store commits a call on the caller's thread (read when a store is made);
     * {@code -Dunderpass.inlineCommit=false} sends every call through the writer thread.
     */
    static boolean inlineCommits() {
        return !"false".equalsIgnoreCase(System.getProperty("underpass.inlineCommit", "true"));
    }
    /** After a call had to queue, calls keep queuing for this long, so that concurrent callers share commits. */
    static final long CONTENTION_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Backend backend;
    private final Clock clock;
    private final IdSource ids;
    private final BlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    /** {@link #inlineCommits()} when the store was made, and not a shared backend. */
    private final boolean inline;
    /**
     * Held while a batch runs and commits, by the writer thread or an inline caller: at most one commits at a time.
     * The fields below marked "under the lock" are only touched while holding it.
     */
    private final ReentrantLock commitLock = new ReentrantLock();
    /** Calls queued and not yet committed (or refused) by the writer. */
    private final AtomicInteger queued = new AtomicInteger();
    /** When a call last found the store busy: calls queued or a batch committing ({@link System#nanoTime}). */
    private volatile long lastContended = System.nanoTime() - CONTENTION_WINDOW_NANOS;
    private volatile World world;
    private volatile boolean closed;
    /** Why the last commit failed, or null when it succeeded; for the health endpoint. */
    private volatile String failure;
    /**
     * Rows of failed commits, by id, that the next commit writes again from the world (under the lock). Empty
     * whenever the last commit succeeded.
     */
    private final Map<String, Resource> unsettled = new LinkedHashMap<>();
    /**
     * Whether a failed commit may have reached the disk after all (under the lock): the stored version is then
     * read back before the next commit rather than taken from the world.
     */
    private boolean versionInDoubt;
    /** Shared backends only (writer thread only): the world must be read again before the next batch runs. */
    private boolean needsSync;
    /** When this node last knew it had every commit of a shared backend (writer thread only). */
    private long lastSync = System.nanoTime();

    public Store(Backend backend, Clock clock) {
        this(backend, clock, IdSource.random());
    }

    /** A store whose calls draw new ids from {@code ids} and their time from {@code clock}. */
    public Store(Backend backend, Clock clock, IdSource ids) {
        this(backend, clock, ids, AzMapping.ALIGNED);
    }

    /**
     * A store whose calls draw new ids from {@code ids} and their time from {@code clock}, and whose worlds name
     * Availability Zones by {@code azMapping} ({@link World#azMapping()}).
     */
    public Store(Backend backend, Clock clock, IdSource ids, AzMapping azMapping) {
        this.backend = backend;
        this.clock = clock;
        this.ids = ids;
        if (backend.shared()) {
            Backend.Changes all = backend.changesSince(-1); // The rows and their version from one snapshot.
            this.world = World.of(all.puts()).withVersion(all.version()).withAzMapping(azMapping);
        } else {
            this.world = World.of(backend.load()).withVersion(backend.version()).withAzMapping(azMapping);
        }
        this.inline = inlineCommits() && !backend.shared();
        this.writer = Thread.ofPlatform().name("underpass-writer").daemon(true).unstarted(this::run);
        this.writer.start();
    }

    public static Store inMemory() {
        return new Store(new MemoryBackend(), Clock.systemUTC());
    }

    /** The latest committed world. */
    public World world() {
        return world;
    }

    public Clock clock() {
        return clock;
    }

    /** Where the calls' new ids come from. */
    public IdSource ids() {
        return ids;
    }

    public String describe() {
        return backend.describe();
    }

    /**
     * Why the store cannot take writes at the moment (the last commit failed, e.g. the disk is full), or empty when
     * the last commit succeeded. A commit that succeeds clears it, so writes resume by themselves once the cause is
     * gone.
     */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Queues a mutating call. The future completes with its result once its effects are durable, or exceptionally
     * with the {@link AwsException} it threw (nothing applied), or with {@code ServiceUnavailable} if the commit
     * failed (nothing applied either) or the store is closing.
     */
    public <T> CompletableFuture<T> write(Caller caller, Function<Tx, T> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(unavailable());
            return result;
        }
        Task<T> task = new Task<>(caller, body, result);
        if (inline && tryInline(task)) {
            return result;
        }
        queued.incrementAndGet();
        queue.add(task);
        if (closed && !writer.isAlive()) {
            failLeftovers(); // Queued after the writer's last look: nobody else will answer it.
        }
        return result;
    }

    /** {@link #write} for callers that can block (CLI, tests, start-up). */
    public <T> T writeAndWait(Caller caller, Function<Tx, T> body) {
        try {
            return write(caller, body).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    /**
     * Removes every resource, or with an account id every resource of that account (its default-VPC markers
     * included, so its next request sets it up afresh). It is one write like any other: it waits its turn on the
     * writer, becomes durable in one commit, and only then is the emptied world published, so a reader sees the
     * state before the reset or after it, never part of each. The future completes with the number of resources
     * removed once the commit is done.
     */
    public CompletableFuture<Integer> reset(String accountOrNull) {
        // The caller only names the transaction; nothing in the body looks at it.
        Caller who = Caller.of(accountOrNull == null ? "000000000000" : accountOrNull, "us-east-1");
        return write(who, tx -> {
            int removed = 0;
            for (Resource r : tx.world().everything()) {
                if (accountOrNull == null || r.ownerId().equals(accountOrNull)) {
                    tx.remove(r);
                    removed++;
                }
            }
            return removed;
        });
    }

    /**
     * Runs and commits {@code task} on this thread if the store is idle: nothing queued or committing, and no call
     * found it busy within the {@link #CONTENTION_WINDOW_NANOS contention window}. Returns false (nothing done) otherwise.
     * Queued calls are never overtaken: the lock is only taken while none is waiting, and checked again under it.
     */
    private boolean tryInline(Task<?> task) {
        if (System.nanoTime() - lastContended < CONTENTION_WINDOW_NANOS || commitLock.isHeldByCurrentThread()) {
            // Contention was seen lately: queue, so that concurrent callers share commits, without extending the
            // window (a lone client that once met contention would otherwise queue for good). A call made from
            // inside a running call queues too: it must not run in the middle of that batch.
            return false;
        }
        if (queued.get() != 0 || !commitLock.tryLock()) {
            lastContended = System.nanoTime();
            return false;
        }
        List<Runnable> completions;
        try {
            if (queued.get() != 0 || closed) {
                lastContended = System.nanoTime();
                return false;
            }
            completions = guarded(List.of(task));
        } finally {
            commitLock.unlock();
        }
        completions.forEach(Runnable::run);
        return true;
    }

    /**
     * {@link #process} of a batch under the commit lock; a failure of the store itself (not of a call) refuses the
     * whole batch with an internal error. Returns the answers to complete once the lock is released.
     */
    private List<Runnable> guarded(List<Task<?>> batch) {
        try {
            return process(batch);
        } catch (Throwable t) {
            LOG.error("writer failure", t);
            failure = "the writer failed: " + t;
            return BatchRun.refuseAll(batch, () -> ErrorCode.INTERNAL_ERROR.with("internal error"));
        }
    }

    private void run() {
        List<Task<?>> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Task<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                List<Runnable> completions = List.of();
                commitLock.lock();
                try {
                    if (backend.shared() && (first == null || System.nanoTime() - lastSync >= SYNC_INTERVAL_NANOS)) {
                        trySync();
                    }
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                    completions = guarded(batch);
                } finally {
                    queued.addAndGet(-batch.size());
                    commitLock.unlock();
                }
                completions.forEach(Runnable::run);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                LOG.error("writer failure", e); // An answer's own follow-up failed; the writer goes on.
            } finally {
                batch.clear();
            }
        }
        failLeftovers();
    }

    private void failLeftovers() {
        for (Task<?> task; (task = queue.poll()) != null;) {
            queued.decrementAndGet();
            task.result().completeExceptionally(unavailable());
        }
    }

    /** AWS's answer when the server cannot take a call for now (shutting down, the commit failed). */
    private static AwsException unavailable() {
        return ErrorCode.SERVICE_UNAVAILABLE.with("The request has failed due to a temporary failure of the server.");
    }

    /**
     * Runs and commits a batch (under the commit lock) and publishes its world; returns the callers' answers, to be
     * completed after the lock is released.
     */
    private List<Runnable> process(List<Task<?>> batch) {
        if (needsSync) {
            try {
                sync();
            } catch (RuntimeException e) {
                LOG.warn("cannot read the shared store; {} calls refused: {}", batch.size(), e.getMessage());
                failure = "cannot read the store: " + e.getMessage();
                return BatchRun.refuseAll(batch, Store::unavailable);
            }
        }
        BatchRun run = BatchRun.of(batch, world, clock, ids);
        if (!run.changes() && unsettled.isEmpty()) {
            world = run.working();
            return run.completions();
        }
        long committed;
        try {
            committed = commit(run);
        } catch (VersionConflictException e) {
            if (backend.shared()) {
                LOG.debug("another node committed first ({}); running {} calls again under the store's lock",
                        e.getMessage(), batch.size());
                return processExclusive(batch);
            }
            return failed(batch, run, e);
        } catch (RuntimeException | Error e) {
            return failed(batch, run, e);
        }
        unsettled.clear();
        failure = null;
        versionInDoubt = false;
        lastSync = System.nanoTime(); // The commit was conditional: nobody committed in between.
        world = run.working().withVersion(committed);
        return run.completions();
    }

    /**
     * A batch that lost its optimistic commit to another node's runs again while this node holds the store's write
     * lock ({@link Backend#commitExclusive}) on the world caught up under that lock, so it cannot lose twice: however
     * busy the other nodes are, every node makes progress.
     */
    private List<Runnable> processExclusive(List<Task<?>> batch) {
        World start = world;
        BatchRun[] last = new BatchRun[1];
        long version;
        try {
            version = backend.commitExclusive(start.version(), changes -> {
                BatchRun run = BatchRun.of(batch, WorldChanges.applied(start, changes), clock, ids);
                last[0] = run;
                return run.changes() ? run.rows() : null;
            });
        } catch (RuntimeException | Error e) {
            if (last[0] == null) {
                LOG.error("commit of {} calls failed; none is acknowledged or applied", batch.size(), e);
                failure = "the last commit failed: " + e.getMessage();
                needsSync = true;
                return BatchRun.refuseAll(batch, Store::unavailable);
            }
            return failed(batch, last[0], e);
        }
        failure = null;
        needsSync = false;
        lastSync = System.nanoTime();
        world = last[0].working().withVersion(version);
        return last[0].completions();
    }

    /** A batch whose commit failed: nothing is acknowledged, the calls that succeeded get ServiceUnavailable. */
    private List<Runnable> failed(List<Task<?>> batch, BatchRun run, Throwable e) {
        LOG.error("commit of {} calls failed; none is acknowledged or applied", batch.size(), e);
        failure = "the last commit failed: " + e.getMessage();
        if (backend.shared()) {
            needsSync = true; // The database is the truth: read it again rather than rewrite rows from this world.
        } else {
            versionInDoubt = true;
            unsettled.putAll(run.puts());
            unsettled.putAll(run.removes());
        }
        return run.refused(batch, Store::unavailable);
    }

    /** {@link #sync} from the idle loop: a failure is reported on the health endpoint and tried again later. */
    private void trySync() {
        try {
            sync();
        } catch (RuntimeException e) {
            String now = "cannot read the store: " + e.getMessage();
            if (!now.equals(failure)) {
                LOG.warn("{}", now);
            }
            failure = now;
            needsSync = true;
            lastSync = System.nanoTime(); // Try again after the interval, not in a tight loop.
        }
    }

    /**
     * Publishes what other nodes committed since this node's world (writer thread only). The world only moves
     * forward, so reads on one node are monotonic.
     */
    private void sync() {
        World current = world;
        Backend.Changes changes = backend.changesSince(current.version());
        lastSync = System.nanoTime();
        world = WorldChanges.applied(current, changes);
        needsSync = false;
        failure = null; // The database answers again; a commit that fails will say so.
    }

    /**
     * Commits a batch, together with the rows of earlier failed commits ({@link WorldChanges#withUnsettled}) if there
     * are any. Returns the version committed.
     */
    private long commit(BatchRun run) {
        // After a failure that may have been durable after all, the stored version is one ahead of the world's.
        long expected = versionInDoubt ? backend.version() : world.version();
        if (unsettled.isEmpty()) {
            backend.commit(expected, run.puts().values(), run.removes().values());
        } else {
            Backend.Batch rows = WorldChanges.withUnsettled(run, unsettled, world);
            backend.commit(expected, rows.puts(), rows.removes());
        }
        return expected + 1;
    }

    @Override
    public void close() {
        closed = true;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        commitLock.lock(); // An inline commit still running finishes first.
        try {
            backend.close();
        } finally {
            commitLock.unlock();
        }
    }
}
