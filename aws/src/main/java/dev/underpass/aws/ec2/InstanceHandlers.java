package dev.underpass.aws.ec2;

import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Regions;
import dev.underpass.model.Tags;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.InstanceStates;
import dev.underpass.model.ec2.ElasticIps;
import dev.underpass.model.ec2.Instances;
import dev.underpass.model.ec2.Kind;
import dev.underpass.model.ec2.Lookup;
import dev.underpass.model.ec2.NetworkInterfaces;
import dev.underpass.model.ec2.PublicIps;
import dev.underpass.model.ec2.Scoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceStatusRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceStatusResponse;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterface;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterfaceAttachment;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterfaceSpecification;
import software.amazon.awssdk.services.ec2.model.InstancePrivateIpAddress;
import software.amazon.awssdk.services.ec2.model.InstanceState;
import software.amazon.awssdk.services.ec2.model.InstanceStateChange;
import software.amazon.awssdk.services.ec2.model.InstanceStatus;
import software.amazon.awssdk.services.ec2.model.InstanceStatusDetails;
import software.amazon.awssdk.services.ec2.model.InstanceStatusSummary;
import software.amazon.awssdk.services.ec2.model.ModifyInstanceAttributeRequest;
import software.amazon.awssdk.services.ec2.model.ModifyInstanceAttributeResponse;
import software.amazon.awssdk.services.ec2.model.Monitoring;
import software.amazon.awssdk.services.ec2.model.Placement;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.RunInstancesResponse;
import software.amazon.awssdk.services.ec2.model.StartInstancesRequest;
import software.amazon.awssdk.services.ec2.model.StartInstancesResponse;
import software.amazon.awssdk.services.ec2.model.StateReason;
import software.amazon.awssdk.services.ec2.model.StopInstancesRequest;
import software.amazon.awssdk.services.ec2.model.StopInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.TerminateInstancesRequest;
import software.amazon.awssdk.services.ec2.model.TerminateInstancesResponse;

/**
 * Instances: RunInstances, DescribeInstances, DescribeInstanceStatus, start/stop/terminate and
 * ModifyInstanceAttribute. The state a client sees is always {@link InstanceStates#observed}, so the configured
 * transition delay applies everywhere; terminated instances drop out of listings an hour after they settle.
 */
final class InstanceHandlers {
    private static final DateTimeFormatter REASON_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'GMT'").withZone(ZoneOffset.UTC);

    private final Ec2Registry api;

    InstanceHandlers(Ec2Registry api) {
        this.api = api;
    }

    void register(Ec2Registry registry) {
        registry.write("RunInstances", RunInstancesRequest::builder, this::run);
        registry.read("DescribeInstances", DescribeInstancesRequest::builder, this::describe);
        registry.read("DescribeInstanceStatus", DescribeInstanceStatusRequest::builder, this::describeStatus);
        registry.write("StartInstances", StartInstancesRequest::builder, this::start);
        registry.write("StopInstances", StopInstancesRequest::builder, this::stop);
        registry.write("TerminateInstances", TerminateInstancesRequest::builder, this::terminate);
        registry.write("ModifyInstanceAttribute", ModifyInstanceAttributeRequest::builder, this::modifyAttribute);
    }

    private Duration delay() {
        return api.settings().instanceTransition();
    }

