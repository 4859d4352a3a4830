package dev.underpass.model.ec2;

import dev.underpass.model.AwsNamed;
import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * VPC flow logs as configuration: CreateFlowLogs, DescribeFlowLogs and DeleteFlowLogs for VPCs, subnets and network
 * interfaces, with AWS's destination rules (CloudWatch Logs needs a log group and a delivery role; S3 and Kinesis
 * Data Firehose need an ARN), its record fields for custom log formats, and per-resource failures reported in
 * {@code Unsuccessful} as AWS reports them. No records are written.
 *
 * <p>A flow log lives as long as its resource: when the VPC, subnet or interface is gone, its flow logs are gone too
 * (AWS deletes them with it). underpass applies that lazily: flow logs of deleted resources are not shown and are
 * removed by the next flow-log write.
 *
 * <p>Follows <a href="https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html">CreateFlowLogs</a>
 * and <a href="https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html">flow log records</a>.
 */
public final class FlowLogs {
    /** AWS's default record format (version 2). */
    public static final String DEFAULT_FORMAT = "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} "
            + "${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}";

    /** Every field a VPC flow log record may carry (versions 2 to 8). */
    public static final Set<String> FIELDS = Set.of("version", "account-id", "interface-id", "srcaddr", "dstaddr",
            "srcport", "dstport", "protocol", "packets", "bytes", "start", "end", "action", "log-status", "vpc-id",
            "subnet-id", "instance-id", "tcp-flags", "type", "pkt-srcaddr", "pkt-dstaddr", "region", "az-id",
            "sublocation-type", "sublocation-id", "pkt-src-aws-service", "pkt-dst-aws-service", "flow-direction",
            "traffic-path", "ecs-cluster-arn", "ecs-cluster-name", "ecs-container-instance-arn",
            "ecs-container-instance-id", "ecs-container-id", "ecs-second-container-id", "ecs-service-name",
            "ecs-task-definition-arn", "ecs-task-arn", "ecs-task-id", "reject-reason");

    private static final Pattern FORMAT = Pattern.compile("\\$\\{([a-z0-9-]+)}(?: \\$\\{([a-z0-9-]+)})*");
    private static final Pattern FIELD = Pattern.compile("\\$\\{([a-z0-9-]+)}");
    private static final Pattern LOG_GROUP_ARN =
            Pattern.compile("arn:aws:logs:([a-z0-9-]+):(\\d{12}):log-group:([\\w#./-]{1,512})(?::\\*)?");
    private static final Pattern S3_ARN = Pattern.compile("arn:aws:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(/.*)?");
    private static final Pattern FIREHOSE_ARN =
            Pattern.compile("arn:aws:firehose:([a-z0-9-]+):(\\d{12}):deliverystream/[\\w.-]{1,64}");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws:iam::\\d{12}:role/[\\x21-\\x7E]{1,512}");
    private static final int MAX_RESOURCES = 300;

    private FlowLogs() {}

    /** A CreateFlowLogs request, as given (nulls where omitted). */
    public record Create(List<String> resourceIds, String resourceType, String trafficType, String destinationType,
            String logDestination, String logGroupName, String deliverLogsPermissionArn,
            String deliverCrossAccountRole, String logFormat, Integer maxAggregationInterval, String fileFormat,
            Boolean hiveCompatiblePartitions, Boolean perHourPartition, String clientToken,
            Map<String, String> tags) {
        public Create {
            resourceIds = resourceIds == null ? List.of() : List.copyOf(resourceIds);
            tags = tags == null ? Map.of() : tags;
        }
    }

    /** A resource the call could not act on, reported in {@code Unsuccessful} rather than failing the call. */
    public record Failure(String resourceId, String code, String message) {}

    public record Created(List<FlowLogId> flowLogIds, List<Failure> unsuccessful) {}

