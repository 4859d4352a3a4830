package dev.underpass.aws.ec2;

import dev.underpass.model.ec2.PeeringConnectionId;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.Caller;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.Kind;
import dev.underpass.model.ec2.PeeringConnection;
import dev.underpass.model.ec2.PeeringConnections;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.AcceptVpcPeeringConnectionRequest;
import software.amazon.awssdk.services.ec2.model.AcceptVpcPeeringConnectionResponse;
import software.amazon.awssdk.services.ec2.model.CidrBlock;
import software.amazon.awssdk.services.ec2.model.CreateVpcPeeringConnectionRequest;
import software.amazon.awssdk.services.ec2.model.CreateVpcPeeringConnectionResponse;
import software.amazon.awssdk.services.ec2.model.DeleteVpcPeeringConnectionRequest;
import software.amazon.awssdk.services.ec2.model.DeleteVpcPeeringConnectionResponse;
import software.amazon.awssdk.services.ec2.model.DescribeVpcPeeringConnectionsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeVpcPeeringConnectionsResponse;
import software.amazon.awssdk.services.ec2.model.Ipv6CidrBlock;
import software.amazon.awssdk.services.ec2.model.ModifyVpcPeeringConnectionOptionsRequest;
import software.amazon.awssdk.services.ec2.model.ModifyVpcPeeringConnectionOptionsResponse;
import software.amazon.awssdk.services.ec2.model.PeeringConnectionOptions;
import software.amazon.awssdk.services.ec2.model.PeeringConnectionOptionsRequest;
import software.amazon.awssdk.services.ec2.model.RejectVpcPeeringConnectionRequest;
import software.amazon.awssdk.services.ec2.model.RejectVpcPeeringConnectionResponse;
import software.amazon.awssdk.services.ec2.model.VpcPeeringConnection;
import software.amazon.awssdk.services.ec2.model.VpcPeeringConnectionOptionsDescription;
import software.amazon.awssdk.services.ec2.model.VpcPeeringConnectionStateReason;
import software.amazon.awssdk.services.ec2.model.VpcPeeringConnectionVpcInfo;

/**
 * VPC peering connections: create, accept, reject, delete, describe and the per-side options. The rules live in
 * {@link PeeringConnections}; this class maps the wire shapes and shows each caller its own side's view (its tags;
 * the accepter's blocks and options only once the connection is active, as AWS shows them).
 */
record PeeringHandlers(Ec2Registry api) {
    void register(Ec2Registry registry) {
        registry.write("CreateVpcPeeringConnection", CreateVpcPeeringConnectionRequest::builder, this::create);
        registry.write("AcceptVpcPeeringConnection", AcceptVpcPeeringConnectionRequest::builder, this::accept);
        registry.write("RejectVpcPeeringConnection", RejectVpcPeeringConnectionRequest::builder, this::reject);
        registry.write("DeleteVpcPeeringConnection", DeleteVpcPeeringConnectionRequest::builder, this::delete);
        registry.read("DescribeVpcPeeringConnections", DescribeVpcPeeringConnectionsRequest::builder,
                this::describe);
        registry.write("ModifyVpcPeeringConnectionOptions", ModifyVpcPeeringConnectionOptionsRequest::builder,
                this::modifyOptions);
    }

    private CreateVpcPeeringConnectionResponse create(CreateVpcPeeringConnectionRequest req, Tx tx) {
        PeeringConnection p = PeeringConnections.create(tx, api.settings().quotas(), new PeeringConnections.Create(
                VpcId.of(Shapes.required(req.vpcId(), "VpcId")), VpcId.of(req.peerVpcId()), req.peerOwnerId(),
                req.peerRegion(),
                Shapes.tagsFor(req.tagSpecifications(), "vpc-peering-connection")));
        // AWS answers while the request is still being passed on; the status settles right after.
        return CreateVpcPeeringConnectionResponse.builder().vpcPeeringConnection(shape(tx.world(), tx.caller(),
                tx.now(), p, PeeringConnection.Status.INITIATING_REQUEST)).build();
    }

    private AcceptVpcPeeringConnectionResponse accept(AcceptVpcPeeringConnectionRequest req, Tx tx) {
        PeeringConnection p = PeeringConnections.accept(tx, api.settings().quotas(),
                PeeringConnectionId.of(Shapes.required(req.vpcPeeringConnectionId(), "VpcPeeringConnectionId")));
        return AcceptVpcPeeringConnectionResponse.builder().vpcPeeringConnection(shape(tx.world(), tx.caller(),
                tx.now(), p, PeeringConnection.Status.PROVISIONING)).build();
    }

