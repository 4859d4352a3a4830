package dev.underpass.store;

import dev.underpass.model.ec2.VpcCidrAssociationId;
import dev.underpass.model.ec2.DhcpOptionsId;
import dev.underpass.model.ec2.VpcId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.underpass.model.Resource;
import dev.underpass.model.ResourceKind;
import dev.underpass.model.ec2.CidrAssociationState;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.ec2.Vpc;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link RecordDecoder} reads every stored row as Jackson's data binding does: on random records of every registered
 * kind, and on rows changed in the ways old or hand-edited data might differ (missing, unknown, reordered, repeated
 * and mistyped properties, nulls), where it either agrees or leaves the row to Jackson, error included.
 */
class RecordDecoderTest {
    private static final ObjectMapper TREE = new ObjectMapper();
    private static final RecordDecoder DECODER = new RecordDecoder(new ObjectMapper().getFactory(), Json.KINDS);
    private static final RecordDecoder.Strings STRINGS = new RecordDecoder.Strings();

    @Test
    void theKindsOfAStartUp_areDecodedDirectly_andAnnotatedOnesAreLeftToJackson() {
        for (String kind : List.of("vpc", "subnet", "route-table", "security-group", "network-acl", "account-region",
                "network-interface", "vpc-endpoint")) {
            assertThat(Json.decodedDirectly(kind)).as(kind).isTrue();
        }
        // A route is stored in AWS's flat shape (@JsonValue and a delegating @JsonCreator), which this decoder reads.
        assertThat(JacksonAnnotations.delegatingCreator(dev.underpass.model.ec2.RouteTable.Route.class)).isNotNull();
        // An enum stored by AWS's name (its @JsonValue) is read by that name too.
        assertThat(JacksonAnnotations.enumValue(dev.underpass.model.ec2.InstanceState.class)).isNotNull();
        // A @JsonCreator that turns an older form into today's: only Jackson knows it.
        assertThat(Json.decodedDirectly("listener")).isFalse();
        assertThat(Json.decodedDirectly("no-such-kind")).isFalse();
    }

    /** A Jackson annotation on an interface's method applies to the records implementing it. */
    interface Hiding {
        @com.fasterxml.jackson.annotation.JsonIgnore
        String hidden();
    }

    record Plain(String id, String ownerId, String region, Map<String, String> tags, String hidden)
            implements Resource {
        @Override
        public Resource withTags(Map<String, String> newTags) {
            return new Plain(id, ownerId, region, newTags, hidden);
        }

        @Override
        public String resourceType() {
            return "plain";
        }
    }

    record Hidden(String id, String ownerId, String region, Map<String, String> tags, String hidden)
            implements Resource, Hiding {
        @Override
        public Resource withTags(Map<String, String> newTags) {
            return new Hidden(id, ownerId, region, newTags, hidden);
        }

        @Override
        public String resourceType() {
            return "hidden";
        }
    }

    @Test
    void jacksonAnnotationsInheritedFromAnInterface_leaveTheKindToJackson() {
        RecordDecoder decoder = new RecordDecoder(new ObjectMapper().getFactory(), List.of(
                new ResourceKind(Plain.class, "test-plain"), new ResourceKind(Hidden.class, "test-hidden")));
        assertThat(decoder.takes("test-plain")).isTrue();
        assertThat(decoder.takes("test-hidden")).isFalse();
        String row = "{\"@kind\":\"test-plain\",\"id\":\"p-1\",\"ownerId\":\"1\",\"region\":\"r\","
                + "\"tags\":{},\"hidden\":\"h\"}";
        assertThat(decoder.read(row, null)).isEqualTo(new Plain("p-1", "1", "r", Map.of(), "h"));
        assertThatThrownBy(() -> decoder.read(row.replace("test-plain", "test-hidden"), null))
                .isInstanceOf(RecordDecoder.Fallback.class);
    }

