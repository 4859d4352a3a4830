package dev.underpass.model.ec2;

import dev.underpass.model.net.IpProtocol;
import dev.underpass.model.Caller;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Index;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.net.Cidr;
import dev.underpass.model.net.Ipv6Block;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * VPC rules: CIDR sizes, the resources every VPC comes with (default security group, main route table with its
 * local route, default network ACL), secondary CIDR blocks, and what must be gone before a VPC can be deleted.
 */
public final class Vpcs {
    public static final int MIN_PREFIX = 16;
    public static final int MAX_PREFIX = 28;

    /** IPv6 blocks per VPC (AWS's default quota). */
    public static final int IPV6_BLOCKS_PER_VPC = 5;

    /** VPCs by each IPv6 block they hold (Amazon hands a block to one VPC at a time). */
    private static final Index<Vpc, String> IPV6_BLOCKS = Index.byEach(Vpc.class,
            v -> v.ipv6Associations().stream().map(Vpc.Ipv6Association::ipv6CidrBlock).toList());

    /** The pool AWS names for Amazon-provided IPv6 blocks. */
    public static final String AMAZON_POOL = "Amazon";

    private Vpcs() {}

    /** A request to create a VPC. */
    public record Create(String cidrBlock, String instanceTenancy, boolean isDefault, Map<String, String> tags) {}

    public static Vpc create(Tx tx, Quotas quotas, Create cmd) {
        Caller caller = tx.caller();
        Cidr cidr = parseVpcCidr(cmd.cidrBlock());
        String tenancy = cmd.instanceTenancy() == null ? "default" : cmd.instanceTenancy();
        if (!tenancy.equals("default") && !tenancy.equals("dedicated")) {
            throw Ec2Errors.invalidValue(tenancy, "instanceTenancy", "Valid values: default, dedicated");
        }
        long existing = Scoped.owned(tx.world(), caller, Vpc.class).size();
        if (existing >= quotas.vpcsPerRegion()) {
            throw ErrorCode.VPC_LIMIT_EXCEEDED.with("The maximum number of VPCs has been reached.");
        }
        String id = Ids.next("vpc");
        Vpc vpc = new Vpc(id, caller.accountId(), caller.region(), cidr.toString(),
                List.of(new Vpc.CidrAssociation(new VpcCidrAssociationId(Ids.next(VpcCidrAssociationId.PREFIX)),
                        cidr.toString(),
                        CidrAssociationState.ASSOCIATED)),
                DhcpOptionsSets.regionDefault(tx), tenancy, cmd.isDefault(), true, cmd.isDefault(), tx.now(),
                cmd.tags());
        tx.put(vpc);
        tx.put(Defaults.securityGroup(vpc));
        tx.put(Defaults.mainRouteTable(vpc));
        tx.put(Defaults.networkAcl(vpc));
        return vpc;
    }

    /**
     * The id of the account's first default DHCP options set in the region, derived from the account and region
     * (VPCs stored before options sets were modelled name it); see {@link DhcpOptionsSets}.
     */
    static String defaultDhcpOptions(Caller caller) {
        long h = 1125899906842597L;
        for (char c : (caller.accountId() + "/" + caller.region()).toCharArray()) {
            h = 31 * h + c;
        }
        return String.format("dopt-0%016x", h);
    }

    static Cidr parseVpcCidr(String text) {
        if (text == null || text.isEmpty()) {
            throw ErrorCode.MISSING_PARAMETER.with("Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.");
        }
        Cidr cidr;
        try {
            cidr = Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            throw Ec2Errors.invalidValue(text, "cidrBlock", "This is not a valid CIDR block.");
        }
        if (cidr.prefix() < MIN_PREFIX || cidr.prefix() > MAX_PREFIX) {
            throw ErrorCode.INVALID_VPC_RANGE.format("The CIDR '%s' is invalid.", text);
        }
        return cidr;
    }

