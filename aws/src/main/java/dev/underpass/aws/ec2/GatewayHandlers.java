package dev.underpass.aws.ec2;

import dev.underpass.model.ec2.ElasticIpAssociationId;
import dev.underpass.model.ec2.NatGatewayId;
import dev.underpass.model.ec2.AllocationId;
import dev.underpass.model.ec2.InternetGatewayId;
import dev.underpass.model.ec2.NetworkInterfaceId;
import dev.underpass.model.ec2.SubnetId;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.ElasticIps;
import dev.underpass.model.ec2.InternetGateways;
import dev.underpass.model.ec2.Kind;
import dev.underpass.model.ec2.Lookup;
import dev.underpass.model.ec2.NatGateways;
import dev.underpass.model.ec2.Scoped;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.AttachInternetGatewayRequest;
import software.amazon.awssdk.services.ec2.model.AttachInternetGatewayResponse;
import software.amazon.awssdk.services.ec2.model.CreateInternetGatewayRequest;
import software.amazon.awssdk.services.ec2.model.CreateInternetGatewayResponse;
import software.amazon.awssdk.services.ec2.model.CreateNatGatewayRequest;
import software.amazon.awssdk.services.ec2.model.CreateNatGatewayResponse;
import software.amazon.awssdk.services.ec2.model.DeleteInternetGatewayRequest;
import software.amazon.awssdk.services.ec2.model.DeleteInternetGatewayResponse;
import software.amazon.awssdk.services.ec2.model.DeleteNatGatewayRequest;
import software.amazon.awssdk.services.ec2.model.DeleteNatGatewayResponse;
import software.amazon.awssdk.services.ec2.model.DescribeInternetGatewaysRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInternetGatewaysResponse;
import software.amazon.awssdk.services.ec2.model.DescribeNatGatewaysRequest;
import software.amazon.awssdk.services.ec2.model.DescribeNatGatewaysResponse;
import software.amazon.awssdk.services.ec2.model.DetachInternetGatewayRequest;
import software.amazon.awssdk.services.ec2.model.DetachInternetGatewayResponse;
import software.amazon.awssdk.services.ec2.model.InternetGateway;
import software.amazon.awssdk.services.ec2.model.InternetGatewayAttachment;
import software.amazon.awssdk.services.ec2.model.NatGateway;
import software.amazon.awssdk.services.ec2.model.NatGatewayAddress;
import software.amazon.awssdk.services.ec2.model.NatGatewayAddressStatus;

/**
 * Internet gateways (create, attach, detach, delete, describe) and NAT gateways (create, delete, describe). The
 * rules live in {@link InternetGateways} and {@link NatGateways}; this class maps the wire shapes.
 */
record GatewayHandlers(Ec2Registry api) {
    private static final FilterSpec<dev.underpass.model.ec2.InternetGateway> IGW_FILTERS =
            FilterSpec.<dev.underpass.model.ec2.InternetGateway>resources()
                    .many("attachment.state", g -> g.attachedVpcIds().isEmpty() ? List.of()
                            : List.of(InternetGateways.ATTACHED))
                    .many("attachment.vpc-id", dev.underpass.model.ec2.InternetGateway::attachedVpcIds)
                    .one("internet-gateway-id", dev.underpass.model.ec2.InternetGateway::id)
                    .one("owner-id", dev.underpass.model.ec2.InternetGateway::ownerId)
                    .build();

    private static final FilterSpec<dev.underpass.model.ec2.NatGateway> NAT_FILTERS =
            FilterSpec.<dev.underpass.model.ec2.NatGateway>resources()
                    .one("nat-gateway-id", dev.underpass.model.ec2.NatGateway::id)
                    .one("state", n -> NatGateways.observed(n).wire())
                    .one("subnet-id", dev.underpass.model.ec2.NatGateway::subnetId)
                    .one("vpc-id", dev.underpass.model.ec2.NatGateway::vpcId)
                    .build();

    void register(Ec2Registry registry) {
        registry.write("CreateInternetGateway", CreateInternetGatewayRequest::builder, this::createIgw);
        registry.write("AttachInternetGateway", AttachInternetGatewayRequest::builder, this::attachIgw);
        registry.write("DetachInternetGateway", DetachInternetGatewayRequest::builder, this::detachIgw);
        registry.write("DeleteInternetGateway", DeleteInternetGatewayRequest::builder, this::deleteIgw);
        registry.read("DescribeInternetGateways", DescribeInternetGatewaysRequest::builder, this::describeIgws);
        registry.write("CreateNatGateway", CreateNatGatewayRequest::builder, this::createNat);
        registry.write("DeleteNatGateway", DeleteNatGatewayRequest::builder, this::deleteNat);
        registry.read("DescribeNatGateways", DescribeNatGatewaysRequest::builder, this::describeNats);
    }

    // Internet gateways

    private CreateInternetGatewayResponse createIgw(CreateInternetGatewayRequest req, Tx tx) {
        var igw = InternetGateways.create(tx, api.settings().quotas(),
                Shapes.tagsFor(req.tagSpecifications(), "internet-gateway"));
        return CreateInternetGatewayResponse.builder().internetGateway(shape(igw)).build();
    }

    private AttachInternetGatewayResponse attachIgw(AttachInternetGatewayRequest req, Tx tx) {
        InternetGateways.attach(tx, InternetGatewayId.of(Shapes.required(req.internetGatewayId(), "InternetGatewayId")),
                VpcId.of(Shapes.required(req.vpcId(), "VpcId")));
        return AttachInternetGatewayResponse.builder().build();
    }

