package dev.underpass.aws.wire;

import dev.underpass.model.AsciiDigits;
import dev.underpass.model.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes an {@code application/x-www-form-urlencoded} body or a query string into its parameters, in one linear
 * pass and all or nothing: a malformed escape, bytes that are not UTF-8, a parameter name longer than
 * {@link #MAX_NAME_LENGTH} or nested deeper than {@link #MAX_NAME_DEPTH}, or more than {@link #MAX_PARAMETERS}
 * parameters refuse the whole request with {@code MalformedQueryString}. Nothing is ever dropped or replaced: a
 * request that was cut short or had its bytes substituted could do something its sender did not ask for (a
 * {@code DryRun=true} past a cut-off would create a real resource).
 *
 * <p>The limits are far above what any AWS operation needs (the longest real names, such as
 * {@code LaunchTemplateData.NetworkInterface.1.PrivateIpAddresses.1.PrivateIpAddress}, are under 100 characters and
 * 7 segments deep) and bound what one request can cost when the names are folded into a tree by
 * {@link QueryParams}. When a name occurs twice, its first value is kept.
 */
public final class FormDecoder {
    /** The most parameters one request may carry. */
    public static final int MAX_PARAMETERS = 10_000;
    /** The longest parameter name, in characters. */
    public static final int MAX_NAME_LENGTH = 1_024;
    /** The most dot-separated segments in one parameter name. */
    public static final int MAX_NAME_DEPTH = 32;

    private FormDecoder() {}

    /**
     * Decodes {@code raw}, the bytes of a form body or of a query string without its {@code ?} (as it came off the
     * wire, one char per byte); null or empty gives no parameters.
     */
    public static Map<String, String> decode(byte[] raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.length == 0) {
            return out;
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(64);
        int count = 0;
        int start = 0;
        int n = raw.length;
        while (start <= n) {
            int end = indexOf(raw, (byte) '&', start, n);
            if (end > start) {
                if (++count > MAX_PARAMETERS) {
                    throw ErrorCode.MALFORMED_QUERY_STRING.format(
                            "The request has more than %d parameters.", MAX_PARAMETERS);
                }
                int eq = indexOf(raw, (byte) '=', start, end);
                String name = component(raw, start, eq, buffer);
                checkName(name);
                String value = eq < end ? component(raw, eq + 1, end, buffer) : "";
                out.putIfAbsent(name, value);
            }
            start = end + 1;
        }
        return out;
    }

    /** Decodes a query string as it came off the wire (one char per byte, as the HTTP decoder reads the line). */
    public static Map<String, String> decodeQuery(String rawQuery) {
        return rawQuery == null ? new LinkedHashMap<>() : decode(rawQuery.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static int indexOf(byte[] raw, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (raw[i] == b) {
                return i;
            }
        }
        return to;
    }

    private static void checkName(String name) {
        if (name.length() > MAX_NAME_LENGTH) {
            throw ErrorCode.MALFORMED_QUERY_STRING.format(
                    "A parameter name is longer than %d characters: '%s...'.", MAX_NAME_LENGTH,
                    name.substring(0, 64));
        }
        int segments = 1;
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) == '.' && ++segments > MAX_NAME_DEPTH) {
                throw ErrorCode.MALFORMED_QUERY_STRING.format(
                        "The parameter name '%s' has more than %d dot-separated parts.", name, MAX_NAME_DEPTH);
            }
        }
    }

    /** Percent-decodes {@code raw[from, to)} ({@code +} is a space) and reads the bytes as strict UTF-8. */
    private static String component(byte[] raw, int from, int to, ByteArrayOutputStream buffer) {
        boolean plain = true;
        for (int i = from; i < to; i++) {
            byte c = raw[i];
            if (c == '%' || c == '+' || c < 0) {
                plain = false;
                break;
            }
        }
        if (plain) {
            return new String(raw, from, to - from, StandardCharsets.US_ASCII);
        }
        buffer.reset();
        for (int i = from; i < to; i++) {
            byte c = raw[i];
            if (c == '%') {
                int hi = i + 1 < to ? AsciiDigits.hexValue((char) raw[i + 1]) : -1;
                int lo = i + 2 < to ? AsciiDigits.hexValue((char) raw[i + 2]) : -1;
                if (hi < 0 || lo < 0) {
                    throw ErrorCode.MALFORMED_QUERY_STRING.format(
                            "'%s' is not a valid percent-encoding (a %% must be followed by two hex digits).",
                            new String(raw, i, Math.min(to, i + 3) - i, StandardCharsets.ISO_8859_1));
                }
                buffer.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+') {
                buffer.write(' ');
            } else {
                buffer.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buffer.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw notUtf8();
        }
    }

    private static RuntimeException notUtf8() {
        return ErrorCode.MALFORMED_QUERY_STRING.with("The request contains bytes that are not valid UTF-8.");
    }
}
