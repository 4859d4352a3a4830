package dev.underpass.model.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class IpProtocolTest {

    @Test
    void theFourCommonProtocols_goByName_inRules_andByNumber_inAclEntries() {
        assertThat(IpProtocol.TCP.ruleName()).isEqualTo("tcp");
        assertThat(IpProtocol.TCP.aclNumber()).isEqualTo("6");
        assertThat(IpProtocol.UDP.ruleName()).isEqualTo("udp");
        assertThat(IpProtocol.ICMP.ruleName()).isEqualTo("icmp");
        assertThat(IpProtocol.ICMPV6.aclNumber()).isEqualTo("58");
        assertThat(IpProtocol.ALL.ruleName()).isEqualTo("-1");
        assertThat(IpProtocol.ALL.aclNumber()).isEqualTo("-1");
        assertThat(IpProtocol.ALL.commonName()).isEqualTo("all");
        assertThat(IpProtocol.of(50).ruleName()).isEqualTo("50");
        assertThat(IpProtocol.of(50).commonName()).isNull();
    }

    @Test
    void aClientMayNameAProtocolEitherWay_inAnyCase_withLeadingZeros() {
        assertThat(IpProtocol.parse("TCP")).isSameAs(IpProtocol.TCP);
        assertThat(IpProtocol.parse(" 6 ")).isSameAs(IpProtocol.TCP);
        assertThat(IpProtocol.parse("all")).isSameAs(IpProtocol.ALL);
        assertThat(IpProtocol.parse("-1")).isSameAs(IpProtocol.ALL);
        assertThat(IpProtocol.parse("050")).isEqualTo(IpProtocol.of(50));
        assertThat(IpProtocol.parse("0")).isEqualTo(new IpProtocol(0));
    }

    @Test
    void whatNamesNoProtocol_isNull_forEachApiToRefuseInItsOwnWords() {
        for (String bad : new String[] {null, "", "256", "-2", "0x6", "tcpx", "1e2", "\u0666", "+6", "0006"}) {
            assertThat(IpProtocol.parse(bad)).as(bad).isNull();
        }
        assertThatThrownBy(() -> new IpProtocol(256)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRuleForAllProtocols_coversEveryPacket_andAnotherOnlyItsOwn() {
        assertThat(IpProtocol.ALL.covers(IpProtocol.UDP)).isTrue();
        assertThat(IpProtocol.TCP.covers(IpProtocol.TCP)).isTrue();
        assertThat(IpProtocol.TCP.covers(IpProtocol.UDP)).isFalse();
        assertThat(IpProtocol.of(50).covers(IpProtocol.TCP)).isFalse();
        assertThat(IpProtocol.TCP.hasPorts()).isTrue();
        assertThat(IpProtocol.ICMPV6.isIcmp()).isTrue();
        assertThat(IpProtocol.ALL.hasPorts()).isFalse();
    }

    @Property
    void bothSpellings_readBackAsTheSameProtocol(@ForAll @IntRange(min = -1, max = 255) int number) {
        IpProtocol p = IpProtocol.of(number);
        assertThat(IpProtocol.parse(p.ruleName())).isEqualTo(p);
        assertThat(IpProtocol.parse(p.aclNumber())).isEqualTo(p);
        assertThat(p.number()).isEqualTo(number);
    }
}
