package dev.underpass.model.elb;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The attributes of Application Load Balancers and of the target groups they use (HTTP, HTTPS and Lambda), with
 * AWS's defaults as DescribeLoadBalancerAttributes and DescribeTargetGroupAttributes report them, and the checks
 * ModifyLoadBalancerAttributes and ModifyTargetGroupAttributes apply. A key the resource does not have, or a value
 * out of its range, is {@code InvalidConfigurationRequest} and changes nothing.
 *
 * @see <a href="https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_LoadBalancerAttribute.html">LoadBalancerAttribute</a>
 * @see <a href="https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroupAttribute.html">TargetGroupAttribute</a>
 */
public final class AlbAttributes {
    private static final Set<String> LB_BOOLEANS = Set.of("access_logs.s3.enabled", "connection_logs.s3.enabled",
            "health_check_logs.s3.enabled", "deletion_protection.enabled", "routing.http2.enabled",
            "routing.http.drop_invalid_header_fields.enabled", "routing.http.preserve_host_header.enabled",
            "routing.http.x_amzn_tls_version_and_cipher_suite.enabled", "routing.http.xff_client_port.enabled",
            "waf.fail_open.enabled", "zonal_shift.config.enabled", "load_balancing.cross_zone.enabled",
            "ipv6.deny_all_igw_traffic");
    /** The log kinds of an Application Load Balancer, each with an enabled flag, a bucket and a prefix. */
    private static final List<String> LOGS = List.of("access_logs", "connection_logs", "health_check_logs");
    private static final Set<String> TG_BOOLEANS = Set.of("stickiness.enabled", "lambda.multi_value_headers.enabled");

    private AlbAttributes() {}

    /** A new Application Load Balancer's attributes. */
    public static Map<String, String> loadBalancerDefaults(LoadBalancer.Scheme scheme) {
        Map<String, String> a = new LinkedHashMap<>();
        for (String logs : LOGS) {
            AttributeChanges.putLogsOff(a, logs);
        }
        a.put("client_keep_alive.seconds", "3600");
        a.put("deletion_protection.enabled", "false");
        a.put("idle_timeout.timeout_seconds", "60");
        a.put("ipv6.deny_all_igw_traffic", String.valueOf(scheme == LoadBalancer.Scheme.INTERNAL));
        a.put("load_balancing.cross_zone.enabled", "true");
        a.put("routing.http.desync_mitigation_mode", "defensive");
        a.put("routing.http.drop_invalid_header_fields.enabled", "false");
        a.put("routing.http.preserve_host_header.enabled", "false");
        a.put("routing.http.x_amzn_tls_version_and_cipher_suite.enabled", "false");
        a.put("routing.http.xff_client_port.enabled", "false");
        a.put("routing.http.xff_header_processing.mode", "append");
        a.put("routing.http2.enabled", "true");
        a.put("waf.fail_open.enabled", "false");
        a.put("zonal_shift.config.enabled", "false");
        return a;
    }

    /**
     * The attributes with {@code changes} applied in order: each key must be one the resource has, a boolean key
     * takes only true or false, and {@code check} vets the key's value before it is set. The first failure throws,
     * so nothing changes.
     */
    private static Map<String, String> applied(Map<String, String> current, Map<String, String> changes,
            Set<String> booleans, String resource, BiConsumer<String, String> check) {
        Map<String, String> a = new LinkedHashMap<>(current);
        changes.forEach((key, value) -> {
            if (!a.containsKey(key)) {
                throw ElbError.INVALID_CONFIGURATION_REQUEST.format("%s attribute key '%s' is not recognized",
                        resource, key);
            }
            if (booleans.contains(key)) {
                requireBoolean(key, value, resource);
            }
            check.accept(key, value);
            a.put(key, value);
        });
        return a;
    }

    /** The attributes after a ModifyLoadBalancerAttributes of an Application Load Balancer. */
    public static Map<String, String> modifyLoadBalancer(Map<String, String> current, Map<String, String> changes) {
        Map<String, String> a = applied(current, changes, LB_BOOLEANS, "Load balancer", (key, value) -> {
            switch (key) {
                case "idle_timeout.timeout_seconds" -> requireRange(key, value, 1, 4000, "Load balancer");
                case "client_keep_alive.seconds" -> requireRange(key, value, 60, 604800, "Load balancer");
                case "routing.http.desync_mitigation_mode" ->
                    requireOneOf(key, value, List.of("monitor", "defensive", "strictest"), "Load balancer");
                case "routing.http.xff_header_processing.mode" ->
                    requireOneOf(key, value, List.of("append", "preserve", "remove"), "Load balancer");
                case "load_balancing.cross_zone.enabled" -> {
                    // Cross-zone load balancing is always on for Application Load Balancers.
                    if (!value.equals("true")) {
                        throw ElbError.INVALID_CONFIGURATION_REQUEST.with(
                                "Cross-zone load balancing cannot be turned off for an Application Load Balancer;"
                                        + " turn it off on its target groups");
                    }
                }
                default -> {
                    // free text (bucket, prefix) or a boolean checked above
                }
            }
        });
        AttributeChanges.requireLogBuckets(a, LOGS);
        return a;
    }

