package dev.underpass.model.ec2;

import dev.underpass.model.Caller;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Index;
import dev.underpass.model.Ids;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Security-group rules as AWS enforces them for VPC groups: names, the default VPC when no VPC is given, the
 * reserved {@code default} group, rule validation and normalisation (protocol names and numbers, port and ICMP
 * ranges, canonical CIDR blocks), duplicate rules, the per-direction rule quota, and what keeps a group from being
 * deleted. Follows <a href="https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html">Security
 * group rules</a> and the EC2 API reference of AuthorizeSecurityGroupIngress and RevokeSecurityGroupIngress.
 *
 * <p>Rules are stored one per source (as AWS's {@code sgr-} rules are), not per IpPermission: an IpPermission with
 * three CIDR ranges becomes three rules, each with its own id, description and tags. The handlers regroup them into
 * IpPermissions for DescribeSecurityGroups.
 */
public final class SecurityGroups {
    /** Longest group name or description, and longest rule description. */
    public static final int MAX_TEXT = 255;

    /** What AWS allows in VPC group names and descriptions, and in rule descriptions. */
    private static final Pattern VALID_TEXT = Pattern.compile("[a-zA-Z0-9 ._\\-:/()#,@\\[\\]+=&;{}!$*]*");

    private SecurityGroups() {}

    /** A request to create a group; a null {@code vpcId} means the account's default VPC. */
    public record Create(String vpcId, String groupName, String description, Map<String, String> tags) {}

    /**
     * One source or destination of a permission as a client sends it: exactly one of an IPv4 block, an IPv6 block,
     * a prefix list, or a group (by id, or by name in the group's own VPC; {@code userId} names the group's account
     * when it is another account's).
     */
    public record Peer(String cidrIpv4, String cidrIpv6, String prefixListId, String groupId, String groupName,
            String userId, String description) {}

    /** One IpPermission: a protocol, a port (or ICMP type/code) range, and its peers. */
    public record Permission(String protocol, Integer fromPort, Integer toPort, List<Peer> peers) {
        public Permission {
            peers = List.copyOf(peers);
        }
    }

    /** The changed content of one rule in ModifySecurityGroupRules. */
    public record RuleUpdate(String ruleId, String protocol, Integer fromPort, Integer toPort, String cidrIpv4,
            String cidrIpv6, String prefixListId, String referencedGroupId, String description) {}

    /** The outcome of a revoke: the rules removed, and (default VPC only) the asked-for rules that did not exist. */
    public record Revoked(List<SecurityGroup.Rule> revoked, List<SecurityGroup.Rule> unknown) {}

    public static SecurityGroup create(Tx tx, Quotas quotas, Create cmd) {
        Caller caller = tx.caller();
        String name = cmd.groupName();
        if (name == null || name.isEmpty()) {
            throw ErrorCode.MISSING_PARAMETER.with("The request must contain the parameter groupName");
        }
        String description = cmd.description();
        if (description == null || description.isEmpty()) {
            throw ErrorCode.MISSING_PARAMETER.with("The request must contain the parameter groupDescription");
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
        if (!Scoped.inVpc(tx.world(), SecurityGroup.class, vpc.id(), g -> name.equals(g.groupName())
                && g.ownerId().equals(caller.accountId())).isEmpty()) {
            throw ErrorCode.INVALID_GROUP_DUPLICATE.format(
                    "The security group '%s' already exists for VPC '%s'", name, vpc.id());
        }
        if (Scoped.owned(tx.world(), caller, SecurityGroup.class).size() >= quotas.securityGroupsPerRegion()) {
            throw ErrorCode.SECURITY_GROUP_LIMIT_EXCEEDED.format(
                    "The maximum number of security groups (%d) for this region has been reached.",
                    quotas.securityGroupsPerRegion());
        }
        // Every new VPC group allows all outbound traffic until the user revokes it: to 0.0.0.0/0, and to ::/0 as
        // well when the VPC has an IPv6 block.
        List<SecurityGroup.Rule> allOut = new ArrayList<>();
        allOut.add(new SecurityGroup.Rule(Ids.next("sgr"), true, "-1", -1, -1, "0.0.0.0/0", null, null, null, null,
                null));
        if (!vpc.activeIpv6Cidrs().isEmpty()) {
            allOut.add(new SecurityGroup.Rule(Ids.next("sgr"), true, "-1", -1, -1, null, "::/0", null, null, null,
                    null));
        }
        SecurityGroup group = new SecurityGroup(Ids.next("sg"), caller.accountId(), caller.region(), vpc.id(), name,
                description, allOut, cmd.tags());
        tx.put(group);
        return group;
    }

    /** The caller's default VPC in its region, if it has one. */
    public static Optional<Vpc> defaultVpc(World world, Caller caller) {
        return Scoped.owned(world, caller, Vpc.class, Vpc::isDefault).stream().findFirst();
    }

    /**
     * The group named by id, or else by name. As in AWS, a name alone only finds groups of the default VPC (for
     * other VPCs clients must give the id).
     */
    public static SecurityGroup resolve(World world, Caller caller, String groupId, String groupName, boolean owned) {
        if (groupId != null && !groupId.isEmpty()) {
            return owned
                    ? Lookup.requireOwned(world, caller, Kind.SECURITY_GROUP, SecurityGroup.class, groupId)
                    : Lookup.require(world, caller, Kind.SECURITY_GROUP, SecurityGroup.class, groupId);
        }
        if (groupName == null || groupName.isEmpty()) {
            throw ErrorCode.MISSING_PARAMETER.with("The request must contain the parameter groupName or groupId");
        }
        return byNameInDefaultVpc(world, caller, groupName);
    }

    /** A group of the default VPC by name, with AWS's wording when there is none. */
    public static SecurityGroup byNameInDefaultVpc(World world, Caller caller, String groupName) {
        Optional<Vpc> vpc = defaultVpc(world, caller);
        if (vpc.isEmpty()) {
            throw ErrorCode.INVALID_GROUP_NOT_FOUND.format(
                    "The security group '%s' does not exist in default VPC 'none'", groupName);
        }
        String vpcId = vpc.get().id();
        return Scoped.inVpc(world, SecurityGroup.class, vpcId, g -> groupName.equals(g.groupName())
                && Visibility.owns(caller, g)).stream().findFirst()
                .orElseThrow(() -> ErrorCode.INVALID_GROUP_NOT_FOUND.format(
                        "The security group '%s' does not exist in default VPC '%s'", groupName, vpcId));
    }

    /**
     * Deletes a group. The VPC's default group cannot be deleted; a group that another group's rule references, or
     * that a network interface or live instance uses, is refused with DependencyViolation.
     */
    public static SecurityGroup delete(Tx tx, String groupId, String groupName) {
        SecurityGroup group = resolve(tx.world(), tx.caller(), groupId, groupName, true);
        if (group.isDefault()) {
            throw ErrorCode.CANNOT_DELETE.format(
                    "the specified group: \"%s\" name: \"default\" cannot be deleted by a user", group.id());
        }
        String id = group.id();
        // References come from the owner's groups (peered VPCs of the same account included); users are
        // the interfaces and instances of the group's VPC.
        boolean referenced = !Index.owned(tx.world(), SecurityGroup.class, group.ownerId(), group.region(),
                g -> !g.id().equals(id) && g.rules().stream().anyMatch(r -> id.equals(r.referencedGroupId())))
                .isEmpty();
        boolean attached = !Scoped.inVpc(tx.world(), NetworkInterface.class, group.vpcId(),
                n -> n.groupIds().contains(id)).isEmpty()
                || !Scoped.inVpc(tx.world(), Instance.class, group.vpcId(), i -> i.groupIds().contains(id)
                        && !i.state().equals(InstanceStates.TERMINATED)
                        // Like Subnets.delete: an instance on its way out no longer holds the group.
                        && !i.state().equals(InstanceStates.SHUTTING_DOWN)).isEmpty();
        if (referenced || attached) {
            throw ErrorCode.DEPENDENCY_VIOLATION.format("resource %s has a dependent object", id);
        }
        tx.remove(group);
        return group;
    }

    /** Adds rules to one direction of a group and returns them with their new {@code sgr-} ids and tags. */
    public static List<SecurityGroup.Rule> authorize(Tx tx, Quotas quotas, SecurityGroup group, boolean egress,
            List<Permission> permissions, Map<String, String> tags) {
        List<SecurityGroup.Rule> wanted = expand(tx.world(), tx.caller(), group, egress, permissions, true);
        for (int i = 0; i < wanted.size(); i++) {
            for (int j = i + 1; j < wanted.size(); j++) {
                if (wanted.get(i).sameAs(wanted.get(j))) {
                    throw ErrorCode.INVALID_PARAMETER_VALUE.with("The same permission must not appear multiple times");
                }
            }
        }
        for (SecurityGroup.Rule w : wanted) {
            for (SecurityGroup.Rule existing : group.rules()) {
                if (existing.sameAs(w)) {
                    throw ErrorCode.INVALID_PERMISSION_DUPLICATE.format("the specified rule \"%s\" already exists",
                            peerText(w));
                }
            }
        }
        List<SecurityGroup.Rule> added = new ArrayList<>();
        for (SecurityGroup.Rule w : wanted) {
            added.add(new SecurityGroup.Rule(Ids.next("sgr"), w.egress(), w.protocol(), w.fromPort(), w.toPort(),
                    w.cidrIpv4(), w.cidrIpv6(), w.prefixListId(), w.referencedGroupId(), w.referencedUserId(),
                    w.description(), tags));
        }
        List<SecurityGroup.Rule> all = new ArrayList<>(group.rules());
        all.addAll(added);
        checkQuota(all, egress, quotas);
        tx.put(group.withRules(all));
        return added;
    }

    /**
     * Removes rules by id or by permission. A permission that matches no rule is an error
     * ({@code InvalidPermission.NotFound}) in a nondefault VPC; in the default VPC AWS reports it back as unknown and
     * revokes the rest.
     */
    public static Revoked revoke(Tx tx, SecurityGroup group, boolean egress, List<Permission> permissions,
            List<String> ruleIds) {
        if (!permissions.isEmpty() && !ruleIds.isEmpty()) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.with(
                    "Specify either security group rule IDs or IP permissions, not both.");
        }
        if (permissions.isEmpty() && ruleIds.isEmpty()) {
            throw ErrorCode.MISSING_PARAMETER.with(
                    "The request must contain the parameter ipPermissions or securityGroupRuleIds");
        }
        List<SecurityGroup.Rule> kept = new ArrayList<>(group.rules());
        List<SecurityGroup.Rule> revoked = new ArrayList<>();
        List<SecurityGroup.Rule> unknown = new ArrayList<>();
        if (!ruleIds.isEmpty()) {
            for (SecurityGroup.Rule r : rulesById(group, ruleIds, egress)) {
                kept.remove(r);
                revoked.add(r);
            }
        } else {
            for (SecurityGroup.Rule w : expand(tx.world(), tx.caller(), group, egress, permissions, false)) {
                Optional<SecurityGroup.Rule> match = kept.stream().filter(r -> r.sameAs(w)).findFirst();
                if (match.isPresent()) {
                    kept.remove(match.get());
                    revoked.add(match.get());
                } else {
                    unknown.add(w);
                }
            }
            boolean inDefaultVpc = tx.find(Vpc.class, group.vpcId()).map(Vpc::isDefault).orElse(false);
            if (!unknown.isEmpty() && !inDefaultVpc) {
                throw ErrorCode.INVALID_PERMISSION_NOT_FOUND.with(
                        "The specified rule does not exist in this security group.");
            }
        }
        tx.put(group.withRules(kept));
        return new Revoked(revoked, unknown);
    }

    /** Replaces the content of rules named by id, keeping each rule's id, direction and tags. */
    public static void modifyRules(Tx tx, Quotas quotas, SecurityGroup group, List<RuleUpdate> updates) {
        if (updates.isEmpty()) {
            throw ErrorCode.MISSING_PARAMETER.with("The request must contain the parameter SecurityGroupRule");
        }
        List<SecurityGroup.Rule> rules = new ArrayList<>(group.rules());
        for (RuleUpdate u : updates) {
            if (u.ruleId() == null || u.ruleId().isEmpty()) {
                throw ErrorCode.MISSING_PARAMETER.with(
                        "The request must contain the parameter SecurityGroupRule.N.SecurityGroupRuleId");
            }
            SecurityGroup.Rule old = rulesById(group, List.of(u.ruleId()), null).get(0);
            // A modified rule is given whole: AWS checks its members with these codes before anything else.
            if (u.protocol() == null || u.protocol().isBlank()) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.with("Invalid value 'null' for protocol. VPC security group "
                        + "rules must specify protocols explicitly.");
            }
            int targets = (u.cidrIpv4() != null ? 1 : 0) + (u.cidrIpv6() != null ? 1 : 0)
                    + (u.prefixListId() != null ? 1 : 0) + (u.referencedGroupId() != null ? 1 : 0);
            if (targets == 0) {
                throw ErrorCode.MISSING_PARAMETER.format("The request must contain exactly one of CidrIpv4, "
                        + "CidrIpv6, PrefixListId or ReferencedGroupId for security group rule %s", u.ruleId());
            }
            if (targets > 1) {
                throw ErrorCode.INVALID_PARAMETER_COMBINATION.format("Only one of CidrIpv4, CidrIpv6, PrefixListId "
                        + "and ReferencedGroupId may be given for security group rule %s", u.ruleId());
            }
            Peer peer = new Peer(u.cidrIpv4(), u.cidrIpv6(), u.prefixListId(), u.referencedGroupId(), null, null,
                    u.description());
            SecurityGroup.Rule w = expand(tx.world(), tx.caller(), group, old.egress(),
                    List.of(new Permission(u.protocol(), u.fromPort(), u.toPort(), List.of(peer))), true).get(0);
            SecurityGroup.Rule updated = new SecurityGroup.Rule(old.ruleId(), old.egress(), w.protocol(),
                    w.fromPort(), w.toPort(), w.cidrIpv4(), w.cidrIpv6(), w.prefixListId(), w.referencedGroupId(),
                    w.referencedUserId(), w.description(), old.tags());
            int at = indexOf(rules, old.ruleId());
            for (SecurityGroup.Rule other : rules) {
                if (!other.ruleId().equals(old.ruleId()) && other.sameAs(updated)) {
                    throw ErrorCode.INVALID_PERMISSION_DUPLICATE.format("the specified rule \"%s\" already exists",
                            peerText(updated));
                }
            }
            rules.set(at, updated);
        }
        checkQuota(rules, true, quotas);
        checkQuota(rules, false, quotas);
        tx.put(group.withRules(rules));
    }

    /**
     * Sets rule descriptions, naming rules either by permission (the description of each peer becomes its rule's)
     * or by rule id.
     */
    public static void updateDescriptions(Tx tx, SecurityGroup group, boolean egress, List<Permission> permissions,
            Map<String, String> byRuleId) {
        if (permissions.isEmpty() && byRuleId.isEmpty()) {
            throw ErrorCode.MISSING_PARAMETER.with(
                    "The request must contain the parameter ipPermissions or securityGroupRuleDescriptions");
        }
        List<SecurityGroup.Rule> rules = new ArrayList<>(group.rules());
        for (SecurityGroup.Rule w : expand(tx.world(), tx.caller(), group, egress, permissions, false)) {
            int at = -1;
            for (int i = 0; i < rules.size(); i++) {
                if (rules.get(i).sameAs(w)) {
                    at = i;
                }
            }
            if (at < 0) {
                throw ErrorCode.INVALID_PERMISSION_NOT_FOUND.with(
                        "The specified rule does not exist in this security group.");
            }
            rules.set(at, rules.get(at).withDescription(w.description()));
        }
        for (Map.Entry<String, String> e : byRuleId.entrySet()) {
            SecurityGroup.Rule r = rulesById(group, List.of(e.getKey()), egress).get(0);
            checkDescription(e.getValue());
            rules.set(indexOf(rules, r.ruleId()), r.withDescription(e.getValue()));
        }
        tx.put(group.withRules(rules));
    }

    /** The group's rules with these ids (in one direction, unless {@code egress} is null); unknown ids fail. */
    public static List<SecurityGroup.Rule> rulesById(SecurityGroup group, List<String> ids, Boolean egress) {
        List<SecurityGroup.Rule> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String id : new java.util.LinkedHashSet<>(ids)) {
            Ids.require("sgr", id, ErrorCode.INVALID_SECURITY_GROUP_RULE_ID_MALFORMED);
            group.rules().stream().filter(r -> r.ruleId().equals(id) && (egress == null || r.egress() == egress))
                    .findFirst().ifPresentOrElse(found::add, () -> missing.add(id));
        }
        if (!missing.isEmpty()) {
            throw ruleNotFound(missing);
        }
        return found;
    }

    public static dev.underpass.model.AwsException ruleNotFound(List<String> ids) {
        return ids.size() == 1
                ? ErrorCode.INVALID_SECURITY_GROUP_RULE_ID_NOT_FOUND.format(
                        "The security group rule ID '%s' does not exist", ids.get(0))
                : ErrorCode.INVALID_SECURITY_GROUP_RULE_ID_NOT_FOUND.format(
                        "The security group rule IDs '%s' do not exist", String.join(", ", ids));
    }

    /**
     * Validates and normalises permissions into one rule per peer (ids not yet assigned). With
     * {@code requireReferencedGroups}, a group of the caller's account that a rule references must exist; another
     * account's group is taken as given, since the caller cannot see it.
     */
    static List<SecurityGroup.Rule> expand(World world, Caller caller, SecurityGroup group, boolean egress,
            List<Permission> permissions, boolean requireReferencedGroups) {
        List<SecurityGroup.Rule> out = new ArrayList<>();
        for (Permission p : permissions) {
            String protocol = protocol(p.protocol());
            int[] ports = ports(protocol, p.fromPort(), p.toPort());
            for (Peer peer : p.peers()) {
                checkDescription(peer.description());
                int sources = (peer.cidrIpv4() != null ? 1 : 0) + (peer.cidrIpv6() != null ? 1 : 0)
                        + (peer.prefixListId() != null ? 1 : 0)
                        + (peer.groupId() != null || peer.groupName() != null ? 1 : 0);
                if (sources != 1) {
                    throw ErrorCode.INVALID_PARAMETER_VALUE.with("Each rule must name exactly one source or "
                            + "destination: a CIDR block, an IPv6 CIDR block, a prefix list or a security group.");
                }
                String v4 = null;
                String v6 = null;
                String prefixList = null;
                String refGroup = null;
                String refUser = null;
                if (peer.cidrIpv4() != null) {
                    v4 = RuleCidrs.ipv4(peer.cidrIpv4());
                    if (v4 == null) {
                        throw ErrorCode.INVALID_PARAMETER_VALUE.format("CIDR block %s is malformed", peer.cidrIpv4());
                    }
                } else if (peer.cidrIpv6() != null) {
                    v6 = RuleCidrs.ipv6(peer.cidrIpv6());
                    if (v6 == null) {
                        throw ErrorCode.INVALID_PARAMETER_VALUE.format("CIDR block %s is malformed", peer.cidrIpv6());
                    }
                } else if (peer.prefixListId() != null) {
                    if (!Ids.wellFormed("pl", peer.prefixListId())) {
                        throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                                "The prefix list ID '%s' is malformed", peer.prefixListId());
                    }
                    if (!PrefixLists.exists(world, caller, peer.prefixListId())) {
                        throw ErrorCode.INVALID_PREFIX_LIST_ID_NOT_FOUND.format(
                                "The prefix list '%s' does not exist.", peer.prefixListId());
                    }
                    prefixList = peer.prefixListId();
                } else {
                    boolean otherAccount = peer.userId() != null && !peer.userId().isEmpty()
                            && !peer.userId().equals(caller.accountId());
                    if (otherAccount) {
                        if (!peer.userId().matches("[0-9]{12}")) {
                            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                                    "Invalid value '%s' for userId. It must be a 12-digit account id.", peer.userId());
                        }
                        if (peer.groupId() == null) {
                            throw ErrorCode.MISSING_PARAMETER.with("A security group of another account must be "
                                    + "given by GroupId (with UserId); GroupName only finds your own groups.");
                        }
                        refGroup = Ids.require("sg", peer.groupId(), ErrorCode.INVALID_GROUP_ID_MALFORMED);
                        refUser = peer.userId();
                    } else {
                        refGroup = referencedOwnGroup(world, caller, group, peer, requireReferencedGroups);
                        refUser = caller.accountId();
                    }
                }
                out.add(new SecurityGroup.Rule(null, egress, protocol, ports[0], ports[1], v4, v6, prefixList,
                        refGroup, refUser, emptyToNull(peer.description())));
            }
        }
        return out;
    }

    private static String referencedOwnGroup(World world, Caller caller, SecurityGroup group, Peer peer,
            boolean mustExist) {
        if (peer.groupId() != null) {
            if (!mustExist) {
                return Ids.require("sg", peer.groupId(), ErrorCode.INVALID_GROUP_ID_MALFORMED);
            }
            return Lookup.require(world, caller, Kind.SECURITY_GROUP, SecurityGroup.class, peer.groupId()).id();
        }
        // By name: the group's own VPC, the only place a name is unambiguous.
        return Scoped.inVpc(world, SecurityGroup.class, group.vpcId(),
                        g -> g.groupName().equals(peer.groupName()) && Visibility.owns(caller, g)).stream()
                .findFirst().map(SecurityGroup::id)
                .orElseThrow(() -> ErrorCode.INVALID_GROUP_NOT_FOUND.format(
                        "The security group '%s' does not exist in VPC '%s'", peer.groupName(), group.vpcId()));
    }

    /**
     * AWS's protocol spelling: names for TCP, UDP, ICMP and ICMPv6 (also when given as 6, 17, 1, 58), {@code -1}
     * for all (also {@code all}), other protocol numbers as decimal.
     */
    public static String protocol(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw ErrorCode.MISSING_PARAMETER.with("The request must contain the parameter ipProtocol");
        }
        String p = raw.trim().toLowerCase(Locale.ROOT);
        switch (p) {
            case "tcp", "6" -> {
                return "tcp";
            }
            case "udp", "17" -> {
                return "udp";
            }
            case "icmp", "1" -> {
                return "icmp";
            }
            case "icmpv6", "58" -> {
                return "icmpv6";
            }
            case "-1", "all" -> {
                return "-1";
            }
            default -> {
                if (p.matches("[0-9]{1,3}") && Integer.parseInt(p) <= 255) {
                    return Integer.toString(Integer.parseInt(p));
                }
                throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                        "Invalid value '%s' for IP protocol. Unknown protocol.", raw);
            }
        }
    }

    /** The (from, to) pair stored for a protocol: ports for TCP/UDP, type and code for ICMP, -1/-1 otherwise. */
    static int[] ports(String protocol, Integer from, Integer to) {
        switch (protocol) {
            case "tcp", "udp" -> {
                if (from == null || to == null) {
                    throw ErrorCode.INVALID_PARAMETER_VALUE.with(
                            "Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange.");
                }
                for (int port : new int[] {from, to}) {
                    if (port < 0 || port > 65535) {
                        throw ErrorCode.INVALID_PARAMETER_VALUE.format("TCP/UDP port (%d) out of range", port);
                    }
                }
                if (from > to) {
                    throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                            "Invalid TCP/UDP port range: from port %d is greater than to port %d", from, to);
                }
                return new int[] {from, to};
            }
            case "icmp", "icmpv6" -> {
                if (from == null && to == null && protocol.equals("icmpv6")) {
                    // ICMPv6 without a range means every type and code.
                    return new int[] {-1, -1};
                }
                if (from == null || to == null) {
                    throw ErrorCode.INVALID_PARAMETER_VALUE.with(
                            "Invalid value 'Must specify both from and to ports with ICMP.' for portRange.");
                }
                if (from < -1 || from > 255) {
                    throw ErrorCode.INVALID_PARAMETER_VALUE.format("ICMP type (%d) out of range", from);
                }
                if (to < -1 || to > 255) {
                    throw ErrorCode.INVALID_PARAMETER_VALUE.format("ICMP code (%d) out of range", to);
                }
                if (from == -1 && to != -1) {
                    throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                            "ICMP code (%d) out of range: with ICMP type -1 (all types) the code must be -1", to);
                }
                return new int[] {from, to};
            }
            default -> {
                // AWS ignores ports for all other protocols: the rule covers the whole protocol.
                return new int[] {-1, -1};
            }
        }
    }

    /**
     * The rule as AWS quotes it in {@code InvalidPermission.Duplicate}:
     * {@code peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW}.
     */
    static String peerText(SecurityGroup.Rule r) {
        String peer = r.cidrIpv4() != null ? r.cidrIpv4()
                : r.cidrIpv6() != null ? r.cidrIpv6()
                : r.prefixListId() != null ? r.prefixListId() : r.referencedGroupId();
        String what = switch (r.protocol()) {
            case "tcp", "udp" -> r.protocol().toUpperCase(Locale.ROOT) + ", from port: " + r.fromPort()
                    + ", to port: " + r.toPort();
            case "icmp", "icmpv6" -> r.protocol().toUpperCase(Locale.ROOT) + ", type: " + r.fromPort() + ", code: "
                    + r.toPort();
            case "-1" -> "ALL";
            default -> "protocol: " + r.protocol();
        };
        return "peer: " + peer + ", " + what + ", ALLOW";
    }

    /**
     * AWS counts rules per direction and separately for IPv4 and IPv6; a rule that references a group or a prefix
     * list counts once for each.
     */
    private static void checkQuota(List<SecurityGroup.Rule> rules, boolean egress, Quotas quotas) {
        int v4 = 0;
        int v6 = 0;
        for (SecurityGroup.Rule r : rules) {
            if (r.egress() != egress) {
                continue;
            }
            if (r.cidrIpv4() != null) {
                v4++;
            } else if (r.cidrIpv6() != null) {
                v6++;
            } else {
                v4++;
                v6++;
            }
        }
        if (v4 > quotas.rulesPerSecurityGroup() || v6 > quotas.rulesPerSecurityGroup()) {
            throw ErrorCode.RULES_PER_SECURITY_GROUP_LIMIT_EXCEEDED.with(
                    "The maximum number of rules per security group has been reached.");
        }
    }

    private static int indexOf(List<SecurityGroup.Rule> rules, String ruleId) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).ruleId().equals(ruleId)) {
                return i;
            }
        }
        throw new IllegalStateException("rule " + ruleId + " vanished");
    }

    private static void checkText(String value, String parameter) {
        if (value.length() > MAX_TEXT) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "Invalid value '%s' for %s. Length exceeds maximum of %d characters.", value, parameter, MAX_TEXT);
        }
        if (!VALID_TEXT.matcher(value).matches()) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format("Invalid value '%s' for %s. Valid characters are a-z, "
                    + "A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*", value, parameter);
        }
    }

    private static void checkDescription(String description) {
        if (description != null) {
            checkText(description, "description");
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** Rules grouped the way DescribeSecurityGroups shows them: one entry per (protocol, from, to), first-seen order. */
    public static Map<List<Object>, List<SecurityGroup.Rule>> byPermission(List<SecurityGroup.Rule> rules,
            boolean egress) {
        Map<List<Object>, List<SecurityGroup.Rule>> out = new LinkedHashMap<>();
        for (SecurityGroup.Rule r : rules) {
            if (r.egress() == egress) {
                out.computeIfAbsent(List.of(r.protocol(), r.fromPort(), r.toPort()), k -> new ArrayList<>()).add(r);
            }
        }
        return out;
    }
}
