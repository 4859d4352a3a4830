package dev.underpass.model;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Resource ids as AWS writes them: a prefix, a dash and 17 lowercase hex digits ({@code vpc-0a1b2c3d4e5f67890}).
 * AWS still accepts the older 8-digit form, so the malformed check allows both.
 */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();
    private static final Pattern HEX_TAIL = Pattern.compile("[0-9a-f]{8}|[0-9a-f]{17}");

    private Ids() {}

    /**
     * A fresh id such as {@code subnet-0f3e9c1d2b4a59687}: 17 hex digits of which the first is 0, as in every
     * long-form id AWS hands out, and 64 random bits.
     */
    public static String next(String prefix) {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return prefix + "-0" + HEX.formatHex(bytes);
    }

    /** True when {@code id} is {@code prefix-} followed by 8 or 17 lowercase hex digits. */
    public static boolean wellFormed(String prefix, String id) {
        return id != null
                && id.length() > prefix.length() + 1
                && id.startsWith(prefix)
                && id.charAt(prefix.length()) == '-'
                && HEX_TAIL.matcher(id).region(prefix.length() + 1, id.length()).matches();
    }

    /** Throws {@code code} with AWS's "Invalid id" wording unless the id is well formed. */
    public static String require(String prefix, String id, ErrorCode malformed) {
        if (!wellFormed(prefix, id)) {
            throw malformed.format("Invalid id: \"%s\"", id);
        }
        return id;
    }

    /** The prefix before the last dash-delimited hex part, e.g. {@code vpce-svc} for a service id. */
    public static String prefixOf(String id) {
        int dash = id.lastIndexOf('-');
        return dash < 0 ? "" : id.substring(0, dash);
    }

    /** A random hex string of {@code digits} digits. */
    public static String hex(int digits) {
        byte[] bytes = new byte[(digits + 1) / 2];
        RANDOM.nextBytes(bytes);
        return HEX.formatHex(bytes).substring(0, digits);
    }
}
