package dev.underpass.model.org;

import static dev.underpass.model.org.Organizations.HANDSHAKE_LIFETIME;
import static dev.underpass.model.org.Organizations.emailOf;
import static dev.underpass.model.org.Organizations.handshakes;
import static dev.underpass.model.org.Organizations.orgOf;
import static dev.underpass.model.org.Organizations.random;
import static dev.underpass.model.org.Organizations.requireManagement;
import static dev.underpass.model.org.Organizations.stateAt;

import dev.underpass.model.Tx;
import dev.underpass.model.World;
import java.util.Map;

/**
 * Joining an organization by invitation: InviteAccountToOrganization opens an {@code INVITE} handshake that the
 * invited account accepts or declines and the management account may cancel; an open handshake reads
 * {@code EXPIRED} after {@link Organizations#HANDSHAKE_LIFETIME}. A state machine of its own, hence its own class.
 */
public final class OrgHandshakes {
    private OrgHandshakes() {}

    /** InviteAccountToOrganization: an open INVITE handshake to a 12-digit account. */
    public static Handshake invite(Tx tx, String accountId, String notes) {
        Organization org = requireManagement(tx.world(), tx.caller().accountId());
        if (orgOf(tx.world(), accountId).isPresent()) {
            throw OrgErrors.alreadyInAnOrganization();
        }
        for (Handshake h : handshakes(tx.world(), org)) {
            if (h.targetAccountId().equals(accountId) && stateAt(h, tx.now()) == Handshake.State.OPEN) {
                throw OrgError.DUPLICATE_HANDSHAKE.with("A handshake with the same action and target already "
                        + "exists.");
            }
        }
        String id;
        do {
            id = "h-" + random(10);
        } while (tx.find(Handshake.class, id).isPresent());
        return tx.put(new Handshake(id, org.managementAccountId(), Organization.REGION, org.id(), "INVITE",
                accountId, Handshake.State.OPEN, notes, tx.now(), tx.now().plus(HANDSHAKE_LIFETIME)));
    }

    /** A handshake the caller is a party to (its organization's management account, or the invited account). */
    public static Handshake requireHandshake(World world, String caller, String handshakeId) {
        Handshake h = world.find(Handshake.class, handshakeId).orElse(null);
        if (h == null || !(h.targetAccountId().equals(caller) || h.ownerId().equals(caller))) {
            throw OrgError.HANDSHAKE_NOT_FOUND.with("We can't find a handshake with the HandshakeId that you "
                    + "specified.");
        }
        return h;
    }

    /**
     * AcceptHandshake (accept) or DeclineHandshake: only the invited account answers an invitation; accepting
     * makes it a member under the root with the default policies of the enabled types.
     */
    public static Handshake answer(Tx tx, String handshakeId, boolean accept) {
        String caller = tx.caller().accountId();
        Handshake h = requireHandshake(tx.world(), caller, handshakeId);
        Handshake.State wanted = accept ? Handshake.State.ACCEPTED : Handshake.State.DECLINED;
        Handshake.State state = stateAt(h, tx.now());
        if (state == wanted) {
            throw OrgError.HANDSHAKE_ALREADY_IN_STATE.format("The handshake is already in the %s state.", wanted);
        }
        if (!h.targetAccountId().equals(caller)) {
            throw OrgErrors.accessDenied("Only the invited account can accept or decline an invitation.");
        }
        if (state != Handshake.State.OPEN) {
            throw OrgErrors.invalidHandshakeTransition(state.wire());
        }
        if (accept) {
            Organization org = tx.find(Organization.class, h.orgId()).orElseThrow(
                    () -> OrgError.INVALID_HANDSHAKE_TRANSITION.with("The organization of the handshake no longer "
                            + "exists."));
            if (orgOf(tx.world(), caller).isPresent()) {
                throw OrgErrors.alreadyInAnOrganization();
            }
            tx.put(new MemberAccount(caller, org.managementAccountId(), Organization.REGION, org.id(),
                    org.rootId(), "account-" + caller, emailOf(caller), "INVITED", tx.now(), Map.of()));
            OrgPolicies.attachDefaults(tx, org, caller);
        }
        return tx.put(h.withState(wanted));
    }

    /** CancelHandshake by the organization's management account. */
    public static Handshake cancel(Tx tx, String handshakeId) {
        String caller = tx.caller().accountId();
        Handshake h = requireHandshake(tx.world(), caller, handshakeId);
        if (!h.ownerId().equals(caller)) {
            throw OrgErrors.accessDenied("Only the organization's management account can cancel an invitation.");
        }
        Handshake.State state = stateAt(h, tx.now());
        if (state == Handshake.State.CANCELED) {
            throw OrgError.HANDSHAKE_ALREADY_IN_STATE.with("The handshake is already in the CANCELED state.");
        }
        if (state != Handshake.State.OPEN) {
            throw OrgErrors.invalidHandshakeTransition(state.wire());
        }
        return tx.put(h.withState(Handshake.State.CANCELED));
    }
}
