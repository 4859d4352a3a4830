package dev.underpass.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The condition keys of a request and their values. A key maps either to one value (a single-valued key such as
 * {@code aws:SourceVpce}) or to a list (a multivalued key such as {@code aws:TagKeys}); an empty list is a present
 * key with an empty set of values, which is not the same as a missing key.
 *
 * <p>Keys are case-insensitive, as in AWS. The map is normalised once when the context is built, so that a lookup
 * during evaluation is one hash probe and allocates nothing.
 */
public final class RequestContext {
    /** One key's values. {@code multivalued} records whether the request gave a list. */
    record Entry(String name, List<String> values, boolean multivalued) {}

    private static final RequestContext EMPTY = new RequestContext(Map.of());

    private final Map<String, Entry> entries;

    private RequestContext(Map<String, Entry> entries) {
        this.entries = entries;
    }

    public static RequestContext empty() {
        return EMPTY;
    }

    /**
     * Builds a context from key → value, where a value is a {@code String} (single-valued), a {@code List} of
     * strings (multivalued), or a number or boolean, which is taken as its text.
     *
     * @throws IllegalArgumentException quoting the key when a value has another type, or when two keys differ
     *     only in case
     */
    public static RequestContext of(Map<String, ?> values) {
        Map<String, Entry> entries = HashMap.newHashMap(values.size() + 6);
        for (Map.Entry<String, ?> e : values.entrySet()) {
            Entry entry = entry(e.getKey(), e.getValue());
            Entry previous = entries.put(ConditionKey.normalize(e.getKey()), entry);
            if (previous != null) {
                throw new IllegalArgumentException("context keys \"" + previous.name() + "\" and \"" + e.getKey()
                        + "\" are the same key: keys are case-insensitive");
            }
        }
        return new RequestContext(Collections.unmodifiableMap(entries));
    }

    private static Entry entry(String key, Object value) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a context key must not be empty");
        }
        return switch (value) {
            case String s -> new Entry(key, List.of(s), false);
            case Number n -> new Entry(key, List.of(n.toString()), false);
            case Boolean b -> new Entry(key, List.of(b.toString()), false);
            case List<?> list -> {
                List<String> strings = new ArrayList<>(list.size());
                for (Object o : list) {
                    if (o instanceof String || o instanceof Number || o instanceof Boolean) {
                        strings.add(o.toString());
                    } else {
                        throw new IllegalArgumentException("context key \"" + key
                                + "\" holds a list with a value that is not a string: " + o);
                    }
                }
                yield new Entry(key, List.copyOf(strings), true);
            }
            case null -> throw new IllegalArgumentException("context key \"" + key + "\" has a null value");
            default -> throw new IllegalArgumentException("context key \"" + key
                    + "\" must hold a string or a list of strings, not " + value.getClass().getSimpleName());
        };
    }

    /** A copy in which each key of {@code defaults} not already present is added. */
    RequestContext withDefaults(Map<String, String> defaults) {
        return withDefaults(defaults, null, null);
    }

    /** {@link #withDefaults(Map)} with one more default, {@code key} = {@code value} (none when either is null). */
    RequestContext withDefaults(Map<String, String> defaults, String key, String value) {
        Map<String, Entry> merged = null;
        for (Map.Entry<String, String> d : defaults.entrySet()) {
            merged = withDefault(merged, d.getKey(), d.getValue(), defaults.size() + 1);
        }
        if (key != null) {
            merged = withDefault(merged, key, value, defaults.size() + 1);
        }
        return merged == null ? this : new RequestContext(Collections.unmodifiableMap(merged));
    }

    private Map<String, Entry> withDefault(Map<String, Entry> merged, String key, String value, int room) {
        String lookup = ConditionKey.normalize(key);
        if (value == null || entries.containsKey(lookup)) {
            return merged;
        }
        if (merged == null) {
            merged = HashMap.newHashMap(entries.size() + room);
            merged.putAll(entries);
        }
        merged.put(lookup, new Entry(key, List.of(value), false));
        return merged;
    }

    /** The entry for a lower-case lookup key, or null when the key is missing. */
    Entry get(String lookup) {
        return entries.get(lookup);
    }

    /** The value of a single-valued key, or null when missing or multivalued (usable as a policy variable). */
    String single(String lookup) {
        Entry e = entries.get(lookup);
        return e == null || e.multivalued() || e.values().isEmpty() ? null : e.values().getFirst();
    }

    public boolean contains(String key) {
        return entries.containsKey(ConditionKey.normalize(key));
    }

    /** The values of {@code key} (any case), or an empty list when it is missing. */
    public List<String> values(String key) {
        Entry e = entries.get(ConditionKey.normalize(key));
        return e == null ? List.of() : e.values();
    }

    /** The context as given: key as first written → String or List. */
    public Map<String, Object> asMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        entries.values().stream()
                .sorted((a, b) -> a.name().compareToIgnoreCase(b.name()))
                .forEach(e -> out.put(e.name(), e.multivalued() ? e.values() : e.values().getFirst()));
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RequestContext c && c.entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
