package dev.underpass.model.sharing;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.AwsNamed;

import dev.underpass.model.UntaggedResource;
import java.time.Instant;

/**
 * An invitation to a resource share sent to an account outside the owner's organization
 * ({@code arn:aws:ram:<region>:<sender>:resource-share-invitation/<uuid>}, its id): {@code PENDING}, then
 * {@code ACCEPTED} or {@code REJECTED} by the receiver, or {@code EXPIRED} (derived when read) if it answers
 * neither within seven days. Owned by the sender.
 */
public record ShareInvitation(String id, String ownerId, String region, String shareArn, String shareName,
        String receiverAccountId, Status status, Instant createdAt) implements UntaggedResource {
    public ShareInvitation withStatus(Status newStatus) {
        return new ShareInvitation(id, ownerId, region, shareArn, shareName, receiverAccountId, newStatus,
                createdAt);
    }

    @Override
    public String resourceType() {
        return "resource-share-invitation";
    }

    /** AWS's invitation statuses ({@code ResourceShareInvitationStatus}). */
    public enum Status implements AwsNamed {
        PENDING,
        ACCEPTED,
        REJECTED,
        /** Never stored: derived when read, {@link Sharing#INVITATION_EXPIRY} after a pending invitation was sent. */
        EXPIRED;

        /** AWS's name, as the API and the store write it and messages quote it. */
        @JsonValue
        @Override
        public String toString() {
            return Spelling.UPPER.of(this);
        }
    }
}
