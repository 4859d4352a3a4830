package dev.underpass.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.model.World;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the relay remembers per world snapshot is computed once per snapshot, and afresh for a new one. */
class PerSnapshotTest {
    @Test
    void aValueIsComputedOncePerSnapshot_andAgainWhenTheSnapshotChanges() {
        PerSnapshot<String, Integer> cache = new PerSnapshot<>();
        AtomicInteger computed = new AtomicInteger();
        // Snapshots are told apart by identity (a world is immutable: a write makes a new one).
        Object first = World.empty();
        Object second = new Object();

        assertThat(cache.get(first, "tg", k -> computed.incrementAndGet())).isEqualTo(1);
        assertThat(cache.get(first, "tg", k -> computed.incrementAndGet())).isEqualTo(1);
        assertThat(cache.get(first, "other", k -> computed.incrementAndGet())).isEqualTo(2);
        assertThat(cache.get(second, "tg", k -> computed.incrementAndGet())).isEqualTo(3);
        // Back on an older snapshot (a thread that read the world before the change): nothing of the newer one.
        assertThat(cache.get(first, "tg", k -> computed.incrementAndGet())).isEqualTo(4);
        assertThat(computed).hasValue(4);
    }

    @Test
    void aValueKeptPerVersion_isComputedAgainWhenTheVersionMoves_onTheSameSnapshot() {
        PerSnapshot<String, Integer> cache = new PerSnapshot<>();
        AtomicInteger computed = new AtomicInteger();
        Object world = World.empty();

        assertThat(cache.get(world, 7, "node", k -> computed.incrementAndGet())).isEqualTo(1);
        assertThat(cache.get(world, 7, "node", k -> computed.incrementAndGet())).isEqualTo(1);
        // A health check flipped: same world, next version.
        assertThat(cache.get(world, 8, "node", k -> computed.incrementAndGet())).isEqualTo(2);
        assertThat(cache.get(world, 8, "node", k -> computed.incrementAndGet())).isEqualTo(2);
        assertThat(computed).hasValue(2);
    }
}
