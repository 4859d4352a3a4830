package dev.underpass.model.ec2;

import dev.underpass.model.AzMapping;
import dev.underpass.model.Caller;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Regions;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.net.Cidr;
import dev.underpass.model.net.Ipv6Block;
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
    public record Create(VpcId vpcId, String cidrBlock, String availabilityZone, String availabilityZoneId,
            boolean defaultForAz, boolean mapPublicIpOnLaunch, Map<String, String> tags) {}

    public static Subnet create(Tx tx, Quotas quotas, Create cmd) {
        return create(tx, quotas, cmd, null, false);
    }

    /**
     * Creates a subnet with an IPv4 block, an IPv6 /64 ({@code ipv6CidrBlock}), or both. An IPv6-only subnet
     * ({@code ipv6Native}) takes only the IPv6 block, and assigns IPv6 addresses on creation.
     */
    public static Subnet create(Tx tx, Quotas quotas, Create cmd, String ipv6CidrBlock, boolean ipv6Native) {
        Caller caller = tx.caller();
        Vpc vpc = Lookup.requireOwned(tx.world(), caller, Kind.VPC, Vpc.class, cmd.vpcId());
        boolean hasIpv4 = cmd.cidrBlock() != null && !cmd.cidrBlock().isEmpty();
        boolean hasIpv6 = ipv6CidrBlock != null && !ipv6CidrBlock.isEmpty();
        if (ipv6Native) {
            if (hasIpv4) {
                throw ErrorCode.INVALID_PARAMETER_COMBINATION.with("When specifying ipv4 parameters, cidrBlock or "
                        + "ipv4IpamPoolId, you cannot set ipv6Native to true.");
            }
            if (!hasIpv6) {
                throw ErrorCode.MISSING_PARAMETER.with("Either 'ipv6CidrBlock' or 'ipv6IpamPoolId' should be "
                        + "provided.");
            }
        } else if (!hasIpv4) {
            throw Ec2Errors.missingParameter("cidrBlock");
        }
        String ipv6 = hasIpv6 ? checkIpv6Block(tx, vpc, ipv6CidrBlock, null) : null;
        if (!hasIpv4) {
            List<Subnet> siblings = new ArrayList<>(Scoped.inVpc(tx.world(), Subnet.class, vpc.vpcId()));
            checkSubnetCount(quotas, siblings);
            Regions.Zone zone = zone(tx, cmd.availabilityZone(), cmd.availabilityZoneId(), siblings);
            Subnet subnet = new Subnet(Ids.next("subnet"), caller.accountId(), caller.region(), vpc.vpcId(), null,
                    zone.name(), zone.zoneId(), cmd.defaultForAz(), false, tx.now(), cmd.tags(),
                    List.of(new Subnet.Ipv6Association(
                            new SubnetCidrAssociationId(Ids.next(SubnetCidrAssociationId.PREFIX)), ipv6,
                            CidrAssociationState.ASSOCIATED)),
                    true,
                    true);
            tx.put(subnet);
            NetworkAcls.associateDefault(tx, subnet);
            return subnet;
        }
        Cidr cidr;
        try {
            cidr = Cidr.parse(cmd.cidrBlock());
        } catch (IllegalArgumentException e) {
            throw Ec2Errors.invalidValue(cmd.cidrBlock(), "cidrBlock", "This is not a valid CIDR block.");
        }
        if (cidr.prefix() < Vpcs.MIN_PREFIX || cidr.prefix() > Vpcs.MAX_PREFIX) {
            throw ErrorCode.INVALID_SUBNET_RANGE.format("The CIDR '%s' is invalid.", cmd.cidrBlock());
        }
        boolean inside = vpc.activeCidrs().stream().map(Cidr::parse).anyMatch(b -> b.contains(cidr));
        if (!inside) {
            throw ErrorCode.INVALID_SUBNET_RANGE.format("The CIDR '%s' is invalid.", cmd.cidrBlock());
        }
        List<Subnet> siblings = new ArrayList<>(Scoped.inVpc(tx.world(), Subnet.class, vpc.vpcId()));
        for (Subnet s : siblings) {
            if (s.cidrBlock() != null && Cidr.parse(s.cidrBlock()).overlaps(cidr)) {
                throw ErrorCode.INVALID_SUBNET_CONFLICT.format("The CIDR '%s' conflicts with another subnet",
                        cmd.cidrBlock());
            }
        }
        checkSubnetCount(quotas, siblings);
        Regions.Zone zone = zone(tx, cmd.availabilityZone(), cmd.availabilityZoneId(), siblings);
        Subnet subnet = new Subnet(Ids.next("subnet"), caller.accountId(), caller.region(), vpc.vpcId(),
                cidr.toString(), zone.name(), zone.zoneId(), cmd.defaultForAz(), cmd.mapPublicIpOnLaunch(),
                tx.now(), cmd.tags(), ipv6 == null ? List.of()
                        : List.of(new Subnet.Ipv6Association(
                                new SubnetCidrAssociationId(Ids.next(SubnetCidrAssociationId.PREFIX)),
                                ipv6,
                                CidrAssociationState.ASSOCIATED)),
                false, false);
        tx.put(subnet);
        NetworkAcls.associateDefault(tx, subnet);
        return subnet;
    }

    private static void checkSubnetCount(Quotas quotas, List<Subnet> siblings) {
        if (siblings.size() >= quotas.subnetsPerVpc()) {
            throw ErrorCode.SUBNET_LIMIT_EXCEEDED.format(
                    "The maximum number of subnets (%d) for this VPC has been reached.", quotas.subnetsPerVpc());
        }
    }

    /**
     * Checks an IPv6 block for a subnet of {@code vpc}: a /64, inside one of the VPC's IPv6 blocks, overlapping no
     * other subnet's (but {@code except}'s). Returns it in canonical text.
     */
    private static String checkIpv6Block(Tx tx, Vpc vpc, String text, String except) {
        Ipv6Block block = Ipv6Block.parseOrNull(text);
        if (block == null) {
            throw Ec2Errors.invalidValue(text, "ipv6CidrBlock", "This is not a valid IPv6 CIDR block.");
        }
        if (block.prefix() != 64) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format("invalid value for parameter ipv6-cidr-block: %s", text);
        }
        boolean inside = vpc.activeIpv6Cidrs().stream().map(Ipv6Block::parse).anyMatch(b -> b.contains(block));
        if (!inside) {
            throw ErrorCode.INVALID_SUBNET_RANGE.format("The IPv6 CIDR '%s' is invalid.", text);
        }
        for (Subnet s : Scoped.inVpc(tx.world(), Subnet.class, vpc.vpcId(), s -> !s.id().equals(except))) {
            for (Subnet.Ipv6Association a : s.ipv6Associations()) {
                if (Ipv6Block.parse(a.ipv6CidrBlock()).overlaps(block)) {
                    throw ErrorCode.INVALID_SUBNET_CONFLICT.format("The CIDR '%s' conflicts with another subnet",
                            text);
                }
            }
        }
        return block.toString();
    }

    /** Associates an IPv6 /64 with a subnet that has none. */
    public static Subnet.Ipv6Association associateIpv6(Tx tx, SubnetId subnetId, String ipv6CidrBlock) {
        Subnet subnet = Lookup.requireOwned(tx.world(), tx.caller(), Kind.SUBNET, Subnet.class, subnetId);
        Vpc vpc = tx.find(Vpc.class, subnet.vpcId()).orElseThrow();
        if (ipv6CidrBlock == null || ipv6CidrBlock.isEmpty()) {
            throw Ec2Errors.missingParameter("ipv6CidrBlock");
        }
        if (subnet.ipv6CidrBlock() != null) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format("The subnet '%s' already has an IPv6 CIDR block (%s); a "
                    + "subnet can have only one.", subnet.subnetId(), subnet.ipv6CidrBlock());
        }
        String block = checkIpv6Block(tx, vpc, ipv6CidrBlock, subnet.id());
        Subnet.Ipv6Association assoc =
                new Subnet.Ipv6Association(new SubnetCidrAssociationId(Ids.next(SubnetCidrAssociationId.PREFIX)), block,
                        CidrAssociationState.ASSOCIATED);
        tx.put(subnet.withIpv6(List.of(assoc), subnet.assignIpv6AddressOnCreation()));
        return assoc;
    }

    /** A subnet IPv6 disassociation: the subnet and the association, now {@code disassociating}. */
    public record Disassociated(SubnetId subnetId, Subnet.Ipv6Association association) {}

    /**
     * Removes a subnet's IPv6 block. An IPv6-only subnet keeps its block, and so does a subnet whose network
     * interfaces still hold IPv6 addresses.
     */
    public static Disassociated disassociateIpv6(Tx tx, SubnetCidrAssociationId associationId) {
        for (Subnet s : Scoped.owned(tx.world(), tx.caller(), Subnet.class)) {
            for (Subnet.Ipv6Association a : s.ipv6Associations()) {
                if (!a.associationId().equals(associationId)) {
                    continue;
                }
                if (s.ipv6Native()) {
                    throw ErrorCode.INVALID_PARAMETER_VALUE.format("The IPv6 CIDR block of the IPv6-only subnet "
                            + "'%s' cannot be disassociated.", s.id());
                }
                boolean used = Scoped.interfacesIn(tx.world(), s.subnetId()).stream()
                        .anyMatch(n -> !n.ipv6Addresses().isEmpty());
                if (used) {
                    throw ErrorCode.DEPENDENCY_VIOLATION.format("The IPv6 CIDR block '%s' of subnet '%s' has "
                            + "network interfaces with IPv6 addresses and cannot be disassociated.",
                            a.ipv6CidrBlock(), s.id());
                }
                tx.put(s.withIpv6(List.of(), false));
                return new Disassociated(s.subnetId(),
                        new Subnet.Ipv6Association(a.associationId(), a.ipv6CidrBlock(),
                                CidrAssociationState.DISASSOCIATING));
            }
        }
        throw ErrorCode.INVALID_SUBNET_CIDR_BLOCK_ASSOCIATION_NOT_FOUND.format(
                "The subnet CIDR block with association ID '%s' does not exist", associationId);
    }

    /** Sets {@code AssignIpv6AddressOnCreation}: only with an IPv6 block, and always on for IPv6-only subnets. */
    public static void assignIpv6OnCreation(Tx tx, Subnet subnet, boolean assign) {
        if (assign && subnet.ipv6CidrBlock() == null) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "Invalid value 'true' for assignIpv6AddressOnCreation. Cannot set assignIpv6AddressOnCreation "
                            + "to true unless the subnet (%s) has an IPv6 CIDR block associated with it.",
                    subnet.subnetId());
        }
        if (!assign && subnet.ipv6Native()) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format("Invalid value 'false' for assignIpv6AddressOnCreation. "
                    + "The IPv6-only subnet %s must assign IPv6 addresses on creation.", subnet.subnetId());
        }
        tx.put(subnet.withIpv6(subnet.ipv6Associations(), assign));
    }

    /**
     * The next free IPv6 address of a subnet's /64 for a new interface: AWS hands out addresses that look random;
     * underpass derives one from the interface id and skips any in use.
     */
    public static String allocateIpv6(World world, Subnet subnet, String interfaceId) {
        Ipv6Block block = Ipv6Block.parse(subnet.ipv6CidrBlock());
        java.util.Set<String> used = new java.util.HashSet<>();
        for (NetworkInterface n : Scoped.interfacesIn(world, subnet.subnetId())) {
            used.addAll(n.ipv6Addresses());
        }
        long start = Long.parseUnsignedLong(AwsServices.hash("ipv6-address/" + interfaceId).substring(0, 15), 16);
        for (long i = 0;; i++) {
            // Keep clear of the first four and the last addresses, as in IPv4.
            long host = Math.floorMod(start + i, Long.MAX_VALUE - 8) + 4;
            String address = Ipv6Block.format(block.address(java.math.BigInteger.valueOf(host)));
            if (!used.contains(address)) {
                return address;
            }
        }
    }

    /** The zone a new subnet goes in, by the caller's name or id for it (its world's mapping), or picked. */
    private static Regions.Zone zone(Tx tx, String name, String zoneId, List<Subnet> siblings) {
        AzMapping mapping = tx.world().azMapping();
        String region = tx.caller().region();
        String account = tx.caller().accountId();
        if (name != null && zoneId != null) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.with(
                    "Only one of AvailabilityZone or AvailabilityZoneId may be specified.");
        }
        String wanted = name != null ? name : zoneId;
        if (wanted == null) {
            // AWS picks a zone for you; underpass picks the least used one, lowest name first, so it is repeatable.
            List<Regions.Zone> zones = mapping.zones(region, account);
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
        return mapping.zone(region, account, wanted)
                .filter(z -> name == null || z.name().equals(name))
                .filter(z -> zoneId == null || z.zoneId().equals(zoneId))
                .orElseThrow(() -> Ec2Errors.invalidValue(wanted,
                        name != null ? "availabilityZone" : "availabilityZoneId",
                        "Subnets can currently only be created in the following availability zones: "
                                + mapping.zones(region, account).stream()
                                        .map(z -> name != null ? z.name() : z.zoneId())
                                        .collect(Collectors.joining(", "))
                                + "."));
    }

    /**
     * The subnet as {@code caller} sees it: Availability Zone names are per account and ids are not, so a subnet
     * shared with the caller carries the caller's name of its zone (its own under {@code --az-mapping
     * per-account}), and so do the instances and interfaces the caller puts in it.
     */
    public static Subnet asSeenBy(World world, dev.underpass.model.Caller caller, Subnet s) {
        if (Visibility.owns(caller, s) || s.availabilityZoneId() == null) {
            return s;
        }
        return world.azMapping().zone(s.region(), caller.accountId(), s.availabilityZoneId())
                .filter(z -> z.zoneId().equals(s.availabilityZoneId()) && !z.name().equals(s.availabilityZone()))
                .map(z -> new Subnet(s.id(), s.ownerId(), s.region(), s.vpcId(), s.cidrBlock(), z.name(),
                        s.availabilityZoneId(), s.defaultForAz(), s.mapPublicIpOnLaunch(), s.createdAt(), s.tags(),
                        s.ipv6Associations(), s.ipv6Native(), s.assignIpv6AddressOnCreation(),
                        s.enableResourceNameDnsARecordOnLaunch(), s.privateDnsHostnameTypeOnLaunch(),
                        s.enableResourceNameDnsAAAARecordOnLaunch()))
                .orElse(s);
    }

    /** Deletes a subnet, refusing while network interfaces remain in it. */
    public static void delete(Tx tx, SubnetId subnetId) {
        Subnet subnet = Lookup.requireOwned(tx.world(), tx.caller(), Kind.SUBNET, Subnet.class, subnetId);
        boolean inUse = !Scoped.interfacesIn(tx.world(), subnetId).isEmpty()
                || !Scoped.inVpc(tx.world(), NatGateway.class, subnet.vpcId(),
                        n -> subnetId.equals(n.subnetId()) && n.state() != NatGateway.State.DELETED).isEmpty()
                || !Scoped.inVpc(tx.world(), Instance.class, subnet.vpcId(), i -> subnetId.equals(i.subnetId())
                        && !i.state().equals(InstanceState.TERMINATED)
                        && !i.state().equals(InstanceState.SHUTTING_DOWN)).isEmpty();
        if (inUse) {
            throw ErrorCode.DEPENDENCY_VIOLATION.format(
                    "The subnet '%s' has dependencies and cannot be deleted.", subnetId);
        }
        for (RouteTable t : Scoped.inVpc(tx.world(), RouteTable.class, subnet.vpcId())) {
            List<RouteTable.Association> kept = new ArrayList<>(t.associations());
            if (kept.removeIf(a -> subnetId.equals(a.subnetId()))) {
                tx.put(t.withAssociations(kept));
            }
        }
        for (NetworkAcl acl : Scoped.inVpc(tx.world(), NetworkAcl.class, subnet.vpcId())) {
            List<NetworkAcl.Association> kept = new ArrayList<>(acl.associations());
            if (kept.removeIf(a -> subnetId.equals(a.subnetId()))) {
                tx.put(acl.withAssociations(kept));
            }
        }
        tx.remove(subnet);
    }

    /** Addresses free for interfaces: the block's size less the five reserved and those in use. */
    public static long availableAddressCount(World world, Subnet subnet) {
        if (subnet.cidrBlock() == null) {
            return 0;
        }
        long used = 0;
        for (NetworkInterface eni : Scoped.interfacesIn(world, subnet.subnetId())) {
            used += eni.privateIps().size();
        }
        return Cidr.parse(subnet.cidrBlock()).size() - RESERVED_ADDRESSES - used;
    }
}
