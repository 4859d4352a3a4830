package dev.underpass.dataplane.service;

import java.util.Map;

/** The SigV4 credential of a request: from the Authorization header or a presigned URL's query. */
record RequestCredential(String accessKeyId, String region, String token) {
    static RequestCredential of(Map<String, String> headers, String uri) {
        String scope = null;
        String auth = headers.get("authorization");
        String token = headers.get("x-amz-security-token");
        if (auth != null) {
            int i = auth.indexOf("Credential=");
            if (i >= 0) {
                int end = auth.indexOf(',', i);
                scope = auth.substring(i + "Credential=".length(), end < 0 ? auth.length() : end).strip();
            } else if (auth.startsWith("AWS ")) {
                // Signature version 2: "AWS AKID:signature".
                String rest = auth.substring(4);
                int colon = rest.indexOf(':');
                return new RequestCredential(colon < 0 ? rest : rest.substring(0, colon), null, token);
            }
        } else {
            int q = uri.indexOf('?');
            if (q >= 0) {
                Map<String, String> query = S3Call.query(uri.substring(q + 1));
                scope = query.get("X-Amz-Credential");
                if (token == null) {
                    token = query.get("X-Amz-Security-Token");
                }
            }
        }
        if (scope == null) {
            return null;
        }
        // AKID/date/region/service/aws4_request
        int first = scope.indexOf('/');
        if (first < 0) {
            return new RequestCredential(scope, null, token);
        }
        int second = scope.indexOf('/', first + 1);
        int third = second < 0 ? -1 : scope.indexOf('/', second + 1);
        String region = second < 0 ? null : scope.substring(second + 1, third < 0 ? scope.length() : third);
        if (region != null && region.isEmpty()) {
            region = null;
        }
        return new RequestCredential(scope.substring(0, first), region, token);
    }
}
