package dev.underpass.server;

import static dev.underpass.server.Ec2Assertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateFlowLogsResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.FlowLog;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Vpc;

/** VPC flow logs as configuration: create, describe, delete, and AWS's rules for destinations and formats. */
class FlowLogApiTest {
    private static final String ACCOUNT = "757575757575";
    private static final String ROLE = "arn:aws:iam::" + ACCOUNT + ":role/flow-logs";

    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    private final Ec2Client ec2 = UNDERPASS.ec2(ACCOUNT);

    private static Filter filter(String name, String... values) {
        return Filter.builder().name(name).values(values).build();
    }

    private FlowLog describe(String id) {
        List<FlowLog> logs = ec2.describeFlowLogs(r -> r.flowLogIds(id)).flowLogs();
        assertThat(logs).hasSize(1);
        return logs.get(0);
    }

    @Test
    void createFlowLogs_toS3_recordsTheConfigurationWithAwsDefaults() {
        Vpc vpc = ec2.createVpc(r -> r.cidrBlock("10.75.0.0/16")).vpc();

        CreateFlowLogsResponse created = ec2.createFlowLogs(r -> r.resourceIds(vpc.vpcId()).resourceType("VPC")
                .trafficType("ALL").logDestinationType("s3").logDestination("arn:aws:s3:::flow-logs-bucket/vpc")
                .tagSpecifications(TagSpecification.builder().resourceType("vpc-flow-log")
                        .tags(t -> t.key("Name").value("all-traffic")).build()));

        assertThat(created.unsuccessful()).isEmpty();
        assertThat(created.flowLogIds()).singleElement().asString().matches("fl-0[0-9a-f]{16}");
        FlowLog log = describe(created.flowLogIds().get(0));
        assertThat(log.resourceId()).isEqualTo(vpc.vpcId());
        assertThat(log.trafficTypeAsString()).isEqualTo("ALL");
        assertThat(log.logDestinationTypeAsString()).isEqualTo("s3");
        assertThat(log.logDestination()).isEqualTo("arn:aws:s3:::flow-logs-bucket/vpc");
        assertThat(log.logFormat()).isEqualTo("${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} "
                + "${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}");
        assertThat(log.maxAggregationInterval()).isEqualTo(600);
        assertThat(log.flowLogStatus()).isEqualTo("ACTIVE");
        assertThat(log.deliverLogsStatus()).isEqualTo("SUCCESS");
        assertThat(log.destinationOptions().fileFormatAsString()).isEqualTo("plain-text");
        assertThat(log.creationTime()).isNotNull();
        assertThat(log.tags()).singleElement().satisfies(t -> assertThat(t.value()).isEqualTo("all-traffic"));

        ec2.deleteFlowLogs(r -> r.flowLogIds(log.flowLogId()));
        TestVpcs.tearDown(ec2, vpc.vpcId());
    }

    @Test
    void createFlowLogs_toCloudWatchLogs_needsARoleAndFillsTheLogGroupArn() {
        Vpc vpc = ec2.createVpc(r -> r.cidrBlock("10.76.0.0/16")).vpc();
        Subnet subnet = ec2.createSubnet(r -> r.vpcId(vpc.vpcId()).cidrBlock("10.76.1.0/24")).subnet();

        assertError(() -> ec2.createFlowLogs(r -> r.resourceIds(subnet.subnetId()).resourceType("Subnet")
                .trafficType("REJECT").logGroupName("vpc-flow")), "InvalidParameter");
        String id = ec2.createFlowLogs(r -> r.resourceIds(subnet.subnetId()).resourceType("Subnet")
                .trafficType("REJECT").logGroupName("vpc-flow").deliverLogsPermissionArn(ROLE)
                .maxAggregationInterval(60).logFormat("${version} ${vpc-id} ${subnet-id} ${srcaddr} ${action}"))
                .flowLogIds().get(0);

        FlowLog log = describe(id);
        assertThat(log.logDestinationTypeAsString()).isEqualTo("cloud-watch-logs");
        assertThat(log.logGroupName()).isEqualTo("vpc-flow");
        assertThat(log.logDestination()).isEqualTo("arn:aws:logs:us-east-1:" + ACCOUNT + ":log-group:vpc-flow");
        assertThat(log.deliverLogsPermissionArn()).isEqualTo(ROLE);
        assertThat(log.maxAggregationInterval()).isEqualTo(60);
        assertThat(log.logFormat()).isEqualTo("${version} ${vpc-id} ${subnet-id} ${srcaddr} ${action}");
        assertThat(ec2.describeFlowLogs(r -> r.filter(filter("resource-id", subnet.subnetId()),
                filter("traffic-type", "REJECT"), filter("log-destination-type", "cloud-watch-logs"))).flowLogs())
                .extracting(FlowLog::flowLogId).containsExactly(id);
        assertThat(ec2.describeFlowLogs(r -> r.filter(filter("traffic-type", "ACCEPT"),
                filter("resource-id", subnet.subnetId()))).flowLogs()).isEmpty();

        TestVpcs.tearDown(ec2, vpc.vpcId());
    }

