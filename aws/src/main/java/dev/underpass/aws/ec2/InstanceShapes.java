package dev.underpass.aws.ec2;

import dev.underpass.model.ec2.ImageId;
import dev.underpass.model.ec2.NetworkInterfaceAttachmentId;
import dev.underpass.model.ec2.InstanceId;
import dev.underpass.model.ec2.NetworkInterfaceId;
import dev.underpass.model.ec2.SecurityGroupId;
import dev.underpass.model.ec2.SubnetId;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.World;
import dev.underpass.model.ec2.InstanceStates;
import dev.underpass.model.ec2.ElasticIps;
import dev.underpass.model.ec2.NetworkInterfaces;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterface;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterfaceAttachment;
import software.amazon.awssdk.services.ec2.model.InstancePrivateIpAddress;
import software.amazon.awssdk.services.ec2.model.InstanceState;
import software.amazon.awssdk.services.ec2.model.Monitoring;
import software.amazon.awssdk.services.ec2.model.Placement;
import software.amazon.awssdk.services.ec2.model.PrivateDnsNameOptionsResponse;
import software.amazon.awssdk.services.ec2.model.StateReason;

/**
 * The SDK shapes of instances: an {@link Instance} in a given state with its interfaces and addresses, instance
 * states, and the reasons AWS gives for a stop or termination. Shared by {@link InstanceHandlers} (RunInstances answers
 * {@code pending}) and {@link InstanceReads}.
 */
final class InstanceShapes {
    private static final DateTimeFormatter REASON_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'GMT'").withZone(ZoneOffset.UTC);

    private InstanceShapes() {}

    static InstanceState state(dev.underpass.model.ec2.InstanceState s) {
        return InstanceState.builder().code(s.code()).name(s.wire()).build();
    }

    /**
     * An instance as DescribeInstances and RunInstances show it in {@code state}: RunInstances always answers
     * {@code pending}, as AWS does, even when the configured transition is instant.
     */
    static Instance shape(World world, dev.underpass.model.ec2.Instance i,
            dev.underpass.model.ec2.InstanceState state) {
        boolean terminated = state == dev.underpass.model.ec2.InstanceState.TERMINATED;
        var image = dev.underpass.model.ec2.Images.find(i.region(), i.imageId());
        var b = Instance.builder().instanceId(i.id()).imageId(ImageId.text(i.imageId())).instanceType(i.instanceType())
                .keyName(i.keyName()).state(state(state)).launchTime(i.launchTime())
                .amiLaunchIndex(Integer.parseInt(i.amiLaunchIndex()))
                .placement(Placement.builder().availabilityZone(i.availabilityZone()).groupName("")
                        .tenancy("default").build())
                .architecture(image.map(m -> m.architecture()).orElse("x86_64")).rootDeviceType("ebs")
                .rootDeviceName(image.map(m -> m.rootDeviceName()).orElse("/dev/xvda")).hypervisor("xen")
                .platform(image.map(m -> m.platform()).orElse(null))
                .platformDetails(image.map(m -> m.platformDetails()).orElse("Linux/UNIX"))
                .virtualizationType("hvm").monitoring(Monitoring.builder().state("disabled").build())
                .ebsOptimized(false).enaSupport(true).publicDnsName("").productCodes(List.of())
                .blockDeviceMappings(List.of()).clientToken(i.clientToken())
                .stateTransitionReason(transitionReason(i, state)).tags(Shapes.tags(i.tags()))
                .metadataOptions(
                        metadata(dev.underpass.model.ec2.InstanceSettings.metadataOptions(i, image.orElse(null)),
                                "applied"));
        StateReason reason = stateReason(state);
        if (reason != null) {
            b.stateReason(reason);
        }
        if (terminated) {
            b.privateDnsName("").securityGroups(List.of()).networkInterfaces(List.of());
            return b.build();
        }
        List<dev.underpass.model.ec2.NetworkInterface> enis = NetworkInterfaces.attachedTo(world, i.instanceId());
        boolean sourceDestCheck = sourceDestCheck(i, enis);
        ElasticIps.PublicAddress pub = ElasticIps.publicAddress(world, i.primaryNetworkInterfaceId(),
                i.privateIpAddress());
        if (pub != null) {
            b.publicIpAddress(pub.publicIp());
        }
        var dns = dev.underpass.model.ec2.Instances.dnsNameOptions(world, i);
        // With resource-name hostnames the instance's private DNS name is its resource name; its interfaces keep
        // their address-based names.
        String privateDnsName = dns.hostnameType().equals(dev.underpass.model.ec2.Instance.RESOURCE_NAME)
                ? NetworkInterfaces.resourceDnsName(i.region(), i.id())
                : NetworkInterfaces.privateDnsName(i.region(), i.privateIpAddress());
        return b.privateIpAddress(i.privateIpAddress()).privateDnsName(privateDnsName)
                .privateDnsNameOptions(PrivateDnsNameOptionsResponse.builder().hostnameType(dns.hostnameType())
                        .enableResourceNameDnsARecord(dns.enableResourceNameDnsARecord())
                        .enableResourceNameDnsAAAARecord(dns.enableResourceNameDnsAAAARecord()).build())
                .subnetId(SubnetId.text(i.subnetId())).vpcId(VpcId.text(i.vpcId())).sourceDestCheck(sourceDestCheck)
                .securityGroups(NetworkInterfaceHandlers.groups(world, SecurityGroupId.texts(i.groupIds())))
                .networkInterfaces(enis.stream().map(n -> networkInterface(world, n)).toList())
                .build();
    }

