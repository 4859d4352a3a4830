package dev.underpass.policy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The encoded authorization message of a refused request (EC2's "Encoded authorization failure message: …"): the
 * decision as JSON, deflated (zlib, so its Adler-32 checksum catches a damaged token) and written in unpadded
 * base64url.
 *
 * <p>AWS encrypts the message so that only STS can read it. underpass keeps it self-contained instead, so that
 * {@code underpass policy decode} can read a token offline, without the server that issued it; STS
 * {@code DecodeAuthorizationMessage} reads the same tokens. A token therefore reveals its decision to whoever holds
 * it, which is no more than the refused caller already knows of its own request.
 */
public final class AuthorizationMessage {
    /** Tokens longer than this are refused before inflating (a decision is a few kilobytes). */
    public static final int MAX_TOKEN_CHARS = 64 * 1024;
    /** An inflated message larger than this is refused (a deflate bomb). */
    public static final int MAX_MESSAGE_BYTES = 1024 * 1024;

    private AuthorizationMessage() {}

    /** The token of a decision given as JSON text. */
    public static String encode(String json) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try {
            deflater.setInput(json.getBytes(StandardCharsets.UTF_8));
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(json.length() / 2 + 16);
            byte[] buffer = new byte[1024];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
        } finally {
            deflater.end();
        }
    }

    /**
     * The JSON text of a token.
     *
     * @throws IllegalArgumentException saying what is wrong, when the text is not a token this class wrote
     */
    public static String decode(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the message is empty");
        }
        String t = token.strip();
        if (t.length() > MAX_TOKEN_CHARS) {
            throw new IllegalArgumentException("the message is longer than " + MAX_TOKEN_CHARS + " characters");
        }
        byte[] deflated;
        try {
            deflated = Base64.getUrlDecoder().decode(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the message is not base64url text", e);
        }
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(deflated);
            ByteArrayOutputStream out = new ByteArrayOutputStream(deflated.length * 4);
            byte[] buffer = new byte[4096];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalArgumentException("the message is truncated");
                }
                out.write(buffer, 0, n);
                if (out.size() > MAX_MESSAGE_BYTES) {
                    throw new IllegalArgumentException("the message inflates past " + MAX_MESSAGE_BYTES + " bytes");
                }
            }
            if (inflater.getRemaining() > 0) {
                throw new IllegalArgumentException("the message has bytes after its end");
            }
            String json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(out.toByteArray()))
                    .toString();
            if (!json.startsWith("{")) {
                throw new IllegalArgumentException("the message is not a decision");
            }
            return json;
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("the message is not an authorization message: " + e.getMessage(), e);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the message is not UTF-8 text", e);
        } finally {
            inflater.end();
        }
    }
}
