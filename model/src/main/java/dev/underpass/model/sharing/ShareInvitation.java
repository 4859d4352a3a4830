package dev.underpass.model.sharing;

import dev.underpass.model.UntaggedResource;
import java.time.Instant;

/**
 * An invitation to a resource share sent to an account outside the owner's organization
 * ({@code arn:aws:ram:<region>:<sender>:resource-share-invitation/<uuid>}, its id): {@code PENDING}, then
 * {@code ACCEPTED} or {@code REJECTED} by the receiver, or {@code EXPIRED} (derived when read) if it answers
 * neither within seven days. Owned by the sender.
 */
public record ShareInvitation(String id, String ownerId, String region, String shareArn, String shareName,
        String receiverAccountId, String status, Instant createdAt) implements UntaggedResource {
    public static final String PENDING = "PENDING";
    public static final String ACCEPTED = "ACCEPTED";
    public static final String REJECTED = "REJECTED";
    /** Never stored: derived when read, {@link Sharing#INVITATION_EXPIRY} after a pending invitation was sent. */
    public static final String EXPIRED = "EXPIRED";

    public ShareInvitation withStatus(String newStatus) {
        return new ShareInvitation(id, ownerId, region, shareArn, shareName, receiverAccountId, newStatus,
                createdAt);
    }

    @Override
    public String resourceType() {
        return "resource-share-invitation";
    }
}