    /** Filters of DescribeInstances, evaluated against the state observed at {@code now}. */
    private FilterSpec<dev.underpass.model.ec2.Instance> filters(World world, Instant now) {
        Function<dev.underpass.model.ec2.Instance, List<dev.underpass.model.ec2.NetworkInterface>> enis =
                i -> NetworkInterfaces.attachedTo(world, i.id());
        return FilterSpec.<dev.underpass.model.ec2.Instance>resources()
                .one("instance-id", dev.underpass.model.ec2.Instance::id)
                .one("instance-state-name", i -> InstanceStates.observed(i, now, delay()))
                .one("instance-state-code", i -> InstanceStates.code(InstanceStates.observed(i, now, delay())))
                .one("instance-type", dev.underpass.model.ec2.Instance::instanceType)
                .one("image-id", dev.underpass.model.ec2.Instance::imageId)
                .one("subnet-id", i -> shownInNetwork(i, now) ? i.subnetId() : null)
                .one("vpc-id", i -> shownInNetwork(i, now) ? i.vpcId() : null)
                .one("private-ip-address", i -> shownInNetwork(i, now) ? i.privateIpAddress() : null)
                .one("ip-address", i -> {
                    ElasticIps.PublicAddress pub = ElasticIps.publicAddress(world, i.primaryNetworkInterfaceId(),
                            i.privateIpAddress());
                    return pub == null || !shownInNetwork(i, now) ? null : pub.publicIp();
                })
                .one("private-dns-name", i -> shownInNetwork(i, now)
                        ? NetworkInterfaces.privateDnsName(i.region(), i.privateIpAddress()) : null)
                .many("network-interface.network-interface-id",
                        i -> enis.apply(i).stream().map(dev.underpass.model.ec2.NetworkInterface::id).toList())
                .many("network-interface.subnet-id",
                        i -> enis.apply(i).stream().map(dev.underpass.model.ec2.NetworkInterface::subnetId).toList())
                .many("network-interface.vpc-id",
                        i -> enis.apply(i).stream().map(dev.underpass.model.ec2.NetworkInterface::vpcId).toList())
                .many("network-interface.addresses.private-ip-address", i -> enis.apply(i).stream()
                        .flatMap(n -> n.privateIps().stream()).map(ip -> ip.address()).toList())
                .many("network-interface.group-id", i -> enis.apply(i).stream()
                        .flatMap(n -> n.groupIds().stream()).toList())
                .many("network-interface.mac-address", i -> enis.apply(i).stream()
                        .map(dev.underpass.model.ec2.NetworkInterface::macAddress).toList())
                .many("network-interface.status", i -> enis.apply(i).stream()
                        .map(dev.underpass.model.ec2.NetworkInterface::status).toList())
                .many("network-interface.description", i -> enis.apply(i).stream()
                        .map(dev.underpass.model.ec2.NetworkInterface::description).toList())
                .many("network-interface.owner-id", i -> enis.apply(i).stream()
                        .map(dev.underpass.model.ec2.NetworkInterface::ownerId).toList())
                .many("network-interface.source-dest-check", i -> enis.apply(i).stream()
                        .map(n -> Boolean.toString(n.sourceDestCheck())).toList())
                .many("network-interface.attachment.attachment-id", i -> enis.apply(i).stream()
                        .map(n -> n.attachment().attachmentId()).toList())
                .many("network-interface.attachment.device-index", i -> enis.apply(i).stream()
                        .map(n -> Integer.toString(n.attachment().deviceIndex())).toList())
                .one("source-dest-check", i -> enis.apply(i).stream()
                        .filter(n -> n.id().equals(i.primaryNetworkInterfaceId())).findFirst()
                        .map(n -> Boolean.toString(n.sourceDestCheck())).orElse(null))
                .one("state-reason-code", i -> {
                    StateReason r = stateReason(InstanceStates.observed(i, now, delay()));
                    return r == null ? null : r.code();
                })
                .one("availability-zone", dev.underpass.model.ec2.Instance::availabilityZone)
                .one("availability-zone-id", i -> Regions.zone(i.region(), i.ownerId(), i.availabilityZone())
                        .map(Regions.Zone::zoneId).orElse(null))
                .many("instance.group-name", i -> shownInNetwork(i, now) ? i.groupIds().stream()
                        .map(g -> world.find(dev.underpass.model.ec2.SecurityGroup.class, g)
                                .map(dev.underpass.model.ec2.SecurityGroup::groupName).orElse(""))
                        .toList() : List.of())
                .many("instance.group-id", i -> shownInNetwork(i, now) ? i.groupIds() : List.of())
                // Not in the current filter list, but EC2 still accepts it and older scripts use it.
                .many("group-id", i -> shownInNetwork(i, now) ? i.groupIds() : List.of())
                .one("key-name", dev.underpass.model.ec2.Instance::keyName)
                .one("owner-id", dev.underpass.model.ec2.Instance::ownerId)
                .one("reservation-id", dev.underpass.model.ec2.Instance::reservationId)
                .one("launch-index", dev.underpass.model.ec2.Instance::amiLaunchIndex)
                .one("client-token", dev.underpass.model.ec2.Instance::clientToken)
                .one("architecture", i -> "x86_64")
                .one("hypervisor", i -> "xen")
                .one("virtualization-type", i -> "hvm")
                .one("root-device-type", i -> "ebs")
                .one("root-device-name", i -> "/dev/xvda")
                .one("tenancy", i -> "default")
                .one("monitoring-state", i -> "disabled")
                .build();
    }

