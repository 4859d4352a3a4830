package dev.underpass.model.ec2;

import dev.underpass.model.PolicyDocument;
import dev.underpass.model.AwsNamed;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.net.IpFamily;
import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A VPC endpoint ({@code vpce-…}) in a consumer VPC, to an AWS service or (later) to a customer endpoint service.
 *
 * <p>One record serves every type because AWS answers with one shape for all of them: a gateway endpoint fills
 * {@code routeTableIds}, an interface endpoint fills {@code subnetIds}, {@code networkInterfaceIds},
 * {@code groupIds} and {@code dnsEntries}. {@code serviceId} and {@code serviceOwner} are null for AWS services;
 * an endpoint to a customer service carries them so the provider side can find its connections, and starts in
 * {@code pendingAcceptance} when the service requires acceptance.
 *
 * <p>{@code state} is the state last stored and {@code stateChangedAt} when; a transitional {@code pending} is seen
 * as {@code available} once the configured delay has passed ({@link VpcEndpoints#observedState}).
 */
public record VpcEndpoint(
        String id,
        String ownerId,
        String region,
        VpcId vpcId,
        String serviceName,
        EndpointServiceId serviceId,
        String serviceOwner,
        Type type,
        State state,
        Instant stateChangedAt,
        PolicyDocument policyDocument,
        List<RouteTableId> routeTableIds,
        List<SubnetId> subnetIds,
        List<NetworkInterfaceId> networkInterfaceIds,
        List<SecurityGroupId> groupIds,
        boolean privateDnsEnabled,
        IpAddressType ipAddressType,
        DnsOptions dnsOptions,
        String dnsToken,
        String privateHostedZoneId,
        List<DnsEntry> dnsEntries,
        Instant createdAt,
        Map<String, String> tags)
        implements Resource {

    /** The endpoint's id, typed. */
    public VpcEndpointId vpcEndpointId() {
        return new VpcEndpointId(id);
    }

    /** The endpoint types underpass emulates, by AWS's names. */
    public enum Type implements AwsNamed {
        GATEWAY,
        INTERFACE;

        /** AWS's name, as the API and the store write it and messages quote it. */
        @JsonValue
        @Override
        public String toString() {
            return Spelling.PASCAL.of(this);
        }

        /** The constant AWS calls {@code name}, or null when there is none by that name. */
        public static Type fromWire(String name) {
            return AwsNamed.find(values(), name);
        }
    }

    /**
     * An endpoint's state, by AWS's names: an endpoint to a service that requires acceptance waits in
     * {@code pendingAcceptance}; an accepted or AWS-service endpoint goes {@code pending} → {@code available};
     * {@code rejected} when its owner refuses it, {@code deleting} → {@code deleted} as it goes.
     */
    public enum State implements AwsNamed {
        PENDING_ACCEPTANCE,
        PENDING,
        AVAILABLE,
        DELETING,
        DELETED,
        REJECTED;

        /** AWS's name, as the API and the store write it and messages quote it. */
        @JsonValue
        @Override
        public String toString() {
            return Spelling.CAMEL.of(this);
        }

        /** The constant AWS calls {@code name}, or null when there is none by that name. */
        public static State fromWire(String name) {
            return AwsNamed.find(values(), name);
        }
    }

    /**
     * What an endpoint connects to: a service AWS runs ({@code com.amazonaws.us-east-1.s3}), or a customer's
     * endpoint service ({@code vpce-svc-…}, PrivateLink), which has an owner who accepts or rejects the endpoint.
     * The record keeps AWS's flat fields ({@code serviceName}, {@code serviceId}, {@code serviceOwner}); this is
     * the view the rules and the engines switch over.
     */
    public sealed interface Target {
        /** The service's name, as the endpoint was created with it. */
        String serviceName();

        /** A service AWS runs: no owner to accept, no load balancer of the user's behind it. */
        record AwsService(String serviceName) implements Target {}

        /** A customer's endpoint service {@code serviceId}, owned by account {@code owner}. */
        record CustomerService(String serviceName, EndpointServiceId serviceId, String owner) implements Target {}
    }

    /**
     * Which address families an interface endpoint's network interfaces have, by the API's names in its order
     * (a gateway endpoint is {@code ipv4}).
     */
    public enum IpAddressType implements AwsNamed {
        IPV4,
        DUALSTACK,
        IPV6;

        /** AWS's name, as the API and the store write it and messages quote it. */
        @JsonValue
        @Override
        public String toString() {
            return Spelling.KEBAB.of(this);
        }

        /** The constant AWS calls {@code name}; any other name is refused with AWS's InvalidParameterValue. */
        public static IpAddressType parse(String name) {
            IpAddressType t = AwsNamed.find(values(), name);
            if (t == null) {
                throw Ec2Errors.invalidValue(name, "IpAddressType", "Valid values: ipv4, dualstack, ipv6.");
            }
            return t;
        }

        /** The families the interfaces have: one, or both for {@code dualstack}. */
        public List<IpFamily> families() {
            return switch (this) {
                case IPV4 -> List.of(IpFamily.IPV4);
                case DUALSTACK -> List.of(IpFamily.IPV4, IpFamily.IPV6);
                case IPV6 -> List.of(IpFamily.IPV6);
            };
        }

        /** Whether the interfaces get IPv6 addresses. */
        public boolean usesIpv6() {
            return this != IPV4;
        }

        /** The DNS record IP type the endpoint gets when the request names none: the same family or families. */
        public DnsRecordIpType records() {
            return switch (this) {
                case IPV4 -> DnsRecordIpType.IPV4;
                case DUALSTACK -> DnsRecordIpType.DUALSTACK;
                case IPV6 -> DnsRecordIpType.IPV6;
            };
        }
    }

    /**
     * Which records the endpoint's DNS names answer with, by the API's names in its order: A, AAAA, both, or what
     * the service chose ({@code service-defined}, AAAA too when the interfaces have IPv6 addresses).
     */
    public enum DnsRecordIpType implements AwsNamed {
        IPV4,
        DUALSTACK,
        IPV6,
        SERVICE_DEFINED;

        /** AWS's name, as the API and the store write it and messages quote it. */
        @JsonValue
        @Override
        public String toString() {
            return Spelling.KEBAB.of(this);
        }

        /** The constant AWS calls {@code name}; any other name is refused with AWS's InvalidParameterValue. */
        public static DnsRecordIpType parse(String name) {
            DnsRecordIpType t = AwsNamed.find(values(), name);
            if (t == null) {
                throw Ec2Errors.invalidValue(name, "DnsRecordIpType",
                        "Valid values: ipv4, dualstack, ipv6, service-defined.");
            }
            return t;
        }

        /** Whether the names answer AAAA queries (every type but {@code ipv4}). */
        public boolean answersAaaa() {
            return this != IPV4;
        }
    }

    /**
     * Where an endpoint sits, by its type: a gateway endpoint in route tables (a route to the service's prefix list
     * in each), an interface endpoint in subnets, with a network interface in each, security groups, its IP address
     * type and its DNS names. The record keeps AWS's one flat shape for both; this is the view the rules and the
     * engines switch over, so that what only an interface endpoint has is read only from one.
     */
    public sealed interface Placement {
        /** A gateway endpoint's route tables. */
        record Gateway(List<RouteTableId> routeTableIds) implements Placement {}

        /** An interface endpoint's subnets, network interfaces, groups and DNS. */
        record Interface(List<SubnetId> subnetIds, List<NetworkInterfaceId> networkInterfaceIds,
                List<SecurityGroupId> groupIds,
                boolean privateDnsEnabled, IpAddressType ipAddressType, DnsOptions dnsOptions,
                List<DnsEntry> dnsEntries) implements Placement {
            /** The DNS record IP type (null when the endpoint has no DNS options). */
            public DnsRecordIpType dnsRecordIpType() {
                return dnsOptions == null ? null : dnsOptions.dnsRecordIpType();
            }
        }
    }

    /** How the endpoint's DNS names resolve. */
    public record DnsOptions(DnsRecordIpType dnsRecordIpType, Boolean privateDnsOnlyForInboundResolverEndpoint) {}

    /** One DNS name of an interface endpoint and the hosted zone that holds it. */
    public record DnsEntry(String dnsName, String hostedZoneId) {}

    public VpcEndpoint {
        routeTableIds = List.copyOf(routeTableIds);
        subnetIds = List.copyOf(subnetIds);
        networkInterfaceIds = List.copyOf(networkInterfaceIds);
        groupIds = List.copyOf(groupIds);
        dnsEntries = List.copyOf(dnsEntries);
        tags = Tags.copy(tags);
    }

    /**
     * Whether, inside its VPC, this endpoint answers the public DNS names of {@code serviceName}: an interface
     * endpoint to that service, not deleted, with private DNS on and not "only for inbound resolver endpoints" (S3's
     * default, under which the names stay public inside the VPC and reach the gateway endpoint). The analyzer and the
     * data plane's DNS both ask this.
     */
    public boolean answersPublicNamesOf(String serviceName) {
        boolean inboundOnly = dnsOptions != null
                && Boolean.TRUE.equals(dnsOptions.privateDnsOnlyForInboundResolverEndpoint());
        return isInterface() && privateDnsEnabled && !inboundOnly && serviceName.equals(this.serviceName)
                && state != State.DELETED;
    }

    /** Where the endpoint sits: its route tables, or its subnets and interfaces (by {@code type}). */
    public Placement placement() {
        return switch (type) {
            case GATEWAY -> new Placement.Gateway(routeTableIds);
            case INTERFACE -> new Placement.Interface(subnetIds, networkInterfaceIds, groupIds, privateDnsEnabled,
                    ipAddressType, dnsOptions, dnsEntries);
        };
    }

    /** What the endpoint connects to (from {@code serviceId}, which only a customer service has). */
    public Target target() {
        return serviceId == null ? new Target.AwsService(serviceName)
                : new Target.CustomerService(serviceName, serviceId, serviceOwner);
    }

    public boolean isGateway() {
        return type == Type.GATEWAY;
    }

    public boolean isInterface() {
        return type == Type.INTERFACE;
    }

    public String arn() {
        return "arn:aws:ec2:" + region + ":" + ownerId + ":vpc-endpoint/" + id;
    }

    @Override
    public VpcEndpoint withTags(Map<String, String> newTags) {
        return new VpcEndpoint(id, ownerId, region, vpcId, serviceName, serviceId, serviceOwner, type, state,
                stateChangedAt, policyDocument, routeTableIds, subnetIds, networkInterfaceIds, groupIds,
                privateDnsEnabled, ipAddressType, dnsOptions, dnsToken, privateHostedZoneId, dnsEntries, createdAt,
                newTags);
    }

    public VpcEndpoint withState(State newState, Instant at) {
        return new VpcEndpoint(id, ownerId, region, vpcId, serviceName, serviceId, serviceOwner, type, newState, at,
                policyDocument, routeTableIds, subnetIds, networkInterfaceIds, groupIds, privateDnsEnabled,
                ipAddressType, dnsOptions, dnsToken, privateHostedZoneId, dnsEntries, createdAt, tags);
    }

    /** The policy the endpoint applies: its own, or AWS's full-access default when it has none. */
    public PolicyDocument policy() {
        return policyDocument == null ? PolicyDocument.DEFAULT : policyDocument;
    }

    public VpcEndpoint withPolicyDocument(PolicyDocument policy) {
        return new VpcEndpoint(id, ownerId, region, vpcId, serviceName, serviceId, serviceOwner, type, state,
                stateChangedAt, policy, routeTableIds, subnetIds, networkInterfaceIds, groupIds, privateDnsEnabled,
                ipAddressType, dnsOptions, dnsToken, privateHostedZoneId, dnsEntries, createdAt, tags);
    }

    public VpcEndpoint withRouteTableIds(List<RouteTableId> ids) {
        return new VpcEndpoint(id, ownerId, region, vpcId, serviceName, serviceId, serviceOwner, type, state,
                stateChangedAt, policyDocument, ids, subnetIds, networkInterfaceIds, groupIds, privateDnsEnabled,
                ipAddressType, dnsOptions, dnsToken, privateHostedZoneId, dnsEntries, createdAt, tags);
    }

    /** The interface side: subnets, their interfaces, groups, DNS settings and the DNS entries that follow. */
    public VpcEndpoint withInterfaces(List<SubnetId> subnets, List<NetworkInterfaceId> interfaces,
            List<SecurityGroupId> groups,
            boolean privateDns, DnsOptions options, List<DnsEntry> entries) {
        return new VpcEndpoint(id, ownerId, region, vpcId, serviceName, serviceId, serviceOwner, type, state,
                stateChangedAt, policyDocument, routeTableIds, subnets, interfaces, groups, privateDns,
                ipAddressType, options, dnsToken, privateHostedZoneId, entries, createdAt, tags);
    }

    @Override
    public String resourceType() {
        return "vpc-endpoint";
    }
}
