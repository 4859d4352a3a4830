package dev.underpass.model;

import java.time.Instant;
import java.util.Map;

/**
 * Bookkeeping, not an AWS resource: records that underpass has set up an (account, region) the way AWS sets up a new
 * account, i.e. given it its default VPC. It exists so that this happens exactly once: deleting the default VPC must
 * not make it reappear on the next request (AWS does not recreate it; {@code CreateDefaultVpc} does), and a restart
 * must not create a second one. No Describe call lists it, and it is never tagged. A reset removes it with the rest
 * of the account, so the next request sets the account up afresh.
 *
 * <p>Its id, {@code acct:<account>:<region>}, cannot collide with an AWS id (those have no colon).
 */
public record AccountRegion(String id, String ownerId, String region, Instant setUpAt, Map<String, String> tags)
        implements Resource {

    public AccountRegion {
        tags = Tags.copy(tags);
    }

    /** The marker of one account in one region, as of {@code now}. */
    public static AccountRegion of(String accountId, String region, Instant now) {
        return new AccountRegion(idOf(accountId, region), accountId, region, now, Map.of());
    }

    public static String idOf(String accountId, String region) {
        return "acct:" + accountId + ":" + region;
    }

    @Override
    public AccountRegion withTags(Map<String, String> newTags) {
        return new AccountRegion(id, ownerId, region, setUpAt, newTags);
    }

    @Override
    public String resourceType() {
        return "account-region";
    }
}
