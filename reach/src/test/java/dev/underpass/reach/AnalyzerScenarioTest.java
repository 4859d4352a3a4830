package dev.underpass.reach;

import dev.underpass.model.ec2.SecurityGroupRuleId;
import static dev.underpass.reach.Net.allowAll;
import static dev.underpass.reach.Net.blackhole;
import static dev.underpass.reach.Net.entry;
import static dev.underpass.reach.Net.in;
import static dev.underpass.reach.Net.inFromGroup;
import static dev.underpass.reach.Net.keys;
import static dev.underpass.reach.Net.outAll;
import static dev.underpass.reach.Net.toEni;
import static dev.underpass.reach.Net.toGateway;
import static dev.underpass.reach.Net.toPeering;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.ec2.AddressSet;
import dev.underpass.model.ec2.NetworkInterface;
import dev.underpass.model.ec2.VpcEndpoint;
import dev.underpass.model.elb.LoadBalancer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One scenario per explanation code the analyzer produces: the network that produces it and the exact list of
 * blockers (code, component, direction, path) it must answer with. Each blocker also carries a sentence and a fix.
 */
class AnalyzerScenarioTest {
    static final String CONSUMER = "111111111111";
    static final String PROVIDER = "222222222222";

    /** Two instances in two subnets of one VPC; web accepts 443 from the VPC. */
    static Net twoSubnets() {
        return new Net().vpc(CONSUMER, "vpc-a", "10.1.0.0/16")
                .subnet("subnet-a1", "vpc-a", "10.1.1.0/24", "us-east-1a", "use1-az1")
                .subnet("subnet-a2", "vpc-a", "10.1.2.0/24", "us-east-1b", "use1-az2")
                .sg("sg-client", "vpc-a", outAll())
                .sg("sg-web", "vpc-a", outAll(), in("tcp", 443, 443, "10.1.0.0/16"))
                .instance("i-client", "subnet-a1", "10.1.1.10", "sg-client")
                .instance("i-web", "subnet-a2", "10.1.2.20", "sg-web");
    }

    /** The consumer's side of the PrivateLink scenarios: i-client in vpc-c, and the group its endpoint uses. */
    static Net consumerClient() {
        return new Net().vpc(CONSUMER, "vpc-c", "10.1.0.0/16")
                .subnet("subnet-c1", "vpc-c", "10.1.1.0/24", "us-east-1a", "use1-az1")
                .sg("sg-client", "vpc-c", outAll())
                .sg("sg-vpce", "vpc-c", in("tcp", 443, 443, "10.1.0.0/16"))
                .instance("i-client", "subnet-c1", "10.1.1.10", "sg-client");
    }

    /**
     * The PrivateLink scenario: a client in the consumer's VPC, an interface endpoint there, and the provider's
     * service: an NLB (listener 443) forwarding to an instance on 8443.
     */
    static Net privateLink(VpcEndpoint.State endpointState, SecurityGroup... unused) {
        return consumerClient()
                .vpc(PROVIDER, "vpc-p", "10.2.0.0/16")
                .subnet("subnet-p1", "vpc-p", "10.2.1.0/24", "us-east-1c", "use1-az1")
                .subnet("subnet-p2", "vpc-p", "10.2.2.0/24", "us-east-1d", "use1-az2")
                .sg("sg-app", "vpc-p", outAll(), in("tcp", 8443, 8443, "10.2.0.0/16"))
                .instance("i-app", "subnet-p1", "10.2.1.30", "sg-app")
                .nlb("svc", "vpc-p", List.of("subnet-p1"), List.of("10.2.1.5"), List.of(), Map.of())
                .targetGroup("app", "vpc-p", 8443, "i-app")
                .listener("svc", PROVIDER, 443, "app")
                .service("vpce-svc-1", PROVIDER, "svc", "us-east-1c/use1-az1")
                .endpoint("vpce-1", "vpc-c", "vpce-svc-1", endpointState, "eni-vpce1", "subnet-c1", "10.1.1.20",
                        "sg-vpce");
    }

    /** Marker so that privateLink's varargs read as "no extra groups". */
    interface SecurityGroup {}

