package dev.underpass.policy;

import java.util.Map;

/** Shorthand for tests: JSON written with single quotes, parsed or failing the test. */
final class TestPolicies {
    private TestPolicies() {}

    /** Replaces single quotes by double quotes, so policies read well inside Java strings. */
    static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    static Policy policy(String singleQuoted) {
        return policy(singleQuoted, '\'');
    }

    /** As {@link #policy(String)}, then turning {@code singleQuote} characters into single quotes. */
    static Policy policy(String singleQuoted, char singleQuote) {
        try {
            return PolicyParser.parse(json(singleQuoted).replace(singleQuote, '\''));
        } catch (PolicyParseException e) {
            throw new AssertionError("test policy does not parse: " + e.getMessage(), e);
        }
    }

    /** A 2012-10-17 policy with the given statements (each a single-quoted JSON object). */
    static Policy statements(String... statements) {
        return policy("{'Version':'2012-10-17','Statement':[" + String.join(",", statements) + "]}");
    }

    static Request request(String principal, String action, String resource) {
        return Request.of(principal, action, resource);
    }

    static Request request(String principal, String action, String resource, Map<String, ?> context) {
        return Request.of(principal, action, resource, null, context);
    }
}
