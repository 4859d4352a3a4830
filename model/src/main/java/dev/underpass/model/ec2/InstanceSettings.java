package dev.underpass.model.ec2;

import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Tx;
import java.time.Duration;
import java.util.List;

/**
 * An instance's settings after launch: the ones RunInstances takes and ModifyInstanceAttribute changes (API
 * termination and stop protection, shutdown behaviour, user data, security groups, source/destination check,
 * instance type) and its metadata options (ModifyInstanceMetadataOptions, with the image's defaults). Split from
 * {@link Instances}, which launches instances and moves them through their lifecycle.
 *
 * @see <a href="https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyInstanceAttribute.html">ModifyInstanceAttribute</a>
 */
public final class InstanceSettings {
    private InstanceSettings() {}

    /** The most user data an instance takes, in bytes before base64 (AWS's limit). */
    public static final int MAX_USER_DATA_BYTES = 16 * 1024;

    /**
     * The settings a RunInstances request asks for (null: the default): shutdown behavior {@code stop} or
     * {@code terminate}, user data in base64 of at most 16 KiB decoded. InvalidParameterValue otherwise.
     */
    public static Instance.Settings settings(Boolean disableApiTermination, Boolean disableApiStop,
            String shutdownBehavior, String userData, MetadataRequest metadata, ImageId imageId, String region) {
        Instance.Settings d = Instance.DEFAULT_SETTINGS;
        return new Instance.Settings(disableApiTermination != null ? disableApiTermination : d.disableApiTermination(),
                disableApiStop != null ? disableApiStop : d.disableApiStop(),
                shutdownBehavior != null ? requireShutdownBehavior(shutdownBehavior) : d.shutdownBehavior(),
                userData == null || userData.isEmpty() ? null : requireUserData(userData),
                metadata == null || metadata.isEmpty() ? null
                        : metadata.applyTo(metadataDefaults(Images.find(region, imageId).orElse(null))));
    }

    /**
     * The instance metadata options an instance launched from {@code image} has when the request names none: an image
     * marked {@code ImdsSupport v2.0} requires session tokens with a hop limit of 2, any other takes both versions
     * with a hop limit of 1; the endpoint is on, IPv6 and tags off.
     */
    public static Instance.MetadataOptions metadataDefaults(Images.Image image) {
        boolean v2 = image != null && "v2.0".equals(image.imdsSupport());
        return new Instance.MetadataOptions(v2 ? "required" : "optional", v2 ? 2 : 1, "enabled", "disabled",
                "disabled");
    }

    /** An instance's metadata options: its own, or its image's defaults. */
    public static Instance.MetadataOptions metadataOptions(Instance instance) {
        return metadataOptions(instance, Images.find(instance.region(), instance.imageId()).orElse(null));
    }

    /** As {@link #metadataOptions(Instance)}, with the instance's image already looked up (null: none). */
    public static Instance.MetadataOptions metadataOptions(Instance instance, Images.Image image) {
        Instance.MetadataOptions own = instance.settingsOrDefaults().metadata();
        return own != null ? own : metadataDefaults(image);
    }

    /** The metadata options a request asks to set; null fields keep what is there. */
    public record MetadataRequest(String httpTokens, Integer hopLimit, String httpEndpoint, String httpProtocolIpv6,
            String instanceMetadataTags) {
        boolean isEmpty() {
            return httpTokens == null && hopLimit == null && httpEndpoint == null && httpProtocolIpv6 == null
                    && instanceMetadataTags == null;
        }

        /** {@code base} with this request's values, each checked (InvalidParameterValue). */
        Instance.MetadataOptions applyTo(Instance.MetadataOptions base) {
            if (hopLimit != null && (hopLimit < 1 || hopLimit > 64)) {
                throw Ec2Errors.invalidValue(hopLimit, "HttpPutResponseHopLimit",
                        "The hop limit must be between 1 and 64.");
            }
            return new Instance.MetadataOptions(
                    httpTokens == null ? base.httpTokens() : oneOf(httpTokens, "HttpTokens", "optional", "required"),
                    hopLimit == null ? base.hopLimit() : hopLimit,
                    httpEndpoint == null ? base.httpEndpoint()
                            : oneOf(httpEndpoint, "HttpEndpoint", "enabled", "disabled"),
                    httpProtocolIpv6 == null ? base.httpProtocolIpv6()
                            : oneOf(httpProtocolIpv6, "HttpProtocolIpv6", "enabled", "disabled"),
                    instanceMetadataTags == null ? base.instanceMetadataTags()
                            : oneOf(instanceMetadataTags, "InstanceMetadataTags", "enabled", "disabled"));
        }

        private static String oneOf(String value, String parameter, String a, String b) {
            if (!value.equals(a) && !value.equals(b)) {
                throw Ec2Errors.invalidValue(value, parameter, "Valid values are '" + a + "' and '" + b + "'.");
            }
            return value;
        }
    }

    /** ModifyInstanceMetadataOptions: the instance's options with {@code req}'s values; they apply at once. */
    public static Instance.MetadataOptions modifyMetadataOptions(Tx tx, InstanceId instanceId, MetadataRequest req) {
        Instance instance = Lookup.requireOwned(tx.world(), tx.caller(), Kind.INSTANCE, Instance.class, instanceId);
        Instance.MetadataOptions next = req.applyTo(metadataOptions(instance));
        tx.put(instance.withSettings(instance.settingsOrDefaults().withMetadata(next)));
        return next;
    }

