package dev.underpass.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Laws that hold for every combination of policies (IAM User Guide, "Policy evaluation logic": an explicit deny in
 * any policy overrides any allow; a request without an applicable allow is implicitly denied; statement order does
 * not matter). Scenarios are drawn from a small vocabulary so that matches, misses and denials all occur often.
 */
class PolicyLawsProperties {
    static final String ACCOUNT = "111122223333";
    static final List<String> CALLERS = List.of("arn:aws:iam::111122223333:user/alice",
            "arn:aws:sts::111122223333:assumed-role/app/s1", "arn:aws:sts::111122223333:federated-user/bob",
            "arn:aws:iam::444455556666:user/mallory", "anonymous", "arn:aws:iam::111122223333:root");
    static final List<String> ACTIONS = List.of("s3:GetObject", "s3:PutObject", "ec2:DescribeVpcs");
    static final List<String> RESOURCES = List.of("arn:aws:s3:::bucket/key", "arn:aws:s3:::other/x");
    static final List<String> ACTION_PATTERNS = List.of("'*'", "'s3:*'", "'s3:GetObject'", "'s3:Put*'",
            "'ec2:Describe*'", "'S3:get?bject'", "['s3:PutObject','ec2:*']");
    static final List<String> RESOURCE_PATTERNS = List.of("'*'", "'arn:aws:s3:::bucket/*'", "'arn:aws:s3:::other/*'",
            "'arn:aws:s3:::bucket/key'", "'arn:aws:s3:::${aws:username}/*'");
    static final List<String> PRINCIPALS = List.of("'*'", "{'AWS':'111122223333'}",
            "{'AWS':'arn:aws:iam::111122223333:user/alice'}", "{'AWS':'arn:aws:iam::111122223333:role/app'}",
            "{'AWS':'444455556666'}", "{'AWS':'arn:aws:sts::111122223333:assumed-role/app/s1'}");
    static final List<String> CONDITIONS = List.of("", "", "", "{'StringEquals':{'aws:SourceVpce':'vpce-1a2b3c4d'}}",
            "{'StringNotEqualsIfExists':{'aws:SourceVpce':'vpce-1a2b3c4d'}}",
            "{'ForAllValues:StringEquals':{'aws:TagKeys':['a','b']}}",
            "{'IpAddress':{'aws:SourceIp':'203.0.113.0/24'}}", "{'Bool':{'aws:SecureTransport':'true'}}");
    static final List<Map<String, Object>> CONTEXTS = List.of(Map.of(),
            Map.of("aws:SourceVpce", "vpce-1a2b3c4d", "aws:SecureTransport", "true"),
            Map.of("aws:SourceIp", "203.0.113.5", "aws:TagKeys", List.of("a")),
            Map.of("aws:SourceVpce", "vpce-99999999", "aws:TagKeys", List.of("a", "c")));

    /** A generated scenario: every layer as lists of statement JSON, so that laws can edit it. */
    static final class Scenario {
        String caller;
        String action;
        String resource;
        Map<String, Object> context;
        List<List<String>> identity = new ArrayList<>();
        List<String> resourcePolicy;
        List<String> boundary;
        List<String> session;
        List<List<List<String>>> scps = new ArrayList<>();
        List<List<List<String>>> rcps = new ArrayList<>();
        List<String> endpoint;
        EndpointKind endpointKind = EndpointKind.INTERFACE;
        int sids;

        Scenario copy() {
            Scenario s = new Scenario();
            s.caller = caller;
            s.action = action;
            s.resource = resource;
            s.context = context;
            identity.forEach(p -> s.identity.add(new ArrayList<>(p)));
            s.resourcePolicy = resourcePolicy == null ? null : new ArrayList<>(resourcePolicy);
            s.boundary = boundary == null ? null : new ArrayList<>(boundary);
            s.session = session == null ? null : new ArrayList<>(session);
            scps.forEach(level -> s.scps.add(deepCopy(level)));
            rcps.forEach(level -> s.rcps.add(deepCopy(level)));
            s.endpoint = endpoint == null ? null : new ArrayList<>(endpoint);
            s.endpointKind = endpointKind;
            s.sids = sids;
            return s;
        }

        private static List<List<String>> deepCopy(List<List<String>> level) {
            List<List<String>> out = new ArrayList<>();
            level.forEach(p -> out.add(new ArrayList<>(p)));
            return out;
        }

