package dev.underpass.model.ec2;

import dev.underpass.model.Caller;
import dev.underpass.model.Index;
import dev.underpass.model.Resource;
import dev.underpass.model.World;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The lookups EC2 rules make over many records, each confined to what it is about: the caller's account in its
 * region, one VPC, one subnet, one instance. They read {@link Index} groups, so a rule never walks another
 * account's records (neither its cost nor a field such a record leaves empty can reach the caller), and a write
 * costs the same whether the store holds ten resources or a hundred thousand.
 *
 * <p>VPC sharing will put a participant's interfaces and instances in an owner's VPC and subnets; the VPC and subnet
 * groups already hold every record in them, whoever owns it.
 */
public final class Scoped {
    private Scoped() {}

    private static final Map<Class<?>, Index<?, VpcId>> BY_VPC = Map.of(
            Subnet.class, Index.by(Subnet.class, Subnet::vpcId),
            SecurityGroup.class, Index.by(SecurityGroup.class, SecurityGroup::vpcId),
            RouteTable.class, Index.by(RouteTable.class, RouteTable::vpcId),
            NetworkAcl.class, Index.by(NetworkAcl.class, NetworkAcl::vpcId),
            NetworkInterface.class, Index.by(NetworkInterface.class, NetworkInterface::vpcId),
            Instance.class, Index.by(Instance.class, Instance::vpcId),
            VpcEndpoint.class, Index.by(VpcEndpoint.class, VpcEndpoint::vpcId),
            NatGateway.class, Index.by(NatGateway.class, NatGateway::vpcId),
            EgressOnlyInternetGateway.class,
            Index.by(EgressOnlyInternetGateway.class, EgressOnlyInternetGateway::vpcId),
            InternetGateway.class, Index.byEach(InternetGateway.class, InternetGateway::attachedVpcIds));

    /** Network interfaces by subnet: their addresses are the subnet's used addresses. */
    static final Index<NetworkInterface, SubnetId> INTERFACES_BY_SUBNET =
            Index.by(NetworkInterface.class, NetworkInterface::subnetId);

    /**
     * Network interfaces by the instance they are attached to. Interfaces of load balancers, NAT gateways and
     * endpoints are attached to no instance and so are in no group.
     */
    static final Index<NetworkInterface, InstanceId> INTERFACES_BY_INSTANCE = Index.by(NetworkInterface.class,
            n -> n.attachment() == null ? null : n.attachment().instanceId());

    /** Interface endpoints and Gateway Load Balancer endpoints by the endpoint service they connect to. */
    static final Index<VpcEndpoint, EndpointServiceId> ENDPOINTS_BY_SERVICE = Index.by(VpcEndpoint.class,
            VpcEndpoint::serviceId);

    /** The caller's resources of a type in its region, in id order. */
    public static <T extends Resource> Collection<T> owned(World world, Caller caller, Class<T> type) {
        return Index.owned(world, type, caller.accountId(), caller.region());
    }

    /** Those of {@link #owned(World, Caller, Class)} that match {@code filter}. */
    public static <T extends Resource> List<T> owned(World world, Caller caller, Class<T> type,
            Predicate<? super T> filter) {
        return Index.owned(world, type, caller.accountId(), caller.region(), filter);
    }

