package dev.underpass.dataplane.service;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * The whole HTTP answer of a refused service request, as the service itself writes it: S3's XML {@code Error}
 * document with its request-id headers, or DynamoDB's JSON {@code __type}/{@code message} envelope. The connection
 * is closed after it ({@code Connection: close}), since the request's body is left unread.
 */
final class ServiceErrors {
    private ServiceErrors() {}

    /** The status line, headers and body; a HEAD request gets the headers only, as S3 answers it. */
    static ByteBuf render(boolean json, int status, String code, String message, String requestId, boolean head) {
        String text = json
                ? "{\"__type\":\"com.amazon.coral.service#" + code + "\",\"message\":\""
                        + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}"
                : "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>"
                        + escape(message) + "</Message><RequestId>" + requestId + "</RequestId>"
                        + "<HostId>underpass</HostId></Error>";
        byte[] body = head ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
        String reason = switch (status) {
            case 403 -> "Forbidden";
            case 413 -> "Payload Too Large";
            case 503 -> "Service Unavailable";
            default -> "Bad Request";
        };
        String headers = "HTTP/1.1 " + status + " " + reason + "\r\n"
                + (json ? "x-amzn-RequestId: " + requestId + "\r\nContent-Type: application/x-amz-json-1.0\r\n"
                        : "x-amz-request-id: " + requestId + "\r\nx-amz-id-2: underpass\r\n"
                                + "Content-Type: application/xml\r\n")
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        ByteBuf out = Unpooled.buffer(headers.length() + body.length);
        out.writeBytes(headers.getBytes(StandardCharsets.US_ASCII)).writeBytes(body);
        return out;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
