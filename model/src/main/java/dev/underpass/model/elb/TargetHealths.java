package dev.underpass.model.elb;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.AwsNamed;
import dev.underpass.model.World;
import dev.underpass.model.ec2.InstanceState;
import dev.underpass.model.ec2.Instance;
import dev.underpass.model.ec2.InstanceStates;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A simple, deterministic model of target health, derived at read time from the stored registrations and the rest
 * of the world (no health checker runs): a target drains after deregistration; it is {@code unused} while no
 * listener sends its group traffic or its zone is not enabled on the load balancer; an instance that is not running
 * is {@code unused} with {@code Target.InvalidState}; otherwise it is {@code initial} for {@code settle} after
 * registration and then {@code healthy}. The data-plane work will replace the last step with real checks.
 */
public final class TargetHealths {
    /** A target's health state, by AWS's names. */
    public enum State implements AwsNamed {
        INITIAL,
        HEALTHY,
        UNHEALTHY,
        UNHEALTHY_DRAINING,
        UNUSED,
        DRAINING,
        UNAVAILABLE;

        /** AWS's name, as the API and the store write it and messages quote it. */
        @JsonValue
        @Override
        public String toString() {
            return Spelling.DOTTED.of(this);
        }
    }

    /** Why a target is in its state, by the API's names in its order ({@code Target.NotInUse}). */
    public enum Reason implements AwsNamed {
        ELB_REGISTRATION_IN_PROGRESS,
        ELB_INITIAL_HEALTH_CHECKING,
        TARGET_RESPONSE_CODE_MISMATCH,
        TARGET_TIMEOUT,
        TARGET_FAILED_HEALTH_CHECKS,
        TARGET_NOT_REGISTERED,
        TARGET_NOT_IN_USE,
        TARGET_DEREGISTRATION_IN_PROGRESS,
        TARGET_INVALID_STATE,
        TARGET_IP_UNUSABLE,
        TARGET_HEALTH_CHECK_DISABLED,
        ELB_INTERNAL_ERROR;

        /** AWS's name, as the API writes it and messages quote it. */
        @JsonValue
        @Override
        public String toString() {
            return Spelling.QUALIFIED.of(this);
        }
    }

    /** State, reason and description as DescribeTargetHealth reports them; reason and description may be null. */
    public record Health(State state, Reason reason, String description) {
        public Health {
            Objects.requireNonNull(state, "state");
        }

        /** Healthy, with no reason to give. */
        public static final Health HEALTHY = new Health(State.HEALTHY, null, null);
    }

    private TargetHealths() {}

    /** Whether the registration still exists at {@code now} (a drained target is gone). */
    public static boolean present(TargetGroup group, TargetGroup.Target t, Instant now) {
        return t.deregisteredAt() == null
                || now.isBefore(t.deregisteredAt().plusSeconds(group.deregistrationDelaySeconds()));
    }

    public static Health observe(World world, TargetGroup group, TargetGroup.Target t, Instant now,
            Duration settle, Duration instanceTransition) {
        if (t.deregisteredAt() != null) {
            return new Health(State.DRAINING, Reason.TARGET_DEREGISTRATION_IN_PROGRESS,
                    "Target deregistration is in progress");
        }
        List<LoadBalancerArn> lbs = LoadBalancers.loadBalancersOf(world, group.targetGroupArn());
        if (lbs.isEmpty()) {
            return new Health(State.UNUSED, Reason.TARGET_NOT_IN_USE,
                    "Target group is not configured to receive traffic from the load balancer");
        }
        if (!"all".equals(t.availabilityZone())) {
            Set<String> zones = new HashSet<>();
            for (LoadBalancerArn arn : lbs) {
                world.find(LoadBalancer.class, arn).ifPresent(lb -> zones.addAll(lb.zoneNames()));
            }
            if (t.availabilityZone() != null && !zones.contains(t.availabilityZone())) {
                return new Health(State.UNUSED, Reason.TARGET_NOT_IN_USE,
                        "Target is in an Availability Zone that is not enabled for the load balancer");
            }
        }
        if (group.targetType() == TargetType.INSTANCE) {
            Instance instance = world.find(Instance.class, t.id()).orElse(null);
            InstanceState state = instance == null ? InstanceState.TERMINATED
                    : InstanceStates.observed(instance, now, instanceTransition);
            if (!state.equals(InstanceState.RUNNING)) {
                return new Health(State.UNUSED, Reason.TARGET_INVALID_STATE, "Target is in the " + state + " state");
            }
        }
        Instant since = t.registeredAt();
        if (now.isBefore(since.plus(settle))) {
            return new Health(State.INITIAL, Reason.ELB_REGISTRATION_IN_PROGRESS, "Target registration is in progress");
        }
        if (!group.healthCheck().enabled()) {
            return new Health(State.UNAVAILABLE, Reason.TARGET_HEALTH_CHECK_DISABLED, "Health checks are disabled");
        }
        return Health.HEALTHY;
    }
}
