package dev.underpass.model.ec2;

import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A subnet in one Availability Zone: an IPv4 block of its VPC, an IPv6 /64 of one of the VPC's IPv6 blocks, or both.
 * An IPv6-only subnet ({@code ipv6Native}) has no IPv4 block ({@code cidrBlock} is null). The IPv6 fields were added
 * later: data stored before them loads as an IPv4-only subnet.
 *
 * <p>{@code enableResourceNameDnsARecordOnLaunch} is the subnet's {@code PrivateDnsNameOptionsOnLaunch} switch for the
 * resource-name A record ({@code i-0123456789abcdef0.ec2.internal}); the data plane's DNS answers an instance's
 * resource name when its subnet has it on. Stored later too: older data loads with it off, AWS's default.
 * {@code privateDnsHostnameTypeOnLaunch} and {@code enableResourceNameDnsAAAARecordOnLaunch} are the rest of those
 * options, stored later still: null (the hostname type AWS gives the subnet's kind, {@link #hostnameTypeOnLaunch})
 * and off in older data. An instance takes the three at launch ({@link Instance#privateDnsNameOptions}).
 */
public record Subnet(
        String id,
        String ownerId,
        String region,
        VpcId vpcId,
        String cidrBlock,
        String availabilityZone,
        String availabilityZoneId,
        boolean defaultForAz,
        boolean mapPublicIpOnLaunch,
        Instant createdAt,
        Map<String, String> tags,
        List<Ipv6Association> ipv6Associations,
        boolean ipv6Native,
        boolean assignIpv6AddressOnCreation,
        boolean enableResourceNameDnsARecordOnLaunch,
        String privateDnsHostnameTypeOnLaunch,
        boolean enableResourceNameDnsAAAARecordOnLaunch)
        implements Resource {

    /** An IPv6 block of the subnet ({@code subnet-cidr-assoc-…}). */
    public record Ipv6Association(SubnetCidrAssociationId associationId, String ipv6CidrBlock,
            CidrAssociationState state) {}

    /** This subnet's id, typed as the records in it refer to it. */
    public SubnetId subnetId() {
        return new SubnetId(id);
    }

    public Subnet {
        tags = Tags.copy(tags);
        ipv6Associations = ipv6Associations == null ? List.of() : List.copyOf(ipv6Associations);
    }

    /** A subnet whose other on-launch DNS name options are AWS's defaults. */
    public Subnet(String id, String ownerId, String region, VpcId vpcId, String cidrBlock, String availabilityZone,
            String availabilityZoneId, boolean defaultForAz, boolean mapPublicIpOnLaunch, Instant createdAt,
            Map<String, String> tags, List<Ipv6Association> ipv6Associations, boolean ipv6Native,
            boolean assignIpv6AddressOnCreation, boolean enableResourceNameDnsARecordOnLaunch) {
        this(id, ownerId, region, vpcId, cidrBlock, availabilityZone, availabilityZoneId, defaultForAz,
                mapPublicIpOnLaunch, createdAt, tags, ipv6Associations, ipv6Native, assignIpv6AddressOnCreation,
                enableResourceNameDnsARecordOnLaunch, null, false);
    }

    /** A subnet whose resource-name A record is off (AWS's default). */
    public Subnet(String id, String ownerId, String region, VpcId vpcId, String cidrBlock, String availabilityZone,
            String availabilityZoneId, boolean defaultForAz, boolean mapPublicIpOnLaunch, Instant createdAt,
            Map<String, String> tags, List<Ipv6Association> ipv6Associations, boolean ipv6Native,
            boolean assignIpv6AddressOnCreation) {
        this(id, ownerId, region, vpcId, cidrBlock, availabilityZone, availabilityZoneId, defaultForAz,
                mapPublicIpOnLaunch, createdAt, tags, ipv6Associations, ipv6Native, assignIpv6AddressOnCreation,
                false);
    }

    /** An IPv4-only subnet. */
    public Subnet(String id, String ownerId, String region, VpcId vpcId, String cidrBlock, String availabilityZone,
            String availabilityZoneId, boolean defaultForAz, boolean mapPublicIpOnLaunch, Instant createdAt,
            Map<String, String> tags) {
        this(id, ownerId, region, vpcId, cidrBlock, availabilityZone, availabilityZoneId, defaultForAz,
                mapPublicIpOnLaunch, createdAt, tags, List.of(), false, false, false);
    }

    @Override
    public Subnet withTags(Map<String, String> tags) {
        return new Subnet(id, ownerId, region, vpcId, cidrBlock, availabilityZone, availabilityZoneId, defaultForAz,
                mapPublicIpOnLaunch, createdAt, tags, ipv6Associations, ipv6Native,
                assignIpv6AddressOnCreation, enableResourceNameDnsARecordOnLaunch, privateDnsHostnameTypeOnLaunch,
                enableResourceNameDnsAAAARecordOnLaunch);
    }

    public Subnet withMapPublicIpOnLaunch(boolean map) {
        return new Subnet(id, ownerId, region, vpcId, cidrBlock, availabilityZone, availabilityZoneId, defaultForAz,
                map, createdAt, tags, ipv6Associations, ipv6Native, assignIpv6AddressOnCreation,
                enableResourceNameDnsARecordOnLaunch, privateDnsHostnameTypeOnLaunch,
                enableResourceNameDnsAAAARecordOnLaunch);
    }

    public Subnet withIpv6(List<Ipv6Association> associations, boolean assignOnCreation) {
        return new Subnet(id, ownerId, region, vpcId, cidrBlock, availabilityZone, availabilityZoneId, defaultForAz,
                mapPublicIpOnLaunch, createdAt, tags, associations, ipv6Native, assignOnCreation,
                enableResourceNameDnsARecordOnLaunch, privateDnsHostnameTypeOnLaunch,
                enableResourceNameDnsAAAARecordOnLaunch);
    }

    public Subnet withResourceNameDnsARecordOnLaunch(boolean enable) {
        return new Subnet(id, ownerId, region, vpcId, cidrBlock, availabilityZone, availabilityZoneId, defaultForAz,
                mapPublicIpOnLaunch, createdAt, tags, ipv6Associations, ipv6Native, assignIpv6AddressOnCreation,
                enable, privateDnsHostnameTypeOnLaunch, enableResourceNameDnsAAAARecordOnLaunch);
    }

    public Subnet withHostnameTypeOnLaunch(String hostnameType) {
        return new Subnet(id, ownerId, region, vpcId, cidrBlock, availabilityZone, availabilityZoneId, defaultForAz,
                mapPublicIpOnLaunch, createdAt, tags, ipv6Associations, ipv6Native, assignIpv6AddressOnCreation,
                enableResourceNameDnsARecordOnLaunch, hostnameType, enableResourceNameDnsAAAARecordOnLaunch);
    }

    public Subnet withResourceNameDnsAAAARecordOnLaunch(boolean enable) {
        return new Subnet(id, ownerId, region, vpcId, cidrBlock, availabilityZone, availabilityZoneId, defaultForAz,
                mapPublicIpOnLaunch, createdAt, tags, ipv6Associations, ipv6Native, assignIpv6AddressOnCreation,
                enableResourceNameDnsARecordOnLaunch, privateDnsHostnameTypeOnLaunch, enable);
    }

    /**
     * The hostname type instances launched here get unless they ask for one: the one set, else resource-name for an
     * IPv6-only subnet and ip-name for any other, as AWS defaults it.
     */
    public String hostnameTypeOnLaunch() {
        if (privateDnsHostnameTypeOnLaunch != null) {
            return privateDnsHostnameTypeOnLaunch;
        }
        return ipv6Native ? Instance.RESOURCE_NAME : Instance.IP_NAME;
    }

    /** The subnet's associated IPv6 block, or null. */
    public String ipv6CidrBlock() {
        return ipv6Associations.stream().filter(a -> a.state() == CidrAssociationState.ASSOCIATED)
                .map(Ipv6Association::ipv6CidrBlock).findFirst().orElse(null);
    }

    /** Whether the subnet has an IPv4 block. */
    public boolean hasIpv4() {
        return cidrBlock != null;
    }

    public String arn() {
        return "arn:aws:ec2:" + region + ":" + ownerId + ":subnet/" + id;
    }

    @Override
    public String resourceType() {
        return "subnet";
    }
}
