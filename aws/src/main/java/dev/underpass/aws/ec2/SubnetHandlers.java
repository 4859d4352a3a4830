package dev.underpass.aws.ec2;

import dev.underpass.model.ec2.SubnetCidrAssociationId;
import dev.underpass.model.ec2.SubnetId;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.aws.ShapeCache;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.CidrAssociationState;
import dev.underpass.model.ec2.Kind;
import dev.underpass.model.ec2.Lookup;
import dev.underpass.model.ec2.Scoped;
import dev.underpass.model.ec2.Subnet.Ipv6Association;
import dev.underpass.model.ec2.Subnets;
import dev.underpass.model.ec2.Visibility;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.AssociateSubnetCidrBlockRequest;
import software.amazon.awssdk.services.ec2.model.AssociateSubnetCidrBlockResponse;
import software.amazon.awssdk.services.ec2.model.BlockPublicAccessStates;
import software.amazon.awssdk.services.ec2.model.CreateSubnetRequest;
import software.amazon.awssdk.services.ec2.model.CreateSubnetResponse;
import software.amazon.awssdk.services.ec2.model.DeleteSubnetRequest;
import software.amazon.awssdk.services.ec2.model.DeleteSubnetResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSubnetsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeSubnetsResponse;
import software.amazon.awssdk.services.ec2.model.DisassociateSubnetCidrBlockRequest;
import software.amazon.awssdk.services.ec2.model.DisassociateSubnetCidrBlockResponse;
import software.amazon.awssdk.services.ec2.model.ModifySubnetAttributeRequest;
import software.amazon.awssdk.services.ec2.model.ModifySubnetAttributeResponse;
import software.amazon.awssdk.services.ec2.model.PrivateDnsNameOptionsOnLaunch;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.SubnetCidrBlockState;
import software.amazon.awssdk.services.ec2.model.SubnetIpv6CidrBlockAssociation;

/** Subnets: create, delete, describe and the launch attributes. */
record SubnetHandlers(Ec2Registry api) {
    private FilterSpec<dev.underpass.model.ec2.Subnet> filters(World world) {
        return FilterSpec.<dev.underpass.model.ec2.Subnet>resources()
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
                .one("ipv6-native", dev.underpass.model.ec2.Subnet::ipv6Native)
                .one("enable-dns64", s -> false)
                .each("ipv6-cidr-block-association.ipv6-cidr-block", s -> s.ipv6Associations(),
                        Ipv6Association::ipv6CidrBlock)
                .each("ipv6-cidr-block-association.association-id", s -> s.ipv6Associations(),
                        Ipv6Association::associationId)
                .each("ipv6-cidr-block-association.state", s -> s.ipv6Associations(), a -> a.state().wire())
                .build();
    }

    void register(Ec2Registry registry) {
        registry.write("CreateSubnet", CreateSubnetRequest::builder, this::create);
        registry.write("DeleteSubnet", DeleteSubnetRequest::builder, this::delete);
        registry.read("DescribeSubnets", DescribeSubnetsRequest::builder, this::describe);
        registry.write("ModifySubnetAttribute", ModifySubnetAttributeRequest::builder, this::modifyAttribute);
        registry.write("AssociateSubnetCidrBlock", AssociateSubnetCidrBlockRequest::builder, this::associateCidr);
        registry.write("DisassociateSubnetCidrBlock", DisassociateSubnetCidrBlockRequest::builder,
                this::disassociateCidr);
    }

    private CreateSubnetResponse create(CreateSubnetRequest req, Tx tx) {
        if (req.ipv4IpamPoolId() != null || req.ipv6IpamPoolId() != null || req.ipv4NetmaskLength() != null
                || req.ipv6NetmaskLength() != null) {
            throw ErrorCode.UNSUPPORTED_OPERATION.with("underpass does not support IPAM pools for subnets.");
        }
        var subnet = Subnets.create(tx, api.settings().quotas(), new Subnets.Create(
                VpcId.of(Shapes.required(req.vpcId(), "VpcId")), req.cidrBlock(), req.availabilityZone(),
                req.availabilityZoneId(), false, false, Shapes.tagsFor(req.tagSpecifications(), "subnet")),
                req.ipv6CidrBlock(), Shapes.flag(req.ipv6Native()));
        // AWS answers while the IPv6 block is still being associated.
        return CreateSubnetResponse.builder()
                .subnet(shape(tx.world(), subnet, "pending", CidrAssociationState.ASSOCIATING)).build();
    }

