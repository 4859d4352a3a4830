package dev.underpass.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
 * The readers {@link RecordDecoder} walks a row with: one per record type, built once by reflection over the
 * record's components, and one per component type (strings, numbers, instants, enums by their stored value, records
 * stored through another, lists, maps). A type this class does not know for certain gets no reader, and its kind
 * goes to Jackson; a value that does not fit its reader throws {@link RecordDecoder.Fallback}.
 */
final class RecordReaders {
    private RecordReaders() {}

    /** Reads the value whose first token the parser is on, leaving it on the value's last token. */
    @FunctionalInterface
    interface ValueReader {
        Object read(JsonParser p, RecordDecoder.Strings strings) throws IOException;
    }

    /** The reader for record {@code type}, or null if a part of it is not for the decoder. */
    static RecordReader of(Class<?> type) {
        return recordReader(type, new HashMap<>(), new HashSet<>());
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
            return RecordReaders::string;
        }
        if (type == boolean.class) {
            return RecordReaders::bool;
        }
        if (type == Boolean.class) {
            return nullable(RecordReaders::bool);
        }
        if (type == int.class) {
            return RecordReaders::integer;
        }
        if (type == Integer.class) {
            return nullable(RecordReaders::integer);
        }
        if (type == long.class) {
            return RecordReaders::longInteger;
        }
        if (type == Long.class) {
            return nullable(RecordReaders::longInteger);
        }
        if (type == Instant.class) {
            return nullable(RecordReaders::instant);
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
                    throw RecordDecoder.Fallback.INSTANCE;
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
                throw RecordDecoder.Fallback.INSTANCE;
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
                throw RecordDecoder.Fallback.INSTANCE;
            }
            Object constant = constants.get(p.getText());
            if (constant == null) {
                throw RecordDecoder.Fallback.INSTANCE;
            }
            return constant;
        });
    }

    /** {@code inner} for a non-null token; JSON null reads as null. */
    private static ValueReader nullable(ValueReader inner) {
        return (p, strings) -> p.currentToken() == JsonToken.VALUE_NULL ? null : inner.read(p, strings);
    }

    private static Object string(JsonParser p, RecordDecoder.Strings strings) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return strings == null ? p.getText() : strings.of(p);
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw RecordDecoder.Fallback.INSTANCE;
    }

    private static Object bool(JsonParser p, RecordDecoder.Strings strings) {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_TRUE) {
            return Boolean.TRUE;
        }
        if (t == JsonToken.VALUE_FALSE) {
            return Boolean.FALSE;
        }
        throw RecordDecoder.Fallback.INSTANCE;
    }

    private static Object integer(JsonParser p, RecordDecoder.Strings strings) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            throw RecordDecoder.Fallback.INSTANCE;
        }
        return p.getIntValue();
    }

    private static Object longInteger(JsonParser p, RecordDecoder.Strings strings) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw RecordDecoder.Fallback.INSTANCE;
        }
        return p.getLongValue();
    }

    private static Object instant(JsonParser p, RecordDecoder.Strings strings) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw RecordDecoder.Fallback.INSTANCE;
        }
        Instant t = Json.FastInstantDeserializer.parse(p.getText());
        if (t == null) {
            throw RecordDecoder.Fallback.INSTANCE;
        }
        return t;
    }

    /** A JSON array as Jackson binds a {@code List}: a mutable {@link ArrayList}; a null element goes to Jackson. */
    private static Object list(JsonParser p, RecordDecoder.Strings strings, ValueReader element) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw RecordDecoder.Fallback.INSTANCE;
        }
        List<Object> out = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == null || t == JsonToken.VALUE_NULL) {
                throw RecordDecoder.Fallback.INSTANCE;
            }
            out.add(element.read(p, strings));
        }
        return out;
    }

    /** A JSON object as Jackson binds a {@code Map<String, V>}: a {@link LinkedHashMap} in the text's order. */
    private static Object map(JsonParser p, RecordDecoder.Strings strings, ValueReader value) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw RecordDecoder.Fallback.INSTANCE;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            if (t != JsonToken.FIELD_NAME) {
                throw RecordDecoder.Fallback.INSTANCE;
            }
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (v == null || v == JsonToken.VALUE_NULL || out.containsKey(key)) {
                throw RecordDecoder.Fallback.INSTANCE;
            }
            out.put(key, value.read(p, strings));
        }
        return out;
    }

    /** One record type: its components by JSON name, their readers and zero values, and its constructor. */
    record RecordReader(Map<String, Integer> index, ValueReader[] readers, Object[] zeros,
            MethodHandle ctor) {

        /** Reads the properties up to the object's end (the parser is inside it) and makes the record. */
        Object readFields(JsonParser p, RecordDecoder.Strings strings) throws IOException {
            Object[] args = zeros.clone();
            boolean[] seen = new boolean[readers.length];
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                if (t != JsonToken.FIELD_NAME) {
                    throw RecordDecoder.Fallback.INSTANCE;
                }
                Integer i = index.get(p.currentName());
                JsonToken v = p.nextToken();
                if (v == null) {
                    throw RecordDecoder.Fallback.INSTANCE;
                }
                if (i == null) {
                    p.skipChildren();
                    continue;
                }
                if (seen[i] || v == JsonToken.VALUE_NULL && zeros[i] != null) {
                    throw RecordDecoder.Fallback.INSTANCE;
                }
                seen[i] = true;
                args[i] = readers[i].read(p, strings);
            }
            try {
                return ctor.invokeExact(args);
            } catch (RuntimeException e) {
                throw RecordDecoder.Fallback.INSTANCE; // Jackson makes it again and reports the failure its own way.
            } catch (Error e) {
                throw e;
            } catch (Throwable e) {
                throw RecordDecoder.Fallback.INSTANCE;
            }
        }
    }
}
