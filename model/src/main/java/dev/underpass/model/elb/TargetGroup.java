package dev.underpass.model.elb;

import dev.underpass.model.Resource;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.Tags;
import dev.underpass.model.net.IpFamily;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An ELBv2 target group ({@code arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<16 hex>}, which
 * is also its id) with its health check settings and its registered targets. Lambda target groups have no protocol,
 * port or VPC; {@code protocolVersion} ({@code HTTP1}, {@code HTTP2}, {@code GRPC}) is set for HTTP and HTTPS groups.
 * Which load balancers use it is not stored: it follows from the listeners and rules that forward to it.
 */
public record TargetGroup(
        String id,
        String ownerId,
        String region,
        String name,
        Protocol protocol,
        Integer port,
        VpcId vpcId,
        TargetType targetType,
        IpFamily ipAddressType,
        String protocolVersion,
        HealthCheck healthCheck,
        List<Target> targets,
        Map<String, String> attributes,
        Instant createdAt,
        Map<String, String> tags)
        implements Resource {

    /**
     * Health check settings; {@code port} is a number or {@code traffic-port}. Path and matcher are HTTP(S) only; the
     * matcher is the {@code GrpcCode} when the group's protocol version is {@code GRPC}, else the {@code HttpCode}.
     */
    public record HealthCheck(boolean enabled, Protocol protocol, String port, String path, int intervalSeconds,
            int timeoutSeconds, int healthyThreshold, int unhealthyThreshold, String matcher) {}

    /**
     * A registration: the instance id or IP address, the port (null means the group's port), the zone (for IP
     * targets possibly {@code all}), when it was registered, and when it was deregistered (it drains until the
     * group's deregistration delay has passed, then it is gone).
     */
    public record Target(String id, Integer port, String availabilityZone, Instant registeredAt,
            Instant deregisteredAt) {
        public int effectivePort(TargetGroup group) {
            return port != null ? port : group.port() == null ? 0 : group.port();
        }
    }

    public TargetGroup {
        targets = List.copyOf(targets);
        attributes = Tags.copy(attributes);
        tags = Tags.copy(tags);
    }

    public String arn() {
        return id;
    }

    /** {@code targetgroup/<name>/<16 hex>}, the part of the ARN after the account. */
    public String resourcePath() {
        return id.substring(id.indexOf(":targetgroup/") + 1);
    }

    public int deregistrationDelaySeconds() {
        try {
            return Integer.parseInt(attributes.getOrDefault("deregistration_delay.timeout_seconds", "300"));
        } catch (NumberFormatException e) {
            return 300;
        }
    }

    /** The ARN, typed. */
    public TargetGroupArn targetGroupArn() {
        return new TargetGroupArn(id);
    }

    @Override
    public TargetGroup withTags(Map<String, String> tags) {
        return new TargetGroup(id, ownerId, region, name, protocol, port, vpcId, targetType, ipAddressType,
                protocolVersion, healthCheck, targets, attributes, createdAt, tags);
    }

    public TargetGroup withTargets(List<Target> newTargets) {
        return new TargetGroup(id, ownerId, region, name, protocol, port, vpcId, targetType, ipAddressType,
                protocolVersion, healthCheck, newTargets, attributes, createdAt, tags);
    }

    public TargetGroup withHealthCheck(HealthCheck newHealthCheck) {
        return new TargetGroup(id, ownerId, region, name, protocol, port, vpcId, targetType, ipAddressType,
                protocolVersion, newHealthCheck, targets, attributes, createdAt, tags);
    }

    public TargetGroup withAttributes(Map<String, String> newAttributes) {
        return new TargetGroup(id, ownerId, region, name, protocol, port, vpcId, targetType, ipAddressType,
                protocolVersion, healthCheck, targets, newAttributes, createdAt, tags);
    }

    @Override
    public String resourceType() {
        return "target-group";
    }
}
