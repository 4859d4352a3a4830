package dev.underpass.model.ec2;

import dev.underpass.model.AwsNamed;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Index;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.net.IpFamily;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * What every interface endpoint has, whether it reaches an AWS service ({@link VpcEndpoints}) or a customer's
 * endpoint service ({@link EndpointConnections}): its subnets (one per Availability Zone) and security groups, its
 * requester-managed network interfaces, AWS's rules for the IP address type and DNS record type against the
 * subnets, the per-VPC quota, and its DNS names. One class, so that the two creation paths cannot drift apart.
 */
final class InterfaceEndpoints {
    private static final String DNS_TOKEN_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final RandomGenerator RANDOM = Ids.generator(); // The current transaction's source.

    private InterfaceEndpoints() {}

    /** An interface endpoint takes no route tables, and the VPC must have room for one more. */
    static void checkRoomForInterfaceEndpoint(Tx tx, Quotas quotas, VpcEndpoints.Create cmd, Vpc vpc) {
        if (!cmd.routeTableIds().isEmpty()) {
            throw ErrorCode.INVALID_PARAMETER.with("Route tables can be specified only for Gateway endpoints.");
        }
        long inVpc = Scoped.inVpc(tx.world(), VpcEndpoint.class, vpc.vpcId(), e -> !e.isGateway()).size();
        if (inVpc >= quotas.interfaceEndpointsPerVpc()) {
            throw ErrorCode.VPC_ENDPOINT_LIMIT_EXCEEDED.format(
                    "The maximum number of interface VPC endpoints (%d) in VPC %s has been reached.",
                    quotas.interfaceEndpointsPerVpc(), vpc.vpcId());
        }
    }

    /** The id of an endpoint's private hosted zone, in Route 53's format ({@code Z} and 13 more characters). */
    static String privateHostedZoneId() {
        return "Z" + Ids.hex(20).toUpperCase(Locale.ROOT).substring(0, 13);
    }

    /** Private DNS names resolve only in a VPC with both DNS attributes on. */
    static void requireVpcDns(Vpc vpc) {
        if (!vpc.enableDnsSupport() || !vpc.enableDnsHostnames()) {
            throw ErrorCode.INVALID_PARAMETER.format("Enabling private DNS requires both enableDnsSupport and "
                    + "enableDnsHostnames VPC attributes set to true for %s", vpc.vpcId());
        }
    }

    /**
     * An endpoint's security groups after ModifyVpcEndpoint's removals and additions (a removed group must exist, an
     * added one must be in the endpoint's VPC); at least one must stay.
     */
    static List<SecurityGroupId> modifiedGroups(Tx tx, Quotas quotas, Vpc vpc, VpcEndpoint endpoint,
            VpcEndpoints.Modify cmd) {
        List<SecurityGroupId> groups = new ArrayList<>(endpoint.groupIds());
        for (SecurityGroupId g : new LinkedHashSet<>(cmd.removeSecurityGroupIds())) {
            Lookup.require(tx.world(), tx.caller(), Kind.SECURITY_GROUP, SecurityGroup.class, g);
            groups.remove(g);
        }
        if (!cmd.addSecurityGroupIds().isEmpty()) {
            for (SecurityGroupId g : groups(tx, quotas, vpc, cmd.addSecurityGroupIds())) {
                if (!groups.contains(g)) {
                    groups.add(g);
                }
            }
        }
        if (groups.isEmpty()) {
            throw ErrorCode.INVALID_PARAMETER.format(
                    "Endpoint %s must keep at least one security group.", endpoint.id());
        }
        return groups;
    }

