package dev.underpass.aws.elbv2;

import dev.underpass.model.AsciiDigits;
import dev.underpass.model.Caller;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.Instance;
import dev.underpass.model.ec2.InstanceStates;
import dev.underpass.model.ec2.Scoped;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.ec2.Vpc;
import dev.underpass.model.elb.AlbAttributes;
import dev.underpass.model.elb.ElbError;
import dev.underpass.model.elb.Listener;
import dev.underpass.model.elb.LoadBalancer;
import dev.underpass.model.elb.LoadBalancers;
import dev.underpass.model.elb.Matchers;
import dev.underpass.model.elb.TargetGroup;
import dev.underpass.model.elb.TargetHealths;
import dev.underpass.model.net.Cidr;
import dev.underpass.model.net.Ipv4;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateTargetGroupRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateTargetGroupResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DeleteTargetGroupRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DeleteTargetGroupResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DeregisterTargetsRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DeregisterTargetsResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeTargetGroupAttributesRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeTargetGroupAttributesResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeTargetGroupsRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeTargetGroupsResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeTargetHealthRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeTargetHealthResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Matcher;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ModifyTargetGroupAttributesRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ModifyTargetGroupAttributesResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ModifyTargetGroupRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ModifyTargetGroupResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RegisterTargetsRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RegisterTargetsResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealth;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/**
 * Target groups for Network Load Balancers (TCP, UDP, TCP_UDP, TLS; HTTP and HTTPS are accepted too), with AWS's
 * default health check settings per protocol, attributes, target registration and the simple health model of
 * {@link TargetHealths}. Target types {@code instance}, {@code ip}, {@code lambda} (no protocol, port or VPC; one
 * function ARN as target; health checks off by default) and {@code alb} (TCP, for a Network Load Balancer: one
 * Application Load Balancer of the same VPC as target, with a listener on the group's port). HTTP and HTTPS groups
 * have a protocol version (HTTP1, HTTP2, GRPC) and the ALB attributes of {@link AlbAttributes}.
 */
final class TargetGroupHandlers {
    /** Target groups per Region. */
    static final int MAX_TARGET_GROUPS = 3000;
    /** Targets per target group (the per-NLB quota bounds a group used by one NLB). */
    static final int MAX_TARGETS = 3000;
    private static final List<String> PROTOCOLS = List.of("HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE",
            "QUIC", "TCP_QUIC");
    private static final List<String> TARGET_TYPES = List.of("instance", "ip", "lambda", "alb");
    private static final List<String> HEALTH_PROTOCOLS = List.of("HTTP", "HTTPS", "TCP");
    private static final java.util.regex.Pattern LAMBDA_ARN = java.util.regex.Pattern.compile(
            "arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?");
    private static final Set<String> BOOLEAN_ATTRIBUTES = Set.of("deregistration_delay.connection_termination.enabled",
            "stickiness.enabled", "proxy_protocol_v2.enabled", "preserve_client_ip.enabled",
            "target_health_state.unhealthy.connection_termination.enabled");

    private final Elbv2Registry api;

    TargetGroupHandlers(Elbv2Registry api) {
        this.api = api;
    }

    void register(Elbv2Registry registry) {
        registry.write("CreateTargetGroup", CreateTargetGroupRequest::builder, this::create);
        registry.read("DescribeTargetGroups", DescribeTargetGroupsRequest::builder, this::describe);
        registry.write("ModifyTargetGroup", ModifyTargetGroupRequest::builder, this::modify);
        registry.write("DeleteTargetGroup", DeleteTargetGroupRequest::builder, this::delete);
        registry.read("DescribeTargetGroupAttributes", DescribeTargetGroupAttributesRequest::builder,
                this::describeAttributes);
        registry.write("ModifyTargetGroupAttributes", ModifyTargetGroupAttributesRequest::builder,
                this::modifyAttributes);
        registry.write("RegisterTargets", RegisterTargetsRequest::builder, this::registerTargets);
        registry.write("DeregisterTargets", DeregisterTargetsRequest::builder, this::deregisterTargets);
        registry.read("DescribeTargetHealth", DescribeTargetHealthRequest::builder, this::health);
    }

