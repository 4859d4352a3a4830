package dev.underpass.model.org;

import dev.underpass.model.UntaggedResource;
import java.time.Instant;

/**
 * An invitation from an organization to an account ({@code INVITE} handshake, {@code h-} and 10 characters):
 * {@code OPEN} until the invited account accepts or declines it, the management account cancels it, or it expires
 * after 15 days. Owned by the management account.
 */
public record Handshake(String id, String ownerId, String region, String orgId, String action,
        String targetAccountId, String state, String notes, Instant requestedAt, Instant expiresAt)
        implements UntaggedResource {
    public String arn() {
        return "arn:aws:organizations::" + ownerId + ":handshake/" + orgId + "/" + action.toLowerCase(
                java.util.Locale.ROOT) + "/" + id;
    }

    public Handshake withState(String newState) {
        return new Handshake(id, ownerId, region, orgId, action, targetAccountId, newState, notes, requestedAt,
                expiresAt);
    }

    @Override
    public String resourceType() {
        return "organization-handshake";
    }
}
