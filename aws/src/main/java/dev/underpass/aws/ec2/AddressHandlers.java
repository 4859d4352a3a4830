package dev.underpass.aws.ec2;

import dev.underpass.model.ec2.ElasticIpAssociationId;
import dev.underpass.model.ec2.AllocationId;
import dev.underpass.model.ec2.InstanceId;
import dev.underpass.model.ec2.NetworkInterfaceId;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.ElasticIp;
import dev.underpass.model.ec2.ElasticIps;
import dev.underpass.model.ec2.Kind;
import dev.underpass.model.ec2.Lookup;
import dev.underpass.model.ec2.Visibility;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.AddressAttribute;
import software.amazon.awssdk.services.ec2.model.AllocateAddressRequest;
import software.amazon.awssdk.services.ec2.model.AllocateAddressResponse;
import software.amazon.awssdk.services.ec2.model.AssociateAddressRequest;
import software.amazon.awssdk.services.ec2.model.AssociateAddressResponse;
import software.amazon.awssdk.services.ec2.model.DescribeAddressesAttributeRequest;
import software.amazon.awssdk.services.ec2.model.DescribeAddressesAttributeResponse;
import software.amazon.awssdk.services.ec2.model.DescribeAddressesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeAddressesResponse;
import software.amazon.awssdk.services.ec2.model.DisassociateAddressRequest;
import software.amazon.awssdk.services.ec2.model.DisassociateAddressResponse;
import software.amazon.awssdk.services.ec2.model.DomainType;
import software.amazon.awssdk.services.ec2.model.ReleaseAddressRequest;
import software.amazon.awssdk.services.ec2.model.ReleaseAddressResponse;

/**
 * Elastic IP addresses: AllocateAddress, DescribeAddresses, AssociateAddress, DisassociateAddress, ReleaseAddress
 * and DescribeAddressesAttribute (no PTR records are ever set). The rules live in {@link ElasticIps}; this class maps
 * the wire shapes.
 */
record AddressHandlers(Ec2Registry api) {
    void register(Ec2Registry registry) {
        registry.write("AllocateAddress", AllocateAddressRequest::builder, this::allocate);
        registry.read("DescribeAddresses", DescribeAddressesRequest::builder, this::describe);
        registry.write("AssociateAddress", AssociateAddressRequest::builder, this::associate);
        registry.write("DisassociateAddress", DisassociateAddressRequest::builder, this::disassociate);
        registry.write("ReleaseAddress", ReleaseAddressRequest::builder, this::release);
        registry.read("DescribeAddressesAttribute", DescribeAddressesAttributeRequest::builder,
                this::describeAttribute);
    }

    private static FilterSpec<ElasticIp> filters(World world) {
        return FilterSpec.<ElasticIp>resources()
                .one("allocation-id", ElasticIp::id)
                .one("association-id", e -> live(world, e) == null ? null : live(world, e).associationId())
                .one("domain", e -> ElasticIps.DOMAIN)
                .one("instance-id", e -> ElasticIps.instanceOf(world, live(world, e)))
                .one("network-border-group", ElasticIp::networkBorderGroup)
                .one("network-interface-id", e -> live(world, e) == null ? null
                        : live(world, e).networkInterfaceId())
                .one("network-interface-owner-id", e -> live(world, e) == null ? null
                        : live(world, e).networkInterfaceOwnerId())
                .one("private-ip-address", e -> live(world, e) == null ? null : live(world, e).privateIpAddress())
                .one("public-ip", ElasticIp::publicIp)
                .one("public-ipv4-pool", e -> ElasticIps.AMAZON_POOL)
                .build();
    }

    private static ElasticIp.Association live(World world, ElasticIp e) {
        return ElasticIps.live(world, e);
    }

    private AllocateAddressResponse allocate(AllocateAddressRequest req, Tx tx) {
        if (req.customerOwnedIpv4Pool() != null || req.ipamPoolId() != null) {
            throw ErrorCode.UNSUPPORTED_OPERATION.with(
                    "underpass allocates Elastic IPs from Amazon's pool only (no customer-owned or IPAM pools).");
        }
        ElasticIp eip = ElasticIps.allocate(tx, api.settings().quotas(), new ElasticIps.Allocate(
                req.domainAsString(), req.address(), req.publicIpv4Pool(), req.networkBorderGroup(),
                Shapes.tagsFor(req.tagSpecifications(), "elastic-ip")));
        return AllocateAddressResponse.builder().allocationId(eip.id()).publicIp(eip.publicIp())
                .publicIpv4Pool(ElasticIps.AMAZON_POOL).networkBorderGroup(eip.networkBorderGroup())
                .domain(DomainType.VPC).build();
    }

