package dev.underpass.aws.ec2;

import dev.underpass.model.ErrorCode;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.Kind;
import dev.underpass.model.ec2.Lookup;
import dev.underpass.model.ec2.Subnets;
import dev.underpass.model.ec2.Visibility;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.BlockPublicAccessStates;
import software.amazon.awssdk.services.ec2.model.CreateSubnetRequest;
import software.amazon.awssdk.services.ec2.model.CreateSubnetResponse;
import software.amazon.awssdk.services.ec2.model.DeleteSubnetRequest;
import software.amazon.awssdk.services.ec2.model.DeleteSubnetResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSubnetsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSubnetsResponse;
import software.amazon.awssdk.services.ec2.model.ModifySubnetAttributeRequest;
import software.amazon.awssdk.services.ec2.model.ModifySubnetAttributeResponse;
import software.amazon.awssdk.services.ec2.model.PrivateDnsNameOptionsOnLaunch;
import software.amazon.awssdk.services.ec2.model.Subnet;

/** Subnets: create, delete, describe and the launch attributes. */
final class SubnetHandlers {
    private final Ec2Api api;

    SubnetHandlers(Ec2Api api) {
        this.api = api;
    }

    private Filters<dev.underpass.model.ec2.Subnet> filters(World world) {
        return Filters.<dev.underpass.model.ec2.Subnet>builder()
                .one("availability-zone", dev.underpass.model.ec2.Subnet::availabilityZone)
                .one("availabilityZone", dev.underpass.model.ec2.Subnet::availabilityZone)
                .one("availability-zone-id", dev.underpass.model.ec2.Subnet::availabilityZoneId)
                .one("availabilityZoneId", dev.underpass.model.ec2.Subnet::availabilityZoneId)
                .one("available-ip-address-count", s -> Subnets.availableAddressCount(world, s))
                .one("cidr-block", dev.underpass.model.ec2.Subnet::cidrBlock)
                .one("cidr", dev.underpass.model.ec2.Subnet::cidrBlock)
                .one("cidrBlock", dev.underpass.model.ec2.Subnet::cidrBlock)
                .one("default-for-az", dev.underpass.model.ec2.Subnet::defaultForAz)
                .one("defaultForAz", dev.underpass.model.ec2.Subnet::defaultForAz)
                .one("map-public-ip-on-launch", dev.underpass.model.ec2.Subnet::mapPublicIpOnLaunch)
                .one("owner-id", dev.underpass.model.ec2.Subnet::ownerId)
                .one("state", s -> "available")
                .one("subnet-arn", dev.underpass.model.ec2.Subnet::arn)
                .one("subnet-id", dev.underpass.model.ec2.Subnet::id)
                .one("vpc-id", dev.underpass.model.ec2.Subnet::vpcId)
                .one("ipv6-native", s -> false)
                .one("enable-dns64", s -> false)
                .many("ipv6-cidr-block-association.ipv6-cidr-block", s -> List.of())
                .many("ipv6-cidr-block-association.association-id", s -> List.of())
                .many("ipv6-cidr-block-association.state", s -> List.of())
                .build();
    }

    void register(Ec2Api registry) {
        registry.write("CreateSubnet", CreateSubnetRequest::builder, this::create);
        registry.write("DeleteSubnet", DeleteSubnetRequest::builder, this::delete);
        registry.read("DescribeSubnets", DescribeSubnetsRequest::builder, this::describe);
        registry.write("ModifySubnetAttribute", ModifySubnetAttributeRequest::builder, this::modifyAttribute);
    }

