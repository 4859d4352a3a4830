package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes the EC2 wire layer with random actions, keys and values, well-formed and not: whatever arrives, the
 * answer is 200 or an EC2 error envelope with a 4xx status, never a 500 or a stack trace.
 */
class WireFuzzProperties extends ServerProperties {
    private static final List<String> ACTIONS = List.of("CreateVpc", "DescribeVpcs", "DeleteVpc", "CreateSubnet",
            "DescribeSubnets", "ModifyVpcAttribute", "DescribeVpcAttribute", "AssociateVpcCidrBlock",
            "DescribeAvailabilityZones", "DescribeRegions", "DescribeAccountAttributes", "ModifySubnetAttribute",
            "CreateSecurityGroup", "AuthorizeSecurityGroupIngress", "CreateRoute", "RunInstances", "CreateTags",
            "CreateNetworkInterface", "DescribeInstanceAttribute", "ModifyInstanceAttribute",
            "ModifyInstanceMetadataOptions", "DescribeInstanceCreditSpecifications", "Bogus", "");
    private static final List<String> KEYS = List.of("CidrBlock", "VpcId", "VpcId.1", "SubnetId", "Filter.1.Name",
            "Filter.1.Value.1", "Filter.0.Name", "MaxResults", "NextToken", "DryRun", "TagSpecification.1.ResourceType",
            "TagSpecification.1.Tag.1.Key", "TagSpecification.1.Tag.1.Value", "EnableDnsSupport.Value",
            "EnableDnsHostnames.Value", "Attribute", "AvailabilityZone", "AvailabilityZoneId", "GroupName",
            "IpPermissions.1.IpProtocol", "IpPermissions.1.FromPort", "ImageId", "MinCount", "MaxCount",
            "ZoneName.1", "AllRegions", "X", "Filter.1", "VpcId.1.x", "..", "a.b.c.d.e.f.g", "InstanceId",
            "InstanceId.1", "UserData", "UserData.Value", "DisableApiTermination.Value", "DisableApiStop",
            "InstanceInitiatedShutdownBehavior", "HttpTokens", "HttpPutResponseHopLimit", "MetadataOptions.HttpTokens",
            "MetadataOptions.HttpPutResponseHopLimit", "Value");

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.oneOf(
                Arbitraries.of("10.0.0.0/16", "10.0.0.0/24", "0.0.0.0/0", "vpc-0123456789abcdef0", "vpc-", "true",
                        "false", "-1", "0", "5", "99999999999999999999", "us-east-1a", "use1-az1", "", "%", "*",
                        "enableDnsSupport", "tcp", "ami-12345678", "vpc", "subnet", "tag:Name", "required",
                        "optional", "stop", "terminate", "userData", "disableApiTermination", "i-0123456789abcdef0",
                        "aGVsbG8=", "65"),
                Arbitraries.strings().ofMaxLength(40));
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> pair = Combinators.combine(Arbitraries.of(KEYS), values())
                .as((k, v) -> k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
        return Combinators.combine(Arbitraries.of(ACTIONS), pair.list().ofMaxSize(6))
                .as((action, pairs) -> "Action=" + action + "&Version=2016-11-15"
                        + (pairs.isEmpty() ? "" : "&" + String.join("&", pairs)));
    }

    private static final List<String> QUERY_ACTIONS = List.of("CreateLoadBalancer", "DescribeLoadBalancers",
            "CreateTargetGroup", "RegisterTargets", "DescribeTargetHealth", "CreateListener", "AddTags",
            "ModifyLoadBalancerAttributes", "GetCallerIdentity", "AssumeRole", "GetSessionToken",
            "DescribeCapacityReservation", "ModifyCapacityReservation", "Nope", "");
    private static final List<String> QUERY_KEYS = List.of("Name", "Type", "Subnets.member.1", "Subnets",
            "SubnetMappings.member.1.SubnetId", "Protocol", "Port", "VpcId", "TargetType", "Targets.member.1.Id",
            "Targets.member.x.Id", "TargetGroupArn", "LoadBalancerArn", "Attributes.member.1.Key",
            "Attributes.member.1.Value", "DefaultActions.member.1.Type", "ResourceArns.member.1", "Tags.member.1.Key",
            "RoleArn", "RoleSessionName", "DurationSeconds", "Policy", "PageSize", "Marker", "a..b", "X.member",
            "MinimumLoadBalancerCapacity.CapacityUnits", "ResetCapacityReservation");

    @Provide
    Arbitrary<String[]> queryRequests() {
        Arbitrary<String> pair = Combinators.combine(Arbitraries.of(QUERY_KEYS), values())
                .as((k, v) -> k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
        return Combinators.combine(Arbitraries.of("elasticloadbalancing", "sts"), Arbitraries.of(QUERY_ACTIONS),
                pair.list().ofMaxSize(6)).as(
                        (service, action, pairs) -> new String[] {service,
                            "Action=" + action + "&Version=" + (service.equals("sts") ? "2011-06-15" : "2015-12-01")
                                    + (pairs.isEmpty() ? "" : "&" + String.join("&", pairs))});
    }

    @Property(tries = 300)
    void anyAwsQueryRequest_getsAnAwsShapedAnswer_neverA500(@ForAll("queryRequests") String[] request) {
        HttpResponse<String> r = RawHttp.post(java.net.URI.create(server.endpoint()), request[1],
                java.util.Map.of("Authorization", RawHttp.authorization("111111111111", "us-east-1", request[0]),
                        "X-Amz-Date", RawHttp.amzDate()));
        assertThat(r.statusCode()).as(request[1] + " -> " + r.body()).isIn(200, 400, 401, 403);
        if (r.statusCode() != 200) {
            assertThat(r.body()).as(request[1]).contains("<ErrorResponse").doesNotContain("InternalError");
        }
        assertThat(r.body()).as(request[1]).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Property(tries = 400)
    void anyRequest_getsAnAwsShapedAnswer_neverA500(@ForAll("bodies") String body) {
        HttpResponse<String> r = RawHttp.post(java.net.URI.create(server.endpoint()), body);
        assertThat(r.statusCode()).as(body + " -> " + r.body()).isIn(200, 400, 401, 403, 412);
        if (r.statusCode() != 200) {
            assertThat(RawHttp.code(r)).as(body).isNotBlank().isNotEqualTo("InternalError");
        }
        assertThat(r.body()).as(body).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
