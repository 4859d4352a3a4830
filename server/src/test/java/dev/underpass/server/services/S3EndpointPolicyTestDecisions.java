package dev.underpass.server.services;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.underpass.server.UnderpassExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

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

    static JsonNode last(UnderpassExtension underpass, String query) {
        JsonNode all = list(underpass, query + "&limit=1");
        assertThat(all.size()).isEqualTo(1);
        return all.get(0);
    }
}
