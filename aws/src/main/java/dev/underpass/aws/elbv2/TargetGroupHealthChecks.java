package dev.underpass.aws.elbv2;

import dev.underpass.model.AsciiDigits;
import dev.underpass.model.elb.ElbError;
import dev.underpass.model.elb.Matchers;
import dev.underpass.model.elb.TargetGroup;
import dev.underpass.model.elb.TargetGroupRules;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateTargetGroupRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Matcher;

/**
 * The health check settings of a target group: AWS's defaults per protocol and target type, the caller's overrides,
 * and the ranges and combinations AWS accepts (protocols, ports, interval above timeout, paths and matchers only for
 * HTTP checks, gRPC codes only for gRPC groups). Shared by CreateTargetGroup and ModifyTargetGroup in
 * {@link TargetGroupHandlers}; split from it because the rules fill a file of their own.
 */
final class TargetGroupHealthChecks {
    private static final List<String> HEALTH_PROTOCOLS = List.of("HTTP", "HTTPS", "TCP");

    private TargetGroupHealthChecks() {}

    static boolean httpCheck(String protocol) {
        return TargetGroupRules.isHttp(protocol);
    }

    /** What the health check rules depend on besides the settings themselves. */
    record Kind(String protocol, String targetType, String protocolVersion) {
        boolean lambda() {
            return targetType.equals("lambda");
        }

        boolean grpc() {
            return "GRPC".equals(protocolVersion);
        }

        /** Whether it is a target group of an Application Load Balancer (HTTP codes 200-499). */
        boolean forAlb() {
            return lambda() || httpCheck(protocol);
        }
    }

    static String matcherOf(Matcher m, Kind kind) {
        if (m == null) {
            return null;
        }
        if (kind.grpc()) {
            if (m.httpCode() != null) {
                throw ElbError.VALIDATION_ERROR.with("A gRPC target group takes a GrpcCode matcher, not HttpCode");
            }
            return m.grpcCode();
        }
        if (m.grpcCode() != null) {
            throw ElbError.VALIDATION_ERROR.with("A GrpcCode matcher can only be used with protocol version GRPC");
        }
        return m.httpCode();
    }

    /**
     * AWS's defaults for a new group, then the caller's overrides, checked against the model's ranges. Defaults as
     * AWS's CLI examples show them: HTTP(S) groups 30 s / 5 s / 5 / 2 and matcher 200; {@code alb} groups an HTTP
     * check of 30 s / 6 s and 200-399; Lambda groups disabled, 35 s / 30 s and 200; TCP groups 30 s / 10 s.
     */
    static TargetGroup.HealthCheck healthCheck(Kind kind, CreateTargetGroupRequest req) {
        String protocol = kind.protocol();
        boolean http = httpCheck(protocol);
        boolean alb = kind.targetType().equals("alb");
        if (kind.lambda()) {
            if (req.healthCheckProtocol() != null || req.healthCheckPort() != null) {
                throw ElbError.VALIDATION_ERROR.with(
                        "A health check protocol and port cannot be specified for a Lambda target group");
            }
            return settle(new TargetGroup.HealthCheck(Boolean.TRUE.equals(req.healthCheckEnabled()), null, null,
                    req.healthCheckPath(),
                    req.healthCheckIntervalSeconds() == null ? 35 : req.healthCheckIntervalSeconds(),
                    req.healthCheckTimeoutSeconds() == null ? 30 : req.healthCheckTimeoutSeconds(),
                    req.healthyThresholdCount() == null ? 5 : req.healthyThresholdCount(),
                    req.unhealthyThresholdCount() == null ? 2 : req.unhealthyThresholdCount(),
                    matcherOf(req.matcher(), kind)), kind);
        }
        String hcProtocol = req.healthCheckProtocolAsString() != null ? req.healthCheckProtocolAsString()
                : http ? protocol : alb ? "HTTP" : "TCP";
        int timeout = alb ? 6 : (http && !httpCheck(hcProtocol) ? 10 : http ? 5 : 10);
        return settle(new TargetGroup.HealthCheck(
                req.healthCheckEnabled() == null || req.healthCheckEnabled(),
                hcProtocol,
                req.healthCheckPort() == null ? "traffic-port" : req.healthCheckPort(),
                req.healthCheckPath(),
                req.healthCheckIntervalSeconds() == null ? 30 : req.healthCheckIntervalSeconds(),
                req.healthCheckTimeoutSeconds() == null ? timeout : req.healthCheckTimeoutSeconds(),
                req.healthyThresholdCount() == null ? 5 : req.healthyThresholdCount(),
                req.unhealthyThresholdCount() == null ? 2 : req.unhealthyThresholdCount(),
                matcherOf(req.matcher(), kind)), kind);
    }

