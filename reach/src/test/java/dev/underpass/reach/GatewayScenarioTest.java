package dev.underpass.reach;

import dev.underpass.model.ec2.VpcEndpointId;
import dev.underpass.model.ec2.AllocationId;
import dev.underpass.model.ec2.PrefixListId;
import dev.underpass.model.ec2.RouteTableId;

import dev.underpass.model.ec2.NetworkInterfaceId;
import dev.underpass.model.ec2.SecurityGroupId;

import dev.underpass.model.ec2.SubnetId;
import dev.underpass.model.ec2.VpcId;
import static dev.underpass.reach.Net.in;
import static dev.underpass.reach.Net.keys;
import static dev.underpass.reach.Net.outAll;
import static dev.underpass.reach.Net.toGateway;
import static dev.underpass.reach.Net.toNat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.model.ec2.AwsServices;
import dev.underpass.model.ec2.InternetGateway;
import dev.underpass.model.ec2.NatGateway;
import dev.underpass.model.ec2.NetworkInterface;
import dev.underpass.model.ec2.RouteTables;
import dev.underpass.model.ec2.VpcEndpoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scenarios for the codes of gateways and the edges of the model: internet gateway attachment, NAT gateways, gateway
 * endpoints reached through their prefix-list route, targets that do not exist, and a participant's interface in a
 * shared subnet behind the owner's routes.
 */
class GatewayScenarioTest {
    static final String OWNER = AnalyzerScenarioTest.CONSUMER;
    static final String PARTICIPANT = "333333333333";

    @Test
    void internetGatewayNotAttached_isBadStateAttachment() {
        Net n = AnalyzerScenarioTest.twoSubnets().elasticIp("eni-client", "54.0.0.1")
                .put(new InternetGateway("igw-loose", OWNER, Net.REGION, List.of(), Map.of()))
                .routes("vpc-a", toGateway("0.0.0.0/0", "igw-loose"));
        assertThat(keys(n.trace(OWNER, "i-client", "8.8.8.8", 443)))
                .containsExactly("BAD_STATE_ATTACHMENT igw-loose null forward");
    }

    static Net natted() {
        Net n = AnalyzerScenarioTest.twoSubnets().igw("igw-1", "vpc-a")
                .table("rtb-public", "subnet-a2", toGateway("0.0.0.0/0", "igw-1"))
                .table("rtb-private", "subnet-a1", toNat("0.0.0.0/0", "nat-1"));
        return n.put(new NatGateway("nat-1", OWNER, Net.REGION, SubnetId.of("subnet-a2"), VpcId.of("vpc-a"),
                NatGateway.ConnectivityType.PUBLIC, NetworkInterfaceId.of("eni-nat"),
                "10.1.2.99", AllocationId.of("eipalloc-1"), "54.0.0.9", NatGateway.State.AVAILABLE, Net.T0, null,
                Map.of()));
    }

    @Test
    void natGateway_carriesAPrivateSubnetToTheInternet_butNotAnotherVpcsTraffic() {
        Analysis a = natted().trace(OWNER, "i-client", "8.8.8.8", 443);
        assertThat(a.blockers()).isEmpty();
        assertThat(a.forward()).extracting(Hop::component).containsSubsequence("rtb-private", "nat-1",
                "rtb-public", "igw-1");
        // A stored "pending" reads as available (NatGateways.observed); a gateway being deleted does not carry.
        Net pending = natted();
        pending.put(pending.get(NatGateway.class, "nat-1").withState(NatGateway.State.DELETING, null));
        assertThat(keys(pending.trace(OWNER, "i-client", "8.8.8.8", 443)))
                .containsExactly("BAD_STATE nat-1 null forward");

        Net foreign = natted().vpc(OWNER, "vpc-z", "10.8.0.0/16");
        foreign.put(foreign.get(NatGateway.class, "nat-1").withState(NatGateway.State.AVAILABLE, null));
        NatGateway nat = foreign.get(NatGateway.class, "nat-1");
        foreign.put(new NatGateway(nat.id(), OWNER, Net.REGION, nat.subnetId(), VpcId.of("vpc-z"),
                NatGateway.ConnectivityType.PUBLIC, NetworkInterfaceId.of("eni-nat"),
                nat.privateIp(), null, null, NatGateway.State.AVAILABLE, Net.T0, null, Map.of()));
        assertThat(keys(foreign.trace(OWNER, "i-client", "8.8.8.8", 443)))
                .containsExactly("NGW_REQUIRES_SOURCE_IN_VPC nat-1 null forward");
    }

