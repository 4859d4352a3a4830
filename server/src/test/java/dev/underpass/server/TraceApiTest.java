package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.underpass.server.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * {@code GET /_underpass/trace} and {@code underpass trace} on the PrivateLink scenario, built through the AWS SDK:
 * the consumer's endpoint is blocked by two things at once (the provider has not accepted it, and its security group
 * admits port 80 only), both listed in one answer; after the provider accepts and the consumer fixes the rule, the
 * path through the service's NLB to the provider's instance is reachable.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TraceApiTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();
    private static final String PROVIDER = "111111111111";
    private static final String CONSUMER = "222222222222";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static BlockedPrivateLink scenario;
    private static String serviceId;
    private static String endpointId;
    private static String endpointGroup;
    private static String client;

    @BeforeAll
    static void privateLinkScenario() {
        scenario = BlockedPrivateLink.build(UNDERPASS, PROVIDER, CONSUMER);
        serviceId = scenario.serviceId();
        endpointId = scenario.endpointId();
        endpointGroup = scenario.endpointGroup();
        client = scenario.client();
    }

    static HttpResponse<String> get(String query) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(UNDERPASS.endpoint() + "/_underpass/trace?" + query))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    static List<String> codes(JsonNode body) {
        List<String> out = new ArrayList<>();
        body.path("blockers").forEach(b -> out.add(b.path("code").asText() + " " + b.path("component").asText()));
        return out;
    }

    record Run(int exit, String out, String err) {}

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of("trace", "--endpoint", UNDERPASS.endpoint().toString()));
        all.addAll(List.of(args));
        int exit = cmd.execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    @Order(1)
    void pendingAcceptance_and_endpointGroup_areBothListed() throws Exception {
        HttpResponse<String> r = get("from=" + client + "&to=" + endpointId + "&port=443");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("reachable").asBoolean()).isFalse();
        assertThat(body.path("query").path("account").asText()).isEqualTo(CONSUMER);
        assertThat(codes(body)).containsExactly("ENI_SG_RULES_MISMATCH " + endpointGroup,
                "BAD_STATE " + endpointId);
        JsonNode sg = body.path("blockers").get(0);
        assertThat(sg.path("direction").asText()).isEqualTo("ingress");
        assertThat(sg.path("fix").asText()).isEqualTo("Add an inbound rule to " + endpointGroup
                + " for TCP 443 from 10.1.0.0/16.");
        assertThat(body.path("blockers").get(1).path("message").asText()).contains("pendingAcceptance");
        assertThat(body.path("forward").get(0).path("sequence").asInt()).isEqualTo(1);

        Run run = cli("--from", client, "--to", endpointId, "--port", "443");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("BLOCKED by 2:").contains("ENI_SG_RULES_MISMATCH (" + endpointGroup)
                .contains("BAD_STATE (" + endpointId).contains("fix: ");
    }

    @Test
    @Order(2)
    void acceptedAndFixed_isReachableThroughNlbToTheProvidersInstance() throws Exception {
        scenario.fix();
        JsonNode body = JSON.readTree(get("from=" + client + "&to=" + endpointId + "&port=443").body());
        assertThat(codes(body)).isEmpty();
        assertThat(body.path("reachable").asBoolean()).isTrue();
        List<String> types = new ArrayList<>();
        body.path("forward").forEach(h -> types.add(h.path("type").asText()));
        assertThat(types).containsSubsequence("network-interface", "vpc-endpoint", "vpc-endpoint-service",
                "load-balancer", "listener", "target-group", "target", "security-group", "network-interface");

        Run run = cli("--from", client, "--to", serviceId, "--port", "443");
        assertThat(run.exit()).isEqualTo(0);
        assertThat(run.out()).contains("REACHABLE");
        Run json = cli("--from", client, "--to", endpointId, "--port", "443", "--json");
        assertThat(json.exit()).isEqualTo(0);
        assertThat(JSON.readTree(json.out()).path("reachable").asBoolean()).isTrue();
    }

    @Test
    @Order(3)
    void sourcesAll_listsWhoCanReachTheService_andCountsTheRest() throws Exception {
        JsonNode body = JSON.readTree(get("sources=all&to=" + serviceId + "&port=443").body());
        assertThat(body.path("analyzed").asInt()).isEqualTo(2); // the client and the provider's instance
        assertThat(body.path("reachable").get(0).path("instance").asText()).isEqualTo(client);
        assertThat(body.path("reachable").get(0).path("account").asText()).isEqualTo(CONSUMER);
        assertThat(body.path("blocked").asInt()).isEqualTo(1);
        assertThat(body.path("blockedBy").path("NO_PATH").asInt()).isEqualTo(1);
        JsonNode provider = JSON.readTree(get("sources=all&to=" + serviceId + "&port=443&account=" + PROVIDER)
                .body());
        assertThat(provider.path("reachable")).isEmpty();

        Run run = cli("--sources", "all", "--to", serviceId, "--port", "443");
        assertThat(run.exit()).isEqualTo(0);
        assertThat(run.out()).contains("REACHES").contains(client).contains("1 reach, 1 blocked")
                .contains("NO_PATH");
        assertThat(cli("--sources", "all", "--to", serviceId, "--port", "443", "--account", PROVIDER).exit())
                .isEqualTo(1);
        assertThat(cli("--to", serviceId, "--port", "443").exit()).isEqualTo(2);
        assertThat(get("sources=some&to=" + serviceId + "&port=443").statusCode()).isEqualTo(400);
    }

    @Test
    @Order(4)
    void badInput_is400_andExit2() throws Exception {
        HttpResponse<String> r = get("from=" + client + "&to=" + endpointId + "&port=443&protocol=icmp");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("InvalidParameterValue");
        assertThat(get("from=" + client + "&port=443").statusCode()).isEqualTo(400);
        assertThat(get("from=" + client + "&to=x&port=abc").statusCode()).isEqualTo(400);
        // Only ASCII digits, no sign, at most 65535: Java's parseInt would take the first two.
        for (String port : List.of("%2B443", "%D9%A4%D9%A4%D9%A3", "65536", "-1")) {
            HttpResponse<String> refused = get("from=" + client + "&to=" + endpointId + "&port=" + port);
            assertThat(refused.statusCode()).as(port).isEqualTo(400);
            assertThat(refused.body()).as(port).contains("port must be a number 0-65535");
        }
        Run run = cli("--from", client, "--to", endpointId, "--port", "443", "--protocol", "icmp");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("icmp");
        assertThat(cli("--from", client, "--port", "443").exit()).isEqualTo(2);
    }

    @Test
    @Order(6)
    void policyLayer_identityPolicyThatDoesNotAllow_isABlocker_andAMalformedOneIs400() throws Exception {
        String role = "arn:aws:iam::" + CONSUMER + ":role/app";
        String deny = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"sqs:*\","
                + "\"Resource\":\"*\"}]}";
        String q = "from=" + client + "&to=" + endpointId + "&port=443&principal=" + role
                + "&action=sqs:SendMessage&resource=arn:aws:sqs:us-east-1:" + CONSUMER + ":jobs";
        JsonNode body = JSON.readTree(get(q + "&identityPolicy="
                + java.net.URLEncoder.encode(deny, java.nio.charset.StandardCharsets.UTF_8)).body());
        assertThat(codes(body)).containsExactly("POLICY_IDENTITY_DENIES " + role);
        assertThat(body.path("query").path("action").asText()).isEqualTo("sqs:SendMessage");
        assertThat(get(q + "&identityPolicy=%7Bnot").statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(get(q).body()).path("reachable").asBoolean()).isTrue();

        java.nio.file.Path file = java.nio.file.Files.createTempFile("identity", ".json");
        java.nio.file.Files.writeString(file, deny);
        Run run = cli("--from", client, "--to", endpointId, "--port", "443", "--principal", role, "--action",
                "sqs:SendMessage", "--resource", "arn:aws:sqs:us-east-1:" + CONSUMER + ":jobs", "--identity-policy",
                file.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("POLICY_IDENTITY_DENIES");
    }

    /** A GET signed by the SDK's SigV4 signer as {@code account}'s root (EC2, us-east-1). */
    static HttpResponse<String> signedGet(String query, String account) throws Exception {
        var request = software.amazon.awssdk.http.SdkHttpRequest.builder()
                .method(software.amazon.awssdk.http.SdkHttpMethod.GET)
                .uri(URI.create(UNDERPASS.endpoint() + "/_underpass/trace?" + query)).build();
        var signed = software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.create().sign(r -> r
                .identity(software.amazon.awssdk.identity.spi.AwsCredentialsIdentity.create(account, "any-secret"))
                .request(request)
                .payload(software.amazon.awssdk.http.ContentStreamProvider.fromUtf8String(""))
                .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ec2")
                .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.REGION_NAME, "us-east-1"))
                .request();
        HttpRequest.Builder b = HttpRequest.newBuilder(signed.getUri()).GET();
        signed.forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
                values.forEach(v -> b.header(name, v));
            }
        });
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    @Order(7)
    void signedTrace_startsInTheSignersAccountOnly() throws Exception {
        String q = "from=" + client + "&to=" + endpointId + "&port=443";
        JsonNode mine = JSON.readTree(signedGet(q, CONSUMER).body());
        assertThat(mine.path("query").path("account").asText()).isEqualTo(CONSUMER);
        assertThat(mine.path("reachable").asBoolean()).isTrue();
        // The provider cannot start from the consumer's instance, nor name the consumer's account.
        assertThat(codes(JSON.readTree(signedGet(q, PROVIDER).body())))
                .containsExactly("NO_SOURCE_OR_DESTINATION " + client);
        assertThat(signedGet(q + "&account=" + CONSUMER, PROVIDER).statusCode()).isEqualTo(403);
        JsonNode who = JSON.readTree(signedGet("sources=all&to=" + serviceId + "&port=443", PROVIDER).body());
        assertThat(who.path("account").asText()).isEqualTo(PROVIDER);
        assertThat(who.path("reachable")).isEmpty();
    }

    @Test
    @Order(5)
    void unknownSource_isBlockedWithNoSourceOrDestination_andAnotherAccountCannotStartFromIt() throws Exception {
        JsonNode body = JSON.readTree(get("from=i-0000000000000dead&to=" + endpointId + "&port=443&account="
                + CONSUMER + "&region=us-east-1").body());
        assertThat(codes(body)).containsExactly("NO_SOURCE_OR_DESTINATION i-0000000000000dead");
        JsonNode other = JSON.readTree(get("from=" + client + "&to=" + endpointId + "&port=443&account="
                + PROVIDER).body());
        assertThat(codes(other)).containsExactly("NO_SOURCE_OR_DESTINATION " + client);
    }
}
