package dev.underpass.aws;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * Token pagination as the EC2 {@code NextToken} and the ELBv2 {@code Marker} both work here: items are in key
 * order, and a token holds the last key returned (behind a short version tag, base64url), so a page boundary stays
 * put when items are created or deleted meanwhile. Each protocol keeps its own size limits and errors.
 */
public final class Paging {
    private Paging() {}

    /** One page and the token for the next (null on the last page). */
    public record Cut<T>(List<T> items, String next) {}

    /**
     * The items after the one {@code token} names, at most {@code size} of them (all when null).
     *
     * @param tag the version tag this protocol's tokens start with
     * @param invalid the error for a token this server did not issue
     */
    public static <T> Cut<T> cut(List<T> sorted, Integer size, String token, Function<T, String> key, String tag,
            Function<String, RuntimeException> invalid) {
        int start = 0;
        if (token != null && !token.isEmpty()) {
            String after = decode(token, tag, invalid);
            while (start < sorted.size() && key.apply(sorted.get(start)).compareTo(after) <= 0) {
                start++;
            }
        }
        int end = size == null ? sorted.size() : Math.min(sorted.size(), start + size);
        String next = end < sorted.size() ? encode(tag, key.apply(sorted.get(end - 1))) : null;
        return new Cut<>(start == 0 && end == sorted.size() ? sorted : sorted.subList(start, end), next);
    }

    private static String encode(String tag, String lastKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((tag + lastKey).getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token, String tag, Function<String, RuntimeException> invalid) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (s.startsWith(tag)) {
                return s.substring(tag.length());
            }
        } catch (IllegalArgumentException e) {
            // fall through to the error below
        }
        throw invalid.apply(token);
    }
}
