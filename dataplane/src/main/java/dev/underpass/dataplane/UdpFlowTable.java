package dev.underpass.dataplane;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open UDP flows of one listening socket, by the client's address and port (the socket's own address and port
 * and the protocol complete the 5-tuple), least recently used first. UDP has no handshake or FIN, so a flow ends
 * only when it has been idle too long or when room is needed: memory is bounded by a cap per socket and a
 * {@link Budget} shared by all sockets, and the least recently used flow makes room for a new one. Not
 * thread-safe: each table belongs to one socket and is used on its event loop only. Time is passed in (nanoseconds
 * of any monotonic clock), so the table is tested without waiting.
 *
 * @param <K> the flow's key (the client's socket address)
 * @param <F> what the caller keeps per flow
 */
final class UdpFlowTable<K, F> {
    /** How many flows all tables together may hold. Thread-safe. */
    static final class Budget {
        private final int cap;
        private final AtomicInteger used = new AtomicInteger();

        Budget(int cap) {
            this.cap = cap;
        }

        boolean take() {
            while (true) {
                int u = used.get();
                if (u >= cap) {
                    return false;
                }
                if (used.compareAndSet(u, u + 1)) {
                    return true;
                }
            }
        }

        void release(int n) {
            used.addAndGet(-n);
        }

        int used() {
            return used.get();
        }
    }

    private static final class Entry<F> {
        final F flow;
        long lastSeen;

        Entry(F flow, long lastSeen) {
            this.flow = flow;
            this.lastSeen = lastSeen;
        }
    }

    private final LinkedHashMap<K, Entry<F>> flows = new LinkedHashMap<>(16, 0.75f, true);
    private final int cap;
    private final Budget budget;

    UdpFlowTable(int cap, Budget budget) {
        this.cap = cap;
        this.budget = budget;
    }

    int size() {
        return flows.size();
    }

    /** The flow of {@code key}, marked as used at {@code now}; null when there is none. */
    F touch(K key, long now) {
        Entry<F> e = flows.get(key);
        if (e == null) {
            return null;
        }
        e.lastSeen = now;
        return e.flow;
    }

    /** The flow of {@code key} without marking it used; null when there is none. */
    F peek(K key) {
        Entry<F> e = flows.get(key);
        return e == null ? null : e.flow;
    }

    /** What {@link #add} did: whether the flow was added, and the flows it evicted to make room (to be closed). */
    record Added<F>(boolean added, List<F> evicted) {}

    /**
     * Adds {@code flow} for {@code key} (which has none), evicting the least recently used flow when this table is
     * full, or when the budget is spent and this table has a flow to give up. Not added when the budget is spent
     * and this table is empty: other sockets hold every flow.
     */
    Added<F> add(K key, F flow, long now) {
        List<F> evicted = new ArrayList<>();
        if (flows.size() >= cap) {
            evicted.add(removeEldest());
        }
        while (!budget.take()) {
            if (flows.isEmpty()) {
                return new Added<>(false, evicted);
            }
            evicted.add(removeEldest());
        }
        flows.put(key, new Entry<>(flow, now));
        return new Added<>(true, evicted);
    }

    /** Removes the flow of {@code key}; returns it, or null. */
    F remove(K key) {
        Entry<F> e = flows.remove(key);
        if (e == null) {
            return null;
        }
        budget.release(1);
        return e.flow;
    }

    /** Removes and returns the flows unused for {@code idleNanos} or longer at {@code now}. */
    List<F> expire(long now, long idleNanos) {
        List<F> out = new ArrayList<>();
        // Access order: the least recently touched come first, so the scan stops at the first live flow.
        Iterator<Map.Entry<K, Entry<F>>> it = flows.entrySet().iterator();
        while (it.hasNext()) {
            Entry<F> e = it.next().getValue();
            if (now - e.lastSeen < idleNanos) {
                break;
            }
            it.remove();
            budget.release(1);
            out.add(e.flow);
        }
        return out;
    }

    /** Removes and returns every flow. */
    List<F> clear() {
        List<F> out = new ArrayList<>();
        for (Entry<F> e : flows.values()) {
            out.add(e.flow);
        }
        budget.release(flows.size());
        flows.clear();
        return out;
    }

    /** Every flow, least recently used first, without changing the order. */
    List<F> all() {
        List<F> out = new ArrayList<>();
        for (Entry<F> e : flows.values()) {
            out.add(e.flow);
        }
        return out;
    }

    private F removeEldest() {
        Iterator<Entry<F>> it = flows.values().iterator();
        Entry<F> e = it.next();
        it.remove();
        budget.release(1);
        return e.flow;
    }
}
