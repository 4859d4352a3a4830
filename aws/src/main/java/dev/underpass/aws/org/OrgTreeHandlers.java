package dev.underpass.aws.org;

import static dev.underpass.aws.org.OrgInput.PARENT_ID;
import static dev.underpass.aws.org.OrgInput.Page;
import static dev.underpass.aws.org.OrgInput.invalid;
import static dev.underpass.aws.org.OrgInput.name;
import static dev.underpass.aws.org.OrgInput.page;
import static dev.underpass.aws.org.OrgInput.requireParent;
import static dev.underpass.aws.org.OrgInput.required;
import static dev.underpass.aws.org.OrgInput.tags;
import static dev.underpass.aws.org.OrgShapes.shape;
import static dev.underpass.aws.org.OrgShapes.shapeOrg;

import dev.underpass.aws.QueryApi;
import dev.underpass.model.Tx;
import dev.underpass.model.org.MemberAccount;
import dev.underpass.model.org.OrgError;
import dev.underpass.model.org.OrgErrors;
import dev.underpass.model.org.OrgUnits;
import dev.underpass.model.org.Organization;
import dev.underpass.model.org.OrganizationalUnit;
import dev.underpass.model.org.Organizations;
import java.util.List;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.organizations.model.Child;
import software.amazon.awssdk.services.organizations.model.CreateOrganizationRequest;
import software.amazon.awssdk.services.organizations.model.CreateOrganizationResponse;
import software.amazon.awssdk.services.organizations.model.CreateOrganizationalUnitRequest;
import software.amazon.awssdk.services.organizations.model.CreateOrganizationalUnitResponse;
import software.amazon.awssdk.services.organizations.model.DeleteOrganizationRequest;
import software.amazon.awssdk.services.organizations.model.DeleteOrganizationResponse;
import software.amazon.awssdk.services.organizations.model.DeleteOrganizationalUnitRequest;
import software.amazon.awssdk.services.organizations.model.DeleteOrganizationalUnitResponse;
import software.amazon.awssdk.services.organizations.model.DescribeOrganizationRequest;
import software.amazon.awssdk.services.organizations.model.DescribeOrganizationResponse;
import software.amazon.awssdk.services.organizations.model.DescribeOrganizationalUnitRequest;
import software.amazon.awssdk.services.organizations.model.DescribeOrganizationalUnitResponse;
import software.amazon.awssdk.services.organizations.model.ListChildrenRequest;
import software.amazon.awssdk.services.organizations.model.ListChildrenResponse;
import software.amazon.awssdk.services.organizations.model.ListOrganizationalUnitsForParentRequest;
import software.amazon.awssdk.services.organizations.model.ListOrganizationalUnitsForParentResponse;
import software.amazon.awssdk.services.organizations.model.ListParentsRequest;
import software.amazon.awssdk.services.organizations.model.ListParentsResponse;
import software.amazon.awssdk.services.organizations.model.ListRootsRequest;
import software.amazon.awssdk.services.organizations.model.ListRootsResponse;
import software.amazon.awssdk.services.organizations.model.Parent;
import software.amazon.awssdk.services.organizations.model.UpdateOrganizationalUnitRequest;
import software.amazon.awssdk.services.organizations.model.UpdateOrganizationalUnitResponse;

/**
 * The organization and its tree: CreateOrganization, DescribeOrganization, DeleteOrganization, ListRoots, the OU
 * calls, ListParents and ListChildren. One handler family of {@link OrganizationsApi}, which registers it.
 */
final class OrgTreeHandlers {
    private OrgTreeHandlers() {}

    static void register(OrgRegistry api) {
        api.write("CreateOrganization", CreateOrganizationRequest::builder, OrgTreeHandlers::createOrganization);
        api.read("DescribeOrganization", DescribeOrganizationRequest::builder, OrgTreeHandlers::describeOrganization);
        api.write("DeleteOrganization", DeleteOrganizationRequest::builder, (req, tx) -> {
            Organizations.deleteOrganization(tx);
            return DeleteOrganizationResponse.builder().build();
        });
        api.read("ListRoots", ListRootsRequest::builder, OrgTreeHandlers::listRoots);
        api.write("CreateOrganizationalUnit", CreateOrganizationalUnitRequest::builder, (req, tx) -> {
            String parent = required(req.parentId(), PARENT_ID, "ParentId");
            OrganizationalUnit ou = OrgUnits.createOrganizationalUnit(tx, parent, name(req.name(), 128),
                    tags(req.tags()));
            return CreateOrganizationalUnitResponse.builder().organizationalUnit(shape(ou)).build();
        });
        api.read("DescribeOrganizationalUnit", DescribeOrganizationalUnitRequest::builder, (req, ctx) -> {
            Organization org = Organizations.requireManagement(ctx.world(), ctx.caller().accountId());
            String id = required(req.organizationalUnitId(), Organizations.OU_ID, "OrganizationalUnitId");
            return DescribeOrganizationalUnitResponse.builder()
                    .organizationalUnit(shape(OrgUnits.requireUnit(ctx.world(), org, id))).build();
        });
        api.write("UpdateOrganizationalUnit", UpdateOrganizationalUnitRequest::builder, (req, tx) -> {
            String id = required(req.organizationalUnitId(), Organizations.OU_ID, "OrganizationalUnitId");
            String name = req.name() == null ? null : name(req.name(), 128);
            return UpdateOrganizationalUnitResponse.builder()
                    .organizationalUnit(shape(OrgUnits.renameOrganizationalUnit(tx, id, name))).build();
        });
        api.write("DeleteOrganizationalUnit", DeleteOrganizationalUnitRequest::builder, (req, tx) -> {
            OrgUnits.deleteOrganizationalUnit(tx,
                    required(req.organizationalUnitId(), Organizations.OU_ID, "OrganizationalUnitId"));
            return DeleteOrganizationalUnitResponse.builder().build();
        });
        api.read("ListOrganizationalUnitsForParent", ListOrganizationalUnitsForParentRequest::builder, (req, ctx) -> {
            Organization org = Organizations.requireManagement(ctx.world(), ctx.caller().accountId());
            String parent = requireParent(ctx.world(), org, req.parentId());
            Page<OrganizationalUnit> page = page(Organizations.units(ctx.world(), org).stream()
                    .filter(u -> u.parentId().equals(parent)).toList(), req.nextToken(), req.maxResults());
            return ListOrganizationalUnitsForParentResponse.builder()
                    .organizationalUnits(page.items().stream().map(OrgShapes::shape).toList())
                    .nextToken(page.next()).build();
        });
        api.read("ListParents", ListParentsRequest::builder, OrgTreeHandlers::listParents);
        api.read("ListChildren", ListChildrenRequest::builder, OrgTreeHandlers::listChildren);
    }

