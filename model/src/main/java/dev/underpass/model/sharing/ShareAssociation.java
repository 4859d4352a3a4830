package dev.underpass.model.sharing;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.AwsNamed;

import dev.underpass.model.UntaggedResource;
import java.time.Duration;
import java.time.Instant;

/**
 * One resource or principal of a resource share. The entity is a resource ARN ({@code RESOURCE}) or a principal
 * ({@code PRINCIPAL}: an account id, an OU ARN or an organization ARN). Status {@code ASSOCIATED} (for an account
 * outside the organization, {@code ASSOCIATING} until it accepts the invitation) or {@code DISASSOCIATED} once
 * removed; a removed association stays listed. Owned by the share's owner. Clients see a change pass through
 * {@code ASSOCIATING} or {@code DISASSOCIATING} first, as in AWS: see {@link #observedStatus}.
 *
 * @param sharedType for a resource, its RAM type ({@code ec2:Subnet}); null for a principal
 * @param resourceId for a resource, its EC2 id ({@code subnet-…}); null for a principal
 * @param external a principal outside the owner's organization
 */
public record ShareAssociation(String id, String ownerId, String region, String shareArn, Type associationType,
        String entity, String sharedType, String resourceId, Status status, boolean external, Instant createdAt,
        Instant updatedAt) implements UntaggedResource {
    /** What the association adds to the share: a resource or a principal. */
    public enum Type implements AwsNamed {
        RESOURCE,
        PRINCIPAL;

        /** AWS's name, as the API and the store write it and messages quote it. */
        @JsonValue
        @Override
        public String toString() {
            return Spelling.UPPER.of(this);
        }
    }

    /** AWS's association statuses ({@code ResourceShareAssociationStatus}). */
    public enum Status implements AwsNamed {
        ASSOCIATING,
        ASSOCIATED,
        FAILED,
        DISASSOCIATING,
        DISASSOCIATED;

        /** AWS's name, as the API and the store write it and messages quote it. */
        @JsonValue
        @Override
        public String toString() {
            return Spelling.UPPER.of(this);
        }
    }

    public static String idOf(String shareArn, Type type, String entity) {
        return "assoc:" + shareArn + "/" + type + "/" + entity;
    }

    public boolean associated() {
        return status == Status.ASSOCIATED;
    }

    public boolean current() {
        return status != Status.DISASSOCIATED;
    }

    /**
     * The status a client sees at {@code now}: for {@code delay} after the association last changed, a stored
     * {@code ASSOCIATED} reads {@code ASSOCIATING} and a stored {@code DISASSOCIATED} reads {@code DISASSOCIATING}
     * (the same setting that holds instances in {@code pending}; zero shows the settled status at once). An
     * external principal's {@code ASSOCIATING} is stored and lasts until its invitation is answered.
     */
    public Status observedStatus(Instant now, Duration delay) {
        if (now.isBefore(updatedAt.plus(delay))) {
            if (status == Status.ASSOCIATED) {
                return Status.ASSOCIATING;
            }
            if (status == Status.DISASSOCIATED) {
                return Status.DISASSOCIATING;
            }
        }
        return status;
    }

    public ShareAssociation withStatus(Status newStatus, Instant at) {
        return new ShareAssociation(id, ownerId, region, shareArn, associationType, entity, sharedType, resourceId,
                newStatus, external, createdAt, at);
    }

    @Override
    public String resourceType() {
        return "resource-share-association";
    }
}