    /** Deletes a VPC and the defaults it came with, or refuses while anything else still depends on it. */
    public static void delete(Tx tx, VpcId vpcId) {
        Vpc vpc = Lookup.requireOwned(tx.world(), tx.caller(), Kind.VPC, Vpc.class, vpcId);
        World w = tx.world();
        boolean blocked = !Scoped.inVpc(w, Subnet.class, vpcId).isEmpty()
                || !Scoped.inVpc(w, InternetGateway.class, vpcId).isEmpty()
                || !Scoped.inVpc(w, SecurityGroup.class, vpcId, g -> !g.isDefault()).isEmpty()
                || !Scoped.inVpc(w, RouteTable.class, vpcId, t -> !t.isMain()).isEmpty()
                || !Scoped.inVpc(w, NetworkAcl.class, vpcId, a -> !a.isDefault()).isEmpty()
                || !Scoped.inVpc(w, NetworkInterface.class, vpcId).isEmpty()
                || !Scoped.inVpc(w, VpcEndpoint.class, vpcId).isEmpty()
                || !Scoped.inVpc(w, EgressOnlyInternetGateway.class, vpcId).isEmpty()
                || !Scoped.inVpc(w, NatGateway.class, vpcId, n -> n.state() != NatGateway.State.DELETED).isEmpty();
        if (blocked) {
            throw ErrorCode.DEPENDENCY_VIOLATION.format(
                    "The vpc '%s' has dependencies and cannot be deleted.", vpcId);
        }
        PeeringConnections.releaseVpc(tx, vpc);
        w = tx.world();
        List.copyOf(Scoped.inVpc(w, SecurityGroup.class, vpcId)).forEach(tx::remove);
        List.copyOf(Scoped.inVpc(w, RouteTable.class, vpcId)).forEach(tx::remove);
        List.copyOf(Scoped.inVpc(w, NetworkAcl.class, vpcId)).forEach(tx::remove);
        List.copyOf(Scoped.inVpc(w, NatGateway.class, vpcId)).forEach(tx::remove);
        tx.remove(vpc);
    }

    /** Associates a secondary IPv4 block. */
    public static Vpc.CidrAssociation associateCidr(Tx tx, Quotas quotas, VpcId vpcId, String cidrText) {
        Vpc vpc = Lookup.requireOwned(tx.world(), tx.caller(), Kind.VPC, Vpc.class, vpcId);
        Cidr cidr = parseVpcCidr(cidrText);
        List<String> active = vpc.activeCidrs();
        if (active.size() >= quotas.cidrBlocksPerVpc()) {
            throw ErrorCode.CIDR_LIMIT_EXCEEDED.format(
                    "This network '%s' has met its maximum number of allowed CIDRs: %d", vpcId,
                    quotas.cidrBlocksPerVpc());
        }
        for (String existing : active) {
            if (Cidr.parse(existing).overlaps(cidr)) {
                throw ErrorCode.INVALID_VPC_RANGE.format("The CIDR '%s' conflicts with another CIDR block "
                        + "of the VPC ('%s').", cidr, existing);
            }
        }
        Vpc.CidrAssociation assoc =
                new Vpc.CidrAssociation(new VpcCidrAssociationId(Ids.next(VpcCidrAssociationId.PREFIX)),
                        cidr.toString(),
                        CidrAssociationState.ASSOCIATED);
        List<Vpc.CidrAssociation> all = new ArrayList<>(vpc.cidrAssociations());
        all.add(assoc);
        tx.put(vpc.withCidrAssociations(all));
        RouteTables.addLocalRoutes(tx, vpcId, cidr.toString());
        return assoc;
    }

    /** The outcome of a disassociation: the VPC and the association, now {@code disassociating}. */
    public record Disassociated(VpcId vpcId, Vpc.CidrAssociation association) {}

