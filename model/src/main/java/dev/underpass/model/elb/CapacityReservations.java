package dev.underpass.model.elb;

import dev.underpass.model.World;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * LCU reservations (ModifyCapacityReservation, DescribeCapacityReservation): a load balancer's reserved minimum
 * capacity, spread evenly over its enabled zones. A request is {@code pending} for the load balancer provisioning
 * time (none by default), then {@code provisioned}; while one is pending no other is taken. Raising the reservation
 * is free; lowering it (a reset of a reservation included) is allowed twice per UTC day. A Network Load Balancer
 * with a TLS listener takes no reservation. AWS documents these rules; the error codes come from its model, the
 * messages are ours.
 */
public final class CapacityReservations {
    /** Decreases a load balancer's reservation may take per day. */
    public static final int DECREASES_PER_DAY = 2;

    private CapacityReservations() {}

    /** How a zone's share of a reservation stands: {@code pending} or {@code provisioned}. */
    public record ZoneState(String zoneName, double effectiveUnits, String code) {}

    /** What DescribeCapacityReservation reports of {@code lb} at {@code now}. */
    public record Status(Instant lastModified, int decreasesRemaining, Integer minimumUnits, List<ZoneState> zones) {}

    /** The reservation of {@code lb} as it stands at {@code now}. */
    public static Status status(LoadBalancer lb, Instant now, Duration provisioning) {
        LoadBalancer.CapacityReservation c = lb.capacity();
        if (c == null) {
            return new Status(null, DECREASES_PER_DAY, null, List.of());
        }
        int remaining = DECREASES_PER_DAY - decreasesOn(c, now);
        if (c.units() == 0) {
            return new Status(c.modifiedAt(), remaining, null, List.of());
        }
        String code = pending(c, now, provisioning) ? "pending" : "provisioned";
        List<ZoneState> zones = new ArrayList<>();
        for (LoadBalancer.Zone z : lb.zones()) {
            zones.add(new ZoneState(z.zoneName(), (double) c.units() / lb.zones().size(), code));
        }
        return new Status(c.modifiedAt(), remaining, c.units(), zones);
    }

    /**
     * {@code lb} with its reservation set to {@code units} (a positive number), or reset when {@code reset} is true;
     * exactly one of the two must be given.
     */
    public static LoadBalancer modify(World world, LoadBalancer lb, Integer units, Boolean reset, Instant now,
            Duration provisioning) {
        boolean resetting = Boolean.TRUE.equals(reset);
        if ((units == null) == !resetting) {
            throw ElbError.VALIDATION_ERROR.with("Specify either MinimumLoadBalancerCapacity or "
                    + "ResetCapacityReservation set to true, not both");
        }
        if (units != null && units <= 0) {
            throw ElbError.VALIDATION_ERROR.format("MinimumLoadBalancerCapacity.CapacityUnits must be a positive "
                    + "number, not %d", units);
        }
        if (!lb.isApplication() && LoadBalancers.listenersOf(world, lb.loadBalancerArn()).stream()
                .anyMatch(l -> l.protocol() == Protocol.TLS)) {
            throw ElbError.OPERATION_NOT_PERMITTED.format("Load balancer '%s' has a TLS listener: LCU reservation is "
                    + "not supported on Network Load Balancers with TLS listeners", lb.arn());
        }
        LoadBalancer.CapacityReservation c = lb.capacity();
        int current = c == null ? 0 : c.units();
        if (c != null && c.units() > 0 && pending(c, now, provisioning)) {
            throw ElbError.CAPACITY_RESERVATION_PENDING.format("The capacity reservation of load balancer '%s' is "
                    + "still pending; modify it once it is provisioned", lb.arn());
        }
        int next = resetting ? 0 : units;
        List<Instant> decreases = new ArrayList<>();
        if (c != null) {
            c.decreases().stream().filter(t -> sameDay(t, now)).forEach(decreases::add);
        }
        if (next < current) {
            if (decreases.size() >= DECREASES_PER_DAY) {
                throw ElbError.CAPACITY_DECREASE_REQUEST_LIMIT_EXCEEDED.format("Load balancer '%s' has had its "
                        + "capacity reservation decreased %d times today, the daily limit", lb.arn(),
                        DECREASES_PER_DAY);
            }
            decreases.add(now);
        }
        return lb.withCapacity(new LoadBalancer.CapacityReservation(next, now, decreases));
    }

    private static boolean pending(LoadBalancer.CapacityReservation c, Instant now, Duration provisioning) {
        return now.isBefore(c.modifiedAt().plus(provisioning));
    }

    private static int decreasesOn(LoadBalancer.CapacityReservation c, Instant now) {
        return (int) c.decreases().stream().filter(t -> sameDay(t, now)).count();
    }

    private static boolean sameDay(Instant a, Instant b) {
        return a.atZone(ZoneOffset.UTC).toLocalDate().equals(b.atZone(ZoneOffset.UTC).toLocalDate());
    }
}
