package dev.underpass.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code underpass addr i-…|eni-…|vpce-…|LB-ARN}: asks a running underpass ({@code GET /_underpass/addresses}) for
 * the loopback address that stands for the resource's network interfaces, and prints one line per interface:
 * loopback address, the private IPv4 address it stands for, the interface, its role and zone. With no id, every
 * address. Exit status: 0 found, 1 nothing found, 2 no server to ask.
 */
@Command(name = "addr", mixinStandardHelpOptions = true,
        description = "The loopback address of an instance, endpoint or load balancer interface (data plane).")
public final class AddrCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "ID", description = "i-…, eni-…, vpce-… or a load balancer ARN.")
    String id;

    @Option(names = "--json", description = "Print the server's JSON answer.")
    boolean json;

    @Option(names = "--endpoint", defaultValue = "http://127.0.0.1:4566",
            description = "The underpass to ask (default: ${DEFAULT-VALUE}).")
    String endpoint;

    @Option(names = "--admin-token", defaultValue = "${env:UNDERPASS_ADMIN_TOKEN}",
            description = "The server's admin token, if it has one (default: $UNDERPASS_ADMIN_TOKEN).")
    String adminToken;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String query = id == null ? "" : "?id=" + URLEncoder.encode(id, StandardCharsets.UTF_8);
        HttpResponse<String> response;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint.replaceAll("/+$", "")
                    + "/_underpass/addresses" + query)).timeout(Duration.ofSeconds(30)).GET();
            if (adminToken != null && !adminToken.isBlank()) {
                request.header("X-Underpass-Admin-Token", adminToken);
            }
            try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            }
        } catch (IllegalArgumentException | IOException e) {
            err.println("underpass addr: cannot ask " + endpoint + ": " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 2;
        }
        JsonNode body;
        try {
            body = new ObjectMapper().readTree(response.body());
        } catch (IOException e) {
            err.println("underpass addr: " + endpoint + " answered " + response.statusCode() + " with no JSON.");
            return 2;
        }
        if (response.statusCode() != 200) {
            err.println("underpass addr: " + body.path("error").asText() + ": " + body.path("message").asText());
            return 2;
        }
        JsonNode list = body.path("addresses");
        if (json) {
            out.println(body.toPrettyString());
        } else {
            for (JsonNode a : list) {
                out.printf("%-15s %-15s %s %s %s %s%n", a.path("loopback").asText(), a.path("privateIp").asText(),
                        a.path("networkInterfaceId").asText(), a.path("role").asText(),
                        TraceCommand.shorten(a.path("resourceId").asText()), a.path("availabilityZone").asText());
            }
            if (!"loopback".equals(body.path("dataPlane").asText())) {
                out.println("(the server's data plane is off: nothing listens on these addresses)");
            }
        }
        out.flush();
        if (list.isEmpty()) {
            err.println("underpass addr: no address for " + (id == null ? "any interface" : id) + ".");
            return 1;
        }
        return 0;
    }
}
