package dev.underpass.model.elb;

import dev.underpass.model.ec2.VpcId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.net.IpFamily;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The attributes a new target group starts with, per protocol and target type. */
class TargetGroupAttributesTest {
    private static final List<String> CLOSING_KEYS = List.of("load_balancing.cross_zone.enabled",
            "target_group_health.dns_failover.minimum_healthy_targets.count",
            "target_group_health.dns_failover.minimum_healthy_targets.percentage",
            "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count",
            "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage");

    @Test
    void tcpInstanceGroup_startsWithNlbDefaults_inAwsOrder() {
        Map<String, String> a = TargetGroupAttributes.defaults(Protocol.TCP, TargetType.INSTANCE);
        assertThat(List.copyOf(a.keySet())).isEqualTo(List.of("deregistration_delay.timeout_seconds",
                "deregistration_delay.connection_termination.enabled", "stickiness.enabled", "stickiness.type",
                "proxy_protocol_v2.enabled", "preserve_client_ip.enabled",
                "target_health_state.unhealthy.connection_termination.enabled",
                "target_health_state.unhealthy.draining_interval_seconds", CLOSING_KEYS.get(0), CLOSING_KEYS.get(1),
                CLOSING_KEYS.get(2), CLOSING_KEYS.get(3), CLOSING_KEYS.get(4)));
        assertThat(List.copyOf(a.values())).isEqualTo(List.of("300", "false", "false", "source_ip", "false", "true",
                "true", "0", "use_load_balancer_configuration", "1", "off", "1", "off"));
    }

    @Test
    void ipTargets_preserveClientIp_onlyForUdpAndTcpUdp() {
        assertThat(TargetGroupAttributes.defaults(Protocol.TCP, TargetType.IP)).containsEntry(
                "preserve_client_ip.enabled",
                "false");
        assertThat(TargetGroupAttributes.defaults(Protocol.TLS, TargetType.IP)).containsEntry(
                "preserve_client_ip.enabled",
                "false");
        assertThat(TargetGroupAttributes.defaults(Protocol.UDP, TargetType.IP)).containsEntry(
                "preserve_client_ip.enabled",
                "true");
        assertThat(TargetGroupAttributes.defaults(Protocol.TCP_UDP, TargetType.IP))
                .containsEntry("preserve_client_ip.enabled", "true");
    }

    @Test
    void httpAndLambdaGroups_takeTheAlbDefaults() {
        assertThat(TargetGroupAttributes.defaults(Protocol.HTTP, TargetType.INSTANCE))
                .isEqualTo(AlbAttributes.targetGroupDefaults(TargetType.INSTANCE));
        assertThat(TargetGroupAttributes.defaults(Protocol.HTTPS, TargetType.IP))
                .isEqualTo(AlbAttributes.targetGroupDefaults(TargetType.IP));
        assertThat(TargetGroupAttributes.defaults(null, TargetType.LAMBDA))
                .containsExactly(Map.entry("lambda.multi_value_headers.enabled", "false"));
    }

    @Test
    void albAndNlbGroups_endWithTheSameZoneAndHealthKeys() {
        List<String> alb = List.copyOf(AlbAttributes.targetGroupDefaults(TargetType.INSTANCE).keySet());
        List<String> nlb = List.copyOf(TargetGroupAttributes.defaults(Protocol.UDP, TargetType.INSTANCE).keySet());
        assertThat(alb.subList(alb.size() - CLOSING_KEYS.size(), alb.size())).isEqualTo(CLOSING_KEYS);
        assertThat(nlb.subList(nlb.size() - CLOSING_KEYS.size(), nlb.size())).isEqualTo(CLOSING_KEYS);
    }