    static software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup toSdk(World world,
            TargetGroup tg) {
        TargetGroup.HealthCheck hc = tg.healthCheck();
        var b = software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup.builder()
                .targetGroupArn(tg.arn())
                .targetGroupName(tg.name())
                .protocol(tg.protocol())
                .port(tg.port())
                .vpcId(tg.vpcId())
                .healthCheckProtocol(hc.protocol())
                .healthCheckPort(hc.port())
                .healthCheckEnabled(hc.enabled())
                .healthCheckIntervalSeconds(hc.intervalSeconds())
                .healthCheckTimeoutSeconds(hc.timeoutSeconds())
                .healthyThresholdCount(hc.healthyThreshold())
                .unhealthyThresholdCount(hc.unhealthyThreshold())
                .healthCheckPath(hc.path())
                .loadBalancerArns(LoadBalancers.loadBalancersOf(world, tg.id()))
                .targetType(tg.targetType())
                .ipAddressType(tg.ipAddressType());
        if (hc.matcher() != null) {
            b.matcher("GRPC".equals(tg.protocolVersion()) ? Matcher.builder().grpcCode(hc.matcher()).build()
                    : Matcher.builder().httpCode(hc.matcher()).build());
        }
        b.protocolVersion(tg.protocolVersion());
        return b.build();
    }

    private static boolean httpCheck(String protocol) {
        return "HTTP".equals(protocol) || "HTTPS".equals(protocol);
    }

    /** What the health check rules depend on besides the settings themselves. */
    private record Kind(String protocol, String targetType, String protocolVersion) {
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

