package dev.underpass.model.elb;

import static dev.underpass.model.elb.ElbAssert.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Network Load Balancer's attributes and the rules of changing them, and of a target group of one. */
class NlbAttributesTest {
    private static AttributeChanges.Change set(String key, String value) {
        return new AttributeChanges.Change(key, value);
    }

    @Test
    void defaults_areAwsKeysInOrder_andInternalDeniesIgwIpv6() {
        Map<String, String> a = NlbAttributes.loadBalancerDefaults(LoadBalancer.Scheme.INTERNET_FACING);
        assertThat(List.copyOf(a.keySet())).isEqualTo(NlbAttributes.KEYS);
        assertThat(List.copyOf(a.values())).isEqualTo(List.of("false", "", "", "false", "false", "false",
                "any_availability_zone", "false"));
        assertThat(NlbAttributes.loadBalancerDefaults(LoadBalancer.Scheme.INTERNAL))
                .containsEntry("ipv6.deny_all_igw_traffic", "true");
    }

    @Test
    void modify_appliesInOrder_andKeepsTheOthers() {
        Map<String, String> before = NlbAttributes.loadBalancerDefaults(LoadBalancer.Scheme.INTERNAL);
        Map<String, String> after = NlbAttributes.modifyLoadBalancer(before, List.of(
                set("access_logs.s3.bucket", "logs"), set("access_logs.s3.enabled", "true"),
                set("dns_record.client_routing_policy", "availability_zone_affinity"),
                set("access_logs.s3.prefix", null)));
        assertThat(after).containsEntry("access_logs.s3.enabled", "true").containsEntry("access_logs.s3.bucket", "logs")
                .containsEntry("access_logs.s3.prefix", "")
                .containsEntry("dns_record.client_routing_policy", "availability_zone_affinity")
                .containsEntry("ipv6.deny_all_igw_traffic", "true");
        assertThat(List.copyOf(after.keySet())).isEqualTo(NlbAttributes.KEYS);
        assertThat(before).containsEntry("access_logs.s3.enabled", "false");
    }

    @Test
    void modify_refusesUnknownKeysBadValuesAndLogsWithoutBucket() {
        Map<String, String> a = NlbAttributes.loadBalancerDefaults(LoadBalancer.Scheme.INTERNAL);
        assertRefused(() -> NlbAttributes.modifyLoadBalancer(a, List.of(set("idle_timeout.timeout_seconds", "60"))),
                "InvalidConfigurationRequest", "Load balancer attribute key 'idle_timeout.timeout_seconds' is not"
                        + " recognized");
        assertRefused(() -> NlbAttributes.modifyLoadBalancer(a, List.of(set("deletion_protection.enabled", "yes"))),
                "InvalidConfigurationRequest", "Load balancer attribute 'deletion_protection.enabled' must be 'true'"
                        + " or 'false', not 'yes'");
        assertRefused(() -> NlbAttributes.modifyLoadBalancer(a, List.of(set("dns_record.client_routing_policy",
                "nearest"))), "InvalidConfigurationRequest",
                "Load balancer attribute 'dns_record.client_routing_policy' has an invalid value 'nearest'");
        assertRefused(() -> NlbAttributes.modifyLoadBalancer(a, List.of(set("access_logs.s3.enabled", "true"))),
                "InvalidConfigurationRequest",
                "The attribute 'access_logs.s3.bucket' is required when access logs are enabled");
        // underpass's own key is no attribute a client may set.
        assertRefused(() -> NlbAttributes.modifyLoadBalancer(NlbAttributes.withEnforceInbound(a, "off"),
                List.of(set(NlbAttributes.ENFORCE_INBOUND, "on"))), "InvalidConfigurationRequest",
                "Load balancer attribute key '" + NlbAttributes.ENFORCE_INBOUND + "' is not recognized");
    }

