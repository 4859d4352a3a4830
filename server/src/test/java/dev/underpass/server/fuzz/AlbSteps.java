package dev.underpass.server.fuzz;

import dev.underpass.server.fuzz.Fuzzer.Arg;
import dev.underpass.server.fuzz.Fuzzer.Kind;
import dev.underpass.server.fuzz.Fuzzer.Violation;
import dev.underpass.server.fuzz.Model.Pair;
import dev.underpass.server.fuzz.Model.Res;
import dev.underpass.server.fuzz.Model.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RulePriorityPair;

/**
 * The fuzzer's steps and checks for Application Load Balancers (issue 12): internal ALBs across zones with a security
 * group, HTTP target groups, HTTP listeners with fixed-response or forward default actions, and listener rules
 * (create, modify, delete, SetRulePriorities). Load balancers and target groups share {@link Fuzzer}'s types
 * ({@code LB} with {@code type=application}, {@code TG} with {@code protocol=HTTP}); so the fuzzer's own NLB steps
 * meet ALBs too, and must fail on them (a TCP listener on an ALB, an ALB as an endpoint service's load balancer).
 * A rule's model fields are its {@code listener} and {@code priority}, which DescribeRules must show exactly.
 */
final class AlbSteps {
    enum Check { LISTENERS_AND_RULES }

    private final Fuzzer f;
    private final Model model;
    private final Random rnd;

    AlbSteps(Fuzzer fuzzer) {
        this.f = fuzzer;
        this.model = fuzzer.model;
        this.rnd = fuzzer.rnd;
    }

    private ElasticLoadBalancingV2Client elb(Pair p) {
        return f.elb.get(p);
    }

    static boolean isAlb(Res lb) {
        return lb != null && "application".equals(lb.get("type"));
    }

    void step(Pair p) {
        int r = rnd.nextInt(100);
        if (rnd.nextInt(6) == 0 && !ownAlbs(p).isEmpty()) {
            // A chain on the caller's own ALB: a listener (if it has none), then a rule on one of its listeners.
            Res lb = ownAlbs(p).get(rnd.nextInt(ownAlbs(p).size()));
            List<Res> listeners = model.liveWhere(Type.LISTENER, "lb", lb.id);
            if (listeners.isEmpty()) {
                createListener(p, new Arg(lb.id, lb, Kind.OWN));
            } else {
                Res l = listeners.get(rnd.nextInt(listeners.size()));
                createRule(p, new Arg(l.id, l, Kind.OWN));
            }
            return;
        }
        if (rnd.nextBoolean()) {
            // Reach the deep states: an ALB needs two subnets, rules need a listener.
            if (model.live(Type.SUBNET, p).size() < 2) {
                f.createSubnet(p);
                return;
            }
            if (ownAlbs(p).isEmpty()) {
                r = 0;
            } else if (r >= 27 && ownAlbs(p).stream().allMatch(lb -> model.liveWhere(Type.LISTENER, "lb", lb.id)
                    .isEmpty())) {
                r = 30;
            }
        }
        if (r < 15) {
            createAlb(p);
        } else if (r < 27) {
            createHttpTargetGroup(p);
        } else if (r < 45) {
            createListener(p);
        } else if (r < 50) {
            deleteListener(p);
        } else if (r < 72) {
            createRule(p);
        } else if (r < 80) {
            modifyRule(p);
        } else if (r < 87) {
            deleteRule(p);
        } else {
            setRulePriorities(p);
        }
    }

