package dev.underpass.aws.ec2;

import dev.underpass.aws.QueryApi;
import dev.underpass.model.Resource;
import dev.underpass.model.World;
import dev.underpass.model.ec2.Kind;
import dev.underpass.model.ec2.Lookup;
import dev.underpass.model.ec2.Scoped;
import dev.underpass.model.ec2.Visibility;
import dev.underpass.model.Caller;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * The one way an EC2 Describe call reads the world: pick the candidates (the named ids, each of which must exist and
 * be visible to the caller, else one {@code NotFound} naming every missing id; or, with none named, every resource
 * the caller can see, in id order), apply the request's filters ({@link FilterSpec}), and cut one page
 * ({@link Pages}). Each step throws the error EC2 gives at that point, so the order of the steps is the order in
 * which EC2 reports a request's mistakes. Handlers only shape the page into the response.
 *
 * <pre>{@code
 * var page = Describe.visible(ctx, Subnet.class, Kind.SUBNET, req.subnetIds())
 *         .filter(FILTERS, req.filters())
 *         .page(req.maxResults(), req.nextToken(), Limits.STANDARD);
 * }</pre>
 *
 * @param <T> the items described
 */
public final class Describe<T> {
    /**
     * The {@code MaxResults} an operation accepts. Outside {@code min..max} it is refused with
     * {@code InvalidParameterValue}, except that an operation which {@code clampsAbove} serves a larger value as
     * {@code max} (DescribeVpcEndpoints and DescribeVpcEndpointServices do).
     */
    public record Limits(int min, int max, boolean clampsAbove) {
        /** 5 to 1000, the range of most EC2 Describe calls. */
        public static final Limits STANDARD = new Limits(5, 1000, false);

        public static Limits of(int min, int max) {
            return new Limits(min, max, false);
        }

        public static Limits clamped(int min, int max) {
            return new Limits(min, max, true);
        }

        Integer apply(Integer maxResults) {
            return clampsAbove && maxResults != null ? Integer.valueOf(Math.min(maxResults, max)) : maxResults;
        }
    }

    private final List<T> items;
    private final Function<T, String> key;

    private Describe(List<T> items, Function<T, String> key) {
        this.items = items;
        this.key = key;
    }

    /** The named resources of a kind, or every one the caller can see when none is named. */
    public static <T extends Resource> Describe<T> visible(QueryApi.ReadContext ctx, Class<T> type, Kind kind,
            List<String> ids) {
        return visible(ctx.world(), ctx.caller(), type, kind, ids, r -> true);
    }

    /**
     * As {@link #visible(QueryApi.ReadContext, Class, Kind, List)}, showing only resources still {@code listed}
     * (a terminated instance or a deleted NAT gateway drops out after a while); a named one that is no longer
     * listed is not found.
     */
    public static <T extends Resource> Describe<T> visible(QueryApi.ReadContext ctx, Class<T> type, Kind kind,
            List<String> ids, Predicate<? super T> listed) {
        return visible(ctx.world(), ctx.caller(), type, kind, ids, listed);
    }

    static <T extends Resource> Describe<T> visible(World world, Caller caller, Class<T> type, Kind kind,
            List<String> ids, Predicate<? super T> listed) {
        if (ids == null || ids.isEmpty()) {
            return of(Scoped.visible(world, caller, type).stream().filter(listed).map(r -> asSeen(caller, r))
                    .toList());
        }
        List<T> found = Lookup.requireAll(world, caller, kind, type, ids);
        List<String> gone = found.stream().filter(r -> !listed.test(r)).map(Resource::id).toList();
        if (!gone.isEmpty()) {
            throw kind.notFound(gone);
        }
        return of(found.stream().map(r -> asSeen(caller, r)).toList());
    }

    /**
     * A resource as the caller sees it: tags are not shared, so a shared VPC's subnets show a participant none of
     * their owner's tags, and a participant's interfaces show the VPC owner none of theirs.
     */
    @SuppressWarnings("unchecked")
    public static <T extends Resource> T asSeen(Caller caller, T r) {
        return Visibility.owns(caller, r) || r.tags().isEmpty() ? r : (T) r.withTags(java.util.Map.of());
    }

    /** Candidates the caller has already chosen by its own rule, paged by id. */
    public static <T extends Resource> Describe<T> of(List<T> candidates) {
        return new Describe<>(candidates, Resource::id);
    }

    /** Candidates that are not stored resources, paged by {@code key}. */
    public static <T> Describe<T> of(List<T> candidates, Function<T, String> key) {
        return new Describe<>(candidates, key);
    }

    /** Each candidate as the caller sees it (e.g. with that side's tags), before filtering. */
    public Describe<T> map(UnaryOperator<T> view) {
        return new Describe<>(items.stream().map(view).toList(), key);
    }

    /** Only the candidates an operation-specific condition keeps (one outside the Filter.N syntax). */
    public Describe<T> where(Predicate<? super T> keep) {
        return new Describe<>(items.stream().filter(keep).toList(), key);
    }

    /** Only the candidates the request's filters match; refuses unknown or nameless filters. */
    public Describe<T> filter(FilterSpec<? super T> spec, List<Filter> filters) {
        Predicate<? super T> match = spec.compile(filters);
        return new Describe<>(items.stream().filter(match).toList(), key);
    }

    /** One page of what is left; refuses a {@code MaxResults} out of range and a token this server did not issue. */
    public Pages.Page<T> page(Integer maxResults, String nextToken, Limits limits) {
        return Pages.of(items, limits.apply(maxResults), nextToken, limits.min(), limits.max(), key);
    }

    /** Everything left, for the few Describe calls that do not page. */
    public List<T> items() {
        return items;
    }
}
