package dev.underpass.server;

import dev.underpass.dataplane.service.DecisionLog;
import dev.underpass.dataplane.service.RequestPolicies;
import dev.underpass.dataplane.service.ServiceEndpoints;
import dev.underpass.model.AsciiDigits;
import dev.underpass.model.Caller;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code GET /_underpass/decisions[?endpoint=vpce-…|internet&principal=ARN&action=s3:GetObject&decision=Allowed|
 * ImplicitlyDenied|ExplicitlyDenied|Dropped|denied&source=i-…&limit=N]}: the access decisions of the service
 * endpoints (docs/service-endpoints.md), oldest first, at most {@code limit} (default 100, at most the log's
 * 10,000) of the newest that match. Each policy decision carries {@code input}: the document
 * {@code underpass policy evaluate} takes, so that any decision can be asked again offline. A signed call sees the
 * decisions on its own account's requests only.
 */
final class ServiceControl {
    private ServiceControl() {}

    static Router.Outcome decisions(UnderpassServer server, Router.Request req, Caller caller) {
        ServiceEndpoints se = server.serviceEndpoints();
        Map<String, String> q = req.query();
        int limit = AsciiDigits.parseUnsigned(q.getOrDefault("limit", "100"), DecisionLog.CAPACITY);
        if (limit < 1 || limit > DecisionLog.CAPACITY) {
            return ControlAnswers.invalid("limit must be a number from 1 to " + DecisionLog.CAPACITY + ".",
                    "decisions");
        }
        Predicate<DecisionLog.Entry> filter = e -> caller == null || (e.principal() != null
                && e.principal().contains(":" + caller.accountId() + ":"));
        filter = filter.and(eq(q.get("endpoint"), e -> e.endpoint() == null ? "internet" : e.endpoint()));
        filter = filter.and(eq(q.get("principal"), DecisionLog.Entry::principal));
        filter = filter.and(eq(q.get("action"), DecisionLog.Entry::action));
        filter = filter.and(eq(q.get("source"), DecisionLog.Entry::source));
        String decision = q.get("decision");
        if ("denied".equals(decision)) {
            filter = filter.and(e -> !e.decision().equals("Allowed"));
        } else {
            filter = filter.and(eq(decision, DecisionLog.Entry::decision));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (DecisionLog.Entry e : se == null ? List.<DecisionLog.Entry>of() : se.decisions().find(filter, limit)) {
            out.add(render(e));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("serviceEndpoints", se == null ? "off" : "on");
        body.put("decisions", out);
        return Router.json(200, body, "decisions");
    }

    private static Predicate<DecisionLog.Entry> eq(String wanted,
            java.util.function.Function<DecisionLog.Entry, String> field) {
        return wanted == null ? e -> true : e -> wanted.equals(field.apply(e));
    }

    static Map<String, Object> render(DecisionLog.Entry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sequence", e.sequence());
        m.put("time", e.time().toString());
        m.put("requestId", e.requestId());
        m.put("service", e.service());
        m.put("path", e.path());
        m.put("endpoint", e.endpoint());
        m.put("vpc", e.vpc());
        m.put("source", e.source());
        m.put("principal", e.principal());
        m.put("action", e.action());
        m.put("resource", e.resource());
        m.put("decision", e.decision());
        m.put("blocking", e.blocking());
        RequestPolicies.Verdict v = e.verdict();
        if (v != null) {
            if (v.message() != null) {
                m.put("message", v.message());
            }
            m.put("input", input(v));
        }
        return m;
    }

    /** The decision's question as {@code underpass policy evaluate} reads it (policies as their JSON text). */
    static Map<String, Object> input(RequestPolicies.Verdict v) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("principal", v.principal());
        request.put("action", v.action());
        request.put("resource", v.resource());
        String account = accountOf(v.principal());
        if (account != null) {
            request.put("resourceAccount", account);
        }
        request.put("context", new java.util.TreeMap<>(v.context()));
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("request", request);
        in.put("identityPolicies", List.of(RequestPolicies.ASSUMED_IDENTITY_POLICY));
        if (v.resourcePolicy() != null) {
            in.put("resourcePolicy", v.resourcePolicy());
        }
        if (!v.scps().isEmpty()) {
            in.put("serviceControlPolicies", v.scps());
        }
        if (!v.rcps().isEmpty()) {
            in.put("resourceControlPolicies", v.rcps());
        }
        if (v.endpointPolicy() != null) {
            in.put("vpcEndpointPolicy", v.endpointPolicy());
            in.put("vpcEndpointKind", v.endpointKind().wireName());
        }
        return in;
    }

    private static String accountOf(String arn) {
        String[] parts = arn == null ? new String[0] : arn.split(":");
        return parts.length > 4 && parts[4].matches("\\d{12}") ? parts[4] : null;
    }
}
