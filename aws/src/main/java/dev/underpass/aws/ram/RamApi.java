package dev.underpass.aws.ram;

import dev.underpass.aws.Paging;
import dev.underpass.aws.RestJsonApi;
import dev.underpass.aws.authz.OrgGuard;
import dev.underpass.aws.authz.RequestFacts;
import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.Index;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.org.Organizations;
import dev.underpass.model.sharing.RamClientToken;
import dev.underpass.model.sharing.RamError;
import dev.underpass.model.sharing.ResourceShare;
import dev.underpass.model.sharing.ShareAssociation;
import dev.underpass.model.sharing.ShareInvitation;
import dev.underpass.model.sharing.ShareInvitations;
import dev.underpass.model.sharing.ShareReach;
import dev.underpass.model.sharing.Sharing;
import dev.underpass.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ram.model.AcceptResourceShareInvitationRequest;
import software.amazon.awssdk.services.ram.model.AcceptResourceShareInvitationResponse;
import software.amazon.awssdk.services.ram.model.AssociateResourceSharePermissionRequest;
import software.amazon.awssdk.services.ram.model.AssociateResourceSharePermissionResponse;
import software.amazon.awssdk.services.ram.model.ListPendingInvitationResourcesRequest;
import software.amazon.awssdk.services.ram.model.ListPendingInvitationResourcesResponse;
import software.amazon.awssdk.services.ram.model.ListResourceSharePermissionsRequest;
import software.amazon.awssdk.services.ram.model.ListResourceSharePermissionsResponse;
import software.amazon.awssdk.services.ram.model.AssociateResourceShareRequest;
import software.amazon.awssdk.services.ram.model.AssociateResourceShareResponse;
import software.amazon.awssdk.services.ram.model.CreateResourceShareRequest;
import software.amazon.awssdk.services.ram.model.CreateResourceShareResponse;
import software.amazon.awssdk.services.ram.model.DeleteResourceShareRequest;
import software.amazon.awssdk.services.ram.model.DeleteResourceShareResponse;
import software.amazon.awssdk.services.ram.model.DisassociateResourceShareRequest;
import software.amazon.awssdk.services.ram.model.DisassociateResourceShareResponse;
import software.amazon.awssdk.services.ram.model.EnableSharingWithAwsOrganizationRequest;
import software.amazon.awssdk.services.ram.model.EnableSharingWithAwsOrganizationResponse;
import software.amazon.awssdk.services.ram.model.GetPermissionRequest;
import software.amazon.awssdk.services.ram.model.GetPermissionResponse;
import software.amazon.awssdk.services.ram.model.GetResourceShareAssociationsRequest;
import software.amazon.awssdk.services.ram.model.GetResourceShareAssociationsResponse;
import software.amazon.awssdk.services.ram.model.GetResourceShareInvitationsRequest;
import software.amazon.awssdk.services.ram.model.GetResourceShareInvitationsResponse;
import software.amazon.awssdk.services.ram.model.GetResourceSharesRequest;
import software.amazon.awssdk.services.ram.model.GetResourceSharesResponse;
import software.amazon.awssdk.services.ram.model.ListPermissionsRequest;
import software.amazon.awssdk.services.ram.model.ListPermissionsResponse;
import software.amazon.awssdk.services.ram.model.ListPrincipalsRequest;
import software.amazon.awssdk.services.ram.model.ListPrincipalsResponse;
import software.amazon.awssdk.services.ram.model.ListResourceTypesRequest;
import software.amazon.awssdk.services.ram.model.ListResourceTypesResponse;
import software.amazon.awssdk.services.ram.model.ListResourcesRequest;
import software.amazon.awssdk.services.ram.model.ListResourcesResponse;
import software.amazon.awssdk.services.ram.model.Principal;
import software.amazon.awssdk.services.ram.model.RamRequest;
import software.amazon.awssdk.services.ram.model.RamResponse;
import software.amazon.awssdk.services.ram.model.RejectResourceShareInvitationRequest;
import software.amazon.awssdk.services.ram.model.RejectResourceShareInvitationResponse;
import software.amazon.awssdk.services.ram.model.Resource;
import software.amazon.awssdk.services.ram.model.ResourceShareAssociation;
import software.amazon.awssdk.services.ram.model.ResourceShareInvitation;
import software.amazon.awssdk.services.ram.model.ResourceSharePermissionDetail;
import software.amazon.awssdk.services.ram.model.ResourceSharePermissionSummary;
import software.amazon.awssdk.services.ram.model.ServiceNameAndResourceType;
import software.amazon.awssdk.services.ram.model.Tag;
import software.amazon.awssdk.services.ram.model.TagFilter;
import software.amazon.awssdk.services.ram.model.TagResourceRequest;
import software.amazon.awssdk.services.ram.model.TagResourceResponse;
import software.amazon.awssdk.services.ram.model.UntagResourceRequest;
import software.amazon.awssdk.services.ram.model.UntagResourceResponse;
import software.amazon.awssdk.services.ram.model.UpdateResourceShareRequest;
import software.amazon.awssdk.services.ram.model.UpdateResourceShareResponse;

