package dev.underpass.aws.ec2;

import dev.underpass.model.ec2.FlowLogId;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Tx;
import dev.underpass.model.ec2.FlowLog;
import dev.underpass.model.ec2.FlowLogs;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.CreateFlowLogsRequest;
import software.amazon.awssdk.services.ec2.model.CreateFlowLogsResponse;
import software.amazon.awssdk.services.ec2.model.DeleteFlowLogsRequest;
import software.amazon.awssdk.services.ec2.model.DeleteFlowLogsResponse;
import software.amazon.awssdk.services.ec2.model.DescribeFlowLogsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeFlowLogsResponse;
import software.amazon.awssdk.services.ec2.model.DestinationOptionsResponse;
import software.amazon.awssdk.services.ec2.model.UnsuccessfulItem;
import software.amazon.awssdk.services.ec2.model.UnsuccessfulItemError;

/** CreateFlowLogs, DescribeFlowLogs and DeleteFlowLogs (see {@link FlowLogs}); configuration only. */
final class FlowLogHandlers {
    private static final FilterSpec<FlowLog> FILTERS = FilterSpec.<FlowLog>resources()
            .one("deliver-log-status", f -> "SUCCESS")
            .one("log-destination-type", FlowLog::destinationType)
            .one("flow-log-id", FlowLog::id)
            .one("log-group-name", FlowLog::logGroupName)
            .one("resource-id", FlowLog::resourceId)
            .one("traffic-type", FlowLog::trafficType)
            .build();

    void register(Ec2Registry api) {
        api.write("CreateFlowLogs", CreateFlowLogsRequest::builder, this::create);
        api.read("DescribeFlowLogs", DescribeFlowLogsRequest::builder, this::describe);
        api.write("DeleteFlowLogs", DeleteFlowLogsRequest::builder, this::delete);
    }

    private CreateFlowLogsResponse create(CreateFlowLogsRequest req, Tx tx) {
        if (req.hasTagFieldSpecifications() && !req.tagFieldSpecifications().isEmpty()) {
            throw ErrorCode.UNSUPPORTED_OPERATION.with("underpass does not support TagFieldSpecifications.");
        }
        var options = req.destinationOptions();
        FlowLogs.Created created = FlowLogs.create(tx, new FlowLogs.Create(req.resourceIds(),
                req.resourceTypeAsString(), req.trafficTypeAsString(), req.logDestinationTypeAsString(),
                req.logDestination(), req.logGroupName(), req.deliverLogsPermissionArn(),
                req.deliverCrossAccountRole(), req.logFormat(), req.maxAggregationInterval(),
                options == null ? null : options.fileFormatAsString(),
                options == null ? null : options.hiveCompatiblePartitions(),
                options == null ? null : options.perHourPartition(), req.clientToken(),
                Shapes.tagsFor(req.tagSpecifications(), "vpc-flow-log")));
        return CreateFlowLogsResponse.builder().clientToken(req.clientToken())
                .flowLogIds(FlowLogId.texts(created.flowLogIds()))
                .unsuccessful(unsuccessful(created.unsuccessful())).build();
    }

    private DescribeFlowLogsResponse describe(DescribeFlowLogsRequest req, Ec2Api.ReadContext ctx) {
        for (String id : req.flowLogIds()) {
            Ids.require("fl", id, ErrorCode.INVALID_PARAMETER_VALUE);
        }
        Set<String> named = Set.copyOf(req.flowLogIds());
        Pages.Page<FlowLog> page = Describe.of(FlowLogs.visible(ctx.world(), ctx.caller()))
                .where(f -> named.isEmpty() || named.contains(f.id())).filter(FILTERS, req.filter())
                .page(req.maxResults(), req.nextToken(), Describe.Limits.of(1, 1000));
        return DescribeFlowLogsResponse.builder().flowLogs(page.map(FlowLogHandlers::shape)).nextToken(page.nextToken())
                .build();
    }

    private DeleteFlowLogsResponse delete(DeleteFlowLogsRequest req, Tx tx) {
        return DeleteFlowLogsResponse.builder()
                .unsuccessful(unsuccessful(FlowLogs.delete(tx, FlowLogId.all(req.flowLogIds()))))
                .build();
    }

    private static List<UnsuccessfulItem> unsuccessful(List<FlowLogs.Failure> failures) {
        return failures.stream().map(f -> UnsuccessfulItem.builder().resourceId(f.resourceId())
                .error(UnsuccessfulItemError.builder().code(f.code()).message(f.message()).build()).build())
                .toList();
    }

    private static software.amazon.awssdk.services.ec2.model.FlowLog shape(FlowLog f) {
        var b = software.amazon.awssdk.services.ec2.model.FlowLog.builder().flowLogId(f.id())
                .creationTime(f.creationTime()).resourceId(f.resourceId()).trafficType(f.trafficType().wire())
                .logDestinationType(f.destinationType()).logDestination(f.logDestination())
                .logGroupName(f.logGroupName()).deliverLogsPermissionArn(f.deliverLogsPermissionArn())
                .deliverCrossAccountRole(f.deliverCrossAccountRole()).deliverLogsStatus("SUCCESS")
                .flowLogStatus("ACTIVE").logFormat(f.logFormat()).maxAggregationInterval(f.maxAggregationInterval())
                .tags(Shapes.tags(f.tags()));
        if (f.fileFormat() != null) {
            b.destinationOptions(DestinationOptionsResponse.builder().fileFormat(f.fileFormat())
                    .hiveCompatiblePartitions(f.hiveCompatiblePartitions()).perHourPartition(f.perHourPartition())
                    .build());
        }
        return b.build();
    }
}
