package dev.underpass.model.ec2;

import dev.underpass.model.ResourceId;
import dev.underpass.model.Caller;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Tx;
import dev.underpass.model.net.Cidr;
import dev.underpass.model.net.IpProtocol;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Network-ACL rules: the default association of new subnets, custom ACLs, numbered entries with AWS's validation
 * (rule numbers 1-32766, protocol numbers, port ranges for TCP and UDP, type and code for ICMP), the per-direction
 * entry quota, and moving a subnet between the ACLs of its VPC. Follows
 * <a href="https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html">Network ACLs</a>.
 */
public final class NetworkAcls {
    /** The highest rule number a user may use; 32767 is the catch-all deny. */
    public static final int MAX_RULE_NUMBER = 32766;

    private NetworkAcls() {}

    /** Every new subnet starts associated with its VPC's default network ACL. */
    public static void associateDefault(Tx tx, Subnet subnet) {
        for (NetworkAcl acl : Scoped.inVpc(tx.world(), NetworkAcl.class, subnet.vpcId(), NetworkAcl::isDefault)) {
            List<NetworkAcl.Association> associations = new ArrayList<>(acl.associations());
            associations.add(
                    new NetworkAcl.Association(new NetworkAclAssociationId(Ids.next(NetworkAclAssociationId.PREFIX)),
                            subnet.subnetId()));
            tx.put(acl.withAssociations(associations));
        }
    }

    /** Creates a custom ACL: it denies everything (only the catch-all entries) until entries are added. */
    public static NetworkAcl create(Tx tx, Quotas quotas, VpcId vpcId, Map<String, String> tags) {
        Caller caller = tx.caller();
        Vpc vpc = Lookup.requireOwned(tx.world(), caller, Kind.VPC, Vpc.class, vpcId);
        if (Scoped.inVpc(tx.world(), NetworkAcl.class, vpc.vpcId()).size() >= quotas.networkAclsPerVpc()) {
            throw ErrorCode.NETWORK_ACL_LIMIT_EXCEEDED.format(
                    "The maximum number of network ACLs (%d) for VPC '%s' has been reached.",
                    quotas.networkAclsPerVpc(), vpc.vpcId());
        }
        NetworkAcl acl = new NetworkAcl(Ids.next("acl"), caller.accountId(), caller.region(), vpc.vpcId(), false,
                Defaults.defaultEntries(false), List.of(), tags);
        tx.put(acl);
        return acl;
    }

