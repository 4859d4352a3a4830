package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.aws.ec2.Ec2Api;
import dev.underpass.model.ec2.Quotas;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;

/**
 * DescribeVpcEndpoints answers from shapes and XML kept per world snapshot ({@code aws.ShapeCache}): repeated
 * answers are equal, every change shows at once (a commit makes a new snapshot), a state that advances with time
 * advances in the answer, and another account's view never sees the owner's kept answer (its tags).
 */
class DescribeCacheTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension(ServerConfig.forTests().withEc2(
            new Ec2Api.Settings(Duration.ofMillis(300), false, Quotas.defaults())));

    private final Ec2Client ec2 = UNDERPASS.ec2("121212121212");

    @Test
    void describeVpcEndpoints_repeatedThenChanged_showsEachChangeAndTheStateAdvancing() throws Exception {
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.1.0/24").availabilityZone("us-east-1a"))
                .subnet().subnetId();
        String id = ec2.createVpcEndpoint(r -> r.vpcId(vpc).vpcEndpointType("Interface").privateDnsEnabled(false)
                .serviceName("com.amazonaws.us-east-1.sqs").subnetIds(subnet)
                .tagSpecifications(t -> t.resourceType("vpc-endpoint").tags(tag("Name", "first"))))
                .vpcEndpoint().vpcEndpointId();

        VpcEndpoint first = only();
        assertThat(only()).isEqualTo(first);
        assertThat(first.tags()).containsExactly(tag("Name", "first"));

        ec2.createTags(r -> r.resources(id).tags(tag("Name", "second")));
        assertThat(only().tags()).containsExactly(tag("Name", "second"));

        ec2.modifyVpcEndpoint(r -> r.vpcEndpointId(id).policyDocument("{\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}]}"));
        assertThat(only().policyDocument()).contains("\"Effect\":\"Allow\"");

        // No commit between these reads: the state still moves from pending to available.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!only().stateAsString().equals("available") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(only().stateAsString()).isEqualTo("available");
        assertThat(UNDERPASS.ec2("343434343434").describeVpcEndpoints().vpcEndpoints()).isEmpty();
    }

    private VpcEndpoint only() {
        List<VpcEndpoint> all = ec2.describeVpcEndpoints().vpcEndpoints();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }
}
