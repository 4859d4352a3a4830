package dev.underpass.server;

import static dev.underpass.server.Ec2Assertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Explanation;
import software.amazon.awssdk.services.ec2.model.NetworkInsightsAnalysis;
import software.amazon.awssdk.services.ec2.model.NetworkInsightsPath;
import software.amazon.awssdk.services.ec2.model.PathComponent;
import software.amazon.awssdk.services.ec2.model.Protocol;

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
        assertThat(ec2.describeNetworkInsightsPaths(r -> { }).networkInsightsPaths()).hasSize(1);
    }

    @Test
    @Order(5)
    void anotherAccount_seesNothing_andCannotStartOrDelete() {
        Ec2Client stranger = UNDERPASS.ec2(STRANGER);
        assertThat(stranger.describeNetworkInsightsPaths(r -> { }).networkInsightsPaths()).isEmpty();
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
        assertThat(ec2.describeNetworkInsightsPaths(r -> { }).networkInsightsPaths()).isEmpty();
    }
}
