package dev.underpass.model.ec2;

import dev.underpass.model.UntaggedResource;

/**
 * One EC2 resource (a subnet, a customer-managed prefix list) made available to one participant account by one
 * resource share: what {@link Visibility} reads to let a participant see an owner's subnet and its VPC. The RAM
 * rules ({@code model.sharing}) put and remove grants as shares, their resources and their principals change, so
 * that EC2's rules need to know nothing of RAM. The record belongs to the resource's owner, in its region.
 *
 * @param resourceId the shared resource's id ({@code subnet-…}, {@code pl-…})
 * @param participantId the account the resource is shared with
 * @param shareArn the resource share that grants it
 * @param revoked the share no longer grants it (the resource was unshared, the share deleted, the account moved
 *     away): kept so that the VPC's owner still sees what the participant left in the VPC, as AWS shows it
 */
public record ResourceGrant(String id, String ownerId, String region, String resourceId, String participantId,
        String shareArn, boolean revoked) implements UntaggedResource {

    /** A grant in force. */
    public ResourceGrant(String id, String ownerId, String region, String resourceId, String participantId,
            String shareArn) {
        this(id, ownerId, region, resourceId, participantId, shareArn, false);
    }

    public boolean active() {
        return !revoked;
    }

    public ResourceGrant revoke() {
        return new ResourceGrant(id, ownerId, region, resourceId, participantId, shareArn, true);
    }

    /** The grant's id: one per share, resource and participant. */
    public static String idOf(String shareArn, String resourceId, String participantId) {
        return "grant:" + shareArn + "/" + resourceId + "/" + participantId;
    }

    @Override
    public String resourceType() {
        return "resource-grant";
    }
}
