package dev.underpass.model.org;

import static dev.underpass.model.org.Organizations.MAX_OU_DEPTH;
import static dev.underpass.model.org.Organizations.accounts;
import static dev.underpass.model.org.Organizations.isParent;
import static dev.underpass.model.org.Organizations.random;
import static dev.underpass.model.org.Organizations.requireManagement;
import static dev.underpass.model.org.Organizations.units;

import dev.underpass.model.Tx;
import dev.underpass.model.World;
import java.util.Map;

/**
 * The organizational-unit commands of AWS Organizations: create, rename and delete OUs, nested at most
 * {@link Organizations#MAX_OU_DEPTH} deep, names unique among siblings. Kept apart from {@link Organizations} (the
 * queries other modules read) so that each file holds one topic of the service.
 */
public final class OrgUnits {
    private OrgUnits() {}

    /** CreateOrganizationalUnit under the root or an OU, with the default policies of the enabled types. */
    public static OrganizationalUnit createOrganizationalUnit(Tx tx, String parentId, String name,
            Map<String, String> tags) {
        Organization org = requireManagement(tx.world(), tx.caller().accountId());
        if (!isParent(tx.world(), org, parentId)) {
            throw OrgErrors.parentNotFound();
        }
        if (depth(tx.world(), org, parentId) + 1 > MAX_OU_DEPTH) {
            throw OrgError.CONSTRAINT_VIOLATION.because("OU_DEPTH_LIMIT_EXCEEDED", "You attempted to create an OU "
                    + "tree that is too many levels deep.");
        }
        requireUniqueName(tx.world(), org, parentId, name, null);
        String id;
        do {
            id = "ou-" + org.rootId().substring(2, 6) + "-" + random(8);
        } while (tx.find(OrganizationalUnit.class, id).isPresent());
        OrganizationalUnit ou = tx.put(new OrganizationalUnit(id, org.managementAccountId(), Organization.REGION,
                org.id(), parentId, name, tags));
        OrgPolicies.attachDefaults(tx, org, id);
        return ou;
    }

    private static void requireUniqueName(World world, Organization org, String parentId, String name,
            String except) {
        for (OrganizationalUnit u : units(world, org)) {
            if (u.parentId().equals(parentId) && u.name().equals(name) && !u.id().equals(except)) {
                throw OrgError.DUPLICATE_OU.with("An OU with the same name already exists.");
            }
        }
    }

    /** How many OUs deep a parent is: 0 for the root. */
    private static int depth(World world, Organization org, String parentId) {
        int depth = 0;
        String at = parentId;
        while (!at.equals(org.rootId())) {
            OrganizationalUnit u = world.find(OrganizationalUnit.class, at).orElse(null);
            if (u == null) {
                break;
            }
            depth++;
            at = u.parentId();
        }
        return depth;
    }

    public static OrganizationalUnit requireUnit(World world, Organization org, String ouId) {
        return world.find(OrganizationalUnit.class, ouId).filter(u -> u.orgId().equals(org.id()))
                .orElseThrow(() -> OrgError.OU_NOT_FOUND.with("We can't find an OU with the OrganizationalUnitId "
                        + "that you specified."));
    }

    public static OrganizationalUnit renameOrganizationalUnit(Tx tx, String ouId, String name) {
        Organization org = requireManagement(tx.world(), tx.caller().accountId());
        OrganizationalUnit ou = requireUnit(tx.world(), org, ouId);
        if (name == null) {
            return ou;
        }
        requireUniqueName(tx.world(), org, ou.parentId(), name, ou.id());
        return tx.put(ou.withName(name));
    }

    public static void deleteOrganizationalUnit(Tx tx, String ouId) {
        Organization org = requireManagement(tx.world(), tx.caller().accountId());
        OrganizationalUnit ou = requireUnit(tx.world(), org, ouId);
        boolean children = units(tx.world(), org).stream().anyMatch(u -> u.parentId().equals(ouId))
                || accounts(tx.world(), org).stream().anyMatch(m -> m.parentId().equals(ouId));
        if (children) {
            throw OrgError.OU_NOT_EMPTY.with("The specified OU is not empty. Move all accounts to another root or "
                    + "OU, delete all child OUs, and try the operation again.");
        }
        OrgPolicies.detachAll(tx, org, ouId);
        tx.remove(ou);
    }
}
