package dev.underpass.aws.elbv2;

import dev.underpass.aws.Paging;
import dev.underpass.model.AwsException;
import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import dev.underpass.model.elb.AttributeChanges;
import dev.underpass.model.elb.ElbError;
import dev.underpass.model.elb.ElbErrors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;

/** Validation, tags and Marker/PageSize pagination shared by the ELBv2 handlers. */
final class ElbShapes {
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
     * A Modify*Attributes request's attributes (one SDK shape per family) as the model's changes, in request order;
     * the model checks them (absent list or key, unknown key, value).
     */
    static <A> List<AttributeChanges.Change> changes(List<A> requested, Function<A, String> key,
            Function<A, String> value) {
        List<AttributeChanges.Change> out = new ArrayList<>();
        if (requested != null) {
            requested.forEach(a -> out.add(new AttributeChanges.Change(key.apply(a), value.apply(a))));
        }
        return out;
    }

    /**
     * The attributes an Application Load Balancer family's Modify*Attributes asks for, by key (a later duplicate
     * key wins), after checking that the list and each key are present.
     */
    static <A> Map<String, String> changeMap(List<A> requested, Function<A, String> key, Function<A, String> value) {
        Map<String, String> changes = new LinkedHashMap<>();
        for (A a : requiredList(requested, "Attributes")) {
            changes.put(required(key.apply(a), "Attributes.member.N.Key"), value.apply(a) == null ? ""
                    : value.apply(a));
        }
        return changes;
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
        ElbErrors.requireRange(value, lowerFirst(member), min, max);
    }

    static String oneOf(String value, String member, List<String> allowed) {
        return ElbErrors.requireOneOf(value, lowerFirst(member), allowed);
    }

    /** A protocol by the API's name; null stays null (a Lambda group has none). */
    static String name(dev.underpass.model.elb.Protocol protocol) {
        return protocol == null ? null : protocol.wire();
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
