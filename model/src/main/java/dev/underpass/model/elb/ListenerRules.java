package dev.underpass.model.elb;

import dev.underpass.model.Tx;
import dev.underpass.model.net.Cidr;
import dev.underpass.model.net.Ipv6Block;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of Application Load Balancer listeners: what a listener's default actions and a rule's actions may be,
 * what a rule's conditions may be, priorities, and AWS's quotas. Pure functions over a {@link Tx}: they read the
 * world, throw the {@link ElbError} AWS answers for a client mistake, and put or remove {@link Rule} records. The
 * handlers only translate the wire to the {@link Action} and {@link RuleCondition} records and back.
 *
 * <p>Quotas follow AWS's page (Rules: 100 per ALB without the default rules, 5 condition values and 5 wildcards per
 * rule; 5 target groups per action; 100 target groups per ALB). AWS answers the condition quotas with
 * {@code ValidationError} "A rule can only have '5' condition values".
 *
 * @see <a href="https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html">Quotas for your Application Load Balancers</a>
 * @see <a href="https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html">Rule condition types</a>
 */
public final class ListenerRules {
    public static final int MAX_RULES_PER_LOAD_BALANCER = 100;
    public static final int MAX_CONDITION_VALUES = 5;
    public static final int MAX_WILDCARDS = 5;
    public static final int MAX_TARGET_GROUPS_PER_ACTION = 5;
    public static final int MAX_TARGET_GROUPS_PER_LOAD_BALANCER = 100;
    public static final int MIN_PRIORITY = 1;
    public static final int MAX_PRIORITY = 50000;
    public static final int MAX_STICKINESS_SECONDS = 604800;
    /** Content types a fixed response may declare. */
    public static final List<String> CONTENT_TYPES = List.of("text/plain", "text/css", "text/html",
            "application/javascript", "application/json");
    private static final Pattern STATUS_CODE = Pattern.compile("[245]\\d\\d");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.*?-]+");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
    private static final Pattern METHOD = Pattern.compile("[A-Z_-]+");
    /** Conditions a rule may have at most once; http-header and query-string may repeat. */
    private static final Set<String> ONCE = Set.of(RuleCondition.HOST_HEADER, RuleCondition.PATH_PATTERN,
            RuleCondition.HTTP_REQUEST_METHOD, RuleCondition.SOURCE_IP);

    private ListenerRules() {}

    // ---- actions ----

    /**
     * The default actions of an ALB listener or the actions of a rule, checked and with AWS's defaults filled in:
     * exactly one terminal action; forward to 1-5 target groups of the load balancer's VPC, with HTTP or HTTPS
     * protocol or Lambda targets, not used by another load balancer; redirect with a status code and a changed URL;
     * fixed response with a 2XX/4XX/5XX code.
     */
    public static List<Action> albActions(Tx tx, LoadBalancer lb, Protocol listenerProtocol, List<Action> actions) {
        if (actions.isEmpty()) {
            throw ElbError.VALIDATION_ERROR.with("At least one action must be specified");
        }
        if (actions.size() > 1) {
            throw ElbError.TOO_MANY_ACTIONS.format(
                    "A rule can have only one of the action types forward, redirect and fixed-response (got %d)",
                    actions.size());
        }
        Action a = actions.get(0);
        int order = a.order() == 0 ? 1 : a.order();
        if (order < 1 || order > 50000) {
            throw ElbErrors.validation(order, "actions.1.member.order", "have value between 1 and 50000");
        }
        Action out = switch (a) {
            case Action.Forward f -> forward(tx, lb, f, order);
            case Action.Redirect r -> redirect(r, order, listenerProtocol);
            case Action.FixedResponse f -> fixedResponse(f, order);
        };
        return List.of(out);
    }

    private static Action.Forward forward(Tx tx, LoadBalancer lb, Action.Forward f, int order) {
        if (f.targetGroups().isEmpty()) {
            throw ElbError.VALIDATION_ERROR.with("A target group ARN must be specified for a forward action");
        }
        if (f.targetGroups().size() > MAX_TARGET_GROUPS_PER_ACTION) {
            throw ElbError.TOO_MANY_TARGET_GROUPS.format(
                    "You cannot specify more than '%d' target groups in a forward action",
                    MAX_TARGET_GROUPS_PER_ACTION);
        }
        Set<TargetGroupArn> seen = new HashSet<>();
        for (Action.WeightedTargetGroup w : f.targetGroups()) {
            if (!seen.add(w.targetGroupArn())) {
                throw ElbError.VALIDATION_ERROR.format("Target group '%s' is specified more than once",
                        w.targetGroupArn());
            }
            if (w.weight() < 0 || w.weight() > 999) {
                throw ElbError.VALIDATION_ERROR.format("Target group weight '%d' must be between 0 and 999",
                        w.weight());
            }
            TargetGroup tg = LoadBalancers.requireTargetGroup(tx.world(), tx.caller(), w.targetGroupArn());
            if (tg.targetType() == TargetType.ALB) {
                throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                        "Target group '%s' has target type 'alb' and can only be used by a Network Load Balancer",
                        tg.arn());
            }
            if (tg.targetType() != TargetType.LAMBDA) {
                if (!TargetGroupRules.isHttp(tg.protocol())) {
                    throw ElbError.INCOMPATIBLE_PROTOCOLS.format(
                            "Target group '%s' has protocol '%s'; an Application Load Balancer forwards to HTTP or"
                                    + " HTTPS target groups",
                            tg.arn(), tg.protocol());
                }
                if (!tg.vpcId().equals(lb.vpcId())) {
                    throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                            "Target group '%s' is in VPC '%s', but the load balancer is in VPC '%s'", tg.arn(),
                            tg.vpcId(), lb.vpcId());
                }
            }
            requireNoOtherLoadBalancer(tx, lb, tg.targetGroupArn());
        }
        Integer seconds = f.stickinessSeconds();
        if (f.stickiness()) {
            if (seconds == null) {
                throw ElbError.VALIDATION_ERROR.with(
                        "A duration must be specified when target group stickiness is enabled");
            }
            if (seconds < 1 || seconds > MAX_STICKINESS_SECONDS) {
                throw ElbError.VALIDATION_ERROR.format(
                        "Target group stickiness duration '%d' must be between 1 and %d seconds", seconds,
                        MAX_STICKINESS_SECONDS);
            }
        } else {
            seconds = null;
        }
        return new Action.Forward(order, f.targetGroups(), f.stickiness(), seconds);
    }

    /** A target group serves one load balancer (AWS's TargetGroupAssociationLimit). */
    public static void requireNoOtherLoadBalancer(Tx tx, LoadBalancer lb, TargetGroupArn targetGroupArn) {
        for (LoadBalancerArn other : LoadBalancers.loadBalancersOf(tx.world(), targetGroupArn)) {
            if (!other.equals(lb.loadBalancerArn())) {
                throw ElbError.TARGET_GROUP_ASSOCIATION_LIMIT.format(
                        "The following target groups cannot be associated with more than one load balancer: '%s'",
                        targetGroupArn);
            }
        }
    }

    private static Action.Redirect redirect(Action.Redirect r, int order, Protocol listenerProtocol) {
        if (r.statusCode() == null) {
            throw ElbError.VALIDATION_ERROR.with("A status code (HTTP_301 or HTTP_302) must be specified for a"
                    + " redirect action");
        }
        Action.RedirectProtocol protocol = r.protocol() == null ? Action.RedirectProtocol.ORIGINAL : r.protocol();
        if (listenerProtocol == Protocol.HTTPS && protocol == Action.RedirectProtocol.HTTP) {
            throw ElbError.INVALID_LOAD_BALANCER_ACTION.with("You cannot redirect HTTPS to HTTP");
        }
        String port = r.port() == null ? "#{port}" : r.port();
        if (!port.equals("#{port}")) {
            int p;
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                p = -1;
            }
            if (p < 1 || p > 65535) {
                throw ElbError.VALIDATION_ERROR.format("Redirect port '%s' must be 1-65535 or #{port}", port);
            }
        }
        String host = r.host() == null ? "#{host}" : r.host();
        String path = r.path() == null ? "/#{path}" : r.path();
        String query = r.query() == null ? "#{query}" : r.query();
        if (host.isEmpty() || host.length() > 128) {
            throw ElbError.VALIDATION_ERROR.format("Redirect host '%s' must be 1-128 characters", host);
        }
        if (path.isEmpty() || path.length() > 128 || !path.startsWith("/")) {
            throw ElbError.VALIDATION_ERROR.format(
                    "Redirect path '%s' must be 1-128 characters and begin with '/'", path);
        }
        if (query.length() > 128 || query.startsWith("?")) {
            throw ElbError.VALIDATION_ERROR.format(
                    "Redirect query '%s' must be at most 128 characters, without the leading '?'", query);
        }
        if (protocol == Action.RedirectProtocol.ORIGINAL && port.equals("#{port}") && host.equals("#{host}")
                && path.equals("/#{path}") && query.equals("#{query}")) {
            // A redirect to the very URL that was asked for would loop; AWS refuses it.
            throw ElbError.INVALID_LOAD_BALANCER_ACTION.with(
                    "The redirect configuration is not valid: it must change the protocol, port, host, path or"
                            + " query");
        }
        return new Action.Redirect(order, protocol, port, host, path, query, r.statusCode());
    }

    private static Action.FixedResponse fixedResponse(Action.FixedResponse f, int order) {
        if (f.statusCode() == null) {
            throw ElbError.VALIDATION_ERROR.with("A status code must be specified for a fixed-response action");
        }
        if (!STATUS_CODE.matcher(f.statusCode()).matches()) {
            throw ElbErrors.validation(f.statusCode(), "fixedResponseConfig.statusCode",
                    "satisfy regular expression pattern: ^(2|4|5)\\d\\d$");
        }
        if (f.contentType() != null && !CONTENT_TYPES.contains(f.contentType())) {
            throw ElbError.INVALID_LOAD_BALANCER_ACTION.format(
                    "Content type '%s' is not valid; use one of %s", f.contentType(), CONTENT_TYPES);
        }
        if (f.messageBody() != null && f.messageBody().length() > 1024) {
            throw ElbError.VALIDATION_ERROR.with("A fixed-response message body can be at most 1024 characters");
        }
        return new Action.FixedResponse(order, f.statusCode(), f.contentType(), f.messageBody());
    }

    /** The distinct target groups the load balancer's listeners and rules use; at most 100 on an ALB. */
    public static void requireTargetGroupQuota(Tx tx, LoadBalancer lb) {
        Set<TargetGroupArn> groups = new LinkedHashSet<>();
        for (Listener l : LoadBalancers.listenersOf(tx.world(), lb.loadBalancerArn())) {
            groups.addAll(l.targetGroupArns());
            for (Rule r : LoadBalancers.rulesOf(tx.world(), l.listenerArn())) {
                groups.addAll(Action.targetGroupArns(r.actions()));
            }
        }
        if (groups.size() > MAX_TARGET_GROUPS_PER_LOAD_BALANCER) {
            throw ElbError.TOO_MANY_UNIQUE_TARGET_GROUPS_PER_LOAD_BALANCER.format(
                    "You have reached the limit of '%d' unique target groups per load balancer",
                    MAX_TARGET_GROUPS_PER_LOAD_BALANCER);
        }
    }

    // ---- conditions ----

    /** A rule's conditions, checked against AWS's per-field rules and the per-rule quotas. */
    public static List<RuleCondition> conditions(List<RuleCondition> conditions) {
        if (conditions.isEmpty()) {
            throw ElbError.VALIDATION_ERROR.with("A rule must have at least one condition");
        }
        Set<String> once = new HashSet<>();
        int values = 0;
        int wildcards = 0;
        for (RuleCondition c : conditions) {
            if (c.field() == null) {
                throw ElbError.VALIDATION_ERROR.with("A condition field must be specified");
            }
            if (!RuleCondition.FIELDS.contains(c.field())) {
                throw ElbError.VALIDATION_ERROR.format(
                        "Condition field '%s' must be one of %s", c.field(), RuleCondition.FIELDS);
            }
            if (ONCE.contains(c.field()) && !once.add(c.field())) {
                throw ElbError.VALIDATION_ERROR.format("A rule can only have one '%s' condition", c.field());
            }
            if (c.valueCount() == 0) {
                throw ElbError.VALIDATION_ERROR.format("A '%s' condition must have at least one value", c.field());
            }
            check(c);
            values += c.valueCount();
            wildcards += c.wildcardCount();
        }
        if (values > MAX_CONDITION_VALUES) {
            throw ElbError.VALIDATION_ERROR.format("A rule can only have '%d' condition values",
                    MAX_CONDITION_VALUES);
        }
        if (wildcards > MAX_WILDCARDS) {
            throw ElbError.VALIDATION_ERROR.format("A rule can only have '%d' wildcards", MAX_WILDCARDS);
        }
        return List.copyOf(conditions);
    }

    private static void check(RuleCondition c) {
        switch (c.field()) {
            case RuleCondition.HOST_HEADER -> c.values().forEach(v -> {
                if (v.length() > 128 || !HOST.matcher(v).matches()) {
                    throw ElbError.VALIDATION_ERROR.format(
                            "Host header value '%s' must be at most 128 characters of A-Z, a-z, 0-9, '-', '.', '*'"
                                    + " and '?'",
                            v);
                }
            });
            case RuleCondition.PATH_PATTERN -> c.values().forEach(v -> {
                if (v.isEmpty() || v.length() > 128 || v.chars().anyMatch(Character::isWhitespace)) {
                    throw ElbError.VALIDATION_ERROR.format(
                            "Path pattern '%s' must be 1-128 characters without spaces", v);
                }
            });
            case RuleCondition.HTTP_HEADER -> {
                String name = c.httpHeaderName();
                if (name == null || name.isEmpty()) {
                    throw ElbError.VALIDATION_ERROR.with("An HTTP header name must be specified for an http-header"
                            + " condition");
                }
                if (name.length() > 40 || !HEADER_NAME.matcher(name).matches() || name.contains("*")) {
                    throw ElbError.VALIDATION_ERROR.format(
                            "HTTP header name '%s' must be at most 40 characters of an RFC 7230 token, without"
                                    + " wildcards",
                            name);
                }
                if (name.equalsIgnoreCase("host")) {
                    throw ElbError.VALIDATION_ERROR.with(
                            "Use a host-header condition, not an http-header condition, to match the Host header");
                }
                c.values().forEach(v -> requireLength(v, "HTTP header value"));
            }
            case RuleCondition.HTTP_REQUEST_METHOD -> c.values().forEach(v -> {
                if (v.length() > 40 || !METHOD.matcher(v).matches()) {
                    throw ElbError.VALIDATION_ERROR.format(
                            "HTTP request method '%s' must be at most 40 characters of A-Z, '-' and '_'", v);
                }
            });
            case RuleCondition.QUERY_STRING -> c.queryPairs().forEach(p -> {
                if (p.value() == null || p.value().isEmpty()) {
                    throw ElbError.VALIDATION_ERROR.with("A query-string condition value must be specified");
                }
                requireLength(p.value(), "Query string value");
                if (p.key() != null) {
                    requireLength(p.key(), "Query string key");
                }
            });
            case RuleCondition.SOURCE_IP -> c.values().forEach(v -> {
                boolean ok = v.contains(":") ? v.contains("/") && Ipv6Block.parseOrNull(v) != null
                        : Cidr.isValid(v);
                if (!ok) {
                    throw ElbError.VALIDATION_ERROR.format("Source IP '%s' is not a valid CIDR block", v);
                }
            });
            default -> throw new IllegalStateException(c.field());
        }
    }

    private static void requireLength(String v, String what) {
        if (v.isEmpty() || v.length() > 128) {
            throw ElbError.VALIDATION_ERROR.format("%s '%s' must be 1-128 characters", what, v);
        }
    }

    // ---- rules ----

    /** The default rule every listener has; created with the listener. */
    public static Rule createDefault(Tx tx, Listener listener) {
        return tx.put(new Rule(listener.defaultRuleArn(), listener.ownerId(), listener.region(), listener.listenerArn(),
                null, List.of(), List.of(), tx.now(), Map.of()));
    }

    /** The listener's rules, the default rule last, as DescribeRules lists them (by priority). */
    public static List<Rule> ordered(List<Rule> rules) {
        List<Rule> out = new ArrayList<>(rules);
        out.sort((a, b) -> Integer.compare(a.isDefault() ? Integer.MAX_VALUE : a.priority(),
                b.isDefault() ? Integer.MAX_VALUE : b.priority()));
        return out;
    }

    private static void requirePriority(int priority) {
        if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
            throw ElbErrors.validation(priority, "priority", priority < MIN_PRIORITY
                    ? "have value greater than or equal to 1" : "have value less than or equal to 50000");
        }
    }

    /** CreateRule: an ALB listener, a free priority, room under the quota, valid conditions and actions. */
    public static Rule create(Tx tx, Listener listener, int priority, List<RuleCondition> conditions,
            List<Action> actions, Map<String, String> tags) {
        LoadBalancer lb = LoadBalancers.requireLoadBalancer(tx.world(), tx.caller(), listener.loadBalancerArn());
        if (!lb.isApplication()) {
            throw ElbError.UNSUPPORTED_PROTOCOL.format(
                    "Listener rules are only supported on Application Load Balancer listeners, not %s listeners",
                    listener.protocol());
        }
        requirePriority(priority);
        List<RuleCondition> checkedConditions = conditions(conditions);
        List<Action> checkedActions = albActions(tx, lb, listener.protocol(), actions);
        List<Rule> existing = LoadBalancers.rulesOf(tx.world(), listener.listenerArn());
        for (Rule r : existing) {
            if (!r.isDefault() && r.priority() == priority) {
                if (r.conditions().equals(checkedConditions) && r.actions().equals(checkedActions)) {
                    return r; // CreateRule is idempotent for the same rule
                }
                throw ElbError.PRIORITY_IN_USE.format("Priority '%d' is currently in use", priority);
            }
        }
        int count = 0;
        for (Listener l : LoadBalancers.listenersOf(tx.world(), lb.loadBalancerArn())) {
            count += (int) LoadBalancers.rulesOf(tx.world(), l.listenerArn()).stream().filter(r -> !r.isDefault())
                    .count();
        }
        if (count >= MAX_RULES_PER_LOAD_BALANCER) {
            throw ElbError.TOO_MANY_RULES.format(
                    "The quota for the number of rules per load balancer has been reached (%d)",
                    MAX_RULES_PER_LOAD_BALANCER);
        }
        Rule rule = tx.put(new Rule(LoadBalancers.ruleArn(listener), listener.ownerId(), listener.region(),
                listener.listenerArn(), priority, checkedConditions, checkedActions, tx.now(), tags));
        requireTargetGroupQuota(tx, lb);
        return rule;
    }

    /** ModifyRule: replaces the conditions and/or the actions (null leaves them); never the default rule. */
    public static Rule modify(Tx tx, Rule rule, List<RuleCondition> conditions, List<Action> actions) {
        if (rule.isDefault()) {
            throw ElbError.OPERATION_NOT_PERMITTED.with(
                    "The default rule cannot be modified; use ModifyListener to change the default actions");
        }
        Listener listener = LoadBalancers.requireListener(tx.world(), tx.caller(), rule.listenerArn());
        LoadBalancer lb = LoadBalancers.requireLoadBalancer(tx.world(), tx.caller(), listener.loadBalancerArn());
        List<RuleCondition> c = conditions == null ? rule.conditions() : conditions(conditions);
        List<Action> a = actions == null ? rule.actions() : albActions(tx, lb, listener.protocol(), actions);
        Rule updated = tx.put(rule.with(c, a));
        requireTargetGroupQuota(tx, lb);
        return updated;
    }

    /** DeleteRule: any rule but the default one. */
    public static void delete(Tx tx, Rule rule) {
        if (rule.isDefault()) {
            throw ElbError.OPERATION_NOT_PERMITTED.with("The default rule cannot be deleted");
        }
        tx.remove(rule);
    }

    /**
     * SetRulePriorities: every rule named must exist and not be a default rule; afterwards the priorities on each
     * listener are unique. Returns the rules changed, in the order given.
     */
    public static List<Rule> setPriorities(Tx tx, Map<String, Integer> priorities) {
        if (priorities.isEmpty()) {
            throw ElbError.VALIDATION_ERROR.with("At least one rule priority must be specified");
        }
        Map<String, Rule> changed = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : priorities.entrySet()) {
            Rule rule = LoadBalancers.requireRule(tx.world(), tx.caller(), e.getKey());
            if (rule.isDefault()) {
                throw ElbError.OPERATION_NOT_PERMITTED.format("The priority of the default rule '%s' cannot be"
                        + " changed", rule.arn());
            }
            if (e.getValue() == null) {
                throw ElbError.VALIDATION_ERROR.format("A priority must be specified for rule '%s'", rule.arn());
            }
            requirePriority(e.getValue());
            changed.put(rule.id(), rule.withPriority(e.getValue()));
        }
        Set<ListenerArn> listeners = new HashSet<>();
        changed.values().forEach(r -> listeners.add(r.listenerArn()));
        for (ListenerArn listenerArn : listeners) {
            Map<Integer, String> byPriority = new HashMap<>();
            for (Rule r : LoadBalancers.rulesOf(tx.world(), listenerArn)) {
                Rule now = changed.getOrDefault(r.id(), r);
                if (now.isDefault()) {
                    continue;
                }
                String previous = byPriority.put(now.priority(), now.id());
                if (previous != null) {
                    throw ElbError.PRIORITY_IN_USE.format("Priority '%d' is currently in use", now.priority());
                }
            }
        }
        changed.values().forEach(tx::put);
        return List.copyOf(changed.values());
    }
}
