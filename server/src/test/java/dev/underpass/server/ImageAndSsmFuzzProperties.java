package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes the image, instance-type and flow-log actions (ec2Query) and SSM's awsJson wire with random members and
 * values, well-formed and not: the answer is 200 or the protocol's error with a 4xx status, never a 500.
 */
class ImageAndSsmFuzzProperties extends ServerProperties {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<String> EC2_ACTIONS = List.of("DescribeImages", "DescribeInstanceTypes",
            "RunInstances", "CreateFlowLogs", "DescribeFlowLogs", "DeleteFlowLogs");
    private static final List<String> EC2_KEYS = List.of("ImageId", "ImageId.1", "Owner.1", "Owner.2",
            "ExecutableBy.1", "InstanceType", "InstanceType.1", "Filter.1.Name", "Filter.1.Value.1", "MaxResults",
            "NextToken", "MinCount", "MaxCount", "IncludeDeprecated", "SubnetId", "ResourceId.1", "ResourceType",
            "TrafficType", "LogDestinationType", "LogDestination", "LogGroupName", "DeliverLogsPermissionArn",
            "LogFormat", "MaxAggregationInterval", "FlowLogId.1", "DestinationOptions.FileFormat", "ClientToken");

    @Provide
    Arbitrary<String> ec2Bodies() {
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of("ami-12345678", "ami-0123456789abcdef0",
                "ami-0fffffffffffffff1", "ami-", "amazon", "self", "all", "099720109477", "t3.micro", "t4g.nano",
                "t3.huge", "name", "al2023-*", "architecture", "arm64", "is-public", "true", "0", "1", "5", "101",
                "VPC", "Subnet", "NetworkInterface", "TransitGateway", "ALL", "s3", "cloud-watch-logs",
                "kinesis-data-firehose", "arn:aws:s3:::bucket", "arn:aws:s3:::bucket/AWSLogs",
                "arn:aws:iam::111111111111:role/r", "${version} ${srcaddr}", "${nope}", "60", "600", "parquet",
                "vpc-0123456789abcdef0", "fl-0123456789abcdef0", "fl-",
                "-1", "99999999999999999999", "", "*", "?"), Arbitraries.strings().ofMaxLength(30));
        Arbitrary<String> pair = Combinators.combine(Arbitraries.of(EC2_KEYS), value)
                .as((k, v) -> k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
        return Combinators.combine(Arbitraries.of(EC2_ACTIONS), pair.list().ofMaxSize(6))
                .as((action, pairs) -> "Action=" + action + "&Version=2016-11-15"
                        + (pairs.isEmpty() ? "" : "&" + String.join("&", pairs)));
    }

    @Property(tries = 200)
    void anyImageRequest_getsAnEc2Answer_neverA500(@ForAll("ec2Bodies") String body) {
        HttpResponse<String> r = RawHttp.post(URI.create(server.endpoint()), body);
        assertThat(r.statusCode()).as(body + " -> " + r.body()).isIn(200, 400);
        if (r.statusCode() != 200) {
            assertThat(RawHttp.code(r)).as(body).isNotBlank().isNotEqualTo("InternalError");
        }
    }

    private static final List<String> TARGETS = List.of("AmazonSSM.GetParameter", "AmazonSSM.GetParameters",
            "AmazonSSM.GetParametersByPath", "AmazonSSM.PutParameter", "AmazonSSM.Nope", "Other.GetParameter", "");
    private static final List<String> MEMBERS = List.of("Name", "Names", "Path", "Recursive", "MaxResults",
            "NextToken", "ParameterFilters", "WithDecryption", "Extra");

    @Provide
    Arbitrary<String[]> ssmRequests() {
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.of("\"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64\"",
                        "\"/aws/service/ami-amazon-linux-latest\"", "\"/\"", "\"\"", "\"x:1\"", "\"x:label\"",
                        "[\"/a\",\"/b\"]", "[]", "[1]", "[null]", "{}", "{\"Key\":\"Type\",\"Values\":[\"String\"]}",
                        "[{\"Key\":\"Name\"}]", "[{\"Key\":\"Type\",\"Option\":\"BeginsWith\"}]", "true", "0", "11",
                        "-1", "1e400", "99999999999999999999", "null", "\"djE6\""),
                Arbitraries.strings().ofMaxLength(20).map(s -> {
                    try {
                        return JSON.writeValueAsString(s);
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw new IllegalStateException(e);
                    }
                }));
        Arbitrary<String> member = Combinators.combine(Arbitraries.of(MEMBERS), value)
                .as((k, v) -> "\"" + k + "\":" + v);
        Arbitrary<String> body = Arbitraries.oneOf(
                member.list().ofMaxSize(4).map(m -> "{" + String.join(",", m) + "}"),
                Arbitraries.of("", "{", "[]", "null", "\"x\"", "{\"Name\":\"a\",\"Name\":\"b\"}"),
                Arbitraries.strings().ofMaxLength(30));
        return Combinators.combine(Arbitraries.of(TARGETS), body).as((t, b) -> new String[] {t, b});
    }

    @Property(tries = 300)
    void anySsmRequest_getsAJsonAnswer_neverA500(@ForAll("ssmRequests") String[] request) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.endpoint()).resolve("/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("Authorization", RawHttp.authorization("111111111111", "us-east-1", "ssm"))
                .header("X-Amz-Date", RawHttp.amzDate())
                .POST(HttpRequest.BodyPublishers.ofString(request[1]));
        if (!request[0].isEmpty()) {
            b.header("X-Amz-Target", request[0]);
        }
        HttpResponse<String> r = RawHttp.send(b.build());
        String what = request[0] + " " + request[1] + " -> " + r.body();
        assertThat(r.statusCode()).as(what).isIn(200, 400);
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 200) {
            assertThat(body.path("__type").asText()).as(what).isNotBlank().isNotEqualTo("InternalServerError");
        }
        assertThat(Map.of("t", r.headers().firstValue("Content-Type").orElse(""))).as(what)
                .containsEntry("t", "application/x-amz-json-1.1");
    }
}
