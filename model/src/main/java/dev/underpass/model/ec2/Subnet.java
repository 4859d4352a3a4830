package dev.underpass.model.ec2;

import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import java.time.Instant;
import java.util.Map;

/** A subnet: an IPv4 block of its VPC in one Availability Zone. */
public record Subnet(
        String id,
        String ownerId,
        String region,
        String vpcId,
        String cidrBlock,
        String availabilityZone,
        String availabilityZoneId,
        boolean defaultForAz,
        boolean mapPublicIpOnLaunch,
        Instant createdAt,
        Map<String, String> tags)
        implements Resource {

    public Subnet {
        tags = Tags.copy(tags);
    }

    @Override
    public Subnet withTags(Map<String, String> tags) {
        return new Subnet(id, ownerId, region, vpcId, cidrBlock, availabilityZone, availabilityZoneId, defaultForAz,
                mapPublicIpOnLaunch, createdAt, tags);
    }

    public Subnet withMapPublicIpOnLaunch(boolean map) {
        return new Subnet(id, ownerId, region, vpcId, cidrBlock, availabilityZone, availabilityZoneId, defaultForAz,
                map, createdAt, tags);
    }

    public String arn() {
        return "arn:aws:ec2:" + region + ":" + ownerId + ":subnet/" + id;
    }

    @Override
    public String resourceType() {
        return "subnet";
    }
}
