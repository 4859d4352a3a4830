package dev.underpass.model.elb;

import java.util.regex.Pattern;

/**
 * Health check success codes: {@code HttpCode} for HTTP and HTTPS checks (a code, a list {@code 200,202} or a range
 * {@code 200-299}; 200-499 for Application Load Balancer target groups, 200-599 for Network Load Balancer ones) and
 * {@code GrpcCode} for gRPC target groups (0-99, default 12).
 */
public final class Matchers {
    private static final Pattern SHAPE = Pattern.compile("\\d{1,3}(-\\d{1,3})?(,\\d{1,3}(-\\d{1,3})?)*");

    private Matchers() {}

    /** Checks an HttpCode matcher whose codes must lie in [min, max]. */
    public static String httpCode(String matcher, int min, int max) {
        return codes(matcher, min, max, "HttpCode");
    }

    /** Checks a GrpcCode matcher (codes 0-99). */
    public static String grpcCode(String matcher) {
        return codes(matcher, 0, 99, "GrpcCode");
    }

    private static String codes(String matcher, int min, int max, String what) {
        if (matcher == null || !SHAPE.matcher(matcher).matches()) {
            throw ElbError.VALIDATION_ERROR.format(
                    "%s '%s' must be a code, a comma-separated list or a range such as %d-%d", what, matcher, min,
                    max);
        }
        for (String part : matcher.split(",")) {
            String[] ends = part.split("-");
            int low = Integer.parseInt(ends[0]);
            int high = ends.length > 1 ? Integer.parseInt(ends[1]) : low;
            if (low < min || high > max || low > high) {
                throw ElbError.VALIDATION_ERROR.format("%s '%s' must only use codes from %d to %d", what, matcher,
                        min, max);
            }
        }
        return matcher;
    }
}