    private RejectVpcPeeringConnectionResponse reject(RejectVpcPeeringConnectionRequest req, Tx tx) {
        PeeringConnections.reject(tx,
                PeeringConnectionId.of(Shapes.required(req.vpcPeeringConnectionId(), "VpcPeeringConnectionId")));
        return RejectVpcPeeringConnectionResponse.builder().returnValue(true).build();
    }

    private DeleteVpcPeeringConnectionResponse delete(DeleteVpcPeeringConnectionRequest req, Tx tx) {
        PeeringConnections.delete(tx,
                PeeringConnectionId.of(Shapes.required(req.vpcPeeringConnectionId(), "VpcPeeringConnectionId")));
        return DeleteVpcPeeringConnectionResponse.builder().returnValue(true).build();
    }

    private static FilterSpec<PeeringConnection> filters(World world, Instant now) {
        return FilterSpec.<PeeringConnection>resources()
                .one("vpc-peering-connection-id", PeeringConnection::id)
                .one("status-code", p -> PeeringConnections.status(p, now).wire())
                .one("status-message", p -> PeeringConnections.message(p, now))
                .many("expiration-time", p -> {
                    // As the wire writes it (with milliseconds), or as java.time prints it.
                    Instant t = expiration(p, now);
                    return t == null ? List.of() : List.of(dev.underpass.aws.wire.XmlEncoder.time(t),
                            t.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
                })
                .one("requester-vpc-info.vpc-id", p -> p.requester().vpcId())
                .one("requester-vpc-info.owner-id", p -> p.requester().accountId())
                .many("requester-vpc-info.cidr-block", p -> requesterSide(world, p, now).cidrBlocks())
                .one("accepter-vpc-info.vpc-id", p -> p.accepter().vpcId())
                .one("accepter-vpc-info.owner-id", p -> p.accepter().accountId())
                .many("accepter-vpc-info.cidr-block", p -> accepterSide(world, p, now).cidrBlocks())
                .build();
    }

    private DescribeVpcPeeringConnectionsResponse describe(DescribeVpcPeeringConnectionsRequest req,
            Ec2Api.ReadContext ctx) {
        World world = ctx.world();
        Caller caller = ctx.caller();
        Instant now = ctx.now();
        List<PeeringConnection> candidates = req.vpcPeeringConnectionIds().isEmpty()
                ? PeeringConnections.visibleTo(world, caller, now)
                : requireAll(world, caller, now, req.vpcPeeringConnectionIds());
        // Each side has its own tags; filters and the answer use the caller's.
        var page = Describe.of(candidates).map(p -> p.withTags(tagsFor(p, caller)))
                .filter(filters(world, now), req.filters())
                .page(req.maxResults(), req.nextToken(), Describe.Limits.STANDARD);
        return DescribeVpcPeeringConnectionsResponse.builder()
                .vpcPeeringConnections(page.map(p -> shape(world, caller, now, p,
                        PeeringConnections.status(p, now))))
                .nextToken(page.nextToken()).build();
    }

    /** The named connections; any the caller does not see is reported in one NotFound error. */
    private static List<PeeringConnection> requireAll(World world, Caller caller, Instant now, List<String> ids) {
        List<PeeringConnection> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String id : new LinkedHashSet<>(ids)) {
            Ids.require("pcx", id, ErrorCode.INVALID_VPC_PEERING_CONNECTION_ID_MALFORMED);
            world.find(PeeringConnection.class, id).filter(p -> PeeringConnections.visible(p, caller, now))
                    .ifPresentOrElse(found::add, () -> missing.add(id));
        }
        if (!missing.isEmpty()) {
            throw Kind.VPC_PEERING_CONNECTION.notFound(missing);
        }
        found.sort((a, b) -> a.id().compareTo(b.id()));
        return found;
    }

    private ModifyVpcPeeringConnectionOptionsResponse modifyOptions(ModifyVpcPeeringConnectionOptionsRequest req,
            Tx tx) {
        PeeringConnectionOptionsRequest requester = req.requesterPeeringConnectionOptions();
        PeeringConnectionOptionsRequest accepter = req.accepterPeeringConnectionOptions();
        refuseClassicLink(requester);
        refuseClassicLink(accepter);
        PeeringConnection p = PeeringConnections.modifyOptions(tx,
                PeeringConnectionId.of(Shapes.required(req.vpcPeeringConnectionId(), "VpcPeeringConnectionId")),
                new PeeringConnections.OptionsChange(dns(requester), dns(accepter)));
        var b = ModifyVpcPeeringConnectionOptionsResponse.builder();
        if (requester != null) {
            b.requesterPeeringConnectionOptions(options(p.requester()));
        }
        if (accepter != null) {
            b.accepterPeeringConnectionOptions(options(p.accepter()));
        }
        return b.build();
    }

