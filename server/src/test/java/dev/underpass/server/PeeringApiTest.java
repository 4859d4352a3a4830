package dev.underpass.server;

import static dev.underpass.server.Ec2Assertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.model.Caller;
import dev.underpass.model.ec2.PeeringConnection;
import dev.underpass.model.ec2.Quotas;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CidrBlock;
import software.amazon.awssdk.services.ec2.model.DescribeVpcPeeringConnectionsResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ModifyVpcPeeringConnectionOptionsResponse;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.VpcPeeringConnection;

/**
 * VPC peering through the SDK: the life cycle as each side sees it, in one account and across accounts and regions,
 * routes to {@code pcx-} targets, the per-side options, the errors AWS answers, quotas, time-driven states and
 * durability. Every test uses fresh accounts, so none needs tearing down.
 */
class PeeringApiTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    /** A server with two outstanding requests per account and region and one active peering per VPC. */
    @RegisterExtension
    static final UnderpassExtension TIGHT = UnderpassExtension.withQuotas(Quotas.defaults()
            .with("outstanding-vpc-peering-requests", 2).with("active-vpc-peerings-per-vpc", 1));

    private static final AtomicInteger ACCOUNTS = new AtomicInteger();
    private static final String EAST = "us-east-1";
    private static final String WEST = "eu-west-1";

    private static String freshAccount() {
        return String.format("6%011d", ACCOUNTS.incrementAndGet());
    }

    private static String vpc(Ec2Client ec2, String cidr) {
        return ec2.createVpc(r -> r.cidrBlock(cidr)).vpc().vpcId();
    }

    private static VpcPeeringConnection describe(Ec2Client ec2, String id) {
        return ec2.describeVpcPeeringConnections(r -> r.vpcPeeringConnectionIds(id)).vpcPeeringConnections().get(0);
    }

    private static String mainTable(Ec2Client ec2, String vpcId) {
        return ec2.describeRouteTables(r -> r.filters(Filter.builder().name("vpc-id").values(vpcId).build(),
                Filter.builder().name("association.main").values("true").build())).routeTables().get(0)
                .routeTableId();
    }

    private static Route route(Ec2Client ec2, String tableId, String destination) {
        RouteTable t = ec2.describeRouteTables(r -> r.routeTableIds(tableId)).routeTables().get(0);
        return t.routes().stream().filter(r -> destination.equals(r.destinationCidrBlock())).findFirst()
                .orElseThrow();
    }

    private static String peer(Ec2Client ec2, String vpcId, String peerVpcId) {
        return ec2.createVpcPeeringConnection(r -> r.vpcId(vpcId).peerVpcId(peerVpcId)).vpcPeeringConnection()
                .vpcPeeringConnectionId();
    }

    /** {@code ec2}'s pending request to peer {@code vpcId} with {@code peerOwner}'s {@code peerVpcId}. */
    private static String request(Ec2Client ec2, String vpcId, String peerVpcId, String peerOwner) {
        return ec2.createVpcPeeringConnection(r -> r.vpcId(vpcId).peerVpcId(peerVpcId).peerOwnerId(peerOwner))
                .vpcPeeringConnection().vpcPeeringConnectionId();
    }

    /**
     * Where the life-cycle tests start: two fresh accounts with a VPC each in us-east-1 ({@code a} the requester's,
     * {@code b} the accepter's), and the requester's pending request {@code id} to peer them.
     */
    private record Pending(String accepter, Ec2Client east, Ec2Client accepterEast, String a, String b, String id) {
        static Pending between(String requesterCidr, String accepterCidr) {
            String requester = freshAccount();
            String accepter = freshAccount();
            Ec2Client east = UNDERPASS.ec2(requester, EAST);
            Ec2Client accepterEast = UNDERPASS.ec2(accepter, EAST);
            String a = vpc(east, requesterCidr);
            String b = vpc(accepterEast, accepterCidr);
            return new Pending(accepter, east, accepterEast, a, b, request(east, a, b, accepter));
        }
    }

    /** Moves a stored connection's clock back, as if its creation and last change happened {@code ago}. */
    private static void age(UnderpassExtension server, String id, Duration ago) {
        server.server().store().writeAndWait(Caller.of("000000000000", EAST), tx -> {
            PeeringConnection p = tx.find(PeeringConnection.class, id).orElseThrow();
            return tx.put(new PeeringConnection(p.id(), p.ownerId(), p.region(), p.requester(), p.accepter(),
                    p.status(), p.changedBy(), p.createdAt().minus(ago), p.statusChangedAt().minus(ago), p.tags(),
                    p.accepterTags()));
        });
    }

    @Test
    void sameAccount_requestAcceptRouteDelete_followsAwsLifeCycle() {
        String account = freshAccount();
        Ec2Client ec2 = UNDERPASS.ec2(account);
        String a = vpc(ec2, "10.1.0.0/16");
        String b = vpc(ec2, "10.2.0.0/16");
        Instant before = Instant.now().minusSeconds(1);
        VpcPeeringConnection created = ec2.createVpcPeeringConnection(r -> r.vpcId(a).peerVpcId(b)
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.VPC_PEERING_CONNECTION)
                        .tags(Tag.builder().key("Name").value("a-b").build()).build()))
                .vpcPeeringConnection();
        String id = created.vpcPeeringConnectionId();
        assertThat(id).matches("pcx-0[0-9a-f]{16}");
        assertThat(created.status().codeAsString()).isEqualTo("initiating-request");
        assertThat(created.status().message()).isEqualTo("Initiating Request to " + account);
        assertThat(created.requesterVpcInfo().vpcId()).isEqualTo(a);
        assertThat(created.requesterVpcInfo().cidrBlock()).isEqualTo("10.1.0.0/16");
        assertThat(created.requesterVpcInfo().region()).isEqualTo(EAST);
        assertThat(created.accepterVpcInfo().vpcId()).isEqualTo(b);
        assertThat(created.accepterVpcInfo().ownerId()).isEqualTo(account);
        assertThat(created.accepterVpcInfo().region()).isEqualTo(EAST);
        assertThat(created.accepterVpcInfo().cidrBlock()).isNull();
        assertThat(created.tags()).containsExactly(Tag.builder().key("Name").value("a-b").build());

        VpcPeeringConnection pending = describe(ec2, id);
        assertThat(pending.status().codeAsString()).isEqualTo("pending-acceptance");
        assertThat(pending.status().message()).isEqualTo("Pending Acceptance by " + account);
        assertThat(pending.expirationTime()).isBetween(before.plus(Duration.ofDays(7)),
                Instant.now().plus(Duration.ofDays(7)).plusSeconds(1));
        assertThat(pending.accepterVpcInfo().cidrBlock()).isNull();

        String tableA = mainTable(ec2, a);
        // A route may target only an active connection.
        assertError(() -> ec2.createRoute(r -> r.routeTableId(tableA).destinationCidrBlock("10.2.0.0/16")
                .vpcPeeringConnectionId(id)), "InvalidParameterValue");

        VpcPeeringConnection accepted = ec2.acceptVpcPeeringConnection(r -> r.vpcPeeringConnectionId(id))
                .vpcPeeringConnection();
        assertThat(accepted.status().codeAsString()).isEqualTo("provisioning");
        VpcPeeringConnection active = describe(ec2, id);
        assertThat(active.status().codeAsString()).isEqualTo("active");
        assertThat(active.status().message()).isEqualTo("Active");
        assertThat(active.expirationTime()).isNull();
        assertThat(active.accepterVpcInfo().cidrBlock()).isEqualTo("10.2.0.0/16");
        assertThat(active.accepterVpcInfo().cidrBlockSet()).extracting(CidrBlock::cidrBlock)
                .containsExactly("10.2.0.0/16");
        assertThat(active.accepterVpcInfo().peeringOptions().allowDnsResolutionFromRemoteVpc()).isFalse();

        String tableB = mainTable(ec2, b);
        ec2.createRoute(r -> r.routeTableId(tableA).destinationCidrBlock("10.2.0.0/16").vpcPeeringConnectionId(id));
        ec2.createRoute(r -> r.routeTableId(tableB).destinationCidrBlock("10.1.0.0/16").vpcPeeringConnectionId(id));
        Route toB = route(ec2, tableA, "10.2.0.0/16");
        assertThat(toB.vpcPeeringConnectionId()).isEqualTo(id);
        assertThat(toB.gatewayId()).isNull();
        assertThat(toB.stateAsString()).isEqualTo("active");
        assertThat(ec2.describeRouteTables(r -> r.filters(Filter.builder().name("route.vpc-peering-connection-id")
                .values(id).build())).routeTables()).extracting(RouteTable::routeTableId)
                .containsExactlyInAnyOrder(tableA, tableB);

        // Accepting twice is a state error; so is rejecting an active connection.
        assertError(() -> ec2.acceptVpcPeeringConnection(r -> r.vpcPeeringConnectionId(id)),
                "InvalidStateTransition");
        assertError(() -> ec2.rejectVpcPeeringConnection(r -> r.vpcPeeringConnectionId(id)),
                "InvalidStateTransition");

        assertThat(ec2.deleteVpcPeeringConnection(r -> r.vpcPeeringConnectionId(id)).returnValue()).isTrue();
        VpcPeeringConnection deleted = describe(ec2, id);
        assertThat(deleted.status().codeAsString()).isEqualTo("deleted");
        assertThat(deleted.status().message()).isEqualTo("Deleted by " + account);
        assertThat(route(ec2, tableA, "10.2.0.0/16").stateAsString()).isEqualTo("blackhole");
        assertThat(route(ec2, tableB, "10.1.0.0/16").stateAsString()).isEqualTo("blackhole");
        assertError(() -> ec2.deleteVpcPeeringConnection(r -> r.vpcPeeringConnectionId(id)),
                "InvalidStateTransition",
                "Invalid state transition for " + id + ", attempted to transition from deleted to deleting");
        // A new request between the same VPCs is allowed once the old one is over.
        String again = peer(ec2, a, b);
        assertThat(describe(ec2, again).status().codeAsString()).isEqualTo("pending-acceptance");
        assertError(() -> peer(ec2, b, a), "VpcPeeringConnectionAlreadyExists");
    }

    @Test
    void crossAccountCrossRegion_onlyTheAccepterAcceptsAndEachSideSeesItsOwnView() {
        String requester = freshAccount();
        String accepter = freshAccount();
        String stranger = freshAccount();
        Ec2Client east = UNDERPASS.ec2(requester, EAST);
        Ec2Client west = UNDERPASS.ec2(accepter, WEST);
        String a = vpc(east, "10.10.0.0/16");
        String b = vpc(west, "10.20.0.0/16");
        String id = east.createVpcPeeringConnection(r -> r.vpcId(a).peerVpcId(b).peerOwnerId(accepter)
                .peerRegion(WEST).tagSpecifications(TagSpecification.builder()
                        .resourceType(ResourceType.VPC_PEERING_CONNECTION)
                        .tags(Tag.builder().key("side").value("requester").build()).build()))
                .vpcPeeringConnection().vpcPeeringConnectionId();

        VpcPeeringConnection seenByAccepter = describe(west, id);
        assertThat(seenByAccepter.status().codeAsString()).isEqualTo("pending-acceptance");
        assertThat(seenByAccepter.status().message()).isEqualTo("Pending Acceptance by " + accepter);
        assertThat(seenByAccepter.requesterVpcInfo().ownerId()).isEqualTo(requester);
        assertThat(seenByAccepter.requesterVpcInfo().region()).isEqualTo(EAST);
        assertThat(seenByAccepter.accepterVpcInfo().region()).isEqualTo(WEST);
        // Tags stay on the side that created them.
        assertThat(seenByAccepter.tags()).isEmpty();
        assertThat(describe(east, id).tags()).extracting(Tag::value).containsExactly("requester");

        // Nobody else sees it: not the accepter's account in another region, not the requester in the peer's
        // region, not a third account anywhere.
        for (Ec2Client outsider : List.of(UNDERPASS.ec2(accepter, EAST), UNDERPASS.ec2(requester, WEST),
                UNDERPASS.ec2(stranger, EAST), UNDERPASS.ec2(stranger, WEST))) {
            assertError(() -> describe(outsider, id), "InvalidVpcPeeringConnectionID.NotFound",
                    "The vpcPeeringConnection ID '" + id + "' does not exist");
            assertThat(outsider.describeVpcPeeringConnections().vpcPeeringConnections()).isEmpty();
            assertError(() -> outsider.acceptVpcPeeringConnection(r -> r.vpcPeeringConnectionId(id)),
                    "InvalidVpcPeeringConnectionID.NotFound");
            assertError(() -> outsider.deleteVpcPeeringConnection(r -> r.vpcPeeringConnectionId(id)),
                    "InvalidVpcPeeringConnectionID.NotFound");
        }
        // The requester can neither accept nor reject its own request to another account.
        assertError(() -> east.acceptVpcPeeringConnection(r -> r.vpcPeeringConnectionId(id)),
                "OperationNotPermitted");
        assertError(() -> east.rejectVpcPeeringConnection(r -> r.vpcPeeringConnectionId(id)),
                "OperationNotPermitted");
        // Nor may the accepter delete a pending request.
        assertError(() -> west.deleteVpcPeeringConnection(r -> r.vpcPeeringConnectionId(id)),
                "OperationNotPermitted");

        west.acceptVpcPeeringConnection(r -> r.vpcPeeringConnectionId(id));
        VpcPeeringConnection active = describe(east, id);
        assertThat(active.status().codeAsString()).isEqualTo("active");
        assertThat(active.accepterVpcInfo().cidrBlock()).isEqualTo("10.20.0.0/16");
        assertThat(active.accepterVpcInfo().ownerId()).isEqualTo(accepter);

        // Routes both ways, each in its own account and region.
        String tableA = mainTable(east, a);
        String tableB = mainTable(west, b);
        east.createRoute(r -> r.routeTableId(tableA).destinationCidrBlock("10.20.0.0/16").vpcPeeringConnectionId(id));
        west.createRoute(r -> r.routeTableId(tableB).destinationCidrBlock("10.10.0.0/16").vpcPeeringConnectionId(id));
        assertThat(route(east, tableA, "10.20.0.0/16").stateAsString()).isEqualTo("active");
        assertThat(route(west, tableB, "10.10.0.0/16").stateAsString()).isEqualTo("active");
        // A table of a VPC the connection does not join cannot use it; a stranger cannot name it.
        String unrelated = vpc(east, "10.30.0.0/16");
        String tableC = mainTable(east, unrelated);
        assertError(() -> east.createRoute(r -> r.routeTableId(tableC).destinationCidrBlock("10.20.0.0/16")
                .vpcPeeringConnectionId(id)), "InvalidParameterValue");
        Ec2Client strangerEast = UNDERPASS.ec2(stranger, EAST);
        String strangerTable = mainTable(strangerEast, vpc(strangerEast, "10.40.0.0/16"));
        assertError(() -> strangerEast.createRoute(r -> r.routeTableId(strangerTable)
                .destinationCidrBlock("10.20.0.0/16").vpcPeeringConnectionId(id)),
                "InvalidVpcPeeringConnectionID.NotFound");
        // ReplaceRoute can point an existing route at the connection too.
        east.createRoute(r -> r.routeTableId(tableA).destinationCidrBlock("192.168.0.0/16")
                .gatewayId(attachedIgw(east, a)));
        east.replaceRoute(r -> r.routeTableId(tableA).destinationCidrBlock("192.168.0.0/16")
                .vpcPeeringConnectionId(id));
        assertThat(route(east, tableA, "192.168.0.0/16").vpcPeeringConnectionId()).isEqualTo(id);

        // The accepter deletes; the requester's route turns into a blackhole.
        west.deleteVpcPeeringConnection(r -> r.vpcPeeringConnectionId(id));
        assertThat(describe(east, id).status().message()).isEqualTo("Deleted by " + accepter);
        assertThat(route(east, tableA, "10.20.0.0/16").stateAsString()).isEqualTo("blackhole");
        assertThat(route(west, tableB, "10.10.0.0/16").stateAsString()).isEqualTo("blackhole");
    }

    private static String attachedIgw(Ec2Client ec2, String vpcId) {
        String igw = ec2.createInternetGateway(r -> {}).internetGateway().internetGatewayId();
        ec2.attachInternetGateway(r -> r.internetGatewayId(igw).vpcId(vpcId));
        return igw;
    }

    @Test
    void modifyOptions_eachSideChangesOnlyItsOwnDnsResolution() {
        String requester = freshAccount();
        String accepter = freshAccount();
        Ec2Client east = UNDERPASS.ec2(requester, EAST);
        Ec2Client west = UNDERPASS.ec2(accepter, WEST);
        String a = vpc(east, "10.11.0.0/16");
        String b = vpc(west, "10.21.0.0/16");
        String id = east.createVpcPeeringConnection(r -> r.vpcId(a).peerVpcId(b).peerOwnerId(accepter)
                .peerRegion(WEST)).vpcPeeringConnection().vpcPeeringConnectionId();
        assertError(() -> east.modifyVpcPeeringConnectionOptions(r -> r.vpcPeeringConnectionId(id)
                .requesterPeeringConnectionOptions(o -> o.allowDnsResolutionFromRemoteVpc(true))),
                "OperationNotPermitted",
                "Peering " + id + " is not active. Peering options can be added only to active peerings.");
        west.acceptVpcPeeringConnection(r -> r.vpcPeeringConnectionId(id));
        // DNS resolution across the peering needs DNS hostnames in both VPCs (off by default in a new VPC).
        assertError(() -> east.modifyVpcPeeringConnectionOptions(r -> r.vpcPeeringConnectionId(id)
                .requesterPeeringConnectionOptions(o -> o.allowDnsResolutionFromRemoteVpc(true))),
                "InvalidVpcPeeringConnectionState.DnsHostnamesDisabled");
        east.modifyVpcAttribute(r -> r.vpcId(a).enableDnsHostnames(v -> v.value(true)));
        west.modifyVpcAttribute(r -> r.vpcId(b).enableDnsHostnames(v -> v.value(true)));
        // Each side only from its own account and region.
        assertError(() -> east.modifyVpcPeeringConnectionOptions(r -> r.vpcPeeringConnectionId(id)
                .accepterPeeringConnectionOptions(o -> o.allowDnsResolutionFromRemoteVpc(true))),
                "OperationNotPermitted");
        assertError(() -> west.modifyVpcPeeringConnectionOptions(r -> r.vpcPeeringConnectionId(id)
                .requesterPeeringConnectionOptions(o -> o.allowDnsResolutionFromRemoteVpc(true))),
                "OperationNotPermitted");
        assertError(() -> east.modifyVpcPeeringConnectionOptions(r -> r.vpcPeeringConnectionId(id)),
                "MissingParameter");
        ModifyVpcPeeringConnectionOptionsResponse changed = east.modifyVpcPeeringConnectionOptions(r -> r
                .vpcPeeringConnectionId(id)
                .requesterPeeringConnectionOptions(o -> o.allowDnsResolutionFromRemoteVpc(true)));
        assertThat(changed.requesterPeeringConnectionOptions().allowDnsResolutionFromRemoteVpc()).isTrue();
        assertThat(changed.accepterPeeringConnectionOptions()).isNull();
        VpcPeeringConnection seen = describe(west, id);
        assertThat(seen.requesterVpcInfo().peeringOptions().allowDnsResolutionFromRemoteVpc()).isTrue();
        assertThat(seen.accepterVpcInfo().peeringOptions().allowDnsResolutionFromRemoteVpc()).isFalse();
        west.modifyVpcPeeringConnectionOptions(r -> r.vpcPeeringConnectionId(id)
                .accepterPeeringConnectionOptions(o -> o.allowDnsResolutionFromRemoteVpc(true)));
        assertThat(describe(east, id).accepterVpcInfo().peeringOptions().allowDnsResolutionFromRemoteVpc()).isTrue();
        // ClassicLink is retired.
        assertError(() -> east.modifyVpcPeeringConnectionOptions(r -> r.vpcPeeringConnectionId(id)
                .requesterPeeringConnectionOptions(o -> o.allowEgressFromLocalClassicLinkToRemoteVpc(true))),
                "UnsupportedOperation");
    }

    @Test
    void overlappingOrMissingPeer_failsTheRequestAsAwsDoes() {
        String account = freshAccount();
        String other = freshAccount();
        Ec2Client ec2 = UNDERPASS.ec2(account);
        String a = vpc(ec2, "10.3.0.0/16");
        String b = vpc(ec2, "10.3.0.0/24");
        String overlapping = peer(ec2, a, b);
        VpcPeeringConnection failed = describe(ec2, overlapping);
        assertThat(failed.status().codeAsString()).isEqualTo("failed");
        assertThat(failed.status().message())
                .isEqualTo("Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range");
        assertError(() -> ec2.acceptVpcPeeringConnection(r -> r.vpcPeeringConnectionId(overlapping)),
                "InvalidStateTransition");
        assertError(() -> ec2.deleteVpcPeeringConnection(r -> r.vpcPeeringConnectionId(overlapping)),
                "InvalidStateTransition");
        assertThat(ec2.describeVpcPeeringConnections(r -> r.filters(Filter.builder().name("status-code")
                .values("failed").build())).vpcPeeringConnections())
                .extracting(VpcPeeringConnection::vpcPeeringConnectionId).containsExactly(overlapping);

        // A secondary block counts as much as the primary one.
        String c = vpc(ec2, "10.4.0.0/16");
        ec2.associateVpcCidrBlock(r -> r.vpcId(c).cidrBlock("10.5.0.0/16"));
        String d = vpc(ec2, "10.5.128.0/17");
        assertThat(describe(ec2, peer(ec2, c, d)).status().codeAsString()).isEqualTo("failed");

        // Another account's VPC that does not exist: AWS takes the request, and it fails.
        String missing = ec2.createVpcPeeringConnection(r -> r.vpcId(c).peerVpcId("vpc-0123456789abcdef0")
                .peerOwnerId(other)).vpcPeeringConnection().vpcPeeringConnectionId();
        assertThat(describe(ec2, missing).status().codeAsString()).isEqualTo("failed");
        // The failed request is the requester's alone.
        assertThat(UNDERPASS.ec2(other).describeVpcPeeringConnections().vpcPeeringConnections()).isEmpty();
        // In the caller's own account and region a missing VPC is refused at once.
        assertError(() -> peer(ec2, c, "vpc-0123456789abcdef0"), "InvalidVpcID.NotFound");
        assertError(() -> peer(ec2, c, "vpc-nothex"), "InvalidVpcId.Malformed");
        assertError(() -> ec2.createVpcPeeringConnection(r -> r.vpcId(c)), "MissingParameter");
        assertError(() -> ec2.createVpcPeeringConnection(r -> r.vpcId(c).peerVpcId(d).peerOwnerId("12345")),
                "InvalidParameterValue");
        assertError(() -> ec2.createVpcPeeringConnection(r -> r.vpcId(c).peerVpcId(d).peerRegion("mars-1")),
                "InvalidParameterValue");
        // Only the caller's own VPC can request.
        String theirs = vpc(UNDERPASS.ec2(other), "10.6.0.0/16");
        assertError(() -> peer(ec2, theirs, c), "InvalidVpcID.NotFound");
        // Ids.
        assertError(() -> describe(ec2, "pcx-zzz"), "InvalidVpcPeeringConnectionId.Malformed");
        assertError(() -> ec2.acceptVpcPeeringConnection(r -> r.vpcPeeringConnectionId("pcx-0123456789abcdef0")),
                "InvalidVpcPeeringConnectionID.NotFound");
        assertError(() -> ec2.rejectVpcPeeringConnection(r -> r.vpcPeeringConnectionId("pcx-0123456789abcdef0")),
                "InvalidVpcPeeringConnectionID.NotFound");
        assertError(() -> ec2.describeVpcPeeringConnections(r -> r.filters(Filter.builder().name("nope")
                .values("x").build())), "InvalidParameterValue");
    }

    @Test
    void reject_onlyByTheAccepterInItsRegion() {
        Pending p = Pending.between("10.12.0.0/16", "10.22.0.0/16");
        assertThat(p.accepterEast().rejectVpcPeeringConnection(r -> r.vpcPeeringConnectionId(p.id())).returnValue())
                .isTrue();
        VpcPeeringConnection rejected = describe(p.east(), p.id());
        assertThat(rejected.status().codeAsString()).isEqualTo("rejected");
        assertThat(rejected.status().message()).isEqualTo("Rejected by " + p.accepter());
        assertError(() -> p.accepterEast().acceptVpcPeeringConnection(r -> r.vpcPeeringConnectionId(p.id())),
                "InvalidStateTransition");
        assertError(() -> p.east().deleteVpcPeeringConnection(r -> r.vpcPeeringConnectionId(p.id())),
                "InvalidStateTransition");
        // AWS keeps a rejected request two days for the requester, two hours for the accepter.
        age(UNDERPASS, p.id(), Duration.ofHours(3));
        assertThat(describe(p.east(), p.id()).status().codeAsString()).isEqualTo("rejected");
        assertError(() -> describe(p.accepterEast(), p.id()), "InvalidVpcPeeringConnectionID.NotFound");
        age(UNDERPASS, p.id(), Duration.ofDays(2));
        assertError(() -> describe(p.east(), p.id()), "InvalidVpcPeeringConnectionID.NotFound");

        // One account across two regions: accepting and rejecting happen in the accepter's region.
        String own = freshAccount();
        Ec2Client ownEast = UNDERPASS.ec2(own, EAST);
        Ec2Client ownWest = UNDERPASS.ec2(own, WEST);
        String x = vpc(ownEast, "10.13.0.0/16");
        String y = vpc(ownWest, "10.23.0.0/16");
        String cross = ownEast.createVpcPeeringConnection(r -> r.vpcId(x).peerVpcId(y).peerRegion(WEST))
                .vpcPeeringConnection().vpcPeeringConnectionId();
        assertError(() -> ownEast.acceptVpcPeeringConnection(r -> r.vpcPeeringConnectionId(cross)),
                "OperationNotPermitted", "Incorrect region (us-east-1) specified for this request. VPC peering "
                        + "connection " + cross + " must be accepted in region eu-west-1");
        assertError(() -> ownEast.rejectVpcPeeringConnection(r -> r.vpcPeeringConnectionId(cross)),
                "OperationNotPermitted");
        ownWest.acceptVpcPeeringConnection(r -> r.vpcPeeringConnectionId(cross));
        assertThat(describe(ownEast, cross).status().codeAsString()).isEqualTo("active");
    }

    @Test
    void unacceptedRequest_expiresAfterSevenDaysAndIsListedTwoDaysMore() {
        Pending p = Pending.between("10.14.0.0/16", "10.24.0.0/16");
        age(UNDERPASS, p.id(), Duration.ofDays(7).plusMinutes(1));
        for (Ec2Client side : List.of(p.east(), p.accepterEast())) {
            VpcPeeringConnection expired = describe(side, p.id());
            assertThat(expired.status().codeAsString()).isEqualTo("expired");
            assertThat(expired.status().message()).isEqualTo("Expired");
        }
        assertError(() -> p.accepterEast().acceptVpcPeeringConnection(r -> r.vpcPeeringConnectionId(p.id())),
                "InvalidStateTransition");
        assertError(() -> p.east().deleteVpcPeeringConnection(r -> r.vpcPeeringConnectionId(p.id())),
                "InvalidStateTransition");
        // An expired request no longer blocks a new one.
        String again = request(p.east(), p.a(), p.b(), p.accepter());
        assertThat(again).isNotEqualTo(p.id());
        age(UNDERPASS, p.id(), Duration.ofDays(2));
        assertError(() -> describe(p.east(), p.id()), "InvalidVpcPeeringConnectionID.NotFound");
        assertError(() -> describe(p.accepterEast(), p.id()), "InvalidVpcPeeringConnectionID.NotFound");
    }

    @Test
    void deletedConnection_listedTwoHoursToTheDeleterAndTwoDaysToTheOtherSide() {
        Pending p = Pending.between("10.15.0.0/16", "10.25.0.0/16");
        p.accepterEast().acceptVpcPeeringConnection(r -> r.vpcPeeringConnectionId(p.id()));
        p.east().deleteVpcPeeringConnection(r -> r.vpcPeeringConnectionId(p.id()));
        age(UNDERPASS, p.id(), Duration.ofHours(3));
        assertError(() -> describe(p.east(), p.id()), "InvalidVpcPeeringConnectionID.NotFound");
        assertThat(describe(p.accepterEast(), p.id()).status().codeAsString()).isEqualTo("deleted");
    }

    @Test
    void deleteVpc_deletesItsPeeringsButNotWhileAnotherAccountsRequestWaits() {
        Pending p = Pending.between("10.16.0.0/16", "10.26.0.0/16");
        // The accepter must reject first.
        assertError(() -> p.accepterEast().deleteVpc(r -> r.vpcId(p.b())), "DependencyViolation");
        p.accepterEast().acceptVpcPeeringConnection(r -> r.vpcPeeringConnectionId(p.id()));
        String tableA = mainTable(p.east(), p.a());
        p.east().createRoute(r -> r.routeTableId(tableA).destinationCidrBlock("10.26.0.0/16")
                .vpcPeeringConnectionId(p.id()));
        // An active peering goes with the VPC.
        p.accepterEast().deleteVpc(r -> r.vpcId(p.b()));
        VpcPeeringConnection gone = describe(p.east(), p.id());
        assertThat(gone.status().codeAsString()).isEqualTo("deleted");
        assertThat(gone.status().message()).isEqualTo("Deleted by " + p.accepter());
        assertThat(route(p.east(), tableA, "10.26.0.0/16").stateAsString()).isEqualTo("blackhole");
        // The requester's own pending request goes with the requester's VPC.
        String c = vpc(p.accepterEast(), "10.27.0.0/16");
        String request = request(p.east(), p.a(), c, p.accepter());
        p.east().deleteRoute(r -> r.routeTableId(tableA).destinationCidrBlock("10.26.0.0/16"));
        p.east().deleteVpc(r -> r.vpcId(p.a()));
        assertThat(describe(p.accepterEast(), request).status().codeAsString()).isEqualTo("deleted");
    }

    @Test
    void describe_filtersAndPages() {
        String account = freshAccount();
        String accepter = freshAccount();
        Ec2Client ec2 = UNDERPASS.ec2(account);
        Ec2Client other = UNDERPASS.ec2(accepter);
        String a = vpc(ec2, "10.17.0.0/16");
        String b = vpc(ec2, "10.18.0.0/16");
        String c = vpc(other, "10.28.0.0/16");
        String d = vpc(other, "10.29.0.0/16");
        String ab = peer(ec2, a, b);
        ec2.acceptVpcPeeringConnection(r -> r.vpcPeeringConnectionId(ab));
        String ac = request(ec2, a, c, accepter);
        String bd = ec2.createVpcPeeringConnection(r -> r.vpcId(b).peerVpcId(d).peerOwnerId(accepter)
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.VPC_PEERING_CONNECTION)
                        .tags(Tag.builder().key("team").value("blue").build()).build()))
                .vpcPeeringConnection().vpcPeeringConnectionId();
        Object[][] cases = {
            {"status-code", "active", List.of(ab)},
            {"status-code", "pending-acceptance", List.of(ac, bd)},
            {"requester-vpc-info.vpc-id", a, List.of(ab, ac)},
            {"requester-vpc-info.owner-id", account, List.of(ab, ac, bd)},
            {"requester-vpc-info.cidr-block", "10.18.0.0/16", List.of(bd)},
            {"accepter-vpc-info.vpc-id", d, List.of(bd)},
            {"accepter-vpc-info.owner-id", accepter, List.of(ac, bd)},
            {"accepter-vpc-info.cidr-block", "10.18.0.0/16", List.of(ab)},
            {"vpc-peering-connection-id", ac, List.of(ac)},
            {"status-message", "Pending Acceptance by " + accepter, List.of(ac, bd)},
            {"tag:team", "blue", List.of(bd)},
            {"tag-key", "team", List.of(bd)},
        };
        for (Object[] c0 : cases) {
            List<String> got = ec2.describeVpcPeeringConnections(r -> r.filters(Filter.builder()
                    .name((String) c0[0]).values((String) c0[1]).build())).vpcPeeringConnections().stream()
                    .map(VpcPeeringConnection::vpcPeeringConnectionId).toList();
            assertThat(got).as("filter %s=%s", c0[0], c0[1]).containsExactlyInAnyOrderElementsOf(
                    castList(c0[2]));
        }
        String expiration = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(describe(ec2, ac).expirationTime());
        assertThat(ec2.describeVpcPeeringConnections(r -> r.filters(Filter.builder().name("expiration-time")
                .values(expiration).build())).vpcPeeringConnections()).hasSize(1);
        // The accepter sees the two requests made to it, and neither tag.
        assertThat(other.describeVpcPeeringConnections().vpcPeeringConnections())
                .extracting(VpcPeeringConnection::vpcPeeringConnectionId).containsExactlyInAnyOrder(ac, bd);
        assertThat(other.describeVpcPeeringConnections(r -> r.filters(Filter.builder().name("tag:team")
                .values("blue").build())).vpcPeeringConnections()).isEmpty();
        // Pages of five at least; every connection once.
        List<String> all = ec2.describeVpcPeeringConnections().vpcPeeringConnections().stream()
                .map(VpcPeeringConnection::vpcPeeringConnectionId).toList();
        assertThat(all).containsExactlyInAnyOrder(ab, ac, bd);
        assertThat(ec2.describeVpcPeeringConnectionsPaginator(r -> r.maxResults(5)).vpcPeeringConnections()
                .stream().map(VpcPeeringConnection::vpcPeeringConnectionId).toList())
                .containsExactlyElementsOf(all);
        assertError(() -> ec2.describeVpcPeeringConnections(r -> r.maxResults(4)), "InvalidParameterValue");
        DescribeVpcPeeringConnectionsResponse byIds = ec2.describeVpcPeeringConnections(r -> r
                .vpcPeeringConnectionIds(bd, ab));
        assertThat(byIds.vpcPeeringConnections()).hasSize(2);
        assertError(() -> ec2.describeVpcPeeringConnections(r -> r.vpcPeeringConnectionIds(ab,
                "pcx-0123456789abcdef0")), "InvalidVpcPeeringConnectionID.NotFound");
        // Tags added later by the requester apply to its side only.
        ec2.createTags(r -> r.resources(ab).tags(Tag.builder().key("k").value("v").build()));
        assertThat(describe(ec2, ab).tags()).extracting(Tag::key).containsExactly("k");
        // The accepter tags its own side (as Terraform's peering accepter does), and sees only those tags.
        other.createTags(r -> r.resources(bd).tags(Tag.builder().key("side").value("accepter").build()));
        assertThat(describe(other, bd).tags()).containsExactly(Tag.builder().key("side").value("accepter").build());
        assertThat(describe(ec2, bd).tags()).containsExactly(Tag.builder().key("team").value("blue").build());
        assertThat(other.describeTags(r -> r.filters(Filter.builder().name("resource-id").values(bd).build()))
                .tags()).extracting(t -> t.key() + "=" + t.value()).containsExactly("side=accepter");
        other.deleteTags(r -> r.resources(bd).tags(Tag.builder().key("side").build()));
        assertThat(describe(other, bd).tags()).isEmpty();
        assertThat(describe(ec2, bd).tags()).hasSize(1);
        // A stranger cannot tag it.
        assertError(() -> UNDERPASS.ec2(freshAccount()).createTags(r -> r.resources(bd)
                .tags(Tag.builder().key("x").value("y").build())), "InvalidVpcPeeringConnectionID.NotFound");
    }

    @SuppressWarnings("unchecked")
    private static List<String> castList(Object o) {
        return (List<String>) o;
    }

    @Test
    void quotas_outstandingRequestsPerAccountAndActivePeeringsPerVpc() {
        String account = freshAccount();
        Ec2Client ec2 = TIGHT.ec2(account);
        String a = vpc(ec2, "10.1.0.0/16");
        String b = vpc(ec2, "10.2.0.0/16");
        String c = vpc(ec2, "10.3.0.0/16");
        String ab = peer(ec2, a, b);
        String ac = peer(ec2, a, c);
        assertError(() -> peer(ec2, b, c), "OutstandingVpcPeeringConnectionLimitExceeded");
        // The quota is per region.
        Ec2Client west = TIGHT.ec2(account, WEST);
        String w1 = vpc(west, "10.1.0.0/16");
        String w2 = vpc(west, "10.2.0.0/16");
        peer(west, w1, w2);
        ec2.acceptVpcPeeringConnection(r -> r.vpcPeeringConnectionId(ab));
        // a already has its one active peering.
        assertError(() -> ec2.acceptVpcPeeringConnection(r -> r.vpcPeeringConnectionId(ac)),
                "ActiveVpcPeeringConnectionPerVpcLimitExceeded");
        ec2.deleteVpcPeeringConnection(r -> r.vpcPeeringConnectionId(ab));
        ec2.acceptVpcPeeringConnection(r -> r.vpcPeeringConnectionId(ac));
        assertThat(describe(ec2, ac).status().codeAsString()).isEqualTo("active");
    }

    @Test
    void badInput_getsAwsCodesAndChangesNothing() {
        String base = "Version=2016-11-15&Action=";
        String pcx = "&VpcPeeringConnectionId=pcx-0123456789abcdef0";
        String[][] cases = {
            {"CreateVpcPeeringConnection", "MissingParameter"},
            {"CreateVpcPeeringConnection&VpcId=vpc-0123456789abcdef0&TagSpecification.1.ResourceType=vpc"
                    + "&TagSpecification.1.Tag.1.Key=k",
                "InvalidParameterValue"},
            {"AcceptVpcPeeringConnection", "MissingParameter"},
            {"AcceptVpcPeeringConnection&VpcPeeringConnectionId=pcx-", "InvalidVpcPeeringConnectionId.Malformed"},
            {"RejectVpcPeeringConnection&VpcPeeringConnectionId=vpc-0123456789abcdef0",
                "InvalidVpcPeeringConnectionId.Malformed"},
            {"DeleteVpcPeeringConnection" + pcx + "&Colour=blue", "UnknownParameter"},
            {"DescribeVpcPeeringConnections&VpcPeeringConnectionId.1=pcx-xyz",
                "InvalidVpcPeeringConnectionId.Malformed"},
            {"DescribeVpcPeeringConnections&MaxResults=1001", "InvalidParameterValue"},
            {"DescribeVpcPeeringConnections&NextToken=garbage", "InvalidNextToken"},
            {"DescribeVpcPeeringConnections&Filter.1.Name=no-such-filter&Filter.1.Value.1=x",
                "InvalidParameterValue"},
            {"ModifyVpcPeeringConnectionOptions" + pcx
                    + "&RequesterPeeringConnectionOptions.AllowDnsResolutionFromRemoteVpc=true",
                "InvalidVpcPeeringConnectionID.NotFound"},
            {"ModifyVpcPeeringConnectionOptions" + pcx, "InvalidVpcPeeringConnectionID.NotFound"},
        };
        for (String[] c : cases) {
            var r = RawHttp.post(UNDERPASS.endpoint(), base + c[0]);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
            assertThat(RawHttp.code(r)).as(c[0]).isEqualTo(c[1]);
        }
        var dryRun = RawHttp.post(UNDERPASS.endpoint(), base + "AcceptVpcPeeringConnection" + pcx + "&DryRun=true");
        assertThat(dryRun.statusCode()).isEqualTo(412);
        assertThat(RawHttp.code(dryRun)).isEqualTo("DryRunOperation");
        // Values of the wrong type never reach the rules, and never make a 500.
        for (String body : List.of("DescribeVpcPeeringConnections&MaxResults=abc",
                "ModifyVpcPeeringConnectionOptions" + pcx
                        + "&AccepterPeeringConnectionOptions.AllowDnsResolutionFromRemoteVpc=maybe",
                "CreateVpcPeeringConnection&VpcId=vpc-0123456789abcdef0&PeerVpcId.1=x")) {
            var r = RawHttp.post(UNDERPASS.endpoint(), base + body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(RawHttp.code(r)).as(body).isNotBlank();
        }
        assertThat(UNDERPASS.ec2("111111111111").describeVpcPeeringConnections().vpcPeeringConnections()).isEmpty();
    }

    @Test
    void peerings_surviveARestart(@TempDir Path dir) {
        String requester = "699999999991";
        String accepter = "699999999992";
        record Made(String id, String tableA) {}
        TestStore.acrossARestart(dir, first -> {
            try (Ec2Client east = TestClients.ec2(first.endpoint(), requester, EAST);
                    Ec2Client west = TestClients.ec2(first.endpoint(), accepter, WEST)) {
                String a = vpc(east, "10.50.0.0/16");
                String b = vpc(west, "10.60.0.0/16");
                String id = east.createVpcPeeringConnection(r -> r.vpcId(a).peerVpcId(b).peerOwnerId(accepter)
                        .peerRegion(WEST)).vpcPeeringConnection().vpcPeeringConnectionId();
                west.acceptVpcPeeringConnection(r -> r.vpcPeeringConnectionId(id));
                String tableA = mainTable(east, a);
                east.createRoute(r -> r.routeTableId(tableA).destinationCidrBlock("10.60.0.0/16")
                        .vpcPeeringConnectionId(id));
                return new Made(id, tableA);
            }
        }, (second, made) -> {
            try (Ec2Client east = TestClients.ec2(second.endpoint(), requester, EAST);
                    Ec2Client west = TestClients.ec2(second.endpoint(), accepter, WEST)) {
                VpcPeeringConnection p = describe(west, made.id());
                assertThat(p.status().codeAsString()).isEqualTo("active");
                assertThat(p.requesterVpcInfo().cidrBlock()).isEqualTo("10.50.0.0/16");
                assertThat(p.accepterVpcInfo().cidrBlock()).isEqualTo("10.60.0.0/16");
                Route r = route(east, made.tableA(), "10.60.0.0/16");
                assertThat(r.vpcPeeringConnectionId()).isEqualTo(made.id());
                assertThat(r.stateAsString()).isEqualTo("active");
            }
        });
    }
}
