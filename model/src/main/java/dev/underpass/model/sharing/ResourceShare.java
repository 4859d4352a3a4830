package dev.underpass.model.sharing;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.AwsNamed;

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
        Status status, Instant createdAt, Instant updatedAt, Map<String, String> tags) implements Resource {
    /** AWS's share statuses ({@code ResourceShareStatus}); underpass's shares are active, then deleted. */
    public enum Status implements AwsNamed {
        PENDING,
        ACTIVE,
        FAILED,
        DELETING,
        DELETED;

        /** AWS's name, as the API and the store write it and messages quote it. */
        @JsonValue
        @Override
        public String toString() {
            return Spelling.UPPER.of(this);
        }
    }

    public ResourceShare {
        tags = Tags.copy(tags);
    }

    public String arn() {
        return id;
    }

    public boolean active() {
        return status == Status.ACTIVE;
    }

    public ResourceShare with(String newName, boolean allowExternal, Status newStatus, Instant at) {
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
