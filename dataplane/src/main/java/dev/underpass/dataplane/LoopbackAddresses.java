package dev.underpass.dataplane;

import dev.underpass.model.ec2.InstanceId;
import dev.underpass.model.ec2.NetworkInterfaceId;
import dev.underpass.model.ec2.SubnetId;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.World;
import dev.underpass.model.ec2.NetworkInterface;
import dev.underpass.model.ec2.VpcEndpoint;
import dev.underpass.model.elb.LoadBalancer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The loopback address each traffic-relevant network interface stands at: instances' interfaces, interface
 * endpoints' interfaces and Network Load Balancers' node interfaces (one per enabled zone). A pure function of the
 * world (plus, for stability while running, the previous assignment).
 *
 * <p><b>The mapping.</b> The address of interface {@code eni-x} is {@code 127.a.b.c}, where {@code a.b.c} are the
 * first 24 bits of SHA-256 over the UTF-8 bytes of {@code "underpass-loopback:" + "eni-x"}. Addresses in
 * {@code 127.0.0.0/24} (where {@code 127.0.0.1} is), and those ending in {@code .0} or {@code .255}, are never
 * used: such a hash moves on to the next address (add 1 to the 24 bits, wrapping). Two interfaces that land on the
 * same address are settled the same way: while the server runs, the interface that had the address keeps it and
 * the newcomer moves on; on a fresh start, the interface with the smaller id keeps it. So an address is a function
 * of the interface id alone, stable across restarts, except when two live interfaces collide (about n²/2²⁵ for n
 * interfaces: 3·10⁻⁴ for 100), when the one that moved on may get a different neighbour after a restart.
 */
public final class LoopbackAddresses {
    /** What an interface is there for. */
    public enum Role {
        INSTANCE("instance"),
        VPC_ENDPOINT("vpc-endpoint"),
        LOAD_BALANCER("load-balancer");

        private final String wire;

