package dev.underpass.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;

/**
 * Starts an in-memory server, sends it a few typical requests and stops; then does the same on a temporary data dir,
 * twice, so that the second start reads stored records back (SQLite, the JSON decoding of the store). The launcher
 * runs this once after each build with {@code -XX:ArchiveClassesAtExit}, so that the classes a real start and first
 * requests need come from a class-data-sharing archive: start-up then takes about half as long. Without the data-dir
 * rounds, a {@code serve} on a data dir (the default) loaded the store's classes from the jars at every start.
 */
public final class Warmup {
    private static final String[] REQUESTS = {"Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0%2F16",
        "Action=DescribeVpcs&Version=2016-11-15", "Action=DescribeSubnets&Version=2016-11-15",
        "Action=DescribeVpcs&Version=2016-11-15&VpcId.1=vpc-0"};

    private Warmup() {}

    public static void main(String[] args) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        try (UnderpassServer server = UnderpassServer.start(ServerConfig.forTests())) {
            send(client, server, REQUESTS);
        }
        Path dir = Files.createTempDirectory("underpass-warmup");
        try {
            try (UnderpassServer server = UnderpassServer.start(ServerConfig.forTests().withDataDir(dir))) {
                send(client, server, REQUESTS);
            }
            try (UnderpassServer server = UnderpassServer.start(ServerConfig.forTests().withDataDir(dir))) {
                send(client, server, REQUESTS[1]);
            }
        } finally {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void send(HttpClient client, UnderpassServer server, String... bodies)
            throws IOException, InterruptedException {
        String date = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").format(ZonedDateTime.now(ZoneOffset.UTC));
        for (String body : bodies) {
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
