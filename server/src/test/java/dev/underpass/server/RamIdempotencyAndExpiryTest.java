package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.Caller;
import dev.underpass.model.sharing.ShareInvitation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ram.RamClient;
import software.amazon.awssdk.services.ram.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.ram.model.RamException;
import software.amazon.awssdk.services.ram.model.ResourceShare;
import software.amazon.awssdk.services.ram.model.ResourceShareAssociation;
import software.amazon.awssdk.services.ram.model.ResourceShareInvitation;
import software.amazon.awssdk.services.ram.model.ResourceShareInvitationExpiredException;

/**
 * RAM's {@code clientToken} idempotency on every write that takes one, and invitations that expire after seven
 * days, through the SDK's RamClient against a running server.
 */
class RamIdempotencyAndExpiryTest {
    private static final AtomicLong NEXT = new AtomicLong(640_000_000_000L);

    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    private static RamClient ram(String account) {
        return RamApiTest.ram(UNDERPASS.endpoint(), account);
    }

    private static String account() {
        return Long.toString(NEXT.getAndIncrement());
    }

    private static void assertError(Runnable call, Class<? extends RamException> type, String code) {
        AwsAssertions.assertAwsError(call, type, code, 400);
    }

    private static List<ResourceShare> ownShares(String account) {
        return ram(account).getResourceShares(r -> r.resourceOwner("SELF")).resourceShares();
    }

    /** Moves a stored invitation's sending time back by {@code ago}. */
    private static void age(String sender, String invitationArn, Duration ago) {
        UNDERPASS.server().store().writeAndWait(Caller.of(sender, "us-east-1"), tx -> {
            ShareInvitation i = tx.find(ShareInvitation.class, invitationArn).orElseThrow();
            return tx.put(new ShareInvitation(i.id(), i.ownerId(), i.region(), i.shareArn(), i.shareName(),
                    i.receiverAccountId(), i.status(), i.createdAt().minus(ago)));
        });
    }

    @Test
    void createResourceShare_sameToken_sameShare_otherParameters_mismatch() {
        RamApiTest.Org o = RamApiTest.organization(UNDERPASS.endpoint(), true);
        RamClient owner = ram(o.owner());
        ResourceShare first = owner.createResourceShare(r -> r.name("net").clientToken("tok-1")
                .resourceArns(o.subnetArn(o.subnet1())).principals(o.ouArn())).resourceShare();
        ResourceShare again = owner.createResourceShare(r -> r.name("net").clientToken("tok-1")
                .resourceArns(o.subnetArn(o.subnet1())).principals(o.ouArn())).resourceShare();
        assertThat(again.resourceShareArn()).isEqualTo(first.resourceShareArn());
        assertThat(again.name()).isEqualTo("net");
        assertThat(ownShares(o.owner())).hasSize(1);

        assertError(() -> owner.createResourceShare(r -> r.name("other").clientToken("tok-1")
                .resourceArns(o.subnetArn(o.subnet1())).principals(o.ouArn())),
                IdempotentParameterMismatchException.class, "IdempotentParameterMismatchException");
        // The same token on another operation is a mismatch too; nothing changed.
        assertError(() -> owner.updateResourceShare(r -> r.resourceShareArn(first.resourceShareArn()).name("x")
                .clientToken("tok-1")),
                IdempotentParameterMismatchException.class, "IdempotentParameterMismatchException");
        assertThat(ownShares(o.owner())).singleElement().satisfies(s -> assertThat(s.name()).isEqualTo("net"));
        // Another account's identical token is its own.
        String stranger = account();
        assertThat(ram(stranger).createResourceShare(r -> r.name("net").clientToken("tok-1")).resourceShare()
                .resourceShareArn()).isNotEqualTo(first.resourceShareArn());
        // Without a token, each call creates.
        owner.createResourceShare(r -> r.name("plain"));
        owner.createResourceShare(r -> r.name("plain"));
        assertThat(ownShares(o.owner())).hasSize(3);
    }