    private static String requireShutdownBehavior(String value) {
        if (!value.equals("stop") && !value.equals("terminate")) {
            throw Ec2Errors.invalidValue(value, "InstanceInitiatedShutdownBehavior",
                    "Valid values are 'stop' and 'terminate'.");
        }
        return value;
    }

    private static String requireUserData(String base64) {
        byte[] raw;
        try {
            raw = java.util.Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.with("Invalid BASE64 encoding of user data.");
        }
        if (raw.length > MAX_USER_DATA_BYTES) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format("User data is limited to %d bytes.", MAX_USER_DATA_BYTES);
        }
        return base64;
    }

    /** A ModifyInstanceAttribute of one of the settings: the attribute's name and its new value as text. */
    public static void modifySetting(Tx tx, Duration delay, InstanceId instanceId, String attribute, String value) {
        Instance instance = Lookup.requireOwned(tx.world(), tx.caller(), Kind.INSTANCE, Instance.class, instanceId);
        Instance.Settings s = instance.settingsOrDefaults();
        Instance.Settings next = switch (attribute) {
            case "disableApiTermination" -> s.withDisableApiTermination(requireBoolean(attribute, value));
            case "disableApiStop" -> s.withDisableApiStop(requireBoolean(attribute, value));
            case "instanceInitiatedShutdownBehavior" -> s.withShutdownBehavior(requireShutdownBehavior(
                    value == null ? "" : value));
            case "userData" -> {
                if (!InstanceStates.observed(instance, tx.now(), delay).equals(InstanceState.STOPPED)) {
                    throw ErrorCode.INCORRECT_INSTANCE_STATE.format("The instance '%s' is not in the 'stopped' "
                            + "state.", instanceId);
                }
                yield s.withUserData(value == null || value.isEmpty() ? null : requireUserData(value));
            }
            default -> throw new IllegalArgumentException(attribute);
        };
        tx.put(instance.withSettings(next));
    }

    private static boolean requireBoolean(String attribute, String value) {
        if (!"true".equals(value) && !"false".equals(value)) {
            throw Ec2Errors.invalidValue(value, attribute, "Valid values are 'true' and 'false'.");
        }
        return Boolean.parseBoolean(value);
    }

    /** Replaces the security groups of an instance (on its primary interface). */
    public static void modifyGroups(Tx tx, Quotas quotas, Duration delay, InstanceId instanceId,
            List<SecurityGroupId> groupIds) {
        Instance instance = Lookup.requireOwned(tx.world(), tx.caller(), Kind.INSTANCE, Instance.class, instanceId);
        NetworkInterface eni = primaryInterface(tx, delay, instance);
        Subnet subnet = tx.find(Subnet.class, eni.subnetId()).orElseThrow(() -> Kind.SUBNET.notFound(eni.subnetId()));
        List<SecurityGroupId> groups = NetworkInterfaces.groups(tx, quotas, subnet, groupIds);
        tx.put(eni.withGroupIds(groups));
        tx.put(instance.withGroupIds(groups));
    }

    /** Sets the source/destination check of an instance's primary interface. */
    public static void modifySourceDestCheck(Tx tx, Duration delay, InstanceId instanceId, boolean check) {
        Instance instance = Lookup.requireOwned(tx.world(), tx.caller(), Kind.INSTANCE, Instance.class, instanceId);
        tx.put(primaryInterface(tx, delay, instance).withSourceDestCheck(check));
    }

    /** Changes the instance type; AWS allows it only while the instance is stopped. */
    public static void modifyInstanceType(Tx tx, Duration delay, InstanceId instanceId, String type) {
        Instance instance = Lookup.requireOwned(tx.world(), tx.caller(), Kind.INSTANCE, Instance.class, instanceId);
        if (type == null || type.isEmpty()) {
            throw Ec2Errors.missingParameter("InstanceType.Value");
        }
        if (!InstanceStates.observed(instance, tx.now(), delay).equals(InstanceState.STOPPED)) {
            throw ErrorCode.INCORRECT_INSTANCE_STATE.format("The instance '%s' is not in the 'stopped' state.",
                    instanceId);
        }
        InstanceTypes.InstanceType checked = InstanceTypes.require(type);
        Images.find(instance.region(), instance.imageId())
                .ifPresent(image -> InstanceTypes.requireCompatible(checked, image));
        tx.put(instance.withInstanceType(type));
    }

    private static NetworkInterface primaryInterface(Tx tx, Duration delay, Instance instance) {
        return tx.find(NetworkInterface.class, instance.primaryNetworkInterfaceId())
                .filter(n -> n.attachment() != null && instance.instanceId().equals(n.attachment().instanceId()))
                .orElseThrow(() -> ErrorCode.INCORRECT_INSTANCE_STATE.format(
                        "The instance '%s' is not in a valid state for this operation: it is %s.", instance.id(),
                        InstanceStates.observed(instance, tx.now(), delay)));
    }
}