        EvaluationInput input() {
            EvaluationInput.Builder b = EvaluationInput.builder(Request.of(caller, action, resource, null, context));
            identity.forEach(p -> b.identityPolicy(policy(p)));
            b.resourcePolicy(resourcePolicy == null ? null : policy(resourcePolicy));
            b.permissionsBoundary(boundary == null ? null : policy(boundary));
            b.sessionPolicy(session == null ? null : policy(session));
            scps.forEach(level -> b.scpLevel(level.stream().map(Scenario::policy).toList()));
            rcps.forEach(level -> b.rcpLevel(level.stream().map(Scenario::policy).toList()));
            b.vpcEndpointPolicy(endpoint == null ? null : policy(endpoint), endpointKind);
            return b.build();
        }

        Decision decide() {
            return Evaluator.evaluate(input());
        }

        static Policy policy(List<String> statements) {
            return TestPolicies.statements(statements.toArray(new String[0]));
        }

        String statement(Random r, boolean withPrincipal, boolean allowOnly, boolean denyOnly) {
            String effect = allowOnly ? "Allow" : denyOnly ? "Deny" : r.nextInt(3) == 0 ? "Deny" : "Allow";
            StringBuilder b = new StringBuilder("{'Sid':'S" + sids++ + "','Effect':'" + effect + "',");
            if (withPrincipal) {
                b.append("'Principal':").append(pick(r, PRINCIPALS)).append(',');
            }
            b.append(r.nextInt(6) == 0 ? "'NotAction':" : "'Action':").append(pick(r, ACTION_PATTERNS)).append(',');
            b.append(r.nextInt(8) == 0 ? "'NotResource':" : "'Resource':").append(pick(r, RESOURCE_PATTERNS));
            String condition = pick(r, CONDITIONS);
            if (!condition.isEmpty()) {
                b.append(",'Condition':").append(condition);
            }
            return b.append('}').toString();
        }

        List<String> policyStatements(Random r, boolean withPrincipal, boolean denyOnly) {
            List<String> out = new ArrayList<>();
            int n = r.nextInt(4);
            for (int i = 0; i < n; i++) {
                out.add(statement(r, withPrincipal, false, denyOnly));
            }
            return out;
        }

        static Scenario generate(long seed, boolean denyOnly, boolean rootAllowed) {
            Random r = new Random(seed);
            Scenario s = new Scenario();
            do {
                s.caller = pick(r, CALLERS);
            } while (!rootAllowed && s.caller.endsWith(":root"));
            s.action = pick(r, ACTIONS);
            s.resource = pick(r, RESOURCES);
            s.context = pick(r, CONTEXTS);
            for (int i = r.nextInt(3); i > 0; i--) {
                s.identity.add(s.policyStatements(r, false, denyOnly));
            }
            s.resourcePolicy = r.nextBoolean() ? s.policyStatements(r, true, denyOnly) : null;
            s.boundary = r.nextInt(3) == 0 ? s.policyStatements(r, false, denyOnly) : null;
            s.session = r.nextInt(3) == 0 ? s.policyStatements(r, false, denyOnly) : null;
            for (int i = r.nextInt(3); i > 0; i--) {
                s.scps.add(List.of(s.policyStatements(r, false, denyOnly)));
            }
            for (int i = r.nextInt(2); i > 0; i--) {
                s.rcps.add(List.of(s.policyStatements(r, true, true)));
            }
            s.endpoint = r.nextBoolean() ? s.policyStatements(r, true, denyOnly) : null;
            s.endpointKind = pick(r, List.of(EndpointKind.values()));
            return s;
        }

        /** Every statement list, to edit in place. */
        List<List<String>> allPolicies() {
            List<List<String>> all = new ArrayList<>(identity);
            for (List<String> p : new ArrayList<>(java.util.Arrays.asList(resourcePolicy, boundary, session,
                    endpoint))) {
                if (p != null) {
                    all.add(p);
                }
            }
            scps.forEach(all::addAll);
            rcps.forEach(all::addAll);
            return all;
        }
    }

    static <T> T pick(Random r, List<T> from) {
        return from.get(r.nextInt(from.size()));
    }

    static final String DENY_EVERYTHING = "{'Sid':'Law','Effect':'Deny','Principal':'*','Action':'*','Resource':'*'}";

