package dev.underpass.model.org;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.AwsNamed;

import dev.underpass.model.UntaggedResource;
import java.time.Instant;

/**
 * The record of one CreateAccount request ({@code car-} and 32 characters). AWS creates accounts asynchronously;
 * underpass creates them at once, so every stored request has {@code SUCCEEDED} with its new account's id.
 */
public record CreateAccountStatus(String id, String ownerId, String region, String orgId, String accountName,
        String accountId, State state, Instant requestedAt, Instant completedAt) implements UntaggedResource {
    /** AWS's states of a CreateAccount request ({@code CreateAccountState}); underpass's succeed at once. */
    public enum State implements AwsNamed {
        IN_PROGRESS,
        SUCCEEDED,
        FAILED;

        /** AWS's name, as the API and the store write it and messages quote it. */
        @JsonValue
        @Override
        public String toString() {
            return Spelling.UPPER.of(this);
        }
    }

    @Override
    public String resourceType() {
        return "organization-create-account-status";
    }
}
