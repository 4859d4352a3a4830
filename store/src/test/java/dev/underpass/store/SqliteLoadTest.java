package dev.underpass.store;

import dev.underpass.model.ec2.VpcCidrAssociationId;
import dev.underpass.model.ec2.DhcpOptionsId;
import dev.underpass.model.ec2.VpcId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.model.Resource;
import dev.underpass.model.World;
import dev.underpass.model.ec2.CidrAssociationState;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.ec2.Vpc;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start-up read of a data dir larger than the decoding window (many chunks, read ahead a few at a time, each
 * sorted where it is decoded) gives every stored record back, as written, and the same world as the records do.
 */
class SqliteLoadTest {
    @TempDir
    Path dir;

    @Test
    void sortedRuns_mergeIntoOneSortedRun_earlierFirstOnEqualIds() {
        Random random = new Random(52);
        for (int round = 0; round < 50; round++) {
            List<SortedRun> runs = new ArrayList<>();
            List<Resource> all = new ArrayList<>();
            int count = random.nextInt(12);
            for (int r = 0; r < count; r++) {
                List<Resource> run = new ArrayList<>();
                int size = random.nextInt(random.nextBoolean() ? 5 : 300);
                for (int k = 0; k < size; k++) {
                    // Few distinct ids, so that equal ids meet; the time tells the copies apart.
                    run.add(dev.underpass.model.AccountRegion.of(String.format(java.util.Locale.ROOT, "%012d",
                            random.nextInt(50)), "us-east-1", Instant.ofEpochSecond(r * 1_000L + k)));
                }
                SortedRun sorted = SortedRun.of(run); // Stable: within a run, in time order.
                all.addAll(sorted.records());
                SortedRun.push(runs, sorted);
            }
            List<Resource> expected = new ArrayList<>(all);
            expected.sort(java.util.Comparator.comparing(Resource::id)); // Stable: earlier runs first.
            assertThat(SortedRun.collapse(runs).records()).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void manyChunks_loadEveryRecordAsWritten() {
        Random random = new Random(165);
        List<Resource> written = new ArrayList<>();
        for (int v = 0; v < 1_500; v++) {
            String account = String.format(java.util.Locale.ROOT, "%012d", random.nextInt(40));
            Vpc vpc = new Vpc(String.format(java.util.Locale.ROOT, "vpc-%017x", random.nextLong() >>> 1), account,
                    "us-east-1",
                    "10.0.0.0/16",
                    List.of(new Vpc.CidrAssociation(VpcCidrAssociationId.of("vpc-cidr-assoc-" + v), "10.0.0.0/16",
                            CidrAssociationState.ASSOCIATED)),
                    DhcpOptionsId.of("dopt-1"), "default", false, true, false,
                    Instant.ofEpochSecond(1_700_000_000L + v, random.nextInt(1_000_000_000)), Map.of("Name", "v" + v));
            written.add(vpc);
            for (int s = 0; s < 10; s++) {
                written.add(new Subnet(String.format(java.util.Locale.ROOT, "subnet-%017x", random.nextLong() >>> 1),
                        account, "us-east-1",
                        vpc.vpcId(), "10.0." + s + ".0/24", "us-east-1a", "use1-az1", false, s % 2 == 0,
                        Instant.ofEpochSecond(1_700_000_000L + v), Map.of()));
            }
        }
        List<Resource> shuffled = new ArrayList<>(written);
        Collections.shuffle(shuffled, random);
        try (SqliteBackend b = new SqliteBackend(dir)) {
            for (int i = 0; i < shuffled.size(); i += 1_000) {
                b.commit(i / 1_000, shuffled.subList(i, Math.min(shuffled.size(), i + 1_000)), List.of());
            }
        }
        try (SqliteBackend b = new SqliteBackend(dir)) {
            List<Resource> loaded = b.load();
            assertThat(loaded).hasSize(16_500).containsExactlyInAnyOrderElementsOf(written)
                    .isSortedAccordingTo(java.util.Comparator.comparing(Resource::id));
            World world = World.of(loaded);
            assertThat(world.size()).isEqualTo(16_500);
            World expected = World.of(written);
            assertThat(List.copyOf(world.all(Subnet.class))).hasSize(15_000)
                    .isSortedAccordingTo(java.util.Comparator.comparing(Subnet::id))
                    .containsExactlyElementsOf(expected.all(Subnet.class));
            assertThat(List.copyOf(world.all(Vpc.class))).hasSize(1_500)
                    .containsExactlyElementsOf(expected.all(Vpc.class));
        }
    }
}