    @Property
    void explicitDenyInAnyApplicableLayer_wins(@ForAll long seed) {
        Scenario s = Scenario.generate(seed, false, true);
        Random r = new Random(~seed);
        boolean iam = Caller.parse(s.caller).isIamIdentity();
        List<Layer> layers = new ArrayList<>(List.of(Layer.RESOURCE, Layer.RCP));
        if (s.endpointKind != EndpointKind.CUSTOMER_ENDPOINT_SERVICE) {
            layers.add(Layer.VPC_ENDPOINT);
        }
        if (iam) {
            layers.addAll(List.of(Layer.IDENTITY, Layer.BOUNDARY, Layer.SESSION, Layer.SCP));
        }
        Layer layer = pick(r, layers);
        String identityDeny = DENY_EVERYTHING.replace("'Principal':'*',", "");
        switch (layer) {
            case RESOURCE -> s.resourcePolicy = add(s.resourcePolicy, DENY_EVERYTHING);
            case RCP -> s.rcps.add(List.of(new ArrayList<>(List.of(DENY_EVERYTHING))));
            case VPC_ENDPOINT -> s.endpoint = add(s.endpoint, DENY_EVERYTHING);
            case IDENTITY -> s.identity.add(new ArrayList<>(List.of(identityDeny)));
            case BOUNDARY -> s.boundary = add(s.boundary, identityDeny);
            case SESSION -> s.session = add(s.session, identityDeny);
            case SCP -> s.scps.add(List.of(new ArrayList<>(List.of(identityDeny))));
        }
        Decision d = s.decide();
        assertThat(d.outcome()).isEqualTo(Outcome.EXPLICITLY_DENIED);
        assertThat(d.blockedBy()).contains(layer);
        assertThat(d.statements()).anyMatch(ref -> ref.layer() == layer && "Law".equals(ref.sid()));
        assertThat(d.statements()).allMatch(ref -> ref.effect() == Effect.DENY);
    }

    private static List<String> add(List<String> policy, String statement) {
        List<String> out = policy == null ? new ArrayList<>() : policy;
        out.add(statement);
        return out;
    }

    @Property
    void withoutAnyAllowStatement_nothingIsAllowed(@ForAll long seed) {
        // The root user is excluded: it has full access in its own account without any policy.
        Scenario s = Scenario.generate(seed, true, false);
        Decision d = s.decide();
        assertThat(d.outcome()).isNotEqualTo(Outcome.ALLOWED);
        if (d.outcome() == Outcome.IMPLICITLY_DENIED) {
            assertThat(d.statements()).isEmpty();
            assertThat(d.blockedBy()).isNotEmpty();
        }
    }

    @Property
    void anAllowedDecision_citesAMatchingAllowAndNoBlocker(@ForAll long seed) {
        Scenario s = Scenario.generate(seed, false, false);
        Decision d = s.decide();
        if (d.outcome() == Outcome.ALLOWED) {
            assertThat(d.blockedBy()).isEmpty();
            assertThat(d.statements()).isNotEmpty().allMatch(ref -> ref.effect() == Effect.ALLOW);
        }
    }

    @Property
    void addingAnAllow_neverTurnsAnExplicitDenyIntoAnAllow(@ForAll long seed) {
        Scenario s = Scenario.generate(seed, false, true);
        Decision before = s.decide();
        if (before.outcome() != Outcome.EXPLICITLY_DENIED) {
            return;
        }
        Random r = new Random(~seed);
        Scenario more = s.copy();
        String allow = "{'Sid':'Extra','Effect':'Allow','Principal':'*','Action':'*','Resource':'*'}";
        String identityAllow = allow.replace("'Principal':'*',", "");
        switch (r.nextInt(5)) {
            case 0 -> more.resourcePolicy = add(more.resourcePolicy, allow);
            case 1 -> more.identity.add(new ArrayList<>(List.of(identityAllow)));
            case 2 -> more.endpoint = add(more.endpoint, allow);
            case 3 -> more.boundary = add(more.boundary, identityAllow);
            default -> more.session = add(more.session, identityAllow);
        }
        Decision after = more.decide();
        assertThat(after.outcome()).isEqualTo(Outcome.EXPLICITLY_DENIED);
        assertThat(after.statements()).isEqualTo(before.statements());
    }

    @Property
    void reorderingStatements_neverChangesTheDecision(@ForAll long seed) {
        Scenario s = Scenario.generate(seed, false, true);
        Decision before = s.decide();
        Scenario shuffled = s.copy();
        Random r = new Random(seed * 31 + 7);
        for (List<String> p : shuffled.allPolicies()) {
            Collections.shuffle(p, r);
        }
        Decision after = shuffled.decide();
        assertThat(after.outcome()).isEqualTo(before.outcome());
        assertThat(after.blockedBy()).isEqualTo(before.blockedBy());
        assertThat(cited(after)).isEqualTo(cited(before));
    }

    /** The cited statements by layer, policy and Sid (indices within a policy change with the order). */
    private static Set<String> cited(Decision d) {
        Set<String> out = new HashSet<>();
        d.statements().forEach(ref -> out.add(ref.layer() + "/" + ref.policy() + "/" + ref.sid()));
        return out;
    }
}
