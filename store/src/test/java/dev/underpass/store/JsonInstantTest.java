package dev.underpass.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.model.AccountRegion;
import dev.underpass.model.Resource;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast instant reader agrees with the general one on every form, and hands back what it does not read. */
class JsonInstantTest {
    @Test
    void theFastForm_readsAsInstantParseDoes() {
        for (String s : List.of("2026-01-01T00:00:00Z", "2026-12-05T12:35:56.303666827Z", "2024-02-29T23:59:59.5Z",
                "1970-01-01T00:00:00.000Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
                "1969-12-31T23:59:59.123456Z")) {
            assertThat(Json.FastInstantDeserializer.parse(s)).as(s).isEqualTo(Instant.parse(s));
        }
        Random random = new Random(16);
        for (int i = 0; i < 10_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(-60_000_000_000L, 250_000_000_000L),
                    random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
            assertThat(Json.FastInstantDeserializer.parse(t.toString())).as(t.toString()).isEqualTo(t);
        }
    }

    @Test
    void otherForms_areLeftToTheGeneralReader() {
        for (String s : List.of("2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z",
                "2026-01-01T00:00:00+01:00", "+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z",
                "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00.1234567890Z", "2026-01-01 00:00:00Z",
                "2026-01-01T00:00Z")) {
            assertThat(Json.FastInstantDeserializer.parse(s)).as(s).isNull();
        }
    }

    @Test
    void storedRecords_readTheSameWhetherTheirTimeIsFastOrNot() {
        for (Instant t : List.of(Instant.parse("2026-12-05T12:35:56.303666827Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("-0001-06-01T00:00:00Z"))) {
            Resource r = AccountRegion.of("111111111111", "us-east-1", t);
            String json = Json.write(r);
            assertThat(Json.read(json)).isEqualTo(r);
            assertThat(Json.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(r);
        }
        // An instant stored as a number (not written by this encoding) still reads.
        String numeric = Json.write(AccountRegion.of("111111111111", "us-east-1", Instant.EPOCH))
                .replace("\"1970-01-01T00:00:00Z\"", "1.5");
        assertThat(numeric).contains("1.5");
        assertThat(Json.read(numeric)).isEqualTo(AccountRegion.of("111111111111", "us-east-1",
                Instant.ofEpochSecond(1, 500_000_000)));
    }
}
