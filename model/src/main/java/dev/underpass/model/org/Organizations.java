package dev.underpass.model.org;

import dev.underpass.model.Tx;
import dev.underpass.model.World;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules of AWS Organizations as pure functions over a {@link Tx} (commands) or a {@link World} (queries): one
 * organization per management account, a single root, OUs nested at most five deep, accounts that join by
 * invitation (a handshake the invited account accepts) or by CreateAccount, and service and resource control
 * policies attached to the root, OUs and accounts once their type is enabled on the root, with the AWS managed
 * {@code FullAWSAccess} / {@code RCPFullAWSAccess} attached everywhere by default.
 *
 * <p>Follows the <a href="https://docs.aws.amazon.com/organizations/latest/APIReference/Welcome.html">Organizations
 * API reference</a>. Who may call what: the management account everything; a member account only what concerns
 * itself (DescribeOrganization, LeaveOrganization, its handshakes), else {@code AccessDeniedException}; an account
 * in no organization {@code AWSOrganizationsNotInUseException}, except that it may answer its invitations.
 *
 * <p>Later work (SCP enforcement, RAM sharing) reads the organization through {@link #orgOf}, {@link #orgIdOf} and
 * {@link #pathOf}, never through the records directly.
 */
public final class Organizations {
    /** Every organization's AWS managed SCP, attached by default where SCPs are enabled. */
    public static final ControlPolicy FULL_AWS_ACCESS = new ControlPolicy("p-FullAWSAccess", "aws",
            Organization.REGION, null, "FullAWSAccess", "Allows access to every operation", ControlPolicy.SCP,
            "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n"
                    + "      \"Action\": \"*\",\n      \"Resource\": \"*\"\n    }\n  ]\n}",
            true, Map.of());
    /** Every organization's AWS managed RCP, attached by default where RCPs are enabled; it cannot be detached. */
    public static final ControlPolicy RCP_FULL_AWS_ACCESS = new ControlPolicy("p-RCPFullAWSAccess", "aws",
            Organization.REGION, null, "RCPFullAWSAccess", "Allows access to every operation", ControlPolicy.RCP,
            "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n"
                    + "      \"Principal\": \"*\",\n      \"Action\": \"*\",\n      \"Resource\": \"*\"\n    }\n  ]\n}",
            true, Map.of());

    /** The policy types underpass emulates. */
    public static final List<String> POLICY_TYPES = List.of(ControlPolicy.SCP, ControlPolicy.RCP);
    /** AWS: an OU tree at most five levels deep under the root. */
    public static final int MAX_OU_DEPTH = 5;
    /** AWS: at most five SCPs (and five RCPs) attached to one root, OU or account. */
    public static final int MAX_ATTACHED_PER_TYPE = 5;
    /** AWS: an invitation expires 15 days after it was sent. */
    public static final Duration HANDSHAKE_LIFETIME = Duration.ofDays(15);

    public static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    public static final Pattern ROOT_ID = Pattern.compile("r-[0-9a-z]{4,32}");
    public static final Pattern OU_ID = Pattern.compile("ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}");
    public static final Pattern POLICY_ID = Pattern.compile("p-[0-9a-zA-Z_]{8,128}");
    public static final Pattern HANDSHAKE_ID = Pattern.compile("h-[0-9a-z]{8,32}");
    public static final Pattern CREATE_ACCOUNT_REQUEST_ID = Pattern.compile("car-[a-z0-9]{8,32}");

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALNUM = "0123456789abcdefghijklmnopqrstuvwxyz";

    private Organizations() {}

    // ---------------------------------------------------------------- queries

    /** The organization an account belongs to (as management account or member), if any. */
    public static Optional<Organization> orgOf(World world, String accountId) {
        return world.find(MemberAccount.class, accountId)
                .flatMap(m -> world.find(Organization.class, m.orgId()));
    }

    /** The id of the organization an account belongs to, if any ({@code aws:PrincipalOrgID}). */
    public static Optional<String> orgIdOf(World world, String accountId) {
        return world.find(MemberAccount.class, accountId).map(MemberAccount::orgId);
    }

    /** Whether the account is the management account of an organization. */
    public static boolean isManagement(World world, String accountId) {
        return orgOf(world, accountId).map(o -> o.managementAccountId().equals(accountId)).orElse(false);
    }

    /** One step of an account's path: the root, an OU, or the account itself, with the policies attached to it. */
    public record PathNode(String id, String kind, List<ControlPolicy> serviceControlPolicies,
            List<ControlPolicy> resourceControlPolicies) {
        public static final String ROOT = "ROOT";
        public static final String ORGANIZATIONAL_UNIT = "ORGANIZATIONAL_UNIT";
        public static final String ACCOUNT = "ACCOUNT";

        public PathNode {
            serviceControlPolicies = List.copyOf(serviceControlPolicies);
            resourceControlPolicies = List.copyOf(resourceControlPolicies);
        }
    }

    /**
     * Where an account sits in its organization: the nodes from the root down to the account itself, each with the
     * SCPs and RCPs attached to it (empty lists where the type is not enabled), as SCP evaluation needs them (a
     * request must be allowed at every level).
     *
     * @param managementAccountId SCPs never restrict this account
     */
    public record OrgPath(String orgId, String managementAccountId, String accountId, List<PathNode> nodes) {
        public OrgPath {
            nodes = List.copyOf(nodes);
        }

        /** {@code aws:PrincipalOrgPaths}' value: {@code o-…/r-…/ou-…/} (the account itself not included). */
        public String orgPath() {
            StringBuilder b = new StringBuilder(orgId).append('/');
            for (PathNode n : nodes) {
                if (!n.kind().equals(PathNode.ACCOUNT)) {
                    b.append(n.id()).append('/');
                }
            }
            return b.toString();
        }

        public boolean managementAccount() {
            return managementAccountId.equals(accountId);
        }
    }

    /** The account's path from the root, with the control policies attached at each level; empty outside orgs. */
    public static Optional<OrgPath> pathOf(World world, String accountId) {
        Optional<MemberAccount> member = world.find(MemberAccount.class, accountId);
        if (member.isEmpty()) {
            return Optional.empty();
        }
        Organization org = world.find(Organization.class, member.get().orgId()).orElse(null);
        if (org == null) {
            return Optional.empty();
        }
        List<PathNode> nodes = new ArrayList<>();
        nodes.add(node(world, org, accountId, PathNode.ACCOUNT));
        String parent = member.get().parentId();
        while (parent != null && !parent.equals(org.rootId())) {
            OrganizationalUnit ou = world.find(OrganizationalUnit.class, parent).orElse(null);
            if (ou == null) {
                break;
            }
            nodes.add(0, node(world, org, ou.id(), PathNode.ORGANIZATIONAL_UNIT));
            parent = ou.parentId();
        }
        nodes.add(0, node(world, org, org.rootId(), PathNode.ROOT));
        return Optional.of(new OrgPath(org.id(), org.managementAccountId(), accountId, nodes));
    }

    private static PathNode node(World world, Organization org, String targetId, String kind) {
        return new PathNode(targetId, kind, attached(world, org, targetId, ControlPolicy.SCP),
                attached(world, org, targetId, ControlPolicy.RCP));
    }

    /**
     * The policies of one type attached to a target, the AWS managed one first, then in policy id order; none when
     * the type is not enabled.
     */
    public static List<ControlPolicy> attached(World world, Organization org, String targetId, String type) {
        if (!org.policyTypeEnabled(type)) {
            return List.of();
        }
        List<ControlPolicy> out = new ArrayList<>();
        for (PolicyAttachment a : world.all(PolicyAttachment.class)) {
            if (a.orgId().equals(org.id()) && a.targetId().equals(targetId) && a.policyType().equals(type)) {
                policy(world, org, a.policyId()).ifPresent(out::add);
            }
        }
        out.sort(Comparator.comparing((ControlPolicy p) -> !p.awsManaged()).thenComparing(ControlPolicy::id));
        return out;
    }

    /** The attachments of a policy, in target id order. */
    public static List<PolicyAttachment> attachmentsOf(World world, Organization org, String policyId) {
        return world.all(PolicyAttachment.class, a -> a.orgId().equals(org.id()) && a.policyId().equals(policyId));
    }

    /** A policy of the organization, the AWS managed ones included. */
    public static Optional<ControlPolicy> policy(World world, Organization org, String policyId) {
        if (FULL_AWS_ACCESS.id().equals(policyId)) {
            return Optional.of(FULL_AWS_ACCESS);
        }
        if (RCP_FULL_AWS_ACCESS.id().equals(policyId)) {
            return Optional.of(RCP_FULL_AWS_ACCESS);
        }
        return world.find(ControlPolicy.class, policyId).filter(p -> p.orgId().equals(org.id()));
    }

    /** The organization's policies of one type, AWS managed first, then by name. */
    public static List<ControlPolicy> policies(World world, Organization org, String type) {
        List<ControlPolicy> out = new ArrayList<>();
        for (ControlPolicy managed : List.of(FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS)) {
            if (managed.type().equals(type)) {
                out.add(managed);
            }
        }
        out.addAll(world.all(ControlPolicy.class, p -> p.orgId().equals(org.id()) && p.type().equals(type))
                .stream().sorted(Comparator.comparing(ControlPolicy::name)).toList());
        return out;
    }

    public static List<MemberAccount> accounts(World world, Organization org) {
        return world.all(MemberAccount.class, m -> m.orgId().equals(org.id()));
    }

    public static List<OrganizationalUnit> units(World world, Organization org) {
        return world.all(OrganizationalUnit.class, u -> u.orgId().equals(org.id()));
    }

    /** Whether {@code id} is the organization's root or one of its OUs. */
    public static boolean isParent(World world, Organization org, String id) {
        return org.rootId().equals(id)
                || world.find(OrganizationalUnit.class, id).filter(u -> u.orgId().equals(org.id())).isPresent();
    }

    /** Whether {@code id} is the organization's root, one of its OUs or one of its accounts. */
    public static boolean isTarget(World world, Organization org, String id) {
        return isParent(world, org, id)
                || world.find(MemberAccount.class, id).filter(m -> m.orgId().equals(org.id())).isPresent();
    }

    /** The handshakes of an organization. */
    public static List<Handshake> handshakes(World world, Organization org) {
        return world.all(Handshake.class, h -> h.orgId().equals(org.id()));
    }

    /** The handshakes addressed to an account, from any organization. */
    public static List<Handshake> handshakesFor(World world, String accountId) {
        return world.all(Handshake.class, h -> h.targetAccountId().equals(accountId));
    }

    /** A handshake's state as of {@code now}: an open one past its expiry reads {@code EXPIRED}. */
    public static String stateAt(Handshake h, Instant now) {
        return h.state().equals("OPEN") && !now.isBefore(h.expiresAt()) ? "EXPIRED" : h.state();
    }

    // ---------------------------------------------------------------- access

    /** The caller's organization, or {@code AWSOrganizationsNotInUseException}. */
    public static Organization requireOrg(World world, String accountId) {
        return orgOf(world, accountId).orElseThrow(() -> OrgError.NOT_IN_USE.with(
                "Your account is not a member of an organization."));
    }

    /** The caller's organization when the caller is its management account, else the error AWS answers. */
    public static Organization requireManagement(World world, String accountId) {
        Organization org = requireOrg(world, accountId);
        if (!org.managementAccountId().equals(accountId)) {
            throw OrgError.ACCESS_DENIED.with("You don't have permissions to access this resource. Only the "
                    + "organization's management account can perform this operation.");
        }
        return org;
    }

    // ---------------------------------------------------------------- commands

    /** CreateOrganization: the caller becomes the management account, the first member, under a new root. */
    public static Organization createOrganization(Tx tx, String featureSet) {
        String caller = tx.caller().accountId();
        if (orgOf(tx.world(), caller).isPresent()) {
            throw OrgError.ALREADY_IN_ORGANIZATION.with("The provided account is already a member of an "
                    + "organization.");
        }
        String id;
        do {
            id = "o-" + random(10);
        } while (tx.find(Organization.class, id).isPresent());
        String rootId = "r-" + random(4);
        Organization org = tx.put(new Organization(id, caller, Organization.REGION, featureSet, rootId, List.of(),
                Map.of(), tx.now()));
        tx.put(new MemberAccount(caller, caller, Organization.REGION, id, rootId, "account-" + caller,
                emailOf(caller), "INVITED", tx.now(), Map.of()));
        return org;
    }

    /** The e-mail address underpass gives an account it did not create (AWS would know the real one). */
    public static String emailOf(String accountId) {
        return "account-" + accountId + "@underpass.invalid";
    }

    /** DeleteOrganization: only once the management account is the last member; takes OUs and policies with it. */
    public static void deleteOrganization(Tx tx) {
        Organization org = requireManagement(tx.world(), tx.caller().accountId());
        if (accounts(tx.world(), org).size() > 1) {
            throw OrgError.ORGANIZATION_NOT_EMPTY.with("The organization isn't empty. To delete an organization "
                    + "you must first remove all member accounts except the management account.");
        }
        for (var type : List.of(OrganizationalUnit.class, MemberAccount.class, ControlPolicy.class,
                PolicyAttachment.class, Handshake.class, CreateAccountStatus.class)) {
            for (var r : List.copyOf(tx.all(type))) {
                if (orgIdField(r).equals(org.id())) {
                    tx.remove(r);
                }
            }
        }
        tx.remove(org);
    }

    private static String orgIdField(dev.underpass.model.Resource r) {
        return switch (r) {
            case OrganizationalUnit u -> u.orgId();
            case MemberAccount m -> m.orgId();
            case ControlPolicy p -> p.orgId();
            case PolicyAttachment a -> a.orgId();
            case Handshake h -> h.orgId();
            case CreateAccountStatus c -> c.orgId();
            default -> "";
        };
    }

    /** CreateOrganizationalUnit under the root or an OU, with the default policies of the enabled types. */
    public static OrganizationalUnit createOrganizationalUnit(Tx tx, String parentId, String name,
            Map<String, String> tags) {
        Organization org = requireManagement(tx.world(), tx.caller().accountId());
        if (!isParent(tx.world(), org, parentId)) {
            throw OrgError.PARENT_NOT_FOUND.with("We can't find a root or OU with the ParentId that you specified.");
        }
        if (depth(tx.world(), org, parentId) + 1 > MAX_OU_DEPTH) {
            throw OrgError.CONSTRAINT_VIOLATION.because("OU_DEPTH_LIMIT_EXCEEDED", "You attempted to create an OU "
                    + "tree that is too many levels deep.");
        }
        requireUniqueName(tx.world(), org, parentId, name, null);
        String id;
        do {
            id = "ou-" + org.rootId().substring(2, 6) + "-" + random(8);
        } while (tx.find(OrganizationalUnit.class, id).isPresent());
        OrganizationalUnit ou = tx.put(new OrganizationalUnit(id, org.managementAccountId(), Organization.REGION,
                org.id(), parentId, name, tags));
        attachDefaults(tx, org, id);
        return ou;
    }

    private static void requireUniqueName(World world, Organization org, String parentId, String name,
            String except) {
        for (OrganizationalUnit u : units(world, org)) {
            if (u.parentId().equals(parentId) && u.name().equals(name) && !u.id().equals(except)) {
                throw OrgError.DUPLICATE_OU.with("An OU with the same name already exists.");
            }
        }
    }

    /** How many OUs deep a parent is: 0 for the root. */
    private static int depth(World world, Organization org, String parentId) {
        int depth = 0;
        String at = parentId;
        while (!at.equals(org.rootId())) {
            OrganizationalUnit u = world.find(OrganizationalUnit.class, at).orElse(null);
            if (u == null) {
                break;
            }
            depth++;
            at = u.parentId();
        }
        return depth;
    }

    public static OrganizationalUnit requireUnit(World world, Organization org, String ouId) {
        return world.find(OrganizationalUnit.class, ouId).filter(u -> u.orgId().equals(org.id()))
                .orElseThrow(() -> OrgError.OU_NOT_FOUND.with("We can't find an OU with the OrganizationalUnitId "
                        + "that you specified."));
    }

    public static OrganizationalUnit renameOrganizationalUnit(Tx tx, String ouId, String name) {
        Organization org = requireManagement(tx.world(), tx.caller().accountId());
        OrganizationalUnit ou = requireUnit(tx.world(), org, ouId);
        if (name == null) {
            return ou;
        }
        requireUniqueName(tx.world(), org, ou.parentId(), name, ou.id());
        return tx.put(ou.withName(name));
    }

    public static void deleteOrganizationalUnit(Tx tx, String ouId) {
        Organization org = requireManagement(tx.world(), tx.caller().accountId());
        OrganizationalUnit ou = requireUnit(tx.world(), org, ouId);
        boolean children = units(tx.world(), org).stream().anyMatch(u -> u.parentId().equals(ouId))
                || accounts(tx.world(), org).stream().anyMatch(m -> m.parentId().equals(ouId));
        if (children) {
            throw OrgError.OU_NOT_EMPTY.with("The specified OU is not empty. Move all accounts to another root or "
                    + "OU, delete all child OUs, and try the operation again.");
        }
        detachAll(tx, org, ouId);
        tx.remove(ou);
    }

    public static MemberAccount requireAccount(World world, Organization org, String accountId) {
        return world.find(MemberAccount.class, accountId).filter(m -> m.orgId().equals(org.id()))
                .orElseThrow(() -> OrgError.ACCOUNT_NOT_FOUND.with("You specified an account that doesn't exist."));
    }

    /**
     * CreateAccount: a new member under the root, at once. Its id is derived from the organization and the e-mail
     * address (SHA-256, twelve decimal digits, never starting with 0), stepping past ids already members, so that
     * a test that creates the same account again in a fresh organization sees a stable id; any access key that
     * names that id then acts as the new account.
     */
    public static CreateAccountStatus createAccount(Tx tx, String name, String email, Map<String, String> tags) {
        Organization org = requireManagement(tx.world(), tx.caller().accountId());
        long n = Long.remainderUnsigned(digest(org.id() + "\n" + email), 900_000_000_000L) + 100_000_000_000L;
        String accountId = Long.toString(n);
        while (tx.find(MemberAccount.class, accountId).isPresent() || accountId.equals(org.managementAccountId())) {
            n = n >= 999_999_999_999L ? 100_000_000_000L : n + 1;
            accountId = Long.toString(n);
        }
        tx.put(new MemberAccount(accountId, org.managementAccountId(), Organization.REGION, org.id(), org.rootId(),
                name, email, "CREATED", tx.now(), tags));
        attachDefaults(tx, org, accountId);
        return tx.put(new CreateAccountStatus("car-" + random(32), org.managementAccountId(), Organization.REGION,
                org.id(), name, accountId, "SUCCEEDED", tx.now(), tx.now()));
    }

    /** InviteAccountToOrganization: an open INVITE handshake to a 12-digit account. */
    public static Handshake invite(Tx tx, String accountId, String notes) {
        Organization org = requireManagement(tx.world(), tx.caller().accountId());
        if (orgOf(tx.world(), accountId).isPresent()) {
            throw OrgError.HANDSHAKE_CONSTRAINT_VIOLATION.because("ALREADY_IN_AN_ORGANIZATION", "The account is "
                    + "already a member of an organization.");
        }
        for (Handshake h : handshakes(tx.world(), org)) {
            if (h.targetAccountId().equals(accountId) && stateAt(h, tx.now()).equals("OPEN")) {
                throw OrgError.DUPLICATE_HANDSHAKE.with("A handshake with the same action and target already "
                        + "exists.");
            }
        }
        String id;
        do {
            id = "h-" + random(10);
        } while (tx.find(Handshake.class, id).isPresent());
        return tx.put(new Handshake(id, org.managementAccountId(), Organization.REGION, org.id(), "INVITE",
                accountId, "OPEN", notes, tx.now(), tx.now().plus(HANDSHAKE_LIFETIME)));
    }

    /** A handshake the caller is a party to (its organization's management account, or the invited account). */
    public static Handshake requireHandshake(World world, String caller, String handshakeId) {
        Handshake h = world.find(Handshake.class, handshakeId).orElse(null);
        if (h == null || !(h.targetAccountId().equals(caller) || h.ownerId().equals(caller))) {
            throw OrgError.HANDSHAKE_NOT_FOUND.with("We can't find a handshake with the HandshakeId that you "
                    + "specified.");
        }
        return h;
    }

    /**
     * AcceptHandshake (accept) or DeclineHandshake: only the invited account answers an invitation; accepting
     * makes it a member under the root with the default policies of the enabled types.
     */
    public static Handshake answer(Tx tx, String handshakeId, boolean accept) {
        String caller = tx.caller().accountId();
        Handshake h = requireHandshake(tx.world(), caller, handshakeId);
        String wanted = accept ? "ACCEPTED" : "DECLINED";
        String state = stateAt(h, tx.now());
        if (state.equals(wanted)) {
            throw OrgError.HANDSHAKE_ALREADY_IN_STATE.format("The handshake is already in the %s state.", wanted);
        }
        if (!h.targetAccountId().equals(caller)) {
            throw OrgError.ACCESS_DENIED.with("You don't have permissions to access this resource. Only the "
                    + "invited account can accept or decline an invitation.");
        }
        if (!state.equals("OPEN")) {
            throw OrgError.INVALID_HANDSHAKE_TRANSITION.format("You can't perform the operation on the handshake "
                    + "in its current state (%s).", state);
        }
        if (accept) {
            Organization org = tx.find(Organization.class, h.orgId()).orElseThrow(() ->
                    OrgError.INVALID_HANDSHAKE_TRANSITION.with("The organization of the handshake no longer "
                            + "exists."));
            if (orgOf(tx.world(), caller).isPresent()) {
                throw OrgError.HANDSHAKE_CONSTRAINT_VIOLATION.because("ALREADY_IN_AN_ORGANIZATION", "The account "
                        + "is already a member of an organization.");
            }
            tx.put(new MemberAccount(caller, org.managementAccountId(), Organization.REGION, org.id(),
                    org.rootId(), "account-" + caller, emailOf(caller), "INVITED", tx.now(), Map.of()));
            attachDefaults(tx, org, caller);
        }
        return tx.put(h.withState(wanted));
    }

    /** CancelHandshake by the organization's management account. */
    public static Handshake cancel(Tx tx, String handshakeId) {
        String caller = tx.caller().accountId();
        Handshake h = requireHandshake(tx.world(), caller, handshakeId);
        if (!h.ownerId().equals(caller)) {
            throw OrgError.ACCESS_DENIED.with("You don't have permissions to access this resource. Only the "
                    + "organization's management account can cancel an invitation.");
        }
        String state = stateAt(h, tx.now());
        if (state.equals("CANCELED")) {
            throw OrgError.HANDSHAKE_ALREADY_IN_STATE.with("The handshake is already in the CANCELED state.");
        }
        if (!state.equals("OPEN")) {
            throw OrgError.INVALID_HANDSHAKE_TRANSITION.format("You can't perform the operation on the handshake "
                    + "in its current state (%s).", state);
        }
        return tx.put(h.withState("CANCELED"));
    }

    /** RemoveAccountFromOrganization (by the management account) or LeaveOrganization (by the member itself). */
    public static void removeAccount(Tx tx, String accountId, boolean leaving) {
        String caller = tx.caller().accountId();
        Organization org = leaving ? requireOrg(tx.world(), caller) : requireManagement(tx.world(), caller);
        MemberAccount member = requireAccount(tx.world(), org, accountId);
        if (member.id().equals(org.managementAccountId())) {
            throw OrgError.MASTER_CANNOT_LEAVE.with("You can't remove a management account from an organization. "
                    + "If you want the management account to become a member account in another organization, you "
                    + "must first delete the current organization.");
        }
        detachAll(tx, org, accountId);
        tx.remove(member);
    }

    /** MoveAccount between two parents of the organization. */
    public static MemberAccount moveAccount(Tx tx, String accountId, String sourceParentId, String destinationId) {
        Organization org = requireManagement(tx.world(), tx.caller().accountId());
        if (!isParent(tx.world(), org, sourceParentId)) {
            throw OrgError.SOURCE_PARENT_NOT_FOUND.with("We can't find a source root or OU with the ParentId that "
                    + "you specified.");
        }
        if (!isParent(tx.world(), org, destinationId)) {
            throw OrgError.DESTINATION_PARENT_NOT_FOUND.with("We can't find a destination root or OU with the "
                    + "ParentId that you specified.");
        }
        MemberAccount member = requireAccount(tx.world(), org, accountId);
        if (!member.parentId().equals(sourceParentId)) {
            throw OrgError.ACCOUNT_NOT_FOUND.with("You specified an account that doesn't exist in the source "
                    + "parent.");
        }
        if (sourceParentId.equals(destinationId)) {
            throw OrgError.DUPLICATE_ACCOUNT.with("That account is already present in the specified destination.");
        }
        return tx.put(member.withParent(destinationId));
    }

    /** EnableAWSServiceAccess / DisableAWSServiceAccess. */
    public static void setServiceAccess(Tx tx, String servicePrincipal, boolean enabled) {
        Organization org = requireManagement(tx.world(), tx.caller().accountId());
        Map<String, Instant> access = new LinkedHashMap<>(org.serviceAccess());
        if (enabled) {
            access.putIfAbsent(servicePrincipal, tx.now());
        } else {
            access.remove(servicePrincipal);
        }
        tx.put(org.withServiceAccess(access));
    }

    /** EnablePolicyType on the root: the type's AWS managed policy is attached to the root, every OU and account. */
    public static Organization enablePolicyType(Tx tx, String rootId, String type) {
        Organization org = requireManagement(tx.world(), tx.caller().accountId());
        requireRoot(org, rootId);
        if (!org.featureSet().equals("ALL")) {
            throw OrgError.CONSTRAINT_VIOLATION.because("ORGANIZATION_NOT_IN_ALL_FEATURES_MODE", "You attempted to "
                    + "perform an operation that requires the organization to be configured to support all "
                    + "features.");
        }
        if (org.policyTypeEnabled(type)) {
            throw OrgError.POLICY_TYPE_ALREADY_ENABLED.with("The specified policy type is already enabled.");
        }
        List<String> types = new ArrayList<>(org.enabledPolicyTypes());
        types.add(type);
        org = tx.put(org.withEnabledPolicyTypes(types));
        ControlPolicy managed = managedFor(type);
        List<String> targets = new ArrayList<>();
        targets.add(org.rootId());
        units(tx.world(), org).forEach(u -> targets.add(u.id()));
        accounts(tx.world(), org).forEach(m -> targets.add(m.id()));
        for (String target : targets) {
            put(tx, org, managed, target);
        }
        return org;
    }

    /** DisablePolicyType: every policy of the type is detached everywhere. */
    public static Organization disablePolicyType(Tx tx, String rootId, String type) {
        Organization org = requireManagement(tx.world(), tx.caller().accountId());
        requireRoot(org, rootId);
        if (!org.policyTypeEnabled(type)) {
            throw OrgError.POLICY_TYPE_NOT_ENABLED.with("This operation can be performed only for enabled policy "
                    + "types.");
        }
        String orgId = org.id();
        for (PolicyAttachment a : tx.all(PolicyAttachment.class, a -> a.orgId().equals(orgId)
                && a.policyType().equals(type))) {
            tx.remove(a);
        }
        List<String> types = new ArrayList<>(org.enabledPolicyTypes());
        types.remove(type);
        return tx.put(org.withEnabledPolicyTypes(types));
    }

    private static void requireRoot(Organization org, String rootId) {
        if (!org.rootId().equals(rootId)) {
            throw OrgError.ROOT_NOT_FOUND.with("We can't find a root with the RootId that you specified.");
        }
    }

    private static ControlPolicy managedFor(String type) {
        return type.equals(ControlPolicy.SCP) ? FULL_AWS_ACCESS : RCP_FULL_AWS_ACCESS;
    }

    /** CreatePolicy: the document is assumed already validated by the caller (the policy engine lives above). */
    public static ControlPolicy createPolicy(Tx tx, String name, String description, String type, String content,
            Map<String, String> tags) {
        Organization org = requireManagement(tx.world(), tx.caller().accountId());
        requireUniquePolicyName(tx.world(), org, name, null);
        String id;
        do {
            id = "p-" + random(8);
        } while (tx.find(ControlPolicy.class, id).isPresent());
        return tx.put(new ControlPolicy(id, org.managementAccountId(), Organization.REGION, org.id(), name,
                description == null ? "" : description, type, content, false, tags));
    }

    private static void requireUniquePolicyName(World world, Organization org, String name, String except) {
        boolean taken = FULL_AWS_ACCESS.name().equals(name) || RCP_FULL_AWS_ACCESS.name().equals(name)
                || world.all(ControlPolicy.class).stream().anyMatch(p -> p.orgId().equals(org.id())
                        && p.name().equals(name) && !p.id().equals(except));
        if (taken) {
            throw OrgError.DUPLICATE_POLICY.with("A policy with the same name already exists.");
        }
    }

    /** A policy of the caller's organization, or {@code PolicyNotFoundException}. */
    public static ControlPolicy requirePolicy(World world, Organization org, String policyId) {
        return policy(world, org, policyId).orElseThrow(() -> OrgError.POLICY_NOT_FOUND.with("We can't find a "
                + "policy with the PolicyId that you specified."));
    }

    private static ControlPolicy requireCustomer(World world, Organization org, String policyId) {
        ControlPolicy p = requirePolicy(world, org, policyId);
        if (p.awsManaged()) {
            throw OrgError.INVALID_INPUT.because("IMMUTABLE_POLICY", "You specified a policy that is managed by "
                    + "AWS and can't be modified.");
        }
        return p;
    }

    /** UpdatePolicy: null members keep their value. */
    public static ControlPolicy updatePolicy(Tx tx, String policyId, String name, String description,
            String content) {
        Organization org = requireManagement(tx.world(), tx.caller().accountId());
        ControlPolicy p = requireCustomer(tx.world(), org, policyId);
        if (name != null) {
            requireUniquePolicyName(tx.world(), org, name, p.id());
        }
        return tx.put(p.with(name == null ? p.name() : name, description == null ? p.description() : description,
                content == null ? p.content() : content));
    }

    public static void deletePolicy(Tx tx, String policyId) {
        Organization org = requireManagement(tx.world(), tx.caller().accountId());
        ControlPolicy p = requireCustomer(tx.world(), org, policyId);
        if (!attachmentsOf(tx.world(), org, policyId).isEmpty()) {
            throw OrgError.POLICY_IN_USE.with("The policy is attached to one or more entities. You must detach it "
                    + "from all roots, OUs, and accounts before performing this operation.");
        }
        tx.remove(p);
    }

    /** AttachPolicy: the type must be enabled, the target known, at most five of a type per target. */
    public static void attachPolicy(Tx tx, String policyId, String targetId) {
        Organization org = requireManagement(tx.world(), tx.caller().accountId());
        ControlPolicy p = requirePolicy(tx.world(), org, policyId);
        if (!isTarget(tx.world(), org, targetId)) {
            throw OrgError.TARGET_NOT_FOUND.with("We can't find a root, OU, account, or policy with the TargetId "
                    + "that you specified.");
        }
        if (!org.policyTypeEnabled(p.type())) {
            throw OrgError.POLICY_TYPE_NOT_ENABLED.with("This operation can be performed only for enabled policy "
                    + "types.");
        }
        if (tx.find(PolicyAttachment.class, PolicyAttachment.idOf(org.id(), policyId, targetId)).isPresent()) {
            throw OrgError.DUPLICATE_POLICY_ATTACHMENT.with("The selected policy is already attached to the "
                    + "specified target.");
        }
        if (attached(tx.world(), org, targetId, p.type()).size() >= MAX_ATTACHED_PER_TYPE) {
            throw OrgError.CONSTRAINT_VIOLATION.because("MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED", "You "
                    + "attempted to exceed the number of policies of a certain type that can be attached to an "
                    + "entity at one time.");
        }
        put(tx, org, p, targetId);
    }

    /**
     * DetachPolicy: a target must keep at least one SCP while SCPs are enabled, and {@code RCPFullAWSAccess}
     * cannot be detached at all.
     */
    public static void detachPolicy(Tx tx, String policyId, String targetId) {
        Organization org = requireManagement(tx.world(), tx.caller().accountId());
        ControlPolicy p = requirePolicy(tx.world(), org, policyId);
        if (!isTarget(tx.world(), org, targetId)) {
            throw OrgError.TARGET_NOT_FOUND.with("We can't find a root, OU, account, or policy with the TargetId "
                    + "that you specified.");
        }
        PolicyAttachment a = tx.find(PolicyAttachment.class, PolicyAttachment.idOf(org.id(), policyId, targetId))
                .orElseThrow(() -> OrgError.POLICY_NOT_ATTACHED.with("The policy isn't attached to the specified "
                        + "target in the specified root."));
        if (p.id().equals(RCP_FULL_AWS_ACCESS.id())) {
            throw OrgError.INVALID_INPUT.because("NON_DETACHABLE_POLICY", "You can't detach the RCPFullAWSAccess "
                    + "policy.");
        }
        if (p.type().equals(ControlPolicy.SCP) && attached(tx.world(), org, targetId, p.type()).size() <= 1) {
            throw OrgError.CONSTRAINT_VIOLATION.because("MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED", "You "
                    + "attempted to detach a policy from an entity that would leave the entity with fewer than the "
                    + "minimum number of policies of a certain type required.");
        }
        tx.remove(a);
    }

    private static void put(Tx tx, Organization org, ControlPolicy p, String targetId) {
        tx.put(new PolicyAttachment(PolicyAttachment.idOf(org.id(), p.id(), targetId), org.managementAccountId(),
                Organization.REGION, org.id(), p.id(), p.type(), targetId));
    }

    /** The enabled types' AWS managed policies, for a new OU or account. */
    private static void attachDefaults(Tx tx, Organization org, String targetId) {
        for (String type : org.enabledPolicyTypes()) {
            put(tx, org, managedFor(type), targetId);
        }
    }

    private static void detachAll(Tx tx, Organization org, String targetId) {
        for (PolicyAttachment a : tx.all(PolicyAttachment.class, a -> a.orgId().equals(org.id())
                && a.targetId().equals(targetId))) {
            tx.remove(a);
        }
    }

    // ---------------------------------------------------------------- ids

    private static String random(int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(ALNUM.charAt(RANDOM.nextInt(ALNUM.length())));
        }
        return b.toString();
    }

    private static long digest(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (d[i] & 0xff);
            }
            return v;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
