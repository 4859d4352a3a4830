package dev.underpass.model.ec2;

import dev.underpass.model.net.IpProtocol;
import dev.underpass.model.Caller;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Index;
import dev.underpass.model.Ids;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Security groups as AWS enforces them for VPC groups: names, the default VPC when no VPC is given, the
 * reserved {@code default} group, rule validation and normalisation (protocol names and numbers, port and ICMP
 * ranges, canonical CIDR blocks), duplicate rules, the per-direction rule quota, and what keeps a group from being
 * deleted. Follows <a href="https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html">Security
 * group rules</a> and the EC2 API reference of AuthorizeSecurityGroupIngress and RevokeSecurityGroupIngress.
 *
 * <p>This class holds the groups themselves (create, find, delete); {@link SecurityGroupRules} changes their rules
 * and {@link IpPermissions} turns the IpPermissions a client sends into rules. The split follows the API: group
 * calls, rule calls, and the validation both kinds of rule call share.
 */
public final class SecurityGroups {
    /** Longest group name or description, and longest rule description. */
    public static final int MAX_TEXT = 255;

    /** What AWS allows in VPC group names and descriptions, and in rule descriptions. */
    private static final Pattern VALID_TEXT = Pattern.compile("[a-zA-Z0-9 ._\\-:/()#,@\\[\\]+=&;{}!$*]*");

    private SecurityGroups() {}

    /** A request to create a group; a null {@code vpcId} means the account's default VPC. */
    public record Create(VpcId vpcId, String groupName, String description, Map<String, String> tags) {}

