package dev.underpass.store;

import dev.underpass.model.Resource;
import java.util.Collection;
import java.util.List;

/**
 * A test backend that keeps its rows in a {@link MemoryBackend} and lets a subclass change only what a commit does
 * (fail, watch threads, slow down): the fakes of several store tests differ in that one method and nothing else.
 */
abstract class WrappedMemoryBackend implements Backend {
    final MemoryBackend rows = new MemoryBackend();
    private final String name;

    WrappedMemoryBackend(String name) {
        this.name = name;
    }

    @Override
    public List<Resource> load() {
        return rows.load();
    }

    @Override
    public long version() {
        return rows.version();
    }

    @Override
    public abstract void commit(long expectedVersion, Collection<Resource> puts, Collection<Resource> removes);

    @Override
    public String describe() {
        return name;
    }

    @Override
    public void close() {}
}