    private AssociateSubnetCidrBlockResponse associateCidr(AssociateSubnetCidrBlockRequest req, Tx tx) {
        if (req.ipv6IpamPoolId() != null || req.ipv6NetmaskLength() != null) {
            throw ErrorCode.UNSUPPORTED_OPERATION.with("underpass does not support IPAM pools for subnets.");
        }
        String subnetId = Shapes.required(req.subnetId(), "SubnetId");
        var assoc = Subnets.associateIpv6(tx, SubnetId.of(subnetId), req.ipv6CidrBlock());
        return AssociateSubnetCidrBlockResponse.builder().subnetId(subnetId)
                .ipv6CidrBlockAssociation(
                        association(SubnetCidrAssociationId.text(assoc.associationId()), assoc.ipv6CidrBlock(),
                                CidrAssociationState.ASSOCIATING))
                .build();
    }

    private DisassociateSubnetCidrBlockResponse disassociateCidr(DisassociateSubnetCidrBlockRequest req, Tx tx) {
        var result = Subnets.disassociateIpv6(tx,
                SubnetCidrAssociationId.of(Shapes.required(req.associationId(), "AssociationId")));
        var a = result.association();
        return DisassociateSubnetCidrBlockResponse.builder().subnetId(SubnetId.text(result.subnetId()))
                .ipv6CidrBlockAssociation(
                        association(SubnetCidrAssociationId.text(a.associationId()), a.ipv6CidrBlock(), a.state()))
                .build();
    }

    private static SubnetIpv6CidrBlockAssociation association(String id, String block,
            CidrAssociationState state) {
        return SubnetIpv6CidrBlockAssociation.builder().associationId(id).ipv6CidrBlock(block)
                .ipv6CidrBlockState(SubnetCidrBlockState.builder().state(state.wire()).build()).build();
    }

    private DeleteSubnetResponse delete(DeleteSubnetRequest req, Tx tx) {
        Subnets.delete(tx, SubnetId.of(Shapes.required(req.subnetId(), "SubnetId")));
        return DeleteSubnetResponse.builder().build();
    }

    private DescribeSubnetsResponse describe(DescribeSubnetsRequest req, Ec2Api.ReadContext ctx) {
        World world = ctx.world();
        var page = Describe.visible(ctx, dev.underpass.model.ec2.Subnet.class, Kind.SUBNET, req.subnetIds())
                .map(s -> dev.underpass.model.ec2.Subnets.asSeenBy(world, ctx.caller(), s))
                .filter(filters(world), req.filters())
                .page(req.maxResults(), req.nextToken(), Describe.Limits.STANDARD);
        return DescribeSubnetsResponse.builder()
                .subnets(ShapeCache.of(world).shapes(page.items(), Subnet.class, s -> shape(world, s, "available")))
                .nextToken(page.nextToken()).build();
    }