/**
 * AWS RAM (restJson1, {@code POST /createresourceshare} and the like, signed for {@code ram}): resource shares of
 * subnets and customer-managed prefix lists, their principals (accounts, OUs, the organization), invitations for
 * accounts outside the organization, and the default managed permissions. Handlers only translate between the SDK
 * shapes and the rules in {@link Sharing}.
 *
 * <p>A {@code clientToken} makes a write idempotent: see {@link #once}. Associations read {@code ASSOCIATING}
 * ({@code DISASSOCIATING}) for the server's instance transition after a change, then {@code ASSOCIATED}
 * ({@code DISASSOCIATED}); with the default of zero they settle at once. Quirks: the share takes effect for
 * participants as soon as the change is made, not when the status settles; tokens are remembered for good; only
 * the default permission of each type exists, and permissions cannot be created or changed
 * (AssociateResourceSharePermission accepts the default one a share already has); RAM actions AWS has and underpass
 * does not serve answer {@code UnknownOperationException} (404), as an unknown path does.
 */
public final class RamApi extends RestJsonApi<RamRequest, RamResponse> {
    public static final String VERSION = "2018-01-04";
    private static final String TOKEN_TAG = "ram1:";
    private static final int MAX_RESULTS = 500;

    /** How long an association reads ASSOCIATING/DISASSOCIATING after a change (EC2's instance transition). */
    private final Duration transition;

    public RamApi(Store store) {
        this(store, Duration.ZERO);
    }