    private void createAlb(Pair p) {
        Arg first = f.pick(Type.SUBNET, p);
        List<Arg> subnets = new ArrayList<>(List.of(first));
        List<Res> sameVpc = first.res() == null ? List.of() : model.liveWhere(Type.SUBNET, "vpc",
                first.res().get("vpc"));
        if (rnd.nextInt(6) > 0) {
            subnets.add(f.pick(Type.SUBNET, p, sameVpc.stream().filter(s -> !s.get("az").equals(first.res()
                    .get("az"))).toList()));
        }
        List<Res> groups = first.res() == null ? List.of() : model.liveWhere(Type.SG, "vpc", first.res().get("vpc"));
        Arg sg = rnd.nextInt(8) == 0 ? null : f.pick(Type.SG, p, groups);
        String name = "alb-" + rnd.nextInt(3);
        List<String> ids = subnets.stream().map(Arg::id).distinct().toList();
        var o = f.call("CreateLoadBalancer", () -> elb(p).createLoadBalancer(b -> {
            b.name(name).type("application").scheme("internal").subnets(ids);
            if (sg != null) {
                b.securityGroups(sg.id());
            }
        }).loadBalancers().get(0));
        f.note(p, "CreateLoadBalancer", "application " + name + " " + Fuzzer.ids(subnets) + " " + sg, o,
                o.ok() ? o.value().loadBalancerArn() : null);
        List<Arg> all = new ArrayList<>(subnets);
        all.add(sg);
        f.mustHaveOwned(p, "CreateLoadBalancer", o, all.toArray(new Arg[0]));
        if (!o.ok()) {
            return;
        }
        // No group given: AWS gives the ALB its VPC's default group.
        if (subnets.stream().map(s -> s.res().get("az")).distinct().count() < 2) {
            throw new Violation("CreateLoadBalancer made an ALB with " + Fuzzer.ids(subnets) + " and group " + sg);
        }
        if (!model.knows(o.value().loadBalancerArn())) { // The same name and settings answer the same ALB.
            model.add(Type.LB, o.value().loadBalancerArn(), p, false).with("name", name)
                    .with("vpc", o.value().vpcId()).with("type", "application");
        }
    }

    private void createHttpTargetGroup(Pair p) {
        Arg vpc = f.pick(Type.VPC, p);
        String name = "web-" + rnd.nextInt(3);
        boolean ip = rnd.nextBoolean();
        var o = f.call("CreateTargetGroup", () -> elb(p).createTargetGroup(b -> b.name(name).protocol("HTTP")
                .port(80).vpcId(vpc.id()).targetType(ip ? "ip" : "instance").healthCheckPath("/health"))
                .targetGroups().get(0));
        f.note(p, "CreateTargetGroup", "HTTP " + name + " " + vpc, o, o.ok() ? o.value().targetGroupArn() : null);
        f.mustHaveOwned(p, "CreateTargetGroup", o, vpc);
        if (o.ok() && !model.knows(o.value().targetGroupArn())) {
            model.add(Type.TG, o.value().targetGroupArn(), p, false).with("name", name).with("vpc", vpc.id())
                    .with("protocol", "HTTP");
        }
    }

    private List<Res> ownAlbs(Pair p) {
        return model.live(Type.LB, p).stream().filter(AlbSteps::isAlb).toList();
    }

    private Action fixedResponse() {
        return Action.builder().type("fixed-response").fixedResponseConfig(c -> c.statusCode(
                String.valueOf(List.of(200, 404, 503).get(rnd.nextInt(3)))).contentType("text/plain")).build();
    }

    /**
     * A redirect action, valid or not: the status code must be HTTP_301 or HTTP_302, the protocol (if given) HTTP,
     * HTTPS or #{protocol}, and the redirect must change something (else it loops). On an HTTP listener nothing
     * else refuses it.
     */
    private record Redirect(Action action, boolean valid) {}

    private Redirect redirect() {
        String status = List.of("HTTP_301", "HTTP_302", "HTTP_307", "").get(rnd.nextInt(4));
        String protocol = java.util.Arrays.asList(null, "HTTP", "HTTPS", "#{protocol}", "ftp").get(rnd.nextInt(5));
        String host = rnd.nextBoolean() ? "example.com" : null;
        boolean valid = (status.equals("HTTP_301") || status.equals("HTTP_302")) && !"ftp".equals(protocol)
                && (host != null || protocol != null && !protocol.equals("#{protocol}"));
        Action action = Action.builder().type("redirect").redirectConfig(c -> c.statusCode(status.isEmpty() ? null
                : status).protocol(protocol).host(host)).build();
        return new Redirect(action, valid);
    }

