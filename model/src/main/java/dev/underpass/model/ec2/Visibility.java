package dev.underpass.model.ec2;

import dev.underpass.model.Caller;
import dev.underpass.model.Index;
import dev.underpass.model.Resource;
import dev.underpass.model.World;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may see a resource: its owner, in its region; and, with VPC sharing, the accounts a subnet is shared with
 * (participants) and the VPC's owner. This is the one place those rules live: every lookup and Describe goes
 * through it, rather than comparing owners.
 *
 * <p>Follows the <a href="https://docs.aws.amazon.com/vpc/latest/userguide/vpc-sharing.html">VPC sharing guide</a>.
 * A participant sees each subnet shared with it ({@link ResourceGrant}), the VPC of such a subnet, and that VPC's
 * route tables, network ACLs and gateways, all read-only (changing them is the owner's: {@link Lookup#requireOwned}
 * answers {@code UnauthorizedOperation}); it sees a shared prefix list; it never sees the owner's or other
 * participants' instances, interfaces or security groups. The VPC's owner sees the participants' network interfaces
 * and security groups in its VPC (not their instances) and cannot change them. Tags are not shared: a Describe shows
 * a resource the caller does not own without them.
 */
public final class Visibility {
    private Visibility() {}

    /** Grants by resource and participant, so "is this shared with me" is one lookup. */
    static final Index<ResourceGrant, String> GRANTS = Index.by(ResourceGrant.class,
            g -> g.resourceId() + "/" + g.participantId());
    /** Grants by participant: what is shared with an account. */
    static final Index<ResourceGrant, String> GRANTS_BY_PARTICIPANT =
            Index.by(ResourceGrant.class, ResourceGrant::participantId);

    public static boolean owns(Caller caller, Resource r) {
        return r.ownerId().equals(caller.accountId()) && r.region().equals(caller.region());
    }

    public static boolean visible(World world, Caller caller, Resource r) {
        if (owns(caller, r)) {
            return true;
        }
        if (!r.region().equals(caller.region())) {
            return false;
        }
        return switch (r) {
            case Subnet s -> granted(world, s.id(), caller.accountId());
            case ManagedPrefixList p -> granted(world, p.id(), caller.accountId());
            case Vpc v -> sharedVpcs(world, caller).contains(v.vpcId());
            case RouteTable t -> ownedByVpcOwner(world, t, t.vpcId()) && sharedVpcs(world, caller).contains(t.vpcId());
            case NetworkAcl a -> ownedByVpcOwner(world, a, a.vpcId()) && sharedVpcs(world, caller).contains(a.vpcId());
            case NatGateway n -> ownedByVpcOwner(world, n, n.vpcId()) && sharedVpcs(world, caller).contains(n.vpcId());
            case EgressOnlyInternetGateway e -> ownedByVpcOwner(world, e, e.vpcId())
                    && sharedVpcs(world, caller).contains(e.vpcId());
            case InternetGateway g -> g.attachedVpcIds().stream().anyMatch(v -> ownedByVpcOwner(world, g, v)
                    && sharedVpcs(world, caller).contains(v));
            case NetworkInterface n -> vpcOwnedBy(world, n.vpcId(), caller);
            case SecurityGroup g -> vpcOwnedBy(world, g.vpcId(), caller);
            default -> false;
        };
    }

    /** Whether a subnet or prefix list is shared with the account now. */
    public static boolean granted(World world, String resourceId, String accountId) {
        for (ResourceGrant g : GRANTS.get(world, resourceId + "/" + accountId)) {
            if (g.active()) {
                return true;
            }
        }
        return false;
    }

    /** Whether the caller is a participant of the VPC (one of its subnets is shared with it). */
    public static boolean participant(World world, Caller caller, VpcId vpcId) {
        return sharedVpcs(world, caller).contains(vpcId);
    }

    private record SharedVpcsKey(String accountId, String region) {}

    /** The VPCs (of other accounts, in the caller's region) with a subnet shared with the caller. */
    static Set<VpcId> sharedVpcs(World world, Caller caller) {
        return world.derive(new SharedVpcsKey(caller.accountId(), caller.region()), w -> {
            Set<VpcId> out = new TreeSet<>();
            for (ResourceGrant g : GRANTS_BY_PARTICIPANT.get(w, caller.accountId())) {
                if (g.active() && g.region().equals(caller.region())) {
                    w.find(Subnet.class, g.resourceId()).ifPresent(s -> out.add(s.vpcId()));
                }
            }
            return out;
        });
    }

    private static boolean ownedByVpcOwner(World world, Resource r, VpcId vpcId) {
        return vpcId != null && world.find(Vpc.class, vpcId).map(v -> v.ownerId().equals(r.ownerId())).orElse(false);
    }

    private static boolean vpcOwnedBy(World world, VpcId vpcId, Caller caller) {
        return vpcId != null && world.find(Vpc.class, vpcId).map(v -> owns(caller, v)).orElse(false);
    }
}
