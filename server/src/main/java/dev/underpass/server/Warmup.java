package dev.underpass.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Starts an in-memory server, sends it a few typical requests and stops. The launcher runs this once after each
 * build with {@code -XX:ArchiveClassesAtExit}, so that the classes a real start and first requests need come from
 * a class-data-sharing archive: start-up then takes about half as long.
 */
public final class Warmup {
    private Warmup() {}

    public static void main(String[] args) throws Exception {
        String date = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").format(ZonedDateTime.now(ZoneOffset.UTC));
        try (UnderpassServer server = UnderpassServer.start(ServerConfig.forTests())) {
            HttpClient client = HttpClient.newHttpClient();
            for (String body : new String[] {"Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0%2F16",
                    "Action=DescribeVpcs&Version=2016-11-15", "Action=DescribeSubnets&Version=2016-11-15",
                    "Action=DescribeVpcs&Version=2016-11-15&VpcId.1=vpc-0"}) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(server.endpoint() + "/"))
                        .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                        .header("X-Amz-Date", date)
                        .header("Authorization", "AWS4-HMAC-SHA256 Credential=123456789012/" + date.substring(0, 8)
                                + "/us-east-1/ec2/aws4_request, SignedHeaders=host;x-amz-date, Signature=0")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                client.send(request, HttpResponse.BodyHandlers.discarding());
            }
        }
    }
}
