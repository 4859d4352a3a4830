package dev.underpass.model;

import java.util.Objects;

/**
 * Who is asking and where: the account the SigV4 access key maps to, the region of its credential scope, the
 * principal ARN used by policy evaluation and endpoint-service permissions, and, when the request is signed with
 * temporary credentials from STS, their access key id (null otherwise); and the client's IP address as the server
 * saw it ({@code aws:SourceIp} in policy evaluation; null when not known, as in model tests).
 */
public record Caller(String accountId, String region, String principalArn, String sessionKeyId, String sourceIp) {
    public Caller {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(region, "region");
        if (principalArn == null) {
            principalArn = "arn:aws:iam::" + accountId + ":root";
        }
    }

    public Caller(String accountId, String region, String principalArn, String sessionKeyId) {
        this(accountId, region, principalArn, sessionKeyId, null);
    }

    public Caller(String accountId, String region, String principalArn) {
        this(accountId, region, principalArn, null, null);
    }

    /** This caller as seen from {@code address} (the client's IP address). */
    public Caller withSourceIp(String address) {
        return new Caller(accountId, region, principalArn, sessionKeyId, address);
    }

    public static Caller of(String accountId, String region) {
        return new Caller(accountId, region, null);
    }

    /** Whether the request is signed with temporary (session) credentials. */
    public boolean session() {
        return sessionKeyId != null;
    }
}
