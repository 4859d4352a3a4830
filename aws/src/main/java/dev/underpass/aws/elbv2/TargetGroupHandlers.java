package dev.underpass.aws.elbv2;

import dev.underpass.model.elb.LoadBalancerArn;
import dev.underpass.model.elb.TargetGroupArn;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.net.IpFamily;
import static dev.underpass.aws.elbv2.TargetGroupHealthChecks.healthCheck;
import static dev.underpass.aws.elbv2.TargetGroupHealthChecks.httpCheck;
import static dev.underpass.aws.elbv2.TargetGroupHealthChecks.matcherOf;

import dev.underpass.model.Caller;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.Vpc;
import dev.underpass.model.elb.AlbAttributes;
import dev.underpass.model.elb.ElbError;
import dev.underpass.model.elb.ElbErrors;
import dev.underpass.model.elb.ElbLimits;
import dev.underpass.model.elb.HealthCheckRules;
import dev.underpass.model.elb.HealthCheckRules.Kind;
import dev.underpass.model.elb.LoadBalancer;
import dev.underpass.model.elb.LoadBalancerRules;
import dev.underpass.model.elb.LoadBalancers;
import dev.underpass.model.elb.Protocol;
import dev.underpass.model.elb.TargetGroup;
import dev.underpass.model.elb.TargetType;
import dev.underpass.model.elb.TargetGroupAttributes;
import dev.underpass.model.elb.TargetGroupRules;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateTargetGroupRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateTargetGroupResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DeleteTargetGroupRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DeleteTargetGroupResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeTargetGroupAttributesRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeTargetGroupAttributesResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeTargetGroupsRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeTargetGroupsResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Matcher;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ModifyTargetGroupAttributesRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ModifyTargetGroupAttributesResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ModifyTargetGroupRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ModifyTargetGroupResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupAttribute;

/**
 * Target groups for Network Load Balancers (TCP, UDP, TCP_UDP, TLS; HTTP and HTTPS are accepted too): create,
 * describe, modify, delete and attributes. Target types {@code instance}, {@code ip}, {@code lambda} (no protocol,
 * port or VPC; one function ARN as target; health checks off by default) and {@code alb} (TCP, for a Network Load
 * Balancer: one Application Load Balancer of the same VPC as target, with a listener on the group's port). HTTP and
 * HTTPS groups have a protocol version (HTTP1, HTTP2, GRPC) and the ALB attributes of {@link AlbAttributes}. The
 * rules are the model's: health checks {@link HealthCheckRules} (read from a request by
 * {@link TargetGroupHealthChecks}), default attributes {@link TargetGroupAttributes}, create
 * {@link TargetGroupRules}; the target calls (register, deregister, health) are {@link TargetHandlers}, which this
 * class registers.
 */
record TargetGroupHandlers(Elbv2Registry api) {

    void register(Elbv2Registry registry) {
        registry.write("CreateTargetGroup", CreateTargetGroupRequest::builder, this::create);
        registry.read("DescribeTargetGroups", DescribeTargetGroupsRequest::builder, this::describe);
        registry.write("ModifyTargetGroup", ModifyTargetGroupRequest::builder, this::modify);
        registry.write("DeleteTargetGroup", DeleteTargetGroupRequest::builder, this::delete);
        registry.read("DescribeTargetGroupAttributes", DescribeTargetGroupAttributesRequest::builder,
                this::describeAttributes);
        registry.write("ModifyTargetGroupAttributes", ModifyTargetGroupAttributesRequest::builder,
                this::modifyAttributes);
        // The target calls are a class of their own; registering them here keeps one entry per family in Elbv2Api.
        new TargetHandlers(api).register(registry);
    }

