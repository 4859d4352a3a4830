package dev.underpass.aws.ec2;

import dev.underpass.model.ec2.ReservationId;
import dev.underpass.model.ec2.ImageId;
import dev.underpass.model.ec2.InstanceId;
import dev.underpass.model.ec2.SecurityGroupId;
import dev.underpass.model.ec2.SubnetId;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Tags;
import dev.underpass.model.Tx;
import dev.underpass.model.ec2.InstanceStates;
import dev.underpass.model.ec2.InstanceSettings;
import dev.underpass.model.ec2.Instances;
import dev.underpass.model.ec2.Kind;
import dev.underpass.model.ec2.Lookup;
import dev.underpass.model.ec2.PublicIps;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceStatusRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterfaceSpecification;
import software.amazon.awssdk.services.ec2.model.InstanceStateChange;
import software.amazon.awssdk.services.ec2.model.ModifyInstanceAttributeRequest;
import software.amazon.awssdk.services.ec2.model.ModifyInstanceAttributeResponse;
import software.amazon.awssdk.services.ec2.model.ModifyPrivateDnsNameOptionsRequest;
import software.amazon.awssdk.services.ec2.model.ModifyPrivateDnsNameOptionsResponse;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.RunInstancesResponse;
import software.amazon.awssdk.services.ec2.model.StartInstancesRequest;
import software.amazon.awssdk.services.ec2.model.StartInstancesResponse;
import software.amazon.awssdk.services.ec2.model.StopInstancesRequest;
import software.amazon.awssdk.services.ec2.model.StopInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.TerminateInstancesRequest;
import software.amazon.awssdk.services.ec2.model.TerminateInstancesResponse;

/**
 * Instances: RunInstances, start/stop/terminate, ModifyInstanceAttribute and ModifyPrivateDnsNameOptions;
 * DescribeInstances and DescribeInstanceStatus are in {@link InstanceReads}, the SDK shapes in {@link InstanceShapes}.
 * The state a client sees is always {@link InstanceStates#observed}, so the configured transition delay applies
 * everywhere; terminated instances drop out of listings an hour after they settle.
 */
record InstanceHandlers(Ec2Registry api) {
    void register(Ec2Registry registry) {
        registry.write("RunInstances", RunInstancesRequest::builder, this::run);
        var reads = new InstanceReads(api);
        registry.read("DescribeInstances", DescribeInstancesRequest::builder, reads::describe);
        registry.read("DescribeInstanceStatus", DescribeInstanceStatusRequest::builder, reads::describeStatus);
        InstanceAttributeReads attributes = new InstanceAttributeReads(api);
        registry.read("DescribeInstanceAttribute",
                software.amazon.awssdk.services.ec2.model.DescribeInstanceAttributeRequest::builder,
                attributes::describeAttribute);
        registry.read("DescribeInstanceCreditSpecifications",
                software.amazon.awssdk.services.ec2.model.DescribeInstanceCreditSpecificationsRequest::builder,
                attributes::describeCreditSpecifications);
        registry.write("StartInstances", StartInstancesRequest::builder, this::start);
        registry.write("StopInstances", StopInstancesRequest::builder, this::stop);
        registry.write("TerminateInstances", TerminateInstancesRequest::builder, this::terminate);
        registry.write("ModifyInstanceAttribute", ModifyInstanceAttributeRequest::builder, this::modifyAttribute);
        registry.write("ModifyInstanceMetadataOptions",
                software.amazon.awssdk.services.ec2.model.ModifyInstanceMetadataOptionsRequest::builder,
                this::modifyMetadataOptions);
        registry.write("ModifyPrivateDnsNameOptions", ModifyPrivateDnsNameOptionsRequest::builder,
                this::modifyDnsNameOptions);
    }

    private Duration delay() {
        return api.settings().instanceTransition();
    }

