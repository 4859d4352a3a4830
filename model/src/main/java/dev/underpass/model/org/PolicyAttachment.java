package dev.underpass.model.org;

import dev.underpass.model.UntaggedResource;

/**
 * One policy attached to one target (the root, an OU or an account) of an organization. The id is
 * {@code orgId/policyId/targetId}, since the AWS managed policies share their id across organizations.
 */
public record PolicyAttachment(String id, String ownerId, String region, String orgId, String policyId,
        String policyType, String targetId) implements UntaggedResource {
    public static String idOf(String orgId, String policyId, String targetId) {
        return orgId + "/" + policyId + "/" + targetId;
    }

    @Override
    public String resourceType() {
        return "organization-policy-attachment";
    }
}