    private CreateSubnetResponse create(CreateSubnetRequest req, Tx tx) {
        if (req.ipv6CidrBlock() != null || Shapes.flag(req.ipv6Native()) || req.ipv4IpamPoolId() != null) {
            throw ErrorCode.UNSUPPORTED_OPERATION.with("underpass does not yet support IPv6 or IPAM pools for subnets.");
        }
        var subnet = Subnets.create(tx, api.settings().quotas(), new Subnets.Create(
                Shapes.required(req.vpcId(), "VpcId"), req.cidrBlock(), req.availabilityZone(),
                req.availabilityZoneId(), false, false, Shapes.tagsFor(req.tagSpecifications(), "subnet")));
        return CreateSubnetResponse.builder().subnet(shape(tx.world(), subnet, "pending")).build();
    }

    private DeleteSubnetResponse delete(DeleteSubnetRequest req, Tx tx) {
        Subnets.delete(tx, Shapes.required(req.subnetId(), "SubnetId"));
        return DeleteSubnetResponse.builder().build();
    }

    private DescribeSubnetsResponse describe(DescribeSubnetsRequest req, Ec2Api.ReadContext ctx) {
        World world = ctx.world();
        List<dev.underpass.model.ec2.Subnet> candidates = req.subnetIds().isEmpty()
                ? world.all(dev.underpass.model.ec2.Subnet.class, s -> Visibility.visible(world, ctx.caller(), s))
                : Lookup.requireAll(world, ctx.caller(), Kind.SUBNET, dev.underpass.model.ec2.Subnet.class,
                        req.subnetIds());
        var match = filters(world).compile(req.filters());
        var matched = candidates.stream().filter(match).toList();
        var page = Pages.of(matched, req.maxResults(), req.nextToken(), 5, 1000);
        return DescribeSubnetsResponse.builder()
                .subnets(page.items().stream().map(s -> shape(world, s, "available")).toList())
                .nextToken(page.nextToken()).build();
    }

    private ModifySubnetAttributeResponse modifyAttribute(ModifySubnetAttributeRequest req, Tx tx) {
        var subnet = Lookup.requireOwned(tx.world(), tx.caller(), Kind.SUBNET, dev.underpass.model.ec2.Subnet.class,
                req.subnetId());
        if (req.mapPublicIpOnLaunch() != null) {
            if (req.mapPublicIpOnLaunch().value() == null) {
                throw ErrorCode.MISSING_PARAMETER.with(
                        "The request must contain the parameter MapPublicIpOnLaunch.Value");
            }
            tx.put(subnet.withMapPublicIpOnLaunch(req.mapPublicIpOnLaunch().value()));
        } else if (req.assignIpv6AddressOnCreation() != null && Shapes.flag(req.assignIpv6AddressOnCreation().value())) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "Invalid value 'true' for assignIpv6AddressOnCreation: subnet %s has no IPv6 CIDR block.",
                    subnet.id());
        }
        return ModifySubnetAttributeResponse.builder().build();
    }

    static Subnet shape(World world, dev.underpass.model.ec2.Subnet s, String state) {
        var b = Subnet.builder().subnetId(s.id()).subnetArn(s.arn()).state(state).vpcId(s.vpcId())
                .cidrBlock(s.cidrBlock()).availabilityZone(s.availabilityZone())
                .availabilityZoneId(s.availabilityZoneId())
                .availableIpAddressCount((int) Subnets.availableAddressCount(world, s))
                .defaultForAz(s.defaultForAz()).mapPublicIpOnLaunch(s.mapPublicIpOnLaunch())
                .mapCustomerOwnedIpOnLaunch(false).assignIpv6AddressOnCreation(false).enableDns64(false)
                .ipv6Native(false).ownerId(s.ownerId()).ipv6CidrBlockAssociationSet(List.of())
                .privateDnsNameOptionsOnLaunch(PrivateDnsNameOptionsOnLaunch.builder().hostnameType("ip-name")
                        .enableResourceNameDnsARecord(false).enableResourceNameDnsAAAARecord(false).build())
                .blockPublicAccessStates(BlockPublicAccessStates.builder().internetGatewayBlockMode("off").build());
        if (!s.tags().isEmpty()) {
            b.tags(Shapes.tags(s.tags()));
        }
        return b.build();
    }
}