    public RamApi(Store store, Duration transition) {
        super(store, VERSION);
        this.transition = transition;
        write("EnableSharingWithAwsOrganization", EnableSharingWithAwsOrganizationRequest::builder, (req, tx) -> {
            Sharing.enableSharingWithOrganization(tx);
            return EnableSharingWithAwsOrganizationResponse.builder().returnValue(true).build();
        });
        write("CreateResourceShare", CreateResourceShareRequest::builder, (req, tx) -> {
            if (req.hasSources() && !req.sources().isEmpty()) {
                throw RamError.INVALID_PARAMETER.with("underpass does not share with service principals (sources).");
            }
            // Only the default permission of each type exists: a named one must be one of them.
            if (req.hasPermissionArns()) {
                req.permissionArns().forEach(Sharing::permission);
            }
            String arn = once(tx, "CreateResourceShare", req.clientToken(), req.toBuilder().clientToken(null).build(),
                    () -> Sharing.create(tx, req.name(), req.resourceArns(), req.principals(),
                            req.allowExternalPrincipals(), tags(req.tags())).arn());
            return CreateResourceShareResponse.builder().resourceShare(shape(share(tx, arn)))
                    .clientToken(req.clientToken()).build();
        });
        write("UpdateResourceShare", UpdateResourceShareRequest::builder, (req, tx) -> {
            String arn = once(tx, "UpdateResourceShare", req.clientToken(), req.toBuilder().clientToken(null).build(),
                    () -> Sharing.update(tx, req.resourceShareArn(), req.name(), req.allowExternalPrincipals())
                            .arn());
            return UpdateResourceShareResponse.builder().resourceShare(shape(share(tx, arn)))
                    .clientToken(req.clientToken()).build();
        });
        write("DeleteResourceShare", DeleteResourceShareRequest::builder, (req, tx) -> {
            once(tx, "DeleteResourceShare", req.clientToken(), req.toBuilder().clientToken(null).build(), () -> {
                Sharing.delete(tx, req.resourceShareArn());
                return req.resourceShareArn();
            });
            return DeleteResourceShareResponse.builder().returnValue(true).clientToken(req.clientToken()).build();
        });
        read("GetResourceShares", GetResourceSharesRequest::builder, this::getResourceShares);
        write("AssociateResourceShare", AssociateResourceShareRequest::builder, (req, tx) -> {
            if (req.hasSources() && !req.sources().isEmpty()) {
                throw RamError.INVALID_PARAMETER.with("underpass does not share with service principals (sources).");
            }
            requireSome(req.resourceArns(), req.principals());
            ResourceShare share = share(tx, once(tx, "AssociateResourceShare", req.clientToken(),
                    req.toBuilder().clientToken(null).build(), () -> Sharing.associate(tx, req.resourceShareArn(),
                            req.resourceArns(), req.principals()).arn()));
            return AssociateResourceShareResponse.builder()
                    .resourceShareAssociations(touched(tx.world(), tx.now(), share, req.resourceArns(),
                            req.principals()))
                    .clientToken(req.clientToken()).build();
        });
        write("DisassociateResourceShare", DisassociateResourceShareRequest::builder, (req, tx) -> {
            requireSome(req.resourceArns(), req.principals());
            ResourceShare share = share(tx, once(tx, "DisassociateResourceShare", req.clientToken(),
                    req.toBuilder().clientToken(null).build(), () -> Sharing.disassociate(tx,
                            req.resourceShareArn(), req.resourceArns(), req.principals()).arn()));
            return DisassociateResourceShareResponse.builder()
                    .resourceShareAssociations(touched(tx.world(), tx.now(), share, req.resourceArns(),
                            req.principals()))
                    .clientToken(req.clientToken()).build();
        });
        read("GetResourceShareAssociations", GetResourceShareAssociationsRequest::builder,
                this::getResourceShareAssociations);
        read("ListResources", ListResourcesRequest::builder, this::listResources);
        read("ListPrincipals", ListPrincipalsRequest::builder, this::listPrincipals);
        read("ListResourceTypes", ListResourceTypesRequest::builder, (req, ctx) -> {
            Paging.Cut<Sharing.ShareableType> page = page(Sharing.TYPES, req.nextToken(), req.maxResults(),
                    Sharing.ShareableType::name);
            return ListResourceTypesResponse.builder().resourceTypes(page.items().stream()
                    .map(t -> ServiceNameAndResourceType.builder().resourceType(t.name()).serviceName(t.service())
                            .resourceRegionScope("REGIONAL").build()).toList())
                    .nextToken(page.next()).build();
        });
        read("ListPermissions", ListPermissionsRequest::builder, (req, ctx) -> {
            String type = req.resourceType() == null ? null : Sharing.requireType(req.resourceType());
            String kind = req.permissionTypeAsString();
            if (kind != null && !List.of("ALL", "AWS_MANAGED", "CUSTOMER_MANAGED").contains(kind)) {
                throw RamError.INVALID_PARAMETER.with("The permissionType " + kind + " is not valid.");
            }
            List<Sharing.Permission> all = "CUSTOMER_MANAGED".equals(kind) ? List.of() : Sharing.PERMISSIONS
                    .stream().filter(p -> type == null || p.resourceType().equals(type)).toList();
            Paging.Cut<Sharing.Permission> page = page(all, req.nextToken(), req.maxResults(),
                    Sharing.Permission::arn);
            return ListPermissionsResponse.builder().permissions(page.items().stream().map(RamApi::summary)
                    .toList()).nextToken(page.next()).build();
        });
        read("GetPermission", GetPermissionRequest::builder, (req, ctx) -> {
            Sharing.Permission p = Sharing.permission(req.permissionArn());
            if (req.permissionVersion() != null && req.permissionVersion() != 1) {
                throw RamError.INVALID_PARAMETER.with("The permission " + p.arn() + " has no version "
                        + req.permissionVersion() + ".");
            }
            return GetPermissionResponse.builder().permission(ResourceSharePermissionDetail.builder().arn(p.arn())
                    .version(p.version()).defaultVersion(true).name(p.name()).resourceType(p.resourceType())
                    .permission(p.permission()).creationTime(p.created()).lastUpdatedTime(p.created())
                    .isResourceTypeDefault(true).permissionType("AWS_MANAGED").featureSet("STANDARD")
                    .status("ATTACHABLE").build()).build();
        });
        read("GetResourceShareInvitations", GetResourceShareInvitationsRequest::builder, (req, ctx) -> {
            List<ShareInvitation> all = ShareInvitations.invitationsTo(ctx.world(), ctx.caller().accountId());
            List<String> arns = req.hasResourceShareInvitationArns() ? req.resourceShareInvitationArns() : null;
            List<String> shares = req.hasResourceShareArns() ? req.resourceShareArns() : null;
            if (arns != null) {
                for (String arn : arns) {
                    if (all.stream().noneMatch(i -> i.id().equals(arn))) {
                        throw RamError.INVITATION_NOT_FOUND.with("The invitation " + arn + " could not be found.");
                    }
                }
            }
            List<ShareInvitation> matching = all.stream().filter(i -> i.region().equals(ctx.caller().region()))
                    .filter(i -> arns == null || arns.contains(i.id()))
                    .filter(i -> shares == null || shares.contains(i.shareArn()))
                    .distinct().sorted(Comparator.comparing(ShareInvitation::id)).toList();
            Paging.Cut<ShareInvitation> page = page(matching, req.nextToken(), req.maxResults(),
                    ShareInvitation::id);
            return GetResourceShareInvitationsResponse.builder().resourceShareInvitations(page.items().stream()
                    .map(i -> shape(i, ctx.now())).toList()).nextToken(page.next()).build();
        });
        write("AcceptResourceShareInvitation", AcceptResourceShareInvitationRequest::builder, (req, tx) ->
                AcceptResourceShareInvitationResponse.builder().resourceShareInvitation(shape(invitation(tx,
                        once(tx, "AcceptResourceShareInvitation", req.clientToken(),
                                req.toBuilder().clientToken(null).build(), () -> ShareInvitations.answer(tx,
                                        req.resourceShareInvitationArn(), true).id())), tx.now()))
                        .clientToken(req.clientToken()).build());
        write("RejectResourceShareInvitation", RejectResourceShareInvitationRequest::builder, (req, tx) ->
                RejectResourceShareInvitationResponse.builder().resourceShareInvitation(shape(invitation(tx,
                        once(tx, "RejectResourceShareInvitation", req.clientToken(),
                                req.toBuilder().clientToken(null).build(), () -> ShareInvitations.answer(tx,
                                        req.resourceShareInvitationArn(), false).id())), tx.now()))
                        .clientToken(req.clientToken()).build());
        read("ListResourceSharePermissions", ListResourceSharePermissionsRequest::builder, (req, ctx) -> {
            ResourceShare share = Sharing.requireOwnShare(ctx.world(), ctx.caller(), req.resourceShareArn());
            Set<String> arns = permissionOf(ctx.world(), share);
            List<Sharing.Permission> all = Sharing.PERMISSIONS.stream().filter(p -> arns.contains(p.arn())).toList();
            Paging.Cut<Sharing.Permission> page = page(all, req.nextToken(), req.maxResults(),
                    Sharing.Permission::arn);
            return ListResourceSharePermissionsResponse.builder().permissions(page.items().stream()
                    .map(RamApi::summary).toList()).nextToken(page.next()).build();
        });
        write("AssociateResourceSharePermission", AssociateResourceSharePermissionRequest::builder, (req, tx) -> {
            ResourceShare share = Sharing.requireOwnShare(tx.world(), tx.caller(), req.resourceShareArn());
            Sharing.Permission p = Sharing.permission(req.permissionArn());
            if (req.permissionVersion() != null && req.permissionVersion() != 1) {
                throw RamError.INVALID_PARAMETER.with("The permission " + p.arn() + " has no version "
                        + req.permissionVersion() + ".");
            }
            // Only the default permission of each type exists, and a share of that type already has it.
            if (!permissionOf(tx.world(), share).contains(p.arn())) {
                throw RamError.INVALID_PARAMETER.with("The resource share " + share.arn() + " holds no resource of "
                        + "type " + p.resourceType() + ", which the permission " + p.arn() + " is for.");
            }
            return AssociateResourceSharePermissionResponse.builder().returnValue(true)
                    .clientToken(req.clientToken()).build();
        });
        read("ListPendingInvitationResources", ListPendingInvitationResourcesRequest::builder, (req, ctx) -> {
            String arn = req.resourceShareInvitationArn();
            ShareInvitation inv = ShareInvitations.invitationsTo(ctx.world(), ctx.caller().accountId()).stream()
                    .filter(i -> i.id().equals(arn)).findFirst()
                    .orElseThrow(() -> arn == null || arn.isEmpty()
                            ? RamError.MISSING_REQUIRED_PARAMETER.with("The resourceShareInvitationArn parameter is "
                                    + "required.")
                            : RamError.INVITATION_NOT_FOUND.with("The invitation " + arn + " could not be found."));
            ShareInvitations.requirePending(inv, ctx.now());
            List<Resource> out = Sharing.associations(ctx.world(), inv.shareArn()).stream()
                    .filter(a -> a.associationType().equals(ShareAssociation.RESOURCE) && a.associated())
                    .map(a -> Resource.builder().arn(a.entity()).type(a.sharedType()).resourceShareArn(a.shareArn())
                            .status("AVAILABLE").creationTime(a.createdAt()).lastUpdatedTime(a.updatedAt())
                            .resourceRegionScope("REGIONAL").build())
                    .sorted(Comparator.comparing(Resource::arn)).toList();
            Paging.Cut<Resource> page = page(out, req.nextToken(), req.maxResults(), Resource::arn);
            return ListPendingInvitationResourcesResponse.builder().resources(page.items()).nextToken(page.next())
                    .build();
        });
        write("TagResource", TagResourceRequest::builder, (req, tx) -> {
            if (!req.hasTags() || req.tags().isEmpty()) {
                throw RamError.MISSING_REQUIRED_PARAMETER.with("The tags parameter is required.");
            }
            Sharing.tag(tx, shareArnOf(req.resourceShareArn(), req.resourceArn()), tags(req.tags()));
            return TagResourceResponse.builder().build();
        });
        write("UntagResource", UntagResourceRequest::builder, (req, tx) -> {
            if (!req.hasTagKeys() || req.tagKeys().isEmpty()) {
                throw RamError.MISSING_REQUIRED_PARAMETER.with("The tagKeys parameter is required.");
            }
            Sharing.untag(tx, shareArnOf(req.resourceShareArn(), req.resourceArn()), req.tagKeys());
            return UntagResourceResponse.builder().build();
        });
    }

