package dev.underpass.reach;

import dev.underpass.model.ec2.NetworkAcl;
import dev.underpass.model.ec2.RouteTable;
import dev.underpass.model.AwsNamed;
import java.util.List;
import java.util.Locale;

/**
 * One reason the path is blocked. {@code code} is AWS's {@code ExplanationCode} where AWS has one (see
 * docs/trace.md for the list underpass produces); {@code direction} is {@code egress} or {@code ingress} for rules
 * (null otherwise); {@code path} is {@code forward} or {@code return}; each prints as that name. {@code message} is one sentence naming the
 * resource, {@code fix} one sentence saying what change would clear it. {@code named} holds the resources and
 * values the blocker names, structured (AWS's Explanation members); never null.
 */
public record Blocker(String code, String component, Direction direction, Path path, String message, String fix,
        Named named) {
    public Blocker {
        named = named == null ? Named.NONE : named;
    }

    public Blocker(String code, String component, Direction direction, Path path, String message, String fix) {
        this(code, component, direction, path, message, fix, Named.NONE);
    }

    /** Which way a rule filters, by AWS's names (an Explanation's {@code Direction}). */
    public enum Direction implements AwsNamed {
        INGRESS,
        EGRESS;

        /** AWS's name, as the API writes it and messages quote it. */
        @Override
        public String toString() {
            return Spelling.KEBAB.of(this);
        }

        public static Direction of(boolean egress) {
            return egress ? EGRESS : INGRESS;
        }
    }

    /** Which leg of the flow a blocker is on: the request's way out, or the reply's way back. */
    public enum Path {
        FORWARD,
        RETURN;

        /** The name the trace output and {@link #key} use: {@code forward}, {@code return}. */
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whether this blocker stops the request as it leaves its source: an egress rule on the forward path. */
    public boolean atSourceEgress() {
        return direction == Direction.EGRESS && path == Path.FORWARD;
    }

    /** The identity two analyses are compared by: what blocks where, not how it is worded. */
    public String key() {
        return code + " " + component + " " + direction + " " + path;
    }

    /**
     * What a blocker names besides its component; any member may be null (lists empty). {@code aclRule} is the
     * entry that denied (null for the implicit deny), {@code route} the route that matched in {@code routeTable},
     * {@code networkInterfaceId} the interface whose security groups block, {@code vpcs} the two VPCs a peering
     * connection joins on the flow's way (and the destination side's blocks).
     */
    public record Named(String vpcId, String subnetId, List<String> securityGroupIds, String aclId,
            NetworkAcl.Entry aclRule, String routeTableId, RouteTable.Route route, String loadBalancerArn,
            Integer listenerPort, String targetGroupArn, Integer port, String protocol, List<String> addresses,
            String state, String networkInterfaceId, Vpcs vpcs) {
        public static final Named NONE = new Named(null, null, List.of(), null, null, null, null, null, null, null,
                null, null, List.of(), null, null, null);

        public Named {
            securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
            addresses = addresses == null ? List.of() : List.copyOf(addresses);
        }

        public Named in(String vpc, String subnet) {
            return new Named(vpc, subnet, securityGroupIds, aclId, aclRule, routeTableId, route, loadBalancerArn,
                    listenerPort, targetGroupArn, port, protocol, addresses, state, networkInterfaceId, vpcs);
        }

        public Named groups(List<String> ids) {
            return new Named(vpcId, subnetId, ids, aclId, aclRule, routeTableId, route, loadBalancerArn, listenerPort,
                    targetGroupArn, port, protocol, addresses, state, networkInterfaceId, vpcs);
        }

        public Named acl(String id, NetworkAcl.Entry rule) {
            return new Named(vpcId, subnetId, securityGroupIds, id, rule, routeTableId, route, loadBalancerArn,
                    listenerPort, targetGroupArn, port, protocol, addresses, state, networkInterfaceId, vpcs);
        }

        public Named route(String tableId, RouteTable.Route r) {
            return new Named(vpcId, subnetId, securityGroupIds, aclId, aclRule, tableId, r, loadBalancerArn,
                    listenerPort, targetGroupArn, port, protocol, addresses, state, networkInterfaceId, vpcs);
        }

        public Named loadBalancer(String arn, Integer listener, String targetGroup) {
            return new Named(vpcId, subnetId, securityGroupIds, aclId, aclRule, routeTableId, route, arn, listener,
                    targetGroup, port, protocol, addresses, state, networkInterfaceId, vpcs);
        }

        public Named flow(Integer p, String proto, List<String> addrs) {
            return new Named(vpcId, subnetId, securityGroupIds, aclId, aclRule, routeTableId, route, loadBalancerArn,
                    listenerPort, targetGroupArn, p, proto, addrs, state, networkInterfaceId, vpcs);
        }

        public Named state(String s) {
            return new Named(vpcId, subnetId, securityGroupIds, aclId, aclRule, routeTableId, route, loadBalancerArn,
                    listenerPort, targetGroupArn, port, protocol, addresses, s, networkInterfaceId, vpcs);
        }

        public Named networkInterface(String id) {
            return new Named(vpcId, subnetId, securityGroupIds, aclId, aclRule, routeTableId, route, loadBalancerArn,
                    listenerPort, targetGroupArn, port, protocol, addresses, state, id, vpcs);
        }

        public Named between(String source, String destination, List<String> destinationCidrs) {
            return new Named(vpcId, subnetId, securityGroupIds, aclId, aclRule, routeTableId, route, loadBalancerArn,
                    listenerPort, targetGroupArn, port, protocol, addresses, state, networkInterfaceId,
                    new Vpcs(source, destination, destinationCidrs));
        }
    }

    /** The VPC a flow leaves and the one it enters (through a peering connection), with the latter's blocks. */
    public record Vpcs(String sourceVpcId, String destinationVpcId, List<String> destinationCidrs) {
        public Vpcs {
            destinationCidrs = destinationCidrs == null ? List.of() : List.copyOf(destinationCidrs);
        }
    }
}