    @Test
    void randomRecordsOfEveryKind_readAsJacksonReadsThem() {
        Random random = new Random(16_5);
        int direct = 0;
        int handedOver = 0;
        for (ResourceKind kind : Json.KINDS) {
            int made = 0;
            for (int i = 0; i < 60; i++) {
                Resource r = instance(kind.type(), random, 0);
                if (r == null) {
                    continue;
                }
                made++;
                String json = Json.write(r);
                Resource jackson = Json.readWithJackson(json);
                assertThat(Json.read(json.getBytes(StandardCharsets.UTF_8))).as(json).isEqualTo(jackson);
                assertThat(Json.read(json)).as(json).isEqualTo(jackson);
                assertThat(Json.read(json, STRINGS)).as(json).isEqualTo(jackson);
                if (Json.decodedDirectly(kind.name())) {
                    Resource direct1;
                    try {
                        direct1 = DECODER.read(json.getBytes(StandardCharsets.UTF_8), STRINGS);
                    } catch (RecordDecoder.Fallback f) {
                        handedOver++; // A null inside a list or map, say: Jackson's part (compared above).
                        continue;
                    }
                    assertThat(direct1).as("decoded without Jackson: " + json).isEqualTo(jackson);
                    direct++;
                }
            }
            assertThat(made).as("random records made of " + kind.name()).isGreaterThan(0);
        }
        assertThat(direct).isGreaterThan(1_000).isGreaterThan(5 * handedOver);
    }