    @Test
    void associateDisassociateUpdateDelete_retriedWithTheirToken_changeNothingAgain() {
        RamApiTest.Org o = RamApiTest.organization(UNDERPASS.endpoint(), true);
        RamClient owner = ram(o.owner());
        String arn = owner.createResourceShare(r -> r.name("net").resourceArns(o.subnetArn(o.subnet1()))
                .principals(o.a())).resourceShare().resourceShareArn();

        List<ResourceShareAssociation> added = owner.associateResourceShare(r -> r.resourceShareArn(arn)
                .resourceArns(o.subnetArn(o.subnet2())).clientToken("assoc")).resourceShareAssociations();
        List<ResourceShareAssociation> addedAgain = owner.associateResourceShare(r -> r.resourceShareArn(arn)
                .resourceArns(o.subnetArn(o.subnet2())).clientToken("assoc")).resourceShareAssociations();
        assertThat(addedAgain).extracting(ResourceShareAssociation::associatedEntity)
                .isEqualTo(added.stream().map(ResourceShareAssociation::associatedEntity).toList());
        assertThat(addedAgain).extracting(ResourceShareAssociation::lastUpdatedTime)
                .isEqualTo(added.stream().map(ResourceShareAssociation::lastUpdatedTime).toList());
        assertError(() -> owner.associateResourceShare(r -> r.resourceShareArn(arn).principals(o.b())
                .clientToken("assoc")),
                IdempotentParameterMismatchException.class, "IdempotentParameterMismatchException");
        assertThat(owner.listPrincipals(r -> r.resourceOwner("SELF").resourceShareArns(arn)).principals())
                .extracting(p -> p.id()).containsExactly(o.a());

        owner.disassociateResourceShare(r -> r.resourceShareArn(arn).resourceArns(o.subnetArn(o.subnet2()))
                .clientToken("dis"));
        // Re-added without a token, then the disassociation retried: the retry does not remove it again.
        owner.associateResourceShare(r -> r.resourceShareArn(arn).resourceArns(o.subnetArn(o.subnet2())));
        owner.disassociateResourceShare(r -> r.resourceShareArn(arn).resourceArns(o.subnetArn(o.subnet2()))
                .clientToken("dis"));
        assertThat(owner.listResources(r -> r.resourceOwner("SELF").resourceShareArns(arn)).resources())
                .hasSize(2);

        assertThat(owner.updateResourceShare(r -> r.resourceShareArn(arn).name("renamed").clientToken("up"))
                .resourceShare().name()).isEqualTo("renamed");
        assertThat(owner.updateResourceShare(r -> r.resourceShareArn(arn).name("renamed").clientToken("up"))
                .resourceShare().name()).isEqualTo("renamed");
        assertError(() -> owner.updateResourceShare(r -> r.resourceShareArn(arn).name("again").clientToken("up")),
                IdempotentParameterMismatchException.class, "IdempotentParameterMismatchException");

        assertThat(owner.deleteResourceShare(r -> r.resourceShareArn(arn).clientToken("del")).returnValue())
                .isTrue();
        // A retry of the delete answers as the first did, where a tokenless second delete is refused.
        assertThat(owner.deleteResourceShare(r -> r.resourceShareArn(arn).clientToken("del")).returnValue())
                .isTrue();
        assertThatThrownBy(() -> owner.deleteResourceShare(r -> r.resourceShareArn(arn)))
                .isInstanceOf(RamException.class);
        assertThat(ownShares(o.owner())).singleElement()
                .satisfies(s -> assertThat(s.statusAsString()).isEqualTo("DELETED"));
    }

    private static String prefixListShare(RamApiTest.Org o, String... principals) {
        String pl = UNDERPASS.ec2(o.owner()).createManagedPrefixList(r -> r.prefixListName("corp")
                .addressFamily("IPv4").maxEntries(5)).prefixList().prefixListId();
        String plArn = "arn:aws:ec2:us-east-1:" + o.owner() + ":prefix-list/" + pl;
        return ram(o.owner()).createResourceShare(r -> r.name("pl").resourceArns(plArn).principals(principals))
                .resourceShare().resourceShareArn();
    }

