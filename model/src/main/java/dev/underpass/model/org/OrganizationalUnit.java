package dev.underpass.model.org;

import dev.underpass.model.Resource;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An organizational unit: {@code ou-} + the root's four characters + {@code -} + eight more, under the root or
 * another OU of the same organization. Owned by the management account; global like the organization.
 */
public record OrganizationalUnit(String id, String ownerId, String region, String orgId, String parentId,
        String name, Map<String, String> tags) implements Resource {
    public OrganizationalUnit {
        tags = tags == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    public String arn() {
        return "arn:aws:organizations::" + ownerId + ":ou/" + orgId + "/" + id;
    }

    public OrganizationalUnit withName(String newName) {
        return new OrganizationalUnit(id, ownerId, region, orgId, parentId, newName, tags);
    }

    @Override
    public OrganizationalUnit withTags(Map<String, String> newTags) {
        return new OrganizationalUnit(id, ownerId, region, orgId, parentId, name, newTags);
    }

    @Override
    public String resourceType() {
        return "organizational-unit";
    }
}
