package dev.underpass.aws.ec2;

import dev.underpass.model.ErrorCode;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.InternetGateways;
import dev.underpass.model.ec2.Kind;
import dev.underpass.model.ec2.Lookup;
import dev.underpass.model.ec2.NatGateways;
import dev.underpass.model.ec2.Visibility;
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
final class GatewayHandlers {
    private final Ec2Registry api;

    private final Filters<dev.underpass.model.ec2.InternetGateway> igwFilters =
            Filters.<dev.underpass.model.ec2.InternetGateway>builder()
                    .many("attachment.state", g -> g.attachedVpcIds().isEmpty() ? List.of()
                            : List.of(InternetGateways.ATTACHED))
                    .many("attachment.vpc-id", dev.underpass.model.ec2.InternetGateway::attachedVpcIds)
                    .one("internet-gateway-id", dev.underpass.model.ec2.InternetGateway::id)
                    .one("owner-id", dev.underpass.model.ec2.InternetGateway::ownerId)
                    .build();

    private final Filters<dev.underpass.model.ec2.NatGateway> natFilters =
            Filters.<dev.underpass.model.ec2.NatGateway>builder()
                    .one("nat-gateway-id", dev.underpass.model.ec2.NatGateway::id)
                    .one("state", NatGateways::observed)
                    .one("subnet-id", dev.underpass.model.ec2.NatGateway::subnetId)
                    .one("vpc-id", dev.underpass.model.ec2.NatGateway::vpcId)
                    .build();

    GatewayHandlers(Ec2Registry api) {
        this.api = api;
    }

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
        InternetGateways.attach(tx, Shapes.required(req.internetGatewayId(), "InternetGatewayId"),
                Shapes.required(req.vpcId(), "VpcId"));
        return AttachInternetGatewayResponse.builder().build();
    }

    private DetachInternetGatewayResponse detachIgw(DetachInternetGatewayRequest req, Tx tx) {
        InternetGateways.detach(tx, Shapes.required(req.internetGatewayId(), "InternetGatewayId"),
                Shapes.required(req.vpcId(), "VpcId"));
        return DetachInternetGatewayResponse.builder().build();
    }

    private DeleteInternetGatewayResponse deleteIgw(DeleteInternetGatewayRequest req, Tx tx) {
        InternetGateways.delete(tx, Shapes.required(req.internetGatewayId(), "InternetGatewayId"));
        return DeleteInternetGatewayResponse.builder().build();
    }

    private DescribeInternetGatewaysResponse describeIgws(DescribeInternetGatewaysRequest req,
            Ec2Api.ReadContext ctx) {
        World world = ctx.world();
        List<dev.underpass.model.ec2.InternetGateway> candidates = req.internetGatewayIds().isEmpty()
                ? world.all(dev.underpass.model.ec2.InternetGateway.class,
                        g -> Visibility.visible(world, ctx.caller(), g))
                : Lookup.requireAll(world, ctx.caller(), Kind.INTERNET_GATEWAY,
                        dev.underpass.model.ec2.InternetGateway.class, req.internetGatewayIds());
        var matched = candidates.stream().filter(igwFilters.compile(req.filters())).toList();
        var page = Pages.of(matched, req.maxResults(), req.nextToken(), 5, 1000);
        return DescribeInternetGatewaysResponse.builder()
                .internetGateways(page.items().stream().map(GatewayHandlers::shape).toList())
                .nextToken(page.nextToken()).build();
    }

    static InternetGateway shape(dev.underpass.model.ec2.InternetGateway g) {
        return InternetGateway.builder().internetGatewayId(g.id()).ownerId(g.ownerId())
                .attachments(g.attachedVpcIds().stream().map(v -> InternetGatewayAttachment.builder().vpcId(v)
                        .state(InternetGateways.ATTACHED).build()).toList())
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
                Shapes.required(req.subnetId(), "SubnetId"), req.connectivityTypeAsString(), req.allocationId(),
                req.privateIpAddress(), Shapes.tagsFor(req.tagSpecifications(), "natgateway")));
        return CreateNatGatewayResponse.builder().natGateway(shape(nat, nat.state()))
                .clientToken(req.clientToken()).build();
    }

    private DeleteNatGatewayResponse deleteNat(DeleteNatGatewayRequest req, Tx tx) {
        var nat = NatGateways.delete(tx, Shapes.required(req.natGatewayId(), "NatGatewayId"));
        return DeleteNatGatewayResponse.builder().natGatewayId(nat.id()).build();
    }

    private DescribeNatGatewaysResponse describeNats(DescribeNatGatewaysRequest req, Ec2Api.ReadContext ctx) {
        World world = ctx.world();
        Instant now = ctx.now();
        List<dev.underpass.model.ec2.NatGateway> candidates;
        if (req.natGatewayIds().isEmpty()) {
            candidates = world.all(dev.underpass.model.ec2.NatGateway.class,
                    n -> Visibility.visible(world, ctx.caller(), n) && NatGateways.retained(n, now));
        } else {
            candidates = Lookup.requireAll(world, ctx.caller(), Kind.NAT_GATEWAY,
                    dev.underpass.model.ec2.NatGateway.class, req.natGatewayIds());
            List<String> expired = candidates.stream().filter(n -> !NatGateways.retained(n, now))
                    .map(dev.underpass.model.ec2.NatGateway::id).toList();
            if (!expired.isEmpty()) {
                throw Kind.NAT_GATEWAY.notFound(expired);
            }
        }
        var matched = candidates.stream().filter(natFilters.compile(req.filter())).toList();
        var page = Pages.of(matched, req.maxResults(), req.nextToken(), 5, 1000);
        return DescribeNatGatewaysResponse.builder()
                .natGateways(page.items().stream().map(n -> shape(n, NatGateways.observed(n))).toList())
                .nextToken(page.nextToken()).build();
    }

    static NatGateway shape(dev.underpass.model.ec2.NatGateway n, String state) {
        var address = NatGatewayAddress.builder().allocationId(n.allocationId())
                .networkInterfaceId(n.networkInterfaceId()).privateIp(n.privateIp()).publicIp(n.publicIp())
                .isPrimary(true).status(NatGatewayAddressStatus.SUCCEEDED);
        if (n.allocationId() != null) {
            // Stable per gateway; Elastic IP associations are not stored yet.
            address.associationId("eipassoc-" + n.id().substring(n.id().indexOf('-') + 1));
        }
        return NatGateway.builder().natGatewayId(n.id()).subnetId(n.subnetId()).vpcId(n.vpcId())
                .connectivityType(n.connectivityType()).state(state).createTime(n.createTime())
                .deleteTime(n.deleteTime()).natGatewayAddresses(address.build()).tags(Shapes.tags(n.tags()))
                .build();
    }
}
