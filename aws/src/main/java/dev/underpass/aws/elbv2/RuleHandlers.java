package dev.underpass.aws.elbv2;

import dev.underpass.model.elb.ListenerArn;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.elb.ElbError;
import dev.underpass.model.elb.Listener;
import dev.underpass.model.elb.ListenerRules;
import dev.underpass.model.elb.LoadBalancers;
import dev.underpass.model.elb.Rule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateRuleRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateRuleResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DeleteRuleRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DeleteRuleResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeRulesRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeRulesResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ModifyRuleRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ModifyRuleResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RulePriorityPair;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.SetRulePrioritiesRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.SetRulePrioritiesResponse;

/**
 * Listener rules of Application Load Balancers: CreateRule, ModifyRule, DeleteRule, DescribeRules and
 * SetRulePriorities. The rules themselves (priorities, conditions, actions, quotas) are {@link ListenerRules}'s;
 * this class only translates the wire. DescribeRules lists a listener's rules by priority, its default rule last
 * with priority {@code default}.
 */
final class RuleHandlers {
    void register(Elbv2Registry registry) {
        registry.write("CreateRule", CreateRuleRequest::builder, this::create);
        registry.write("ModifyRule", ModifyRuleRequest::builder, this::modify);
        registry.write("DeleteRule", DeleteRuleRequest::builder, this::delete);
        registry.read("DescribeRules", DescribeRulesRequest::builder, this::describe);
        registry.write("SetRulePriorities", SetRulePrioritiesRequest::builder, this::setPriorities);
    }

    static software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule toSdk(World world, Rule r) {
        var b = software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule.builder()
                .ruleArn(r.arn())
                .isDefault(r.isDefault())
                .priority(r.isDefault() ? "default" : String.valueOf(r.priority()))
                .conditions(ElbActions.conditionsToSdk(r.conditions()));
        if (r.isDefault()) {
            world.find(Listener.class, r.listenerArn())
                    .ifPresent(l -> b.actions(ElbActions.toSdk(l.defaultActions())));
        } else {
            b.actions(ElbActions.toSdk(r.actions()));
        }
        return b.build();
    }

    private static void noTransforms(boolean hasTransforms) {
        if (hasTransforms) {
            throw ElbError.INVALID_CONFIGURATION_REQUEST.with(
                    "underpass does not model rule transforms (host header and URL rewrites)");
        }
    }

    private CreateRuleResponse create(CreateRuleRequest req, Tx tx) {
        Listener listener = LoadBalancers.requireListener(tx.world(), tx.caller(),
                ElbShapes.required(req.listenerArn(), "ListenerArn"));
        if (req.priority() == null) {
            ElbShapes.required(null, "Priority");
        }
        noTransforms(req.hasTransforms() && !req.transforms().isEmpty());
        var conditions = ElbActions.conditionsFromSdk(ElbShapes.requiredList(req.conditions(), "Conditions"));
        var actions = ElbActions.fromSdk(ElbShapes.requiredList(req.actions(), "Actions"));
        Map<String, String> tags = ElbShapes.tags(req.tags());
        Rule rule = ListenerRules.create(tx, listener, req.priority(), conditions, actions, tags);
        return CreateRuleResponse.builder().rules(toSdk(tx.world(), rule)).build();
    }

    private ModifyRuleResponse modify(ModifyRuleRequest req, Tx tx) {
        Rule rule = LoadBalancers.requireRule(tx.world(), tx.caller(),
                ElbShapes.required(req.ruleArn(), "RuleArn"));
        noTransforms(req.hasTransforms() && !req.transforms().isEmpty());
        var conditions = req.hasConditions() && !req.conditions().isEmpty()
                ? ElbActions.conditionsFromSdk(req.conditions()) : null;
        var actions = req.hasActions() && !req.actions().isEmpty() ? ElbActions.fromSdk(req.actions()) : null;
        Rule updated = ListenerRules.modify(tx, rule, conditions, actions);
        return ModifyRuleResponse.builder().rules(toSdk(tx.world(), updated)).build();
    }

    private DeleteRuleResponse delete(DeleteRuleRequest req, Tx tx) {
        Rule rule = LoadBalancers.requireRule(tx.world(), tx.caller(),
                ElbShapes.required(req.ruleArn(), "RuleArn"));
        ListenerRules.delete(tx, rule);
        return DeleteRuleResponse.builder().build();
    }

    /** Sort key for pagination: the priority zero-padded, the default rule after every priority. */
    private static String key(Rule r) {
        return r.isDefault() ? "99999|" + r.id() : String.format("%05d|%s", r.priority(), r.id());
    }

    private DescribeRulesResponse describe(DescribeRulesRequest req, Elbv2Api.ReadContext ctx) {
        World world = ctx.world();
        boolean byArn = req.hasRuleArns() && !req.ruleArns().isEmpty();
        boolean byListener = req.listenerArn() != null;
        if (byArn == byListener) {
            throw ElbError.VALIDATION_ERROR.with("You must specify either listener ARN or rule ARNs");
        }
        List<Rule> found;
        if (byArn) {
            found = ElbShapes.byArns(req.ruleArns(), arn -> LoadBalancers.requireRule(world, ctx.caller(), arn));
        } else {
            Listener l = LoadBalancers.requireListener(world, ctx.caller(), req.listenerArn());
            found = LoadBalancers.rulesOf(world, l.listenerArn());
        }
        found = new ArrayList<>(found);
        found.sort((a, b) -> key(a).compareTo(key(b)));
        ElbShapes.Page<Rule> page = ElbShapes.page(found, req.pageSize(), req.marker(), RuleHandlers::key);
        return DescribeRulesResponse.builder()
                .rules(page.items().stream().map(r -> toSdk(world, r)).toList())
                .nextMarker(page.nextMarker()).build();
    }

    private SetRulePrioritiesResponse setPriorities(SetRulePrioritiesRequest req, Tx tx) {
        Map<String, Integer> priorities = new LinkedHashMap<>();
        for (RulePriorityPair p : ElbShapes.requiredList(req.rulePriorities(), "RulePriorities")) {
            String arn = ElbShapes.required(p.ruleArn(), "RulePriorities.member.N.RuleArn");
            if (priorities.put(arn, p.priority()) != null) {
                throw ElbError.VALIDATION_ERROR.format("Rule '%s' is specified more than once", arn);
            }
        }
        List<Rule> changed = ListenerRules.setPriorities(tx, priorities);
        return SetRulePrioritiesResponse.builder()
                .rules(changed.stream().map(r -> toSdk(tx.world(), r)).toList()).build();
    }
}
