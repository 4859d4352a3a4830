package dev.underpass.model.ec2;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.AwsNamed;
import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A customer-managed prefix list ({@code pl-…}): a named set of CIDR blocks of one address family that route
 * tables and security group rules can reference. Every change of entries makes a new version; the versions are
 * kept (newest last) so that GetManagedPrefixListEntries can read an old one and RestoreManagedPrefixListVersion
 * can bring it back. AWS-managed lists are not stored; they come from {@link AwsServices}.
 */
public record ManagedPrefixList(
        String id,
        String ownerId,
        String region,
        String name,
        String addressFamily,
        int maxEntries,
        long version,
        State state,
        List<Version> versions,
        Instant createdAt,
        Map<String, String> tags)
        implements Resource {

    /**
     * A list's state, by AWS's names: a change answers with its {@code -in-progress} state and the list is seen in
     * the matching {@code -complete} one afterwards (underpass applies a change at once, so it never fails).
     */
    public enum State implements AwsNamed {
        CREATE_IN_PROGRESS,
        CREATE_COMPLETE,
        CREATE_FAILED,
        MODIFY_IN_PROGRESS,
        MODIFY_COMPLETE,
        MODIFY_FAILED,
        RESTORE_IN_PROGRESS,
        RESTORE_COMPLETE,
        RESTORE_FAILED,
        DELETE_IN_PROGRESS,
        DELETE_COMPLETE,
        DELETE_FAILED;

        /** AWS's name, as the API and the store write it and messages quote it. */
        @JsonValue
        @Override
        public String toString() {
            return Spelling.KEBAB.of(this);
        }
    }

    /** The list's id, typed. */
    public PrefixListId prefixListId() {
        return new PrefixListId(id);
    }

    /** One CIDR of the list with its optional description. */
    public record Entry(String cidr, String description) {}

    /** The entries as they were at one version. */
    public record Version(long version, List<Entry> entries) {
        public Version {
            entries = List.copyOf(entries);
        }
    }

    public ManagedPrefixList {
        versions = List.copyOf(versions);
        tags = Tags.copy(tags);
    }

    /** The entries of the current version. */
    public List<Entry> entries() {
        return entriesAt(version);
    }

    /** The entries at {@code v}, or null when that version is not kept. */
    public List<Entry> entriesAt(long v) {
        for (Version each : versions) {
            if (each.version() == v) {
                return each.entries();
            }
        }
        return null;
    }

    public String arn() {
        return "arn:aws:ec2:" + region + ":" + ownerId + ":prefix-list/" + id;
    }

    @Override
    public ManagedPrefixList withTags(Map<String, String> newTags) {
        return new ManagedPrefixList(id, ownerId, region, name, addressFamily, maxEntries, version, state, versions,
                createdAt, newTags);
    }

    public ManagedPrefixList with(String newName, int newMaxEntries, long newVersion, State newState,
            List<Version> newVersions) {
        return new ManagedPrefixList(id, ownerId, region, newName, addressFamily, newMaxEntries, newVersion,
                newState, newVersions, createdAt, tags);
    }

    @Override
    public String resourceType() {
        return "prefix-list";
    }
}
