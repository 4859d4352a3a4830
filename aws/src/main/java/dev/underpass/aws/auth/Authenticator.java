package dev.underpass.aws.auth;

import dev.underpass.aws.SigV4;
import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Regions;
import dev.underpass.model.sts.IssuedCredential;
import dev.underpass.model.sts.Principal;
import dev.underpass.model.sts.Sessions;
import dev.underpass.store.Store;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns an HTTP request into the {@link Caller} it acts as, in one call: reads the SigV4 signature (header or
 * presigned query), accepts its credential scope's region, checks the clock, recognises the access key and checks the
 * signature where underpass knows the secret. API calls and signed control calls go through the same steps.
 *
 * <p>Who a key is:
 *
 * <ul>
 *   <li>a static access key ({@code --access-key}) acts as its IAM principal, and its signature is verified when it
 *       was given with its secret;
 *   <li>a 12-digit key acts as that account's root user, any other key that is not {@code ASIA...} as the root user
 *       of {@link SigV4#DEFAULT_ACCOUNT}; both are accepted with any signature, since underpass knows no secret for
 *       them (this is what lets any SDK client with made-up credentials talk to it);
 *   <li>an {@code ASIA...} key must be temporary credentials that underpass's STS issued, not expired, with their
 *       session token when the request carries one; their signature is always verified, since the secret is kept.
 * </ul>
 *
 * <p>The steps run in a fixed order and the first failure decides the answer: signature syntax, region, clock,
 * credentials, signature. Failures before the credential scope is accepted are the same for every service; later
 * ones take the code and status of the service the request is for ({@link AuthErrors}), which the caller of
 * {@link #authenticate} chooses from the scope's service, since it alone knows which API serves it.
 */
public final class Authenticator {
    private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");
    /** The parameters of a presigned request that are its signature, not the call's input. */
    private static final Set<String> PRESIGNING = Set.of("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date",
            "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token");

    private final Store store;
    private final Map<String, StaticKey> staticKeys;
    private final String defaultRegion;

    /** A static access key: the principal it acts as and its secret (null when not given). */
    private record StaticKey(Principal principal, String secret) {}

    /**
     * @param store where issued temporary credentials are looked up, and whose clock signatures are checked against
     * @param accessKeys static access key id to the principal ARN it acts as (an IAM user or an account root)
     * @param secrets static access key id to its secret, for the keys given with one
     * @param defaultRegion the region of requests scoped to a global endpoint ({@code aws-global}, {@code global})
     * @throws IllegalArgumentException when a principal ARN is not an IAM user or account root ARN
     */
    public Authenticator(Store store, Map<String, String> accessKeys, Map<String, String> secrets,
            String defaultRegion) {
        this.store = store;
        this.defaultRegion = defaultRegion;
        Map<String, StaticKey> keys = new LinkedHashMap<>();
        accessKeys.forEach((id, arn) -> {
            Principal p = Principal.parse(arn).filter(x -> x instanceof Principal.User || x instanceof Principal.Root)
                    .orElseThrow(() -> new IllegalArgumentException("the access key " + id
                            + " must map to an IAM user ARN or an account root ARN, got '" + arn + "'"));
            keys.put(id, new StaticKey(p, secrets.get(id)));
        });
        this.staticKeys = Collections.unmodifiableMap(keys);
    }

    /**
     * Who signed {@code req}, or the error that refuses it.
     *
     * @param errorsOf the authentication errors of the service a credential scope's service name routes to
     */
    public Authentication authenticate(HttpRequestView req, Function<String, AuthErrors> errorsOf) {
        SigV4.Signature signature;
        String region;
        try {
            signature = SigV4.read(req.headers(), req.query());
            region = region(signature.credential());
        } catch (AwsException e) {
            return new Authentication.Refused(e, null);
        }
        String service = signature.credential().service();
        AuthErrors errors = errorsOf.apply(service);
        try {
            errors.checkClock(signature, store.clock().instant());
            return new Authentication.Authenticated(caller(signature, region, req, errors), service);
        } catch (AwsException e) {
            return new Authentication.Refused(e, service);
        }
    }

    /**
     * Whether {@code req} carries a SigV4 signature (an {@code AWS4-} {@code Authorization} header or presigning
     * query parameters). A control call that does is authenticated and scoped to its signer; one that tried to sign
     * and failed is refused, never treated as unsigned.
     */
    public static boolean signed(HttpRequestView req) {
        String auth = req.headers().get("authorization");
        if (auth != null && auth.toUpperCase(Locale.ROOT).startsWith("AWS4-")) {
            return true;
        }
        return req.query().containsKey("X-Amz-Credential") || req.query().containsKey("X-Amz-Signature")
                || req.query().containsKey("X-Amz-Algorithm");
    }

    /** A request's parameters without those that are its presigned signature rather than the call's input. */
    public static Map<String, String> withoutPresigning(Map<String, String> params) {
        if (!params.containsKey("X-Amz-Credential")) {
            return params;
        }
        Map<String, String> out = new LinkedHashMap<>(params);
        out.keySet().removeAll(PRESIGNING);
        return out;
    }

    /**
     * The region a request acts in: its credential scope's, or the default region for the scopes of global
     * endpoints ({@code aws-global}, {@code global}), which name no region of their own. Anything else that is not a
     * commercial region is refused as AWS refuses a scope it does not serve.
     */
    private String region(SigV4.Credential credential) {
        String region = credential.region();
        if (Regions.exists(region)) {
            return region;
        }
        if (region.equals("aws-global") || region.equals("global")) {
            return defaultRegion;
        }
        throw new AwsException(ErrorCode.AUTH_FAILURE.wire(), 401,
                "The credential scope names the region '" + region + "', which is not an AWS commercial region.");
    }

    /** The caller a key acts as, once its signature is checked where the secret is known (see the class comment). */
    private Caller caller(SigV4.Signature signature, String region, HttpRequestView req, AuthErrors errors) {
        SigV4.Credential credential = signature.credential();
        String key = credential.accessKeyId();
        StaticKey staticKey = staticKeys.get(key);
        if (staticKey != null) {
            verify(signature, req, staticKey.secret(), errors);
            return new Caller(staticKey.principal().account(), region, staticKey.principal().arn());
        }
        if (ACCOUNT_ID.matcher(key).matches() || !Sessions.temporaryKey(key)) {
            return Caller.of(credential.accountId(), region);
        }
        String token = req.headers().get("x-amz-security-token");
        if (token == null) {
            token = req.query().get("X-Amz-Security-Token");
        }
        Sessions.Authentication auth = Sessions.authenticate(store.world(), key, token, store.clock().instant());
        if (auth.problem() == Sessions.Problem.EXPIRED) {
            throw errors.expiredCredentials();
        }
        if (auth.problem() != null) {
            throw errors.unknownCredentials();
        }
        IssuedCredential c = auth.credential();
        verify(signature, req, c.secretAccessKey(), errors);
        return new Caller(c.ownerId(), region, c.principalArn(), c.id());
    }

    /**
     * The caller an access key acts as, without checking a signature: for the data plane's service proxies, which
     * forward the request to an upstream that checks it. Empty for temporary credentials that are unknown, expired or
     * presented without their token.
     */
    public java.util.Optional<Caller> identify(String accessKeyId, String sessionToken, String region) {
        String r = region == null || !Regions.exists(region) ? defaultRegion : region;
        StaticKey staticKey = staticKeys.get(accessKeyId);
        if (staticKey != null) {
            return java.util.Optional.of(new Caller(staticKey.principal().account(), r, staticKey.principal().arn()));
        }
        if (ACCOUNT_ID.matcher(accessKeyId).matches() || !Sessions.temporaryKey(accessKeyId)) {
            return java.util.Optional.of(Caller.of(new SigV4.Credential(accessKeyId, null, r, "s3").accountId(), r));
        }
        Sessions.Authentication auth = Sessions.authenticate(store.world(), accessKeyId, sessionToken,
                store.clock().instant());
        if (auth.problem() != null) {
            return java.util.Optional.empty();
        }
        IssuedCredential c = auth.credential();
        return java.util.Optional.of(new Caller(c.ownerId(), r, c.principalArn(), c.id()));
    }

    /** Recomputes the signature with {@code secret}; a null secret (one underpass does not know) accepts any. */
    private static void verify(SigV4.Signature signature, HttpRequestView req, String secret, AuthErrors errors) {
        if (secret == null) {
            return;
        }
        SigV4.Mismatch mismatch = SigV4.verify(signature,
                new SigV4.HttpParts(req.method(), req.rawPath(), req.rawQuery(), req.headers(), req.body()), secret);
        if (mismatch != null) {
            throw errors.signatureMismatch(mismatch);
        }
    }
}