    private DetachInternetGatewayResponse detachIgw(DetachInternetGatewayRequest req, Tx tx) {
        InternetGateways.detach(tx, InternetGatewayId.of(Shapes.required(req.internetGatewayId(), "InternetGatewayId")),
                VpcId.of(Shapes.required(req.vpcId(), "VpcId")));
        return DetachInternetGatewayResponse.builder().build();
    }

    private DeleteInternetGatewayResponse deleteIgw(DeleteInternetGatewayRequest req, Tx tx) {
        InternetGateways.delete(tx,
                InternetGatewayId.of(Shapes.required(req.internetGatewayId(), "InternetGatewayId")));
        return DeleteInternetGatewayResponse.builder().build();
    }

    private DescribeInternetGatewaysResponse describeIgws(DescribeInternetGatewaysRequest req,
            Ec2Api.ReadContext ctx) {
        World world = ctx.world();
        var page = Describe.visible(ctx, dev.underpass.model.ec2.InternetGateway.class, Kind.INTERNET_GATEWAY,
                req.internetGatewayIds())
                .filter(IGW_FILTERS, req.filters()).page(req.maxResults(), req.nextToken(), Describe.Limits.STANDARD);
        return DescribeInternetGatewaysResponse.builder()
                .internetGateways(page.map(GatewayHandlers::shape))
                .nextToken(page.nextToken()).build();
    }

    static InternetGateway shape(dev.underpass.model.ec2.InternetGateway g) {
        return InternetGateway.builder().internetGatewayId(g.id()).ownerId(g.ownerId())
                .attachments(g.attachedVpcIds().stream()
                        .map(v -> InternetGatewayAttachment.builder().vpcId(VpcId.text(v))
                                .state(InternetGateways.ATTACHED).build())
                        .toList())
                .tags(Shapes.tags(g.tags())).build();
    }

    // NAT gateways

    private CreateNatGatewayResponse createNat(CreateNatGatewayRequest req, Tx tx) {
        if (req.hasSecondaryAllocationIds() || req.hasSecondaryPrivateIpAddresses()
                || req.secondaryPrivateIpAddressCount() != null || req.hasAvailabilityZoneAddresses()
                || (req.availabilityModeAsString() != null && !req.availabilityModeAsString().equals("zonal"))) {
            throw ErrorCode.UNSUPPORTED_OPERATION.with("underpass does not yet support secondary addresses or "
                    + "regional availability for NAT gateways.");
        }
        var nat = NatGateways.create(tx, api.settings().quotas(), new NatGateways.Create(
                SubnetId.of(Shapes.required(req.subnetId(), "SubnetId")), req.connectivityTypeAsString(),
                AllocationId.of(req.allocationId()),
                req.privateIpAddress(), Shapes.tagsFor(req.tagSpecifications(), "natgateway")));
        return CreateNatGatewayResponse.builder().natGateway(shape(tx.world(), nat, nat.state().wire()))
                .clientToken(req.clientToken()).build();
    }

    private DeleteNatGatewayResponse deleteNat(DeleteNatGatewayRequest req, Tx tx) {
        var nat = NatGateways.delete(tx, NatGatewayId.of(Shapes.required(req.natGatewayId(), "NatGatewayId")));
        return DeleteNatGatewayResponse.builder().natGatewayId(nat.id()).build();
    }

    private DescribeNatGatewaysResponse describeNats(DescribeNatGatewaysRequest req, Ec2Api.ReadContext ctx) {
        Instant now = ctx.now();
        World world = ctx.world();
        var page = Describe.visible(ctx, dev.underpass.model.ec2.NatGateway.class, Kind.NAT_GATEWAY,
                req.natGatewayIds(), n -> NatGateways.retained(n, now))
                .filter(NAT_FILTERS, req.filter()).page(req.maxResults(), req.nextToken(), Describe.Limits.STANDARD);
        return DescribeNatGatewaysResponse.builder()
                .natGateways(page.map(n -> shape(world, n, NatGateways.observed(n).wire())))
                .nextToken(page.nextToken()).build();
    }

    static NatGateway shape(World world, dev.underpass.model.ec2.NatGateway n, String state) {
        var address = NatGatewayAddress.builder().allocationId(AllocationId.text(n.allocationId()))
                .networkInterfaceId(NetworkInterfaceId.text(n.networkInterfaceId())).privateIp(n.privateIp())
                .publicIp(n.publicIp())
                .isPrimary(true).status(NatGatewayAddressStatus.SUCCEEDED);
        if (n.allocationId() != null) {
            // The gateway's association with its Elastic IP, while it holds it.
            world.find(dev.underpass.model.ec2.ElasticIp.class, n.allocationId())
                    .map(e -> ElasticIps.live(world, e))
                    .filter(a -> a.networkInterfaceId().equals(n.networkInterfaceId()))
                    .ifPresent(a -> address.associationId(ElasticIpAssociationId.text(a.associationId())));
        }
        return NatGateway.builder().natGatewayId(n.id()).subnetId(SubnetId.text(n.subnetId()))
                .vpcId(VpcId.text(n.vpcId()))
                .connectivityType(n.connectivityType().wire()).state(state).createTime(n.createTime())
                .deleteTime(n.deleteTime()).natGatewayAddresses(address.build()).tags(Shapes.tags(n.tags()))
                .build();
    }
}
