package dev.underpass.store;

import dev.underpass.model.Resource;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Where committed resources live. The embedded SQLite backend is the default; a PostgreSQL backend for several
 * server nodes will implement the same calls. A backend only has to make a batch atomic and durable, and number the
 * batches: ordering, validation and snapshots are the {@link Store}'s job.
 *
 * <p>The stored world has a version: 0 when the store is new, one more for each commit. A commit names the version
 * its changes were made on and fails with {@link VersionConflictException} if the backend holds another, so that two
 * nodes sharing one database can never both commit on the same world.
 */
public interface Backend extends AutoCloseable {
    /** Every stored resource, read once at start-up. */
    List<Resource> load();

    /** The version of the stored world: 0 for a new store, one more for each commit since. */
    long version();

    /**
     * Makes {@code puts} and {@code removes} durable in one atomic transaction together with the version
     * {@code expectedVersion + 1}, or throws and changes nothing. Returns only once the data would survive a crash of
     * the process or the machine.
     *
     * @throws VersionConflictException if the stored version is not {@code expectedVersion} (nothing changed)
     */
    void commit(long expectedVersion, Collection<Resource> puts, Collection<Resource> removes);

    /**
     * Whether other processes may commit to this backend too (PostgreSQL shared by several nodes). The {@link Store}
     * of such a backend polls for their commits and retries a batch that lost a {@link VersionConflictException}.
     */
    default boolean shared() {
        return false;
    }

    /**
     * What was committed after version {@code since}, read as one consistent snapshot: the changes themselves when
     * the backend still has them, otherwise (or when {@code since} is negative) every stored resource. The default
     * reads everything, which only a single-writer backend may do without a transaction.
     */
    default Changes changesSince(long since) {
        return Changes.everything(version(), load());
    }

    /**
     * Takes the store's write lock, reads what was committed after {@code since} ({@link #changesSince}), lets
     * {@code prepare} make a batch on that world ({@code null} or empty: nothing to commit), commits it and lets the
     * lock go: no other writer commits between the read and the commit, so the batch cannot conflict. Returns the
     * stored version afterwards. A node that keeps losing its optimistic {@link #commit} to other nodes' falls back
     * on this, so that it cannot starve. A single-writer backend needs no lock: the default reads and commits.
     */
    default long commitExclusive(long since, Function<Changes, Batch> prepare) {
        Changes changes = changesSince(since);
        Batch batch = prepare.apply(changes);
        if (batch == null || batch.isEmpty()) {
            return changes.version();
        }
        commit(changes.version(), batch.puts(), batch.removes());
        return changes.version() + 1;
    }

    /** What one commit puts and removes. */
    record Batch(Collection<Resource> puts, Collection<Resource> removes) {
        public Batch {
            puts = List.copyOf(puts);
            removes = List.copyOf(removes);
        }

        public boolean isEmpty() {
            return puts.isEmpty() && removes.isEmpty();
        }
    }

    /**
     * The stored world at {@link #version()} relative to an older one: either the resources put and removed since
     * ({@code full} false), or all of them ({@code full} true, {@code removes} empty).
     */
    record Changes(long version, boolean full, List<Resource> puts, List<Resource> removes) {
        public Changes {
            puts = List.copyOf(puts);
            removes = List.copyOf(removes);
        }

        public static Changes everything(long version, List<Resource> all) {
            return new Changes(version, true, all, List.of());
        }
    }

    /** A short description for the health endpoint and logs. */
    String describe();

    @Override
    void close();
}
