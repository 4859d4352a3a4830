package dev.underpass.aws.ec2;

import dev.underpass.model.ec2.ElasticIpAssociationId;
import dev.underpass.model.ec2.NetworkInterfaceAttachmentId;
import dev.underpass.model.ec2.AllocationId;
import dev.underpass.model.ec2.InstanceId;
import dev.underpass.model.ec2.NetworkInterfaceId;
import dev.underpass.model.ec2.SecurityGroupId;
import dev.underpass.model.ec2.SubnetId;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.aws.ShapeCache;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.ElasticIps;
import dev.underpass.model.ec2.Kind;
import dev.underpass.model.ec2.Lookup;
import dev.underpass.model.ec2.NetworkInterface.Attachment;
import dev.underpass.model.ec2.NetworkInterface.PrivateIp;
import dev.underpass.model.ec2.NetworkInterfaces;
import dev.underpass.model.ec2.Scoped;
import dev.underpass.model.ec2.SecurityGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.services.ec2.model.AssignPrivateIpAddressesRequest;
import software.amazon.awssdk.services.ec2.model.AssignPrivateIpAddressesResponse;
import software.amazon.awssdk.services.ec2.model.AssignedPrivateIpAddress;
import software.amazon.awssdk.services.ec2.model.AttachNetworkInterfaceRequest;
import software.amazon.awssdk.services.ec2.model.AttachNetworkInterfaceResponse;
import software.amazon.awssdk.services.ec2.model.AttributeBooleanValue;
import software.amazon.awssdk.services.ec2.model.AttributeValue;
import software.amazon.awssdk.services.ec2.model.CreateNetworkInterfaceRequest;
import software.amazon.awssdk.services.ec2.model.CreateNetworkInterfaceResponse;
import software.amazon.awssdk.services.ec2.model.DeleteNetworkInterfaceRequest;
import software.amazon.awssdk.services.ec2.model.DeleteNetworkInterfaceResponse;
import software.amazon.awssdk.services.ec2.model.DescribeNetworkInterfaceAttributeRequest;
import software.amazon.awssdk.services.ec2.model.DescribeNetworkInterfaceAttributeResponse;
import software.amazon.awssdk.services.ec2.model.DescribeNetworkInterfacesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeNetworkInterfacesResponse;
import software.amazon.awssdk.services.ec2.model.DetachNetworkInterfaceRequest;
import software.amazon.awssdk.services.ec2.model.DetachNetworkInterfaceResponse;
import software.amazon.awssdk.services.ec2.model.GroupIdentifier;
import software.amazon.awssdk.services.ec2.model.ModifyNetworkInterfaceAttributeRequest;
import software.amazon.awssdk.services.ec2.model.ModifyNetworkInterfaceAttributeResponse;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.NetworkInterfaceAttachment;
import software.amazon.awssdk.services.ec2.model.NetworkInterfacePrivateIpAddress;
import software.amazon.awssdk.services.ec2.model.PrivateIpAddressSpecification;
import software.amazon.awssdk.services.ec2.model.UnassignPrivateIpAddressesRequest;
import software.amazon.awssdk.services.ec2.model.UnassignPrivateIpAddressesResponse;

/**
 * Elastic network interfaces: create, delete, describe, attach and detach, their attributes, and secondary private
 * addresses. The rules live in {@link NetworkInterfaces}; this class maps the wire shapes.
 */
