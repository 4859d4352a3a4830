package dev.underpass.aws.org;

import dev.underpass.model.PolicyDocument;
import static dev.underpass.aws.org.OrgInput.Page;
import static dev.underpass.aws.org.OrgInput.TARGET_ID;
import static dev.underpass.aws.org.OrgInput.content;
import static dev.underpass.aws.org.OrgInput.description;
import static dev.underpass.aws.org.OrgInput.name;
import static dev.underpass.aws.org.OrgInput.page;
import static dev.underpass.aws.org.OrgInput.policyType;
import static dev.underpass.aws.org.OrgInput.required;
import static dev.underpass.aws.org.OrgInput.tags;
import static dev.underpass.aws.org.OrgShapes.shape;
import static dev.underpass.aws.org.OrgShapes.shapePolicy;
import static dev.underpass.aws.org.OrgShapes.target;

import dev.underpass.model.org.ControlPolicy;
import dev.underpass.model.org.OrgError;
import dev.underpass.model.org.OrgErrors;
import dev.underpass.model.org.OrgPolicies;
import dev.underpass.model.org.Organization;
import dev.underpass.model.org.Organizations;
import dev.underpass.model.org.PolicyAttachment;
import software.amazon.awssdk.services.organizations.model.AttachPolicyRequest;
import software.amazon.awssdk.services.organizations.model.AttachPolicyResponse;
import software.amazon.awssdk.services.organizations.model.CreatePolicyRequest;
import software.amazon.awssdk.services.organizations.model.CreatePolicyResponse;
import software.amazon.awssdk.services.organizations.model.DeletePolicyRequest;
import software.amazon.awssdk.services.organizations.model.DeletePolicyResponse;
import software.amazon.awssdk.services.organizations.model.DescribePolicyRequest;
import software.amazon.awssdk.services.organizations.model.DescribePolicyResponse;
import software.amazon.awssdk.services.organizations.model.DetachPolicyRequest;
import software.amazon.awssdk.services.organizations.model.DetachPolicyResponse;
import software.amazon.awssdk.services.organizations.model.DisablePolicyTypeRequest;
import software.amazon.awssdk.services.organizations.model.DisablePolicyTypeResponse;
import software.amazon.awssdk.services.organizations.model.EnablePolicyTypeRequest;
import software.amazon.awssdk.services.organizations.model.EnablePolicyTypeResponse;
import software.amazon.awssdk.services.organizations.model.ListPoliciesForTargetRequest;
import software.amazon.awssdk.services.organizations.model.ListPoliciesForTargetResponse;
import software.amazon.awssdk.services.organizations.model.ListPoliciesRequest;
import software.amazon.awssdk.services.organizations.model.ListPoliciesResponse;
import software.amazon.awssdk.services.organizations.model.ListTargetsForPolicyRequest;
import software.amazon.awssdk.services.organizations.model.ListTargetsForPolicyResponse;
import software.amazon.awssdk.services.organizations.model.UpdatePolicyRequest;
import software.amazon.awssdk.services.organizations.model.UpdatePolicyResponse;

/**
 * Control policies: EnablePolicyType/DisablePolicyType on the root, Create/Update/Delete/Describe/ListPolicies,
 * Attach/DetachPolicy and the two attachment listings. One handler family of {@link OrganizationsApi}, which
 * registers it.
 */
final class OrgPolicyHandlers {
    private OrgPolicyHandlers() {}

