package dev.underpass.server.cli;

import dev.underpass.server.UnderpassServer;
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
import java.util.stream.Stream;

/**
 * Starts a server as {@code underpass serve} does (its options parsed by the command line, a SQLite data dir,
 * default VPCs, the loopback data plane and its DNS server where the data plane runs), sends it a few typical
 * requests and stops; then starts once more on the same data dir, so that the stored records are read back (SQLite,
 * the store's decoding). The launcher runs this once after each build with {@code -XX:ArchiveClassesAtExit}, so that
 * the classes a real start and first requests need come from a class-data-sharing archive: start-up then takes
 * about half as long. An in-memory warm-up left the store's and the data plane's classes out of the archive, and a
 * real start loaded them from the jars.
 */
public final class Warmup {
    private static final String[] REQUESTS = {"Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0%2F16",
        "Action=DescribeVpcs&Version=2016-11-15", "Action=DescribeSubnets&Version=2016-11-15",
        "Action=DescribeVpcs&Version=2016-11-15&VpcId.1=vpc-0"};

    private Warmup() {}

    public static void main(String[] args) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        Path dir = Files.createTempDirectory("underpass-warmup");
        try {
            try (UnderpassServer server = UnderpassServer.start(serve(dir).config())) {
                try {
                    server.startDataPlane().startDns(server.config().host(), 0);
                } catch (RuntimeException | LinkageError e) {
                    // No loopback data plane here (another OS, a missing native transport): archive the rest.
                }
                send(client, server, REQUESTS);
            }
            try (UnderpassServer server = UnderpassServer.start(serve(dir).config())) {
                send(client, server, REQUESTS[1]);
            }
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The serve command as the command line parses {@code serve --data-dir DIR} (picocli's classes archived too). */
    private static ServeCommand serve(Path dir) {
        picocli.CommandLine.ParseResult parsed = Main.commandLine()
                .parseArgs("serve", "--data-dir", dir.toString(), "--port", "0", "--dns-port", "0");
        return (ServeCommand) parsed.subcommand().commandSpec().userObject();
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
