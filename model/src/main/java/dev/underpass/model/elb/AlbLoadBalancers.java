package dev.underpass.model.elb;

import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.Tx;
import dev.underpass.model.ec2.SecurityGroup;
import dev.underpass.model.ec2.Subnet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What an Application Load Balancer needs beyond what every load balancer does: subnets in at least two
 * Availability Zones; one to five security groups of its VPC (the VPC's default security group when none is given,
 * as CreateLoadBalancer documents); no chosen private addresses or Elastic IPs; and an IP address type its subnets
 * and scheme allow ({@code dualstack} needs an IPv6 block on every subnet, {@code dualstack-without-public-ipv4} an
 * internet-facing load balancer).
 *
 * @see <a href="https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html">CreateLoadBalancer</a>
 */
public final class AlbLoadBalancers {
    public static final int MAX_SECURITY_GROUPS = 5;

    private AlbLoadBalancers() {}

    /** Subnets in at least two Availability Zones (the caller already refused two subnets in one zone). */
    public static void requireTwoZones(List<Subnet> subnets) {
        Set<String> zones = new HashSet<>();
        subnets.forEach(s -> zones.add(s.availabilityZone()));
        if (zones.size() < 2) {
            throw ElbError.VALIDATION_ERROR.with(
                    "At least two subnets in two different Availability Zones must be specified");
        }
    }

    /** The security groups an ALB gets: the ones asked for, checked, or the VPC's default group. */
    public static List<String> securityGroups(Tx tx, List<String> ids, VpcId vpcId) {
        if (ids == null || ids.isEmpty()) {
            // The VPC's default group is its owner's: a participant of a shared VPC names its own groups.
            List<String> defaults = tx.all(SecurityGroup.class, g -> g.vpcId().equals(vpcId) && g.isDefault()
                    && g.ownerId().equals(tx.caller().accountId())).stream().map(SecurityGroup::id).limit(1).toList();
            if (defaults.isEmpty()) {
                throw ElbError.INVALID_SECURITY_GROUP.format("VPC '%s' is shared with you: name one of your own "
                        + "security groups (its default group belongs to its owner)", vpcId);
            }
            return defaults;
        }
        List<String> out = ownGroupsIn(tx, ids, vpcId);
        if (out.size() > MAX_SECURITY_GROUPS) {
            throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                    "A load balancer can have at most %d security groups", MAX_SECURITY_GROUPS);
        }
        return out;
    }

    /**
     * The caller's own security groups named by {@code ids} (duplicates dropped, order kept), each of which must be
     * in {@code vpcId}: the check both load balancer types make of the groups a request names.
     */
    public static List<String> ownGroupsIn(Tx tx, List<String> ids, VpcId vpcId) {
        List<String> out = new ArrayList<>();
        for (String id : new LinkedHashSet<>(ids)) {
            SecurityGroup sg = tx.find(SecurityGroup.class, id)
                    .filter(g -> g.ownerId().equals(tx.caller().accountId())
                            && g.region().equals(tx.caller().region()))
                    .orElseThrow(() -> ElbError.INVALID_SECURITY_GROUP.format(
                            "One or more security groups are invalid: '%s' does not exist", id));
            if (!sg.vpcId().equals(vpcId)) {
                throw ElbError.INVALID_SECURITY_GROUP.format(
                        "Security group '%s' does not belong to VPC '%s'", id, vpcId);
            }
            out.add(id);
        }
        return out;
    }

    /** Checks an IP address type against the scheme and the subnets. */
    public static void requireIpAddressType(LoadBalancer.IpAddressType type, LoadBalancer.Scheme scheme,
            List<Subnet> subnets) {
        if (type == LoadBalancer.IpAddressType.IPV4) {
            return;
        }
        if (type == LoadBalancer.IpAddressType.DUALSTACK_WITHOUT_PUBLIC_IPV4
                && scheme == LoadBalancer.Scheme.INTERNAL) {
            throw ElbError.INVALID_CONFIGURATION_REQUEST.with(
                    "The IP address type 'dualstack-without-public-ipv4' is only valid for internet-facing"
                            + " load balancers");
        }
        for (Subnet s : subnets) {
            if (s.ipv6Associations().isEmpty()) {
                throw ElbError.INVALID_SUBNET.format(
                        "Subnet '%s' has no IPv6 CIDR block, required for IP address type '%s'", s.id(), type);
            }
        }
    }
}
