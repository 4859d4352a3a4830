package dev.underpass.model.ec2;

import com.fasterxml.jackson.annotation.JsonCreator;
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
        String subnetId,
        String vpcId,
        String connectivityType,
        String networkInterfaceId,
        String privateIp,
        String allocationId,
        String publicIp,
        State state,
        Instant createTime,
        Instant deleteTime,
        Map<String, String> tags)
        implements Resource {

    /** A NAT gateway's state, by AWS's names. */
    public enum State implements AwsNamed {
        PENDING("pending"),
        FAILED("failed"),
        AVAILABLE("available"),
        DELETING("deleting"),
        DELETED("deleted");

        private final String wire;

        State(String wire) {
            this.wire = wire;
        }

        /** AWS's name for the state, as the API and the store write it. */
        @JsonValue
        @Override
        public String wire() {
            return wire;
        }

        /** AWS's name, so that messages quote the state as AWS does. */
        @Override
        public String toString() {
            return wire;
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static State stored(String name) {
            return AwsNamed.stored(values(), name, "a NAT gateway state");
        }
    }

    public NatGateway {
        tags = Tags.copy(tags);
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
