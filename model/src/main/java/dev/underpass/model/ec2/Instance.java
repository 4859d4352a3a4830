package dev.underpass.model.ec2;

import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An EC2 instance, minimal but real: it sits in a subnet through its primary network interface and moves through
 * AWS's states. The stored {@code state} is the last transition requested; the state a client sees is derived
 * from it and {@code stateChangedAt} by {@link InstanceStates}, so transitions need no background timer and survive
 * restarts.
 *
 * <p>{@code privateDnsNameOptions} is the instance's own hostname type and resource-name record switches
 * ({@code PrivateDnsNameOptions}), fixed at launch from the request or the subnet's on-launch settings and changed
 * only by ModifyPrivateDnsNameOptions. It was stored later: null in older data, where {@link
 * Instances#dnsNameOptions} derives it from the subnet as before.
 */
public record Instance(
        String id,
        String ownerId,
        String region,
        ImageId imageId,
        String instanceType,
        String keyName,
        SubnetId subnetId,
        VpcId vpcId,
        String availabilityZone,
        NetworkInterfaceId primaryNetworkInterfaceId,
        String privateIpAddress,
        List<SecurityGroupId> groupIds,
        InstanceState state,
        Instant stateChangedAt,
        Instant launchTime,
        String amiLaunchIndex,
        ReservationId reservationId,
        String clientToken,
        Map<String, String> tags,
        String launchFingerprint,
        DnsNameOptions privateDnsNameOptions,
        Settings settings)
        implements Resource {

    /** Hostname type {@value #IP_NAME}. */
    public static final String IP_NAME = "ip-name";

    /** Hostname type {@value #RESOURCE_NAME}. */
    public static final String RESOURCE_NAME = "resource-name";

    /** The instance's hostname type and whether its resource name answers A and AAAA queries. */
    public record DnsNameOptions(String hostnameType, boolean enableResourceNameDnsARecord,
            boolean enableResourceNameDnsAAAARecord) {}

    /**
     * What an instance keeps that only the instance attributes show: termination and stop protection, what an
     * instance-initiated shutdown does ({@code stop} or {@code terminate}), and the user data (base64, as given).
     * Null on an instance stored before they were kept, which has {@link #DEFAULT_SETTINGS}.
     */
    public record Settings(boolean disableApiTermination, boolean disableApiStop, String shutdownBehavior,
            String userData, MetadataOptions metadata) {
        public Settings withDisableApiTermination(boolean on) {
            return new Settings(on, disableApiStop, shutdownBehavior, userData, metadata);
        }

        public Settings withDisableApiStop(boolean on) {
            return new Settings(disableApiTermination, on, shutdownBehavior, userData, metadata);
        }

        public Settings withShutdownBehavior(String behavior) {
            return new Settings(disableApiTermination, disableApiStop, behavior, userData, metadata);
        }

        public Settings withUserData(String data) {
            return new Settings(disableApiTermination, disableApiStop, shutdownBehavior, data, metadata);
        }

        public Settings withMetadata(MetadataOptions options) {
            return new Settings(disableApiTermination, disableApiStop, shutdownBehavior, userData, options);
        }
    }

    /**
     * The instance metadata service's options: whether session tokens (IMDSv2) are {@code required} or
     * {@code optional}, the PUT response hop limit (1-64), whether the endpoint is {@code enabled}, its IPv6 endpoint,
     * and whether instance tags are readable from it. Null in {@link Settings} means what the image gives
     * ({@link Instances#metadataDefaults}).
     */
    public record MetadataOptions(String httpTokens, int hopLimit, String httpEndpoint, String httpProtocolIpv6,
            String instanceMetadataTags) {}

    /** A new instance's settings in AWS: no protection, shutdown stops it, no user data, the image's IMDS options. */
    public static final Settings DEFAULT_SETTINGS = new Settings(false, false, "stop", null, null);

    /** The instance's settings, {@link #DEFAULT_SETTINGS} when none were kept. */
    public Settings settingsOrDefaults() {
        return settings == null ? DEFAULT_SETTINGS : settings;
    }

    /** An instance with the default settings. */
    public Instance(String id, String ownerId, String region, ImageId imageId, String instanceType, String keyName,
            SubnetId subnetId, VpcId vpcId, String availabilityZone, NetworkInterfaceId primaryNetworkInterfaceId,
            String privateIpAddress, List<SecurityGroupId> groupIds, InstanceState state, Instant stateChangedAt,
            Instant launchTime,
            String amiLaunchIndex, ReservationId reservationId, String clientToken, Map<String, String> tags,
            String launchFingerprint, DnsNameOptions privateDnsNameOptions) {
        this(id, ownerId, region, imageId, instanceType, keyName, subnetId, vpcId, availabilityZone,
                primaryNetworkInterfaceId, privateIpAddress, groupIds, state, stateChangedAt, launchTime,
                amiLaunchIndex, reservationId, clientToken, tags, launchFingerprint, privateDnsNameOptions, null);
    }

    public Instance {
        groupIds = List.copyOf(groupIds);
        tags = Tags.copy(tags);
    }

    /** An instance without a launch fingerprint (no ClientToken idempotency check). */
    public Instance(String id, String ownerId, String region, ImageId imageId, String instanceType, String keyName,
            SubnetId subnetId, VpcId vpcId, String availabilityZone, NetworkInterfaceId primaryNetworkInterfaceId,
            String privateIpAddress, List<SecurityGroupId> groupIds, InstanceState state, Instant stateChangedAt,
            Instant launchTime,
            String amiLaunchIndex, ReservationId reservationId, String clientToken, Map<String, String> tags) {
        this(id, ownerId, region, imageId, instanceType, keyName, subnetId, vpcId, availabilityZone,
                primaryNetworkInterfaceId, privateIpAddress, groupIds, state, stateChangedAt, launchTime,
                amiLaunchIndex, reservationId, clientToken, tags, null, null);
    }

    /** An instance whose DNS name options are derived from its subnet (data stored before they were kept). */
    public Instance(String id, String ownerId, String region, ImageId imageId, String instanceType, String keyName,
            SubnetId subnetId, VpcId vpcId, String availabilityZone, NetworkInterfaceId primaryNetworkInterfaceId,
            String privateIpAddress, List<SecurityGroupId> groupIds, InstanceState state, Instant stateChangedAt,
            Instant launchTime,
            String amiLaunchIndex, ReservationId reservationId, String clientToken, Map<String, String> tags,
            String launchFingerprint) {
        this(id, ownerId, region, imageId, instanceType, keyName, subnetId, vpcId, availabilityZone,
                primaryNetworkInterfaceId, privateIpAddress, groupIds, state, stateChangedAt, launchTime,
                amiLaunchIndex, reservationId, clientToken, tags, launchFingerprint, null);
    }

    @Override
    public Instance withTags(Map<String, String> tags) {
        return new Instance(id, ownerId, region, imageId, instanceType, keyName, subnetId, vpcId, availabilityZone,
                primaryNetworkInterfaceId, privateIpAddress, groupIds, state, stateChangedAt, launchTime,
                amiLaunchIndex, reservationId, clientToken, tags, launchFingerprint, privateDnsNameOptions, settings);
    }

    public Instance withState(InstanceState newState, Instant at) {
        return new Instance(id, ownerId, region, imageId, instanceType, keyName, subnetId, vpcId, availabilityZone,
                primaryNetworkInterfaceId, privateIpAddress, groupIds, newState, at, launchTime, amiLaunchIndex,
                reservationId, clientToken, tags, launchFingerprint, privateDnsNameOptions, settings);
    }

    /** This instance's id, typed as attachments, routes and state changes refer to it. */
    public InstanceId instanceId() {
        return new InstanceId(id);
    }

    public Instance withGroupIds(List<SecurityGroupId> groups) {
        return new Instance(id, ownerId, region, imageId, instanceType, keyName, subnetId, vpcId, availabilityZone,
                primaryNetworkInterfaceId, privateIpAddress, groups, state, stateChangedAt, launchTime,
                amiLaunchIndex, reservationId, clientToken, tags, launchFingerprint, privateDnsNameOptions, settings);
    }

    public Instance withInstanceType(String type) {
        return new Instance(id, ownerId, region, imageId, type, keyName, subnetId, vpcId, availabilityZone,
                primaryNetworkInterfaceId, privateIpAddress, groupIds, state, stateChangedAt, launchTime,
                amiLaunchIndex, reservationId, clientToken, tags, launchFingerprint, privateDnsNameOptions, settings);
    }

    public Instance withPrivateDnsNameOptions(DnsNameOptions options) {
        return new Instance(id, ownerId, region, imageId, instanceType, keyName, subnetId, vpcId, availabilityZone,
                primaryNetworkInterfaceId, privateIpAddress, groupIds, state, stateChangedAt, launchTime,
                amiLaunchIndex, reservationId, clientToken, tags, launchFingerprint, options, settings);
    }

    public Instance withSettings(Settings newSettings) {
        return new Instance(id, ownerId, region, imageId, instanceType, keyName, subnetId, vpcId, availabilityZone,
                primaryNetworkInterfaceId, privateIpAddress, groupIds, state, stateChangedAt, launchTime,
                amiLaunchIndex, reservationId, clientToken, tags, launchFingerprint, privateDnsNameOptions,
                newSettings);
    }

    @Override
    public String resourceType() {
        return "instance";
    }
}
