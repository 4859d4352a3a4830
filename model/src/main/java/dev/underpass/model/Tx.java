package dev.underpass.model;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One mutating call's view of the world: it reads the state as left by the calls committed before it, records its
 * own puts and removes, and either all of them become durable together or none do.
 */
public final class Tx {
    private final World start;
    private World world;
    private final Caller caller;
    private final Instant now;
    private final IdSource ids;
    private final Map<String, Resource> changes = new LinkedHashMap<>();
    private final Map<String, Resource> removed = new LinkedHashMap<>();

    public Tx(World world, Caller caller, Instant now) {
        this(world, caller, now, IdSource.random());
    }

    /** A call that draws its new ids from {@code ids} (the store's source: seeded or random). */
    public Tx(World world, Caller caller, Instant now, IdSource ids) {
        this.start = world;
        this.world = world;
        this.caller = caller;
        this.now = now;
        this.ids = ids;
    }

    public World world() {
        return world;
    }

    public Caller caller() {
        return caller;
    }

    public Instant now() {
        return now;
    }

    /**
     * Where this call's new ids come from. The store also binds it as {@link Ids#source()} while the call runs, so
     * {@code tx.ids().next("vpc")} and {@code Ids.next("vpc")} draw from the same sequence.
     */
    public IdSource ids() {
        return ids;
    }

    public <T extends Resource> Optional<T> find(Class<T> type, String id) {
        return world.find(type, id);
    }

    /** {@link #find(Class, String)} by a typed id; none for null. */
    public <T extends Resource> Optional<T> find(Class<T> type, ResourceId id) {
        return world.find(type, id);
    }

    public <T extends Resource> Collection<T> all(Class<T> type) {
        return world.all(type);
    }

    public <T extends Resource> List<T> all(Class<T> type, Predicate<? super T> filter) {
        return world.all(type, filter);
    }

    public <T extends Resource> T put(T r) {
        World before = world;
        world = world.put(r);
        Index.carry(before, world, before.find(typeOf(r), r.id()).orElse(null), r);
        changes.put(r.id(), r);
        removed.remove(r.id());
        return r;
    }

    public void remove(Resource r) {
        World before = world;
        world = world.remove(r);
        Index.carry(before, world, before.find(typeOf(r), r.id()).orElse(null), null);
        changes.remove(r.id());
        removed.put(r.id(), r);
    }

    @SuppressWarnings("unchecked")
    private static Class<Resource> typeOf(Resource r) {
        return (Class<Resource>) r.getClass();
    }

    /** Resources written by this call, last version of each. */
    public Collection<Resource> puts() {
        return changes.values();
    }

    /** Resources removed by this call. */
    public Collection<Resource> removes() {
        return removed.values();
    }

    /** Forgets every change, as when the call fails. */
    public void rollback() {
        world = start;
        changes.clear();
        removed.clear();
    }

    public boolean isEmpty() {
        return changes.isEmpty() && removed.isEmpty();
    }
}