record NetworkInterfaceHandlers(Ec2Registry api) {
    private static final FilterSpec<dev.underpass.model.ec2.NetworkInterface> FILTERS =
            FilterSpec.<dev.underpass.model.ec2.NetworkInterface>resources()
                    .each("addresses.private-ip-address", n -> n.privateIps(), PrivateIp::address)
                    .many("addresses.primary", n -> n.privateIps().stream().map(ip -> Boolean.toString(ip.primary()))
                            .toList())
                    .one("attachment.attachment-id", attached(a -> NetworkInterfaceAttachmentId.text(a.attachmentId())))
                    .one("attachment.instance-id", attached(Attachment::instanceId))
                    .one("attachment.instance-owner-id",
                            attached(Attachment::instanceOwnerId))
                    .one("attachment.device-index", attached(Attachment::deviceIndex))
                    .one("attachment.status", attached(Attachment::status))
                    .one("attachment.delete-on-termination",
                            attached(Attachment::deleteOnTermination))
                    .one("availability-zone", dev.underpass.model.ec2.NetworkInterface::availabilityZone)
                    .one("description", dev.underpass.model.ec2.NetworkInterface::description)
                    .many("group-id", dev.underpass.model.ec2.NetworkInterface::groupIds)
                    .one("interface-type", dev.underpass.model.ec2.NetworkInterface::interfaceType)
                    .many("ipv6-addresses.ipv6-address", dev.underpass.model.ec2.NetworkInterface::ipv6Addresses)
                    .one("mac-address", dev.underpass.model.ec2.NetworkInterface::macAddress)
                    .one("network-interface-id", dev.underpass.model.ec2.NetworkInterface::id)
                    .one("owner-id", dev.underpass.model.ec2.NetworkInterface::ownerId)
                    .one("private-dns-name", n -> NetworkInterfaces.privateDnsName(n.region(), n.primaryIp()))
                    .each("private-ip-address", n -> n.privateIps(), PrivateIp::address)
                    .one("requester-id", dev.underpass.model.ec2.NetworkInterface::requesterId)
                    .one("requester-managed", dev.underpass.model.ec2.NetworkInterface::requesterManaged)
                    .one("source-dest-check", dev.underpass.model.ec2.NetworkInterface::sourceDestCheck)
                    .one("status", dev.underpass.model.ec2.NetworkInterface::status)
                    .one("subnet-id", dev.underpass.model.ec2.NetworkInterface::subnetId)
                    .one("vpc-id", dev.underpass.model.ec2.NetworkInterface::vpcId)
                    .build();

    /** A filter value read from the interface's attachment; none while it is detached. */
    private static Function<dev.underpass.model.ec2.NetworkInterface, Object> attached(
            Function<Attachment, ?> value) {
        return n -> n.attachment() == null ? null : value.apply(n.attachment());
    }

    void register(Ec2Registry registry) {
        registry.write("CreateNetworkInterface", CreateNetworkInterfaceRequest::builder, this::create);
        registry.write("DeleteNetworkInterface", DeleteNetworkInterfaceRequest::builder, this::delete);
        registry.read("DescribeNetworkInterfaces", DescribeNetworkInterfacesRequest::builder, this::describe);
        registry.write("AttachNetworkInterface", AttachNetworkInterfaceRequest::builder, this::attach);
        registry.write("DetachNetworkInterface", DetachNetworkInterfaceRequest::builder, this::detach);
        registry.write("ModifyNetworkInterfaceAttribute", ModifyNetworkInterfaceAttributeRequest::builder,
                this::modifyAttribute);
        registry.read("DescribeNetworkInterfaceAttribute", DescribeNetworkInterfaceAttributeRequest::builder,
                this::describeAttribute);
        registry.write("AssignPrivateIpAddresses", AssignPrivateIpAddressesRequest::builder, this::assign);
        registry.write("UnassignPrivateIpAddresses", UnassignPrivateIpAddressesRequest::builder, this::unassign);
    }