    private static ResourceShareInvitation invitation(String receiver, String shareArn) {
        return ram(receiver).getResourceShareInvitations(r -> r.resourceShareArns(shareArn))
                .resourceShareInvitations().get(0);
    }

    @Test
    void acceptAndReject_retriedWithTheirToken_answerAsTheFirstTime() {
        RamApiTest.Org o = RamApiTest.organization(UNDERPASS.endpoint(), true);
        String outsider = account();
        String other = account();
        String share = prefixListShare(o, outsider, other);
        String inv = invitation(outsider, share).resourceShareInvitationArn();
        for (int i = 0; i < 2; i++) {
            assertThat(ram(outsider).acceptResourceShareInvitation(r -> r.resourceShareInvitationArn(inv)
                    .clientToken("acc")).resourceShareInvitation().statusAsString()).isEqualTo("ACCEPTED");
        }
        assertError(() -> ram(outsider).acceptResourceShareInvitation(r -> r.resourceShareInvitationArn(inv)),
                software.amazon.awssdk.services.ram.model.ResourceShareInvitationAlreadyAcceptedException.class,
                "ResourceShareInvitationAlreadyAcceptedException");
        String otherInv = invitation(other, share).resourceShareInvitationArn();
        for (int i = 0; i < 2; i++) {
            assertThat(ram(other).rejectResourceShareInvitation(r -> r.resourceShareInvitationArn(otherInv)
                    .clientToken("rej")).resourceShareInvitation().statusAsString()).isEqualTo("REJECTED");
        }
        // The receiver's token used for another invitation is a mismatch.
        assertError(() -> ram(other).rejectResourceShareInvitation(r -> r.resourceShareInvitationArn(inv)
                .clientToken("rej")),
                IdempotentParameterMismatchException.class, "IdempotentParameterMismatchException");
    }

    @Test
    void invitation_unansweredForSevenDays_readsExpired_andCannotBeAnswered() {
        RamApiTest.Org o = RamApiTest.organization(UNDERPASS.endpoint(), true);
        String outsider = account();
        String share = prefixListShare(o, outsider);
        ResourceShareInvitation inv = invitation(outsider, share);
        assertThat(inv.statusAsString()).isEqualTo("PENDING");

        age(o.owner(), inv.resourceShareInvitationArn(), Duration.ofDays(7).minusMinutes(1));
        assertThat(invitation(outsider, share).statusAsString()).isEqualTo("PENDING");
        age(o.owner(), inv.resourceShareInvitationArn(), Duration.ofMinutes(2));
        assertThat(invitation(outsider, share).statusAsString()).isEqualTo("EXPIRED");

        String arn = inv.resourceShareInvitationArn();
        assertError(() -> ram(outsider).acceptResourceShareInvitation(r -> r.resourceShareInvitationArn(arn)),
                ResourceShareInvitationExpiredException.class, "ResourceShareInvitationExpiredException");
        assertError(() -> ram(outsider).rejectResourceShareInvitation(r -> r.resourceShareInvitationArn(arn)),
                ResourceShareInvitationExpiredException.class, "ResourceShareInvitationExpiredException");
        assertError(() -> ram(outsider).listPendingInvitationResources(r -> r.resourceShareInvitationArn(arn)),
                ResourceShareInvitationExpiredException.class, "ResourceShareInvitationExpiredException");
        // Nothing was granted and the invitation still reads EXPIRED.
        assertThat(ram(outsider).listResources(r -> r.resourceOwner("OTHER-ACCOUNTS")).resources()).isEmpty();
        assertThat(invitation(outsider, share).statusAsString()).isEqualTo("EXPIRED");
    }
}
