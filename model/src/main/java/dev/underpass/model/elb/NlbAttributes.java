package dev.underpass.model.elb;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The attributes of a Network Load Balancer: the ones a new one starts with, as DescribeLoadBalancerAttributes
 * reports them, and the checks ModifyLoadBalancerAttributes applies (the Application Load Balancer's are
 * {@link AlbAttributes}). Also where the SetSecurityGroups choice about PrivateLink traffic is kept: it is no real
 * attribute, so it is stored under a key of underpass's own that Describe leaves out.
 */
public final class NlbAttributes {
    /**
     * Where an NLB's EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic choice is stored; the reachability
     * analysis reads it too.
     */
    public static final String ENFORCE_INBOUND = "underpass.enforce_security_group_inbound_rules_on_private_link";
    /** The keys a Network Load Balancer has, in the order Describe lists them. */
    static final List<String> KEYS = List.of("access_logs.s3.enabled", "access_logs.s3.bucket",
            "access_logs.s3.prefix", "deletion_protection.enabled", "ipv6.deny_all_igw_traffic",
            "load_balancing.cross_zone.enabled", "dns_record.client_routing_policy", "zonal_shift.config.enabled");
    private static final Set<String> BOOLEANS = Set.of("access_logs.s3.enabled", "deletion_protection.enabled",
            "load_balancing.cross_zone.enabled", "ipv6.deny_all_igw_traffic", "zonal_shift.config.enabled");
    private static final List<String> ROUTING_POLICIES = List.of("availability_zone_affinity",
            "partial_availability_zone_affinity", "any_availability_zone");

    private NlbAttributes() {}

    /** A new Network Load Balancer's attributes: an internal one denies IPv6 traffic from internet gateways. */
    public static Map<String, String> loadBalancerDefaults(LoadBalancer.Scheme scheme) {
        Map<String, String> a = new LinkedHashMap<>();
        AttributeChanges.putLogsOff(a, "access_logs");
        a.put("deletion_protection.enabled", "false");
        a.put("ipv6.deny_all_igw_traffic", String.valueOf(scheme == LoadBalancer.Scheme.INTERNAL));
        a.put("load_balancing.cross_zone.enabled", "false");
        a.put("dns_record.client_routing_policy", "any_availability_zone");
        a.put("zonal_shift.config.enabled", "false");
        return a;
    }

    /** The attributes after a ModifyLoadBalancerAttributes of a Network Load Balancer. */
    public static Map<String, String> modifyLoadBalancer(Map<String, String> current,
            List<AttributeChanges.Change> changes) {
        Map<String, String> a = AttributeChanges.applied(current, changes, "Load balancer", KEYS::contains,
                BOOLEANS, (before, key, value) -> {
                    if (key.equals("dns_record.client_routing_policy") && !ROUTING_POLICIES.contains(value)) {
                        throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                                "Load balancer attribute '%s' has an invalid value '%s'", key, value);
                    }
                });
        AttributeChanges.requireLogBuckets(a, List.of("access_logs"));
        return a;
    }

    /** Whether an NLB's security groups also filter PrivateLink traffic: {@code on} unless turned off. */
    public static String enforceInbound(Map<String, String> attributes) {
        return attributes.getOrDefault(ENFORCE_INBOUND, "on");
    }

    /** Whether {@code lb}'s security groups filter traffic that comes through PrivateLink (on unless turned off). */
    public static boolean enforcesInboundOnPrivateLink(LoadBalancer lb) {
        return !enforceInbound(lb.attributes()).equals("off");
    }

    /** The attributes with the PrivateLink choice set ({@code on} or {@code off}, checked by the caller). */
    public static Map<String, String> withEnforceInbound(Map<String, String> attributes, String onOrOff) {
        Map<String, String> a = new LinkedHashMap<>(attributes);
        a.put(ENFORCE_INBOUND, onOrOff);
        return a;
    }

    /** The attributes Describe reports: all but underpass's own key. */
    public static Map<String, String> described(Map<String, String> attributes) {
        Map<String, String> a = new LinkedHashMap<>(attributes);
        a.remove(ENFORCE_INBOUND);
        return a;
    }
}