    private static InstanceNetworkInterface networkInterface(World world, dev.underpass.model.ec2.NetworkInterface n) {
        var a = n.attachment();
        return InstanceNetworkInterface.builder().networkInterfaceId(n.id()).subnetId(SubnetId.text(n.subnetId()))
                .vpcId(VpcId.text(n.vpcId()))
                .description(n.description()).ownerId(n.ownerId()).status(n.status()).macAddress(n.macAddress())
                .privateIpAddress(n.primaryIp())
                .privateDnsName(NetworkInterfaces.privateDnsName(n.region(), n.primaryIp()))
                .sourceDestCheck(n.sourceDestCheck()).interfaceType(n.interfaceType())
                .groups(NetworkInterfaceHandlers.groups(world, SecurityGroupId.texts(n.groupIds())))
                .ipv6Addresses(n.ipv6Addresses().stream()
                        .map(v6 -> software.amazon.awssdk.services.ec2.model.InstanceIpv6Address.builder()
                                .ipv6Address(v6).isPrimaryIpv6(false).build())
                        .toList())
                .association(
                        instanceAssociation(ElasticIps.publicAddress(world, n.networkInterfaceId(), n.primaryIp())))
                .privateIpAddresses(n.privateIps().stream().map(ip -> InstancePrivateIpAddress.builder()
                        .primary(ip.primary()).privateIpAddress(ip.address())
                        .association(instanceAssociation(
                                ElasticIps.publicAddress(world, n.networkInterfaceId(), ip.address())))
                        .privateDnsName(NetworkInterfaces.privateDnsName(n.region(), ip.address())).build()).toList())
                .attachment(InstanceNetworkInterfaceAttachment.builder()
                        .attachmentId(NetworkInterfaceAttachmentId.text(a.attachmentId()))
                        .attachTime(a.attachTime()).deleteOnTermination(a.deleteOnTermination())
                        .deviceIndex(a.deviceIndex()).networkCardIndex(0).status(a.status().wire()).build())
                .build();
    }

    /** The public address of an instance's private address, as the instance's interfaces show it. */
    private static software.amazon.awssdk.services.ec2.model.InstanceNetworkInterfaceAssociation instanceAssociation(
            ElasticIps.PublicAddress pub) {
        return pub == null ? null : software.amazon.awssdk.services.ec2.model.InstanceNetworkInterfaceAssociation
                .builder().publicIp(pub.publicIp()).ipOwnerId(pub.ipOwnerId()).publicDnsName("").build();
    }

    /** AWS explains a stop or termination the user asked for; a running instance has an empty reason. */
    private static String transitionReason(dev.underpass.model.ec2.Instance i,
            dev.underpass.model.ec2.InstanceState state) {
        return switch (state) {
            case STOPPING, STOPPED, SHUTTING_DOWN, TERMINATED ->
                "User initiated (" + REASON_TIME.format(i.stateChangedAt()) + ")";
            default -> "";
        };
    }

    static StateReason stateReason(dev.underpass.model.ec2.InstanceState state) {
        return switch (state) {
            case PENDING -> StateReason.builder().code("pending").message("pending").build();
            case STOPPING, STOPPED, SHUTTING_DOWN, TERMINATED ->
                StateReason.builder().code("Client.UserInitiatedShutdown")
                        .message("Client.UserInitiatedShutdown: User initiated shutdown").build();
            default -> null;
        };
    }

    /** The instance metadata options as DescribeInstances and ModifyInstanceMetadataOptions show them. */
    static software.amazon.awssdk.services.ec2.model.InstanceMetadataOptionsResponse metadata(
            dev.underpass.model.ec2.Instance.MetadataOptions o, String state) {
        return software.amazon.awssdk.services.ec2.model.InstanceMetadataOptionsResponse.builder().state(state)
                .httpTokens(o.httpTokens()).httpPutResponseHopLimit(o.hopLimit()).httpEndpoint(o.httpEndpoint())
                .httpProtocolIpv6(o.httpProtocolIpv6()).instanceMetadataTags(o.instanceMetadataTags()).build();
    }

    /** The instance's source/destination check: its primary interface's (on when the interface is gone). */
    static boolean sourceDestCheck(dev.underpass.model.ec2.Instance i,
            List<dev.underpass.model.ec2.NetworkInterface> attached) {
        return attached.stream().filter(n -> n.networkInterfaceId().equals(i.primaryNetworkInterfaceId())).findFirst()
                .map(dev.underpass.model.ec2.NetworkInterface::sourceDestCheck).orElse(true);
    }
}
