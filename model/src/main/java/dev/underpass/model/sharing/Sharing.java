package dev.underpass.model.sharing;

import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.Index;
import dev.underpass.model.Tags;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.ManagedPrefixList;
import dev.underpass.model.ec2.ResourceGrant;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.ec2.Vpc;
import dev.underpass.model.org.MemberAccount;
import dev.underpass.model.org.Organization;
import dev.underpass.model.org.OrganizationalUnit;
import dev.underpass.model.org.Organizations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules of AWS RAM for the resource types underpass shares, as pure functions over a {@link Tx} or a
 * {@link World}: resource shares with their resources and principals, organization sharing enabled from the
 * management account, invitations for accounts outside the organization, and the {@link ResourceGrant}s that tell
 * EC2 which participant may use which subnet or prefix list.
 *
 * <p>Follows the <a href="https://docs.aws.amazon.com/ram/latest/APIReference/Welcome.html">RAM API reference</a>
 * and the <a href="https://docs.aws.amazon.com/vpc/latest/userguide/vpc-sharing.html">VPC sharing guide</a>:
 * {@code ec2:Subnet} only inside the owner's organization once sharing with it is enabled, never a default VPC's
 * subnet; {@code ec2:PrefixList} (customer-managed) also with outside accounts, by invitation, when the share allows
 * external principals. A principal is an account id, an OU ARN (its accounts, nested OUs included) or the
 * organization's ARN (every account in it), resolved when grants are computed.
 *
 * <p>Why grants are stored rather than derived on every read: EC2's visibility rules sit below RAM in the package
 * graph and run on every Describe call; a grant record indexed by participant answers "is this subnet shared with
 * me" in one lookup. They are recomputed for a share whenever its resources, principals or status change. Quirk: a
 * later move of an account between OUs, or out of the organization, does not recompute them.
 */
public final class Sharing {
    /** The service principal organization sharing enables trusted access for. */
    public static final String RAM_SERVICE_PRINCIPAL = "ram.amazonaws.com";
    public static final String SUBNET = "ec2:Subnet";
    public static final String PREFIX_LIST = "ec2:PrefixList";

    /** A RAM managed permission: the default one of each type underpass shares. */
    public record Permission(String arn, String name, String resourceType, String version, String permission,
            Instant created) {
        public boolean defaultVersion() {
            return true;
        }
    }

    private static final Instant PERMISSIONS_CREATED = Instant.parse("2018-11-20T00:00:00Z");
    public static final List<Permission> PERMISSIONS = List.of(
            new Permission("arn:aws:ram::aws:permission/AWSRAMDefaultPermissionPrefixList",
                    "AWSRAMDefaultPermissionPrefixList", PREFIX_LIST, "1",
                    "{\"Effect\":\"Allow\",\"Action\":[\"ec2:GetManagedPrefixListAssociations\","
                            + "\"ec2:GetManagedPrefixListEntries\",\"ec2:DescribeManagedPrefixLists\"]}",
                    PERMISSIONS_CREATED),
            new Permission("arn:aws:ram::aws:permission/AWSRAMDefaultPermissionSubnet",
                    "AWSRAMDefaultPermissionSubnet", SUBNET, "1",
                    "{\"Effect\":\"Allow\",\"Action\":[\"ec2:RunInstances\",\"ec2:CreateNetworkInterface\","
                            + "\"ec2:DescribeSubnets\"]}",
                    PERMISSIONS_CREATED));

    /** The resource types underpass shares, with their service and whether they may leave the organization. */
    public record ShareableType(String name, String service, boolean organizationOnly) {}

    public static final List<ShareableType> TYPES = List.of(
            new ShareableType(PREFIX_LIST, "ec2", false),
            new ShareableType(SUBNET, "ec2", true));

