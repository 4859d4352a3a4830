package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.aws.ec2.Ec2Api;
import dev.underpass.model.ec2.Quotas;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ram.RamClient;
import software.amazon.awssdk.services.ram.model.ResourceShareAssociation;

/**
 * RAM associations pass through {@code ASSOCIATING} and {@code DISASSOCIATING} for the server's instance transition,
 * as EC2 instances pass through {@code pending}: the server runs on a clock the test moves by hand, so every status
 * is observed at a known instant and no assertion depends on how fast the machine is.
 */
class RamAssociationTransitionTest {
    private static final Duration TRANSITION = Duration.ofMinutes(1);
    private static final ManualClock CLOCK = new ManualClock(Instant.now());

    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension(ServerConfig.forTests()
            .withEc2(new Ec2Api.Settings(TRANSITION, true, Quotas.defaults()))
            .withSources(ServerConfig.Sources.system().withClock(CLOCK)));

    /** A clock that stands still until the test moves it. */
    static final class ManualClock extends Clock {
        private final AtomicReference<Instant> now;

        ManualClock(Instant start) {
            this.now = new AtomicReference<>(start);
        }

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private static RamClient ram(String account) {
        return RamApiTest.ram(UNDERPASS.endpoint(), account);
    }

    private static List<String> statuses(RamClient ram, String shareArn, String type, String status) {
        return ram.getResourceShareAssociations(r -> r.associationType(type).resourceShareArns(shareArn)
                .associationStatus(status)).resourceShareAssociations().stream()
                .map(ResourceShareAssociation::associatedEntity).toList();
    }

    @Test
    void associateAndDisassociate_readTransitionalStatus_thenSettle() {
        RamApiTest.Org o = RamApiTest.organization(UNDERPASS.endpoint(), true);
        RamClient ram = ram(o.owner());
        String subnet1 = o.subnetArn(o.subnet1());
        String arn = ram.createResourceShare(r -> r.name("transition").resourceArns(subnet1)
                .principals(o.a())).resourceShare().resourceShareArn();

        // Just made: both associations read ASSOCIATING, and the status filter agrees.
        assertThat(ram.getResourceShareAssociations(r -> r.associationType("RESOURCE").resourceShareArns(arn))
                .resourceShareAssociations()).singleElement()
                .satisfies(a -> assertThat(a.statusAsString()).isEqualTo("ASSOCIATING"));
        assertThat(statuses(ram, arn, "PRINCIPAL", "ASSOCIATING")).containsExactly(o.a());
        assertThat(statuses(ram, arn, "PRINCIPAL", "ASSOCIATED")).isEmpty();

        CLOCK.advance(TRANSITION.plusSeconds(1));
        assertThat(statuses(ram, arn, "RESOURCE", "ASSOCIATED")).containsExactly(subnet1);
        assertThat(statuses(ram, arn, "PRINCIPAL", "ASSOCIATED")).containsExactly(o.a());
        assertThat(statuses(ram, arn, "PRINCIPAL", "ASSOCIATING")).isEmpty();

        // A later association answers ASSOCIATING in its own response, while the settled ones stay settled.
        String subnet2 = o.subnetArn(o.subnet2());
        assertThat(ram.associateResourceShare(r -> r.resourceShareArn(arn).resourceArns(subnet2))
                .resourceShareAssociations()).singleElement().satisfies(a -> {
                    assertThat(a.associatedEntity()).isEqualTo(subnet2);
                    assertThat(a.statusAsString()).isEqualTo("ASSOCIATING");
                });
        assertThat(statuses(ram, arn, "RESOURCE", "ASSOCIATED")).containsExactly(subnet1);

        // Removing the principal: DISASSOCIATING, then DISASSOCIATED.
        assertThat(ram.disassociateResourceShare(r -> r.resourceShareArn(arn).principals(o.a()))
                .resourceShareAssociations()).singleElement()
                .satisfies(a -> assertThat(a.statusAsString()).isEqualTo("DISASSOCIATING"));
        assertThat(statuses(ram, arn, "PRINCIPAL", "DISASSOCIATING")).containsExactly(o.a());
        CLOCK.advance(TRANSITION.plusSeconds(1));
        assertThat(statuses(ram, arn, "PRINCIPAL", "DISASSOCIATED")).containsExactly(o.a());
        assertThat(statuses(ram, arn, "PRINCIPAL", "DISASSOCIATING")).isEmpty();
        assertThat(statuses(ram, arn, "RESOURCE", "ASSOCIATED")).containsExactlyInAnyOrder(subnet1, subnet2);
    }

    @Test
    void externalPrincipal_staysAssociatingUntilAccepted_thenTransitions() {
        RamApiTest.Org o = RamApiTest.organization(UNDERPASS.endpoint(), true);
        String outsider = "629" + Long.toString(System.nanoTime() % 1_000_000_000L + 1_000_000_000L).substring(1);
        String pl = UNDERPASS.ec2(o.owner()).createManagedPrefixList(r -> r.prefixListName("corp")
                .addressFamily("IPv4").maxEntries(5)).prefixList().prefixListId();
        String plArn = "arn:aws:ec2:us-east-1:" + o.owner() + ":prefix-list/" + pl;
        RamClient ram = ram(o.owner());
        String arn = ram.createResourceShare(r -> r.name("pl").resourceArns(plArn).principals(outsider))
                .resourceShare().resourceShareArn();
        CLOCK.advance(TRANSITION.multipliedBy(3));
        // Waiting does not settle it: the outsider has not answered its invitation.
        assertThat(statuses(ram, arn, "PRINCIPAL", "ASSOCIATING")).containsExactly(outsider);
        String inv = ram(outsider).getResourceShareInvitations(r -> r.resourceShareArns(arn))
                .resourceShareInvitations().get(0).resourceShareInvitationArn();
        ram(outsider).acceptResourceShareInvitation(r -> r.resourceShareInvitationArn(inv));
        assertThat(statuses(ram, arn, "PRINCIPAL", "ASSOCIATING")).containsExactly(outsider);
        CLOCK.advance(TRANSITION.plusSeconds(1));
        assertThat(statuses(ram, arn, "PRINCIPAL", "ASSOCIATED")).containsExactly(outsider);
    }
}
