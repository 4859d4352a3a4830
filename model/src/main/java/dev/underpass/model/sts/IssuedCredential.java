package dev.underpass.model.sts;

import dev.underpass.model.UntaggedResource;
import java.time.Instant;
import java.util.Map;

/**
 * Temporary credentials issued by STS (AssumeRole, GetSessionToken): who they act as, until when, and what narrows
 * them. The id is the access key id ({@code ASIA...}); the secret is not kept (underpass does not verify
 * signatures) and the session token only as its SHA-256, which is what a request's {@code X-Amz-Security-Token}
 * is compared with. Credentials belong to the principal's account and to no region ({@code global}), so no EC2 or
 * ELBv2 call ever lists or tags them, while a reset of the account removes them.
 *
 * @param principalArn the identity the credentials act as: an IAM user, an account root, or an assumed-role session
 * @param assumedRoleId {@code AROA...:session} for role sessions, else null
 * @param sessionPolicy the inline session policy as given, or null
 * @param sessionTags session tags, in the order given
 * @param sourceAccessKeyId the access key id that asked for them
 * @param secretAccessKey the secret the credentials were issued with; null in records stored before underpass kept
 *     it, whose requests are accepted with any signature
 */
public record IssuedCredential(String id, String ownerId, String region, String principalArn, String assumedRoleId,
        String tokenSha256, String sessionPolicy, Map<String, String> sessionTags, String sourceIdentity,
        String sourceAccessKeyId, Instant issuedAt, Instant expiration, String secretAccessKey)
        implements UntaggedResource {
    public static final String REGION = "global";

    /** Credentials whose secret is not known: any signature is accepted for them. */
    public IssuedCredential(String id, String ownerId, String region, String principalArn, String assumedRoleId,
            String tokenSha256, String sessionPolicy, Map<String, String> sessionTags, String sourceIdentity,
            String sourceAccessKeyId, Instant issuedAt, Instant expiration) {
        this(id, ownerId, region, principalArn, assumedRoleId, tokenSha256, sessionPolicy, sessionTags,
                sourceIdentity, sourceAccessKeyId, issuedAt, expiration, null);
    }

    public IssuedCredential {
        sessionTags = sessionTags == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sessionTags));
    }

    /** Whether the credentials came from AssumeRole (rather than GetSessionToken). */
    public boolean roleSession() {
        return assumedRoleId != null;
    }

    @Override
    public String toString() {
        return "IssuedCredential[id=" + id + ", principalArn=" + principalArn + ", expiration=" + expiration + "]";
    }

    @Override
    public String resourceType() {
        return "sts-credential";
    }
}
