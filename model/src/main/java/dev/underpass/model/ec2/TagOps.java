package dev.underpass.model.ec2;

import dev.underpass.model.Caller;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Index;
import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * CreateTags, DeleteTags and DescribeTags over every resource type: a resource is found by its id alone, whatever
 * its kind, and must belong to the caller. All resources of one call are checked before any is changed, so a bad id
 * changes nothing.
 *
 * <p>Follows <a href="https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateTags.html">CreateTags</a> and
 * <a href="https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteTags.html">DeleteTags</a>.
 */
public final class TagOps {
    private TagOps() {}

    /** A key to delete, and the value it must have (null: whatever the value). */
    public record Removal(String key, String value) {}

    /** One tag of one resource, as DescribeTags lists it. */
    public record Entry(String resourceId, String resourceType, String key, String value) {}

    /** Adds or overwrites tags on every named resource. */
    public static void create(Tx tx, List<String> resourceIds, Map<String, String> tags) {
        List<Resource> targets = resolve(tx.world(), tx.caller(), resourceIds);
        if (tags.isEmpty()) {
            throw Ec2Errors.missingParameter("Tag");
        }
        for (Map.Entry<String, String> t : tags.entrySet()) {
            Tags.check(t.getKey(), t.getValue());
        }
        for (Resource r : targets) {
            tx.put(withTagsOf(tx.caller(), r, Tags.merge(tagsOf(tx.caller(), r), tags)));
        }
    }

    /**
     * Removes tags: a removal with a value removes the key only where the value matches; without one, the key goes
     * whatever its value. No removals at all removes every tag.
     */
    public static void delete(Tx tx, List<String> resourceIds, List<Removal> removals) {
        List<Resource> targets = resolve(tx.world(), tx.caller(), resourceIds);
        for (Removal r : removals) {
            if (r.key() == null || r.key().isEmpty()) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.with("Tag key must not be empty");
            }
            if (r.key().regionMatches(true, 0, "aws:", 0, 4)) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                        "Tag keys starting with 'aws:' are reserved for internal use: '%s'", r.key());
            }
        }
        for (Resource target : targets) {
            Map<String, String> before = tagsOf(tx.caller(), target);
            Map<String, String> kept = new LinkedHashMap<>(before);
            if (removals.isEmpty()) {
                kept.clear();
            }
            for (Removal r : removals) {
                String current = kept.get(r.key());
                if (current != null && (r.value() == null || r.value().equals(current))) {
                    kept.remove(r.key());
                }
            }
            if (kept.size() != before.size()) {
                tx.put(withTagsOf(tx.caller(), target, Collections.unmodifiableMap(kept)));
            }
        }
    }

    /** EC2's own record types: DescribeTags covers these (load balancers are tagged through ELBv2). */
    private static final List<Class<? extends Resource>> RESOURCE_TYPES = Ec2ResourceKinds.ALL.stream()
            .<Class<? extends Resource>>map(k -> k.type()).toList();

    /** Every tag on every resource the caller owns in its region, ordered by resource id then key. */
    public static List<Entry> describe(World world, Caller caller) {
        List<Entry> out = new ArrayList<>();
        for (Class<? extends Resource> type : RESOURCE_TYPES) {
            for (Resource r : Index.owned(world, type, caller.accountId(), caller.region())) {
                tagsOf(caller, r).forEach((k, v) -> out.add(new Entry(r.id(), r.resourceType(), k, v)));
            }
        }
        // The accepter's side of a peering connection: its own tags on a resource another account owns.
        for (PeeringConnection p : world.all(PeeringConnection.class, p -> acceptedBy(caller, p))) {
            if (!Visibility.owns(caller, p)) {
                tagsOf(caller, p).forEach((k, v) -> out.add(new Entry(p.id(), p.resourceType(), k, v)));
            }
        }
        out.sort((a, b) -> {
            int c = a.resourceId().compareTo(b.resourceId());
            return c != 0 ? c : a.key().compareTo(b.key());
        });
        return out;
    }

    /**
     * Whether the caller is the accepter side of a VPC peering connection: AWS lets each side tag the connection, and
     * the tags apply only on that side.
     */
    private static boolean acceptedBy(Caller caller, Resource r) {
        return r instanceof PeeringConnection p && PeeringConnections.isAccepter(p, caller);
    }

    /** The tags the caller sees on the resource (a peering connection keeps one set per side). */
    private static Map<String, String> tagsOf(Caller caller, Resource r) {
        return r instanceof PeeringConnection p && !PeeringConnections.isRequester(p, caller) ? p.accepterTags()
                : r.tags();
    }

    private static Resource withTagsOf(Caller caller, Resource r, Map<String, String> tags) {
        return r instanceof PeeringConnection p && !PeeringConnections.isRequester(p, caller)
                ? p.withAccepterTags(tags) : r.withTags(tags);
    }

    /**
     * The caller's resources named by id. An id of no known shape is {@code InvalidID}; a well-formed id of a known
     * kind that the caller does not own is that kind's NotFound error, so other accounts' resources stay invisible.
     */
    static List<Resource> resolve(World world, Caller caller, List<String> ids) {
        if (ids == null || ids.isEmpty()) {
            throw Ec2Errors.missingParameter("ResourceId");
        }
        List<Resource> out = new ArrayList<>();
        for (String id : new LinkedHashSet<>(ids)) {
            Resource r = world.findAny(id).filter(x -> Visibility.owns(caller, x) || acceptedBy(caller, x))
                    .orElse(null);
            if (r != null) {
                out.add(r);
                continue;
            }
            Kind kind = Kind.ofId(id);
            if (kind == null || !Ids.wellFormed(kind.prefix(), id)) {
                throw ErrorCode.INVALID_ID.format("The ID '%s' is not valid", id);
            }
            throw kind.notFound(id);
        }
        return out;
    }
}
