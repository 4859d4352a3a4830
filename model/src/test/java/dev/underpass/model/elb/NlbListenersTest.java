package dev.underpass.model.elb;

import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.net.IpFamily;
import static dev.underpass.model.elb.ElbAssert.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a Network Load Balancer listener may be and forward to. */
class NlbListenersTest {
    private static final String VPC = "vpc-0123456789abcdef0";
    private static final LoadBalancer NLB = new LoadBalancer(
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/edge/0123456789abcdef",
            "123456789012", "us-east-1", "edge", LoadBalancer.Type.NETWORK, LoadBalancer.Scheme.INTERNAL, VpcId.of(VPC),
            LoadBalancer.IpAddressType.IPV4,
            List.of(), List.of(), Map.of(),
            Instant.EPOCH, Map.of());

    private static TargetGroup group(Protocol protocol, String vpcId, TargetType targetType) {
        return new TargetGroup("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/0123456789abcdef",
                "123456789012", "us-east-1", "tg", protocol, 80, VpcId.of(vpcId), targetType, IpFamily.IPV4,
                null, null, List.of(),
                Map.of(), Instant.EPOCH, Map.of());
    }

    @Test
    void protocols_areTheFourOfAnNlb() {
        for (Protocol p : NlbListeners.PROTOCOLS) {
            assertThatNoException().isThrownBy(() -> NlbListeners.requireProtocol(p));
        }
        assertRefused(() -> NlbListeners.requireProtocol(Protocol.HTTP), "UnsupportedProtocol",
                "Protocol 'HTTP' is not supported for Network Load Balancers; use TCP, UDP, TCP_UDP or TLS");
        assertThat(Protocol.values()).contains(NlbListeners.PROTOCOLS.toArray(Protocol[]::new)).contains(Protocol.HTTP,
                Protocol.GENEVE);
    }

    @Test
    void targetGroups_mustShareTheVpcAndFitTheProtocol() {
        assertThatNoException()
                .isThrownBy(
                        () -> NlbListeners.requireUsable(NLB, group(Protocol.TCP, VPC, TargetType.IP), Protocol.TLS));
        assertThatNoException()
                .isThrownBy(() -> NlbListeners.requireUsable(NLB, group(Protocol.TCP_UDP, VPC, TargetType.IP),
                        Protocol.UDP));
        assertRefused(() -> NlbListeners.requireUsable(NLB, group(Protocol.TCP, VPC, TargetType.IP), Protocol.UDP),
                "IncompatibleProtocols",
                "The listener protocol 'UDP' is not compatible with the target group protocol 'TCP'");
        assertRefused(() -> NlbListeners.requireUsable(NLB, group(Protocol.TCP, "vpc-1", TargetType.IP), Protocol.TCP),
                "InvalidConfigurationRequest", "Target group '" + group(Protocol.TCP, "vpc-1", TargetType.IP).arn()
                        + "' is in VPC 'vpc-1', but the load balancer is in VPC '" + VPC + "'");
        assertRefused(() -> NlbListeners.requireUsable(NLB, group(null, null, TargetType.LAMBDA), Protocol.TCP),
                "InvalidConfigurationRequest", "Target group '" + group(null, null, TargetType.LAMBDA).arn()
                        + "' of target type 'lambda' cannot be used by a Network Load Balancer");
        assertThatNoException()
                .isThrownBy(
                        () -> NlbListeners.requireUsable(NLB, group(Protocol.TCP, VPC, TargetType.ALB), Protocol.TCP));
        assertRefused(() -> NlbListeners.requireUsable(NLB, group(Protocol.TCP, VPC, TargetType.ALB), Protocol.TLS),
                "IncompatibleProtocols",
                "A target group of target type 'alb' can only be used by a TCP listener, not TLS");
    }

