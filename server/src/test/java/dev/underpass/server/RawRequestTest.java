package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Requests the SDK would never send: each gets EC2's error envelope, the right code and status, and no 500. */
class RawRequestTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    private HttpResponse<String> post(String body) {
        return RawHttp.post(UNDERPASS.endpoint(), body);
    }

    private static void assertEc2Error(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(RawHttp.code(r)).isEqualTo(code);
        assertThat(r.body()).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error>")
                .contains("<RequestID>").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/xml;charset=UTF-8");
    }

    @Test
    void unknownAction_failsWithInvalidAction() {
        assertEc2Error(post("Action=MakeCoffee&Version=2016-11-15"), 400, "InvalidAction");
    }

    @Test
    void realButUnemulatedAction_failsWithUnsupportedOperation() {
        assertEc2Error(post("Action=CreateImage&Version=2016-11-15"), 400, "UnsupportedOperation");
    }

    @Test
    void missingAction_failsWithMissingParameter() {
        assertEc2Error(post("Version=2016-11-15"), 400, "MissingParameter");
    }

    @Test
    void wrongVersion_failsWithNoSuchVersion() {
        assertEc2Error(post("Action=DescribeVpcs&Version=2014-01-01"), 400, "NoSuchVersion");
    }

    @Test
    void unknownParameter_failsWithUnknownParameter() {
        HttpResponse<String> r = post("Action=DescribeVpcs&Version=2016-11-15&Colour=blue");
        assertEc2Error(r, 400, "UnknownParameter");
        assertThat(r.body()).contains("Colour");
    }

    @Test
    void nonNumericListIndex_failsWithUnknownParameter() {
        assertEc2Error(post("Action=DescribeVpcs&Version=2016-11-15&VpcId.first=vpc-1"), 400, "UnknownParameter");
    }

    @Test
    void notANumber_failsWithInvalidParameterValue() {
        HttpResponse<String> r = post("Action=DescribeVpcs&Version=2016-11-15&MaxResults=lots");
        assertEc2Error(r, 400, "InvalidParameterValue");
        assertThat(r.body()).contains("lots").contains("MaxResults");
    }

    @Test
    void notABoolean_failsWithInvalidParameterValue() {
        assertEc2Error(post("Action=DescribeVpcs&Version=2016-11-15&DryRun=maybe"), 400, "InvalidParameterValue");
    }

    @Test
    void brokenPercentEncoding_failsWithMalformedQueryString() {
        assertEc2Error(post("Action=DescribeVpcs&Version=2016-11-15&VpcId.1=%zz"), 400, "MalformedQueryString");
    }

    @Test
    void emptyKeySegment_failsWithMalformedQueryString() {
        assertEc2Error(post("Action=DescribeVpcs&Version=2016-11-15&VpcId..1=vpc-1"), 400, "MalformedQueryString");
    }

    @Test
    void missingCidr_failsWithMissingParameter() {
        assertEc2Error(post("Action=CreateVpc&Version=2016-11-15"), 400, "MissingParameter");
    }

    @Test
    void noAuthorization_failsWithMissingAuthenticationToken() {
        HttpResponse<String> r = RawHttp.post(UNDERPASS.endpoint(), "Action=DescribeVpcs&Version=2016-11-15",
                Map.of("no-auth", "1"));
        assertEc2Error(r, 401, "MissingAuthenticationToken");
    }

    @Test
    void malformedAuthorization_failsWithIncompleteSignature() {
        HttpResponse<String> r = RawHttp.post(UNDERPASS.endpoint(), "Action=DescribeVpcs&Version=2016-11-15",
                Map.of("Authorization", "AWS4-HMAC-SHA256 Credential=abc"));
        assertEc2Error(r, 400, "IncompleteSignature");
    }

    @Test
    void staleSignature_failsWithRequestExpired() {
        HttpResponse<String> r = RawHttp.post(UNDERPASS.endpoint(), "Action=DescribeVpcs&Version=2016-11-15",
                Map.of("Authorization", RawHttp.authorization("111111111111", "us-east-1", "ec2"),
                        "X-Amz-Date", "20200101T000000Z"));
        assertEc2Error(r, 400, "RequestExpired");
    }

    /**
     * STS and ELBv2 answer a stale signature with 403 {@code SignatureDoesNotMatch} and a "Signature expired" message
     * (as AWS CLI users report from GetCallerIdentity and AssumeRole), not EC2's 400 {@code RequestExpired}.
     */
    @Test
    void staleSignatureOnStsAndElbv2_failsWithSignatureDoesNotMatch403() {
        for (String[] service : new String[][] {{"sts", "Action=GetCallerIdentity&Version=2011-06-15"},
            {"elasticloadbalancing", "Action=DescribeLoadBalancers&Version=2015-12-01"}}) {
            HttpResponse<String> r = RawHttp.post(UNDERPASS.endpoint(), service[1],
                    Map.of("Authorization", RawHttp.authorization("111111111111", "us-east-1", service[0]),
                            "X-Amz-Date", "20200101T000000Z"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
            assertThat(RawHttp.code(r)).isEqualTo("SignatureDoesNotMatch");
            assertThat(r.body()).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse")
                    .containsPattern("Signature expired: 20200101T000000Z is now earlier than [0-9]{8}T[0-9]{6}Z "
                            + "\\([0-9]{8}T[0-9]{6}Z - 15 min\\.\\)");
            HttpResponse<String> ahead = RawHttp.post(UNDERPASS.endpoint(), service[1],
                    Map.of("Authorization", RawHttp.authorization("111111111111", "us-east-1", service[0]),
                            "X-Amz-Date", "20991231T000000Z"));
            assertThat(ahead.statusCode()).isEqualTo(403);
            assertThat(ahead.body()).contains("Signature not yet current: 20991231T000000Z is still later than");
        }
    }

    @Test
    void unknownRegionInScope_failsWithAuthFailure() {
        HttpResponse<String> r = RawHttp.post(UNDERPASS.endpoint(), "Action=DescribeVpcs&Version=2016-11-15",
                Map.of("Authorization", RawHttp.authorization("111111111111", "mars-north-1", "ec2"),
                        "X-Amz-Date", RawHttp.amzDate()));
        assertEc2Error(r, 401, "AuthFailure");
    }

    @Test
    void getWithQueryString_isAcceptedLikeAPost() {
        HttpResponse<String> r = RawHttp.send(HttpRequest.newBuilder(
                UNDERPASS.endpoint().resolve("/?Action=DescribeRegions&Version=2016-11-15"))
                .header("Authorization", RawHttp.authorization("111111111111", "us-east-1", "ec2"))
                .header("X-Amz-Date", RawHttp.amzDate()).GET().build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("<DescribeRegionsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">")
                .contains("<regionName>eu-west-1</regionName>");
    }

    @Test
    void health_answersJsonWithStatusAndVersion() {
        HttpResponse<String> r = RawHttp.send(HttpRequest.newBuilder(
                UNDERPASS.endpoint().resolve("/_underpass/health")).GET().build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"status\":\"ok\"").contains("\"version\":").contains("\"dataDir\":");
    }

    @Test
    void createVpcResponse_isEc2XmlWithRequestIdFirst() {
        HttpResponse<String> r = post("Action=CreateVpc&Version=2016-11-15&CidrBlock=10.9.0.0%2F16"
                + "&TagSpecification.1.ResourceType=vpc&TagSpecification.1.Tag.1.Key=a%26b&TagSpecification.1.Tag.1.Value=%3Cx%3E");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).matches("(?s)<\\?xml version=\"1.0\" encoding=\"UTF-8\"\\?>\n<CreateVpcResponse "
                + "xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>[0-9a-f-]{36}</requestId><vpc>.*")
                .contains("<cidrBlock>10.9.0.0/16</cidrBlock>")
                .contains("<tagSet><item><key>a&amp;b</key><value>&lt;x&gt;</value></item></tagSet>");
    }
}