    private static final Pattern ARN = Pattern.compile("arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\\d{12}|aws|):(.+)");
    private static final Pattern SHARE_ARN =
            Pattern.compile("arn:aws:ram:([a-z0-9-]+):(\\d{12}):resource-share/[0-9a-f-]{36}");
    private static final Pattern INVITATION_ARN =
            Pattern.compile("arn:aws:ram:([a-z0-9-]+):(\\d{12}):resource-share-invitation/[0-9a-f-]{36}");
    private static final Pattern ORG_ARN =
            Pattern.compile("arn:aws:organizations::(\\d{12}):organization/(o-[a-z0-9]{10,32})");
    private static final Pattern OU_ARN = Pattern.compile(
            "arn:aws:organizations::(\\d{12}):ou/(o-[a-z0-9]{10,32})/(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

    private static final Index<ShareAssociation, String> ASSOCIATIONS_BY_SHARE =
            Index.by(ShareAssociation.class, ShareAssociation::shareArn);
    private static final Index<ResourceGrant, String> GRANTS_BY_SHARE =
            Index.by(ResourceGrant.class, ResourceGrant::shareArn);
    private static final Index<ShareAssociation, String> PRINCIPALS = Index.by(ShareAssociation.class,
            a -> a.associationType().equals(ShareAssociation.PRINCIPAL) ? a.entity() : null);
    private static final Index<ShareInvitation, String> INVITATIONS_BY_RECEIVER =
            Index.by(ShareInvitation.class, ShareInvitation::receiverAccountId);

    private Sharing() {}

    // ---------------------------------------------------------------- organization sharing

    /** Whether the account's organization has sharing with RAM enabled. */
    public static boolean sharingEnabled(World world, String accountId) {
        return Organizations.orgOf(world, accountId)
                .map(o -> o.serviceAccess().containsKey(RAM_SERVICE_PRINCIPAL)).orElse(false);
    }

    /** EnableSharingWithAwsOrganization: the management account turns on trusted access for RAM. */
    public static void enableSharingWithOrganization(Tx tx) {
        String account = tx.caller().accountId();
        Organization org = Organizations.orgOf(tx.world(), account).orElseThrow(() ->
                RamError.OPERATION_NOT_PERMITTED.with("The account " + account + " is not in an organization."));
        if (!org.managementAccountId().equals(account)) {
            throw RamError.OPERATION_NOT_PERMITTED.with("Only the management account of the organization can "
                    + "enable sharing with AWS Organizations.");
        }
        if (!org.serviceAccess().containsKey(RAM_SERVICE_PRINCIPAL)) {
            Map<String, Instant> access = new LinkedHashMap<>(org.serviceAccess());
            access.put(RAM_SERVICE_PRINCIPAL, tx.now());
            tx.put(org.withServiceAccess(access));
        }
    }

    // ---------------------------------------------------------------- shares

    /** The share an ARN names, owned by the caller in its region; else AWS's errors. */
    public static ResourceShare requireOwnShare(World world, Caller caller, String arn) {
        requireShareArn(arn);
        return world.find(ResourceShare.class, arn)
                .filter(s -> s.ownerId().equals(caller.accountId()) && s.region().equals(caller.region()))
                .orElseThrow(() -> RamError.UNKNOWN_RESOURCE.with("ResourceShare " + arn + " could not be found."));
    }

    public static void requireShareArn(String arn) {
        if (arn == null || arn.isEmpty()) {
            throw RamError.MISSING_REQUIRED_PARAMETER.with("The resourceShareArn parameter is required.");
        }
        if (!SHARE_ARN.matcher(arn).matches()) {
            throw RamError.MALFORMED_ARN.with("The specified resource share ARN " + arn + " is not valid.");
        }
    }

    public static ResourceShare create(Tx tx, String name, List<String> resourceArns, List<String> principals,
            Boolean allowExternalPrincipals, Map<String, String> tags) {
        if (name == null || name.isBlank()) {
            throw RamError.MISSING_REQUIRED_PARAMETER.with("The name parameter is required.");
        }
        checkTags(tags);
        Caller caller = tx.caller();
        String arn = "arn:aws:ram:" + caller.region() + ":" + caller.accountId() + ":resource-share/"
                + tx.ids().uuid();
        ResourceShare share = new ResourceShare(arn, caller.accountId(), caller.region(), name,
                allowExternalPrincipals == null || allowExternalPrincipals, ResourceShare.ACTIVE, tx.now(),
                tx.now(), tags);
        tx.put(share);
        associate(tx, share, resourceArns, principals);
        return share;
    }

    public static ResourceShare update(Tx tx, String arn, String name, Boolean allowExternalPrincipals) {
        ResourceShare share = requireOwnShare(tx.world(), tx.caller(), arn);
        if (!share.active()) {
            throw RamError.INVALID_STATE_TRANSITION.with("The resource share " + arn + " is " + share.status()
                    + ".");
        }
        if (name != null && name.isBlank()) {
            throw RamError.INVALID_PARAMETER.with("The name of a resource share cannot be empty.");
        }
        boolean allow = allowExternalPrincipals == null ? share.allowExternalPrincipals() : allowExternalPrincipals;
        if (!allow && current(tx.world(), share).stream().anyMatch(a -> a.external())) {
            throw RamError.OPERATION_NOT_PERMITTED.with("The resource share " + arn + " has principals outside "
                    + "your organization; remove them before disallowing external principals.");
        }
        ResourceShare updated = share.with(name == null ? share.name() : name, allow, share.status(), tx.now());
        tx.put(updated);
        return updated;
    }

    /** DeleteResourceShare: the share becomes DELETED, its associations DISASSOCIATED, its grants gone. */
    public static void delete(Tx tx, String arn) {
        ResourceShare share = requireOwnShare(tx.world(), tx.caller(), arn);
        if (!share.active()) {
            throw RamError.UNKNOWN_RESOURCE.with("ResourceShare " + arn + " could not be found.");
        }
        for (ShareAssociation a : List.copyOf(associations(tx.world(), share.arn()))) {
            if (a.current()) {
                tx.put(a.withStatus(ShareAssociation.DISASSOCIATED, tx.now()));
            }
        }
        ResourceShare deleted = share.with(share.name(), share.allowExternalPrincipals(), ResourceShare.DELETED,
                tx.now());
        tx.put(deleted);
        refreshGrants(tx, deleted);
    }

    /** The share's associations, resources and principals, in id order. */
    public static Collection<ShareAssociation> associations(World world, String shareArn) {
        return ASSOCIATIONS_BY_SHARE.get(world, shareArn);
    }

    private static List<ShareAssociation> current(World world, ResourceShare share) {
        return associations(world, share.arn()).stream().filter(ShareAssociation::current).toList();
    }

    /** AssociateResourceShare: adds resources and principals, all or none. */
    public static ResourceShare associate(Tx tx, String arn, List<String> resourceArns, List<String> principals) {
        ResourceShare share = requireOwnShare(tx.world(), tx.caller(), arn);
        if (!share.active()) {
            throw RamError.OPERATION_NOT_PERMITTED.with("The resource share " + arn + " is " + share.status()
                    + ".");
        }
        associate(tx, share, resourceArns, principals);
        return share;
    }

    private record ParsedResource(String arn, String type, String id) {}

    private record ParsedPrincipal(String entity, String accountId, boolean external) {}

    private static void associate(Tx tx, ResourceShare share, List<String> resourceArns, List<String> principals) {
        World world = tx.world();
        List<ParsedResource> resources = new ArrayList<>();
        for (String arn : resourceArns == null ? List.<String>of() : resourceArns) {
            resources.add(requireShareable(world, tx.caller(), arn));
        }
        List<ParsedPrincipal> parsed = new ArrayList<>();
        for (String p : principals == null ? List.<String>of() : principals) {
            parsed.add(principal(world, share, p));
        }
        // What the share will hold: its current members plus these; org-only types never meet external principals.
        boolean orgOnly = resources.stream().anyMatch(r -> organizationOnly(r.type()))
                || current(world, share).stream().anyMatch(a -> a.sharedType() != null
                        && organizationOnly(a.sharedType()));
        boolean external = parsed.stream().anyMatch(ParsedPrincipal::external)
                || current(world, share).stream().anyMatch(ShareAssociation::external);
        if (external && !share.allowExternalPrincipals()) {
            throw RamError.OPERATION_NOT_PERMITTED.with("The resource share " + share.arn() + " does not allow "
                    + "principals outside your organization.");
        }
        if (orgOnly && external) {
            throw RamError.OPERATION_NOT_PERMITTED.with("The resource you are attempting to share can only be "
                    + "shared within your AWS organization. This error may also occur if you have not enabled "
                    + "sharing with your AWS organization, or that onboarding process is still in progress.");
        }
        Instant now = tx.now();
        for (ParsedResource r : resources) {
            String id = ShareAssociation.idOf(share.arn(), ShareAssociation.RESOURCE, r.arn());
            tx.put(new ShareAssociation(id, share.ownerId(), share.region(), share.arn(), ShareAssociation.RESOURCE,
                    r.arn(), r.type(), r.id(), ShareAssociation.ASSOCIATED, false,
                    tx.find(ShareAssociation.class, id).map(ShareAssociation::createdAt).orElse(now), now));
        }
        for (ParsedPrincipal p : parsed) {
            String id = ShareAssociation.idOf(share.arn(), ShareAssociation.PRINCIPAL, p.entity());
            Optional<ShareAssociation> old = tx.find(ShareAssociation.class, id);
            if (old.isPresent() && old.get().current()) {
                continue;
            }
            String status = p.external() ? ShareAssociation.ASSOCIATING : ShareAssociation.ASSOCIATED;
            tx.put(new ShareAssociation(id, share.ownerId(), share.region(), share.arn(),
                    ShareAssociation.PRINCIPAL, p.entity(), null, null, status, p.external(),
                    old.map(ShareAssociation::createdAt).orElse(now), now));
            if (p.external()) {
                String inv = "arn:aws:ram:" + share.region() + ":" + share.ownerId() + ":resource-share-invitation/"
                        + tx.ids().uuid();
                tx.put(new ShareInvitation(inv, share.ownerId(), share.region(), share.arn(), share.name(),
                        p.accountId(), ShareInvitation.PENDING, now));
            }
        }
        refreshGrants(tx, share);
    }

    /** DisassociateResourceShare: removes resources and principals (which must be in the share), all or none. */
    public static ResourceShare disassociate(Tx tx, String arn, List<String> resourceArns, List<String> principals) {
        ResourceShare share = requireOwnShare(tx.world(), tx.caller(), arn);
        if (!share.active()) {
            throw RamError.OPERATION_NOT_PERMITTED.with("The resource share " + arn + " is " + share.status()
                    + ".");
        }
        List<ShareAssociation> gone = new ArrayList<>();
        for (String r : resourceArns == null ? List.<String>of() : resourceArns) {
            gone.add(member(tx.world(), share, ShareAssociation.RESOURCE, r));
        }
        for (String p : principals == null ? List.<String>of() : principals) {
            gone.add(member(tx.world(), share, ShareAssociation.PRINCIPAL, p));
        }
        for (ShareAssociation a : gone) {
            tx.put(a.withStatus(ShareAssociation.DISASSOCIATED, tx.now()));
        }
        refreshGrants(tx, share);
        return share;
    }

    private static ShareAssociation member(World world, ResourceShare share, String type, String entity) {
        if (entity.startsWith("arn:") && !ARN.matcher(entity).matches()) {
            throw RamError.MALFORMED_ARN.with("The specified ARN " + entity + " is not valid.");
        }
        return world.find(ShareAssociation.class, ShareAssociation.idOf(share.arn(), type, entity))
                .filter(ShareAssociation::current)
                .orElseThrow(() -> RamError.UNKNOWN_RESOURCE.with("The " + type.toLowerCase(java.util.Locale.ROOT)
                        + " " + entity + " is not associated with the resource share " + share.arn() + "."));
    }

    private static boolean organizationOnly(String type) {
        return TYPES.stream().anyMatch(t -> t.name().equals(type) && t.organizationOnly());
    }

    /** A resource ARN the caller may share: well formed, of a shareable type, its own, and not excluded. */
    private static ParsedResource requireShareable(World world, Caller caller, String arn) {
        Matcher m = arn == null ? null : ARN.matcher(arn);
        if (m == null || !m.matches()) {
            throw RamError.MALFORMED_ARN.with("The specified resource ARN " + arn + " is not valid.");
        }
        String service = m.group(2);
        String resource = m.group(5);
        String type;
        String id;
        if (service.equals("ec2") && resource.startsWith("subnet/")) {
            type = SUBNET;
            id = resource.substring("subnet/".length());
        } else if (service.equals("ec2") && resource.startsWith("prefix-list/")) {
            type = PREFIX_LIST;
            id = resource.substring("prefix-list/".length());
        } else {
            throw RamError.INVALID_PARAMETER.with("The resource type of " + arn + " cannot be shared (underpass "
                    + "shares ec2:Subnet and ec2:PrefixList).");
        }
        RuntimeException unknown = RamError.UNKNOWN_RESOURCE.with("The resource " + arn + " could not be found "
                + "in your account.");
        if (!m.group(4).equals(caller.accountId()) || !m.group(3).equals(caller.region())) {
            throw unknown;
        }
        if (type.equals(SUBNET)) {
            Subnet subnet = world.find(Subnet.class, id)
                    .filter(s -> s.ownerId().equals(caller.accountId()) && s.region().equals(caller.region()))
                    .orElseThrow(() -> unknown);
            if (world.find(Vpc.class, subnet.vpcId()).map(Vpc::isDefault).orElse(false)) {
                throw RamError.INVALID_PARAMETER.with("The subnet " + id + " belongs to a default VPC; subnets "
                        + "of a default VPC cannot be shared.");
            }
        } else {
            world.find(ManagedPrefixList.class, id)
                    .filter(p -> p.ownerId().equals(caller.accountId()) && p.region().equals(caller.region()))
                    .orElseThrow(() -> unknown);
        }
        return new ParsedResource(arn, type, id);
    }

    /** A principal the share may take: an account, an OU of the owner's organization, or that organization. */
    private static ParsedPrincipal principal(World world, ResourceShare share, String principal) {
        String owner = share.ownerId();
        Optional<Organization> org = Organizations.orgOf(world, owner);
        boolean enabled = sharingEnabled(world, owner);
        if (principal == null || principal.isEmpty()) {
            throw RamError.INVALID_PARAMETER.with("A principal cannot be empty.");
        }
        if (ACCOUNT.matcher(principal).matches()) {
            if (principal.equals(owner)) {
                throw RamError.INVALID_PARAMETER.with("The resource share owner " + owner
                        + " cannot be a principal of its own resource share.");
            }
            boolean inside = enabled && org.isPresent()
                    && Organizations.orgIdOf(world, principal).map(o -> o.equals(org.get().id())).orElse(false);
            return new ParsedPrincipal(principal, principal, !inside);
        }
        Matcher o = ORG_ARN.matcher(principal);
        Matcher u = OU_ARN.matcher(principal);
        if (o.matches() || u.matches()) {
            String orgId = o.matches() ? o.group(2) : u.group(2);
            if (org.isEmpty() || !org.get().id().equals(orgId)) {
                throw RamError.UNKNOWN_RESOURCE.with("The principal " + principal + " is not in your organization.");
            }
            if (!enabled) {
                throw RamError.OPERATION_NOT_PERMITTED.with("Sharing with AWS Organizations is not enabled; the "
                        + "management account enables it with EnableSharingWithAwsOrganization.");
            }
            if (u.matches() && world.find(OrganizationalUnit.class, u.group(3))
                    .filter(ou -> ou.orgId().equals(orgId)).isEmpty()) {
                throw RamError.UNKNOWN_RESOURCE.with("The organizational unit " + principal + " could not be found.");
            }
            return new ParsedPrincipal(principal, null, false);
        }
        if (principal.startsWith("arn:") && ARN.matcher(principal).matches()) {
            throw RamError.INVALID_PARAMETER.with("The principal " + principal + " is not supported: underpass "
                    + "shares with account ids, OUs and organizations.");
        }
        throw RamError.MALFORMED_ARN.with("The specified principal " + principal + " is not a valid account id or "
                + "ARN.");
    }

    // ---------------------------------------------------------------- invitations

    /** How long an invitation waits for an answer before it reads {@code EXPIRED} (AWS: seven days). */
    public static final Duration INVITATION_EXPIRY = Duration.ofDays(7);

    /** The status a client sees at {@code now}: a pending invitation past its expiry reads {@code EXPIRED}. */
    public static String invitationStatus(ShareInvitation inv, Instant now) {
        if (ShareInvitation.PENDING.equals(inv.status()) && !now.isBefore(inv.createdAt().plus(INVITATION_EXPIRY))) {
            return ShareInvitation.EXPIRED;
        }
        return inv.status();
    }

    /** Refuses an invitation that has been answered or has expired, with AWS's code for each. */
    public static void requirePending(ShareInvitation inv, Instant now) {
        switch (invitationStatus(inv, now)) {
            case ShareInvitation.ACCEPTED -> throw RamError.INVITATION_ALREADY_ACCEPTED.with("The invitation "
                    + inv.id() + " has already been accepted.");
            case ShareInvitation.REJECTED -> throw RamError.INVITATION_ALREADY_REJECTED.with("The invitation "
                    + inv.id() + " has already been rejected.");
            case ShareInvitation.EXPIRED -> throw RamError.INVITATION_EXPIRED.with("The invitation " + inv.id()
                    + " expired at " + inv.createdAt().plus(INVITATION_EXPIRY) + ".");
            default -> { }
        }
    }

    /** Invitations to the caller, newest last. */
    public static List<ShareInvitation> invitationsTo(World world, String accountId) {
        return List.copyOf(INVITATIONS_BY_RECEIVER.get(world, accountId));
    }

    /** Accept or reject a pending invitation to the caller. */
    public static ShareInvitation answer(Tx tx, String invitationArn, boolean accept) {
        if (invitationArn == null || invitationArn.isEmpty()) {
            throw RamError.MISSING_REQUIRED_PARAMETER.with("The resourceShareInvitationArn parameter is required.");
        }
        if (!INVITATION_ARN.matcher(invitationArn).matches()) {
            throw RamError.MALFORMED_ARN.with("The specified invitation ARN " + invitationArn + " is not valid.");
        }
        ShareInvitation inv = tx.find(ShareInvitation.class, invitationArn)
                .filter(i -> i.receiverAccountId().equals(tx.caller().accountId()))
                .orElseThrow(() -> RamError.INVITATION_NOT_FOUND.with("The invitation " + invitationArn
                        + " could not be found."));
        requirePending(inv, tx.now());
        ShareInvitation answered = inv.withStatus(accept ? ShareInvitation.ACCEPTED : ShareInvitation.REJECTED);
        tx.put(answered);
        String assocId = ShareAssociation.idOf(inv.shareArn(), ShareAssociation.PRINCIPAL, inv.receiverAccountId());
        tx.find(ShareAssociation.class, assocId).filter(ShareAssociation::current).ifPresent(a -> tx.put(
                a.withStatus(accept ? ShareAssociation.ASSOCIATED : ShareAssociation.DISASSOCIATED, tx.now())));
        tx.find(ResourceShare.class, inv.shareArn()).ifPresent(s -> refreshGrants(tx, s));
        return answered;
    }

    // ---------------------------------------------------------------- participants and grants

    /** The accounts a share currently reaches: its associated principals, OUs and organization expanded. */
    public static Set<String> participants(World world, ResourceShare share) {
        Set<String> out = new TreeSet<>();
        if (!share.active()) {
            return out;
        }
        for (ShareAssociation a : associations(world, share.arn())) {
            if (!a.associated() || !a.associationType().equals(ShareAssociation.PRINCIPAL)) {
                continue;
            }
            out.addAll(accountsOf(world, a.entity()));
        }
        out.remove(share.ownerId());
        return out;
    }

    private static Set<String> accountsOf(World world, String principal) {
        if (ACCOUNT.matcher(principal).matches()) {
            return Set.of(principal);
        }
        Set<String> out = new LinkedHashSet<>();
        Matcher o = ORG_ARN.matcher(principal);
        Matcher u = OU_ARN.matcher(principal);
        String orgId = o.matches() ? o.group(2) : u.matches() ? u.group(2) : null;
        Organization org = orgId == null ? null : world.find(Organization.class, orgId).orElse(null);
        if (org == null) {
            return out;
        }
        for (MemberAccount m : Organizations.accounts(world, org)) {
            if (o.matches() || under(world, org, m.parentId(), u.group(3))) {
                out.add(m.id());
            }
        }
        return out;
    }

    private static boolean under(World world, Organization org, String parentId, String ouId) {
        String p = parentId;
        for (int depth = 0; p != null && depth <= Organizations.MAX_OU_DEPTH + 1; depth++) {
            if (p.equals(ouId)) {
                return true;
            }
            if (p.equals(org.rootId())) {
                return false;
            }
            p = world.find(OrganizationalUnit.class, p).map(OrganizationalUnit::parentId).orElse(null);
        }
        return false;
    }

    /**
     * Recomputes the grants of every share whose principal is the organization or one of its OUs: called after
     * accounts join, leave or move, so that a share with an OU reaches the OU's accounts of the moment.
     */
    public static void refreshOrganization(Tx tx, String orgId) {
        Organization org = tx.find(Organization.class, orgId).orElse(null);
        if (org == null) {
            return;
        }
        List<String> principals = new ArrayList<>();
        principals.add(org.arn());
        Organizations.units(tx.world(), org).forEach(u -> principals.add(u.arn()));
        Set<String> shares = new TreeSet<>();
        for (String p : principals) {
            for (ShareAssociation a : PRINCIPALS.get(tx.world(), p)) {
                shares.add(a.shareArn());
            }
        }
        for (String arn : shares) {
            tx.find(ResourceShare.class, arn).ifPresent(s -> refreshGrants(tx, s));
        }
    }

    /** Puts the grants the share implies now and removes those it no longer does. */
    static void refreshGrants(Tx tx, ResourceShare share) {
        World world = tx.world();
        Map<String, ResourceGrant> want = new LinkedHashMap<>();
        Set<String> participants = participants(world, share);
        for (ShareAssociation a : associations(world, share.arn())) {
            if (!a.associated() || !a.associationType().equals(ShareAssociation.RESOURCE)) {
                continue;
            }
            for (String p : participants) {
                String id = ResourceGrant.idOf(share.arn(), a.resourceId(), p);
                want.put(id, new ResourceGrant(id, share.ownerId(), share.region(), a.resourceId(), p,
                        share.arn()));
            }
        }
        // A grant no longer implied is revoked, not removed: the VPC's owner keeps seeing what participants left.
        for (ResourceGrant g : List.copyOf(GRANTS_BY_SHARE.get(world, share.arn()))) {
            boolean wanted = want.containsKey(g.id());
            if (wanted && g.active()) {
                want.remove(g.id());
            } else if (!wanted && g.active()) {
                tx.put(g.revoke());
            }
        }
        want.values().forEach(tx::put);
    }

    /** The shares (of any owner, in the caller's region) that reach the caller's account. */
    public static List<ResourceShare> sharedWith(World world, Caller caller) {
        Set<String> arns = new TreeSet<>();
        String account = caller.accountId();
        List<String> principals = new ArrayList<>();
        principals.add(account);
        Organizations.orgOf(world, account).ifPresent(org -> {
            principals.add(org.arn());
            MemberAccount m = world.find(MemberAccount.class, account).orElse(null);
            String p = m == null ? null : m.parentId();
            for (int depth = 0; p != null && !p.equals(org.rootId()) && depth <= Organizations.MAX_OU_DEPTH;
                    depth++) {
                OrganizationalUnit ou = world.find(OrganizationalUnit.class, p).orElse(null);
                if (ou == null) {
                    break;
                }
                principals.add(ou.arn());
                p = ou.parentId();
            }
        });
        for (String principal : principals) {
            for (ShareAssociation a : PRINCIPALS.get(world, principal)) {
                if (a.associated() && a.region().equals(caller.region())) {
                    arns.add(a.shareArn());
                }
            }
        }
        List<ResourceShare> out = new ArrayList<>();
        for (String arn : arns) {
            world.find(ResourceShare.class, arn).filter(s -> s.active() && !s.ownerId().equals(account))
                    .ifPresent(out::add);
        }
        return out;
    }

    public static void checkTags(Map<String, String> tags) {
        if (tags == null) {
            return;
        }
        if (tags.size() > Tags.MAX_TAGS) {
            throw RamError.TAG_LIMIT_EXCEEDED.with("A resource share can have at most " + Tags.MAX_TAGS + " tags.");
        }
        for (String key : tags.keySet()) {
            if (key == null || key.isEmpty() || key.length() > 128) {
                throw RamError.INVALID_PARAMETER.with("The tag key '" + key + "' is not valid.");
            }
        }
    }

    public static ResourceShare tag(Tx tx, String arn, Map<String, String> tags) {
        ResourceShare share = requireOwnShare(tx.world(), tx.caller(), arn);
        Map<String, String> merged = new LinkedHashMap<>(share.tags());
        merged.putAll(tags);
        checkTags(merged);
        return tx.put(share.withTags(merged));
    }

    public static ResourceShare untag(Tx tx, String arn, List<String> keys) {
        ResourceShare share = requireOwnShare(tx.world(), tx.caller(), arn);
        Map<String, String> left = new LinkedHashMap<>(share.tags());
        keys.forEach(left::remove);
        return tx.put(share.withTags(left));
    }

    /** The permission an ARN names, or {@code ResourceArnNotFound}/{@code MalformedArn}. */
    public static Permission permission(String arn) {
        if (arn == null || arn.isEmpty()) {
            throw RamError.MISSING_REQUIRED_PARAMETER.with("The permissionArn parameter is required.");
        }
        if (!ARN.matcher(arn).matches()) {
            throw RamError.MALFORMED_ARN.with("The specified permission ARN " + arn + " is not valid.");
        }
        return PERMISSIONS.stream().filter(p -> p.arn().equals(arn)).findFirst().orElseThrow(() ->
                RamError.UNKNOWN_RESOURCE.with("The permission " + arn + " could not be found."));
    }

    /** The RAM type of a resource type filter value, or {@code InvalidResourceTypeException}. */
    public static String requireType(String type) {
        if (TYPES.stream().noneMatch(t -> t.name().equalsIgnoreCase(type))) {
            throw RamError.INVALID_RESOURCE_TYPE.with("The resource type " + type + " is not supported.");
        }
        return TYPES.stream().filter(t -> t.name().equalsIgnoreCase(type)).findFirst().orElseThrow().name();
    }

    /** Whether a principal string is an account, OU or organization this server knows how to read. */
    public static boolean isPrincipal(String p) {
        return ACCOUNT.matcher(p).matches() || ORG_ARN.matcher(p).matches() || OU_ARN.matcher(p).matches();
    }
}
