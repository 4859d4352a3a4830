package dev.underpass.model.ec2;

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
public record FlowLog(String id, String ownerId, String region, String resourceId, String trafficType,
        String destinationType, String logDestination, String logGroupName, String deliverLogsPermissionArn,
        String deliverCrossAccountRole, String logFormat, int maxAggregationInterval, String fileFormat,
        Boolean hiveCompatiblePartitions, Boolean perHourPartition, Instant creationTime, String clientToken,
        Map<String, String> tags) implements Resource {

    public FlowLog {
        tags = Tags.copy(tags);
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