    /** The side's DNS option as asked (null when the side is not named; an empty side turns nothing on). */
    private static Boolean dns(PeeringConnectionOptionsRequest side) {
        if (side == null) {
            return null;
        }
        return Boolean.TRUE.equals(side.allowDnsResolutionFromRemoteVpc());
    }

    /** EC2-Classic, and with it ClassicLink, is retired: only {@code false} may be asked for. */
    private static void refuseClassicLink(PeeringConnectionOptionsRequest side) {
        if (side != null && (Boolean.TRUE.equals(side.allowEgressFromLocalClassicLinkToRemoteVpc())
                || Boolean.TRUE.equals(side.allowEgressFromLocalVpcToRemoteClassicLink()))) {
            throw ErrorCode.UNSUPPORTED_OPERATION.with(
                    "ClassicLink has been retired; the ClassicLink peering options cannot be enabled.");
        }
    }

    private static PeeringConnectionOptions options(PeeringConnection.Side side) {
        return PeeringConnectionOptions.builder()
                .allowDnsResolutionFromRemoteVpc(side.allowDnsResolutionFromRemoteVpc())
                .allowEgressFromLocalClassicLinkToRemoteVpc(false)
                .allowEgressFromLocalVpcToRemoteClassicLink(false).build();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Shapes

    private static Map<String, String> tagsFor(PeeringConnection p, Caller caller) {
        return PeeringConnections.isRequester(p, caller) ? p.tags() : p.accepterTags();
    }

    /** The expiration time AWS shows: while the request waits for acceptance (and once it has expired). */
    private static Instant expiration(PeeringConnection p, Instant now) {
        PeeringConnection.Status status = PeeringConnections.status(p, now);
        return status.equals(PeeringConnection.Status.PENDING_ACCEPTANCE)
                || status.equals(PeeringConnection.Status.EXPIRED)
                        ? PeeringConnections.expiresAt(p) : null;
    }

    private static PeeringConnection.Side requesterSide(World world, PeeringConnection p, Instant now) {
        PeeringConnection.Status status = PeeringConnections.status(p, now);
        boolean live = status.equals(PeeringConnection.Status.ACTIVE)
                || status.equals(PeeringConnection.Status.PENDING_ACCEPTANCE);
        return live ? PeeringConnections.current(world, p.requester()) : p.requester();
    }

    /** The accepter's blocks show only once it has accepted (AWS hides them from a mere request). */
    private static PeeringConnection.Side accepterSide(World world, PeeringConnection p, Instant now) {
        return PeeringConnection.Status.ACTIVE.equals(PeeringConnections.status(p, now))
                ? PeeringConnections.current(world, p.accepter()) : p.accepter();
    }

    static VpcPeeringConnection shape(World world, Caller caller, Instant now, PeeringConnection p,
            PeeringConnection.Status code) {
        PeeringConnection.Side accepter = accepterSide(world, p, now);
        return VpcPeeringConnection.builder()
                .vpcPeeringConnectionId(p.id())
                .status(VpcPeeringConnectionStateReason.builder().code(code.wire())
                        .message(PeeringConnections.message(p, code)).build())
                .expirationTime(expiration(p, now))
                .requesterVpcInfo(info(requesterSide(world, p, now), true))
                .accepterVpcInfo(info(accepter, !accepter.cidrBlocks().isEmpty()))
                .tags(Shapes.tags(tagsFor(p, caller)))
                .build();
    }

    private static VpcPeeringConnectionVpcInfo info(PeeringConnection.Side side, boolean full) {
        var b = VpcPeeringConnectionVpcInfo.builder().ownerId(side.accountId()).vpcId(VpcId.text(side.vpcId()))
                .region(side.region());
        if (full) {
            b.cidrBlock(side.cidrBlock())
                    .cidrBlockSet(side.cidrBlocks().stream().map(c -> CidrBlock.builder().cidrBlock(c).build())
                            .toList())
                    .ipv6CidrBlockSet(side.ipv6CidrBlocks().stream()
                            .map(c -> Ipv6CidrBlock.builder().ipv6CidrBlock(c).build()).toList())
                    .peeringOptions(VpcPeeringConnectionOptionsDescription.builder()
                            .allowDnsResolutionFromRemoteVpc(side.allowDnsResolutionFromRemoteVpc())
                            .allowEgressFromLocalClassicLinkToRemoteVpc(false)
                            .allowEgressFromLocalVpcToRemoteClassicLink(false).build());
        }
        return b.build();
    }
}
