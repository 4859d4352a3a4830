package dev.underpass.model.sharing;

import dev.underpass.model.Caller;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.ResourceGrant;
import dev.underpass.model.org.MemberAccount;
import dev.underpass.model.org.Organization;
import dev.underpass.model.org.OrganizationalUnit;
import dev.underpass.model.org.Organizations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;

/**
 * Which accounts a resource share reaches and the {@link ResourceGrant}s that follow: principals expanded through
 * OUs and the organization, grants recomputed when a share or the organization changes, and the shares that reach a
 * given caller. Split from {@link Sharing} (the share lifecycle) because this is the part EC2 visibility depends on.
 */
public final class ShareReach {
    private ShareReach() {}

    /** The accounts a share currently reaches: its associated principals, OUs and organization expanded. */
    public static Set<String> participants(World world, ResourceShare share) {
        Set<String> out = new TreeSet<>();
        if (!share.active()) {
            return out;
        }
        for (ShareAssociation a : Sharing.associations(world, share.arn())) {
            if (!a.associated() || !a.associationType().equals(ShareAssociation.Type.PRINCIPAL)) {
                continue;
            }
            out.addAll(accountsOf(world, a.entity()));
        }
        out.remove(share.ownerId());
        return out;
    }

    private static Set<String> accountsOf(World world, String principal) {
        if (Sharing.ACCOUNT.matcher(principal).matches()) {
            return Set.of(principal);
        }
        Set<String> out = new LinkedHashSet<>();
        Matcher o = Sharing.ORG_ARN.matcher(principal);
        Matcher u = Sharing.OU_ARN.matcher(principal);
        String orgId = o.matches() ? o.group(2) : u.matches() ? u.group(2) : null;
        Organization org = orgId == null ? null : world.find(Organization.class, orgId).orElse(null);
        if (org == null) {
            return out;
        }
        for (MemberAccount m : Organizations.accounts(world, org)) {
            if (o.matches() || under(world, org, m.parentId(), u.group(3))) {
                out.add(m.id());
            }
        }
        return out;
    }

    private static boolean under(World world, Organization org, String parentId, String ouId) {
        String p = parentId;
        for (int depth = 0; p != null && depth <= Organizations.MAX_OU_DEPTH + 1; depth++) {
            if (p.equals(ouId)) {
                return true;
            }
            if (p.equals(org.rootId())) {
                return false;
            }
            p = world.find(OrganizationalUnit.class, p).map(OrganizationalUnit::parentId).orElse(null);
        }
        return false;
    }

    /**
     * Recomputes the grants of every share whose principal is the organization or one of its OUs: called after
     * accounts join, leave or move, so that a share with an OU reaches the OU's accounts of the moment.
     */
    public static void refreshOrganization(Tx tx, String orgId) {
        Organization org = tx.find(Organization.class, orgId).orElse(null);
        if (org == null) {
            return;
        }
        List<String> principals = new ArrayList<>();
        principals.add(org.arn());
        Organizations.units(tx.world(), org).forEach(u -> principals.add(u.arn()));
        Set<String> shares = new TreeSet<>();
        for (String p : principals) {
            for (ShareAssociation a : Sharing.PRINCIPALS.get(tx.world(), p)) {
                shares.add(a.shareArn());
            }
        }
        for (String arn : shares) {
            tx.find(ResourceShare.class, arn).ifPresent(s -> refreshGrants(tx, s));
        }
    }

    /** Puts the grants the share implies now and removes those it no longer does. */
    static void refreshGrants(Tx tx, ResourceShare share) {
        World world = tx.world();
        Map<String, ResourceGrant> want = new LinkedHashMap<>();
        Set<String> participants = participants(world, share);
        for (ShareAssociation a : Sharing.associations(world, share.arn())) {
            if (!a.associated() || !a.associationType().equals(ShareAssociation.Type.RESOURCE)) {
                continue;
            }
            for (String p : participants) {
                String id = ResourceGrant.idOf(share.arn(), a.resourceId(), p);
                want.put(id, new ResourceGrant(id, share.ownerId(), share.region(), a.resourceId(), p,
                        share.arn()));
            }
        }
        // A grant no longer implied is revoked, not removed: the VPC's owner keeps seeing what participants left.
        for (ResourceGrant g : List.copyOf(Sharing.GRANTS_BY_SHARE.get(world, share.arn()))) {
            boolean wanted = want.containsKey(g.id());
            if (wanted && g.active()) {
                want.remove(g.id());
            } else if (!wanted && g.active()) {
                tx.put(g.revoke());
            }
        }
        want.values().forEach(tx::put);
    }

    /** The shares (of any owner, in the caller's region) that reach the caller's account. */
    public static List<ResourceShare> sharedWith(World world, Caller caller) {
        Set<String> arns = new TreeSet<>();
        String account = caller.accountId();
        List<String> principals = new ArrayList<>();
        principals.add(account);
        Organizations.orgOf(world, account).ifPresent(org -> {
            principals.add(org.arn());
            MemberAccount m = world.find(MemberAccount.class, account).orElse(null);
            String p = m == null ? null : m.parentId();
            for (int depth = 0; p != null && !p.equals(org.rootId()) && depth <= Organizations.MAX_OU_DEPTH; depth++) {
                OrganizationalUnit ou = world.find(OrganizationalUnit.class, p).orElse(null);
                if (ou == null) {
                    break;
                }
                principals.add(ou.arn());
                p = ou.parentId();
            }
        });
        for (String principal : principals) {
            for (ShareAssociation a : Sharing.PRINCIPALS.get(world, principal)) {
                if (a.associated() && a.region().equals(caller.region())) {
                    arns.add(a.shareArn());
                }
            }
        }
        List<ResourceShare> out = new ArrayList<>();
        for (String arn : arns) {
            world.find(ResourceShare.class, arn).filter(s -> s.active() && !s.ownerId().equals(account))
                    .ifPresent(out::add);
        }
        return out;
    }
}