    private static String matcherOf(Matcher m, Kind kind) {
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
    private static TargetGroup.HealthCheck healthCheck(Kind kind, CreateTargetGroupRequest req) {
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

    private static TargetGroup.HealthCheck settle(TargetGroup.HealthCheck hc, Kind kind) {
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
        ElbShapes.oneOf(hc.protocol(), "HealthCheckProtocol", PROTOCOLS);
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
                            + " protocol", hc.protocol());
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

    private static Map<String, String> defaultAttributes(String protocol, String targetType) {
        if (targetType.equals("lambda") || httpCheck(protocol)) {
            return AlbAttributes.targetGroupDefaults(targetType);
        }
        Map<String, String> a = new LinkedHashMap<>();
        a.put("deregistration_delay.timeout_seconds", "300");
        a.put("deregistration_delay.connection_termination.enabled", "false");
        a.put("stickiness.enabled", "false");
        a.put("stickiness.type", httpCheck(protocol) ? "lb_cookie" : "source_ip");
        if (!httpCheck(protocol)) {
            a.put("proxy_protocol_v2.enabled", "false");
            // Client IP preservation is on for instance targets, and for IP targets only with UDP and TCP_UDP.
            boolean preserve = targetType.equals("instance") || protocol.equals("UDP") || protocol.equals("TCP_UDP");
            a.put("preserve_client_ip.enabled", String.valueOf(preserve));
            a.put("target_health_state.unhealthy.connection_termination.enabled", "true");
            a.put("target_health_state.unhealthy.draining_interval_seconds", "0");
        }
        a.put("load_balancing.cross_zone.enabled", "use_load_balancer_configuration");
        a.put("target_group_health.dns_failover.minimum_healthy_targets.count", "1");
        a.put("target_group_health.dns_failover.minimum_healthy_targets.percentage", "off");
        a.put("target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", "1");
        a.put("target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", "off");
        return a;
    }

    private CreateTargetGroupResponse create(CreateTargetGroupRequest req, Tx tx) {
        Caller caller = tx.caller();
        String name = ElbShapes.required(req.name(), "Name");
        ElbShapes.name(name, "Target group");
        String targetType = ElbShapes.oneOf(
                req.targetTypeAsString() == null ? "instance" : req.targetTypeAsString(), "TargetType",
                TARGET_TYPES);
        if (targetType.equals("lambda")) {
            return createLambda(req, tx, name);
        }
        String protocol = ElbShapes.oneOf(ElbShapes.required(req.protocolAsString(), "Protocol"), "Protocol",
                PROTOCOLS);
        if (targetType.equals("alb") && !protocol.equals("TCP")) {
            throw ElbError.VALIDATION_ERROR.format(
                    "A target group with target type 'alb' must use the TCP protocol, not '%s'", protocol);
        }
        if (List.of("GENEVE", "QUIC", "TCP_QUIC").contains(protocol)) {
            throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                    "underpass does not support the target group protocol '%s'", protocol);
        }
        if (req.port() == null) {
            throw ElbError.VALIDATION_ERROR.with("A port must be specified");
        }
        ElbShapes.range(req.port(), "Port", 1, 65535);
        String vpcId = ElbShapes.required(req.vpcId(), "VpcId");
        tx.find(Vpc.class, vpcId).filter(v -> v.ownerId().equals(caller.accountId())
                && v.region().equals(caller.region()))
                .orElseThrow(() -> ElbError.VALIDATION_ERROR.format("The VPC ID '%s' is not found", vpcId));
        String ipType = req.ipAddressTypeAsString() == null ? "ipv4" : req.ipAddressTypeAsString();
        if (!ipType.equals("ipv4")) {
            throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                    "underpass supports only the 'ipv4' IP address type for target groups, not '%s'", ipType);
        }
        if (req.protocolVersion() != null && !httpCheck(protocol)) {
            throw ElbError.VALIDATION_ERROR.format(
                    "A protocol version can only be specified for HTTP and HTTPS target groups, not %s", protocol);
        }
        String version = httpCheck(protocol) ? ElbShapes.oneOf(
                req.protocolVersion() == null ? "HTTP1" : req.protocolVersion().toUpperCase(java.util.Locale.ROOT),
                "ProtocolVersion", List.of("HTTP1", "HTTP2", "GRPC")) : null;
        TargetGroup.HealthCheck hc = healthCheck(new Kind(protocol, targetType, version), req);
        Map<String, String> tags = ElbShapes.tags(req.tags());
        List<TargetGroup> mine = LoadBalancers.ownedTargetGroups(tx.world(), caller);
        for (TargetGroup existing : mine) {
            if (existing.name().equals(name)) {
                if (Objects.equals(existing.protocol(), protocol) && Objects.equals(existing.port(), req.port())
                        && Objects.equals(existing.vpcId(), vpcId) && existing.targetType().equals(targetType)
                        && Objects.equals(existing.protocolVersion(), version)
                        && existing.healthCheck().equals(hc)) {
                    return CreateTargetGroupResponse.builder().targetGroups(toSdk(tx.world(), existing)).build();
                }
                throw ElbError.DUPLICATE_TARGET_GROUP_NAME.format(
                        "A target group with the same name '%s' exists, but with different settings", name);
            }
        }
        if (mine.size() >= MAX_TARGET_GROUPS) {
            throw ElbError.TOO_MANY_TARGET_GROUPS.format(
                    "The quota for the number of target groups has been reached (%d)", MAX_TARGET_GROUPS);
        }
        TargetGroup tg = tx.put(new TargetGroup(LoadBalancers.targetGroupArn(caller, name), caller.accountId(),
                caller.region(), name, protocol, req.port(), vpcId, targetType, ipType, version, hc, List.of(),
                defaultAttributes(protocol, targetType), tx.now(), tags));
        return CreateTargetGroupResponse.builder().targetGroups(toSdk(tx.world(), tg)).build();
    }

