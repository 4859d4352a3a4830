package dev.underpass.model.org;

import dev.underpass.model.PolicyDocument;
import static dev.underpass.model.org.Organizations.FULL_AWS_ACCESS;
import static dev.underpass.model.org.Organizations.MAX_ATTACHED_PER_TYPE;
import static dev.underpass.model.org.Organizations.RCP_FULL_AWS_ACCESS;
import static dev.underpass.model.org.Organizations.accounts;
import static dev.underpass.model.org.Organizations.attached;
import static dev.underpass.model.org.Organizations.attachmentsOf;
import static dev.underpass.model.org.Organizations.isTarget;
import static dev.underpass.model.org.Organizations.policy;
import static dev.underpass.model.org.Organizations.random;
import static dev.underpass.model.org.Organizations.requireManagement;
import static dev.underpass.model.org.Organizations.units;

import dev.underpass.model.Tx;
import dev.underpass.model.World;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Control policies (SCPs and RCPs) of AWS Organizations: enabling a type on the root, creating, updating and
 * deleting customer policies, and attaching them to the root, OUs and accounts within AWS's limits. The queries
 * that read attachments ({@link Organizations#attached}, {@link Organizations#pathOf}) stay in
 * {@link Organizations}; this class holds the commands that change them.
 */
public final class OrgPolicies {
    private OrgPolicies() {}

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
            throw OrgErrors.policyTypeNotEnabled();
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

    /** CreatePolicy: the document was validated and parsed by the caller (the wire layer). */
    public static ControlPolicy createPolicy(Tx tx, String name, String description, String type,
            PolicyDocument content,
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
            PolicyDocument content) {
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
            throw OrgErrors.targetNotFound();
        }
        if (!org.policyTypeEnabled(p.type())) {
            throw OrgErrors.policyTypeNotEnabled();
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
            throw OrgErrors.targetNotFound();
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
    static void attachDefaults(Tx tx, Organization org, String targetId) {
        for (String type : org.enabledPolicyTypes()) {
            put(tx, org, managedFor(type), targetId);
        }
    }

    static void detachAll(Tx tx, Organization org, String targetId) {
        for (PolicyAttachment a : tx.all(PolicyAttachment.class, a -> a.orgId().equals(org.id())
                && a.targetId().equals(targetId))) {
            tx.remove(a);
        }
    }
}
