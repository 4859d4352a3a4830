package dev.underpass.model.ec2;

import dev.underpass.model.ResourceId;
import dev.underpass.model.Caller;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Regions;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.net.Cidr;
import dev.underpass.model.net.Ipv6Block;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * VPC peering rules, following the <a href="https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html">
 * VPC peering basics</a> (life cycle, limitations) and the EC2 API reference of CreateVpcPeeringConnection,
 * AcceptVpcPeeringConnection, RejectVpcPeeringConnection, DeleteVpcPeeringConnection and
 * ModifyVpcPeeringConnectionOptions.
 *
 * <p>A caller is a side of a connection when it acts as that side's account in that side's region: the requester
 * creates and may delete a pending request, only the accepter (in the accepter's region) accepts or rejects it, either
 * deletes an active connection, and each changes only its own side's options. A request whose accepter VPC does not
 * exist in the named account and region, or whose VPCs have overlapping IPv4 or IPv6 blocks (secondary blocks
 * included), is created {@code failed}, as AWS does; only a missing peer VPC of the caller's own account and region is
 * refused at once ({@code InvalidVpcID.NotFound}).
 *
 * <p>Time-driven parts are derived when read, so they need no timer and survive restarts: an unaccepted request
 * reads {@code expired} seven days after creation; and ended connections stay visible as long as AWS shows them
 * (failed: two hours, to the requester; expired: two days; rejected: two days to the requester, two hours to the
 * accepter; deleted: two hours to whoever deleted it, two days to the other side; two hours in all cases when both
 * VPCs are one account's).
 */
public final class PeeringConnections {
    /** How long an unaccepted request waits before it expires. */
    public static final Duration EXPIRY = Duration.ofDays(7);
    static final Duration SHORT_LISTING = Duration.ofHours(2);
    static final Duration LONG_LISTING = Duration.ofDays(2);

    /** AWS's status message of a failed request, whatever the reason. */
    public static final String FAILED_MESSAGE = "Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range";

    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

    private PeeringConnections() {}

    // ---------------------------------------------------------------------------------------------------------
    // Reading

    /** The status a client sees at {@code now}: a request left pending past its expiry reads {@code expired}. */
    public static PeeringConnection.Status status(PeeringConnection p, Instant now) {
        if (PeeringConnection.Status.PENDING_ACCEPTANCE.equals(p.status()) && !now.isBefore(expiresAt(p))) {
            return PeeringConnection.Status.EXPIRED;
        }
        return p.status();
    }

    public static Instant expiresAt(PeeringConnection p) {
        return p.createdAt().plus(EXPIRY);
    }

    /** AWS's status message for the status seen at {@code now}. */
    public static String message(PeeringConnection p, Instant now) {
        return message(p, status(p, now));
    }

    /** AWS's status message for {@code status}. */
    public static String message(PeeringConnection p, PeeringConnection.Status status) {
        return switch (status) {
            case INITIATING_REQUEST -> "Initiating Request to " + p.accepter().accountId();
            case PENDING_ACCEPTANCE -> "Pending Acceptance by " + p.accepter().accountId();
            case PROVISIONING -> "Provisioning";
            case ACTIVE -> "Active";
            case REJECTED -> "Rejected by " + p.changedBy();
            case DELETED -> "Deleted by " + p.changedBy();
            case EXPIRED -> "Expired";
            case FAILED -> FAILED_MESSAGE;
        };
    }

    /** Whether the caller acts as the requester side (its account, in its region). */
    public static boolean isRequester(PeeringConnection p, Caller caller) {
        return p.requester().is(caller.accountId(), caller.region());
    }

    /** Whether the caller acts as the accepter side (its account, in its region). */
    public static boolean isAccepter(PeeringConnection p, Caller caller) {
        return p.accepter().is(caller.accountId(), caller.region());
    }

    /** Whether the caller sees the connection at {@code now}: it is one side and the listing period has not ended. */
    public static boolean visible(PeeringConnection p, Caller caller, Instant now) {
        boolean requester = isRequester(p, caller);
        boolean accepter = isAccepter(p, caller);
        if (!requester && !accepter) {
            return false;
        }
        PeeringConnection.Status status = status(p, now);
        return switch (status) {
            case PENDING_ACCEPTANCE, ACTIVE -> true;
            case FAILED -> requester && now.isBefore(p.statusChangedAt().plus(SHORT_LISTING));
            case EXPIRED -> now.isBefore(expiresAt(p).plus(LONG_LISTING));
            case REJECTED -> now.isBefore(p.statusChangedAt().plus(
                    !p.sameAccount() && requester && !accepter ? LONG_LISTING : SHORT_LISTING));
            case DELETED -> now.isBefore(p.statusChangedAt().plus(
                    !p.sameAccount() && !caller.accountId().equals(p.changedBy()) ? LONG_LISTING : SHORT_LISTING));
            default -> true;
        };
    }

    /** Whether nobody sees the connection any more at {@code now} (it can be forgotten). */
    static boolean forgotten(PeeringConnection p, Instant now) {
        return switch (status(p, now)) {
            case FAILED -> !now.isBefore(p.statusChangedAt().plus(SHORT_LISTING));
            case EXPIRED -> !now.isBefore(expiresAt(p).plus(LONG_LISTING));
            case REJECTED, DELETED ->
                !now.isBefore(p.statusChangedAt().plus(LONG_LISTING));
            default -> false;
        };
    }

    /** Every connection the caller sees at {@code now}, in id order. */
    public static List<PeeringConnection> visibleTo(World world, Caller caller, Instant now) {
        return world.all(PeeringConnection.class, p -> visible(p, caller, now));
    }

    /** The connection, if the caller sees it; else AWS's MissingParameter, Malformed or NotFound answer. */
    public static PeeringConnection require(World world, Caller caller, Instant now, PeeringConnectionId id) {
        if (ResourceId.absent(id)) {
            throw Ec2Errors.missingParameter("VpcPeeringConnectionId");
        }
        Ids.require("pcx", id.value(), ErrorCode.INVALID_VPC_PEERING_CONNECTION_ID_MALFORMED);
        return world.find(PeeringConnection.class, id).filter(p -> visible(p, caller, now))
                .orElseThrow(() -> Kind.VPC_PEERING_CONNECTION.notFound(id));
    }

    /**
     * The side as clients see it at {@code now}: while the VPC exists and the connection is not over, its blocks are
     * the VPC's current ones (a secondary block added to a peered VPC shows in the peering too).
     */
    public static PeeringConnection.Side current(World world, PeeringConnection.Side side) {
        return world.find(Vpc.class, side.vpcId()).filter(v -> v.ownerId().equals(side.accountId())
                && v.region().equals(side.region())).map(side::withBlocks).orElse(side);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Create

    /** A request to peer the caller's {@code vpcId} with {@code peerVpcId} of {@code peerOwnerId} in {@code peerRegion}. */
    public record Create(VpcId vpcId, VpcId peerVpcId, String peerOwnerId, String peerRegion,
            Map<String, String> tags) {}

    public static PeeringConnection create(Tx tx, Quotas quotas, Create cmd) {
        Caller caller = tx.caller();
        Instant now = tx.now();
        Vpc vpc = Lookup.requireOwned(tx.world(), caller, Kind.VPC, Vpc.class, cmd.vpcId());
        if (cmd.peerVpcId() == null || cmd.peerVpcId().isEmpty()) {
            throw Ec2Errors.missingParameter("peerVpcId");
        }
        Ids.require(VpcId.PREFIX, cmd.peerVpcId().value(), ErrorCode.INVALID_VPC_ID_MALFORMED);
        String peerOwner = present(cmd.peerOwnerId()) ? cmd.peerOwnerId() : caller.accountId();
        if (!ACCOUNT.matcher(peerOwner).matches()) {
            throw Ec2Errors.invalidValue(peerOwner, "peerOwnerId", "It must be a 12-digit AWS account ID.");
        }
        String peerRegion = present(cmd.peerRegion()) ? cmd.peerRegion() : caller.region();
        if (!Regions.exists(peerRegion)) {
            throw Ec2Errors.invalidValue(peerRegion, "peerRegion", "It is not a known region.");
        }
        forgetEnded(tx, now);
        long outstanding = tx.all(PeeringConnection.class, p -> isRequester(p, caller)
                && PeeringConnection.Status.PENDING_ACCEPTANCE.equals(status(p, now))).size();
        if (outstanding >= quotas.outstandingPeeringRequests()) {
            throw ErrorCode.OUTSTANDING_VPC_PEERING_CONNECTION_LIMIT_EXCEEDED.format("The maximum number of "
                    + "outstanding VPC peering connection requests (%d) has been reached.",
                    quotas.outstandingPeeringRequests());
        }
        boolean local = peerOwner.equals(caller.accountId()) && peerRegion.equals(caller.region());
        Vpc peer = local
                ? Lookup.require(tx.world(), caller, Kind.VPC, Vpc.class, cmd.peerVpcId())
                : tx.find(Vpc.class, cmd.peerVpcId()).filter(v -> v.ownerId().equals(peerOwner)
                        && v.region().equals(peerRegion)).orElse(null);
        PeeringConnection.Side requester = PeeringConnection.Side.of(vpc);
        // The accepter's blocks are recorded when it accepts: a request does not reveal them.
        PeeringConnection.Side accepter = new PeeringConnection.Side(peerOwner, peerRegion, cmd.peerVpcId(),
                List.of(), List.of(), false);
        boolean fails = peer == null || overlapping(vpc, peer);
        if (!fails) {
            for (PeeringConnection p : tx.all(PeeringConnection.class, p -> p.joins(vpc.vpcId())
                    && p.joins(peer.vpcId()))) {
                PeeringConnection.Status s = status(p, now);
                if (s.equals(PeeringConnection.Status.PENDING_ACCEPTANCE)
                        || s.equals(PeeringConnection.Status.ACTIVE)) {
                    throw ErrorCode.VPC_PEERING_CONNECTION_ALREADY_EXISTS.format("A VPC peering connection (%s) "
                            + "between %s and %s already exists.", p.id(), vpc.vpcId(), peer.id());
                }
            }
        }
        return tx.put(new PeeringConnection(Ids.next("pcx"), caller.accountId(), caller.region(), requester,
                accepter, fails ? PeeringConnection.Status.FAILED : PeeringConnection.Status.PENDING_ACCEPTANCE, null,
                now, now,
                cmd.tags(), Map.of()));
    }

    /** Whether any IPv4 block of one VPC overlaps one of the other's, or any IPv6 block does. */
    static boolean overlapping(Vpc a, Vpc b) {
        for (String x : a.activeCidrs()) {
            for (String y : b.activeCidrs()) {
                if (Cidr.parse(x).overlaps(Cidr.parse(y))) {
                    return true;
                }
            }
        }
        for (String x : a.activeIpv6Cidrs()) {
            for (String y : b.activeIpv6Cidrs()) {
                Ipv6Block bx = Ipv6Block.parse(x);
                Ipv6Block by = Ipv6Block.parse(y);
                if (bx.contains(by) || by.contains(bx)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Removes connections that no side sees any more, so ended requests do not pile up in the store. */
    private static void forgetEnded(Tx tx, Instant now) {
        tx.all(PeeringConnection.class, p -> forgotten(p, now)).forEach(tx::remove);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Accept, reject, delete

    /** Accepts a pending request: only the accepter, in the accepter's region, and within both VPCs' quotas. */
    public static PeeringConnection accept(Tx tx, Quotas quotas, PeeringConnectionId id) {
        Caller caller = tx.caller();
        Instant now = tx.now();
        PeeringConnection p = require(tx.world(), caller, now, id);
        requireAccepter(p, caller, "accepted");
        requireStatus(p, now, PeeringConnection.Status.PENDING_ACCEPTANCE, PeeringConnection.Status.ACTIVE);
        for (PeeringConnection.Side side : List.of(p.requester(), p.accepter())) {
            long active = tx.all(PeeringConnection.class, o -> o.joins(side.vpcId())
                    && PeeringConnection.Status.ACTIVE.equals(o.status())).size();
            if (active >= quotas.activePeeringsPerVpc()) {
                throw ErrorCode.ACTIVE_VPC_PEERING_CONNECTION_PER_VPC_LIMIT_EXCEEDED.format("The VPC %s already has "
                        + "the maximum number of active VPC peering connections (%d).", side.vpcId(),
                        quotas.activePeeringsPerVpc());
            }
        }
        World world = tx.world();
        PeeringConnection accepted = p.withSides(current(world, p.requester()), current(world, p.accepter()))
                .withStatus(PeeringConnection.Status.ACTIVE, null, now);
        return tx.put(accepted);
    }

    /** Rejects a pending request: only the accepter, in the accepter's region. */
    public static void reject(Tx tx, PeeringConnectionId id) {
        Caller caller = tx.caller();
        Instant now = tx.now();
        PeeringConnection p = require(tx.world(), caller, now, id);
        requireAccepter(p, caller, "accepted or rejected");
        requireStatus(p, now, PeeringConnection.Status.PENDING_ACCEPTANCE, PeeringConnection.Status.REJECTED);
        tx.put(p.withStatus(PeeringConnection.Status.REJECTED, caller.accountId(), now));
    }

    /**
     * Deletes an active connection (either side) or a pending request (only the requester's account); failed,
     * rejected, expired and deleted connections cannot be deleted. Routes that point at it become blackholes.
     */
    public static void delete(Tx tx, PeeringConnectionId id) {
        Caller caller = tx.caller();
        Instant now = tx.now();
        PeeringConnection p = require(tx.world(), caller, now, id);
        PeeringConnection.Status status = status(p, now);
        if (status.equals(PeeringConnection.Status.PENDING_ACCEPTANCE)
                && !p.requester().accountId().equals(caller.accountId())) {
            throw ErrorCode.OPERATION_NOT_PERMITTED.format("The VPC peering connection %s is pending acceptance: "
                    + "only the requester (account %s) can delete it; reject it instead.", p.id(),
                    p.requester().accountId());
        }
        if (!status.equals(PeeringConnection.Status.PENDING_ACCEPTANCE)
                && !status.equals(PeeringConnection.Status.ACTIVE)) {
            throw transition(p, status, "deleting");
        }
        tx.put(p.withStatus(PeeringConnection.Status.DELETED, caller.accountId(), now));
    }

    private static void requireAccepter(PeeringConnection p, Caller caller, String verb) {
        if (isAccepter(p, caller)) {
            return;
        }
        if (p.accepter().accountId().equals(caller.accountId())) {
            // The accepter's account asking from the requester's region (a same-account, cross-region peering).
            throw ErrorCode.OPERATION_NOT_PERMITTED.format("Incorrect region (%s) specified for this request. "
                    + "VPC peering connection %s must be %s in region %s", caller.region(), p.id(), verb,
                    p.accepter().region());
        }
        throw ErrorCode.OPERATION_NOT_PERMITTED.format("Account %s cannot %s the VPC peering connection %s: only "
                + "the owner of the accepter VPC (%s) can.", caller.accountId(),
                verb.startsWith("accepted or") ? "reject" : "accept", p.id(), p.accepter().accountId());
    }

    private static void requireStatus(PeeringConnection p, Instant now, PeeringConnection.Status wanted,
            PeeringConnection.Status target) {
        PeeringConnection.Status status = status(p, now);
        if (status != wanted) {
            throw transition(p, status, target);
        }
    }

    private static dev.underpass.model.AwsException transition(PeeringConnection p, PeeringConnection.Status from,
            Object to) {
        return ErrorCode.INVALID_STATE_TRANSITION.format(
                "Invalid state transition for %s, attempted to transition from %s to %s", p.id(), from, to);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Options

    /** The options a ModifyVpcPeeringConnectionOptions call sets on each side (null: that side is not changed). */
    public record OptionsChange(Boolean requesterDnsResolution, Boolean accepterDnsResolution) {}

    /**
     * Changes the remote-DNS-resolution option of one side or both. Each side may be changed only by that side (its
     * account in its region), only while the connection is active, and turning it on needs DNS support and DNS
     * hostnames in both VPCs.
     */
    public static PeeringConnection modifyOptions(Tx tx, PeeringConnectionId id, OptionsChange change) {
        Caller caller = tx.caller();
        Instant now = tx.now();
        PeeringConnection p = require(tx.world(), caller, now, id);
        if (change.requesterDnsResolution() == null && change.accepterDnsResolution() == null) {
            throw Ec2Errors.missingParameter(""
                    + "RequesterPeeringConnectionOptions or AccepterPeeringConnectionOptions");
        }
        if (!PeeringConnection.Status.ACTIVE.equals(status(p, now))) {
            throw ErrorCode.OPERATION_NOT_PERMITTED.format(
                    "Peering %s is not active. Peering options can be added only to active peerings.", p.id());
        }
        if (change.requesterDnsResolution() != null && !isRequester(p, caller)) {
            throw notYourSide(p, "requester", p.requester(), caller);
        }
        if (change.accepterDnsResolution() != null && !isAccepter(p, caller)) {
            throw notYourSide(p, "accepter", p.accepter(), caller);
        }
        if (Boolean.TRUE.equals(change.requesterDnsResolution())
                || Boolean.TRUE.equals(change.accepterDnsResolution())) {
            for (PeeringConnection.Side side : List.of(p.requester(), p.accepter())) {
                Vpc vpc = tx.find(Vpc.class, side.vpcId()).orElse(null);
                if (vpc != null && !(vpc.enableDnsSupport() && vpc.enableDnsHostnames())) {
                    throw ErrorCode.INVALID_VPC_PEERING_CONNECTION_STATE_DNS_HOSTNAMES_DISABLED.format("To enable "
                            + "DNS resolution for VPC peering connection %s, DNS support and DNS hostnames must be "
                            + "enabled for VPC %s.", p.id(), vpc.vpcId());
                }
            }
        }
        PeeringConnection.Side requester = change.requesterDnsResolution() == null ? p.requester()
                : p.requester().withDnsResolution(change.requesterDnsResolution());
        PeeringConnection.Side accepter = change.accepterDnsResolution() == null ? p.accepter()
                : p.accepter().withDnsResolution(change.accepterDnsResolution());
        return tx.put(p.withSides(requester, accepter));
    }

    private static dev.underpass.model.AwsException notYourSide(PeeringConnection p, String role,
            PeeringConnection.Side side, Caller caller) {
        return ErrorCode.OPERATION_NOT_PERMITTED.format("The %s options of VPC peering connection %s can be modified "
                + "only by account %s in region %s, not by account %s in region %s.", role, p.id(),
                side.accountId(), side.region(), caller.accountId(), caller.region());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Routes and VPC deletion

    /**
     * The connection a route in {@code table} may target: one the caller sees, that joins the table's VPC, and that
     * is active. Anything else is refused with AWS-style errors before the route is stored.
     */
    public static PeeringConnection requireRoutable(Tx tx, RouteTable table, PeeringConnectionId id) {
        Instant now = tx.now();
        PeeringConnection p = require(tx.world(), tx.caller(), now, id);
        if (!p.joins(table.vpcId())) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "route table %s and VPC peering connection %s belong to different networks", table.id(), id);
        }
        PeeringConnection.Status status = status(p, now);
        if (!status.equals(PeeringConnection.Status.ACTIVE)) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format("The VPC peering connection %s is %s; a route can "
                    + "target only an active VPC peering connection.", id, status);
        }
        return p;
    }

    /**
     * Whether traffic can use the connection: it exists, is active and both its VPCs still exist (a reset of one
     * account takes its VPC away without a DeleteVpc). A route to it is otherwise a blackhole.
     */
    public static boolean active(World world, PeeringConnectionId id) {
        return world.find(PeeringConnection.class, id).filter(p -> PeeringConnection.Status.ACTIVE.equals(p.status())
                && world.find(Vpc.class, p.requester().vpcId()).isPresent()
                && world.find(Vpc.class, p.accepter().vpcId()).isPresent()).isPresent();
    }

    /**
     * What deleting a VPC does to its peerings: a request another account sent to it and that is still pending blocks
     * the deletion (AWS asks the owner to reject it first); every other pending or active connection of the VPC is
     * deleted with it.
     */
    public static void releaseVpc(Tx tx, Vpc vpc) {
        Instant now = tx.now();
        List<PeeringConnection> live = tx.all(PeeringConnection.class, p -> p.joins(vpc.vpcId())
                && (status(p, now).equals(PeeringConnection.Status.PENDING_ACCEPTANCE)
                        || status(p, now).equals(PeeringConnection.Status.ACTIVE)));
        for (PeeringConnection p : live) {
            if (status(p, now).equals(PeeringConnection.Status.PENDING_ACCEPTANCE)
                    && p.accepter().vpcId().equals(vpc.vpcId())
                    && !p.requester().accountId().equals(vpc.ownerId())) {
                throw ErrorCode.DEPENDENCY_VIOLATION.format(
                        "The vpc '%s' has dependencies and cannot be deleted.", vpc.vpcId());
            }
        }
        for (PeeringConnection p : live) {
            tx.put(p.withStatus(PeeringConnection.Status.DELETED, tx.caller().accountId(), now));
        }
    }

    private static boolean present(String s) {
        return s != null && !s.isEmpty();
    }
}
