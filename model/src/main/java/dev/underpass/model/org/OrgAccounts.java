package dev.underpass.model.org;

import static dev.underpass.model.org.Organizations.isParent;
import static dev.underpass.model.org.Organizations.random;
import static dev.underpass.model.org.Organizations.requireManagement;
import static dev.underpass.model.org.Organizations.requireOrg;

import dev.underpass.model.Digests;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The member-account commands of AWS Organizations: CreateAccount, MoveAccount, RemoveAccountFromOrganization,
 * LeaveOrganization and trusted service access. Kept apart from {@link Organizations} (the queries other modules
 * read) and {@link OrgHandshakes} (joining by invitation) so that each file holds one topic of the service.
 */
public final class OrgAccounts {
    private OrgAccounts() {}

    public static MemberAccount requireAccount(World world, Organization org, String accountId) {
        return world.find(MemberAccount.class, accountId).filter(m -> m.orgId().equals(org.id()))
                .orElseThrow(() -> OrgError.ACCOUNT_NOT_FOUND.with("You specified an account that doesn't exist."));
    }

    /**
     * CreateAccount: a new member under the root, at once. Its id is derived from the organization and the e-mail
     * address (SHA-256, twelve decimal digits, never starting with 0), stepping past ids already members, so that
     * a test that creates the same account again in a fresh organization sees a stable id; any access key that
     * names that id then acts as the new account.
     */
    public static CreateAccountStatus createAccount(Tx tx, String name, String email, Map<String, String> tags) {
        Organization org = requireManagement(tx.world(), tx.caller().accountId());
        long n = Long.remainderUnsigned(Digests.sha256Long(org.id() + "\n" + email), 900_000_000_000L)
                + 100_000_000_000L;
        String accountId = Long.toString(n);
        while (tx.find(MemberAccount.class, accountId).isPresent() || accountId.equals(org.managementAccountId())) {
            n = n >= 999_999_999_999L ? 100_000_000_000L : n + 1;
            accountId = Long.toString(n);
        }
        tx.put(new MemberAccount(accountId, org.managementAccountId(), Organization.REGION, org.id(), org.rootId(),
                name, email, "CREATED", tx.now(), tags));
        OrgPolicies.attachDefaults(tx, org, accountId);
        return tx.put(new CreateAccountStatus("car-" + random(32), org.managementAccountId(), Organization.REGION,
                org.id(), name, accountId, CreateAccountStatus.State.SUCCEEDED, tx.now(), tx.now()));
    }

    /** RemoveAccountFromOrganization (by the management account) or LeaveOrganization (by the member itself). */
    public static void removeAccount(Tx tx, String accountId, boolean leaving) {
        String caller = tx.caller().accountId();
        Organization org = leaving ? requireOrg(tx.world(), caller) : requireManagement(tx.world(), caller);
        MemberAccount member = requireAccount(tx.world(), org, accountId);
        if (member.id().equals(org.managementAccountId())) {
            throw OrgError.MASTER_CANNOT_LEAVE.with("You can't remove a management account from an organization. "
                    + "If you want the management account to become a member account in another organization, you "
                    + "must first delete the current organization.");
        }
        OrgPolicies.detachAll(tx, org, accountId);
        tx.remove(member);
    }

    /** MoveAccount between two parents of the organization. */
    public static MemberAccount moveAccount(Tx tx, String accountId, String sourceParentId, String destinationId) {
        Organization org = requireManagement(tx.world(), tx.caller().accountId());
        if (!isParent(tx.world(), org, sourceParentId)) {
            throw OrgError.SOURCE_PARENT_NOT_FOUND.with("We can't find a source root or OU with the ParentId that "
                    + "you specified.");
        }
        if (!isParent(tx.world(), org, destinationId)) {
            throw OrgError.DESTINATION_PARENT_NOT_FOUND.with("We can't find a destination root or OU with the "
                    + "ParentId that you specified.");
        }
        MemberAccount member = requireAccount(tx.world(), org, accountId);
        if (!member.parentId().equals(sourceParentId)) {
            throw OrgError.ACCOUNT_NOT_FOUND.with("You specified an account that doesn't exist in the source "
                    + "parent.");
        }
        if (sourceParentId.equals(destinationId)) {
            throw OrgError.DUPLICATE_ACCOUNT.with("That account is already present in the specified destination.");
        }
        return tx.put(member.withParent(destinationId));
    }

    /** EnableAWSServiceAccess / DisableAWSServiceAccess. */
    public static void setServiceAccess(Tx tx, String servicePrincipal, boolean enabled) {
        Organization org = requireManagement(tx.world(), tx.caller().accountId());
        Map<String, Instant> access = new LinkedHashMap<>(org.serviceAccess());
        if (enabled) {
            access.putIfAbsent(servicePrincipal, tx.now());
        } else {
            access.remove(servicePrincipal);
        }
        tx.put(org.withServiceAccess(access));
    }

    /**
     * CloseAccount: a member account (not the management account) is closed at once and stays in the organization as
     * {@code SUSPENDED}. At most 10% of the member accounts (at least 10, at most 1,000) may be closed in a rolling
     * 30 days ({@code CLOSE_ACCOUNT_QUOTA_EXCEEDED}); closing a closed account is
     * {@code AccountAlreadyClosedException}.
     */
    public static MemberAccount closeAccount(Tx tx, String accountId) {
        Organization org = Organizations.requireManagement(tx.world(), tx.caller().accountId());
        MemberAccount m = requireAccount(tx.world(), org, accountId);
        if (m.id().equals(org.managementAccountId())) {
            throw OrgError.CONSTRAINT_VIOLATION.because("CANNOT_CLOSE_MANAGEMENT_ACCOUNT", "You can't close the "
                    + "management account with CloseAccount; close it from its own account settings.");
        }
        if (m.closedAt() != null) {
            throw OrgError.ACCOUNT_ALREADY_CLOSED.with("You attempted to close an account that is already closed.");
        }
        List<MemberAccount> members = tx.world().all(MemberAccount.class).stream()
                .filter(a -> a.orgId().equals(org.id())).toList();
        long recent = members.stream().filter(a -> a.closedAt() != null
                && a.closedAt().isAfter(tx.now().minus(java.time.Duration.ofDays(30)))).count();
        long quota = Math.min(1000, Math.max(10, members.size() / 10));
        if (recent >= quota) {
            throw OrgError.CONSTRAINT_VIOLATION.because("CLOSE_ACCOUNT_QUOTA_EXCEEDED", "You have reached the "
                    + "limit of " + quota + " accounts closed in 30 days for this organization.");
        }
        return tx.put(m.closed(tx.now()));
    }
}
