package dev.underpass.aws;

import java.nio.charset.StandardCharsets;

/** What goes back on the wire: status, content type, body, and the AWS error code if it is an error. */
public record AwsResponse(int status, String contentType, byte[] body, String errorCode) {
    public static final String XML = "text/xml;charset=UTF-8";
    public static final String JSON = "application/json";

    public static AwsResponse xml(int status, String body) {
        return new AwsResponse(status, XML, body.getBytes(StandardCharsets.UTF_8), null);
    }

    /** An XML answer already encoded as UTF-8. */
    public static AwsResponse xml(int status, byte[] body) {
        return new AwsResponse(status, XML, body, null);
    }

    public static AwsResponse xmlError(int status, String body, String code) {
        return new AwsResponse(status, XML, body.getBytes(StandardCharsets.UTF_8), code);
    }
}
