package dev.underpass.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;
import org.pcollections.TreePMap;

/**
 * The resources of one type grouped by a key (their account and region, the instance an interface is attached to,
 * the service an endpoint connects to), so that a rule reads the few records it is about instead of scanning every
 * record of every account. Records whose key is null are in no group, so a lookup never has to compare a field
 * another kind of record leaves empty (a load balancer's interface has no instance).
 *
 * <p>An index is a value derived from one {@link World} ({@link World#derive}): built on first use from that world,
 * then carried forward by {@link Tx} with each put and remove (all of a world's built indexes move together; those
 * of the changed record's type are updated in O(log n)), so a world a transaction makes inherits its predecessor's
 * groups instead of rebuilding them. Only a world made outside a {@code Tx} (the store loading its records) pays for
 * one full build, on first use. Groups are persistent maps ordered by id, like {@code World}.
 *
 * <p>Why not a scan with the owner checked first: a scan still costs every write time in proportion to the whole
 * store, and one malformed record of any account could still fail every account's calls.
 */
public final class Index<T extends Resource, K> {
    /** Every index made so far, by the record type it groups; Tx carries these forward. */
    private static final Map<Class<?>, List<Index<?, ?>>> BY_TYPE = new ConcurrentHashMap<>();
    /** The key under which a world keeps its built indexes ({@link World#derive}). */
    private static final Object BUILT = new Object();
    /** The account-and-region index of each type, made on first use. */
    private static final Map<Class<?>, Index<?, Scope>> OWNER = new ConcurrentHashMap<>();

    /** An account in a region: the scope of {@link #owned}. */
    public record Scope(String accountId, String region) {}

    private final Class<T> type;
    private final Function<? super T, ? extends Collection<? extends K>> keys;

    private Index(Class<T> type, Function<? super T, ? extends Collection<? extends K>> keys) {
        this.type = type;
        this.keys = keys;
    }

    /** A new index of {@code type} by {@code key} (null: not indexed). Keep it in a constant: each is built once. */
    public static <T extends Resource, K> Index<T, K> by(Class<T> type, Function<? super T, ? extends K> key) {
        return byEach(type, r -> {
            K k = key.apply(r);
            return k == null ? List.of() : List.of(k);
        });
    }

    /** A new index in which a record is in the group of each of its keys (none: not indexed). */
    public static <T extends Resource, K> Index<T, K> byEach(Class<T> type,
            Function<? super T, ? extends Collection<? extends K>> keys) {
        Index<T, K> index = new Index<>(type, keys);
        BY_TYPE.computeIfAbsent(type, t -> new CopyOnWriteArrayList<>()).add(index);
        return index;
    }

    /** The resources of {@code type} owned by an account in a region, in id order. */
    @SuppressWarnings("unchecked")
    public static <T extends Resource> Collection<T> owned(World world, Class<T> type, String accountId,
            String region) {
        Index<T, Scope> index = (Index<T, Scope>) OWNER.computeIfAbsent(type,
                t -> by(type, r -> new Scope(r.ownerId(), r.region())));
        return index.get(world, new Scope(accountId, region));
    }

    /** Those of {@link #owned} that match {@code filter}, in id order. */
    public static <T extends Resource> List<T> owned(World world, Class<T> type, String accountId, String region,
            Predicate<? super T> filter) {
        List<T> out = new ArrayList<>();
        for (T r : owned(world, type, accountId, region)) {
            if (filter.test(r)) {
                out.add(r);
            }
        }
        return out;
    }

    /** The records whose key is {@code k}, in id order; empty for a null key. */
    @SuppressWarnings("unchecked")
    public Collection<T> get(World world, K k) {
        if (k == null) {
            return List.of();
        }
        TreePMap<String, Resource> group = world.derive(BUILT, Built::new).groups(this).get(k);
        return group == null ? List.of() : (Collection<T>) group.values();
    }

