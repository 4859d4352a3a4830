package dev.underpass.model.ec2;

import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import java.util.List;
import java.util.Map;

/** An internet gateway and the VPC it is attached to (AWS allows at most one). */
public record InternetGateway(String id, String ownerId, String region, List<VpcId> attachedVpcIds,
        Map<String, String> tags) implements Resource {

    public InternetGateway {
        attachedVpcIds = List.copyOf(attachedVpcIds);
        tags = Tags.copy(tags);
    }

    /** The gateway's id, typed. */
    public InternetGatewayId internetGatewayId() {
        return new InternetGatewayId(id);
    }

    @Override
    public InternetGateway withTags(Map<String, String> tags) {
        return new InternetGateway(id, ownerId, region, attachedVpcIds, tags);
    }

    public InternetGateway withAttachedVpcIds(List<VpcId> vpcIds) {
        return new InternetGateway(id, ownerId, region, vpcIds, tags);
    }

    @Override
    public String resourceType() {
        return "internet-gateway";
    }
}
