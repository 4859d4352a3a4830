package dev.underpass.model.elb;

import dev.underpass.model.AsciiDigits;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The attributes a new target group starts with, as DescribeTargetGroupAttributes reports them. Groups of an
 * Application Load Balancer (HTTP, HTTPS, Lambda) take {@link AlbAttributes#targetGroupDefaults}; the others
 * (TCP, UDP, TCP_UDP, TLS, for a Network Load Balancer) take the set below. Both end with the same zonal and
 * target-group-health keys, kept in one place here. Moved out of the ELB handlers so that the defaults are a rule of
 * the model, next to the ALB ones; so are the checks ModifyTargetGroupAttributes applies to the NLB groups.
 */
public final class TargetGroupAttributes {
    private static final Set<String> NLB_BOOLEANS = Set.of("deregistration_delay.connection_termination.enabled",
            "stickiness.enabled", "proxy_protocol_v2.enabled", "preserve_client_ip.enabled",
            "target_health_state.unhealthy.connection_termination.enabled");

    private TargetGroupAttributes() {}

    /** The attributes of a new target group of this protocol (null for Lambda) and target type. */
    public static Map<String, String> defaults(Protocol protocol, TargetType targetType) {
        boolean http = TargetGroupRules.isHttp(protocol);
        if (targetType == TargetType.LAMBDA || http) {
            return AlbAttributes.targetGroupDefaults(targetType);
        }
        Map<String, String> a = new LinkedHashMap<>();
        a.put("deregistration_delay.timeout_seconds", "300");
        a.put("deregistration_delay.connection_termination.enabled", "false");
        a.put("stickiness.enabled", "false");
        a.put("stickiness.type", "source_ip");
        a.put("proxy_protocol_v2.enabled", "false");
        // Client IP preservation is on for instance targets, and for IP targets only with UDP and TCP_UDP.
        boolean preserve = targetType == TargetType.INSTANCE || protocol.carriesUdp();
        a.put("preserve_client_ip.enabled", String.valueOf(preserve));
        a.put("target_health_state.unhealthy.connection_termination.enabled", "true");
        a.put("target_health_state.unhealthy.draining_interval_seconds", "0");
        putZoneAndHealthDefaults(a);
        return a;
    }

    /**
     * Whether targets of {@code tg} see the client's own address: always for UDP and TCP_UDP groups (AWS does not
     * let it be turned off there), else as {@code preserve_client_ip.enabled} says, which defaults to on for
     * instance targets and off for IP targets. The analyzer and the data plane both ask this.
     */
    public static boolean preservesClientIp(TargetGroup tg) {
        if (tg.protocol() != null && tg.protocol().carriesUdp()) {
            return true;
        }
        String set = tg.attributes().get("preserve_client_ip.enabled");
        return set != null ? set.equals("true") : tg.targetType() == TargetType.INSTANCE;
    }

    /**
     * Whether {@code lb}'s nodes send {@code tg}'s flows to targets in other zones: the group's
     * {@code load_balancing.cross_zone.enabled} ({@code true}, {@code false}), or with
     * {@code use_load_balancer_configuration} the load balancer's (always on for an Application Load Balancer).
     */
    public static boolean crossZone(LoadBalancer lb, TargetGroup tg) {
        String cz = tg.attributes().getOrDefault("load_balancing.cross_zone.enabled",
                "use_load_balancer_configuration");
        return switch (cz) {
            case "true" -> true;
            case "false" -> false;
            default -> lb.isApplication() || lb.attributeTrue("load_balancing.cross_zone.enabled");
        };
    }

    /** Whether a flow to a target that turns unhealthy is cut ({@code ...connection_termination.enabled}, on). */
    public static boolean terminatesOnUnhealthy(TargetGroup tg) {
        return !"false".equals(tg.attributes().get("target_health_state.unhealthy.connection_termination.enabled"));
    }

    /** The keys every target group but a Lambda one ends with: cross-zone from the load balancer, DNS failover. */
    static void putZoneAndHealthDefaults(Map<String, String> a) {
        a.put("load_balancing.cross_zone.enabled", "use_load_balancer_configuration");
        a.put("target_group_health.dns_failover.minimum_healthy_targets.count", "1");
        a.put("target_group_health.dns_failover.minimum_healthy_targets.percentage", "off");
        a.put("target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", "1");
        a.put("target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", "off");
    }

    /**
     * The attributes after a ModifyTargetGroupAttributes of a TCP, UDP, TCP_UDP or TLS group: a group stores every
     * attribute it has, so its own keys are the known ones; the deregistration delay is 0-3600 seconds, and the
     * stickiness type ({@code source_ip}) cannot change.
     */
    public static Map<String, String> modifyNlb(Map<String, String> current, List<AttributeChanges.Change> changes,
            Protocol protocol) {
        return requireThresholdOrder(
                AttributeChanges.applied(current, changes, "Target group", current::containsKey, NLB_BOOLEANS,
                        (before, key, value) -> {
                            if (key.equals("deregistration_delay.timeout_seconds")
                                    && AsciiDigits.parseUnsigned(value, 3600) < 0) {
                                throw ElbError.INVALID_CONFIGURATION_REQUEST
                                        .format("Target group attribute '%s' must be a"
                                                + " number of seconds from 0 to 3600, not '%s'", key, value);
                            }
                            if (key.equals("preserve_client_ip.enabled") && value.equals("false")
                                    && protocol.carriesUdp()) {
                                throw ElbError.INVALID_CONFIGURATION_REQUEST.format("Client IP preservation cannot be "
                                        + "disabled for target groups with the %s protocol", protocol);
                            }
                            if (key.equals("stickiness.type") && !value.equals(before.get(key))) {
                                throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                                        "Stickiness type '%s' is not supported for target groups with the %s protocol",
                                        value, protocol);
                            }
                            if (key.equals("target_health_state.unhealthy.draining_interval_seconds")
                                    && AsciiDigits.parseUnsigned(value, 360000) < 0) {
                                throw ElbError.INVALID_CONFIGURATION_REQUEST
                                        .format("Target group attribute '%s' must be a"
                                                + " number of seconds from 0 to 360000, not '%s'", key, value);
                            }
                            checkZoneAndHealth(key, value);
                        }));
    }

    /**
     * {@code attributes} once DNS failover's threshold is at least routing failover's, count against count and
     * percentage against percentage (either {@code off} compares with nothing), so that a zone leaves DNS no later
     * than its node starts sending flows to unhealthy targets; InvalidConfigurationRequest otherwise. AWS states the
     * rule; its error code and message are not confirmed from a captured response.
     */
    static Map<String, String> requireThresholdOrder(Map<String, String> attributes) {
        for (String kind : List.of("count", "percentage")) {
            String dnsKey = "target_group_health.dns_failover.minimum_healthy_targets." + kind;
            String routingKey = "target_group_health.unhealthy_state_routing.minimum_healthy_targets." + kind;
            String dns = attributes.get(dnsKey);
            String routing = attributes.get(routingKey);
            if (dns == null || routing == null || dns.equals("off") || routing.equals("off")) {
                continue;
            }
            int limit = kind.equals("count") ? ElbLimits.MAX_TARGETS : 100;
            if (AsciiDigits.parseUnsigned(dns, limit) < AsciiDigits.parseUnsigned(routing, limit)) {
                throw ElbError.INVALID_CONFIGURATION_REQUEST.format("Target group attribute '%s' (%s) must be "
                        + "greater than or equal to '%s' (%s): DNS failover must happen no later than routing "
                        + "failover", dnsKey, dns, routingKey, routing);
            }
        }
        return attributes;
    }

    /** What a target group's health thresholds decide (the middle part of their attribute keys). */
    public enum HealthAction {
        /** Below the threshold, the zone's node leaves the load balancer's DNS answers. */
        DNS_FAILOVER("dns_failover"),
        /** Below the threshold, the zone's node sends new flows to all its targets, unhealthy ones too. */
        ROUTING_FAILOVER("unhealthy_state_routing");

        private final String key;

        HealthAction(String key) {
            this.key = key;
        }
    }

    /**
     * Whether {@code healthy} of the {@code total} targets a node sends flows to (its zone's, or every enabled
     * zone's with cross-zone load balancing on) meet {@code attributes}' thresholds for {@code action}: a minimum
     * count and a minimum percentage of the total, either {@code off}; when both are set, falling below either is
     * enough to act. Defaults, as a new group has them: at least one healthy target, no percentage.
     */
    public static boolean healthyEnough(Map<String, String> attributes, HealthAction action, int healthy, int total) {
        String prefix = "target_group_health." + action.key + ".minimum_healthy_targets.";
        String count = attributes.getOrDefault(prefix + "count", "1");
        String percentage = attributes.getOrDefault(prefix + "percentage", "off");
        if (!count.equals("off") && healthy < AsciiDigits.parseUnsigned(count, ElbLimits.MAX_TARGETS)) {
            return false;
        }
        return percentage.equals("off") || healthy * 100L >= (long) AsciiDigits.parseUnsigned(percentage, 100) * total;
    }

    /**
     * The rules of the keys {@link #putZoneAndHealthDefaults} puts, for NLB and ALB groups alike: cross-zone is
     * {@code true}, {@code false} or {@code use_load_balancer_configuration}; a minimum healthy count is 1 up to the
     * targets a group may have (DNS failover's may also be {@code off}), a percentage {@code off} or 1 to 100
     * (InvalidConfigurationRequest otherwise).
     */
    static void checkZoneAndHealth(String key, String value) {
        boolean ok = switch (key) {
            case "load_balancing.cross_zone.enabled" -> List.of("true", "false", "use_load_balancer_configuration")
                    .contains(value);
            case "target_group_health.dns_failover.minimum_healthy_targets.count" -> value.equals("off")
                    || AsciiDigits.parseUnsigned(value, ElbLimits.MAX_TARGETS) >= 1;
            case "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count" ->
                AsciiDigits.parseUnsigned(value, ElbLimits.MAX_TARGETS) >= 1;
            case "target_group_health.dns_failover.minimum_healthy_targets.percentage",
                    "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage" ->
                value.equals("off") || AsciiDigits.parseUnsigned(value, 100) >= 1;
            default -> true;
        };
        if (!ok) {
            throw ElbError.INVALID_CONFIGURATION_REQUEST.format("Target group attribute '%s' has an invalid value "
                    + "'%s'", key, value);
        }
    }
}
