package dev.underpass.model.ec2;

import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import java.time.Instant;
import java.util.Map;

/** A NAT gateway in a subnet, with its requester-managed network interface. */
public record NatGateway(
        String id,
        String ownerId,
        String region,
        String subnetId,
        String vpcId,
        String connectivityType,
        String networkInterfaceId,
        String privateIp,
        String allocationId,
        String publicIp,
        String state,
        Instant createTime,
        Instant deleteTime,
        Map<String, String> tags)
        implements Resource {

    public NatGateway {
        tags = Tags.copy(tags);
    }

    @Override
    public NatGateway withTags(Map<String, String> tags) {
        return new NatGateway(id, ownerId, region, subnetId, vpcId, connectivityType, networkInterfaceId, privateIp,
                allocationId, publicIp, state, createTime, deleteTime, tags);
    }

    public NatGateway withState(String newState, Instant deletedAt) {
        return new NatGateway(id, ownerId, region, subnetId, vpcId, connectivityType, networkInterfaceId, privateIp,
                allocationId, publicIp, newState, createTime, deletedAt, tags);
    }

    @Override
    public String resourceType() {
        return "natgateway";
    }
}
