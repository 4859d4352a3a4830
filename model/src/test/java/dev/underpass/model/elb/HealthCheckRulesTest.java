package dev.underpass.model.elb;

import static dev.underpass.model.elb.ElbAssert.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A target group's health check: the defaults per kind and the checks {@link HealthCheckRules#settle} makes. */
class HealthCheckRulesTest {
    private static final HealthCheckRules.Kind TCP = new HealthCheckRules.Kind(Protocol.TCP, TargetType.INSTANCE, null);
    private static final HealthCheckRules.Kind HTTP = new HealthCheckRules.Kind(Protocol.HTTP, TargetType.IP, "HTTP1");
    private static final HealthCheckRules.Kind GRPC = new HealthCheckRules.Kind(Protocol.HTTPS, TargetType.IP, "GRPC");
    private static final HealthCheckRules.Kind ALB = new HealthCheckRules.Kind(Protocol.TCP, TargetType.ALB, null);
    private static final HealthCheckRules.Kind LAMBDA = new HealthCheckRules.Kind(null, TargetType.LAMBDA, null);

    private static TargetGroup.HealthCheck check(Protocol protocol, String port, String path, int interval,
            int timeout, String matcher) {
        return new TargetGroup.HealthCheck(true, protocol, port, path, interval, timeout, 5, 2, matcher);
    }

    @Test
    void defaults_perKind() {
        assertThat(TCP.defaultProtocol()).isEqualTo(Protocol.TCP);
        assertThat(HTTP.defaultProtocol()).isEqualTo(Protocol.HTTP);
        assertThat(ALB.defaultProtocol()).isEqualTo(Protocol.HTTP);
        assertThat(TCP.defaultTimeout(Protocol.TCP)).isEqualTo(10);
        assertThat(HTTP.defaultTimeout(Protocol.HTTP)).isEqualTo(5);
        assertThat(HTTP.defaultTimeout(Protocol.TCP)).isEqualTo(10);
        assertThat(ALB.defaultTimeout(Protocol.HTTP)).isEqualTo(6);
        assertThat(LAMBDA.defaultTimeout(null)).isEqualTo(30);
        assertThat(LAMBDA.defaultInterval()).isEqualTo(35);
        assertThat(TCP.defaultInterval()).isEqualTo(30);
    }

    @Test
    void settle_fillsThePathAndMatcherAnHttpCheckGets() {
        assertThat(HealthCheckRules.settle(check(Protocol.HTTP, "traffic-port", null, 30, 5, null), HTTP))
                .isEqualTo(check(Protocol.HTTP, "traffic-port", "/", 30, 5, "200"));
        assertThat(HealthCheckRules.settle(check(Protocol.HTTP, "8080", null, 30, 6, null), ALB))
                .isEqualTo(check(Protocol.HTTP, "8080", "/", 30, 6, "200-399"));
        assertThat(HealthCheckRules.settle(check(Protocol.HTTPS, "traffic-port", null, 30, 5, null), GRPC))
                .isEqualTo(check(Protocol.HTTPS, "traffic-port", "/AWS.ALB/healthcheck", 30, 5, "12"));
        assertThat(HealthCheckRules.settle(check(Protocol.TCP, "traffic-port", null, 30, 10, null), TCP))
                .isEqualTo(check(Protocol.TCP, "traffic-port", null, 30, 10, null));
    }

