package dev.underpass.aws.ec2;

import dev.underpass.model.ec2.PrefixListId;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.ManagedPrefixList;
import dev.underpass.model.ec2.PrefixLists;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.AddPrefixListEntry;
import software.amazon.awssdk.services.ec2.model.CreateManagedPrefixListRequest;
import software.amazon.awssdk.services.ec2.model.CreateManagedPrefixListResponse;
import software.amazon.awssdk.services.ec2.model.DeleteManagedPrefixListRequest;
import software.amazon.awssdk.services.ec2.model.DeleteManagedPrefixListResponse;
import software.amazon.awssdk.services.ec2.model.DescribeManagedPrefixListsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeManagedPrefixListsResponse;
import software.amazon.awssdk.services.ec2.model.DescribePrefixListsRequest;
import software.amazon.awssdk.services.ec2.model.DescribePrefixListsResponse;
import software.amazon.awssdk.services.ec2.model.GetManagedPrefixListAssociationsRequest;
import software.amazon.awssdk.services.ec2.model.GetManagedPrefixListAssociationsResponse;
import software.amazon.awssdk.services.ec2.model.GetManagedPrefixListEntriesRequest;
import software.amazon.awssdk.services.ec2.model.GetManagedPrefixListEntriesResponse;
import software.amazon.awssdk.services.ec2.model.ModifyManagedPrefixListRequest;
import software.amazon.awssdk.services.ec2.model.ModifyManagedPrefixListResponse;
import software.amazon.awssdk.services.ec2.model.PrefixList;
import software.amazon.awssdk.services.ec2.model.PrefixListAssociation;
import software.amazon.awssdk.services.ec2.model.PrefixListEntry;
import software.amazon.awssdk.services.ec2.model.RemovePrefixListEntry;
import software.amazon.awssdk.services.ec2.model.RestoreManagedPrefixListVersionRequest;
import software.amazon.awssdk.services.ec2.model.RestoreManagedPrefixListVersionResponse;

/**
 * Prefix lists: the older DescribePrefixLists (AWS-managed lists of the gateway services, with their CIDRs) and the
 * managed-prefix-list API over both AWS-managed and customer-managed lists. A change answers with the state in
 * progress and the version it started from, as AWS does; describing afterwards shows the {@code -complete} state and
 * the new version.
 */
record PrefixListHandlers(Ec2Registry api) {
    private static final FilterSpec<PrefixLists.View> PREFIX_LIST_FILTERS =
            FilterSpec.of(PrefixLists.View::tags)
                    .one("prefix-list-id", PrefixLists.View::id)
                    .one("prefix-list-name", PrefixLists.View::name)
                    .build();

    private static final FilterSpec<PrefixLists.View> MANAGED_FILTERS = FilterSpec.of(PrefixLists.View::tags)
            .one("owner-id", PrefixLists.View::ownerId)
            .one("prefix-list-id", PrefixLists.View::id)
            .one("prefix-list-name", PrefixLists.View::name)
            .build();

    void register(Ec2Registry registry) {
        registry.read("DescribePrefixLists", DescribePrefixListsRequest::builder, this::describePrefixLists);
        registry.read("DescribeManagedPrefixLists", DescribeManagedPrefixListsRequest::builder, this::describe);
        registry.read("GetManagedPrefixListEntries", GetManagedPrefixListEntriesRequest::builder, this::entries);
        registry.read("GetManagedPrefixListAssociations", GetManagedPrefixListAssociationsRequest::builder,
                this::associations);
        registry.write("CreateManagedPrefixList", CreateManagedPrefixListRequest::builder, this::create);
        registry.write("ModifyManagedPrefixList", ModifyManagedPrefixListRequest::builder, this::modify);
        registry.write("RestoreManagedPrefixListVersion", RestoreManagedPrefixListVersionRequest::builder,
                this::restore);
        registry.write("DeleteManagedPrefixList", DeleteManagedPrefixListRequest::builder, this::delete);
    }

