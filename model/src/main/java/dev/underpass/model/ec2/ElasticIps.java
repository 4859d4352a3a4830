package dev.underpass.model.ec2;

import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Regions;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.net.Cidr;
import dev.underpass.model.net.Ipv4;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Elastic IP addresses and the public IPv4 addresses Amazon lends instances, after the EC2 guide's
 * <a href="https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/elastic-ip-addresses-eip.html">Elastic IP
 * addresses</a> page and the API reference for AllocateAddress, AssociateAddress, DisassociateAddress and
 * ReleaseAddress.
 *
 * <p><b>The pool.</b> Public addresses must never be real ones: underpass hands them out from
 * {@code 198.18.0.0/15}, the block RFC 2544 reserves for benchmarking (not routed on the internet), one {@code /21}
 * per region in the order of {@link Regions#all()} ({@code us-east-1} gets {@code 198.18.0.0/21}, {@code us-east-2}
 * {@code 198.18.8.0/21}, …). An address is unique in its region across accounts, as Amazon's are; addresses ending
 * in {@code .0} or {@code .255} are skipped so that none looks like a network or broadcast address.
 *
 * <p><b>Associations.</b> An Elastic IP is associated with one private address of a network interface; naming an
 * instance means its only interface's primary address. An address already associated moves only with
 * {@code AllowReassociation}; a private address that already has an Elastic IP gives it up to the new one (which
 * stays allocated), as AWS documents. A VPC without an internet gateway cannot take one
 * ({@code Gateway.NotAttached}). An association made by a NAT gateway belongs to it: the account can neither move
 * nor release the address until the gateway is deleted ({@code AuthFailure}, as AWS answers). An association whose
 * interface or private address has gone is no association: {@link #live} ignores it and the next write prunes it.
 *
 * <p><b>Amazon's public addresses.</b> An instance launched with a public address (the subnet's
 * {@code MapPublicIpOnLaunch}, or {@code AssociatePublicIpAddress} on its interface) holds a {@link PublicIp} on its
 * primary interface: released when the instance stops (a new one comes with the next start), terminates, or an
 * Elastic IP is associated with that address (and given again when the Elastic IP is disassociated).
 */
public final class ElasticIps {
    /** The pool every public address comes from (RFC 2544 benchmarking space). */
    public static final String POOL = "198.18.0.0/15";
    /** The size of each region's share of the pool. */
    public static final int REGION_PREFIX = 21;
    /** The only public IPv4 pool underpass has, as AWS names it. */
    public static final String AMAZON_POOL = "amazon";
    /** The domain of every address (EC2-Classic is retired). */
    public static final String DOMAIN = "vpc";
    /** The owner AWS reports for a public address that is not an Elastic IP. */
    public static final String AMAZON_OWNER = "amazon";
    /** The service that manages a NAT gateway's association. */
    public static final String NAT_GATEWAY_SERVICE = "natgateway";

    private ElasticIps() {}

    /** An AllocateAddress request. */
    public record Allocate(String domain, String address, String publicIpv4Pool, String networkBorderGroup,
            Map<String, String> tags) {}

    /** An AssociateAddress request. */
    public record Associate(String allocationId, String publicIp, String instanceId, String networkInterfaceId,
            String privateIpAddress, boolean allowReassociation) {}

    /** The public address a private address of an interface is reachable at, as Describe calls show it. */
    public record PublicAddress(String publicIp, String ipOwnerId, String allocationId, String associationId) {}

    // ---------------------------------------------------------------------------------------------------------
    // Allocation