    private RunInstancesResponse run(RunInstancesRequest req, Tx tx) {
        if (req.launchTemplate() != null) {
            throw ErrorCode.UNSUPPORTED_OPERATION.with("underpass does not yet support launch templates.");
        }
        String subnetId = req.subnetId();
        List<String> groupIds = req.securityGroupIds();
        String privateIp = req.privateIpAddress();
        String description = null;
        if (req.hasNetworkInterfaces()) {
            if (req.subnetId() != null) {
                throw ErrorCode.INVALID_PARAMETER_COMBINATION.with(
                        "Network interfaces and an instance-level subnet ID may not be specified on the same request");
            }
            if (req.hasSecurityGroupIds() || req.hasSecurityGroups()) {
                throw ErrorCode.INVALID_PARAMETER_COMBINATION.with("Network interfaces and an instance-level "
                        + "security groups may not be specified on the same request");
            }
            if (req.privateIpAddress() != null) {
                throw ErrorCode.INVALID_PARAMETER_COMBINATION.with("Network interfaces and an instance-level "
                        + "private IP address may not be specified on the same request");
            }
            if (req.networkInterfaces().size() > 1) {
                throw ErrorCode.UNSUPPORTED_OPERATION.with(
                        "underpass launches instances with one network interface; attach more afterwards.");
            }
            InstanceNetworkInterfaceSpecification nic = req.networkInterfaces().get(0);
            if (nic.deviceIndex() == null || nic.deviceIndex() != 0) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format("Value (%s) for parameter deviceIndex is invalid. "
                        + "The primary network interface must be at device index 0.", nic.deviceIndex());
            }
            if (nic.networkInterfaceId() != null) {
                throw ErrorCode.UNSUPPORTED_OPERATION.with(
                        "underpass does not yet launch instances with an existing network interface.");
            }
            if (nic.hasPrivateIpAddresses() || nic.secondaryPrivateIpAddressCount() != null) {
                throw ErrorCode.UNSUPPORTED_OPERATION.with("underpass does not yet launch instances with "
                        + "secondary private addresses; use AssignPrivateIpAddresses afterwards.");
            }
            subnetId = nic.subnetId();
            groupIds = nic.groups();
            privateIp = nic.privateIpAddress();
            description = nic.description();
        }
        if (req.hasIpv6Addresses() && !req.ipv6Addresses().isEmpty()) {
            throw ErrorCode.UNSUPPORTED_OPERATION.with("underpass does not yet take chosen IPv6 addresses; use "
                    + "Ipv6AddressCount.");
        }
        Integer ipv6Count = req.ipv6AddressCount();
        if (req.hasNetworkInterfaces()) {
            InstanceNetworkInterfaceSpecification nic = req.networkInterfaces().get(0);
            if (nic.hasIpv6Addresses() && !nic.ipv6Addresses().isEmpty()) {
                throw ErrorCode.UNSUPPORTED_OPERATION.with("underpass does not yet take chosen IPv6 addresses; use "
                        + "Ipv6AddressCount.");
            }
            if (nic.ipv6AddressCount() != null) {
                if (ipv6Count != null) {
                    throw ErrorCode.INVALID_PARAMETER_COMBINATION.with("Network interfaces and an instance-level "
                            + "IPv6 address count may not be specified on the same request");
                }
                ipv6Count = nic.ipv6AddressCount();
            }
        }
        Map<String, Map<String, String>> tags = runTags(req.tagSpecifications());
        // An empty zone is no zone: Terraform's aws_instance sends Placement.AvailabilityZone="" when none is set.
        String zone = req.placement() == null || req.placement().availabilityZone() == null
                || req.placement().availabilityZone().isEmpty() ? null : req.placement().availabilityZone();
        var m = req.metadataOptions();
        dev.underpass.model.ec2.Instance.Settings settings = InstanceSettings.settings(req.disableApiTermination(),
                req.disableApiStop(), req.instanceInitiatedShutdownBehaviorAsString(), req.userData(), m == null ? null
                        : new InstanceSettings.MetadataRequest(m.httpTokensAsString(), m.httpPutResponseHopLimit(),
                                m.httpEndpointAsString(), m.httpProtocolIpv6AsString(),
                                m.instanceMetadataTagsAsString()),
                ImageId.of(req.imageId()), tx.caller().region());
        var reservation = Instances.run(tx, api.settings().quotas(), new Instances.Run(ImageId.of(req.imageId()),
                req.instanceTypeAsString(), req.minCount(), req.maxCount(), SubnetId.of(subnetId), zone,
                SecurityGroupId.all(groupIds),
                req.securityGroups(), privateIp, req.keyName(), description, tags.get("instance"),
                tags.get("network-interface"), req.clientToken(), fingerprint(req), dnsRequest(req), ipv6Count));
        Boolean publicIp = req.hasNetworkInterfaces() ? req.networkInterfaces().get(0).associatePublicIpAddress()
                : null;
        for (var instance : reservation.instances()) {
            if (instance.launchTime().equals(tx.now())) {
                PublicIps.onLaunch(tx, instance, publicIp);
                if (!settings.equals(dev.underpass.model.ec2.Instance.DEFAULT_SETTINGS)) {
                    tx.find(dev.underpass.model.ec2.Instance.class, instance.id())
                            .ifPresent(i -> tx.put(i.withSettings(settings)));
                }
            }
        }
        return RunInstancesResponse.builder().reservationId(ReservationId.text(reservation.reservationId()))
                .ownerId(reservation.ownerId()).groups(List.of())
                .instances(reservation.instances().stream().map(i -> InstanceShapes.shape(tx.world(), i, i.state()))
                        .toList())
                .build();
    }

    private static Instances.DnsNameRequest dnsRequest(RunInstancesRequest req) {
        var o = req.privateDnsNameOptions();
        return o == null ? null
                : new Instances.DnsNameRequest(o.hostnameTypeAsString(), o.enableResourceNameDnsARecord(),
                        o.enableResourceNameDnsAAAARecord());
    }

    private ModifyPrivateDnsNameOptionsResponse modifyDnsNameOptions(ModifyPrivateDnsNameOptionsRequest req, Tx tx) {
        InstanceId id = InstanceId.of(Shapes.required(req.instanceId(), "InstanceId"));
        Instances.modifyDnsNameOptions(tx, delay(), id, new Instances.DnsNameRequest(
                req.privateDnsHostnameTypeAsString(), req.enableResourceNameDnsARecord(),
                req.enableResourceNameDnsAAAARecord()));
        return ModifyPrivateDnsNameOptionsResponse.builder().returnValue(true).build();
    }

    /** Tags per resource type; RunInstances tags instances and their interfaces (and volumes, not modelled). */
    private static Map<String, Map<String, String>> runTags(List<TagSpecification> specs) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        out.put("instance", new LinkedHashMap<>());
        out.put("network-interface", new LinkedHashMap<>());
        for (TagSpecification spec : specs) {
            String type = spec.resourceTypeAsString();
            if (type == null) {
                throw Ec2Errors.missingParameter("TagSpecification.N.ResourceType");
            }
            Map<String, String> target = out.get(type);
            if (target == null && !type.equals("volume")) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                        "'%s' is not a valid taggable resource type for this operation.", type);
            }
            for (Tag t : spec.tags()) {
                Tags.check(t.key(), t.value());
                if (target != null) {
                    target.put(t.key(), t.value() == null ? "" : t.value());
                }
            }
        }
        for (Map<String, String> m : out.values()) {
            if (m.size() > Tags.MAX_TAGS) {
                throw ErrorCode.TAG_LIMIT_EXCEEDED.with(
                        "The maximum number of tags per resource (50) has been exceeded.");
            }
        }
        return out;
    }

    /** What identifies a launch for ClientToken idempotency: every parameter except the token and DryRun. */
    private static String fingerprint(RunInstancesRequest req) {
        String text = req.toBuilder().clientToken(null).dryRun(null).build().toString();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private StartInstancesResponse start(StartInstancesRequest req, Tx tx) {
        return StartInstancesResponse.builder()
                .startingInstances(changes(PublicIps.follow(tx, Instances.start(tx, delay(), req.instanceIds()))))
                .build();
    }

    private StopInstancesResponse stop(StopInstancesRequest req, Tx tx) {
        return StopInstancesResponse.builder()
                .stoppingInstances(changes(PublicIps.follow(tx, Instances.stop(tx, delay(), req.instanceIds()))))
                .build();
    }

    private TerminateInstancesResponse terminate(TerminateInstancesRequest req, Tx tx) {
        return TerminateInstancesResponse.builder()
                .terminatingInstances(
                        changes(PublicIps.follow(tx, Instances.terminate(tx, delay(), req.instanceIds()))))
                .build();
    }

    private static List<InstanceStateChange> changes(List<Instances.Transition> transitions) {
        return transitions.stream().map(t -> InstanceStateChange.builder().instanceId(InstanceId.text(t.instanceId()))
                .previousState(InstanceShapes.state(t.previous())).currentState(InstanceShapes.state(t.current()))
                .build()).toList();
    }

    private ModifyInstanceAttributeResponse modifyAttribute(ModifyInstanceAttributeRequest req, Tx tx) {
        InstanceId id = InstanceId.of(Shapes.required(req.instanceId(), "InstanceId"));
        String attribute = req.attributeAsString();
        if (req.hasGroups() || "groupSet".equals(attribute)) {
            if (!req.hasGroups()) {
                throw Ec2Errors.missingParameter("GroupId");
            }
            InstanceSettings.modifyGroups(tx, api.settings().quotas(), delay(), id, SecurityGroupId.all(req.groups()));
        } else if (req.sourceDestCheck() != null || "sourceDestCheck".equals(attribute)) {
            Boolean value = req.sourceDestCheck() != null ? req.sourceDestCheck().value()
                    : req.value() == null ? null : Boolean.valueOf(req.value());
            if (value == null) {
                throw Ec2Errors.missingParameter("SourceDestCheck.Value");
            }
            InstanceSettings.modifySourceDestCheck(tx, delay(), id, value);
        } else if (req.disableApiTermination() != null || "disableApiTermination".equals(attribute)) {
            InstanceSettings.modifySetting(tx, delay(), id, "disableApiTermination", req.disableApiTermination() != null
                    ? String.valueOf(req.disableApiTermination().value()) : req.value());
        } else if (req.disableApiStop() != null || "disableApiStop".equals(attribute)) {
            InstanceSettings.modifySetting(tx, delay(), id, "disableApiStop", req.disableApiStop() != null
                    ? String.valueOf(req.disableApiStop().value()) : req.value());
        } else if (req.instanceInitiatedShutdownBehavior() != null
                || "instanceInitiatedShutdownBehavior".equals(attribute)) {
            InstanceSettings.modifySetting(tx, delay(), id, "instanceInitiatedShutdownBehavior",
                    req.instanceInitiatedShutdownBehavior() != null ? req.instanceInitiatedShutdownBehavior().value()
                            : req.value());
        } else if (req.userData() != null || "userData".equals(attribute)) {
            // A blob on the wire: its base64 form is the user data as RunInstances takes it.
            String data = req.userData() != null && req.userData().value() != null
                    ? java.util.Base64.getEncoder().encodeToString(req.userData().value().asByteArray())
                    : req.value();
            InstanceSettings.modifySetting(tx, delay(), id, "userData", data);
        } else if (req.instanceType() != null || "instanceType".equals(attribute)) {
            InstanceSettings.modifyInstanceType(tx, delay(), id,
                    req.instanceType() != null ? req.instanceType().value() : req.value());
        } else {
            Lookup.requireOwned(tx.world(), tx.caller(), Kind.INSTANCE, dev.underpass.model.ec2.Instance.class, id);
            throw ErrorCode.UNSUPPORTED_OPERATION.format("underpass does not yet support modifying the attribute "
                    + "%s; supported: groupSet, sourceDestCheck, instanceType, disableApiTermination, disableApiStop, "
                    + "instanceInitiatedShutdownBehavior, userData.",
                    attribute == null ? "given"
                            : attribute);
        }
        return ModifyInstanceAttributeResponse.builder().build();
    }

    private software.amazon.awssdk.services.ec2.model.ModifyInstanceMetadataOptionsResponse modifyMetadataOptions(
            software.amazon.awssdk.services.ec2.model.ModifyInstanceMetadataOptionsRequest req, Tx tx) {
        InstanceId id = InstanceId.of(Shapes.required(req.instanceId(), "InstanceId"));
        var options = InstanceSettings.modifyMetadataOptions(tx, id,
                new InstanceSettings.MetadataRequest(req.httpTokensAsString(),
                        req.httpPutResponseHopLimit(), req.httpEndpointAsString(), req.httpProtocolIpv6AsString(),
                        req.instanceMetadataTagsAsString()));
        // AWS answers "pending" and applies the change a moment later; here it is applied at once.
        return software.amazon.awssdk.services.ec2.model.ModifyInstanceMetadataOptionsResponse.builder()
                .instanceId(InstanceId.text(id))
                .instanceMetadataOptions(InstanceShapes.metadata(options, "pending")).build();
    }
}
