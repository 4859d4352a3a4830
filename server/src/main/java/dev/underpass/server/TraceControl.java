package dev.underpass.server;

import dev.underpass.model.AwsNamed;
import dev.underpass.model.AsciiDigits;
import dev.underpass.model.Caller;
import dev.underpass.model.Resource;
import dev.underpass.model.Index;
import dev.underpass.model.World;
import dev.underpass.model.ec2.NetworkInterface;
import dev.underpass.reach.Analysis;
import dev.underpass.reach.Analyzer;
import dev.underpass.reach.Blocker;
import dev.underpass.reach.Hop;
import dev.underpass.reach.PolicyQuestion;
import dev.underpass.reach.Query;
import dev.underpass.reach.Reachers;
import dev.underpass.reach.Timing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /_underpass/trace?from=…&to=…&port=…[&protocol=tcp|udp][&account=…][&region=…]}: one run of the
 * reachability analyzer over the current snapshot, as JSON (schema in docs/trace.md). 200 with
 * {@code "reachable": true|false} for every well-formed question, including one naming resources that do not exist
 * (that is the {@code NO_SOURCE_OR_DESTINATION} blocker); 400 for a malformed one.
 *
 * <p>Whose source: a signed call traces from its signer's account and region only (naming another account is
 * refused, 403). An unsigned call (loopback or admin token, see {@link ControlAccess}) names the account, or leaves
 * it to the source: an id's owner and region. The destination may be another account's (an endpoint service's NLB
 * and targets are the provider's), as AWS's Reachability Analyzer follows a path across the accounts of an
 * organization.
 *
 * <p>With {@code principal}, {@code action} and {@code resource} (and optionally {@code identityPolicy},
 * {@code resourcePolicy} as JSON) the analysis also evaluates the policies on the path ({@link PolicyQuestion}).
 *
 * <p>{@code from} and {@code to} may be DNS names the data plane's DNS answers ({@link TraceNames}): the JSON's
 * {@code query} keeps the names and {@code resolved} says what they stood for.
 *
 * <p>{@code GET /_underpass/trace?sources=all&to=…&port=…}: "who can reach it" ({@link Reachers}).
 */
final class TraceControl {
    private TraceControl() {}

    static Router.Outcome trace(UnderpassServer server, Router.Request req, Caller caller) {
        Map<String, String> p = req.query();
        if (p.containsKey("sources")) {
            return sources(server, p, caller);
        }
        String from = p.get("from");
        String to = p.get("to");
        Scope scope = scope(p, caller, from != null && to != null, "A trace needs from, to and port.");
        if (scope.refusal() != null) {
            return scope.refusal();
        }
        int port = scope.port();
        String account = scope.account();
        String region = p.get("region");
        World world = server.store().world();
        // Names (an instance's private or resource name, a load balancer's) are resolved as DNS would answer them.
        String askedFrom = from;
        String askedTo = to;
        TraceNames names = TraceNames.isName(from) || TraceNames.isName(to)
                ? TraceNames.of(world, server.dataPlane()) : null;
        if (TraceNames.isName(from)) {
            List<String> enis = names.sourceInterfaces(from, caller != null ? caller.accountId() : account);
            if (enis.size() > 1) {
                return bad("The name '" + from + "' stands for " + enis.size() + " interfaces (" + String.join(", ",
                        enis) + "): give one of them, or --account.");
            }
            if (enis.size() == 1) {
                from = enis.get(0);
            }
        }
        if (caller != null) {
            region = region == null ? caller.region() : region;
        } else if (account == null || region == null) {
            Resource source = world.findAny(from).orElse(null);
            if (account == null) {
                account = source == null ? "000000000000" : source.ownerId();
            }
            if (region == null) {
                region = source == null ? server.config().defaultRegion() : source.region();
            }
        }
        if (TraceNames.isName(to)) {
            String resolved = names.destination(to, from, account, region);
            if (resolved != null) {
                to = resolved;
            }
        }
        Query query;
        try {
            PolicyQuestion policy = null;
            if (p.containsKey("principal") || p.containsKey("action") || p.containsKey("resource")) {
                policy = new PolicyQuestion(p.get("principal"), p.get("action"), p.get("resource"),
                        p.get("identityPolicy"), resourcePolicy(server, p));
            }
            query = new Query(account, region, from, to, p.get("protocol"), port, policy);
        } catch (IllegalArgumentException e) {
            return bad(e.getMessage());
        }
        Timing timing = new Timing(server.store().clock().instant(), server.config().ec2().instanceTransition(),
                Duration.ZERO);
        Analysis a = Analyzer.analyze(world, query, timing);
        Map<String, Object> body = toJson(a);
        if (!askedFrom.equals(from) || !askedTo.equals(to)) {
            // The question as asked, and what its names stood for.
            @SuppressWarnings("unchecked")
            Map<String, Object> q = (Map<String, Object>) body.get("query");
            Map<String, Object> resolved = new LinkedHashMap<>();
            if (!askedFrom.equals(from)) {
                q.put("from", askedFrom);
                resolved.put("from", from);
            }
            if (!askedTo.equals(to)) {
                q.put("to", askedTo);
                resolved.put("to", to);
            }
            body.put("resolved", resolved);
        }
        Router.Outcome out = Router.json(200, body, "trace");
        return new Router.Outcome(out.response(), "trace", account);
    }

    /**
     * The resource policy of the question: the one given, else, for an S3 resource, the bucket policy the service
     * endpoints enforce ({@code serve --resource-policy s3:BUCKET=FILE}), so that a trace decides as a real request.
     */
    private static String resourcePolicy(UnderpassServer server, Map<String, String> p) {
        String given = p.get("resourcePolicy");
        String resource = p.get("resource");
        var services = server.serviceEndpoints();
        if (given != null || resource == null || services == null || !resource.startsWith("arn:aws:s3:::")) {
            return given;
        }
        String rest = resource.substring("arn:aws:s3:::".length());
        int slash = rest.indexOf('/');
        return services.bucketPolicy(slash < 0 ? rest : rest.substring(0, slash)).orElse(null);
    }

    /**
     * {@code sources=all}: every interface in the region that can reach {@code to}, and the rest counted by blocker.
     * The candidates are the signer's interfaces (signed), the named {@code account}'s, or every account's.
     */
    private static Router.Outcome sources(UnderpassServer server, Map<String, String> p, Caller caller) {
        if (!"all".equals(p.get("sources"))) {
            return bad("sources takes the value all, not '" + p.get("sources") + "'");
        }
        String to = p.get("to");
        Scope scope = scope(p, caller, to != null, "A sources=all trace needs to and port.");
        if (scope.refusal() != null) {
            return scope.refusal();
        }
        int port = scope.port();
        String account = scope.account();
        String region = p.get("region") != null ? p.get("region")
                : caller != null ? caller.region() : server.config().defaultRegion();
        World world = server.store().world();
        Timing timing = new Timing(server.store().clock().instant(), server.config().ec2().instanceTransition(),
                Duration.ZERO);
        String only = account;
        Reachers r;
        try {
            new Query("000000000000", region, "eni-x", to, p.get("protocol"), port);
            r = Reachers.of(world, only == null ? world.all(NetworkInterface.class)
                    : Index.owned(world, NetworkInterface.class, only, region),
                    eni -> only == null || eni.ownerId().equals(only), region, to, p.get("protocol"), port, timing);
        } catch (IllegalArgumentException e) {
            return bad(e.getMessage());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("to", r.destination());
        body.put("protocol", r.protocol());
        body.put("port", r.port());
        body.put("region", region);
        body.put("account", only);
        body.put("analyzed", r.analyzed());
        List<Map<String, Object>> ok = new ArrayList<>();
        for (Reachers.Source s : r.reachable()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("networkInterface", s.networkInterfaceId());
            m.put("instance", s.instanceId());
            m.put("account", s.accountId());
            m.put("vpc", s.vpcId());
            ok.add(m);
        }
        body.put("reachable", ok);
        body.put("blocked", r.blocked());
        body.put("blockedBy", new java.util.TreeMap<>(r.blockedBy()));
        return Router.json(200, body, "trace");
    }

    /** The port and the account both kinds of trace run for, or the answer that refuses them ({@code refusal}). */
    private record Scope(int port, String account, Router.Outcome refusal) {
        static Scope refused(Router.Outcome refusal) {
            return new Scope(0, null, refusal);
        }
    }

    /**
     * Checks the parameters: the trace's own ones present ({@code present}, else MissingParameter with
     * {@code missing}) and {@code port}, then the {@code port} and {@code account}: a signed trace runs in the
     * signer's account, which an {@code account} parameter may only repeat.
     */
    private static Scope scope(Map<String, String> p, Caller caller, boolean present, String missing) {
        String portText = p.get("port");
        if (!present || portText == null) {
            return Scope.refused(ControlAnswers.missing(missing, "trace"));
        }
        int port = AsciiDigits.parseUnsigned(portText, 65_535); // No sign, no other script's digits.
        if (port < 0) {
            return Scope.refused(bad("port must be a number 0-65535, not '" + portText + "'"));
        }
        String account = p.get("account");
        Router.Outcome refused = ControlAnswers.unlessAccountAllowed(account, caller, "A signed trace starts in",
                "trace");
        if (refused != null) {
            return Scope.refused(refused);
        }
        return new Scope(port, caller != null ? caller.accountId() : account, null);
    }

    private static Router.Outcome bad(String message) {
        return ControlAnswers.invalid(message, "trace");
    }

    /** The stable JSON shape of an analysis (docs/trace.md). */
    static Map<String, Object> toJson(Analysis a) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reachable", a.reachable());
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("account", a.query().accountId());
        query.put("region", a.query().region());
        query.put("from", a.query().source());
        query.put("to", a.query().destination());
        query.put("protocol", a.query().protocol());
        query.put("port", a.query().port());
        if (a.query().policy() != null) {
            query.put("principal", a.query().policy().principal());
            query.put("action", a.query().policy().action());
            query.put("resource", a.query().policy().resource());
        }
        body.put("query", query);
        body.put("source", a.sourceId());
        body.put("forward", hops(a.forward()));
        body.put("return", hops(a.returnPath()));
        List<Map<String, Object>> blockers = new ArrayList<>();
        for (Blocker b : a.blockers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("code", b.code());
            m.put("component", b.component());
            m.put("direction", AwsNamed.wireOf(b.direction()));
            m.put("path", b.path().toString());
            m.put("message", b.message());
            m.put("fix", b.fix());
            blockers.add(m);
        }
        body.put("blockers", blockers);
        if (a.policy() != null) {
            Map<String, Object> policy = new LinkedHashMap<>();
            policy.put("decision", a.policy().decision());
            policy.put("blocking", a.policy().blocking());
            policy.put("endpoint", a.policy().endpoint());
            body.put("policy", policy);
        }
        return body;
    }

    private static List<Map<String, Object>> hops(List<Hop> hops) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Hop h : hops) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sequence", h.sequence());
            m.put("component", h.component());
            m.put("type", h.type().toString());
            m.put("check", h.check());
            m.put("matched", h.matched());
            out.add(m);
        }
        return out;
    }
}
