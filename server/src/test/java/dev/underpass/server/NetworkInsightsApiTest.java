package dev.underpass.server;

import static dev.underpass.server.Ec2Assertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AnalysisComponent;
import software.amazon.awssdk.services.ec2.model.AnalysisPacketHeader;
import software.amazon.awssdk.services.ec2.model.Explanation;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.NetworkInsightsAnalysis;
import software.amazon.awssdk.services.ec2.model.NetworkInsightsPath;
import software.amazon.awssdk.services.ec2.model.PathComponent;
import software.amazon.awssdk.services.ec2.model.PortRange;
import software.amazon.awssdk.services.ec2.model.Protocol;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;

/**
 * The EC2 Network Insights API through the SDK on the PrivateLink scenario ({@link BlockedPrivateLink}): a path from
 * the consumer's instance to its interface endpoint on TCP 443; the first analysis is blocked by the endpoint's
 * {@code pendingAcceptance} and its security group at once (both explanations listed, unlike AWS), the second, after
 * the provider accepts and the consumer fixes the rule, finds the path through the NLB to the provider's instance.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkInsightsApiTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();
    private static final String PROVIDER = "111111111111";
    private static final String CONSUMER = "222222222222";
    private static final String STRANGER = "333333333333";

    private static BlockedPrivateLink scenario;
    private static Ec2Client ec2;
    private static String pathId;
    private static String blockedAnalysis;
    /** The two analyses as DescribeNetworkInsightsAnalyses returned them, before any is deleted. */
    private static NetworkInsightsAnalysis blocked;
    private static NetworkInsightsAnalysis found;

    @BeforeAll
    static void privateLinkScenario() {
        scenario = BlockedPrivateLink.build(UNDERPASS, PROVIDER, CONSUMER);
        ec2 = scenario.consumer();
    }

    @Test
    @Order(1)
    void createPath_returnsThePathAsAwsShapesIt() {
        NetworkInsightsPath p = ec2.createNetworkInsightsPath(r -> r.source(scenario.client())
                .destination(scenario.endpointId()).protocol(Protocol.TCP).destinationPort(443)
                .tagSpecifications(t -> t.resourceType("network-insights-path").tags(g -> g.key("team").value("net"))))
                .networkInsightsPath();
        pathId = p.networkInsightsPathId();
        assertThat(pathId).matches("nip-[0-9a-f]{17}");
        assertThat(p.networkInsightsPathArn()).isEqualTo("arn:aws:ec2:us-east-1:" + CONSUMER
                + ":network-insights-path/" + pathId);
        assertThat(p.source()).isEqualTo(scenario.client());
        assertThat(p.sourceArn()).isEqualTo("arn:aws:ec2:us-east-1:" + CONSUMER + ":instance/" + scenario.client());
        assertThat(p.destination()).isEqualTo(scenario.endpointId());
        assertThat(p.destinationArn()).endsWith(":vpc-endpoint/" + scenario.endpointId());
        assertThat(p.protocol()).isEqualTo(Protocol.TCP);
        assertThat(p.destinationPort()).isEqualTo(443);
        assertThat(p.createdDate()).isNotNull();
        assertThat(p.tags()).extracting(t -> t.key() + "=" + t.value()).containsExactly("team=net");

        List<NetworkInsightsPath> listed = ec2.describeNetworkInsightsPaths(r -> r.networkInsightsPathIds(pathId))
                .networkInsightsPaths();
        assertThat(listed).extracting(NetworkInsightsPath::networkInsightsPathId).containsExactly(pathId);
        assertThat(ec2.describeNetworkInsightsPaths(r -> r.filters(f -> f.name("destination")
                .values(scenario.endpointId()))).networkInsightsPaths()).hasSize(1);
    }

    @Test
    @Order(2)
    void analysis_listsPendingAcceptanceAndTheEndpointGroupAtOnce() {
        NetworkInsightsAnalysis a = ec2.startNetworkInsightsAnalysis(r -> r.networkInsightsPathId(pathId))
                .networkInsightsAnalysis();
        blockedAnalysis = a.networkInsightsAnalysisId();
        assertThat(blockedAnalysis).matches("nia-[0-9a-f]{17}");
        assertThat(a.statusAsString()).isEqualTo("succeeded");
        assertThat(a.networkPathFound()).isFalse();
        assertThat(a.explanations()).extracting(Explanation::explanationCode)
                .containsExactly("ENI_SG_RULES_MISMATCH", "BAD_STATE");
        Explanation sg = a.explanations().get(0);
        assertThat(sg.direction()).isEqualTo("ingress");
        assertThat(sg.securityGroup().id()).isEqualTo(scenario.endpointGroup());
        assertThat(a.explanations().get(1).vpcEndpoint().id()).isEqualTo(scenario.endpointId());
        assertThat(a.forwardPathComponents()).extracting(PathComponent::sequenceNumber).startsWith(1, 2, 3);

        NetworkInsightsAnalysis described = ec2.describeNetworkInsightsAnalyses(r -> r.networkInsightsPathId(pathId))
                .networkInsightsAnalyses().get(0);
        assertThat(described.networkInsightsAnalysisId()).isEqualTo(blockedAnalysis);
        assertThat(described.explanations()).hasSize(2);
        assertThat(described.networkInsightsAnalysisArn()).endsWith(":network-insights-analysis/" + blockedAnalysis);
        blocked = described;
    }

    @Test
    @Order(3)
    void afterAcceptingAndFixingTheRule_thePathIsFound() {
        scenario.fix();
        NetworkInsightsAnalysis a = ec2.startNetworkInsightsAnalysis(r -> r.networkInsightsPathId(pathId))
                .networkInsightsAnalysis();
        assertThat(a.networkPathFound()).isTrue();
        assertThat(a.explanations()).isEmpty();
        assertThat(a.forwardPathComponents()).extracting(c -> c.component().id())
                .contains(scenario.endpointId(), scenario.serviceId(), scenario.appInstance());
        assertThat(a.returnPathComponents()).isNotEmpty();
        assertThat(ec2.describeNetworkInsightsAnalyses(r -> r.filters(f -> f.name("path-found").values("true")))
                .networkInsightsAnalyses()).extracting(NetworkInsightsAnalysis::networkInsightsAnalysisId)
                .containsExactly(a.networkInsightsAnalysisId());
        assertThat(ec2.describeNetworkInsightsAnalyses(r -> r.networkInsightsPathId(pathId))
                .networkInsightsAnalyses()).hasSize(2);
        found = ec2.describeNetworkInsightsAnalyses(r -> r.networkInsightsAnalysisIds(a.networkInsightsAnalysisId()))
                .networkInsightsAnalyses().get(0);
    }

    @Test
    @Order(4)
    void badInput_getsAwsCodes_andChangesNothing() {
        assertError(() -> ec2.createNetworkInsightsPath(r -> r.source(scenario.client()).destinationPort(443)
                .destination(scenario.endpointId()).protocol("icmp")), "InvalidParameterValue");
        assertError(() -> ec2.createNetworkInsightsPath(r -> r.destination(scenario.endpointId())
                .protocol(Protocol.TCP)), "MissingParameter");
        assertError(() -> ec2.createNetworkInsightsPath(r -> r.source("i-0123456789abcdef0")
                .destination(scenario.endpointId()).protocol(Protocol.TCP)), "InvalidInstanceID.NotFound");
        assertError(() -> ec2.createNetworkInsightsPath(r -> r.source(scenario.client())
                .destinationIp("10.1.999.1").protocol(Protocol.TCP)), "InvalidParameterValue");
        assertError(() -> ec2.createNetworkInsightsPath(r -> r.source("subnet-0123456789abcdef0")
                .destinationIp("10.1.1.1").protocol(Protocol.TCP)), "InvalidParameterValue");
        assertError(() -> ec2.startNetworkInsightsAnalysis(r -> r.networkInsightsPathId("nip-0123456789abcdef0")),
                "InvalidNetworkInsightsPathId.NotFound");
        assertError(() -> ec2.describeNetworkInsightsAnalyses(r -> r.networkInsightsAnalysisIds("nia-bad")),
                "InvalidNetworkInsightsAnalysisId.Malformed");
        assertThat(ec2.describeNetworkInsightsPaths(r -> {}).networkInsightsPaths()).hasSize(1);
    }

    @Test
    @Order(5)
    void anotherAccount_seesNothing_andCannotStartOrDelete() {
        Ec2Client stranger = UNDERPASS.ec2(STRANGER);
        assertThat(stranger.describeNetworkInsightsPaths(r -> {}).networkInsightsPaths()).isEmpty();
        assertError(() -> stranger.startNetworkInsightsAnalysis(r -> r.networkInsightsPathId(pathId)),
                "InvalidNetworkInsightsPathId.NotFound");
        assertError(() -> stranger.deleteNetworkInsightsAnalysis(r -> r.networkInsightsAnalysisId(blockedAnalysis)),
                "InvalidNetworkInsightsAnalysisId.NotFound");
    }

    @Test
    @Order(6)
    void delete_analysisThenPath() {
        assertThat(ec2.deleteNetworkInsightsAnalysis(r -> r.networkInsightsAnalysisId(blockedAnalysis))
                .networkInsightsAnalysisId()).isEqualTo(blockedAnalysis);
        assertError(() -> ec2.describeNetworkInsightsAnalyses(r -> r.networkInsightsAnalysisIds(blockedAnalysis)),
                "InvalidNetworkInsightsAnalysisId.NotFound");
        assertThat(ec2.deleteNetworkInsightsPath(r -> r.networkInsightsPathId(pathId)).networkInsightsPathId())
                .isEqualTo(pathId);
        assertThat(ec2.describeNetworkInsightsPaths(r -> {}).networkInsightsPaths()).isEmpty();
    }

    @Test
    @Order(7)
    void blockedAnalysis_explanationsNameWhatAwsNames() {
        Instance client = instance(ec2, scenario.client());
        VpcEndpoint vpce = ec2.describeVpcEndpoints(r -> r.vpcEndpointIds(scenario.endpointId())).vpcEndpoints()
                .get(0);
        String endpointEni = vpce.networkInterfaceIds().get(0);
        String arn = "arn:aws:ec2:us-east-1:" + CONSUMER + ":";

        Explanation sg = blocked.explanations().get(0);
        assertThat(sg.explanationCode()).isEqualTo("ENI_SG_RULES_MISMATCH");
        assertThat(sg.direction()).isEqualTo("ingress");
        assertThat(sg.component().id()).isEqualTo(scenario.endpointGroup());
        assertThat(sg.component().arn()).isEqualTo(arn + "security-group/" + scenario.endpointGroup());
        assertThat(sg.securityGroup().id()).isEqualTo(scenario.endpointGroup());
        assertThat(sg.securityGroups()).extracting(AnalysisComponent::id).containsExactly(scenario.endpointGroup());
        assertThat(sg.networkInterface().id()).isEqualTo(endpointEni);
        assertThat(sg.networkInterface().arn()).isEqualTo(arn + "network-interface/" + endpointEni);
        assertThat(sg.vpc().id()).isEqualTo(vpce.vpcId());
        assertThat(sg.vpc().arn()).isEqualTo(arn + "vpc/" + vpce.vpcId());
        assertThat(sg.subnet().id()).isEqualTo(client.subnetId());
        assertThat(sg.port()).isEqualTo(443);
        assertThat(sg.protocols()).containsExactly("tcp");
        assertThat(sg.addresses()).containsExactly(client.privateIpAddress() + "/32");
        assertThat(sg.componentAccount()).isEqualTo(CONSUMER);
        assertThat(sg.componentRegion()).isEqualTo("us-east-1");

        Explanation state = blocked.explanations().get(1);
        assertThat(state.explanationCode()).isEqualTo("BAD_STATE");
        assertThat(state.direction()).isNull();
        assertThat(state.vpcEndpoint().id()).isEqualTo(scenario.endpointId());
        assertThat(state.vpcEndpoint().arn()).isEqualTo(arn + "vpc-endpoint/" + scenario.endpointId());
        assertThat(state.state()).isEqualTo("pendingAcceptance");
        assertThat(state.componentAccount()).isEqualTo(CONSUMER);
    }

    @Test
    @Order(8)
    void blockedAnalysis_pathComponentsCarryRulesRoutesAndHeadersAsAwsDoes() {
        Instance client = instance(ec2, scenario.client());
        Instance app = instance(scenario.provider(), scenario.appInstance());
        VpcEndpoint vpce = ec2.describeVpcEndpoints(r -> r.vpcEndpointIds(scenario.endpointId())).vpcEndpoints()
                .get(0);
        String endpointIp = ec2.describeNetworkInterfaces(r -> r.networkInterfaceIds(vpce.networkInterfaceIds()))
                .networkInterfaces().get(0).privateIpAddress();
        List<PathComponent> fwd = blocked.forwardPathComponents();

        // The source: the instance with the packet in full as it leaves, then its interface, attached to it.
        PathComponent source = fwd.get(0);
        assertThat(source.sequenceNumber()).isEqualTo(1);
        assertThat(source.component().id()).isEqualTo(scenario.client());
        assertThat(source.component().arn()).isEqualTo("arn:aws:ec2:us-east-1:" + CONSUMER + ":instance/"
                + scenario.client());
        PathComponent first = fwd.get(1);
        assertThat(first.sequenceNumber()).isEqualTo(2);
        assertThat(first.component().id()).isEqualTo(client.networkInterfaces().get(0).networkInterfaceId());
        assertThat(first.component().arn()).endsWith(":" + CONSUMER + ":network-interface/" + first.component().id());
        assertThat(first.attachedTo().id()).isEqualTo(scenario.client());
        assertThat(first.attachedTo().arn()).isEqualTo(source.component().arn());
        assertThat(first.vpc().id()).isEqualTo(vpce.vpcId());
        assertThat(first.subnet().id()).isEqualTo(client.subnetId());
        assertThat(first.outboundHeader()).isNull();
        AnalysisPacketHeader out = source.outboundHeader();
        assertThat(out.sourceAddresses()).containsExactly(client.privateIpAddress() + "/32");
        assertThat(out.destinationAddresses()).containsExactly(endpointIp + "/32");
        assertThat(out.destinationPortRanges()).extracting(PortRange::from, PortRange::to).containsExactly(
                tuple(443, 443));
        assertThat(out.sourcePortRanges()).extracting(PortRange::from, PortRange::to).containsExactly(
                tuple(0, 65535));
        assertThat(out.protocol()).isEqualTo("6");
        assertThat(source.inboundHeader()).isNull();

        // The rule, route and names each hop used.
        PathComponent egress = fwd.get(2);
        assertThat(egress.component().id()).startsWith("sg-");
        assertThat(egress.securityGroupRule().direction()).isEqualTo("egress");
        assertThat(egress.securityGroupRule().protocol()).isEqualTo("all");
        assertThat(egress.securityGroupRule().cidr()).isEqualTo("0.0.0.0/0");
        assertThat(egress.securityGroupRule().portRange()).isNull();
        PathComponent route = fwd.get(3);
        assertThat(route.component().id()).startsWith("rtb-");
        assertThat(route.routeTableRoute().destinationCidr()).isEqualTo("10.1.0.0/16");
        assertThat(route.routeTableRoute().gatewayId()).isEqualTo("local");
        assertThat(route.routeTableRoute().state()).isEqualTo("active");
        assertThat(route.routeTableRoute().origin()).isEqualTo("createroutetable");
        PathComponent blockedHere = fwd.get(4);
        assertThat(blockedHere.component().id()).isEqualTo(scenario.endpointGroup());
        assertThat(blockedHere.securityGroupRule()).isNull();
        PathComponent endpoint = component(fwd, scenario.endpointId());
        assertThat(endpoint.serviceName()).isEqualTo("com.amazonaws.vpce.us-east-1." + scenario.serviceId());
        assertThat(component(fwd, scenario.serviceId()).serviceName()).isEqualTo(endpoint.serviceName());
        PathComponent listener = fwd.stream().filter(c -> c.elasticLoadBalancerListener() != null).findFirst()
                .orElseThrow();
        assertThat(listener.elasticLoadBalancerListener().arn()).contains(":" + PROVIDER + ":listener/net/");

        // The load balancer rewrites the packet: its header shows only what changed.
        PathComponent nlb = fwd.stream().filter(c -> c.outboundHeader() != null).skip(1).findFirst().orElseThrow();
        assertThat(nlb.component().arn()).contains(":" + PROVIDER + ":loadbalancer/net/");
        assertThat(nlb.outboundHeader().destinationAddresses()).containsExactly(app.privateIpAddress() + "/32");
        assertThat(nlb.outboundHeader().destinationPortRanges()).extracting(PortRange::from).containsExactly(8080);
        assertThat(nlb.outboundHeader().hasSourcePortRanges()).isFalse();
        assertThat(nlb.outboundHeader().protocol()).isNull();

        // Only the destination, the target's instance after its interface, carries the packet as it arrives.
        assertThat(fwd).filteredOn(c -> c.inboundHeader() != null).hasSize(1);
        assertThat(fwd.get(fwd.size() - 2).attachedTo().id()).isEqualTo(scenario.appInstance());
        PathComponent last = fwd.get(fwd.size() - 1);
        assertThat(last.component().id()).isEqualTo(scenario.appInstance());
        assertThat(last.inboundHeader().destinationAddresses()).containsExactly(app.privateIpAddress() + "/32");
        assertThat(last.inboundHeader().destinationPortRanges()).extracting(PortRange::from).containsExactly(8080);
        assertThat(last.inboundHeader().protocol()).isEqualTo("6");
        assertThat(fwd).extracting(PathComponent::sequenceNumber).containsExactlyElementsOf(
                IntStream.rangeClosed(1, fwd.size()).boxed().toList());
    }

    @Test
    @Order(9)
    void foundAnalysis_returnPathStartsAtTheTargetAndEndsAtTheClient() {
        Instance client = instance(ec2, scenario.client());
        assertThat(found.networkPathFound()).isTrue();
        PathComponent ingress = component(found.forwardPathComponents(), scenario.endpointGroup());
        assertThat(ingress.securityGroupRule().direction()).isEqualTo("ingress");
        assertThat(ingress.securityGroupRule().protocol()).isEqualTo("tcp");
        assertThat(ingress.securityGroupRule().cidr()).isEqualTo("10.1.0.0/16");
        assertThat(ingress.securityGroupRule().portRange().from()).isEqualTo(443);

        List<PathComponent> back = found.returnPathComponents();
        AnalysisPacketHeader reply = back.get(0).outboundHeader();
        assertThat(back.get(0).component().id()).isEqualTo(scenario.appInstance());
        assertThat(back.get(1).attachedTo().id()).isEqualTo(scenario.appInstance());
        assertThat(reply.sourcePortRanges()).extracting(PortRange::from, PortRange::to).containsExactly(
                tuple(8080, 8080));
        assertThat(reply.destinationPortRanges()).extracting(PortRange::from, PortRange::to).containsExactly(
                tuple(0, 65535));
        PathComponent end = back.get(back.size() - 1);
        assertThat(end.component().id()).isEqualTo(scenario.client());
        assertThat(back.get(back.size() - 2).attachedTo().id()).isEqualTo(scenario.client());
        assertThat(end.inboundHeader().destinationAddresses()).containsExactly(client.privateIpAddress() + "/32");
        assertThat(end.inboundHeader().sourcePortRanges()).extracting(PortRange::from).containsExactly(443);
        assertThat(back).filteredOn(c -> c.inboundHeader() != null).hasSize(1);
    }

    private static Instance instance(Ec2Client client, String id) {
        return client.describeInstances(r -> r.instanceIds(id)).reservations().get(0).instances().get(0);
    }

    private static PathComponent component(List<PathComponent> path, String id) {
        return path.stream().filter(c -> c.component().id().equals(id)).findFirst().orElseThrow();
    }
}
