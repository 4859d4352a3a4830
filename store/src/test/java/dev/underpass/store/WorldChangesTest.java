package dev.underpass.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.AccountRegion;
import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.IdSource;
import dev.underpass.model.Resource;
import dev.underpass.model.World;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The writer's pure steps: a batch run on a world, and the reconciliation of a world with the backend's rows. */
class WorldChangesTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Caller CALLER = Caller.of("111111111111", "us-east-1");

    private static Resource marker(String account) {
        return AccountRegion.of(account, "us-east-1", NOW);
    }

    private static List<String> ids(Collection<Resource> rows) {
        return rows.stream().map(Resource::id).toList();
    }

    @Test
    void withUnsettled_rewritesRowsTheWorldHas_removesRowsItLacks_andTheBatchWins() {
        Resource kept = marker("111111111111");
        Resource gone = marker("222222222222");
        Resource touched = marker("333333333333");
        World world = World.of(List.of(kept, touched));
        Map<String, Resource> unsettled = new LinkedHashMap<>();
        unsettled.put(kept.id(), kept);
        unsettled.put(gone.id(), gone);
        unsettled.put(touched.id(), touched);
        // The batch removes one of the unsettled rows and writes a new one.
        Resource added = marker("444444444444");
        BatchRun run = new BatchRun(world, Map.of(added.id(), added), Map.of(touched.id(), touched), List.of());

        Backend.Batch rows = WorldChanges.withUnsettled(run, unsettled, world);

        assertThat(ids(rows.puts())).containsExactly(kept.id(), added.id());
        assertThat(ids(rows.removes())).containsExactly(gone.id(), touched.id());
    }

    @Test
    void applied_foldsOtherNodesChanges_atTheirVersion_andNeverGoesBack() {
        Resource a = marker("111111111111");
        Resource b = marker("222222222222");
        World current = World.of(List.of(a)).withVersion(3);

        World next = WorldChanges.applied(current, new Backend.Changes(5, false, List.of(b), List.of(a)));
        assertThat(next.version()).isEqualTo(5);
        assertThat(next.findAny(a.id())).isEmpty();
        assertThat(next.findAny(b.id())).contains(b);

        assertThat(WorldChanges.applied(current, new Backend.Changes(3, false, List.of(), List.of())))
                .isSameAs(current);
        World full = WorldChanges.applied(current, Backend.Changes.everything(4, List.of(b)));
        assertThat(full.version()).isEqualTo(4);
        assertThat(full.findAny(a.id())).isEmpty();
        assertThatThrownBy(() -> WorldChanges.applied(current, Backend.Changes.everything(2, List.of())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("behind this node's 3");
    }

    @Test
    void applied_keepsTheNodesAzMapping_onAFullReloadToo() {
        Resource a = marker("111111111111");
        World current = World.of(List.of(a)).withVersion(3)
                .withAzMapping(dev.underpass.model.AzMapping.PER_ACCOUNT);
        assertThat(WorldChanges.applied(current, Backend.Changes.everything(4, List.of(a))).azMapping())
                .isEqualTo(dev.underpass.model.AzMapping.PER_ACCOUNT);
        assertThat(WorldChanges.applied(current, new Backend.Changes(5, false, List.of(), List.of(a))).azMapping())
                .isEqualTo(dev.underpass.model.AzMapping.PER_ACCOUNT);
    }

    @Test
    void batchRun_keepsTheLastChangeOfEachRow_andRefusesOnlyTheCallsThatSucceeded() {
        Resource a = marker("111111111111");
        CompletableFuture<Object> put = new CompletableFuture<>();
        CompletableFuture<Object> putThenRemove = new CompletableFuture<>();
        CompletableFuture<Object> throwing = new CompletableFuture<>();
        List<BatchRun.Task<?>> batch = List.of(
                new BatchRun.Task<>(CALLER, tx -> {
                    tx.put(a);
                    return "first";
                }, put),
                new BatchRun.Task<>(CALLER, tx -> {
                    tx.remove(a);
                    return "second";
                }, putThenRemove),
                new BatchRun.Task<>(CALLER, tx -> {
                    throw new IllegalArgumentException("own error");
                }, throwing));

        BatchRun run = BatchRun.of(batch, World.of(List.of()), Clock.fixed(NOW, ZoneOffset.UTC), IdSource.random());

        assertThat(run.puts()).isEmpty();
        assertThat(run.removes()).containsOnlyKeys(a.id());
        assertThat(run.working().findAny(a.id())).isEmpty();
        run.refused(batch, () -> ErrorCode.SERVICE_UNAVAILABLE.with("refused")).forEach(Runnable::run);
        assertThatThrownBy(put::join).hasCauseInstanceOf(AwsException.class).hasRootCauseMessage("refused");
        assertThatThrownBy(putThenRemove::join).hasCauseInstanceOf(AwsException.class)
                .hasRootCauseMessage("refused");
        assertThatThrownBy(throwing::join).hasCauseInstanceOf(IllegalArgumentException.class)
                .hasRootCauseMessage("own error");
    }
}
