package dev.underpass.policy;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Principals already parsed by {@link Caller#parse}: callers are immutable, and a server evaluating request after
 * request sees the same few principals again and again. Bounded, so that a stream of distinct principals only
 * stops being remembered.
 */
final class ParsedCallers {
    private static final int LIMIT = 4096;
    private static final ConcurrentHashMap<String, Caller> PARSED = new ConcurrentHashMap<>();

    private ParsedCallers() {}

    static Caller of(String principal) {
        Caller known = PARSED.get(principal);
        if (known != null) {
            return known;
        }
        Caller parsed = Caller.parseNew(principal);
        if (PARSED.size() < LIMIT) {
            PARSED.put(principal, parsed);
        }
        return parsed;
    }
}
