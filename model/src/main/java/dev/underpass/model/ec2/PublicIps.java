package dev.underpass.model.ec2;

import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Regions;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.net.Cidr;
import dev.underpass.model.net.Ipv4;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The public IPv4 addresses Amazon lends instances, and the pool every public address (these and Elastic IPs)
 * comes from. Kept apart from {@link ElasticIps}, which an account allocates and moves itself, because these follow
 * the instance's life instead.
 *
 * <p><b>The pool.</b> Public addresses must never be real ones: underpass hands them out from
 * {@code 198.18.0.0/15}, the block RFC 2544 reserves for benchmarking (not routed on the internet), one {@code /21}
 * per region in the order of {@link Regions#all()} ({@code us-east-1} gets {@code 198.18.0.0/21}, {@code us-east-2}
 * {@code 198.18.8.0/21}, …). An address is unique in its region across accounts, as Amazon's are; addresses ending
 * in {@code .0} or {@code .255} are skipped so that none looks like a network or broadcast address.
 *
 * <p><b>Amazon's public addresses.</b> An instance launched with a public address (the subnet's
 * {@code MapPublicIpOnLaunch}, or {@code AssociatePublicIpAddress} on its interface) holds a {@link PublicIp} on its
 * primary interface: released when the instance stops (a new one comes with the next start), terminates, or an
 * Elastic IP is associated with that address (and given again when the Elastic IP is disassociated).
 */
public final class PublicIps {
    /** The pool every public address comes from (RFC 2544 benchmarking space). */
    public static final String POOL = "198.18.0.0/15";
    /** The size of each region's share of the pool. */
    public static final int REGION_PREFIX = 21;

    private PublicIps() {}

    /**
     * Gives a freshly launched instance's primary interface a public address when asked to: {@code requested}
     * (the interface's {@code AssociatePublicIpAddress}) wins, else the subnet's {@code MapPublicIpOnLaunch}.
     */
    public static void onLaunch(Tx tx, Instance instance, Boolean requested) {
        NetworkInterface eni = tx.find(NetworkInterface.class, instance.primaryNetworkInterfaceId()).orElse(null);
        Subnet subnet = tx.find(Subnet.class, instance.subnetId()).orElse(null);
        if (eni == null || subnet == null || eni.primaryIp() == null) {
            return;
        }
        boolean wanted = requested != null ? requested : subnet.mapPublicIpOnLaunch();
        if (!wanted
                || !tx.all(PublicIp.class, p -> p.networkInterfaceId().equals(eni.networkInterfaceId())).isEmpty()) {
            return;
        }
        tx.put(new PublicIp(Ids.next("pubip"), instance.ownerId(), instance.region(),
                nextPublicIp(tx.world(), instance.region()), eni.networkInterfaceId(), eni.primaryIp(), Map.of()));
    }

    /**
     * Follows instances' moves: a stop gives their Amazon addresses back, a start takes new ones, a termination
     * frees whatever its deleted or detached interfaces held. Returns the moves unchanged.
     */
    public static List<Instances.Transition> follow(Tx tx, List<Instances.Transition> moves) {
        for (Instances.Transition t : moves) {
            if (t.previous().equals(t.current())) {
                continue;
            }
            switch (t.current()) {
                case InstanceState.STOPPING -> onStop(tx, t.instanceId());
                case InstanceState.PENDING -> onStart(tx, t.instanceId());
                default -> {
                }
            }
        }
        ElasticIps.prune(tx);
        return moves;
    }

    /** An instance stopped: its Amazon addresses go back to the pool (Elastic IPs stay). */
    public static void onStop(Tx tx, InstanceId instanceId) {
        for (PublicIp p : ofInstance(tx, instanceId)) {
            if (p.publicIp() != null) {
                tx.put(p.withPublicIp(null));
            }
        }
    }

    /** An instance started: each interface that had an Amazon address gets a new one, unless an Elastic IP took it. */
    public static void onStart(Tx tx, InstanceId instanceId) {
        for (PublicIp p : ofInstance(tx, instanceId)) {
            if (p.publicIp() == null && elasticOn(tx.world(), p.networkInterfaceId(), p.privateIpAddress()) == null) {
                tx.put(p.withPublicIp(nextPublicIp(tx.world(), p.region())));
            }
        }
    }

    private static List<PublicIp> ofInstance(Tx tx, InstanceId instanceId) {
        Set<NetworkInterfaceId> enis = new HashSet<>();
        NetworkInterfaces.attachedTo(tx.world(), instanceId).forEach(n -> enis.add(n.networkInterfaceId()));
        return tx.all(PublicIp.class, p -> enis.contains(p.networkInterfaceId()));
    }

    /** After an Elastic IP leaves a private address, Amazon's address comes back if the instance is running. */
    static void giveBackAmazonAddress(Tx tx, ElasticIp.Association gone) {
        for (PublicIp p : tx.all(PublicIp.class, p -> p.networkInterfaceId().equals(gone.networkInterfaceId())
                && p.privateIpAddress().equals(gone.privateIpAddress()) && p.publicIp() == null)) {
            InstanceId instanceId = tx.find(NetworkInterface.class, p.networkInterfaceId())
                    .map(NetworkInterface::attachment).map(NetworkInterface.Attachment::instanceId).orElse(null);
            InstanceState state = tx.find(Instance.class, instanceId).map(Instance::state).orElse(null);
            if (InstanceState.PENDING.equals(state) || InstanceState.RUNNING.equals(state)) {
                tx.put(p.withPublicIp(nextPublicIp(tx.world(), p.region())));
            }
        }
    }

    private static ElasticIp elasticOn(World world, NetworkInterfaceId eniId, String privateIp) {
        return world.all(ElasticIp.class, e -> e.association() != null
                && e.association().networkInterfaceId().equals(eniId)
                && e.association().privateIpAddress().equals(privateIp)).stream().findFirst().orElse(null);
    }

    /** The region's share of {@link #POOL}. */
    public static Cidr regionBlock(String region) {
        List<Regions.Region> all = Regions.all();
        int index = all.size();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).name().equals(region)) {
                index = i;
            }
        }
        Cidr pool = Cidr.parse(POOL);
        int slots = 1 << (REGION_PREFIX - pool.prefix());
        return new Cidr(pool.network() + (index % slots) * (1 << (32 - REGION_PREFIX)), REGION_PREFIX);
    }

    /** The lowest free address of the region's block. */
    static String nextPublicIp(World world, String region) {
        Set<String> taken = used(world, region);
        Cidr block = regionBlock(region);
        for (long i = 0; i < block.size(); i++) {
            int address = block.network() + (int) i;
            int last = address & 0xff;
            if (last == 0 || last == 255) {
                continue;
            }
            String candidate = Ipv4.format(address);
            if (!taken.contains(candidate)) {
                return candidate;
            }
        }
        throw ErrorCode.INSUFFICIENT_ADDRESS_CAPACITY.format(
                "There are no free public IPv4 addresses left in %s (underpass's pool is %s).", region, block);
    }

    static Set<String> used(World world, String region) {
        Set<String> out = new HashSet<>();
        world.all(ElasticIp.class).forEach(e -> {
            if (e.region().equals(region)) {
                out.add(e.publicIp());
            }
        });
        world.all(PublicIp.class).forEach(p -> {
            if (p.region().equals(region) && p.publicIp() != null) {
                out.add(p.publicIp());
            }
        });
        return out;
    }
}
