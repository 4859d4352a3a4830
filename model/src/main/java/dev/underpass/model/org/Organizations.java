package dev.underpass.model.org;

import dev.underpass.model.PolicyDocument;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
            PolicyDocument.of("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": "
                    + "\"Allow\",\n      \"Action\": \"*\",\n      \"Resource\": \"*\"\n    }\n  ]\n}"),
            true, Map.of());
    /** Every organization's AWS managed RCP, attached by default where RCPs are enabled; it cannot be detached. */
    public static final ControlPolicy RCP_FULL_AWS_ACCESS = new ControlPolicy("p-RCPFullAWSAccess", "aws",
            Organization.REGION, null, "RCPFullAWSAccess", "Allows access to every operation", ControlPolicy.RCP,
            PolicyDocument.of("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": "
                    + "\"Allow\",\n      \"Principal\": \"*\",\n      \"Action\": \"*\",\n      \"Resource\": \"*\"\n"
                    + "    }\n  ]\n}"),
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
    public static Handshake.State stateAt(Handshake h, Instant now) {
        return h.state() == Handshake.State.OPEN && !now.isBefore(h.expiresAt()) ? Handshake.State.EXPIRED : h.state();
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
            throw OrgErrors.accessDenied("Only the organization's management account can perform this operation.");
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

    // ---------------------------------------------------------------- ids

    /** A random lower-case alphanumeric string, for the ids AWS draws at random. */
    static String random(int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(ALNUM.charAt(RANDOM.nextInt(ALNUM.length())));
        }
        return b.toString();
    }
}
