package dev.underpass.dataplane;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Values that are a pure function of one world snapshot (and of time, for states that change with it): kept
 * until the snapshot changes, for at most {@link ControlThread#FULL_REFRESH_NANOS}. Each snapshot gets a map of its
 * own, so a thread still on an older snapshot never mixes its values into a newer one's.
 */
final class PerSnapshot<K, V> {
    private record Held<K, V>(Object world, long version, long since, Map<K, V> values) {}

    private volatile Held<K, V> held = new Held<>(null, 0, 0, Map.of());

    V get(Object w, K key, Function<K, V> compute) {
        return get(w, 0, key, compute);
    }

    /** As {@link #get(Object, Object, Function)}, also kept only while {@code version} is. */
    V get(Object w, long version, K key, Function<K, V> compute) {
        Held<K, V> h = held;
        long t = System.nanoTime();
        if (h.world() != w || h.version() != version || t - h.since() > ControlThread.FULL_REFRESH_NANOS) {
            h = new Held<>(w, version, t, new ConcurrentHashMap<>());
            held = h;
        }
        V v = h.values().get(key);
        if (v == null) {
            v = compute.apply(key);
            if (h.values().size() < 100_000) {
                h.values().put(key, v);
            }
        }
        return v;
    }
}
