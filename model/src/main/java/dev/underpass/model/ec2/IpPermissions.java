package dev.underpass.model.ec2;

import dev.underpass.model.Caller;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.World;
import dev.underpass.model.net.Cidr;
import dev.underpass.model.net.IpProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * IpPermissions as a client sends them, and their validation into stored rules: protocol names and numbers, port
 * and ICMP type/code ranges, canonical CIDR blocks, prefix lists, and references to groups of this or another
 * account. Follows <a href="https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html">Security
 * group rules</a>. Authorize, revoke, modify and update-descriptions all read permissions the same way, so this
 * normalisation is one class that {@link SecurityGroupRules} calls.
 */
public final class IpPermissions {
    private IpPermissions() {}

    /**
     * One source or destination of a permission as a client sends it: exactly one of an IPv4 block, an IPv6 block,
     * a prefix list, or a group (by id, or by name in the group's own VPC; {@code userId} names the group's account
     * when it is another account's).
     */
    public record Peer(String cidrIpv4, String cidrIpv6, String prefixListId, String groupId, String groupName,
            String userId, String description) {}

    /** One IpPermission: a protocol, a port (or ICMP type/code) range, and its peers. */
    public record Permission(String protocol, Integer fromPort, Integer toPort, List<Peer> peers) {
        public Permission {
            peers = List.copyOf(peers);
        }
    }