    @Test
    void createFlowLogs_reportsUnknownResourcesAndDuplicatesPerResource() {
        Vpc vpc = ec2.createVpc(r -> r.cidrBlock("10.77.0.0/16")).vpc();
        String bucket = "arn:aws:s3:::flow-logs-bucket";
        ec2.createFlowLogs(r -> r.resourceIds(vpc.vpcId()).resourceType("VPC").trafficType("ALL")
                .logDestinationType("s3").logDestination(bucket));

        CreateFlowLogsResponse again = ec2.createFlowLogs(r -> r.resourceIds(vpc.vpcId(), "vpc-0fffffffffffffff1")
                .resourceType("VPC").trafficType("ALL").logDestinationType("s3").logDestination(bucket));

        assertThat(again.flowLogIds()).isEmpty();
        assertThat(again.unsuccessful()).extracting(u -> u.resourceId() + " " + u.error().code())
                .containsExactlyInAnyOrder(vpc.vpcId() + " FlowLogAlreadyExists",
                        "vpc-0fffffffffffffff1 InvalidVpcID.NotFound");
        assertThat(ec2.describeFlowLogs(r -> r.filter(filter("resource-id", vpc.vpcId()))).flowLogs()).hasSize(1);

        TestVpcs.tearDown(ec2, vpc.vpcId());
    }

    @Test
    void createFlowLogs_badInput_failsWithAwsCodesAndCreatesNothing() {
        Vpc vpc = ec2.createVpc(r -> r.cidrBlock("10.78.0.0/16")).vpc();
        String v = vpc.vpcId();
        String s3 = "arn:aws:s3:::flow-logs-bucket";

        assertError(() -> ec2.createFlowLogs(r -> r.resourceIds(v).resourceType("VPC").logDestinationType("s3")
                .logDestination(s3)), "MissingParameter");
        assertError(() -> ec2.createFlowLogs(r -> r.resourceIds(v).resourceType("VPC").trafficType("ALL")
                .logDestinationType("s3").logDestination(s3).logFormat("${version} ${colour}")),
                "InvalidParameter", "Unknown fields provided: ${colour}");
        assertError(() -> ec2.createFlowLogs(r -> r.resourceIds(v).resourceType("VPC").trafficType("ALL")
                .logDestinationType("s3").logDestination(s3).logFormat("${version} ${srcaddr} ")),
                "InvalidParameter");
        assertError(() -> ec2.createFlowLogs(r -> r.resourceIds(v).resourceType("VPC").trafficType("ALL")
                .logDestinationType("s3").logDestination(s3).maxAggregationInterval(120)), "InvalidParameterValue");
        assertError(() -> ec2.createFlowLogs(r -> r.resourceIds(v).resourceType("VPC").trafficType("ALL")
                .logDestinationType("s3").logDestination("arn:aws:s3:::flow-logs-bucket/AWSLogs")),
                "InvalidParameter");
        assertError(() -> ec2.createFlowLogs(r -> r.resourceIds(v).resourceType("VPC").trafficType("ALL")
                .logDestinationType("s3")), "MissingParameter");
        assertError(() -> ec2.createFlowLogs(r -> r.resourceIds(v).resourceType("VPC").trafficType("ALL")
                .logDestinationType("kinesis-data-firehose").logDestination(s3)), "InvalidParameter");
        assertError(() -> ec2.createFlowLogs(r -> r.resourceIds("subnet-0fffffffffffffff1").resourceType("VPC")
                .trafficType("ALL").logDestinationType("s3").logDestination(s3)), "InvalidVpcId.Malformed");
        assertError(() -> ec2.createFlowLogs(r -> r.resourceIds(v).resourceType("TransitGateway")
                .logDestinationType("s3").logDestination(s3)), "UnsupportedOperation");

        assertThat(ec2.describeFlowLogs(r -> r.filter(filter("resource-id", v))).flowLogs()).isEmpty();
        TestVpcs.tearDown(ec2, vpc.vpcId());
    }

