package dev.underpass.model.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.net.Cidr;
import dev.underpass.model.net.Ipv4;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Address allocation against a reference model: random sequences of "create an interface" (with a count of
 * addresses, sometimes a chosen one), "assign more", "unassign one" and "delete an interface" in a small subnet. The
 * reference is simply the set of addresses handed out. Whatever the sequence, no address is reserved, outside the
 * subnet or held twice, the free count is exact, and allocation fails exactly when the subnet is full.
 */
class AddressAllocationProperties {
    private static final Caller CALLER = Caller.of("123456789012", "us-east-1");

    /** One step: kind 0 create, 1 assign, 2 unassign, 3 delete; {@code n} picks a count, an interface or an address. */
    record Step(int kind, int n) {}

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 1000)).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 300)
    void randomOperations_neverHandOutReservedOrDuplicateAddresses(@ForAll("steps") List<Step> steps,
            @ForAll @IntRange(min = 26, max = 28) int prefix) {
        World world = World.empty();
        Tx setup = new Tx(world, CALLER, Instant.EPOCH);
        Vpc vpc = Vpcs.create(setup, Quotas.defaults(), new Vpcs.Create("10.9.0.0/16", null, false, Map.of()));
        Subnet subnet = Subnets.create(setup, Quotas.defaults(), new Subnets.Create(vpc.vpcId(),
                "10.9.4.0/" + prefix, null, null, false, false, Map.of()));
        world = setup.world();
        Cidr block = Cidr.parse(subnet.cidrBlock());
        long usable = block.size() - Subnets.RESERVED_ADDRESSES;
        Set<String> reference = new HashSet<>();
        List<String> enis = new ArrayList<>();

        for (Step s : steps) {
            Tx tx = new Tx(world, CALLER, Instant.EPOCH);
            try {
                switch (s.kind()) {
                    case 0 -> {
                        int count = s.n() % 4;
                        List<NetworkInterfaces.RequestedIp> chosen = new ArrayList<>();
                        if (s.n() % 5 == 0) {
                            chosen.add(new NetworkInterfaces.RequestedIp(
                                    Ipv4.format(block.first() + (s.n() % (int) block.size())), true));
                        }
                        NetworkInterface eni = NetworkInterfaces.create(tx, Quotas.defaults(),
                                new NetworkInterfaces.Create(subnet.subnetId(), null, List.of(), chosen, count,
                                        null,
                                        Map.of()));
                        assertThat(reference.size() + eni.privateIps().size()).isLessThanOrEqualTo((int) usable);
                        eni.privateIps().forEach(ip -> assertThat(reference.add(ip.address())).isTrue());
                        enis.add(eni.id());
                    }
                    case 1 -> {
                        if (enis.isEmpty()) {
                            continue;
                        }
                        String id = enis.get(s.n() % enis.size());
                        int count = 1 + s.n() % 3;
                        List<String> added =
                                NetworkInterfaces.assign(tx, NetworkInterfaceId.of(id), null, count, false);
                        assertThat(added).hasSize(count);
                        added.forEach(a -> assertThat(reference.add(a)).isTrue());
                    }
                    case 2 -> {
                        if (enis.isEmpty()) {
                            continue;
                        }
                        NetworkInterface eni = tx.find(NetworkInterface.class, enis.get(s.n() % enis.size()))
                                .orElseThrow();
                        List<NetworkInterface.PrivateIp> secondaries = eni.privateIps().stream()
                                .filter(ip -> !ip.primary()).toList();
                        if (secondaries.isEmpty()) {
                            continue;
                        }
                        String a = secondaries.get(s.n() % secondaries.size()).address();
                        NetworkInterfaces.unassign(tx, eni.networkInterfaceId(), List.of(a));
                        reference.remove(a);
                    }
                    default -> {
                        if (enis.isEmpty()) {
                            continue;
                        }
                        String id = enis.remove(s.n() % enis.size());
                        NetworkInterface eni = tx.find(NetworkInterface.class, id).orElseThrow();
                        NetworkInterfaces.delete(tx, NetworkInterfaceId.of(id));
                        eni.privateIps().forEach(ip -> reference.remove(ip.address()));
                    }
                }
                world = tx.world();
            } catch (AwsException e) {
                // A refusal must be for a reason the reference model agrees with, and must change nothing.
                assertThat(e.code()).isIn("InsufficientFreeAddressesInSubnet", "InvalidIPAddress.InUse",
                        "InvalidParameterValue");
                if (e.code().equals("InsufficientFreeAddressesInSubnet")) {
                    assertThat(reference.size() + 1 + (s.kind() == 0 ? s.n() % 4 : s.n() % 3))
                            .isGreaterThan((int) usable);
                }
            }

            Set<String> held = new HashSet<>();
            for (NetworkInterface eni : world.all(NetworkInterface.class)) {
                for (NetworkInterface.PrivateIp ip : eni.privateIps()) {
                    int a = Ipv4.parse(ip.address());
                    assertThat(block.contains(a)).as("%s inside %s", ip.address(), block).isTrue();
                    assertThat(Addresses.reserved(block, a)).as("%s reserved", ip.address()).isFalse();
                    assertThat(held.add(ip.address())).as("%s held twice", ip.address()).isTrue();
                }
            }
            assertThat(held).isEqualTo(reference);
            assertThat(Subnets.availableAddressCount(world, subnet)).isEqualTo(usable - reference.size());
        }
    }

    @Property(tries = 50)
    void fullSubnet_refusesTheNextAddress(@ForAll @IntRange(min = 26, max = 28) int prefix) {
        Tx tx = new Tx(World.empty(), CALLER, Instant.EPOCH);
        Vpc vpc = Vpcs.create(tx, Quotas.defaults(), new Vpcs.Create("10.8.0.0/16", null, false, Map.of()));
        Subnet subnet = Subnets.create(tx, Quotas.defaults(), new Subnets.Create(vpc.vpcId(), "10.8.0.0/" + prefix,
                null, null, false, false, Map.of()));
        long usable = Cidr.parse(subnet.cidrBlock()).size() - Subnets.RESERVED_ADDRESSES;
        long left = usable;
        while (left > 0) {
            // One interface holds at most MAX_ADDRESSES addresses: fill the subnet with as many as it takes.
            int take = (int) Math.min(left, NetworkInterfaces.MAX_ADDRESSES);
            NetworkInterfaces.create(tx, Quotas.defaults(), new NetworkInterfaces.Create(subnet.subnetId(), null,
                    List.of(), List.of(), take - 1, null, Map.of()));
            left -= take;
        }
        assertThat(Subnets.availableAddressCount(tx.world(), subnet)).isZero();
        assertThatThrownBy(() -> Addresses.allocate(tx.world(), subnet, Set.of()))
                .isInstanceOfSatisfying(AwsException.class,
                        e -> assertThat(e.code()).isEqualTo("InsufficientFreeAddressesInSubnet"));
    }
}