    /**
     * Validates and normalises permissions into one rule per peer (ids not yet assigned). With
     * {@code requireReferencedGroups}, a group of the caller's account that a rule references must exist; another
     * account's group is taken as given, since the caller cannot see it.
     */
    static List<SecurityGroup.Rule> expand(World world, Caller caller, SecurityGroup group, boolean egress,
            List<Permission> permissions, boolean requireReferencedGroups) {
        List<SecurityGroup.Rule> out = new ArrayList<>();
        for (Permission p : permissions) {
            IpProtocol protocol = protocol(p.protocol());
            int[] ports = ports(protocol, p.fromPort(), p.toPort());
            for (Peer peer : p.peers()) {
                checkDescription(peer.description());
                int sources = (peer.cidrIpv4() != null ? 1 : 0) + (peer.cidrIpv6() != null ? 1 : 0)
                        + (peer.prefixListId() != null ? 1 : 0)
                        + (peer.groupId() != null || peer.groupName() != null ? 1 : 0);
                if (sources != 1) {
                    throw ErrorCode.INVALID_PARAMETER_VALUE.with("Each rule must name exactly one source or "
                            + "destination: a CIDR block, an IPv6 CIDR block, a prefix list or a security group.");
                }
                RulePeer typed;
                if (peer.cidrIpv4() != null) {
                    Cidr v4 = RuleCidrs.ipv4(peer.cidrIpv4());
                    if (v4 == null) {
                        throw ErrorCode.INVALID_PARAMETER_VALUE.format("CIDR block %s is malformed", peer.cidrIpv4());
                    }
                    typed = new AddressSet.Ipv4(v4);
                } else if (peer.cidrIpv6() != null) {
                    String v6 = RuleCidrs.ipv6(peer.cidrIpv6());
                    if (v6 == null) {
                        throw ErrorCode.INVALID_PARAMETER_VALUE.format("CIDR block %s is malformed", peer.cidrIpv6());
                    }
                    typed = new AddressSet.Ipv6(v6);
                } else if (peer.prefixListId() != null) {
                    if (!Ids.wellFormed("pl", peer.prefixListId())) {
                        throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                                "The prefix list ID '%s' is malformed", peer.prefixListId());
                    }
                    PrefixListId listId = new PrefixListId(peer.prefixListId());
                    if (!PrefixLists.exists(world, caller, listId)) {
                        throw ErrorCode.INVALID_PREFIX_LIST_ID_NOT_FOUND.format(
                                "The prefix list '%s' does not exist.", listId);
                    }
                    typed = new AddressSet.PrefixList(listId);
                } else {
                    boolean otherAccount = peer.userId() != null && !peer.userId().isEmpty()
                            && !peer.userId().equals(caller.accountId());
                    if (otherAccount) {
                        if (!peer.userId().matches("[0-9]{12}")) {
                            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                                    "Invalid value '%s' for userId. It must be a 12-digit account id.", peer.userId());
                        }
                        if (peer.groupId() == null) {
                            throw ErrorCode.MISSING_PARAMETER.with("A security group of another account must be "
                                    + "given by GroupId (with UserId); GroupName only finds your own groups.");
                        }
                        typed = new RulePeer.Group(
                                SecurityGroupId
                                        .of(Ids.require("sg", peer.groupId(), ErrorCode.INVALID_GROUP_ID_MALFORMED)),
                                peer.userId());
                    } else {
                        typed = new RulePeer.Group(SecurityGroupId.of(referencedOwnGroup(world, caller, group, peer,
                                requireReferencedGroups)), caller.accountId());
                    }
                }
                out.add(new SecurityGroup.Rule(null, egress, protocol, ports[0], ports[1], typed,
                        emptyToNull(peer.description())));
            }
        }
        return out;
    }

    private static String referencedOwnGroup(World world, Caller caller, SecurityGroup group, Peer peer,
            boolean mustExist) {
        if (peer.groupId() != null) {
            if (!mustExist) {
                return Ids.require("sg", peer.groupId(), ErrorCode.INVALID_GROUP_ID_MALFORMED);
            }
            return Lookup.require(world, caller, Kind.SECURITY_GROUP, SecurityGroup.class, peer.groupId()).id();
        }
        // By name: the group's own VPC, the only place a name is unambiguous.
        return Scoped.inVpc(world, SecurityGroup.class, group.vpcId(),
                g -> g.groupName().equals(peer.groupName()) && Visibility.owns(caller, g)).stream()
                .findFirst().map(SecurityGroup::id)
                .orElseThrow(() -> ErrorCode.INVALID_GROUP_NOT_FOUND.format(
                        "The security group '%s' does not exist in VPC '%s'", peer.groupName(), group.vpcId()));
    }

    /**
     * The protocol a rule names: TCP, UDP, ICMP and ICMPv6 by name or number, {@code -1} or {@code all} for all,
     * other protocols by number (stored by AWS's rule spelling, {@link IpProtocol#ruleName()}).
     */
    public static IpProtocol protocol(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw Ec2Errors.missingParameter("ipProtocol");
        }
        IpProtocol p = IpProtocol.parse(raw);
        if (p == null) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format("Invalid value '%s' for IP protocol. Unknown protocol.",
                    raw);
        }
        return p;
    }

    /** The (from, to) pair stored for a protocol: ports for TCP/UDP, type and code for ICMP, -1/-1 otherwise. */
    static int[] ports(IpProtocol protocol, Integer from, Integer to) {
        if (protocol.hasPorts()) {
            return portRange(from, to);
        }
        if (protocol.isIcmp()) {
            return icmpTypeAndCode(protocol, from, to);
        }
        // AWS ignores ports for all other protocols: the rule covers the whole protocol.
        return new int[] {-1, -1};
    }

    private static int[] portRange(Integer from, Integer to) {
        if (from == null || to == null) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.with(
                    "Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange.");
        }
        for (int port : new int[] {from, to}) {
            if (port < 0 || port > 65535) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format("TCP/UDP port (%d) out of range", port);
            }
        }
        if (from > to) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "Invalid TCP/UDP port range: from port %d is greater than to port %d", from, to);
        }
        return new int[] {from, to};
    }

    private static int[] icmpTypeAndCode(IpProtocol protocol, Integer type, Integer code) {
        if (type == null && code == null && protocol.equals(IpProtocol.ICMPV6)) {
            // ICMPv6 without a range means every type and code.
            return new int[] {-1, -1};
        }
        if (type == null || code == null) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.with(
                    "Invalid value 'Must specify both from and to ports with ICMP.' for portRange.");
        }
        if (type < -1 || type > 255) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format("ICMP type (%d) out of range", type);
        }
        if (code < -1 || code > 255) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format("ICMP code (%d) out of range", code);
        }
        if (type == -1 && code != -1) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "ICMP code (%d) out of range: with ICMP type -1 (all types) the code must be -1", code);
        }
        return new int[] {type, code};
    }

    /**
     * The rule as AWS quotes it in {@code InvalidPermission.Duplicate}:
     * {@code peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW}.
     */
    static String peerText(SecurityGroup.Rule r) {
        String peer = r.peer().text();
        IpProtocol protocol = r.protocol();
        String name = protocol.ruleName().toUpperCase(Locale.ROOT);
        String what = protocol.hasPorts() ? name + ", from port: " + r.fromPort() + ", to port: " + r.toPort()
                : protocol.isIcmp() ? name + ", type: " + r.fromPort() + ", code: " + r.toPort()
                : protocol.isAll() ? "ALL" : "protocol: " + protocol.ruleName();
        return "peer: " + peer + ", " + what + ", ALLOW";
    }

    static void checkDescription(String description) {
        if (description != null) {
            SecurityGroups.checkText(description, "description");
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