    /**
     * Takes subnets (the caller's) out of an endpoint, deleting the network interface the endpoint had in each;
     * {@code subnetIds} and {@code networkInterfaceIds} are parallel lists, changed in place.
     */
    static void removeSubnets(Tx tx, List<SubnetId> subnetIds, List<NetworkInterfaceId> networkInterfaceIds,
            List<SubnetId> remove) {
        for (SubnetId s : new LinkedHashSet<>(remove)) {
            Lookup.requireOwned(tx.world(), tx.caller(), Kind.SUBNET, Subnet.class, s);
            int at = subnetIds.indexOf(s);
            if (at >= 0) {
                subnetIds.remove(at);
                tx.find(NetworkInterface.class, networkInterfaceIds.remove(at)).ifPresent(tx::remove);
            }
        }
    }

    /** Looks up subnets for an interface endpoint: the caller's, in the VPC, one per zone (with {@code kept}). */
    static List<Subnet> subnets(Tx tx, Vpc vpc, List<SubnetId> ids, List<Subnet> kept) {
        List<Subnet> out = new ArrayList<>();
        Map<String, String> zoneToSubnet = new HashMap<>();
        for (Subnet s : kept) {
            zoneToSubnet.put(s.availabilityZoneId(), s.id());
        }
        for (SubnetId id : new LinkedHashSet<>(ids)) {
            Subnet s = Lookup.requireOwned(tx.world(), tx.caller(), Kind.SUBNET, Subnet.class, id);
            if (!s.vpcId().equals(vpc.vpcId())) {
                throw ErrorCode.INVALID_PARAMETER.format("The subnet %s does not belong to VPC %s.", id, vpc.vpcId());
            }
            if (zoneToSubnet.putIfAbsent(s.availabilityZoneId(), s.id()) != null) {
                throw ErrorCode.DUPLICATE_SUBNETS_IN_SAME_ZONE.format("Found another VPC endpoint subnet in the "
                        + "availability zone of %s. VPC endpoint subnets should be in different availability zones "
                        + "supported by the VPC endpoint service.", id);
            }
            out.add(s);
        }
        return out;
    }

    static List<SecurityGroupId> groups(Tx tx, Quotas quotas, Vpc vpc, List<SecurityGroupId> ids) {
        if (ids.isEmpty()) {
            return Scoped.inVpc(tx.world(), SecurityGroup.class, vpc.vpcId(), SecurityGroup::isDefault).stream()
                    .map(SecurityGroup::groupId).limit(1).toList();
        }
        List<SecurityGroupId> out = new ArrayList<>();
        for (SecurityGroupId id : new LinkedHashSet<>(ids)) {
            SecurityGroup g = Lookup.require(tx.world(), tx.caller(), Kind.SECURITY_GROUP, SecurityGroup.class, id);
            if (!g.vpcId().equals(vpc.vpcId())) {
                throw ErrorCode.INVALID_PARAMETER.format(
                        "The security group %s does not belong to VPC %s.", id, vpc.vpcId());
            }
            out.add(g.groupId());
        }
        if (out.size() > quotas.securityGroupsPerInterface()) {
            throw ErrorCode.SECURITY_GROUPS_PER_INTERFACE_LIMIT_EXCEEDED.format(
                    "The maximum number of security groups per interface (%d) has been reached.",
                    quotas.securityGroupsPerInterface());
        }
        return out;
    }

    /**
     * The IP address type AWS picks when the request names none: {@code ipv6} when every subnet is IPv6-only (and
     * the service takes IPv6), otherwise {@code ipv4}.
     */
    static VpcEndpoint.IpAddressType defaultIpAddressType(List<Subnet> subnets, List<IpFamily> supported) {
        boolean allIpv6Only = !subnets.isEmpty() && subnets.stream().allMatch(s -> !s.hasIpv4());
        return allIpv6Only && supported.contains(IpFamily.IPV6) ? VpcEndpoint.IpAddressType.IPV6
                : VpcEndpoint.IpAddressType.IPV4;
    }

