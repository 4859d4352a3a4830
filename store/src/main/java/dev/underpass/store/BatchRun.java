package dev.underpass.store;

import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.IdSource;
import dev.underpass.model.Ids;
import dev.underpass.model.Resource;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A batch of calls run in order on one world: the world they leave, the rows they changed and the answers to give
 * their callers once the commit is decided.
 *
 * <p>It is the part of the {@link Store}'s writer that touches no thread, lock or backend: the writer runs a batch
 * here, commits {@link #puts()} and {@link #removes()} its own way (optimistic, exclusive, rewriting failed rows) and
 * then completes either the answers or {@link #refused refusals}. Keeping it apart keeps the writer's
 * concurrency readable, and lets the same run be made again on a newer world when a shared backend's commit loses.
 *
 * @param working the world after the last call
 * @param puts rows written, by id (a row removed later in the batch is only in {@code removes})
 * @param removes rows removed, by id
 * @param completions one answer per call, in the batch's order
 */
record BatchRun(World working, Map<String, Resource> puts, Map<String, Resource> removes,
        List<Runnable> completions) {

    /** One queued call: who made it, what it does, and where its answer goes. */
    record Task<T>(Caller caller, Function<Tx, T> body, CompletableFuture<T> result) {}

    /** Runs {@code batch} in order on {@code start}; a call that throws is rolled back and leaves no trace. */
    static BatchRun of(List<Task<?>> batch, World start, Clock clock, IdSource ids) {
        World working = start;
        Map<String, Resource> puts = new LinkedHashMap<>();
        Map<String, Resource> removes = new LinkedHashMap<>();
        List<Runnable> completions = new ArrayList<>(batch.size());
        for (Task<?> task : batch) {
            Tx tx = new Tx(working, task.caller(), clock.instant(), ids);
            completions.add(Ids.using(ids, () -> apply(task, tx)));
            if (tx.world() != working) {
                working = tx.world();
                for (Resource r : tx.removes()) {
                    puts.remove(r.id());
                    removes.put(r.id(), r);
                }
                for (Resource r : tx.puts()) {
                    removes.remove(r.id());
                    puts.put(r.id(), r);
                }
            }
        }
        return new BatchRun(working, puts, removes, completions);
    }

    boolean changes() {
        return !puts.isEmpty() || !removes.isEmpty();
    }

    /** The rows to commit, in the backend's form. */
    Backend.Batch rows() {
        return new Backend.Batch(puts.values(), removes.values());
    }

    /**
     * The answers when the commit failed: a call that succeeded gets {@code error} (its effects were not kept), a call
     * that threw keeps its own error (it changed nothing either way).
     */
    List<Runnable> refused(List<Task<?>> batch, Supplier<AwsException> error) {
        List<Runnable> answers = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            if (completions.get(i) instanceof Success) {
                CompletableFuture<?> result = batch.get(i).result();
                answers.add(() -> result.completeExceptionally(error.get()));
            } else {
                answers.add(completions.get(i));
            }
        }
        return answers;
    }

    /** Every call of {@code batch} answered with {@code error}, whatever it would have done. */
    static List<Runnable> refuseAll(List<Task<?>> batch, Supplier<? extends Throwable> error) {
        return batch.stream().<Runnable>map(task -> () -> task.result().completeExceptionally(error.get())).toList();
    }

    /** A call's completion when it returned normally (its effects still need the commit). */
    private record Success(Runnable complete) implements Runnable {
        @Override
        public void run() {
            complete.run();
        }
    }

    private static <T> Runnable apply(Task<T> task, Tx tx) {
        try {
            T value = task.body().apply(tx);
            return new Success(() -> task.result().complete(value));
        } catch (RuntimeException e) {
            tx.rollback();
            return () -> task.result().completeExceptionally(e);
        }
    }
}