    static void assertSentences(Analysis a) {
        for (Blocker b : a.blockers()) {
            assertThat(b.message()).as(b.key()).isNotBlank().contains(b.component());
            assertThat(b.fix()).as(b.key()).isNotBlank();
        }
    }

    @Test
    void sameVpc_openGroups_isReachableWithForwardAndReturnHops() {
        Analysis a = twoSubnets().trace(CONSUMER, "i-client", "i-web", 443);
        assertThat(a.reachable()).isTrue();
        assertThat(a.blockers()).isEmpty();
        assertThat(a.sourceId()).isEqualTo("eni-client");
        assertThat(a.forward()).extracting(Hop::component).containsSubsequence("eni-client", "sg-client",
                "acl-default-vpc-a", "rtb-main-vpc-a", "acl-default-vpc-a", "sg-web", "eni-web");
        assertThat(a.forward()).filteredOn(h -> h.component().equals("sg-web")).extracting(Hop::matched)
                .containsExactly("sgr-in-tcp44310.1.0.0/16 ingress tcp 443 from 10.1.0.0/16");
        assertThat(a.forward()).filteredOn(h -> h.component().equals("rtb-main-vpc-a")).extracting(Hop::matched)
                .containsExactly("10.1.0.0/16 -> local");
        assertThat(a.returnPath()).extracting(Hop::component).startsWith("eni-web").endsWith("eni-client");
        assertThat(a.forward()).extracting(Hop::sequence).startsWith(1, 2, 3);
    }

    @Test
    void sgRulesMismatch_wrongPort_blocksAtTheReceiversGroup() {
        Analysis a = twoSubnets().trace(CONSUMER, "i-client", "10.1.2.20", 22);
        assertThat(a.reachable()).isFalse();
        assertThat(keys(a)).containsExactly("ENI_SG_RULES_MISMATCH sg-web ingress forward");
        assertThat(a.blockers().get(0).message()).isEqualTo(
                "sg-web (eni-web) allows no inbound TCP 22 from 10.1.1.10 (eni-client).");
        assertThat(a.blockers().get(0).fix()).isEqualTo("Add an inbound rule to sg-web for TCP 22 from 10.1.0.0/16.");
        assertSentences(a);
    }

    @Test
    void sgHasNoRules_egressEmpty_blocksAtTheSendersGroup() {
        Net n = twoSubnets().sg("sg-client", "vpc-a");
        Analysis a = n.trace(CONSUMER, "eni-client", "eni-web", 443);
        assertThat(keys(a)).containsExactly("SG_HAS_NO_RULES sg-client egress forward");
        assertSentences(a);
    }

    @Test
    void subnetAclRestriction_forwardAndReplyDenied_listsBoth() {
        Net n = twoSubnets()
                .acl("acl-web", "subnet-a2", entry(100, false, "6", "allow", "10.1.0.0/16", 443, 443),
                        entry(100, true, "6", "allow", "10.1.0.0/16", 443, 443))
                .acl("acl-client", "subnet-a1", entry(100, true, "-1", "allow", "0.0.0.0/0", null, null),
                        entry(200, false, "6", "deny", "0.0.0.0/0", null, null));
        Analysis a = n.trace(CONSUMER, "i-client", "i-web", 443);
        // The web subnet's egress lets no reply reach an ephemeral port, and the client's subnet admits none.
        assertThat(keys(a)).containsExactlyInAnyOrder("SUBNET_ACL_RESTRICTION acl-web egress return",
                "SUBNET_ACL_RESTRICTION acl-client ingress return");
        assertSentences(a);

        Net m = twoSubnets().acl("acl-web", "subnet-a2", entry(90, false, "6", "deny", "10.1.1.0/24", 400, 500),
                entry(100, false, "-1", "allow", "0.0.0.0/0", null, null),
                entry(100, true, "-1", "allow", "0.0.0.0/0", null, null));
        Analysis b = m.trace(CONSUMER, "i-client", "i-web", 443);
        assertThat(keys(b)).containsExactly("SUBNET_ACL_RESTRICTION acl-web ingress forward");
        assertThat(b.blockers().get(0).message()).contains("by rule 90");
    }