    /** Those of {@link #get} that match {@code filter}, in id order. */
    public List<T> get(World world, K k, Predicate<? super T> filter) {
        List<T> out = new ArrayList<>();
        for (T r : get(world, k)) {
            if (filter.test(r)) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * Called by {@link Tx} after {@code after} was made from {@code before} by replacing {@code old} (null if none)
     * with {@code now} (null for a removal): every index already built for {@code before} (of any type) is carried
     * to {@code after}, those of the changed record's type updated.
     */
    static void carry(World before, World after, Resource old, Resource now) {
        if (before == after) {
            return;
        }
        PMap<Index<?, ?>, PMap<Object, TreePMap<String, Resource>>> built = before.derive(BUILT, Built::new).built;
        if (built.isEmpty()) {
            return;
        }
        Class<?> type = now != null ? now.getClass() : old.getClass();
        for (Index<?, ?> index : BY_TYPE.getOrDefault(type, List.of())) {
            PMap<Object, TreePMap<String, Resource>> groups = built.get(index);
            if (groups != null) {
                built = built.plus(index, index.update(groups, old, now));
            }
        }
        PMap<Index<?, ?>, PMap<Object, TreePMap<String, Resource>>> carried = built;
        after.derive(BUILT, w -> new Built(w, carried));
    }

    /** Called by {@link World#withVersion}: {@code after} has {@code before}'s records, so it takes its indexes. */
    static void carryAll(World before, World after) {
        PMap<Index<?, ?>, PMap<Object, TreePMap<String, Resource>>> built = before.derive(BUILT, Built::new).built;
        if (!built.isEmpty()) {
            after.derive(BUILT, w -> new Built(w, built));
        }
    }

    private PMap<Object, TreePMap<String, Resource>> update(PMap<Object, TreePMap<String, Resource>> groups,
            Resource old, Resource now) {
        if (old != null) {
            for (Object k : keysOf(old)) {
                groups = without(groups, k, old.id());
            }
        }
        if (now != null) {
            for (Object k : keysOf(now)) {
                groups = with(groups, k, now);
            }
        }
        return groups;
    }

    private PMap<Object, TreePMap<String, Resource>> build(World world) {
        PMap<Object, TreePMap<String, Resource>> g = HashTreePMap.empty();
        for (T r : world.all(type)) {
            for (Object k : keysOf(r)) {
                g = with(g, k, r);
            }
        }
        return g;
    }

    private Collection<? extends K> keysOf(Resource r) {
        Collection<? extends K> ks = keys.apply(type.cast(r));
        return ks == null ? List.of() : ks;
    }

    private static PMap<Object, TreePMap<String, Resource>> without(PMap<Object, TreePMap<String, Resource>> groups,
            Object k, String id) {
        if (k == null) {
            return groups;
        }
        TreePMap<String, Resource> group = groups.get(k);
        if (group == null || !group.containsKey(id)) {
            return groups;
        }
        TreePMap<String, Resource> rest = group.minus(id);
        return rest.isEmpty() ? groups.minus(k) : groups.plus(k, rest);
    }

    private static PMap<Object, TreePMap<String, Resource>> with(PMap<Object, TreePMap<String, Resource>> groups,
            Object k, Resource r) {
        if (k == null) {
            return groups;
        }
        TreePMap<String, Resource> group = groups.get(k);
        return groups.plus(k, (group == null ? TreePMap.<String, Resource>empty() : group).plus(r.id(), r));
    }

    /**
     * Every index built for one world, in one derived value so that a put carries them all at once. An index not
     * yet built (nor carried) is built on first use.
     */
    private static final class Built {
        private final World world;
        private volatile PMap<Index<?, ?>, PMap<Object, TreePMap<String, Resource>>> built;

        Built(World world) {
            this(world, HashTreePMap.empty());
        }

        Built(World world, PMap<Index<?, ?>, PMap<Object, TreePMap<String, Resource>>> built) {
            this.world = world;
            this.built = built;
        }

        PMap<Object, TreePMap<String, Resource>> groups(Index<?, ?> index) {
            PMap<Object, TreePMap<String, Resource>> g = built.get(index);
            if (g == null) {
                synchronized (this) {
                    g = built.get(index);
                    if (g == null) {
                        g = index.build(world);
                        built = built.plus(index, g);
                    }
                }
            }
            return g;
        }
    }
}
