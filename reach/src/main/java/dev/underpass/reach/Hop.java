package dev.underpass.reach;

import dev.underpass.model.ec2.NetworkAcl;
import dev.underpass.model.ec2.RouteTable;
import dev.underpass.model.ec2.SecurityGroup;
import java.util.Locale;

/**
 * One step of a path: the component ({@code eni-…}, {@code sg-…}, {@code acl-…}, {@code rtb-…}, {@code pcx-…},
 * {@code vpce-…}, a load balancer ARN, …), its type, what was checked there and the rule or route that matched
 * ({@code null} when nothing matched, in which case a {@link Blocker} says so), and {@code detail}: the structured
 * form of the same (which rule or route was used, the VPC and subnet of the component, the packet as it leaves or
 * arrives), which the Network Insights API renders as AWS's PathComponent members. {@code detail} is never null.
 */
public record Hop(int sequence, String component, Kind type, String check, String matched, Detail detail) {
    public Hop {
        detail = detail == null ? Detail.NONE : detail;
    }

    /** A hop with no structured detail. */
    public Hop(int sequence, String component, Kind type, String check, String matched) {
        this(sequence, component, type, check, matched, Detail.NONE);
    }

    /** What a hop's component is; each prints as its kebab-case name ({@code vpc-endpoint-service}). */
    public enum Kind {
        ADDRESS,
        AWS_SERVICE,
        INTERNET_GATEWAY,
        LISTENER,
        LOAD_BALANCER,
        NAT_GATEWAY,
        NETWORK_ACL,
        NETWORK_INTERFACE,
        POLICY,
        ROUTE_TABLE,
        SECURITY_GROUP,
        TARGET,
        TARGET_GROUP,
        VPC_ENDPOINT,
        VPC_ENDPOINT_SERVICE,
        VPC_PEERING_CONNECTION;

        private final String name = name().toLowerCase(Locale.ROOT).replace('_', '-');

        @Override
        public String toString() {
            return name;
        }

        /** Whether the component is an AWS resource with an id or ARN (not an address, a service name or a policy). */
        public boolean isResource() {
            return this != ADDRESS && this != AWS_SERVICE && this != POLICY;
        }
    }

    /** The rule or route a hop used. */
    public sealed interface Used {}

    /** A network ACL entry that decided the packet (allow or deny). */
    public record AclRuleUsed(NetworkAcl.Entry entry) implements Used {}

    /** A security group rule that admitted the packet, with the group it belongs to. */
    public record SgRuleUsed(String groupId, SecurityGroup.Rule rule) implements Used {}

    /** The route that matched (longest prefix), with the block that contained the address. */
    public record RouteUsed(RouteTable.Route route, String matchedCidr) implements Used {}

    /** The packet at a component: addresses, ports ({@code null} for the client's ephemeral range), protocol. */
    public record Header(String sourceAddress, String destinationAddress, Integer sourcePort,
            Integer destinationPort, String protocol) {}

    /**
     * The structured detail of a hop; any member may be null. {@code sourceVpcId}/{@code destinationVpcId} are set
     * on components that join two VPCs (peering connections); {@code outbound}/{@code inbound} on the interfaces a
     * packet leaves or arrives at.
     */
    public record Detail(String vpcId, String subnetId, String sourceVpcId, String destinationVpcId, Used used,
            Header outbound, Header inbound) {
        public static final Detail NONE = new Detail(null, null, null, null, null, null, null);

        public static Detail in(String vpcId, String subnetId) {
            return new Detail(vpcId, subnetId, null, null, null, null, null);
        }

        public Detail used(Used u) {
            return new Detail(vpcId, subnetId, sourceVpcId, destinationVpcId, u, outbound, inbound);
        }

        public Detail between(String source, String destination) {
            return new Detail(vpcId, subnetId, source, destination, used, outbound, inbound);
        }

        public Detail outbound(Header h) {
            return new Detail(vpcId, subnetId, sourceVpcId, destinationVpcId, used, h, inbound);
        }

        public Detail inbound(Header h) {
            return new Detail(vpcId, subnetId, sourceVpcId, destinationVpcId, used, outbound, h);
        }
    }
}
