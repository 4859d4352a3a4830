package dev.underpass.aws.ec2;

import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Tx;
import dev.underpass.model.ec2.TagOps;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ec2.model.CreateTagsRequest;
import software.amazon.awssdk.services.ec2.model.CreateTagsResponse;
import software.amazon.awssdk.services.ec2.model.DeleteTagsRequest;
import software.amazon.awssdk.services.ec2.model.DeleteTagsResponse;
import software.amazon.awssdk.services.ec2.model.DescribeTagsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeTagsResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagDescription;

/** CreateTags, DeleteTags and DescribeTags for every resource type; the rules live in {@link TagOps}. */
record TagHandlers(Ec2Registry api) {
    void register(Ec2Registry registry) {
        registry.write("CreateTags", CreateTagsRequest::builder, this::create);
        registry.write("DeleteTags", DeleteTagsRequest::builder, this::delete);
        registry.read("DescribeTags", DescribeTagsRequest::builder, this::describe);
    }

    private CreateTagsResponse create(CreateTagsRequest req, Tx tx) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (Tag t : req.tags()) {
            if (t.key() == null) {
                throw Ec2Errors.missingParameter("Tag.N.Key");
            }
            tags.put(t.key(), t.value() == null ? "" : t.value());
        }
        TagOps.create(tx, req.resources(), tags);
        return CreateTagsResponse.builder().build();
    }

    private DeleteTagsResponse delete(DeleteTagsRequest req, Tx tx) {
        List<TagOps.Removal> removals = req.tags().stream().map(t -> new TagOps.Removal(t.key(), t.value())).toList();
        TagOps.delete(tx, req.resources(), removals);
        return DeleteTagsResponse.builder().build();
    }

    private DescribeTagsResponse describe(DescribeTagsRequest req, Ec2Api.ReadContext ctx) {
        Predicate<TagOps.Entry> match = compile(req.filters());
        var page = Describe.of(TagOps.describe(ctx.world(), ctx.caller()), (TagOps.Entry e) -> e.resourceId()
                + "\u0000" + e.key()).where(match).page(req.maxResults(), req.nextToken(), Describe.Limits.STANDARD);
        return DescribeTagsResponse.builder().tags(page.map(e -> TagDescription.builder()
                .resourceId(e.resourceId()).resourceType(e.resourceType()).key(e.key()).value(e.value()).build()))
                .nextToken(page.nextToken()).build();
    }

    /**
     * DescribeTags filters apply to tag entries rather than resources, so they are compiled here: {@code key},
     * {@code value}, {@code resource-id}, {@code resource-type}, and {@code tag:<key>} (entries of that key with one
     * of the values).
     */
    private static Predicate<TagOps.Entry> compile(List<Filter> filters) {
        List<Predicate<TagOps.Entry>> all = new ArrayList<>();
        for (Filter f : filters) {
            String name = f.name();
            if (name == null || name.isEmpty()) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.with("The filter name must not be empty");
            }
            List<Pattern> values = f.values().stream().map(FilterSpec::wildcard).toList();
            Predicate<String> any = s -> s != null && values.stream().anyMatch(p -> p.matcher(s).matches());
            if (name.startsWith("tag:")) {
                String key = name.substring(4);
                all.add(e -> e.key().equals(key) && any.test(e.value()));
                continue;
            }
            all.add(switch (name) {
                case "key" -> e -> any.test(e.key());
                case "value" -> e -> any.test(e.value());
                case "resource-id" -> e -> any.test(e.resourceId());
                case "resource-type" -> e -> any.test(e.resourceType());
                default -> throw ErrorCode.INVALID_PARAMETER_VALUE.format("The filter '%s' is invalid", name);
            });
        }
        return e -> all.stream().allMatch(p -> p.test(e));
    }
}
