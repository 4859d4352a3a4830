package dev.underpass.model.sharing;

import dev.underpass.model.UntaggedResource;
import java.time.Instant;

/**
 * A {@code clientToken} a RAM write was called with, remembered so that a retry with the same token answers as the
 * first call did without changing anything again, and a reuse with other parameters is refused
 * ({@code IdempotentParameterMismatchException}). Owned by the caller, in the caller's region.
 *
 * @param id {@link #idOf}: account, region and token
 * @param fingerprint the operation and its parameters other than the token, as first called
 * @param target what the first call acted on (a share or invitation ARN), from which the answer is rebuilt
 */
public record RamClientToken(String id, String ownerId, String region, String fingerprint, String target,
        Instant createdAt) implements UntaggedResource {

    public static String idOf(String accountId, String region, String token) {
        return "ram-token:" + accountId + "/" + region + "/" + token;
    }

    @Override
    public String resourceType() {
        return "resource-share-client-token";
    }
}
