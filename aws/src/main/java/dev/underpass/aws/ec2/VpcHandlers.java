package dev.underpass.aws.ec2;

import dev.underpass.model.ec2.VpcCidrAssociationId;
import dev.underpass.model.ec2.DhcpOptionsId;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.aws.ShapeCache;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Tx;
import dev.underpass.model.ec2.CidrAssociationState;
import dev.underpass.model.ec2.Kind;
import dev.underpass.model.ec2.Lookup;
import dev.underpass.model.ec2.Scoped;
import dev.underpass.model.ec2.Vpc.CidrAssociation;
import dev.underpass.model.ec2.Vpc.Ipv6Association;
import dev.underpass.model.ec2.Vpcs;
import software.amazon.awssdk.services.ec2.model.AssociateVpcCidrBlockRequest;
import software.amazon.awssdk.services.ec2.model.AssociateVpcCidrBlockResponse;
import software.amazon.awssdk.services.ec2.model.AttributeBooleanValue;
import software.amazon.awssdk.services.ec2.model.CreateVpcRequest;
import software.amazon.awssdk.services.ec2.model.CreateVpcResponse;
import software.amazon.awssdk.services.ec2.model.DeleteVpcRequest;
import software.amazon.awssdk.services.ec2.model.DeleteVpcResponse;
import software.amazon.awssdk.services.ec2.model.DescribeVpcAttributeRequest;
import software.amazon.awssdk.services.ec2.model.DescribeVpcAttributeResponse;
import software.amazon.awssdk.services.ec2.model.DescribeVpcsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeVpcsResponse;
import software.amazon.awssdk.services.ec2.model.DisassociateVpcCidrBlockRequest;
import software.amazon.awssdk.services.ec2.model.DisassociateVpcCidrBlockResponse;
import software.amazon.awssdk.services.ec2.model.ModifyVpcAttributeRequest;
import software.amazon.awssdk.services.ec2.model.ModifyVpcAttributeResponse;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ec2.model.VpcCidrBlockAssociation;
import software.amazon.awssdk.services.ec2.model.VpcCidrBlockState;
import software.amazon.awssdk.services.ec2.model.VpcIpv6CidrBlockAssociation;

/** VPCs: create, delete, describe, attributes and secondary CIDR blocks. */
record VpcHandlers(Ec2Registry api) {
    private static final FilterSpec<dev.underpass.model.ec2.Vpc> FILTERS =
            FilterSpec.<dev.underpass.model.ec2.Vpc>resources()
                    .one("cidr", dev.underpass.model.ec2.Vpc::cidrBlock)
                    .one("cidr-block", dev.underpass.model.ec2.Vpc::cidrBlock)
                    .each("cidr-block-association.cidr-block", v -> v.cidrAssociations(), CidrAssociation::cidrBlock)
                    .each("cidr-block-association.association-id", v -> v.cidrAssociations(),
                            CidrAssociation::associationId)
                    .each("cidr-block-association.state", v -> v.cidrAssociations(), a -> a.state().wire())
                    .one("dhcp-options-id", dev.underpass.model.ec2.Vpc::dhcpOptionsId)
                    .one("is-default", dev.underpass.model.ec2.Vpc::isDefault)
                    .one("isDefault", dev.underpass.model.ec2.Vpc::isDefault)
                    .one("owner-id", dev.underpass.model.ec2.Vpc::ownerId)
                    .one("state", v -> "available")
                    .one("vpc-id", dev.underpass.model.ec2.Vpc::id)
                    .each("ipv6-cidr-block-association.ipv6-cidr-block", v -> v.ipv6Associations(),
                            Ipv6Association::ipv6CidrBlock)
                    .each("ipv6-cidr-block-association.ipv6-pool", v -> v.ipv6Associations(), Ipv6Association::ipv6Pool)
                    .each("ipv6-cidr-block-association.association-id", v -> v.ipv6Associations(),
                            Ipv6Association::associationId)
                    .each("ipv6-cidr-block-association.state", v -> v.ipv6Associations(), a -> a.state().wire())
                    .build();