    /** The attributes of a new HTTP, HTTPS or Lambda target group. */
    public static Map<String, String> targetGroupDefaults(TargetType targetType) {
        Map<String, String> a = new LinkedHashMap<>();
        if (targetType == TargetType.LAMBDA) {
            a.put("lambda.multi_value_headers.enabled", "false");
            return a;
        }
        a.put("deregistration_delay.timeout_seconds", "300");
        a.put("stickiness.enabled", "false");
        a.put("stickiness.type", "lb_cookie");
        a.put("stickiness.lb_cookie.duration_seconds", "86400");
        a.put("stickiness.app_cookie.cookie_name", "");
        a.put("stickiness.app_cookie.duration_seconds", "86400");
        a.put("load_balancing.algorithm.type", "round_robin");
        a.put("load_balancing.algorithm.anomaly_mitigation", "off");
        a.put("slow_start.duration_seconds", "0");
        TargetGroupAttributes.putZoneAndHealthDefaults(a);
        return a;
    }

    /** The attributes after a ModifyTargetGroupAttributes of an HTTP, HTTPS or Lambda target group. */
    public static Map<String, String> modifyTargetGroup(Map<String, String> current, Map<String, String> changes) {
        Map<String, String> a = applied(current, changes, TG_BOOLEANS, "Target group", (key, value) -> {
            switch (key) {
                case "deregistration_delay.timeout_seconds" -> requireRange(key, value, 0, 3600, "Target group");
                case "stickiness.type" -> requireOneOf(key, value, List.of("lb_cookie", "app_cookie"),
                        "Target group");
                case "stickiness.lb_cookie.duration_seconds", "stickiness.app_cookie.duration_seconds" ->
                    requireRange(key, value, 1, 604800, "Target group");
                case "load_balancing.algorithm.type" -> requireOneOf(key, value,
                        List.of("round_robin", "least_outstanding_requests", "weighted_random"), "Target group");
                case "load_balancing.algorithm.anomaly_mitigation" -> requireOneOf(key, value,
                        List.of("on", "off"), "Target group");
                case "slow_start.duration_seconds" -> {
                    int seconds = requireRange(key, value, 0, 900, "Target group");
                    if (seconds != 0 && seconds < 30) {
                        throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                                "Slow start duration '%s' must be 0 (off) or 30-900 seconds", value);
                    }
                }
                case "load_balancing.cross_zone.enabled" -> requireOneOf(key, value,
                        List.of("true", "false", "use_load_balancer_configuration"), "Target group");
                default -> TargetGroupAttributes.checkZoneAndHealth(key, value);
            }
        });
        if ("app_cookie".equals(a.get("stickiness.type")) && "true".equals(a.get("stickiness.enabled"))
                && Objects.requireNonNullElse(a.get("stickiness.app_cookie.cookie_name"), "").isEmpty()) {
            throw ElbError.INVALID_CONFIGURATION_REQUEST.with(
                    "An application cookie name is required for app_cookie stickiness");
        }
        if (!"0".equals(a.get("slow_start.duration_seconds"))
                && !"round_robin".equals(a.get("load_balancing.algorithm.type"))) {
            throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                    "Slow start mode cannot be combined with the '%s' algorithm", a.get(
                            "load_balancing.algorithm.type"));
        }
        if ("on".equals(a.get("load_balancing.algorithm.anomaly_mitigation"))
                && !"weighted_random".equals(a.get("load_balancing.algorithm.type"))) {
            throw ElbError.INVALID_CONFIGURATION_REQUEST.with(
                    "Anomaly mitigation can only be turned on with the weighted_random algorithm");
        }
        return TargetGroupAttributes.requireThresholdOrder(a);
    }

    private static void requireBoolean(String key, String value, String what) {
        if (!value.equals("true") && !value.equals("false")) {
            throw ElbError.INVALID_CONFIGURATION_REQUEST.format("%s attribute '%s' must be 'true' or 'false', not"
                    + " '%s'", what, key, value);
        }
    }

    private static int requireRange(String key, String value, int min, int max, String what) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            n = Integer.MIN_VALUE;
        }
        if (n < min || n > max) {
            throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                    "%s attribute '%s' must be a number from %d to %d, not '%s'", what, key, min, max, value);
        }
        return n;
    }

    private static void requireOneOf(String key, String value, List<String> allowed, String what) {
        if (!allowed.contains(value)) {
            throw ElbError.INVALID_CONFIGURATION_REQUEST.format("%s attribute '%s' must be one of %s, not '%s'",
                    what, key, allowed, value);
        }
    }
}