    /** A Lambda target group: no protocol, port or VPC, as AWS requires. */
    private CreateTargetGroupResponse createLambda(CreateTargetGroupRequest req, Tx tx, String name) {
        Caller caller = tx.caller();
        if (req.protocol() != null || req.port() != null || req.vpcId() != null || req.protocolVersion() != null) {
            throw ElbError.VALIDATION_ERROR.with(
                    "A protocol, port, protocol version and VPC cannot be specified for a Lambda target group");
        }
        TargetGroup.HealthCheck hc = healthCheck(new Kind(null, "lambda", null), req);
        Map<String, String> tags = ElbShapes.tags(req.tags());
        List<TargetGroup> mine = LoadBalancers.ownedTargetGroups(tx.world(), caller);
        for (TargetGroup existing : mine) {
            if (existing.name().equals(name)) {
                if (existing.targetType().equals("lambda") && existing.healthCheck().equals(hc)) {
                    return CreateTargetGroupResponse.builder().targetGroups(toSdk(tx.world(), existing)).build();
                }
                throw ElbError.DUPLICATE_TARGET_GROUP_NAME.format(
                        "A target group with the same name '%s' exists, but with different settings", name);
            }
        }
        if (mine.size() >= MAX_TARGET_GROUPS) {
            throw ElbError.TOO_MANY_TARGET_GROUPS.format(
                    "The quota for the number of target groups has been reached (%d)", MAX_TARGET_GROUPS);
        }
        TargetGroup tg = tx.put(new TargetGroup(LoadBalancers.targetGroupArn(caller, name), caller.accountId(),
                caller.region(), name, null, null, null, "lambda", "ipv4", null, hc, List.of(),
                defaultAttributes(null, "lambda"), tx.now(), tags));
        return CreateTargetGroupResponse.builder().targetGroups(toSdk(tx.world(), tg)).build();
    }

    private DescribeTargetGroupsResponse describe(DescribeTargetGroupsRequest req, Elbv2Api.ReadContext ctx) {
        World world = ctx.world();
        boolean byArn = req.hasTargetGroupArns() && !req.targetGroupArns().isEmpty();
        boolean byName = req.hasNames() && !req.names().isEmpty();
        boolean byLb = req.loadBalancerArn() != null;
        if ((byArn ? 1 : 0) + (byName ? 1 : 0) + (byLb ? 1 : 0) > 1) {
            throw ElbError.VALIDATION_ERROR.with(
                    "Specify at most one of load balancer ARN, target group ARNs and target group names");
        }
        List<TargetGroup> mine = LoadBalancers.ownedTargetGroups(world, ctx.caller());
        List<TargetGroup> found;
        if (byArn) {
            found = ElbShapes.byArns(req.targetGroupArns(),
                    arn -> LoadBalancers.requireTargetGroup(world, ctx.caller(), arn));
        } else if (byName) {
            found = ElbShapes.byNames(mine, req.names(), TargetGroup::name,
                    missing -> ElbError.TARGET_GROUP_NOT_FOUND.format("Target groups '%s' not found", missing));
        } else if (byLb) {
            LoadBalancer lb = LoadBalancers.requireLoadBalancer(world, ctx.caller(), req.loadBalancerArn());
            found = mine.stream().filter(tg -> LoadBalancers.loadBalancersOf(world, tg.id()).contains(lb.id()))
                    .toList();
        } else {
            found = mine;
        }
        ElbShapes.Page<TargetGroup> page = ElbShapes.page(found, req.pageSize(), req.marker(), TargetGroup::id);
        return DescribeTargetGroupsResponse.builder()
                .targetGroups(page.items().stream().map(tg -> toSdk(world, tg)).toList())
                .nextMarker(page.nextMarker()).build();
    }