    @Test
    void changedRows_readAsJacksonReadsThem_orFailAsItDoes() throws Exception {
        Random random = new Random(16_51);
        int compared = 0;
        for (ResourceKind kind : Json.KINDS) {
            for (int i = 0; i < 40; i++) {
                Resource r = instance(kind.type(), random, 0);
                if (r == null) {
                    continue;
                }
                ObjectNode row = (ObjectNode) TREE.readTree(Json.write(r));
                mutate(row, random);
                String json = TREE.writeValueAsString(row);
                Object jackson;
                try {
                    jackson = Json.readWithJackson(json);
                } catch (IllegalStateException e) {
                    assertThatThrownBy(() -> Json.read(json.getBytes(StandardCharsets.UTF_8))).as(json)
                            .isInstanceOf(IllegalStateException.class).hasMessage(e.getMessage());
                    compared++;
                    continue;
                }
                assertThat(Json.read(json.getBytes(StandardCharsets.UTF_8))).as(json).isEqualTo(jackson);
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(1_000);
    }

    @Test
    void rowsReadAsOneSeries_areTheRecordsEachRowGivesAlone() throws Exception {
        Random random = new Random(16_52);
        for (int round = 0; round < 40; round++) {
            List<byte[]> rows = new ArrayList<>();
            int count = random.nextInt(80);
            while (rows.size() < count) {
                ResourceKind kind = Json.KINDS.get(random.nextInt(Json.KINDS.size()));
                Resource r = instance(kind.type(), random, 0);
                if (r == null) {
                    continue;
                }
                String json = Json.write(r);
                switch (random.nextInt(8)) {
                    case 0 -> {
                        // Changed as old or hand-edited data might be, if Jackson still reads it.
                        ObjectNode row = (ObjectNode) TREE.readTree(json);
                        mutate(row, random);
                        json = TREE.writeValueAsString(row);
                        try {
                            Json.readWithJackson(json);
                        } catch (IllegalStateException e) {
                            continue;
                        }
                    }
                    case 1 -> json = json + (random.nextBoolean() ? " x" : "}"); // Jackson reads the first value.
                    case 2 -> json = " \n" + json + "\t";
                    default -> {
                        // As written.
                    }
                }
                rows.add(json.getBytes(StandardCharsets.UTF_8));
            }
            List<Resource> alone = new ArrayList<>();
            for (byte[] row : rows) {
                alone.add(Json.read(row));
            }
            assertThat(Json.readRows(rows, new RecordDecoder.Strings())).as("round " + round)
                    .containsExactlyElementsOf(alone);
        }
    }

    @Test
    void aRowNoneCanRead_failsTheSeriesAsItFailsAlone() {
        Vpc vpc = new Vpc("vpc-1", "111111111111", "us-east-1", "10.0.0.0/16",
                List.of(new Vpc.CidrAssociation(VpcCidrAssociationId.of("vpc-cidr-assoc-1"), "10.0.0.0/16",
                        CidrAssociationState.ASSOCIATED)),
                DhcpOptionsId.of("dopt-1"),
                "default", true, true, false, Instant.parse("2026-12-06T02:00:00.123Z"), Map.of("Name", "a"));
        byte[] good = Json.write(vpc).getBytes(StandardCharsets.UTF_8);
        // Cut short: read on into the next row, its value would be an object where a string belongs.
        byte[] cut = "{\"@kind\":\"vpc\",\"id\":".getBytes(StandardCharsets.UTF_8);
        byte[] open = "{\"@kind\":\"vpc\",\"id\":\"vpc-2".getBytes(StandardCharsets.UTF_8);
        for (byte[] bad : List.of(cut, open)) {
            String message = catchMessage(() -> Json.read(bad));
            assertThatThrownBy(() -> Json.readRows(List.of(good, bad, good), new RecordDecoder.Strings()))
                    .isInstanceOf(IllegalStateException.class).hasMessage(message);
        }
        assertThat(Json.readRows(List.of(good, good), null)).containsExactly(vpc, vpc);
        assertThat(Json.readRows(List.of(), null)).isEmpty();
    }

    @Test
    void specificDifferences_followJackson() {
        Vpc vpc = new Vpc("vpc-1", "111111111111", "us-east-1", "10.0.0.0/16",
                List.of(new Vpc.CidrAssociation(VpcCidrAssociationId.of("vpc-cidr-assoc-1"), "10.0.0.0/16",
                        CidrAssociationState.ASSOCIATED)),
                DhcpOptionsId.of("dopt-1"),
                "default", true, true, false, Instant.parse("2026-12-06T02:00:00.123Z"), Map.of("Name", "a"));
        String json = Json.write(vpc);
        assertThat(json).startsWith("{\"@kind\":\"vpc\",");
        List<String> variants = List.of(
                json,
                // Stored before IPv6: the field is missing and the record's constructor fills in an empty list.
                json.replace(",\"ipv6Associations\":[]", ""),
                // The kind not first: Jackson buffers; the decoder hands it over.
                "{\"id\":\"vpc-1\"," + json.substring(1).replace("\"id\":\"vpc-1\",", ""),
                json.replace("\"enableDnsHostnames\":false", "\"enableDnsHostnames\":null"),
                json.replace("\"enableDnsHostnames\":false", "\"enableDnsHostnames\":\"true\""),
                json.replace("\"createdAt\":\"2026-12-06T02:00:00.123Z\"", "\"createdAt\":1.5"),
                json.replace("\"createdAt\":\"2026-12-06T02:00:00.123Z\"",
                        "\"createdAt\":\"2026-12-06T03:00:00+01:00\""),
                json.replace("\"tags\":{\"Name\":\"a\"}", "\"tags\":{\"Name\":\"a\",\"Name\":\"b\"}"),
                json.replace("\"tags\":{\"Name\":\"a\"}", "\"tags\":{\"Name\":\"a\"},\"unknown\":{\"x\":[1,{}]}"),
                json.replace("\"region\":\"us-east-1\"", "\"region\":\"us-east-1\",\"region\":\"eu-west-1\""));
        for (String v : variants) {
            assertThat(Json.read(v.getBytes(StandardCharsets.UTF_8))).as(v).isEqualTo(Json.readWithJackson(v));
        }
        assertThat(Json.read(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(vpc);
        assertThat(((Vpc) Json.read(variants.get(1).getBytes(StandardCharsets.UTF_8))).ipv6Associations()).isEmpty();
        // A constructor that refuses the row (a VPC without its association list): Jackson's own error.
        String broken = json.replaceAll("\"cidrAssociations\":\\[[^\\]]*\\],", "");
        assertThatThrownBy(() -> Json.readWithJackson(broken)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Json.read(broken.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(catchMessage(() -> Json.readWithJackson(broken)));
        assertThatThrownBy(() -> Json.read("{\"@kind\":\"vpc\",\"id\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalStateException.class);
        Subnet subnet =
                new Subnet("subnet-1", "111111111111", "us-east-1", VpcId.of("vpc-1"), "10.0.0.0/24", "us-east-1a",
                        "use1-az1", false, true, Instant.EPOCH, Map.of());
        assertThat(Json.read(Json.write(subnet).getBytes(StandardCharsets.UTF_8))).isEqualTo(subnet);
    }

    @Test
    void recurringValues_shareOneString_andEveryValueIsKeptExactly() {
        RecordDecoder.Strings strings = new RecordDecoder.Strings();
        List<Subnet> read = new ArrayList<>();
        Random random = new Random(5);
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            String long1 = "d".repeat(60 + random.nextInt(10)) + i;
            Subnet s = new Subnet("subnet-" + i, "111111111111", "us-east-1", VpcId.of("vpc-" + i % 7),
                    "10.0." + i % 256
                            + ".0/24",
                    "us-east-1a", "use1-az1", false, true, Instant.EPOCH, Map.of("Name", long1));
            written.add(long1);
            read.add((Subnet) Json.read(Json.write(s).getBytes(StandardCharsets.UTF_8), strings));
        }
        for (int i = 0; i < read.size(); i++) {
            Subnet s = read.get(i);
            assertThat(s.id()).isEqualTo("subnet-" + i);
            assertThat(s.vpcId()).isEqualTo(VpcId.of("vpc-" + i % 7));
            assertThat(s.cidrBlock()).isEqualTo("10.0." + i % 256 + ".0/24");
            assertThat(s.tags()).isEqualTo(Map.of("Name", written.get(i)));
        }
        // Few copies of the owner, region and zone for all 3,000 rows (a unique value may take a recurring one's
        // slot, which the next row then fills again), where without the table each row has its own.
        for (java.util.function.Function<Subnet, String> field : List.<java.util.function.Function<Subnet, String>>of(
                Subnet::ownerId, Subnet::region, Subnet::availabilityZone, r -> r.vpcId().value())) {
            Set<String> copies = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            read.forEach(r -> copies.add(field.apply(r)));
            assertThat(copies).hasSizeLessThan(30);
        }
        // Without a table every row has its own.
        Subnet a = (Subnet) Json.read(Json.write(read.get(0)).getBytes(StandardCharsets.UTF_8));
        Subnet b = (Subnet) Json.read(Json.write(read.get(0)).getBytes(StandardCharsets.UTF_8));
        assertThat(a).isEqualTo(b);
        assertThat(a.ownerId()).isNotSameAs(b.ownerId());
    }

    private static String catchMessage(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        throw new AssertionError("no failure");
    }

    /** One random change to a row (or none), at the top level or one level down. */
    private static void mutate(ObjectNode row, Random random) {
        List<String> names = new ArrayList<>();
        row.fieldNames().forEachRemaining(names::add);
        names.remove("@kind");
        if (names.isEmpty()) {
            return;
        }
        String name = names.get(random.nextInt(names.size()));
        JsonNode value = row.get(name);
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (random.nextInt(10)) {
            case 0 -> row.remove(name);
            case 1 -> row.putNull(name);
            case 2 -> row.set("unknown" + random.nextInt(3), random.nextBoolean() ? f.textNode("x")
                    : f.objectNode().set("deep", f.arrayNode().add(1).add(f.objectNode())));
            case 3 -> {
                // Reordered: the kind moves to the end.
                JsonNode kind = row.remove("@kind");
                row.set("@kind", kind);
            }
            case 4 -> row.set(name, value.isTextual() ? f.numberNode(7) : f.textNode(value.toString()));
            case 5 -> {
                if (value instanceof ArrayNode a) {
                    a.addNull();
                } else if (value instanceof ObjectNode o) {
                    o.putNull("k");
                } else {
                    row.set(name, f.booleanNode(true));
                }
            }
            case 6 -> {
                if (value instanceof ArrayNode a && !a.isEmpty() && a.get(0) instanceof ObjectNode o) {
                    Iterator<String> inner = o.fieldNames();
                    if (inner.hasNext()) {
                        o.putNull(inner.next());
                    }
                }
            }
            case 7 -> row.set(name, f.numberNode(Long.MAX_VALUE));
            case 8 -> row.set(name, f.numberNode(2.5));
            default -> {
                // Unchanged.
            }
        }
    }

    /** A random instance of {@code type} through its canonical constructor, or null if none could be made. */
    private static <T> T instance(Class<T> type, Random random, int depth) {
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                RecordComponent[] components = type.getRecordComponents();
                Class<?>[] raw = new Class<?>[components.length];
                Object[] args = new Object[components.length];
                for (int i = 0; i < components.length; i++) {
                    raw[i] = components[i].getType();
                    args[i] = value(components[i].getGenericType(), random, depth, attempt < 10);
                }
                Constructor<T> c = type.getDeclaredConstructor(raw);
                c.setAccessible(true);
                return c.newInstance(args);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // A combination the constructor refuses: try another.
            }
        }
        return null;
    }

    private static final List<String> WORDS = List.of("", "a", "available", "vpc-0123456789abcdef0", "10.0.0.0/16",
            "us-east-1", "111111111111", "é\"\\\n\u2028😀", "associated", "true", "12");

    private static final List<String> POLICIES = List.of(dev.underpass.policy.Policy.DEFAULT_VPC_ENDPOINT_POLICY,
            "{\n  \"Statement\": [ {\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"s3:Put*\", "
                    + "\"Resource\": \"arn:aws:s3:::b/\u00e9*\"} ]\n}");

    private static Object value(Type type, Random random, int depth, boolean nulls) {
        if (type instanceof Class<?> c) {
            if (c == String.class) {
                return nulls && random.nextInt(8) == 0 ? null : WORDS.get(random.nextInt(WORDS.size()));
            }
            if (c == boolean.class || c == Boolean.class) {
                return random.nextBoolean();
            }
            if (c == int.class || c == Integer.class) {
                return random.nextBoolean() ? random.nextInt(100) : random.nextInt();
            }
            if (c == long.class || c == Long.class) {
                return random.nextBoolean() ? random.nextLong(100) : random.nextLong();
            }
            if (c == double.class || c == Double.class) {
                return random.nextDouble();
            }
            if (c == Instant.class) {
                return nulls && random.nextInt(8) == 0 ? null : Instant.ofEpochSecond(
                        random.nextLong(0, 4_000_000_000L), random.nextBoolean() ? 0 : random.nextInt(1_000_000_000));
            }
            if (c.isEnum()) {
                Object[] constants = c.getEnumConstants();
                return constants[random.nextInt(constants.length)];
            }
            if (c == dev.underpass.model.PolicyDocument.class) {
                // Stored as its text, which must parse (the wire accepted only ones that do).
                return nulls && random.nextInt(8) == 0 ? null : dev.underpass.model.PolicyDocument.of(
                        POLICIES.get(random.nextInt(POLICIES.size())));
            }
            if (c.isRecord()) {
                return depth > 3 ? null : instance(c, random, depth + 1);
            }
            if (c.isSealed()) {
                Class<?>[] permitted = c.getPermittedSubclasses();
                return value(permitted[random.nextInt(permitted.length)], random, depth, nulls);
            }
            return null;
        }
        if (type instanceof ParameterizedType pt && pt.getRawType() instanceof Class<?> raw) {
            Type[] args = pt.getActualTypeArguments();
            int n = depth > 3 ? 0 : random.nextInt(4);
            if (List.class.isAssignableFrom(raw)) {
                List<Object> list = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    list.add(value(args[0], random, depth + 1, false));
                }
                return list;
            }
            if (Set.class.isAssignableFrom(raw)) {
                Set<Object> set = new java.util.LinkedHashSet<>();
                for (int i = 0; i < n; i++) {
                    set.add(value(args[0], random, depth + 1, false));
                }
                return set;
            }
            if (Map.class.isAssignableFrom(raw)) {
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    map.put(value(args[0], random, depth + 1, false), value(args[1], random, depth + 1, false));
                }
                return map;
            }
        }
        return null;
    }
}
