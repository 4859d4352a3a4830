package dev.underpass.server;

import static dev.underpass.server.Ec2Assertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Vpc;

/**
 * What the form decoder refuses rather than run: names too long or too deep (a dotted name once cost memory and
 * time quadratic in its length), more parameters than the limit (they were once silently dropped, DryRun with
 * them), bytes that are not UTF-8, and numbers in digits other than ASCII's. Each refused request changes nothing.
 */
class WireLimitsTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    private static HttpResponse<String> post(String account, String body) {
        return RawHttp.post(UNDERPASS.endpoint(), body, Map.of(
                "Authorization", RawHttp.authorization(account, "us-east-1", "ec2"), "X-Amz-Date", RawHttp.amzDate()));
    }

    private static void assertEc2Error(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(RawHttp.code(r)).as(r.body()).isEqualTo(code);
        assertThat(r.body()).contains("<Response><Errors><Error>").contains("<RequestID>");
    }

    /** A DescribeVpcs carrying one more parameter is refused with MalformedQueryString, saying {@code why}. */
    private static void assertMalformedName(String account, String parameter, String why) {
        HttpResponse<String> r = post(account, "Action=DescribeVpcs&Version=2016-11-15&" + parameter);
        assertEc2Error(r, 400, "MalformedQueryString");
        assertThat(r.body()).contains(why);
    }

    /** The CIDR blocks of the account's VPCs other than its default VPC. */
    private static java.util.List<String> ownVpcs(String account) {
        try (Ec2Client ec2 = UNDERPASS.ec2(account)) {
            return ec2.describeVpcs().vpcs().stream().filter(v -> !Boolean.TRUE.equals(v.isDefault()))
                    .map(Vpc::cidrBlock).toList();
        }
    }

    @Test
    void nameWithAQuarterMillionDots_isMalformedQueryString() {
        assertMalformedName("220000000001", "a.".repeat(128 * 1024) + "a=1", "longer than 1024 characters");
    }

    @Test
    void nameDeeperThanTheLimit_isMalformedQueryString() {
        assertMalformedName("220000000011", "Filter" + ".1".repeat(32) + "=1", "more than 32 dot-separated parts");
    }

    @Test
    void nameLongerThanTheLimit_isMalformedQueryString() {
        assertMalformedName("220000000002", "Filter.1.Name" + "x".repeat(2_000) + "=1", "longer than 1024 characters");
    }

    @Test
    void deepButAllowedName_isJudgedByTheModel() {
        String name = "Filter" + ".1".repeat(31);
        HttpResponse<String> r = post("220000000003", "Action=DescribeVpcs&Version=2016-11-15&" + name + "=x");
        assertEc2Error(r, 400, "UnknownParameter");
    }

    @Test
    void dryRunAfterTenThousandParameters_refusesTheRequest_andCreatesNothing() {
        String account = "220000000004";
        StringBuilder body = new StringBuilder("Action=CreateVpc&Version=2016-11-15&CidrBlock=10.66.0.0%2F16");
        // Repeats of a real parameter: the first value counts, the rest only add to the count.
        for (int i = 0; i < 10_000; i++) {
            body.append("&CidrBlock=10.66.0.0%2F16");
        }
        body.append("&DryRun=true");
        HttpResponse<String> r = post(account, body.toString());
        assertEc2Error(r, 400, "MalformedQueryString");
        assertThat(r.body()).contains("more than 10000 parameters");
        assertThat(ownVpcs(account)).isEmpty();
    }

    @Test
    void tenThousandParameters_areStillRead() {
        StringBuilder body = new StringBuilder("Action=CreateVpc&Version=2016-11-15&CidrBlock=10.65.0.0%2F16");
        for (int i = 0; i < 9_996; i++) {
            body.append("&CidrBlock=10.65.0.0%2F16");
        }
        body.append("&DryRun=true");
        HttpResponse<String> r = post("220000000005", body.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(412);
        assertThat(RawHttp.code(r)).isEqualTo("DryRunOperation");
        assertThat(ownVpcs("220000000005")).isEmpty();
    }

    @Test
    void percentEncodedBytesThatAreNotUtf8_areMalformedQueryString() {
        assertEc2Error(post("220000000006", "Action=DescribeVpcs&Version=2016-11-15&VpcId.1=vpc-%C3%28"), 400,
                "MalformedQueryString");
        assertEc2Error(post("220000000006", "Action=DescribeVpcs&Version=2016-11-15&Vpc%FFId.1=vpc-1"), 400,
                "MalformedQueryString");
        assertEc2Error(post("220000000006", "Action=DescribeVpcs&Version=2016-11-15&VpcId.1=%ED%A0%80"), 400,
                "MalformedQueryString");
    }

    @Test
    void rawBytesThatAreNotUtf8_areMalformedQueryString() {
        byte[] body = RawSocket.concat(RawSocket.ascii("Action=CreateVpc&Version=2016-11-15&CidrBlock=10.64.0.0%2F16"
                + "&TagSpecification.1.ResourceType=vpc&TagSpecification.1.Tag.1.Key=k&TagSpecification.1.Tag.1.Value="),
                new byte[] {(byte) 0xC3, (byte) 0x28});
        RawSocket.Answer a = RawSocket.exchange(UNDERPASS.endpoint(), RawSocket.concat(
                RawSocket.head("220000000007", "Content-Length: " + body.length + "\r\n"), body), false);
        assertThat(a.status()).as(a.body()).isEqualTo(400);
        assertThat(a.code()).isEqualTo("MalformedQueryString");
        assertThat(ownVpcs("220000000007")).isEmpty();
    }

    @Test
    void rawUtf8InAValue_isRead() {
        byte[] body = RawSocket.concat(RawSocket.ascii("Action=CreateVpc&Version=2016-11-15&CidrBlock=10.63.0.0%2F16"
                + "&TagSpecification.1.ResourceType=vpc&TagSpecification.1.Tag.1.Key=k&TagSpecification.1.Tag.1.Value="),
                "été".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        RawSocket.Answer a = RawSocket.exchange(UNDERPASS.endpoint(), RawSocket.concat(
                RawSocket.head("220000000008", "Content-Length: " + body.length + "\r\n"), body), false);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.body()).contains("<value>été</value>");
    }

    /** Raw bytes in the query string are read as UTF-8 too: kept when they are, refused when they are not. */
    @Test
    void rawBytesInTheQueryString_areReadAsUtf8() {
        byte[] good = RawSocket.concat(
                RawSocket.ascii("GET /?Action=DescribeVpcs&Version=2016-11-15&Filter.1.Name=tag:k"
                        + "&Filter.1.Value.1="),
                "été".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                RawSocket.ascii(" HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                        + RawHttp.authorization("220000000012", "us-east-1", "ec2") + "\r\nX-Amz-Date: "
                        + RawHttp.amzDate() + "\r\n\r\n"));
        RawSocket.Answer a = RawSocket.exchange(UNDERPASS.endpoint(), good, false);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        byte[] bad = RawSocket.concat(RawSocket.ascii("GET /?Action=DescribeVpcs&Version=2016-11-15&Filter.1.Name=tag:k"
                + "&Filter.1.Value.1="), new byte[] {(byte) 0xC3, (byte) 0x28},
                RawSocket.ascii(" HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                        + RawHttp.authorization("220000000012", "us-east-1", "ec2") + "\r\nX-Amz-Date: "
                        + RawHttp.amzDate() + "\r\n\r\n"));
        RawSocket.Answer b = RawSocket.exchange(UNDERPASS.endpoint(), bad, false);
        assertThat(b.status()).as(b.body()).isEqualTo(400);
        assertThat(b.code()).isIn("MalformedQueryString", "MalformedHttpRequest");
    }

    @Test
    void cidrPrefixInArabicIndicDigits_isInvalidParameterValue_andCreatesNothing() {
        String account = "220000000009";
        try (Ec2Client ec2 = UNDERPASS.ec2(account)) {
            assertError(() -> ec2.createVpc(b -> b.cidrBlock("10.77.0.0/١٦")), "InvalidParameterValue");
            assertError(() -> ec2.createVpc(b -> b.cidrBlock("10.77.0.0/１６")), "InvalidParameterValue");
        }
        assertThat(ownVpcs(account)).isEmpty();
    }

    @Test
    void integerParameterInAnotherScript_isInvalidParameterValue() {
        HttpResponse<String> r = post("220000000010", "Action=DescribeVpcs&Version=2016-11-15&MaxResults=%D9%A1%D9%A0");
        assertEc2Error(r, 400, "InvalidParameterValue");
        assertThat(r.body()).contains("MaxResults");
        assertEc2Error(post("220000000010", "Action=DescribeVpcs&Version=2016-11-15&MaxResults=1%EF%BC%90"), 400,
                "InvalidParameterValue");
    }
}