    private void createListener(Pair p) {
        createListener(p, f.pick(Type.LB, p, ownAlbs(p)));
    }

    private void createListener(Pair p, Arg lb) {
        Arg tg = rnd.nextBoolean() ? null : f.pick(Type.TG, p, lb.res() == null ? List.of()
                : model.liveWhere(Type.TG, "vpc", lb.res().get("vpc")));
        int port = List.of(80, 8080, 81).get(rnd.nextInt(3));
        Redirect redirect = tg == null && rnd.nextBoolean() ? redirect() : null;
        Action action = redirect != null ? redirect.action() : tg == null ? fixedResponse()
                : Action.builder().type("forward").targetGroupArn(tg.id()).build();
        var o = f.call("CreateListener", () -> elb(p).createListener(b -> b.loadBalancerArn(lb.id()).port(port)
                .protocol("HTTP").defaultActions(action)).listeners().get(0));
        f.note(p, "CreateListener", "HTTP " + lb + " " + port + " " + (redirect != null ? action.redirectConfig()
                : tg == null ? "fixed-response" : tg), o,
                o.ok() ? o.value().listenerArn() : null);
        f.mustHaveOwned(p, "CreateListener", o, lb, tg);
        if (!o.ok()) {
            return;
        }
        if (redirect != null && !redirect.valid()) {
            throw new Violation("CreateListener accepted the redirect " + action.redirectConfig());
        }
        if (!isAlb(lb.res()) || tg != null && (!"HTTP".equals(tg.res().get("protocol"))
                || !tg.res().get("vpc").equals(lb.res().get("vpc")))) {
            throw new Violation("CreateListener made an HTTP listener on " + lb.res() + " to " + tg);
        }
        if (model.knows(o.value().listenerArn())) {
            return; // The same listener again: CreateListener is idempotent.
        }
        for (Res other : model.liveWhere(Type.LISTENER, "lb", lb.id())) {
            if (other.get("port").equals(String.valueOf(port))) {
                throw new Violation("CreateListener made a second listener on port " + port + " of " + lb.res());
            }
        }
        model.add(Type.LISTENER, o.value().listenerArn(), p, false).with("lb", lb.id())
                .with("port", String.valueOf(port));
    }

    private void deleteListener(Pair p) {
        Arg listener = f.pick(Type.LISTENER, p);
        var o = f.call("DeleteListener", () -> elb(p).deleteListener(b -> b.listenerArn(listener.id())));
        f.note(p, "DeleteListener", listener.toString(), o, null);
        f.mustHaveOwned(p, "DeleteListener", o, listener);
        if (o.ok()) {
            listenerDeleted(listener.id());
        }
    }

    private void listenerDeleted(String listener) {
        model.liveWhere(Type.RULE, "listener", listener).forEach(r -> model.delete(r.id));
        model.delete(listener);
    }

    /** Called by the fuzzer's DeleteLoadBalancer: its listeners and their rules go with it. */
    void loadBalancerDeleted(String lb) {
        model.liveWhere(Type.LISTENER, "lb", lb).forEach(l -> listenerDeleted(l.id));
    }

    private RuleCondition condition() {
        return switch (rnd.nextInt(4)) {
            case 0 -> RuleCondition.builder().field("host-header").hostHeaderConfig(c -> c.values(
                    "h" + rnd.nextInt(4) + ".example")).build();
            case 1 -> RuleCondition.builder().field("http-request-method").httpRequestMethodConfig(c -> c.values(
                    rnd.nextInt(8) == 0 ? "get me" : "POST")).build();
            case 2 -> RuleCondition.builder().field("source-ip").sourceIpConfig(c -> c.values(
                    rnd.nextInt(8) == 0 ? "10.0.0.300/8" : "10.0.0.0/8")).build();
            default -> RuleCondition.builder().field("path-pattern").pathPatternConfig(c -> c.values(
                    "/p" + rnd.nextInt(4) + "/*")).build();
        };
    }

