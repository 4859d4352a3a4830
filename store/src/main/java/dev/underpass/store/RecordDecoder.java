package dev.underpass.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.underpass.model.Resource;
import dev.underpass.model.ResourceKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads stored rows into records without Jackson's data binding, which was most of a start-up's decoding time
 * (buffering each record's properties, then a reflective constructor call). For each plain record kind it walks the
 * parser's tokens once and calls the canonical constructor through a method handle, as Jackson's binding would call
 * it, with the same values: missing properties are null (or the primitive's zero), unknown ones are skipped.
 *
 * <p>It only takes what it understands for certain and hands everything else back to Jackson: a kind whose record,
 * or any record inside it, carries a Jackson annotation or has a component of a type not handled here (interfaces,
 * enums, arrays...) is always decoded by Jackson; and a row with anything unexpected (a token of another type, a
 * null in a collection or a primitive, a repeated property, an instant in another form, a constructor that throws) is
 * decoded again by Jackson from the start, which gives its own answer or its own error. So the result is Jackson's
 * in every case; {@code RecordDecoderTest} compares the two on every registered kind.
 */
final class RecordDecoder {
    /** Thrown when a row must go to Jackson instead; no stack, it is a normal way out. */
    static final class Fallback extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final Fallback INSTANCE = new Fallback();

        private Fallback() {
            super("not for the record decoder", null, false, false);
        }
    }

    /**
     * Strings read so far by one decoding thread, to hand out one copy of the values that recur from row to row
     * (owner ids, regions, zones, states, parents' ids) instead of one per row: less to keep, and less for the
     * load's garbage collections to copy. A fixed table, each slot keeping the last string that hashed to it, so
     * unique values (the rows' own ids) cost a slot and nothing more. Not thread-safe: one per thread or task.
     */
    static final class Strings {
        /** Longer values (descriptions, documents) are rarely repeated: made as they come. */
        private static final int MAX_LENGTH = 64;
        private final String[] slots = new String[8192];

        String of(JsonParser p) throws IOException {
            char[] chars = p.getTextCharacters();
            int offset = p.getTextOffset();
            int length = p.getTextLength();
            if (length > MAX_LENGTH) {
                return new String(chars, offset, length);
            }
            int h = 0;
            for (int i = offset; i < offset + length; i++) {
                h = 31 * h + chars[i];
            }
            int slot = (h ^ h >>> 12) & (slots.length - 1);
            String cached = slots[slot];
            if (cached != null && equal(cached, chars, offset, length)) {
                return cached;
            }
            String made = new String(chars, offset, length);
            slots[slot] = made;
            return made;
        }

        private static boolean equal(String s, char[] chars, int offset, int length) {
            if (s.length() != length) {
                return false;
            }
            for (int i = 0; i < length; i++) {
                if (s.charAt(i) != chars[offset + i]) {
                    return false;
                }
            }
            return true;
        }
    }

    private final JsonFactory factory;
    /** By {@code @kind}: the record type of each registered kind. */
    private final Map<String, Class<?>> types;
    /**
     * By {@code @kind}: the reader of each kind met so far, empty for a kind this decoder does not take. Readers are
     * made on first use: making one spins method-handle classes (about 2 ms per kind), and a start-up pays that only
     * for the kinds its rows hold, on whichever decoding thread meets each first.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.Optional<RecordReaders.RecordReader>> readers =
            new java.util.concurrent.ConcurrentHashMap<>();

    RecordDecoder(JsonFactory factory, List<ResourceKind> registered) {
        this.factory = factory;
        Map<String, Class<?>> byName = new HashMap<>();
        for (ResourceKind k : registered) {
            byName.put(k.name(), k.type());
        }
        this.types = Map.copyOf(byName);
    }

    /** Whether rows of {@code kindName} are decoded here (the others always go to Jackson). */
    boolean takes(String kindName) {
        return reader(kindName) != null;
    }

    /** The reader of {@code kindName}, or null if this decoder does not take that kind. */
    private RecordReaders.RecordReader reader(String kindName) {
        java.util.Optional<RecordReaders.RecordReader> known = readers.get(kindName);
        if (known == null) {
            Class<?> type = types.get(kindName);
            if (type == null) {
                return null; // Not registered: nothing is kept for names read from rows.
            }
            known = readers.computeIfAbsent(kindName,
                    k -> java.util.Optional.ofNullable(RecordReaders.of(type)));
        }
        return known.orElse(null);
    }

    /**
     * The record in {@code utf8}, or throws {@link Fallback} if Jackson must decode it: its kind is not taken here,
     * or something in it is not what this decoder expects. Its strings come from {@code strings}, which the caller
     * keeps for the rows it decodes on one thread (null: none kept).
     */
    Resource read(byte[] utf8, Strings strings) {
        try (JsonParser p = factory.createParser(utf8)) {
            return read(p, strings);
        } catch (IOException | RuntimeException e) {
            throw Fallback.INSTANCE;
        }
    }

    /**
     * The records of {@code rows}, in order, read through one parser over the rows laid end to end: a parser per row
     * cost more to make (its buffers, contexts and name table) than a small row takes to read. A row this decoder
     * does not take, or whose record would not end inside it, is handed to {@code alone} (which reads it by itself,
     * as {@link Json#read(byte[])} does) and reading goes on from the next row with a new parser.
     */
    List<Resource> readRows(List<byte[]> rows, Strings strings, java.util.function.Function<byte[], Resource> alone) {
        int total = 0;
        for (byte[] row : rows) {
            total += row.length + 1;
        }
        byte[] all = new byte[total];
        int[] starts = new int[rows.size() + 1];
        int at = 0;
        for (int i = 0; i < rows.size(); i++) {
            byte[] row = rows.get(i);
            starts[i] = at;
            System.arraycopy(row, 0, all, at, row.length);
            at += row.length;
            all[at++] = '\n';
        }
        starts[rows.size()] = at;
        List<Resource> out = new ArrayList<>(rows.size());
        JsonParser p = null;
        int base = 0; // Where p began: its offsets count from there.
        try {
            for (int i = 0; i < rows.size(); i++) {
                Resource r = null;
                try {
                    if (p == null) {
                        base = starts[i];
                        p = factory.createParser(all, base, total - base);
                    }
                    r = readWithin(p, strings, starts[i] - base, starts[i + 1] - 1 - base);
                } catch (IOException | RuntimeException e) {
                    r = null; // Below, alone.
                }
                if (r == null) {
                    closeQuietly(p);
                    p = null;
                    r = alone.apply(rows.get(i));
                }
                out.add(r);
            }
        } finally {
            closeQuietly(p);
        }
        return out;
    }

    /** The next record, if it starts at {@code start} and its last token ends before {@code end}; else null. */
    private Resource readWithin(JsonParser p, Strings strings, long start, long end) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT || p.currentTokenLocation().getByteOffset() != start) {
            return null;
        }
        if (p.nextToken() != JsonToken.FIELD_NAME || !"@kind".equals(p.currentName())
                || p.nextToken() != JsonToken.VALUE_STRING) {
            return null;
        }
        RecordReaders.RecordReader reader = reader(p.getText());
        if (reader == null) {
            return null;
        }
        Resource r = (Resource) reader.readFields(p, strings);
        return p.currentTokenLocation().getByteOffset() < end ? r : null;
    }

    private static void closeQuietly(JsonParser p) {
        if (p != null) {
            try {
                p.close();
            } catch (IOException e) {
                // A parser over an array has nothing to release.
            }
        }
    }

    /** {@link #read(byte[], Strings)} from the JSON text. */
    Resource read(String json, Strings strings) {
        try (JsonParser p = factory.createParser(json)) {
            return read(p, strings);
        } catch (IOException | RuntimeException e) {
            throw Fallback.INSTANCE;
        }
    }

    /** The type id comes first, as Jackson writes it; anything else (or a kind not taken here) goes to Jackson. */
    private Resource read(JsonParser p, Strings strings) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME
                || !"@kind".equals(p.currentName()) || p.nextToken() != JsonToken.VALUE_STRING) {
            throw Fallback.INSTANCE;
        }
        RecordReaders.RecordReader reader = reader(p.getText());
        if (reader == null) {
            throw Fallback.INSTANCE;
        }
        return (Resource) reader.readFields(p, strings);
    }

}
