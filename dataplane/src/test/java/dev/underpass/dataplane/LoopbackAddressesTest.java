package dev.underpass.dataplane;

import dev.underpass.model.ec2.AttachmentStatus;
import dev.underpass.model.ec2.NetworkInterfaceAttachmentId;
import dev.underpass.model.ec2.InstanceId;
import dev.underpass.model.ec2.SecurityGroupId;

import dev.underpass.model.ec2.SubnetId;
import dev.underpass.model.ec2.VpcId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.model.World;
import dev.underpass.model.ec2.NetworkInterface;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoopbackAddressesTest {

    static NetworkInterface instanceEni(String id, String ip) {
        return new NetworkInterface(id, "111111111111", "us-east-1", SubnetId.of("subnet-1"), VpcId.of("vpc-1"),
                "us-east-1a", "",
                "interface", false, null, "02:00:00:00:00:01", true,
                List.of(new NetworkInterface.PrivateIp(ip, true)), SecurityGroupId.all(List.of("sg-1")),
                new NetworkInterface.Attachment(NetworkInterfaceAttachmentId.of("eni-attach-" + id),
                        InstanceId.of("i-" + id.substring(4)),
                        "111111111111", 0,
                        AttachmentStatus.ATTACHED, true, null),
                Map.of());
    }

    static World world(List<String> ids) {
        List<NetworkInterface> enis = new ArrayList<>();
        int n = 4;
        for (String id : ids) {
            enis.add(instanceEni(id, "10.0." + (n / 250) + "." + (n % 250 + 4)));
            n++;
        }
        return World.of(enis);
    }

    @Test
    void everyAddress_isInLoopback_notTheServers_unique_andAFunctionOfTheInterfaceId() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            ids.add(String.format("eni-%017x", i * 7919L));
        }
        LoopbackAddresses book = LoopbackAddresses.of(world(ids));
        assertThat(book.size()).isEqualTo(500);
        Set<String> seen = new HashSet<>();
        for (LoopbackAddresses.Address a : book.all()) {
            assertThat(a.loopback()).startsWith("127.").doesNotStartWith("127.0.0.").doesNotEndWith(".0")
                    .doesNotEndWith(".255");
            assertThat(seen.add(a.loopback())).isTrue();
            assertThat(a.role()).isEqualTo(LoopbackAddresses.Role.INSTANCE);
            assertThat(book.atLoopback(a.loopback())).contains(a);
        }
        // A restart computes the same addresses; so does a world with more interfaces, for those already there.
        assertThat(LoopbackAddresses.of(world(ids)).all()).isEqualTo(book.all());
        List<String> more = new ArrayList<>(ids);
        more.add("eni-0123456789abcdef0");
        LoopbackAddresses bigger = LoopbackAddresses.of(world(more), book);
        for (String id : ids) {
            assertThat(bigger.ofInterface(id).orElseThrow().loopback())
                    .isEqualTo(book.ofInterface(id).orElseThrow().loopback());
        }
    }

    @Test
    void aCollision_movesTheNewcomer_andARunningMappingNeverMovesAnInterfaceThatHadItsAddress() {
        Map<String, String> byAddress = new HashMap<>();
        String first = null;
        String second = null;
        for (int i = 0; first == null; i++) {
            String id = String.format("eni-%017x", i);
            String previous = byAddress.putIfAbsent(LoopbackAddresses.preferred(id), id);
            if (previous != null) {
                first = previous;
                second = id;
            }
        }
        String low = first.compareTo(second) < 0 ? first : second;
        String high = low.equals(first) ? second : first;
        LoopbackAddresses both = LoopbackAddresses.of(world(List.of(low, high)));
        assertThat(both.ofInterface(low).orElseThrow().loopback()).isEqualTo(LoopbackAddresses.preferred(low));
        assertThat(both.ofInterface(high).orElseThrow().loopback())
                .isNotEqualTo(both.ofInterface(low).orElseThrow().loopback());

        // The larger id came first: it keeps its address when the smaller one appears.
        LoopbackAddresses before = LoopbackAddresses.of(world(List.of(high)));
        LoopbackAddresses after = LoopbackAddresses.of(world(List.of(low, high)), before);
        assertThat(after.ofInterface(high).orElseThrow().loopback()).isEqualTo(LoopbackAddresses.preferred(high));
        assertThat(after.ofInterface(low).orElseThrow().loopback()).isNotEqualTo(LoopbackAddresses.preferred(low));
    }

    @Test
    void usable_skipsTheServersBlock_andNetworkAndBroadcastLikeEnds() {
        assertThat(LoopbackAddresses.format(LoopbackAddresses.usable(0))).isEqualTo("127.0.1.1");
        assertThat(LoopbackAddresses.format(LoopbackAddresses.usable(0x01_02_ff))).isEqualTo("127.1.3.1");
        assertThat(LoopbackAddresses.format(LoopbackAddresses.usable(0xff_ff_ff))).isEqualTo("127.0.1.1");
        assertThat(LoopbackAddresses.parse("127.10.20.30")).isEqualTo(0x0a_14_1e);
    }
}