    /** Deletes a custom ACL that no subnet uses; the VPC's default ACL goes only with its VPC. */
    public static void delete(Tx tx, NetworkAclId aclId) {
        NetworkAcl acl = Lookup.requireOwned(tx.world(), tx.caller(), Kind.NETWORK_ACL, NetworkAcl.class, aclId);
        if (acl.isDefault()) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format("cannot delete default network ACL %s", acl.id());
        }
        if (!acl.associations().isEmpty()) {
            throw ErrorCode.DEPENDENCY_VIOLATION.format(
                    "The networkAcl '%s' has dependencies and cannot be deleted.", acl.id());
        }
        tx.remove(acl);
    }

    /** An entry as a client asks for it, before validation. */
    public record EntrySpec(NetworkAclId networkAclId, Integer ruleNumber, String protocol, String ruleAction,
            Boolean egress, String cidrBlock, String ipv6CidrBlock, Integer icmpType, Integer icmpCode,
            Integer portFrom, Integer portTo) {}

    /** Adds an entry; its (rule number, direction) must be free and the direction's quota not reached. */
    public static NetworkAcl.Entry createEntry(Tx tx, Quotas quotas, EntrySpec spec) {
        NetworkAcl acl = Lookup.requireOwned(tx.world(), tx.caller(), Kind.NETWORK_ACL, NetworkAcl.class,
                spec.networkAclId());
        NetworkAcl.Entry entry = entry(spec);
        if (find(acl, entry.ruleNumber(), entry.egress()) != null) {
            throw ErrorCode.NETWORK_ACL_ENTRY_ALREADY_EXISTS.format(
                    "The network acl entry identified by %d already exists.", entry.ruleNumber());
        }
        List<NetworkAcl.Entry> entries = new ArrayList<>(acl.entries());
        entries.add(entry);
        checkQuota(entries, entry, quotas);
        tx.put(acl.withEntries(sorted(entries)));
        return entry;
    }

    /** Replaces the entry with the same (rule number, direction), which must exist. */
    public static NetworkAcl.Entry replaceEntry(Tx tx, Quotas quotas, EntrySpec spec) {
        NetworkAcl acl = Lookup.requireOwned(tx.world(), tx.caller(), Kind.NETWORK_ACL, NetworkAcl.class,
                spec.networkAclId());
        NetworkAcl.Entry entry = entry(spec);
        NetworkAcl.Entry old = find(acl, entry.ruleNumber(), entry.egress());
        if (old == null) {
            throw entryNotFound(acl, entry.ruleNumber(), entry.egress());
        }
        List<NetworkAcl.Entry> entries = new ArrayList<>(acl.entries());
        entries.set(entries.indexOf(old), entry);
        checkQuota(entries, entry, quotas);
        tx.put(acl.withEntries(sorted(entries)));
        return entry;
    }

    public static void deleteEntry(Tx tx, NetworkAclId aclId, Integer ruleNumber, Boolean egress) {
        NetworkAcl acl = Lookup.requireOwned(tx.world(), tx.caller(), Kind.NETWORK_ACL, NetworkAcl.class, aclId);
        int number = ruleNumber(ruleNumber);
        boolean out = egress(egress);
        NetworkAcl.Entry old = find(acl, number, out);
        if (old == null) {
            throw entryNotFound(acl, number, out);
        }
        List<NetworkAcl.Entry> entries = new ArrayList<>(acl.entries());
        entries.remove(old);
        tx.put(acl.withEntries(entries));
    }

    /**
     * Moves a subnet to another ACL of its VPC. The subnet is named by its current association id; the new
     * association gets a new id, which AWS returns.
     */
    public static NetworkAclAssociationId replaceAssociation(Tx tx, NetworkAclAssociationId associationId,
            NetworkAclId aclId) {
        if (ResourceId.absent(associationId)) {
            throw Ec2Errors.missingParameter("associationId");
        }
        NetworkAcl target = Lookup.requireOwned(tx.world(), tx.caller(), Kind.NETWORK_ACL, NetworkAcl.class, aclId);
        for (NetworkAcl current : Scoped.owned(tx.world(), tx.caller(), NetworkAcl.class)) {
            for (NetworkAcl.Association a : current.associations()) {
                if (!a.associationId().equals(associationId)) {
                    continue;
                }
                if (!current.vpcId().equals(target.vpcId())) {
                    throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                            "Network ACL %s and subnet %s belong to different networks (%s, %s).", target.id(),
                            a.subnetId(), target.vpcId(), current.vpcId());
                }
                List<NetworkAcl.Association> left = new ArrayList<>(current.associations());
                left.remove(a);
                tx.put(current.withAssociations(left));
                NetworkAcl fresh = tx.find(NetworkAcl.class, target.id()).orElseThrow();
                List<NetworkAcl.Association> joined = new ArrayList<>(fresh.associations());
                NetworkAclAssociationId newId = new NetworkAclAssociationId(Ids.next(NetworkAclAssociationId.PREFIX));
                joined.add(new NetworkAcl.Association(newId, a.subnetId()));
                tx.put(fresh.withAssociations(joined));
                return newId;
            }
        }
        throw ErrorCode.INVALID_ASSOCIATION_ID_NOT_FOUND.format(
                "The association ID '%s' does not exist", associationId);
    }

    /**
     * Validates and normalises an entry: protocol as a number ({@code tcp} becomes {@code 6}, {@code all} becomes
     * {@code -1}), a port range for TCP and UDP, a type and code for ICMP, exactly one IPv4 or IPv6 block.
     */
    static NetworkAcl.Entry entry(EntrySpec s) {
        int number = ruleNumber(s.ruleNumber());
        boolean out = egress(s.egress());
        IpProtocol protocol = protocol(s.protocol());
        String action = s.ruleAction() == null ? null : s.ruleAction().toLowerCase(Locale.ROOT);
        if (action == null || action.isEmpty()) {
            throw Ec2Errors.missingParameter("ruleAction");
        }
        if (!action.equals("allow") && !action.equals("deny")) {
            throw Ec2Errors.invalidValue(s.ruleAction(), "ruleAction", "Valid values: allow, deny");
        }
        AddressSet block;
        if (s.cidrBlock() != null && s.ipv6CidrBlock() != null) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.with(
                    "Only one of cidrBlock and ipv6CidrBlock may be specified.");
        } else if (s.cidrBlock() != null) {
            Cidr v4 = RuleCidrs.ipv4(s.cidrBlock());
            if (v4 == null) {
                throw Ec2Errors.invalidValue(s.cidrBlock(), "cidrBlock", "This is not a valid CIDR block.");
            }
            block = new AddressSet.Ipv4(v4);
        } else if (s.ipv6CidrBlock() != null) {
            String v6 = RuleCidrs.ipv6(s.ipv6CidrBlock());
            if (v6 == null) {
                throw Ec2Errors.invalidValue(s.ipv6CidrBlock(), "ipv6CidrBlock",
                        "This is not a valid IPv6 CIDR block.");
            }
            block = new AddressSet.Ipv6(v6);
        } else {
            throw Ec2Errors.missingParameter("cidrBlock or ipv6CidrBlock");
        }
        Integer icmpType = null;
        Integer icmpCode = null;
        Integer from = null;
        Integer to = null;
        switch (protocol.number()) {
            case 6, 17 -> {
                if (s.portFrom() == null) {
                    throw Ec2Errors.missingParameter("portRange.from");
                }
                if (s.portTo() == null) {
                    throw Ec2Errors.missingParameter("portRange.to");
                }
                for (int port : new int[] {s.portFrom(), s.portTo()}) {
                    if (port < 0 || port > 65535) {
                        throw Ec2Errors.invalidValue(port, "portRange", "Ports must be 0-65535.");
                    }
                }
                if (s.portFrom() > s.portTo()) {
                    throw ErrorCode.INVALID_PARAMETER_VALUE.format("Value (%d-%d) for parameter portRange is "
                            + "invalid. The from port must not be greater than the to port.", s.portFrom(), s.portTo());
                }
                from = s.portFrom();
                to = s.portTo();
            }
            case 58 -> {
                // ICMPv6 in an IPv4 entry matches every type and code, so AWS takes the entry without them.
                if (block instanceof AddressSet.Ipv6) {
                    int[] typeCode = icmpTypeCode(s);
                    icmpType = typeCode[0];
                    icmpCode = typeCode[1];
                }
            }
            case 1 -> {
                int[] typeCode = icmpTypeCode(s);
                icmpType = typeCode[0];
                icmpCode = typeCode[1];
            }
            default -> {
                // Other protocols: AWS allows every port, so the ranges given (if any) are dropped.
            }
        }
        return new NetworkAcl.Entry(number, out, protocol, action.equals("allow"), block, icmpType, icmpCode, from,
                to);
    }

    /** The ICMP type and code an entry must give, checked. */
    private static int[] icmpTypeCode(EntrySpec s) {
        if (s.icmpType() == null) {
            throw Ec2Errors.missingParameter("icmpTypeCode.type");
        }
        if (s.icmpCode() == null) {
            throw Ec2Errors.missingParameter("icmpTypeCode.code");
        }
        if (s.icmpType() < -1 || s.icmpType() > 255) {
            throw Ec2Errors.invalidValue(s.icmpType(), "icmpTypeCode.type",
                    "Valid range is -1-255.");
        }
        if (s.icmpCode() < -1 || s.icmpCode() > 255) {
            throw Ec2Errors.invalidValue(s.icmpCode(), "icmpTypeCode.code",
                    "Valid range is -1-255.");
        }
        return new int[] {s.icmpType(), s.icmpCode()};
    }

    /** The protocol an entry names: a number 0-255, -1 or all, or tcp, udp, icmp, icmpv6 (stored by number). */
    public static IpProtocol protocol(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw Ec2Errors.missingParameter("protocol");
        }
        IpProtocol p = IpProtocol.parse(raw);
        if (p == null) {
            throw Ec2Errors.invalidValue(raw, "protocol", "Use a protocol number 0-255, -1 for all, "
                    + "or tcp, udp, icmp, icmpv6.");
        }
        return p;
    }

    /** Entries in the order AWS lists them: egress before ingress, then by rule number (catch-all last). */
    public static List<NetworkAcl.Entry> sorted(List<NetworkAcl.Entry> entries) {
        List<NetworkAcl.Entry> out = new ArrayList<>(entries);
        out.sort(Comparator.comparing((NetworkAcl.Entry e) -> !e.egress())
                .thenComparingInt(NetworkAcl.Entry::ruleNumber));
        return out;
    }

    private static int ruleNumber(Integer n) {
        if (n == null) {
            throw Ec2Errors.missingParameter("ruleNumber");
        }
        if (n < 1 || n > MAX_RULE_NUMBER) {
            throw Ec2Errors.invalidValue(n, "ruleNumber", String.format("Valid range is 1-%d.", MAX_RULE_NUMBER));
        }
        return n;
    }

    private static boolean egress(Boolean egress) {
        if (egress == null) {
            throw Ec2Errors.missingParameter("egress");
        }
        return egress;
    }

    private static NetworkAcl.Entry find(NetworkAcl acl, int ruleNumber, boolean egress) {
        for (NetworkAcl.Entry e : acl.entries()) {
            if (e.ruleNumber() == ruleNumber && e.egress() == egress) {
                return e;
            }
        }
        return null;
    }

    private static dev.underpass.model.AwsException entryNotFound(NetworkAcl acl, int ruleNumber, boolean egress) {
        return ErrorCode.INVALID_NETWORK_ACL_ENTRY_NOT_FOUND.format(
                "The network acl entry identified by %d (%s) does not exist in network ACL '%s'.", ruleNumber,
                egress ? "egress" : "ingress", acl.id());
    }

    /**
     * AWS counts entries per direction and separately for IPv4 and IPv6, leaving out the catch-all entries.
     */
    private static void checkQuota(List<NetworkAcl.Entry> entries, NetworkAcl.Entry changed, Quotas quotas) {
        boolean v6 = changed.ipv6();
        long count = entries.stream().filter(e -> e.egress() == changed.egress() && e.ruleNumber() <= MAX_RULE_NUMBER
                && e.ipv6() == v6).count();
        if (count > quotas.entriesPerNetworkAcl()) {
            throw ErrorCode.NETWORK_ACL_ENTRY_LIMIT_EXCEEDED.format(
                    "The maximum number of %s %s entries (%d) for this network ACL has been reached.",
                    v6 ? "IPv6" : "IPv4", changed.egress() ? "egress" : "ingress", quotas.entriesPerNetworkAcl());
        }
    }
}
