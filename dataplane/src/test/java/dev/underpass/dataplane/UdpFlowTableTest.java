package dev.underpass.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The UDP flow table's bounds: idle expiry, least-recently-used eviction, the per-socket and the shared cap. */
class UdpFlowTableTest {
    private static final long SECOND = 1_000_000_000L;

    /** A table of the given capacity holding flows "a", "b", ... (values "A", "B", ...) added at the given times. */
    private static UdpFlowTable<String, String> table(int capacity, UdpFlowTable.Budget budget, long... addedAt) {
        UdpFlowTable<String, String> t = new UdpFlowTable<>(capacity, budget);
        for (int i = 0; i < addedAt.length; i++) {
            String key = String.valueOf((char) ('a' + i));
            t.add(key, key.toUpperCase(java.util.Locale.ROOT), addedAt[i]);
        }
        return t;
    }

    @Test
    void idleFlows_expire_andATouchKeepsAFlowAlive() {
        UdpFlowTable.Budget budget = new UdpFlowTable.Budget(100);
        UdpFlowTable<String, String> t = table(10, budget, 0, 0, 50 * SECOND);
        assertThat(t.touch("a", 100 * SECOND)).isEqualTo("A");
        assertThat(t.expire(120 * SECOND, 120 * SECOND)).containsExactly("B");
        assertThat(t.expire(200 * SECOND, 120 * SECOND)).containsExactly("C");
        assertThat(t.expire(220 * SECOND, 120 * SECOND)).containsExactly("A");
        assertThat(t.size()).isZero();
        assertThat(budget.used()).isZero();
    }

    @Test
    void aFullTable_evictsItsLeastRecentlyUsedFlow() {
        UdpFlowTable.Budget budget = new UdpFlowTable.Budget(100);
        UdpFlowTable<String, String> t = table(2, budget, 0, 1);
        t.touch("a", 2);
        UdpFlowTable.Added<String> added = t.add("c", "C", 3);
        assertThat(added.added()).isTrue();
        assertThat(added.evicted()).containsExactly("B");
        assertThat(t.all()).containsExactly("A", "C");
        assertThat(budget.used()).isEqualTo(2);
    }

    @Test
    void aSpentBudget_takesFromTheTableThatNeedsRoom_orRefusesWhenItHasNothing() {
        UdpFlowTable.Budget budget = new UdpFlowTable.Budget(2);
        UdpFlowTable<String, String> one = new UdpFlowTable<>(10, budget);
        UdpFlowTable<String, String> two = new UdpFlowTable<>(10, budget);
        one.add("a", "A", 0);
        one.add("b", "B", 1);
        UdpFlowTable.Added<String> refused = two.add("x", "X", 2);
        assertThat(refused.added()).isFalse();
        assertThat(two.size()).isZero();
        UdpFlowTable.Added<String> own = one.add("c", "C", 3);
        assertThat(own.added()).isTrue();
        assertThat(own.evicted()).containsExactly("A");
        assertThat(one.remove("b")).isEqualTo("B");
        assertThat(two.add("x", "X", 4).added()).isTrue();
        assertThat(one.clear()).containsExactly("C");
        assertThat(budget.used()).isEqualTo(1);
    }
}