    /** A terminated instance no longer shows its subnet, address or groups, as in AWS. */
    private boolean shownInNetwork(dev.underpass.model.ec2.Instance i, Instant now) {
        return !InstanceStates.observed(i, now, delay()).equals(InstanceStates.TERMINATED);
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
        if (req.hasIpv6Addresses() || req.ipv6AddressCount() != null) {
            throw ErrorCode.UNSUPPORTED_OPERATION.with("underpass does not yet support IPv6 addresses.");
        }
        Map<String, Map<String, String>> tags = runTags(req.tagSpecifications());
        String zone = req.placement() == null ? null : req.placement().availabilityZone();
        var reservation = Instances.run(tx, api.settings().quotas(), new Instances.Run(req.imageId(),
                req.instanceTypeAsString(), req.minCount(), req.maxCount(), subnetId, zone, groupIds,
                req.securityGroups(), privateIp, req.keyName(), description, tags.get("instance"),
                tags.get("network-interface"), req.clientToken(), fingerprint(req)));
        Boolean publicIp = req.hasNetworkInterfaces() ? req.networkInterfaces().get(0).associatePublicIpAddress()
                : null;
        for (var instance : reservation.instances()) {
            if (instance.launchTime().equals(tx.now())) {
                PublicIps.onLaunch(tx, instance, publicIp);
            }
        }
        return RunInstancesResponse.builder().reservationId(reservation.reservationId())
                .ownerId(reservation.ownerId()).groups(List.of())
                .instances(reservation.instances().stream().map(i -> shape(tx.world(), i, i.state())).toList())
                .build();
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

    private DescribeInstancesResponse describe(DescribeInstancesRequest req, Ec2Api.ReadContext ctx) {
        World world = ctx.world();
        Instant now = ctx.now();
        if (req.hasInstanceIds() && req.maxResults() != null) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.with(
                    "The parameter instancesSet cannot be used with the parameter maxResults");
        }
        var page = listed(ctx, req.instanceIds()).filter(filters(world, now), req.filters())
                .page(req.maxResults(), req.nextToken(), Describe.Limits.STANDARD);
        // Reservations in order of their first instance on the page.
        Map<String, List<Instance>> byReservation = new LinkedHashMap<>();
        Map<String, String> owners = new LinkedHashMap<>();
        for (var i : page.items()) {
            byReservation.computeIfAbsent(i.reservationId(), k -> new ArrayList<>()).add(shape(world, i, InstanceStates.observed(i, now, delay())));
            owners.put(i.reservationId(), i.ownerId());
        }
        List<Reservation> reservations = new ArrayList<>();
        byReservation.forEach((id, instances) -> reservations.add(Reservation.builder().reservationId(id)
                .ownerId(owners.get(id)).groups(List.of()).instances(instances).build()));
        return DescribeInstancesResponse.builder().reservations(reservations).nextToken(page.nextToken()).build();
    }