    /** Removes a secondary block; the primary block and blocks that still hold subnets stay. */
    public static Disassociated disassociateCidr(Tx tx, VpcCidrAssociationId associationId) {
        for (Vpc vpc : Scoped.owned(tx.world(), tx.caller(), Vpc.class)) {
            for (Vpc.CidrAssociation a : vpc.cidrAssociations()) {
                if (!a.associationId().equals(associationId)) {
                    continue;
                }
                if (a.cidrBlock().equals(vpc.cidrBlock())) {
                    throw ErrorCode.INVALID_PARAMETER_VALUE.format("The vpc CIDR block with association ID %s may "
                            + "not be disassociated. It is the primary IPv4 CIDR block of the VPC", associationId);
                }
                Cidr block = Cidr.parse(a.cidrBlock());
                // An IPv6-only subnet has no IPv4 block and holds no part of this one.
                boolean used = !Scoped.inVpc(tx.world(), Subnet.class, vpc.vpcId(),
                        s -> s.cidrBlock() != null && block.contains(Cidr.parse(s.cidrBlock()))).isEmpty();
                if (used) {
                    throw ErrorCode.DEPENDENCY_VIOLATION.format(
                            "The CIDR block '%s' of vpc '%s' has subnets and cannot be disassociated.",
                            a.cidrBlock(), vpc.vpcId());
                }
                List<Vpc.CidrAssociation> rest = new ArrayList<>(vpc.cidrAssociations());
                rest.remove(a);
                tx.put(vpc.withCidrAssociations(rest));
                RouteTables.removeLocalRoutes(tx, vpc.vpcId(), a.cidrBlock());
                return new Disassociated(vpc.vpcId(),
                        new Vpc.CidrAssociation(a.associationId(), a.cidrBlock(), CidrAssociationState.DISASSOCIATING));
            }
        }
        throw ErrorCode.INVALID_CIDR_BLOCK_ASSOCIATION_NOT_FOUND.format(
                "The vpc CIDR block association ID '%s' does not exist", associationId);
    }

    // ---------------------------------------------------------------------------------------------------------
    // IPv6

    /**
     * Associates an Amazon-provided /56 with the VPC. {@code networkBorderGroup} defaults to the region, the only
     * group underpass knows (Local Zone groups are not modelled). AWS allows up to five IPv6 blocks per VPC.
     */
    public static Vpc.Ipv6Association associateAmazonIpv6(Tx tx, VpcId vpcId, String networkBorderGroup) {
        Vpc vpc = Lookup.requireOwned(tx.world(), tx.caller(), Kind.VPC, Vpc.class, vpcId);
        String group = networkBorderGroup == null || networkBorderGroup.isEmpty() ? vpc.region() : networkBorderGroup;
        if (!group.equals(vpc.region())) {
            throw Ec2Errors.invalidValue(group, "Ipv6CidrBlockNetworkBorderGroup",
                    "Valid network border groups for this VPC: " + vpc.region() + ".");
        }
        if (vpc.activeIpv6Cidrs().size() >= IPV6_BLOCKS_PER_VPC) {
            throw ErrorCode.CIDR_LIMIT_EXCEEDED.format(
                    "This network '%s' has met its maximum number of allowed IPv6 CIDRs: %d", vpcId,
                    IPV6_BLOCKS_PER_VPC);
        }
        String block = amazonIpv6Block(tx, vpc);
        Vpc.Ipv6Association assoc =
                new Vpc.Ipv6Association(new VpcCidrAssociationId(Ids.next(VpcCidrAssociationId.PREFIX)), block,
                        CidrAssociationState.ASSOCIATED, group,
                        AMAZON_POOL);
        List<Vpc.Ipv6Association> all = new ArrayList<>(vpc.ipv6Associations());
        all.add(assoc);
        tx.put(vpc.withIpv6Associations(all));
        if (vpc.activeIpv6Cidrs().isEmpty()) {
            addDefaultIpv6Rules(tx, vpcId);
        }
        RouteTables.addLocalRoutes(tx, vpcId, block);
        return assoc;
    }

    /**
     * A /56 that no VPC holds, from a /32 per region in AWS's 2600:1f00::/24 space: it looks like AWS's blocks
     * (2600:1f18:…:…00::/56 in us-east-1) and is derived from the VPC id, so it is stable but unique.
     */
    static String amazonIpv6Block(Tx tx, Vpc vpc) {
        // Amazon's blocks are unique across every account, so this one lookup is global: by block, not a scan.
        int regionByte = (AwsServices.hash("ipv6/" + vpc.region()).hashCode() & 0xff);
        Ipv6Block regionBlock = new Ipv6Block(BigInteger.valueOf(0x26001f00L | regionByte).shiftLeft(96), 32);
        long index = Long.parseLong(AwsServices.hash("ipv6/" + vpc.vpcId() + "/" + vpc.ipv6Associations().size())
                .substring(0, 6), 16);
        for (long i = 0; i < (1L << 24); i++) {
            String candidate = regionBlock.child(56, (index + i) & 0xffffff).toString();
            if (IPV6_BLOCKS.get(tx.world(), candidate).isEmpty()) {
                return candidate;
            }
        }
        throw ErrorCode.INSUFFICIENT_CIDR_BLOCKS.with("There are no free Amazon-provided IPv6 blocks left.");
    }

