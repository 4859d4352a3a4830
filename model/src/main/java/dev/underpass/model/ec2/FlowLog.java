package dev.underpass.model.ec2;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.AwsNamed;
import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import java.time.Instant;
import java.util.Map;

/**
 * A VPC flow log ({@code fl-…}): which resource it watches (a VPC, subnet or network interface), which traffic, and
 * where AWS would deliver the records. Configuration only: underpass records it but writes no log records (the data
 * plane will). {@code logGroupName} is set for CloudWatch Logs destinations only; {@code fileFormat},
 * {@code hiveCompatiblePartitions} and {@code perHourPartition} for S3 only.
 */
public record FlowLog(String id, String ownerId, String region, String resourceId, TrafficType trafficType,
        String destinationType, String logDestination, String logGroupName, String deliverLogsPermissionArn,
        String deliverCrossAccountRole, String logFormat, int maxAggregationInterval, String fileFormat,
        Boolean hiveCompatiblePartitions, Boolean perHourPartition, Instant creationTime, String clientToken,
        Map<String, String> tags) implements Resource {

    /**
     * Which flows a log records, by AWS's names: the accepted ones, the rejected ones, or all. A flow's own action
     * is {@code ACCEPT} or {@code REJECT}.
     */
    public enum TrafficType implements AwsNamed {
        ACCEPT,
        REJECT,
        ALL;

        /** AWS's name, as the API and the store write it and the records print it. */
        @JsonValue
        @Override
        public String toString() {
            return Spelling.UPPER.of(this);
        }

        /** Whether a log of this type records a flow whose action is {@code action}. */
        public boolean records(TrafficType action) {
            return this == ALL || this == action;
        }
    }

    public FlowLog {
        tags = Tags.copy(tags);
    }

    /** This flow log's id, typed. */
    public FlowLogId flowLogId() {
        return new FlowLogId(id);
    }

    @Override
    public FlowLog withTags(Map<String, String> tags) {
        return new FlowLog(id, ownerId, region, resourceId, trafficType, destinationType, logDestination,
                logGroupName, deliverLogsPermissionArn, deliverCrossAccountRole, logFormat, maxAggregationInterval,
                fileFormat, hiveCompatiblePartitions, perHourPartition, creationTime, clientToken, tags);
    }

    @Override
    public String resourceType() {
        return "vpc-flow-log";
    }
}
