package dev.underpass.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;
import org.pcollections.TreePMap;

/**
 * The whole emulated cloud at one instant: every resource of every account and region, immutable. Writers derive a
 * new world from the last one (structural sharing keeps that cheap) and the store swaps it in atomically after the
 * change is durable, so readers, the analyzer and describe calls always see one consistent state.
 *
 * <p>Resources are grouped by record type and ordered by id within a type; the order makes pagination tokens
 * stable ("the first id after X").
 */
public final class World {
    private static final World EMPTY = new World(HashTreePMap.empty(), 0, 0, AzMapping.ALIGNED);

    private final PMap<Class<?>, TreePMap<String, Resource>> byType;
    private final int size;
    /** The commit that made this world; see {@link #version()}. */
    private final long version;
    /** How each account names the zones of a region; see {@link #azMapping()}. */
    private final AzMapping azMapping;
    /** Values derived from this (immutable) world, computed once per snapshot on first use. */
    private final java.util.concurrent.ConcurrentHashMap<Object, Object> derived =
            new java.util.concurrent.ConcurrentHashMap<>();

    private World(PMap<Class<?>, TreePMap<String, Resource>> byType, int size, long version, AzMapping azMapping) {
        this.byType = byType;
        this.size = size;
        this.version = version;
        this.azMapping = azMapping;
    }

    public static World empty() {
        return EMPTY;
    }

    public static World of(Collection<? extends Resource> resources) {
        // In one pass: each type's records in an array with their ids beside them, sorted by id (no tree
        // rebalancing, no node per record), then each persistent map built from its sorted entries at once (linear),
        // rather than one persistent insertion per record. A repeated id keeps the last, as successive puts would.
        // A store's load hands the records over in id order already: each type's ids then come strictly ascending,
        // which this pass sees, and the sort and the search for repeats are skipped.
        Map<Class<?>, Group> groups = new java.util.HashMap<>();
        Class<?> lastType = null;
        Group last = null;
        for (Resource r : resources) {
            if (r.getClass() != lastType) {
                lastType = r.getClass();
                last = groups.computeIfAbsent(lastType, c -> new Group());
            }
            last.add(r.id(), r);
        }
        PMap<Class<?>, TreePMap<String, Resource>> byType = HashTreePMap.empty();
        int size = 0;
        for (Map.Entry<Class<?>, Group> e : groups.entrySet()) {
            Group g = e.getValue().sortedUnique();
            byType = byType.plus(e.getKey(), TreePMap.fromSortedMap(new SortedById(g.ids, g.records, g.size)));
            size += g.size;
        }
        return size == 0 ? EMPTY : new World(byType, size, 0, AzMapping.ALIGNED);
    }

    /** One type's records in the order given, with their ids, and whether those ids came strictly ascending. */
    private static final class Group {
        String[] ids = new String[16];
        Resource[] records = new Resource[16];
        int size;
        boolean ascending = true;

        void add(String id, Resource r) {
            if (size == ids.length) {
                ids = java.util.Arrays.copyOf(ids, size * 2);
                records = java.util.Arrays.copyOf(records, size * 2);
            }
            if (size > 0 && ids[size - 1].compareTo(id) >= 0) {
                ascending = false;
            }
            ids[size] = id;
            records[size++] = r;
        }

        /** This group sorted by id, the last of each repeated id kept (itself if its ids were ascending). */
        Group sortedUnique() {
            if (ascending) {
                return this;
            }
            Integer[] order = new Integer[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, java.util.Comparator.comparing((Integer i) -> ids[i])); // Stable.
            Group out = new Group();
            for (int k = 0; k < size; k++) {
                int i = order[k];
                if (k + 1 == size || !ids[i].equals(ids[order[k + 1]])) {
                    out.add(ids[i], records[i]);
                }
            }
            return out;
        }
    }

