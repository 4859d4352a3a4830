package dev.underpass.model.ec2;

import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A VPC: its primary and secondary IPv4 CIDR blocks, DNS attributes, and whether it is the region's default. */
public record Vpc(
        String id,
        String ownerId,
        String region,
        String cidrBlock,
        List<CidrAssociation> cidrAssociations,
        String dhcpOptionsId,
        String instanceTenancy,
        boolean isDefault,
        boolean enableDnsSupport,
        boolean enableDnsHostnames,
        Instant createdAt,
        Map<String, String> tags)
        implements Resource {

    /** A CIDR block associated with the VPC ({@code vpc-cidr-assoc-…}). */
    public record CidrAssociation(String associationId, String cidrBlock, String state) {}

    public Vpc {
        cidrAssociations = List.copyOf(cidrAssociations);
        tags = Tags.copy(tags);
    }

    @Override
    public Vpc withTags(Map<String, String> tags) {
        return new Vpc(id, ownerId, region, cidrBlock, cidrAssociations, dhcpOptionsId, instanceTenancy, isDefault,
                enableDnsSupport, enableDnsHostnames, createdAt, tags);
    }

    public Vpc withCidrAssociations(List<CidrAssociation> associations) {
        return new Vpc(id, ownerId, region, cidrBlock, associations, dhcpOptionsId, instanceTenancy, isDefault,
                enableDnsSupport, enableDnsHostnames, createdAt, tags);
    }

    public Vpc withDns(boolean support, boolean hostnames) {
        return new Vpc(id, ownerId, region, cidrBlock, cidrAssociations, dhcpOptionsId, instanceTenancy, isDefault,
                support, hostnames, createdAt, tags);
    }

    /** The associated blocks that are in use (state {@code associated}). */
    public List<String> activeCidrs() {
        return cidrAssociations.stream().filter(a -> a.state().equals("associated")).map(CidrAssociation::cidrBlock)
                .toList();
    }

    @Override
    public String resourceType() {
        return "vpc";
    }
}
