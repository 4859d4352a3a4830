package dev.underpass.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.underpass.model.Resource;
import dev.underpass.model.ResourceKind;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /** Reads the value whose first token the parser is on, leaving it on the value's last token. */
    @FunctionalInterface
    interface ValueReader {
        Object read(JsonParser p, Strings strings) throws IOException;
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
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.Optional<RecordReader>> readers =
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
    private RecordReader reader(String kindName) {
        java.util.Optional<RecordReader> known = readers.get(kindName);
        if (known == null) {
            Class<?> type = types.get(kindName);
            if (type == null) {
                return null; // Not registered: nothing is kept for names read from rows.
            }
            known = readers.computeIfAbsent(kindName,
                    k -> java.util.Optional.ofNullable(recordReader(type, new HashMap<>(), new HashSet<>())));
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
        RecordReader reader = reader(p.getText());
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
        RecordReader reader = reader(p.getText());
        if (reader == null) {
            throw Fallback.INSTANCE;
        }
        return (Resource) reader.readFields(p, strings);
    }

    /**
     * A reader for record {@code type}, or null if a part of it is not for this decoder. {@code built} holds the
     * readers made so far; {@code making} the records being made, so that a record nested in itself is refused.
     */
    private static RecordReader recordReader(Class<?> type, Map<Class<?>, RecordReader> built, Set<Class<?>> making) {
        if (built.containsKey(type)) {
            return built.get(type);
        }
        if (!type.isRecord() || !making.add(type) || JacksonAnnotations.on(type)) {
            return null;
        }
        RecordReader reader = null;
        try {
            RecordComponent[] components = type.getRecordComponents();
            Class<?>[] raw = new Class<?>[components.length];
            ValueReader[] readers = new ValueReader[components.length];
            Object[] zeros = new Object[components.length];
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < components.length; i++) {
                RecordComponent c = components[i];
                raw[i] = c.getType();
                readers[i] = valueReader(c.getGenericType(), built, making);
                if (readers[i] == null || JacksonAnnotations.on(c) || JacksonAnnotations.on(c.getAccessor())) {
                    return null;
                }
                zeros[i] = zero(c.getType());
                index.put(c.getName(), i);
            }
            Constructor<?> canonical = type.getDeclaredConstructor(raw);
            if (JacksonAnnotations.on(canonical)) {
                return null;
            }
            canonical.setAccessible(true);
            MethodHandle ctor = MethodHandles.lookup().unreflectConstructor(canonical)
                    .asType(MethodType.genericMethodType(components.length))
                    .asSpreader(Object[].class, components.length);
            reader = new RecordReader(Map.copyOf(index), readers, zeros, ctor);
            return reader;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        } finally {
            making.remove(type);
            built.put(type, reader);
        }
    }

    /** The value Jackson passes for a missing property of this type. */
    private static Object zero(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == double.class) {
            return 0.0;
        }
        return null;
    }

    /** The reader for a component of {@code type}, or null if the type is not for this decoder. */
    private static ValueReader valueReader(Type type, Map<Class<?>, RecordReader> built, Set<Class<?>> making) {
        if (type == String.class) {
            return RecordDecoder::string;
        }
        if (type == boolean.class) {
            return RecordDecoder::bool;
        }
        if (type == Boolean.class) {
            return nullable(RecordDecoder::bool);
        }
        if (type == int.class) {
            return RecordDecoder::integer;
        }
        if (type == Integer.class) {
            return nullable(RecordDecoder::integer);
        }
        if (type == long.class) {
            return RecordDecoder::longInteger;
        }
        if (type == Long.class) {
            return nullable(RecordDecoder::longInteger);
        }
        if (type == Instant.class) {
            return nullable(RecordDecoder::instant);
        }
        Method named = type instanceof Class<?> c ? JacksonAnnotations.enumValue(c) : null;
        if (named != null) {
            return byValue((Class<?>) type, named);
        }
        Method creator = type instanceof Class<?> c && (c.isRecord() || c.isEnum())
                ? JacksonAnnotations.delegatingCreator(c) : null;
        if (creator != null) {
            return delegated(creator, built, making);
        }
        if (type instanceof Class<?> c && c.isRecord()) {
            RecordReader nested = recordReader(c, built, making);
            return nested == null ? null : nullable((p, strings) -> {
                if (p.currentToken() != JsonToken.START_OBJECT) {
                    throw Fallback.INSTANCE;
                }
                return nested.readFields(p, strings);
            });
        }
        if (type instanceof ParameterizedType pt && pt.getRawType() == List.class) {
            ValueReader element = valueReader(pt.getActualTypeArguments()[0], built, making);
            return element == null ? null : nullable((p, strings) -> list(p, strings, element));
        }
        if (type instanceof ParameterizedType pt && pt.getRawType() == Map.class
                && pt.getActualTypeArguments()[0] == String.class) {
            ValueReader value = valueReader(pt.getActualTypeArguments()[1], built, making);
            return value == null ? null : nullable((p, strings) -> map(p, strings, value));
        }
        return null;
    }

    /**
     * A record stored through another (its {@code creator} takes the stored record): reads the stored one, then
     * calls the creator as Jackson would. A creator that throws sends the row to Jackson, which reports it.
     */
    private static ValueReader delegated(Method creator, Map<Class<?>, RecordReader> built, Set<Class<?>> making) {
        ValueReader stored = valueReader(creator.getParameterTypes()[0], built, making);
        if (stored == null) {
            return null;
        }
        MethodHandle create;
        try {
            creator.setAccessible(true);
            create = MethodHandles.lookup().unreflect(creator).asType(MethodType.genericMethodType(1));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
        return nullable((p, strings) -> {
            Object value = stored.read(p, strings);
            try {
                return create.invokeExact(value);
            } catch (RuntimeException e) {
                throw Fallback.INSTANCE;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * An enum stored by its {@code @JsonValue} string: the constant whose value the string is. A string no constant
     * has sends the row to Jackson, which reports it.
     */
    private static ValueReader byValue(Class<?> type, Method value) {
        Map<String, Object> constants = new HashMap<>();
        try {
            value.setAccessible(true);
            for (Object constant : type.getEnumConstants()) {
                constants.put((String) value.invoke(constant), constant);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
        return nullable((p, strings) -> {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw Fallback.INSTANCE;
            }
            Object constant = constants.get(p.getText());
            if (constant == null) {
                throw Fallback.INSTANCE;
            }
            return constant;
        });
    }

    /** {@code inner} for a non-null token; JSON null reads as null. */
    private static ValueReader nullable(ValueReader inner) {
        return (p, strings) -> p.currentToken() == JsonToken.VALUE_NULL ? null : inner.read(p, strings);
    }

    private static Object string(JsonParser p, Strings strings) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return strings == null ? p.getText() : strings.of(p);
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw Fallback.INSTANCE;
    }

    private static Object bool(JsonParser p, Strings strings) {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_TRUE) {
            return Boolean.TRUE;
        }
        if (t == JsonToken.VALUE_FALSE) {
            return Boolean.FALSE;
        }
        throw Fallback.INSTANCE;
    }

    private static Object integer(JsonParser p, Strings strings) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            throw Fallback.INSTANCE;
        }
        return p.getIntValue();
    }

    private static Object longInteger(JsonParser p, Strings strings) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw Fallback.INSTANCE;
        }
        return p.getLongValue();
    }

    private static Object instant(JsonParser p, Strings strings) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw Fallback.INSTANCE;
        }
        Instant t = Json.FastInstantDeserializer.parse(p.getText());
        if (t == null) {
            throw Fallback.INSTANCE;
        }
        return t;
    }

    /** A JSON array as Jackson binds a {@code List}: a mutable {@link ArrayList}; a null element goes to Jackson. */
    private static Object list(JsonParser p, Strings strings, ValueReader element) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw Fallback.INSTANCE;
        }
        List<Object> out = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == null || t == JsonToken.VALUE_NULL) {
                throw Fallback.INSTANCE;
            }
            out.add(element.read(p, strings));
        }
        return out;
    }

    /** A JSON object as Jackson binds a {@code Map<String, V>}: a {@link LinkedHashMap} in the text's order. */
    private static Object map(JsonParser p, Strings strings, ValueReader value) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw Fallback.INSTANCE;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            if (t != JsonToken.FIELD_NAME) {
                throw Fallback.INSTANCE;
            }
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (v == null || v == JsonToken.VALUE_NULL || out.containsKey(key)) {
                throw Fallback.INSTANCE;
            }
            out.put(key, value.read(p, strings));
        }
        return out;
    }

    /** One record type: its components by JSON name, their readers and zero values, and its constructor. */
    private record RecordReader(Map<String, Integer> index, ValueReader[] readers, Object[] zeros,
            MethodHandle ctor) {

        /** Reads the properties up to the object's end (the parser is inside it) and makes the record. */
        Object readFields(JsonParser p, Strings strings) throws IOException {
            Object[] args = zeros.clone();
            boolean[] seen = new boolean[readers.length];
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                if (t != JsonToken.FIELD_NAME) {
                    throw Fallback.INSTANCE;
                }
                Integer i = index.get(p.currentName());
                JsonToken v = p.nextToken();
                if (v == null) {
                    throw Fallback.INSTANCE;
                }
                if (i == null) {
                    p.skipChildren();
                    continue;
                }
                if (seen[i] || v == JsonToken.VALUE_NULL && zeros[i] != null) {
                    throw Fallback.INSTANCE;
                }
                seen[i] = true;
                args[i] = readers[i].read(p, strings);
            }
            try {
                return ctor.invokeExact(args);
            } catch (RuntimeException e) {
                throw Fallback.INSTANCE; // Jackson makes it again and reports the failure its own way.
            } catch (Error e) {
                throw e;
            } catch (Throwable e) {
                throw Fallback.INSTANCE;
            }
        }
    }
}
