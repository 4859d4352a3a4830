package dev.underpass.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Clients for servers a test starts itself (to restart them on one data directory), and raw HTTP for the control
 * endpoints, which no AWS SDK speaks.
 */
final class TestClients {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestClients() {}

    /** An EC2 client signed as {@code account} in {@code region}, making one attempt per call. */
    static Ec2Client ec2(String endpoint, String account, String region) {
        return UnderpassExtension.client(Ec2Client.builder(), URI.create(endpoint), account, Region.of(region));
    }

    /** A JSON answer of a control endpoint. */
    record Answer(int status, JsonNode body) {}

    /** Sends {@code method} to {@code endpoint + pathAndQuery} with an empty body. */
    static Answer call(String method, String endpoint, String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Answer reset(String endpoint, String pathAndQuery) {
        return call("POST", endpoint, pathAndQuery);
    }
}