    /** The lists named by {@code ids} (all unknown ones in one error), or every visible list. */
    private static Describe<PrefixLists.View> candidates(Ec2Api.ReadContext ctx, List<String> ids, boolean awsOnly) {
        World world = ctx.world();
        List<PrefixLists.View> views;
        if (ids.isEmpty()) {
            views = PrefixLists.visible(world, ctx.caller());
        } else {
            views = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (String id : new LinkedHashSet<>(ids)) {
                try {
                    views.add(PrefixLists.require(world, ctx.caller(), PrefixListId.of(id)));
                } catch (dev.underpass.model.AwsException e) {
                    if (!e.code().equals(ErrorCode.INVALID_PREFIX_LIST_ID_NOT_FOUND.wire())) {
                        throw e;
                    }
                    missing.add(id);
                }
            }
            if (!missing.isEmpty()) {
                throw dev.underpass.model.ec2.Kind.PREFIX_LIST.notFound(missing);
            }
        }
        return Describe.of(views.stream().filter(v -> !awsOnly || v.awsManaged())
                .sorted(Comparator.comparing(PrefixLists.View::id)).toList(), PrefixLists.View::id);
    }

    private DescribePrefixListsResponse describePrefixLists(DescribePrefixListsRequest req, Ec2Api.ReadContext ctx) {
        // DescribePrefixLists predates customer-managed lists and shows only the AWS services' lists.
        var page = candidates(ctx, req.prefixListIds(), true).filter(PREFIX_LIST_FILTERS, req.filters())
                .page(req.maxResults(), req.nextToken(), Describe.Limits.of(1, 1000));
        return DescribePrefixListsResponse.builder()
                .prefixLists(page.map(l -> PrefixList.builder().prefixListId(l.id())
                        .prefixListName(l.name())
                        .cidrs(l.entries().stream().map(ManagedPrefixList.Entry::cidr).toList()).build()))
                .nextToken(page.nextToken()).build();
    }

    private DescribeManagedPrefixListsResponse describe(DescribeManagedPrefixListsRequest req,
            Ec2Api.ReadContext ctx) {
        var page = candidates(ctx, req.prefixListIds(), false).filter(MANAGED_FILTERS, req.filters())
                .page(req.maxResults(), req.nextToken(), Describe.Limits.of(1, 100));
        return DescribeManagedPrefixListsResponse.builder()
                .prefixLists(page.map(l -> shape(l, l.state(), l.version())))
                .nextToken(page.nextToken()).build();
    }

