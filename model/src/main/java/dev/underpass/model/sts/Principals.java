package dev.underpass.model.sts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The IAM principals underpass knows without IAM: an account's root user, IAM users named by static access keys,
 * and sessions of roles assumed through STS. Everything here is a pure function of the principal's ARN, so the
 * unique ids ({@code AIDA...}, {@code AROA...}) are stable across restarts and servers.
 */
public final class Principals {
    /** {@code arn:aws:iam::<account>:root}. */
    public static final Pattern ROOT = Pattern.compile("arn:aws:iam::(\\d{12}):root");
    /** {@code arn:aws:iam::<account>:user/<path/>name}. */
    public static final Pattern USER = Pattern.compile("arn:aws:iam::(\\d{12}):user/((?:[\\x21-\\x7E]*/)?)([\\w+=,.@-]{1,64})");
    /** {@code arn:aws:iam::<account>:role/<path/>name}. */
    public static final Pattern ROLE = Pattern.compile("arn:aws:iam::(\\d{12}):role/((?:[\\x21-\\x7E]*/)?)([\\w+=,.@-]{1,64})");
    /** {@code arn:aws:sts::<account>:assumed-role/<role name>/<session>}. */
    public static final Pattern ASSUMED_ROLE = Pattern.compile(
            "arn:aws:sts::(\\d{12}):assumed-role/([\\w+=,.@-]{1,64})/([\\w+=,.@-]{2,64})");
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private Principals() {}

    public static String root(String account) {
        return "arn:aws:iam::" + account + ":root";
    }

    /** The ARN of a session of a role: the role's path is not part of it. */
    public static String assumedRole(String account, String roleName, String sessionName) {
        return "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + sessionName;
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
        Matcher m = USER.matcher(principalArn);
        if (m.matches()) {
            return userIdOfUser(m.group(1), m.group(3));
        }
        m = ASSUMED_ROLE.matcher(principalArn);
        if (m.matches()) {
            return roleId(m.group(1), m.group(2)) + ":" + m.group(3);
        }
        m = ROOT.matcher(principalArn);
        return m.matches() ? m.group(1) : principalArn;
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
        Matcher a = ROOT.matcher(allowed);
        if (a.matches()) {
            return a.group(1).equals(callerAccount);
        }
        a = USER.matcher(allowed);
        if (a.matches()) {
            Matcher c = USER.matcher(callerArn);
            return c.matches() && c.group(1).equals(a.group(1)) && c.group(3).equals(a.group(3));
        }
        a = ROLE.matcher(allowed);
        if (a.matches()) {
            Matcher c = ASSUMED_ROLE.matcher(callerArn);
            return c.matches() && c.group(1).equals(a.group(1)) && c.group(2).equals(a.group(3));
        }
        return false;
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
