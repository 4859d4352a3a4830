package dev.underpass.model.org;

import dev.underpass.model.Resource;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An account's membership of an organization, the management account's own included: the record's id is the
 * 12-digit account id (an account belongs to at most one organization), its owner the management account.
 *
 * @param parentId the root or OU the account sits in
 * @param joinedMethod {@code INVITED} or {@code CREATED}, as AWS reports it
 */
public record MemberAccount(String id, String ownerId, String region, String orgId, String parentId, String name,
        String email, String joinedMethod, Instant joinedAt, Map<String, String> tags, Instant closedAt)
        implements Resource {
    /** An account that was never closed. */
    public MemberAccount(String id, String ownerId, String region, String orgId, String parentId, String name,
            String email, String joinedMethod, Instant joinedAt, Map<String, String> tags) {
        this(id, ownerId, region, orgId, parentId, name, email, joinedMethod, joinedAt, tags, null);
    }

    public MemberAccount {
        tags = tags == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    public String arn() {
        return "arn:aws:organizations::" + ownerId + ":account/" + orgId + "/" + id;
    }

    public MemberAccount withParent(String newParent) {
        return new MemberAccount(id, ownerId, region, orgId, newParent, name, email, joinedMethod, joinedAt, tags,
                closedAt);
    }

    @Override
    public MemberAccount withTags(Map<String, String> newTags) {
        return new MemberAccount(id, ownerId, region, orgId, parentId, name, email, joinedMethod, joinedAt, newTags,
                closedAt);
    }

    /** The account closed at {@code at}: {@code SUSPENDED} in the organization for AWS's 90 days. */
    public MemberAccount closed(Instant at) {
        return new MemberAccount(id, ownerId, region, orgId, parentId, name, email, joinedMethod, joinedAt, tags, at);
    }

    /** {@code ACTIVE}, or {@code SUSPENDED} once closed (AWS's Status and State both say so until it is gone). */
    public String status() {
        return closedAt == null ? "ACTIVE" : "SUSPENDED";
    }

    @Override
    public String resourceType() {
        return "organization-account";
    }
}
