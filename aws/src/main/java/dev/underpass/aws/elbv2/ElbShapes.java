package dev.underpass.aws.elbv2;

import dev.underpass.aws.Paging;
import dev.underpass.model.AwsException;
import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import dev.underpass.model.elb.ElbError;
import dev.underpass.model.elb.ElbErrors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;

/** Validation, tags and Marker/PageSize pagination shared by the ELBv2 handlers. */
final class ElbShapes {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9-]{1,32}");

    private ElbShapes() {}

    /** One page and the marker for the next (null on the last page). */
    record Page<T>(List<T> items, String nextMarker) {}

    /** The resources named by ARN (a repeated ARN once), each found by {@code require}, in id order. */
    static <T extends Resource> List<T> byArns(List<String> arns, Function<String, T> require) {
        List<T> found = new ArrayList<>();
        for (String arn : new LinkedHashSet<>(arns)) {
            found.add(require.apply(arn));
        }
        found.sort(Comparator.comparing(Resource::id));
        return found;
    }

    /**
     * The resources among {@code mine} named by {@code names}, in id order; names that match none are refused in
     * one error that {@code notFound} makes from their list.
     */
    static <T extends Resource> List<T> byNames(List<T> mine, List<String> names, Function<T, String> name,
            Function<List<String>, AwsException> notFound) {
        List<T> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String n : new LinkedHashSet<>(names)) {
            mine.stream().filter(r -> name.apply(r).equals(n)).findFirst()
                    .ifPresentOrElse(found::add, () -> missing.add(n));
        }
        if (!missing.isEmpty()) {
            throw notFound.apply(missing);
        }
        found.sort(Comparator.comparing(Resource::id));
        return found;
    }

    /**
     * The attributes after a Modify*Attributes call, applied in request order: every key must be one
     * {@code known} accepts and a boolean one must be {@code true} or {@code false}
     * (InvalidConfigurationRequest, naming the {@code resource}, e.g. "Load balancer"); {@code check} adds the
     * family's own rules for one (key, value) given the attributes so far.
     */
    static <A> Map<String, String> modifiedAttributes(Map<String, String> current, List<A> requested,
            Function<A, String> key, Function<A, String> value, String resource, Predicate<String> known,
            Set<String> booleans, AttributeCheck check) {
        Map<String, String> attrs = new LinkedHashMap<>(current);
        for (A a : requiredList(requested, "Attributes")) {
            String k = required(key.apply(a), "Attributes.member.N.Key");
            String v = value.apply(a) == null ? "" : value.apply(a);
            if (!known.test(k)) {
                throw ElbError.INVALID_CONFIGURATION_REQUEST.format("%s attribute key '%s' is not recognized",
                        resource, k);
            }
            if (booleans.contains(k) && !v.equals("true") && !v.equals("false")) {
                throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                        "%s attribute '%s' must be 'true' or 'false', not '%s'", resource, k, v);
            }
            check.check(attrs, k, v);
            attrs.put(k, v);
        }
        return attrs;
    }

    /** A family's own rule for one attribute being set. */
    @FunctionalInterface
    interface AttributeCheck {
        void check(Map<String, String> before, String key, String value);
    }

    /** Stored attributes as the SDK shape of one family ({@code LoadBalancerAttribute}, ...). */
    static <A> List<A> sdkAttributes(Map<String, String> attributes, BiFunction<String, String, A> shape) {
        List<A> out = new ArrayList<>(attributes.size());
        attributes.forEach((k, v) -> out.add(shape.apply(k, v)));
        return out;
    }

    static String required(String value, String member) {
        if (value == null || value.isEmpty()) {
            throw ElbErrors.notNull(lowerFirst(member));
        }
        return value;
    }

    static <T> List<T> requiredList(List<T> value, String member) {
        if (value == null || value.isEmpty()) {
            throw ElbErrors.notNull(lowerFirst(member));
        }
        return value;
    }

    static void range(Integer value, String member, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw ElbErrors.validation(value, lowerFirst(member),
                    value < min ? "have value greater than or equal to " + min
                            : "have value less than or equal to " + max);
        }
    }

    static String oneOf(String value, String member, List<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            throw ElbErrors.validation(value, lowerFirst(member), "satisfy enum value set: " + allowed);
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
        var cut = Paging.cut(sorted, pageSize, marker, key, "m1:",
                m -> ElbError.VALIDATION_ERROR.format("Invalid value for marker: '%s'", m));
        return new Page<>(cut.items(), cut.next());
    }
}
