package dev.underpass.model.sts;

import dev.underpass.model.Ids;
import dev.underpass.model.Index;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Issuing temporary credentials and recognising them on later requests. A credential record stays after it expires
 * (so that its use answers "expired" rather than "unknown") for {@link #KEPT_AFTER_EXPIRY}; after that the next
 * issuing call removes it.
 */
public final class Sessions {
    /** How long an expired credential is kept so that its use is reported as expired. */
    public static final Duration KEPT_AFTER_EXPIRY = Duration.ofDays(1);
    private static final RandomGenerator RANDOM = Ids.generator(); // The current transaction's source.
    private static final String KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String SECRET_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final int TOKEN_BYTES = 360;

    private Sessions() {}

    /**
     * Credentials as handed to the caller: the secret is also stored (to verify signatures), the token only as its
     * hash.
     */
    public record Issued(IssuedCredential record, String secretAccessKey, String sessionToken) {}

    /** What a request signed with an {@code ASIA...} key turns out to be. */
    public enum Problem {
        UNKNOWN, WRONG_TOKEN, EXPIRED
    }

    /** The credential a request is signed with, or why it cannot act. Exactly one of the two is set. */
    public record Authentication(IssuedCredential credential, Problem problem) {}

    /** Whether an access key id has the shape of temporary credentials. */
    public static boolean temporaryKey(String accessKeyId) {
        return accessKeyId.startsWith("ASIA");
    }

    /**
     * Recognises temporary credentials: the key must be known, the token (when the request carries one) must be
     * the one issued with it, and it must not have expired.
     */
    public static Authentication authenticate(World world, String accessKeyId, String securityToken, Instant now) {
        IssuedCredential c = world.find(IssuedCredential.class, accessKeyId).orElse(null);
        if (c == null) {
            return new Authentication(null, Problem.UNKNOWN);
        }
        if (securityToken != null && !Principals.tokenHash(securityToken).equals(c.tokenSha256())) {
            return new Authentication(null, Problem.WRONG_TOKEN);
        }
        if (!now.isBefore(c.expiration())) {
            return new Authentication(null, Problem.EXPIRED);
        }
        return new Authentication(c, null);
    }

    /**
     * Stores new credentials for {@code principalArn} in {@code account}, valid for {@code duration} from now, and
     * drops that account's credentials that expired more than {@link #KEPT_AFTER_EXPIRY} ago.
     */
    public static Issued issue(Tx tx, String account, String principalArn, String assumedRoleId, Duration duration,
            String sessionPolicy, Map<String, String> sessionTags, String sourceIdentity, String issuedTo) {
        prune(tx, account);
        Instant now = tx.now().truncatedTo(ChronoUnit.SECONDS);
        String keyId;
        do {
            keyId = "ASIA" + random(KEY_CHARS, 16);
        } while (tx.find(IssuedCredential.class, keyId).isPresent());
        String secret = random(SECRET_CHARS, 40);
        byte[] tokenBytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(tokenBytes);
        String token = Base64.getEncoder().encodeToString(tokenBytes);
        IssuedCredential record = new IssuedCredential(keyId, account, IssuedCredential.REGION, principalArn,
                assumedRoleId, Principals.tokenHash(token), sessionPolicy, sessionTags, sourceIdentity, issuedTo,
                now, now.plus(duration), secret);
        tx.put(record);
        return new Issued(record, secret, token);
    }

    /**
     * Removes one account's credentials whose expiry is more than {@link #KEPT_AFTER_EXPIRY} past. Only that
     * account's are read, so the cost of issuing does not grow with other accounts' sessions.
     */
    public static int prune(Tx tx, String account) {
        Instant cutoff = tx.now().minus(KEPT_AFTER_EXPIRY);
        int removed = 0;
        for (IssuedCredential c : Index.owned(tx.world(), IssuedCredential.class, account, IssuedCredential.REGION,
                c -> c.expiration().isBefore(cutoff))) {
            tx.remove(c);
            removed++;
        }
        return removed;
    }

    private static String random(String alphabet, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
