package dev.underpass.dataplane.service;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The access decisions of the service endpoints, newest last: one entry per request the proxies decided (allowed
 * or denied by a policy) and per connection the network refused. Kept in memory, the last {@link #CAPACITY} only;
 * {@code GET /_underpass/decisions} reads it.
 */
public final class DecisionLog {
    public static final int CAPACITY = 10_000;

    /**
     * One decision. {@code endpoint} is the VPC endpoint the request came through ({@code null} over the internet);
     * {@code path} is {@code gateway}, {@code interface}, {@code internet} or {@code none}; {@code decision} is the
     * engine's outcome ({@code Allowed}, {@code ImplicitlyDenied}, {@code ExplicitlyDenied}) or {@code Dropped} when
     * the network carried nothing; {@code blocking} names the statement or layer that refused;
     * {@code verdict} holds the engine's whole input and answer (null for a dropped connection).
     */
    public record Entry(long sequence, Instant time, String service, String path, String endpoint, String vpc,
            String source, String principal, String action, String resource, String decision, String blocking,
            String requestId, RequestPolicies.Verdict verdict) {}

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long next = 1;

    synchronized Entry add(Instant time, String service, String path, String endpoint, String vpc, String source,
            String principal, String action, String resource, String decision, String blocking, String requestId,
            RequestPolicies.Verdict verdict) {
        Entry e = new Entry(next++, time, service, path, endpoint, vpc, source, principal, action, resource,
                decision, blocking, requestId, verdict);
        if (entries.size() == CAPACITY) {
            entries.removeFirst();
        }
        entries.addLast(e);
        return e;
    }

    /** The entries that match, oldest first, at most {@code limit} of the newest. */
    public synchronized List<Entry> find(Predicate<Entry> filter, int limit) {
        List<Entry> out = new ArrayList<>();
        var it = entries.descendingIterator();
        while (it.hasNext() && out.size() < limit) {
            Entry e = it.next();
            if (filter.test(e)) {
                out.add(e);
            }
        }
        java.util.Collections.reverse(out);
        return out;
    }

    public synchronized int size() {
        return entries.size();
    }
}