    @Test
    void deleteFlowLogs_reportsUnknownIds_andDeletingTheVpcTakesItsFlowLogs() {
        Vpc vpc = ec2.createVpc(r -> r.cidrBlock("10.79.0.0/16")).vpc();
        String id = ec2.createFlowLogs(r -> r.resourceIds(vpc.vpcId()).resourceType("VPC").trafficType("ACCEPT")
                .logDestinationType("kinesis-data-firehose")
                .logDestination("arn:aws:firehose:us-east-1:" + ACCOUNT + ":deliverystream/flows")).flowLogIds()
                .get(0);
        assertThat(UNDERPASS.ec2("767676767676").describeFlowLogs(r -> r.flowLogIds(id)).flowLogs()).isEmpty();

        var unknown = ec2.deleteFlowLogs(r -> r.flowLogIds("fl-0fffffffffffffff1")).unsuccessful();
        assertThat(unknown).singleElement().satisfies(u -> {
            assertThat(u.resourceId()).isEqualTo("fl-0fffffffffffffff1");
            assertThat(u.error().code()).isEqualTo("InvalidFlowLogId.NotFound");
        });
        assertThat(describe(id).logDestinationTypeAsString()).isEqualTo("kinesis-data-firehose");
        ec2.createTags(r -> r.resources(id).tags(t -> t.key("team").value("net")));
        assertThat(ec2.describeFlowLogs(r -> r.filter(filter("tag:team", "net"))).flowLogs())
                .extracting(FlowLog::flowLogId).containsExactly(id);

        TestVpcs.tearDown(ec2, vpc.vpcId());

        assertThat(ec2.describeFlowLogs(r -> r.flowLogIds(id)).flowLogs()).isEmpty();
        assertThat(ec2.deleteFlowLogs(r -> r.flowLogIds(id)).unsuccessful()).extracting(u -> u.error().code())
                .containsExactly("InvalidFlowLogId.NotFound");
    }

    @Test
    void describeAndDeleteFlowLogs_badInput_failWithAwsCodes_andOnlyTheCallersLogIsDeleted() {
        Vpc vpc = ec2.createVpc(r -> r.cidrBlock("10.74.0.0/16")).vpc();
        String id = ec2.createFlowLogs(r -> r.resourceIds(vpc.vpcId()).resourceType("VPC").trafficType("ALL")
                .logDestinationType("s3").logDestination("arn:aws:s3:::flow-logs-bucket")).flowLogIds().get(0);

        assertError(() -> ec2.describeFlowLogs(r -> r.flowLogIds("fl-xyz")), "InvalidParameterValue");
        assertError(() -> ec2.describeFlowLogs(r -> r.filter(filter("colour", "blue"))), "InvalidParameterValue");
        assertError(() -> ec2.deleteFlowLogs(r -> r.flowLogIds(List.of())), "MissingParameter");
        // Another account's delete is refused per id.
        var foreign = UNDERPASS.ec2("767676767677").deleteFlowLogs(r -> r.flowLogIds(id)).unsuccessful();
        assertThat(foreign).extracting(u -> u.error().code()).containsExactly("InvalidFlowLogId.NotFound");
        // A malformed id among good ones is reported on its own; the good one is deleted.
        var mixed = ec2.deleteFlowLogs(r -> r.flowLogIds("fl-xyz", id)).unsuccessful();
        assertThat(mixed).extracting(u -> u.resourceId() + " " + u.error().code())
                .containsExactly("fl-xyz InvalidFlowLogId.NotFound");
        assertThat(ec2.describeFlowLogs(r -> r.flowLogIds(id)).flowLogs()).isEmpty();

        TestVpcs.tearDown(ec2, vpc.vpcId());
    }
}