    /**
     * The resources of a type the caller may see (Describe calls without ids), in id order: what it owns in its
     * region, plus what VPC sharing shows it ({@link Visibility}): as a participant, the subnets and prefix lists
     * shared with it and the shared VPCs with their route tables, network ACLs and gateways; as a VPC owner, the
     * participants' interfaces and security groups in its shared VPCs. Each group is read from an index, so a
     * caller that shares nothing pays nothing more.
     */
    public static <T extends Resource> List<T> visible(World world, Caller caller, Class<T> type) {
        // What the caller owns is visible to it (Visibility.visible's first rule), so it is not tested record by record.
        List<T> own = new ArrayList<>(owned(world, caller, type));
        List<T> shared = new ArrayList<>();
        if (type == Subnet.class || type == ManagedPrefixList.class) {
            for (ResourceGrant g : Visibility.GRANTS_BY_PARTICIPANT.get(world, caller.accountId())) {
                if (!g.active()) {
                    continue;
                }
                world.find(type, g.resourceId()).filter(r -> r.region().equals(caller.region())
                        && !Visibility.owns(caller, r)).ifPresent(shared::add);
            }
        } else if (type == Vpc.class) {
            for (VpcId vpcId : Visibility.sharedVpcs(world, caller)) {
                world.find(type, vpcId).ifPresent(shared::add);
            }
        } else if (type == RouteTable.class || type == NetworkAcl.class || type == NatGateway.class
                || type == EgressOnlyInternetGateway.class || type == InternetGateway.class) {
            for (VpcId vpcId : Visibility.sharedVpcs(world, caller)) {
                for (T r : inVpc(world, type, vpcId)) {
                    if (!Visibility.owns(caller, r) && Visibility.visible(world, caller, r)) {
                        shared.add(r);
                    }
                }
            }
        } else if (type == NetworkInterface.class || type == SecurityGroup.class) {
            for (VpcId vpcId : sharingVpcs(world, caller)) {
                for (T r : inVpc(world, type, vpcId)) {
                    if (!Visibility.owns(caller, r)) {
                        shared.add(r);
                    }
                }
            }
        }
        if (shared.isEmpty()) {
            return own;
        }
        if (own.isEmpty()) {
            shared.sort(java.util.Comparator.comparing(Resource::id));
            return shared;
        }
        java.util.TreeMap<String, T> merged = new java.util.TreeMap<>();
        own.forEach(r -> merged.put(r.id(), r));
        shared.forEach(r -> merged.put(r.id(), r));
        return List.copyOf(merged.values());
    }

    private record SharingVpcsKey(String accountId, String region) {}

    /**
     * The caller's VPCs with a subnet it shares, or once shared, with another account (a revoked grant still counts:
     * what a participant left in the VPC stays in the owner's view), and, once it has shared anything, its VPCs that
     * hold another account's security group or interface: a group is the VPC's, not a subnet's, so it stays in the
     * owner's view after the shared subnet itself is deleted (which a group does not prevent). An account that never
     * shared pays nothing more.
     */
    static java.util.Set<VpcId> sharingVpcs(World world, Caller caller) {
        return world.derive(new SharingVpcsKey(caller.accountId(), caller.region()), w -> {
            java.util.Set<VpcId> out = new java.util.TreeSet<>();
            Collection<ResourceGrant> grants = Index.owned(w, ResourceGrant.class, caller.accountId(),
                    caller.region());
            for (ResourceGrant g : grants) {
                w.find(Subnet.class, g.resourceId()).ifPresent(s -> out.add(s.vpcId()));
            }
            if (!grants.isEmpty()) {
                for (Vpc v : Index.owned(w, Vpc.class, caller.accountId(), caller.region())) {
                    if (!out.contains(v.vpcId()) && (hasForeign(w, SecurityGroup.class, v)
                            || hasForeign(w, NetworkInterface.class, v))) {
                        out.add(v.vpcId());
                    }
                }
            }
            return out;
        });
    }

    private static boolean hasForeign(World world, Class<? extends Resource> type, Vpc vpc) {
        for (Resource r : inVpc(world, type, vpc.vpcId())) {
            if (!r.ownerId().equals(vpc.ownerId())) {
                return true;
            }
        }
        return false;
    }

    /** The resources of a type in one VPC, in id order. */
    @SuppressWarnings("unchecked")
    public static <T extends Resource> Collection<T> inVpc(World world, Class<T> type, VpcId vpcId) {
        Index<T, VpcId> index = (Index<T, VpcId>) BY_VPC.get(type);
        if (index == null) {
            throw new IllegalArgumentException("no VPC index for " + type.getSimpleName());
        }
        return index.get(world, vpcId);
    }

    /** Those of {@link #inVpc(World, Class, VpcId)} that match {@code filter}. */
    public static <T extends Resource> List<T> inVpc(World world, Class<T> type, VpcId vpcId,
            Predicate<? super T> filter) {
        List<T> out = new ArrayList<>();
        for (T r : inVpc(world, type, vpcId)) {
            if (filter.test(r)) {
                out.add(r);
            }
        }
        return out;
    }

    /** The network interfaces in a subnet, in id order. */
    public static Collection<NetworkInterface> interfacesIn(World world, SubnetId subnetId) {
        return INTERFACES_BY_SUBNET.get(world, subnetId);
    }

    /** The endpoints connected (in any state) to an endpoint service, in id order. */
    public static Collection<VpcEndpoint> endpointsOf(World world, EndpointServiceId serviceId) {
        return ENDPOINTS_BY_SERVICE.get(world, serviceId);
    }
}
