package dev.underpass.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Index groups carried forward by Tx must always equal the groups a scan of the same world finds. */
class IndexTest {
    /** A stand-in record with an optional key, so the index meets the null case on purpose. */
    record Thing(String id, String ownerId, String region, String key, Map<String, String> tags)
            implements Resource {
        @Override
        public Thing withTags(Map<String, String> newTags) {
            return new Thing(id, ownerId, region, key, newTags);
        }

        @Override
        public String resourceType() {
            return "thing";
        }
    }

    /** A second record type, to change the world without touching any Thing. */
    record Other(String id, String ownerId, String region, Map<String, String> tags) implements Resource {
        @Override
        public Other withTags(Map<String, String> newTags) {
            return new Other(id, ownerId, region, newTags);
        }

        @Override
        public String resourceType() {
            return "other";
        }
    }

    private static final Index<Thing, String> BY_KEY = Index.by(Thing.class, Thing::key);
    private static final AtomicInteger KEYED = new AtomicInteger();
    private static final Index<Thing, String> COUNTED = Index.by(Thing.class, t -> {
        KEYED.incrementAndGet();
        return t.key();
    });
    private static final List<String> ACCOUNTS = List.of("111111111111", "222222222222", "333333333333");
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");
    private static final List<String> KEYS = List.of("a", "b", "c");

    private static Caller caller(Random random) {
        return Caller.of(ACCOUNTS.get(random.nextInt(3)), REGIONS.get(random.nextInt(2)));
    }

    private static Thing random(Random random, String id) {
        return new Thing(id, ACCOUNTS.get(random.nextInt(3)), REGIONS.get(random.nextInt(2)),
                random.nextInt(4) == 0 ? null : KEYS.get(random.nextInt(3)), Map.of());
    }

    private static void assertMatchesAScan(World world) {
        for (String account : ACCOUNTS) {
            for (String region : REGIONS) {
                assertThat(List.copyOf(Index.owned(world, Thing.class, account, region)))
                        .isEqualTo(world.all(Thing.class, t -> t.ownerId().equals(account)
                                && t.region().equals(region)));
            }
        }
        for (String key : KEYS) {
            assertThat(List.copyOf(BY_KEY.get(world, key)))
                    .isEqualTo(world.all(Thing.class, t -> key.equals(t.key())));
        }
        assertThat(BY_KEY.get(world, null)).isEmpty();
    }

    @Test
    void groupsCarriedThroughPutsReplacesRemovesAndRollbacks_equalAScan() {
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            World world = World.empty();
            // Build the indexes once, as the first read of a loaded store would.
            assertMatchesAScan(world);
            List<String> ids = new ArrayList<>();
            for (int step = 0; step < 60; step++) {
                Tx tx = new Tx(world, caller(random), Instant.EPOCH);
                int ops = 1 + random.nextInt(4);
                for (int i = 0; i < ops; i++) {
                    int op = random.nextInt(3);
                    if (op == 0 || ids.isEmpty()) {
                        String id = "thing-" + seed + "-" + step + "-" + i;
                        ids.add(id);
                        tx.put(random(random, id));
                    } else if (op == 1) {
                        tx.put(random(random, ids.get(random.nextInt(ids.size()))));
                    } else {
                        String id = ids.get(random.nextInt(ids.size()));
                        tx.find(Thing.class, id).ifPresent(tx::remove);
                    }
                    assertMatchesAScan(tx.world());
                }
                if (random.nextInt(5) == 0) {
                    tx.rollback();
                }
                world = tx.world();
                assertMatchesAScan(world);
            }
        }
    }

    @Test
    void aWorldMadeOutsideATx_isIndexedOnFirstUse() {
        World world = World.of(List.of(
                new Thing("t-2", "111111111111", "us-east-1", "a", Map.of()),
                new Thing("t-1", "111111111111", "us-east-1", null, Map.of()),
                new Thing("t-3", "222222222222", "us-east-1", "a", Map.of())));
        assertThat(Index.owned(world, Thing.class, "111111111111", "us-east-1")).extracting(Thing::id)
                .containsExactly("t-1", "t-2");
        assertThat(BY_KEY.get(world, "a")).extracting(Thing::id).containsExactly("t-2", "t-3");
        assertThat(Index.owned(world, Thing.class, "333333333333", "us-east-1")).isEmpty();
    }

    @Test
    void writesOfAnotherType_carryTheIndexWithoutRebuildingIt() {
        World world = World.empty();
        Tx tx = new Tx(world, Caller.of("111111111111", "us-east-1"), Instant.EPOCH);
        for (int i = 0; i < 100; i++) {
            tx.put(new Thing("t-" + i, "111111111111", "us-east-1", "a", Map.of()));
        }
        assertThat(COUNTED.get(tx.world(), "a")).hasSize(100);
        int afterBuild = KEYED.get();
        for (int i = 0; i < 50; i++) {
            tx.put(new Other("o-" + i, "111111111111", "us-east-1", Map.of()));
            assertThat(COUNTED.get(tx.world(), "a")).hasSize(100);
        }
        tx.put(new Thing("t-new", "111111111111", "us-east-1", "a", Map.of()));
        assertThat(COUNTED.get(tx.world(), "a")).hasSize(101);
        // Only the new record was keyed: nothing was rebuilt.
        assertThat(KEYED.get() - afterBuild).isEqualTo(1);
    }

    @Test
    void aCommittedWorld_keepsItsIndexesWithoutRebuildingThem() {
        Tx tx = new Tx(World.empty(), Caller.of("111111111111", "us-east-1"), Instant.EPOCH);
        for (int i = 0; i < 100; i++) {
            tx.put(new Thing("c-" + i, "111111111111", "us-east-1", "k", Map.of()));
        }
        assertThat(COUNTED.get(tx.world(), "k")).hasSize(100);
        int afterBuild = KEYED.get();
        // What the store does with each commit: the same records under the committed version number.
        World committed = tx.world().withVersion(tx.world().version() + 1);
        assertThat(COUNTED.get(committed, "k")).hasSize(100);
        assertThat(KEYED.get() - afterBuild).isZero();
        Tx next = new Tx(committed, Caller.of("111111111111", "us-east-1"), Instant.EPOCH);
        next.put(new Thing("c-new", "111111111111", "us-east-1", "k", Map.of()));
        assertThat(COUNTED.get(next.world(), "k")).hasSize(101);
        assertThat(KEYED.get() - afterBuild).isEqualTo(1);
        assertMatchesAScan(next.world().withVersion(committed.version() + 1));
    }
}
