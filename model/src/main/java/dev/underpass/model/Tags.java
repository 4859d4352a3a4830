package dev.underpass.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Tag maps: immutable, insertion-ordered, and checked against AWS's limits. */
public final class Tags {
    /** AWS allows 50 user tags per resource. */
    public static final int MAX_TAGS = 50;

    private Tags() {}

    public static Map<String, String> copy(Map<String, String> tags) {
        if (tags == null || tags.isEmpty()) {
            return Map.of();
        }
        if (tags.size() == 1) {
            // Most tagged resources carry one tag (a Name): one small immutable entry instead of a linked hash map,
            // its table and its wrapper, about 150 bytes less per resource to keep and for collections to copy.
            Map.Entry<String, String> only = tags.entrySet().iterator().next();
            if (only.getKey() != null && only.getValue() != null) {
                return Map.of(only.getKey(), only.getValue());
            }
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    public static Map<String, String> merge(Map<String, String> base, Map<String, String> added) {
        LinkedHashMap<String, String> merged = new LinkedHashMap<>(base);
        merged.putAll(added);
        if (merged.size() > MAX_TAGS) {
            throw ErrorCode.TAG_LIMIT_EXCEEDED.with("The maximum number of tags per resource (50) has been exceeded.");
        }
        return Collections.unmodifiableMap(merged);
    }

    /** Validates one key and value the way AWS does for EC2 tags. */
    public static void check(String key, String value) {
        if (key == null || key.isEmpty()) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.with("Tag key must not be empty");
        }
        if (key.length() > 127) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "Tag key exceeds the maximum length of 127 characters: '%s'", key);
        }
        if (key.regionMatches(true, 0, "aws:", 0, 4)) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "Tag keys starting with 'aws:' are reserved for internal use: '%s'", key);
        }
        if (value != null && value.length() > 255) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "Tag value exceeds the maximum length of 255 characters for key '%s'", key);
        }
    }
}
