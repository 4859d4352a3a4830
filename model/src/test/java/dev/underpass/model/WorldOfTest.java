package dev.underpass.model;

import dev.underpass.model.ec2.VpcCidrAssociationId;
import dev.underpass.model.ec2.DhcpOptionsId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.model.ec2.CidrAssociationState;
import dev.underpass.model.ec2.Vpc;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A world built at once from a collection is the world built by putting its records one by one. */
class WorldOfTest {
    private static Vpc vpc(String id, String name) {
        return new Vpc(id, "123456789012", "us-east-1", "10.0.0.0/16",
                List.of(new Vpc.CidrAssociation(VpcCidrAssociationId.of("vpc-cidr-assoc-" + id.substring(4)),
                        "10.0.0.0/16",
                        CidrAssociationState.ASSOCIATED)),
                DhcpOptionsId.of("default"), "default", false, true, false, Instant.EPOCH, Map.of("Name", name));
    }

    @Test
    void of_equalsSuccessivePuts_withRepeatedIdsKeepingTheLast() {
        Random random = new Random(7);
        List<Resource> records = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            String id = String.format("vpc-%017x", random.nextInt(1_000));
            records.add(vpc(id, "v" + i));
            records.add(AccountRegion.of(String.format("%012d", random.nextInt(500)), "us-east-1",
                    Instant.ofEpochSecond(i)));
        }
        World byPuts = byPuts(records);
        World atOnce = World.of(records);
        assertThat(atOnce.size()).isEqualTo(byPuts.size());
        assertThat(atOnce.everything()).containsExactlyElementsOf(byPuts.everything());
        assertThat(atOnce.version()).isZero();
        Resource last = records.get(records.size() - 2);
        assertThat(atOnce.find(last.getClass(), last.id()).map(Resource.class::cast)).contains(last);
        // Still a working persistent world: puts and removes after it behave.
        World more = atOnce.put(vpc("vpc-fffffffffffffffff", "new")).remove(last);
        assertThat(more.size()).isEqualTo(atOnce.size());
        assertThat(more.find(Vpc.class, "vpc-fffffffffffffffff")).isPresent();
        assertThat(World.of(List.of()).size()).isZero();
    }

    @Test
    void of_recordsAlreadyInIdOrder_asALoadGivesThem_equalsSuccessivePuts() {
        Random random = new Random(8);
        List<Resource> records = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            records.add(vpc(String.format("vpc-%017x", random.nextLong() >>> 8), "v" + i));
            records.add(AccountRegion.of(String.format("%012d", i), "us-east-1", Instant.ofEpochSecond(i)));
        }
        records.sort(java.util.Comparator.comparing(Resource::id)); // The types' ids come interleaved.
        World byPuts = byPuts(records);
        World atOnce = World.of(records);
        assertThat(atOnce.size()).isEqualTo(records.size());
        assertThat(atOnce.everything()).containsExactlyElementsOf(byPuts.everything());
        // One id out of order in one type: that type is sorted after all.
        List<Resource> swapped = new ArrayList<>(records);
        java.util.Collections.swap(swapped, 0, swapped.size() - 1);
        assertThat(World.of(swapped).everything()).containsExactlyElementsOf(byPuts.everything());
    }

    private static World byPuts(List<Resource> records) {
        World w = World.empty();
        for (Resource r : records) {
            w = w.put(r);
        }
        return w;
    }

    @Test
    void azMapping_isAlignedByDefault_andKeptByEveryDerivedWorld() {
        assertThat(World.empty().azMapping()).isEqualTo(AzMapping.ALIGNED);
        World w = World.of(List.of(vpc("vpc-00000000000000001", "a"))).withAzMapping(AzMapping.PER_ACCOUNT);
        Vpc other = vpc("vpc-00000000000000002", "b");
        assertThat(w.put(other).azMapping()).isEqualTo(AzMapping.PER_ACCOUNT);
        assertThat(w.put(other).remove(other).azMapping()).isEqualTo(AzMapping.PER_ACCOUNT);
        assertThat(w.withVersion(9).azMapping()).isEqualTo(AzMapping.PER_ACCOUNT);
        assertThat(w.withVersion(9).version()).isEqualTo(9);
        // The zones a rule reads from the world follow its mapping: one account's permutation of the listed ids.
        assertThat(w.azMapping().zones("us-east-1", "123456789012"))
                .isEqualTo(AzMapping.PER_ACCOUNT.apply(Regions.zones("us-east-1"), "123456789012", "us-east-1"));
        assertThat(World.empty().azMapping().zones("us-east-1", "123456789012")).isEqualTo(Regions.zones("us-east-1"));
    }
}
