package dev.underpass.model.ec2;

import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import java.time.Instant;
import java.util.Map;

/**
 * An Elastic IP address ({@code eipalloc-…}) allocated to an account from Amazon's pool, and its association with
 * one private address of a network interface ({@code eipassoc-…}), if any. The instance an association serves is
 * not stored: it is whatever instance the interface is attached to when the address is described.
 * {@code serviceManaged} names the service that made the association on the account's behalf ({@code natgateway}),
 * which the account may then not change.
 */
public record ElasticIp(
        String id,
        String ownerId,
        String region,
        String publicIp,
        String networkBorderGroup,
        Association association,
        Instant allocatedAt,
        Map<String, String> tags)
        implements Resource {

    /** The address's allocation id, typed. */
    public AllocationId allocationId() {
        return new AllocationId(id);
    }

    /** The address's association with a private address of a network interface. */
    public record Association(ElasticIpAssociationId associationId, NetworkInterfaceId networkInterfaceId,
            String networkInterfaceOwnerId,
            String privateIpAddress, String serviceManaged) {}

    public ElasticIp {
        tags = Tags.copy(tags);
    }

    @Override
    public ElasticIp withTags(Map<String, String> tags) {
        return new ElasticIp(id, ownerId, region, publicIp, networkBorderGroup, association, allocatedAt, tags);
    }

    public ElasticIp withAssociation(Association newAssociation) {
        return new ElasticIp(id, ownerId, region, publicIp, networkBorderGroup, newAssociation, allocatedAt, tags);
    }

    @Override
    public String resourceType() {
        return "elastic-ip";
    }
}
