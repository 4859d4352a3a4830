package dev.underpass.aws.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.underpass.model.Caller;
import dev.underpass.model.World;
import dev.underpass.model.org.ControlPolicy;
import dev.underpass.model.org.Organizations;
import dev.underpass.model.org.Organizations.OrgPath;
import dev.underpass.model.org.Organizations.PathNode;
import dev.underpass.model.sts.Principals;
import dev.underpass.policy.AuthorizationMessage;
import dev.underpass.policy.Decision;
import dev.underpass.policy.Effect;
import dev.underpass.policy.EvaluationInput;
import dev.underpass.policy.Evaluator;
import dev.underpass.policy.Layer;
import dev.underpass.policy.Policy;
import dev.underpass.policy.PolicyParseException;
import dev.underpass.policy.PolicyParser;
import dev.underpass.policy.Request;
import dev.underpass.policy.RequestContext;
import dev.underpass.policy.StatementRef;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Service control policies on the request path: decides whether an organization's SCPs let a member account's
 * caller make a request, and when they do not, says why in AWS's encoded authorization message.
 *
 * <p>Follows the AWS Organizations guide on SCP evaluation
 * (<a href="https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html">
 * SCP evaluation</a>): a request is allowed only if, at every level from the root down to the account, some
 * attached SCP allows it, and no SCP anywhere on the path denies it. SCPs never restrict the management account,
 * and there is nothing to check when the account is in no organization or SCPs are not enabled on its root. The
 * evaluation itself is the policy engine's ({@link Evaluator}, SCP layer only: every other layer is given an
 * allow-all policy, since underpass has no IAM identities to restrict).
 *
 * <p>A service describes a request as a {@link Check}: the IAM action, the resource ARNs AWS authorizes it on
 * (each with its resource's condition keys), and the request's own condition keys. {@link RequestFacts} derives one
 * from an EC2 or ELBv2 SDK request; another service (RAM) builds its own and calls {@link #check} the same way.
 * The guard adds the global keys it knows: {@code aws:PrincipalAccount}, {@code aws:PrincipalArn},
 * {@code aws:PrincipalOrgID}, {@code aws:PrincipalOrgPaths}, {@code aws:RequestedRegion}, {@code aws:CurrentTime},
 * {@code aws:EpochTime} and {@code aws:SourceIp}. Each resource is decided on its own; the first one refused
 * refuses the request.
 *
 * <p>Speed: an account's path, with its policies parsed, is computed once per committed world and account
 * ({@link World#derive}), and a policy document is parsed once for as long as it is unchanged, so a request costs
 * one context map and one walk over the path's statements per resource.
 *
 * <p>RCPs: AWS applies them to S3, STS, KMS, SQS, Secrets Manager and a few other services, not to EC2, Elastic
 * Load Balancing or RAM, so this guard does not evaluate them (docs/policy.md).
 */
public final class OrgGuard {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Policy ALLOW_ALL = parseOrNull(
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}");

    private OrgGuard() {}

    /** A resource the action is authorized on: its ARN ({@code *} when AWS names none) and its condition keys. */
    public record Target(String arn, Map<String, Object> keys) {
        public Target {
            keys = Map.copyOf(keys);
        }

        public static Target any() {
            return new Target("*", Map.of());
        }
    }

    /**
     * What a request asks, in IAM's terms.
     *
     * @param action {@code service:Action}
     * @param targets the resources, at least one
     * @param requestKeys the request's condition keys (String or List of String values)
     */
    public record Check(String action, List<Target> targets, Map<String, Object> requestKeys) {
        public Check {
            targets = targets.isEmpty() ? List.of(Target.any()) : List.copyOf(targets);
            requestKeys = Map.copyOf(requestKeys);
        }
    }

    /**
     * A refusal by the SCPs (or, for {@link #checkResource}, the RCPs).
     *
     * @param policyType {@code SERVICE_CONTROL_POLICY} or {@code RESOURCE_CONTROL_POLICY}
     * @param explicit a Deny statement matched (else no SCP allowed at some level)
     * @param policyId the deciding policy (the denying one, or, for an implicit deny, none: null)
     * @param targetId where on the path the deciding policy is attached, or the level that allowed nothing
     * @param sid the denying statement's Sid, or null
     * @param encodedMessage the token STS DecodeAuthorizationMessage and {@code underpass policy decode} read
     */
    public record Denial(String policyType, String action, String resource, String principalArn, boolean explicit,
            String policyId, String policyName, String policyArn, String targetId, String sid, String encodedMessage) {

        /** EC2's {@code UnauthorizedOperation} message. */
        public String ec2Message() {
            return "You are not authorized to perform this operation. Encoded authorization failure message: "
                    + encodedMessage;
        }

        /** The {@code AccessDenied} message of the other services, in AWS's words. */
        public String accessDeniedMessage() {
            String head = "User: " + principalArn + " is not authorized to perform: " + action + " on resource: "
                    + resource;
            String kind = policyType.equals(ControlPolicy.RCP) ? "resource control policy" : "service control policy";
            return explicit ? head + " with an explicit deny in a " + kind + ": " + policyArn
                    : head + " because no " + kind + " allows the " + action + " action";
        }
    }

    /** One attached policy on the path, in the order the evaluator counts them (root first). */
    private record Entry(PathNode node, ControlPolicy policy, Policy parsed) {}

    /** An account's compiled path: the levels of one policy type, their entries, and the organization keys. */
    private record Compiled(List<List<Policy>> levels, List<Entry> entries, List<PathNode> nodes,
            Map<String, Object> orgKeys, String type) {}

    private record PathKey(String accountId, String type) {}

    private static final Optional<Compiled> UNRESTRICTED = Optional.empty();

    /** Whether SCPs restrict this account at all in {@code world} (a member of an organization with SCPs on). */
    public static boolean restricted(World world, String accountId) {
        return compiled(world, accountId, ControlPolicy.SCP).isPresent();
    }

    /**
     * The message of the {@code AccessDeniedException} the SCPs answer a request with, if they deny it. The request's
     * facts are only worked out when SCPs restrict the caller at all, which is the rare case; each API renders the
     * message with its own error code.
     */
    public static Optional<String> scpDenial(World world, Caller caller, Instant now,
            java.util.function.Supplier<Check> facts) {
        return scpCheck(world, caller, now, facts).map(Denial::accessDeniedMessage);
    }

    /**
     * The SCPs' denial of a request, if any, for the APIs that word it themselves (EC2's encoded message, …); as in
     * {@link #scpDenial}, {@code facts} is only called when SCPs restrict the caller.
     */
    public static Optional<Denial> scpCheck(World world, Caller caller, Instant now,
            java.util.function.Supplier<Check> facts) {
        if (!restricted(world, caller.accountId())) {
            return Optional.empty();
        }
        return check(world, caller, now, facts.get());
    }

    /** The SCPs' answer to {@code check} by {@code caller}: empty when allowed (or not restricted). */
    public static Optional<Denial> check(World world, Caller caller, Instant now, Check check) {
        Optional<Compiled> path = compiled(world, caller.accountId(), ControlPolicy.SCP);
        return path.isEmpty() ? Optional.empty() : decide(path.get(), world, caller, now, check);
    }

    /**
     * The RCPs' answer to {@code check} by {@code caller} on resources of {@code resourceAccount} (for the services
     * AWS applies RCPs to, such as STS): empty when no RCP denies. RCPs never restrict the management account's
     * resources, and only deny ({@code RCPFullAWSAccess} is implied at every level).
     */
    public static Optional<Denial> checkResource(World world, Caller caller, Instant now, String resourceAccount,
            Check check) {
        Optional<Compiled> path = compiled(world, resourceAccount, ControlPolicy.RCP);
        return path.isEmpty() ? Optional.empty() : decide(path.get(), world, caller, now, check);
    }

    private static Optional<Denial> decide(Compiled c, World world, Caller caller, Instant now, Check check) {
        // The caller's organization keys, whichever account's path is evaluated (RCPs test outsiders too).
        Map<String, Object> callerOrg = c.type().equals(ControlPolicy.SCP) ? c.orgKeys()
                : compiled(world, caller.accountId(), ControlPolicy.SCP).map(Compiled::orgKeys)
                        .orElseGet(() -> orgKeys(world, caller.accountId()));
        dev.underpass.policy.Caller principal = dev.underpass.policy.Caller.parse(caller.principalArn());
        for (Target target : check.targets()) {
            Map<String, Object> context = new HashMap<>(callerOrg);
            // aws:PrincipalAccount, aws:PrincipalArn (a session's role), aws:PrincipalType: the engine derives them.
            context.put("aws:RequestedRegion", caller.region());
            context.put("aws:CurrentTime", DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS)));
            context.put("aws:EpochTime", Long.toString(now.getEpochSecond()));
            context.put("aws:ViaAWSService", "false");
            if (caller.sourceIp() != null) {
                context.put("aws:SourceIp", caller.sourceIp());
            }
            if (c.type().equals(ControlPolicy.RCP)) {
                context.put("aws:ResourceOrgID", c.orgKeys().get("aws:PrincipalOrgID"));
                context.put("aws:ResourceOrgPaths", c.orgKeys().get("aws:PrincipalOrgPaths"));
            }
            context.putAll(check.requestKeys());
            context.putAll(target.keys());
            Request request = new Request(principal, check.action(), target.arn(), null, RequestContext.of(context));
            Decision d = Evaluator.evaluate(input(request, c));
            if (refused(d)) {
                return Optional.of(denial(c, caller, request, d));
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the control policies refused: the other layers hold allow-all policies, but a cross-account request
     * (an RCP check) still lacks a resource policy, which is not this guard's to decide.
     */
    private static boolean refused(Decision d) {
        return d.blockedBy().contains(Layer.SCP) || d.blockedBy().contains(Layer.RCP);
    }

    private static EvaluationInput input(Request request, Compiled c) {
        return input(request, c.levels(), c.type());
    }

    private static EvaluationInput input(Request request, List<List<Policy>> levels, String type) {
        EvaluationInput.Builder b = EvaluationInput.builder(request).identityPolicy(ALLOW_ALL).sessionPolicy(ALLOW_ALL);
        for (List<Policy> level : levels) {
            if (type.equals(ControlPolicy.SCP)) {
                b.scpLevel(level);
            } else {
                b.rcpLevel(level);
            }
        }
        return b.build();
    }

    /** {@code aws:PrincipalOrgID} and {@code aws:PrincipalOrgPaths} of any account (none outside organizations). */
    private static Map<String, Object> orgKeys(World world, String accountId) {
        return Organizations.pathOf(world, accountId)
                .<Map<String, Object>>map(p -> Map.of("aws:PrincipalOrgID", p.orgId(),
                        "aws:PrincipalOrgPaths", List.of(p.orgPath())))
                .orElse(Map.of());
    }

    private static Optional<Compiled> compiled(World world, String accountId, String type) {
        return world.derive(new PathKey(accountId, type), w -> compile(w, accountId, type));
    }

    private static Optional<Compiled> compile(World world, String accountId, String type) {
        Optional<OrgPath> found = Organizations.pathOf(world, accountId);
        if (found.isEmpty() || found.get().managementAccount()) {
            return UNRESTRICTED;
        }
        OrgPath path = found.get();
        boolean enabled = Organizations.orgOf(world, accountId)
                .map(o -> o.policyTypeEnabled(type)).orElse(false);
        if (!enabled) {
            return UNRESTRICTED;
        }
        boolean scp = type.equals(ControlPolicy.SCP);
        List<List<Policy>> levels = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        for (PathNode node : path.nodes()) {
            List<Policy> level = new ArrayList<>();
            for (ControlPolicy cp : scp ? node.serviceControlPolicies() : node.resourceControlPolicies()) {
                if (!scp && cp.awsManaged()) {
                    continue; // RCPFullAWSAccess is implied by the engine: only customer RCPs can deny
                }
                Policy parsed = cp.content().policy(); // parsed when it was accepted, or read back
                level.add(parsed);
                entries.add(new Entry(node, cp, parsed));
            }
            levels.add(level);
        }
        Map<String, Object> orgKeys = Map.of("aws:PrincipalOrgID", path.orgId(),
                "aws:PrincipalOrgPaths", List.of(path.orgPath()));
        return Optional.of(new Compiled(levels, entries, path.nodes(), orgKeys, type));
    }

    private static Policy parseOrNull(String json) {
        try {
            return PolicyParser.parse(json);
        } catch (PolicyParseException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- the decision, explained

    private static Denial denial(Compiled c, Caller caller, Request request, Decision d) {
        List<StatementRef> denies = d.statements().stream()
                .filter(r -> (r.layer() == Layer.SCP || r.layer() == Layer.RCP) && r.effect() == Effect.DENY).toList();
        ObjectNode message = JSON.createObjectNode();
        message.put("allowed", false);
        message.put("explicitDeny", !denies.isEmpty());
        ArrayNode matched = message.putObject("matchedStatements").putArray("items");
        ArrayNode failures = message.putObject("failures").putArray("items");
        Denial out;
        if (!denies.isEmpty()) {
            for (StatementRef ref : denies) {
                Entry e = c.entries().get(ref.policy());
                matched.add(statement(e, ref));
            }
            Entry first = c.entries().get(denies.getFirst().policy());
            out = new Denial(c.type(), request.action(), request.resource(), caller.principalArn(), true,
                    first.policy().id(),
                    first.policy().name(), first.policy().arn(), first.node().id(), denies.getFirst().sid(), null);
        } else {
            PathNode level = firstLevelAllowingNothing(c, request);
            ObjectNode f = failures.addObject();
            f.put("policyType", c.type());
            f.put("targetId", level.id());
            f.put("targetType", level.kind());
            f.put("reason", "No service control policy attached to " + level.id() + " allows " + request.action()
                    + " on " + request.resource());
            out = new Denial(c.type(), request.action(), request.resource(), caller.principalArn(), false, null,
                    null, null, level.id(), null, null);
        }
        ObjectNode context = message.putObject("context");
        ObjectNode principal = context.putObject("principal");
        principal.put("id", Principals.userId(caller.principalArn()));
        principal.put("arn", caller.principalArn());
        context.put("action", request.action());
        context.put("resource", request.resource());
        ArrayNode conditions = context.putObject("conditions").putArray("items");
        for (Map.Entry<String, Object> k : request.context().asMap().entrySet()) {
            ObjectNode item = conditions.addObject();
            item.put("key", k.getKey());
            ArrayNode values = item.putObject("values").putArray("items");
            if (k.getValue() instanceof List<?> list) {
                list.forEach(v -> values.addObject().put("value", String.valueOf(v)));
            } else {
                values.addObject().put("value", String.valueOf(k.getValue()));
            }
        }
        String token = AuthorizationMessage.encode(message.toString());
        return new Denial(out.policyType(), out.action(), out.resource(), out.principalArn(), out.explicit(),
                out.policyId(),
                out.policyName(), out.policyArn(), out.targetId(), out.sid(), token);
    }

    private static PathNode firstLevelAllowingNothing(Compiled c, Request request) {
        for (int i = 0; i < c.levels().size(); i++) {
            if (refused(Evaluator.evaluate(input(request, List.of(c.levels().get(i)), c.type())))) {
                return c.nodes().get(i);
            }
        }
        return c.nodes().getLast();
    }

    /** A matched statement as AWS's decoded message lists it, plus which SCP it is and where it is attached. */
    private static ObjectNode statement(Entry e, StatementRef ref) {
        ObjectNode s = JSON.createObjectNode();
        s.put("statementId", ref.sid());
        s.put("effect", ref.effect() == Effect.DENY ? "DENY" : "ALLOW");
        s.put("policyType", e.policy().type());
        s.put("policyId", e.policy().id());
        s.put("policyName", e.policy().name());
        s.put("policyArn", e.policy().arn());
        s.put("statementIndex", ref.statement());
        s.put("attachedTo", e.node().id());
        s.putObject("principals").putArray("items");
        s.putObject("principalGroups").putArray("items");
        JsonNode raw = rawStatement(e.policy().content().text(), ref.statement());
        items(s, "actions", raw.get("Action"));
        items(s, "notActions", raw.get("NotAction"));
        items(s, "resources", raw.get("Resource"));
        items(s, "notResources", raw.get("NotResource"));
        ArrayNode conditions = s.putObject("conditions").putArray("items");
        JsonNode cond = raw.get("Condition");
        if (cond != null && cond.isObject()) {
            cond.properties().forEach(op -> op.getValue().properties().forEach(key -> {
                ObjectNode item = conditions.addObject();
                item.put("operator", op.getKey());
                item.put("key", key.getKey());
                ArrayNode values = item.putObject("values").putArray("items");
                if (key.getValue().isArray()) {
                    key.getValue().forEach(v -> values.addObject().put("value", v.asText()));
                } else {
                    values.addObject().put("value", key.getValue().asText());
                }
            }));
        }
        return s;
    }

    private static void items(ObjectNode s, String name, JsonNode value) {
        if (value == null) {
            if (name.equals("actions") || name.equals("resources")) {
                s.putObject(name).putArray("items");
            }
            return;
        }
        ArrayNode items = s.putObject(name).putArray("items");
        if (value.isArray()) {
            value.forEach(v -> items.addObject().put("value", v.asText()));
        } else {
            items.addObject().put("value", value.asText());
        }
    }

    private static JsonNode rawStatement(String content, int index) {
        try {
            JsonNode statements = JSON.readTree(content).get("Statement");
            if (statements != null && statements.isArray()) {
                return statements.path(index);
            }
            return statements == null ? JSON.createObjectNode() : statements;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return JSON.createObjectNode();
        }
    }
}
