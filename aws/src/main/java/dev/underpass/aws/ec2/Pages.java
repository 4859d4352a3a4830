package dev.underpass.aws.ec2;

import dev.underpass.model.ErrorCode;
import dev.underpass.model.Resource;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * EC2 pagination: without {@code MaxResults} everything comes back at once; with it, pages of that size and an
 * opaque {@code NextToken} naming where the next page starts. Items are in id order, and the token holds the last
 * id returned, so a page boundary stays put when other items are created or deleted meanwhile.
 */
public final class Pages {
    private Pages() {}

    /** One page and the token for the next (null on the last page). */
    public record Page<T>(List<T> items, String nextToken) {}

    public static <T extends Resource> Page<T> of(List<T> sorted, Integer maxResults, String nextToken, int min,
            int max) {
        return of(sorted, maxResults, nextToken, min, max, Resource::id);
    }

    public static <T> Page<T> of(List<T> sorted, Integer maxResults, String nextToken, int min, int max,
            java.util.function.Function<T, String> key) {
        if (maxResults != null && (maxResults < min || maxResults > max)) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "Value ( %d ) for parameter maxResults is invalid. Parameter must be between %d and %d.",
                    maxResults, min, max);
        }
        int start = 0;
        if (nextToken != null && !nextToken.isEmpty()) {
            String after = decode(nextToken);
            while (start < sorted.size() && key.apply(sorted.get(start)).compareTo(after) <= 0) {
                start++;
            }
        }
        if (maxResults == null) {
            return new Page<>(start == 0 ? sorted : sorted.subList(start, sorted.size()), null);
        }
        int end = Math.min(sorted.size(), start + maxResults);
        List<T> items = sorted.subList(start, end);
        String token = end < sorted.size() ? encode(key.apply(sorted.get(end - 1))) : null;
        return new Page<>(items, token);
    }

    private static String encode(String lastId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("v1:" + lastId).getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (s.startsWith("v1:")) {
                return s.substring(3);
            }
        } catch (IllegalArgumentException e) {
            // fall through to the error below
        }
        throw ErrorCode.INVALID_NEXT_TOKEN.format("The token '%s' is invalid.", token);
    }
}
