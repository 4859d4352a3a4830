package dev.underpass.model.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.model.Caller;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The time-driven parts of the peering rules, beside the rules: who sees an ended connection, and for how long. */
class PeeringConnectionsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Caller REQUESTER = Caller.of("111111111111", "us-east-1");
    private static final Caller ACCEPTER = Caller.of("222222222222", "eu-west-1");
    private static final Caller ACCEPTER_ELSEWHERE = Caller.of("222222222222", "us-east-1");

    private static PeeringConnection connection(PeeringConnection.Status status, String changedBy, Caller accepter) {
        return new PeeringConnection("pcx-0123456789abcdef0", REQUESTER.accountId(), REQUESTER.region(),
                new PeeringConnection.Side(REQUESTER.accountId(), REQUESTER.region(), VpcId.of("vpc-0000000000000000a"),
                        List.of("10.0.0.0/16"), List.of(), false),
                new PeeringConnection.Side(accepter.accountId(), accepter.region(), VpcId.of("vpc-0000000000000000b"),
                        List.of(), List.of(), false),
                status, changedBy, T0, T0, Map.of(), Map.of());
    }

    @Test
    void pendingRequest_expiresAfterSevenDays_andStaysListedTwoDaysForBoth() {
        PeeringConnection p = connection(PeeringConnection.Status.PENDING_ACCEPTANCE, null, ACCEPTER);
        Instant justBefore = T0.plus(Duration.ofDays(7)).minusSeconds(1);
        assertThat(PeeringConnections.status(p, justBefore)).isEqualTo(PeeringConnection.Status.PENDING_ACCEPTANCE);
        Instant expired = T0.plus(Duration.ofDays(7));
        assertThat(PeeringConnections.status(p, expired)).isEqualTo(PeeringConnection.Status.EXPIRED);
        assertThat(PeeringConnections.status(p, expired).wire()).isEqualTo("expired");
        assertThat(PeeringConnections.message(p, expired)).isEqualTo("Expired");
        Instant later = expired.plus(Duration.ofDays(2)).minusSeconds(1);
        assertThat(PeeringConnections.visible(p, REQUESTER, later)).isTrue();
        assertThat(PeeringConnections.visible(p, ACCEPTER, later)).isTrue();
        assertThat(PeeringConnections.visible(p, REQUESTER, later.plusSeconds(1))).isFalse();
        assertThat(PeeringConnections.forgotten(p, later.plusSeconds(1))).isTrue();
    }

    @Test
    void sideIsAccountAndRegion() {
        PeeringConnection p = connection(PeeringConnection.Status.ACTIVE, null, ACCEPTER);
        assertThat(PeeringConnections.visible(p, ACCEPTER, T0)).isTrue();
        assertThat(PeeringConnections.visible(p, ACCEPTER_ELSEWHERE, T0)).isFalse();
        assertThat(PeeringConnections.visible(p, Caller.of("333333333333", "us-east-1"), T0)).isFalse();
    }

    @Test
    void endedConnections_listedAsLongAsAwsListsThem() {
        Instant twoHoursOn = T0.plus(Duration.ofHours(2));
        Instant twoDaysOn = T0.plus(Duration.ofDays(2));
        PeeringConnection failed = connection(PeeringConnection.Status.FAILED, null, ACCEPTER);
        assertThat(PeeringConnections.visible(failed, REQUESTER, twoHoursOn.minusSeconds(1))).isTrue();
        assertThat(PeeringConnections.visible(failed, REQUESTER, twoHoursOn)).isFalse();
        assertThat(PeeringConnections.visible(failed, ACCEPTER, T0)).isFalse();

        PeeringConnection rejected = connection(PeeringConnection.Status.REJECTED, ACCEPTER.accountId(), ACCEPTER);
        assertThat(PeeringConnections.visible(rejected, ACCEPTER, twoHoursOn)).isFalse();
        assertThat(PeeringConnections.visible(rejected, REQUESTER, twoDaysOn.minusSeconds(1))).isTrue();
        assertThat(PeeringConnections.visible(rejected, REQUESTER, twoDaysOn)).isFalse();

        PeeringConnection deleted = connection(PeeringConnection.Status.DELETED, REQUESTER.accountId(), ACCEPTER);
        assertThat(PeeringConnections.visible(deleted, REQUESTER, twoHoursOn)).isFalse();
        assertThat(PeeringConnections.visible(deleted, ACCEPTER, twoDaysOn.minusSeconds(1))).isTrue();
        assertThat(PeeringConnections.message(deleted, T0)).isEqualTo("Deleted by 111111111111");

        // Within one account, two hours for everyone.
        Caller sameAccountWest = Caller.of(REQUESTER.accountId(), "eu-west-1");
        PeeringConnection own = connection(PeeringConnection.Status.DELETED, REQUESTER.accountId(), sameAccountWest);
        assertThat(PeeringConnections.visible(own, sameAccountWest, twoHoursOn)).isFalse();
        PeeringConnection ownRejected = connection(PeeringConnection.Status.REJECTED, REQUESTER.accountId(),
                sameAccountWest);
        assertThat(PeeringConnections.visible(ownRejected, REQUESTER, twoHoursOn)).isFalse();
    }

    @Test
    void ipv6BlocksOverlap_failTheRequestToo() {
        Tx tx = new Tx(World.empty(), REQUESTER, T0);
        Vpc a = Vpcs.create(tx, Quotas.defaults(), new Vpcs.Create("10.0.0.0/16", null, false, Map.of()));
        Vpc b = Vpcs.create(tx, Quotas.defaults(), new Vpcs.Create("10.1.0.0/16", null, false, Map.of()));
        String block = "2600:1f18:1234:5600::/56";
        a = tx.put(a.withIpv6Associations(
                List.of(new Vpc.Ipv6Association(VpcCidrAssociationId.of("vpc-cidr-assoc-0aaaaaaaaaaaaaaaa"), block,
                        CidrAssociationState.ASSOCIATED, "us-east-1", "Amazon"))));
        assertThat(PeeringConnections.overlapping(a, b)).isFalse();
        b = tx.put(b.withIpv6Associations(
                List.of(new Vpc.Ipv6Association(VpcCidrAssociationId.of("vpc-cidr-assoc-0bbbbbbbbbbbbbbbb"), block,
                        CidrAssociationState.ASSOCIATED, "us-east-1", "Amazon"))));
        assertThat(PeeringConnections.overlapping(a, b)).isTrue();
        PeeringConnection p = PeeringConnections.create(tx, Quotas.defaults(),
                new PeeringConnections.Create(a.vpcId(), b.vpcId(), null, null, Map.of()));
        assertThat(p.status()).isEqualTo(PeeringConnection.Status.FAILED);
    }

    @Test
    void quotas_peeringValuesSurviveChangesToOtherQuotas() {
        Quotas q = Quotas.defaults().with("active-vpc-peerings-per-vpc", 3).with("vpcs-per-region", 9)
                .with("outstanding-vpc-peering-requests", 4).with("subnets-per-vpc", 7);
        assertThat(q.activePeeringsPerVpc()).isEqualTo(3);
        assertThat(q.outstandingPeeringRequests()).isEqualTo(4);
        assertThat(q.vpcsPerRegion()).isEqualTo(9);
        assertThat(Quotas.defaults().activePeeringsPerVpc()).isEqualTo(50);
        assertThat(Quotas.defaults().outstandingPeeringRequests()).isEqualTo(25);
    }
}
