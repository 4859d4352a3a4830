package dev.underpass.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Stable numbers derived from text, for values AWS draws per account that underpass must keep the same from run to
 * run (zone-id shuffles, created account ids): the first eight bytes of the text's SHA-256, as a {@code long}.
 */
public final class Digests {
    private Digests() {}

    /** The first eight bytes of the SHA-256 of {@code text} (UTF-8), big-endian. */
    public static long sha256Long(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int k = 0; k < 8; k++) {
                v = (v << 8) | (d[k] & 0xff);
            }
            return v;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