    @Test
    void settle_refusesWhatAwsRefuses() {
        assertRefused(() -> HealthCheckRules.settle(check(Protocol.TCP, "traffic-port", null, 30, 10, null), ALB),
                "ValidationError",
                "Health check protocol 'TCP' is not supported for target type 'alb'; use HTTP or HTTPS");
        assertRefused(() -> HealthCheckRules.settle(check(Protocol.UDP, "traffic-port", null, 30, 10, null), TCP),
                "ValidationError", "Health check protocol 'UDP' is not supported; use HTTP, HTTPS or TCP");
        assertRefused(() -> HealthCheckRules.settle(check(Protocol.TCP, "traffic-port", null, 30, 10, null), HTTP),
                "ValidationError",
                "Health check protocol 'TCP' is not supported for target groups with the HTTP protocol");
        assertRefused(() -> HealthCheckRules.settle(check(Protocol.TCP, "0", null, 30, 10, null), TCP),
                "ValidationError",
                "Health check port '0' must be 'traffic-port' or a number from 1 to 65535");
        assertRefused(() -> HealthCheckRules.settle(check(Protocol.TCP, "traffic-port", null, 10, 11, null), TCP),
                "ValidationError", "Health check interval must be greater than or equal to the timeout.");
        assertRefused(() -> HealthCheckRules.settle(check(Protocol.HTTP, "traffic-port", null, 6, 6, null), HTTP),
                "ValidationError", "Health check interval must be greater than the timeout.");
        // An NLB group takes the interval equal to the timeout (10 s and the TCP default, as Terraform sends).
        assertThat(
                HealthCheckRules.settle(check(Protocol.TCP, "traffic-port", null, 10, 10, null), TCP).intervalSeconds())
                .isEqualTo(10);
        assertRefused(() -> HealthCheckRules.settle(check(Protocol.TCP, "traffic-port", null, 400, 10, null), TCP),
                "ValidationError", "1 validation error detected: Value '400' at 'healthCheckIntervalSeconds' failed"
                        + " to satisfy constraint: Member must have value less than or equal to 300");
        assertRefused(() -> HealthCheckRules.settle(check(Protocol.TCP, "traffic-port", "/health", 30, 10, null), TCP),
                "InvalidConfigurationRequest", "Custom health check paths and matchers are not supported for"
                        + " health checks with the TCP protocol");
        // A protocol the API does not know is refused where the wire reads it, by the enum constraint.
        assertRefused(() -> ElbErrors.oneOf(Protocol.values(), "FTP", "healthCheckProtocol"),
                "ValidationError", "1 validation error detected: Value 'FTP' at 'healthCheckProtocol' failed to"
                        + " satisfy constraint: Member must satisfy enum value set: [HTTP, HTTPS, TCP, TLS, UDP,"
                        + " TCP_UDP, GENEVE, QUIC, TCP_QUIC]");
        assertRefused(() -> ElbErrors.oneOf(Protocol.values(), "tcp", "protocol"), "ValidationError",
                "1 validation error detected: Value 'tcp' at 'protocol' failed to satisfy constraint: Member must"
                        + " satisfy enum value set: [HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP, GENEVE, QUIC, TCP_QUIC]");
        assertThat(ElbErrors.oneOf(Protocol.values(), "TCP_UDP", "protocol")).isSameAs(Protocol.TCP_UDP);
        assertRefused(() -> ElbErrors.oneOf(LoadBalancer.Scheme.values(), "private", "scheme"), "ValidationError",
                "1 validation error detected: Value 'private' at 'scheme' failed to satisfy constraint: Member must"
                        + " satisfy enum value set: [internet-facing, internal]");
    }

    @Test
    void lambda_hasNoProtocolOrPort_andMatchersFollowTheProtocolVersion() {
        assertRefused(() -> HealthCheckRules.refuseLambdaProtocolAndPort(LAMBDA, true, false), "ValidationError",
                "A health check protocol and port cannot be specified for a Lambda target group");
        HealthCheckRules.refuseLambdaProtocolAndPort(TCP, true, true);
        assertThat(HealthCheckRules.settle(new TargetGroup.HealthCheck(false, null, null, null, 35, 30, 5, 2, null),
                LAMBDA)).isEqualTo(new TargetGroup.HealthCheck(false, null, null, "/", 35, 30, 5, 2, "200"));
        assertThat(HealthCheckRules.matcher(null, "0-99", GRPC)).isEqualTo("0-99");
        assertThat(HealthCheckRules.matcher("200", null, HTTP)).isEqualTo("200");
        assertRefused(() -> HealthCheckRules.matcher("200", null, GRPC), "ValidationError",
                "A gRPC target group takes a GrpcCode matcher, not HttpCode");
        assertRefused(() -> HealthCheckRules.matcher(null, "12", HTTP), "ValidationError",
                "A GrpcCode matcher can only be used with protocol version GRPC");
    }
}
