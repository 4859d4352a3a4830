package dev.underpass.aws.elbv2;

import dev.underpass.model.elb.HealthCheckRules;
import dev.underpass.model.elb.ElbErrors;
import dev.underpass.model.elb.Protocol;
import dev.underpass.model.elb.TargetGroup;
import dev.underpass.model.elb.TargetGroupRules;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateTargetGroupRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Matcher;

/**
 * The health check settings of a CreateTargetGroup request, read into the model's check: the caller's overrides over
 * AWS's defaults (AWS's CLI examples: HTTP(S) groups 30 s / 5 s / 5 / 2 and matcher 200; {@code alb} groups an HTTP
 * check of 30 s / 6 s and 200-399; Lambda groups disabled, 35 s / 30 s and 200; TCP groups 30 s / 10 s). The rules
 * (defaults per kind, ranges, combinations) are the model's {@link HealthCheckRules}.
 */
final class TargetGroupHealthChecks {
    private TargetGroupHealthChecks() {}

    static boolean httpCheck(Protocol protocol) {
        return TargetGroupRules.isHttp(protocol);
    }

    static String matcherOf(Matcher m, HealthCheckRules.Kind kind) {
        return m == null ? null : HealthCheckRules.matcher(m.httpCode(), m.grpcCode(), kind);
    }

    /** The check of a new group: the request's settings over the kind's defaults, settled by the model. */
    static TargetGroup.HealthCheck healthCheck(HealthCheckRules.Kind kind, CreateTargetGroupRequest req) {
        HealthCheckRules.refuseLambdaProtocolAndPort(kind, req.healthCheckProtocol() != null,
                req.healthCheckPort() != null);
        Protocol protocol = kind.lambda() ? null : req.healthCheckProtocolAsString() != null
                ? ElbErrors.oneOf(Protocol.values(), req.healthCheckProtocolAsString(), "healthCheckProtocol")
                : kind.defaultProtocol();
        boolean enabled = kind.lambda() ? Boolean.TRUE.equals(req.healthCheckEnabled())
                : req.healthCheckEnabled() == null || req.healthCheckEnabled();
        String port = kind.lambda() ? null : req.healthCheckPort() == null ? "traffic-port" : req.healthCheckPort();
        return HealthCheckRules.settle(new TargetGroup.HealthCheck(enabled, protocol, port, req.healthCheckPath(),
                req.healthCheckIntervalSeconds() == null ? kind.defaultInterval() : req.healthCheckIntervalSeconds(),
                req.healthCheckTimeoutSeconds() == null ? kind.defaultTimeout(protocol)
                        : req.healthCheckTimeoutSeconds(),
                req.healthyThresholdCount() == null ? 5 : req.healthyThresholdCount(),
                req.unhealthyThresholdCount() == null ? 2 : req.unhealthyThresholdCount(),
                matcherOf(req.matcher(), kind)), kind);
    }
}
