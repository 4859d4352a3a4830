package dev.underpass.aws.wire;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>Speed: the model is read once per SDK class ({@link #TABLES}: each member's getter and its tags as ready UTF-8
 * bytes), and the answer is written straight into UTF-8 bytes ({@link XmlBytes}), so that encoding a large Describe
 * answer is one pass over the objects with no per-character {@code StringBuilder} work and no final re-encoding.
 */
public final class XmlEncoder {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final byte[] ENTRY_KEY = XmlBytes.ascii("<entry><key>");
    private static final byte[] KEY_END = XmlBytes.ascii("</key>");
    private static final byte[] ENTRY_END = XmlBytes.ascii("</entry>");
    private static final Tags VALUE = new Tags("value");

    /** Each SDK class's members, in model order, read from {@code sdkFields()} once. */
    private static final ConcurrentHashMap<Class<?>, Node[]> TABLES = new ConcurrentHashMap<>();

    private XmlEncoder() {}

    /** The members of {@code pojo} as child elements, appended to {@code out}. */
    public static void members(StringBuilder out, SdkPojo pojo) {
        members(out, pojo, QueryDialect.EC2);
    }

    /**
     * The members of {@code pojo} as child elements, lists and maps spelled as {@code dialect} wants (a lone
     * surrogate already replaced by {@code ?}, as UTF-8 encoding replaces it).
     */
    public static void members(StringBuilder out, SdkPojo pojo, QueryDialect dialect) {
        XmlBytes bytes = new XmlBytes(256);
        members(bytes, pojo, dialect);
        out.append(bytes);
    }

    /** The members of {@code pojo} as child elements, written as UTF-8 into {@code out}. */
    public static void members(XmlBytes out, SdkPojo pojo, QueryDialect dialect) {
        members(out, pojo, dialect, null);
    }

    /**
     * As {@link #members(XmlBytes, SdkPojo, QueryDialect)}, with the items of {@code pojo}'s own lists that
     * {@code fragments} keeps copied from their kept encoding (or encoded once and kept); null for none.
     */
    public static void members(XmlBytes out, SdkPojo pojo, QueryDialect dialect, Fragments fragments) {
        for (Node node : table(pojo)) {
            Object value = node.field.getValueOrDefault(pojo);
            if (value == null || value instanceof SdkAutoConstructList || value instanceof SdkAutoConstructMap) {
                continue;
            }
            if (fragments != null && value instanceof List<?> list && !list.isEmpty()) {
                items(out, node, list, dialect, fragments);
            } else {
                element(out, node.tags, node, value, dialect);
            }
        }
    }

    /** A list whose items may be kept fragments: the same bytes as {@link #element}'s, item by item. */
    private static void items(XmlBytes out, Node node, List<?> list, QueryDialect dialect, Fragments fragments) {
        out.raw(node.tags.open);
        Node member = node.member();
        Tags item = node.itemTags(dialect);
        for (Object v : list) {
            Fragments.Slot slot = v instanceof SdkPojo ? fragments.slot(v) : null;
            if (slot == null) {
                element(out, item, member, v, dialect);
                continue;
            }
            out.raw(item.open);
            byte[] kept = slot.get(dialect);
            if (kept != null) {
                out.share(kept);
            } else {
                long start = out.mark();
                members(out, (SdkPojo) v, dialect);
                slot.set(dialect, out.copyFrom(start));
            }
            out.raw(item.close);
        }
        out.raw(node.tags.close);
    }

    private static Node[] table(SdkPojo pojo) {
        Class<?> type = pojo.getClass();
        Node[] table = TABLES.get(type);
        if (table == null) {
            List<SdkField<?>> fields = pojo.sdkFields();
            table = new Node[fields.size()];
            for (int i = 0; i < table.length; i++) {
                SdkField<?> f = fields.get(i);
                table[i] = new Node(f, new Tags(f.unmarshallLocationName()));
            }
            TABLES.put(type, table);
        }
        return table;
    }

    private static void element(XmlBytes out, Tags tags, Node node, Object value, QueryDialect dialect) {
        if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                out.raw(tags.empty);
                return;
            }
            out.raw(tags.open);
            Node member = node.member();
            Tags item = node.itemTags(dialect);
            for (Object v : list) {
                element(out, item, member, v, dialect);
            }
            out.raw(tags.close);
            return;
        }
        if (value instanceof SdkPojo nested) {
            out.raw(tags.open);
            members(out, nested, dialect);
            out.raw(tags.close);
            return;
        }
        if (value instanceof Map<?, ?> map) {
            if (dialect == QueryDialect.EC2) {
                return;
            }
            Node valueNode = node.mapValue();
            out.raw(tags.open);
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.raw(ENTRY_KEY).text(String.valueOf(e.getKey())).raw(KEY_END);
                if (e.getValue() != null) {
                    element(out, VALUE, valueNode, e.getValue(), dialect);
                }
                out.raw(ENTRY_END);
            }
            out.raw(tags.close);
            return;
        }
        if (node.field.marshallingType() == MarshallingType.MAP) {
            return;
        }
        out.raw(tags.open);
        if (value instanceof String s) {
            out.text(s);
        } else {
            out.text(scalar(value));
        }
        out.raw(tags.close);
    }

    /** A scalar as the wire spells it: instants in ISO-8601 with milliseconds, bytes in base64. */
    static String scalar(Object value) {
        if (value instanceof Instant instant) {
            return TIME.format(instant);
        }
        if (value instanceof SdkBytes bytes) {
            return Base64.getEncoder().encodeToString(bytes.asByteArrayUnsafe());
        }
        return value.toString();
    }

    /**
     * Appends {@code s} with XML's five special characters escaped. A character XML 1.0 does not allow in a document
     * at all, even as a reference (control characters other than tab, line feed and carriage return; U+FFFE and
     * U+FFFF), is written as U+FFFD: an id or a message that echoes a client's NUL then still parses in every client,
     * where {@code &#0;} made the SDKs' parsers fail and the client saw no error code.
     */
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
                    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == '\uFFFE' || c == '\uFFFF') {
                        out.append('\uFFFD');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }

    /** {@code s} with U+FFFE and U+FFFF, which XML 1.0 does not allow, replaced by U+FFFD. */
    static String xmlChars(String s) {
        if (s.indexOf('\uFFFE') < 0 && s.indexOf('\uFFFF') < 0) {
            return s;
        }
        return s.replace('\uFFFE', '\uFFFD').replace('\uFFFF', '\uFFFD');
    }

    public static String time(Instant instant) {
        return TIME.format(instant);
    }

    /** An element's start, end and empty tags as UTF-8 bytes. */
    private static final class Tags {
        final byte[] open;
        final byte[] close;
        final byte[] empty;

        Tags(String name) {
            open = XmlBytes.ascii("<" + name + ">");
            close = XmlBytes.ascii("</" + name + ">");
            empty = XmlBytes.ascii("<" + name + "/>");
        }
    }

    /**
     * One member of the model: its field, its element's tags and, for a list or a map, what its items are (built on
     * first use; a benign race may build one twice).
     */
    private static final class Node {
        final SdkField<?> field;
        final Tags tags;
        private Node member;
        private Node mapValue;
        private Tags ec2Item;
        private Tags awsQueryItem;

        Node(SdkField<?> field, Tags tags) {
            this.field = field;
            this.tags = tags;
        }

        Node member() {
            Node m = member;
            if (m == null) {
                SdkField<?> f = field.getTrait(ListTrait.class).memberFieldInfo();
                m = new Node(f, null);
                member = m;
            }
            return m;
        }

        Node mapValue() {
            Node m = mapValue;
            if (m == null) {
                m = new Node(field.getTrait(MapTrait.class).valueFieldInfo(), null);
                mapValue = m;
            }
            return m;
        }

        Tags itemTags(QueryDialect dialect) {
            if (dialect == QueryDialect.EC2) {
                Tags t = ec2Item;
                if (t == null) {
                    t = new Tags(itemName(dialect));
                    ec2Item = t;
                }
                return t;
            }
            if (dialect == QueryDialect.AWS_QUERY) {
                Tags t = awsQueryItem;
                if (t == null) {
                    t = new Tags(itemName(dialect));
                    awsQueryItem = t;
                }
                return t;
            }
            return new Tags(itemName(dialect));
        }

        private String itemName(QueryDialect dialect) {
            String named = field.getTrait(ListTrait.class).memberLocationName();
            return dialect == QueryDialect.EC2 || named == null ? dialect.responseItem() : named;
        }
    }
}
