package dev.underpass.reach;

import static dev.underpass.reach.Net.in;
import static dev.underpass.reach.Net.keys;
import static dev.underpass.reach.Net.outAll;
import static dev.underpass.reach.Net.toGateway;
import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.model.ec2.VpcEndpoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The seed's practice question: a consumer in another account must reach an application in the provider's VPC,
 * without peering. Of the four answers (a virtual private gateway per pair, a proxy in the provider VPC, an endpoint
 * service, an internal ALB) only the endpoint service gets through; the analyzer says why each other one fails.
 */
class SeedQuestionTest {
    static final String CONSUMER = AnalyzerScenarioTest.CONSUMER;
    static final String PROVIDER = AnalyzerScenarioTest.PROVIDER;

    /** Both sides, with nothing joining the VPCs but the endpoint service. */
    static Net network() {
        return AnalyzerScenarioTest.consumerClient()
                .vpc(PROVIDER, "vpc-p", "10.2.0.0/16")
                .subnet("subnet-p1", "vpc-p", "10.2.1.0/24", "us-east-1a", "use1-az1")
                .sg("sg-app", "vpc-p", outAll(), in("tcp", 8443, 8443, "10.2.0.0/16"))
                .sg("sg-front", "vpc-p", outAll(), in("tcp", 443, 443, "0.0.0.0/0"))
                .instance("i-app", "subnet-p1", "10.2.1.30", "sg-app")
                // answer 2: a proxy instance in the provider's VPC
                .instance("i-proxy", "subnet-p1", "10.2.1.40", "sg-front")
                // answer 4: an internal ALB (its interface in the provider's subnet)
                .eni("eni-alb", "subnet-p1", "10.2.1.50", "sg-front")
                // answer 3: the endpoint service
                .nlb("svc", "vpc-p", List.of("subnet-p1"), List.of("10.2.1.5"), List.of(), Map.of())
                .targetGroup("app", "vpc-p", 8443, "i-app")
                .listener("svc", PROVIDER, 443, "app")
                .service("vpce-svc-1", PROVIDER, "svc", "us-east-1a/use1-az1")
                .endpoint("vpce-1", "vpc-c", "vpce-svc-1", VpcEndpoint.State.AVAILABLE, "eni-vpce1", "subnet-c1",
                        "10.1.1.20", "sg-vpce");
    }

    @Test
    void endpointService_isTheOnlyAnswerThatReaches() {
        Analysis a = network().trace(CONSUMER, "i-client", "vpce-svc-1", 443);
        assertThat(a.reachable()).isTrue();
        assertThat(a.forward().get(a.forward().size() - 1).component()).isEqualTo("eni-app");
    }

    @Test
    void proxyInTheProviderVpc_hasNoRouteEitherWay() {
        Analysis a = network().trace(CONSUMER, "i-client", "i-proxy", 443);
        assertThat(keys(a)).containsExactly("NO_ROUTE_TO_DESTINATION rtb-main-vpc-c null forward",
                "NO_ROUTE_TO_DESTINATION rtb-main-vpc-p null return");
        assertThat(a.blockers().get(0).fix()).contains("peering connection with vpc-p");
    }

    @Test
    void internalAlb_hasNoRouteEitherWay() {
        Analysis a = network().trace(CONSUMER, "i-client", "eni-alb", 443);
        assertThat(keys(a)).containsExactly("NO_ROUTE_TO_DESTINATION rtb-main-vpc-c null forward",
                "NO_ROUTE_TO_DESTINATION rtb-main-vpc-p null return");
    }

    @Test
    void virtualPrivateGatewayPerPair_isExplainedAsUnsupported() {
        Net n = network().routes("vpc-c", toGateway("10.2.0.0/16", "vgw-1"));
        Analysis a = n.trace(CONSUMER, "i-client", "i-app", 443);
        assertThat(keys(a)).contains("UNSUPPORTED_COMPONENT rtb-main-vpc-c null forward");
        assertThat(a.blockers().get(0).message()).contains("vgw-1");
    }
}
