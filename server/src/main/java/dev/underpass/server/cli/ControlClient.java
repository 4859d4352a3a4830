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
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options and the one call that the client commands ({@code trace}, {@code addr}) share: which running underpass
 * to ask, its admin token, and a {@code GET} of one control endpoint whose JSON answer comes back only when the status
 * is 200. Every other outcome (no server, no JSON, an error answer) is printed as one line on the command's error
 * stream, prefixed with the command's name, and comes back empty.
 */
final class ControlClient {
    @Option(names = "--endpoint", defaultValue = "http://127.0.0.1:4566",
            description = "The underpass to ask (default: ${DEFAULT-VALUE}).")
    String endpoint;

    @Option(names = "--admin-token", defaultValue = "${env:UNDERPASS_ADMIN_TOKEN}",
            description = "The server's admin token, if it has one (default: $UNDERPASS_ADMIN_TOKEN).")
    String adminToken;

    /** The command this is mixed into, for its output streams. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    PrintWriter out() {
        return command.commandLine().getOut();
    }

    PrintWriter err() {
        return command.commandLine().getErr();
    }

    /** {@code GET path?params} (values URL-encoded, in the map's order); the JSON body of a 200 answer. */
    Optional<JsonNode> get(String command, String path, Map<String, String> params, PrintWriter err) {
        StringBuilder query = new StringBuilder();
        params.forEach((k, v) -> query.append(query.isEmpty() ? "?" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpResponse<String> response;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint.replaceAll("/+$", "") + path
                    + query)).timeout(Duration.ofSeconds(30)).GET();
            if (adminToken != null && !adminToken.isBlank()) {
                request.header("X-Underpass-Admin-Token", adminToken);
            }
            try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            }
        } catch (IllegalArgumentException | IOException e) {
            err.println("underpass " + command + ": cannot ask " + endpoint + ": " + e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        JsonNode body;
        try {
            body = new ObjectMapper().readTree(response.body());
        } catch (IOException e) {
            err.println("underpass " + command + ": " + endpoint + " answered " + response.statusCode()
                    + " with no JSON.");
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            err.println("underpass " + command + ": " + body.path("error").asText() + ": "
                    + body.path("message").asText());
            return Optional.empty();
        }
        return Optional.of(body);
    }
}