    private CreateNetworkInterfaceResponse create(CreateNetworkInterfaceRequest req, Tx tx) {
        if (!req.ipv6Addresses().isEmpty() || req.ipv6AddressCount() != null || !req.ipv4Prefixes().isEmpty()
                || req.ipv4PrefixCount() != null || !req.ipv6Prefixes().isEmpty() || req.ipv6PrefixCount() != null) {
            throw ErrorCode.UNSUPPORTED_OPERATION.with(
                    "underpass does not yet support IPv6 addresses or prefix delegation on network interfaces.");
        }
        List<NetworkInterfaces.RequestedIp> ips = new ArrayList<>();
        if (req.privateIpAddress() != null) {
            ips.add(new NetworkInterfaces.RequestedIp(req.privateIpAddress(), true));
        }
        for (PrivateIpAddressSpecification spec : req.privateIpAddresses()) {
            if (spec.privateIpAddress() == null) {
                throw Ec2Errors.missingParameter("PrivateIpAddresses.N.PrivateIpAddress");
            }
            if (req.privateIpAddress() != null && spec.privateIpAddress().equals(req.privateIpAddress())) {
                continue;
            }
            ips.add(new NetworkInterfaces.RequestedIp(spec.privateIpAddress(), Shapes.flag(spec.primary())));
        }
        if (req.secondaryPrivateIpAddressCount() != null && ips.size() > 1) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.with("Secondary private IP addresses may be given either "
                    + "as a list or as SecondaryPrivateIpAddressCount, not both.");
        }
        int count = req.secondaryPrivateIpAddressCount() == null ? 0 : req.secondaryPrivateIpAddressCount();
        if (req.secondaryPrivateIpAddressCount() != null && count < 1) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format("Value (%d) for parameter secondaryPrivateIpAddressCount "
                    + "is invalid. Expected a positive integer.", count);
        }
        var eni = NetworkInterfaces.create(tx, api.settings().quotas(), new NetworkInterfaces.Create(
                SubnetId.of(Shapes.required(req.subnetId(), "SubnetId")), req.description(),
                SecurityGroupId.all(req.groups()), ips, count,
                req.interfaceTypeAsString(), Shapes.tagsFor(req.tagSpecifications(), "network-interface")));
        return CreateNetworkInterfaceResponse.builder().networkInterface(shape(tx.world(), eni))
                .clientToken(req.clientToken()).build();
    }

    private DeleteNetworkInterfaceResponse delete(DeleteNetworkInterfaceRequest req, Tx tx) {
        NetworkInterfaces.delete(tx,
                NetworkInterfaceId.of(Shapes.required(req.networkInterfaceId(), "NetworkInterfaceId")));
        return DeleteNetworkInterfaceResponse.builder().build();
    }

    private DescribeNetworkInterfacesResponse describe(DescribeNetworkInterfacesRequest req, Ec2Api.ReadContext ctx) {
        World world = ctx.world();
        if (!req.networkInterfaceIds().isEmpty() && req.maxResults() != null) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.with(
                    "The parameter NetworkInterfaceIds cannot be used with the parameter MaxResults");
        }
        var page = Describe.visible(ctx, dev.underpass.model.ec2.NetworkInterface.class, Kind.NETWORK_INTERFACE,
                req.networkInterfaceIds())
                .map(n -> dev.underpass.model.ec2.NetworkInterfaces.asSeenBy(world, ctx.caller(), n))
                .filter(FILTERS, req.filters()).page(req.maxResults(), req.nextToken(), Describe.Limits.STANDARD);
        return DescribeNetworkInterfacesResponse.builder()
                .networkInterfaces(ShapeCache.of(world).shapes(page.items(), NetworkInterface.class,
                        n -> shape(world, n)))
                .nextToken(page.nextToken()).build();
    }

    private AttachNetworkInterfaceResponse attach(AttachNetworkInterfaceRequest req, Tx tx) {
        if (req.networkCardIndex() != null && req.networkCardIndex() != 0) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "Value (%d) for parameter networkCardIndex is invalid. Only network card index 0 exists.",
                    req.networkCardIndex());
        }
        var attachmentId = NetworkInterfaces.attach(tx, api.settings().instanceTransition(),
                NetworkInterfaceId.of(Shapes.required(req.networkInterfaceId(), "NetworkInterfaceId")),
                InstanceId.of(Shapes.required(req.instanceId(), "InstanceId")), req.deviceIndex());
        return AttachNetworkInterfaceResponse.builder().attachmentId(NetworkInterfaceAttachmentId.text(attachmentId))
                .networkCardIndex(0).build();
    }

    private DetachNetworkInterfaceResponse detach(DetachNetworkInterfaceRequest req, Tx tx) {
        NetworkInterfaces.detach(tx, NetworkInterfaceAttachmentId.of(req.attachmentId()));
        return DetachNetworkInterfaceResponse.builder().build();
    }

    private ModifyNetworkInterfaceAttributeResponse modifyAttribute(ModifyNetworkInterfaceAttributeRequest req,
            Tx tx) {
        var eni = Lookup.requireOwned(tx.world(), tx.caller(), Kind.NETWORK_INTERFACE,
                dev.underpass.model.ec2.NetworkInterface.class, req.networkInterfaceId());
        int given = (req.description() != null ? 1 : 0) + (req.sourceDestCheck() != null ? 1 : 0)
                + (req.hasGroups() ? 1 : 0) + (req.attachment() != null ? 1 : 0);
        if (given == 0) {
            throw ErrorCode.MISSING_PARAMETER.with("The request must contain one of the parameters Description, "
                    + "SourceDestCheck, SecurityGroupId or Attachment");
        }
        if (given > 1) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.with(
                    "Fields for multiple attribute types specified: only one attribute can be modified at a time.");
        }
        if (eni.requesterManaged()) {
            throw ErrorCode.OPERATION_NOT_PERMITTED.format(
                    "You are not allowed to modify network interface '%s': it is managed by %s.", eni.id(),
                    eni.requesterId() == null ? "another service" : eni.requesterId());
        }
        if (req.description() != null) {
            String d = req.description().value();
            tx.put(eni.withDescription(d == null ? "" : d));
        } else if (req.sourceDestCheck() != null) {
            if (req.sourceDestCheck().value() == null) {
                throw Ec2Errors.missingParameter("SourceDestCheck.Value");
            }
            tx.put(eni.withSourceDestCheck(req.sourceDestCheck().value()));
        } else if (req.hasGroups()) {
            var subnet = tx.find(dev.underpass.model.ec2.Subnet.class, eni.subnetId())
                    .orElseThrow(() -> Kind.SUBNET.notFound(eni.subnetId()));
            var groups =
                    NetworkInterfaces.groups(tx, api.settings().quotas(), subnet, SecurityGroupId.all(req.groups()));
            tx.put(eni.withGroupIds(groups));
            if (eni.attachment() != null && eni.attachment().deviceIndex() == 0) {
                tx.find(dev.underpass.model.ec2.Instance.class, eni.attachment().instanceId())
                        .ifPresent(i -> tx.put(i.withGroupIds(groups)));
            }
        } else {
            var changes = req.attachment();
            if (changes.attachmentId() == null || changes.deleteOnTermination() == null) {
                throw ErrorCode.MISSING_PARAMETER.with("The request must contain the parameters "
                        + "Attachment.AttachmentId and Attachment.DeleteOnTermination");
            }
            NetworkInterfaces.setDeleteOnTermination(tx, eni, NetworkInterfaceAttachmentId.of(changes.attachmentId()),
                    changes.deleteOnTermination());
        }
        return ModifyNetworkInterfaceAttributeResponse.builder().build();
    }

    private DescribeNetworkInterfaceAttributeResponse describeAttribute(DescribeNetworkInterfaceAttributeRequest req,
            Ec2Api.ReadContext ctx) {
        var eni = Lookup.require(ctx.world(), ctx.caller(), Kind.NETWORK_INTERFACE,
                dev.underpass.model.ec2.NetworkInterface.class, req.networkInterfaceId());
        String attribute = Shapes.required(req.attributeAsString(), "Attribute");
        var b = DescribeNetworkInterfaceAttributeResponse.builder().networkInterfaceId(eni.id());
        switch (attribute) {
            case "description" -> b.description(AttributeValue.builder().value(eni.description()).build());
            case "sourceDestCheck" -> b.sourceDestCheck(
                    AttributeBooleanValue.builder().value(eni.sourceDestCheck()).build());
            case "groupSet" -> b.groups(groups(ctx.world(), SecurityGroupId.texts(eni.groupIds())));
            case "attachment" -> {
                if (eni.attachment() != null) {
                    b.attachment(attachment(eni.attachment()));
                }
            }
            case "associatePublicIpAddress" -> b.associatePublicIpAddress(false);
            default -> throw ErrorCode.INVALID_PARAMETER_VALUE.format("Value (%s) for parameter attribute is "
                    + "invalid. Valid values: description, groupSet, sourceDestCheck, attachment, "
                    + "associatePublicIpAddress", attribute);
        }
        return b.build();
    }

    private AssignPrivateIpAddressesResponse assign(AssignPrivateIpAddressesRequest req, Tx tx) {
        if (!req.ipv4Prefixes().isEmpty() || req.ipv4PrefixCount() != null) {
            throw ErrorCode.UNSUPPORTED_OPERATION.with("underpass does not yet support IPv4 prefix delegation.");
        }
        String eniId = Shapes.required(req.networkInterfaceId(), "NetworkInterfaceId");
        List<String> added = NetworkInterfaces.assign(tx, NetworkInterfaceId.of(eniId), req.privateIpAddresses(),
                req.secondaryPrivateIpAddressCount(), Shapes.flag(req.allowReassignment()));
        return AssignPrivateIpAddressesResponse.builder().networkInterfaceId(eniId)
                .assignedPrivateIpAddresses(added.stream()
                        .map(a -> AssignedPrivateIpAddress.builder().privateIpAddress(a).build()).toList())
                .assignedIpv4Prefixes(List.of())
                .build();
    }

    private UnassignPrivateIpAddressesResponse unassign(UnassignPrivateIpAddressesRequest req, Tx tx) {
        if (!req.ipv4Prefixes().isEmpty()) {
            throw ErrorCode.UNSUPPORTED_OPERATION.with("underpass does not yet support IPv4 prefix delegation.");
        }
        NetworkInterfaces.unassign(tx,
                NetworkInterfaceId.of(Shapes.required(req.networkInterfaceId(), "NetworkInterfaceId")),
                req.privateIpAddresses());
        return UnassignPrivateIpAddressesResponse.builder().build();
    }

    /** The security groups as {@code groupSet} items; a group deleted meanwhile keeps its id with no name. */
    static List<GroupIdentifier> groups(World world, List<String> groupIds) {
        return groupIds.stream().map(id -> GroupIdentifier.builder().groupId(id)
                .groupName(world.find(SecurityGroup.class, id).map(SecurityGroup::groupName).orElse(null)).build())
                .toList();
    }

    private static NetworkInterfaceAttachment attachment(dev.underpass.model.ec2.NetworkInterface.Attachment a) {
        return NetworkInterfaceAttachment.builder().attachmentId(NetworkInterfaceAttachmentId.text(a.attachmentId()))
                .attachTime(a.attachTime())
                .deleteOnTermination(a.deleteOnTermination()).deviceIndex(a.deviceIndex()).networkCardIndex(0)
                .instanceId(InstanceId.text(a.instanceId())).instanceOwnerId(a.instanceOwnerId())
                .status(a.status().wire())
                .build();
    }

    /** The public address of one private address (an Elastic IP or Amazon's), or null. */
    private static software.amazon.awssdk.services.ec2.model.NetworkInterfaceAssociation association(
            ElasticIps.PublicAddress pub) {
        return pub == null ? null : software.amazon.awssdk.services.ec2.model.NetworkInterfaceAssociation.builder()
                .publicIp(pub.publicIp()).ipOwnerId(pub.ipOwnerId()).allocationId(AllocationId.text(pub.allocationId()))
                .associationId(ElasticIpAssociationId.text(pub.associationId())).publicDnsName("").build();
    }

    static NetworkInterface shape(World world, dev.underpass.model.ec2.NetworkInterface n) {
        var b = NetworkInterface.builder().networkInterfaceId(n.id()).subnetId(SubnetId.text(n.subnetId()))
                .vpcId(VpcId.text(n.vpcId()))
                .availabilityZone(n.availabilityZone()).description(n.description()).ownerId(n.ownerId())
                .requesterManaged(n.requesterManaged()).requesterId(n.requesterId()).status(n.status())
                .macAddress(n.macAddress()).privateIpAddress(n.primaryIp())
                .privateDnsName(NetworkInterfaces.privateDnsName(n.region(), n.primaryIp()))
                .association(association(ElasticIps.publicAddress(world, n.networkInterfaceId(), n.primaryIp())))
                .privateIpAddresses(n.privateIps().stream().map(ip -> NetworkInterfacePrivateIpAddress.builder()
                        .primary(ip.primary()).privateIpAddress(ip.address())
                        .association(association(ElasticIps.publicAddress(world, n.networkInterfaceId(), ip.address())))
                        .privateDnsName(NetworkInterfaces.privateDnsName(n.region(), ip.address())).build()).toList())
                .sourceDestCheck(n.sourceDestCheck()).groups(groups(world, SecurityGroupId.texts(n.groupIds())))
                .interfaceType(n.interfaceType())
                .ipv6Addresses(n.ipv6Addresses().stream()
                        .map(a -> software.amazon.awssdk.services.ec2.model.NetworkInterfaceIpv6Address.builder()
                                .ipv6Address(a).isPrimaryIpv6(false).build())
                        .toList())
                .tagSet(Shapes.tags(n.tags()));
        if (n.attachment() != null) {
            b.attachment(attachment(n.attachment()));
        }
        if (!n.ipv6Addresses().isEmpty()) {
            b.ipv6Address(n.ipv6Addresses().get(0));
        }
        return b.build();
    }
}