    public static Created create(Tx tx, Create cmd) {
        Caller caller = tx.caller();
        removeOrphans(tx);
        if (cmd.resourceIds().isEmpty()) {
            throw Ec2Errors.missingParameter("ResourceId");
        }
        if (cmd.resourceIds().size() > MAX_RESOURCES) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format("You can specify at most %d resources.", MAX_RESOURCES);
        }
        Kind kind = kind(cmd.resourceType());
        if (cmd.trafficType() == null || cmd.trafficType().isEmpty()) {
            throw Ec2Errors.missingParameter("TrafficType");
        }
        FlowLog.TrafficType traffic = AwsNamed.find(FlowLog.TrafficType.values(), cmd.trafficType());
        if (traffic == null) {
            throw Ec2Errors.invalidValue(cmd.trafficType(), "TrafficType");
        }
        int interval = cmd.maxAggregationInterval() == null ? 600 : cmd.maxAggregationInterval();
        if (interval != 60 && interval != 600) {
            throw Ec2Errors.invalidValue(interval, "MaxAggregationInterval", "Valid values are 60 and 600.");
        }
        String format = cmd.logFormat() == null ? DEFAULT_FORMAT : checkFormat(cmd.logFormat());
        Destination dest = destination(cmd, caller);
        if (cmd.clientToken() != null && !cmd.clientToken().isEmpty()) {
            List<FlowLog> earlier = tx.all(FlowLog.class, f -> Visibility.owns(caller, f)
                    && cmd.clientToken().equals(f.clientToken()));
            if (!earlier.isEmpty()) {
                return new Created(earlier.stream().map(FlowLog::flowLogId).toList(), List.of());
            }
        }
        List<FlowLogId> ids = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (String resourceId : new LinkedHashSet<>(cmd.resourceIds())) {
            Ids.require(kind.prefix(), resourceId, kind.malformed());
            if (tx.find(kind.type(), resourceId).filter(r -> Visibility.owns(caller, r)).isEmpty()) {
                AwsException e = kind.notFound(resourceId);
                failures.add(new Failure(resourceId, e.code(), e.getMessage()));
                continue;
            }
            boolean duplicate = !tx.all(FlowLog.class, f -> f.resourceId().equals(resourceId)
                    && f.trafficType() == traffic && f.destinationType().equals(dest.type())
                    && Objects.equals(f.logDestination(), dest.arn())).isEmpty();
            if (duplicate) {
                failures.add(new Failure(resourceId, "FlowLogAlreadyExists",
                        "Error. There is an existing Flow Log with the same configuration and log destination."));
                continue;
            }
            FlowLog log = new FlowLog(Ids.next("fl"), caller.accountId(), caller.region(), resourceId, traffic,
                    dest.type(), dest.arn(), dest.logGroupName(), cmd.deliverLogsPermissionArn(),
                    cmd.deliverCrossAccountRole(), format, interval, dest.fileFormat(), dest.hive(), dest.perHour(),
                    tx.now(), cmd.clientToken(), cmd.tags());
            ids.add(tx.put(log).flowLogId());
        }
        return new Created(ids, failures);
    }

    private static Kind kind(String resourceType) {
        if (resourceType == null || resourceType.isEmpty()) {
            throw Ec2Errors.missingParameter("ResourceType");
        }
        return switch (resourceType) {
            case "VPC" -> Kind.VPC;
            case "Subnet" -> Kind.SUBNET;
            case "NetworkInterface" -> Kind.NETWORK_INTERFACE;
            case "TransitGateway", "TransitGatewayAttachment", "RegionalNatGateway" ->
                throw ErrorCode.UNSUPPORTED_OPERATION.format("underpass does not model %s flow logs.", resourceType);
            default -> throw Ec2Errors.invalidValue(resourceType, "ResourceType");
        };
    }

    /** The custom format: {@code ${field}} tokens from AWS's list, separated by single spaces. */
    static String checkFormat(String format) {
        if (!FORMAT.matcher(format).matches()) {
            throw ErrorCode.INVALID_PARAMETER.format("1 validation error detected: Value '%s' at 'logFormat' has an "
                    + "invalid format", format);
        }
        Matcher m = FIELD.matcher(format);
        while (m.find()) {
            if (!FIELDS.contains(m.group(1))) {
                throw ErrorCode.INVALID_PARAMETER.format("Unknown fields provided: ${%s}", m.group(1));
            }
        }
        return format;
    }

    private record Destination(String type, String arn, String logGroupName, String fileFormat, Boolean hive,
            Boolean perHour) {}

    private static Destination destination(Create cmd, Caller caller) {
        String type = cmd.destinationType() == null ? "cloud-watch-logs" : cmd.destinationType();
        String arn = cmd.logDestination();
        boolean options = cmd.fileFormat() != null || cmd.hiveCompatiblePartitions() != null
                || cmd.perHourPartition() != null;
        if (cmd.deliverLogsPermissionArn() != null && !ROLE_ARN.matcher(cmd.deliverLogsPermissionArn()).matches()) {
            throw ErrorCode.INVALID_PARAMETER.format("DeliverLogsPermissionArn %s is not a valid IAM role ARN.",
                    cmd.deliverLogsPermissionArn());
        }
        if (options && !type.equals("s3")) {
            throw ErrorCode.INVALID_PARAMETER.with("DestinationOptions is only supported for s3 destinations.");
        }
        switch (type) {
            case "cloud-watch-logs" -> {
                if (arn != null && cmd.logGroupName() != null) {
                    throw ErrorCode.INVALID_PARAMETER_COMBINATION.with(
                            "LogDestination and LogGroupName cannot both be specified.");
                }
                if (arn == null && (cmd.logGroupName() == null || cmd.logGroupName().isEmpty())) {
                    throw Ec2Errors.missingParameter("LogGroupName or "
                            + "LogDestination");
                }
                if (cmd.deliverLogsPermissionArn() == null) {
                    throw ErrorCode.INVALID_PARAMETER.with("DeliverLogsPermissionArn is required for "
                            + "cloud-watch-logs destinations.");
                }
                String group;
                if (arn != null) {
                    Matcher m = LOG_GROUP_ARN.matcher(arn);
                    if (!m.matches()) {
                        throw invalidDestination(arn, type);
                    }
                    group = m.group(3);
                } else {
                    group = cmd.logGroupName();
                    if (!group.matches("[\\w#./-]{1,512}")) {
                        throw Ec2Errors.invalidValue(group, "LogGroupName");
                    }
                    arn = "arn:aws:logs:" + caller.region() + ":" + caller.accountId() + ":log-group:" + group;
                }
                return new Destination(type, arn, group, null, null, null);
            }
            case "s3" -> {
                requireArnOnly(cmd, arn, type);
                Matcher m = S3_ARN.matcher(arn);
                if (!m.matches()) {
                    throw invalidDestination(arn, type);
                }
                String folder = m.group(2) == null ? "" : m.group(2);
                if (folder.equals("/AWSLogs") || folder.startsWith("/AWSLogs/")) {
                    throw ErrorCode.INVALID_PARAMETER.with("LogDestination: AWSLogs cannot be used as a subfolder "
                            + "name.");
                }
                String fileFormat = cmd.fileFormat() == null ? "plain-text" : cmd.fileFormat();
                if (!fileFormat.equals("plain-text") && !fileFormat.equals("parquet")) {
                    throw Ec2Errors.invalidValue(fileFormat, "FileFormat");
                }
                return new Destination(type, arn, null, fileFormat,
                        Boolean.TRUE.equals(cmd.hiveCompatiblePartitions()),
                        Boolean.TRUE.equals(cmd.perHourPartition()));
            }
            case "kinesis-data-firehose" -> {
                requireArnOnly(cmd, arn, type);
                if (!FIREHOSE_ARN.matcher(arn).matches()) {
                    throw invalidDestination(arn, type);
                }
                return new Destination(type, arn, null, null, null, null);
            }
            default -> throw Ec2Errors.invalidValue(type, "LogDestinationType");
        }
    }

    private static void requireArnOnly(Create cmd, String arn, String type) {
        if (arn == null || arn.isEmpty()) {
            throw Ec2Errors.missingParameter("LogDestination");
        }
        if (cmd.logGroupName() != null) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.format("LogGroupName is not applicable for %s delivery.",
                    type);
        }
    }

    private static AwsException invalidDestination(String arn, String type) {
        return ErrorCode.INVALID_PARAMETER.format("LogDestination %s is not a valid %s ARN.", arn, type);
    }

    /** Deletes the named flow logs; unknown or malformed ids are reported per id, as AWS does. */
    public static List<Failure> delete(Tx tx, List<FlowLogId> ids) {
        removeOrphans(tx);
        if (ids == null || ids.isEmpty()) {
            throw Ec2Errors.missingParameter("FlowLogId");
        }
        List<Failure> failures = new ArrayList<>();
        for (FlowLogId id : new LinkedHashSet<>(ids)) {
            FlowLog log = Ids.wellFormed(FlowLogId.PREFIX, id.value()) ? tx.find(FlowLog.class, id)
                    .filter(f -> Visibility.owns(tx.caller(), f)).orElse(null) : null;
            if (log == null) {
                failures.add(
                        new Failure(id.value(), "InvalidFlowLogId.NotFound", "Flow log " + id + " does not exist"));
            } else {
                tx.remove(log);
            }
        }
        return failures;
    }

    /** The caller's flow logs whose resource still exists. */
    public static List<FlowLog> visible(World world, Caller caller) {
        return world.all(FlowLog.class, f -> Visibility.owns(caller, f) && resourceExists(world, f));
    }

    private static boolean resourceExists(World world, FlowLog f) {
        Kind k = Kind.ofId(f.resourceId());
        return k != null && world.find(k.type(), f.resourceId()).isPresent();
    }

    private static void removeOrphans(Tx tx) {
        for (FlowLog f : tx.all(FlowLog.class, f -> !resourceExists(tx.world(), f))) {
            tx.remove(f);
        }
    }
}