    private static boolean badCondition(RuleCondition c) {
        return c.toString().contains("get me") || c.toString().contains("10.0.0.300");
    }

    private void createRule(Pair p) {
        createRule(p, f.pick(Type.LISTENER, p));
    }

    private void createRule(Pair p, Arg listener) {
        int priority = rnd.nextInt(30) == 0 ? 0 : 1 + rnd.nextInt(12);
        RuleCondition condition = condition();
        Redirect redirect = rnd.nextInt(3) == 0 ? redirect() : null;
        Action action = redirect == null ? fixedResponse() : redirect.action();
        boolean badAction = redirect != null && !redirect.valid();
        var o = f.call("CreateRule", () -> elb(p).createRule(b -> b.listenerArn(listener.id()).priority(priority)
                .conditions(condition).actions(action)).rules().get(0));
        f.note(p, "CreateRule", listener + " " + priority + " " + condition.field() + " " + action.type()
                + (redirect == null ? "" : " " + action.redirectConfig()), o, o.ok() ? o.value().ruleArn() : null);
        f.mustHaveOwned(p, "CreateRule", o, listener);
        if (!o.ok()) {
            return;
        }
        if (listener.res().get("protocol") != null) { // NlbSteps' listeners have a protocol field, ALBs' not.
            throw new Violation("CreateRule made a rule on the NLB listener " + listener.res());
        }
        List<String> there = priorities(listener.id()).getOrDefault(priority, List.of());
        if (badAction) {
            throw new Violation("CreateRule accepted the redirect " + action.redirectConfig());
        }
        if (there.contains(o.value().ruleArn()) && priority != 0 && !badCondition(condition)) {
            // CreateRule is idempotent: the same priority, conditions and actions as an existing rule answer that
            // rule (a ModifyRule may have given it the conditions this call asks for).
            return;
        }
        if (priority == 0 || badCondition(condition) || !there.isEmpty()) {
            throw new Violation("CreateRule made a rule at priority " + priority + " of " + listener.res()
                    + " with " + condition + "; rules there: " + priorities(listener.id()));
        }
        model.add(Type.RULE, o.value().ruleArn(), p, false).with("listener", listener.id())
                .with("priority", String.valueOf(priority));
    }

    private Map<Integer, List<String>> priorities(String listener) {
        Map<Integer, List<String>> out = new HashMap<>();
        for (Res r : model.liveWhere(Type.RULE, "listener", listener)) {
            out.computeIfAbsent(Integer.parseInt(r.get("priority")), k -> new ArrayList<>()).add(r.id);
        }
        return out;
    }

    private void modifyRule(Pair p) {
        Arg rule = f.pick(Type.RULE, p);
        RuleCondition condition = condition();
        var o = f.call("ModifyRule", () -> elb(p).modifyRule(b -> b.ruleArn(rule.id()).conditions(condition)));
        f.note(p, "ModifyRule", rule + " " + condition.field(), o, null);
        f.mustHaveOwned(p, "ModifyRule", o, rule);
        if (o.ok() && badCondition(condition)) {
            throw new Violation("ModifyRule accepted " + condition);
        }
    }

    private void deleteRule(Pair p) {
        Arg rule = f.pick(Type.RULE, p);
        var o = f.call("DeleteRule", () -> elb(p).deleteRule(b -> b.ruleArn(rule.id())));
        f.note(p, "DeleteRule", rule.toString(), o, null);
        f.mustHaveOwned(p, "DeleteRule", o, rule);
        if (o.ok()) {
            model.delete(rule.id());
        }
    }

