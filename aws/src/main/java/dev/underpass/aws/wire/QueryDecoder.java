package dev.underpass.aws.wire;

import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.utils.builder.Buildable;

/**
 * Decodes Query-protocol parameters into an AWS SDK for Java v2 request object, driven entirely by the model the
 * SDK carries ({@code sdkFields()}): the request key of a member is its {@code locationName}, structures chain with
 * dots ({@code Filter.1.Value.2}), lists are 1-based and, per {@link QueryDialect}, either flattened
 * ({@code SubnetId.1}, ec2Query) or wrapped ({@code Subnets.member.1}, awsQuery). Nothing here knows any particular
 * operation.
 */
public final class QueryDecoder {
    private QueryDecoder() {}

    /** Fills {@code builder} from the tree and returns the built request. */
    @SuppressWarnings("unchecked")
    public static <T> T decode(QueryParams params, SdkPojo builder) {
        return decode(params, builder, QueryDialect.EC2);
    }

    /** Fills {@code builder} from the tree, reading lists and maps as {@code dialect} spells them. */
    @SuppressWarnings("unchecked")
    public static <T> T decode(QueryParams params, SdkPojo builder, QueryDialect dialect) {
        decodeStruct(params.root(), builder, dialect);
        List<String> unused = params.unused();
        if (!unused.isEmpty()) {
            throw ErrorCode.UNKNOWN_PARAMETER.format("The parameter %s is not recognized", unused.get(0));
        }
        return (T) ((Buildable) builder).build();
    }

    private static void decodeStruct(QueryParams.Node node, SdkPojo builder, QueryDialect dialect) {
        for (SdkField<?> field : builder.sdkFields()) {
            QueryParams.Node child = node.child(field.locationName());
            if (child == null) {
                continue;
            }
            child.markUsed();
            field.set(builder, decodeValue(field, child, dialect));
        }
    }

