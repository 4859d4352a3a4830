package dev.underpass.model.ec2;

import dev.underpass.model.Ec2Errors;
import java.util.Objects;

/**
 * How a request names a security group where EC2 takes either member ({@code GroupId} or {@code GroupName}): by id,
 * or by name, which finds a group of the caller's default VPC only (for other VPCs clients must give the id).
 * {@link SecurityGroups#resolve} looks it up.
 */
public sealed interface GroupRef {
    /** A group named by its id. */
    record ById(SecurityGroupId id) implements GroupRef {
        public ById {
            Objects.requireNonNull(id, "id");
        }
    }

    /** A group named by its name, in the caller's default VPC. */
    record ByName(String name) implements GroupRef {
        public ByName {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * The group a request names: by {@code groupId} when it is given, else by {@code groupName}; AWS's
     * {@code MissingParameter} when neither is (an empty member counts as absent).
     */
    static GroupRef of(String groupId, String groupName) {
        if (groupId != null && !groupId.isEmpty()) {
            return new ById(new SecurityGroupId(groupId));
        }
        if (groupName == null || groupName.isEmpty()) {
            throw Ec2Errors.missingParameter("groupName or groupId");
        }
        return new ByName(groupName);
    }

    /** A group the request names by id only (the calls that take no name). */
    static GroupRef byId(SecurityGroupId id) {
        return new ById(id);
    }
}
