package dev.underpass.model.elb;

import dev.underpass.model.net.IpFamily;
import static dev.underpass.model.elb.ElbAssert.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import org.junit.jupiter.api.Test;

/** CreateTargetGroup's protocol, IP address type and protocol version rules. */
class TargetGroupRulesTest {
    @Test
    void protocols_albGroupsAreTcp_andGeneveAndQuicAreNotEmulated() {
        assertThatNoException().isThrownBy(() -> TargetGroupRules.requireProtocol(TargetType.ALB, Protocol.TCP));
        assertThatNoException().isThrownBy(() -> TargetGroupRules.requireProtocol(TargetType.IP, Protocol.TCP_UDP));
        assertRefused(() -> TargetGroupRules.requireProtocol(TargetType.ALB, Protocol.TLS), "ValidationError",
                "A target group with target type 'alb' must use the TCP protocol, not 'TLS'");
        for (Protocol p : new Protocol[] {Protocol.GENEVE, Protocol.QUIC, Protocol.TCP_QUIC}) {
            assertRefused(() -> TargetGroupRules.requireProtocol(TargetType.INSTANCE, p), "InvalidConfigurationRequest",
                    "underpass does not support the target group protocol '" + p + "'");
        }
        assertRefused(() -> TargetGroupRules.requireIpAddressType(IpFamily.IPV6),
                "InvalidConfigurationRequest",
                "underpass supports only the 'ipv4' IP address type for target groups, not 'ipv6'");
    }

    @Test
    void protocolVersion_isHttp1ByDefaultForHttp_andRefusedForTheOthers() {
        assertThat(TargetGroupRules.protocolVersion(Protocol.HTTP, null)).isEqualTo("HTTP1");
        assertThat(TargetGroupRules.protocolVersion(Protocol.HTTPS, "grpc")).isEqualTo("GRPC");
        assertThat(TargetGroupRules.protocolVersion(Protocol.TCP, null)).isNull();
        assertThat(TargetGroupRules.protocolVersion(Protocol.HTTP, "")).isEqualTo("HTTP1"); // Terraform sends it empty.
        assertThat(TargetGroupRules.protocolVersion(Protocol.TCP, "")).isNull();
        assertRefused(() -> TargetGroupRules.protocolVersion(Protocol.UDP, "HTTP2"), "ValidationError",
                "A protocol version can only be specified for HTTP and HTTPS target groups, not UDP");
        assertThat(TargetGroupRules.isHttp(Protocol.HTTPS)).isTrue();
        assertThat(TargetGroupRules.isHttp(null)).isFalse();
    }
}
