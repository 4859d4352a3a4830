package dev.underpass.server;

import dev.underpass.model.Caller;
import dev.underpass.model.sts.IssuedCredential;
import dev.underpass.model.sts.Principals;
import java.time.Instant;
import java.util.Map;

/**
 * Puts a session credential straight into a server's store, as an older underpass or a long-past AssumeRole left
 * it: the role session {@code app/old} of the account, with session token {@code old-token} and no stored secret.
 */
final class StoredSessions {
    static final String TOKEN = "old-token";

    private StoredSessions() {}

    /** The session's principal ARN. */
    static String arn(String account) {
        return "arn:aws:sts::" + account + ":assumed-role/app/old";
    }

    static void put(UnderpassExtension underpass, String account, String accessKeyId, Instant issued,
            Instant expires) {
        underpass.server().store().writeAndWait(Caller.of(account, "us-east-1"), tx -> tx.put(new IssuedCredential(
                accessKeyId, account, IssuedCredential.REGION, arn(account), null, Principals.tokenHash(TOKEN), null,
                Map.of(), null, null, issued, expires)));
    }
}