    void register(Ec2Registry registry) {
        registry.write("CreateVpc", CreateVpcRequest::builder, this::create);
        registry.write("DeleteVpc", DeleteVpcRequest::builder, this::delete);
        registry.read("DescribeVpcs", DescribeVpcsRequest::builder, this::describe);
        registry.read("DescribeVpcAttribute", DescribeVpcAttributeRequest::builder, this::describeAttribute);
        registry.write("ModifyVpcAttribute", ModifyVpcAttributeRequest::builder, this::modifyAttribute);
        registry.write("AssociateVpcCidrBlock", AssociateVpcCidrBlockRequest::builder, this::associateCidr);
        registry.write("DisassociateVpcCidrBlock", DisassociateVpcCidrBlockRequest::builder, this::disassociateCidr);
    }

    private CreateVpcResponse create(CreateVpcRequest req, Tx tx) {
        if (req.ipv4IpamPoolId() != null || req.ipv6IpamPoolId() != null || req.ipv6Pool() != null
                || req.ipv6CidrBlock() != null) {
            throw ErrorCode.UNSUPPORTED_OPERATION.with("underpass does not support IPAM pools, IPv6 pools or "
                    + "BYOIP IPv6 blocks for VPCs; use AmazonProvidedIpv6CidrBlock for an Amazon-provided block.");
        }
        boolean ipv6 = Shapes.flag(req.amazonProvidedIpv6CidrBlock());
        if (!ipv6 && req.ipv6CidrBlockNetworkBorderGroup() != null) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.with("The parameter Ipv6CidrBlockNetworkBorderGroup "
                    + "requires AmazonProvidedIpv6CidrBlock to be true.");
        }
        var vpc = Vpcs.create(tx, api.settings().quotas(), new Vpcs.Create(req.cidrBlock(),
                req.instanceTenancyAsString(), false, Shapes.tagsFor(req.tagSpecifications(), "vpc")));
        if (!ipv6) {
            return CreateVpcResponse.builder().vpc(shape(vpc, "pending")).build();
        }
        var assoc = Vpcs.associateAmazonIpv6(tx, vpc.vpcId(), req.ipv6CidrBlockNetworkBorderGroup());
        // AWS answers before the block is allocated: the association is "associating" with an empty block.
        Vpc shaped = shape(vpc, "pending").toBuilder().ipv6CidrBlockAssociationSet(ipv6Association(
                VpcCidrAssociationId.text(assoc.associationId()), "", CidrAssociationState.ASSOCIATING,
                assoc.networkBorderGroup(),
                assoc.ipv6Pool())).build();
        return CreateVpcResponse.builder().vpc(shaped).build();
    }

    private DeleteVpcResponse delete(DeleteVpcRequest req, Tx tx) {
        Vpcs.delete(tx, VpcId.of(Shapes.required(req.vpcId(), "VpcId")));
        return DeleteVpcResponse.builder().build();
    }

    private DescribeVpcsResponse describe(DescribeVpcsRequest req, Ec2Api.ReadContext ctx) {
        var page = Describe.visible(ctx, dev.underpass.model.ec2.Vpc.class, Kind.VPC, req.vpcIds())
                .filter(FILTERS, req.filters()).page(req.maxResults(), req.nextToken(), Describe.Limits.STANDARD);
        return DescribeVpcsResponse.builder()
                .vpcs(ShapeCache.of(ctx.world()).shapes(page.items(), Vpc.class, v -> shape(v, "available")))
                .nextToken(page.nextToken()).build();
    }

    private DescribeVpcAttributeResponse describeAttribute(DescribeVpcAttributeRequest req, Ec2Api.ReadContext ctx) {
        var vpc = Lookup.require(ctx.world(), ctx.caller(), Kind.VPC, dev.underpass.model.ec2.Vpc.class,
                req.vpcId());
        String attribute = Shapes.required(req.attributeAsString(), "Attribute");
        var out = DescribeVpcAttributeResponse.builder().vpcId(vpc.id());
        switch (attribute) {
            case "enableDnsSupport" -> out.enableDnsSupport(bool(vpc.enableDnsSupport()));
            case "enableDnsHostnames" -> out.enableDnsHostnames(bool(vpc.enableDnsHostnames()));
            case "enableNetworkAddressUsageMetrics" -> out.enableNetworkAddressUsageMetrics(bool(false));
            default -> throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "Value (%s) for parameter attribute is invalid. Unknown attribute.", attribute);
        }
        return out.build();
    }

    private ModifyVpcAttributeResponse modifyAttribute(ModifyVpcAttributeRequest req, Tx tx) {
        var vpc = Lookup.requireOwned(tx.world(), tx.caller(), Kind.VPC, dev.underpass.model.ec2.Vpc.class,
                req.vpcId());
        int given = (req.enableDnsSupport() != null ? 1 : 0) + (req.enableDnsHostnames() != null ? 1 : 0)
                + (req.enableNetworkAddressUsageMetrics() != null ? 1 : 0);
        if (given == 0) {
            throw ErrorCode.MISSING_PARAMETER.with(
                    "The request must contain one of EnableDnsSupport, EnableDnsHostnames, "
                            + "EnableNetworkAddressUsageMetrics");
        }
        if (given > 1) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.with(
                    "Fields for multiple attribute types specified: enableDnsSupport, enableDnsHostnames");
        }
        boolean support = vpc.enableDnsSupport();
        boolean hostnames = vpc.enableDnsHostnames();
        if (req.enableDnsSupport() != null) {
            support = value(req.enableDnsSupport(), "EnableDnsSupport");
        }
        if (req.enableDnsHostnames() != null) {
            hostnames = value(req.enableDnsHostnames(), "EnableDnsHostnames");
            if (hostnames && !support) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.with(
                        "DNS hostnames can only be enabled when DNS resolution (enableDnsSupport) is enabled.");
            }
        }
        if (!support && hostnames && req.enableDnsSupport() != null) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.with(
                    "DNS resolution cannot be disabled while DNS hostnames (enableDnsHostnames) are enabled.");
        }
        tx.put(vpc.withDns(support, hostnames));
        return ModifyVpcAttributeResponse.builder().build();
    }

    private AssociateVpcCidrBlockResponse associateCidr(AssociateVpcCidrBlockRequest req, Tx tx) {
        if (req.ipv6CidrBlock() != null || req.ipv6Pool() != null || req.ipv4IpamPoolId() != null
                || req.ipv6IpamPoolId() != null) {
            throw ErrorCode.UNSUPPORTED_OPERATION.with("underpass does not support IPAM pools, IPv6 pools or "
                    + "BYOIP IPv6 blocks for VPCs; use AmazonProvidedIpv6CidrBlock for an Amazon-provided block.");
        }
        boolean ipv6 = Shapes.flag(req.amazonProvidedIpv6CidrBlock());
        if (ipv6 && req.cidrBlock() != null) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.with(
                    "The parameters CidrBlock and AmazonProvidedIpv6CidrBlock cannot be used together.");
        }
        if (!ipv6 && req.ipv6CidrBlockNetworkBorderGroup() != null) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.with("The parameter Ipv6CidrBlockNetworkBorderGroup "
                    + "requires AmazonProvidedIpv6CidrBlock to be true.");
        }
        if (ipv6) {
            var a = Vpcs.associateAmazonIpv6(tx, VpcId.of(Shapes.required(req.vpcId(), "VpcId")),
                    req.ipv6CidrBlockNetworkBorderGroup());
            // As in AWS's answer, the block itself is not known yet: it shows in DescribeVpcs.
            return AssociateVpcCidrBlockResponse.builder().vpcId(req.vpcId()).ipv6CidrBlockAssociation(
                    ipv6Association(VpcCidrAssociationId.text(a.associationId()), null,
                            CidrAssociationState.ASSOCIATING, a.networkBorderGroup(),
                            a.ipv6Pool()))
                    .build();
        }
        var assoc = Vpcs.associateCidr(tx, api.settings().quotas(), VpcId.of(Shapes.required(req.vpcId(), "VpcId")),
                Shapes.required(req.cidrBlock(), "CidrBlock"));
        return AssociateVpcCidrBlockResponse.builder().vpcId(req.vpcId())
                .cidrBlockAssociation(
                        association(VpcCidrAssociationId.text(assoc.associationId()), assoc.cidrBlock(),
                                CidrAssociationState.ASSOCIATING))
                .build();
    }

    private DisassociateVpcCidrBlockResponse disassociateCidr(DisassociateVpcCidrBlockRequest req, Tx tx) {
        var v6 = Vpcs.disassociateIpv6(tx,
                VpcCidrAssociationId.of(Shapes.required(req.associationId(), "AssociationId")));
        if (v6 != null) {
            var a = v6.association();
            return DisassociateVpcCidrBlockResponse.builder().vpcId(VpcId.text(v6.vpcId())).ipv6CidrBlockAssociation(
                    ipv6Association(VpcCidrAssociationId.text(a.associationId()), a.ipv6CidrBlock(), a.state(),
                            a.networkBorderGroup(),
                            a.ipv6Pool()))
                    .build();
        }
        var result = Vpcs.disassociateCidr(tx,
                VpcCidrAssociationId.of(Shapes.required(req.associationId(), "AssociationId")));
        var assoc = result.association();
        return DisassociateVpcCidrBlockResponse.builder().vpcId(VpcId.text(result.vpcId()))
                .cidrBlockAssociation(
                        association(VpcCidrAssociationId.text(assoc.associationId()), assoc.cidrBlock(), assoc.state()))
                .build();
    }

    private static boolean value(AttributeBooleanValue v, String name) {
        if (v.value() == null) {
            throw Ec2Errors.missingParameter(name + ".Value");
        }
        return v.value();
    }

    private static AttributeBooleanValue bool(boolean b) {
        return AttributeBooleanValue.builder().value(b).build();
    }

    private static VpcCidrBlockAssociation association(String id, String cidr, CidrAssociationState state) {
        return VpcCidrBlockAssociation.builder().associationId(id).cidrBlock(cidr)
                .cidrBlockState(VpcCidrBlockState.builder().state(state.wire()).build()).build();
    }

    private static VpcIpv6CidrBlockAssociation ipv6Association(String id, String block,
            CidrAssociationState state,
            String networkBorderGroup, String pool) {
        return VpcIpv6CidrBlockAssociation.builder().associationId(id).ipv6CidrBlock(block)
                .ipv6CidrBlockState(VpcCidrBlockState.builder().state(state.wire()).build())
                .networkBorderGroup(networkBorderGroup).ipv6Pool(pool).build();
    }

    static Vpc shape(dev.underpass.model.ec2.Vpc v, String state) {
        var b = Vpc.builder().vpcId(v.id()).ownerId(v.ownerId()).state(state).cidrBlock(v.cidrBlock())
                .dhcpOptionsId(DhcpOptionsId.text(v.dhcpOptionsId())).instanceTenancy(v.instanceTenancy())
                .isDefault(v.isDefault())
                .ipv6CidrBlockAssociationSet(v.ipv6Associations().stream().map(a -> ipv6Association(
                        VpcCidrAssociationId.text(a.associationId()), a.ipv6CidrBlock(), a.state(),
                        a.networkBorderGroup(), a.ipv6Pool()))
                        .toList())
                .cidrBlockAssociationSet(v.cidrAssociations().stream()
                        .map(a -> association(VpcCidrAssociationId.text(a.associationId()), a.cidrBlock(), a.state()))
                        .toList());
        if (!v.tags().isEmpty()) {
            b.tags(Shapes.tags(v.tags()));
        }
        return b.build();
    }
}
