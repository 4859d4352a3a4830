package dev.underpass.aws.wire;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
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

/**
 * Encodes an AWS SDK for Java v2 response object as Query-protocol XML, driven by the model the SDK carries: element
 * names are each member's {@code unmarshallLocationName}, lists are a wrapper element of {@code <item>} children
 * (which is what EC2 always writes) or, for awsQuery, of {@code <member>} children (see {@link QueryDialect}),
 * timestamps are ISO-8601 UTC with milliseconds. Members left unset are omitted.
 */
public final class XmlEncoder {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private XmlEncoder() {}

    /** The members of {@code pojo} as child elements, appended to {@code out}. */
    public static void members(StringBuilder out, SdkPojo pojo) {
        members(out, pojo, QueryDialect.EC2);
    }

    /** The members of {@code pojo} as child elements, lists and maps spelled as {@code dialect} wants. */
    public static void members(StringBuilder out, SdkPojo pojo, QueryDialect dialect) {
        for (SdkField<?> field : pojo.sdkFields()) {
            Object value = field.getValueOrDefault(pojo);
            if (value == null || value instanceof SdkAutoConstructList || value instanceof SdkAutoConstructMap) {
                continue;
            }
            element(out, field.unmarshallLocationName(), field.marshallingType(), value, field, dialect);
        }
    }

    private static void element(StringBuilder out, String name, MarshallingType<?> type, Object value,
            SdkField<?> field, QueryDialect dialect) {
        if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                out.append('<').append(name).append("/>");
                return;
            }
            out.append('<').append(name).append('>');
            ListTrait trait = field.getTrait(ListTrait.class);
            SdkField<?> member = trait.memberFieldInfo();
            String itemName = dialect == QueryDialect.EC2 || trait.memberLocationName() == null
                    ? dialect.responseItem() : trait.memberLocationName();
            for (Object item : list) {
                element(out, itemName, member.marshallingType(), item, member, dialect);
            }
            out.append("</").append(name).append('>');
            return;
        }
        if (value instanceof SdkPojo nested) {
            out.append('<').append(name).append('>');
            members(out, nested, dialect);
            out.append("</").append(name).append('>');
            return;
        }
        if (value instanceof Map<?, ?> map) {
            if (dialect == QueryDialect.EC2) {
                return;
            }
            MapTrait trait = field.getTrait(MapTrait.class);
            SdkField<?> valueField = trait.valueFieldInfo();
            out.append('<').append(name).append('>');
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append("<entry><key>");
                text(out, String.valueOf(e.getKey()));
                out.append("</key>");
                if (e.getValue() != null) {
                    element(out, "value", valueField.marshallingType(), e.getValue(), valueField, dialect);
                }
                out.append("</entry>");
            }
            out.append("</").append(name).append('>');
            return;
        }
        if (type == MarshallingType.MAP) {
            return;
        }
        out.append('<').append(name).append('>');
        text(out, scalar(value));
        out.append("</").append(name).append('>');
    }

    private static String scalar(Object value) {
        if (value instanceof Instant instant) {
            return TIME.format(instant);
        }
        if (value instanceof SdkBytes bytes) {
            return Base64.getEncoder().encodeToString(bytes.asByteArrayUnsafe());
        }
        return value.toString();
    }

    /** Appends {@code s} with XML's five special characters and control characters escaped. */
    public static void text(StringBuilder out, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
                        out.append("&#").append((int) c).append(';');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }

    public static String time(Instant instant) {
        return TIME.format(instant);
    }
}
