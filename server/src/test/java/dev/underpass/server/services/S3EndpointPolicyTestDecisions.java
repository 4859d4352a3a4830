package dev.underpass.server.services;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.underpass.server.UnderpassExtension;
import dev.underpass.server.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads {@code GET /_underpass/decisions} for the service endpoint tests. */
final class S3EndpointPolicyTestDecisions {
    private static final ObjectMapper JSON = new ObjectMapper();

    private S3EndpointPolicyTestDecisions() {}

    static JsonNode list(UnderpassExtension underpass, String query) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(underpass.endpoint() + "/_underpass/decisions?" + query)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(r.statusCode()).isEqualTo(200);
            return JSON.readTree(r.body()).get("decisions");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The differential check: every logged decision that carries an engine input gets the same decision from
     * {@code underpass policy evaluate} on that input (saved to a file, as a user would). Returns how many were
     * compared.
     */
    static int assertPolicyEvaluateAgrees(UnderpassExtension underpass) {
        int compared = 0;
        for (JsonNode d : list(underpass, "limit=10000")) {
            if (!d.has("input")) {
                continue;
            }
            try {
                Path in = Files.createTempFile("decision", ".json");
                Files.writeString(in, JSON.writeValueAsString(d.get("input")));
                StringWriter out = new StringWriter();
                int code = Main.commandLine().setOut(new PrintWriter(out))
                        .setErr(new PrintWriter(new StringWriter())).execute("policy", "evaluate", in.toString());
                Files.delete(in);
                assertThat(code).as("policy evaluate's exit status for decision %s", d.get("sequence")).isZero();
                assertThat(JSON.readTree(out.toString()).get("decision").asText())
                        .as("decision %s (%s %s)", d.get("sequence"), d.get("action"), d.get("resource"))
                        .isEqualTo(d.get("decision").asText());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            compared++;
        }
        return compared;
    }

    static JsonNode last(UnderpassExtension underpass, String query) {
        JsonNode all = list(underpass, query + "&limit=1");
        assertThat(all.size()).isEqualTo(1);
        return all.get(0);
    }
}
