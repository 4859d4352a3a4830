package dev.underpass.model.elb;

import dev.underpass.model.Caller;
import dev.underpass.model.Ids;
import dev.underpass.model.Index;
import dev.underpass.model.World;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finding ELBv2 resources by ARN on a caller's behalf, and the relations between them. A malformed ARN is a
 * {@code ValidationError}; an ARN of another account or region, or of nothing, is the kind's NotFound error, so one
 * account never learns of another's load balancers. Also the entry point for the endpoint-service work, which needs
 * a load balancer by ARN and its Availability Zones.
 */
public final class LoadBalancers {
    private static final Pattern LB_ARN = Pattern.compile(
            "arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\\d{12}:loadbalancer/(net|app|gwy)/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}");
    private static final Pattern TG_ARN = Pattern.compile(
            "arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\\d{12}:targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}");
    private static final Pattern LISTENER_ARN = Pattern.compile(
            "arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\\d{12}:listener/(net|app|gwy)/[A-Za-z0-9-]{1,32}/"
                    + "[0-9a-f]{16}/[0-9a-f]{16}");
    private static final Pattern RULE_ARN = Pattern.compile(
            "arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\\d{12}:listener-rule/(net|app|gwy)/[A-Za-z0-9-]{1,32}/"
                    + "[0-9a-f]{16}/[0-9a-f]{16}/[0-9a-f]{16}");

    private LoadBalancers() {}

    /** The load balancer with this ARN, whoever owns it (callers check ownership themselves). */
    public static Optional<LoadBalancer> findByArn(World world, String arn) {
        return world.find(LoadBalancer.class, arn);
    }

    public static boolean isLoadBalancerArn(String arn) {
        return arn != null && LB_ARN.matcher(arn).matches();
    }

    public static boolean isTargetGroupArn(String arn) {
        return arn != null && TG_ARN.matcher(arn).matches();
    }

    public static boolean isListenerArn(String arn) {
        return arn != null && LISTENER_ARN.matcher(arn).matches();
    }

    public static boolean isRuleArn(String arn) {
        return arn != null && RULE_ARN.matcher(arn).matches();
    }

    public static String loadBalancerArn(Caller caller, String name) {
        return loadBalancerArn(caller, name, LoadBalancer.Type.NETWORK);
    }

    /** A new ARN for a load balancer of the type ({@code network} → {@code net}, {@code application} → {@code app}). */
    public static String loadBalancerArn(Caller caller, String name, LoadBalancer.Type type) {
        return prefix(caller) + "loadbalancer/" + type.arnPrefix() + "/" + name + "/" + Ids.hex(16);
    }

    public static String ruleArn(Listener listener) {
        return listener.id().replace(":listener/", ":listener-rule/") + "/" + Ids.hex(16);
    }

    public static String targetGroupArn(Caller caller, String name) {
        return prefix(caller) + "targetgroup/" + name + "/" + Ids.hex(16);
    }

    public static String listenerArn(LoadBalancer lb) {
        return lb.id().replace(":loadbalancer/", ":listener/") + "/" + Ids.hex(16);
    }

    private static String prefix(Caller caller) {
        return "arn:aws:elasticloadbalancing:" + caller.region() + ":" + caller.accountId() + ":";
    }

    private static boolean owns(Caller caller, dev.underpass.model.Resource r) {
        return r.ownerId().equals(caller.accountId()) && r.region().equals(caller.region());
    }

    /** The caller's load balancer; a malformed ARN is a {@code ValidationError}, an unknown one NotFound. */
    public static LoadBalancer requireLoadBalancer(World world, Caller caller, String arn) {
        return findOwnedLoadBalancer(world, caller, arn).orElseThrow(() -> ElbError.LOAD_BALANCER_NOT_FOUND.format(
                "Load balancer '%s' not found", arn));
    }

    /** The same, by a typed ARN. */
    public static LoadBalancer requireLoadBalancer(World world, Caller caller, LoadBalancerArn arn) {
        return requireLoadBalancer(world, caller, LoadBalancerArn.text(arn));
    }

    /** Whether the caller owns a load balancer with this ARN; a malformed ARN is a {@code ValidationError}. */
    public static Optional<LoadBalancer> findOwnedLoadBalancer(World world, Caller caller, String arn) {
        return findOwned(world, caller, LoadBalancer.class, arn, isLoadBalancerArn(arn), "load balancer");
    }

