package dev.underpass.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * An {@code ArnLike}/{@code ArnEquals} pattern: each of the six colon-separated parts is matched on its own, so a
 * wildcard never spans a colon except in the last part (the resource, which may itself contain colons). This is
 * what makes {@code ArnLike} stricter than {@code StringLike} on the same text.
 *
 * <p>A pattern with fewer than six parts is matched part by part from the left, its last part taking the rest of
 * the value; so {@code *} matches any ARN.
 */
final class ArnPattern {
    private final Glob[] parts;

    private ArnPattern(Glob[] parts) {
        this.parts = parts;
    }

    static ArnPattern compile(int[] tokens) {
        List<Glob> parts = new ArrayList<>(6);
        int start = 0;
        for (int i = 0; i < tokens.length && parts.size() < 5; i++) {
            if (tokens[i] == ':') {
                parts.add(Glob.ofTokens(java.util.Arrays.copyOfRange(tokens, start, i), false));
                start = i + 1;
            }
        }
        parts.add(Glob.ofTokens(java.util.Arrays.copyOfRange(tokens, start, tokens.length), false));
        return new ArnPattern(parts.toArray(new Glob[0]));
    }

    boolean matches(String value) {
        int from = 0;
        int last = parts.length - 1;
        for (int i = 0; i < last; i++) {
            int colon = value.indexOf(':', from);
            if (colon < 0 || !parts[i].matches(value, from, colon)) {
                return false;
            }
            from = colon + 1;
        }
        return parts[last].matches(value, from, value.length());
    }
}
