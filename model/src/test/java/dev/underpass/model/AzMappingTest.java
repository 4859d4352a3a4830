package dev.underpass.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The per-account Availability Zone permutation ({@link AzMapping}) and its documented recipe. */
class AzMappingTest {
    private static List<String> ids(List<Regions.Zone> zones) {
        return zones.stream().map(Regions.Zone::zoneId).toList();
    }

    @Test
    void aligned_isTheListedMappingForEveryAccount() {
        List<Regions.Zone> listed = Regions.zones("us-east-1");
        assertThat(AzMapping.ALIGNED.apply(listed, "111111111111", "us-east-1")).isEqualTo(listed);
    }

    @Test
    void perAccount_keepsNamesInOrder_andPermutesTheIds_deterministically() {
        List<Regions.Zone> listed = Regions.zones("us-east-1");
        List<Regions.Zone> seen = AzMapping.PER_ACCOUNT.apply(listed, "123456789012", "us-east-1");
        assertThat(seen).extracting(Regions.Zone::name).isEqualTo(listed.stream().map(Regions.Zone::name).toList());
        assertThat(ids(seen)).containsExactlyInAnyOrderElementsOf(ids(listed));
        assertThat(AzMapping.PER_ACCOUNT.apply(listed, "123456789012", "us-east-1")).isEqualTo(seen);
    }

    @Test
    void perAccount_followsTheDocumentedRecipe() throws Exception {
        // Recomputes the shuffle from the README's words, independently of the implementation.
        String account = "210987654321";
        String region = "eu-west-1";
        List<Regions.Zone> listed = Regions.zones(region);
        String[] ids = ids(listed).toArray(String[]::new);
        for (int i = ids.length - 1; i >= 1; i--) {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest((account + "/" + region + "/" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            long v = java.nio.ByteBuffer.wrap(d, 0, 8).getLong();
            int j = (int) Long.remainderUnsigned(v, i + 1);
            String t = ids[i];
            ids[i] = ids[j];
            ids[j] = t;
        }
        assertThat(ids(AzMapping.PER_ACCOUNT.apply(listed, account, region))).containsExactly(ids);
    }

    @Test
    void perAccount_givesDifferentAccountsDifferentMappings() {
        List<Regions.Zone> listed = Regions.zones("us-east-1");
        Set<List<String>> mappings = new HashSet<>();
        for (int a = 0; a < 20; a++) {
            mappings.add(ids(AzMapping.PER_ACCOUNT.apply(listed, Long.toString(300_000_000_000L + a), "us-east-1")));
        }
        assertThat(mappings.size()).isGreaterThan(5);
    }

    @Test
    void fromWire_readsTheTwoModes_andRefusesOthers() {
        assertThat(AzMapping.fromWire("aligned")).isEqualTo(AzMapping.ALIGNED);
        assertThat(AzMapping.fromWire("per-account")).isEqualTo(AzMapping.PER_ACCOUNT);
        assertThatThrownBy(() -> AzMapping.fromWire("random")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'random'");
    }
}
