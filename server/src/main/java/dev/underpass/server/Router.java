package dev.underpass.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.underpass.aws.AwsResponse;
import dev.underpass.aws.JsonApi;
import dev.underpass.aws.QueryApi;
import dev.underpass.aws.SigV4;
import dev.underpass.aws.ec2.Ec2Api;
import dev.underpass.aws.elbv2.Elbv2Api;
import dev.underpass.aws.sts.StsApi;
import dev.underpass.aws.wire.QueryParams;
import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Regions;
import dev.underpass.model.sts.IssuedCredential;
import dev.underpass.model.sts.Sessions;
import dev.underpass.model.sts.StsError;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * Decides what a request is: an underpass control call under {@code /_underpass/} (or moto's reset path), or an AWS
 * API call routed by the service of its SigV4 credential scope (then by the form's {@code Version}), and answers in
 * that service's format.
 */
final class Router {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");
    private final UnderpassServer server;

    Router(UnderpassServer server) {
        this.server = server;
    }

    /**
     * A parsed HTTP request. Header names are lower-case; params merge the query string and a form body. The raw
     * path and query (still percent-encoded) and the body bytes are what a signature is verified against.
     */
    record Request(String method, String path, Map<String, String> headers, Map<String, String> query,
            Map<String, String> params, String requestId, String rawPath, String rawQuery, byte[] body) {
        Request(String method, String path, Map<String, String> headers, Map<String, String> query,
                Map<String, String> params, String requestId) {
            this(method, path, headers, query, params, requestId, path, "", new byte[0]);
        }
    }

    /** The response plus what the access log line needs. */
    record Outcome(AwsResponse response, String action, String account) {}

    CompletableFuture<Outcome> route(Request req) {
        if (req.path().equals("/_underpass/reset") || req.path().equals("/moto-api/reset")) {
            return reset(req);
        }
        if (req.path().equals("/_underpass/private-dns/verify")) {
            return PrivateLinkControl.verify(server.store(), req);
        }
        if (req.path().equals("/_underpass/events")) {
            return CompletableFuture.completedFuture(PrivateLinkControl.events(server.store(), req));
        }
        if (req.path().startsWith("/_underpass/")) {
            return CompletableFuture.completedFuture(control(req));
        }
        String action = req.params().getOrDefault("Action", JsonApi.action(req.headers().get("x-amz-target")));
        Caller caller;
        QueryApi<?, ?> api;
        String service;
        SigV4.Signature signature;
        SigV4.Credential credential;
        try {
            if (!req.method().equals("POST") && !req.method().equals("GET")) {
                throw ErrorCode.INVALID_ACTION.format("The HTTP method %s is not supported here.", req.method());
            }
            signature = SigV4.read(req.headers(), req.query());
            credential = signature.credential();
            region(credential);
            service = credential.service();
        } catch (AwsException e) {
            return CompletableFuture.completedFuture(
                    new Outcome(Ec2Api.error(e, req.requestId(), action), action, "-"));
        }
        api = api(service, req.params().get("Version"));
        try {
            boolean ec2 = api == null || api == server.ec2();
            SigV4.checkClock(signature, server.store().clock().instant());
            caller = caller(credential, req, ec2);
            verify(signature, req, ec2);
        } catch (AwsException e) {
            AwsResponse r = api == null ? Ec2Api.error(e, req.requestId(), action)
                    : api.errorResponse(e, req.requestId(), action);
            return CompletableFuture.completedFuture(new Outcome(r, action, "-"));
        }
        if (api == null) {
            AwsException unknown = ErrorCode.INVALID_ACTION.format(
                    "underpass does not serve the '%s' service (yet).", service);
            return CompletableFuture.completedFuture(
                    new Outcome(Ec2Api.error(unknown, req.requestId(), action), action, caller.accountId()));
        }
        QueryParams params;
        try {
            params = QueryParams.of(withoutPresigning(req.params()));
        } catch (AwsException e) {
            return CompletableFuture.completedFuture(
                    new Outcome(api.errorResponse(e, req.requestId(), action), action, caller.accountId()));
        }
        return api.handle(caller, req.requestId(), params, req.headers(), req.body())
                .thenApply(r -> new Outcome(r, action, caller.accountId()));
    }

    /**
     * The region a request acts in: its credential scope's, or {@code --region} for the scopes of global endpoints
     * ({@code aws-global}, {@code global}), which name no region of their own. Anything else that is not a commercial
     * region is refused as AWS refuses a scope it does not serve.
     */
    private String region(SigV4.Credential credential) {
        String region = credential.region();
        if (Regions.exists(region)) {
            return region;
        }
        if (region.equals("aws-global") || region.equals("global")) {
            return server.config().defaultRegion();
        }
        throw new AwsException(ErrorCode.AUTH_FAILURE.wire(), 401,
                "The credential scope names the region '" + region + "', which is not an AWS commercial region.");
    }

    /**
     * Who signed the request. A static access key ({@code --access-key}) acts as its IAM principal; a 12-digit key
     * as that account's root user; an {@code ASIA...} key must be temporary credentials that underpass issued, with
     * their session token when the request carries one, and not expired; any other key is the root user of
     * {@link SigV4#DEFAULT_ACCOUNT}. Unknown or expired temporary credentials get the service's authentication
     * error: EC2's {@code AuthFailure} (401) or {@code RequestExpired}, the Query services'
     * {@code InvalidClientTokenId} (403) or {@code ExpiredToken}.
     */
    private Caller caller(SigV4.Credential credential, Request req, boolean ec2) {
        String key = credential.accessKeyId();
        String region = region(credential);
        String staticArn = server.config().accessKeys().get(key);
        if (staticArn != null) {
            return new Caller(ServerConfig.accountOf(staticArn), region, staticArn);
        }
        if (ACCOUNT_ID.matcher(key).matches() || !Sessions.temporaryKey(key)) {
            return Caller.of(credential.accountId(), region);
        }
        String token = req.headers().get("x-amz-security-token");
        if (token == null) {
            token = req.query().get("X-Amz-Security-Token");
        }
        Sessions.Authentication auth = Sessions.authenticate(server.store().world(), key, token,
                server.store().clock().instant());
        if (auth.problem() == Sessions.Problem.EXPIRED) {
            throw ec2 ? new AwsException(ErrorCode.REQUEST_EXPIRED, "Request has expired.")
                    : StsError.EXPIRED_TOKEN.with("The security token included in the request is expired");
        }
        if (auth.problem() != null) {
            throw ec2 ? new AwsException(ErrorCode.AUTH_FAILURE, "AWS was not able to validate the provided access "
                    + "credentials")
                    : StsError.INVALID_CLIENT_TOKEN_ID.with("The security token included in the request is invalid.");
        }
        IssuedCredential c = auth.credential();
        return new Caller(c.ownerId(), region, c.principalArn(), c.id());
    }

    /**
     * Checks the signature when underpass knows the signer's secret: a static key given with one, or temporary
     * credentials issued since underpass keeps their secret. Other keys are accepted with any signature. A mismatch
     * answers EC2's {@code AuthFailure} (401), as EC2 does for a wrong secret, or the Query services'
     * {@code SignatureDoesNotMatch} (403).
     */
    private void verify(SigV4.Signature signature, Request req, boolean ec2) {
        String key = signature.credential().accessKeyId();
        String secret;
        if (server.config().accessKeys().containsKey(key)) {
            secret = server.config().accessKeySecrets().get(key);
        } else if (Sessions.temporaryKey(key) && !ACCOUNT_ID.matcher(key).matches()) {
            secret = server.store().world().find(IssuedCredential.class, key)
                    .map(IssuedCredential::secretAccessKey).orElse(null);
        } else {
            secret = null;
        }
        if (secret == null) {
            return;
        }
        SigV4.Mismatch mismatch = SigV4.verify(signature,
                new SigV4.HttpParts(req.method(), req.rawPath(), req.rawQuery(), req.headers(), req.body()), secret);
        if (mismatch == null) {
            return;
        }
        if (ec2) {
            throw new AwsException(ErrorCode.AUTH_FAILURE, "AWS was not able to validate the provided access "
                    + "credentials");
        }
        throw StsError.SIGNATURE_DOES_NOT_MATCH.with(mismatch == SigV4.Mismatch.PAYLOAD_HASH
                ? "The provided 'x-amz-content-sha256' header does not match what was computed."
                : "The request signature we calculated does not match the signature you provided. Check your AWS "
                        + "Secret Access Key and signing method. Consult the service documentation for details.");
    }

    /** The parameters of a presigned request that are its signature, not the call's input. */
    private static final java.util.Set<String> PRESIGNING = java.util.Set.of("X-Amz-Algorithm", "X-Amz-Credential",
            "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token");

    private static Map<String, String> withoutPresigning(Map<String, String> params) {
        if (!params.containsKey("X-Amz-Credential")) {
            return params;
        }
        Map<String, String> out = new LinkedHashMap<>(params);
        out.keySet().removeAll(PRESIGNING);
        return out;
    }

    /** The API a request is for: by its credential scope's service, else by its form's {@code Version}. */
    private QueryApi<?, ?> api(String service, String version) {
        return switch (service) {
            case "ec2" -> server.ec2();
            case "elasticloadbalancing" -> server.elbv2();
            case "sts" -> server.sts();
            case "ssm" -> server.ssm();
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
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "ok");
            body.put("version", Version.get());
            body.put("dataDir", server.config().dataDir() == null ? null : server.config().dataDir().toString());
            body.put("store", server.store().describe());
            body.put("resources", server.store().world().size());
            return json(200, body, "health");
        }
        return json(404, Map.of("error", "NotFound", "message", "No underpass endpoint " + req.method() + " "
                + req.path()), "control");
    }

    /**
     * {@code POST /_underpass/reset[?account=123456789012]}: empties all state, or one account's, and answers once
     * that is durable. {@code POST /moto-api/reset} is the same call under the path that suites written for moto's
     * server mode use between tests.
     */
    private CompletableFuture<Outcome> reset(Request req) {
        if (!req.method().equals("POST")) {
            return CompletableFuture.completedFuture(json(405, Map.of("error", "MethodNotAllowed", "message",
                    "Reset takes POST, not " + req.method() + "."), "reset"));
        }
        String account = req.query().get("account");
        if (account != null && !ACCOUNT_ID.matcher(account).matches()) {
            return CompletableFuture.completedFuture(json(400, Map.of("error", "InvalidParameterValue", "message",
                    "The account '" + account + "' is not a 12-digit AWS account id."), "reset"));
        }
        return server.store().reset(account).handle((removed, error) -> {
            if (error != null) {
                return json(500, Map.of("error", "InternalError", "message",
                        "The reset could not be stored; nothing was removed."), "reset");
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("reset", true);
            body.put("account", account);
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
