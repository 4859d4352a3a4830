package dev.underpass.model.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.Regions;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.net.Cidr;
import dev.underpass.model.net.Ipv4;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The public address pool and quota of {@link ElasticIps}, straight on the model. */
class ElasticIpsTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static ElasticIp allocate(Tx tx, Quotas quotas) {
        return ElasticIps.allocate(tx, quotas, new ElasticIps.Allocate(null, null, null, null, Map.of()));
    }

    @Test
    void everyRegion_hasItsOwnBlock_insideTheBenchmarkingRange() {
        Cidr pool = Cidr.parse(PublicIps.POOL);
        Set<Cidr> blocks = new HashSet<>();
        for (Regions.Region r : Regions.all()) {
            Cidr block = PublicIps.regionBlock(r.name());
            assertThat(pool.contains(block)).as(r.name()).isTrue();
            assertThat(blocks.stream().noneMatch(b -> b.overlaps(block))).as(r.name()).isTrue();
            blocks.add(block);
        }
        assertThat(PublicIps.regionBlock("us-east-1")).hasToString("198.18.0.0/21");
    }

    @Test
    void addresses_areUniqueAcrossAccounts_andSkipZeroAndBroadcastLookalikes() {
        Tx a = new Tx(World.empty(), Caller.of("111111111111", "us-east-1"), NOW);
        Quotas many = Quotas.defaults().with("elastic-ips-per-region", 300);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            assertThat(seen.add(allocate(a, many).publicIp())).isTrue();
        }
        Tx b = new Tx(a.world(), Caller.of("222222222222", "us-east-1"), NOW);
        for (int i = 0; i < 5; i++) {
            String ip = allocate(b, many).publicIp();
            assertThat(seen.add(ip)).as(ip).isTrue();
        }
        assertThat(seen).noneMatch(ip -> (Ipv4.parse(ip) & 0xff) == 0 || (Ipv4.parse(ip) & 0xff) == 255);
        assertThat(seen).allMatch(ip -> PublicIps.regionBlock("us-east-1").contains(Ipv4.parse(ip)));
    }

    @Test
    void theQuota_countsTheCallersAddressesOnly_andIsConfigurable() {
        Quotas one = Quotas.defaults().with("elastic-ips-per-region", 1).with("vpcs-per-region", 9);
        assertThat(one.elasticIpsPerRegion()).isEqualTo(1);
        assertThat(one.vpcsPerRegion()).isEqualTo(9);
        assertThat(Quotas.defaults().elasticIpsPerRegion()).isEqualTo(5);
        Tx tx = new Tx(World.empty(), Caller.of("111111111111", "us-east-1"), NOW);
        allocate(tx, one);
        assertThatThrownBy(() -> allocate(tx, one)).isInstanceOfSatisfying(AwsException.class,
                e -> assertThat(e.code()).isEqualTo("AddressLimitExceeded"));
        Tx west = new Tx(tx.world(), Caller.of("111111111111", "eu-west-1"), NOW);
        assertThat(allocate(west, one).networkBorderGroup()).isEqualTo("eu-west-1");
    }
}