    private ModifyTargetGroupResponse modify(ModifyTargetGroupRequest req, Tx tx) {
        TargetGroup tg = LoadBalancers.requireTargetGroup(tx.world(), tx.caller(),
                ElbShapes.required(req.targetGroupArn(), "TargetGroupArn"));
        TargetGroup.HealthCheck old = tg.healthCheck();
        Kind kind = new Kind(tg.protocol(), tg.targetType(), tg.protocolVersion());
        if (kind.lambda() && (req.healthCheckProtocol() != null || req.healthCheckPort() != null)) {
            throw ElbError.VALIDATION_ERROR.with(
                    "A health check protocol and port cannot be specified for a Lambda target group");
        }
        String protocol = req.healthCheckProtocolAsString() != null ? req.healthCheckProtocolAsString()
                : old.protocol();
        boolean protocolChanged = !Objects.equals(protocol, old.protocol());
        TargetGroup.HealthCheck hc = settle(new TargetGroup.HealthCheck(
                req.healthCheckEnabled() == null ? old.enabled() : req.healthCheckEnabled(),
                protocol,
                req.healthCheckPort() == null ? old.port() : req.healthCheckPort(),
                req.healthCheckPath() != null ? req.healthCheckPath() : protocolChanged ? null : old.path(),
                req.healthCheckIntervalSeconds() == null ? old.intervalSeconds() : req.healthCheckIntervalSeconds(),
                req.healthCheckTimeoutSeconds() == null ? old.timeoutSeconds() : req.healthCheckTimeoutSeconds(),
                req.healthyThresholdCount() == null ? old.healthyThreshold() : req.healthyThresholdCount(),
                req.unhealthyThresholdCount() == null ? old.unhealthyThreshold() : req.unhealthyThresholdCount(),
                req.matcher() != null ? matcherOf(req.matcher(), kind) : protocolChanged ? null : old.matcher()),
                kind);
        TargetGroup updated = tx.put(tg.withHealthCheck(hc));
        return ModifyTargetGroupResponse.builder().targetGroups(toSdk(tx.world(), updated)).build();
    }

    private DeleteTargetGroupResponse delete(DeleteTargetGroupRequest req, Tx tx) {
        String arn = ElbShapes.required(req.targetGroupArn(), "TargetGroupArn");
        // Like DeleteLoadBalancer, deleting a target group that does not exist succeeds.
        LoadBalancers.findOwnedTargetGroup(tx.world(), tx.caller(), arn).ifPresent(tg -> {
            if (!LoadBalancers.loadBalancersOf(tx.world(), arn).isEmpty()) {
                throw ElbError.RESOURCE_IN_USE.format(
                        "Target group '%s' is currently in use by a listener or a rule", arn);
            }
            tx.remove(tg);
        });
        return DeleteTargetGroupResponse.builder().build();
    }

    private static List<TargetGroupAttribute> attributes(TargetGroup tg) {
        return ElbShapes.sdkAttributes(tg.attributes(), (k, v) -> TargetGroupAttribute.builder().key(k).value(v)
                .build());
    }

    private DescribeTargetGroupAttributesResponse describeAttributes(DescribeTargetGroupAttributesRequest req,
            Elbv2Api.ReadContext ctx) {
        TargetGroup tg = LoadBalancers.requireTargetGroup(ctx.world(), ctx.caller(),
                ElbShapes.required(req.targetGroupArn(), "TargetGroupArn"));
        return DescribeTargetGroupAttributesResponse.builder().attributes(attributes(tg)).build();
    }