    /**
     * {@link #twoSubnets} plus a provider VPC holding i-db, joined by peering pcx-1 in the given state, with the
     * consumer's route towards it; the return route is left to each test.
     */
    static Net dbBehindPeering(dev.underpass.model.ec2.SecurityGroup.Rule dbIngress, String peeringState) {
        return twoSubnets().vpc(PROVIDER, "vpc-b", "10.9.0.0/16")
                .subnet("subnet-b1", "vpc-b", "10.9.1.0/24", "us-east-1a", "use1-az1")
                .sg("sg-db", "vpc-b", dbIngress)
                .instance("i-db", "subnet-b1", "10.9.1.5", "sg-db")
                .peering("pcx-1", "vpc-a", "vpc-b", peeringState)
                .routes("vpc-a", toPeering("10.9.0.0/16", "pcx-1"));
    }

    @Test
    void ephemeralReply_anyCommonPortSuffices() {
        Net n = twoSubnets()
                .acl("acl-web", "subnet-a2", entry(100, false, "-1", "allow", "0.0.0.0/0", null, null),
                        entry(100, true, "6", "allow", "10.1.1.0/24", 32768, 60999))
                .acl("acl-client", "subnet-a1", entry(100, true, "-1", "allow", "0.0.0.0/0", null, null),
                        entry(100, false, "6", "allow", "0.0.0.0/0", 49152, 65535));
        assertThat(n.trace(CONSUMER, "i-client", "i-web", 443).reachable()).isTrue();
    }

    @Test
    void blackholeRoute_and_pendingPeering_and_missingReturnRoute_areAllListed() {
        Net n = dbBehindPeering(in("tcp", 5432, 5432, "10.1.0.0/16"), "pending-acceptance");
        Analysis a = n.trace(CONSUMER, "i-client", "i-db", 5432);
        assertThat(keys(a)).containsExactly("BAD_STATE pcx-1 null forward",
                "NO_ROUTE_TO_DESTINATION rtb-main-vpc-b null return");
        assertThat(a.blockers().get(1).fix()).contains("10.1.0.0/16").contains("vpc-a");

        Net m = n.peering("pcx-1", "vpc-a", "vpc-b", "active").routes("vpc-b", blackhole("10.1.0.0/16", "pcx-old"));
        Analysis b = m.trace(CONSUMER, "i-client", "i-db", 5432);
        assertThat(keys(b)).containsExactly("BAD_STATE_ROUTE rtb-main-vpc-b null return");

        Net ok = m.routes("vpc-b", toPeering("10.1.1.0/24", "pcx-1"));
        assertThat(ok.trace(CONSUMER, "i-client", "i-db", 5432).reachable()).isTrue();
    }

    @Test
    void groupReference_acrossPeering_matchesThePeersGroup() {
        Net n = dbBehindPeering(inFromGroup("tcp", 5432, 5432, "sg-client"), "active")
                .routes("vpc-b", toPeering("10.1.0.0/16", "pcx-1"));
        assertThat(n.trace(CONSUMER, "i-client", "i-db", 5432).reachable()).isTrue();
        assertThat(keys(n.trace(CONSUMER, "i-web", "i-db", 5432)))
                .containsExactly("ENI_SG_RULES_MISMATCH sg-db ingress forward");
    }

    @Test
    void prefixListRule_matchesTheListsCurrentEntries() {
        Net n = twoSubnets();
        n.put(new dev.underpass.model.ec2.ManagedPrefixList("pl-clients", CONSUMER, Net.REGION, "clients", "IPv4",
                5, 2, dev.underpass.model.ec2.ManagedPrefixList.State.MODIFY_COMPLETE, List.of(
                        new dev.underpass.model.ec2.ManagedPrefixList.Version(1, List.of(
                                new dev.underpass.model.ec2.ManagedPrefixList.Entry("10.1.1.0/24", null))),
                        new dev.underpass.model.ec2.ManagedPrefixList.Version(2, List.of(
                                new dev.underpass.model.ec2.ManagedPrefixList.Entry("10.1.9.0/24", null)))),
                Net.T0, Map.of()));
        dev.underpass.model.ec2.SecurityGroup.Rule fromList = new dev.underpass.model.ec2.SecurityGroup.Rule(
                SecurityGroupRuleId.of("sgr-pl"), false, dev.underpass.model.net.IpProtocol.TCP, 443, 443,
                new dev.underpass.model.ec2.AddressSet.PrefixList(
                        dev.underpass.model.ec2.PrefixListId.of("pl-clients")),
                null);
        n.sg("sg-web", "vpc-a", outAll(), fromList);
        // Version 2 no longer holds the client's block.
        assertThat(keys(n.trace(CONSUMER, "i-client", "i-web", 443)))
                .containsExactly("ENI_SG_RULES_MISMATCH sg-web ingress forward");
        var list = n.get(dev.underpass.model.ec2.ManagedPrefixList.class, "pl-clients");
        n.put(list.with(list.name(), list.maxEntries(), 1, list.state(), list.versions()));
        Analysis a = n.trace(CONSUMER, "i-client", "i-web", 443);
        assertThat(a.reachable()).isTrue();
        assertThat(a.forward()).extracting(Hop::matched).contains("sgr-pl ingress tcp 443 from pl-clients");
    }

