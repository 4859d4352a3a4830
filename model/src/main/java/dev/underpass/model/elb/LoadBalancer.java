package dev.underpass.model.elb;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.AwsNamed;
import dev.underpass.model.Resource;
import dev.underpass.model.ec2.NetworkInterfaceId;
import dev.underpass.model.ec2.SecurityGroupId;
import dev.underpass.model.ec2.SubnetId;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.Tags;
import dev.underpass.model.ec2.EndpointService;
import dev.underpass.model.ec2.ServiceLoadBalancer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An Elastic Load Balancing v2 load balancer of type {@code network} or {@code application}. Its id is its ARN
 * ({@code arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/<net|app>/<name>/<16 hex>}), so that ids
 * order by name and the ARN is the key every ELBv2 call uses. In each enabled Availability Zone it has one requester-managed
 * network interface in the chosen subnet. The state is derived from {@code createdAt}: {@code provisioning}, then
 * {@code active} once the configured provisioning time has passed (none by default).
 */
public record LoadBalancer(
        String id,
        String ownerId,
        String region,
        String name,
        Type type,
        Scheme scheme,
        VpcId vpcId,
        IpAddressType ipAddressType,
        List<Zone> zones,
        List<SecurityGroupId> securityGroups,
        Map<String, String> attributes,
        Instant createdAt,
        Map<String, String> tags,
        CapacityReservation capacity)
        implements ServiceLoadBalancer {

    /** The kinds of load balancer, by the API's names in its order; underpass makes the first two. */
    public enum Type implements AwsNamed {
        APPLICATION,
        NETWORK,
        GATEWAY;

        /** AWS's name, as the API and the store write it and messages quote it. */
        @JsonValue
        @Override
        public String toString() {
            return Spelling.KEBAB.of(this);
        }

        /** The ARN's short form: {@code app}, {@code net}, {@code gwy}. */
        public String arnPrefix() {
            return switch (this) {
                case APPLICATION -> "app";
                case NETWORK -> "net";
                case GATEWAY -> "gwy";
            };
        }
    }

    /** Whether the load balancer's nodes have public addresses, by the API's names in its order. */
    public enum Scheme implements AwsNamed {
        INTERNET_FACING,
        INTERNAL;

        /** AWS's name, as the API and the store write it and messages quote it. */
        @JsonValue
        @Override
        public String toString() {
            return Spelling.KEBAB.of(this);
        }
    }

    /**
     * Which address families the load balancer's nodes answer on, by the API's names in its order: IPv4 only, IPv4
     * and IPv6, or IPv6 publicly with IPv4 kept private (internet-facing only).
     */
    public enum IpAddressType implements AwsNamed {
        IPV4,
        DUALSTACK,
        DUALSTACK_WITHOUT_PUBLIC_IPV4;

        /** AWS's name, as the API and the store write it and messages quote it. */
        @JsonValue
        @Override
        public String toString() {
            return Spelling.KEBAB.of(this);
        }
    }

    /**
     * A load balancer's state, by AWS's names. It is not stored: {@link #state} derives it from the creation time
     * (underpass never impairs or fails a load balancer, so the last two are named for completeness).
     */
    public enum State implements AwsNamed {
        PROVISIONING,
        ACTIVE,
        ACTIVE_IMPAIRED,
        FAILED;

        /** AWS's name, as the API and the store write it and messages quote it. */
        @JsonValue
        @Override
        public String toString() {
            return Spelling.SNAKE.of(this);
        }
    }

    /**
     * One enabled Availability Zone: the subnet, the zone by name and id, and the load balancer's interface there.
     * {@code addressRequested} records whether the caller chose the private address (AWS only lists the address
     * in {@code LoadBalancerAddresses} then).
     */
    public record Zone(SubnetId subnetId, String zoneName, String zoneId, NetworkInterfaceId networkInterfaceId,
            String privateIp,
            boolean addressRequested) {}

    /**
     * A load balancer's LCU reservation ({@link CapacityReservations} has the rules): the reserved minimum in
     * capacity units (0 once reset), when it was last requested, and when it was lowered (two decreases a day).
     */
    public record CapacityReservation(int units, Instant modifiedAt, List<Instant> decreases) {
        public CapacityReservation {
            decreases = List.copyOf(decreases);
        }
    }

    /** A load balancer that never had a capacity reservation. */
    public LoadBalancer(String id, String ownerId, String region, String name, Type type, Scheme scheme,
            VpcId vpcId, IpAddressType ipAddressType, List<Zone> zones, List<SecurityGroupId> securityGroups,
            Map<String, String> attributes, Instant createdAt, Map<String, String> tags) {
        this(id, ownerId, region, name, type, scheme, vpcId, ipAddressType, zones, securityGroups, attributes,
                createdAt, tags, null);
    }

    public LoadBalancer {
        zones = List.copyOf(zones);
        securityGroups = List.copyOf(securityGroups);
        attributes = Tags.copy(attributes);
        tags = Tags.copy(tags);
    }

    public String arn() {
        return id;
    }

    /** The 16 hex digits that end the ARN. */
    public String lbId() {
        return id.substring(id.lastIndexOf('/') + 1);
    }

    /** {@code net/<name>/<16 hex>}, the part of the ARN after {@code loadbalancer/}. */
    public String resourcePath() {
        return id.substring(id.indexOf(":loadbalancer/") + ":loadbalancer/".length());
    }

    /**
     * NLB DNS names carry no {@code internal-} prefix and end in the hex id ({@code name-<hex>.elb.<region>…});
     * Application Load Balancers' are {@code [internal-]name-<10 digits>.<region>.elb.amazonaws.com}, as in AWS's
     * examples ({@code internal-my-internal-load-balancer-1529930873.us-west-2.elb.amazonaws.com}).
     */
    public String dnsName() {
        if (isApplication()) {
            long number = Long.parseUnsignedLong(lbId().substring(0, 12), 16) % 9_000_000_000L + 1_000_000_000L;
            return (scheme == Scheme.INTERNAL ? "internal-" : "") + name + "-" + number + "." + region
                    + ".elb.amazonaws.com";
        }
        return name + "-" + lbId() + ".elb." + region + ".amazonaws.com";
    }

    public boolean isApplication() {
        return type == Type.APPLICATION;
    }

    public State state(Instant now, Duration provisioning) {
        return now.isBefore(createdAt.plus(provisioning)) ? State.PROVISIONING : State.ACTIVE;
    }

    public List<String> zoneIds() {
        return zones.stream().map(Zone::zoneId).toList();
    }

    public List<String> zoneNames() {
        return zones.stream().map(Zone::zoneName).toList();
    }

    public boolean attributeTrue(String key) {
        return "true".equals(attributes.get(key));
    }

    /** The ARN, typed. */
    public LoadBalancerArn loadBalancerArn() {
        return new LoadBalancerArn(id);
    }

    @Override
    public LoadBalancer withTags(Map<String, String> tags) {
        return new LoadBalancer(id, ownerId, region, name, type, scheme, vpcId, ipAddressType, zones, securityGroups,
                attributes, createdAt, tags, capacity);
    }

    public LoadBalancer withAttributes(Map<String, String> newAttributes) {
        return new LoadBalancer(id, ownerId, region, name, type, scheme, vpcId, ipAddressType, zones, securityGroups,
                newAttributes, createdAt, tags, capacity);
    }

    public LoadBalancer withSecurityGroups(List<SecurityGroupId> newGroups) {
        return new LoadBalancer(id, ownerId, region, name, type, scheme, vpcId, ipAddressType, zones, newGroups,
                attributes, createdAt, tags, capacity);
    }

    public LoadBalancer withIpAddressType(IpAddressType newType) {
        return new LoadBalancer(id, ownerId, region, name, type, scheme, vpcId, newType, zones, securityGroups,
                attributes, createdAt, tags, capacity);
    }

    public LoadBalancer withZones(List<Zone> newZones) {
        return new LoadBalancer(id, ownerId, region, name, type, scheme, vpcId, ipAddressType, newZones,
                securityGroups, attributes, createdAt, tags, capacity);
    }

    public LoadBalancer withCapacity(CapacityReservation newCapacity) {
        return new LoadBalancer(id, ownerId, region, name, type, scheme, vpcId, ipAddressType, zones, securityGroups,
                attributes, createdAt, tags, newCapacity);
    }

    @Override
    public String resourceType() {
        return "load-balancer";
    }

    @Override
    public List<EndpointService.Zone> serviceZones() {
        return zones.stream().map(z -> new EndpointService.Zone(z.zoneName(), z.zoneId())).toList();
    }
}
