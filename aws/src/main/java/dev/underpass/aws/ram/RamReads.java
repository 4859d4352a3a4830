package dev.underpass.aws.ram;

import dev.underpass.aws.Paging;
import dev.underpass.aws.QueryApi.ReadContext;
import dev.underpass.model.AwsNamed;
import dev.underpass.model.Caller;
import dev.underpass.model.Index;
import dev.underpass.model.World;
import dev.underpass.model.org.Organizations;
import dev.underpass.model.sharing.RamError;
import dev.underpass.model.sharing.RamErrors;
import dev.underpass.model.sharing.ResourceShare;
import dev.underpass.model.sharing.ShareAssociation;
import dev.underpass.model.sharing.ShareReach;
import dev.underpass.model.sharing.Sharing;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import software.amazon.awssdk.services.ram.model.GetResourceShareAssociationsRequest;
import software.amazon.awssdk.services.ram.model.GetResourceShareAssociationsResponse;
import software.amazon.awssdk.services.ram.model.GetResourceSharesRequest;
import software.amazon.awssdk.services.ram.model.GetResourceSharesResponse;
import software.amazon.awssdk.services.ram.model.ListPrincipalsRequest;
import software.amazon.awssdk.services.ram.model.ListPrincipalsResponse;
import software.amazon.awssdk.services.ram.model.ListResourcesRequest;
import software.amazon.awssdk.services.ram.model.ListResourcesResponse;
import software.amazon.awssdk.services.ram.model.Principal;
import software.amazon.awssdk.services.ram.model.Resource;
import software.amazon.awssdk.services.ram.model.ResourceShareAssociation;
import software.amazon.awssdk.services.ram.model.Tag;
import software.amazon.awssdk.services.ram.model.TagFilter;

/**
 * The read side of {@link RamApi}: GetResourceShares, GetResourceShareAssociations, ListResources and ListPrincipals,
 * the SDK shapes of shares and associations, and RAM's paging. Split from {@code RamApi} so that the class that
 * registers the operations stays on the writes; only {@code RamApi} creates it.
 */
final class RamReads {
    private static final String TOKEN_TAG = "ram1:";
    private static final int MAX_RESULTS = 500;

    /** How long an association reads ASSOCIATING/DISASSOCIATING after a change (EC2's instance transition). */
    private final Duration transition;

    RamReads(Duration transition) {
        this.transition = transition;
    }

    // ---------------------------------------------------------------- shares

    GetResourceSharesResponse getResourceShares(GetResourceSharesRequest req, ReadContext ctx) {
        World world = ctx.world();
        Caller caller = ctx.caller();
        boolean self = resourceOwner(req.resourceOwnerAsString());
        List<ResourceShare> candidates = self
                ? List.copyOf(Index.owned(world, ResourceShare.class, caller.accountId(), caller.region()))
                : ShareReach.sharedWith(world, caller);
        if (req.hasResourceShareArns()) {
            req.resourceShareArns().forEach(Sharing::requireShareArn);
        }
        String statusText = req.resourceShareStatusAsString();
        ResourceShare.Status status = statusText == null ? null
                : AwsNamed.find(ResourceShare.Status.values(), statusText);
        if (statusText != null && status == null) {
            throw RamError.INVALID_PARAMETER.with("The resourceShareStatus " + statusText + " is not valid.");
        }
        List<ResourceShare> matching = candidates.stream()
                .filter(s -> !req.hasResourceShareArns() || req.resourceShareArns().contains(s.arn()))
                .filter(s -> status == null || s.status() == status)
                .filter(s -> req.name() == null || s.name().equals(req.name()))
                .filter(s -> !req.hasTagFilters() || req.tagFilters().stream().allMatch(f -> matches(f, s)))
                .filter(s -> req.permissionArn() == null || permissionOf(world, s).contains(req.permissionArn()))
                .sorted(Comparator.comparing(ResourceShare::arn)).toList();
        Paging.Cut<ResourceShare> page = page(matching, req.nextToken(), req.maxResults(), ResourceShare::arn);
        return GetResourceSharesResponse.builder().resourceShares(page.items().stream()
                .map(s -> self ? shape(s) : shapeForParticipant(s)).toList()).nextToken(page.next()).build();
    }

    static boolean matches(TagFilter f, ResourceShare s) {
        if (f.tagKey() != null && !s.tags().containsKey(f.tagKey())) {
            return false;
        }
        return !f.hasTagValues() || f.tagValues().isEmpty() || (f.tagKey() != null
                ? f.tagValues().contains(s.tags().get(f.tagKey()))
                : s.tags().values().stream().anyMatch(f.tagValues()::contains));
    }