    /**
     * Runs a write once per {@code clientToken}: the first call acts and remembers the token with its parameters and
     * what it acted on; a retry with the same token and parameters changes nothing and answers from that target; the
     * same token with other parameters (or on another operation) is {@code IdempotentParameterMismatchException}.
     * Without a token the write simply runs.
     */
    private static String once(Tx tx, String operation, String token, RamRequest withoutToken,
            Supplier<String> act) {
        if (token == null) {
            return act.get();
        }
        Caller caller = tx.caller();
        String id = RamClientToken.idOf(caller.accountId(), caller.region(), token);
        String fingerprint = operation + " " + withoutToken;
        Optional<RamClientToken> seen = tx.find(RamClientToken.class, id);
        if (seen.isPresent()) {
            if (!seen.get().fingerprint().equals(fingerprint)) {
                throw RamError.IDEMPOTENT_PARAMETER_MISMATCH.with("The client token " + token + " was already used "
                        + "with different parameters.");
            }
            return seen.get().target();
        }
        String target = act.get();
        tx.put(new RamClientToken(id, caller.accountId(), caller.region(), fingerprint, target, tx.now()));
        return target;
    }

    private static ResourceShare share(Tx tx, String arn) {
        return tx.find(ResourceShare.class, arn).orElseThrow();
    }