    @Test
    void healthThresholds_actWhenEitherCountOrPercentageIsBreached_andOffTurnsThemOff() {
        var dns = TargetGroupAttributes.HealthAction.DNS_FAILOVER;
        var routing = TargetGroupAttributes.HealthAction.ROUTING_FAILOVER;
        Map<String, String> defaults = TargetGroupAttributes.defaults(Protocol.TCP, TargetType.INSTANCE);
        // By default one healthy target is enough, and none is not (a zone without targets included).
        assertThat(TargetGroupAttributes.healthyEnough(defaults, dns, 1, 10)).isTrue();
        assertThat(TargetGroupAttributes.healthyEnough(defaults, dns, 0, 10)).isFalse();
        assertThat(TargetGroupAttributes.healthyEnough(defaults, dns, 0, 0)).isFalse();
        assertThat(TargetGroupAttributes.healthyEnough(defaults, routing, 1, 1)).isTrue();
        // AWS's example: 50% of ten targets, six failed: four healthy are too few.
        Map<String, String> half = new java.util.HashMap<>(defaults);
        half.put("target_group_health.dns_failover.minimum_healthy_targets.percentage", "50");
        assertThat(TargetGroupAttributes.healthyEnough(half, dns, 4, 10)).isFalse();
        assertThat(TargetGroupAttributes.healthyEnough(half, dns, 5, 10)).isTrue();
        assertThat(TargetGroupAttributes.healthyEnough(half, routing, 4, 10)).isTrue(); // The other action's keys.
        // Both set: below either is enough to act.
        half.put("target_group_health.dns_failover.minimum_healthy_targets.count", "6");
        assertThat(TargetGroupAttributes.healthyEnough(half, dns, 5, 10)).isFalse();
        assertThat(TargetGroupAttributes.healthyEnough(half, dns, 6, 10)).isTrue();
        half.put("target_group_health.dns_failover.minimum_healthy_targets.count", "off");
        half.put("target_group_health.dns_failover.minimum_healthy_targets.percentage", "off");
        assertThat(TargetGroupAttributes.healthyEnough(half, dns, 0, 10)).isTrue();
    }
    @Test
    void dnsFailoverThreshold_mayNotFallBelowRoutingFailovers_countAgainstCountAndPercentageAgainstPercentage() {
        String dnsCount = "target_group_health.dns_failover.minimum_healthy_targets.count";
        String dnsPct = "target_group_health.dns_failover.minimum_healthy_targets.percentage";
        String routingCount = "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count";
        String routingPct = "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage";
        Map<String, String> defaults = TargetGroupAttributes.defaults(Protocol.TCP, TargetType.IP);
        java.util.function.Function<List<AttributeChanges.Change>, Map<String, String>> modify =
                changes -> TargetGroupAttributes.modifyNlb(defaults, changes, Protocol.TCP);
        assertThatThrownBy(() -> modify.apply(List.of(
                new AttributeChanges.Change(routingCount, "2")))).hasMessageContaining(dnsCount);
        // In one request, in either order: the rule holds for the result.
        assertThat(modify.apply(List.of(new AttributeChanges.Change(routingCount, "2"),
                new AttributeChanges.Change(dnsCount, "2")))).containsEntry(routingCount, "2");
        assertThat(modify.apply(List.of(new AttributeChanges.Change(dnsCount, "off"),
                new AttributeChanges.Change(routingCount, "5")))).containsEntry(routingCount, "5"); // off: no order.
        assertThatThrownBy(() -> modify.apply(List.of(
                new AttributeChanges.Change(routingPct, "60"), new AttributeChanges.Change(dnsPct, "59"))))
                .hasMessageContaining(dnsPct);
        assertThat(modify.apply(List.of(new AttributeChanges.Change(routingPct, "60")))).containsEntry(routingPct,
                "60"); // DNS failover's percentage is off.
        // A count and a percentage are not compared.
        assertThat(modify.apply(List.of(new AttributeChanges.Change(dnsCount, "off"),
                new AttributeChanges.Change(dnsPct, "10"), new AttributeChanges.Change(routingCount, "3"))))
                .containsEntry(dnsPct, "10");
        // The ALB groups follow the same rule.
        assertThatThrownBy(() -> AlbAttributes.modifyTargetGroup(
                AlbAttributes.targetGroupDefaults(TargetType.INSTANCE), Map.of(routingCount, "4")))
                .hasMessageContaining(routingCount);
    }

    private static TargetGroup group(Protocol protocol, TargetType type, Map<String, String> attributes) {
        return new TargetGroup("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/0123456789abcdef",
                "123456789012", "us-east-1", "tg", protocol, 80, VpcId.of("vpc-1"), type, IpFamily.IPV4, null, null,
                List.of(),
                attributes, Instant.EPOCH, Map.of());
    }

