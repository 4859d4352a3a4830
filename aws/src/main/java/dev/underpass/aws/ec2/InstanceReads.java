package dev.underpass.aws.ec2;

import dev.underpass.model.ec2.ReservationId;
import dev.underpass.model.ec2.InstanceId;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.World;
import dev.underpass.model.ec2.InstanceState;
import dev.underpass.model.ec2.InstanceStates;
import dev.underpass.model.ec2.InstanceSettings;
import dev.underpass.model.ec2.Instances;
import dev.underpass.model.ec2.ElasticIps;
import dev.underpass.model.ec2.Kind;
import dev.underpass.model.ec2.NetworkInterfaces;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceStatusRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstanceStatusResponse;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStatus;
import software.amazon.awssdk.services.ec2.model.InstanceStatusDetails;
import software.amazon.awssdk.services.ec2.model.InstanceStatusSummary;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.StateReason;

/**
 * The read side of {@link InstanceHandlers}: DescribeInstances and DescribeInstanceStatus with their filters, always
 * on the state observed at the request's time (a terminated instance no longer shows its network).
 */
final class InstanceReads {
    private final Ec2Registry api;

    InstanceReads(Ec2Registry api) {
        this.api = api;
    }

    private Duration delay() {
        return api.settings().instanceTransition();
    }

    /** Filters of DescribeInstances, evaluated against the state observed at {@code now}. */
    private FilterSpec<dev.underpass.model.ec2.Instance> filters(World world, Instant now) {
        Function<dev.underpass.model.ec2.Instance, List<dev.underpass.model.ec2.NetworkInterface>> enis =
                i -> NetworkInterfaces.attachedTo(world, i.instanceId());
        return FilterSpec.<dev.underpass.model.ec2.Instance>resources()
                .one("instance-id", dev.underpass.model.ec2.Instance::id)
                .one("instance-state-name", i -> InstanceStates.observed(i, now, delay()).wire())
                .one("instance-state-code", i -> InstanceStates.observed(i, now, delay()).code())
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
                .each("network-interface.network-interface-id", enis, dev.underpass.model.ec2.NetworkInterface::id)
                .each("network-interface.subnet-id", enis, dev.underpass.model.ec2.NetworkInterface::subnetId)
                .each("network-interface.vpc-id", enis, dev.underpass.model.ec2.NetworkInterface::vpcId)
                .many("network-interface.addresses.private-ip-address", i -> enis.apply(i).stream()
                        .flatMap(n -> n.privateIps().stream()).map(ip -> ip.address()).toList())
                .many("network-interface.ipv6-addresses.ipv6-address", i -> enis.apply(i).stream()
                        .flatMap(n -> n.ipv6Addresses().stream()).toList())
                .many("network-interface.group-id", i -> enis.apply(i).stream()
                        .flatMap(n -> n.groupIds().stream()).toList())
                .each("network-interface.mac-address", enis, dev.underpass.model.ec2.NetworkInterface::macAddress)
                .each("network-interface.status", enis, dev.underpass.model.ec2.NetworkInterface::status)
                .each("network-interface.description", enis, dev.underpass.model.ec2.NetworkInterface::description)
                .each("network-interface.owner-id", enis, dev.underpass.model.ec2.NetworkInterface::ownerId)
                .many("network-interface.source-dest-check", i -> enis.apply(i).stream()
                        .map(n -> Boolean.toString(n.sourceDestCheck())).toList())
                .many("network-interface.attachment.attachment-id", i -> enis.apply(i).stream()
                        .map(n -> n.attachment().attachmentId()).toList())
                .many("network-interface.attachment.device-index", i -> enis.apply(i).stream()
                        .map(n -> Integer.toString(n.attachment().deviceIndex())).toList())
                .one("source-dest-check", i -> enis.apply(i).stream()
                        .filter(n -> n.networkInterfaceId().equals(i.primaryNetworkInterfaceId())).findFirst()
                        .map(n -> Boolean.toString(n.sourceDestCheck())).orElse(null))
                .one("state-reason-code", i -> {
                    StateReason r = InstanceShapes.stateReason(InstanceStates.observed(i, now, delay()));
                    return r == null ? null : r.code();
                })
                .one("availability-zone", dev.underpass.model.ec2.Instance::availabilityZone)
                .one("availability-zone-id",
                        i -> world.azMapping().zoneId(i.region(), i.ownerId(), i.availabilityZone()))
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
                .one("metadata-options.http-tokens", i -> InstanceSettings.metadataOptions(i).httpTokens())
                .one("metadata-options.http-put-response-hop-limit",
                        i -> Integer.toString(InstanceSettings.metadataOptions(i).hopLimit()))
                .one("metadata-options.http-endpoint", i -> InstanceSettings.metadataOptions(i).httpEndpoint())
                .one("metadata-options.http-protocol-ipv4", i -> InstanceSettings.metadataOptions(i).httpEndpoint())
                .one("metadata-options.http-protocol-ipv6", i -> InstanceSettings.metadataOptions(i).httpProtocolIpv6())
                .one("metadata-options.instance-metadata-tags",
                        i -> InstanceSettings.metadataOptions(i).instanceMetadataTags())
                .build();
    }

