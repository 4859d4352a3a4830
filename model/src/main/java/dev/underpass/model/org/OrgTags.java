package dev.underpass.model.org;

import dev.underpass.model.Tx;
import dev.underpass.model.World;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TagResource, UntagResource and ListTagsForResource: tags on the organization's root, its OUs, its member accounts
 * and its customer-managed policies, by the management account only. At most 50 tags on a resource
 * ({@code ConstraintViolationException}, {@code MAX_TAG_LIMIT_EXCEEDED}); an id of nothing in the organization is
 * {@code TargetNotFoundException}.
 */
public final class OrgTags {
    /** Tags one resource may carry. */
    public static final int MAX_TAGS = 50;

    private OrgTags() {}

    /** The tags of {@code resourceId} in the caller's organization. */
    public static Map<String, String> list(World world, String callerAccount, String resourceId) {
        Organization org = Organizations.requireManagement(world, callerAccount);
        return tagsOf(world, org, resourceId);
    }

    /** Adds or replaces {@code tags} on {@code resourceId}. */
    public static void tag(Tx tx, String resourceId, Map<String, String> tags) {
        Organization org = Organizations.requireManagement(tx.world(), tx.caller().accountId());
        Map<String, String> next = new LinkedHashMap<>(tagsOf(tx.world(), org, resourceId));
        next.putAll(tags);
        if (next.size() > MAX_TAGS) {
            throw OrgError.CONSTRAINT_VIOLATION.because("MAX_TAG_LIMIT_EXCEEDED", "You have exceeded the maximum "
                    + "number of tags allowed on this resource (" + MAX_TAGS + ").");
        }
        put(tx, org, resourceId, next);
    }

    /** Removes {@code keys} from {@code resourceId} (keys it does not have are ignored, as in AWS). */
    public static void untag(Tx tx, String resourceId, List<String> keys) {
        Organization org = Organizations.requireManagement(tx.world(), tx.caller().accountId());
        Map<String, String> next = new LinkedHashMap<>(tagsOf(tx.world(), org, resourceId));
        keys.forEach(next::remove);
        put(tx, org, resourceId, next);
    }

    private static Map<String, String> tagsOf(World world, Organization org, String id) {
        if (id.equals(org.rootId())) {
            return org.rootTags();
        }
        if (Organizations.ACCOUNT_ID.matcher(id).matches()) {
            return world.find(MemberAccount.class, id).filter(m -> m.orgId().equals(org.id()))
                    .map(MemberAccount::tags).orElseThrow(() -> notFound());
        }
        if (Organizations.OU_ID.matcher(id).matches()) {
            return world.find(OrganizationalUnit.class, id).filter(u -> u.orgId().equals(org.id()))
                    .map(OrganizationalUnit::tags).orElseThrow(() -> notFound());
        }
        if (Organizations.POLICY_ID.matcher(id).matches()) {
            return Organizations.policy(world, org, id).filter(p -> !p.awsManaged()).map(ControlPolicy::tags)
                    .orElseThrow(() -> notFound());
        }
        throw notFound();
    }

    private static void put(Tx tx, Organization org, String id, Map<String, String> tags) {
        if (id.equals(org.rootId())) {
            tx.put(org.withRootTags(tags));
        } else if (Organizations.ACCOUNT_ID.matcher(id).matches()) {
            tx.put(tx.find(MemberAccount.class, id).orElseThrow().withTags(tags));
        } else if (Organizations.OU_ID.matcher(id).matches()) {
            tx.put(tx.find(OrganizationalUnit.class, id).orElseThrow().withTags(tags));
        } else {
            tx.put(Organizations.policy(tx.world(), org, id).orElseThrow().withTags(tags));
        }
    }

    private static dev.underpass.model.AwsException notFound() {
        return OrgError.TARGET_NOT_FOUND.with("We can't find a resource that matches the ID that you specified.");
    }
}
