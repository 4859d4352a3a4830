package dev.underpass.model.ec2;

import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A VPC: its primary and secondary IPv4 CIDR blocks, its Amazon-provided IPv6 blocks, DNS attributes, and whether it
 * is the region's default. {@code ipv6Associations} was added later: data stored before it loads with none.
 */
public record Vpc(
        String id,
        String ownerId,
        String region,
        String cidrBlock,
        List<CidrAssociation> cidrAssociations,
        DhcpOptionsId dhcpOptionsId,
        String instanceTenancy,
        boolean isDefault,
        boolean enableDnsSupport,
        boolean enableDnsHostnames,
        Instant createdAt,
        Map<String, String> tags,
        List<Ipv6Association> ipv6Associations)
        implements Resource {

    /** This VPC's id, typed as the records in it refer to it. */
    public VpcId vpcId() {
        return new VpcId(id);
    }

    /** A CIDR block associated with the VPC ({@code vpc-cidr-assoc-…}). */
    public record CidrAssociation(VpcCidrAssociationId associationId, String cidrBlock, CidrAssociationState state) {}

    /**
     * An IPv6 block associated with the VPC ({@code vpc-cidr-assoc-…}), from {@code ipv6Pool} (always
     * {@code Amazon} in underpass), advertised from {@code networkBorderGroup}.
     */
    public record Ipv6Association(VpcCidrAssociationId associationId, String ipv6CidrBlock, CidrAssociationState state,
            String networkBorderGroup, String ipv6Pool) {}

    public Vpc {
        cidrAssociations = List.copyOf(cidrAssociations);
        tags = Tags.copy(tags);
        ipv6Associations = ipv6Associations == null ? List.of() : List.copyOf(ipv6Associations);
    }

    /** A VPC without IPv6 blocks. */
    public Vpc(String id, String ownerId, String region, String cidrBlock, List<CidrAssociation> cidrAssociations,
            DhcpOptionsId dhcpOptionsId, String instanceTenancy, boolean isDefault, boolean enableDnsSupport,
            boolean enableDnsHostnames, Instant createdAt, Map<String, String> tags) {
        this(id, ownerId, region, cidrBlock, cidrAssociations, dhcpOptionsId, instanceTenancy, isDefault,
                enableDnsSupport, enableDnsHostnames, createdAt, tags, List.of());
    }

    @Override
    public Vpc withTags(Map<String, String> tags) {
        return new Vpc(id, ownerId, region, cidrBlock, cidrAssociations, dhcpOptionsId, instanceTenancy, isDefault,
                enableDnsSupport, enableDnsHostnames, createdAt, tags, ipv6Associations);
    }

    public Vpc withCidrAssociations(List<CidrAssociation> associations) {
        return new Vpc(id, ownerId, region, cidrBlock, associations, dhcpOptionsId, instanceTenancy, isDefault,
                enableDnsSupport, enableDnsHostnames, createdAt, tags, ipv6Associations);
    }

    public Vpc withDhcpOptionsId(DhcpOptionsId optionsId) {
        return new Vpc(id, ownerId, region, cidrBlock, cidrAssociations, optionsId, instanceTenancy, isDefault,
                enableDnsSupport, enableDnsHostnames, createdAt, tags, ipv6Associations);
    }

    public Vpc withDns(boolean support, boolean hostnames) {
        return new Vpc(id, ownerId, region, cidrBlock, cidrAssociations, dhcpOptionsId, instanceTenancy, isDefault,
                support, hostnames, createdAt, tags, ipv6Associations);
    }

    public Vpc withIpv6Associations(List<Ipv6Association> associations) {
        return new Vpc(id, ownerId, region, cidrBlock, cidrAssociations, dhcpOptionsId, instanceTenancy, isDefault,
                enableDnsSupport, enableDnsHostnames, createdAt, tags, associations);
    }

    /** The associated IPv6 blocks. */
    public List<String> activeIpv6Cidrs() {
        return ipv6Associations.stream().filter(a -> a.state() == CidrAssociationState.ASSOCIATED)
                .map(Ipv6Association::ipv6CidrBlock).toList();
    }

    /** The associated blocks that are in use (state {@code associated}). */
    public List<String> activeCidrs() {
        return cidrAssociations.stream().filter(a -> a.state() == CidrAssociationState.ASSOCIATED)
                .map(CidrAssociation::cidrBlock)
                .toList();
    }

    @Override
    public String resourceType() {
        return "vpc";
    }
}