    /** The permissions of a share: the default one of each type it holds. */
    static Set<String> permissionOf(World world, ResourceShare s) {
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
    static boolean resourceOwner(String owner) {
        if (owner == null) {
            throw RamErrors.missingParameter("resourceOwner");
        }
        return switch (owner) {
            case "SELF" -> true;
            case "OTHER-ACCOUNTS" -> false;
            default -> throw RamError.INVALID_PARAMETER.with("The resourceOwner " + owner + " is not valid: SELF "
                    + "or OTHER-ACCOUNTS.");
        };
    }

    static software.amazon.awssdk.services.ram.model.ResourceShare shape(ResourceShare s) {
        return software.amazon.awssdk.services.ram.model.ResourceShare.builder().resourceShareArn(s.arn())
                .name(s.name()).owningAccountId(s.ownerId()).allowExternalPrincipals(s.allowExternalPrincipals())
                .status(s.status().wire()).creationTime(s.createdAt()).lastUpdatedTime(s.updatedAt())
                .featureSet("STANDARD")
                .tags(s.tags().entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue())
                        .build()).toList())
                .build();
    }

    /** A participant sees the share, not the owner's tags on it. */
    static software.amazon.awssdk.services.ram.model.ResourceShare shapeForParticipant(ResourceShare s) {
        return shape(s.withTags(Map.of()));
    }

    // ---------------------------------------------------------------- associations

    GetResourceShareAssociationsResponse getResourceShareAssociations(
            GetResourceShareAssociationsRequest req, ReadContext ctx) {
        String typeText = req.associationTypeAsString();
        if (typeText == null) {
            throw RamErrors.missingParameter("associationType");
        }
        ShareAssociation.Type type = AwsNamed.find(ShareAssociation.Type.values(), typeText);
        if (type == null) {
            throw RamError.INVALID_PARAMETER.with("The associationType " + typeText + " is not valid.");
        }
        if (type == ShareAssociation.Type.PRINCIPAL && req.resourceArn() != null) {
            throw RamError.INVALID_PARAMETER.with("resourceArn filters RESOURCE associations only.");
        }
        if (type == ShareAssociation.Type.RESOURCE && req.principal() != null) {
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
                if (a.associationType() == type && (status == null
                        || a.observedStatus(ctx.now(), transition).wire().equals(status))
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

    List<ResourceShareAssociation> touched(World world, Instant now, ResourceShare share,
            List<String> resources, List<String> principals) {
        List<ResourceShareAssociation> out = new ArrayList<>();
        for (String r : resources == null ? List.<String>of() : resources) {
            world.find(ShareAssociation.class, ShareAssociation.idOf(share.arn(), ShareAssociation.Type.RESOURCE, r))
                    .ifPresent(a -> out.add(shape(a, share.name(), now)));
        }
        for (String p : principals == null ? List.<String>of() : principals) {
            world.find(ShareAssociation.class, ShareAssociation.idOf(share.arn(), ShareAssociation.Type.PRINCIPAL, p))
                    .ifPresent(a -> out.add(shape(a, share.name(), now)));
        }
        return out;
    }

    ResourceShareAssociation shape(ShareAssociation a, String shareName, Instant now) {
        return ResourceShareAssociation.builder().resourceShareArn(a.shareArn()).resourceShareName(shareName)
                .associatedEntity(a.entity()).associationType(a.associationType().wire())
                .status(a.observedStatus(now, transition).wire())
                .creationTime(a.createdAt()).lastUpdatedTime(a.updatedAt()).external(a.external()).build();
    }

    // ---------------------------------------------------------------- resources and principals

    /** The associations that make up what a caller's ListResources/ListPrincipals read, by resourceOwner. */
    static List<ShareAssociation> visibleAssociations(World world, Caller caller, boolean self,
            ShareAssociation.Type type) {
        List<ResourceShare> shares = self
                ? Index.owned(world, ResourceShare.class, caller.accountId(), caller.region(), ResourceShare::active)
                : ShareReach.sharedWith(world, caller);
        List<ShareAssociation> out = new ArrayList<>();
        for (ResourceShare s : shares) {
            for (ShareAssociation a : Sharing.associations(world, s.arn())) {
                if (a.associationType() == type && a.associated()) {
                    out.add(a);
                }
            }
        }
        return out;
    }

    ListResourcesResponse listResources(ListResourcesRequest req, ReadContext ctx) {
        boolean self = resourceOwner(req.resourceOwnerAsString());
        String type = req.resourceType() == null ? null : Sharing.requireType(req.resourceType());
        if (req.principal() != null && !Sharing.isPrincipal(req.principal())) {
            throw RamError.MALFORMED_ARN.with("The principal " + req.principal() + " is not valid.");
        }
        if (req.hasResourceShareArns()) {
            req.resourceShareArns().forEach(Sharing::requireShareArn);
        }
        World world = ctx.world();
        List<ShareAssociation> all = visibleAssociations(world, ctx.caller(), self, ShareAssociation.Type.RESOURCE);
        List<Resource> out = new ArrayList<>();
        for (ShareAssociation a : all) {
            if ((type != null && !a.sharedType().equals(type))
                    || (req.hasResourceShareArns() && !req.resourceShareArns().contains(a.shareArn()))
                    || (req.hasResourceArns() && !req.resourceArns().contains(a.entity()))
                    || (req.principal() != null && world.find(ShareAssociation.class, ShareAssociation.idOf(
                            a.shareArn(), ShareAssociation.Type.PRINCIPAL, req.principal()))
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

    ListPrincipalsResponse listPrincipals(ListPrincipalsRequest req, ReadContext ctx) {
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
                        .filter(r -> r.associationType().equals(ShareAssociation.Type.RESOURCE) && r.associated())
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
        for (ShareAssociation a : self ? visibleAssociations(world, ctx.caller(), true, ShareAssociation.Type.PRINCIPAL)
                : List.<ShareAssociation>of()) {
            List<ShareAssociation> resources = Sharing.associations(world, a.shareArn()).stream()
                    .filter(r -> r.associationType() == ShareAssociation.Type.RESOURCE && r.associated()).toList();
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

    // ---------------------------------------------------------------- paging

    static <T> Paging.Cut<T> page(List<T> sorted, String token, Integer maxResults,
            Function<T, String> key) {
        if (maxResults != null && (maxResults < 1 || maxResults > MAX_RESULTS)) {
            throw RamError.INVALID_MAX_RESULTS.with("The maxResults " + maxResults + " is not between 1 and "
                    + MAX_RESULTS + ".");
        }
        return Paging.cut(sorted, maxResults, token, key, TOKEN_TAG,
                t -> RamError.INVALID_NEXT_TOKEN.with("The nextToken " + t + " is not valid."));
    }
}