    private void setRulePriorities(Pair p) {
        Arg first = f.pick(Type.RULE, p);
        List<Res> siblings = first.res() == null ? List.of()
                : model.liveWhere(Type.RULE, "listener", first.res().get("listener"));
        List<Arg> rules = new ArrayList<>(List.of(first));
        if (rnd.nextBoolean()) {
            Arg second = f.pick(Type.RULE, p, siblings);
            if (!second.id().equals(first.id())) {
                rules.add(second);
            }
        }
        List<RulePriorityPair> pairs = new ArrayList<>();
        Map<String, Integer> wanted = new HashMap<>();
        for (Arg r : rules) {
            int priority = rules.size() == 2 && r.res() != null && rules.get(1 - rules.indexOf(r)).res() != null
                    && rnd.nextBoolean() ? Integer.parseInt(rules.get(1 - rules.indexOf(r)).res().get("priority"))
                            : 1 + rnd.nextInt(12);
            wanted.put(r.id(), priority);
            pairs.add(RulePriorityPair.builder().ruleArn(r.id()).priority(priority).build());
        }
        var o = f.call("SetRulePriorities", () -> elb(p).setRulePriorities(b -> b.rulePriorities(pairs)).rules());
        f.note(p, "SetRulePriorities", wanted.toString(), o, null);
        f.mustHaveOwned(p, "SetRulePriorities", o, rules.toArray(new Arg[0]));
        if (!o.ok()) {
            return;
        }
        boolean oneListener = rules.stream().map(r -> r.res().get("listener")).distinct().count() == 1;
        if (oneListener && wanted.values().stream().distinct().count() != wanted.size()) {
            throw new Violation("SetRulePriorities accepted " + pairs);
        }
        for (Arg r : rules) {
            r.res().with("priority", String.valueOf(wanted.get(r.id())));
        }
        for (Arg r : rules) {
            List<String> at = priorities(r.res().get("listener")).get(wanted.get(r.id()));
            if (at.size() > 1) {
                throw new Violation("SetRulePriorities put " + at + " at the same priority " + wanted.get(r.id()));
            }
        }
    }

    List<String> check(Check check, Pair p) {
        List<String> out = new ArrayList<>();
        for (Res lb : ownAlbs(p)) {
            List<Listener> listeners = f.read("DescribeListeners", () -> elb(p).describeListeners(b -> b
                    .loadBalancerArn(lb.id)).listeners());
            f.sameIds(p, "DescribeListeners of " + lb.id, listeners.stream().map(Listener::listenerArn)
                    .collect(Collectors.toSet()),
                    model.liveWhere(Type.LISTENER, "lb", lb.id).stream()
                            .map(r -> r.id).collect(Collectors.toSet()));
            for (Listener l : listeners) {
                out.add(l.toString());
                List<Rule> rules = f.read("DescribeRules", () -> elb(p).describeRules(b -> b
                        .listenerArn(l.listenerArn())).rules());
                List<Rule> created = rules.stream().filter(r -> !Boolean.TRUE.equals(r.isDefault())).toList();
                f.sameIds(p, "DescribeRules of " + l.listenerArn(), created.stream().map(Rule::ruleArn)
                        .collect(Collectors.toSet()),
                        model.liveWhere(Type.RULE, "listener", l.listenerArn())
                                .stream().map(r -> r.id).collect(Collectors.toSet()));
                if (rules.size() != created.size() + 1) {
                    throw new Violation("DescribeRules by " + p + " of " + l.listenerArn() + " has "
                            + (rules.size() - created.size()) + " default rules");
                }
                for (Rule r : created) {
                    f.field(p, "DescribeRules", model.get(r.ruleArn()), "priority", r.priority());
                }
                rules.forEach(r -> out.add(r.toString()));
            }
        }
        if (check != Check.LISTENERS_AND_RULES) {
            throw new IllegalStateException(check.toString());
        }
        return out;
    }

    /** Whether a fuzzer call that must not work on an ALB (a TCP listener, an endpoint service) named one. */
    static void mustNotBeAlb(Pair p, String action, Fuzzer.Outcome<?> o, Arg lb) {
        if (o.ok() && lb != null && lb.kind() == Kind.OWN && isAlb(lb.res())) {
            throw new Violation(action + " by " + p + " succeeded with the ALB " + lb.res());
        }
    }
}
