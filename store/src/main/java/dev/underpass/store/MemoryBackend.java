package dev.underpass.store;

import dev.underpass.model.Resource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A non-durable backend for unit tests and {@code --data-dir :memory:}. */
public final class MemoryBackend implements Backend {
    private final Map<String, Resource> rows = new LinkedHashMap<>();
    private long version;

    @Override
    public synchronized List<Resource> load() {
        return new ArrayList<>(rows.values());
    }

    @Override
    public synchronized long version() {
        return version;
    }

    @Override
    public synchronized void commit(long expectedVersion, Collection<Resource> puts, Collection<Resource> removes) {
        if (version != expectedVersion) {
            throw new VersionConflictException(expectedVersion, version);
        }
        removes.forEach(r -> rows.remove(r.id()));
        puts.forEach(r -> rows.put(r.id(), r));
        version++;
    }

    @Override
    public String describe() {
        return "memory";
    }

    @Override
    public void close() {}
}
