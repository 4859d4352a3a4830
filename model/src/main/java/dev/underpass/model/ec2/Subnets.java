package dev.underpass.model.ec2;

import dev.underpass.model.Caller;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Regions;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.net.Cidr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Subnet rules: size, containment in the VPC, no overlap, Availability Zone, and deletion. */
public final class Subnets {
    /** AWS reserves the first four and the last address of every subnet. */
    public static final int RESERVED_ADDRESSES = 5;

    private Subnets() {}

    /** A request to create a subnet; the zone may be given by name or by id, or left to underpass. */
    public record Create(String vpcId, String cidrBlock, String availabilityZone, String availabilityZoneId,
            boolean defaultForAz, boolean mapPublicIpOnLaunch, Map<String, String> tags) {}

    public static Subnet create(Tx tx, Quotas quotas, Create cmd) {
        Caller caller = tx.caller();
        Vpc vpc = Lookup.requireOwned(tx.world(), caller, Kind.VPC, Vpc.class, cmd.vpcId());
        if (cmd.cidrBlock() == null || cmd.cidrBlock().isEmpty()) {
            throw ErrorCode.MISSING_PARAMETER.with("The request must contain the parameter cidrBlock");
        }
        Cidr cidr;
        try {
            cidr = Cidr.parse(cmd.cidrBlock());
        } catch (IllegalArgumentException e) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "Value (%s) for parameter cidrBlock is invalid. This is not a valid CIDR block.", cmd.cidrBlock());
        }
        if (cidr.prefix() < Vpcs.MIN_PREFIX || cidr.prefix() > Vpcs.MAX_PREFIX) {
            throw ErrorCode.INVALID_SUBNET_RANGE.format("The CIDR '%s' is invalid.", cmd.cidrBlock());
        }
        boolean inside = vpc.activeCidrs().stream().map(Cidr::parse).anyMatch(b -> b.contains(cidr));
        if (!inside) {
            throw ErrorCode.INVALID_SUBNET_RANGE.format("The CIDR '%s' is invalid.", cmd.cidrBlock());
        }
        List<Subnet> siblings = tx.all(Subnet.class, s -> s.vpcId().equals(vpc.id()));
        for (Subnet s : siblings) {
            if (Cidr.parse(s.cidrBlock()).overlaps(cidr)) {
                throw ErrorCode.INVALID_SUBNET_CONFLICT.format("The CIDR '%s' conflicts with another subnet",
                        cmd.cidrBlock());
            }
        }
        if (siblings.size() >= quotas.subnetsPerVpc()) {
            throw ErrorCode.SUBNET_LIMIT_EXCEEDED.format(
                    "The maximum number of subnets (%d) for this VPC has been reached.", quotas.subnetsPerVpc());
        }
        Regions.Zone zone = zone(caller.region(), cmd.availabilityZone(), cmd.availabilityZoneId(), siblings);
        Subnet subnet = new Subnet(Ids.next("subnet"), caller.accountId(), caller.region(), vpc.id(),
                cidr.toString(), zone.name(), zone.zoneId(), cmd.defaultForAz(), cmd.mapPublicIpOnLaunch(),
                tx.now(), cmd.tags());
        tx.put(subnet);
        NetworkAcls.associateDefault(tx, subnet);
        return subnet;
    }

    private static Regions.Zone zone(String region, String name, String zoneId, List<Subnet> siblings) {
        if (name != null && zoneId != null) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.with(
                    "Only one of AvailabilityZone or AvailabilityZoneId may be specified.");
        }
        String wanted = name != null ? name : zoneId;
        if (wanted == null) {
            // AWS picks a zone for you; underpass picks the least used one, lowest name first, so it is repeatable.
            List<Regions.Zone> zones = Regions.zones(region);
            Map<String, Long> used = siblings.stream()
                    .collect(Collectors.groupingBy(Subnet::availabilityZone, Collectors.counting()));
            Regions.Zone best = zones.get(0);
            for (Regions.Zone z : zones) {
                if (used.getOrDefault(z.name(), 0L) < used.getOrDefault(best.name(), 0L)) {
                    best = z;
                }
            }
            return best;
        }
        return Regions.zone(region, wanted)
                .filter(z -> name == null || z.name().equals(name))
                .filter(z -> zoneId == null || z.zoneId().equals(zoneId))
                .orElseThrow(() -> ErrorCode.INVALID_PARAMETER_VALUE.format(
                        "Value (%s) for parameter %s is invalid. Subnets can currently only be created in the "
                                + "following availability zones: %s.",
                        wanted, name != null ? "availabilityZone" : "availabilityZoneId",
                        Regions.zones(region).stream()
                                .map(z -> name != null ? z.name() : z.zoneId())
                                .collect(Collectors.joining(", "))));
    }

    /** Deletes a subnet, refusing while network interfaces remain in it. */
    public static void delete(Tx tx, String subnetId) {
        Subnet subnet = Lookup.requireOwned(tx.world(), tx.caller(), Kind.SUBNET, Subnet.class, subnetId);
        boolean inUse = !tx.all(NetworkInterface.class, n -> n.subnetId().equals(subnetId)).isEmpty()
                || !tx.all(NatGateway.class, n -> n.subnetId().equals(subnetId) && !n.state().equals("deleted"))
                        .isEmpty()
                || !tx.all(Instance.class, i -> subnetId.equals(i.subnetId())
                        && !i.state().equals(InstanceStates.TERMINATED)
                        && !i.state().equals(InstanceStates.SHUTTING_DOWN)).isEmpty();
        if (inUse) {
            throw ErrorCode.DEPENDENCY_VIOLATION.format(
                    "The subnet '%s' has dependencies and cannot be deleted.", subnetId);
        }
        for (RouteTable t : tx.all(RouteTable.class, t -> t.vpcId().equals(subnet.vpcId()))) {
            List<RouteTable.Association> kept = new ArrayList<>(t.associations());
            if (kept.removeIf(a -> subnetId.equals(a.subnetId()))) {
                tx.put(t.withAssociations(kept));
            }
        }
        for (NetworkAcl acl : tx.all(NetworkAcl.class, a -> a.vpcId().equals(subnet.vpcId()))) {
            List<NetworkAcl.Association> kept = new ArrayList<>(acl.associations());
            if (kept.removeIf(a -> subnetId.equals(a.subnetId()))) {
                tx.put(acl.withAssociations(kept));
            }
        }
        tx.remove(subnet);
    }

    /** Addresses free for interfaces: the block's size less the five reserved and those in use. */
    public static long availableAddressCount(World world, Subnet subnet) {
        Integer used = world.derive(USED_ADDRESSES, Subnets::usedAddressesBySubnet).get(subnet.id());
        return Cidr.parse(subnet.cidrBlock()).size() - RESERVED_ADDRESSES - (used == null ? 0 : used);
    }

    private static final Object USED_ADDRESSES = new Object();

    /** Private addresses in use per subnet, counted in one pass over the interfaces. */
    private static Map<String, Integer> usedAddressesBySubnet(World world) {
        Map<String, Integer> used = new java.util.HashMap<>();
        for (NetworkInterface eni : world.all(NetworkInterface.class)) {
            used.merge(eni.subnetId(), eni.privateIps().size(), Integer::sum);
        }
        return used;
    }
}