    private static ShareInvitation invitation(Tx tx, String arn) {
        return tx.find(ShareInvitation.class, arn).orElseThrow();
    }

    private static String shareArnOf(String shareArn, String resourceArn) {
        return shareArn != null ? shareArn : resourceArn;
    }

    private static void requireSome(List<String> resources, List<String> principals) {
        if ((resources == null || resources.isEmpty()) && (principals == null || principals.isEmpty())) {
            throw RamError.MISSING_REQUIRED_PARAMETER.with("Specify at least one of resourceArns and principals.");
        }
    }

    private static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Tag t : tags == null ? List.<Tag>of() : tags) {
            if (t.key() == null) {
                throw RamError.INVALID_PARAMETER.with("A tag needs a key.");
            }
            out.put(t.key(), t.value() == null ? "" : t.value());
        }
        return out;
    }

    // ---------------------------------------------------------------- shares

    private GetResourceSharesResponse getResourceShares(GetResourceSharesRequest req, ReadContext ctx) {
        World world = ctx.world();
        Caller caller = ctx.caller();
        boolean self = resourceOwner(req.resourceOwnerAsString());
        List<ResourceShare> candidates = self
                ? List.copyOf(Index.owned(world, ResourceShare.class, caller.accountId(), caller.region()))
                : ShareReach.sharedWith(world, caller);
        if (req.hasResourceShareArns()) {
            req.resourceShareArns().forEach(Sharing::requireShareArn);
        }
        String status = req.resourceShareStatusAsString();
        if (status != null && !List.of("PENDING", "ACTIVE", "FAILED", "DELETING", "DELETED").contains(status)) {
            throw RamError.INVALID_PARAMETER.with("The resourceShareStatus " + status + " is not valid.");
        }
        List<ResourceShare> matching = candidates.stream()
                .filter(s -> !req.hasResourceShareArns() || req.resourceShareArns().contains(s.arn()))
                .filter(s -> status == null || s.status().equals(status))
                .filter(s -> req.name() == null || s.name().equals(req.name()))
                .filter(s -> !req.hasTagFilters() || req.tagFilters().stream().allMatch(f -> matches(f, s)))
                .filter(s -> req.permissionArn() == null || permissionOf(world, s).contains(req.permissionArn()))
                .sorted(Comparator.comparing(ResourceShare::arn)).toList();
        Paging.Cut<ResourceShare> page = page(matching, req.nextToken(), req.maxResults(), ResourceShare::arn);
        return GetResourceSharesResponse.builder().resourceShares(page.items().stream()
                .map(s -> self ? shape(s) : shapeForParticipant(s)).toList()).nextToken(page.next()).build();
    }

    private static boolean matches(TagFilter f, ResourceShare s) {
        if (f.tagKey() != null && !s.tags().containsKey(f.tagKey())) {
            return false;
        }
        return !f.hasTagValues() || f.tagValues().isEmpty() || (f.tagKey() != null
                ? f.tagValues().contains(s.tags().get(f.tagKey()))
                : s.tags().values().stream().anyMatch(f.tagValues()::contains));
    }

    /** The permissions of a share: the default one of each type it holds. */
    private static Set<String> permissionOf(World world, ResourceShare s) {
        Set<String> out = new java.util.TreeSet<>();
        for (ShareAssociation a : Sharing.associations(world, s.arn())) {
            if (a.sharedType() != null && a.current()) {
                Sharing.PERMISSIONS.stream().filter(p -> p.resourceType().equals(a.sharedType()))
                        .forEach(p -> out.add(p.arn()));
            }
        }
        return out;
    }

    /** SELF or OTHER-ACCOUNTS (required); true for SELF. */
    private static boolean resourceOwner(String owner) {
        if (owner == null) {
            throw RamError.MISSING_REQUIRED_PARAMETER.with("The resourceOwner parameter is required.");
        }
        return switch (owner) {
            case "SELF" -> true;
            case "OTHER-ACCOUNTS" -> false;
            default -> throw RamError.INVALID_PARAMETER.with("The resourceOwner " + owner + " is not valid: SELF "
                    + "or OTHER-ACCOUNTS.");
        };
    }

    private static software.amazon.awssdk.services.ram.model.ResourceShare shape(ResourceShare s) {
        return software.amazon.awssdk.services.ram.model.ResourceShare.builder().resourceShareArn(s.arn())
                .name(s.name()).owningAccountId(s.ownerId()).allowExternalPrincipals(s.allowExternalPrincipals())
                .status(s.status()).creationTime(s.createdAt()).lastUpdatedTime(s.updatedAt())
                .featureSet("STANDARD")
                .tags(s.tags().entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue())
                        .build()).toList())
                .build();
    }

    /** A participant sees the share, not the owner's tags on it. */
    private static software.amazon.awssdk.services.ram.model.ResourceShare shapeForParticipant(ResourceShare s) {
        return shape(s.withTags(Map.of()));
    }

    // ---------------------------------------------------------------- associations

    private GetResourceShareAssociationsResponse getResourceShareAssociations(
            GetResourceShareAssociationsRequest req, ReadContext ctx) {
        String type = req.associationTypeAsString();
        if (type == null) {
            throw RamError.MISSING_REQUIRED_PARAMETER.with("The associationType parameter is required.");
        }
        if (!type.equals(ShareAssociation.PRINCIPAL) && !type.equals(ShareAssociation.RESOURCE)) {
            throw RamError.INVALID_PARAMETER.with("The associationType " + type + " is not valid.");
        }
        if (type.equals(ShareAssociation.PRINCIPAL) && req.resourceArn() != null) {
            throw RamError.INVALID_PARAMETER.with("resourceArn filters RESOURCE associations only.");
        }
        if (type.equals(ShareAssociation.RESOURCE) && req.principal() != null) {
            throw RamError.INVALID_PARAMETER.with("principal filters PRINCIPAL associations only.");
        }
        World world = ctx.world();
        List<ResourceShare> shares = new ArrayList<>();
        if (req.hasResourceShareArns()) {
            for (String arn : req.resourceShareArns()) {
                shares.add(Sharing.requireOwnShare(world, ctx.caller(), arn));
            }
        } else {
            shares.addAll(Index.owned(world, ResourceShare.class, ctx.caller().accountId(), ctx.caller().region()));
        }
        String status = req.associationStatusAsString();
        List<ShareAssociation> matching = new ArrayList<>();
        for (ResourceShare s : shares) {
            for (ShareAssociation a : Sharing.associations(world, s.arn())) {
                if (a.associationType().equals(type) && (status == null
                        || a.observedStatus(ctx.now(), transition).equals(status))
                        && (req.resourceArn() == null || a.entity().equals(req.resourceArn()))
                        && (req.principal() == null || a.entity().equals(req.principal()))) {
                    matching.add(a);
                }
            }
        }
        matching.sort(Comparator.comparing(ShareAssociation::id));
        Paging.Cut<ShareAssociation> page = page(matching, req.nextToken(), req.maxResults(), ShareAssociation::id);
        Map<String, String> names = new TreeMap<>();
        shares.forEach(s -> names.put(s.arn(), s.name()));
        return GetResourceShareAssociationsResponse.builder().resourceShareAssociations(page.items().stream()
                .map(a -> shape(a, names.get(a.shareArn()), ctx.now())).toList()).nextToken(page.next()).build();
    }

    private List<ResourceShareAssociation> touched(World world, Instant now, ResourceShare share,
            List<String> resources, List<String> principals) {
        List<ResourceShareAssociation> out = new ArrayList<>();
        for (String r : resources == null ? List.<String>of() : resources) {
            world.find(ShareAssociation.class, ShareAssociation.idOf(share.arn(), ShareAssociation.RESOURCE, r))
                    .ifPresent(a -> out.add(shape(a, share.name(), now)));
        }
        for (String p : principals == null ? List.<String>of() : principals) {
            world.find(ShareAssociation.class, ShareAssociation.idOf(share.arn(), ShareAssociation.PRINCIPAL, p))
                    .ifPresent(a -> out.add(shape(a, share.name(), now)));
        }
        return out;
    }

    private ResourceShareAssociation shape(ShareAssociation a, String shareName, Instant now) {
        return ResourceShareAssociation.builder().resourceShareArn(a.shareArn()).resourceShareName(shareName)
                .associatedEntity(a.entity()).associationType(a.associationType())
                .status(a.observedStatus(now, transition))
                .creationTime(a.createdAt()).lastUpdatedTime(a.updatedAt()).external(a.external()).build();
    }

    // ---------------------------------------------------------------- resources and principals

    /** The associations that make up what a caller's ListResources/ListPrincipals read, by resourceOwner. */
    private static List<ShareAssociation> visibleAssociations(World world, Caller caller, boolean self,
            String type) {
        List<ResourceShare> shares = self
                ? Index.owned(world, ResourceShare.class, caller.accountId(), caller.region(), ResourceShare::active)
                : ShareReach.sharedWith(world, caller);
        List<ShareAssociation> out = new ArrayList<>();
        for (ResourceShare s : shares) {
            for (ShareAssociation a : Sharing.associations(world, s.arn())) {
                if (a.associationType().equals(type) && a.associated()) {
                    out.add(a);
                }
            }
        }
        return out;
    }

    private ListResourcesResponse listResources(ListResourcesRequest req, ReadContext ctx) {
        boolean self = resourceOwner(req.resourceOwnerAsString());
        String type = req.resourceType() == null ? null : Sharing.requireType(req.resourceType());
        if (req.principal() != null && !Sharing.isPrincipal(req.principal())) {
            throw RamError.MALFORMED_ARN.with("The principal " + req.principal() + " is not valid.");
        }
        if (req.hasResourceShareArns()) {
            req.resourceShareArns().forEach(Sharing::requireShareArn);
        }
        World world = ctx.world();
        List<ShareAssociation> all = visibleAssociations(world, ctx.caller(), self, ShareAssociation.RESOURCE);
        List<Resource> out = new ArrayList<>();
        for (ShareAssociation a : all) {
            if ((type != null && !a.sharedType().equals(type))
                    || (req.hasResourceShareArns() && !req.resourceShareArns().contains(a.shareArn()))
                    || (req.hasResourceArns() && !req.resourceArns().contains(a.entity()))
                    || (req.principal() != null && world.find(ShareAssociation.class, ShareAssociation.idOf(
                            a.shareArn(), ShareAssociation.PRINCIPAL, req.principal()))
                            .filter(ShareAssociation::associated).isEmpty())) {
                continue;
            }
            out.add(Resource.builder().arn(a.entity()).type(a.sharedType()).resourceShareArn(a.shareArn())
                    .status("AVAILABLE").creationTime(a.createdAt()).lastUpdatedTime(a.updatedAt())
                    .resourceRegionScope("REGIONAL").build());
        }
        out.sort(Comparator.comparing((Resource r) -> r.arn() + " " + r.resourceShareArn()));
        Paging.Cut<Resource> page = page(out, req.nextToken(), req.maxResults(),
                r -> r.arn() + " " + r.resourceShareArn());
        return ListResourcesResponse.builder().resources(page.items()).nextToken(page.next()).build();
    }

    private ListPrincipalsResponse listPrincipals(ListPrincipalsRequest req, ReadContext ctx) {
        boolean self = resourceOwner(req.resourceOwnerAsString());
        String type = req.resourceType() == null ? null : Sharing.requireType(req.resourceType());
        if (req.hasResourceShareArns()) {
            req.resourceShareArns().forEach(Sharing::requireShareArn);
        }
        World world = ctx.world();
        List<Principal> out = new ArrayList<>();
        if (!self) {
            // OTHER-ACCOUNTS: the accounts that share resources with the caller, one entry per share.
            for (ResourceShare share : ShareReach.sharedWith(world, ctx.caller())) {
                List<ShareAssociation> resources = Sharing.associations(world, share.arn()).stream()
                        .filter(r -> r.associationType().equals(ShareAssociation.RESOURCE) && r.associated())
                        .toList();
                if ((req.hasResourceShareArns() && !req.resourceShareArns().contains(share.arn()))
                        || (req.hasPrincipals() && !req.principals().contains(share.ownerId()))
                        || (req.resourceArn() != null && resources.stream()
                                .noneMatch(r -> r.entity().equals(req.resourceArn())))
                        || (type != null && resources.stream().noneMatch(r -> r.sharedType().equals(type)))) {
                    continue;
                }
                boolean external = !Organizations.orgIdOf(world, share.ownerId())
                        .equals(Organizations.orgIdOf(world, ctx.caller().accountId()));
                out.add(Principal.builder().id(share.ownerId()).resourceShareArn(share.arn())
                        .creationTime(share.createdAt()).lastUpdatedTime(share.updatedAt()).external(external)
                        .build());
            }
        }
        for (ShareAssociation a : self ? visibleAssociations(world, ctx.caller(), true, ShareAssociation.PRINCIPAL)
                : List.<ShareAssociation>of()) {
            List<ShareAssociation> resources = Sharing.associations(world, a.shareArn()).stream()
                    .filter(r -> r.associationType().equals(ShareAssociation.RESOURCE) && r.associated()).toList();
            if ((req.hasResourceShareArns() && !req.resourceShareArns().contains(a.shareArn()))
                    || (req.hasPrincipals() && !req.principals().contains(a.entity()))
                    || (req.resourceArn() != null && resources.stream()
                            .noneMatch(r -> r.entity().equals(req.resourceArn())))
                    || (type != null && resources.stream().noneMatch(r -> r.sharedType().equals(type)))) {
                continue;
            }
            out.add(Principal.builder().id(a.entity()).resourceShareArn(a.shareArn()).creationTime(a.createdAt())
                    .lastUpdatedTime(a.updatedAt()).external(a.external()).build());
        }
        out.sort(Comparator.comparing((Principal p) -> p.id() + " " + p.resourceShareArn()));
        Paging.Cut<Principal> page = page(out, req.nextToken(), req.maxResults(),
                p -> p.id() + " " + p.resourceShareArn());
        return ListPrincipalsResponse.builder().principals(page.items()).nextToken(page.next()).build();
    }

    // ---------------------------------------------------------------- invitations and permissions

    private static ResourceShareInvitation shape(ShareInvitation i, Instant now) {
        return ResourceShareInvitation.builder().resourceShareInvitationArn(i.id())
                .resourceShareName(i.shareName()).resourceShareArn(i.shareArn()).senderAccountId(i.ownerId())
                .receiverAccountId(i.receiverAccountId()).invitationTimestamp(i.createdAt())
                .status(ShareInvitations.invitationStatus(i, now)).build();
    }

    private static ResourceSharePermissionSummary summary(Sharing.Permission p) {
        return ResourceSharePermissionSummary.builder().arn(p.arn()).version(p.version()).defaultVersion(true)
                .name(p.name()).resourceType(p.resourceType()).status("ATTACHABLE").creationTime(p.created())
                .lastUpdatedTime(p.created()).isResourceTypeDefault(true).permissionType("AWS_MANAGED")
                .featureSet("STANDARD").build();
    }

    // ---------------------------------------------------------------- paging

    private static <T> Paging.Cut<T> page(List<T> sorted, String token, Integer maxResults,
            Function<T, String> key) {
        if (maxResults != null && (maxResults < 1 || maxResults > MAX_RESULTS)) {
            throw RamError.INVALID_MAX_RESULTS.with("The maxResults " + maxResults + " is not between 1 and "
                    + MAX_RESULTS + ".");
        }
        return Paging.cut(sorted, maxResults, token, key, TOKEN_TAG,
                t -> RamError.INVALID_NEXT_TOKEN.with("The nextToken " + t + " is not valid."));
    }

    /**
     * A member account's request against its organization's SCPs ({@link OrgGuard}); a refusal is
     * {@code AccessDeniedException} (403), as AWS's restJson services answer it, and nothing runs.
     */
    @Override
    protected void beforeRun(Caller caller, String action, RamRequest request) {
        World world = store.world();
        if (!OrgGuard.restricted(world, caller.accountId())) {
            return;
        }
        OrgGuard.check(world, caller, store.clock().instant(), RequestFacts.ram(action, request, world, caller))
                .ifPresent(d -> {
                    throw new AwsException("AccessDeniedException", 403, d.accessDeniedMessage());
                });
    }

    @Override
    protected AwsException unknownAction(String action) {
        return new AwsException("UnknownOperationException", 404, "underpass does not serve RAM's " + action
                + " (yet).");
    }
}
