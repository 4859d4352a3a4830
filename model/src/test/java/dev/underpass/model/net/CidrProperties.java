package dev.underpass.model.net;

import dev.underpass.model.ec2.VpcId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.Quotas;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.ec2.Subnets;
import dev.underpass.model.ec2.Vpc;
import dev.underpass.model.ec2.Vpcs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Laws of CIDR blocks, and of subnets carved out of a VPC in random order. */
class CidrProperties {

    @Provide
    Arbitrary<Cidr> cidrs() {
        return Combinators.combine(Arbitraries.integers(), Arbitraries.integers().between(0, 32))
                .as((address, prefix) -> new Cidr(address & Cidr.mask(prefix), prefix));
    }

    @Property
    void formatThenParse_givesTheSameBlock(@ForAll("cidrs") Cidr c) {
        assertThat(Cidr.parse(c.toString())).isEqualTo(c);
    }

    @Property
    void addressFormatThenParse_givesTheSameAddress(@ForAll int address) {
        assertThat(Ipv4.parse(Ipv4.format(address))).isEqualTo(address);
    }

    @Property
    void hostBitsSet_isRefused(@ForAll("cidrs") Cidr c) {
        if (c.prefix() == 32) {
            return;
        }
        String withHostBit = Ipv4.format(c.network() | 1) + "/" + c.prefix();
        assertThat(Cidr.isValid(withHostBit)).isFalse();
    }

    @Property
    void containsItself_andItsFirstAndLastAddress(@ForAll("cidrs") Cidr c) {
        assertThat(c.contains(c)).isTrue();
        assertThat(c.contains(c.first())).isTrue();
        assertThat(c.contains(c.last())).isTrue();
        assertThat(Integer.toUnsignedLong(c.last()) - Integer.toUnsignedLong(c.first()) + 1).isEqualTo(c.size());
    }

    @Property
    void containsAddress_isTheRangeFirstToLast(@ForAll("cidrs") Cidr c, @ForAll int address) {
        long a = Integer.toUnsignedLong(address);
        boolean inRange = a >= Integer.toUnsignedLong(c.first()) && a <= Integer.toUnsignedLong(c.last());
        assertThat(c.contains(address)).isEqualTo(inRange);
    }

    @Property
    void overlaps_isSymmetric_andMeansOneContainsTheOther(@ForAll("cidrs") Cidr a, @ForAll("cidrs") Cidr b) {
        assertThat(a.overlaps(b)).isEqualTo(b.overlaps(a));
        assertThat(a.overlaps(b)).isEqualTo(a.contains(b) || b.contains(a));
    }

    @Property
    void containment_isTransitive_andAntisymmetric(@ForAll("cidrs") Cidr a, @ForAll("cidrs") Cidr b,
            @ForAll("cidrs") Cidr c) {
        if (a.contains(b) && b.contains(c)) {
            assertThat(a.contains(c)).isTrue();
        }
        if (a.contains(b) && b.contains(a)) {
            assertThat(a).isEqualTo(b);
        }
    }

    @Property
    void overlaps_meansSomeAddressInBoth(@ForAll("cidrs") Cidr a, @ForAll("cidrs") Cidr b) {
        boolean shared = Long.max(Integer.toUnsignedLong(a.first()), Integer.toUnsignedLong(b.first())) <= Long
                .min(Integer.toUnsignedLong(a.last()), Integer.toUnsignedLong(b.last()));
        assertThat(a.overlaps(b)).isEqualTo(shared);
    }

    /** A random subnet request inside (or just outside) 10.20.0.0/16: third octet, fourth octet and prefix. */
    @Provide
    Arbitrary<List<String>> subnetRequests() {
        Arbitrary<String> one = Combinators.combine(Arbitraries.integers().between(18, 21),
                Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(14, 29))
                .as((second, third, fourth, prefix) -> {
                    int address = Ipv4.parse("10." + second + "." + third + "." + fourth);
                    return Ipv4.format(address & Cidr.mask(prefix)) + "/" + prefix;
                });
        return one.list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 300)
    void acceptedSubnets_neverOverlap_andStayInsideTheVpc(@ForAll("subnetRequests") List<String> requests) {
        Caller caller = Caller.of("123456789012", "eu-west-1");
        Tx tx = new Tx(World.empty(), caller, Instant.EPOCH);
        Vpc vpc = Vpcs.create(tx, Quotas.defaults(), new Vpcs.Create("10.20.0.0/16", null, false, Map.of()));
        Cidr vpcBlock = Cidr.parse(vpc.cidrBlock());
        List<Cidr> accepted = new ArrayList<>();
        for (String cidr : requests) {
            Cidr requested = Cidr.parse(cidr);
            boolean expectOk = requested.prefix() >= 16 && requested.prefix() <= 28 && vpcBlock.contains(requested)
                    && accepted.stream().noneMatch(requested::overlaps);
            try {
                Subnet s = Subnets.create(tx, Quotas.defaults(),
                        new Subnets.Create(vpc.vpcId(), cidr, null, null, false, false, Map.of()));
                assertThat(expectOk).as("accepted %s", cidr).isTrue();
                accepted.add(Cidr.parse(s.cidrBlock()));
            } catch (AwsException e) {
                assertThat(expectOk).as("refused %s with %s", cidr, e.code()).isFalse();
                assertThat(e.code()).isIn("InvalidSubnet.Range", "InvalidSubnet.Conflict");
            }
        }
        for (int i = 0; i < accepted.size(); i++) {
            assertThat(vpcBlock.contains(accepted.get(i))).isTrue();
            for (int j = i + 1; j < accepted.size(); j++) {
                assertThat(accepted.get(i).overlaps(accepted.get(j))).isFalse();
            }
        }
    }
}
