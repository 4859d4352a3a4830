package dev.underpass.store;

import dev.underpass.model.Resource;
import java.util.Collection;
import java.util.List;

/**
 * Where committed resources live. The embedded SQLite backend is the default; a PostgreSQL backend for several
 * server nodes will implement the same two calls. A backend only has to make a batch atomic and durable: ordering,
 * validation and snapshots are the {@link Store}'s job.
 */
public interface Backend extends AutoCloseable {
    /** Every stored resource, read once at start-up. */
    List<Resource> load();

    /**
     * Makes {@code puts} and {@code removes} durable in one atomic transaction, or throws and changes nothing. Returns
     * only once the data would survive a crash of the process or the machine.
     */
    void commit(Collection<Resource> puts, Collection<Resource> removes);

    /** A short description for the health endpoint and logs. */
    String describe();

    @Override
    void close();
}