    static software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup toSdk(World world,
            TargetGroup tg) {
        TargetGroup.HealthCheck hc = tg.healthCheck();
        var b = software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup.builder()
                .targetGroupArn(tg.arn())
                .targetGroupName(tg.name())
                .protocol(ElbShapes.name(tg.protocol()))
                .port(tg.port())
                .vpcId(VpcId.text(tg.vpcId()))
                .healthCheckProtocol(ElbShapes.name(hc.protocol()))
                .healthCheckPort(hc.port())
                .healthCheckEnabled(hc.enabled())
                .healthCheckIntervalSeconds(hc.intervalSeconds())
                .healthCheckTimeoutSeconds(hc.timeoutSeconds())
                .healthyThresholdCount(hc.healthyThreshold())
                .unhealthyThresholdCount(hc.unhealthyThreshold())
                .healthCheckPath(hc.path())
                .loadBalancerArns(LoadBalancerArn.texts(LoadBalancers.loadBalancersOf(world, tg.targetGroupArn())))
                .targetType(tg.targetType().wire())
                .ipAddressType(tg.ipAddressType().wire());
        if (hc.matcher() != null) {
            b.matcher("GRPC".equals(tg.protocolVersion()) ? Matcher.builder().grpcCode(hc.matcher()).build()
                    : Matcher.builder().httpCode(hc.matcher()).build());
        }
        b.protocolVersion(tg.protocolVersion());
        return b.build();
    }

    private CreateTargetGroupResponse create(CreateTargetGroupRequest req, Tx tx) {
        Caller caller = tx.caller();
        String name = ElbShapes.required(req.name(), "Name");
        LoadBalancerRules.requireName(name, "Target group");
        TargetType targetType = req.targetTypeAsString() == null ? TargetType.INSTANCE
                : ElbErrors.oneOf(TargetType.values(), req.targetTypeAsString(), "targetType");
        if (targetType == TargetType.LAMBDA) {
            return createLambda(req, tx, name);
        }
        Protocol protocol =
                ElbErrors.oneOf(Protocol.values(), ElbShapes.required(req.protocolAsString(), "Protocol"), "protocol");
        TargetGroupRules.requireProtocol(targetType, protocol);
        if (req.port() == null) {
            throw ElbError.VALIDATION_ERROR.with("A port must be specified");
        }
        ElbShapes.range(req.port(), "Port", 1, 65535);
        VpcId vpcId = VpcId.of(ElbShapes.required(req.vpcId(), "VpcId"));
        tx.find(Vpc.class, vpcId).filter(v -> v.ownerId().equals(caller.accountId())
                && v.region().equals(caller.region()))
                .orElseThrow(() -> ElbError.VALIDATION_ERROR.format("The VPC ID '%s' is not found", vpcId));
        IpFamily ipType = req.ipAddressTypeAsString() == null ? IpFamily.IPV4
                : ElbErrors.oneOf(IpFamily.values(), req.ipAddressTypeAsString(), "ipAddressType");
        TargetGroupRules.requireIpAddressType(ipType);
        String version = ElbShapes.oneOf(TargetGroupRules.protocolVersion(protocol, req.protocolVersion()),
                "ProtocolVersion", TargetGroupRules.PROTOCOL_VERSIONS);
        TargetGroup.HealthCheck hc = healthCheck(new Kind(protocol, targetType, version), req);
        Map<String, String> tags = ElbShapes.tags(req.tags());
        Optional<TargetGroup> same = sameOrRoomForNew(tx, name, existing -> existing.protocol() == protocol
                && Objects.equals(existing.port(), req.port()) && Objects.equals(existing.vpcId(), vpcId)
                && existing.targetType() == targetType && Objects.equals(existing.protocolVersion(), version)
                && existing.healthCheck().equals(hc));
        if (same.isPresent()) {
            return CreateTargetGroupResponse.builder().targetGroups(toSdk(tx.world(), same.get())).build();
        }
        TargetGroup tg = tx.put(new TargetGroup(LoadBalancers.targetGroupArn(caller, name), caller.accountId(),
                caller.region(), name, protocol, req.port(), vpcId, targetType, ipType, version, hc, List.of(),
                TargetGroupAttributes.defaults(protocol, targetType), tx.now(), tags));
        return CreateTargetGroupResponse.builder().targetGroups(toSdk(tx.world(), tg)).build();
    }

