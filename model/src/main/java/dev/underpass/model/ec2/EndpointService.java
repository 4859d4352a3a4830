package dev.underpass.model.ec2;

import dev.underpass.model.net.IpFamily;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.AwsNamed;
import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A VPC endpoint service ({@code vpce-svc-…}): a provider's Network Load Balancers offered to consumers in other
 * VPCs and accounts through interface endpoints (AWS PrivateLink).
 *
 * <p>The service's Availability Zones are those of its load balancers, kept here by name and by zone id because
 * consumers are matched by zone id (an AZ name means a different zone in each account in AWS). The allowed
 * principals live in the record too, rather than as resources of their own: every visibility check of a consumer
 * needs them, and one lookup by service id then answers it without scanning the world.
 *
 * <p>{@code supportedRegions} always holds the service's own region first; more regions mean cross-region access.
 * {@code privateDns} is null without a private DNS name.
 *
 * @see <a href="https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-share-your-services.html">Share
 *     your services through AWS PrivateLink</a>
 */
public record EndpointService(
        String id,
        String ownerId,
        String region,
        String serviceName,
        State state,
        List<String> networkLoadBalancerArns,
        List<Zone> zones,
        boolean acceptanceRequired,
        List<IpFamily> supportedIpAddressTypes,
        List<String> supportedRegions,
        PrivateDns privateDns,
        String payerResponsibility,
        List<ServicePermission> permissions,
        Instant createdAt,
        Map<String, String> tags)
        implements Resource {

    /** The service's id, typed. */
    public EndpointServiceId serviceId() {
        return new EndpointServiceId(id);
    }

    /** A service's state, by AWS's names (capitalised, unlike most EC2 states). */
    public enum State implements AwsNamed {
        PENDING,
        AVAILABLE,
        DELETING,
        DELETED,
        FAILED;

        /** AWS's name, as the API and the store write it and messages quote it. */
        @JsonValue
        @Override
        public String toString() {
            return Spelling.PASCAL.of(this);
        }
    }

    /** An Availability Zone of the service, by name and id. */
    public record Zone(String name, String zoneId) {}

    /**
     * The private DNS name and its domain-ownership check: the provider publishes a TXT record named {@code txtName}
     * (under the domain) with {@code txtValue}; {@code state} says how far the check is.
     */
    public record PrivateDns(String name, State state, String txtName, String txtValue) {
        /** The verification state of the name, by AWS's names ({@code pendingVerification}, …). */
        public enum State implements AwsNamed {
            PENDING_VERIFICATION,
            VERIFIED,
            FAILED;

            /** AWS's name, as the API and the store write it and messages quote it. */
            @JsonValue
            @Override
            public String toString() {
                return Spelling.CAMEL.of(this);
            }
        }

        /** Whether the provider's ownership of the domain is verified (consumers may then use the name). */
        public boolean verified() {
            return state == State.VERIFIED;
        }

        public PrivateDns withState(State newState) {
            return new PrivateDns(name, newState, txtName, txtValue);
        }
    }

    public EndpointService {
        networkLoadBalancerArns = List.copyOf(networkLoadBalancerArns);
        zones = List.copyOf(zones);
        supportedIpAddressTypes = List.copyOf(supportedIpAddressTypes);
        supportedRegions = List.copyOf(supportedRegions);
        permissions = List.copyOf(permissions);
        tags = Tags.copy(tags);
    }

    /** {@code vpce-svc-<id>.<region>.vpce.amazonaws.com}. */
    public String baseEndpointDnsName() {
        return id + "." + region + ".vpce.amazonaws.com";
    }

    public String arn() {
        return "arn:aws:ec2:" + region + ":" + ownerId + ":vpc-endpoint-service/" + id;
    }

    public List<String> zoneIds() {
        return zones.stream().map(Zone::zoneId).toList();
    }

    public List<String> zoneNames() {
        return zones.stream().map(Zone::name).toList();
    }

    /** Whether consumers in other regions may connect. */
    public boolean remoteAccessEnabled() {
        return supportedRegions.size() > 1;
    }

    @Override
    public EndpointService withTags(Map<String, String> newTags) {
        return new EndpointService(id, ownerId, region, serviceName, state, networkLoadBalancerArns, zones,
                acceptanceRequired, supportedIpAddressTypes, supportedRegions, privateDns, payerResponsibility,
                permissions, createdAt, newTags);
    }

    public EndpointService withPermissions(List<ServicePermission> newPermissions) {
        return new EndpointService(id, ownerId, region, serviceName, state, networkLoadBalancerArns, zones,
                acceptanceRequired, supportedIpAddressTypes, supportedRegions, privateDns, payerResponsibility,
                newPermissions, createdAt, tags);
    }

    public EndpointService withPrivateDns(PrivateDns dns) {
        return new EndpointService(id, ownerId, region, serviceName, state, networkLoadBalancerArns, zones,
                acceptanceRequired, supportedIpAddressTypes, supportedRegions, dns, payerResponsibility, permissions,
                createdAt, tags);
    }

    public EndpointService withPayerResponsibility(String payer) {
        return new EndpointService(id, ownerId, region, serviceName, state, networkLoadBalancerArns, zones,
                acceptanceRequired, supportedIpAddressTypes, supportedRegions, privateDns, payer, permissions,
                createdAt, tags);
    }

    /** The settings ModifyVpcEndpointServiceConfiguration changes. */
    public EndpointService withSettings(List<String> nlbs, List<Zone> newZones, boolean acceptance,
            List<IpFamily> ipTypes, List<String> regions, PrivateDns dns) {
        return new EndpointService(id, ownerId, region, serviceName, state, nlbs, newZones, acceptance, ipTypes,
                regions, dns, payerResponsibility, permissions, createdAt, tags);
    }

    @Override
    public String resourceType() {
        return "vpc-endpoint-service";
    }
}
