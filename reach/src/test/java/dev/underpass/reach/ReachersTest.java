package dev.underpass.reach;

import static dev.underpass.reach.Net.in;
import static dev.underpass.reach.Net.outAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.model.ec2.NetworkInterface;
import dev.underpass.model.ec2.VpcEndpoint;
import org.junit.jupiter.api.Test;

/** "Who can reach it" over the PrivateLink scenario: the consumer's clients, one of them in a closed subnet. */
class ReachersTest {
    @Test
    void listsTheInterfacesThatReach_andCountsTheRestByReason() {
        Net n = AnalyzerScenarioTest.privateLink(VpcEndpoint.State.AVAILABLE)
                .instance("i-client2", "subnet-c1", "10.1.1.11", "sg-client")
                .sg("sg-mute", "vpc-c", in("tcp", 22, 22, "0.0.0.0/0"))
                .instance("i-mute", "subnet-c1", "10.1.1.12", "sg-mute");
        Reachers r = Reachers.of(n.world, n.world.all(NetworkInterface.class), eni -> true, Net.REGION,
                "vpce-svc-1", "tcp", 443, Net.LATER);
        // The provider's instance has no endpoint to the service in its VPC; the mute one sends nothing.
        assertThat(r.reachable()).extracting(Reachers.Source::instanceId).containsExactly("i-client", "i-client2");
        assertThat(r.analyzed()).isEqualTo(4);
        assertThat(r.blocked()).isEqualTo(2);
        assertThat(r.blockedBy()).containsEntry("SG_HAS_NO_RULES", 1).containsEntry("NO_PATH", 1);
        // The endpoint's own interface and the NLB's are not sources; restricting by account works.
        Reachers consumerOnly = Reachers.of(n.world, n.world.all(NetworkInterface.class),
                eni -> eni.ownerId().equals(AnalyzerScenarioTest.CONSUMER), Net.REGION, "vpce-svc-1", "tcp", 443,
                Net.LATER);
        assertThat(consumerOnly.analyzed()).isEqualTo(3);
        assertThat(outAll()).isNotNull();
    }
}