    /**
     * The endpoint's IP address type: the one {@code requested} (by AWS's name), or {@code otherwise} when the
     * request names none, checked by AWS's rules against its subnets: {@code ipv4} needs every subnet to have an
     * IPv4 range, {@code dualstack} needs both IPv4 and IPv6 ranges in every subnet, {@code ipv6} needs every
     * subnet to be IPv6-only.
     */
    static VpcEndpoint.IpAddressType checkIpAddressType(String requested, VpcEndpoint.IpAddressType otherwise,
            List<Subnet> subnets) {
        VpcEndpoint.IpAddressType ipType = requested == null ? otherwise : VpcEndpoint.IpAddressType.parse(requested);
        for (Subnet s : subnets) {
            boolean v4 = s.hasIpv4();
            boolean v6 = s.ipv6CidrBlock() != null;
            switch (ipType) {
                case IPV4 -> {
                    if (!v4) {
                        throw ErrorCode.INVALID_PARAMETER.format("IpAddressType ipv4 requires subnets with IPv4 "
                                + "address ranges, but subnet %s is an IPv6-only subnet.", s.id());
                    }
                }
                case DUALSTACK -> {
                    if (!v4 || !v6) {
                        throw ErrorCode.INVALID_PARAMETER.format("IpAddressType dualstack requires subnets with both "
                                + "IPv4 and IPv6 address ranges, but subnet %s has %s.", s.id(),
                                v4 ? "no IPv6 CIDR block" : "no IPv4 CIDR block");
                    }
                }
                case IPV6 -> {
                    if (v4 || !v6) {
                        throw ErrorCode.INVALID_PARAMETER.format("IpAddressType ipv6 requires IPv6-only subnets, but "
                                + "subnet %s %s.", s.id(),
                                v6 ? "also has an IPv4 CIDR block"
                                        : "has no IPv6 CIDR block");
                    }
                }
            }
        }
        return ipType;
    }

    /**
     * The service must accept the families the endpoint uses: {@code dualstack} needs both {@code ipv4} and
     * {@code ipv6} among the service's supported IP address types.
     */
    static void checkServiceSupports(VpcEndpoint.IpAddressType ipType, List<IpFamily> supported,
            String serviceName) {
        if (!supported.containsAll(ipType.families())) {
            throw ErrorCode.INVALID_PARAMETER.format("The VPC endpoint service %s does not support IP address type "
                    + "%s; its supported IP address types are: %s.", serviceName, ipType,
                    String.join(", ", AwsNamed.names(supported)));
        }
    }

