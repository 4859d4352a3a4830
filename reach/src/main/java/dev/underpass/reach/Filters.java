package dev.underpass.reach;

import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.World;
import dev.underpass.model.ec2.NetworkAcl;
import dev.underpass.model.ec2.SecurityGroup;
import dev.underpass.model.ec2.SecurityGroupId;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.net.Ipv4;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
/**
 * Security groups (stateful, checked on the forward path only) and network ACLs (stateless: the forward packet, and
 * the reply to the client's ephemeral ports) for one {@link Walk}.
 */
final class Filters {
    /** The ephemeral ports a client's replies come back to (the union of common OS ranges). */
    static final int EPHEMERAL_FROM = 1024;
    static final int EPHEMERAL_TO = 65535;

    private final Walk w;
    private final World world;
    private final Query q;

    Filters(Walk w) {
        this.w = w;
        this.world = w.world;
        this.q = w.q;
    }

    void securityGroups(Node node, boolean egress, Node peer, int peerIp, int port) {
        if (node.groups().isEmpty()) {
            return; // a load balancer without security groups admits and sends everything
        }
        List<SecurityGroup> groups = new ArrayList<>();
        for (SecurityGroupId id : node.groups()) {
            world.find(SecurityGroup.class, id).ifPresent(groups::add);
        }
        boolean anyRules = false;
        for (SecurityGroup g : groups) {
            for (SecurityGroup.Rule r : g.rules()) {
                if (r.egress() != egress) {
                    continue;
                }
                anyRules = true;
                if (Rules.sgMatches(r, q.ipProtocol(), port, peerIp, peer == null ? List.of() : peer.groups(),
                        w::prefixListCidrs)) {
                    w.hop(g.id(), Hop.Kind.SECURITY_GROUP, (egress ? "egress" : "ingress") + " of " + node.component(),
                            Rules.describe(r), Walk.at(node).used(new Hop.SgRuleUsed(g.id(), r)));
                    return;
                }
            }
        }
        String first = groups.isEmpty() ? node.groups().get(0).value() : groups.get(0).id();
        Blocker.Direction dir = Blocker.Direction.of(egress);
        String proto = q.protocol().toUpperCase(Locale.ROOT);
        String names = String.join(", ", SecurityGroupId.texts(node.groups()));
        String peerText = peer == null ? Ipv4.format(peerIp) : peer.ipText() + " (" + peer.component() + ")";
        String wider = peer == null ? Ipv4.format(peerIp) + "/32" : peer.vpc().cidrBlock();
        w.hop(first, Hop.Kind.SECURITY_GROUP, dir + " of " + node.component(), null, Walk.at(node));
        w.block(anyRules ? "ENI_SG_RULES_MISMATCH" : "SG_HAS_NO_RULES", first, dir,
                names + " (" + node.component() + ") " + (node.groups().size() == 1 ? (anyRules ? "allows" : "has")
                        : (anyRules ? "allow" : "have")) + " no "
                        + (egress ? "outbound " : "inbound ") + (anyRules ? proto + " " + port + (egress ? " to "
                                : " from ") + peerText : "rules")
                        + ".",
                "Add an " + (egress ? "outbound" : "inbound") + " rule to " + first + " for " + proto + " " + port
                        + (egress ? " to " : " from ") + wider + ".",
                Walk.named(node).groups(SecurityGroupId.texts(node.groups()))
                        .networkInterface(node.eni() == null ? null : node.component())
                        .flow(port, q.protocol(), List.of(Ipv4.format(peerIp))));
    }

