package dev.underpass.model.elb;

import dev.underpass.model.ec2.NetworkInterfaceId;
import dev.underpass.model.ec2.SubnetId;
import dev.underpass.model.ec2.VpcId;
import static dev.underpass.model.elb.ElbAssert.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.model.World;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** LCU reservations: pending then provisioned, two decreases a UTC day, none on an NLB with a TLS listener. */
class CapacityReservationsTest {
    private static final String ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/edge/"
            + "0123456789abcdef";
    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    private static final Duration PROVISIONING = Duration.ofMinutes(5);
    private static final LoadBalancer NLB =
            new LoadBalancer(ARN, "123456789012", "us-east-1", "edge", LoadBalancer.Type.NETWORK,
                    LoadBalancer.Scheme.INTERNAL, VpcId.of("vpc-1"), LoadBalancer.IpAddressType.IPV4,
                    List.of(new LoadBalancer.Zone(SubnetId.of("subnet-a"), "us-east-1a", "use1-az1",
                            NetworkInterfaceId.of("eni-a"),
                            "10.0.0.5", false),
                            new LoadBalancer.Zone(SubnetId.of("subnet-b"), "us-east-1b", "use1-az2",
                                    NetworkInterfaceId.of("eni-b"),
                                    "10.0.1.5", false)),
                    List.of(), Map.of(), T0, Map.of());

    private static LoadBalancer modify(LoadBalancer lb, Integer units, Boolean reset, Instant now) {
        return CapacityReservations.modify(World.of(List.of(lb)), lb, units, reset, now, PROVISIONING);
    }

    @Test
    void none_untilRequested_thenPendingForTheProvisioningTime_thenProvisionedEvenlyOverTheZones() {
        CapacityReservations.Status none = CapacityReservations.status(NLB, T0, PROVISIONING);
        assertThat(none).isEqualTo(new CapacityReservations.Status(null, 2, null, List.of()));

        LoadBalancer reserved = modify(NLB, 3000, null, T0);
        assertThat(CapacityReservations.status(reserved, T0.plusSeconds(60), PROVISIONING)).isEqualTo(
                new CapacityReservations.Status(T0, 2, 3000, List.of(
                        new CapacityReservations.ZoneState("us-east-1a", 1500.0, "pending"),
                        new CapacityReservations.ZoneState("us-east-1b", 1500.0, "pending"))));
        assertThat(CapacityReservations.status(reserved, T0.plus(PROVISIONING), PROVISIONING).zones())
                .extracting(CapacityReservations.ZoneState::code).containsOnly("provisioned");
        // While one request is pending, no other is taken.
        assertRefused(() -> modify(reserved, 4000, null, T0.plusSeconds(60)), "CapacityReservationPending",
                "The capacity reservation of load balancer '" + ARN + "' is still pending; modify it once it is "
                        + "provisioned");
        assertThat(modify(reserved, 4000, null, T0.plus(PROVISIONING)).capacity().units()).isEqualTo(4000);
    }

    @Test
    void decreases_twoPerUtcDay_aResetCounts_increasesAreFree() {
        Instant t = T0;
        LoadBalancer lb = modify(NLB, 5000, null, t);
        lb = modify(lb, 4000, null, t = t.plus(PROVISIONING));
        lb = modify(lb, 9000, null, t = t.plus(PROVISIONING)); // An increase: not counted.
        assertThat(CapacityReservations.status(lb, t, PROVISIONING).decreasesRemaining()).isEqualTo(1);
        lb = modify(lb, null, true, t = t.plus(PROVISIONING)); // The reset lowers it to nothing.
        assertThat(CapacityReservations.status(lb, t, PROVISIONING))
                .isEqualTo(new CapacityReservations.Status(t, 0, null, List.of()));
        LoadBalancer afterReset = modify(lb, 100, null, t = t.plus(PROVISIONING));
        Instant late = t.plus(PROVISIONING);
        assertRefused(() -> modify(afterReset, 50, null, late), "CapacityDecreaseRequestLimitExceeded",
                "Load balancer '" + ARN + "' has had its capacity reservation decreased 2 times today, the daily "
                        + "limit");
        // The next UTC day starts afresh.
        Instant tomorrow = Instant.parse("2026-03-02T00:00:01Z");
        assertThat(CapacityReservations.status(afterReset, tomorrow, PROVISIONING).decreasesRemaining()).isEqualTo(2);
        assertThat(modify(afterReset, 50, null, tomorrow).capacity().units()).isEqualTo(50);
    }

    @Test
    void eitherUnitsOrAReset_positiveUnits_andNoReservationOnAnNlbWithATlsListener() {
        String both = "Specify either MinimumLoadBalancerCapacity or ResetCapacityReservation set to true, not both";
        assertRefused(() -> modify(NLB, null, null, T0), "ValidationError", both);
        assertRefused(() -> modify(NLB, null, false, T0), "ValidationError", both);
        assertRefused(() -> modify(NLB, 10, true, T0), "ValidationError", both);
        assertRefused(() -> modify(NLB, 0, null, T0), "ValidationError",
                "MinimumLoadBalancerCapacity.CapacityUnits must be a positive number, not 0");
        Listener tls = new Listener(ARN.replace(":loadbalancer/", ":listener/") + "/00000000000000aa",
                "123456789012", "us-east-1", LoadBalancerArn.of(ARN), 443, Protocol.TLS, List.of(),
                List.of("arn:aws:acm:us-east-1:1:certificate/x"),
                "ELBSecurityPolicy-TLS13-1-2-2021-06", List.of(), T0, Map.of(), Map.of());
        World withTls = World.of(List.of(NLB, tls));
        assertRefused(() -> CapacityReservations.modify(withTls, NLB, 100, null, T0, PROVISIONING),
                "OperationNotPermitted", "Load balancer '" + ARN + "' has a TLS listener: LCU reservation is not "
                        + "supported on Network Load Balancers with TLS listeners");
    }
}
