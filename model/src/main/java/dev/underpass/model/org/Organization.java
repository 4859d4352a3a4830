package dev.underpass.model.org;

import dev.underpass.model.UntaggedResource;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An AWS Organization: its id ({@code o-} and 10 lowercase letters or digits), its management account (the
 * record's owner, the account that created it), its feature set, its single root and the state kept on the root
 * (the policy types enabled there), and the AWS services given trusted access. Organizations is a global service,
 * so the record lives in the {@link #REGION global} pseudo-region, once, whatever region a request was signed for.
 *
 * @param enabledPolicyTypes the policy types enabled on the root, in the order they were enabled
 * @param serviceAccess the service principals with trusted access, with when each was enabled
 */
public record Organization(String id, String ownerId, String region, String featureSet, String rootId,
        List<String> enabledPolicyTypes, Map<String, Instant> serviceAccess, Instant createdAt,
        Map<String, String> rootTags)
        implements UntaggedResource {
    public static final String REGION = "global";

    /** An organization whose root has no tags. */
    public Organization(String id, String ownerId, String region, String featureSet, String rootId,
            List<String> enabledPolicyTypes, Map<String, Instant> serviceAccess, Instant createdAt) {
        this(id, ownerId, region, featureSet, rootId, enabledPolicyTypes, serviceAccess, createdAt, Map.of());
    }

    public Organization {
        rootTags = rootTags == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(rootTags));
        enabledPolicyTypes = List.copyOf(enabledPolicyTypes);
        serviceAccess = Collections.unmodifiableMap(new LinkedHashMap<>(serviceAccess));
    }

    /** The management account (called the master account in older API shapes). */
    public String managementAccountId() {
        return ownerId;
    }

    public String arn() {
        return "arn:aws:organizations::" + ownerId + ":organization/" + id;
    }

    public String rootArn() {
        return "arn:aws:organizations::" + ownerId + ":root/" + id + "/" + rootId;
    }

    public boolean policyTypeEnabled(String type) {
        return enabledPolicyTypes.contains(type);
    }

    public Organization withEnabledPolicyTypes(List<String> types) {
        return new Organization(id, ownerId, region, featureSet, rootId, types, serviceAccess, createdAt, rootTags);
    }

    public Organization withServiceAccess(Map<String, Instant> access) {
        return new Organization(id, ownerId, region, featureSet, rootId, enabledPolicyTypes, access, createdAt,
                rootTags);
    }

    /** The organization with its root's tags replaced. */
    public Organization withRootTags(Map<String, String> tags) {
        return new Organization(id, ownerId, region, featureSet, rootId, enabledPolicyTypes, serviceAccess, createdAt,
                tags);
    }

    @Override
    public String resourceType() {
        return "organization";
    }
}
