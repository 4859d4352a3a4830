package dev.underpass.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PolicyCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Run(int status, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new PolicyCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int status = cli.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    static Run runWithStdin(String stdin, String... args) {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            return run(args);
        } finally {
            System.setIn(saved);
        }
    }

    Path file(String name, String singleQuoted) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, singleQuoted.replace('\'', '"'));
        return p;
    }

    // --- validate

    @Test
    void validate_cleanPolicy_printsNoFindingsAndExitsZero() throws Exception {
        Path p = file("ok.json", "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':'s3:GetObject',"
                + "'Resource':'arn:aws:s3:::bucket/*'}]}");
        Run r = run("validate", p.toString());
        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("No findings." + System.lineSeparator());
        assertThat(r.err()).isEmpty();
    }

    @Test
    void validate_errorFinding_exitsOneAndNamesTheCheckAndPlace() throws Exception {
        Path p = file("endpoint.json", "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':'*',"
                + "'Action':'s3:*','Resource':'*','Condition':{'IpAddress':{'aws:SourceIp':'10.0.0.0/8'}}}]}");
        Run r = run("validate", "--type", "vpc-endpoint", p.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).startsWith("ERROR PRIVATE_IP_ADDRESS at Statement[0].Condition.IpAddress.aws:SourceIp"
                + " (line 1, column ");
        assertThat(r.out()).endsWith("1 finding: 1 error." + System.lineSeparator());
    }

    @Test
    void validate_json_printsAccessAnalyzerShapedFindings() throws Exception {
        Path p = file("dup.json", "{'Statement':[{'Effect':'Allow','Action':'s3:*','Resource':'*',"
                + "'Condition':{'StringEquals':{'aws:SourceVpce':'vpce-123'}}}]}");
        Run r = run("validate", "--json", p.toString());
        assertThat(r.status()).isEqualTo(1);
        JsonNode findings = r.json().get("findings");
        assertThat(findings).hasSize(2);
        assertThat(findings.get(0).get("findingType").asText()).isEqualTo("WARNING");
        assertThat(findings.get(0).get("issueCode").asText()).isEqualTo("MISSING_VERSION");
        assertThat(findings.get(1).get("findingType").asText()).isEqualTo("ERROR");
        assertThat(findings.get(1).get("issueCode").asText()).isEqualTo("INVALID_VPCE_FORMAT");
        assertThat(findings.get(1).get("location").get("path").asText())
                .isEqualTo("Statement[0].Condition.StringEquals.aws:SourceVpce");
        assertThat(findings.get(1).get("location").get("line").asInt()).isEqualTo(1);
    }

    @Test
    void validate_warningsOnly_exitZero() throws Exception {
        Path p = file("w.json", "{'Statement':[{'Effect':'Allow','Action':'s3:*','Resource':'*'}]}");
        Run r = run("validate", p.toString());
        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("WARNING MISSING_VERSION at policy (line 1, column 1)");
    }

    @Test
    void validate_missingFile_exitsTwoWithAMessage() {
        Run r = run("validate", dir.resolve("nope.json").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("underpass policy validate: cannot read ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void validate_unknownType_exitsTwo() throws Exception {
        Path p = file("x.json", "{'Statement':[]}");
        Run r = run("validate", "--type", "bucket", p.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("\"bucket\" is not a policy type");
    }

    // --- evaluate

    static final String ISSUE_EXAMPLE = """
            {
              "request": {
                "principal": "arn:aws:iam::111122223333:role/app",
                "action": "s3:GetObject",
                "resource": "arn:aws:s3:::bucket/key",
                "resourceAccount": "111122223333",
                "context": { "aws:SourceVpce": "vpce-0a1b2c3d4e5f60718", "aws:TagKeys": ["a", "b"] }
              },
              "identityPolicies": [ {"Version": "2012-10-17", "Statement": [
                {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}]} ],
              "resourcePolicy": null,
              "permissionsBoundary": null,
              "sessionPolicy": null,
              "serviceControlPolicies": [ [ {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}} ] ],
              "resourceControlPolicies": [ ],
              "vpcEndpointPolicy": {"Version": "2012-10-17", "Statement": [
                {"Sid": "OnlyThisEndpoint", "Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*",
                 "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-0a1b2c3d4e5f60718"}}},
                {"Sid": "All", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}
            }""";

    @Test
    void evaluate_issueExampleFromAFile_printsOneJsonDecision() throws Exception {
        Path p = dir.resolve("in.json");
        Files.writeString(p, ISSUE_EXAMPLE);
        Run r = run("evaluate", p.toString());
        assertThat(r.status()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo("{\"decision\":\"Allowed\",\"blockedBy\":[],\"statements\":["
                + "{\"layer\":\"scp\",\"policy\":0,\"statement\":0,\"sid\":null,\"effect\":\"Allow\"},"
                + "{\"layer\":\"identity\",\"policy\":0,\"statement\":0,\"sid\":\"Read\",\"effect\":\"Allow\"},"
                + "{\"layer\":\"vpcEndpoint\",\"policy\":0,\"statement\":1,\"sid\":\"All\",\"effect\":\"Allow\"}]}"
                + System.lineSeparator());
    }

    @Test
    void evaluate_fromStandardInput_reportsAnExplicitDeny() throws Exception {
        String otherEndpoint = ISSUE_EXAMPLE.replace("\"aws:SourceVpce\": \"vpce-0a1b2c3d4e5f60718\", ",
                "\"aws:SourceVpce\": \"vpce-11112222\", ");
        Run r = runWithStdin(otherEndpoint, "evaluate");
        assertThat(r.status()).isZero();
        JsonNode d = r.json();
        assertThat(d.get("decision").asText()).isEqualTo("ExplicitlyDenied");
        assertThat(d.get("blockedBy").toString()).isEqualTo("[\"vpcEndpoint\"]");
        assertThat(d.get("statements").toString()).isEqualTo("[{\"layer\":\"vpcEndpoint\",\"policy\":0,"
                + "\"statement\":0,\"sid\":\"OnlyThisEndpoint\",\"effect\":\"Deny\"}]");
    }

    @Test
    void evaluate_onlyARequest_isAnImplicitDenyByIdentity() throws Exception {
        Run r = runWithStdin("{\"request\":{\"principal\":\"arn:aws:iam::111122223333:user/a\","
                + "\"action\":\"s3:GetObject\",\"resource\":\"*\"}}", "evaluate", "-");
        assertThat(r.status()).isZero();
        assertThat(r.out().strip()).isEqualTo(
                "{\"decision\":\"ImplicitlyDenied\",\"blockedBy\":[\"identity\"],\"statements\":[]}");
    }

    @Test
    void evaluate_policyGivenAsAString_isParsed() throws Exception {
        String in = "{\"request\":{\"principal\":\"arn:aws:iam::111122223333:user/a\",\"action\":\"s3:GetObject\","
                + "\"resource\":\"*\"},\"identityPolicies\":[\"{\\\"Statement\\\":{\\\"Effect\\\":\\\"Allow\\\","
                + "\\\"Action\\\":\\\"*\\\",\\\"Resource\\\":\\\"*\\\"}}\"]}";
        assertThat(runWithStdin(in, "evaluate").json().get("decision").asText()).isEqualTo("Allowed");
    }

    @Test
    void evaluate_malformedJson_exitsTwoWithTheLine() {
        Run r = runWithStdin("{\"request\": ", "evaluate");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("underpass policy evaluate: the input is not valid JSON: ");
    }

    @Test
    void evaluate_invalidPolicy_exitsTwoNamingLayerAndStatement() {
        Run r = runWithStdin("{\"request\":{\"action\":\"s3:GetObject\",\"resource\":\"*\"},"
                + "\"identityPolicies\":[{\"Statement\":[{\"Effect\":\"allow\",\"Action\":\"*\"}]}]}", "evaluate");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("underpass policy evaluate: identityPolicies[0]: Statement[0].Effect:"
                + " \"allow\" is not an effect; write \"Allow\" or \"Deny\"");
    }

    @Test
    void evaluate_missingRequestOrAction_exitsTwo() {
        assertThat(runWithStdin("{}", "evaluate").err().strip())
                .isEqualTo("underpass policy evaluate: the input has no \"request\"");
        assertThat(runWithStdin("{\"request\":{\"resource\":\"*\"}}", "evaluate").err())
                .contains("request.action is required");
        assertThat(runWithStdin("{\"request\":{\"action\":\"a:b\",\"resource\":\"*\"},\"extra\":1}", "evaluate")
                .status()).isEqualTo(2);
    }

    @Test
    void evaluate_unknownEndpointKind_exitsTwo() {
        Run r = runWithStdin("{\"request\":{\"action\":\"a:b\",\"resource\":\"*\"},\"vpcEndpointKind\":\"Nlb\"}",
                "evaluate");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("\"Nlb\" is not an endpoint kind");
    }

    @Test
    void evaluate_customerEndpointServiceKind_skipsTheEndpointPolicy() throws Exception {
        String in = "{\"request\":{\"principal\":\"arn:aws:iam::111122223333:user/a\",\"action\":\"s3:GetObject\","
                + "\"resource\":\"*\"},\"identityPolicies\":[{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\","
                + "\"Resource\":\"*\"}}],\"vpcEndpointPolicy\":{\"Statement\":{\"Effect\":\"Deny\",\"Principal\":\"*\","
                + "\"Action\":\"*\",\"Resource\":\"*\"}},\"vpcEndpointKind\":\"CustomerEndpointService\"}";
        assertThat(runWithStdin(in, "evaluate").json().get("decision").asText()).isEqualTo("Allowed");
    }
}
