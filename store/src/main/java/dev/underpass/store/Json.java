package dev.underpass.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.underpass.model.Resource;
import dev.underpass.model.ResourceKind;
import dev.underpass.model.ec2.Ec2ResourceKinds;
import dev.underpass.model.elb.ElbResourceKinds;
import dev.underpass.model.org.OrgResourceKinds;
import dev.underpass.model.sharing.SharingResourceKinds;
import dev.underpass.model.sts.StsResourceKinds;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The on-disk encoding of resources: JSON with a {@code @kind} discriminator, timestamps as ISO-8601 text. */
final class Json {
    /**
     * Every stored record type, family by family. A new record type goes into its family's list; a new family's
     * list is added here.
     */
    static final List<ResourceKind> KINDS = Stream.of(
            ResourceKind.KERNEL,
            Ec2ResourceKinds.ALL,
            ElbResourceKinds.ALL,
            StsResourceKinds.ALL,
            OrgResourceKinds.ALL,
            SharingResourceKinds.ALL)
            .flatMap(List::stream)
            .toList();

    private static final ObjectMapper MAPPER = mapper();
    private static final ObjectWriter WRITER = MAPPER.writerFor(Resource.class);
    private static final ObjectReader READER = MAPPER.readerFor(Resource.class);
    /** Plain record kinds without data binding; Jackson ({@link #READER}) for the rest and for anything odd. */
    private static final RecordDecoder DECODER = new RecordDecoder(MAPPER.getFactory(), KINDS);

    private Json() {}

    private static ObjectMapper mapper() {
        ObjectMapper mapper = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .registerModule(new SimpleModule("underpass-instant").addDeserializer(Instant.class,
                        new FastInstantDeserializer()));
        mapper.registerSubtypes(namedTypes(KINDS));
        return mapper;
    }

    /** The kinds as Jackson's named subtypes; two kinds with one name or one type are a programming error. */
    static NamedType[] namedTypes(List<ResourceKind> kinds) {
        Set<String> names = new HashSet<>();
        Set<Class<?>> types = new HashSet<>();
        for (ResourceKind k : kinds) {
            if (!names.add(k.name())) {
                throw new IllegalStateException("two stored record types are named '" + k.name() + "'");
            }
            if (!types.add(k.type())) {
                throw new IllegalStateException(k.type().getName() + " is registered twice");
            }
        }
        return kinds.stream().map(k -> new NamedType(k.type(), k.name())).toArray(NamedType[]::new);
    }

    /** Jackson's data binding alone, without {@link RecordDecoder}: what the decoder is held to in tests. */
    static Resource readWithJackson(String json) {
        try {
            return READER.readValue(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot decode stored resource: " + e.getOriginalMessage(), e);
        }
    }

    /** Whether rows of this kind are decoded without data binding (for tests). */
    static boolean decodedDirectly(String kindName) {
        return DECODER.takes(kindName);
    }

    static String write(Resource r) {
        try {
            return WRITER.writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + r.id(), e);
        }
    }

    static Resource read(String json) {
        return read(json, null);
    }

    /**
     * {@link #read(String)}, taking recurring string values from {@code strings} (one per thread, for a series of
     * rows; null for none): the same records, with fewer copies of the same text.
     */
    static Resource read(String json, RecordDecoder.Strings strings) {
        try {
            return DECODER.read(json, strings);
        } catch (RecordDecoder.Fallback jackson) {
            // Below.
        }
        try {
            return READER.readValue(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot decode stored resource: " + e.getOriginalMessage(), e);
        }
    }

    /** {@link #read} from the UTF-8 bytes of the JSON (the stored column as it is, without making a string). */
    static Resource read(byte[] utf8) {
        return read(utf8, null);
    }

    /** {@link #read(byte[])} with recurring strings from {@code strings}, as for {@link #read(String)}. */
    static Resource read(byte[] utf8, RecordDecoder.Strings strings) {
        try {
            return DECODER.read(utf8, strings);
        } catch (RecordDecoder.Fallback jackson) {
            // Below.
        }
        try {
            return READER.readValue(utf8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot decode stored resource: " + e.getOriginalMessage(), e);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot decode stored resource: " + e.getMessage(), e);
        }
    }

    /**
     * The records of a series of rows read on one thread, in order: the same as {@link #read(byte[], RecordDecoder.Strings)}
     * on each, through one parser for the rows the decoder takes.
     */
    static List<Resource> readRows(List<byte[]> rows, RecordDecoder.Strings strings) {
        return DECODER.readRows(rows, strings, row -> read(row, strings));
    }

    /**
     * Reads the ISO-8601 instants this encoding writes ({@code 2026-12-05T12:35:56.303666827Z}: four-digit year,
     * seconds, 0–9 fraction digits, {@code Z}) by position, several times faster than the general formatter, which
     * every other form (and any other token) still goes to. Start-up decodes one or more per stored record.
     */
    static final class FastInstantDeserializer extends StdDeserializer<Instant> {
        private final transient JsonDeserializer<Instant> general = InstantDeserializer.INSTANT;

        FastInstantDeserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws java.io.IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                Instant fast = parse(p.getText());
                if (fast != null) {
                    return fast;
                }
            }
            return general.deserialize(p, ctxt);
        }

        /** The instant, or null if {@code s} is not of the simple form. */
        static Instant parse(String s) {
            int n = s.length();
            if (n < 20 || n > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                    || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z') {
                return null;
            }
            int year = digits(s, 0, 4);
            int month = digits(s, 5, 2);
            int day = digits(s, 8, 2);
            int hour = digits(s, 11, 2);
            int minute = digits(s, 14, 2);
            int second = digits(s, 17, 2);
            if ((year | month | day | hour | minute | second) < 0 || month < 1 || month > 12 || day < 1
                    || day > java.time.YearMonth.of(year, month).lengthOfMonth() || hour > 23 || minute > 59
                    || second > 59) {
                return null;
            }
            int nanos = 0;
            if (n > 20) {
                int fraction = n - 21; // between '.' and 'Z'
                if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                    return null;
                }
                nanos = digits(s, 20, fraction);
                if (nanos < 0) {
                    return null;
                }
                for (int i = fraction; i < 9; i++) {
                    nanos *= 10;
                }
            }
            long days = java.time.LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
        }

        /** The decimal number of {@code len} digits at {@code from}, or -1 if any is not a digit. */
        private static int digits(String s, int from, int len) {
            int v = 0;
            for (int i = from; i < from + len; i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                v = v * 10 + (c - '0');
            }
            return v;
        }
    }
}
