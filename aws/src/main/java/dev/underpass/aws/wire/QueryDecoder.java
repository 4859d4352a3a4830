package dev.underpass.aws.wire;

import dev.underpass.model.ErrorCode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.utils.builder.Buildable;

/**
 * Decodes ec2Query parameters into an AWS SDK for Java v2 request object, driven entirely by the model the SDK
 * carries ({@code sdkFields()}): the request key of a member is its {@code locationName}, lists are flattened and
 * 1-based ({@code SubnetId.1}), structures chain with dots ({@code Filter.1.Value.2}). Nothing here knows any
 * particular operation.
 */
public final class QueryDecoder {
    private QueryDecoder() {}

    /** Fills {@code builder} from the tree and returns the built request. */
    @SuppressWarnings("unchecked")
    public static <T> T decode(QueryParams params, SdkPojo builder) {
        decodeStruct(params.root(), builder);
        List<String> unused = params.unused();
        if (!unused.isEmpty()) {
            throw ErrorCode.UNKNOWN_PARAMETER.format("The parameter %s is not recognized", unused.get(0));
        }
        return (T) ((Buildable) builder).build();
    }

    private static void decodeStruct(QueryParams.Node node, SdkPojo builder) {
        for (SdkField<?> field : builder.sdkFields()) {
            QueryParams.Node child = node.child(field.locationName());
            if (child == null) {
                continue;
            }
            child.markUsed();
            field.set(builder, decodeValue(field, child));
        }
    }

    private static Object decodeValue(SdkField<?> field, QueryParams.Node node) {
        MarshallingType<?> type = field.marshallingType();
        if (type == MarshallingType.LIST) {
            return decodeList(field, node);
        }
        if (type == MarshallingType.SDK_POJO) {
            if (node.value() != null && node.children().isEmpty()) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                        "The parameter %s must be given as its members (%s.Name=...), not as a value", node.path(),
                        node.path());
            }
            SdkPojo nested = field.constructor().get();
            decodeStruct(node, nested);
            return ((Buildable) nested).build();
        }
        if (type == MarshallingType.MAP) {
            throw ErrorCode.UNKNOWN_PARAMETER.format("The parameter %s is not recognized", node.path());
        }
        if (!node.children().isEmpty()) {
            // A scalar with sub-keys: the sub-keys are not in the model.
            QueryParams.Node extra = node.children().values().iterator().next();
            throw ErrorCode.UNKNOWN_PARAMETER.format("The parameter %s is not recognized", extra.path());
        }
        return scalar(type, node.path(), node.value() == null ? "" : node.value());
    }

    private static List<Object> decodeList(SdkField<?> field, QueryParams.Node node) {
        ListTrait trait = field.getRequiredTrait(ListTrait.class);
        SdkField<?> member = trait.memberFieldInfo();
        TreeMap<Integer, QueryParams.Node> byIndex = new TreeMap<>();
        for (Map.Entry<String, QueryParams.Node> e : node.children().entrySet()) {
            int index = index(e.getKey());
            if (index < 1) {
                throw ErrorCode.UNKNOWN_PARAMETER.format("The parameter %s is not recognized", e.getValue().path());
            }
            e.getValue().markUsed();
            byIndex.put(index, e.getValue());
        }
        if (node.value() != null && byIndex.isEmpty()) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "The parameter %s is a list: send it as %s.1, %s.2, ...", node.path(), node.path(), node.path());
        }
        List<Object> out = new ArrayList<>(byIndex.size());
        for (QueryParams.Node item : byIndex.values()) {
            out.add(decodeValue(member, item));
        }
        return out;
    }

    private static int index(String segment) {
        if (segment.isEmpty() || segment.length() > 6) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static Object scalar(MarshallingType<?> type, String name, String text) {
        try {
            if (type == MarshallingType.STRING) {
                return text;
            }
            if (type == MarshallingType.INTEGER) {
                return Integer.valueOf(text.trim());
            }
            if (type == MarshallingType.LONG) {
                return Long.valueOf(text.trim());
            }
            if (type == MarshallingType.SHORT) {
                return Short.valueOf(text.trim());
            }
            if (type == MarshallingType.BYTE) {
                return Byte.valueOf(text.trim());
            }
            if (type == MarshallingType.DOUBLE) {
                return Double.valueOf(text.trim());
            }
            if (type == MarshallingType.FLOAT) {
                return Float.valueOf(text.trim());
            }
            if (type == MarshallingType.BOOLEAN) {
                if (text.equalsIgnoreCase("true")) {
                    return Boolean.TRUE;
                }
                if (text.equalsIgnoreCase("false")) {
                    return Boolean.FALSE;
                }
                throw new IllegalArgumentException("not a boolean");
            }
            if (type == MarshallingType.INSTANT) {
                return Instant.parse(text.trim());
            }
            if (type == MarshallingType.SDK_BYTES) {
                return SdkBytes.fromByteArray(Base64.getDecoder().decode(text));
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format("Value (%s) for parameter %s is invalid. %s", text, name,
                    expectation(type));
        }
        throw ErrorCode.UNKNOWN_PARAMETER.format("The parameter %s is not recognized", name);
    }

    private static String expectation(MarshallingType<?> type) {
        if (type == MarshallingType.BOOLEAN) {
            return "Expected 'true' or 'false'.";
        }
        if (type == MarshallingType.INSTANT) {
            return "Expected an ISO-8601 timestamp.";
        }
        if (type == MarshallingType.SDK_BYTES) {
            return "Expected base64 data.";
        }
        return "Expected a number.";
    }
}
