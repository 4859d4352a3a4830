package dev.underpass.aws.elbv2;

import dev.underpass.model.Caller;
import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.elb.ElbError;
import dev.underpass.model.elb.LoadBalancers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.AddTagsRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.AddTagsResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeTagsRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeTagsResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RemoveTagsRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RemoveTagsResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TagDescription;

/** AddTags, RemoveTags and DescribeTags over load balancers, target groups, listeners and rules, named by ARN. */
final class TagHandlers {
    /** ARNs per tagging request. */
    private static final int MAX_ARNS = 20;

    void register(Elbv2Registry registry) {
        registry.write("AddTags", AddTagsRequest::builder, this::add);
        registry.write("RemoveTags", RemoveTagsRequest::builder, this::remove);
        registry.read("DescribeTags", DescribeTagsRequest::builder, this::describe);
    }

    /** The resource an ARN names, with the NotFound error of its kind, or ValidationError for any other ARN. */
    static Resource resolve(World world, Caller caller, String arn) {
        if (LoadBalancers.isLoadBalancerArn(arn)) {
            return LoadBalancers.requireLoadBalancer(world, caller, arn);
        }
        if (LoadBalancers.isTargetGroupArn(arn)) {
            return LoadBalancers.requireTargetGroup(world, caller, arn);
        }
        if (LoadBalancers.isListenerArn(arn)) {
            return LoadBalancers.requireListener(world, caller, arn);
        }
        if (LoadBalancers.isRuleArn(arn)) {
            return LoadBalancers.requireRule(world, caller, arn);
        }
        throw ElbError.VALIDATION_ERROR.format(
                "'%s' is not a valid load balancer, target group, listener or rule ARN", arn);
    }

    private static List<String> arns(List<String> arns) {
        List<String> out = new ArrayList<>(new LinkedHashSet<>(ElbShapes.requiredList(arns, "ResourceArns")));
        if (out.size() > MAX_ARNS) {
            throw ElbError.VALIDATION_ERROR.format(
                    "1 validation error detected: Value at 'resourceArns' failed to satisfy constraint: Member must"
                            + " have length less than or equal to %d",
                    MAX_ARNS);
        }
        return out;
    }

    private AddTagsResponse add(AddTagsRequest req, Tx tx) {
        Map<String, String> tags = ElbShapes.tags(ElbShapes.requiredList(req.tags(), "Tags"));
        for (String arn : arns(req.resourceArns())) {
            Resource r = resolve(tx.world(), tx.caller(), arn);
            Map<String, String> merged = new LinkedHashMap<>(r.tags());
            merged.putAll(tags);
            if (merged.size() > Tags.MAX_TAGS) {
                throw ElbError.TOO_MANY_TAGS.format(
                        "The quota for the number of tags that can be assigned to '%s' has been reached (50)", arn);
            }
            tx.put(r.withTags(merged));
        }
        return AddTagsResponse.builder().build();
    }

    private RemoveTagsResponse remove(RemoveTagsRequest req, Tx tx) {
        List<String> keys = ElbShapes.requiredList(req.tagKeys(), "TagKeys");
        for (String arn : arns(req.resourceArns())) {
            Resource r = resolve(tx.world(), tx.caller(), arn);
            Map<String, String> left = new LinkedHashMap<>(r.tags());
            keys.forEach(left::remove);
            tx.put(r.withTags(left));
        }
        return RemoveTagsResponse.builder().build();
    }

    private DescribeTagsResponse describe(DescribeTagsRequest req, Elbv2Api.ReadContext ctx) {
        List<TagDescription> out = new ArrayList<>();
        for (String arn : arns(req.resourceArns())) {
            Resource r = resolve(ctx.world(), ctx.caller(), arn);
            out.add(TagDescription.builder().resourceArn(arn).tags(ElbShapes.sdkTags(r.tags())).build());
        }
        return DescribeTagsResponse.builder().tagDescriptions(out).build();
    }
}
