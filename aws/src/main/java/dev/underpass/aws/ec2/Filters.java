package dev.underpass.aws.ec2;

import dev.underpass.model.ErrorCode;
import dev.underpass.model.Resource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * The {@code Filter.N.Name / Filter.N.Value.M} semantics of EC2 Describe calls: filters are ANDed, the values of
 * one filter ORed, values may use {@code *} and {@code ?} wildcards, and every call accepts {@code tag:<key>},
 * {@code tag-key} and {@code tag-value}. An unknown filter name is refused with {@code InvalidParameterValue}, as
 * EC2 does.
 *
 * @param <T> the resource type filtered
 */
public final class Filters<T extends Resource> {
    private final Map<String, Function<T, Collection<String>>> fields;

    private Filters(Map<String, Function<T, Collection<String>>> fields) {
        this.fields = fields;
    }

    public static <T extends Resource> Builder<T> builder() {
        return new Builder<>();
    }

    /** Declares the filter names of one Describe call. */
    public static final class Builder<T extends Resource> {
        private final Map<String, Function<T, Collection<String>>> fields = new LinkedHashMap<>();

        /** A filter with one value per resource (null means the resource has none). */
        public Builder<T> one(String name, Function<T, ?> value) {
            fields.put(name, r -> {
                Object v = value.apply(r);
                return v == null ? List.of() : List.of(v.toString());
            });
            return this;
        }

        /** A filter with several values per resource (e.g. every CIDR of a VPC). */
        public Builder<T> many(String name, Function<T, Collection<String>> values) {
            fields.put(name, values);
            return this;
        }

        public Filters<T> build() {
            fields.put("tag-key", r -> r.tags().keySet());
            fields.put("tag-value", r -> r.tags().values());
            return new Filters<>(Map.copyOf(fields));
        }
    }

    /** Refuses filters without a name, which EC2 answers with MissingParameter. */
    public static void requireNames(List<Filter> filters) {
        for (int i = 0; filters != null && i < filters.size(); i++) {
            String name = filters.get(i).name();
            if (name == null || name.isEmpty()) {
                throw ErrorCode.MISSING_PARAMETER.format("The request must contain the parameter Filter.%d.Name",
                        i + 1);
            }
        }
    }

    /** A predicate for the request's filters; all resources match when there are none. */
    public Predicate<T> compile(List<Filter> filters) {
        if (filters == null || filters.isEmpty()) {
            return r -> true;
        }
        requireNames(filters);
        List<Predicate<T>> all = new ArrayList<>();
        for (Filter f : filters) {
            String name = f.name();
            List<Pattern> patterns = new ArrayList<>();
            List<String> exact = new ArrayList<>();
            for (String v : f.values()) {
                if (v.indexOf('*') >= 0 || v.indexOf('?') >= 0) {
                    patterns.add(wildcard(v));
                } else {
                    exact.add(v);
                }
            }
            Function<T, Collection<String>> field;
            if (name.startsWith("tag:")) {
                String key = name.substring(4);
                field = r -> {
                    String v = r.tags().get(key);
                    return v == null ? List.of() : List.of(v);
                };
            } else {
                field = fields.get(name);
                if (field == null) {
                    throw ErrorCode.INVALID_PARAMETER_VALUE.format("The filter '%s' is invalid", name);
                }
            }
            Function<T, Collection<String>> values = field;
            all.add(r -> {
                for (String actual : values.apply(r)) {
                    if (exact.contains(actual)) {
                        return true;
                    }
                    for (Pattern p : patterns) {
                        if (p.matcher(actual).matches()) {
                            return true;
                        }
                    }
                }
                return false;
            });
        }
        return r -> {
            for (Predicate<T> p : all) {
                if (!p.test(r)) {
                    return false;
                }
            }
            return true;
        };
    }

    /** {@code *} is any run, {@code ?} one character; a backslash escapes either. */
    static Pattern wildcard(String value) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                re.append(Pattern.quote(String.valueOf(value.charAt(++i))));
            } else if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
