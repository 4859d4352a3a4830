package dev.underpass.aws;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What goes back on the wire: status, content type, body, and the AWS error code if it is an error. The body is a
 * sequence of parts sent in order (one for most answers; a large Describe answer is the encoded fragments it was built
 * from, sent without first being joined). The parts are never modified: read them through {@link #part(int)}.
 */
public record AwsResponse(int status, String contentType, ByteBuffer[] parts, String errorCode) {
    public static final String XML = "text/xml;charset=UTF-8";
    public static final String JSON = "application/json";

    public AwsResponse(int status, String contentType, byte[] body, String errorCode) {
        this(status, contentType, new ByteBuffer[] {ByteBuffer.wrap(body)}, errorCode);
    }

    public static AwsResponse xml(int status, String body) {
        return new AwsResponse(status, XML, body.getBytes(StandardCharsets.UTF_8), null);
    }

    /** An XML answer already encoded as UTF-8. */
    public static AwsResponse xml(int status, byte[] body) {
        return new AwsResponse(status, XML, body, null);
    }

    /** An XML answer already encoded as UTF-8, in parts to be sent in order. */
    public static AwsResponse xml(int status, ByteBuffer[] parts) {
        return new AwsResponse(status, XML, parts, null);
    }

    public static AwsResponse xmlError(int status, String body, String code) {
        return new AwsResponse(status, XML, body.getBytes(StandardCharsets.UTF_8), code);
    }

    /** The body's length in bytes. */
    public int length() {
        int n = 0;
        for (ByteBuffer p : parts) {
            n += p.remaining();
        }
        return n;
    }

    /** Part {@code i}, as a view of its own (reading it moves no position of the response's). */
    public ByteBuffer part(int i) {
        return parts[i].duplicate();
    }

    /** The whole body as one array (the array itself for a one-part body that spans it). */
    public byte[] body() {
        if (parts.length == 1 && parts[0].hasArray() && parts[0].arrayOffset() == 0 && parts[0].position() == 0
                && parts[0].remaining() == parts[0].array().length) {
            return parts[0].array();
        }
        byte[] all = new byte[length()];
        int at = 0;
        for (ByteBuffer p : parts) {
            int n = p.remaining();
            p.duplicate().get(all, at, n);
            at += n;
        }
        return all;
    }
}