    private static LoadBalancer balancer(LoadBalancer.Type type, String crossZone) {
        return new LoadBalancer("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/lb/0123456789a",
                "123456789012", "us-east-1", "lb", type, LoadBalancer.Scheme.INTERNAL, VpcId.of("vpc-1"),
                LoadBalancer.IpAddressType.IPV4, List.of(), List.of(),
                Map.of("load_balancing.cross_zone.enabled", crossZone), Instant.EPOCH, Map.of());
    }

    @Test
    void clientIpPreservation_isAlwaysOnForUdpGroups_andTheAttributeOrTheTargetTypeOtherwise() {
        Map<String, String> off = Map.of("preserve_client_ip.enabled", "false");
        Map<String, String> on = Map.of("preserve_client_ip.enabled", "true");
        assertThat(TargetGroupAttributes.preservesClientIp(group(Protocol.TCP_UDP, TargetType.IP, off))).isTrue();
        assertThat(TargetGroupAttributes.preservesClientIp(group(Protocol.UDP, TargetType.IP, Map.of()))).isTrue();
        assertThat(TargetGroupAttributes.preservesClientIp(group(Protocol.TCP, TargetType.INSTANCE, off))).isFalse();
        assertThat(TargetGroupAttributes.preservesClientIp(group(Protocol.TLS, TargetType.IP, on))).isTrue();
        assertThat(TargetGroupAttributes.preservesClientIp(group(Protocol.TCP, TargetType.IP, Map.of()))).isFalse();
        assertThat(TargetGroupAttributes.preservesClientIp(group(Protocol.TCP, TargetType.INSTANCE, Map.of())))
                .isTrue();
        // Turning it off is refused where AWS cannot turn it off.
        assertThatThrownBy(() -> TargetGroupAttributes.modifyNlb(
                TargetGroupAttributes.defaults(Protocol.UDP, TargetType.IP),
                List.of(new AttributeChanges.Change("preserve_client_ip.enabled", "false")), Protocol.UDP))
                .hasMessage("Client IP preservation cannot be disabled for target groups with the UDP protocol");
        assertThat(TargetGroupAttributes.modifyNlb(TargetGroupAttributes.defaults(Protocol.TCP, TargetType.IP),
                List.of(new AttributeChanges.Change("preserve_client_ip.enabled", "true")), Protocol.TCP))
                .containsEntry("preserve_client_ip.enabled", "true");
    }

    @Test
    void crossZone_isTheGroupsSetting_elseTheLoadBalancers_alwaysOnForAnAlb() {
        Map<String, String> inherit = Map.of("load_balancing.cross_zone.enabled", "use_load_balancer_configuration");
        LoadBalancer nlbOff = balancer(LoadBalancer.Type.NETWORK, "false");
        LoadBalancer nlbOn = balancer(LoadBalancer.Type.NETWORK, "true");
        assertThat(TargetGroupAttributes.crossZone(nlbOff, group(Protocol.TCP, TargetType.IP, inherit))).isFalse();
        assertThat(TargetGroupAttributes.crossZone(nlbOn, group(Protocol.TCP, TargetType.IP, inherit))).isTrue();
        assertThat(TargetGroupAttributes.crossZone(nlbOn, group(Protocol.TCP, TargetType.IP,
                Map.of("load_balancing.cross_zone.enabled", "false")))).isFalse();
        assertThat(TargetGroupAttributes.crossZone(nlbOff, group(Protocol.TCP, TargetType.IP,
                Map.of("load_balancing.cross_zone.enabled", "true")))).isTrue();
        assertThat(TargetGroupAttributes.crossZone(balancer(LoadBalancer.Type.APPLICATION, "false"),
                group(Protocol.HTTP, TargetType.IP, inherit))).isTrue();
        assertThat(TargetGroupAttributes.terminatesOnUnhealthy(group(Protocol.UDP, TargetType.IP, Map.of())))
                .isTrue();
        assertThat(TargetGroupAttributes.terminatesOnUnhealthy(group(Protocol.UDP, TargetType.IP, Map.of(
                "target_health_state.unhealthy.connection_termination.enabled", "false")))).isFalse();
    }
}
