package dev.underpass.model.ec2;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.AwsNamed;
import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import java.time.Instant;
import java.util.Map;

/** A NAT gateway in a subnet, with its requester-managed network interface. */
public record NatGateway(
        String id,
        String ownerId,
        String region,
        SubnetId subnetId,
        VpcId vpcId,
        ConnectivityType connectivityType,
        NetworkInterfaceId networkInterfaceId,
        String privateIp,
        AllocationId allocationId,
        String publicIp,
        State state,
        Instant createTime,
        Instant deleteTime,
        Map<String, String> tags)
        implements Resource {

    /** Whether the gateway reaches the internet (with an Elastic IP) or only other networks, by AWS's names. */
    public enum ConnectivityType implements AwsNamed {
        PRIVATE,
        PUBLIC;

        /** AWS's name, as the API and the store write it and messages quote it. */
        @JsonValue
        @Override
        public String toString() {
            return Spelling.KEBAB.of(this);
        }
    }

    /** A NAT gateway's state, by AWS's names. */
    public enum State implements AwsNamed {
        PENDING,
        FAILED,
        AVAILABLE,
        DELETING,
        DELETED;

        /** AWS's name, as the API and the store write it and messages quote it. */
        @JsonValue
        @Override
        public String toString() {
            return Spelling.KEBAB.of(this);
        }
    }

    public NatGateway {
        tags = Tags.copy(tags);
    }

    /** This gateway's id, typed as routes to it refer to it. */
    public NatGatewayId natGatewayId() {
        return new NatGatewayId(id);
    }

    @Override
    public NatGateway withTags(Map<String, String> tags) {
        return new NatGateway(id, ownerId, region, subnetId, vpcId, connectivityType, networkInterfaceId, privateIp,
                allocationId, publicIp, state, createTime, deleteTime, tags);
    }

    public NatGateway withState(State newState, Instant deletedAt) {
        return new NatGateway(id, ownerId, region, subnetId, vpcId, connectivityType, networkInterfaceId, privateIp,
                allocationId, publicIp, newState, createTime, deletedAt, tags);
    }

    @Override
    public String resourceType() {
        return "natgateway";
    }
}
