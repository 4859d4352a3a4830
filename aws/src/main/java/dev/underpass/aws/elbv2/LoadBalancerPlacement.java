package dev.underpass.aws.elbv2;

import dev.underpass.model.ec2.AttachmentStatus;
import dev.underpass.model.ec2.NetworkInterfaceAttachmentId;
import dev.underpass.model.ec2.NetworkInterfaceId;
import dev.underpass.model.ec2.SecurityGroupId;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.AwsException;
import dev.underpass.model.Ids;
import dev.underpass.model.Tx;
import dev.underpass.model.ec2.Addresses;
import dev.underpass.model.ec2.NetworkInterface;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.elb.AlbLoadBalancers;
import dev.underpass.model.elb.ElbError;
import dev.underpass.model.elb.LoadBalancer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.SubnetMapping;

/**
 * Where a load balancer's nodes go: the subnets or subnet mappings of CreateLoadBalancer and SetSubnets checked as
 * ELB checks them (one subnet per Availability Zone, one VPC, visible to the caller through VPC sharing), the
 * requester-managed network interface created in each, and a Network Load Balancer's security groups. Shared by
 * {@link LoadBalancerHandlers} (create) and {@link LoadBalancerSettingHandlers} (SetSubnets).
 */
final class LoadBalancerPlacement {
    private LoadBalancerPlacement() {}

    /** A subnet choice: the subnet and, optionally, the private address the caller wants there. */
    record Choice(Subnet subnet, String privateIp) {}

    static List<Choice> choices(Tx tx, List<String> subnets, List<SubnetMapping> mappings,
            LoadBalancer.Scheme scheme) {
        boolean hasSubnets = subnets != null && !subnets.isEmpty();
        boolean hasMappings = mappings != null && !mappings.isEmpty();
        if (hasSubnets && hasMappings) {
            throw ElbError.VALIDATION_ERROR.with("You can specify subnets or subnet mappings, not both");
        }
        if (!hasSubnets && !hasMappings) {
            throw ElbError.VALIDATION_ERROR.with("A Network Load Balancer must have at least one subnet: specify"
                    + " Subnets or SubnetMappings");
        }
        List<SubnetMapping> all = new ArrayList<>();
        if (hasSubnets) {
            for (String s : subnets) {
                all.add(SubnetMapping.builder().subnetId(s).build());
            }
        } else {
            all.addAll(mappings);
        }
        List<Choice> out = new ArrayList<>();
        Set<String> zones = new HashSet<>();
        VpcId vpcId = null;
        for (SubnetMapping m : all) {
            String id = ElbShapes.required(m.subnetId(), "SubnetMappings.member.N.SubnetId");
            // A subnet shared with the caller (VPC sharing) takes its load balancers too.
            Subnet subnet = tx.find(Subnet.class, id)
                    .filter(s -> dev.underpass.model.ec2.Visibility.visible(tx.world(), tx.caller(), s))
                    .map(s -> dev.underpass.model.ec2.Subnets.asSeenBy(tx.world(), tx.caller(), s))
                    .orElseThrow(() -> ElbError.SUBNET_NOT_FOUND.format("The subnet ID '%s' is not valid", id));
            if (vpcId != null && !vpcId.equals(subnet.vpcId())) {
                throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                        "All subnets must belong to the same VPC: '%s' is in '%s', not '%s'", id, subnet.vpcId(),
                        vpcId);
            }
            vpcId = subnet.vpcId();
            if (!zones.add(subnet.availabilityZone())) {
                throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                        "A load balancer cannot be attached to multiple subnets in the same Availability Zone"
                                + " ('%s')",
                        subnet.availabilityZone());
            }
            if (m.allocationId() != null) {
                throw ElbError.ALLOCATION_ID_NOT_FOUND.format("Elastic IP allocation '%s' not found",
                        m.allocationId());
            }
            if (m.privateIPv4Address() != null && scheme != LoadBalancer.Scheme.INTERNAL) {
                throw ElbError.INVALID_CONFIGURATION_REQUEST.with(
                        "A private IPv4 address can only be specified for an internal load balancer");
            }
            out.add(new Choice(subnet, m.privateIPv4Address()));
        }
        return out;
    }

    static LoadBalancer.Zone createInterface(Tx tx, Subnet subnet,
            String privateIp, String name, String lbId, List<String> groups, boolean application) {
        String address;
        try {
            address = privateIp == null ? Addresses.allocate(tx.world(), subnet, Set.of())
                    : Addresses.claim(tx.world(), subnet, privateIp, Set.of());
        } catch (AwsException e) {
            throw ElbError.INVALID_CONFIGURATION_REQUEST.with(e.getMessage());
        }
        String eniId = Ids.next("eni");
        tx.put(new NetworkInterface(eniId, tx.caller().accountId(), tx.caller().region(), subnet.subnetId(),
                subnet.vpcId(), subnet.availabilityZone(),
                "ELB " + (application ? "app/" : "net/") + name + "/" + lbId,
                application ? "interface" : "network_load_balancer",
                true, "amazon-elb", mac(), false, List.of(new NetworkInterface.PrivateIp(address, true)),
                SecurityGroupId.all(groups),
                new NetworkInterface.Attachment(NetworkInterfaceAttachmentId.of("ela-attach-" + Ids.hex(17)), null,
                        "amazon-elb", 1, AttachmentStatus.ATTACHED,
                        false, tx.now()),
                Map.of()));
        return new LoadBalancer.Zone(subnet.subnetId(), subnet.availabilityZone(), zoneId(tx.world(), subnet),
                NetworkInterfaceId.of(eniId),
                address,
                privateIp != null);
    }

    private static String zoneId(dev.underpass.model.World world, Subnet subnet) {
        if (subnet.availabilityZoneId() != null) {
            return subnet.availabilityZoneId();
        }
        return world.azMapping().zoneId(subnet.region(), subnet.ownerId(), subnet.availabilityZone());
    }

    private static String mac() {
        String hex = Ids.hex(10);
        StringBuilder sb = new StringBuilder("02");
        for (int i = 0; i < hex.length(); i += 2) {
            sb.append(':').append(hex, i, i + 2);
        }
        return sb.toString();
    }

    /** A Network Load Balancer's security groups: optional (none at all is allowed), else as an ALB's are checked. */
    static List<String> securityGroups(Tx tx, List<String> ids, VpcId vpcId) {
        return ids == null ? new ArrayList<>() : AlbLoadBalancers.ownGroupsIn(tx, ids, vpcId);
    }

    /** Application Load Balancers choose neither private addresses nor Elastic IPs. */
    static void refuseAddressChoices(List<SubnetMapping> mappings) {
        if (mappings == null) {
            return;
        }
        for (SubnetMapping m : mappings) {
            if (m.privateIPv4Address() != null || m.allocationId() != null || m.iPv6Address() != null) {
                throw ElbError.INVALID_CONFIGURATION_REQUEST.with(
                        "Application Load Balancers do not support private IP addresses or Elastic IP addresses in"
                                + " subnet mappings");
            }
        }
    }
}
