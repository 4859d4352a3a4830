package dev.underpass.aws.elbv2;

import dev.underpass.model.Tags;
import dev.underpass.model.elb.ElbError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;

/** Validation, tags and Marker/PageSize pagination shared by the ELBv2 handlers. */
final class ElbShapes {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9-]{1,32}");

    private ElbShapes() {}

    /** One page and the marker for the next (null on the last page). */
    record Page<T>(List<T> items, String nextMarker) {}

    static String required(String value, String member) {
        if (value == null || value.isEmpty()) {
            throw ElbError.VALIDATION_ERROR.format(
                    "1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be"
                            + " null", lowerFirst(member));
        }
        return value;
    }

    static <T> List<T> requiredList(List<T> value, String member) {
        if (value == null || value.isEmpty()) {
            throw ElbError.VALIDATION_ERROR.format(
                    "1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be"
                            + " null", lowerFirst(member));
        }
        return value;
    }

    static void range(Integer value, String member, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw ElbError.VALIDATION_ERROR.format(
                    "1 validation error detected: Value '%d' at '%s' failed to satisfy constraint: Member must have"
                            + " value %s", value, lowerFirst(member),
                    value < min ? "greater than or equal to " + min : "less than or equal to " + max);
        }
    }

    static String oneOf(String value, String member, List<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            throw ElbError.VALIDATION_ERROR.format(
                    "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must"
                            + " satisfy enum value set: %s", value, lowerFirst(member), allowed);
        }
        return value;
    }

    /** Load balancer and target group names: 1-32 alphanumerics or hyphens, no hyphen at either end. */
    static void name(String name, String what) {
        if (name.length() > 32) {
            throw ElbError.VALIDATION_ERROR.format("%s name '%s' cannot be longer than '32' characters", what,
                    name);
        }
        if (!NAME.matcher(name).matches()) {
            throw ElbError.VALIDATION_ERROR.format(
                    "%s name '%s' can only contain characters that are alphanumeric characters or hyphens(-)", what,
                    name);
        }
        if (name.startsWith("-") || name.endsWith("-")) {
            throw ElbError.VALIDATION_ERROR.format("%s name '%s' cannot begin or end with a hyphen", what, name);
        }
    }

    static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    /** Tags of a request, checked: DuplicateTagKeys, TooManyTags, AWS's key and value limits. */
    static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        if (tags == null) {
            return out;
        }
        for (Tag t : tags) {
            String key = required(t.key(), "Tags.member.N.Key");
            if (key.length() > 128) {
                throw ElbError.VALIDATION_ERROR.format("Tag key '%s' is longer than 128 characters", key);
            }
            if (key.regionMatches(true, 0, "aws:", 0, 4)) {
                throw ElbError.VALIDATION_ERROR.format("Tag key '%s' starts with the reserved prefix 'aws:'", key);
            }
            if (t.value() != null && t.value().length() > 256) {
                throw ElbError.VALIDATION_ERROR.format("The value of tag '%s' is longer than 256 characters", key);
            }
            if (out.put(key, t.value() == null ? "" : t.value()) != null) {
                throw ElbError.DUPLICATE_TAG_KEYS.format("Tag key '%s' is specified more than once", key);
            }
        }
        if (out.size() > Tags.MAX_TAGS) {
            throw ElbError.TOO_MANY_TAGS.with("The quota for the number of tags that can be assigned to a resource"
                    + " has been reached (50)");
        }
        return out;
    }

    static List<Tag> sdkTags(Map<String, String> tags) {
        List<Tag> out = new ArrayList<>(tags.size());
        tags.forEach((k, v) -> out.add(Tag.builder().key(k).value(v).build()));
        return out;
    }

    /** ELBv2 pagination: everything without PageSize, else pages of 1-400 and an opaque Marker (the last key). */
    static <T> Page<T> page(List<T> sorted, Integer pageSize, String marker, Function<T, String> key) {
        range(pageSize, "PageSize", 1, 400);
        int start = 0;
        if (marker != null && !marker.isEmpty()) {
            String after = decode(marker);
            while (start < sorted.size() && key.apply(sorted.get(start)).compareTo(after) <= 0) {
                start++;
            }
        }
        int end = pageSize == null ? sorted.size() : Math.min(sorted.size(), start + pageSize);
        List<T> items = sorted.subList(start, end);
        String next = end < sorted.size() ? encode(key.apply(sorted.get(end - 1))) : null;
        return new Page<>(items, next);
    }

    private static String encode(String lastKey) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("m1:" + lastKey).getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String marker) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
            if (s.startsWith("m1:")) {
                return s.substring(3);
            }
        } catch (IllegalArgumentException e) {
            // fall through to the error below
        }
        throw ElbError.VALIDATION_ERROR.format("Invalid value for marker: '%s'", marker);
    }
}