    /** The instances a Describe call starts from: named ones (which must exist), or all the caller's listed ones. */
    private Describe<dev.underpass.model.ec2.Instance> listed(Ec2Api.ReadContext ctx, List<String> ids) {
        return Describe.visible(ctx, dev.underpass.model.ec2.Instance.class, Kind.INSTANCE, ids,
                i -> InstanceStates.listed(i, ctx.now(), delay()));
    }

    private DescribeInstanceStatusResponse describeStatus(DescribeInstanceStatusRequest req, Ec2Api.ReadContext ctx) {
        Instant now = ctx.now();
        if (req.hasInstanceIds() && req.maxResults() != null) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.with(
                    "The parameter instancesSet cannot be used with the parameter maxResults");
        }
        boolean all = Shapes.flag(req.includeAllInstances());
        FilterSpec<dev.underpass.model.ec2.Instance> statusFilters = FilterSpec.<dev.underpass.model.ec2.Instance>resources()
                .one("availability-zone", dev.underpass.model.ec2.Instance::availabilityZone)
                .one("availability-zone-id", i -> Regions.zone(i.region(), i.ownerId(), i.availabilityZone())
                        .map(Regions.Zone::zoneId).orElse(null))
                .one("instance-state-name", i -> InstanceStates.observed(i, now, delay()))
                .one("instance-state-code", i -> InstanceStates.code(InstanceStates.observed(i, now, delay())))
                .one("instance-status.status", i -> health(i, now))
                .one("system-status.status", i -> health(i, now))
                .one("instance-status.reachability", i -> reachability(i, now))
                .one("system-status.reachability", i -> reachability(i, now))
                .many("event.code", i -> List.of())
                .many("event.description", i -> List.of())
                .build();
        var page = listed(ctx, req.instanceIds())
                .where(i -> all || InstanceStates.observed(i, now, delay()).equals(InstanceStates.RUNNING))
                .filter(statusFilters, req.filters()).page(req.maxResults(), req.nextToken(), Describe.Limits.STANDARD);
        return DescribeInstanceStatusResponse.builder().instanceStatuses(page.items().stream().map(i -> {
            String reach = reachability(i, now);
            InstanceStatusSummary summary = InstanceStatusSummary.builder().status(health(i, now))
                    .details(reach == null ? List.of()
                            : List.of(InstanceStatusDetails.builder().name("reachability").status(reach).build()))
                    .build();
            return InstanceStatus.builder().instanceId(i.id()).availabilityZone(i.availabilityZone())
                    .availabilityZoneId(Regions.zone(i.region(), i.ownerId(), i.availabilityZone()).map(Regions.Zone::zoneId)
                            .orElse(null))
                    .instanceState(state(InstanceStates.observed(i, now, delay())))
                    .instanceStatus(summary).systemStatus(summary).events(List.of()).build();
        }).toList()).nextToken(page.nextToken()).build();
    }

    /** Status checks pass on a running instance and do not apply to any other. */
    private String health(dev.underpass.model.ec2.Instance i, Instant now) {
        return InstanceStates.observed(i, now, delay()).equals(InstanceStates.RUNNING) ? "ok" : "not-applicable";
    }

    private String reachability(dev.underpass.model.ec2.Instance i, Instant now) {
        return InstanceStates.observed(i, now, delay()).equals(InstanceStates.RUNNING) ? "passed" : null;
    }

    private StartInstancesResponse start(StartInstancesRequest req, Tx tx) {
        return StartInstancesResponse.builder()
                .startingInstances(changes(PublicIps.follow(tx, Instances.start(tx, delay(), req.instanceIds())))).build();
    }

    private StopInstancesResponse stop(StopInstancesRequest req, Tx tx) {
        return StopInstancesResponse.builder()
                .stoppingInstances(changes(PublicIps.follow(tx, Instances.stop(tx, delay(), req.instanceIds())))).build();
    }

    private TerminateInstancesResponse terminate(TerminateInstancesRequest req, Tx tx) {
        return TerminateInstancesResponse.builder()
                .terminatingInstances(changes(PublicIps.follow(tx, Instances.terminate(tx, delay(), req.instanceIds())))).build();
    }

    private static List<InstanceStateChange> changes(List<Instances.Transition> transitions) {
        return transitions.stream().map(t -> InstanceStateChange.builder().instanceId(t.instanceId())
                .previousState(state(t.previous())).currentState(state(t.current())).build()).toList();
    }

    private ModifyInstanceAttributeResponse modifyAttribute(ModifyInstanceAttributeRequest req, Tx tx) {
        String id = Shapes.required(req.instanceId(), "InstanceId");
        String attribute = req.attributeAsString();
        if (req.hasGroups() || "groupSet".equals(attribute)) {
            if (!req.hasGroups()) {
                throw Ec2Errors.missingParameter("GroupId");
            }
            Instances.modifyGroups(tx, api.settings().quotas(), delay(), id, req.groups());
        } else if (req.sourceDestCheck() != null || "sourceDestCheck".equals(attribute)) {
            Boolean value = req.sourceDestCheck() != null ? req.sourceDestCheck().value()
                    : req.value() == null ? null : Boolean.valueOf(req.value());
            if (value == null) {
                throw Ec2Errors.missingParameter("SourceDestCheck.Value");
            }
            Instances.modifySourceDestCheck(tx, delay(), id, value);
        } else if (req.instanceType() != null || "instanceType".equals(attribute)) {
            Instances.modifyInstanceType(tx, delay(), id,
                    req.instanceType() != null ? req.instanceType().value() : req.value());
        } else {
            Lookup.requireOwned(tx.world(), tx.caller(), Kind.INSTANCE, dev.underpass.model.ec2.Instance.class, id);
            throw ErrorCode.UNSUPPORTED_OPERATION.format("underpass does not yet support modifying the attribute "
                    + "%s; supported: groupSet, sourceDestCheck, instanceType.", attribute == null ? "given"
                            : attribute);
        }
        return ModifyInstanceAttributeResponse.builder().build();
    }

    private static InstanceState state(String name) {
        return InstanceState.builder().code(InstanceStates.code(name)).name(name).build();
    }

    /**
     * An instance as DescribeInstances and RunInstances show it in {@code state}: RunInstances always answers
     * {@code pending}, as AWS does, even when the configured transition is instant.
     */
    private Instance shape(World world, dev.underpass.model.ec2.Instance i, String state) {
        boolean terminated = state.equals(InstanceStates.TERMINATED);
        var image = dev.underpass.model.ec2.Images.find(i.region(), i.imageId());
        var b = Instance.builder().instanceId(i.id()).imageId(i.imageId()).instanceType(i.instanceType())
                .keyName(i.keyName()).state(state(state)).launchTime(i.launchTime())
                .amiLaunchIndex(Integer.parseInt(i.amiLaunchIndex()))
                .placement(Placement.builder().availabilityZone(i.availabilityZone()).groupName("")
                        .tenancy("default").build())
                .architecture(image.map(m -> m.architecture()).orElse("x86_64")).rootDeviceType("ebs")
                .rootDeviceName(image.map(m -> m.rootDeviceName()).orElse("/dev/xvda")).hypervisor("xen")
                .platform(image.map(m -> m.platform()).orElse(null))
                .platformDetails(image.map(m -> m.platformDetails()).orElse("Linux/UNIX"))
                .virtualizationType("hvm").monitoring(Monitoring.builder().state("disabled").build())
                .ebsOptimized(false).enaSupport(true).publicDnsName("").productCodes(List.of())
                .blockDeviceMappings(List.of()).clientToken(i.clientToken())
                .stateTransitionReason(transitionReason(i, state)).tags(Shapes.tags(i.tags()));
        StateReason reason = stateReason(state);
        if (reason != null) {
            b.stateReason(reason);
        }
        if (terminated) {
            b.privateDnsName("").securityGroups(List.of()).networkInterfaces(List.of());
            return b.build();
        }
        List<dev.underpass.model.ec2.NetworkInterface> enis = NetworkInterfaces.attachedTo(world, i.id());
        boolean sourceDestCheck = enis.stream().filter(n -> n.id().equals(i.primaryNetworkInterfaceId()))
                .findFirst().map(dev.underpass.model.ec2.NetworkInterface::sourceDestCheck).orElse(true);
        ElasticIps.PublicAddress pub = ElasticIps.publicAddress(world, i.primaryNetworkInterfaceId(),
                i.privateIpAddress());
        if (pub != null) {
            b.publicIpAddress(pub.publicIp());
        }
        return b.privateIpAddress(i.privateIpAddress())
                .privateDnsName(NetworkInterfaces.privateDnsName(i.region(), i.privateIpAddress()))
                .subnetId(i.subnetId()).vpcId(i.vpcId()).sourceDestCheck(sourceDestCheck)
                .securityGroups(NetworkInterfaceHandlers.groups(world, i.groupIds()))
                .networkInterfaces(enis.stream().map(n -> networkInterface(world, n)).toList())
                .build();
    }

    private static InstanceNetworkInterface networkInterface(World world, dev.underpass.model.ec2.NetworkInterface n) {
        var a = n.attachment();
        return InstanceNetworkInterface.builder().networkInterfaceId(n.id()).subnetId(n.subnetId()).vpcId(n.vpcId())
                .description(n.description()).ownerId(n.ownerId()).status(n.status()).macAddress(n.macAddress())
                .privateIpAddress(n.primaryIp())
                .privateDnsName(NetworkInterfaces.privateDnsName(n.region(), n.primaryIp()))
                .sourceDestCheck(n.sourceDestCheck()).interfaceType(n.interfaceType())
                .groups(NetworkInterfaceHandlers.groups(world, n.groupIds())).ipv6Addresses(List.of())
                .association(instanceAssociation(ElasticIps.publicAddress(world, n.id(), n.primaryIp())))
                .privateIpAddresses(n.privateIps().stream().map(ip -> InstancePrivateIpAddress.builder()
                        .primary(ip.primary()).privateIpAddress(ip.address())
                        .association(instanceAssociation(ElasticIps.publicAddress(world, n.id(), ip.address())))
                        .privateDnsName(NetworkInterfaces.privateDnsName(n.region(), ip.address())).build()).toList())
                .attachment(InstanceNetworkInterfaceAttachment.builder().attachmentId(a.attachmentId())
                        .attachTime(a.attachTime()).deleteOnTermination(a.deleteOnTermination())
                        .deviceIndex(a.deviceIndex()).networkCardIndex(0).status(a.status()).build())
                .build();
    }

    /** The public address of an instance's private address, as the instance's interfaces show it. */
    private static software.amazon.awssdk.services.ec2.model.InstanceNetworkInterfaceAssociation instanceAssociation(
            ElasticIps.PublicAddress pub) {
        return pub == null ? null : software.amazon.awssdk.services.ec2.model.InstanceNetworkInterfaceAssociation
                .builder().publicIp(pub.publicIp()).ipOwnerId(pub.ipOwnerId()).publicDnsName("").build();
    }

    /** AWS explains a stop or termination the user asked for; a running instance has an empty reason. */
    private static String transitionReason(dev.underpass.model.ec2.Instance i, String state) {
        return switch (state) {
            case InstanceStates.STOPPING, InstanceStates.STOPPED, InstanceStates.SHUTTING_DOWN,
                    InstanceStates.TERMINATED -> "User initiated (" + REASON_TIME.format(i.stateChangedAt()) + ")";
            default -> "";
        };
    }

    private static StateReason stateReason(String state) {
        return switch (state) {
            case InstanceStates.PENDING -> StateReason.builder().code("pending").message("pending").build();
            case InstanceStates.STOPPING, InstanceStates.STOPPED, InstanceStates.SHUTTING_DOWN,
                    InstanceStates.TERMINATED -> StateReason.builder().code("Client.UserInitiatedShutdown")
                    .message("Client.UserInitiatedShutdown: User initiated shutdown").build();
            default -> null;
        };
    }
}
