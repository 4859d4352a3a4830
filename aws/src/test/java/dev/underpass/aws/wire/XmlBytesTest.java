package dev.underpass.aws.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.DescribeVpcEndpointsResponse;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;

/** Shared (referenced, not copied) fragments give the same bytes as copied ones in every output form. */
class XmlBytesTest {
    @Test
    void sharedFragments_joinToTheSameBytesAsCopiedOnes() {
        byte[] small = "<a>1</a>".getBytes(StandardCharsets.UTF_8);
        byte[] large = ("<b>" + "x".repeat(XmlBytes.SHARE_MIN) + "é</b>").getBytes(StandardCharsets.UTF_8);
        XmlBytes copied = new XmlBytes(4);
        copied.raw("<r>").raw(large).raw(small).raw(large).raw(large).raw("</r>");
        byte[] expected = copied.toByteArray();

        XmlBytes shared = XmlBytes.scratch();
        shared.raw("<r>").share(large).share(small).share(large).share(large).raw("</r>");
        assertThat(shared.toByteArray()).isEqualTo(expected);
        assertThat(shared.toString()).isEqualTo(new String(expected, StandardCharsets.UTF_8));
        ByteBuffer[] parts = shared.finishParts();
        // <r>, the small one and </r> are copied (three slices), the three large ones referenced as they are.
        assertThat(parts).hasSize(6);
        assertThat(parts[1].array()).isSameAs(large);
        assertThat(join(parts)).isEqualTo(expected);

        XmlBytes again = XmlBytes.scratch();
        again.share(large);
        assertThat(join(again.finishParts())).isEqualTo(large);
        XmlBytes none = XmlBytes.scratch();
        assertThat(join(none.finishParts())).isEmpty();
    }

    @Test
    void copyFrom_refusesAMarkBeforeASharedFragment() {
        byte[] large = "y".repeat(XmlBytes.SHARE_MIN).getBytes(StandardCharsets.UTF_8);
        XmlBytes out = new XmlBytes(8);
        out.raw("<x>");
        long mark = out.mark();
        out.share(large);
        assertThatThrownBy(() -> out.copyFrom(mark)).isInstanceOf(IllegalStateException.class);
        long after = out.mark();
        out.raw("<z/>");
        assertThat(out.copyFrom(after)).isEqualTo("<z/>".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void largeKeptItems_sentAsParts_areByteIdenticalToAFreshEncoding() {
        Map<Object, Fragments.Slot> kept = new IdentityHashMap<>();
        Fragments fragments = pojo -> kept.computeIfAbsent(pojo, p -> new Fragments.Slot());
        List<VpcEndpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            endpoints.add(VpcEndpoint.builder().vpcEndpointId("vpce-" + i).policyDocument("{\"p\":\"<&>"
                    + "z".repeat(i * 20) + "\"}").tags(Tag.builder().key("Name").value("e" + i).build()).build());
        }
        DescribeVpcEndpointsResponse answer = DescribeVpcEndpointsResponse.builder().vpcEndpoints(endpoints).build();
        XmlBytes plain = new XmlBytes(16);
        XmlEncoder.members(plain, answer, QueryDialect.EC2);
        byte[] expected = plain.toByteArray();
        for (int round = 0; round < 3; round++) {
            XmlBytes out = XmlBytes.scratch();
            out.raw("<r>");
            XmlEncoder.members(out, answer, QueryDialect.EC2, fragments);
            out.raw("</r>");
            byte[] whole = join(out.finishParts());
            assertThat(new String(whole, StandardCharsets.UTF_8))
                    .isEqualTo("<r>" + new String(expected, StandardCharsets.UTF_8) + "</r>");
        }
    }

    private static byte[] join(ByteBuffer[] parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (ByteBuffer p : parts) {
            ByteBuffer d = p.duplicate();
            byte[] b = new byte[d.remaining()];
            d.get(b);
            all.writeBytes(b);
        }
        return all.toByteArray();
    }
}