    private static CreateOrganizationResponse createOrganization(CreateOrganizationRequest req,
            Tx tx) {
        String featureSet = req.featureSetAsString() == null ? "ALL" : req.featureSetAsString();
        if (!featureSet.equals("ALL") && !featureSet.equals("CONSOLIDATED_BILLING")) {
            throw invalid("INVALID_ENUM", "You specified an invalid value for FeatureSet.");
        }
        Organization org = Organizations.createOrganization(tx, featureSet);
        return CreateOrganizationResponse.builder().organization(shapeOrg(org)).build();
    }

    private static DescribeOrganizationResponse describeOrganization(DescribeOrganizationRequest req,
            QueryApi.ReadContext ctx) {
        Organization org = Organizations.requireOrg(ctx.world(), ctx.caller().accountId());
        return DescribeOrganizationResponse.builder().organization(shapeOrg(org)).build();
    }

    private static ListRootsResponse listRoots(ListRootsRequest req, QueryApi.ReadContext ctx) {
        Organization org = Organizations.requireManagement(ctx.world(), ctx.caller().accountId());
        Page<Organization> page = page(List.of(org), req.nextToken(), req.maxResults());
        return ListRootsResponse.builder().roots(page.items().stream().map(OrgShapes::shape).toList())
                .nextToken(page.next()).build();
    }

    private static ListParentsResponse listParents(ListParentsRequest req, QueryApi.ReadContext ctx) {
        Organization org = Organizations.requireManagement(ctx.world(), ctx.caller().accountId());
        String child = required(req.childId(), Pattern.compile("(\\d{12})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})"),
                "ChildId");
        String parent = ctx.world().find(MemberAccount.class, child).filter(m -> m.orgId().equals(org.id()))
                .map(MemberAccount::parentId)
                .or(() -> ctx.world().find(OrganizationalUnit.class, child).filter(u -> u.orgId().equals(org.id()))
                        .map(OrganizationalUnit::parentId))
                .orElseThrow(() -> OrgError.CHILD_NOT_FOUND.with("We can't find an organizational unit (OU) or "
                        + "AWS account with the ChildId that you specified."));
        Page<String> page = page(List.of(parent), req.nextToken(), req.maxResults());
        return ListParentsResponse.builder().parents(page.items().stream().map(p -> Parent.builder().id(p)
                .type(p.equals(org.rootId()) ? "ROOT" : "ORGANIZATIONAL_UNIT").build()).toList())
                .nextToken(page.next()).build();
    }

    private static ListChildrenResponse listChildren(ListChildrenRequest req, QueryApi.ReadContext ctx) {
        Organization org = Organizations.requireManagement(ctx.world(), ctx.caller().accountId());
        String parent = requireParent(ctx.world(), org, req.parentId());
        String type = req.childTypeAsString();
        if (type == null) {
            throw OrgErrors.inputRequired("ChildType");
        }
        List<String> ids = switch (type) {
            case "ACCOUNT" -> Organizations.accounts(ctx.world(), org).stream()
                    .filter(m -> m.parentId().equals(parent)).map(MemberAccount::id).toList();
            case "ORGANIZATIONAL_UNIT" -> Organizations.units(ctx.world(), org).stream()
                    .filter(u -> u.parentId().equals(parent)).map(OrganizationalUnit::id).toList();
            default -> throw invalid("INVALID_ENUM", "You specified an invalid value for ChildType.");
        };
        Page<String> page = page(ids, req.nextToken(), req.maxResults());
        return ListChildrenResponse.builder().children(page.items().stream()
                .map(id -> Child.builder().id(id).type(type).build()).toList()).nextToken(page.next()).build();
    }
}
