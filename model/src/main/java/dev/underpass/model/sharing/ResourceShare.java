package dev.underpass.model.sharing;

import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import java.time.Instant;
import java.util.Map;

/**
 * A RAM resource share ({@code arn:aws:ram:<region>:<account>:resource-share/<uuid>}, which is also its id): a
 * name, whether principals outside the owner's organization may be added, and a status ({@code ACTIVE}, then
 * {@code DELETED}; a deleted share stays listed, as AWS lists it for a while). Its resources and principals are
 * {@link ShareAssociation}s.
 */
public record ResourceShare(String id, String ownerId, String region, String name, boolean allowExternalPrincipals,
        String status, Instant createdAt, Instant updatedAt, Map<String, String> tags) implements Resource {
    public static final String ACTIVE = "ACTIVE";
    public static final String DELETED = "DELETED";

    public ResourceShare {
        tags = Tags.copy(tags);
    }

    public String arn() {
        return id;
    }

    public boolean active() {
        return ACTIVE.equals(status);
    }

    public ResourceShare with(String newName, boolean allowExternal, String newStatus, Instant at) {
        return new ResourceShare(id, ownerId, region, newName, allowExternal, newStatus, createdAt, at, tags);
    }

    @Override
    public ResourceShare withTags(Map<String, String> newTags) {
        return new ResourceShare(id, ownerId, region, name, allowExternalPrincipals, status, createdAt, updatedAt,
                newTags);
    }

    @Override
    public String resourceType() {
        return "resource-share";
    }
}