    private ModifySubnetAttributeResponse modifyAttribute(ModifySubnetAttributeRequest req, Tx tx) {
        var subnet = Lookup.requireOwned(tx.world(), tx.caller(), Kind.SUBNET, dev.underpass.model.ec2.Subnet.class,
                req.subnetId());
        if (req.mapPublicIpOnLaunch() != null) {
            if (req.mapPublicIpOnLaunch().value() == null) {
                throw Ec2Errors.missingParameter("MapPublicIpOnLaunch.Value");
            }
            tx.put(subnet.withMapPublicIpOnLaunch(req.mapPublicIpOnLaunch().value()));
        } else if (req.assignIpv6AddressOnCreation() != null) {
            if (req.assignIpv6AddressOnCreation().value() == null) {
                throw Ec2Errors.missingParameter("AssignIpv6AddressOnCreation.Value");
            }
            Subnets.assignIpv6OnCreation(tx, subnet, req.assignIpv6AddressOnCreation().value());
        } else if (req.enableResourceNameDnsARecordOnLaunch() != null) {
            if (req.enableResourceNameDnsARecordOnLaunch().value() == null) {
                throw Ec2Errors.missingParameter("EnableResourceNameDnsARecordOnLaunch.Value");
            }
            tx.put(subnet.withResourceNameDnsARecordOnLaunch(req.enableResourceNameDnsARecordOnLaunch().value()));
        } else if (req.enableResourceNameDnsAAAARecordOnLaunch() != null) {
            if (req.enableResourceNameDnsAAAARecordOnLaunch().value() == null) {
                throw Ec2Errors.missingParameter("EnableResourceNameDnsAAAARecordOnLaunch.Value");
            }
            tx.put(subnet.withResourceNameDnsAAAARecordOnLaunch(
                    req.enableResourceNameDnsAAAARecordOnLaunch().value()));
        } else if (req.privateDnsHostnameTypeOnLaunchAsString() != null) {
            String type = req.privateDnsHostnameTypeOnLaunchAsString();
            if (!type.equals("ip-name") && !type.equals("resource-name")) {
                throw Ec2Errors.invalidValue(type, "PrivateDnsHostnameTypeOnLaunch",
                        "Valid values are: ip-name, resource-name.");
            }
            if (subnet.ipv6Native() && type.equals("ip-name")) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format("The hostname type ip-name is not supported for "
                        + "the IPv6-only subnet %s.", subnet.id());
            }
            tx.put(subnet.withHostnameTypeOnLaunch(type));
        }
        return ModifySubnetAttributeResponse.builder().build();
    }

    static Subnet shape(World world, dev.underpass.model.ec2.Subnet s, String state) {
        return shape(world, s, state, null);
    }

    /** The subnet as AWS shows it; {@code ipv6State} overrides the IPv6 association state (create answers). */
    static Subnet shape(World world, dev.underpass.model.ec2.Subnet s, String state,
            CidrAssociationState ipv6State) {
        var b = Subnet.builder().subnetId(s.id()).subnetArn(s.arn()).state(state).vpcId(VpcId.text(s.vpcId()))
                .cidrBlock(s.cidrBlock()).availabilityZone(s.availabilityZone())
                .availabilityZoneId(s.availabilityZoneId())
                .availableIpAddressCount((int) Subnets.availableAddressCount(world, s))
                .defaultForAz(s.defaultForAz()).mapPublicIpOnLaunch(s.mapPublicIpOnLaunch())
                .mapCustomerOwnedIpOnLaunch(false).assignIpv6AddressOnCreation(s.assignIpv6AddressOnCreation())
                .enableDns64(false).ipv6Native(s.ipv6Native()).ownerId(s.ownerId())
                .ipv6CidrBlockAssociationSet(s.ipv6Associations().stream()
                        .map(a -> association(SubnetCidrAssociationId.text(a.associationId()),
                                a.ipv6CidrBlock(), ipv6State != null ? ipv6State : a.state()))
                        .toList())
                .privateDnsNameOptionsOnLaunch(PrivateDnsNameOptionsOnLaunch.builder()
                        .hostnameType(s.hostnameTypeOnLaunch())
                        .enableResourceNameDnsARecord(s.enableResourceNameDnsARecordOnLaunch())
                        .enableResourceNameDnsAAAARecord(s.enableResourceNameDnsAAAARecordOnLaunch()).build())
                .blockPublicAccessStates(BlockPublicAccessStates.builder().internetGatewayBlockMode("off").build());
        if (!s.tags().isEmpty()) {
            b.tags(Shapes.tags(s.tags()));
        }
        return b.build();
    }
}
