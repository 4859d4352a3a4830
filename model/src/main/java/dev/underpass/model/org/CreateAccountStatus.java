package dev.underpass.model.org;

import dev.underpass.model.Resource;
import java.time.Instant;
import java.util.Map;

/**
 * The record of one CreateAccount request ({@code car-} and 32 characters). AWS creates accounts asynchronously;
 * underpass creates them at once, so every stored request has {@code SUCCEEDED} with its new account's id.
 */
public record CreateAccountStatus(String id, String ownerId, String region, String orgId, String accountName,
        String accountId, String state, Instant requestedAt, Instant completedAt) implements Resource {
    @Override
    public Map<String, String> tags() {
        return Map.of();
    }

    @Override
    public CreateAccountStatus withTags(Map<String, String> tags) {
        return this;
    }

    @Override
    public String resourceType() {
        return "organization-create-account-status";
    }
}
