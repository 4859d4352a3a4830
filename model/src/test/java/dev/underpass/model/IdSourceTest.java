package dev.underpass.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Seeded id sources repeat themselves, random ones do not, and {@link Ids} follows the source bound to a call. */
class IdSourceTest {
    private static List<String> draws(IdSource ids) {
        List<String> out = new ArrayList<>();
        out.add(ids.next("vpc"));
        out.add(ids.hex(17));
        out.add(ids.hex(3));
        out.add(Integer.toString(ids.nextInt(36)));
        out.add(ids.uuid().toString());
        return out;
    }

    @Test
    void sameSeed_drawsTheSameSequence() {
        assertThat(draws(IdSource.seeded(42))).isEqualTo(draws(IdSource.seeded(42)));
        assertThat(draws(IdSource.seeded(42, "requests"))).isEqualTo(draws(IdSource.seeded(42, "requests")));
    }

    @Test
    void otherSeedOrStream_drawsOtherValues() {
        assertThat(IdSource.seeded(42).next("vpc")).isNotEqualTo(IdSource.seeded(43).next("vpc"));
        assertThat(IdSource.seeded(42).next("vpc")).isNotEqualTo(IdSource.seeded(42, "requests").next("vpc"));
    }

    @Test
    void randomSource_neverRepeatsInAThousandIds() {
        Set<String> seen = new HashSet<>();
        IntStream.range(0, 1000).forEach(i -> seen.add(IdSource.random().next("subnet")));
        assertThat(seen).hasSize(1000);
    }

    @Test
    void drawnValues_haveAwsShapes() {
        IdSource ids = IdSource.seeded(7);
        for (int i = 0; i < 200; i++) {
            String id = ids.next("vpce-svc");
            assertThat(Ids.wellFormed("vpce-svc", id)).as(id).isTrue();
            assertThat(id).matches("vpce-svc-0[0-9a-f]{16}");
            assertThat(ids.hex(10)).matches("[0-9a-f]{10}");
            assertThat(ids.hex(33)).matches("[0-9a-f]{33}");
            assertThat(ids.nextInt(5)).isBetween(0, 4);
            assertThat(ids.uuid().version()).isEqualTo(4);
        }
    }

    @Test
    void idsInsideUsing_drawFromTheBoundSource_andOutsideAtRandom() {
        IdSource bound = IdSource.seeded(1);
        IdSource twin = IdSource.seeded(1);
        String inside = Ids.using(bound, () -> Ids.next("sg") + " " + Ids.hex(8) + " " + Ids.generator().nextInt(36));
        assertThat(inside).isEqualTo(twin.next("sg") + " " + twin.hex(8) + " " + Ids.using(twin,
                () -> Ids.generator().nextInt(36)));
        assertThat(Ids.source()).isSameAs(IdSource.random());
    }

    @Test
    void nestedUsing_restoresTheOuterSource() {
        IdSource outer = IdSource.seeded(1);
        IdSource inner = IdSource.seeded(2);
        Ids.using(outer, () -> {
            Ids.using(inner, () -> assertThat(Ids.source()).isSameAs(inner));
            assertThat(Ids.source()).isSameAs(outer);
            return null;
        });
        assertThat(Ids.source()).isSameAs(IdSource.random());
    }

    @Test
    void tx_carriesItsSource() {
        IdSource ids = IdSource.seeded(9);
        Tx tx = new Tx(World.empty(), Caller.of("111111111111", "us-east-1"), Instant.EPOCH, ids);
        assertThat(tx.ids()).isSameAs(ids);
        assertThat(tx.ids().next("vpc")).isEqualTo(IdSource.seeded(9).next("vpc"));
    }
}