    /**
     * The DNS record IP type: given, it must suit the address type ({@code ipv4} records need an ipv4 or dualstack
     * endpoint, {@code ipv6} records an ipv6 or dualstack one, {@code dualstack} and {@code service-defined} a
     * dualstack one); omitted, it follows the address type, or stays as it was while the address type does.
     */
    static VpcEndpoint.DnsRecordIpType recordIpType(VpcEndpoint.IpAddressType ipType, String requested,
            VpcEndpoint.DnsRecordIpType current, VpcEndpoint.IpAddressType currentIpType) {
        if (requested == null) {
            return current != null && ipType == currentIpType ? current : ipType.records();
        }
        VpcEndpoint.DnsRecordIpType record = VpcEndpoint.DnsRecordIpType.parse(requested);
        List<VpcEndpoint.DnsRecordIpType> allowed = switch (ipType) {
            case IPV4 -> List.of(VpcEndpoint.DnsRecordIpType.IPV4);
            case IPV6 -> List.of(VpcEndpoint.DnsRecordIpType.IPV6);
            case DUALSTACK -> List.of(VpcEndpoint.DnsRecordIpType.values());
        };
        if (!allowed.contains(record)) {
            throw ErrorCode.INVALID_PARAMETER.format("DnsRecordIpType %s is not supported with IpAddressType %s; "
                    + "use one of: %s.", record, ipType, String.join(", ", AwsNamed.names(allowed)));
        }
        return record;
    }
    /** Gives an endpoint interface an IPv6 address when the endpoint uses IPv6, and takes it away when not. */
    static NetworkInterface withIpv6For(Tx tx, VpcEndpoint.IpAddressType ipType, NetworkInterface n) {
        boolean wants = ipType.usesIpv6();
        if (wants && n.ipv6Addresses().isEmpty()) {
            Subnet subnet = tx.find(Subnet.class, n.subnetId()).orElseThrow();
            return n.withIpv6Addresses(List.of(Subnets.allocateIpv6(tx.world(), subnet, n.id())));
        }
        if (!wants && !n.ipv6Addresses().isEmpty()) {
            return n.withIpv6Addresses(List.of());
        }
        return n;
    }
    static NetworkInterface createInterface(Tx tx, Quotas quotas, VpcEndpoint endpoint, Subnet subnet,
            List<SecurityGroupId> groups) {
        long enis = Index.owned(tx.world(), NetworkInterface.class, endpoint.ownerId(), endpoint.region()).size();
        if (enis >= quotas.networkInterfacesPerRegion()) {
            throw ErrorCode.NETWORK_INTERFACE_LIMIT_EXCEEDED.with(
                    "The maximum number of network interfaces has been reached.");
        }
        List<NetworkInterface.PrivateIp> ips = subnet.hasIpv4()
                ? List.of(new NetworkInterface.PrivateIp(Addresses.allocate(tx.world(), subnet, Set.of()), true))
                : List.of();
        NetworkInterface.Attachment attachment =
                new NetworkInterface.Attachment(new NetworkInterfaceAttachmentId(Ids.next("ela-attach")), null,
                        VpcEndpoints.ENI_ATTACHMENT_OWNER, 1, AttachmentStatus.ATTACHED, false, tx.now());
        NetworkInterface eni = new NetworkInterface(Ids.next("eni"), endpoint.ownerId(), endpoint.region(),
                subnet.subnetId(), subnet.vpcId(), subnet.availabilityZone(), "VPC Endpoint Interface " + endpoint.id(),
                "vpc_endpoint", true, VpcEndpoints.ENI_REQUESTER_ID, NetworkInterfaces.macAddress(), true, ips,
                groups, attachment, Map.of());
        return tx.put(withIpv6For(tx, endpoint.ipAddressType(), eni));
    }
    /**
     * An endpoint with its DNS entries, as AWS lists them: the Regional name, then one zonal name per subnet's zone,
     * then (when {@code withPrivateName}) the private DNS name in the endpoint's private hosted zone. The name of an
     * AWS service may start with {@code *.}; {@code suffix} names the service and its Region.
     */
    static VpcEndpoint withDnsEntries(World world, VpcEndpoint e, String prefix, String suffix,
            boolean withPrivateName, String privateDnsName) {
        String hostedZone = AwsServices.endpointHostedZone(e.region());
        String base = prefix + e.id() + "-" + e.dnsToken();
        List<VpcEndpoint.DnsEntry> entries = new ArrayList<>();
        entries.add(new VpcEndpoint.DnsEntry(base + suffix, hostedZone));
        for (SubnetId subnetId : e.subnetIds()) {
            world.find(Subnet.class, subnetId).ifPresent(s -> entries.add(
                    new VpcEndpoint.DnsEntry(base + "-" + s.availabilityZone() + suffix, hostedZone)));
        }
        if (withPrivateName) {
            entries.add(new VpcEndpoint.DnsEntry(privateDnsName, e.privateHostedZoneId()));
        }
        return e.withInterfaces(e.subnetIds(), e.networkInterfaceIds(), e.groupIds(), e.privateDnsEnabled(),
                e.dnsOptions(), entries);
    }

    static String dnsToken() {
        StringBuilder sb = new StringBuilder(8);
        for (int i = 0; i < 8; i++) {
            sb.append(DNS_TOKEN_ALPHABET.charAt(RANDOM.nextInt(DNS_TOKEN_ALPHABET.length())));
        }
        return sb.toString();
    }
}
