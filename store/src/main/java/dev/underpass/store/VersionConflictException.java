package dev.underpass.store;

/**
 * A conditional commit found another version stored than the one its changes were made on: another writer committed
 * in between. With one SQLite writer this never happens; a backend shared by several nodes (PostgreSQL) reports it
 * so that the losing node reloads and retries instead of overwriting.
 */
public final class VersionConflictException extends IllegalStateException {
    private final long expected;
    private final long actual;

    public VersionConflictException(long expected, long actual) {
        super("the store is at version " + actual + ", not " + expected + " as this commit expected");
        this.expected = expected;
        this.actual = actual;
    }

    /** The version the commit was made on. */
    public long expected() {
        return expected;
    }

    /** The version the backend holds. */
    public long actual() {
        return actual;
    }
}
