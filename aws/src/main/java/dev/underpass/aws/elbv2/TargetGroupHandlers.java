package dev.underpass.aws.elbv2;

import dev.underpass.model.AsciiDigits;
import dev.underpass.model.Caller;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.Instance;
import dev.underpass.model.ec2.InstanceStates;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.ec2.Vpc;
import dev.underpass.model.elb.ElbError;
import dev.underpass.model.elb.LoadBalancer;
import dev.underpass.model.elb.LoadBalancers;
import dev.underpass.model.elb.TargetGroup;
import dev.underpass.model.elb.TargetHealths;
import dev.underpass.model.net.Cidr;
import dev.underpass.model.net.Ipv4;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
 * {@link TargetHealths}. Target types {@code instance} and {@code ip}; {@code lambda} and {@code alb} are refused.
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
            b.matcher(Matcher.builder().httpCode(hc.matcher()).build());
        }
        if (tg.protocol().startsWith("HTTP")) {
            b.protocolVersion("HTTP1");
        }
        return b.build();
    }

    private static boolean httpCheck(String protocol) {
        return protocol.equals("HTTP") || protocol.equals("HTTPS");
    }

    /** AWS's defaults for a new group, then the caller's overrides, checked against the model's ranges. */
    private static TargetGroup.HealthCheck healthCheck(String protocol, CreateTargetGroupRequest req) {
        boolean http = httpCheck(protocol);
        String hcProtocol = req.healthCheckProtocolAsString() != null ? req.healthCheckProtocolAsString()
                : http ? protocol : "TCP";
        return settle(new TargetGroup.HealthCheck(
                req.healthCheckEnabled() == null || req.healthCheckEnabled(),
                hcProtocol,
                req.healthCheckPort() == null ? "traffic-port" : req.healthCheckPort(),
                req.healthCheckPath(),
                req.healthCheckIntervalSeconds() == null ? 30 : req.healthCheckIntervalSeconds(),
                req.healthCheckTimeoutSeconds() == null ? (http && !httpCheck(hcProtocol) ? 10 : http ? 5 : 10)
                        : req.healthCheckTimeoutSeconds(),
                req.healthyThresholdCount() == null ? 5 : req.healthyThresholdCount(),
                req.unhealthyThresholdCount() == null ? 2 : req.unhealthyThresholdCount(),
                req.matcher() == null ? null : req.matcher().httpCode()), protocol);
    }

    private static TargetGroup.HealthCheck settle(TargetGroup.HealthCheck hc, String protocol) {
        ElbShapes.oneOf(hc.protocol(), "HealthCheckProtocol", PROTOCOLS);
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
        String path = http ? Objects.requireNonNullElse(hc.path(), "/") : null;
        String matcher = http ? Objects.requireNonNullElse(hc.matcher(), httpCheck(protocol) ? "200" : "200-399")
                : null;
        return new TargetGroup.HealthCheck(hc.enabled(), hc.protocol(), hc.port(), path, hc.intervalSeconds(),
                hc.timeoutSeconds(), hc.healthyThreshold(), hc.unhealthyThreshold(), matcher);
    }

    private static Map<String, String> defaultAttributes(String protocol, String targetType) {
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
        if (targetType.equals("lambda") || targetType.equals("alb")) {
            throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                    "underpass supports target types 'instance' and 'ip', not '%s'", targetType);
        }
        String protocol = ElbShapes.oneOf(ElbShapes.required(req.protocolAsString(), "Protocol"), "Protocol",
                PROTOCOLS);
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
        TargetGroup.HealthCheck hc = healthCheck(protocol, req);
        Map<String, String> tags = ElbShapes.tags(req.tags());
        List<TargetGroup> mine = LoadBalancers.ownedTargetGroups(tx.world(), caller);
        for (TargetGroup existing : mine) {
            if (existing.name().equals(name)) {
                if (existing.protocol().equals(protocol) && Objects.equals(existing.port(), req.port())
                        && existing.vpcId().equals(vpcId) && existing.targetType().equals(targetType)
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
                caller.region(), name, protocol, req.port(), vpcId, targetType, ipType, hc, List.of(),
                defaultAttributes(protocol, targetType), tx.now(), tags));
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
            found = new ArrayList<>();
            for (String arn : new LinkedHashSet<>(req.targetGroupArns())) {
                found.add(LoadBalancers.requireTargetGroup(world, ctx.caller(), arn));
            }
            found.sort((a, b) -> a.id().compareTo(b.id()));
        } else if (byName) {
            found = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (String name : new LinkedHashSet<>(req.names())) {
                mine.stream().filter(tg -> tg.name().equals(name)).findFirst()
                        .ifPresentOrElse(found::add, () -> missing.add(name));
            }
            if (!missing.isEmpty()) {
                throw ElbError.TARGET_GROUP_NOT_FOUND.format("Target groups '%s' not found", missing);
            }
            found.sort((a, b) -> a.id().compareTo(b.id()));
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
        String protocol = req.healthCheckProtocolAsString() != null ? req.healthCheckProtocolAsString()
                : old.protocol();
        boolean protocolChanged = !protocol.equals(old.protocol());
        TargetGroup.HealthCheck hc = settle(new TargetGroup.HealthCheck(
                req.healthCheckEnabled() == null ? old.enabled() : req.healthCheckEnabled(),
                protocol,
                req.healthCheckPort() == null ? old.port() : req.healthCheckPort(),
                req.healthCheckPath() != null ? req.healthCheckPath() : protocolChanged ? null : old.path(),
                req.healthCheckIntervalSeconds() == null ? old.intervalSeconds() : req.healthCheckIntervalSeconds(),
                req.healthCheckTimeoutSeconds() == null ? old.timeoutSeconds() : req.healthCheckTimeoutSeconds(),
                req.healthyThresholdCount() == null ? old.healthyThreshold() : req.healthyThresholdCount(),
                req.unhealthyThresholdCount() == null ? old.unhealthyThreshold() : req.unhealthyThresholdCount(),
                req.matcher() != null ? req.matcher().httpCode() : protocolChanged ? null : old.matcher()),
                tg.protocol());
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
        List<TargetGroupAttribute> out = new ArrayList<>();
        tg.attributes().forEach((k, v) -> out.add(TargetGroupAttribute.builder().key(k).value(v).build()));
        return out;
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
        Map<String, String> attrs = new LinkedHashMap<>(tg.attributes());
        for (TargetGroupAttribute a : ElbShapes.requiredList(req.attributes(), "Attributes")) {
            String key = ElbShapes.required(a.key(), "Attributes.member.N.Key");
            String value = a.value() == null ? "" : a.value();
            if (!attrs.containsKey(key)) {
                throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                        "Target group attribute key '%s' is not recognized", key);
            }
            if (BOOLEAN_ATTRIBUTES.contains(key) && !value.equals("true") && !value.equals("false")) {
                throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                        "Target group attribute '%s' must be 'true' or 'false', not '%s'", key, value);
            }
            if (key.equals("deregistration_delay.timeout_seconds")) {
                if (AsciiDigits.parseUnsigned(value, 3600) < 0) {
                    throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                            "Target group attribute '%s' must be a number of seconds from 0 to 3600, not '%s'", key,
                            value);
                }
            }
            if (key.equals("stickiness.type") && !value.equals(attrs.get(key))) {
                throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                        "Stickiness type '%s' is not supported for target groups with the %s protocol", value,
                        tg.protocol());
            }
            attrs.put(key, value);
        }
        TargetGroup updated = tx.put(tg.withAttributes(attrs));
        return ModifyTargetGroupAttributesResponse.builder().attributes(attributes(updated)).build();
    }

    /** The zone of a target, checking it can be registered: AWS's InvalidTarget otherwise. */
    private String targetZone(Tx tx, TargetGroup tg, TargetDescription d) {
        String id = ElbShapes.required(d.id(), "Targets.member.N.Id");
        ElbShapes.range(d.port(), "Targets.member.N.Port", 1, 65535);
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
        Subnet subnet = tx.all(Subnet.class, s -> s.vpcId().equals(vpc.id())
                && s.cidrBlock() != null && Cidr.parse(s.cidrBlock()).contains(address)).stream().findFirst()
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
            int port = d.port() != null ? d.port() : tg.port();
            targets.removeIf(t -> t.id().equals(d.id()) && t.effectivePort(tg) == port);
            targets.add(new TargetGroup.Target(d.id(), d.port(), zone, tx.now(), null));
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
            int port = d.port() != null ? d.port() : tg.port();
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
        int port = t.effectivePort(tg);
        String hcPort = tg.healthCheck().port().equals("traffic-port") ? String.valueOf(port)
                : tg.healthCheck().port();
        return TargetHealthDescription.builder()
                .target(TargetDescription.builder().id(t.id()).port(port).availabilityZone(t.availabilityZone())
                        .build())
                .healthCheckPort(hcPort)
                .targetHealth(TargetHealth.builder().state(h.state()).reason(h.reason())
                        .description(h.description()).build())
                .build();
    }
}
