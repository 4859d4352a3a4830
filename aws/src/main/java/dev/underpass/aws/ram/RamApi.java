package dev.underpass.aws.ram;

import dev.underpass.aws.Paging;
import dev.underpass.aws.RestJsonApi;
import dev.underpass.aws.authz.OrgGuard;
import dev.underpass.aws.authz.RequestFacts;
import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.sharing.RamClientToken;
import dev.underpass.model.sharing.RamError;
import dev.underpass.model.sharing.RamErrors;
import dev.underpass.model.sharing.ResourceShare;
import dev.underpass.model.sharing.ShareAssociation;
import dev.underpass.model.sharing.ShareInvitation;
import dev.underpass.model.sharing.ShareInvitations;
import dev.underpass.model.sharing.Sharing;
import dev.underpass.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
import software.amazon.awssdk.services.ram.model.GetResourceShareInvitationsRequest;
import software.amazon.awssdk.services.ram.model.GetResourceShareInvitationsResponse;
import software.amazon.awssdk.services.ram.model.GetResourceSharesRequest;
import software.amazon.awssdk.services.ram.model.ListPermissionsRequest;
import software.amazon.awssdk.services.ram.model.ListPermissionsResponse;
import software.amazon.awssdk.services.ram.model.ListPrincipalsRequest;
import software.amazon.awssdk.services.ram.model.ListResourceTypesRequest;
import software.amazon.awssdk.services.ram.model.ListResourceTypesResponse;
import software.amazon.awssdk.services.ram.model.ListResourcesRequest;
import software.amazon.awssdk.services.ram.model.RamRequest;
import software.amazon.awssdk.services.ram.model.RamResponse;
import software.amazon.awssdk.services.ram.model.RejectResourceShareInvitationRequest;
import software.amazon.awssdk.services.ram.model.RejectResourceShareInvitationResponse;
import software.amazon.awssdk.services.ram.model.Resource;
import software.amazon.awssdk.services.ram.model.ResourceShareInvitation;
import software.amazon.awssdk.services.ram.model.ResourceSharePermissionDetail;
import software.amazon.awssdk.services.ram.model.ResourceSharePermissionSummary;
import software.amazon.awssdk.services.ram.model.ServiceNameAndResourceType;
import software.amazon.awssdk.services.ram.model.Tag;
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

    /** The read side (listings, shapes, paging), which knows the association transition. */
    private final RamReads reads;

    public RamApi(Store store) {
        this(store, Duration.ZERO);
    }

    public RamApi(Store store, Duration transition) {
        super(store, VERSION);
        this.reads = new RamReads(transition);
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
            return CreateResourceShareResponse.builder().resourceShare(RamReads.shape(share(tx, arn)))
                    .clientToken(req.clientToken()).build();
        });
        write("UpdateResourceShare", UpdateResourceShareRequest::builder, (req, tx) -> {
            String arn = once(tx, "UpdateResourceShare", req.clientToken(), req.toBuilder().clientToken(null).build(),
                    () -> Sharing.update(tx, req.resourceShareArn(), req.name(), req.allowExternalPrincipals())
                            .arn());
            return UpdateResourceShareResponse.builder().resourceShare(RamReads.shape(share(tx, arn)))
                    .clientToken(req.clientToken()).build();
        });
        write("DeleteResourceShare", DeleteResourceShareRequest::builder, (req, tx) -> {
            once(tx, "DeleteResourceShare", req.clientToken(), req.toBuilder().clientToken(null).build(), () -> {
                Sharing.delete(tx, req.resourceShareArn());
                return req.resourceShareArn();
            });
            return DeleteResourceShareResponse.builder().returnValue(true).clientToken(req.clientToken()).build();
        });
        read("GetResourceShares", GetResourceSharesRequest::builder, reads::getResourceShares);
        write("AssociateResourceShare", AssociateResourceShareRequest::builder, (req, tx) -> {
            if (req.hasSources() && !req.sources().isEmpty()) {
                throw RamError.INVALID_PARAMETER.with("underpass does not share with service principals (sources).");
            }
            requireSome(req.resourceArns(), req.principals());
            ResourceShare share = share(tx, once(tx, "AssociateResourceShare", req.clientToken(),
                    req.toBuilder().clientToken(null).build(), () -> Sharing.associate(tx, req.resourceShareArn(),
                            req.resourceArns(), req.principals()).arn()));
            return AssociateResourceShareResponse.builder()
                    .resourceShareAssociations(reads.touched(tx.world(), tx.now(), share, req.resourceArns(),
                            req.principals()))
                    .clientToken(req.clientToken()).build();
        });
        write("DisassociateResourceShare", DisassociateResourceShareRequest::builder, (req, tx) -> {
            requireSome(req.resourceArns(), req.principals());
            ResourceShare share = share(tx, once(tx, "DisassociateResourceShare", req.clientToken(),
                    req.toBuilder().clientToken(null).build(), () -> Sharing.disassociate(tx,
                            req.resourceShareArn(), req.resourceArns(), req.principals()).arn()));
            return DisassociateResourceShareResponse.builder()
                    .resourceShareAssociations(reads.touched(tx.world(), tx.now(), share, req.resourceArns(),
                            req.principals()))
                    .clientToken(req.clientToken()).build();
        });
        read("GetResourceShareAssociations", GetResourceShareAssociationsRequest::builder,
                reads::getResourceShareAssociations);
        read("ListResources", ListResourcesRequest::builder, reads::listResources);
        read("ListPrincipals", ListPrincipalsRequest::builder, reads::listPrincipals);
        read("ListResourceTypes", ListResourceTypesRequest::builder, (req, ctx) -> {
            Paging.Cut<Sharing.ShareableType> page = RamReads.page(Sharing.TYPES, req.nextToken(), req.maxResults(),
                    Sharing.ShareableType::name);
            return ListResourceTypesResponse.builder().resourceTypes(page.items().stream()
                    .map(t -> ServiceNameAndResourceType.builder().resourceType(t.name()).serviceName(t.service())
                            .resourceRegionScope("REGIONAL").build())
                    .toList())
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
            Paging.Cut<Sharing.Permission> page = RamReads.page(all, req.nextToken(), req.maxResults(),
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
            Paging.Cut<ShareInvitation> page = RamReads.page(matching, req.nextToken(), req.maxResults(),
                    ShareInvitation::id);
            return GetResourceShareInvitationsResponse.builder().resourceShareInvitations(page.items().stream()
                    .map(i -> shape(i, ctx.now())).toList()).nextToken(page.next()).build();
        });
        write("AcceptResourceShareInvitation", AcceptResourceShareInvitationRequest::builder,
                (req, tx) -> AcceptResourceShareInvitationResponse
                        .builder().resourceShareInvitation(shape(invitation(tx,
                                once(tx, "AcceptResourceShareInvitation", req.clientToken(),
                                        req.toBuilder().clientToken(null).build(), () -> ShareInvitations.answer(tx,
                                                req.resourceShareInvitationArn(), true).id())),
                                tx.now()))
                        .clientToken(req.clientToken()).build());
        write("RejectResourceShareInvitation", RejectResourceShareInvitationRequest::builder,
                (req, tx) -> RejectResourceShareInvitationResponse
                        .builder().resourceShareInvitation(shape(invitation(tx,
                                once(tx, "RejectResourceShareInvitation", req.clientToken(),
                                        req.toBuilder().clientToken(null).build(), () -> ShareInvitations.answer(tx,
                                                req.resourceShareInvitationArn(), false).id())),
                                tx.now()))
                        .clientToken(req.clientToken()).build());
        read("ListResourceSharePermissions", ListResourceSharePermissionsRequest::builder, (req, ctx) -> {
            ResourceShare share = Sharing.requireOwnShare(ctx.world(), ctx.caller(), req.resourceShareArn());
            Set<String> arns = RamReads.permissionOf(ctx.world(), share);
            List<Sharing.Permission> all = Sharing.PERMISSIONS.stream().filter(p -> arns.contains(p.arn())).toList();
            Paging.Cut<Sharing.Permission> page = RamReads.page(all, req.nextToken(), req.maxResults(),
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
            if (!RamReads.permissionOf(tx.world(), share).contains(p.arn())) {
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
                    .filter(a -> a.associationType().equals(ShareAssociation.Type.RESOURCE) && a.associated())
                    .map(a -> Resource.builder().arn(a.entity()).type(a.sharedType()).resourceShareArn(a.shareArn())
                            .status("AVAILABLE").creationTime(a.createdAt()).lastUpdatedTime(a.updatedAt())
                            .resourceRegionScope("REGIONAL").build())
                    .sorted(Comparator.comparing(Resource::arn)).toList();
            Paging.Cut<Resource> page = RamReads.page(out, req.nextToken(), req.maxResults(), Resource::arn);
            return ListPendingInvitationResourcesResponse.builder().resources(page.items()).nextToken(page.next())
                    .build();
        });
        write("TagResource", TagResourceRequest::builder, (req, tx) -> {
            if (!req.hasTags() || req.tags().isEmpty()) {
                throw RamErrors.missingParameter("tags");
            }
            Sharing.tag(tx, shareArnOf(req.resourceShareArn(), req.resourceArn()), tags(req.tags()));
            return TagResourceResponse.builder().build();
        });
        write("UntagResource", UntagResourceRequest::builder, (req, tx) -> {
            if (!req.hasTagKeys() || req.tagKeys().isEmpty()) {
                throw RamErrors.missingParameter("tagKeys");
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

    // ---------------------------------------------------------------- invitations and permissions

    private static ResourceShareInvitation shape(ShareInvitation i, Instant now) {
        return ResourceShareInvitation.builder().resourceShareInvitationArn(i.id())
                .resourceShareName(i.shareName()).resourceShareArn(i.shareArn()).senderAccountId(i.ownerId())
                .receiverAccountId(i.receiverAccountId()).invitationTimestamp(i.createdAt())
                .status(ShareInvitations.invitationStatus(i, now).wire()).build();
    }

    private static ResourceSharePermissionSummary summary(Sharing.Permission p) {
        return ResourceSharePermissionSummary.builder().arn(p.arn()).version(p.version()).defaultVersion(true)
                .name(p.name()).resourceType(p.resourceType()).status("ATTACHABLE").creationTime(p.created())
                .lastUpdatedTime(p.created()).isResourceTypeDefault(true).permissionType("AWS_MANAGED")
                .featureSet("STANDARD").build();
    }

    /**
     * A member account's request against its organization's SCPs ({@link OrgGuard}); a refusal is
     * {@code AccessDeniedException} (403), as AWS's restJson services answer it, and nothing runs.
     */
    @Override
    protected void beforeRun(Caller caller, String action, RamRequest request) {
        World world = store.world();
        OrgGuard.scpCheck(world, caller, store.clock().instant(),
                () -> RequestFacts.ram(action, request, world, caller)).ifPresent(d -> {
                    throw new AwsException("AccessDeniedException", 403, d.accessDeniedMessage());
                });
    }

    @Override
    protected AwsException unknownAction(String action) {
        return new AwsException("UnknownOperationException", 404, "underpass does not serve RAM's " + action
                + " (yet).");
    }
}
