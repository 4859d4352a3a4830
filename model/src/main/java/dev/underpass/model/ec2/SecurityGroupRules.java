package dev.underpass.model.ec2;

import dev.underpass.model.AwsException;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Tx;
import dev.underpass.model.ec2.IpPermissions.Peer;
import dev.underpass.model.ec2.IpPermissions.Permission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Changes to a security group's rules: authorize, revoke, modify and describe-by-permission, with duplicate rules,
 * the per-direction rule quota, and rules named by their {@code sgr-} ids. Follows the EC2 API reference of
 * AuthorizeSecurityGroupIngress, RevokeSecurityGroupIngress and ModifySecurityGroupRules.
 *
 * <p>Rules are stored one per source (as AWS's {@code sgr-} rules are), not per IpPermission: an IpPermission with
 * three CIDR ranges becomes three rules, each with its own id, description and tags. The handlers regroup them into
 * IpPermissions for DescribeSecurityGroups ({@link #byPermission}). Split from {@link SecurityGroups}, which holds
 * the groups themselves.
 */
public final class SecurityGroupRules {
    private SecurityGroupRules() {}

    /** The changed content of one rule in ModifySecurityGroupRules. */
    public record RuleUpdate(SecurityGroupRuleId ruleId, String protocol, Integer fromPort, Integer toPort,
            String cidrIpv4,
            String cidrIpv6, String prefixListId, String referencedGroupId, String description) {}

    /** The outcome of a revoke: the rules removed, and (default VPC only) the asked-for rules that did not exist. */
    public record Revoked(List<SecurityGroup.Rule> revoked, List<SecurityGroup.Rule> unknown) {}

    /** Adds rules to one direction of a group and returns them with their new {@code sgr-} ids and tags. */
    public static List<SecurityGroup.Rule> authorize(Tx tx, Quotas quotas, SecurityGroup group, boolean egress,
            List<Permission> permissions, Map<String, String> tags) {
        List<SecurityGroup.Rule> wanted =
                IpPermissions.expand(tx.world(), tx.caller(), group, egress, permissions, true);
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
                            IpPermissions.peerText(w));
                }
            }
        }
        List<SecurityGroup.Rule> added = new ArrayList<>();
        for (SecurityGroup.Rule w : wanted) {
            added.add(w.as(new SecurityGroupRuleId(Ids.next(SecurityGroupRuleId.PREFIX)), tags));
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
            List<SecurityGroupRuleId> ruleIds) {
        if (!permissions.isEmpty() && !ruleIds.isEmpty()) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.with(
                    "Specify either security group rule IDs or IP permissions, not both.");
        }
        if (permissions.isEmpty() && ruleIds.isEmpty()) {
            throw Ec2Errors.missingParameter("ipPermissions or securityGroupRuleIds");
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
            for (SecurityGroup.Rule w : IpPermissions.expand(tx.world(), tx.caller(), group, egress, permissions,
                    false)) {
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
            throw Ec2Errors.missingParameter("SecurityGroupRule");
        }
        List<SecurityGroup.Rule> rules = new ArrayList<>(group.rules());
        for (RuleUpdate u : updates) {
            if (u.ruleId() == null || u.ruleId().isEmpty()) {
                throw Ec2Errors.missingParameter("SecurityGroupRule.N.SecurityGroupRuleId");
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
            SecurityGroup.Rule w = IpPermissions.expand(tx.world(), tx.caller(), group, old.egress(),
                    List.of(new Permission(u.protocol(), u.fromPort(), u.toPort(), List.of(peer))), true).get(0);
            SecurityGroup.Rule updated = w.as(old.ruleId(), old.tags());
            int at = indexOf(rules, old.ruleId());
            for (SecurityGroup.Rule other : rules) {
                if (!other.ruleId().equals(old.ruleId()) && other.sameAs(updated)) {
                    throw ErrorCode.INVALID_PERMISSION_DUPLICATE.format("the specified rule \"%s\" already exists",
                            IpPermissions.peerText(updated));
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
            Map<SecurityGroupRuleId, String> byRuleId) {
        if (permissions.isEmpty() && byRuleId.isEmpty()) {
            throw Ec2Errors.missingParameter("ipPermissions or securityGroupRuleDescriptions");
        }
        List<SecurityGroup.Rule> rules = new ArrayList<>(group.rules());
        for (SecurityGroup.Rule w : IpPermissions.expand(tx.world(), tx.caller(), group, egress, permissions, false)) {
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
        for (Map.Entry<SecurityGroupRuleId, String> e : byRuleId.entrySet()) {
            SecurityGroup.Rule r = rulesById(group, List.of(e.getKey()), egress).get(0);
            IpPermissions.checkDescription(e.getValue());
            rules.set(indexOf(rules, r.ruleId()), r.withDescription(e.getValue()));
        }
        tx.put(group.withRules(rules));
    }

    /** The group's rules with these ids (in one direction, unless {@code egress} is null); unknown ids fail. */
    public static List<SecurityGroup.Rule> rulesById(SecurityGroup group, List<SecurityGroupRuleId> ids,
            Boolean egress) {
        List<SecurityGroup.Rule> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (SecurityGroupRuleId id : new LinkedHashSet<>(ids)) {
            Ids.require(SecurityGroupRuleId.PREFIX, id.value(), ErrorCode.INVALID_SECURITY_GROUP_RULE_ID_MALFORMED);
            group.rules().stream().filter(r -> id.equals(r.ruleId()) && (egress == null || r.egress() == egress))
                    .findFirst().ifPresentOrElse(found::add, () -> missing.add(id.value()));
        }
        if (!missing.isEmpty()) {
            throw ruleNotFound(missing);
        }
        return found;
    }

    public static AwsException ruleNotFound(List<String> ids) {
        return ids.size() == 1
                ? ErrorCode.INVALID_SECURITY_GROUP_RULE_ID_NOT_FOUND.format(
                        "The security group rule ID '%s' does not exist", ids.get(0))
                : ErrorCode.INVALID_SECURITY_GROUP_RULE_ID_NOT_FOUND.format(
                        "The security group rule IDs '%s' do not exist", String.join(", ", ids));
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
            if (r.peer() instanceof AddressSet.Ipv4) {
                v4++;
            } else if (r.peer() instanceof AddressSet.Ipv6) {
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

    private static int indexOf(List<SecurityGroup.Rule> rules, SecurityGroupRuleId ruleId) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).ruleId().equals(ruleId)) {
                return i;
            }
        }
        throw new IllegalStateException("rule " + ruleId + " vanished");
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
