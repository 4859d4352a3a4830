package dev.underpass.policy;

import java.util.List;
import java.util.Objects;

/**
 * One statement of a policy.
 *
 * @param sid the {@code Sid}, or null when absent (an empty {@code Sid} stays empty)
 * @param effect Allow or Deny
 * @param principal {@code Principal}, {@code NotPrincipal} or neither
 * @param action {@code Action} or {@code NotAction}
 * @param resource {@code Resource}, {@code NotResource} or neither
 * @param conditions the {@code Condition} block flattened to operator-key pairs, all of which must hold
 */
public record Statement(String sid, Effect effect, PrincipalElement principal, ActionElement action,
        ResourceElement resource, List<Condition> conditions) {
    public Statement {
        Objects.requireNonNull(effect, "effect");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        conditions = List.copyOf(conditions);
    }

    /** Whether the action element covers {@code action} (case-insensitive). */
    public boolean coversAction(String action) {
        return switch (this.action) {
            case ActionElement.Action a -> anyAction(a.patterns(), action);
            case ActionElement.NotAction n -> !anyAction(n.patterns(), action);
        };
    }

    /** Whether the resource element covers {@code resource} (case-sensitive, policy variables resolved). */
    public boolean coversResource(String resource, RequestContext context) {
        return switch (this.resource) {
            case ResourceElement.None n -> true;
            case ResourceElement.Resource r -> anyResource(r.patterns(), resource, context);
            case ResourceElement.NotResource n -> !anyResource(n.patterns(), resource, context);
        };
    }

    /** Whether every condition holds. */
    public boolean conditionsHold(RequestContext context) {
        for (int i = 0; i < conditions.size(); i++) {
            if (!conditions.get(i).evaluate(context)) {
                return false;
            }
        }
        return true;
    }

    private static boolean anyAction(List<ActionElement.Pattern> patterns, String action) {
        for (int i = 0; i < patterns.size(); i++) {
            if (patterns.get(i).matches(action)) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyResource(List<ResourceElement.Pattern> patterns, String resource,
            RequestContext context) {
        for (int i = 0; i < patterns.size(); i++) {
            if (patterns.get(i).matches(resource, context)) {
                return true;
            }
        }
        return false;
    }
}
