package dev.underpass.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** Sends hand-made requests, for what the SDK would never send. */
final class RawHttp {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final DateTimeFormatter AMZ = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private RawHttp() {}

    static String amzDate() {
        return AMZ.format(ZonedDateTime.now(ZoneOffset.UTC));
    }

    static String authorization(String account, String region, String service) {
        String day = amzDate().substring(0, 8);
        return "AWS4-HMAC-SHA256 Credential=" + account + "/" + day + "/" + region + "/" + service
                + "/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123456789abcdef";
    }

    /** A POST with a form body, signed-looking as account 111111111111 unless headers say otherwise. */
    static HttpResponse<String> post(URI endpoint, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.resolve("/"))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (!headers.containsKey("Authorization") && !headers.containsKey("no-auth")) {
            b.header("Authorization", authorization("111111111111", "us-east-1", "ec2"));
            b.header("X-Amz-Date", amzDate());
        }
        headers.forEach((k, v) -> {
            if (!k.equals("no-auth")) {
                b.header(k, v);
            }
        });
        return send(b.build());
    }

    static HttpResponse<String> post(URI endpoint, String body) {
        return post(endpoint, body, Map.of());
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The {@code <Code>} of an EC2 error body. */
    static String code(HttpResponse<String> r) {
        String b = r.body();
        int s = b.indexOf("<Code>");
        int e = b.indexOf("</Code>");
        return s < 0 || e < 0 ? null : b.substring(s + 6, e);
    }
}
