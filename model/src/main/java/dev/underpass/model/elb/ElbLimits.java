package dev.underpass.model.elb;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ELBv2 quotas underpass enforces, and the full table DescribeAccountLimits reports (AWS's default quotas, in
 * AWS's order). The ones enforced are constants here so that the check and the table cannot disagree.
 */
public final class ElbLimits {
    /** Load balancers per Region (each type). */
    public static final int MAX_LOAD_BALANCERS = 50;
    /** Listeners per load balancer. */
    public static final int MAX_LISTENERS = 50;
    /** Target groups per Region. */
    public static final int MAX_TARGET_GROUPS = 3000;
    /** Targets per target group. */
    public static final int MAX_TARGETS = 3000;

    private ElbLimits() {}

    /** Every quota by DescribeAccountLimits' name, in the order it lists them. */
    public static Map<String, Integer> accountLimits() {
        Map<String, Integer> values = new LinkedHashMap<>();
        values.put("application-load-balancers", MAX_LOAD_BALANCERS);
        values.put("condition-values-per-alb-rule", 5);
        values.put("condition-wildcards-per-alb-rule", 5);
        values.put("gateway-load-balancers", 100);
        values.put("gateway-load-balancers-per-vpc", 100);
        values.put("geneve-target-groups", 100);
        values.put("listeners-per-application-load-balancer", MAX_LISTENERS);
        values.put("listeners-per-network-load-balancer", MAX_LISTENERS);
        values.put("network-load-balancer-enis-per-vpc", 1200);
        values.put("network-load-balancers", MAX_LOAD_BALANCERS);
        values.put("rules-per-application-load-balancer", 100);
        values.put("target-groups", MAX_TARGET_GROUPS);
        values.put("target-groups-per-action-on-application-load-balancer",
                ListenerRules.MAX_TARGET_GROUPS_PER_ACTION);
        values.put("target-groups-per-action-on-network-load-balancer", 1);
        values.put("target-groups-per-application-load-balancer",
                ListenerRules.MAX_TARGET_GROUPS_PER_LOAD_BALANCER);
        values.put("targets-per-application-load-balancer", 1000);
        values.put("targets-per-availability-zone-per-gateway-load-balancer", 300);
        values.put("targets-per-availability-zone-per-network-load-balancer", 500);
        values.put("targets-per-network-load-balancer", MAX_TARGETS);
        return values;
    }

    /** Room for one more load balancer beside the caller's {@code owned} ones, else TooManyLoadBalancers. */
    public static void requireRoomForLoadBalancer(int owned) {
        if (owned >= MAX_LOAD_BALANCERS) {
            throw ElbError.TOO_MANY_LOAD_BALANCERS.format(
                    "The quota for the number of load balancers has been reached (%d)", MAX_LOAD_BALANCERS);
        }
    }

    /** Room for one more listener beside a load balancer's {@code existing} ones, else TooManyListeners. */
    public static void requireRoomForListener(int existing) {
        if (existing >= MAX_LISTENERS) {
            throw ElbError.TOO_MANY_LISTENERS.format(
                    "The quota for the number of listeners per load balancer has been reached (%d)", MAX_LISTENERS);
        }
    }

    /** Room for one more target group beside the caller's {@code owned} ones, else TooManyTargetGroups. */
    public static void requireRoomForTargetGroup(int owned) {
        if (owned >= MAX_TARGET_GROUPS) {
            throw ElbError.TOO_MANY_TARGET_GROUPS.format(
                    "The quota for the number of target groups has been reached (%d)", MAX_TARGET_GROUPS);
        }
    }

    /** A group's targets once registered: one for a {@code lambda} or {@code alb} group, else up to the quota. */
    public static void requireTargetCount(TargetType targetType, int targets) {
        // Lambda groups take one function and 'alb' groups one load balancer (AWS's quotas).
        if (targetType.single() && targets > 1) {
            throw ElbError.TOO_MANY_TARGETS.format("A target group of target type '%s' can have only one target",
                    targetType);
        }
        if (targets > MAX_TARGETS) {
            throw ElbError.TOO_MANY_TARGETS.format("The quota for the number of targets has been reached (%d)",
                    MAX_TARGETS);
        }
    }
}
