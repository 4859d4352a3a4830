package dev.underpass.model;

import java.util.Objects;

/**
 * Who is asking and where: the account the SigV4 access key maps to, the region of its credential scope, and the
 * principal ARN used by policy evaluation and endpoint-service permissions.
 */
public record Caller(String accountId, String region, String principalArn) {
    public Caller {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(region, "region");
        if (principalArn == null) {
            principalArn = "arn:aws:iam::" + accountId + ":root";
        }
    }

    public static Caller of(String accountId, String region) {
        return new Caller(accountId, region, null);
    }
}
