package dev.underpass.reach;

import static dev.underpass.reach.Net.in;
import static dev.underpass.reach.Net.outAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.model.elb.LoadBalancer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A load balancer as the destination (by ARN, DNS name or address): the client's leg to the load balancer's node
 * (its security groups on the way in), the listener, the target group and the leg to the target. An Application
 * Load Balancer opens its own connection, so the target sees the load balancer's address; a Network Load
 * Balancer's instance targets see the client's.
 */
class LoadBalancerDestinationTest {
    static final String C = AnalyzerScenarioTest.CONSUMER;

    /** A client and a web instance in two subnets; an internal ALB (HTTP 80 → 8080) in both subnets. */
    static Net withAlb(String albIngressCidr, String webIngressCidr) {
        return AnalyzerScenarioTest.twoSubnets()
                .sg("sg-alb", "vpc-a", outAll(), in("tcp", 80, 80, albIngressCidr))
                .sg("sg-web", "vpc-a", outAll(), in("tcp", 8080, 8080, webIngressCidr))
                .alb("front", "vpc-a", List.of("subnet-a1", "subnet-a2"), List.of("10.1.1.100", "10.1.2.100"),
                        "sg-alb")
                .targetGroup("web", "vpc-a", 8080, "i-web")
                .albListener("front", C, 80, "web");
    }

    @Test
    void internalAlb_byArnDnsNameOrAddress_reachesItsTarget() {
        Net n = withAlb("10.1.0.0/16", "10.1.0.0/16");
        String arn = Net.albArn(C, "front");
        String dns = n.world.find(LoadBalancer.class, arn).orElseThrow().dnsName();
        for (String to : List.of(arn, dns, "10.1.1.100")) {
            Analysis a = n.trace(C, "i-client", to, 80);
            assertThat(a.blockers()).as(to).isEmpty();
            assertThat(a.reachable()).isTrue();
            assertThat(a.forward()).extracting(Hop::component).contains(arn, arn.replace(":loadbalancer/",
                    ":listener/") + "/80", Net.tgArn(C, "web"), "i-web");
            Hop last = a.forward().get(a.forward().size() - 1);
            assertThat(last.component()).isEqualTo("eni-web");
            assertThat(last.detail().inbound().sourceAddress()).as("the ALB's own address in the client's zone")
                    .isEqualTo("10.1.1.100");
            assertThat(last.detail().inbound().destinationPort()).isEqualTo(8080);
        }
    }

    @Test
    void albGroupRefusingTheClient_isEniSgRulesMismatchOnTheAlbsGroup() {
        Analysis a = withAlb("10.9.0.0/16", "10.1.0.0/16").trace(C, "i-client", Net.albArn(C, "front"), 80);
        assertThat(a.reachable()).isFalse();
        assertThat(a.blockers()).extracting(Blocker::key)
                .containsExactly("ENI_SG_RULES_MISMATCH sg-alb ingress forward");
    }

    @Test
    void targetAdmittingOnlyTheClientsAddress_isBlockedBehindAnAlb_butNotBehindAnNlb() {
        Net n = withAlb("10.1.0.0/16", "10.1.1.10/32")
                .nlb("back", "vpc-a", List.of("subnet-a2"), List.of("10.1.2.200"), List.of(), Map.of())
                .listener("back", C, 8080, "web");
        Analysis viaAlb = n.trace(C, "i-client", Net.albArn(C, "front"), 80);
        assertThat(viaAlb.blockers()).extracting(Blocker::key)
                .containsExactly("ENI_SG_RULES_MISMATCH sg-web ingress forward");
        Analysis viaNlb = n.trace(C, "i-client", Net.lbArn(C, "back"), 8080);
        assertThat(viaNlb.blockers()).isEmpty();
        Hop last = viaNlb.forward().get(viaNlb.forward().size() - 1);
        assertThat(last.detail().inbound().sourceAddress()).as("client address preserved").isEqualTo("10.1.1.10");
    }

    @Test
    void noListenerOnThePort_isElbv2ListenersMismatch() {
        Analysis a = withAlb("10.1.0.0/16", "10.1.0.0/16").trace(C, "i-client", Net.albArn(C, "front"), 80 + 1);
        assertThat(a.blockers()).extracting(Blocker::code).contains("ELBV2_LISTENERS_MISMATCH");
    }
}