    private ModifyTargetGroupAttributesResponse modifyAttributes(ModifyTargetGroupAttributesRequest req, Tx tx) {
        TargetGroup tg = LoadBalancers.requireTargetGroup(tx.world(), tx.caller(),
                ElbShapes.required(req.targetGroupArn(), "TargetGroupArn"));
        if (tg.targetType().equals("lambda") || httpCheck(tg.protocol())) {
            Map<String, String> changes = new LinkedHashMap<>();
            for (TargetGroupAttribute a : ElbShapes.requiredList(req.attributes(), "Attributes")) {
                changes.put(ElbShapes.required(a.key(), "Attributes.member.N.Key"),
                        a.value() == null ? "" : a.value());
            }
            TargetGroup updated = tx.put(tg.withAttributes(AlbAttributes.modifyTargetGroup(tg.attributes(),
                    changes)));
            return ModifyTargetGroupAttributesResponse.builder().attributes(attributes(updated)).build();
        }
        // A target group stores every attribute it has, so its own keys are the known ones.
        Map<String, String> attrs = ElbShapes.modifiedAttributes(tg.attributes(), req.attributes(),
                TargetGroupAttribute::key, TargetGroupAttribute::value, "Target group", tg.attributes()::containsKey,
                BOOLEAN_ATTRIBUTES, (before, key, value) -> {
                    if (key.equals("deregistration_delay.timeout_seconds")
                            && AsciiDigits.parseUnsigned(value, 3600) < 0) {
                        throw ElbError.INVALID_CONFIGURATION_REQUEST.format("Target group attribute '%s' must be a"
                                + " number of seconds from 0 to 3600, not '%s'", key, value);
                    }
                    if (key.equals("stickiness.type") && !value.equals(before.get(key))) {
                        throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                                "Stickiness type '%s' is not supported for target groups with the %s protocol",
                                value, tg.protocol());
                    }
                });
        TargetGroup updated = tx.put(tg.withAttributes(attrs));
        return ModifyTargetGroupAttributesResponse.builder().attributes(attributes(updated)).build();
    }

    /** The zone of a target, checking it can be registered: AWS's InvalidTarget otherwise. */
    private String targetZone(Tx tx, TargetGroup tg, TargetDescription d) {
        String id = ElbShapes.required(d.id(), "Targets.member.N.Id");
        ElbShapes.range(d.port(), "Targets.member.N.Port", 1, 65535);
        if (tg.targetType().equals("lambda")) {
            if (!LAMBDA_ARN.matcher(id).matches()) {
                throw ElbError.INVALID_TARGET.format("The following targets are not valid Lambda functions: '%s'",
                        id);
            }
            if (d.port() != null || d.availabilityZone() != null) {
                throw ElbError.VALIDATION_ERROR.with(
                        "A port and an Availability Zone cannot be specified for a Lambda target");
            }
            return null;
        }
        if (tg.targetType().equals("alb")) {
            LoadBalancer alb = LoadBalancers.isLoadBalancerArn(id)
                    ? LoadBalancers.findOwnedLoadBalancer(tx.world(), tx.caller(), id).orElse(null) : null;
            if (alb == null || !alb.isApplication()) {
                throw ElbError.INVALID_TARGET.format(
                        "The following targets are not valid Application Load Balancers: '%s'", id);
            }
            if (!alb.vpcId().equals(tg.vpcId())) {
                throw ElbError.INVALID_TARGET.format(
                        "The following targets are not in the target group VPC '%s': '%s'", tg.vpcId(), id);
            }
            int port = d.port() != null ? d.port() : tg.port();
            boolean listens = LoadBalancers.listenersOf(tx.world(), alb.id()).stream()
                    .map(Listener::port).anyMatch(p -> p == port);
            if (!listens) {
                throw ElbError.INVALID_TARGET.format(
                        "Application Load Balancer '%s' has no listener on port %d, the target port", id, port);
            }
            if (d.availabilityZone() != null) {
                throw ElbError.VALIDATION_ERROR.with("An Availability Zone cannot be specified for an 'alb' target");
            }
            return null;
        }
        if (tg.targetType().equals("instance")) {
            Instance instance = tx.find(Instance.class, id)
                    .filter(i -> i.ownerId().equals(tx.caller().accountId())
                            && i.region().equals(tx.caller().region()))
                    .orElseThrow(() -> ElbError.INVALID_TARGET.format(
                            "The following targets are not valid instances: '%s'", id));
            if (!instance.vpcId().equals(tg.vpcId())) {
                throw ElbError.INVALID_TARGET.format(
                        "The following targets are not in the target group VPC '%s': '%s'", tg.vpcId(), id);
            }
            String state = InstanceStates.observed(instance, tx.now(), api.settings().instanceTransition());
            if (!state.equals(InstanceStates.RUNNING)) {
                throw ElbError.INVALID_TARGET.format(
                        "The following targets are not in a running state and cannot be registered: '%s'", id);
            }
            if (d.availabilityZone() != null && !d.availabilityZone().equals(instance.availabilityZone())) {
                throw ElbError.VALIDATION_ERROR.format(
                        "An Availability Zone cannot be specified for instance target '%s'", id);
            }
            return instance.availabilityZone();
        }
        int address;
        try {
            address = Ipv4.parse(id);
        } catch (IllegalArgumentException e) {
            throw ElbError.VALIDATION_ERROR.format("The IP address '%s' is not a valid IPv4 address", id);
        }
        Vpc vpc = tx.find(Vpc.class, tg.vpcId()).orElseThrow(() -> ElbError.INVALID_TARGET.format(
                "The target group's VPC '%s' no longer exists", tg.vpcId()));
        boolean inVpc = vpc.activeCidrs().stream().anyMatch(c -> Cidr.parse(c).contains(address));
        if (!inVpc) {
            if ("all".equals(d.availabilityZone())) {
                return "all";
            }
            throw ElbError.INVALID_TARGET.format(
                    "The IP address '%s' is outside the VPC '%s'; specify AvailabilityZone 'all' for it", id,
                    vpc.id());
        }
        Subnet subnet = Scoped.inVpc(tx.world(), Subnet.class, vpc.id(),
                        s -> s.cidrBlock() != null && Cidr.parse(s.cidrBlock()).contains(address)).stream().findFirst()
                .orElseThrow(() -> ElbError.INVALID_TARGET.format(
                        "The IP address '%s' is not in any subnet of VPC '%s'", id, vpc.id()));
        if (d.availabilityZone() != null && !d.availabilityZone().equals(subnet.availabilityZone())) {
            throw ElbError.VALIDATION_ERROR.format(
                    "The IP address '%s' is in Availability Zone '%s', not '%s'", id, subnet.availabilityZone(),
                    d.availabilityZone());
        }
        return subnet.availabilityZone();
    }

