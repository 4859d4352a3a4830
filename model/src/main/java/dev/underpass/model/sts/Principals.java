package dev.underpass.model.sts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;

/**
 * The IAM principals underpass knows without IAM: an account's root user, IAM users named by static access keys,
 * and sessions of roles assumed through STS. Everything here is a pure function of the principal's ARN, so the
 * unique ids ({@code AIDA...}, {@code AROA...}) are stable across restarts and servers.
 */
public final class Principals {
    /**
     * The grammar of {@link Principal#parse}: an account's root ({@code root}), or a user or role with an optional
     * path ({@code user/<path/>name}).
     */
    static final Pattern IAM_ARN = Pattern.compile(
            "arn:aws:iam::(\\d{12}):(?:(root)|(user|role)/((?:[\\x21-\\x7E]*/)?)([\\w+=,.@-]{1,64}))");
    /** The grammar of {@link Principal#parse} for {@code arn:aws:sts::<account>:assumed-role/<role>/<session>}. */
    static final Pattern ASSUMED_ROLE_ARN = Pattern.compile(
            "arn:aws:sts::(\\d{12}):assumed-role/([\\w+=,.@-]{1,64})/([\\w+=,.@-]{2,64})");
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private Principals() {}

    public static String root(String account) {
        return new Principal.Root(account).arn();
    }

    /** The ARN of a session of a role: the role's path is not part of it. */
    public static String assumedRole(String account, String roleName, String sessionName) {
        return new Principal.AssumedRole(account, roleName, sessionName).arn();
    }

    /** The role's unique id: {@code AROA} and 17 characters derived from its account and name. */
    public static String roleId(String account, String roleName) {
        return "AROA" + derive("role:" + account + ":" + roleName, 17);
    }

    /** A user's unique id: {@code AIDA} and 17 characters derived from its account and name. */
    public static String userIdOfUser(String account, String userName) {
        return "AIDA" + derive("user:" + account + ":" + userName, 17);
    }

    /**
     * GetCallerIdentity's {@code UserId} for a principal: the account id for root, the user's {@code AIDA} id, or
     * {@code <role id>:<session name>} for a role session.
     */
    public static String userId(String principalArn) {
        return switch (Principal.parse(principalArn).orElse(null)) {
            case Principal.User u -> userIdOfUser(u.account(), u.name());
            case Principal.AssumedRole r -> roleId(r.account(), r.roleName()) + ":" + r.sessionName();
            case Principal.Root r -> r.account();
            case Principal.Role r -> principalArn;
            case null -> principalArn;
        };
    }

    /**
     * Whether an allowed principal (as endpoint-service permissions name them) covers the caller, as AWS matches
     * them: {@code *} everyone; an account root every principal of that account; a user ARN that user (paths aside,
     * since AWS compares the user's unique id); a role ARN every session of that role.
     */
    public static boolean covers(String allowed, String callerAccount, String callerArn) {
        if (allowed.equals("*")) {
            return true;
        }
        Principal caller = Principal.parse(callerArn).orElse(null);
        return switch (Principal.parse(allowed).orElse(null)) {
            case Principal.Root a -> a.account().equals(callerAccount);
            case Principal.User a -> caller instanceof Principal.User c && c.account().equals(a.account())
                    && c.name().equals(a.name());
            case Principal.Role a -> caller instanceof Principal.AssumedRole c && c.account().equals(a.account())
                    && c.roleName().equals(a.name());
            case Principal.AssumedRole a -> false;
            case null -> false;
        };
    }

    /** {@code n} characters of base32 (upper-case letters and 2-7) from the SHA-256 of {@code seed}. */
    static String derive(String seed, int n) {
        byte[] hash = sha256(seed.getBytes(StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            out.append(ALPHABET.charAt((hash[i] & 0xff) % ALPHABET.length()));
        }
        return out.toString();
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hex SHA-256 of a session token, as {@link IssuedCredential#tokenSha256()} keeps it. */
    public static String tokenHash(String token) {
        byte[] h = sha256(token.getBytes(StandardCharsets.UTF_8));
        StringBuilder sb = new StringBuilder(64);
        for (byte b : h) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }
}
