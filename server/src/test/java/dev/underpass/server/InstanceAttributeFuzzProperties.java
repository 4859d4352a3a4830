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
import net.jqwik.api.lifecycle.BeforeContainer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * ModifyInstanceAttribute, ModifyInstanceMetadataOptions and DescribeInstanceAttribute on a real instance with random
 * attribute names and values, raw on the wire: every answer is 200 or an EC2 error with a 4xx status, and a refused
 * change leaves what DescribeInstanceAttribute and DescribeInstances show as it was.
 */
class InstanceAttributeFuzzProperties extends ServerProperties {
    private static final String ACCOUNT = "747474747474";
    private static String instance;

    @BeforeContainer
    static void launch() {
        Ec2Client ec2 = UnderpassExtension.client(Ec2Client.builder(), java.net.URI.create(server.endpoint()), ACCOUNT,
                Region.US_EAST_1);
        var net = TestVpcs.net(ec2, "10.74.0.0/16", "10.74.1.0/24", "us-east-1a");
        instance = ec2.runInstances(r -> r.imageId("ami-12345678").minCount(1).maxCount(1)
                .subnetId(net.subnet().subnetId())).instances().get(0).instanceId();
    }

    private static final List<String> KEYS = List.of("Attribute", "Value", "DisableApiTermination.Value",
            "DisableApiStop.Value", "InstanceInitiatedShutdownBehavior.Value", "UserData.Value",
            "SourceDestCheck.Value",
            "InstanceType.Value", "HttpTokens", "HttpPutResponseHopLimit", "HttpEndpoint", "HttpProtocolIpv6",
            "InstanceMetadataTags", "GroupId.1");

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of("true", "false", "stop", "terminate", "hibernate",
                "required", "optional", "enabled", "disabled", "0", "1", "64", "65", "-1", "", "aGVsbG8=", "%%%",
                "userData", "disableApiTermination", "disableApiStop", "instanceInitiatedShutdownBehavior",
                "sourceDestCheck", "instanceType", "t3.micro", "m5.large", "kernel", "groupSet", "sg-0"),
                Arbitraries.strings().ofMaxLength(20));
        Arbitrary<String> pair = Combinators.combine(Arbitraries.of(KEYS), value)
                .as((k, v) -> k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
        return Combinators.combine(Arbitraries.of("ModifyInstanceAttribute", "ModifyInstanceMetadataOptions",
                "DescribeInstanceAttribute"), pair.list().ofMaxSize(3))
                .as((action, pairs) -> "Action=" + action + "&Version=2016-11-15&InstanceId=" + instance
                        + (pairs.isEmpty() ? "" : "&" + String.join("&", pairs)));
    }

    private static String view() {
        StringBuilder out = new StringBuilder();
        for (String a : List.of("userData", "disableApiTermination", "disableApiStop",
                "instanceInitiatedShutdownBehavior", "instanceType", "sourceDestCheck")) {
            out.append(post("Action=DescribeInstanceAttribute&Version=2016-11-15&InstanceId=" + instance
                    + "&Attribute=" + a).body().replaceAll("<requestId>[^<]*</requestId>", ""));
        }
        return out + post("Action=DescribeInstances&Version=2016-11-15&InstanceId.1=" + instance).body()
                .replaceAll("<requestId>[^<]*</requestId>", "");
    }

    private static HttpResponse<String> post(String body) {
        return RawHttp.post(java.net.URI.create(server.endpoint()), body, java.util.Map.of("Authorization",
                RawHttp.authorization(ACCOUNT, "us-east-1", "ec2"), "X-Amz-Date", RawHttp.amzDate()));
    }

    @Property(tries = 300)
    void anyChange_isAnsweredAsAws_andARefusedOneChangesNothing(@ForAll("bodies") String body) {
        String before = view();
        HttpResponse<String> r = post(body);
        assertThat(r.statusCode()).as(body + " -> " + r.body()).isIn(200, 400);
        assertThat(r.body()).as(body).doesNotContain("InternalError").doesNotContain("Exception")
                .doesNotContain("\tat ");
        if (r.statusCode() != 200) {
            assertThat(RawHttp.code(r)).as(body).isNotBlank();
            assertThat(view()).as(body + " was refused with " + RawHttp.code(r)).isEqualTo(before);
        }
    }
}
