package dev.underpass.model.ec2;

import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import java.util.List;
import java.util.Map;

/**
 * An elastic network interface. Its owner is the account that created it (in a shared subnet that may differ from
 * the subnet owner). Requester-managed interfaces (NAT gateways, endpoints, load balancers) carry the managing
 * service as {@code requesterId}.
 */
public record NetworkInterface(
        String id,
        String ownerId,
        String region,
        SubnetId subnetId,
        VpcId vpcId,
        String availabilityZone,
        String description,
        String interfaceType,
        boolean requesterManaged,
        String requesterId,
        String macAddress,
        boolean sourceDestCheck,
        List<PrivateIp> privateIps,
        List<SecurityGroupId> groupIds,
        Attachment attachment,
        Map<String, String> tags,
        List<String> ipv6Addresses)
        implements Resource {

    /** A private IPv4 address of the interface; exactly one is primary. */
    public record PrivateIp(String address, boolean primary) {}

    /** The attachment to an instance, {@code eni-attach-…}. */
    public record Attachment(
            NetworkInterfaceAttachmentId attachmentId, InstanceId instanceId, String instanceOwnerId, int deviceIndex,
            AttachmentStatus status,
            boolean deleteOnTermination, java.time.Instant attachTime) {}

    public NetworkInterface {
        privateIps = List.copyOf(privateIps);
        groupIds = List.copyOf(groupIds);
        tags = Tags.copy(tags);
        ipv6Addresses = ipv6Addresses == null ? List.of() : List.copyOf(ipv6Addresses);
    }

    /** An interface without IPv6 addresses. */
    public NetworkInterface(String id, String ownerId, String region, SubnetId subnetId, VpcId vpcId,
            String availabilityZone, String description, String interfaceType, boolean requesterManaged,
            String requesterId, String macAddress, boolean sourceDestCheck, List<PrivateIp> privateIps,
            List<SecurityGroupId> groupIds, Attachment attachment, Map<String, String> tags) {
        this(id, ownerId, region, subnetId, vpcId, availabilityZone, description, interfaceType, requesterManaged,
                requesterId, macAddress, sourceDestCheck, privateIps, groupIds, attachment, tags, List.of());
    }

    public String primaryIp() {
        return privateIps.stream().filter(PrivateIp::primary).map(PrivateIp::address).findFirst().orElse(null);
    }

    public NetworkInterface withIpv6Addresses(List<String> addresses) {
        return new NetworkInterface(id, ownerId, region, subnetId, vpcId, availabilityZone, description, interfaceType,
                requesterManaged, requesterId, macAddress, sourceDestCheck, privateIps, groupIds, attachment, tags,
                addresses);
    }

    /** The interface in another Availability Zone name (a viewer's name for the same zone id). */
    public NetworkInterface withAvailabilityZone(String zone) {
        return new NetworkInterface(id, ownerId, region, subnetId, vpcId, zone, description, interfaceType,
                requesterManaged, requesterId, macAddress, sourceDestCheck, privateIps, groupIds, attachment, tags,
                ipv6Addresses);
    }

    public String status() {
        return attachment == null ? "available" : "in-use";
    }

    @Override
    public NetworkInterface withTags(Map<String, String> tags) {
        return new NetworkInterface(id, ownerId, region, subnetId, vpcId, availabilityZone, description, interfaceType,
                requesterManaged, requesterId, macAddress, sourceDestCheck, privateIps, groupIds, attachment, tags,
                ipv6Addresses);
    }

    /** This interface's id, typed as instances, endpoints, load balancers, gateways, addresses and routes refer to it. */
    public NetworkInterfaceId networkInterfaceId() {
        return new NetworkInterfaceId(id);
    }

    public NetworkInterface withPrivateIps(List<PrivateIp> ips) {
        return new NetworkInterface(id, ownerId, region, subnetId, vpcId, availabilityZone, description, interfaceType,
                requesterManaged, requesterId, macAddress, sourceDestCheck, ips, groupIds, attachment, tags,
                ipv6Addresses);
    }

    public NetworkInterface withGroupIds(List<SecurityGroupId> groups) {
        return new NetworkInterface(id, ownerId, region, subnetId, vpcId, availabilityZone, description, interfaceType,
                requesterManaged, requesterId, macAddress, sourceDestCheck, privateIps, groups, attachment, tags,
                ipv6Addresses);
    }

    public NetworkInterface withAttachment(Attachment newAttachment) {
        return new NetworkInterface(id, ownerId, region, subnetId, vpcId, availabilityZone, description, interfaceType,
                requesterManaged, requesterId, macAddress, sourceDestCheck, privateIps, groupIds, newAttachment, tags,
                ipv6Addresses);
    }

    public NetworkInterface withDescription(String newDescription) {
        return new NetworkInterface(id, ownerId, region, subnetId, vpcId, availabilityZone, newDescription,
                interfaceType, requesterManaged, requesterId, macAddress, sourceDestCheck, privateIps, groupIds,
                attachment, tags, ipv6Addresses);
    }

    public NetworkInterface withSourceDestCheck(boolean check) {
        return new NetworkInterface(id, ownerId, region, subnetId, vpcId, availabilityZone, description, interfaceType,
                requesterManaged, requesterId, macAddress, check, privateIps, groupIds, attachment, tags,
                ipv6Addresses);
    }

    @Override
    public String resourceType() {
        return "network-interface";
    }
}