        Role(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /**
     * One interface's loopback address: the interface, what it belongs to ({@code resourceId}: the instance, the
     * endpoint, or the load balancer's ARN), the private IPv4 address it stands for, its VPC, subnet, zone, owner
     * and region.
     */
    public record Address(String loopback, String networkInterfaceId, Role role, String resourceId,
            String privateIp, VpcId vpcId, String subnetId, String availabilityZone, String ownerId,
            String region) {}

    private static final int SPACE = 1 << 24;

    private final Map<String, Address> byInterface;
    private final Map<String, Address> byLoopback;

    private LoopbackAddresses(Map<String, Address> byInterface) {
        this.byInterface = Collections.unmodifiableMap(byInterface);
        Map<String, Address> rev = new HashMap<>();
        for (Address a : byInterface.values()) {
            rev.put(a.loopback(), a);
        }
        this.byLoopback = Collections.unmodifiableMap(rev);
    }

    public static LoopbackAddresses empty() {
        return new LoopbackAddresses(new LinkedHashMap<>());
    }

    /** The addresses of {@code world}'s interfaces, computed from scratch (as at a start). */
    public static LoopbackAddresses of(World world) {
        return of(world, empty());
    }

    /**
     * The addresses of {@code world}'s interfaces, keeping those of {@code previous} for interfaces that still exist,
     * so that a collision never moves an interface that already had its address.
     */
    public static LoopbackAddresses of(World world, LoopbackAddresses previous) {
        List<Address> wanted = candidates(world);
        wanted.sort(Comparator.comparing(Address::networkInterfaceId));
        Map<String, Address> out = new LinkedHashMap<>();
        Map<Integer, String> taken = new HashMap<>();
        List<Address> newcomers = new ArrayList<>();
        for (Address a : wanted) {
            Address before = previous.byInterface.get(a.networkInterfaceId());
            if (before != null && !taken.containsKey(parse(before.loopback()))) {
                taken.put(parse(before.loopback()), a.networkInterfaceId());
                out.put(a.networkInterfaceId(), with(a, before.loopback()));
            } else {
                newcomers.add(a);
            }
        }
        for (Address a : newcomers) {
            int slot = usable(hash(a.networkInterfaceId()));
            while (taken.containsKey(slot)) {
                slot = usable((slot + 1) & (SPACE - 1));
            }
            taken.put(slot, a.networkInterfaceId());
            out.put(a.networkInterfaceId(), with(a, format(slot)));
        }
        Map<String, Address> sorted = new LinkedHashMap<>();
        out.keySet().stream().sorted().forEach(k -> sorted.put(k, out.get(k)));
        return new LoopbackAddresses(sorted);
    }

    /** The address of one interface id as the mapping would give it without collisions. */
    public static String preferred(String networkInterfaceId) {
        return format(usable(hash(networkInterfaceId)));
    }

    public Optional<Address> ofInterface(String networkInterfaceId) {
        return Optional.ofNullable(byInterface.get(networkInterfaceId));
    }

    public Optional<Address> atLoopback(String loopback) {
        return Optional.ofNullable(byLoopback.get(loopback));
    }

    /** Every address, by interface id. */
    public List<Address> all() {
        return List.copyOf(byInterface.values());
    }

    public int size() {
        return byInterface.size();
    }

    private static Address with(Address a, String loopback) {
        return new Address(loopback, a.networkInterfaceId(), a.role(), a.resourceId(), a.privateIp(), a.vpcId(),
                a.subnetId(), a.availabilityZone(), a.ownerId(), a.region());
    }

    private static List<Address> candidates(World world) {
        Map<String, Address> out = new HashMap<>();
        for (NetworkInterface n : world.all(NetworkInterface.class)) {
            if (n.attachment() != null && n.attachment().instanceId() != null && n.primaryIp() != null) {
                out.put(n.id(),
                        new Address(null, n.id(), Role.INSTANCE, InstanceId.text(n.attachment().instanceId()),
                                n.primaryIp(),
                                n.vpcId(), SubnetId.text(n.subnetId()), n.availabilityZone(), n.ownerId(), n.region()));
            }
        }
        for (VpcEndpoint e : world.all(VpcEndpoint.class)) {
            if (!(e.placement() instanceof VpcEndpoint.Placement.Interface placed)) {
                continue;
            }
            for (String id : NetworkInterfaceId.texts(placed.networkInterfaceIds())) {
                world.find(NetworkInterface.class, id).filter(n -> n.primaryIp() != null).ifPresent(
                        n -> out.put(n.id(), new Address(null, n.id(), Role.VPC_ENDPOINT, e.id(), n.primaryIp(),
                                n.vpcId(), SubnetId.text(n.subnetId()), n.availabilityZone(), n.ownerId(),
                                n.region())));
            }
        }
        for (LoadBalancer lb : world.all(LoadBalancer.class)) {
            if (lb.isApplication()) {
                continue;
            }
            for (LoadBalancer.Zone z : lb.zones()) {
                if (z.networkInterfaceId() != null && z.privateIp() != null) {
                    out.put(NetworkInterfaceId.text(z.networkInterfaceId()),
                            new Address(null, NetworkInterfaceId.text(z.networkInterfaceId()), Role.LOAD_BALANCER,
                                    lb.id(), z.privateIp(), lb.vpcId(), SubnetId.text(z.subnetId()), z.zoneName(),
                                    lb.ownerId(),
                                    lb.region()));
                }
            }
        }
        return new ArrayList<>(out.values());
    }

    static int hash(String id) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(("underpass-loopback:" + id).getBytes(StandardCharsets.UTF_8));
            return ((d[0] & 0xff) << 16) | ((d[1] & 0xff) << 8) | (d[2] & 0xff);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The first usable 24-bit value at or after {@code v}: not in 127.0.0.0/24, not ending in .0 or .255. */
    static int usable(int v) {
        int x = v & (SPACE - 1);
        while (x < 256 || (x & 0xff) == 0 || (x & 0xff) == 255) {
            x = (x + 1) & (SPACE - 1);
        }
        return x;
    }

    static String format(int slot) {
        return "127." + ((slot >> 16) & 0xff) + "." + ((slot >> 8) & 0xff) + "." + (slot & 0xff);
    }

    static int parse(String loopback) {
        String[] p = loopback.split("\\.");
        return (Integer.parseInt(p[1]) << 16) | (Integer.parseInt(p[2]) << 8) | Integer.parseInt(p[3]);
    }
}