    private static List<TargetGroup.Target> live(TargetGroup tg, Instant now) {
        return tg.targets().stream().filter(t -> TargetHealths.present(tg, t, now)).toList();
    }

    private RegisterTargetsResponse registerTargets(RegisterTargetsRequest req, Tx tx) {
        TargetGroup tg = LoadBalancers.requireTargetGroup(tx.world(), tx.caller(),
                ElbShapes.required(req.targetGroupArn(), "TargetGroupArn"));
        List<TargetGroup.Target> targets = new ArrayList<>(live(tg, tx.now()));
        for (TargetDescription d : ElbShapes.requiredList(req.targets(), "Targets")) {
            String zone = targetZone(tx, tg, d);
            int port = d.port() != null ? d.port() : tg.port() == null ? 0 : tg.port();
            targets.removeIf(t -> t.id().equals(d.id()) && t.effectivePort(tg) == port);
            targets.add(new TargetGroup.Target(d.id(), d.port(), zone, tx.now(), null));
        }
        // Lambda groups take one function and 'alb' groups one load balancer (AWS's quotas).
        if ((tg.targetType().equals("lambda") || tg.targetType().equals("alb")) && targets.size() > 1) {
            throw ElbError.TOO_MANY_TARGETS.format("A target group of target type '%s' can have only one target",
                    tg.targetType());
        }
        if (targets.size() > MAX_TARGETS) {
            throw ElbError.TOO_MANY_TARGETS.format("The quota for the number of targets has been reached (%d)",
                    MAX_TARGETS);
        }
        tx.put(tg.withTargets(targets));
        return RegisterTargetsResponse.builder().build();
    }