    @Test
    void noRoute_and_pcxAddressOutsidePeer_toInternetAddress() {
        Net n = twoSubnets();
        assertThat(keys(n.trace(CONSUMER, "i-client", "8.8.8.8", 443)))
                .containsExactly("NO_ROUTE_TO_DESTINATION rtb-main-vpc-a null forward");
        Net p = twoSubnets().vpc(PROVIDER, "vpc-b", "10.9.0.0/16").peering("pcx-1", "vpc-a", "vpc-b", "active")
                .routes("vpc-a", toPeering("0.0.0.0/0", "pcx-1"));
        assertThat(keys(p.trace(CONSUMER, "i-client", "8.8.8.8", 443))).containsExactly(
                "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR pcx-1 null forward", "NO_POSSIBLE_DESTINATION vpc-b null forward");
    }

    @Test
    void internetGateway_needsAPublicAddressAndAPublicDestination() {
        Net n = twoSubnets().igw("igw-1", "vpc-a").routes("vpc-a", toGateway("0.0.0.0/0", "igw-1"));
        Analysis a = n.trace(CONSUMER, "i-client", "8.8.8.8", 443);
        assertThat(keys(a)).containsExactly("IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS igw-1 null forward");
        assertSentences(a);
        Net withIp = n.elasticIp("eni-client", "54.0.0.1");
        assertThat(withIp.trace(CONSUMER, "i-client", "8.8.8.8", 443).reachable()).isTrue();
        Analysis toPrivate = withIp.trace(CONSUMER, "i-client", "192.168.5.5", 443);
        assertThat(keys(toPrivate)).containsExactly("IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS igw-1 null forward");
        assertThat(toPrivate.blockers().get(0).message())
                .isEqualTo("igw-1 does not forward traffic to the private address 192.168.5.5.");
    }

    @Test
    void appliance_withSourceDestCheck_dropsForwardedTraffic() {
        Net n = twoSubnets().subnet("subnet-a3", "vpc-a", "10.1.3.0/24", "us-east-1a", "use1-az1")
                .instance("i-fw", "subnet-a3", "10.1.3.99", "sg-client")
                .table("rtb-via-fw", "subnet-a1", toEni("10.1.2.0/24", "eni-fw"));
        // The firewall forwards from its own subnet, whose main table delivers locally.
        Analysis a = n.trace(CONSUMER, "i-client", "i-web", 443);
        assertThat(keys(a)).containsExactly("ENI_SOURCE_DEST_CHECK_RESTRICTION eni-fw null forward");
        NetworkInterface fw = n.get(NetworkInterface.class, "eni-fw");
        n.put(fw.withSourceDestCheck(false));
        assertThat(n.trace(CONSUMER, "i-client", "i-web", 443).reachable()).isTrue();
    }

    @Test
    void stoppedDestination_isBadState() {
        Analysis a = twoSubnets().stopped("i-web").trace(CONSUMER, "i-client", "i-web", 443);
        assertThat(keys(a)).containsExactly("BAD_STATE i-web null forward");
    }