    static void register(OrgRegistry api) {
        api.write("EnablePolicyType", EnablePolicyTypeRequest::builder, (req, tx) -> {
            String root = required(req.rootId(), Organizations.ROOT_ID, "RootId");
            Organization org = OrgPolicies.enablePolicyType(tx, root, policyType(req.policyTypeAsString()));
            return EnablePolicyTypeResponse.builder().root(shape(org)).build();
        });
        api.write("DisablePolicyType", DisablePolicyTypeRequest::builder, (req, tx) -> {
            String root = required(req.rootId(), Organizations.ROOT_ID, "RootId");
            Organization org = OrgPolicies.disablePolicyType(tx, root, policyType(req.policyTypeAsString()));
            return DisablePolicyTypeResponse.builder().root(shape(org)).build();
        });
        api.write("CreatePolicy", CreatePolicyRequest::builder, (req, tx) -> {
            String type = policyType(req.typeAsString());
            String name = name(req.name(), 128);
            String description = description(req.description());
            PolicyDocument content = content(req.content(), type);
            ControlPolicy p = OrgPolicies.createPolicy(tx, name, description, type, content, tags(req.tags()));
            return CreatePolicyResponse.builder().policy(shapePolicy(p)).build();
        });
        api.write("UpdatePolicy", UpdatePolicyRequest::builder, (req, tx) -> {
            String id = required(req.policyId(), Organizations.POLICY_ID, "PolicyId");
            Organization org = Organizations.requireManagement(tx.world(), tx.caller().accountId());
            ControlPolicy existing = OrgPolicies.requirePolicy(tx.world(), org, id);
            String name = req.name() == null ? null : name(req.name(), 128);
            String description = req.description() == null ? null : description(req.description());
            PolicyDocument content = req.content() == null ? null : content(req.content(), existing.type());
            ControlPolicy p = OrgPolicies.updatePolicy(tx, id, name, description, content);
            return UpdatePolicyResponse.builder().policy(shapePolicy(p)).build();
        });
        api.write("DeletePolicy", DeletePolicyRequest::builder, (req, tx) -> {
            OrgPolicies.deletePolicy(tx, required(req.policyId(), Organizations.POLICY_ID, "PolicyId"));
            return DeletePolicyResponse.builder().build();
        });
        api.read("DescribePolicy", DescribePolicyRequest::builder, (req, ctx) -> {
            Organization org = Organizations.requireManagement(ctx.world(), ctx.caller().accountId());
            String id = required(req.policyId(), Organizations.POLICY_ID, "PolicyId");
            return DescribePolicyResponse.builder()
                    .policy(shapePolicy(OrgPolicies.requirePolicy(ctx.world(), org, id))).build();
        });
        api.read("ListPolicies", ListPoliciesRequest::builder, (req, ctx) -> {
            Organization org = Organizations.requireManagement(ctx.world(), ctx.caller().accountId());
            String type = policyType(req.filterAsString());
            Page<ControlPolicy> page = page(Organizations.policies(ctx.world(), org, type), req.nextToken(),
                    req.maxResults());
            return ListPoliciesResponse.builder().policies(page.items().stream().map(OrgShapes::summary)
                    .toList()).nextToken(page.next()).build();
        });
        api.write("AttachPolicy", AttachPolicyRequest::builder, (req, tx) -> {
            OrgPolicies.attachPolicy(tx, required(req.policyId(), Organizations.POLICY_ID, "PolicyId"),
                    required(req.targetId(), TARGET_ID, "TargetId"));
            return AttachPolicyResponse.builder().build();
        });
        api.write("DetachPolicy", DetachPolicyRequest::builder, (req, tx) -> {
            OrgPolicies.detachPolicy(tx, required(req.policyId(), Organizations.POLICY_ID, "PolicyId"),
                    required(req.targetId(), TARGET_ID, "TargetId"));
            return DetachPolicyResponse.builder().build();
        });
        api.read("ListPoliciesForTarget", ListPoliciesForTargetRequest::builder, (req, ctx) -> {
            Organization org = Organizations.requireManagement(ctx.world(), ctx.caller().accountId());
            String target = required(req.targetId(), TARGET_ID, "TargetId");
            String type = policyType(req.filterAsString());
            if (!Organizations.isTarget(ctx.world(), org, target)) {
                throw OrgErrors.targetNotFound();
            }
            Page<ControlPolicy> page = page(Organizations.attached(ctx.world(), org, target, type),
                    req.nextToken(), req.maxResults());
            return ListPoliciesForTargetResponse.builder().policies(page.items().stream()
                    .map(OrgShapes::summary).toList()).nextToken(page.next()).build();
        });
        api.read("ListTargetsForPolicy", ListTargetsForPolicyRequest::builder, (req, ctx) -> {
            Organization org = Organizations.requireManagement(ctx.world(), ctx.caller().accountId());
            String id = required(req.policyId(), Organizations.POLICY_ID, "PolicyId");
            OrgPolicies.requirePolicy(ctx.world(), org, id);
            Page<PolicyAttachment> page = page(Organizations.attachmentsOf(ctx.world(), org, id), req.nextToken(),
                    req.maxResults());
            return ListTargetsForPolicyResponse.builder().targets(page.items().stream()
                    .map(a -> target(ctx.world(), org, a.targetId())).toList()).nextToken(page.next()).build();
        });
    }

}
