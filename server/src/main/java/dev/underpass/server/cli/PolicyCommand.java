package dev.underpass.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.underpass.policy.Decision;
import dev.underpass.policy.EndpointKind;
import dev.underpass.policy.EvaluationInput;
import dev.underpass.policy.Evaluator;
import dev.underpass.policy.Finding;
import dev.underpass.policy.FindingType;
import dev.underpass.policy.Layer;
import dev.underpass.policy.Policy;
import dev.underpass.policy.PolicyParseException;
import dev.underpass.policy.PolicyParser;
import dev.underpass.policy.PolicyType;
import dev.underpass.policy.PolicyValidator;
import dev.underpass.policy.Request;
import dev.underpass.policy.StatementRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code underpass policy}: validate and evaluate AWS access policies offline, with the engine of the
 * {@code policy} module. Exit status: 0 on success, 1 when {@code validate} finds an ERROR, 2 when the input cannot
 * be read or is malformed.
 */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Validate and evaluate AWS access policies (identity, resource, SCP, RCP, endpoint); decode"
                + " authorization failure messages.",
        subcommands = {PolicyCommand.Validate.class, PolicyCommand.Evaluate.class, PolicyDecode.class})
public final class PolicyCommand implements Callable<Integer> {
    static final int OK = 0;
    static final int FINDINGS_WITH_ERRORS = 1;
    static final int BAD_INPUT = 2;

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return BAD_INPUT;
    }

    /** Reports bad input of {@code underpass policy SUBCOMMAND} on {@code err}: the exit code to return. */
    static int badInput(PrintWriter err, String subcommand, String message) {
        err.println("underpass policy " + subcommand + ": " + message);
        err.flush();
        return BAD_INPUT;
    }

    /** Input the user got wrong; reported on standard error with exit status 2. */
    static final class BadInput extends Exception {
        BadInput(String message) {
            super(message);
        }
    }

    static String read(String file) throws BadInput {
        try {
            if (file == null || file.equals("-")) {
                InputStream in = System.in;
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new BadInput("cannot read " + (file == null ? "standard input" : file) + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    /** {@code underpass policy validate FILE}: Access Analyzer style findings. */
    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check a policy document for errors and common mistakes. Exit status 1 when there is"
                    + " an ERROR finding.")
    public static final class Validate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The policy document (JSON); - for standard"
                + " input.")
        String file;

        @Option(names = "--json", description = "Print the findings as JSON.")
        boolean json;

        @Option(names = "--type", paramLabel = "TYPE", description = "Where the policy is attached: identity,"
                + " resource, scp, rcp, vpc-endpoint or trust. Default: resource when a statement names a"
                + " principal, identity otherwise.")
        String type;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            String document;
            PolicyType policyType = null;
            try {
                if (type != null) {
                    try {
                        policyType = PolicyType.fromWire(type);
                    } catch (IllegalArgumentException e) {
                        throw new BadInput("--type: " + e.getMessage());
                    }
                }
                document = read(file);
            } catch (BadInput e) {
                return badInput(err, "validate", e.getMessage());
            }
            List<Finding> findings = policyType == null ? PolicyValidator.validate(document)
                    : PolicyValidator.validate(document, policyType);
            if (json) {
                ObjectNode root = JSON.createObjectNode();
                ArrayNode list = root.putArray("findings");
                for (Finding f : findings) {
                    ObjectNode n = list.addObject();
                    n.put("findingType", f.type().name());
                    n.put("issueCode", f.issueCode());
                    n.put("findingDetails", f.message());
                    ObjectNode loc = n.putObject("location");
                    loc.put("path", f.location().path());
                    if (f.location().line() > 0) {
                        loc.put("line", f.location().line());
                        loc.put("column", f.location().column());
                    }
                }
                out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
            } else {
                for (Finding f : findings) {
                    out.println(f.type() + " " + f.issueCode() + " at " + f.location());
                    out.println("    " + f.message());
                }
                out.println(summary(findings));
            }
            out.flush();
            return PolicyValidator.hasErrors(findings) ? FINDINGS_WITH_ERRORS : OK;
        }

        static String summary(List<Finding> findings) {
            if (findings.isEmpty()) {
                return "No findings.";
            }
            Map<FindingType, Integer> counts = new EnumMap<>(FindingType.class);
            findings.forEach(f -> counts.merge(f.type(), 1, Integer::sum));
            List<String> parts = new ArrayList<>();
            counts.forEach((t, n) -> parts.add(n + " " + t.name().toLowerCase(java.util.Locale.ROOT)
                    .replace('_', ' ') + (n == 1 ? "" : "s")));
            return findings.size() + (findings.size() == 1 ? " finding: " : " findings: ") + String.join(", ", parts)
                    + ".";
        }
    }

    /** {@code underpass policy evaluate [FILE]}: one request, all policy layers, one JSON decision. */
    @Command(name = "evaluate", mixinStandardHelpOptions = true,
            description = "Decide one request against identity, resource, boundary, session, SCP, RCP and VPC"
                    + " endpoint policies, and print the decision as JSON.")
    public static final class Evaluate implements Callable<Integer> {
        private static final Set<String> FIELDS = Set.of("request", "identityPolicies", "resourcePolicy",
                "permissionsBoundary", "sessionPolicy", "serviceControlPolicies", "resourceControlPolicies",
                "vpcEndpointPolicy", "vpcEndpointKind");
        private static final Set<String> REQUEST_FIELDS = Set.of("principal", "action", "resource",
                "resourceAccount", "context");

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
                description = "The input document (JSON); standard input when absent or -.")
        String file;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            EvaluationInput input;
            try {
                input = parseInput(read(file));
            } catch (BadInput e) {
                return badInput(err, "evaluate", e.getMessage());
            }
            out.println(JSON.writeValueAsString(render(Evaluator.evaluate(input))));
            out.flush();
            return OK;
        }

        static ObjectNode render(Decision d) {
            ObjectNode root = JSON.createObjectNode();
            root.put("decision", d.outcome().wireName());
            ArrayNode blocked = root.putArray("blockedBy");
            for (Layer l : d.blockedBy()) {
                blocked.add(l.wireName());
            }
            ArrayNode statements = root.putArray("statements");
            for (StatementRef ref : d.statements()) {
                ObjectNode s = statements.addObject();
                s.put("layer", ref.layer().wireName());
                s.put("policy", ref.policy());
                s.put("statement", ref.statement());
                s.put("sid", ref.sid());
                s.put("effect", ref.effect().wireName());
            }
            return root;
        }

        static EvaluationInput parseInput(String text) throws BadInput {
            JsonNode root;
            try {
                root = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() + ")";
                String msg = e.getOriginalMessage();
                int nl = msg.indexOf('\n');
                throw new BadInput("the input is not valid JSON: " + (nl < 0 ? msg : msg.substring(0, nl)) + where);
            }
            if (root == null || root.isMissingNode() || !root.isObject()) {
                throw new BadInput("the input must be a JSON object with at least \"request\"");
            }
            for (String name : iterable(root)) {
                if (!FIELDS.contains(name)) {
                    throw new BadInput("unknown field \"" + name + "\"; expected one of " + sorted(FIELDS));
                }
            }
            Request request = request(root.get("request"));
            EvaluationInput.Builder b = EvaluationInput.builder(request);
            JsonNode identity = root.get("identityPolicies");
            if (identity != null && !identity.isNull()) {
                if (!identity.isArray()) {
                    throw new BadInput("identityPolicies must be a list of policies");
                }
                for (int i = 0; i < identity.size(); i++) {
                    b.identityPolicy(policy(identity.get(i), "identityPolicies[" + i + "]"));
                }
            }
            b.resourcePolicy(optionalPolicy(root.get("resourcePolicy"), "resourcePolicy"));
            b.permissionsBoundary(optionalPolicy(root.get("permissionsBoundary"), "permissionsBoundary"));
            b.sessionPolicy(optionalPolicy(root.get("sessionPolicy"), "sessionPolicy"));
            for (List<Policy> level : levels(root.get("serviceControlPolicies"), "serviceControlPolicies")) {
                b.scpLevel(level);
            }
            for (List<Policy> level : levels(root.get("resourceControlPolicies"), "resourceControlPolicies")) {
                b.rcpLevel(level);
            }
            EndpointKind kind = EndpointKind.INTERFACE;
            JsonNode kindNode = root.get("vpcEndpointKind");
            if (kindNode != null && !kindNode.isNull()) {
                try {
                    kind = EndpointKind.fromWire(kindNode.asText());
                } catch (IllegalArgumentException e) {
                    throw new BadInput("vpcEndpointKind: " + e.getMessage());
                }
            }
            b.vpcEndpointPolicy(optionalPolicy(root.get("vpcEndpointPolicy"), "vpcEndpointPolicy"), kind);
            return b.build();
        }

        private static Request request(JsonNode node) throws BadInput {
            if (node == null || node.isNull()) {
                throw new BadInput("the input has no \"request\"");
            }
            if (!node.isObject()) {
                throw new BadInput("request must be an object with principal, action, resource, resourceAccount"
                        + " and context");
            }
            for (String name : iterable(node)) {
                if (!REQUEST_FIELDS.contains(name)) {
                    throw new BadInput("request: unknown field \"" + name + "\"; expected one of "
                            + sorted(REQUEST_FIELDS));
                }
            }
            String principal = optionalString(node, "principal");
            String action = optionalString(node, "action");
            String resource = optionalString(node, "resource");
            if (action == null || action.isEmpty()) {
                throw new BadInput("request.action is required, e.g. \"s3:GetObject\"");
            }
            if (resource == null || resource.isEmpty()) {
                throw new BadInput("request.resource is required, e.g. \"arn:aws:s3:::bucket/key\" or \"*\"");
            }
            Map<String, Object> context = new LinkedHashMap<>();
            JsonNode ctx = node.get("context");
            if (ctx != null && !ctx.isNull()) {
                if (!ctx.isObject()) {
                    throw new BadInput("request.context must be an object of condition keys");
                }
                for (Map.Entry<String, JsonNode> e : ctx.properties()) {
                    context.put(e.getKey(), contextValue(e.getKey(), e.getValue()));
                }
            }
            try {
                return Request.of(principal, action, resource, optionalString(node, "resourceAccount"), context);
            } catch (IllegalArgumentException e) {
                throw new BadInput("request: " + e.getMessage());
            }
        }

        private static Object contextValue(String key, JsonNode v) throws BadInput {
            if (v.isTextual() || v.isNumber() || v.isBoolean()) {
                return v.asText();
            }
            if (v.isArray()) {
                List<String> values = new ArrayList<>();
                for (JsonNode item : v) {
                    if (!(item.isTextual() || item.isNumber() || item.isBoolean())) {
                        throw new BadInput("request.context." + key + ": a list may hold only strings");
                    }
                    values.add(item.asText());
                }
                return values;
            }
            throw new BadInput("request.context." + key + ": expected a string or a list of strings");
        }

        private static String optionalString(JsonNode node, String field) throws BadInput {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isTextual()) {
                throw new BadInput("request." + field + " must be a string");
            }
            return v.textValue();
        }

        private static Policy optionalPolicy(JsonNode node, String where) throws BadInput {
            return node == null || node.isNull() ? null : policy(node, where);
        }

        /** A policy given inline as a JSON object, or as a string holding the policy document. */
        private static Policy policy(JsonNode node, String where) throws BadInput {
            try {
                if (node.isTextual()) {
                    return PolicyParser.parse(node.textValue());
                }
                return PolicyParser.parse(node);
            } catch (PolicyParseException e) {
                throw new BadInput(where + ": " + e.getMessage());
            }
        }

        private static List<List<Policy>> levels(JsonNode node, String where) throws BadInput {
            List<List<Policy>> levels = new ArrayList<>();
            if (node == null || node.isNull()) {
                return levels;
            }
            if (!node.isArray()) {
                throw new BadInput(where + " must be a list of levels, each a list of policies");
            }
            for (int i = 0; i < node.size(); i++) {
                JsonNode level = node.get(i);
                if (!level.isArray()) {
                    throw new BadInput(where + "[" + i + "] must be a list of policies (one level of the"
                            + " organization)");
                }
                List<Policy> policies = new ArrayList<>();
                for (int j = 0; j < level.size(); j++) {
                    policies.add(policy(level.get(j), where + "[" + i + "][" + j + "]"));
                }
                levels.add(policies);
            }
            return levels;
        }

        private static List<String> iterable(JsonNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            return names;
        }

        private static String sorted(Set<String> names) {
            return String.join(", ", names.stream().sorted().toList());
        }
    }
}
