package dev.underpass.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Writes bytes to the server over a plain socket and reads what comes back, for requests that no HTTP client will
 * frame: garbage request lines, conflicting lengths, bad chunks. A read that waits longer than the timeout is a hang
 * and fails the test.
 */
final class RawSocket {
    /** How long a test waits for an answer before calling it a hang. */
    static final int READ_TIMEOUT_MILLIS = 10_000;

    private RawSocket() {}

    /** One answer: status, headers (names lower-case), body; {@code closed} when the server closed afterwards. */
    record Answer(int status, Map<String, String> headers, String body, boolean closed) {
        String code() {
            int s = body.indexOf("<Code>");
            int e = body.indexOf("</Code>");
            return s < 0 || e < 0 ? null : body.substring(s + 6, e);
        }
    }

    /** Sends {@code request} as it is and reads one answer, then whether the server closes the connection. */
    static Answer exchange(URI endpoint, byte[] request) {
        return exchange(endpoint, request, true);
    }

    /**
     * Writes the whole request, ignoring a failure: the server may refuse and close before reading everything, and
     * its answer is still there to read.
     */
    static void sendTolerant(Socket socket, byte[] request) throws IOException {
        OutputStream out = socket.getOutputStream();
        try {
            out.write(request);
            out.flush();
        } catch (IOException e) {
            // Read what the server said before it closed.
        }
    }

    /**
     * Sends {@code request} and reads one answer; with {@code awaitClose}, then reads on to see whether the server
     * closes the connection within the read timeout (a server that keeps it open counts as not closed).
     */
    static Answer exchange(URI endpoint, byte[] request, boolean awaitClose) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), READ_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            sendTolerant(socket, request);
            InputStream in = socket.getInputStream();
            Answer answer = read(in);
            if (!awaitClose) {
                return answer;
            }
            boolean closed;
            try {
                closed = in.read() < 0;
            } catch (SocketTimeoutException e) {
                closed = false;
            } catch (IOException e) {
                closed = true;
            }
            return new Answer(answer.status(), answer.headers(), answer.body(), closed);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within " + READ_TIMEOUT_MILLIS + " ms (a hang)", e);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads one final HTTP/1.1 response with a Content-Length. Interim answers ({@code 100 Continue} to a request that
     * sent {@code Expect: 100-continue}) are skipped, as every HTTP client does.
     */
    static Answer read(InputStream in) throws IOException {
        Answer answer = readOne(in);
        while (answer.status() >= 100 && answer.status() < 200) {
            answer = readOne(in);
        }
        return answer;
    }

    private static Answer readOne(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before an answer; read: " + head);
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8), false);
    }

    /** A signed-looking POST of {@code body} (a form), as {@code account}, with a correct Content-Length. */
    static byte[] post(String account, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return concat(head(account, "Content-Length: " + bytes.length + "\r\n"), bytes);
    }

    /** The request line and headers of a signed-looking EC2 POST, with {@code extra} header lines, and the blank line. */
    static byte[] head(String account, String extra) {
        return ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n"
                + "Authorization: " + RawHttp.authorization(account, "us-east-1", "ec2") + "\r\n"
                + "X-Amz-Date: " + RawHttp.amzDate() + "\r\n" + extra + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
