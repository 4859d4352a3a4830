package dev.underpass.model.elb;

import dev.underpass.model.ec2.NetworkInterfaceId;
import dev.underpass.model.ec2.SecurityGroupId;

import dev.underpass.model.ec2.SubnetId;
import dev.underpass.model.ec2.VpcId;
import static dev.underpass.model.elb.ElbAssert.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.World;
import dev.underpass.model.ec2.InternetGateway;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The life-cycle rules of a load balancer and the ELB quotas, without a server. */
class LoadBalancerRulesTest {
    private static final Caller CALLER = Caller.of("123456789012", "us-east-1");
    private static final String VPC = "vpc-0123456789abcdef0";
    private static final String ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/edge/"
            + "0123456789abcdef";

    private static LoadBalancer nlb(Map<String, String> attributes) {
        return new LoadBalancer(ARN, CALLER.accountId(), CALLER.region(), "edge", LoadBalancer.Type.NETWORK,
                LoadBalancer.Scheme.INTERNAL, VpcId.of(VPC), LoadBalancer.IpAddressType.IPV4,
                List.of(new LoadBalancer.Zone(SubnetId.of("subnet-a"), "us-east-1a", "use1-az1",
                        NetworkInterfaceId.of("eni-a"), "10.0.0.5",
                        false),
                        new LoadBalancer.Zone(SubnetId.of("subnet-b"), "us-east-1b", "use1-az2",
                                NetworkInterfaceId.of("eni-b"), "10.0.1.5",
                                false)),
                SecurityGroupId.all(List.of("sg-1", "sg-2")), attributes, Instant.EPOCH, Map.of());
    }

    @Test
    void names_areShortAlphanumericWithInnerHyphens_andNotInternal() {
        assertThatNoException().isThrownBy(() -> LoadBalancerRules.requireLoadBalancerName("web-1"));
        assertThatNoException().isThrownBy(() -> LoadBalancerRules.requireName("a".repeat(32), "Target group"));
        assertRefused(() -> LoadBalancerRules.requireName("a".repeat(33), "Target group"), "ValidationError",
                "Target group name '" + "a".repeat(33) + "' cannot be longer than '32' characters");
        assertRefused(() -> LoadBalancerRules.requireLoadBalancerName("web_1"), "ValidationError",
                "Load balancer name 'web_1' can only contain characters that are alphanumeric characters or"
                        + " hyphens(-)");
        assertRefused(() -> LoadBalancerRules.requireLoadBalancerName("web-"), "ValidationError",
                "Load balancer name 'web-' cannot begin or end with a hyphen");
        assertRefused(() -> LoadBalancerRules.requireLoadBalancerName("internal-web"), "ValidationError",
                "Load balancer name 'internal-web' cannot begin with 'internal-'");
        // A target group may be called internal-…: only load balancer DNS names carry that prefix.
        assertThatNoException().isThrownBy(() -> LoadBalancerRules.requireName("internal-web", "Target group"));
    }

    @Test
    void typesAndIpAddressTypes_gatewayRefused_nlbIpv4Only() {
        assertThatNoException().isThrownBy(() -> LoadBalancerRules.requireEmulatedType(LoadBalancer.Type.NETWORK));
        assertRefused(() -> LoadBalancerRules.requireEmulatedType(LoadBalancer.Type.GATEWAY),
                "InvalidConfigurationRequest",
                "underpass emulates Network and Application Load Balancers: Type 'gateway' is not supported");
        assertThatNoException().isThrownBy(
                () -> LoadBalancerRules.requireIpAddressTypeFor(true, LoadBalancer.IpAddressType.DUALSTACK));
        assertThatNoException()
                .isThrownBy(() -> LoadBalancerRules.requireIpAddressTypeFor(false, LoadBalancer.IpAddressType.IPV4));
        assertRefused(() -> LoadBalancerRules.requireIpAddressTypeFor(false, LoadBalancer.IpAddressType.DUALSTACK),
                "InvalidConfigurationRequest",
                "underpass supports only the 'ipv4' IP address type for Network Load Balancers, not 'dualstack'");
        assertRefused(() -> LoadBalancerRules.refuseCustomerOwnedPool("ipv4pool-coip-1"),
                "InvalidConfigurationRequest",
                "Customer-owned IPv4 pools are only supported for Application Load Balancers on Outposts");
        assertThatNoException().isThrownBy(() -> LoadBalancerRules.refuseCustomerOwnedPool(null));
    }

