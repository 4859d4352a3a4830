package dev.underpass.aws.org;

import dev.underpass.model.World;
import dev.underpass.model.org.ControlPolicy;
import dev.underpass.model.org.MemberAccount;
import dev.underpass.model.org.Organization;
import dev.underpass.model.org.OrganizationalUnit;
import dev.underpass.model.org.Organizations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.services.organizations.model.Account;
import software.amazon.awssdk.services.organizations.model.CreateAccountStatus;
import software.amazon.awssdk.services.organizations.model.Handshake;
import software.amazon.awssdk.services.organizations.model.HandshakeParty;
import software.amazon.awssdk.services.organizations.model.HandshakeResource;
import software.amazon.awssdk.services.organizations.model.Policy;
import software.amazon.awssdk.services.organizations.model.PolicySummary;
import software.amazon.awssdk.services.organizations.model.PolicyTargetSummary;
import software.amazon.awssdk.services.organizations.model.PolicyTypeSummary;
import software.amazon.awssdk.services.organizations.model.Root;

/**
 * The model's Organizations records as the SDK's response shapes (organization, root, OU, account, handshake,
 * policy, policy target). Kept apart from the handlers so each family renders a record the same way.
 */
final class OrgShapes {
    private OrgShapes() {}

    // ------------------------------------------------------------------ shapes

    static software.amazon.awssdk.services.organizations.model.Organization shapeOrg(Organization org) {
        return software.amazon.awssdk.services.organizations.model.Organization.builder().id(org.id())
                .arn(org.arn()).featureSet(org.featureSet())
                .masterAccountArn("arn:aws:organizations::" + org.managementAccountId() + ":account/" + org.id()
                        + "/" + org.managementAccountId())
                .masterAccountId(org.managementAccountId())
                .masterAccountEmail(Organizations.emailOf(org.managementAccountId()))
                .availablePolicyTypes(policyTypes(org)).build();
    }

    static List<PolicyTypeSummary> policyTypes(Organization org) {
        return org.enabledPolicyTypes().stream().map(t -> PolicyTypeSummary.builder().type(t).status("ENABLED")
                .build()).toList();
    }

    static Root shape(Organization org) {
        return Root.builder().id(org.rootId()).arn(org.rootArn()).name("Root").policyTypes(policyTypes(org))
                .build();
    }

    static software.amazon.awssdk.services.organizations.model.OrganizationalUnit shape(
            OrganizationalUnit ou) {
        return software.amazon.awssdk.services.organizations.model.OrganizationalUnit.builder().id(ou.id())
                .arn(ou.arn()).name(ou.name()).build();
    }

    static Account shape(MemberAccount m) {
        return Account.builder().id(m.id()).arn(m.arn()).email(m.email()).name(m.name()).status(m.status())
                .state(m.status()).joinedMethod(m.joinedMethod()).joinedTimestamp(m.joinedAt()).build();
    }

    static CreateAccountStatus shape(dev.underpass.model.org.CreateAccountStatus s) {
        return CreateAccountStatus.builder().id(s.id()).accountName(s.accountName()).state(s.state().wire())
                .requestedTimestamp(s.requestedAt()).completedTimestamp(s.completedAt()).accountId(s.accountId())
                .build();
    }

    static Handshake shape(World world, dev.underpass.model.org.Handshake h, Instant now) {
        List<HandshakeResource> orgDetails = new ArrayList<>();
        orgDetails.add(HandshakeResource.builder().type("MASTER_EMAIL").value(Organizations.emailOf(h.ownerId()))
                .build());
        orgDetails.add(HandshakeResource.builder().type("MASTER_NAME").value("account-" + h.ownerId()).build());
        String featureSet = world.find(Organization.class, h.orgId()).map(Organization::featureSet).orElse("ALL");
        orgDetails.add(HandshakeResource.builder().type("ORGANIZATION_FEATURE_SET").value(featureSet).build());
        List<HandshakeResource> resources = new ArrayList<>();
        resources.add(HandshakeResource.builder().type("ORGANIZATION").value(h.orgId()).resources(orgDetails)
                .build());
        resources.add(HandshakeResource.builder().type("ACCOUNT").value(h.targetAccountId()).build());
        if (h.notes() != null) {
            resources.add(HandshakeResource.builder().type("NOTES").value(h.notes()).build());
        }
        return Handshake.builder().id(h.id()).arn(h.arn())
                .parties(HandshakeParty.builder().id(h.orgId()).type("ORGANIZATION").build(),
                        HandshakeParty.builder().id(h.targetAccountId()).type("ACCOUNT").build())
                .state(Organizations.stateAt(h, now).wire()).requestedTimestamp(h.requestedAt())
                .expirationTimestamp(h.expiresAt()).action(h.action()).resources(resources).build();
    }

    static PolicySummary summary(ControlPolicy p) {
        return PolicySummary.builder().id(p.id()).arn(p.arn()).name(p.name()).description(p.description())
                .type(p.type()).awsManaged(p.awsManaged()).build();
    }

    static Policy shapePolicy(ControlPolicy p) {
        return Policy.builder().policySummary(summary(p)).content(p.content().text()).build();
    }

    static PolicyTargetSummary target(World world, Organization org, String targetId) {
        if (targetId.equals(org.rootId())) {
            return PolicyTargetSummary.builder().targetId(targetId).arn(org.rootArn()).name("Root").type("ROOT")
                    .build();
        }
        Function<String, PolicyTargetSummary> account = id -> world.find(MemberAccount.class, id)
                .map(m -> PolicyTargetSummary.builder().targetId(id).arn(m.arn()).name(m.name()).type("ACCOUNT")
                        .build())
                .orElse(PolicyTargetSummary.builder().targetId(id).type("ACCOUNT").build());
        return world.find(OrganizationalUnit.class, targetId)
                .map(u -> PolicyTargetSummary.builder().targetId(u.id()).arn(u.arn()).name(u.name())
                        .type("ORGANIZATIONAL_UNIT").build())
                .orElseGet(() -> account.apply(targetId));
    }
}
