package dev.underpass.model.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An instance's DNS name options: taken at launch, changed by ModifyPrivateDnsNameOptions, derived for old data. */
class InstanceDnsNameOptionsTest {
    private static final Caller CALLER = Caller.of("940000000001", "us-east-1");
    private static final Quotas QUOTAS = Quotas.defaults();
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static Subnet subnet(Tx tx) {
        Vpc vpc = Vpcs.create(tx, QUOTAS, new Vpcs.Create("10.0.0.0/16", null, false, Map.of()));
        return Subnets.create(tx, QUOTAS, new Subnets.Create(vpc.vpcId(), "10.0.1.0/24", "us-east-1a", null, false,
                false, Map.of()));
    }

    private static Instance run(Tx tx, Subnet subnet, Instances.DnsNameRequest req) {
        return Instances.run(tx, QUOTAS,
                new Instances.Run(ImageId.of("ami-12345678"), null, 1, 1, subnet.subnetId(), null, List.of(),
                        List.of(), null, null, null, Map.of(), Map.of(), null, null, req))
                .instances().get(0);
    }

    @Test
    void launch_requestPartsOverrideTheSubnets_andTheRestComeFromIt() {
        Tx tx = new Tx(World.empty(), CALLER, NOW);
        Subnet subnet = subnet(tx);
        tx.put(subnet.withResourceNameDnsARecordOnLaunch(true).withResourceNameDnsAAAARecordOnLaunch(true));
        Instance plain = run(tx, subnet, null);
        assertThat(plain.privateDnsNameOptions()).isEqualTo(new Instance.DnsNameOptions("ip-name", true, true));
        Instance asked = run(tx, subnet, new Instances.DnsNameRequest("resource-name", false, null));
        assertThat(asked.privateDnsNameOptions())
                .isEqualTo(new Instance.DnsNameOptions("resource-name", false, true));
    }

    @Test
    void oldInstanceWithoutOptions_readsItsSubnetsCurrentSettings() {
        Tx tx = new Tx(World.empty(), CALLER, NOW);
        Subnet subnet = subnet(tx);
        Instance old = run(tx, subnet, null).withPrivateDnsNameOptions(null);
        tx.put(old);
        assertThat(Instances.dnsNameOptions(tx.world(), old).enableResourceNameDnsARecord()).isFalse();
        tx.put(subnet.withResourceNameDnsARecordOnLaunch(true));
        assertThat(Instances.dnsNameOptions(tx.world(), old))
                .isEqualTo(new Instance.DnsNameOptions("ip-name", true, false));
    }

    @Test
    void modify_hostnameTypeNeedsAStoppedInstance_switchesDoNot() {
        Tx tx = new Tx(World.empty(), CALLER, NOW);
        Instance i = run(tx, subnet(tx), null);
        assertThatThrownBy(() -> Instances.modifyDnsNameOptions(tx, Duration.ZERO, i.instanceId(),
                new Instances.DnsNameRequest("resource-name", null, null)))
                .isInstanceOfSatisfying(AwsException.class,
                        e -> assertThat(e.code()).isEqualTo("IncorrectInstanceState"));
        Instances.modifyDnsNameOptions(tx, Duration.ZERO, i.instanceId(),
                new Instances.DnsNameRequest(null, true, null));
        assertThat(tx.find(Instance.class, i.id()).orElseThrow().privateDnsNameOptions())
                .isEqualTo(new Instance.DnsNameOptions("ip-name", true, false));

        Instances.stop(tx, Duration.ZERO, List.of(i.id()));
        Instances.modifyDnsNameOptions(tx, Duration.ZERO, i.instanceId(),
                new Instances.DnsNameRequest("resource-name", null, null));
        assertThat(tx.find(Instance.class, i.id()).orElseThrow().privateDnsNameOptions())
                .isEqualTo(new Instance.DnsNameOptions("resource-name", true, false));
    }
}