    private DescribeAddressesResponse describe(DescribeAddressesRequest req, Ec2Api.ReadContext ctx) {
        World world = ctx.world();
        List<ElasticIp> candidates = Describe.visible(ctx, ElasticIp.class, Kind.ELASTIC_IP, req.allocationIds())
                .items();
        if (req.hasPublicIps() && !req.publicIps().isEmpty()) {
            List<ElasticIp> byIp = new ArrayList<>();
            for (String ip : new LinkedHashSet<>(req.publicIps())) {
                ElasticIp found = candidates.stream().filter(e -> e.publicIp().equals(ip)).findFirst()
                        .orElseThrow(() -> ErrorCode.INVALID_ADDRESS_NOT_FOUND.format(
                                "Address '%s' not found.", ip));
                byIp.add(found);
            }
            candidates = byIp;
        }
        var matched = Describe.of(candidates).filter(filters(world), req.filters()).items();
        return DescribeAddressesResponse.builder()
                .addresses(matched.stream().map(e -> shape(world, e)).toList()).build();
    }

    private AssociateAddressResponse associate(AssociateAddressRequest req, Tx tx) {
        var associationId = ElasticIps.associate(tx, new ElasticIps.Associate(AllocationId.of(req.allocationId()),
                req.publicIp(), req.instanceId(), req.networkInterfaceId(), req.privateIpAddress(),
                Shapes.flag(req.allowReassociation())));
        return AssociateAddressResponse.builder().associationId(ElasticIpAssociationId.text(associationId)).build();
    }

    private DisassociateAddressResponse disassociate(DisassociateAddressRequest req, Tx tx) {
        ElasticIps.disassociate(tx, ElasticIpAssociationId.of(req.associationId()), req.publicIp());
        return DisassociateAddressResponse.builder().build();
    }

    private ReleaseAddressResponse release(ReleaseAddressRequest req, Tx tx) {
        ElasticIps.release(tx, AllocationId.of(req.allocationId()), req.publicIp(), req.networkBorderGroup());
        return ReleaseAddressResponse.builder().build();
    }

    private DescribeAddressesAttributeResponse describeAttribute(DescribeAddressesAttributeRequest req,
            Ec2Api.ReadContext ctx) {
        String attribute = req.attributeAsString();
        if (attribute != null && !attribute.equals("domain-name")) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "Value (%s) for parameter attribute is invalid. Valid values: domain-name", attribute);
        }
        var page = Describe.visible(ctx, ElasticIp.class, Kind.ELASTIC_IP, req.allocationIds())
                .page(req.maxResults(), req.nextToken(), Describe.Limits.of(1, 1000));
        // No PTR record is ever set, so each address has its allocation and public address only.
        return DescribeAddressesAttributeResponse.builder()
                .addresses(page.map(e -> AddressAttribute.builder().allocationId(e.id())
                        .publicIp(e.publicIp()).build()))
                .nextToken(page.nextToken()).build();
    }

    static Address shape(World world, ElasticIp e) {
        ElasticIp.Association a = ElasticIps.live(world, e);
        var b = Address.builder().allocationId(e.id()).publicIp(e.publicIp()).domain(DomainType.VPC)
                .publicIpv4Pool(ElasticIps.AMAZON_POOL).networkBorderGroup(e.networkBorderGroup())
                .tags(Shapes.tags(e.tags()));
        if (a != null) {
            b.associationId(ElasticIpAssociationId.text(a.associationId()))
                    .networkInterfaceId(NetworkInterfaceId.text(a.networkInterfaceId()))
                    .networkInterfaceOwnerId(a.networkInterfaceOwnerId()).privateIpAddress(a.privateIpAddress())
                    .instanceId(InstanceId.text(ElasticIps.instanceOf(world, a)));
        }
        return b.build();
    }
}