    /**
     * What AWS adds when a VPC gets its first IPv6 block: an outbound {@code ::/0} rule in the default security
     * group, and rules 101 allowing {@code ::/0} both ways (before the IPv6 catch-all denies) in the default network
     * ACL.
     */
    private static void addDefaultIpv6Rules(Tx tx, VpcId vpcId) {
        for (SecurityGroup g : Scoped.inVpc(tx.world(), SecurityGroup.class, vpcId, SecurityGroup::isDefault)) {
            boolean present = g.rules().stream().anyMatch(r -> r.egress() && AddressSet.ALL_IPV6.equals(r.peer()));
            if (!present) {
                List<SecurityGroup.Rule> rules = new ArrayList<>(g.rules());
                rules.add(new SecurityGroup.Rule(new SecurityGroupRuleId(Ids.next(SecurityGroupRuleId.PREFIX)), true,
                        IpProtocol.ALL, -1, -1,
                        AddressSet.ALL_IPV6,
                        null));
                tx.put(g.withRules(rules));
            }
        }
        for (NetworkAcl acl : Scoped.inVpc(tx.world(), NetworkAcl.class, vpcId, NetworkAcl::isDefault)) {
            boolean present = acl.entries().stream().anyMatch(e -> AddressSet.ALL_IPV6.equals(e.block()));
            if (!present) {
                List<NetworkAcl.Entry> entries = new ArrayList<>(acl.entries());
                for (boolean egress : new boolean[] {true, false}) {
                    entries.add(new NetworkAcl.Entry(101, egress, IpProtocol.ALL, true, AddressSet.ALL_IPV6, null, null,
                            null,
                            null));
                    entries.add(new NetworkAcl.Entry(Defaults.CATCH_ALL_RULE, egress, IpProtocol.ALL, false,
                            AddressSet.ALL_IPV6, null, null, null, null));
                }
                tx.put(acl.withEntries(entries));
            }
        }
    }

    /**
     * Disassociates an IPv6 block, refusing while a subnet holds part of it. Returns null when the association is
     * not an IPv6 one of the caller's VPCs.
     */
    public static Disassociated6 disassociateIpv6(Tx tx, VpcCidrAssociationId associationId) {
        for (Vpc vpc : Scoped.owned(tx.world(), tx.caller(), Vpc.class)) {
            for (Vpc.Ipv6Association a : vpc.ipv6Associations()) {
                if (!a.associationId().equals(associationId)) {
                    continue;
                }
                Ipv6Block block = Ipv6Block.parse(a.ipv6CidrBlock());
                boolean used = !Scoped.inVpc(tx.world(), Subnet.class, vpc.vpcId(), s -> s.ipv6Associations().stream()
                        .anyMatch(sa -> block.contains(Ipv6Block.parse(sa.ipv6CidrBlock())))).isEmpty();
                if (used) {
                    throw ErrorCode.DEPENDENCY_VIOLATION.format(
                            "The CIDR block '%s' of vpc '%s' has subnets and cannot be disassociated.",
                            a.ipv6CidrBlock(), vpc.vpcId());
                }
                List<Vpc.Ipv6Association> rest = new ArrayList<>(vpc.ipv6Associations());
                rest.remove(a);
                tx.put(vpc.withIpv6Associations(rest));
                RouteTables.removeLocalRoutes(tx, vpc.vpcId(), a.ipv6CidrBlock());
                return new Disassociated6(vpc.vpcId(), new Vpc.Ipv6Association(a.associationId(), a.ipv6CidrBlock(),
                        CidrAssociationState.DISASSOCIATING, a.networkBorderGroup(), a.ipv6Pool()));
            }
        }
        return null;
    }

    /** The outcome of an IPv6 disassociation: the VPC and the association, now {@code disassociating}. */
    public record Disassociated6(VpcId vpcId, Vpc.Ipv6Association association) {}
}
