package dev.underpass.policy;

import java.util.Locale;

/**
 * A condition key as written in a policy ({@code aws:SourceVpce}) and the form used to look it up. AWS treats key
 * names, including the tag-key part of {@code aws:ResourceTag/<key>}, case-insensitively, so lookups use the lower
 * case form computed once here.
 *
 * @param name the key exactly as written
 * @param lookup the key in lower case
 */
public record ConditionKey(String name, String lookup) {
    public ConditionKey {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a condition key must not be empty, got \"" + name + "\"");
        }
        if (!lookup.equals(normalize(name))) {
            throw new IllegalArgumentException("lookup \"" + lookup + "\" is not the normal form of \"" + name + "\"");
        }
    }

    public static ConditionKey of(String name) {
        return new ConditionKey(name, normalize(name));
    }

    /**
     * Lower-case forms already computed: requests name the same few dozen keys again and again (the service
     * endpoints build a context of about fifteen for every request), so each is lowered once. Bounded, since keys
     * with tag names ({@code aws:ResourceTag/<key>}) are open-ended.
     */
    private static final java.util.concurrent.ConcurrentHashMap<String, String> NORMALIZED =
            new java.util.concurrent.ConcurrentHashMap<>();

    static String normalize(String key) {
        String known = NORMALIZED.get(key);
        if (known != null) {
            return known;
        }
        String lower = key.toLowerCase(Locale.ROOT);
        if (NORMALIZED.size() < 4096) {
            NORMALIZED.put(key, lower);
        }
        return lower;
    }

    @Override
    public String toString() {
        return name;
    }
}
