package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HTTP/1.1 pipelining: a client may send several requests before reading; the answers must come back in request
 * order even when a later read is ready before an earlier write has been committed.
 */
class PipeliningTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();

    private static String request(String body) {
        String auth = RawHttp.authorization("121212121212", "us-east-1", "ec2");
        return "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "X-Amz-Date: " + RawHttp.amzDate() + "\r\nAuthorization: " + auth + "\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    @Test
    void pipelinedWriteThenRead_areAnsweredInRequestOrder() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", UNDERPASS.server().port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            // Four VPCs: with the account's default VPC that is the quota of five.
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < 4; i++) {
                all.append(request("Action=CreateVpc&Version=2016-11-15&CidrBlock=10." + (50 + i) + ".0.0%2F16"
                        + "&DryRun=false"));
                all.append(request("Action=DescribeRegions&Version=2016-11-15&RegionName.1=eu-west-" + (1 + i % 3)));
            }
            out.write(all.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String text = readResponses(in, 8);
            int previous = -1;
            for (int i = 0; i < 8; i++) {
                String expected = i % 2 == 0 ? "<CreateVpcResponse" : "<DescribeRegionsResponse";
                int at = text.indexOf(expected, previous + 1);
                assertThat(at).as("response %d (%s) after position %d in:%n%s", i, expected, previous, text)
                        .isGreaterThan(previous);
                previous = at;
            }
        }
    }

    /** Reads until {@code count} complete responses (Content-Length bodies) have arrived. */
    private static String readResponses(InputStream in, int count) throws Exception {
        StringBuilder text = new StringBuilder();
        byte[] buf = new byte[8192];
        int complete = 0;
        while (complete < count) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            text.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            complete = countComplete(text.toString());
        }
        return text.toString();
    }

    private static int countComplete(String s) {
        int count = 0;
        int pos = 0;
        while (true) {
            int head = s.indexOf("\r\n\r\n", pos);
            if (head < 0) {
                return count;
            }
            int cl = s.toLowerCase(java.util.Locale.ROOT).indexOf("content-length:", pos);
            if (cl < 0 || cl > head) {
                return count;
            }
            int length = Integer.parseInt(s.substring(cl + 15, s.indexOf("\r\n", cl)).trim());
            int end = head + 4 + length;
            if (s.length() < end) {
                return count;
            }
            count++;
            pos = end;
        }
    }
}
