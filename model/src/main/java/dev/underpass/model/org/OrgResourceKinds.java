package dev.underpass.model.org;

import dev.underpass.model.ResourceKind;
import java.util.List;

/** The stored records of AWS Organizations and their on-disk names (see {@link ResourceKind}; never rename one). */
public final class OrgResourceKinds {
    private OrgResourceKinds() {}

    public static final List<ResourceKind> ALL = List.of(
            new ResourceKind(Organization.class, "organization"),
            new ResourceKind(OrganizationalUnit.class, "organizational-unit"),
            new ResourceKind(MemberAccount.class, "organization-account"),
            new ResourceKind(ControlPolicy.class, "organization-policy"),
            new ResourceKind(PolicyAttachment.class, "organization-policy-attachment"),
            new ResourceKind(Handshake.class, "organization-handshake"),
            new ResourceKind(CreateAccountStatus.class, "organization-create-account-status"));
}
