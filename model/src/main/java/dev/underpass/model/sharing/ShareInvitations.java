package dev.underpass.model.sharing;

import dev.underpass.model.Tx;
import dev.underpass.model.World;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * RAM invitations for accounts outside the owner's organization: their status as a client sees it (pending ones
 * expire), and accepting or rejecting them. Split from {@link Sharing}, which creates the invitations when an
 * external principal is associated, to keep each class on one topic.
 */
public final class ShareInvitations {
    private ShareInvitations() {}

    /** How long an invitation waits for an answer before it reads {@code EXPIRED} (AWS: seven days). */
    public static final Duration INVITATION_EXPIRY = Duration.ofDays(7);

    /** The status a client sees at {@code now}: a pending invitation past its expiry reads {@code EXPIRED}. */
    public static ShareInvitation.Status invitationStatus(ShareInvitation inv, Instant now) {
        if (inv.status() == ShareInvitation.Status.PENDING && !now.isBefore(inv.createdAt().plus(INVITATION_EXPIRY))) {
            return ShareInvitation.Status.EXPIRED;
        }
        return inv.status();
    }

    /** Refuses an invitation that has been answered or has expired, with AWS's code for each. */
    public static void requirePending(ShareInvitation inv, Instant now) {
        switch (invitationStatus(inv, now)) {
            case ACCEPTED -> throw RamError.INVITATION_ALREADY_ACCEPTED.with("The invitation "
                    + inv.id() + " has already been accepted.");
            case REJECTED -> throw RamError.INVITATION_ALREADY_REJECTED.with("The invitation "
                    + inv.id() + " has already been rejected.");
            case EXPIRED -> throw RamError.INVITATION_EXPIRED.with("The invitation " + inv.id()
                    + " expired at " + inv.createdAt().plus(INVITATION_EXPIRY) + ".");
            case PENDING -> {
            }
        }
    }

    /** Invitations to the caller, newest last. */
    public static List<ShareInvitation> invitationsTo(World world, String accountId) {
        return List.copyOf(Sharing.INVITATIONS_BY_RECEIVER.get(world, accountId));
    }

    /** Accept or reject a pending invitation to the caller. */
    public static ShareInvitation answer(Tx tx, String invitationArn, boolean accept) {
        if (invitationArn == null || invitationArn.isEmpty()) {
            throw RamErrors.missingParameter("resourceShareInvitationArn");
        }
        if (!Sharing.INVITATION_ARN.matcher(invitationArn).matches()) {
            throw RamError.MALFORMED_ARN.with("The specified invitation ARN " + invitationArn + " is not valid.");
        }
        ShareInvitation inv = tx.find(ShareInvitation.class, invitationArn)
                .filter(i -> i.receiverAccountId().equals(tx.caller().accountId()))
                .orElseThrow(() -> RamError.INVITATION_NOT_FOUND.with("The invitation " + invitationArn
                        + " could not be found."));
        requirePending(inv, tx.now());
        ShareInvitation answered =
                inv.withStatus(accept ? ShareInvitation.Status.ACCEPTED : ShareInvitation.Status.REJECTED);
        tx.put(answered);
        String assocId =
                ShareAssociation.idOf(inv.shareArn(), ShareAssociation.Type.PRINCIPAL, inv.receiverAccountId());
        tx.find(ShareAssociation.class, assocId).filter(ShareAssociation::current).ifPresent(a -> tx.put(
                a.withStatus(accept ? ShareAssociation.Status.ASSOCIATED : ShareAssociation.Status.DISASSOCIATED,
                        tx.now())));
        tx.find(ResourceShare.class, inv.shareArn()).ifPresent(s -> ShareReach.refreshGrants(tx, s));
        return answered;
    }
}
