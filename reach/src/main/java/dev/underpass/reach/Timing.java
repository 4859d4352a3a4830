package dev.underpass.reach;

import java.time.Duration;
import java.time.Instant;

/**
 * When the analysis looks at the world, and the delays the server derives time-driven states with (an instance's
 * {@code pending → running}, an endpoint's {@code pending → available}, a target's {@code initial → healthy}), so
 * that the analyzer sees the states a Describe call would show.
 */
public record Timing(Instant now, Duration transition, Duration targetSettle) {
    /** Everything settled at {@code now}. */
    public static Timing settled(Instant now) {
        return new Timing(now, Duration.ZERO, Duration.ZERO);
    }
}
