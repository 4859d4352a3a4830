package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CapacityReservationStateEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeCapacityReservationResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ElasticLoadBalancingV2Exception;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ZonalCapacityReservationState;

/**
 * DescribeCapacityReservation and ModifyCapacityReservation through the SDK (Terraform's {@code aws_lb} reads the
 * first on every refresh and calls the second for {@code minimum_load_balancer_capacity}): the shapes, the errors,
 * other accounts kept out, and a reservation that survives a restart.
 */
class CapacityReservationApiTest {
    private static final String ACCOUNT = "626262626262";
    private static final String OTHER = "727272727272";

    private static void assertError(Runnable call, String code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ElasticLoadBalancingV2Exception.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorMessage()).isNotBlank();
        });
    }

    @Test
    void reservation_isDescribedPerZone_decreasesAreLimited_otherAccountsSeeNothing_andItSurvivesARestart(
            @TempDir Path dir) {
        ServerConfig config = ServerConfig.forTests().withDataDir(dir);
        String nlb;
        try (UnderpassServer server = TestStore.start(config)) {
            URI endpoint = URI.create(server.endpoint());
            Ec2Client ec2 = UnderpassExtension.client(Ec2Client.builder(), endpoint, ACCOUNT, Region.US_EAST_1);
            ElasticLoadBalancingV2Client elb = UnderpassExtension.client(ElasticLoadBalancingV2Client.builder(),
                    endpoint, ACCOUNT, Region.US_EAST_1);
            var net = TestVpcs.net(ec2, "10.62.0.0/16", "10.62.1.0/24", "us-east-1a");
            String second = ec2.createSubnet(r -> r.vpcId(net.vpc().vpcId()).cidrBlock("10.62.2.0/24")
                    .availabilityZone("us-east-1b")).subnet().subnetId();
            nlb = elb.createLoadBalancer(r -> r.name("reserved").type("network").scheme("internal")
                    .subnets(net.subnet().subnetId(), second)).loadBalancers().get(0).loadBalancerArn();
            String lb = nlb;

            DescribeCapacityReservationResponse none = elb.describeCapacityReservation(r -> r.loadBalancerArn(lb));
            assertThat(none.minimumLoadBalancerCapacity()).isNull();
            assertThat(none.lastModifiedTime()).isNull();
            assertThat(none.decreaseRequestsRemaining()).isEqualTo(2);
            assertThat(none.capacityReservationState()).isEmpty();

            var set = elb.modifyCapacityReservation(r -> r.loadBalancerArn(lb)
                    .minimumLoadBalancerCapacity(c -> c.capacityUnits(3000)));
            assertThat(set.minimumLoadBalancerCapacity().capacityUnits()).isEqualTo(3000);
            assertThat(set.lastModifiedTime()).isNotNull();
            assertThat(set.capacityReservationState()).extracting(ZonalCapacityReservationState::availabilityZone,
                    ZonalCapacityReservationState::effectiveCapacityUnits, z -> z.state().code())
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("us-east-1a", 1500.0,
                                    CapacityReservationStateEnum.PROVISIONED),
                            org.assertj.core.groups.Tuple.tuple("us-east-1b", 1500.0,
                                    CapacityReservationStateEnum.PROVISIONED));
            assertThat(elb.describeCapacityReservation(r -> r.loadBalancerArn(lb)).minimumLoadBalancerCapacity()
                    .capacityUnits()).isEqualTo(3000);

            // Bad requests change nothing.
            assertError(() -> elb.modifyCapacityReservation(r -> r.loadBalancerArn(lb)), "ValidationError");
            assertError(() -> elb.modifyCapacityReservation(r -> r.loadBalancerArn(lb).resetCapacityReservation(true)
                    .minimumLoadBalancerCapacity(c -> c.capacityUnits(10))), "ValidationError");
            assertError(() -> elb.modifyCapacityReservation(r -> r.loadBalancerArn(lb)
                    .minimumLoadBalancerCapacity(c -> c.capacityUnits(-1))), "ValidationError");
            assertError(() -> elb.describeCapacityReservation(r -> r.loadBalancerArn(lb.replace("reserved",
                    "missing"))), "LoadBalancerNotFound");
            assertError(() -> elb.describeCapacityReservation(r -> r.loadBalancerArn("not-an-arn")),
                    "ValidationError");

            // Another account cannot read or change it.
            ElasticLoadBalancingV2Client other = UnderpassExtension.client(ElasticLoadBalancingV2Client.builder(),
                    endpoint, OTHER, Region.US_EAST_1);
            assertError(() -> other.describeCapacityReservation(r -> r.loadBalancerArn(lb)), "LoadBalancerNotFound");
            assertError(() -> other.modifyCapacityReservation(r -> r.loadBalancerArn(lb).resetCapacityReservation(
                    true)), "LoadBalancerNotFound");

            // Two decreases a day; the reset is one of them.
            elb.modifyCapacityReservation(r -> r.loadBalancerArn(lb).minimumLoadBalancerCapacity(c -> c
                    .capacityUnits(2000)));
            var reset = elb.modifyCapacityReservation(r -> r.loadBalancerArn(lb).resetCapacityReservation(true));
            assertThat(reset.minimumLoadBalancerCapacity()).isNull();
            assertThat(reset.capacityReservationState()).isEmpty();
            assertThat(reset.decreaseRequestsRemaining()).isZero();
            elb.modifyCapacityReservation(r -> r.loadBalancerArn(lb).minimumLoadBalancerCapacity(c -> c
                    .capacityUnits(800)));
            assertError(() -> elb.modifyCapacityReservation(r -> r.loadBalancerArn(lb).minimumLoadBalancerCapacity(
                    c -> c.capacityUnits(700))), "CapacityDecreaseRequestLimitExceeded");
            assertThat(elb.describeCapacityReservation(r -> r.loadBalancerArn(lb)).minimumLoadBalancerCapacity()
                    .capacityUnits()).isEqualTo(800);

            // A TLS listener rules reservations out on an NLB.
            String tg = elb.createTargetGroup(r -> r.name("reserved-tcp").protocol("TCP").port(443)
                    .vpcId(net.vpc().vpcId()).targetType("ip")).targetGroups().get(0).targetGroupArn();
            elb.createListener(r -> r.loadBalancerArn(lb).port(443).protocol("TLS").certificates(c -> c
                    .certificateArn(
                            "arn:aws:acm:us-east-1:626262626262:certificate/1f2e3d4c-0000-4000-8000-000000000001"))
                    .defaultActions(Action.builder().type("forward").targetGroupArn(tg).build()));
            assertError(() -> elb.modifyCapacityReservation(r -> r.loadBalancerArn(lb).minimumLoadBalancerCapacity(
                    c -> c.capacityUnits(900))), "OperationNotPermitted");
        }
        try (UnderpassServer server = TestStore.start(config)) {
            ElasticLoadBalancingV2Client elb = UnderpassExtension.client(ElasticLoadBalancingV2Client.builder(),
                    URI.create(server.endpoint()), ACCOUNT, Region.US_EAST_1);
            String lb = nlb;
            DescribeCapacityReservationResponse after = elb.describeCapacityReservation(r -> r.loadBalancerArn(lb));
            assertThat(after.minimumLoadBalancerCapacity().capacityUnits()).isEqualTo(800);
            assertThat(after.decreaseRequestsRemaining()).isZero();
            assertThat(after.capacityReservationState()).hasSize(2);
        }
    }
}
