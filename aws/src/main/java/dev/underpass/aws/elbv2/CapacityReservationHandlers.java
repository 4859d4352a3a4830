package dev.underpass.aws.elbv2;

import dev.underpass.model.Tx;
import dev.underpass.model.elb.CapacityReservations;
import dev.underpass.model.elb.LoadBalancer;
import dev.underpass.model.elb.LoadBalancers;
import java.time.Instant;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CapacityReservationStatus;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeCapacityReservationRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeCapacityReservationResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.MinimumLoadBalancerCapacity;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ModifyCapacityReservationRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ModifyCapacityReservationResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ZonalCapacityReservationState;

/**
 * LCU reservations: DescribeCapacityReservation and ModifyCapacityReservation. The rules (pending then provisioned,
 * two decreases a day, none on an NLB with a TLS listener) are {@link CapacityReservations}'; this class maps the
 * wire shapes. Both operations answer the same members, built once here.
 */
record CapacityReservationHandlers(Elbv2Registry api) {
    void register(Elbv2Registry registry) {
        registry.read("DescribeCapacityReservation", DescribeCapacityReservationRequest::builder, this::describe);
        registry.write("ModifyCapacityReservation", ModifyCapacityReservationRequest::builder, this::modify);
    }

    private DescribeCapacityReservationResponse describe(DescribeCapacityReservationRequest req,
            Elbv2Api.ReadContext ctx) {
        LoadBalancer lb = LoadBalancers.requireLoadBalancer(ctx.world(), ctx.caller(),
                ElbShapes.required(req.loadBalancerArn(), "LoadBalancerArn"));
        return shape(status(lb, ctx.now()));
    }

    private ModifyCapacityReservationResponse modify(ModifyCapacityReservationRequest req, Tx tx) {
        LoadBalancer lb = LoadBalancers.requireLoadBalancer(tx.world(), tx.caller(),
                ElbShapes.required(req.loadBalancerArn(), "LoadBalancerArn"));
        Integer units = req.minimumLoadBalancerCapacity() == null ? null
                : req.minimumLoadBalancerCapacity().capacityUnits();
        if (req.minimumLoadBalancerCapacity() != null && units == null) {
            throw dev.underpass.model.elb.ElbErrors.notNull("minimumLoadBalancerCapacity.capacityUnits");
        }
        LoadBalancer updated = tx.put(CapacityReservations.modify(tx.world(), lb, units,
                req.resetCapacityReservation(), tx.now(), api.settings().provisioning()));
        // The same members as DescribeCapacityReservation's answer.
        DescribeCapacityReservationResponse s = shape(status(updated, tx.now()));
        return ModifyCapacityReservationResponse.builder().lastModifiedTime(s.lastModifiedTime())
                .decreaseRequestsRemaining(s.decreaseRequestsRemaining())
                .minimumLoadBalancerCapacity(s.minimumLoadBalancerCapacity())
                .capacityReservationState(s.capacityReservationState()).build();
    }

    private static DescribeCapacityReservationResponse shape(CapacityReservations.Status s) {
        var b = DescribeCapacityReservationResponse.builder().lastModifiedTime(s.lastModified())
                .decreaseRequestsRemaining(s.decreasesRemaining()).capacityReservationState(zones(s));
        if (s.minimumUnits() != null) {
            b.minimumLoadBalancerCapacity(MinimumLoadBalancerCapacity.builder().capacityUnits(s.minimumUnits())
                    .build());
        }
        return b.build();
    }

    private CapacityReservations.Status status(LoadBalancer lb, Instant now) {
        return CapacityReservations.status(lb, now, api.settings().provisioning());
    }

    private static java.util.List<ZonalCapacityReservationState> zones(CapacityReservations.Status s) {
        return s.zones().stream().map(z -> ZonalCapacityReservationState.builder().availabilityZone(z.zoneName())
                .effectiveCapacityUnits(z.effectiveUnits())
                .state(CapacityReservationStatus.builder().code(z.code()).build()).build()).toList();
    }
}