    @Test
    void sameSettings_comparesSubnetsAndGroupsAsSets() {
        LoadBalancer lb = nlb(Map.of());
        assertThat(LoadBalancerRules.sameSettings(lb, LoadBalancer.Type.NETWORK, LoadBalancer.Scheme.INTERNAL,
                List.of("subnet-b", "subnet-a"),
                SecurityGroupId.all(List.of("sg-2", "sg-1")))).isTrue();
        assertThat(LoadBalancerRules.sameSettings(lb, LoadBalancer.Type.NETWORK, LoadBalancer.Scheme.INTERNET_FACING,
                List.of("subnet-a", "subnet-b"),
                SecurityGroupId.all(List.of("sg-1", "sg-2")))).isFalse();
        assertThat(LoadBalancerRules.sameSettings(lb, LoadBalancer.Type.APPLICATION, LoadBalancer.Scheme.INTERNAL,
                List.of("subnet-a", "subnet-b"),
                SecurityGroupId.all(List.of("sg-1", "sg-2")))).isFalse();
        assertThat(LoadBalancerRules.sameSettings(lb, LoadBalancer.Type.NETWORK, LoadBalancer.Scheme.INTERNAL,
                List.of("subnet-a"),
                SecurityGroupId.all(List.of("sg-1", "sg-2")))).isFalse();
        assertThat(LoadBalancerRules.sameSettings(lb, LoadBalancer.Type.NETWORK, LoadBalancer.Scheme.INTERNAL,
                List.of("subnet-a", "subnet-b"),
                SecurityGroupId.all(List.of("sg-1")))).isFalse();
        AwsException dup = LoadBalancerRules.duplicateName("edge");
        assertThat(dup.code()).isEqualTo("DuplicateLoadBalancerName");
    }

    @Test
    void internetFacing_needsTheCallersInternetGatewayInTheVpc() {
        World none = World.empty();
        assertThatNoException()
                .isThrownBy(() -> LoadBalancerRules.requireInternetGateway(none, CALLER, LoadBalancer.Scheme.INTERNAL,
                        VpcId.of(VPC)));
        assertRefused(
                () -> LoadBalancerRules.requireInternetGateway(none, CALLER, LoadBalancer.Scheme.INTERNET_FACING,
                        VpcId.of(VPC)),
                "InvalidSubnet", "VPC " + VPC + " has no internet gateway");
        World theirs =
                World.of(List.of(new InternetGateway("igw-1", "210987654321", "us-east-1", List.of(VpcId.of(VPC)),
                        Map.of())));
        assertRefused(
                () -> LoadBalancerRules.requireInternetGateway(theirs, CALLER, LoadBalancer.Scheme.INTERNET_FACING,
                        VpcId.of(VPC)),
                "InvalidSubnet", "VPC " + VPC + " has no internet gateway");
        World mine =
                World.of(List.of(new InternetGateway("igw-1", CALLER.accountId(), "us-east-1", List.of(VpcId.of(VPC)),
                        Map.of())));
        assertThatNoException().isThrownBy(() -> LoadBalancerRules.requireInternetGateway(mine, CALLER,
                LoadBalancer.Scheme.INTERNET_FACING, VpcId.of(VPC)));
    }

    @Test
    void delete_isRefusedUnderDeletionProtection() {
        assertThatNoException().isThrownBy(() -> LoadBalancerRules.requireDeletable(World.empty(),
                nlb(NlbAttributes.loadBalancerDefaults(LoadBalancer.Scheme.INTERNAL))));
        Map<String, String> protectedLb = new LinkedHashMap<>(NlbAttributes.loadBalancerDefaults(
                LoadBalancer.Scheme.INTERNAL));
        protectedLb.put("deletion_protection.enabled", "true");
        assertThatThrownBy(() -> LoadBalancerRules.requireDeletable(World.empty(), nlb(protectedLb)))
                .isInstanceOfSatisfying(AwsException.class, e -> {
                    assertThat(e.code()).isEqualTo("OperationNotPermitted");
                    assertThat(e.getMessage()).isEqualTo("Load balancer '" + ARN
                            + "' cannot be deleted because deletion protection is enabled");
                });
    }

    @Test
    void quotas_matchTheAccountLimitsTable_andRefuseOneTooMany() {
        Map<String, Integer> limits = ElbLimits.accountLimits();
        assertThat(limits).hasSize(19).containsEntry("network-load-balancers", 50)
                .containsEntry("application-load-balancers", 50).containsEntry("target-groups", 3000)
                .containsEntry("listeners-per-network-load-balancer", 50)
                .containsEntry("target-groups-per-action-on-application-load-balancer", 5)
                .containsEntry("targets-per-network-load-balancer", 3000);
        assertThat(List.copyOf(limits.keySet())).isSorted();
        assertThatNoException().isThrownBy(() -> ElbLimits.requireRoomForLoadBalancer(49));
        assertRefused(() -> ElbLimits.requireRoomForLoadBalancer(50), "TooManyLoadBalancers",
                "The quota for the number of load balancers has been reached (50)");
        assertRefused(() -> ElbLimits.requireRoomForListener(50), "TooManyListeners",
                "The quota for the number of listeners per load balancer has been reached (50)");
        assertRefused(() -> ElbLimits.requireRoomForTargetGroup(3000), "TooManyTargetGroups",
                "The quota for the number of target groups has been reached (3000)");
        assertThatNoException().isThrownBy(() -> ElbLimits.requireTargetCount(TargetType.IP, 3000));
        assertRefused(() -> ElbLimits.requireTargetCount(TargetType.IP, 3001), "TooManyTargets",
                "The quota for the number of targets has been reached (3000)");
        assertRefused(() -> ElbLimits.requireTargetCount(TargetType.LAMBDA, 2), "TooManyTargets",
                "A target group of target type 'lambda' can have only one target");
        assertThatNoException().isThrownBy(() -> ElbLimits.requireTargetCount(TargetType.ALB, 1));
    }
}