    /** A Lambda target group: no protocol, port or VPC, as AWS requires. */
    private CreateTargetGroupResponse createLambda(CreateTargetGroupRequest req, Tx tx, String name) {
        Caller caller = tx.caller();
        if (req.protocol() != null || req.port() != null || req.vpcId() != null || req.protocolVersion() != null) {
            throw ElbError.VALIDATION_ERROR.with(
                    "A protocol, port, protocol version and VPC cannot be specified for a Lambda target group");
        }
        TargetGroup.HealthCheck hc = healthCheck(new Kind(null, TargetType.LAMBDA, null), req);
        Map<String, String> tags = ElbShapes.tags(req.tags());
        Optional<TargetGroup> same = sameOrRoomForNew(tx, name,
                existing -> existing.targetType() == TargetType.LAMBDA && existing.healthCheck().equals(hc));
        if (same.isPresent()) {
            return CreateTargetGroupResponse.builder().targetGroups(toSdk(tx.world(), same.get())).build();
        }
        TargetGroup tg = tx.put(new TargetGroup(LoadBalancers.targetGroupArn(caller, name), caller.accountId(),
                caller.region(), name, null, null, null, TargetType.LAMBDA, IpFamily.IPV4, null, hc,
                List.of(),
                TargetGroupAttributes.defaults(null, TargetType.LAMBDA), tx.now(), tags));
        return CreateTargetGroupResponse.builder().targetGroups(toSdk(tx.world(), tg)).build();
    }

    /**
     * CreateTargetGroup is idempotent: the caller's group of the same name is returned when {@code sameSettings}
     * holds for it, and refused as a duplicate name otherwise. With no such group, the Region's quota must have room.
     */
    private static Optional<TargetGroup> sameOrRoomForNew(Tx tx, String name, Predicate<TargetGroup> sameSettings) {
        List<TargetGroup> mine = LoadBalancers.ownedTargetGroups(tx.world(), tx.caller());
        for (TargetGroup existing : mine) {
            if (existing.name().equals(name)) {
                if (sameSettings.test(existing)) {
                    return Optional.of(existing);
                }
                throw ElbError.DUPLICATE_TARGET_GROUP_NAME.format(
                        "A target group with the same name '%s' exists, but with different settings", name);
            }
        }
        ElbLimits.requireRoomForTargetGroup(mine.size());
        return Optional.empty();
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
            found = mine.stream().filter(
                    tg -> LoadBalancers.loadBalancersOf(world, tg.targetGroupArn()).contains(lb.loadBalancerArn()))
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
        HealthCheckRules.refuseLambdaProtocolAndPort(kind, req.healthCheckProtocol() != null,
                req.healthCheckPort() != null);
        Protocol protocol = req.healthCheckProtocolAsString() != null
                ? ElbErrors.oneOf(Protocol.values(), req.healthCheckProtocolAsString(), "healthCheckProtocol")
                : old.protocol();
        boolean protocolChanged = !Objects.equals(protocol, old.protocol());
        TargetGroup.HealthCheck hc = HealthCheckRules.settle(new TargetGroup.HealthCheck(
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
            if (!LoadBalancers.loadBalancersOf(tx.world(), TargetGroupArn.of(arn)).isEmpty()) {
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
        if (tg.targetType() == TargetType.LAMBDA || httpCheck(tg.protocol())) {
            Map<String, String> changes = ElbShapes.changeMap(req.attributes(), TargetGroupAttribute::key,
                    TargetGroupAttribute::value);
            TargetGroup updated = tx.put(tg.withAttributes(AlbAttributes.modifyTargetGroup(tg.attributes(),
                    changes)));
            return ModifyTargetGroupAttributesResponse.builder().attributes(attributes(updated)).build();
        }
        TargetGroup updated = tx.put(tg.withAttributes(TargetGroupAttributes.modifyNlb(tg.attributes(),
                ElbShapes.changes(req.attributes(), TargetGroupAttribute::key, TargetGroupAttribute::value),
                tg.protocol())));
        return ModifyTargetGroupAttributesResponse.builder().attributes(attributes(updated)).build();
    }
}