    @Test
    void tls_needsOneCertificate_andDefaultsItsPolicy_othersTakeNone() {
        NlbListeners.Security tls = NlbListeners.security(Protocol.TLS, List.of(ACM), null, null);
        assertThat(tls).isEqualTo(new NlbListeners.Security(List.of(ACM), NlbListeners.DEFAULT_TLS_POLICY,
                List.of()));
        assertThat(NlbListeners.security(Protocol.TLS, List.of(ACM), "ELBSecurityPolicy-2016-08",
                List.of("HTTP2Only")).sslPolicy()).isEqualTo("ELBSecurityPolicy-2016-08");
        assertRefused(() -> NlbListeners.security(Protocol.TLS, List.of(), null, null), "CertificateNotFound",
                "A certificate must be specified for a TLS listener");
        assertRefused(() -> NlbListeners.security(Protocol.TLS, List.of("a", "b"), null, null), "ValidationError",
                "Only one default certificate can be given for a listener");
        assertThat(NlbListeners.security(Protocol.TCP, List.of(), null, List.of()))
                .isEqualTo(new NlbListeners.Security(List.of(), null, List.of()));
        assertRefused(() -> NlbListeners.security(Protocol.TCP, List.of(), null, List.of("HTTP2Only")),
                "ALPNPolicyNotFound", "An ALPN policy can only be specified for TLS listeners, not TCP");
        for (String alpn : NlbListeners.ALPN_POLICIES) {
            assertThat(NlbListeners.security(Protocol.TLS, List.of(ACM), null, List.of(alpn)).alpn())
                    .containsExactly(alpn);
        }
        assertRefused(() -> NlbListeners.security(Protocol.TLS, List.of(ACM), null, List.of("HTTP3")),
                "ALPNPolicyNotFound",
                "ALPN policy 'HTTP3' not found; valid policies: HTTP1Only, HTTP2Only, HTTP2Optional, HTTP2Preferred, "
                        + "None");
        assertRefused(() -> NlbListeners.security(Protocol.TLS, List.of(ACM), null, List.of("None", "HTTP1Only")),
                "ValidationError", "Only one ALPN policy can be specified for a listener");
        assertRefused(() -> NlbListeners.security(Protocol.UDP, List.of(), "ELBSecurityPolicy-2016-08", null),
                "ValidationError", "Certificates and an SSL policy can only be specified for TLS listeners, not UDP");
    }

    private static final String ACM = "arn:aws:acm:us-east-1:123456789012:certificate/3dcb0a41-bd72-4774-9ad9-756919c4";

    @Test
    void tls_takesAcmAndIamServerCertificateArns_inTheThreePartitions_only() {
        for (String arn : List.of(ACM, "arn:aws-cn:acm:cn-north-1:123456789012:certificate/abc-123",
                "arn:aws-us-gov:acm:us-gov-west-1:123456789012:certificate/abc",
                "arn:aws:iam::123456789012:server-certificate/web", "arn:aws:iam::123456789012:server-certificate"
                        + "/division_abc/ProdServerCert+2024@example.com")) {
            assertThat(NlbListeners.security(Protocol.TLS, List.of(arn), null, null).certificates())
                    .containsExactly(arn);
        }
        for (String arn : List.of("", "garbage", "arn:cert", "arn:aws:s3:::bucket/certificate/x",
                "arn:aws:acm:us-east-1:123456789012:certificate/", "arn:aws:acm:us-east-1:12345:certificate/x",
                "arn:aws:acm::123456789012:certificate/x", "arn:aws:iam::123456789012:certificate/x",
                "arn:aws:iam:us-east-1:123456789012:server-certificate/x", "arn:awsx:acm:us-east-1:123456789012"
                        + ":certificate/x",
                "arn:aws:acm:us-east-1:123456789012:certificate/x\n",
                "arn:aws:iam::123456789012:server-certificate/a b")) {
            assertRefused(() -> NlbListeners.security(Protocol.TLS, List.of(arn), null, null), "CertificateNotFound",
                    "Certificate '" + arn + "' not found: a TLS listener takes an ACM certificate ARN or an IAM "
                            + "server certificate ARN");
        }
    }
}
