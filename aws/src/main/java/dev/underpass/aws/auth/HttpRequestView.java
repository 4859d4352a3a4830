package dev.underpass.aws.auth;

import java.util.Map;

/**
 * What the {@link Authenticator} reads of an HTTP request, so that the wire layer needs no HTTP server library: the
 * method, the path and query string as they arrived (still percent-encoded, since that is what a signature covers),
 * the headers with lower-case names (several values of one header joined with {@code ,}), the decoded query-string
 * parameters (a presigned request's signature is there) and the body bytes.
 */
public interface HttpRequestView {
    String method();

    String rawPath();

    String rawQuery();

    Map<String, String> headers();

    Map<String, String> query();

    byte[] body();
}