    /** The caller's resource with this ARN, if any; an ARN not of the kind's form is a {@code ValidationError}. */
    private static <T extends dev.underpass.model.Resource> Optional<T> findOwned(World world, Caller caller,
            Class<T> type, String arn, boolean wellFormed, String kind) {
        if (!wellFormed) {
            throw ElbError.VALIDATION_ERROR.format("'%s' is not a valid %s ARN", arn, kind);
        }
        return world.find(type, arn).filter(r -> owns(caller, r));
    }

    /** {@link #requireTargetGroup(World, Caller, String)} by a typed ARN. */
    public static TargetGroup requireTargetGroup(World world, Caller caller, TargetGroupArn arn) {
        return requireTargetGroup(world, caller, TargetGroupArn.text(arn));
    }

    /** The caller's target group; a malformed ARN is a {@code ValidationError}, an unknown one NotFound. */
    public static TargetGroup requireTargetGroup(World world, Caller caller, String arn) {
        return findOwnedTargetGroup(world, caller, arn).orElseThrow(() -> ElbError.TARGET_GROUP_NOT_FOUND.format(
                "Target groups '%s' not found", arn));
    }

    public static Optional<TargetGroup> findOwnedTargetGroup(World world, Caller caller, String arn) {
        return findOwned(world, caller, TargetGroup.class, arn, isTargetGroupArn(arn), "target group");
    }

    public static Listener requireListener(World world, Caller caller, String arn) {
        return findOwned(world, caller, Listener.class, arn, isListenerArn(arn), "listener")
                .orElseThrow(() -> ElbError.LISTENER_NOT_FOUND.format("Listener '%s' not found", arn));
    }

    /** The same, by a typed ARN. */
    public static Listener requireListener(World world, Caller caller, ListenerArn arn) {
        return requireListener(world, caller, ListenerArn.text(arn));
    }

    private static final Index<Listener, LoadBalancerArn> LISTENERS_BY_LOAD_BALANCER = Index.by(Listener.class,
            Listener::loadBalancerArn);
    private static final Index<Listener, TargetGroupArn> LISTENERS_BY_TARGET_GROUP = Index.byEach(Listener.class,
            Listener::targetGroupArns);

    public static Rule requireRule(World world, Caller caller, String arn) {
        return findOwned(world, caller, Rule.class, arn, isRuleArn(arn), "listener rule")
                .orElseThrow(() -> ElbError.RULE_NOT_FOUND.format("One or more rules not found: '%s'", arn));
    }

    /** The rules of a listener (its default rule included), in ARN order. */
    public static List<Rule> rulesOf(World world, ListenerArn listenerArn) {
        return world.all(Rule.class, r -> r.listenerArn().equals(listenerArn));
    }

    /** The caller's load balancers in its region, in ARN (so name) order. */
    public static List<LoadBalancer> owned(World world, Caller caller) {
        return List.copyOf(Index.owned(world, LoadBalancer.class, caller.accountId(), caller.region()));
    }

    public static List<TargetGroup> ownedTargetGroups(World world, Caller caller) {
        return List.copyOf(Index.owned(world, TargetGroup.class, caller.accountId(), caller.region()));
    }

    public static List<Listener> listenersOf(World world, LoadBalancerArn loadBalancerArn) {
        return List.copyOf(LISTENERS_BY_LOAD_BALANCER.get(world, loadBalancerArn));
    }

    /** The listeners that forward to a target group, in ARN order. */
    public static List<Listener> listenersForwardingTo(World world, TargetGroupArn targetGroupArn) {
        return List.copyOf(LISTENERS_BY_TARGET_GROUP.get(world, targetGroupArn));
    }

    /** The load balancers whose listeners (default actions or rules) forward to the target group, in ARN order. */
    public static List<LoadBalancerArn> loadBalancersOf(World world, TargetGroupArn targetGroupArn) {
        Set<LoadBalancerArn> out = new LinkedHashSet<>();
        for (Listener l : LISTENERS_BY_TARGET_GROUP.get(world, targetGroupArn)) {
            out.add(l.loadBalancerArn());
        }
        for (Rule r : world.all(Rule.class)) {
            if (Action.targetGroupArns(r.actions()).contains(targetGroupArn)) {
                world.find(Listener.class, r.listenerArn()).ifPresent(l -> out.add(l.loadBalancerArn()));
            }
        }
        List<LoadBalancerArn> sorted = new ArrayList<>(out);
        sorted.sort(null);
        return sorted;
    }

    /** Zone ids (e.g. {@code use1-az1}) where the load balancer is enabled, in its zone order. */
    public static List<String> zoneIds(LoadBalancer lb) {
        return lb.zoneIds();
    }
}
