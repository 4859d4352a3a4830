package dev.underpass.model.ec2;

import dev.underpass.model.AccountRegion;
import dev.underpass.model.Caller;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Regions;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.net.Cidr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The default VPC that AWS gives every account in every region, laid out as AWS documents it
 * (<a href="https://docs.aws.amazon.com/vpc/latest/userguide/default-vpc-components.html">Default VPC
 * components</a>): the block {@code 172.31.0.0/16}; one {@code /20} default subnet per Availability Zone, taken in
 * zone-name order from {@code 172.31.0.0/20} up, each with {@code MapPublicIpOnLaunch}; an internet gateway attached
 * to the VPC; a main route table holding the local route and {@code 0.0.0.0/0} to that gateway; and the default
 * security group and network ACL that every VPC has.
 *
 * <p>An (account, region) gets its default VPC on its first request ({@link #ensure}). Whether that has happened is
 * recorded by an {@link AccountRegion} marker written in the same transaction, rather than inferred from "there is no
 * default VPC": AWS does not bring back a default VPC that its owner deleted, only {@code CreateDefaultVpc} does.
 * Because every write runs on the store's single writer, two concurrent first requests cannot both create one: the
 * second sees the first one's marker.
 *
 * <p>The default VPC counts against the VPCs-per-region quota and its gateway against the internet-gateway quota,
 * as in AWS, so a fresh account can create four more VPCs with the default quota of five.
 */
public final class DefaultVpcs {
    /** The block of every default VPC. */
    public static final String VPC_CIDR = "172.31.0.0/16";
    /** The size of every default subnet. */
    public static final int SUBNET_PREFIX = 20;

    private DefaultVpcs() {}

    /** True once the caller's (account, region) has been given its default VPC (or chose not to have one). */
    public static boolean isSetUp(World world, Caller caller) {
        return world.find(AccountRegion.class, AccountRegion.idOf(caller.accountId(), caller.region())).isPresent();
    }

    /** The caller's default VPC in its region, if it has one. */
    public static Optional<Vpc> find(World world, Caller caller) {
        return Scoped.owned(world, caller, Vpc.class, Vpc::isDefault).stream().findFirst();
    }

    /**
     * Sets up the caller's (account, region) on its first request: creates the default VPC unless it was set up
     * before. Returns the VPC it created, or empty when there was nothing to do.
     *
     * <p>It never fails: where quotas set at start-up leave no room for a VPC or a gateway (or the account already has
     * a default VPC, as in a store written before markers existed), it only records the marker.
     */
    public static Optional<Vpc> ensure(Tx tx, Quotas quotas) {
        Caller caller = tx.caller();
        if (isSetUp(tx.world(), caller)) {
            return Optional.empty();
        }
        tx.put(AccountRegion.of(caller.accountId(), caller.region(), tx.now()));
        if (find(tx.world(), caller).isPresent()
                || ownedVpcs(tx) >= quotas.vpcsPerRegion()
                || ownedInternetGateways(tx) >= quotas.internetGatewaysPerRegion()) {
            return Optional.empty();
        }
        return Optional.of(layout(tx, quotas));
    }

    /** {@code CreateDefaultVpc}: a new default VPC with all its parts, if the region has none. */
    public static Vpc create(Tx tx, Quotas quotas) {
        Caller caller = tx.caller();
        if (find(tx.world(), caller).isPresent()) {
            throw ErrorCode.DEFAULT_VPC_ALREADY_EXISTS.with(
                    "A Default VPC already exists for this account in this region.");
        }
        if (ownedVpcs(tx) >= quotas.vpcsPerRegion()) {
            throw ErrorCode.VPC_LIMIT_EXCEEDED.with("The maximum number of VPCs has been reached.");
        }
        if (ownedInternetGateways(tx) >= quotas.internetGatewaysPerRegion()) {
            throw ErrorCode.INTERNET_GATEWAY_LIMIT_EXCEEDED.with(
                    "The maximum number of internet gateways has been reached.");
        }
        if (!isSetUp(tx.world(), caller)) {
            // With default VPCs switched off nothing was set up; from now on this region has had one.
            tx.put(AccountRegion.of(caller.accountId(), caller.region(), tx.now()));
        }
        return layout(tx, quotas);
    }

    /**
     * {@code CreateDefaultSubnet}: a default subnet in one zone of the default VPC, in the lowest {@code /20} of the
     * VPC's block that no subnet uses. The zone is named by exactly one of {@code zoneName} and {@code zoneId}.
     */
    public static Subnet createSubnet(Tx tx, Quotas quotas, String zoneName, String zoneId) {
        Caller caller = tx.caller();
        if (zoneName == null && zoneId == null) {
            throw Ec2Errors.missingParameter("AvailabilityZone or AvailabilityZoneId");
        }
        if (zoneName != null && zoneId != null) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.with(
                    "Only one of AvailabilityZone or AvailabilityZoneId may be specified.");
        }
        Vpc vpc = find(tx.world(), caller).orElseThrow(() -> ErrorCode.DEFAULT_VPC_DOES_NOT_EXIST.with(
                "No default VPC for this user. Create one with CreateDefaultVpc first."));
        List<Subnet> siblings = List.copyOf(Scoped.inVpc(tx.world(), Subnet.class, vpc.vpcId()));
        Optional<Regions.Zone> zone = tx.world().azMapping().zone(caller.region(), caller.accountId(),
                zoneName != null ? zoneName : zoneId)
                .filter(z -> zoneName == null || z.name().equals(zoneName))
                .filter(z -> zoneId == null || z.zoneId().equals(zoneId));
        if (zone.isPresent()) {
            String name = zone.get().name();
            for (Subnet s : siblings) {
                if (s.defaultForAz() && s.availabilityZone().equals(name)) {
                    throw ErrorCode.DEFAULT_SUBNET_ALREADY_EXISTS_IN_AZ.format(
                            "A default subnet already exists in Availability Zone %s: %s", name, s.id());
                }
            }
        }
        Cidr block = freeBlock(vpc, siblings).orElseThrow(() -> ErrorCode.INVALID_SUBNET_CONFLICT.format(
                "The default VPC '%s' has no free /%d block left for a default subnet.", vpc.vpcId(), SUBNET_PREFIX));
        // An unknown zone is refused here, with CreateSubnet's wording.
        return Subnets.create(tx, quotas,
                new Subnets.Create(vpc.vpcId(), block.toString(), zoneName, zoneId, true, true,
                        Map.of()));
    }

    /** The block of the {@code index}-th default subnet: {@code 172.31.0.0/20}, {@code 172.31.16.0/20}, ... */
    public static String subnetCidr(int index) {
        Cidr vpc = Cidr.parse(VPC_CIDR);
        return new Cidr(vpc.network() + index * (1 << (32 - SUBNET_PREFIX)), SUBNET_PREFIX).toString();
    }

    private static Vpc layout(Tx tx, Quotas quotas) {
        Caller caller = tx.caller();
        Vpc vpc = Vpcs.create(tx, quotas, new Vpcs.Create(VPC_CIDR, "default", true, Map.of()));
        InternetGateway igw = tx.put(new InternetGateway(Ids.next("igw"), caller.accountId(), caller.region(),
                List.of(vpc.vpcId()), Map.of()));
        for (RouteTable main : Scoped.inVpc(tx.world(), RouteTable.class, vpc.vpcId(), RouteTable::isMain)) {
            List<RouteTable.Route> routes = new ArrayList<>(main.routes());
            routes.add(new RouteTable.Route(AddressSet.of("0.0.0.0/0"), new RouteTarget.Igw(igw.internetGatewayId()),
                    RouteTable.Route.Origin.CREATE_ROUTE,
                    RouteTable.Route.State.ACTIVE));
            tx.put(main.withRoutes(routes));
        }
        List<Regions.Zone> zones = tx.world().azMapping().zones(caller.region(), caller.accountId());
        int count = Math.min(zones.size(), quotas.subnetsPerVpc());
        for (int i = 0; i < count; i++) {
            Subnets.create(tx, quotas, new Subnets.Create(vpc.vpcId(), subnetCidr(i), zones.get(i).name(), null, true,
                    true, Map.of()));
        }
        return vpc;
    }

    private static Optional<Cidr> freeBlock(Vpc vpc, List<Subnet> siblings) {
        Cidr range = Cidr.parse(vpc.cidrBlock());
        long blocks = range.size() >> (32 - SUBNET_PREFIX);
        for (long i = 0; i < blocks; i++) {
            Cidr candidate = new Cidr(range.network() + (int) (i << (32 - SUBNET_PREFIX)), SUBNET_PREFIX);
            if (siblings.stream().noneMatch(s -> s.cidrBlock() != null
                    && Cidr.parse(s.cidrBlock()).overlaps(candidate))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static long ownedVpcs(Tx tx) {
        return Scoped.owned(tx.world(), tx.caller(), Vpc.class).size();
    }

    private static long ownedInternetGateways(Tx tx) {
        return Scoped.owned(tx.world(), tx.caller(), InternetGateway.class).size();
    }
}