    public static SecurityGroup create(Tx tx, Quotas quotas, Create cmd) {
        Caller caller = tx.caller();
        String name = cmd.groupName();
        if (name == null || name.isEmpty()) {
            throw Ec2Errors.missingParameter("groupName");
        }
        String description = cmd.description();
        if (description == null || description.isEmpty()) {
            throw Ec2Errors.missingParameter("groupDescription");
        }
        checkText(name, "groupName");
        checkText(description, "groupDescription");
        if (name.regionMatches(true, 0, "sg-", 0, 3)) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "Invalid value '%s' for groupName. Group names may not be in the format sg-*.", name);
        }
        Vpc vpc;
        if (cmd.vpcId() == null || cmd.vpcId().isEmpty()) {
            vpc = defaultVpc(tx.world(), caller).orElseThrow(() -> ErrorCode.VPC_ID_NOT_SPECIFIED.with(
                    "No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC."));
        } else {
            // A participant creates its own groups in a shared VPC.
            vpc = Lookup.require(tx.world(), caller, Kind.VPC, Vpc.class, cmd.vpcId());
        }
        if (name.equals("default")) {
            throw ErrorCode.INVALID_GROUP_RESERVED.with(
                    "The security group 'default' is reserved; every VPC already has its own default group.");
        }
        if (!Scoped.inVpc(tx.world(), SecurityGroup.class, vpc.vpcId(), g -> name.equals(g.groupName())
                && g.ownerId().equals(caller.accountId())).isEmpty()) {
            throw ErrorCode.INVALID_GROUP_DUPLICATE.format(
                    "The security group '%s' already exists for VPC '%s'", name, vpc.vpcId());
        }
        if (Scoped.owned(tx.world(), caller, SecurityGroup.class).size() >= quotas.securityGroupsPerRegion()) {
            throw ErrorCode.SECURITY_GROUP_LIMIT_EXCEEDED.format(
                    "The maximum number of security groups (%d) for this region has been reached.",
                    quotas.securityGroupsPerRegion());
        }
        // Every new VPC group allows all outbound traffic until the user revokes it: to 0.0.0.0/0, and to ::/0 as
        // well when the VPC has an IPv6 block.
        List<SecurityGroup.Rule> allOut = new ArrayList<>();
        allOut.add(new SecurityGroup.Rule(new SecurityGroupRuleId(Ids.next(SecurityGroupRuleId.PREFIX)), true,
                IpProtocol.ALL, -1, -1,
                AddressSet.ALL_IPV4,
                null));
        if (!vpc.activeIpv6Cidrs().isEmpty()) {
            allOut.add(new SecurityGroup.Rule(new SecurityGroupRuleId(Ids.next(SecurityGroupRuleId.PREFIX)), true,
                    IpProtocol.ALL, -1, -1,
                    AddressSet.ALL_IPV6,
                    null));
        }
        SecurityGroup group = new SecurityGroup(Ids.next("sg"), caller.accountId(), caller.region(), vpc.vpcId(), name,
                description, allOut, cmd.tags());
        tx.put(group);
        return group;
    }

    /** The caller's default VPC in its region, if it has one. */
    public static Optional<Vpc> defaultVpc(World world, Caller caller) {
        return Scoped.owned(world, caller, Vpc.class, Vpc::isDefault).stream().findFirst();
    }

    /**
     * The group a request names ({@link GroupRef}): by id, seen by the caller (owned by it, with {@code owned}), or by
     * name among the caller's groups of its default VPC.
     */
    public static SecurityGroup resolve(World world, Caller caller, GroupRef ref, boolean owned) {
        return switch (ref) {
            case GroupRef.ById(SecurityGroupId id) -> owned
                    ? Lookup.requireOwned(world, caller, Kind.SECURITY_GROUP, SecurityGroup.class, id)
                    : Lookup.require(world, caller, Kind.SECURITY_GROUP, SecurityGroup.class, id);
            case GroupRef.ByName(String name) -> byNameInDefaultVpc(world, caller, name);
        };
    }

    /** A group of the default VPC by name, with AWS's wording when there is none. */
    public static SecurityGroup byNameInDefaultVpc(World world, Caller caller, String groupName) {
        Optional<Vpc> vpc = defaultVpc(world, caller);
        if (vpc.isEmpty()) {
            throw ErrorCode.INVALID_GROUP_NOT_FOUND.format(
                    "The security group '%s' does not exist in default VPC 'none'", groupName);
        }
        VpcId vpcId = vpc.get().vpcId();
        return Scoped.inVpc(world, SecurityGroup.class, vpcId, g -> groupName.equals(g.groupName())
                && Visibility.owns(caller, g)).stream().findFirst()
                .orElseThrow(() -> ErrorCode.INVALID_GROUP_NOT_FOUND.format(
                        "The security group '%s' does not exist in default VPC '%s'", groupName, vpcId));
    }

    /**
     * Deletes a group. The VPC's default group cannot be deleted; a group that another group's rule references, or
     * that a network interface or live instance uses, is refused with DependencyViolation.
     */
    public static SecurityGroup delete(Tx tx, GroupRef ref) {
        SecurityGroup group = resolve(tx.world(), tx.caller(), ref, true);
        if (group.isDefault()) {
            throw ErrorCode.CANNOT_DELETE.format(
                    "the specified group: \"%s\" name: \"default\" cannot be deleted by a user", group.id());
        }
        SecurityGroupId id = group.groupId();
        // References come from the owner's groups (peered VPCs of the same account included); users are
        // the interfaces and instances of the group's VPC.
        boolean referenced = !Index.owned(tx.world(), SecurityGroup.class, group.ownerId(), group.region(),
                g -> !g.groupId().equals(id) && g.rules().stream()
                        .anyMatch(r -> r.peer() instanceof RulePeer.Group p && id.equals(p.groupId())))
                .isEmpty();
        boolean attached = !Scoped.inVpc(tx.world(), NetworkInterface.class, group.vpcId(),
                n -> n.groupIds().contains(id)).isEmpty()
                || !Scoped.inVpc(tx.world(), Instance.class, group.vpcId(), i -> i.groupIds().contains(id)
                        && !i.state().equals(InstanceState.TERMINATED)
                        // Like Subnets.delete: an instance on its way out no longer holds the group.
                        && !i.state().equals(InstanceState.SHUTTING_DOWN)).isEmpty();
        if (referenced || attached) {
            throw ErrorCode.DEPENDENCY_VIOLATION.format("resource %s has a dependent object", id);
        }
        tx.remove(group);
        return group;
    }

    static void checkText(String value, String parameter) {
        if (value.length() > MAX_TEXT) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "Invalid value '%s' for %s. Length exceeds maximum of %d characters.", value, parameter, MAX_TEXT);
        }
        if (!VALID_TEXT.matcher(value).matches()) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format("Invalid value '%s' for %s. Valid characters are a-z, "
                    + "A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*", value, parameter);
        }
    }
}
