package dev.underpass.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.underpass.aws.AwsResponse;
import dev.underpass.aws.JsonApi;
import dev.underpass.aws.QueryApi;
import dev.underpass.aws.RestJsonApi;
import dev.underpass.aws.auth.AuthErrors;
import dev.underpass.aws.auth.Authentication;
import dev.underpass.aws.auth.Authenticator;
import dev.underpass.aws.auth.HttpRequestView;
import dev.underpass.aws.ec2.Ec2Api;
import dev.underpass.aws.elbv2.Elbv2Api;
import dev.underpass.aws.sts.StsApi;
import dev.underpass.aws.wire.QueryParams;
import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * Decides what a request is: an underpass control call under {@code /_underpass/} (or moto's reset path), or an AWS
 * API call routed by the service of its SigV4 credential scope (then by the form's {@code Version}), and answers in
 * that service's format. Who the caller is, the {@link Authenticator} decides, for both.
 */
final class Router {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final UnderpassServer server;
    private final Authenticator authenticator;
    /** The control endpoints by path, health apart (it answers before the admin token is asked for). */
    private final Map<String, ControlEndpoint> controlEndpoints;

    /**
     * A control endpoint: the one method it takes (any other is answered 405 before it runs, {@code subject}
     * starting the message, as in "Trace takes GET") and what answers it, given the request and its signer (null
     * when unsigned).
     */
    private record ControlEndpoint(String method, String subject, String action,
            BiFunction<Request, Caller, CompletableFuture<Outcome>> answer) {}

    Router(UnderpassServer server) {
        this.server = server;
        ServerConfig config = server.config();
        this.authenticator = new Authenticator(server.store(), config.accessKeys(), config.accessKeySecrets(),
                config.defaultRegion());
        ControlEndpoint reset = new ControlEndpoint("POST", "Reset takes", "reset", this::reset);
        this.controlEndpoints = Map.of(
                "/_underpass/reset", reset,
                "/moto-api/reset", reset,
                "/_underpass/private-dns/verify", new ControlEndpoint("POST", "Verification takes",
                        PrivateLinkControl.VERIFY, (req, caller) -> PrivateLinkControl.verify(server.store(), req,
                                caller)),
                "/_underpass/events", new ControlEndpoint("GET", "The event log takes", "events",
                        (req, caller) -> done(PrivateLinkControl.events(server.store(), req, caller))),
                "/_underpass/trace", new ControlEndpoint("GET", "Trace takes", "trace",
                        (req, caller) -> done(TraceControl.trace(server, req, caller))),
                "/_underpass/addresses", new ControlEndpoint("GET", "Addresses take", "addresses",
                        (req, caller) -> done(DataPlaneControl.addresses(server, req, caller))),
                "/_underpass/flow-logs", new ControlEndpoint("GET", "Flow logs take", "flow-logs",
                        (req, caller) -> done(FlowLogControl.flowLogs(server, req, caller))),
                "/_underpass/decisions", new ControlEndpoint("GET", "Decisions take", "decisions",
                        (req, caller) -> done(ServiceControl.decisions(server, req, caller))));
    }

    /**
     * A parsed HTTP request. Header names are lower-case; params merge the query string and a form body. The raw
     * path and query (still percent-encoded) and the body bytes are what a signature is verified against.
     * {@code sourceIp} is the client's address ({@code aws:SourceIp}), or null.
     */
    record Request(String method, String path, Map<String, String> headers, Map<String, String> query,
            Map<String, String> params, String requestId, String rawPath, String rawQuery, byte[] body,
            String sourceIp) implements HttpRequestView {
        Request(String method, String path, Map<String, String> headers, Map<String, String> query,
                Map<String, String> params, String requestId) {
            this(method, path, headers, query, params, requestId, path, "", new byte[0], null);
        }
    }

    /** The response plus what the access log line needs. */
    record Outcome(AwsResponse response, String action, String account) {}

    CompletableFuture<Outcome> route(Request req) {
        if (ControlAccess.isControl(req.path())) {
            return controlRoute(req);
        }
        String action = req.params().getOrDefault("Action", JsonApi.action(req.headers().get("x-amz-target")));
        // DELETE and PUT are restJson (RAM) methods; the Query and awsJson services refuse them below.
        boolean queryMethod = req.method().equals("POST") || req.method().equals("GET");
        if (!queryMethod && !req.method().equals("DELETE") && !req.method().equals("PUT")) {
            AwsException e = ErrorCode.INVALID_ACTION.format("The HTTP method %s is not supported here.", req.method());
            return done(new Outcome(Ec2Api.error(e, req.requestId(), action), action, "-"));
        }
        String version = req.params().get("Version");
        Authentication auth = authenticator.authenticate(req, service -> authErrors(api(service, version)));
        QueryApi<?, ?> api = auth.service() == null ? null : api(auth.service(), version);
        if (auth instanceof Authentication.Refused refused) {
            return done(new Outcome(errorResponse(api, refused.error(), req.requestId(), action), action, "-"));
        }
        Caller caller = ((Authentication.Authenticated) auth).caller().withSourceIp(req.sourceIp());
        if (api == null) {
            AwsException unknown = ErrorCode.INVALID_ACTION.format(
                    "underpass does not serve the '%s' service (yet).", auth.service());
            return done(new Outcome(Ec2Api.error(unknown, req.requestId(), action), action, caller.accountId()));
        }
        if (api instanceof RestJsonApi<?, ?> rest) {
            String restAction = rest.actionFor(req.method(), req.path());
            return rest.handle(caller, req.requestId(), req.method(), req.path(), req.query(), req.headers(),
                    req.body()).thenApply(r -> new Outcome(r, restAction, caller.accountId()));
        }
        if (!queryMethod) {
            AwsException e = ErrorCode.INVALID_ACTION.format("The HTTP method %s is not supported here.", req.method());
            return done(new Outcome(api.errorResponse(e, req.requestId(), action), action, caller.accountId()));
        }
        QueryParams params;
        try {
            params = QueryParams.of(Authenticator.withoutPresigning(req.params()));
        } catch (AwsException e) {
            return done(new Outcome(api.errorResponse(e, req.requestId(), action), action, caller.accountId()));
        }
        return api.handle(caller, req.requestId(), params, req.headers(), req.body())
                .thenApply(r -> new Outcome(r, action, caller.accountId()));
    }

    /**
     * A control call. Health is open to all; every other control endpoint first needs the admin token when the
     * server has one ({@link ControlAccess}). A SigV4-signed call is then authenticated as an EC2 call is (so a
     * wrong signature or unknown temporary credentials answer {@code AuthFailure}, 401) and acts for its signer's
     * account only; an unsigned one acts for all accounts.
     */
    private CompletableFuture<Outcome> controlRoute(Request req) {
        String path = req.path();
        if (path.equals("/_underpass/health")) {
            return done(control(req));
        }
        Outcome refused = ControlAccess.refusal(server.config().adminToken(), req, "control");
        if (refused != null) {
            return done(refused);
        }
        Caller caller = null;
        if (Authenticator.signed(req)) {
            switch (authenticator.authenticate(req, service -> AuthErrors.EC2)) {
                case Authentication.Authenticated a -> caller = a.caller();
                case Authentication.Refused r -> {
                    AwsException e = r.error();
                    return done(json(e.status() >= 500 ? 500 : e.status(),
                            Map.of("error", e.code(), "message", e.getMessage()), "control"));
                }
            }
        }
        ControlEndpoint endpoint = controlEndpoints.get(path);
        CompletableFuture<Outcome> answer;
        if (endpoint == null) {
            answer = done(control(req));
        } else {
            Outcome wrongMethod = ControlAnswers.unlessMethod(req, endpoint.method(), endpoint.subject(),
                    endpoint.action());
            answer = wrongMethod != null ? done(wrongMethod) : endpoint.answer().apply(req, caller);
        }
        // The access log names the account a signed control call acted for.
        Caller signer = caller;
        return signer == null ? answer
                : answer.thenApply(o -> new Outcome(o.response(), o.action(), signer.accountId()));
    }

    /** The authentication errors of an API: EC2's for EC2 (and for a service underpass does not serve). */
    private AuthErrors authErrors(QueryApi<?, ?> api) {
        return api == null || api == server.ec2() ? AuthErrors.EC2 : AuthErrors.QUERY;
    }

    /** {@code e} in the envelope of {@code api}, or of EC2 when the request's API is not known. */
    private static AwsResponse errorResponse(QueryApi<?, ?> api, AwsException e, String requestId, String action) {
        return api == null ? Ec2Api.error(e, requestId, action) : api.errorResponse(e, requestId, action);
    }

    private static CompletableFuture<Outcome> done(Outcome outcome) {
        return CompletableFuture.completedFuture(outcome);
    }

    /** The API a request is for: by its credential scope's service, else by its form's {@code Version}. */
    private QueryApi<?, ?> api(String service, String version) {
        return switch (service) {
            case "ec2" -> server.ec2();
            case "elasticloadbalancing" -> server.elbv2();
            case "sts" -> server.sts();
            case "ssm" -> server.ssm();
            case "organizations" -> server.organizations();
            case "ram" -> server.ram();
            default -> {
                if (Ec2Api.VERSION.equals(version)) {
                    yield server.ec2();
                }
                if (Elbv2Api.VERSION.equals(version)) {
                    yield server.elbv2();
                }
                yield StsApi.VERSION.equals(version) ? server.sts() : null;
            }
        };
    }

    private Outcome control(Request req) {
        if (req.path().equals("/_underpass/health") && req.method().equals("GET")) {
            // Paths on the host are for the administrator only once the server has an admin token.
            boolean admin = ControlAccess.isAdmin(server.config().adminToken(), req);
            // Degraded (503) while the store's last commit failed, e.g. on a full disk; ok again after one succeeds.
            java.util.Optional<String> failure = server.store().failure();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", failure.isPresent() ? "degraded" : "ok");
            body.put("version", Version.get());
            if (admin) {
                body.put("dataDir", server.config().dataDir() == null ? null : server.config().dataDir().toString());
            }
            String store = admin ? server.store().describe() : server.store().describe().replaceFirst(":.*", "");
            body.put("store", store + failure.map(f -> ": " + f).orElse(""));
            body.put("resources", server.store().world().size());
            // "version" is the software's; this is the store's commit count (one more per committed batch).
            body.put("worldVersion", server.store().world().version());
            return json(failure.isPresent() ? 503 : 200, body, "health");
        }
        return json(404, Map.of("error", "NotFound", "message", "No underpass endpoint " + req.method() + " "
                + req.path()), "control");
    }

    /**
     * {@code POST /_underpass/reset[?account=123456789012]}: empties all state, or one account's, and answers once
     * that is durable. {@code POST /moto-api/reset} is the same call under the path that suites written for moto's
     * server mode use between tests. A signed call ({@code caller} not null) resets its signer's account only, and
     * is refused (403) if it names another.
     */
    private CompletableFuture<Outcome> reset(Request req, Caller caller) {
        String account = req.query().get("account");
        Outcome refused = ControlAnswers.unlessAccountAllowed(account, caller, "A signed reset empties", "reset");
        if (refused != null) {
            return CompletableFuture.completedFuture(refused);
        }
        String target = caller != null ? caller.accountId() : account;
        return server.store().reset(target).handle((removed, error) -> {
            if (error != null) {
                return json(500, Map.of("error", "InternalError", "message",
                        "The reset could not be stored; nothing was removed."), "reset");
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("reset", true);
            body.put("account", target);
            body.put("removed", removed);
            return json(200, body, "reset");
        });
    }

    static Outcome json(int status, Object body, String action) {
        try {
            byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
            return new Outcome(new AwsResponse(status, AwsResponse.JSON, bytes, null), action, "-");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
