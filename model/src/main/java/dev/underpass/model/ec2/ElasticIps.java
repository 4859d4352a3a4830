package dev.underpass.model.ec2;

import dev.underpass.model.ResourceId;
import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.net.Ipv4;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Elastic IP addresses, after the EC2 guide's
 * <a href="https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/elastic-ip-addresses-eip.html">Elastic IP
 * addresses</a> page and the API reference for AllocateAddress, AssociateAddress, DisassociateAddress and
 * ReleaseAddress.
 *
 * <p><b>Associations.</b> An Elastic IP is associated with one private address of a network interface; naming an
 * instance means its only interface's primary address. An address already associated moves only with
 * {@code AllowReassociation}; a private address that already has an Elastic IP gives it up to the new one (which
 * stays allocated), as AWS documents. A VPC without an internet gateway cannot take one
 * ({@code Gateway.NotAttached}). An association made by a NAT gateway belongs to it: the account can neither move
 * nor release the address until the gateway is deleted ({@code AuthFailure}, as AWS answers). An association whose
 * interface or private address has gone is no association: {@link #live} ignores it and the next write prunes it.
 *
 * <p>Where public addresses come from, and the addresses Amazon lends instances, are {@link PublicIps}' part; the
 * Describe view below ({@link #publicAddress}) joins both kinds.
 */
public final class ElasticIps {
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
    public record Associate(AllocationId allocationId, String publicIp, String instanceId, String networkInterfaceId,
            String privateIpAddress, boolean allowReassociation) {}

    /** The public address a private address of an interface is reachable at, as Describe calls show it. */
    public record PublicAddress(String publicIp, String ipOwnerId, AllocationId allocationId,
            ElasticIpAssociationId associationId) {}

    // ---------------------------------------------------------------------------------------------------------
    // Allocation

    public static ElasticIp allocate(Tx tx, Quotas quotas, Allocate cmd) {
        Caller caller = tx.caller();
        if (present(cmd.domain()) && !cmd.domain().equals(DOMAIN)) {
            throw Ec2Errors.invalidValue(cmd.domain(), "domain", "Valid values: vpc");
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
                throw Ec2Errors.invalidValue(cmd.address(), "address", "It is not a valid IPv4 address.");
            }
            ip = Ipv4.format(Ipv4.parse(cmd.address()));
            if (!PublicIps.regionBlock(caller.region()).contains(Ipv4.parse(ip))
                    || PublicIps.used(tx.world(), caller.region())
                            .contains(ip)) {
                throw ErrorCode.INVALID_ADDRESS_NOT_FOUND.format(
                        "The requested IP address %s does not exist or is unavailable.", ip);
            }
        } else {
            ip = PublicIps.nextPublicIp(tx.world(), caller.region());
        }
        return tx.put(new ElasticIp(Ids.next("eipalloc"), caller.accountId(), caller.region(), ip, caller.region(),
                null, tx.now(), cmd.tags()));
    }

    /** Releases an address; an associated one must be disassociated first. */
    public static void release(Tx tx, AllocationId allocationId, String publicIp, String networkBorderGroup) {
        if (ResourceId.absent(allocationId)) {
            if (present(publicIp)) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.with(
                        "You must specify an allocation id when releasing a VPC elastic IP address");
            }
            throw Ec2Errors.missingParameter("AllocationId");
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
    public static ElasticIpAssociationId associate(Tx tx, Associate cmd) {
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
            throw Ec2Errors.missingParameter("InstanceId or NetworkInterfaceId");
        }
        NetworkInterface eni;
        if (byInstance) {
            Instance instance = Lookup.requireOwned(world, caller, Kind.INSTANCE, Instance.class, cmd.instanceId());
            List<NetworkInterface> enis = NetworkInterfaces.attachedTo(world, instance.instanceId());
            if (instance.state().equals(InstanceState.SHUTTING_DOWN)
                    || instance.state().equals(InstanceState.TERMINATED) || enis.isEmpty()) {
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
            if (current.networkInterfaceId().equals(eni.networkInterfaceId())
                    && current.privateIpAddress().equals(privateIp)) {
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
                && e.association().networkInterfaceId().equals(eni.networkInterfaceId())
                && e.association().privateIpAddress().equals(target))) {
            tx.put(other.withAssociation(null));
        }
        for (PublicIp p : tx.all(PublicIp.class, p -> p.networkInterfaceId().equals(eni.networkInterfaceId())
                && p.privateIpAddress().equals(target) && p.publicIp() != null)) {
            tx.put(p.withPublicIp(null));
        }
        ElasticIp.Association association =
                new ElasticIp.Association(new ElasticIpAssociationId(Ids.next(ElasticIpAssociationId.PREFIX)),
                        eni.networkInterfaceId(),
                        eni.ownerId(), privateIp, null);
        ElasticIp fresh = tx.find(ElasticIp.class, eip.id()).orElseThrow();
        if (current != null) {
            PublicIps.giveBackAmazonAddress(tx, current);
        }
        tx.put(fresh.withAssociation(association));
        return association.associationId();
    }

    /** Disassociates an address, by association id (or by its public address, as older clients do). */
    public static void disassociate(Tx tx, ElasticIpAssociationId associationId, String publicIp) {
        Caller caller = tx.caller();
        prune(tx);
        ElasticIp eip;
        if (!ResourceId.absent(associationId)) {
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
            throw Ec2Errors.missingParameter("AssociationId");
        }
        if (eip.association().serviceManaged() != null) {
            throw serviceManaged();
        }
        tx.put(eip.withAssociation(null));
        PublicIps.giveBackAmazonAddress(tx, eip.association());
    }

    /** Frees the address a NAT gateway held, when the gateway goes. */
    static void releaseFromService(Tx tx, NetworkInterfaceId networkInterfaceId) {
        for (ElasticIp e : tx.all(ElasticIp.class, e -> e.association() != null
                && e.association().networkInterfaceId().equals(networkInterfaceId))) {
            tx.put(e.withAssociation(null));
        }
    }

    /** Associates an address with a NAT gateway's interface on the gateway's behalf. */
    static void associateForService(Tx tx, ElasticIp eip, NetworkInterface eni, String service) {
        tx.put(eip.withAssociation(
                new ElasticIp.Association(new ElasticIpAssociationId(Ids.next(ElasticIpAssociationId.PREFIX)),
                        eni.networkInterfaceId(),
                        eni.ownerId(),
                        eni.primaryIp(), service)));
    }

    /** The caller's address named by an allocation id, for a NAT gateway or any other change. */
    public static ElasticIp owned(Tx tx, AllocationId allocationId) {
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
    public static InstanceId instanceOf(World world, ElasticIp.Association a) {
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

    private static ElasticIp resolve(Tx tx, AllocationId allocationId, String publicIp) {
        if (!ResourceId.absent(allocationId)) {
            return owned(tx, allocationId);
        }
        if (present(publicIp)) {
            return byPublicIp(tx, publicIp);
        }
        throw Ec2Errors.missingParameter("AllocationId");
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
    // What Describe calls show

    private static final Object INDEX = new Object();

    /** The public address of one private address of an interface, or null. */
    public static PublicAddress publicAddress(World world, NetworkInterfaceId networkInterfaceId, String privateIp) {
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
                        new PublicAddress(e.publicIp(), e.ownerId(), e.allocationId(), a.associationId()));
            }
        }
        return out;
    }

    /** Whether any interface of the VPC holds a public address (an Elastic IP or one of Amazon's). */
    public static boolean mapsAddressesIn(World world, VpcId vpcId) {
        Map<String, PublicAddress> index = world.derive(INDEX, ElasticIps::index);
        for (String key : index.keySet()) {
            String eniId = key.substring(0, key.indexOf('/'));
            if (world.find(NetworkInterface.class, eniId).map(n -> n.vpcId().equals(vpcId)).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    private static boolean present(String s) {
        return s != null && !s.isEmpty();
    }
}
