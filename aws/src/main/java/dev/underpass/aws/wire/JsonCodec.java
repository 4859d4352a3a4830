package dev.underpass.aws.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.underpass.model.AwsException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.utils.builder.Buildable;

/**
 * The body codec of the awsJson protocols (1.0 and 1.1: SSM, Organizations, ...), driven by the model the AWS SDK
 * for Java v2 carries, as {@link QueryDecoder} and {@link XmlEncoder} are for Query: each member's JSON key is its
 * {@code locationName}, structures are objects, lists arrays, maps objects, timestamps epoch seconds (a number,
 * fractions allowed), blobs base64 strings. Nothing here knows any particular service or operation.
 *
 * <p>Decoding refuses a body that is not a JSON object, and a member of the wrong JSON type, with
 * {@code SerializationException} (400), which is what AWS's JSON services answer for input they cannot read.
 * Members the model does not have are ignored, as AWS's JSON services ignore them. Encoding omits members left unset.
 */
public final class JsonCodec {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    /** AWS's code for a body it cannot deserialise. */
    public static final String SERIALIZATION_EXCEPTION = "SerializationException";

    private JsonCodec() {}

    /** Fills {@code builder} from the JSON body (empty means {@code {}}) and returns the built request. */
    @SuppressWarnings("unchecked")
    public static <T> T decode(byte[] body, SdkPojo builder) {
        decodeStruct(readObject(body), builder, "");
        return (T) ((Buildable) builder).build();
    }

    /** The body as a JSON object (empty means {@code {}}), or {@code SerializationException}. */
    static ObjectNode readObject(byte[] body) {
        JsonNode root;
        if (body == null || body.length == 0) {
            root = JSON.createObjectNode();
        } else {
            try {
                root = JSON.readTree(body);
            } catch (IOException e) {
                throw serialization("The request body is not valid JSON.");
            }
        }
        if (root == null || root.isMissingNode()) {
            root = JSON.createObjectNode();
        }
        if (!root.isObject()) {
            throw serialization("The request body must be a JSON object.");
        }
        return (ObjectNode) root;
    }

    /** One member's value read from its JSON node, as {@link SdkField#set} takes it. */
    static Object decodeMember(SdkField<?> field, JsonNode node) {
        return decodeValue(field, node, field.locationName());
    }

    private static void decodeStruct(ObjectNode node, SdkPojo builder, String path) {
        for (SdkField<?> field : builder.sdkFields()) {
            JsonNode child = node.get(field.locationName());
            if (child == null || child.isNull()) {
                continue;
            }
            field.set(builder, decodeValue(field, child, path + field.locationName()));
        }
    }

