package dev.underpass.reach;

import dev.underpass.model.ec2.NetworkAcl;
import dev.underpass.model.ec2.VpcEndpoint;
import dev.underpass.model.net.Ipv4;
import java.util.List;
import java.util.Locale;
/**
 * One leg of a path (a sender to a receiver: security groups, network ACLs where a subnet boundary is crossed,
 * routes) and its reply, for one {@link Walk}; and the path to an address outside every VPC.
 */
final class Legs {
    private final Walk w;
    private final Query q;
    private final Filters filters;
    private final Routing routing;

    Legs(Walk w, Filters filters, Routing routing) {
        this.w = w;
        this.q = w.q;
        this.filters = filters;
        this.routing = routing;
    }

    /** The forward checks from {@code from} to {@code to}; the reply is checked after every forward leg. */
    void leg(Node from, Node to, int dstIp, int port) {
        w.hop(from.component(), from.type(), "sends " + q.protocol().toUpperCase(Locale.ROOT) + " " + port + " to "
                + Ipv4.format(dstIp) + " from " + from.ipText(), null,
                Walk.at(from).outbound(
                        new Hop.Header(from.ipText(), Ipv4.format(dstIp), null, port, q.protocol())));
        filters.securityGroups(from, true, to, dstIp, port);
        boolean crosses = !from.subnet().id().equals(to.subnet().id());
        if (crosses) {
            filters.acl(from.subnet(), true, dstIp, port);
        }
        routing.route(from, dstIp, to, 0);
        if (crosses) {
            filters.acl(to.subnet(), false, from.ip(), port);
        }
        filters.securityGroups(to, false, from, from.ip(), port);
        w.hop(to.component(), to.type(), "receives on " + to.ipText() + ":" + port, null, Walk.at(to).inbound(
                new Hop.Header(from.ipText(), to.ipText(), null, port, q.protocol())));
        w.instanceState(to);
        w.legs.add(new Node[] {from, to});
        w.legPorts.add(port);
    }

    void returnLeg(Node from, Node to, int port) {
        w.hop(to.component(), to.type(), "replies to " + from.ipText() + " (security groups are stateful)", null,
                Walk.at(to).outbound(new Hop.Header(to.ipText(), from.ipText(), port, null, q.protocol())));
        if (!from.subnet().id().equals(to.subnet().id())) {
            filters.ephemeral(to.subnet(), to.ip(), from.subnet(), from.ip());
        }
        routing.route(to, from.ip(), from, 0);
        w.hop(from.component(), from.type(), "receives the reply", null, Walk.at(from).inbound(
                new Hop.Header(to.ipText(), from.ipText(), port, null, q.protocol())));
    }

    /** To an address outside every VPC (the internet) or an AWS service behind a gateway endpoint. */
    void external(Node from, int dstIp, VpcEndpoint gatewayEndpoint) {
        w.hop(from.component(), from.type(), "sends " + q.protocol().toUpperCase(Locale.ROOT) + " " + q.port()
                + " to " + Ipv4.format(dstIp) + " from " + from.ipText(), null);
        filters.securityGroups(from, true, null, dstIp, q.port());
        filters.acl(from.subnet(), true, dstIp, q.port());
        routing.route(from, dstIp, null, 0);
        w.returning = true;
        w.hop(Ipv4.format(dstIp), gatewayEndpoint != null ? Hop.Kind.AWS_SERVICE : Hop.Kind.ADDRESS, "replies to "
                + from.ipText(), null);
        List<int[]> in = filters.allowedEphemeral(w.aclOf(from.subnet()), false, dstIp);
        if (in.isEmpty()) {
            NetworkAcl acl = w.aclOf(from.subnet());
            filters.blockAclReply(acl, from.subnet(), false, dstIp);
        } else {
            NetworkAcl acl = w.aclOf(from.subnet());
            w.hop(acl == null ? from.subnet().id() : acl.id(), Hop.Kind.NETWORK_ACL, "ingress of the reply to an "
                    + "ephemeral port", "ports " + Filters.ranges(in));
        }
        w.hop(from.component(), from.type(), "receives the reply", null);
        w.returning = false;
    }
}