    /** Records already sorted by distinct ids, seen as a read-only sorted map for building a persistent one. */
    private static final class SortedById extends java.util.AbstractMap<String, Resource>
            implements java.util.SortedMap<String, Resource> {
        private final String[] ids;
        private final Resource[] records;
        private final int size;

        SortedById(String[] ids, Resource[] records, int size) {
            this.ids = ids;
            this.records = records;
            this.size = size;
        }

        @Override
        public java.util.Set<Entry<String, Resource>> entrySet() {
            return new java.util.AbstractSet<>() {
                @Override
                public java.util.Iterator<Entry<String, Resource>> iterator() {
                    return new java.util.Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < size;
                        }

                        @Override
                        public Entry<String, Resource> next() {
                            if (next == size) {
                                throw new java.util.NoSuchElementException();
                            }
                            int i = next++;
                            return new java.util.AbstractMap.SimpleImmutableEntry<>(ids[i], records[i]);
                        }
                    };
                }

                @Override
                public int size() {
                    return size;
                }
            };
        }

        @Override
        public java.util.Comparator<? super String> comparator() {
            return null; // natural order
        }

        @Override
        public String firstKey() {
            return ids[0];
        }

        @Override
        public String lastKey() {
            return ids[size - 1];
        }

        @Override
        public java.util.SortedMap<String, Resource> subMap(String from, String to) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.util.SortedMap<String, Resource> headMap(String to) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.util.SortedMap<String, Resource> tailMap(String from) {
            throw new UnsupportedOperationException();
        }
    }

    public int size() {
        return size;
    }

    /**
     * The number of the commit that made this world: 0 for a new store, one more for each committed batch, kept by
     * the backend so that it survives restarts. A world derived by {@link #put} or {@link #remove} keeps its
     * parent's version until the store commits it ({@link #withVersion}); a conditional commit names the version its
     * changes were made on.
     */
    public long version() {
        return version;
    }

    /** This world as the one committed under {@code newVersion}. */
    public World withVersion(long newVersion) {
        if (newVersion == version) {
            return this;
        }
        // The same records: the indexes built so far hold as they are. Without them every commit would leave the
        // next reader a full rebuild of each index it uses, a cost in proportion to the whole store.
        World next = new World(byType, size, newVersion, azMapping);
        Index.carryAll(this, next);
        return next;
    }

    /**
     * How the accounts of this world name the Availability Zones of a region ({@code serve --az-mapping}): {@link
     * AzMapping#ALIGNED} unless the store was opened with another. A setting of the server rather than a stored
     * record, fixed for the life of a store; every world derived from this one keeps it.
     */
    public AzMapping azMapping() {
        return azMapping;
    }

    /** This world with its zones named by {@code mapping}. */
    public World withAzMapping(AzMapping mapping) {
        return mapping == azMapping ? this
                : new World(byType, size, version, java.util.Objects.requireNonNull(mapping, "mapping"));
    }

    /**
     * A value derived from this world (an index, a count), computed at most once per world. Safe because a world
     * never changes; {@code key} must identify the derivation (a constant of the caller's).
     */
    @SuppressWarnings("unchecked")
    public <T> T derive(Object key, java.util.function.Function<World, T> derivation) {
        Object v = derived.get(key);
        if (v == null) {
            v = derivation.apply(this);
            derived.putIfAbsent(key, v);
        }
        return (T) v;
    }

    public <T extends Resource> Optional<T> find(Class<T> type, String id) {
        if (id == null) {
            return Optional.empty();
        }
        TreePMap<String, Resource> map = byType.get(type);
        return map == null ? Optional.empty() : Optional.ofNullable(type.cast(map.get(id)));
    }

    /** {@link #find(Class, String)} by a typed id; none for null. */
    public <T extends Resource> Optional<T> find(Class<T> type, ResourceId id) {
        return id == null ? Optional.empty() : find(type, id.value());
    }

    /** The resource with this id, whatever its type. */
    public Optional<Resource> findAny(String id) {
        for (TreePMap<String, Resource> map : byType.values()) {
            Resource r = map.get(id);
            if (r != null) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** Every resource of a type, in id order. */
    @SuppressWarnings("unchecked")
    public <T extends Resource> Collection<T> all(Class<T> type) {
        TreePMap<String, Resource> map = byType.get(type);
        return map == null ? List.of() : (Collection<T>) map.values();
    }

    /** Every resource of a type that matches {@code filter}, in id order. */
    public <T extends Resource> List<T> all(Class<T> type, Predicate<? super T> filter) {
        List<T> out = new ArrayList<>();
        for (T r : all(type)) {
            if (filter.test(r)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Every resource of a type owned by one account in one region. */
    public <T extends Resource> List<T> owned(Class<T> type, String accountId, String region) {
        return all(type, r -> r.ownerId().equals(accountId) && r.region().equals(region));
    }

    public World put(Resource r) {
        TreePMap<String, Resource> map = byType.get(r.getClass());
        if (map == null) {
            map = TreePMap.empty();
        }
        boolean added = !map.containsKey(r.id());
        return new World(byType.plus(r.getClass(), map.plus(r.id(), r)), added ? size + 1 : size, version, azMapping);
    }

    public World remove(Resource r) {
        TreePMap<String, Resource> map = byType.get(r.getClass());
        if (map == null || !map.containsKey(r.id())) {
            return this;
        }
        return new World(byType.plus(r.getClass(), map.minus(r.id())), size - 1, version, azMapping);
    }

    /** Every resource, in type then id order; used by snapshots and tests. */
    public List<Resource> everything() {
        List<Resource> out = new ArrayList<>(size);
        for (Map.Entry<Class<?>, TreePMap<String, Resource>> e : byType.entrySet()) {
            out.addAll(e.getValue().values());
        }
        return out;
    }
}