    private static Object decodeValue(SdkField<?> field, JsonNode node, String path) {
        MarshallingType<?> type = field.marshallingType();
        if (type == MarshallingType.LIST) {
            if (!node.isArray()) {
                throw mismatch(path, "an array");
            }
            SdkField<?> member = field.getTrait(ListTrait.class).memberFieldInfo();
            List<Object> out = new ArrayList<>();
            int i = 0;
            for (JsonNode item : node) {
                out.add(item.isNull() ? null : decodeValue(member, item, path + "[" + i++ + "]"));
            }
            return out;
        }
        if (type == MarshallingType.MAP) {
            if (!node.isObject()) {
                throw mismatch(path, "an object");
            }
            SdkField<?> valueField = field.getTrait(MapTrait.class).valueFieldInfo();
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                out.put(e.getKey(), e.getValue().isNull() ? null
                        : decodeValue(valueField, e.getValue(), path + "." + e.getKey()));
            }
            return out;
        }
        if (type == MarshallingType.SDK_POJO) {
            if (!node.isObject()) {
                throw mismatch(path, "an object");
            }
            SdkPojo nested = field.constructor().get();
            decodeStruct((ObjectNode) node, nested, path + ".");
            return ((Buildable) nested).build();
        }
        if (type == MarshallingType.STRING) {
            if (!node.isTextual()) {
                throw mismatch(path, "a string");
            }
            return node.textValue();
        }
        if (type == MarshallingType.BOOLEAN) {
            if (!node.isBoolean()) {
                throw mismatch(path, "a boolean");
            }
            return node.booleanValue();
        }
        if (type == MarshallingType.INTEGER) {
            return integral(node, path, Integer.MIN_VALUE, Integer.MAX_VALUE).intValue();
        }
        if (type == MarshallingType.LONG) {
            return integral(node, path, Long.MIN_VALUE, Long.MAX_VALUE);
        }
        if (type == MarshallingType.SHORT) {
            return integral(node, path, Short.MIN_VALUE, Short.MAX_VALUE).shortValue();
        }
        if (type == MarshallingType.BYTE) {
            return integral(node, path, Byte.MIN_VALUE, Byte.MAX_VALUE).byteValue();
        }
        if (type == MarshallingType.DOUBLE) {
            return number(node, path).doubleValue();
        }
        if (type == MarshallingType.FLOAT) {
            return number(node, path).floatValue();
        }
        if (type == MarshallingType.BIG_DECIMAL) {
            return number(node, path);
        }
        if (type == MarshallingType.INSTANT) {
            BigDecimal seconds = number(node, path);
            try {
                long whole = seconds.setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
                long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
                return Instant.ofEpochSecond(whole, nanos);
            } catch (ArithmeticException | java.time.DateTimeException e) {
                throw mismatch(path, "a timestamp in epoch seconds");
            }
        }
        if (type == MarshallingType.SDK_BYTES) {
            if (!node.isTextual()) {
                throw mismatch(path, "a base64 string");
            }
            try {
                return SdkBytes.fromByteArray(Base64.getDecoder().decode(node.textValue()));
            } catch (IllegalArgumentException e) {
                throw mismatch(path, "a base64 string");
            }
        }
        // A document or another type this codec does not read.
        throw serialization("The member " + path + " cannot be read.");
    }

    private static Long integral(JsonNode node, String path, long min, long max) {
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < min
                || node.longValue() > max) {
            throw mismatch(path, "an integer");
        }
        return node.longValue();
    }

    private static BigDecimal number(JsonNode node, String path) {
        if (!node.isNumber()) {
            throw mismatch(path, "a number");
        }
        return node.decimalValue();
    }

    private static AwsException mismatch(String path, String expected) {
        return serialization("The member " + path + " must be " + expected + ".");
    }

    private static AwsException serialization(String message) {
        return new AwsException(SERIALIZATION_EXCEPTION, 400, message);
    }

    /** The members of {@code pojo} as a JSON object. */
    public static byte[] encode(SdkPojo pojo) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            writeStruct(g, pojo);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** AWS's JSON error body: {@code {"__type":"Code","message":"..."}}. */
    public static byte[] error(String code, String message) {
        return error(code, message, null);
    }

    /** AWS's JSON error body with the error's {@code Reason} member when it has one. */
    public static byte[] error(String code, String message, String reason) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("__type", code);
        body.put("message", message);
        if (reason != null) {
            body.put("Reason", reason);
        }
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeStruct(JsonGenerator g, SdkPojo pojo) throws IOException {
        g.writeStartObject();
        for (SdkField<?> field : pojo.sdkFields()) {
            Object value = field.getValueOrDefault(pojo);
            if (value == null || value instanceof SdkAutoConstructList || value instanceof SdkAutoConstructMap) {
                continue;
            }
            g.writeFieldName(field.locationName());
            writeValue(g, value);
        }
        g.writeEndObject();
    }

    private static void writeValue(JsonGenerator g, Object value) throws IOException {
        switch (value) {
            case null -> g.writeNull();
            case SdkPojo nested -> writeStruct(g, nested);
            case List<?> list -> {
                g.writeStartArray();
                for (Object item : list) {
                    writeValue(g, item);
                }
                g.writeEndArray();
            }
            case Map<?, ?> map -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    g.writeFieldName(String.valueOf(e.getKey()));
                    writeValue(g, e.getValue());
                }
                g.writeEndObject();
            }
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Short s -> g.writeNumber(s);
            case Byte b -> g.writeNumber(b);
            case Double d -> g.writeNumber(d);
            case Float f -> g.writeNumber(f);
            case BigDecimal d -> g.writeNumber(d);
            case Instant t -> g.writeNumber(BigDecimal.valueOf(t.getEpochSecond())
                    .add(BigDecimal.valueOf(t.getNano(), 9)).stripTrailingZeros());
            case SdkBytes bytes -> g.writeString(Base64.getEncoder().encodeToString(bytes.asByteArrayUnsafe()));
            default -> g.writeString(value.toString());
        }
    }
}
