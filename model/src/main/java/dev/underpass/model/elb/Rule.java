package dev.underpass.model.elb;

import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A listener rule ({@code …:listener-rule/app/<lb name>/<lb id>/<listener id>/<16 hex>}, also its id). Every
 * listener has one default rule ({@code priority} null, {@code IsDefault}); its actions are the listener's default
 * actions, kept on the {@link Listener}, so this record stores none for it. Other rules have a priority from 1 to
 * 50000, unique on the listener, conditions and one terminal action.
 */
public record Rule(
        String id,
        String ownerId,
        String region,
        ListenerArn listenerArn,
        Integer priority,
        List<RuleCondition> conditions,
        List<Action> actions,
        Instant createdAt,
        Map<String, String> tags)
        implements Resource {

    public Rule {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
        actions = actions == null ? List.of() : List.copyOf(actions);
        tags = Tags.copy(tags);
    }

    public String arn() {
        return id;
    }

    public boolean isDefault() {
        return priority == null;
    }

    @Override
    public Rule withTags(Map<String, String> tags) {
        return new Rule(id, ownerId, region, listenerArn, priority, conditions, actions, createdAt, tags);
    }

    public Rule withPriority(int newPriority) {
        return new Rule(id, ownerId, region, listenerArn, newPriority, conditions, actions, createdAt, tags);
    }

    public Rule with(List<RuleCondition> newConditions, List<Action> newActions) {
        return new Rule(id, ownerId, region, listenerArn, priority, newConditions, newActions, createdAt, tags);
    }

    @Override
    public String resourceType() {
        return "listener-rule";
    }
}