    public static ElasticIp allocate(Tx tx, Quotas quotas, Allocate cmd) {
        Caller caller = tx.caller();
        if (present(cmd.domain()) && !cmd.domain().equals(DOMAIN)) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "Value (%s) for parameter domain is invalid. Valid values: vpc", cmd.domain());
        }
        if (present(cmd.publicIpv4Pool()) && !cmd.publicIpv4Pool().equals(AMAZON_POOL)) {
            throw ErrorCode.INVALID_PUBLIC_IPV4_POOL_ID_NOT_FOUND.format(
                    "The public IPv4 pool ID '%s' does not exist", cmd.publicIpv4Pool());
        }
        if (present(cmd.networkBorderGroup()) && !cmd.networkBorderGroup().equals(caller.region())) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format("The network border group '%s' is invalid. Valid "
                    + "network border groups for this region: %s", cmd.networkBorderGroup(), caller.region());
        }
        prune(tx);
        int owned = Scoped.owned(tx.world(), caller, ElasticIp.class).size();
        if (owned >= quotas.elasticIpsPerRegion()) {
            throw ErrorCode.ADDRESS_LIMIT_EXCEEDED.with("The maximum number of addresses has been reached.");
        }
        String ip;
        if (present(cmd.address())) {
            // Recovering an address: it must be one of the region's and free.
            if (!Ipv4.isValid(cmd.address())) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                        "Value (%s) for parameter address is invalid. It is not a valid IPv4 address.",
                        cmd.address());
            }
            ip = Ipv4.format(Ipv4.parse(cmd.address()));
            if (!regionBlock(caller.region()).contains(Ipv4.parse(ip)) || used(tx.world(), caller.region())
                    .contains(ip)) {
                throw ErrorCode.INVALID_ADDRESS_NOT_FOUND.format(
                        "The requested IP address %s does not exist or is unavailable.", ip);
            }
        } else {
            ip = nextPublicIp(tx.world(), caller.region());
        }
        return tx.put(new ElasticIp(Ids.next("eipalloc"), caller.accountId(), caller.region(), ip, caller.region(),
                null, tx.now(), cmd.tags()));
    }

    /** Releases an address; an associated one must be disassociated first. */
    public static void release(Tx tx, String allocationId, String publicIp, String networkBorderGroup) {
        if (!present(allocationId)) {
            if (present(publicIp)) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.with(
                        "You must specify an allocation id when releasing a VPC elastic IP address");
            }
            throw ErrorCode.MISSING_PARAMETER.with("The request must contain the parameter AllocationId");
        }
        prune(tx);
        ElasticIp eip = owned(tx, allocationId);
        if (present(networkBorderGroup) && !networkBorderGroup.equals(eip.networkBorderGroup())) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format("The network border group '%s' is invalid for the "
                    + "address with allocation id [%s].", networkBorderGroup, eip.id());
        }
        ElasticIp.Association a = live(tx.world(), eip);
        if (a != null) {
            if (a.serviceManaged() != null) {
                throw serviceManaged();
            }
            throw ErrorCode.INVALID_IP_ADDRESS_IN_USE.format("The address with allocation id [%s] is in use.",
                    eip.id());
        }
        tx.remove(eip);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Association

    /** Associates an address with an instance or an interface; returns the association id. */
    public static String associate(Tx tx, Associate cmd) {
        Caller caller = tx.caller();
        World world = tx.world();
        prune(tx);
        ElasticIp eip = resolve(tx, cmd.allocationId(), cmd.publicIp());
        boolean byInstance = present(cmd.instanceId());
        boolean byInterface = present(cmd.networkInterfaceId());
        if (byInstance && byInterface) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.with(
                    "You can specify either an instance ID or a network interface ID, but not both.");
        }
        if (!byInstance && !byInterface) {
            throw ErrorCode.MISSING_PARAMETER.with(
                    "The request must contain the parameter InstanceId or NetworkInterfaceId");
        }
        NetworkInterface eni;
        if (byInstance) {
            Instance instance = Lookup.requireOwned(world, caller, Kind.INSTANCE, Instance.class, cmd.instanceId());
            List<NetworkInterface> enis = NetworkInterfaces.attachedTo(world, instance.id());
            if (instance.state().equals(InstanceStates.SHUTTING_DOWN)
                    || instance.state().equals(InstanceStates.TERMINATED) || enis.isEmpty()) {
                throw ErrorCode.INCORRECT_INSTANCE_STATE.format(
                        "The instance '%s' is not in a valid state for this operation.", instance.id());
            }
            if (enis.size() > 1) {
                throw ErrorCode.INVALID_INSTANCE_ID.format("There are multiple interfaces attached to instance "
                        + "'%s'. Please specify an interface ID for the operation instead.", instance.id());
            }
            eni = enis.get(0);
        } else {
            eni = Lookup.requireOwned(world, caller, Kind.NETWORK_INTERFACE, NetworkInterface.class,
                    cmd.networkInterfaceId());
            if (eni.requesterManaged()) {
                // NAT gateways, endpoints and load balancers manage their own addresses.
                throw serviceManaged();
            }
        }
        String privateIp = eni.primaryIp();
        if (present(cmd.privateIpAddress())) {
            privateIp = cmd.privateIpAddress();
            String wanted = privateIp;
            if (eni.privateIps().stream().noneMatch(p -> p.address().equals(wanted))) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format("The private IP address %s is not associated with "
                        + "the network interface %s.", privateIp, eni.id());
            }
        }
        if (world.all(InternetGateway.class, g -> g.attachedVpcIds().contains(eni.vpcId())).isEmpty()) {
            throw ErrorCode.GATEWAY_NOT_ATTACHED.format("Network %s is not attached to any internet gateway",
                    eni.vpcId());
        }
        ElasticIp.Association current = live(world, eip);
        if (current != null) {
            if (current.serviceManaged() != null) {
                throw serviceManaged();
            }
            if (current.networkInterfaceId().equals(eni.id()) && current.privateIpAddress().equals(privateIp)) {
                return current.associationId();
            }
            if (!cmd.allowReassociation()) {
                throw ErrorCode.RESOURCE_ALREADY_ASSOCIATED.format(
                        "resource %s is already associated with associate-id %s", eip.id(),
                        current.associationId());
            }
        }
        String target = privateIp;
        // The address the private address had until now goes: another Elastic IP stays allocated, Amazon's
        // public address returns to the pool.
        for (ElasticIp other : tx.all(ElasticIp.class, e -> !e.id().equals(eip.id()) && e.association() != null
                && e.association().networkInterfaceId().equals(eni.id())
                && e.association().privateIpAddress().equals(target))) {
            tx.put(other.withAssociation(null));
        }
        for (PublicIp p : tx.all(PublicIp.class, p -> p.networkInterfaceId().equals(eni.id())
                && p.privateIpAddress().equals(target) && p.publicIp() != null)) {
            tx.put(p.withPublicIp(null));
        }
        ElasticIp.Association association = new ElasticIp.Association(Ids.next("eipassoc"), eni.id(),
                eni.ownerId(), privateIp, null);
        ElasticIp fresh = tx.find(ElasticIp.class, eip.id()).orElseThrow();
        if (current != null) {
            giveBackAmazonAddress(tx, current);
        }
        tx.put(fresh.withAssociation(association));
        return association.associationId();
    }

    /** Disassociates an address, by association id (or by its public address, as older clients do). */
    public static void disassociate(Tx tx, String associationId, String publicIp) {
        Caller caller = tx.caller();
        prune(tx);
        ElasticIp eip;
        if (present(associationId)) {
            eip = tx.all(ElasticIp.class, e -> Visibility.owns(caller, e) && e.association() != null
                    && e.association().associationId().equals(associationId)).stream().findFirst()
                    .orElseThrow(() -> ErrorCode.INVALID_ASSOCIATION_ID_NOT_FOUND.format(
                            "The association ID '%s' does not exist", associationId));
        } else if (present(publicIp)) {
            eip = byPublicIp(tx, publicIp);
            if (eip.association() == null) {
                return;
            }
        } else {
            throw ErrorCode.MISSING_PARAMETER.with("The request must contain the parameter AssociationId");
        }
        if (eip.association().serviceManaged() != null) {
            throw serviceManaged();
        }
        tx.put(eip.withAssociation(null));
        giveBackAmazonAddress(tx, eip.association());
    }

    /** Frees the address a NAT gateway held, when the gateway goes. */
    static void releaseFromService(Tx tx, String networkInterfaceId) {
        for (ElasticIp e : tx.all(ElasticIp.class, e -> e.association() != null
                && e.association().networkInterfaceId().equals(networkInterfaceId))) {
            tx.put(e.withAssociation(null));
        }
    }

    /** Associates an address with a NAT gateway's interface on the gateway's behalf. */
    static void associateForService(Tx tx, ElasticIp eip, NetworkInterface eni, String service) {
        tx.put(eip.withAssociation(new ElasticIp.Association(Ids.next("eipassoc"), eni.id(), eni.ownerId(),
                eni.primaryIp(), service)));
    }

    /** The caller's address named by an allocation id, for a NAT gateway or any other change. */
    public static ElasticIp owned(Tx tx, String allocationId) {
        return Lookup.requireOwned(tx.world(), tx.caller(), Kind.ELASTIC_IP, ElasticIp.class, allocationId);
    }

    /** The association, unless its interface or private address is gone. */
    public static ElasticIp.Association live(World world, ElasticIp eip) {
        ElasticIp.Association a = eip.association();
        if (a == null) {
            return null;
        }
        boolean present = world.find(NetworkInterface.class, a.networkInterfaceId())
                .map(n -> n.privateIps().stream().anyMatch(p -> p.address().equals(a.privateIpAddress())))
                .orElse(false);
        return present ? a : null;
    }

    /** The instance an association serves: the one its interface is attached to, if any. */
    public static String instanceOf(World world, ElasticIp.Association a) {
        return a == null ? null : world.find(NetworkInterface.class, a.networkInterfaceId())
                .map(NetworkInterface::attachment).map(NetworkInterface.Attachment::instanceId).orElse(null);
    }

    /** Clears associations and Amazon addresses whose interface or private address has gone. */
    public static void prune(Tx tx) {
        World world = tx.world();
        for (ElasticIp e : tx.all(ElasticIp.class, e -> e.association() != null && live(world, e) == null)) {
            tx.put(e.withAssociation(null));
        }
        for (PublicIp p : tx.all(PublicIp.class, p -> world.find(NetworkInterface.class, p.networkInterfaceId())
                .map(n -> n.attachment() == null).orElse(true))) {
            tx.remove(p);
        }
    }

    private static ElasticIp resolve(Tx tx, String allocationId, String publicIp) {
        if (present(allocationId)) {
            return owned(tx, allocationId);
        }
        if (present(publicIp)) {
            return byPublicIp(tx, publicIp);
        }
        throw ErrorCode.MISSING_PARAMETER.with("The request must contain the parameter AllocationId");
    }

    private static ElasticIp byPublicIp(Tx tx, String publicIp) {
        return tx.all(ElasticIp.class, e -> Visibility.owns(tx.caller(), e) && e.publicIp().equals(publicIp))
                .stream().findFirst().orElseThrow(() -> ErrorCode.ADDRESS_NOT_OWNED.format(
                        "The address '%s' does not belong to you.", publicIp));
    }

    private static AwsException serviceManaged() {
        return ErrorCode.ADDRESS_NOT_OWNED.with("You do not have permission to access the specified resource.");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Amazon's public addresses for instances

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
        if (!wanted || !tx.all(PublicIp.class, p -> p.networkInterfaceId().equals(eni.id())).isEmpty()) {
            return;
        }
        tx.put(new PublicIp(Ids.next("pubip"), instance.ownerId(), instance.region(),
                nextPublicIp(tx.world(), instance.region()), eni.id(), eni.primaryIp(), Map.of()));
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
                case InstanceStates.STOPPING -> onStop(tx, t.instanceId());
                case InstanceStates.PENDING -> onStart(tx, t.instanceId());
                default -> { }
            }
        }
        prune(tx);
        return moves;
    }

    /** An instance stopped: its Amazon addresses go back to the pool (Elastic IPs stay). */
    public static void onStop(Tx tx, String instanceId) {
        for (PublicIp p : ofInstance(tx, instanceId)) {
            if (p.publicIp() != null) {
                tx.put(p.withPublicIp(null));
            }
        }
    }

    /** An instance started: each interface that had an Amazon address gets a new one, unless an Elastic IP took it. */
    public static void onStart(Tx tx, String instanceId) {
        for (PublicIp p : ofInstance(tx, instanceId)) {
            if (p.publicIp() == null && elasticOn(tx.world(), p.networkInterfaceId(), p.privateIpAddress()) == null) {
                tx.put(p.withPublicIp(nextPublicIp(tx.world(), p.region())));
            }
        }
    }

    private static List<PublicIp> ofInstance(Tx tx, String instanceId) {
        Set<String> enis = new HashSet<>();
        NetworkInterfaces.attachedTo(tx.world(), instanceId).forEach(n -> enis.add(n.id()));
        return tx.all(PublicIp.class, p -> enis.contains(p.networkInterfaceId()));
    }

    /** After an Elastic IP leaves a private address, Amazon's address comes back if the instance is running. */
    private static void giveBackAmazonAddress(Tx tx, ElasticIp.Association gone) {
        for (PublicIp p : tx.all(PublicIp.class, p -> p.networkInterfaceId().equals(gone.networkInterfaceId())
                && p.privateIpAddress().equals(gone.privateIpAddress()) && p.publicIp() == null)) {
            String instanceId = tx.find(NetworkInterface.class, p.networkInterfaceId())
                    .map(NetworkInterface::attachment).map(NetworkInterface.Attachment::instanceId).orElse(null);
            String state = tx.find(Instance.class, instanceId).map(Instance::state).orElse(null);
            if (InstanceStates.PENDING.equals(state) || InstanceStates.RUNNING.equals(state)) {
                tx.put(p.withPublicIp(nextPublicIp(tx.world(), p.region())));
            }
        }
    }

    private static ElasticIp elasticOn(World world, String eniId, String privateIp) {
        return world.all(ElasticIp.class, e -> e.association() != null
                && e.association().networkInterfaceId().equals(eniId)
                && e.association().privateIpAddress().equals(privateIp)).stream().findFirst().orElse(null);
    }

    // ---------------------------------------------------------------------------------------------------------
    // What Describe calls show

    private static final Object INDEX = new Object();

    /** The public address of one private address of an interface, or null. */
    public static PublicAddress publicAddress(World world, String networkInterfaceId, String privateIp) {
        if (networkInterfaceId == null || privateIp == null) {
            return null;
        }
        Map<String, PublicAddress> index = world.derive(INDEX, ElasticIps::index);
        return index.get(networkInterfaceId + "/" + privateIp);
    }

    private static Map<String, PublicAddress> index(World world) {
        Map<String, PublicAddress> out = new HashMap<>();
        for (PublicIp p : world.all(PublicIp.class)) {
            if (p.publicIp() != null) {
                out.put(p.networkInterfaceId() + "/" + p.privateIpAddress(),
                        new PublicAddress(p.publicIp(), AMAZON_OWNER, null, null));
            }
        }
        for (ElasticIp e : world.all(ElasticIp.class)) {
            ElasticIp.Association a = live(world, e);
            if (a != null) {
                out.put(a.networkInterfaceId() + "/" + a.privateIpAddress(),
                        new PublicAddress(e.publicIp(), e.ownerId(), e.id(), a.associationId()));
            }
        }
        return out;
    }

    /** Whether any interface of the VPC holds a public address (an Elastic IP or one of Amazon's). */
    public static boolean mapsAddressesIn(World world, String vpcId) {
        Map<String, PublicAddress> index = world.derive(INDEX, ElasticIps::index);
        for (String key : index.keySet()) {
            String eniId = key.substring(0, key.indexOf('/'));
            if (world.find(NetworkInterface.class, eniId).map(n -> n.vpcId().equals(vpcId)).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------------------------------------------------
    // The pool

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

    private static Set<String> used(World world, String region) {
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

    private static boolean present(String s) {
        return s != null && !s.isEmpty();
    }
}