    private static Object decodeValue(SdkField<?> field, QueryParams.Node node, QueryDialect dialect) {
        MarshallingType<?> type = field.marshallingType();
        if (type == MarshallingType.LIST) {
            return decodeList(field, node, dialect);
        }
        if (type == MarshallingType.SDK_POJO) {
            if (node.value() != null && node.children().isEmpty()) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                        "The parameter %s must be given as its members (%s.Name=...), not as a value", node.path(),
                        node.path());
            }
            SdkPojo nested = field.constructor().get();
            decodeStruct(node, nested, dialect);
            return ((Buildable) nested).build();
        }
        if (type == MarshallingType.MAP) {
            if (!dialect.wrappedLists()) {
                throw ErrorCode.UNKNOWN_PARAMETER.format("The parameter %s is not recognized", node.path());
            }
            return decodeMap(field, node, dialect);
        }
        if (!node.children().isEmpty()) {
            // A scalar with sub-keys: the sub-keys are not in the model.
            QueryParams.Node extra = node.children().values().iterator().next();
            throw ErrorCode.UNKNOWN_PARAMETER.format("The parameter %s is not recognized", extra.path());
        }
        return scalar(type, node.path(), node.value() == null ? "" : node.value());
    }

    private static List<Object> decodeList(SdkField<?> field, QueryParams.Node node, QueryDialect dialect) {
        ListTrait trait = field.getRequiredTrait(ListTrait.class);
        SdkField<?> member = trait.memberFieldInfo();
        QueryParams.Node items = node;
        if (dialect.wrappedLists() && !trait.isFlattened()) {
            if (node.children().isEmpty()) {
                // awsQuery sends an empty list as the bare key with an empty value.
                if (node.value() == null || node.value().isEmpty()) {
                    return new ArrayList<>();
                }
                throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                        "The parameter %s is a list: send it as %s.member.1, %s.member.2, ...", node.path(),
                        node.path(), node.path());
            }
            String segment = trait.memberLocationName() == null ? "member" : trait.memberLocationName();
            items = node.child(segment);
            if (items == null || node.children().size() > 1) {
                QueryParams.Node extra = node.children().values().stream()
                        .filter(n -> !n.path().equals(node.path() + "." + segment)).findFirst().orElseThrow();
                throw ErrorCode.UNKNOWN_PARAMETER.format("The parameter %s is not recognized", extra.path());
            }
            items.markUsed();
        }
        TreeMap<Integer, QueryParams.Node> byIndex = new TreeMap<>();
        for (Map.Entry<String, QueryParams.Node> e : items.children().entrySet()) {
            int index = index(e.getKey());
            if (index < 1) {
                throw ErrorCode.UNKNOWN_PARAMETER.format("The parameter %s is not recognized", e.getValue().path());
            }
            e.getValue().markUsed();
            byIndex.put(index, e.getValue());
        }
        if (items.value() != null && byIndex.isEmpty()) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "The parameter %s is a list: send it as %s.1, %s.2, ...", items.path(), items.path(),
                    items.path());
        }
        List<Object> out = new ArrayList<>(byIndex.size());
        for (QueryParams.Node item : byIndex.values()) {
            out.add(decodeValue(member, item, dialect));
        }
        return out;
    }

    /** An awsQuery map: {@code X.entry.N.key} and {@code X.entry.N.value} (no {@code entry} when flattened). */
    private static Map<String, Object> decodeMap(SdkField<?> field, QueryParams.Node node, QueryDialect dialect) {
        MapTrait trait = field.getRequiredTrait(MapTrait.class);
        QueryParams.Node entries = node;
        if (!trait.isFlattened()) {
            entries = node.child("entry");
            if (entries == null || node.children().size() > 1) {
                throw ErrorCode.UNKNOWN_PARAMETER.format("The parameter %s is not recognized",
                        node.children().isEmpty() ? node.path() : node.children().values().iterator().next().path());
            }
            entries.markUsed();
        }
        String keyName = trait.keyLocationName() == null ? "key" : trait.keyLocationName();
        String valueName = trait.valueLocationName() == null ? "value" : trait.valueLocationName();
        TreeMap<Integer, QueryParams.Node> byIndex = new TreeMap<>();
        for (Map.Entry<String, QueryParams.Node> e : entries.children().entrySet()) {
            if (index(e.getKey()) < 1) {
                throw ErrorCode.UNKNOWN_PARAMETER.format("The parameter %s is not recognized", e.getValue().path());
            }
            e.getValue().markUsed();
            byIndex.put(index(e.getKey()), e.getValue());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (QueryParams.Node entry : byIndex.values()) {
            QueryParams.Node key = entry.child(keyName);
            if (key == null || key.value() == null) {
                throw Ec2Errors.missingParameter(entry.path() + "." + keyName);
            }
            key.markUsed();
            QueryParams.Node value = entry.child(valueName);
            Object decoded = null;
            if (value != null) {
                value.markUsed();
                decoded = decodeValue(trait.valueFieldInfo(), value, dialect);
            }
            out.put(key.value(), decoded);
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
                return Integer.valueOf(asciiInteger(text));
            }
            if (type == MarshallingType.LONG) {
                return Long.valueOf(asciiInteger(text));
            }
            if (type == MarshallingType.SHORT) {
                return Short.valueOf(asciiInteger(text));
            }
            if (type == MarshallingType.BYTE) {
                return Byte.valueOf(asciiInteger(text));
            }
            if (type == MarshallingType.DOUBLE) {
                return Double.valueOf(asciiDecimal(text));
            }
            if (type == MarshallingType.FLOAT) {
                return Float.valueOf(asciiDecimal(text));
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

    /**
     * {@code text} trimmed, when it is an optional sign and ASCII digits only. Java's number parsers also take the
     * digits of every other script ({@code ١٦} is 16 to {@link Integer#parseInt}); AWS does not.
     */
    private static String asciiInteger(String text) {
        String t = text.trim();
        if (!INTEGER.matcher(t).matches()) {
            throw new IllegalArgumentException("not an integer");
        }
        return t;
    }

    /** {@code text} trimmed, when it is a plain decimal number in ASCII (no {@code NaN}, hex or type suffix). */
    private static String asciiDecimal(String text) {
        String t = text.trim();
        if (!DECIMAL.matcher(t).matches()) {
            throw new IllegalArgumentException("not a number");
        }
        return t;
    }

    // java.util.regex's \d and [0-9] are ASCII-only unless UNICODE_CHARACTER_CLASS is set.
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]{1,40}");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]{1,400}(\\.[0-9]{0,400})?|\\.[0-9]{1,400})"
            + "([eE][+-]?[0-9]{1,9})?");

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
