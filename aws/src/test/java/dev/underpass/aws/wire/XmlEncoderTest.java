package dev.underpass.aws.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.services.ec2.model.DescribeVpcEndpointsResponse;
import software.amazon.awssdk.services.ec2.model.DescribeVpcsResponse;
import software.amazon.awssdk.services.ec2.model.DnsEntry;
import software.amazon.awssdk.services.ec2.model.SecurityGroupIdentifier;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.AvailabilityZone;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeLoadBalancersResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The byte-writing encoder against the straightforward one it replaced (kept below as {@link Reference}): for the
 * same SDK objects, with text drawn from every awkward class of character (the five escaped ones, control
 * characters, non-ASCII, surrogate pairs and lone surrogates), the bytes on the wire are identical.
 */
class XmlEncoderTest {
    private static final String ALPHABET = "aZ09-_./:<>&\"'\t\n\r\u0000\u0001\u001f\u007f\u00e9\u00ff\u0100\u20ac"
            + "\ud83d\ude00\ud800\udc00\ufffd\ufffe\uffff ";

    @Test
    void ec2Answer_randomText_isByteIdenticalToTheReferenceEncoder() {
        Random random = new Random(16);
        for (int round = 0; round < 300; round++) {
            List<VpcEndpoint> endpoints = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(5); i++) {
                endpoints.add(VpcEndpoint.builder().vpcEndpointId("vpce-" + i).vpcEndpointType("Interface")
                        .vpcId(text(random)).serviceName("com.amazonaws.us-east-1.ecr.api").state("available")
                        .policyDocument(text(random)).routeTableIds(List.of())
                        .subnetIds(random.nextBoolean() ? List.of("subnet-1", text(random)) : List.of())
                        .groups(SecurityGroupIdentifier.builder().groupId("sg-1").groupName(text(random)).build())
                        .privateDnsEnabled(random.nextBoolean()).requesterManaged(false)
                        .dnsEntries(DnsEntry.builder().dnsName(text(random)).hostedZoneId("Z1").build())
                        .creationTimestamp(Instant.ofEpochMilli(random.nextLong(0, 4_000_000_000_000L)))
                        .tags(Tag.builder().key(text(random)).value(text(random)).build())
                        .ownerId("123456789012").build());
            }
            assertSame(DescribeVpcEndpointsResponse.builder().vpcEndpoints(endpoints)
                    .nextToken(random.nextBoolean() ? null : text(random)).build(), QueryDialect.EC2);
            assertSame(DescribeVpcsResponse.builder().vpcs(Vpc.builder().vpcId(text(random)).isDefault(true)
                    .cidrBlock("10.0.0.0/16").build()).build(), QueryDialect.EC2);
        }
    }

    @Test
    void awsQueryAnswer_randomText_isByteIdenticalToTheReferenceEncoder() {
        Random random = new Random(61);
        for (int round = 0; round < 300; round++) {
            assertSame(DescribeLoadBalancersResponse.builder().loadBalancers(LoadBalancer.builder()
                    .loadBalancerArn(text(random)).loadBalancerName(text(random)).type("network")
                    .securityGroups(List.of()).availabilityZones(AvailabilityZone.builder().zoneName("us-east-1a")
                            .subnetId(text(random)).build())
                    .createdTime(Instant.ofEpochSecond(random.nextInt())).build()).build(), QueryDialect.AWS_QUERY);
            assertSame(AssumeRoleResponse.builder().credentials(Credentials.builder().accessKeyId(text(random))
                    .secretAccessKey(text(random)).sessionToken(text(random))
                    .expiration(Instant.ofEpochSecond(random.nextInt())).build()).sourceIdentity(text(random))
                    .build(), QueryDialect.AWS_QUERY);
        }
    }

    @Test
    void keptFragments_encodedOnceThenCopied_areByteIdentical() {
        Random random = new Random(7);
        java.util.Map<Object, Fragments.Slot> kept = new java.util.IdentityHashMap<>();
        Fragments fragments = pojo -> kept.computeIfAbsent(pojo, p -> new Fragments.Slot());
        List<VpcEndpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            endpoints.add(VpcEndpoint.builder().vpcEndpointId("vpce-" + i).vpcId(text(random))
                    .tags(Tag.builder().key(text(random)).value(text(random)).build()).build());
        }
        DescribeVpcEndpointsResponse answer = DescribeVpcEndpointsResponse.builder().vpcEndpoints(endpoints).build();
        StringBuilder expected = new StringBuilder();
        Reference.members(expected, answer, QueryDialect.EC2);
        for (int round = 0; round < 3; round++) {
            XmlBytes out = XmlBytes.scratch();
            XmlEncoder.members(out, answer, QueryDialect.EC2, fragments);
            assertThat(out.finish()).isEqualTo(expected.toString().getBytes(StandardCharsets.UTF_8));
        }
        assertThat(kept).hasSize(20).allSatisfy((pojo, slot) -> assertThat(slot.get(QueryDialect.EC2)).isNotNull());
    }

    @Test
    void charactersXmlCannotCarry_becomeTheReplacementCharacter_andTheDocumentParses() throws Exception {
        String id = "vpce-\u0000\u0001\u001f\ufffe\uffffx\t<&";
        XmlBytes out = XmlBytes.scratch();
        out.raw("<a>".getBytes(StandardCharsets.US_ASCII)).text(id).raw("</a>".getBytes(StandardCharsets.US_ASCII));
        StringBuilder sb = new StringBuilder("<a>");
        XmlEncoder.text(sb, id);
        sb.append("</a>");
        byte[] bytes = out.finish();
        assertThat(bytes).isEqualTo(sb.toString().getBytes(StandardCharsets.UTF_8));
        javax.xml.parsers.DocumentBuilder parser =
                javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder();
        String parsed = parser.parse(new java.io.ByteArrayInputStream(bytes)).getDocumentElement().getTextContent();
        assertThat(parsed).isEqualTo("vpce-\ufffd\ufffd\ufffd\ufffd\ufffdx\t<&");
    }

    @Test
    void emptyAnswer_writesNothing() {
        XmlBytes out = new XmlBytes(0);
        XmlEncoder.members(out, DescribeVpcsResponse.builder().build(), QueryDialect.EC2);
        assertThat(out.length()).isZero();
    }

    private static void assertSame(SdkPojo pojo, QueryDialect dialect) {
        StringBuilder expected = new StringBuilder();
        Reference.members(expected, pojo, dialect);
        XmlBytes out = new XmlBytes(1);
        XmlEncoder.members(out, pojo, dialect);
        assertThat(out.toByteArray()).isEqualTo(expected.toString().getBytes(StandardCharsets.UTF_8));
        StringBuilder viaString = new StringBuilder();
        XmlEncoder.members(viaString, pojo, dialect);
        // Through a StringBuilder a lone surrogate is already '?', as it becomes on the wire.
        assertThat(viaString.toString().getBytes(StandardCharsets.UTF_8))
                .isEqualTo(expected.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String text(Random random) {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(12);
        for (int i = 0; i < n; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    /**
     * The encoder as it was before it wrote bytes: a StringBuilder, one character at a time. Its escaping is
     * {@link XmlEncoder#text(StringBuilder, String)}, the one the error envelopes still use (so the byte writer is held
     * to the same escaping as the errors), and its scalars are the encoder's own: what is compared is how the two
     * write, not how a value is spelled.
     */
    private static final class Reference {
        private Reference() {}

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
                    XmlEncoder.text(out, String.valueOf(e.getKey()));
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
            XmlEncoder.text(out, XmlEncoder.scalar(value));
            out.append("</").append(name).append('>');
        }
    }
}