    void acl(Subnet subnet, boolean egress, int peerIp, int port) {
        NetworkAcl acl = w.aclOf(subnet);
        if (acl == null) {
            return;
        }
        Blocker.Direction dir = Blocker.Direction.of(egress);
        NetworkAcl.Entry e = Rules.firstAclMatch(acl, egress, q.ipProtocol(), peerIp, port);
        w.hop(acl.id(), Hop.Kind.NETWORK_ACL, dir + " of " + subnet.id(), e == null ? null : Rules.describe(e),
                Hop.Detail.in(VpcId.text(subnet.vpcId()), subnet.id()).used(e == null ? null : new Hop.AclRuleUsed(e)));
        if (e == null || !e.allow()) {
            String proto = q.protocol().toUpperCase(Locale.ROOT);
            w.block("SUBNET_ACL_RESTRICTION", acl.id(), dir, acl.id() + " (subnet " + subnet.id() + ") denies "
                    + (egress ? "outbound " : "inbound ") + proto + " " + port + (egress ? " to " : " from ")
                    + Ipv4.format(peerIp) + (e == null ? " (no entry matches)" : " by rule " + e.ruleNumber()) + ".",
                    "Add an " + (egress ? "outbound" : "inbound") + " allow entry to " + acl.id() + " for " + proto
                            + " " + port + (egress ? " to " : " from ") + Ipv4.format(peerIp) + "/32, numbered "
                            + "below " + (e == null ? 32767 : e.ruleNumber()) + ".",
                    Walk.named(subnet).acl(acl.id(), e)
                            .flow(port, q.protocol(), List.of(Ipv4.format(peerIp))));
        }
    }

    List<int[]> allowedEphemeral(NetworkAcl acl, boolean egress, int peerIp) {
        if (acl == null) {
            return List.of(new int[] {EPHEMERAL_FROM, EPHEMERAL_TO});
        }
        return Rules.allowedPorts(acl, egress, q.ipProtocol(), peerIp, EPHEMERAL_FROM, EPHEMERAL_TO);
    }

    /** The reply from {@code respIp} in {@code respSubnet} to the client's ephemeral port. */
    void ephemeral(Subnet respSubnet, int respIp, Subnet clientSubnet, int clientIp) {
        NetworkAcl out = w.aclOf(respSubnet);
        NetworkAcl in = w.aclOf(clientSubnet);
        List<int[]> a = allowedEphemeral(out, true, clientIp);
        List<int[]> b = allowedEphemeral(in, false, respIp);
        List<int[]> both = Rules.intersect(a, b);
        if (out != null) {
            w.hop(out.id(), Hop.Kind.NETWORK_ACL, "egress of the reply from " + respSubnet.id() + " to ephemeral ports",
                    a.isEmpty() ? null : "ports " + ranges(a));
        }
        if (in != null) {
            w.hop(in.id(), Hop.Kind.NETWORK_ACL,
                    "ingress of the reply into " + clientSubnet.id() + " on ephemeral ports",
                    b.isEmpty() ? null : "ports " + ranges(b));
        }
        if (!both.isEmpty()) {
            return;
        }
        boolean blameOut = a.isEmpty() || !b.isEmpty();
        boolean blameIn = b.isEmpty() || !a.isEmpty();
        if (blameOut && out != null) {
            blockAclReply(out, respSubnet, true, clientIp);
        }
        if (blameIn && in != null) {
            blockAclReply(in, clientSubnet, false, respIp);
        }
    }

    void blockAclReply(NetworkAcl acl, Subnet subnet, boolean egress, int peerIp) {
        if (acl == null) {
            return;
        }
        String proto = q.protocol().toUpperCase(Locale.ROOT);
        Blocker.Direction dir = Blocker.Direction.of(egress);
        w.block("SUBNET_ACL_RESTRICTION", acl.id(), dir, acl.id() + " (subnet " + subnet.id() + ") lets no reply "
                + (egress ? "out to " : "in from ") + Ipv4.format(peerIp) + " on the ephemeral ports "
                + EPHEMERAL_FROM + "-" + EPHEMERAL_TO + " that the other side's network ACL admits.",
                "Add an " + (egress ? "outbound" : "inbound") + " allow entry to " + acl.id() + " for " + proto
                        + " 1024-65535 " + (egress ? "to " : "from ") + Ipv4.format(peerIp) + "/32.",
                Walk.named(subnet).acl(acl.id(), null).flow(null, q.protocol(), List.of(Ipv4.format(peerIp))));
    }

    static String ranges(List<int[]> rs) {
        StringBuilder b = new StringBuilder();
        for (int[] r : rs) {
            if (!b.isEmpty()) {
                b.append(',');
            }
            b.append(r[0]).append('-').append(r[1]);
        }
        return b.toString();
    }
}