    private GetManagedPrefixListEntriesResponse entries(GetManagedPrefixListEntriesRequest req,
            Ec2Api.ReadContext ctx) {
        var view = PrefixLists.require(ctx.world(), ctx.caller(), PrefixListId.of(req.prefixListId()));
        List<ManagedPrefixList.Entry> entries = view.entries();
        if (req.targetVersion() != null) {
            entries = view.awsManaged() ? null : view.stored().entriesAt(req.targetVersion());
            if (entries == null) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                        "Version %d of prefix list %s does not exist.", req.targetVersion(), view.id());
            }
        }
        var page = Describe.of(entries, ManagedPrefixList.Entry::cidr)
                .page(req.maxResults(), req.nextToken(), Describe.Limits.of(1, 100));
        return GetManagedPrefixListEntriesResponse.builder()
                .entries(page.map(e -> PrefixListEntry.builder().cidr(e.cidr())
                        .description(e.description()).build()))
                .nextToken(page.nextToken()).build();
    }

    private GetManagedPrefixListAssociationsResponse associations(GetManagedPrefixListAssociationsRequest req,
            Ec2Api.ReadContext ctx) {
        var view = PrefixLists.require(ctx.world(), ctx.caller(), PrefixListId.of(req.prefixListId()));
        // An AWS-managed list is referenced by every account; each sees only its own references.
        String owner = view.awsManaged() ? ctx.caller().accountId() : view.ownerId();
        var uses = PrefixLists.associations(ctx.world(), owner, ctx.caller().region(), view.prefixListId());
        var page = Describe.of(uses, PrefixLists.Association::resourceId)
                .page(req.maxResults(), req.nextToken(), Describe.Limits.of(5, 255));
        return GetManagedPrefixListAssociationsResponse.builder()
                .prefixListAssociations(page.map(a -> PrefixListAssociation.builder()
                        .resourceId(a.resourceId()).resourceOwner(a.resourceOwner()).build()))
                .nextToken(page.nextToken()).build();
    }

    private CreateManagedPrefixListResponse create(CreateManagedPrefixListRequest req, Tx tx) {
        var list = PrefixLists.create(tx, new PrefixLists.Create(req.prefixListName(), req.addressFamily(),
                req.maxEntries(), added(req.entries()), Shapes.tagsFor(req.tagSpecifications(), "prefix-list")));
        return CreateManagedPrefixListResponse.builder()
                .prefixList(
                        shape(PrefixLists.View.of(list), ManagedPrefixList.State.CREATE_IN_PROGRESS, list.version()))
                .build();
    }

    private ModifyManagedPrefixListResponse modify(ModifyManagedPrefixListRequest req, Tx tx) {
        if (Shapes.flag(req.ipamPrefixListResolverSyncEnabled())) {
            throw ErrorCode.UNSUPPORTED_OPERATION.with("underpass does not support IPAM prefix list resolvers.");
        }
        var before = PrefixLists.require(tx.world(), tx.caller(),
                PrefixListId.of(Shapes.required(req.prefixListId(), "PrefixListId")));
        var list = PrefixLists.modify(tx,
                new PrefixLists.Modify(PrefixListId.of(req.prefixListId()), req.currentVersion(),
                        req.prefixListName(), added(req.addEntries()),
                        req.removeEntries().stream().map(RemovePrefixListEntry::cidr).toList(), req.maxEntries()));
        return ModifyManagedPrefixListResponse.builder()
                .prefixList(
                        shape(PrefixLists.View.of(list), ManagedPrefixList.State.MODIFY_IN_PROGRESS, before.version()))
                .build();
    }

    private RestoreManagedPrefixListVersionResponse restore(RestoreManagedPrefixListVersionRequest req, Tx tx) {
        var list = PrefixLists.restore(tx, PrefixListId.of(Shapes.required(req.prefixListId(), "PrefixListId")),
                req.previousVersion(), req.currentVersion());
        return RestoreManagedPrefixListVersionResponse.builder()
                .prefixList(shape(PrefixLists.View.of(list), ManagedPrefixList.State.RESTORE_IN_PROGRESS,
                        req.currentVersion()))
                .build();
    }

    private DeleteManagedPrefixListResponse delete(DeleteManagedPrefixListRequest req, Tx tx) {
        var list = PrefixLists.delete(tx, PrefixListId.of(Shapes.required(req.prefixListId(), "PrefixListId")));
        return DeleteManagedPrefixListResponse.builder()
                .prefixList(
                        shape(PrefixLists.View.of(list), ManagedPrefixList.State.DELETE_IN_PROGRESS, list.version()))
                .build();
    }

    private static List<ManagedPrefixList.Entry> added(List<AddPrefixListEntry> entries) {
        return entries.stream().map(e -> new ManagedPrefixList.Entry(e.cidr(), e.description())).toList();
    }

    private static software.amazon.awssdk.services.ec2.model.ManagedPrefixList shape(PrefixLists.View v,
            ManagedPrefixList.State state, Long version) {
        var b = software.amazon.awssdk.services.ec2.model.ManagedPrefixList.builder()
                .prefixListId(v.id())
                .addressFamily(v.addressFamily())
                .state(state.wire())
                .prefixListArn(v.arn())
                .prefixListName(v.name())
                .maxEntries(v.maxEntries())
                .version(version)
                .tags(Shapes.tags(v.tags()))
                .ownerId(v.ownerId());
        return b.build();
    }
}