    @Test
    void gatewayEndpoint_byItsPrefixListRoute_carriesTcpOnly() {
        PrefixListId pl =
                AwsServices.prefixListFor(Net.REGION, "com.amazonaws.us-east-1.s3").orElseThrow().prefixListId();
        Net n = AnalyzerScenarioTest.twoSubnets().routes("vpc-a",
                RouteTables.endpointRoute(pl, VpcEndpointId.of("vpce-gw")));
        n.put(new VpcEndpoint("vpce-gw", OWNER, Net.REGION, VpcId.of("vpc-a"), "com.amazonaws.us-east-1.s3", null, null,
                VpcEndpoint.Type.GATEWAY, VpcEndpoint.State.AVAILABLE, Net.T0, null,
                RouteTableId.all(List.of("rtb-main-vpc-a")),
                List.of(),
                List.of(), List.of(), false, VpcEndpoint.IpAddressType.IPV4, null, null, null, List.of(), Net.T0,
                Map.of()));
        Analysis tcp = n.trace(OWNER, "i-client", "vpce-gw", 443);
        assertThat(tcp.blockers()).isEmpty();
        assertThat(tcp.forward()).filteredOn(h -> h.component().equals("rtb-main-vpc-a")).extracting(Hop::matched)
                .allMatch(m -> m.startsWith(pl + " (") && m.endsWith("-> vpce-gw"));
        assertThat(keys(n.trace(OWNER, "i-client", "vpce-gw", "udp", 443)))
                .containsExactly("VPCE_GATEWAY_PROTOCOL_RESTRICTION vpce-gw null forward");
    }

    @Test
    void ipTargetThatNoInterfaceHas_isUnknownDestination() {
        Net n = AnalyzerScenarioTest.privateLink(VpcEndpoint.State.AVAILABLE);
        n.ipTargetGroup("ghost", "vpc-p", 8443, Map.of(), "10.2.1.30");
        var tg = n.get(dev.underpass.model.elb.TargetGroup.class, Net.tgArn(AnalyzerScenarioTest.PROVIDER, "ghost"));
        n.put(tg.withTargets(List.of(new dev.underpass.model.elb.TargetGroup.Target("10.2.1.77", null,
                "us-east-1c", Net.T0, null))));
        n.listener("svc", AnalyzerScenarioTest.PROVIDER, 443, "ghost");
        assertThat(keys(n.trace(AnalyzerScenarioTest.CONSUMER, "i-client", "vpce-1", 443)))
                .containsExactly("UNKNOWN_DESTINATION 10.2.1.77 null forward");
    }

    @Test
    void participantInASharedSubnet_usesTheOwnersRoutesAndAcls() {
        Net n = AnalyzerScenarioTest.twoSubnets().sg("sg-p", "vpc-a", outAll());
        // A participant's interface in the owner's subnet: its own account, the owner's subnet and tables.
        NetworkInterface mine =
                new NetworkInterface("eni-part", PARTICIPANT, Net.REGION, SubnetId.of("subnet-a1"), VpcId.of("vpc-a"),
                        "us-east-1a", "", "interface", false, null, "02:00:00:00:00:01", true,
                        List.of(new NetworkInterface.PrivateIp("10.1.1.50", true)),
                        SecurityGroupId.all(List.of("sg-p")), null, Map.of());
        n.put(mine);
        Analysis a = n.trace(PARTICIPANT, "eni-part", "i-web", 443);
        assertThat(a.blockers()).isEmpty();
        assertThat(a.forward()).extracting(Hop::component).contains("rtb-main-vpc-a");
        n.acl("acl-shared", "subnet-a1", Net.entry(100, true, "-1", "allow", "0.0.0.0/0", null, null));
        assertThat(keys(n.trace(PARTICIPANT, "eni-part", "i-web", 443)))
                .containsExactly("SUBNET_ACL_RESTRICTION acl-shared ingress return");
        assertThat(in("tcp", 1, 1, "0.0.0.0/0")).isNotNull();
    }

    @Test
    void ipv6Destination_isNoSourceOrDestination_sayingOnlyIpv4IsAnalyzed() {
        Analysis a = AnalyzerScenarioTest.twoSubnets().trace(AnalyzerScenarioTest.CONSUMER, "i-client",
                "2600:1f18::1", 443);
        assertThat(a.reachable()).isFalse();
        assertThat(a.blockers()).extracting(Blocker::code).containsExactly("NO_SOURCE_OR_DESTINATION");
        assertThat(a.blockers().get(0).message()).contains("IPv6", "IPv4 flows only");
    }
}