    @Test
    void unknownSourceOrDestination_isNoSourceOrDestination_and_anotherAccountsSourceIsUnknown() {
        Net n = twoSubnets();
        assertThat(keys(n.trace(CONSUMER, "i-nope", "i-web", 443)))
                .containsExactly("NO_SOURCE_OR_DESTINATION i-nope null forward");
        assertThat(keys(n.trace(CONSUMER, "i-client", "eni-nope", 443)))
                .containsExactly("NO_SOURCE_OR_DESTINATION eni-nope null forward");
        assertThat(keys(n.trace(PROVIDER, "i-client", "i-web", 443)))
                .containsExactly("NO_SOURCE_OR_DESTINATION i-client null forward");
    }

    @Test
    void malformedQuery_isRefusedQuotingTheValue() {
        assertThatThrownBy(() -> new Query(CONSUMER, "us-east-1", "i-1", "i-2", "icmp", 1))
                .hasMessageContaining("'icmp'");
        assertThatThrownBy(() -> new Query(CONSUMER, "us-east-1", "i-1", "i-2", "tcp", 70000))
                .hasMessageContaining("70000");
    }

    // ---- PrivateLink

    @Test
    void privateLink_available_isReachableThroughServiceNlbAndTarget() {
        Analysis a = privateLink(VpcEndpoint.State.AVAILABLE).trace(CONSUMER, "i-client", "vpce-1", 443);
        assertThat(a.blockers()).isEmpty();
        assertThat(a.reachable()).isTrue();
        assertThat(a.forward()).extracting(Hop::component).containsSubsequence("eni-client", "sg-vpce", "eni-vpce1",
                "vpce-1", "vpce-svc-1", Net.lbArn(PROVIDER, "svc"), Net.tgArn(PROVIDER, "app"), "i-app", "sg-app",
                "eni-app");
        // the service too, and an endpoint DNS name, resolve to the same path
        assertThat(privateLink(VpcEndpoint.State.AVAILABLE).trace(CONSUMER, "i-client", "vpce-svc-1", 443).reachable())
                .isTrue();
        assertThat(privateLink(VpcEndpoint.State.AVAILABLE).trace(CONSUMER, "i-client",
                "vpce-1-tok.vpce-svc-1.us-east-1.vpce.amazonaws.com", 443).reachable()).isTrue();
    }

    @Test
    void privateLink_pendingAcceptance_and_endpointGroup_areBothListed() {
        Net n = privateLink(VpcEndpoint.State.PENDING_ACCEPTANCE).sg("sg-vpce", "vpc-c",
                in("tcp", 80, 80, "10.1.0.0/16"));
        Analysis a = n.trace(CONSUMER, "i-client", "vpce-1", 443);
        assertThat(keys(a)).containsExactly("ENI_SG_RULES_MISMATCH sg-vpce ingress forward",
                "BAD_STATE vpce-1 null forward");
        assertThat(a.blockers().get(1).fix())
                .contains("accept-vpc-endpoint-connections --service-id vpce-svc-1 --vpc-endpoint-ids vpce-1");
        assertSentences(a);
        assertThat(keys(privateLink(VpcEndpoint.State.REJECTED).trace(CONSUMER, "i-client", "vpce-1", 443)))
                .containsExactly("BAD_STATE vpce-1 null forward");
    }

