package dev.underpass.model.elb;

import dev.underpass.model.AsciiDigits;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The health check rules of a target group: AWS's defaults per protocol and target type, and the ranges and
 * combinations AWS accepts (protocols, ports, interval above timeout, paths and matchers only for HTTP checks, gRPC
 * codes only for gRPC groups). The handlers read the request's settings and hand them here; {@link #settle} checks
 * the whole check and fills what follows from the rest.
 */
public final class HealthCheckRules {
    private static final Set<Protocol> PROTOCOLS = EnumSet.of(Protocol.HTTP, Protocol.HTTPS, Protocol.TCP);

    private HealthCheckRules() {}

    /** What the health check rules depend on besides the settings themselves. */
    public record Kind(Protocol protocol, TargetType targetType, String protocolVersion) {
        public boolean lambda() {
            return targetType == TargetType.LAMBDA;
        }

        public boolean grpc() {
            return "GRPC".equals(protocolVersion);
        }

        /** Whether it is a target group of an Application Load Balancer (HTTP codes 200-499). */
        public boolean forAlb() {
            return lambda() || TargetGroupRules.isHttp(protocol);
        }

        /** A new group's check protocol: its own for HTTP(S), HTTP for an {@code alb} group, else TCP. */
        public Protocol defaultProtocol() {
            return TargetGroupRules.isHttp(protocol) ? protocol : targetType == TargetType.ALB ? Protocol.HTTP
                    : Protocol.TCP;
        }

        /**
         * A new group's timeout with this check protocol: 30 s for Lambda, 6 s for {@code alb} groups, 5 s for an
         * HTTP check of an HTTP(S) group, 10 s otherwise.
         */
        public int defaultTimeout(Protocol checkProtocol) {
            if (lambda()) {
                return 30;
            }
            boolean http = TargetGroupRules.isHttp(protocol);
            return targetType == TargetType.ALB ? 6 : http && TargetGroupRules.isHttp(checkProtocol) ? 5 : 10;
        }

        /** A new group's interval: 35 s for Lambda, else 30 s. */
        public int defaultInterval() {
            return lambda() ? 35 : 30;
        }
    }

    /** A Lambda group's check has no protocol or port. */
    public static void refuseLambdaProtocolAndPort(Kind kind, boolean protocolGiven, boolean portGiven) {
        if (kind.lambda() && (protocolGiven || portGiven)) {
            throw ElbError.VALIDATION_ERROR.with(
                    "A health check protocol and port cannot be specified for a Lambda target group");
        }
    }

    /** The matcher a request gives: a gRPC group takes a GrpcCode, every other group an HttpCode. */
    public static String matcher(String httpCode, String grpcCode, Kind kind) {
        if (kind.grpc()) {
            if (httpCode != null) {
                throw ElbError.VALIDATION_ERROR.with("A gRPC target group takes a GrpcCode matcher, not HttpCode");
            }
            return grpcCode;
        }
        if (grpcCode != null) {
            throw ElbError.VALIDATION_ERROR.with("A GrpcCode matcher can only be used with protocol version GRPC");
        }
        return httpCode;
    }

    private static void requireCounts(TargetGroup.HealthCheck hc) {
        ElbErrors.requireRange(hc.intervalSeconds(), "healthCheckIntervalSeconds", 5, 300);
        ElbErrors.requireRange(hc.timeoutSeconds(), "healthCheckTimeoutSeconds", 2, 120);
        ElbErrors.requireRange(hc.healthyThreshold(), "healthyThresholdCount", 2, 10);
        ElbErrors.requireRange(hc.unhealthyThreshold(), "unhealthyThresholdCount", 2, 10);
    }

    /**
     * The check as stored: {@code hc} checked against the ranges and combinations, with the path and matcher a
     * check of this kind gets when none is given.
     */
    public static TargetGroup.HealthCheck settle(TargetGroup.HealthCheck hc, Kind kind) {
        Protocol protocol = kind.protocol();
        if (kind.lambda()) {
            requireCounts(hc);
            String matcher = Matchers.httpCode(Objects.requireNonNullElse(hc.matcher(), "200"), 200, 499);
            return new TargetGroup.HealthCheck(hc.enabled(), null, null, Objects.requireNonNullElse(hc.path(), "/"),
                    hc.intervalSeconds(), hc.timeoutSeconds(), hc.healthyThreshold(), hc.unhealthyThreshold(),
                    matcher);
        }
        if (kind.targetType() == TargetType.ALB && !TargetGroupRules.isHttp(hc.protocol())) {
            throw ElbError.VALIDATION_ERROR.format(
                    "Health check protocol '%s' is not supported for target type 'alb'; use HTTP or HTTPS",
                    hc.protocol());
        }
        if (!PROTOCOLS.contains(hc.protocol())) {
            throw ElbError.VALIDATION_ERROR.format(
                    "Health check protocol '%s' is not supported; use HTTP, HTTPS or TCP", hc.protocol());
        }
        if (TargetGroupRules.isHttp(protocol) && hc.protocol() == Protocol.TCP) {
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
        requireCounts(hc);
        // An Application Load Balancer's group needs the interval above the timeout (AWS's message, captured); a
        // Network Load Balancer's takes them equal, so that an interval of 10 s with the TCP default timeout (10 s)
        // is accepted, as Terraform configurations rely on.
        if (TargetGroupRules.isHttp(protocol) ? hc.timeoutSeconds() >= hc.intervalSeconds()
                : hc.timeoutSeconds() > hc.intervalSeconds()) {
            throw ElbError.VALIDATION_ERROR.with(TargetGroupRules.isHttp(protocol)
                    ? "Health check interval must be greater than the timeout."
                    : "Health check interval must be greater than or equal to the timeout.");
        }
        boolean http = TargetGroupRules.isHttp(hc.protocol());
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
            matcher = Objects.requireNonNullElse(hc.matcher(), TargetGroupRules.isHttp(protocol) ? "200"
                    : "200-399");
            matcher = kind.forAlb() ? Matchers.httpCode(matcher, 200, 499) : Matchers.httpCode(matcher, 200, 599);
        }
        return new TargetGroup.HealthCheck(hc.enabled(), hc.protocol(), hc.port(), path, hc.intervalSeconds(),
                hc.timeoutSeconds(), hc.healthyThreshold(), hc.unhealthyThreshold(), matcher);
    }
}
