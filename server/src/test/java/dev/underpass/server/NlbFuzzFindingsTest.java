package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ElasticLoadBalancingV2Exception;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupAttribute;

/**
 * Network Load Balancer requests the stateful fuzzer's NLB steps found answered wrongly, each as AWS answers it: the
 * error code, the status, and no change to what Describe shows.
 */
class NlbFuzzFindingsTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();
    private static final String ACCOUNT = "515151515151";
    private static final String ACM =
            "arn:aws:acm:us-east-1:515151515151:certificate/8f0c2a14-6b1d-4e77-9a3c-0d5e4f1b2c3a";
    private static final String IAM = "arn:aws:iam::515151515151:server-certificate/edge/web-2024";

    private static ElasticLoadBalancingV2Client elb;
    private static String nlb;
    private static String tcpGroup;
    private static String vpc;

    @BeforeAll
    static void network() {
        elb = UNDERPASS.elbv2(ACCOUNT);
        Ec2Client ec2 = UNDERPASS.ec2(ACCOUNT);
        var net = TestVpcs.net(ec2, "10.61.0.0/16", "10.61.1.0/24", "us-east-1a");
        vpc = net.vpc().vpcId();
        String second = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.61.2.0/24").availabilityZone("us-east-1b"))
                .subnet().subnetId();
        nlb = elb.createLoadBalancer(r -> r.name("findings").type("network").scheme("internal")
                .subnets(net.subnet().subnetId(), second)).loadBalancers().get(0).loadBalancerArn();
        tcpGroup = elb.createTargetGroup(r -> r.name("findings-tcp").protocol("TCP").port(443).vpcId(vpc)
                .targetType("ip")).targetGroups().get(0).targetGroupArn();
    }

    private static void assertError(Runnable call, String code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ElasticLoadBalancingV2Exception.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorMessage()).isNotBlank();
        });
    }

    private static List<Listener> listeners() {
        return elb.describeListeners(r -> r.loadBalancerArn(nlb)).listeners();
    }

    private static Listener tls(int port, String certificate) {
        return elb.createListener(r -> r.loadBalancerArn(nlb).port(port).protocol("TLS")
                .certificates(c -> c.certificateArn(certificate))
                .defaultActions(Action.builder().type("forward").targetGroupArn(tcpGroup).build())).listeners().get(0);
    }

    @Test
    void tlsListener_certificateMustBeAnAcmOrIamServerCertificateArn() {
        List<Listener> before = listeners();
        for (String bad : List.of("garbage", "arn:aws:s3:::bucket/certificate/x", "",
                "arn:aws:acm:us-east-1:515151515151:certificate/", "arn:aws:iam::515151515151:user/web")) {
            assertError(() -> tls(9443, bad), "CertificateNotFound");
        }
        assertThat(listeners()).isEqualTo(before);

        Listener acm = tls(9443, ACM);
        Listener iam = tls(9444, IAM);
        assertThat(acm.certificates()).singleElement().satisfies(c -> assertThat(c.certificateArn()).isEqualTo(ACM));
        assertThat(iam.certificates()).singleElement().satisfies(c -> assertThat(c.certificateArn()).isEqualTo(IAM));

        // ModifyListener takes the same rule, and a refused one leaves the listener as it was.
        assertError(() -> elb.modifyListener(r -> r.listenerArn(acm.listenerArn())
                .certificates(c -> c.certificateArn("arn:aws:s3:::bucket"))), "CertificateNotFound");
        assertThat(elb.describeListeners(r -> r.listenerArns(acm.listenerArn())).listeners()).containsExactly(acm);
        Listener moved = elb.modifyListener(r -> r.listenerArn(acm.listenerArn())
                .certificates(c -> c.certificateArn(IAM))).listeners().get(0);
        assertThat(moved.certificates()).singleElement()
                .satisfies(c -> assertThat(c.certificateArn()).isEqualTo(IAM));

        Listener tcp = elb.createListener(r -> r.loadBalancerArn(nlb).port(9445).protocol("TCP")
                .defaultActions(Action.builder().type("forward").targetGroupArn(tcpGroup).build())).listeners().get(0);
        assertError(() -> elb.modifyListener(r -> r.listenerArn(tcp.listenerArn()).protocol("TLS")
                .certificates(c -> c.certificateArn("not-a-certificate"))), "CertificateNotFound");
        assertThat(elb.describeListeners(r -> r.listenerArns(tcp.listenerArn())).listeners()).containsExactly(tcp);
    }

    private static Map<String, String> attributes(String group) {
        return elb.describeTargetGroupAttributes(r -> r.targetGroupArn(group)).attributes().stream()
                .collect(Collectors.toMap(TargetGroupAttribute::key, TargetGroupAttribute::value));
    }

    private static void modify(String group, String key, String value) {
        elb.modifyTargetGroupAttributes(r -> r.targetGroupArn(group).attributes(a -> a.key(key).value(value)));
    }

    @Test
    void targetGroupAttributes_crossZoneDrainingAndGroupHealth_takeOnlyTheirDocumentedValues_dnsThresholdAtOrAboveRouting() {
        String udp = elb.createTargetGroup(r -> r.name("findings-udp").protocol("UDP").port(53).vpcId(vpc)
                .targetType("ip")).targetGroups().get(0).targetGroupArn();
        String web = elb.createTargetGroup(r -> r.name("findings-web").protocol("HTTP").port(80).vpcId(vpc)
                .targetType("ip")).targetGroups().get(0).targetGroupArn();
        Map<String, List<String>> bad = Map.of(
                "load_balancing.cross_zone.enabled", List.of("maybe", "on", ""),
                "target_health_state.unhealthy.draining_interval_seconds", List.of("soon", "-5", "360001"),
                "target_group_health.dns_failover.minimum_healthy_targets.count", List.of("0", "many", "-1"),
                "target_group_health.dns_failover.minimum_healthy_targets.percentage", List.of("0", "101", "half"),
                "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", List.of("off", "0"),
                "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", List.of("100%"));
        for (String group : List.of(udp, web)) {
            Map<String, String> before = attributes(group);
            bad.forEach((key, values) -> {
                for (String value : values) {
                    if (group.equals(web) && key.startsWith("target_health_state")) {
                        continue; // Not an ALB group's key at all.
                    }
                    assertError(() -> modify(group, key, value), "InvalidConfigurationRequest");
                }
            });
            assertThat(attributes(group)).isEqualTo(before);
        }
        modify(udp, "load_balancing.cross_zone.enabled", "true");
        modify(udp, "target_health_state.unhealthy.draining_interval_seconds", "360000");
        modify(udp, "target_group_health.dns_failover.minimum_healthy_targets.count", "off");
        modify(web, "target_group_health.dns_failover.minimum_healthy_targets.percentage", "100");
        // DNS failover's threshold may not fall below routing failover's (count against count).
        Map<String, String> webBefore = attributes(web);
        assertError(() -> modify(web, "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count",
                "3"), "InvalidConfigurationRequest");
        assertThat(attributes(web)).isEqualTo(webBefore);
        modify(web, "target_group_health.dns_failover.minimum_healthy_targets.count", "3");
        modify(web, "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", "3");
        assertError(() -> modify(web, "target_group_health.dns_failover.minimum_healthy_targets.count", "2"),
                "InvalidConfigurationRequest");
        modify(web, "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", "50");
        assertError(() -> modify(web, "target_group_health.dns_failover.minimum_healthy_targets.percentage", "40"),
                "InvalidConfigurationRequest"); // Percentage against percentage.
        assertThat(attributes(udp)).containsEntry("load_balancing.cross_zone.enabled", "true")
                .containsEntry("target_health_state.unhealthy.draining_interval_seconds", "360000")
                .containsEntry("target_group_health.dns_failover.minimum_healthy_targets.count", "off");
        assertThat(attributes(web))
                .containsEntry("target_group_health.dns_failover.minimum_healthy_targets.percentage", "100")
                .containsEntry("target_group_health.dns_failover.minimum_healthy_targets.count", "3")
                .containsEntry("target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", "3")
                .containsEntry("target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", "50");
    }

    @Test
    void tlsListener_againOnItsPortWithAnotherCertificateOrPolicy_isDuplicateListener_andAnUnknownPolicyIsRefused() {
        Listener first = tls(9500, ACM);
        assertThat(tls(9500, ACM)).isEqualTo(first); // The same settings: CreateListener is idempotent.
        assertError(() -> tls(9500, IAM), "DuplicateListener");
        assertError(() -> elb.createListener(r -> r.loadBalancerArn(nlb).port(9500).protocol("TLS")
                .sslPolicy("ELBSecurityPolicy-TLS13-1-3-2021-06").certificates(c -> c.certificateArn(ACM))
                .defaultActions(Action.builder().type("forward").targetGroupArn(tcpGroup).build())),
                "DuplicateListener");
        assertError(() -> elb.createListener(r -> r.loadBalancerArn(nlb).port(9501).protocol("TLS")
                .sslPolicy("ELBSecurityPolicy-Bogus").certificates(c -> c.certificateArn(ACM))
                .defaultActions(Action.builder().type("forward").targetGroupArn(tcpGroup).build())),
                "SSLPolicyNotFound");
        assertError(() -> elb.modifyListener(r -> r.listenerArn(first.listenerArn()).sslPolicy("nope")),
                "SSLPolicyNotFound");
        assertThat(listeners().stream().filter(l -> l.port() == 9500 || l.port() == 9501).toList())
                .containsExactly(first);
    }

    @Test
    void alpnPolicy_isOneOfTheFiveNames_onTlsListenersOnly() {
        Listener first = tls(9510, ACM);
        assertThat(first.alpnPolicy()).containsExactly("None");
        for (String bad : List.of("HTTP3Only", "http2only", "")) {
            assertError(() -> elb.modifyListener(r -> r.listenerArn(first.listenerArn()).alpnPolicy(bad)),
                    "ALPNPolicyNotFound");
        }
        assertError(() -> elb.modifyListener(r -> r.listenerArn(first.listenerArn())
                .alpnPolicy("HTTP2Only", "HTTP1Only")), "ValidationError");
        assertError(() -> elb.createListener(r -> r.loadBalancerArn(nlb).port(9511).protocol("TCP")
                .alpnPolicy("HTTP2Preferred")
                .defaultActions(Action.builder().type("forward").targetGroupArn(tcpGroup).build())),
                "ALPNPolicyNotFound");
        assertThat(listeners().stream().filter(l -> l.port() == 9510 || l.port() == 9511).toList())
                .containsExactly(first);
        Listener h2 = elb.modifyListener(r -> r.listenerArn(first.listenerArn()).alpnPolicy("HTTP2Preferred"))
                .listeners().get(0);
        assertThat(h2.alpnPolicy()).containsExactly("HTTP2Preferred");
        // Turned into a TCP listener, it drops its certificate, security policy and ALPN policy.
        Listener tcp = elb.modifyListener(r -> r.listenerArn(first.listenerArn()).protocol("TCP")
                .certificates(java.util.Collections.emptyList())).listeners().get(0);
        assertThat(tcp.protocolAsString()).isEqualTo("TCP");
        assertThat(tcp.alpnPolicy()).isEmpty();
        assertThat(tcp.sslPolicy()).isNull();
    }
}