    @Test
    void privateLink_listenerPort_targetGroup_zone_crossZone() {
        assertThat(keys(privateLink(VpcEndpoint.State.AVAILABLE).trace(CONSUMER, "i-client", "vpce-1", "tcp", 80)))
                .containsExactly("ENI_SG_RULES_MISMATCH sg-vpce ingress forward",
                        "ELBV2_LISTENERS_MISMATCH " + Net.lbArn(PROVIDER, "svc") + " null forward");

        Net noTargets = privateLink(VpcEndpoint.State.AVAILABLE).targetGroup("app", "vpc-p", 8443);
        assertThat(keys(noTargets.trace(CONSUMER, "i-client", "vpce-1", 443))).containsExactly(
                "ELBV2_LISTENER_HAS_NO_TG " + Net.lbArn(PROVIDER, "svc").replace(":loadbalancer/", ":listener/")
                        + "/443 null forward");

        Net otherZone = privateLink(VpcEndpoint.State.AVAILABLE).service("vpce-svc-1", PROVIDER, "svc",
                "us-east-1d/use1-az2");
        assertThat(keys(otherZone.trace(CONSUMER, "i-client", "vpce-1", 443)))
                .containsExactly("VPCE_SERVICE_NOT_INSTALLED_IN_AZ vpce-svc-1 null forward");

        // The NLB spans both zones; the only target is in the second, cross-zone is off.
        Net split = privateLink(VpcEndpoint.State.AVAILABLE)
                .instance("i-app2", "subnet-p2", "10.2.2.30", "sg-app")
                .nlb("svc", "vpc-p", List.of("subnet-p1", "subnet-p2"), List.of("10.2.1.5", "10.2.2.5"), List.of(),
                        Map.of("load_balancing.cross_zone.enabled", "false"))
                .targetGroup("app", "vpc-p", 8443, "i-app2");
        assertThat(keys(split.trace(CONSUMER, "i-client", "vpce-1", 443)))
                .containsExactly("ELB_NOT_CROSSZONE " + Net.lbArn(PROVIDER, "svc") + " null forward");
        LoadBalancer lb = split.get(LoadBalancer.class, Net.lbArn(PROVIDER, "svc"));
        split.put(lb.withAttributes(Map.of("load_balancing.cross_zone.enabled", "true")));
        assertThat(split.trace(CONSUMER, "i-client", "vpce-1", 443).reachable()).isTrue();

        Net outside = privateLink(VpcEndpoint.State.AVAILABLE).instance("i-app2", "subnet-p2", "10.2.2.30", "sg-app")
                .targetGroup("app", "vpc-p", 8443, "i-app2");
        assertThat(keys(outside.trace(CONSUMER, "i-client", "vpce-1", 443)))
                .containsExactly("ELB_INSTALLED_AZ_RESTRICTION " + Net.lbArn(PROVIDER, "svc") + " null forward");
    }

    @Test
    void privateLink_targetGroupAndNlbGroups_seeTheNlbAndTheEndpoint() {
        // The target admits the NLB's address only on another port; the NLB's own group admits nothing.
        Net n = privateLink(VpcEndpoint.State.AVAILABLE)
                .sg("sg-app", "vpc-p", outAll(), in("tcp", 22, 22, "10.2.0.0/16"))
                .sg("sg-nlb", "vpc-p", outAll())
                .nlb("svc", "vpc-p", List.of("subnet-p1"), List.of("10.2.1.5"), List.of("sg-nlb"), Map.of());
        Analysis a = n.trace(CONSUMER, "i-client", "vpce-1", 443);
        assertThat(keys(a)).containsExactly("SG_HAS_NO_RULES sg-nlb ingress forward",
                "ENI_SG_RULES_MISMATCH sg-app ingress forward");
        assertThat(a.blockers().get(1).message()).contains("TCP 8443 from 10.2.1.5");
        Net stopped = privateLink(VpcEndpoint.State.AVAILABLE).stopped("i-app");
        assertThat(keys(stopped.trace(CONSUMER, "i-client", "vpce-1", 443)))
                .containsExactly("BAD_STATE i-app null forward");
    }

    @Test
    void noEndpointToTheService_isNoPath() {
        Net n = privateLink(VpcEndpoint.State.AVAILABLE).vpc(CONSUMER, "vpc-x", "10.7.0.0/16")
                .subnet("subnet-x", "vpc-x", "10.7.1.0/24", "us-east-1a", "use1-az1")
                .sg("sg-x", "vpc-x", outAll()).instance("i-x", "subnet-x", "10.7.1.7", "sg-x");
        assertThat(keys(n.trace(CONSUMER, "i-x", "vpce-svc-1", 443)))
                .containsExactly("NO_PATH vpce-svc-1 null forward");
    }

    @Test
    void defaultNacl_allowsAll_and_sameSubnetSkipsNacls() {
        Net n = twoSubnets().instance("i-peer", "subnet-a1", "10.1.1.11", "sg-web")
                .acl("acl-deny", "subnet-a1", entry(32767, false, "-1", "deny", "0.0.0.0/0", null, null),
                        entry(32767, true, "-1", "deny", "0.0.0.0/0", null, null));
        assertThat(n.trace(CONSUMER, "i-client", "i-peer", 443).reachable()).isTrue();
        assertThat(allowAll()).hasSize(4);
    }
}
