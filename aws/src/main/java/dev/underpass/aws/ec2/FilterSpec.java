package dev.underpass.aws.ec2;

import dev.underpass.model.Ec2Errors;
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
 * The filter names one EC2 Describe call accepts and how each reads an item, with the
 * {@code Filter.N.Name / Filter.N.Value.M} semantics: filters are ANDed, the values of one filter ORed, values may
 * use {@code *} and {@code ?} wildcards (a backslash escapes either), and every call accepts {@code tag:<key>},
 * {@code tag-key} and {@code tag-value}. An unknown filter name is refused with {@code InvalidParameterValue} and a
 * filter without a name with {@code MissingParameter}, as EC2 does.
 *
 * <p>Items need not be stored resources (a security-group rule, an allowed principal): the spec is told how to read
 * an item's tags.
 *
 * @param <T> the items filtered
 */
public final class FilterSpec<T> {
    private final Map<String, Function<T, Collection<String>>> fields;
    private final Function<T, Map<String, String>> tags;

    private FilterSpec(Map<String, Function<T, Collection<String>>> fields, Function<T, Map<String, String>> tags) {
        this.fields = fields;
        this.tags = tags;
    }

    /** A spec over stored resources, whose tags are their own. */
    public static <T extends Resource> Builder<T> resources() {
        return new Builder<>(Resource::tags);
    }

    /** A spec over items whose tags {@code tags} reads. */
    public static <T> Builder<T> of(Function<T, Map<String, String>> tags) {
        return new Builder<>(tags);
    }

    /** Declares the filter names of one Describe call. */
    public static final class Builder<T> {
        private final Map<String, Function<T, Collection<String>>> fields = new LinkedHashMap<>();
        private final Function<T, Map<String, String>> tags;

        private Builder(Function<T, Map<String, String>> tags) {
            this.tags = tags;
        }

        /** A filter with one value per item (null means the item has none). */
        public Builder<T> one(String name, Function<T, ?> value) {
            fields.put(name, r -> {
                Object v = value.apply(r);
                return v == null ? List.of() : List.of(v.toString());
            });
            return this;
        }

        /** The same single-valued filter under each of several names (EC2 keeps old camelCase aliases). */
        public Builder<T> one(List<String> names, Function<T, ?> value) {
            names.forEach(n -> one(n, value));
            return this;
        }

        /** A filter with several values per item (e.g. every CIDR of a VPC), each matched as its text. */
        public Builder<T> many(String name, Function<T, ? extends Collection<?>> values) {
            fields.put(name, r -> values.apply(r).stream().map(v -> v == null ? null : v.toString()).toList());
            return this;
        }

        /**
         * A filter with one value per element of a list the item holds (e.g. the state of each CIDR association),
         * which EC2 names {@code <list>.<field>}.
         */
        public <E> Builder<T> each(String name, Function<T, ? extends Collection<E>> elements,
                Function<? super E, ?> value) {
            fields.put(name, r -> elements.apply(r).stream().map(value).map(v -> v == null ? null : v.toString())
                    .toList());
            return this;
        }

        public FilterSpec<T> build() {
            Map<String, Function<T, Collection<String>>> all = new LinkedHashMap<>(fields);
            all.put("tag-key", r -> tags.apply(r).keySet());
            all.put("tag-value", r -> tags.apply(r).values());
            return new FilterSpec<>(Map.copyOf(all), tags);
        }
    }

    /** Refuses filters without a name, which EC2 answers with MissingParameter. */
    public static void requireNames(List<Filter> filters) {
        for (int i = 0; filters != null && i < filters.size(); i++) {
            String name = filters.get(i).name();
            if (name == null || name.isEmpty()) {
                throw Ec2Errors.missingParameter("Filter." + (i + 1) + ".Name");
            }
        }
    }

    /** A predicate for the request's filters; every item matches when there are none. */
    public Predicate<T> compile(List<Filter> filters) {
        if (filters == null || filters.isEmpty()) {
            return r -> true;
        }
        requireNames(filters);
        List<Predicate<T>> all = new ArrayList<>();
        for (Filter f : filters) {
            all.add(matcher(field(f.name()), f.values()));
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

    private Function<T, Collection<String>> field(String name) {
        if (name.startsWith("tag:")) {
            String key = name.substring(4);
            return r -> {
                String v = tags.apply(r).get(key);
                return v == null ? List.of() : List.of(v);
            };
        }
        Function<T, Collection<String>> field = fields.get(name);
        if (field == null) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format("The filter '%s' is invalid", name);
        }
        return field;
    }

    /** True when any value the item has equals one of {@code wanted} or matches it as a wildcard. */
    private static <T> Predicate<T> matcher(Function<T, Collection<String>> values, List<String> wanted) {
        List<Pattern> patterns = new ArrayList<>();
        List<String> exact = new ArrayList<>();
        for (String v : wanted) {
            if (v.indexOf('*') >= 0 || v.indexOf('?') >= 0) {
                patterns.add(wildcard(v));
            } else {
                exact.add(v);
            }
        }
        return r -> {
            for (String actual : values.apply(r)) {
                if (exact.contains(actual) || patterns.stream().anyMatch(p -> p.matcher(actual).matches())) {
                    return true;
                }
            }
            return false;
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
