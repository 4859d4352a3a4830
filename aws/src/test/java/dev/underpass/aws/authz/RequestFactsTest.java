package dev.underpass.aws.authz;

import dev.underpass.model.ec2.VpcId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.aws.authz.OrgGuard.Check;
import dev.underpass.aws.authz.OrgGuard.Target;
import dev.underpass.model.Caller;
import dev.underpass.model.World;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.ec2.Vpc;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.CreateVpcEndpointRequest;
import software.amazon.awssdk.services.ec2.model.DescribeVpcsRequest;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateLoadBalancerRequest;
import software.amazon.awssdk.services.ram.model.CreateResourceShareRequest;

class RequestFactsTest {
    private static final String ME = "111122223333";
    private static final String OTHER = "444455556666";
    private static final Caller CALLER = new Caller(ME, "us-east-1", null, null, "127.0.0.1");
    private static final Vpc VPC = new Vpc("vpc-0123456789abcdef0", ME, "us-east-1", "10.0.0.0/16", List.of(), null,
            "default", false, true, false, Instant.EPOCH, Map.of("env", "prod"), List.of());
    private static final Subnet SUBNET = new Subnet("subnet-0123456789abcdef0", ME, "us-east-1", VPC.vpcId(),
            "10.0.1.0/24", "us-east-1a", "use1-az1", false, false, Instant.EPOCH, Map.of("tier", "app"));
    private static final Subnet THEIRS =
            new Subnet("subnet-0fedcba9876543210", OTHER, "us-east-1", VpcId.of("vpc-0aaa"),
                    "10.9.1.0/24", "us-east-1a", "use1-az1", false, false, Instant.EPOCH, Map.of("secret", "x"));
    private static final World WORLD = World.of(List.of(VPC, SUBNET, THEIRS));

    @Test
    void createVpcEndpoint_isAuthorizedOnTheNewEndpointAndTheNamedVpcAndSubnet_withTheEndpointKeys() {
        Check c = RequestFacts.ec2("CreateVpcEndpoint", CreateVpcEndpointRequest.builder().vpcId(VPC.id())
                .serviceName("com.amazonaws.us-east-1.sqs").subnetIds(SUBNET.id(), THEIRS.id())
                .tagSpecifications(t -> t.resourceType("vpc-endpoint").tags(g -> g.key("team").value("net")))
                .build(), WORLD, CALLER);

        assertThat(c.action()).isEqualTo("ec2:CreateVpcEndpoint");
        assertThat(c.targets()).extracting(Target::arn).containsExactly(
                "arn:aws:ec2:us-east-1:" + ME + ":vpc-endpoint/*",
                "arn:aws:ec2:us-east-1:" + ME + ":vpc/" + VPC.id(),
                "arn:aws:ec2:us-east-1:" + ME + ":subnet/" + SUBNET.id());
        assertThat(c.targets().get(1).keys()).containsEntry("ec2:ResourceTag/env", "prod")
                .containsEntry("aws:ResourceTag/env", "prod");
        assertThat(c.targets().get(2).keys()).containsEntry("ec2:Subnet", "arn:aws:ec2:us-east-1:" + ME
                + ":subnet/" + SUBNET.id()).containsEntry("ec2:Vpc", "arn:aws:ec2:us-east-1:" + ME + ":vpc/"
                        + VPC.id());
        assertThat(c.requestKeys()).containsEntry("ec2:VpceServiceName", "com.amazonaws.us-east-1.sqs")
                .containsEntry("ec2:VpceServiceOwner", "amazon").containsEntry("aws:RequestTag/team", "net")
                .containsEntry("aws:TagKeys", List.of("team"))
                .containsEntry("ec2:Vpc", "arn:aws:ec2:us-east-1:" + ME + ":vpc/" + VPC.id());
    }

    @Test
    void describeCalls_areAuthorizedOnStarOnly_andAnotherAccountsResourceIsNeverATarget() {
        Check describe = RequestFacts.ec2("DescribeVpcs", DescribeVpcsRequest.builder().vpcIds(VPC.id()).build(),
                WORLD, CALLER);
        assertThat(describe.targets()).extracting(Target::arn).containsExactly("*");

        Check run = RequestFacts.ec2("RunInstances", RunInstancesRequest.builder().subnetId(THEIRS.id())
                .minCount(1).maxCount(1).build(), WORLD, CALLER);
        assertThat(run.targets()).extracting(Target::arn)
                .containsExactly("arn:aws:ec2:us-east-1:" + ME + ":instance/*");
    }

    @Test
    void elbv2AndRam_nameWhatTheyCreate_andRamResourceTypesComeFromTheArns() {
        Check lb = RequestFacts.elbv2("CreateLoadBalancer", CreateLoadBalancerRequest.builder().name("web")
                .type("network").subnets(SUBNET.id()).tags(t -> t.key("team").value("web")).build(), WORLD, CALLER);
        assertThat(lb.action()).isEqualTo("elasticloadbalancing:CreateLoadBalancer");
        assertThat(lb.targets()).extracting(Target::arn).containsExactly(
                "arn:aws:elasticloadbalancing:us-east-1:" + ME + ":loadbalancer/net/web/*");
        assertThat(lb.requestKeys()).containsEntry("aws:RequestTag/team", "web");

        String subnetArn = "arn:aws:ec2:us-east-1:" + ME + ":subnet/" + SUBNET.id();
        Check share = RequestFacts.ram("CreateResourceShare", CreateResourceShareRequest.builder().name("s")
                .resourceArns(subnetArn, "arn:aws:ec2:us-east-1:" + ME + ":prefix-list/pl-0123456789abcdef0")
                .principals(OTHER).allowExternalPrincipals(false).tags(t -> t.key("k").value("v")).build(), WORLD,
                CALLER);
        assertThat(share.targets()).extracting(Target::arn)
                .containsExactly("arn:aws:ram:us-east-1:" + ME + ":resource-share/*");
        assertThat(share.requestKeys()).containsEntry("ram:RequestedResourceType",
                List.of("ec2:Subnet", "ec2:PrefixList")).containsEntry("ram:Principal", List.of(OTHER))
                .containsEntry("ram:RequestedAllowsExternalPrincipals", "false")
                .containsEntry("ram:ResourceShareName", "s").containsEntry("aws:RequestTag/k", "v");
    }
}
