package dev.underpass.store;

import dev.underpass.model.Resource;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Records sorted by id, with their ids in an array beside them: the start-up load merges such runs as their chunks
 * come back decoded. Merging compares the strings in {@code ids}, never a record's {@code id()}: called on forty
 * record types, that call is megamorphic, and while the load's merges still ran in the JIT's profiled tier it made
 * the merging thread most of the serial part of a 250,000-resource start.
 */
final class SortedRun {
    private static final Comparator<Keyed> BY_ID = Comparator.comparing(Keyed::id);
    private static final SortedRun EMPTY = new SortedRun(new String[0], new Resource[0]);

    private final String[] ids;
    private final Resource[] records;

    private SortedRun(String[] ids, Resource[] records) {
        this.ids = ids;
        this.records = records;
    }

    /** {@code records} sorted by id (stable: equal ids keep their order). */
    static SortedRun of(List<Resource> records) {
        Keyed[] keyed = new Keyed[records.size()];
        for (int i = 0; i < keyed.length; i++) {
            Resource r = records.get(i);
            keyed[i] = new Keyed(r.id(), r); // Each record's id() once, not once per comparison.
        }
        Arrays.sort(keyed, BY_ID);
        String[] ids = new String[keyed.length];
        Resource[] sorted = new Resource[keyed.length];
        for (int i = 0; i < keyed.length; i++) {
            ids[i] = keyed[i].id();
            sorted[i] = keyed[i].record();
        }
        return new SortedRun(ids, sorted);
    }

    private record Keyed(String id, Resource record) {}

    static SortedRun empty() {
        return EMPTY;
    }

    int size() {
        return records.length;
    }

    /** The records in id order (a read-only view). */
    List<Resource> records() {
        return java.util.Collections.unmodifiableList(Arrays.asList(records));
    }

    /**
     * Adds a sorted run to a stack of sorted runs, merging the top two while the lower one is no longer than the
     * upper: the stack stays short (sizes halving downwards) and each record takes part in few merges.
     */
    static void push(List<SortedRun> runs, SortedRun run) {
        runs.add(run);
        while (runs.size() >= 2 && runs.get(runs.size() - 2).size() <= runs.getLast().size()) {
            SortedRun upper = runs.removeLast();
            runs.add(merge(runs.removeLast(), upper));
        }
    }

    /** The runs on the stack as one, merged from the top down. */
    static SortedRun collapse(List<SortedRun> runs) {
        while (runs.size() > 1) {
            SortedRun upper = runs.removeLast();
            runs.add(merge(runs.removeLast(), upper));
        }
        return runs.isEmpty() ? EMPTY : runs.getFirst();
    }

    /** Two runs as one; on equal ids, {@code first}'s record comes first. */
    static SortedRun merge(SortedRun first, SortedRun second) {
        String[] a = first.ids;
        String[] b = second.ids;
        int n = a.length + b.length;
        String[] ids = new String[n];
        Resource[] out = new Resource[n];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < a.length && j < b.length) {
            if (a[i].compareTo(b[j]) <= 0) {
                ids[k] = a[i];
                out[k++] = first.records[i++];
            } else {
                ids[k] = b[j];
                out[k++] = second.records[j++];
            }
        }
        int restA = a.length - i;
        System.arraycopy(a, i, ids, k, restA);
        System.arraycopy(first.records, i, out, k, restA);
        k += restA;
        System.arraycopy(b, j, ids, k, b.length - j);
        System.arraycopy(second.records, j, out, k, b.length - j);
        return new SortedRun(ids, out);
    }
}
