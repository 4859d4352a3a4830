package dev.underpass.model;

import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Resource ids as AWS writes them: a prefix, a dash and 17 lowercase hex digits ({@code vpc-0a1b2c3d4e5f67890}).
 * AWS still accepts the older 8-digit form, so the malformed check allows both.
 *
 * <p>New ids come from the {@link IdSource} of the current transaction: the store's writer binds its source with
 * {@link #using} while it applies a call, so every {@link #next} and {@link #hex} inside a rule draws from it (and is
 * deterministic when the server has a seed). Outside a transaction they draw from {@link IdSource#random()}.
 */
public final class Ids {
    private static final ThreadLocal<IdSource> CURRENT = new ThreadLocal<>();
    /** A {@link RandomGenerator} view of {@link #source()}, for code that wants one (random tokens, say). */
    private static final RandomGenerator GENERATOR = () -> source().nextLong();
    private static final Pattern HEX_TAIL = Pattern.compile("[0-9a-f]{8}|[0-9a-f]{17}");

    private Ids() {}

    /**
     * A fresh id such as {@code subnet-0f3e9c1d2b4a59687}: 17 hex digits of which the first is 0, as in every
     * long-form id AWS hands out, and 64 random bits.
     */
    public static String next(String prefix) {
        return source().next(prefix);
    }

    /** The source this thread draws from: the current transaction's, or {@link IdSource#random()} outside one. */
    public static IdSource source() {
        IdSource bound = CURRENT.get();
        return bound == null ? IdSource.random() : bound;
    }

    /**
     * A {@link RandomGenerator} that draws from {@link #source()} at each call, so a {@code static final} generator
     * in a rule class still follows the current transaction's source.
     */
    public static RandomGenerator generator() {
        return GENERATOR;
    }

    /** Runs {@code body} with {@code source} as this thread's {@link #source()}, restoring the previous one after. */
    public static <T> T using(IdSource source, Supplier<T> body) {
        IdSource previous = CURRENT.get();
        CURRENT.set(source);
        try {
            return body.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
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
    public static String require(String prefix, String id, AwsError malformed) {
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
        return source().hex(digits);
    }
}