    private DeregisterTargetsResponse deregisterTargets(DeregisterTargetsRequest req, Tx tx) {
        TargetGroup tg = LoadBalancers.requireTargetGroup(tx.world(), tx.caller(),
                ElbShapes.required(req.targetGroupArn(), "TargetGroupArn"));
        List<TargetGroup.Target> targets = new ArrayList<>(live(tg, tx.now()));
        for (TargetDescription d : ElbShapes.requiredList(req.targets(), "Targets")) {
            String id = ElbShapes.required(d.id(), "Targets.member.N.Id");
            int port = d.port() != null ? d.port() : tg.port() == null ? 0 : tg.port();
            int index = -1;
            for (int i = 0; i < targets.size(); i++) {
                TargetGroup.Target t = targets.get(i);
                if (t.id().equals(id) && t.deregisteredAt() == null
                        && (d.port() == null || t.effectivePort(tg) == port)) {
                    index = i;
                    break;
                }
            }
            if (index < 0) {
                throw ElbError.INVALID_TARGET.format(
                        "The following targets are not registered in target group '%s': '%s'", tg.id(), id);
            }
            TargetGroup.Target t = targets.get(index);
            targets.set(index, new TargetGroup.Target(t.id(), t.port(), t.availabilityZone(), t.registeredAt(),
                    tx.now()));
        }
        tx.put(tg.withTargets(targets));
        return DeregisterTargetsResponse.builder().build();
    }

    private DescribeTargetHealthResponse health(DescribeTargetHealthRequest req, Elbv2Api.ReadContext ctx) {
        TargetGroup tg = LoadBalancers.requireTargetGroup(ctx.world(), ctx.caller(),
                ElbShapes.required(req.targetGroupArn(), "TargetGroupArn"));
        List<TargetGroup.Target> targets = live(tg, ctx.now());
        List<TargetHealthDescription> out = new ArrayList<>();
        if (req.hasTargets() && !req.targets().isEmpty()) {
            for (TargetDescription d : req.targets()) {
                String id = ElbShapes.required(d.id(), "Targets.member.N.Id");
                List<TargetGroup.Target> matching = targets.stream().filter(t -> t.id().equals(id)
                        && (d.port() == null || t.effectivePort(tg) == d.port())).toList();
                if (matching.isEmpty()) {
                    out.add(TargetHealthDescription.builder()
                            .target(TargetDescription.builder().id(id).port(d.port() != null ? d.port() : tg.port())
                                    .build())
                            .targetHealth(TargetHealth.builder().state("unused").reason("Target.NotRegistered")
                                    .description("Target is not registered to the target group").build())
                            .build());
                }
                for (TargetGroup.Target t : matching) {
                    out.add(describe(ctx, tg, t));
                }
            }
        } else {
            for (TargetGroup.Target t : targets) {
                out.add(describe(ctx, tg, t));
            }
        }
        return DescribeTargetHealthResponse.builder().targetHealthDescriptions(out).build();
    }

    private TargetHealthDescription describe(Elbv2Api.ReadContext ctx, TargetGroup tg, TargetGroup.Target t) {
        TargetHealths.Health h = TargetHealths.observe(ctx.world(), tg, t, ctx.now(),
                api.settings().targetSettle(), api.settings().instanceTransition());
        if (h.state().equals("healthy") || h.state().equals("initial")) {
            // Where checks really run (the data plane), their verdict replaces the derived one.
            h = api.healthSource().health(tg.id(), t.id(), t.effectivePort(tg)).orElse(h);
        }
        Integer port = tg.port() == null && t.port() == null ? null : t.effectivePort(tg);
        String hcPort = tg.healthCheck().port() == null ? null
                : tg.healthCheck().port().equals("traffic-port") ? String.valueOf(port) : tg.healthCheck().port();
        return TargetHealthDescription.builder()
                .target(TargetDescription.builder().id(t.id()).port(port).availabilityZone(t.availabilityZone())
                        .build())
                .healthCheckPort(hcPort)
                .targetHealth(TargetHealth.builder().state(h.state()).reason(h.reason())
                        .description(h.description()).build())
                .build();
    }
}