    @Test
    void modify_refusesAnAbsentListOrKey_beforeLaterBadKeys() {
        Map<String, String> a = NlbAttributes.loadBalancerDefaults(LoadBalancer.Scheme.INTERNAL);
        assertRefused(() -> NlbAttributes.modifyLoadBalancer(a, List.of()), "ValidationError",
                "1 validation error detected: Value null at 'attributes' failed to satisfy constraint: Member must"
                        + " not be null");
        // The changes are checked one by one: a missing key is found before an unknown key that follows it.
        assertRefused(() -> NlbAttributes.modifyLoadBalancer(a, List.of(set(null, "x"), set("nope", "x"))),
                "ValidationError", "1 validation error detected: Value null at 'attributes.member.N.Key' failed to"
                        + " satisfy constraint: Member must not be null");
        assertRefused(() -> NlbAttributes.modifyLoadBalancer(a, List.of(set("nope", "x"), set(null, "x"))),
                "InvalidConfigurationRequest", "Load balancer attribute key 'nope' is not recognized");
    }

    @Test
    void enforceInbound_isOnUntilTurnedOff_andHiddenFromDescribe() {
        Map<String, String> a = NlbAttributes.loadBalancerDefaults(LoadBalancer.Scheme.INTERNAL);
        assertThat(NlbAttributes.enforceInbound(a)).isEqualTo("on");
        Map<String, String> off = NlbAttributes.withEnforceInbound(a, "off");
        assertThat(NlbAttributes.enforceInbound(off)).isEqualTo("off");
        assertThat(NlbAttributes.described(off)).isEqualTo(a).doesNotContainKey(NlbAttributes.ENFORCE_INBOUND);
        assertThat(a).doesNotContainKey(NlbAttributes.ENFORCE_INBOUND);
    }

    @Test
    void nlbTargetGroup_takesItsOwnKeys_delayInRange_andKeepsItsStickinessType() {
        Map<String, String> tg = TargetGroupAttributes.defaults(Protocol.TCP, TargetType.INSTANCE);
        Map<String, String> after = TargetGroupAttributes.modifyNlb(tg, List.of(
                set("deregistration_delay.timeout_seconds", "3600"), set("proxy_protocol_v2.enabled", "true"),
                set("stickiness.type", "source_ip")), Protocol.TCP);
        assertThat(after).containsEntry("deregistration_delay.timeout_seconds", "3600")
                .containsEntry("proxy_protocol_v2.enabled", "true").hasSameSizeAs(tg);
        assertRefused(() -> TargetGroupAttributes.modifyNlb(tg, List.of(
                set("deregistration_delay.timeout_seconds", "3601")), Protocol.TCP), "InvalidConfigurationRequest",
                "Target group attribute 'deregistration_delay.timeout_seconds' must be a number of seconds from 0 to"
                        + " 3600, not '3601'");
        assertRefused(() -> TargetGroupAttributes.modifyNlb(tg, List.of(
                set("deregistration_delay.timeout_seconds", "+5")), Protocol.TCP), "InvalidConfigurationRequest",
                "Target group attribute 'deregistration_delay.timeout_seconds' must be a number of seconds from 0 to"
                        + " 3600, not '+5'");
        assertRefused(() -> TargetGroupAttributes.modifyNlb(tg, List.of(set("stickiness.type", "lb_cookie")),
                Protocol.UDP), "InvalidConfigurationRequest",
                "Stickiness type 'lb_cookie' is not supported for target groups with the UDP protocol");
        assertRefused(() -> TargetGroupAttributes.modifyNlb(tg, List.of(set("preserve_client_ip.enabled", "1")),
                Protocol.TCP), "InvalidConfigurationRequest",
                "Target group attribute 'preserve_client_ip.enabled' must be 'true' or 'false', not '1'");
        assertRefused(() -> TargetGroupAttributes.modifyNlb(tg, List.of(set("slow_start.duration_seconds", "30")),
                Protocol.TCP), "InvalidConfigurationRequest",
                "Target group attribute key 'slow_start.duration_seconds' is not recognized");
    }
}
