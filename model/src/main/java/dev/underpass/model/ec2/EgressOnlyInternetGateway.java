package dev.underpass.model.ec2;

import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import java.util.Map;

/**
 * An egress-only internet gateway ({@code eigw-…}): outbound-only IPv6 for one VPC, to which it is attached from
 * creation to deletion.
 */
public record EgressOnlyInternetGateway(String id, String ownerId, String region, VpcId vpcId,
        Map<String, String> tags) implements Resource {

    public EgressOnlyInternetGateway {
        tags = Tags.copy(tags);
    }

    @Override
    public EgressOnlyInternetGateway withTags(Map<String, String> tags) {
        return new EgressOnlyInternetGateway(id, ownerId, region, vpcId, tags);
    }

    @Override
    public String resourceType() {
        return "egress-only-internet-gateway";
    }

    /** The gateway's id, typed. */
    public EgressOnlyInternetGatewayId egressOnlyInternetGatewayId() {
        return new EgressOnlyInternetGatewayId(id);
    }
}
