package dev.underpass.model;

import java.util.Objects;

/**
 * Who is asking and where: the account the SigV4 access key maps to, the region of its credential scope, the
 * principal ARN used by policy evaluation and endpoint-service permissions, and, when the request is signed with
 * temporary credentials from STS, their access key id (null otherwise).
 */
public record Caller(String accountId, String region, String principalArn, String sessionKeyId) {
    public Caller {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(region, "region");
        if (principalArn == null) {
            principalArn = "arn:aws:iam::" + accountId + ":root";
        }
    }

    public Caller(String accountId, String region, String principalArn) {
        this(accountId, region, principalArn, null);
    }

    public static Caller of(String accountId, String region) {
        return new Caller(accountId, region, null);
    }

    /** Whether the request is signed with temporary (session) credentials. */
    public boolean session() {
        return sessionKeyId != null;
    }
}
