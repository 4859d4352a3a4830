package dev.underpass.aws.ec2;

import dev.underpass.aws.Paging;
import dev.underpass.model.ErrorCode;
import java.util.List;

/**
 * EC2 pagination: without {@code MaxResults} everything comes back at once; with it, pages of that size and an
 * opaque {@code NextToken} naming where the next page starts ({@link Paging}). Handlers page through
 * {@link Describe#page}, the only caller.
 */
public final class Pages {
    private Pages() {}

    /** One page and the token for the next (null on the last page). */
    public record Page<T>(List<T> items, String nextToken) {
        /** The page's items as the response shows them. */
        public <R> List<R> map(java.util.function.Function<? super T, ? extends R> shape) {
            return items.stream().<R>map(shape).toList();
        }
    }

    static <T> Page<T> of(List<T> sorted, Integer maxResults, String nextToken, int min, int max,
            java.util.function.Function<T, String> key) {
        if (maxResults != null && (maxResults < min || maxResults > max)) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "Value ( %d ) for parameter maxResults is invalid. Parameter must be between %d and %d.",
                    maxResults, min, max);
        }
        var cut = Paging.cut(sorted, maxResults, nextToken, key, "v1:",
                token -> ErrorCode.INVALID_NEXT_TOKEN.format("The token '%s' is invalid.", token));
        return new Page<>(cut.items(), cut.next());
    }
}
