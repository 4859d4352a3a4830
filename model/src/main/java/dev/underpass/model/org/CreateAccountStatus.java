package dev.underpass.model.org;

import dev.underpass.model.UntaggedResource;
import java.time.Instant;

/**
 * The record of one CreateAccount request ({@code car-} and 32 characters). AWS creates accounts asynchronously;
 * underpass creates them at once, so every stored request has {@code SUCCEEDED} with its new account's id.
 */
public record CreateAccountStatus(String id, String ownerId, String region, String orgId, String accountName,
        String accountId, String state, Instant requestedAt, Instant completedAt) implements UntaggedResource {

    @Override
    public String resourceType() {
        return "organization-create-account-status";
    }
}
