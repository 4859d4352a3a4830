package dev.underpass.reach;

import static dev.underpass.reach.Net.entry;
import static dev.underpass.reach.Net.in;
import static dev.underpass.reach.Net.toGateway;
import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.model.ec2.VpcEndpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The analyzer's whole answer (hops both ways, every blocker with its sentence and fix) for one scenario per
 * explanation code, compared with {@code src/test/resources/golden/trace.txt}. When an answer changes on purpose,
 * rewrite the file with {@code -Dunderpass.golden.update=true} and review the diff; the test renders everything twice
 * to show the answers are deterministic.
 */
class GoldenTraceTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden/trace.txt");
    static final String C = AnalyzerScenarioTest.CONSUMER;
    static final String P = AnalyzerScenarioTest.PROVIDER;

    record Scenario(String name, Supplier<Net> net, String account, String from, String to, String protocol,
            int port) {}

    static final List<Scenario> SCENARIOS = List.of(
            new Scenario("reachable in one VPC", AnalyzerScenarioTest::twoSubnets, C, "i-client", "i-web", "tcp",
                    443),
            new Scenario("ENI_SG_RULES_MISMATCH", AnalyzerScenarioTest::twoSubnets, C, "i-client", "i-web", "tcp",
                    22),
            new Scenario("SG_HAS_NO_RULES", () -> AnalyzerScenarioTest.twoSubnets().sg("sg-client", "vpc-a"), C,
                    "i-client", "i-web", "tcp", 443),
            new Scenario("SUBNET_ACL_RESTRICTION (replies)", () -> AnalyzerScenarioTest.twoSubnets()
                    .acl("acl-web", "subnet-a2", entry(100, false, "6", "allow", "10.1.0.0/16", 443, 443),
                            entry(100, true, "6", "allow", "10.1.0.0/16", 443, 443)),
                    C, "i-client", "i-web",
                    "tcp", 443),
            new Scenario("BAD_STATE peering, NO_ROUTE_TO_DESTINATION back", GoldenTraceTest::peered, C, "i-client",
                    "i-db", "tcp", 5432),
            new Scenario("IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", () -> AnalyzerScenarioTest.twoSubnets()
                    .igw("igw-1", "vpc-a").routes("vpc-a", toGateway("0.0.0.0/0", "igw-1")), C, "i-client",
                    "8.8.8.8", "tcp", 443),
            new Scenario("reachable through NAT", GatewayScenarioTest::natted, C, "i-client", "8.8.8.8", "tcp", 443),
            new Scenario("PrivateLink reachable", () -> AnalyzerScenarioTest.privateLink(VpcEndpoint.State.AVAILABLE),
                    C,
                    "i-client", "vpce-svc-1", "tcp", 443),
            new Scenario("PrivateLink pendingAcceptance and endpoint group", () -> AnalyzerScenarioTest
                    .privateLink(VpcEndpoint.State.PENDING_ACCEPTANCE).sg("sg-vpce", "vpc-c", in("tcp", 80, 80,
                            "10.1.0.0/16")),
                    C, "i-client", "vpce-1", "tcp", 443),
            new Scenario("ELBV2_LISTENERS_MISMATCH", () -> AnalyzerScenarioTest.privateLink(VpcEndpoint.State.AVAILABLE)
                    .sg("sg-vpce", "vpc-c", in("tcp", 0, 65535, "10.1.0.0/16")), C, "i-client", "vpce-1", "tcp",
                    80),
            new Scenario("seed question: proxy in the provider VPC", SeedQuestionTest::network, C, "i-client",
                    "i-proxy", "tcp", 443),
            new Scenario("NO_SOURCE_OR_DESTINATION", AnalyzerScenarioTest::twoSubnets, C, "i-nope", "i-web", "tcp",
                    443));

    static Net peered() {
        return AnalyzerScenarioTest.dbBehindPeering(in("tcp", 5432, 5432, "10.1.0.0/16"), "pending-acceptance");
    }

    static String render() {
        StringBuilder b = new StringBuilder();
        for (Scenario s : SCENARIOS) {
            Analysis a = s.net().get().trace(s.account(), s.from(), s.to(), s.protocol(), s.port());
            b.append("## ").append(s.name()).append('\n');
            b.append("> trace ").append(s.from()).append(" -> ").append(s.to()).append(' ').append(s.protocol())
                    .append('/').append(s.port()).append(" as ").append(s.account()).append('\n');
            b.append(a.reachable() ? "reachable\n" : "blocked\n");
            for (Hop h : a.forward()) {
                b.append("  fwd ").append(line(h)).append('\n');
            }
            for (Hop h : a.returnPath()) {
                b.append("  ret ").append(line(h)).append('\n');
            }
            for (Blocker x : a.blockers()) {
                b.append("  ! ").append(x.key()).append('\n');
                b.append("    ").append(x.message()).append('\n');
                b.append("    fix: ").append(x.fix()).append('\n');
            }
            b.append('\n');
        }
        return b.toString();
    }

    static String line(Hop h) {
        return h.sequence() + " " + h.component() + " [" + h.type() + "] " + h.check()
                + (h.matched() == null ? "" : " => " + h.matched());
    }

    @Test
    void answersMatchTheGoldenFile_andAreDeterministic() throws IOException {
        String first = render();
        assertThat(render()).isEqualTo(first);
        if (Boolean.getBoolean("underpass.golden.update")) {
            Files.createDirectories(GOLDEN.getParent());
            Files.writeString(GOLDEN, first, StandardCharsets.UTF_8);
        }
        assertThat(GOLDEN).as("the checked-in answers (rewrite with -Dunderpass.golden.update=true)").exists();
        assertThat(first).isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
    }
}
