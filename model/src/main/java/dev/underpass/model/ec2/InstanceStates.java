package dev.underpass.model.ec2;

import java.time.Duration;
import java.time.Instant;

/**
 * AWS's instance lifecycle. A stored instance holds the transitional state it was last put in ({@code pending},
 * {@code stopping}, {@code shutting-down}) or a settled one; once {@code delay} has passed since the change, clients
 * see the settled state that follows. Codes are AWS's: the low byte of the state code.
 */
public final class InstanceStates {
    /** How long AWS keeps listing an instance after it reached {@code terminated}. */
    public static final Duration TERMINATED_LISTED_FOR = Duration.ofHours(1);

    private InstanceStates() {}

    /** The state a client sees at {@code now}. */
    public static InstanceState observed(Instance i, Instant now, Duration delay) {
        if (now.isBefore(i.stateChangedAt().plus(delay))) {
            return i.state();
        }
        return switch (i.state()) {
            case PENDING -> InstanceState.RUNNING;
            case STOPPING -> InstanceState.STOPPED;
            case SHUTTING_DOWN -> InstanceState.TERMINATED;
            default -> i.state();
        };
    }

    /**
     * Whether Describe calls still show the instance: a terminated instance stays listed for about an hour after it
     * settled, then disappears as in AWS.
     */
    public static boolean listed(Instance i, Instant now, Duration delay) {
        if (observed(i, now, delay) != InstanceState.TERMINATED) {
            return true;
        }
        Instant settled = i.state() == InstanceState.TERMINATED ? i.stateChangedAt() : i.stateChangedAt().plus(delay);
        return now.isBefore(settled.plus(TERMINATED_LISTED_FOR));
    }
}