    /** A terminated instance no longer shows its subnet, address or groups, as in AWS. */
    private boolean shownInNetwork(dev.underpass.model.ec2.Instance i, Instant now) {
        return !InstanceStates.observed(i, now, delay()).equals(InstanceState.TERMINATED);
    }

    DescribeInstancesResponse describe(DescribeInstancesRequest req, Ec2Api.ReadContext ctx) {
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
            byReservation.computeIfAbsent(ReservationId.text(i.reservationId()), k -> new ArrayList<>())
                    .add(InstanceShapes.shape(world, i, InstanceStates.observed(i, now, delay())));
            owners.put(ReservationId.text(i.reservationId()), i.ownerId());
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

    DescribeInstanceStatusResponse describeStatus(DescribeInstanceStatusRequest req, Ec2Api.ReadContext ctx) {
        Instant now = ctx.now();
        if (req.hasInstanceIds() && req.maxResults() != null) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.with(
                    "The parameter instancesSet cannot be used with the parameter maxResults");
        }
        boolean all = Shapes.flag(req.includeAllInstances());
        FilterSpec<dev.underpass.model.ec2.Instance> statusFilters =
                FilterSpec.<dev.underpass.model.ec2.Instance>resources()
                        .one("availability-zone", dev.underpass.model.ec2.Instance::availabilityZone)
                        .one("availability-zone-id",
                                i -> ctx.world().azMapping().zoneId(i.region(), i.ownerId(), i.availabilityZone()))
                        .one("instance-state-name", i -> InstanceStates.observed(i, now, delay()).wire())
                        .one("instance-state-code", i -> InstanceStates.observed(i, now, delay()).code())
                        .one("instance-status.status", i -> health(i, now))
                        .one("system-status.status", i -> health(i, now))
                        .one("instance-status.reachability", i -> reachability(i, now))
                        .one("system-status.reachability", i -> reachability(i, now))
                        .many("event.code", i -> List.of())
                        .many("event.description", i -> List.of())
                        .build();
        var page = listed(ctx, req.instanceIds())
                .where(i -> all || InstanceStates.observed(i, now, delay()).equals(InstanceState.RUNNING))
                .filter(statusFilters, req.filters()).page(req.maxResults(), req.nextToken(), Describe.Limits.STANDARD);
        return DescribeInstanceStatusResponse.builder().instanceStatuses(page.map(i -> {
            String reach = reachability(i, now);
            InstanceStatusSummary summary = InstanceStatusSummary.builder().status(health(i, now))
                    .details(reach == null ? List.of()
                            : List.of(InstanceStatusDetails.builder().name("reachability").status(reach).build()))
                    .build();
            return InstanceStatus.builder().instanceId(i.id()).availabilityZone(i.availabilityZone())
                    .availabilityZoneId(
                            ctx.world().azMapping().zoneId(i.region(), i.ownerId(), i.availabilityZone()))
                    .instanceState(InstanceShapes.state(InstanceStates.observed(i, now, delay())))
                    .instanceStatus(summary).systemStatus(summary).events(List.of()).build();
        })).nextToken(page.nextToken()).build();
    }

    /** Status checks pass on a running instance and do not apply to any other. */
    private String health(dev.underpass.model.ec2.Instance i, Instant now) {
        return InstanceStates.observed(i, now, delay()).equals(InstanceState.RUNNING) ? "ok" : "not-applicable";
    }

    private String reachability(dev.underpass.model.ec2.Instance i, Instant now) {
        return InstanceStates.observed(i, now, delay()).equals(InstanceState.RUNNING) ? "passed" : null;
    }
}
