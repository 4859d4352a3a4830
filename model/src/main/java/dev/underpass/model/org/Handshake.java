package dev.underpass.model.org;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.AwsNamed;

import dev.underpass.model.UntaggedResource;
import java.time.Instant;

/**
 * An invitation from an organization to an account ({@code INVITE} handshake, {@code h-} and 10 characters):
 * {@code OPEN} until the invited account accepts or declines it, the management account cancels it, or it expires
 * after 15 days. Owned by the management account.
 */
public record Handshake(String id, String ownerId, String region, String orgId, String action,
        String targetAccountId, State state, String notes, Instant requestedAt, Instant expiresAt)
        implements UntaggedResource {
    /** AWS's handshake states ({@code HandshakeState}); underpass's go from {@code OPEN} to an answer. */
    public enum State implements AwsNamed {
        REQUESTED,
        OPEN,
        CANCELED,
        ACCEPTED,
        DECLINED,
        /** Derived when read: an open handshake past its expiry. */
        EXPIRED;

        /** AWS's name, as the API and the store write it and messages quote it. */
        @JsonValue
        @Override
        public String toString() {
            return Spelling.UPPER.of(this);
        }
    }

    public String arn() {
        return "arn:aws:organizations::" + ownerId + ":handshake/" + orgId + "/" + action.toLowerCase(
                java.util.Locale.ROOT) + "/" + id;
    }

    public Handshake withState(State newState) {
        return new Handshake(id, ownerId, region, orgId, action, targetAccountId, newState, notes, requestedAt,
                expiresAt);
    }

    @Override
    public String resourceType() {
        return "organization-handshake";
    }
}
