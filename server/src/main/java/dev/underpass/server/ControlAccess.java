package dev.underpass.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Who may use the control endpoints ({@code /_underpass/*} and {@code /moto-api/reset}), which act on every account.
 *
 * <p>Two independent checks, because they answer different questions:
 *
 * <ul>
 *   <li>The <b>admin token</b> ({@link ServerConfig#adminToken()}) decides whether the caller may use the control
 *       endpoints at all. Without one the server only listens on loopback (see {@link ServerConfig}), and whoever can
 *       reach loopback is trusted as today. With one, every control endpoint but health needs it, as
 *       {@code Authorization: Bearer <token>} or {@code X-Underpass-Admin-Token: <token>}; the second leaves the
 *       {@code Authorization} header free for a SigV4 signature.
 *   <li>A <b>SigV4 signature</b> decides whose data the call may touch: a signed call acts for the signer's account
 *       only (its events, its services, its reset), so a test suite can use the control endpoints with the same
 *       credentials as the API without reaching into other accounts. An unsigned call acts for all accounts. The
 *       signature is checked by the same {@link dev.underpass.aws.auth.Authenticator} as an API call's.
 * </ul>
 *
 * <p>The token is compared through SHA-256 digests with {@link MessageDigest#isEqual}, so the time taken depends on
 * neither the token's length nor how many of its leading characters a guess got right.
 */
final class ControlAccess {
    /** The header that carries the admin token beside a SigV4 {@code Authorization} header. */
    static final String TOKEN_HEADER = "x-underpass-admin-token";
    private static final String BEARER = "bearer ";

    private ControlAccess() {}

    /** Whether {@code path} is a control endpoint rather than an AWS API call. */
    static boolean isControl(String path) {
        return path.startsWith("/_underpass/") || path.equals("/moto-api/reset");
    }

    /** The admin token the request presents (the dedicated header first, then a bearer token), or null. */
    static String presented(Router.Request req) {
        String header = req.headers().get(TOKEN_HEADER);
        if (header != null) {
            return header;
        }
        String auth = req.headers().get("authorization");
        if (auth != null && auth.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return auth.substring(BEARER.length()).strip();
        }
        return null;
    }

    /** Whether the request may see what only an administrator may: always when the server has no token. */
    static boolean isAdmin(String token, Router.Request req) {
        if (token == null) {
            return true;
        }
        String presented = presented(req);
        return presented != null && sameToken(token, presented);
    }

    /**
     * The answer that refuses the request for want of the admin token, or null when it may go on: {@code 401} when
     * it presents none, {@code 403} when it presents a wrong one.
     */
    static Router.Outcome refusal(String token, Router.Request req, String action) {
        if (token == null) {
            return null;
        }
        String presented = presented(req);
        if (presented == null) {
            return ControlAnswers.error(401, "AdminTokenRequired", "This underpass requires its admin token on control "
                    + "endpoints: send 'Authorization: Bearer <token>' or 'X-Underpass-Admin-Token: <token>'.", action);
        }
        if (!sameToken(token, presented)) {
            return ControlAnswers.error(403, "InvalidAdminToken",
                    "The admin token given is not this underpass's admin token.", action);
        }
        return null;
    }

    static boolean sameToken(String expected, String presented) {
        return MessageDigest.isEqual(sha256(expected), sha256(presented));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