    static TargetGroup.HealthCheck settle(TargetGroup.HealthCheck hc, Kind kind) {
        String protocol = kind.protocol();
        if (kind.lambda()) {
            ElbShapes.range(hc.intervalSeconds(), "HealthCheckIntervalSeconds", 5, 300);
            ElbShapes.range(hc.timeoutSeconds(), "HealthCheckTimeoutSeconds", 2, 120);
            ElbShapes.range(hc.healthyThreshold(), "HealthyThresholdCount", 2, 10);
            ElbShapes.range(hc.unhealthyThreshold(), "UnhealthyThresholdCount", 2, 10);
            String matcher = Matchers.httpCode(Objects.requireNonNullElse(hc.matcher(), "200"), 200, 499);
            return new TargetGroup.HealthCheck(hc.enabled(), null, null, Objects.requireNonNullElse(hc.path(), "/"),
                    hc.intervalSeconds(), hc.timeoutSeconds(), hc.healthyThreshold(), hc.unhealthyThreshold(),
                    matcher);
        }
        ElbShapes.oneOf(hc.protocol(), "HealthCheckProtocol", TargetGroupRules.PROTOCOLS);
        if (kind.targetType().equals("alb") && !httpCheck(hc.protocol())) {
            throw ElbError.VALIDATION_ERROR.format(
                    "Health check protocol '%s' is not supported for target type 'alb'; use HTTP or HTTPS",
                    hc.protocol());
        }
        if (!HEALTH_PROTOCOLS.contains(hc.protocol())) {
            throw ElbError.VALIDATION_ERROR.format(
                    "Health check protocol '%s' is not supported; use HTTP, HTTPS or TCP", hc.protocol());
        }
        if (httpCheck(protocol) && hc.protocol().equals("TCP")) {
            throw ElbError.VALIDATION_ERROR.format(
                    "Health check protocol 'TCP' is not supported for target groups with the %s protocol", protocol);
        }
        if (!hc.port().equals("traffic-port")) {
            int port = AsciiDigits.parseUnsigned(hc.port(), 65535);
            if (port < 1) {
                throw ElbError.VALIDATION_ERROR.format(
                        "Health check port '%s' must be 'traffic-port' or a number from 1 to 65535", hc.port());
            }
        }
        ElbShapes.range(hc.intervalSeconds(), "HealthCheckIntervalSeconds", 5, 300);
        ElbShapes.range(hc.timeoutSeconds(), "HealthCheckTimeoutSeconds", 2, 120);
        ElbShapes.range(hc.healthyThreshold(), "HealthyThresholdCount", 2, 10);
        ElbShapes.range(hc.unhealthyThreshold(), "UnhealthyThresholdCount", 2, 10);
        if (hc.timeoutSeconds() >= hc.intervalSeconds()) {
            throw ElbError.VALIDATION_ERROR.format(
                    "Health check timeout '%d' must be smaller than the interval '%d'", hc.timeoutSeconds(),
                    hc.intervalSeconds());
        }
        boolean http = httpCheck(hc.protocol());
        if (!http && (hc.path() != null || hc.matcher() != null)) {
            throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                    "Custom health check paths and matchers are not supported for health checks with the %s"
                            + " protocol",
                    hc.protocol());
        }
        String path = http ? Objects.requireNonNullElse(hc.path(), kind.grpc() ? "/AWS.ALB/healthcheck" : "/")
                : null;
        String matcher = null;
        if (http && kind.grpc()) {
            matcher = Matchers.grpcCode(Objects.requireNonNullElse(hc.matcher(), "12"));
        } else if (http) {
            matcher = Objects.requireNonNullElse(hc.matcher(), httpCheck(protocol) ? "200" : "200-399");
            matcher = kind.forAlb() ? Matchers.httpCode(matcher, 200, 499) : Matchers.httpCode(matcher, 200, 599);
        }
        return new TargetGroup.HealthCheck(hc.enabled(), hc.protocol(), hc.port(), path, hc.intervalSeconds(),
                hc.timeoutSeconds(), hc.healthyThreshold(), hc.unhealthyThreshold(), matcher);
    }
}
