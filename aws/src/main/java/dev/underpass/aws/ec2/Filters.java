package dev.underpass.aws.ec2;

import dev.underpass.model.Resource;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * The former filter API, kept so that handlers not yet moved to {@link Describe} still build; it delegates to
 * {@link FilterSpec}, which has the same semantics and also serves items that are not stored resources.
 *
 * @param <T> the resource type filtered
 * @deprecated declare a {@link FilterSpec} and read through {@link Describe}.
 */
@Deprecated
public final class Filters<T extends Resource> {
    private final FilterSpec<T> spec;

    private Filters(FilterSpec<T> spec) {
        this.spec = spec;
    }

    public static <T extends Resource> Builder<T> builder() {
        return new Builder<>();
    }

    /** Declares the filter names of one Describe call. */
    public static final class Builder<T extends Resource> {
        private final FilterSpec.Builder<T> spec = FilterSpec.resources();

        /** A filter with one value per resource (null means the resource has none). */
        public Builder<T> one(String name, Function<T, ?> value) {
            spec.one(name, value);
            return this;
        }

        /** A filter with several values per resource (e.g. every CIDR of a VPC). */
        public Builder<T> many(String name, Function<T, Collection<String>> values) {
            spec.many(name, values);
            return this;
        }

        public Filters<T> build() {
            return new Filters<>(spec.build());
        }
    }

    /** The same filters as a {@link FilterSpec}, for {@link Describe#filter}. */
    public FilterSpec<T> spec() {
        return spec;
    }

    /** Refuses filters without a name, which EC2 answers with MissingParameter. */
    public static void requireNames(List<Filter> filters) {
        FilterSpec.requireNames(filters);
    }

    /** A predicate for the request's filters; all resources match when there are none. */
    public Predicate<T> compile(List<Filter> filters) {
        return spec.compile(filters);
    }

    static Pattern wildcard(String value) {
        return FilterSpec.wildcard(value);
    }
}
