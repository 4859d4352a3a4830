package dev.underpass.model.elb;

import java.util.Optional;

/**
 * Where real health comes from when something checks targets (the data plane): the health of one registration
 * ({@code targetId} on {@code port} in the target group {@code targetGroupArn}), or empty when that source has no
 * opinion (no check has been set up for it), in which case {@link TargetHealths#observe} decides alone.
 */
@FunctionalInterface
public interface TargetHealthSource {
    /** No checks anywhere: every answer is {@link TargetHealths#observe}'s. */
    TargetHealthSource NONE = (group, target, port) -> Optional.empty();

    Optional<TargetHealths.Health> health(TargetGroupArn targetGroupArn, String targetId, int port);
}
