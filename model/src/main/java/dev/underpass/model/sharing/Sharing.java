package dev.underpass.model.sharing;

import dev.underpass.model.Caller;
import dev.underpass.model.Index;
import dev.underpass.model.Tags;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.ResourceGrant;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.org.Organization;
import dev.underpass.model.org.Organizations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    static final Pattern ARN = Pattern.compile("arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\\d{12}|aws|):(.+)");
    static final Pattern SHARE_ARN =
            Pattern.compile("arn:aws:ram:([a-z0-9-]+):(\\d{12}):resource-share/[0-9a-f-]{36}");
    static final Pattern INVITATION_ARN =
            Pattern.compile("arn:aws:ram:([a-z0-9-]+):(\\d{12}):resource-share-invitation/[0-9a-f-]{36}");
    static final Pattern ORG_ARN =
            Pattern.compile("arn:aws:organizations::(\\d{12}):organization/(o-[a-z0-9]{10,32})");
    static final Pattern OU_ARN = Pattern.compile(
            "arn:aws:organizations::(\\d{12}):ou/(o-[a-z0-9]{10,32})/(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})");
    static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

    private static final Index<ShareAssociation, String> ASSOCIATIONS_BY_SHARE =
            Index.by(ShareAssociation.class, ShareAssociation::shareArn);
    static final Index<ResourceGrant, String> GRANTS_BY_SHARE =
            Index.by(ResourceGrant.class, ResourceGrant::shareArn);
    static final Index<ShareAssociation, String> PRINCIPALS = Index.by(ShareAssociation.class,
            a -> a.associationType().equals(ShareAssociation.Type.PRINCIPAL) ? a.entity() : null);
    static final Index<ShareInvitation, String> INVITATIONS_BY_RECEIVER =
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
        Organization org = Organizations.orgOf(tx.world(), account).orElseThrow(
                () -> RamError.OPERATION_NOT_PERMITTED.with("The account " + account + " is not in an organization."));
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
            throw RamErrors.missingParameter("resourceShareArn");
        }
        if (!SHARE_ARN.matcher(arn).matches()) {
            throw RamError.MALFORMED_ARN.with("The specified resource share ARN " + arn + " is not valid.");
        }
    }

    public static ResourceShare create(Tx tx, String name, List<String> resourceArns, List<String> principals,
            Boolean allowExternalPrincipals, Map<String, String> tags) {
        if (name == null || name.isBlank()) {
            throw RamErrors.missingParameter("name");
        }
        checkTags(tags);
        Caller caller = tx.caller();
        String arn = "arn:aws:ram:" + caller.region() + ":" + caller.accountId() + ":resource-share/"
                + tx.ids().uuid();
        ResourceShare share = new ResourceShare(arn, caller.accountId(), caller.region(), name,
                allowExternalPrincipals == null || allowExternalPrincipals, ResourceShare.Status.ACTIVE, tx.now(),
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
                tx.put(a.withStatus(ShareAssociation.Status.DISASSOCIATED, tx.now()));
            }
        }
        ResourceShare deleted = share.with(share.name(), share.allowExternalPrincipals(), ResourceShare.Status.DELETED,
                tx.now());
        tx.put(deleted);
        ShareReach.refreshGrants(tx, deleted);
    }

    /** The share's associations, resources and principals, in id order. */
    public static Collection<ShareAssociation> associations(World world, String shareArn) {
        return ASSOCIATIONS_BY_SHARE.get(world, shareArn);
    }

    static List<ShareAssociation> current(World world, ResourceShare share) {
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

    private static void associate(Tx tx, ResourceShare share, List<String> resourceArns, List<String> principals) {
        World world = tx.world();
        List<ShareMembers.ParsedResource> resources = new ArrayList<>();
        for (String arn : resourceArns == null ? List.<String>of() : resourceArns) {
            resources.add(ShareMembers.requireShareable(world, tx.caller(), arn));
        }
        List<ShareMembers.ParsedPrincipal> parsed = new ArrayList<>();
        for (String p : principals == null ? List.<String>of() : principals) {
            parsed.add(ShareMembers.principal(world, share, p));
        }
        // What the share will hold: its current members plus these; org-only types never meet external principals.
        boolean orgOnly = resources.stream().anyMatch(r -> organizationOnly(r.type()))
                || current(world, share).stream().anyMatch(a -> a.sharedType() != null
                        && organizationOnly(a.sharedType()));
        boolean external = parsed.stream().anyMatch(ShareMembers.ParsedPrincipal::external)
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
        for (ShareMembers.ParsedResource r : resources) {
            String id = ShareAssociation.idOf(share.arn(), ShareAssociation.Type.RESOURCE, r.arn());
            tx.put(new ShareAssociation(id, share.ownerId(), share.region(), share.arn(),
                    ShareAssociation.Type.RESOURCE,
                    r.arn(), r.type(), r.id(), ShareAssociation.Status.ASSOCIATED, false,
                    tx.find(ShareAssociation.class, id).map(ShareAssociation::createdAt).orElse(now), now));
        }
        for (ShareMembers.ParsedPrincipal p : parsed) {
            String id = ShareAssociation.idOf(share.arn(), ShareAssociation.Type.PRINCIPAL, p.entity());
            Optional<ShareAssociation> old = tx.find(ShareAssociation.class, id);
            if (old.isPresent() && old.get().current()) {
                continue;
            }
            ShareAssociation.Status status =
                    p.external() ? ShareAssociation.Status.ASSOCIATING : ShareAssociation.Status.ASSOCIATED;
            tx.put(new ShareAssociation(id, share.ownerId(), share.region(), share.arn(),
                    ShareAssociation.Type.PRINCIPAL, p.entity(), null, null, status, p.external(),
                    old.map(ShareAssociation::createdAt).orElse(now), now));
            if (p.external()) {
                String inv = "arn:aws:ram:" + share.region() + ":" + share.ownerId() + ":resource-share-invitation/"
                        + tx.ids().uuid();
                tx.put(new ShareInvitation(inv, share.ownerId(), share.region(), share.arn(), share.name(),
                        p.accountId(), ShareInvitation.Status.PENDING, now));
            }
        }
        ShareReach.refreshGrants(tx, share);
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
            gone.add(member(tx.world(), share, ShareAssociation.Type.RESOURCE, r));
        }
        for (String p : principals == null ? List.<String>of() : principals) {
            gone.add(member(tx.world(), share, ShareAssociation.Type.PRINCIPAL, p));
        }
        for (ShareAssociation a : gone) {
            tx.put(a.withStatus(ShareAssociation.Status.DISASSOCIATED, tx.now()));
        }
        ShareReach.refreshGrants(tx, share);
        return share;
    }

    private static ShareAssociation member(World world, ResourceShare share, ShareAssociation.Type type,
            String entity) {
        if (entity.startsWith("arn:") && !ARN.matcher(entity).matches()) {
            throw RamError.MALFORMED_ARN.with("The specified ARN " + entity + " is not valid.");
        }
        return world.find(ShareAssociation.class, ShareAssociation.idOf(share.arn(), type, entity))
                .filter(ShareAssociation::current)
                .orElseThrow(
                        () -> RamError.UNKNOWN_RESOURCE.with("The " + type.wire().toLowerCase(java.util.Locale.ROOT)
                                + " " + entity + " is not associated with the resource share " + share.arn() + "."));
    }

    static boolean organizationOnly(String type) {
        return TYPES.stream().anyMatch(t -> t.name().equals(type) && t.organizationOnly());
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
            throw RamErrors.missingParameter("permissionArn");
        }
        if (!ARN.matcher(arn).matches()) {
            throw RamError.MALFORMED_ARN.with("The specified permission ARN " + arn + " is not valid.");
        }
        return PERMISSIONS.stream().filter(p -> p.arn().equals(arn)).findFirst()
                .orElseThrow(() -> RamError.UNKNOWN_RESOURCE.with("The permission " + arn + " could not be found."));
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
