package dev.underpass.aws.elbv2;

import dev.underpass.model.elb.TargetGroupArn;
import dev.underpass.model.elb.LoadBalancerArn;
import dev.underpass.model.AwsNamed;
import dev.underpass.model.Tx;
import dev.underpass.model.ec2.InstanceState;
import dev.underpass.model.ec2.Instance;
import dev.underpass.model.ec2.InstanceStates;
import dev.underpass.model.ec2.Scoped;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.ec2.Vpc;
import dev.underpass.model.elb.ElbError;
import dev.underpass.model.elb.ElbLimits;
import dev.underpass.model.elb.Listener;
import dev.underpass.model.elb.LoadBalancer;
import dev.underpass.model.elb.LoadBalancers;
import dev.underpass.model.elb.TargetGroup;
import dev.underpass.model.elb.TargetType;
import dev.underpass.model.elb.TargetHealths;
import dev.underpass.model.net.Cidr;
import dev.underpass.model.net.Ipv4;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DeregisterTargetsRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DeregisterTargetsResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeTargetHealthRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeTargetHealthResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RegisterTargetsRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RegisterTargetsResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealth;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/**
 * The targets of a target group: RegisterTargets (instances, IP addresses inside or outside the VPC, one Lambda
 * function, one Application Load Balancer), DeregisterTargets and DescribeTargetHealth with the simple health model
 * of {@link TargetHealths}, overridden by the data plane's real checks where they run. Split from
 * {@link TargetGroupHandlers} (the groups themselves), which registers this class.
 */
record TargetHandlers(Elbv2Registry api) {
    private static final Pattern LAMBDA_ARN = Pattern.compile(
            "arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?");

    void register(Elbv2Registry registry) {
        registry.write("RegisterTargets", RegisterTargetsRequest::builder, this::registerTargets);
        registry.write("DeregisterTargets", DeregisterTargetsRequest::builder, this::deregisterTargets);
        registry.read("DescribeTargetHealth", DescribeTargetHealthRequest::builder, this::health);
    }

    /** The zone of a target, checking it can be registered: AWS's InvalidTarget otherwise. */
    private String targetZone(Tx tx, TargetGroup tg, TargetDescription d) {
        String id = ElbShapes.required(d.id(), "Targets.member.N.Id");
        ElbShapes.range(d.port(), "Targets.member.N.Port", 1, 65535);
        if (tg.targetType() == TargetType.LAMBDA) {
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
        if (tg.targetType() == TargetType.ALB) {
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
            boolean listens = LoadBalancers.listenersOf(tx.world(), alb.loadBalancerArn()).stream()
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
        if (tg.targetType() == TargetType.INSTANCE) {
            Instance instance = tx.find(Instance.class, id)
                    .filter(i -> i.ownerId().equals(tx.caller().accountId())
                            && i.region().equals(tx.caller().region()))
                    .orElseThrow(() -> ElbError.INVALID_TARGET.format(
                            "The following targets are not valid instances: '%s'", id));
            if (!instance.vpcId().equals(tg.vpcId())) {
                throw ElbError.INVALID_TARGET.format(
                        "The following targets are not in the target group VPC '%s': '%s'", tg.vpcId(), id);
            }
            InstanceState state = InstanceStates.observed(instance, tx.now(), api.settings().instanceTransition());
            if (state != InstanceState.RUNNING) {
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
        Subnet subnet = Scoped.inVpc(tx.world(), Subnet.class, vpc.vpcId(),
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
        ElbLimits.requireTargetCount(tg.targetType(), targets.size());
        tx.put(tg.withTargets(targets));
        return RegisterTargetsResponse.builder().build();
    }

    private DeregisterTargetsResponse deregisterTargets(DeregisterTargetsRequest req, Tx tx) {
        TargetGroup tg = LoadBalancers.requireTargetGroup(tx.world(), tx.caller(),
                ElbShapes.required(req.targetGroupArn(), "TargetGroupArn"));
        List<TargetGroup.Target> targets = new ArrayList<>(live(tg, tx.now()));
        for (TargetDescription d : ElbShapes.requiredList(req.targets(), "Targets")) {
            String id = ElbShapes.required(d.id(), "Targets.member.N.Id");
            ElbShapes.range(d.port(), "Targets.member.N.Port", 1, 65535);
            int port = d.port() != null ? d.port() : tg.port() == null ? 0 : tg.port();
            // The port defaults to the group's, so a registration on another port stays; a target not registered
            // (or already draining) is no error: AWS answers success and changes nothing.
            for (int i = 0; i < targets.size(); i++) {
                TargetGroup.Target t = targets.get(i);
                if (t.id().equals(id) && t.deregisteredAt() == null && t.effectivePort(tg) == port) {
                    targets.set(i, new TargetGroup.Target(t.id(), t.port(), t.availabilityZone(), t.registeredAt(),
                            tx.now()));
                    break;
                }
            }
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
                            .targetHealth(TargetHealth.builder().state(TargetHealths.State.UNUSED.wire())
                                    .reason(TargetHealths.Reason.TARGET_NOT_REGISTERED.wire())
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
        if (h.state() == TargetHealths.State.HEALTHY || h.state() == TargetHealths.State.INITIAL) {
            // Where checks really run (the data plane), their verdict replaces the derived one.
            h = api.healthSource().health(tg.targetGroupArn(), t.id(), t.effectivePort(tg)).orElse(h);
        }
        Integer port = tg.port() == null && t.port() == null ? null : t.effectivePort(tg);
        String hcPort = tg.healthCheck().port() == null ? null
                : tg.healthCheck().port().equals("traffic-port") ? String.valueOf(port) : tg.healthCheck().port();
        return TargetHealthDescription.builder()
                .target(TargetDescription.builder().id(t.id()).port(port).availabilityZone(t.availabilityZone())
                        .build())
                .healthCheckPort(hcPort)
                .targetHealth(TargetHealth.builder().state(h.state().wire()).reason(AwsNamed.wireOf(h.reason()))
                        .description(h.description()).build())
                .build();
    }
}
