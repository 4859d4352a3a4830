package dev.underpass.server;

import static dev.underpass.server.RawSocket.ascii;
import static dev.underpass.server.RawSocket.concat;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Requests that HTTP itself cannot read, and requests over the server's limits: each gets an AWS error envelope with
 * the status that says why (400, or 413/414/431 for sizes), the connection is closed, and nothing of the request is
 * run. Sent over a plain socket, since no HTTP client frames them.
 */
class HttpFramingTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    private static final String CREATE_VPC = "Action=CreateVpc&Version=2016-11-15&CidrBlock=10.77.0.0%2F16";

    private static RawSocket.Answer exchange(byte[] request) {
        return RawSocket.exchange(UNDERPASS.endpoint(), request);
    }

    private static void assertRefused(RawSocket.Answer a, int status, String code) {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.code()).as(a.body()).isEqualTo(code);
        assertThat(a.body()).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error>")
                .contains("<RequestID>");
        assertThat(a.headers()).containsEntry("connection", "close");
        assertThat(a.closed()).as("the server closes the connection").isTrue();
    }

    /** The VPCs of {@code account} in us-east-1, as DescribeVpcs lists them. */
    private static String describeVpcs(String account) {
        HttpResponse<String> r = RawHttp.post(UNDERPASS.endpoint(), "Action=DescribeVpcs&Version=2016-11-15",
                Map.of("Authorization", RawHttp.authorization(account, "us-east-1", "ec2"),
                        "X-Amz-Date", RawHttp.amzDate()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    @Test
    void garbageRequestLine_isRefusedWith400AndClosed() {
        assertRefused(exchange(ascii("HELLO THERE\r\n\r\n")), 400, "MalformedHttpRequest");
    }

    @Test
    void contentLengthThatIsNotANumber_isRefusedWith400() {
        assertRefused(exchange(concat(RawSocket.head("111111111111", "Content-Length: 1x\r\n"), ascii("a"))), 400,
                "MalformedHttpRequest");
    }

    @Test
    void twoDifferentContentLengths_areRefusedWith400_andTheVpcIsNotCreated() {
        String account = "210000000001";
        byte[] body = ascii(CREATE_VPC);
        RawSocket.Answer a = exchange(concat(RawSocket.head(account, "Content-Length: " + body.length
                + "\r\nContent-Length: 5\r\n"), body));
        assertRefused(a, 400, "MalformedHttpRequest");
        assertThat(describeVpcs(account)).doesNotContain("10.77.0.0/16");
    }

    @Test
    void repeatedEqualContentLength_isRefusedWith400() {
        byte[] body = ascii(CREATE_VPC);
        assertRefused(exchange(concat(RawSocket.head("210000000002", "Content-Length: " + body.length
                + "\r\nContent-Length: " + body.length + "\r\n"), body)), 400, "MalformedHttpRequest");
        assertThat(describeVpcs("210000000002")).doesNotContain("10.77.0.0/16");
    }

    @Test
    void chunkedCreateVpcWithABadSecondChunkSize_isRefused_andTheVpcIsNotCreated() {
        String account = "210000000003";
        // What was read of the body is a whole CreateVpc; the part after the bad chunk size (a DryRun) is lost.
        String first = CREATE_VPC;
        String second = "&DryRun=true";
        byte[] request = concat(RawSocket.head(account, "Transfer-Encoding: chunked\r\n"),
                ascii(Integer.toHexString(first.length()) + "\r\n" + first + "\r\n"),
                ascii("zz\r\n" + second + "\r\n0\r\n\r\n"));
        assertRefused(exchange(request), 400, "MalformedHttpRequest");
        assertThat(describeVpcs(account)).doesNotContain("10.77.0.0/16");
    }

    @Test
    void headersOverTheLimit_areRefusedWith431() {
        String big = "X-Padding: " + "p".repeat(20_000) + "\r\n";
        byte[] body = ascii(CREATE_VPC);
        assertRefused(exchange(concat(RawSocket.head("210000000004", big + "Content-Length: " + body.length
                + "\r\n"), body)), 431, "RequestHeaderFieldsTooLarge");
        assertThat(describeVpcs("210000000004")).doesNotContain("10.77.0.0/16");
    }

    @Test
    void requestLineOverTheLimit_isRefusedWith414() {
        assertRefused(exchange(ascii("GET /?Action=DescribeVpcs&x=" + "a".repeat(20_000) + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n\r\n")), 414, "RequestURITooLong");
    }

    @Test
    void bodyOverTheCap_getsAnEc2ErrorEnvelopeWith413() {
        int size = UnderpassServer.MAX_BODY + 1;
        byte[] head = RawSocket.head("210000000005", "Content-Length: " + size + "\r\n");
        byte[] body = new byte[size];
        java.util.Arrays.fill(body, (byte) 'a');
        assertRefused(exchange(concat(head, body)), 413, "RequestEntityTooLarge");
    }

    @Test
    void expectContinueForABodyOverTheCap_getsAnEc2ErrorEnvelopeWith413_beforeTheBodyIsSent() {
        byte[] head = RawSocket.head("210000000010", "Content-Length: " + (UnderpassServer.MAX_BODY + 1)
                + "\r\nExpect: 100-continue\r\n");
        assertRefused(exchange(head), 413, "RequestEntityTooLarge");
    }

    @Test
    void chunkedBodyOverTheCap_getsAnEc2ErrorEnvelopeWith413() {
        StringBuilder chunks = new StringBuilder();
        String chunk = "a".repeat(1 << 20);
        for (int i = 0; i <= UnderpassServer.MAX_BODY >> 20; i++) {
            chunks.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        chunks.append("0\r\n\r\n");
        assertRefused(exchange(concat(RawSocket.head("210000000006", "Transfer-Encoding: chunked\r\n"),
                ascii(chunks.toString()))), 413, "RequestEntityTooLarge");
    }

    @Test
    void bodyOverTheCapSignedForSts_getsTheAwsQueryEnvelope() {
        int size = UnderpassServer.MAX_BODY + 1;
        byte[] head = ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + size + "\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nAuthorization: "
                + RawHttp.authorization("111111111111", "us-east-1", "sts") + "\r\nX-Amz-Date: " + RawHttp.amzDate()
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        RawSocket.Answer a = exchange(concat(head, new byte[size]));
        assertThat(a.status()).isEqualTo(413);
        assertThat(a.body()).contains("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">")
                .contains("<Code>RequestEntityTooLarge</Code>");
    }

    @Test
    void requestsPipelinedAfterAMalformedOne_areNotRun() {
        String account = "210000000007";
        byte[] good = RawSocket.post(account, CREATE_VPC);
        byte[] bad = ascii("POST / HTTP/1.1\r\nContent-Length: nope\r\n\r\n");
        RawSocket.Answer a = exchange(concat(bad, good));
        assertRefused(a, 400, "MalformedHttpRequest");
        assertThat(describeVpcs(account)).doesNotContain("10.77.0.0/16");
    }

    @Test
    void wellFormedRequestOverASocket_isAnsweredAndKeptOpen() {
        RawSocket.Answer a = RawSocket.exchange(UNDERPASS.endpoint(),
                RawSocket.post("210000000008", "Action=DescribeVpcs&Version=2016-11-15"), false);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.body()).contains("<DescribeVpcsResponse");
    }

    @Test
    void clientThatHalfClosesAfterItsRequests_getsEveryAnswer_thenTheConnectionCloses() throws Exception {
        try (java.net.Socket socket = new java.net.Socket(endpoint().getHost(), endpoint().getPort())) {
            socket.setSoTimeout(RawSocket.READ_TIMEOUT_MILLIS);
            socket.getOutputStream().write(concat(
                    RawSocket.post("210000000011", "Action=DescribeVpcs&Version=2016-11-15"),
                    RawSocket.post("210000000011", "Action=CreateVpc&Version=2016-11-15&CidrBlock=10.78.0.0%2F16")));
            socket.shutdownOutput();
            RawSocket.Answer first = RawSocket.read(socket.getInputStream());
            RawSocket.Answer second = RawSocket.read(socket.getInputStream());
            assertThat(first.body()).contains("<DescribeVpcsResponse");
            assertThat(second.status()).as(second.body()).isEqualTo(200);
            assertThat(second.body()).contains("<cidrBlock>10.78.0.0/16</cidrBlock>");
            assertThat(socket.getInputStream().read()).as("end of stream after the answers").isEqualTo(-1);
        }
    }

    @Test
    void requestCutShortByAHalfClose_isNotRun_andTheConnectionCloses() throws Exception {
        byte[] head = RawSocket.head("210000000012", "Content-Length: 100\r\n");
        try (java.net.Socket socket = new java.net.Socket(endpoint().getHost(), endpoint().getPort())) {
            socket.setSoTimeout(RawSocket.READ_TIMEOUT_MILLIS);
            socket.getOutputStream().write(concat(head, ascii(CREATE_VPC)));
            socket.shutdownOutput();
            assertThat(socket.getInputStream().read()).as("closed, with no answer to a request never finished")
                    .isEqualTo(-1);
        }
        assertThat(describeVpcs("210000000012")).doesNotContain("10.77.0.0/16");
    }

    @Test
    void idleConnection_isClosedAfterTheIdleTimeout() throws Exception {
        try (UnderpassServer server = TestStore.start(ServerConfig.forTests(), Duration.ofMillis(300));
                java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(RawSocket.READ_TIMEOUT_MILLIS);
            socket.getOutputStream().write(RawSocket.post("210000000009", "Action=DescribeVpcs&Version=2016-11-15"));
            RawSocket.Answer a = RawSocket.read(socket.getInputStream());
            assertThat(a.status()).isEqualTo(200);
            assertThat(socket.getInputStream().read()).as("end of stream once idle").isEqualTo(-1);
        }
    }

    static URI endpoint() {
        return UNDERPASS.endpoint();
    }
}
