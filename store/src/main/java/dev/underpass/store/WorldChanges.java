package dev.underpass.store;

import dev.underpass.model.Resource;
import dev.underpass.model.World;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The two ways the {@link Store}'s writer reconciles its world with the rows on the backend, as pure functions:
 * folding in what other nodes committed (a shared backend), and adding to a batch the rows of earlier failed
 * commits so that the disk ends up equal to the world (a local backend). The writer decides when; these say what.
 */
final class WorldChanges {
    private WorldChanges() {}

    /** {@code current} with what other nodes committed since, at their version; never an older world. */
    static World applied(World current, Backend.Changes changes) {
        if (changes.version() < current.version()) {
            throw new IllegalStateException("the store is at version " + changes.version() + ", behind this node's "
                    + current.version() + " (was the database replaced?)");
        }
        if (changes.full()) {
            return World.of(changes.puts()).withVersion(changes.version()).withAzMapping(current.azMapping());
        }
        if (changes.version() == current.version()) {
            return current;
        }
        World w = current;
        for (Resource r : changes.removes()) {
            w = w.remove(r);
        }
        for (Resource r : changes.puts()) {
            // A resource's type never changes under one id; drop a stale copy of another type all the same.
            Optional<Resource> old = w.findAny(r.id());
            if (old.isPresent() && old.get().getClass() != r.getClass()) {
                w = w.remove(old.get());
            }
            w = w.put(r);
        }
        return w.withVersion(changes.version());
    }

    /**
     * The batch {@code run} plus the rows of earlier failed commits ({@code unsettled}), each as {@code world} has it
     * now: written again where the world holds it, removed where it does not. A failed commit normally leaves
     * nothing, but if the failure came after SQLite had made it durable, those rows would differ from the world,
     * which never took the batch; this makes the disk equal the world whatever the failure did. The batch's own
     * changes win over the older rows.
     */
    static Backend.Batch withUnsettled(BatchRun run, Map<String, Resource> unsettled, World world) {
        Map<String, Resource> allPuts = new LinkedHashMap<>();
        Map<String, Resource> allRemoves = new LinkedHashMap<>();
        for (Resource r : unsettled.values()) {
            world.find(r.getClass(), r.id()).ifPresentOrElse(now -> allPuts.put(now.id(), now),
                    () -> allRemoves.put(r.id(), r));
        }
        run.removes().forEach((id, r) -> {
            allPuts.remove(id);
            allRemoves.put(id, r);
        });
        run.puts().forEach((id, r) -> {
            allRemoves.remove(id);
            allPuts.put(id, r);
        });
        return new Backend.Batch(allPuts.values(), allRemoves.values());
    }
}
