package dev.underpass.model.ec2;

import dev.underpass.model.Caller;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Tx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Instances, minimal but real: RunInstances places each instance in a subnet through a primary network interface
 * (device 0, deleted on termination) with a private address from the subnet, groups them in a reservation, and
 * honours {@code ClientToken} idempotency; start, stop and terminate follow AWS's lifecycle through
 * {@link InstanceStates}. Images come from the built-in catalogue ({@link Images}) and types from
 * {@link InstanceTypes}; volumes and capacity are not modelled.
 *
 * <p>Follows <a href="https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RunInstances.html">RunInstances</a>
 * and <a href="https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-lifecycle.html">the instance
 * lifecycle</a>.
 */
public final class Instances {
    /** AWS's documented default instance type for RunInstances. */
    public static final String DEFAULT_INSTANCE_TYPE = "m1.small";

    private Instances() {}

    /**
     * A launch request. {@code subnetId} null means the default subnet of the default VPC (in {@code zone} when
     * given); {@code groupIds} empty means the VPC's default group; {@code groupNames} are looked up in the VPC.
     * {@code fingerprint} identifies the request's parameters for ClientToken idempotency. {@code dnsNameOptions}
     * are the request's {@code PrivateDnsNameOptions} (null, or any part of it null: the subnet's on-launch value).
     */
    public record Run(ImageId imageId, String instanceType, Integer minCount, Integer maxCount, SubnetId subnetId,
            String zone, List<SecurityGroupId> groupIds, List<String> groupNames, String privateIpAddress,
            String keyName,
            String interfaceDescription, Map<String, String> instanceTags, Map<String, String> interfaceTags,
            String clientToken, String fingerprint, DnsNameRequest dnsNameOptions, Integer ipv6AddressCount) {
        /** A launch that leaves the IPv6 addresses to the subnet's {@code AssignIpv6AddressOnCreation}. */
        public Run(ImageId imageId, String instanceType, Integer minCount, Integer maxCount, SubnetId subnetId,
                String zone, List<SecurityGroupId> groupIds, List<String> groupNames, String privateIpAddress,
                String keyName,
                String interfaceDescription, Map<String, String> instanceTags, Map<String, String> interfaceTags,
                String clientToken, String fingerprint, DnsNameRequest dnsNameOptions) {
            this(imageId, instanceType, minCount, maxCount, subnetId, zone, groupIds, groupNames, privateIpAddress,
                    keyName, interfaceDescription, instanceTags, interfaceTags, clientToken, fingerprint,
                    dnsNameOptions, null);
        }

        /** A launch that leaves the DNS name options to the subnet. */
        public Run(ImageId imageId, String instanceType, Integer minCount, Integer maxCount, SubnetId subnetId,
                String zone, List<SecurityGroupId> groupIds, List<String> groupNames, String privateIpAddress,
                String keyName,
                String interfaceDescription, Map<String, String> instanceTags, Map<String, String> interfaceTags,
                String clientToken, String fingerprint) {
            this(imageId, instanceType, minCount, maxCount, subnetId, zone, groupIds, groupNames, privateIpAddress,
                    keyName, interfaceDescription, instanceTags, interfaceTags, clientToken, fingerprint, null,
                    null);
        }

        public Run {
            groupIds = groupIds == null ? List.of() : List.copyOf(groupIds);
            groupNames = groupNames == null ? List.of() : List.copyOf(groupNames);
            instanceTags = instanceTags == null ? Map.of() : instanceTags;
            interfaceTags = interfaceTags == null ? Map.of() : interfaceTags;
        }
    }

    /**
     * Requested DNS name options, of RunInstances or ModifyPrivateDnsNameOptions: a null part is left as it is (the
     * subnet's on-launch value at launch, the instance's current one on a change).
     */
    public record DnsNameRequest(String hostnameType, Boolean enableResourceNameDnsARecord,
            Boolean enableResourceNameDnsAAAARecord) {}

    /** The instances launched together, {@code r-…}. */
    public record Reservation(ReservationId reservationId, String ownerId, List<Instance> instances) {}

    /** One instance's move in a start, stop or terminate call. */
    public record Transition(InstanceId instanceId, InstanceState previous, InstanceState current) {}

    public static Reservation run(Tx tx, Quotas quotas, Run cmd) {
        Caller caller = tx.caller();
        if (cmd.clientToken() != null && !cmd.clientToken().isEmpty()) {
            List<Instance> earlier = Scoped.owned(tx.world(), caller, Instance.class,
                    i -> cmd.clientToken().equals(i.clientToken()));
            if (!earlier.isEmpty()) {
                if (!Objects.equals(earlier.get(0).launchFingerprint(), cmd.fingerprint())) {
                    throw ErrorCode.IDEMPOTENT_PARAMETER_MISMATCH.format("The client token '%s' was already used "
                            + "with different parameters.", cmd.clientToken());
                }
                List<Instance> sorted = new ArrayList<>(earlier);
                sorted.sort(Comparator.comparing(i -> Integer.parseInt(i.amiLaunchIndex())));
                return new Reservation(sorted.get(0).reservationId(), caller.accountId(), sorted);
            }
        }
        if (cmd.imageId() == null || cmd.imageId().isEmpty()) {
            throw Ec2Errors.missingParameter("ImageId");
        }
        Images.Image image = Images.require(caller.region(), cmd.imageId());
        String type = cmd.instanceType() == null ? DEFAULT_INSTANCE_TYPE : cmd.instanceType();
        InstanceTypes.requireCompatible(InstanceTypes.require(type), image);
        int min = count(cmd.minCount(), "MinCount");
        int max = count(cmd.maxCount(), "MaxCount");
        if (min > max) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "MinCount (%d) must be less than or equal to MaxCount (%d).", min, max);
        }
        if (cmd.privateIpAddress() != null && min > 1) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.format(
                    "Private IP address %s may only be given when launching a single instance.",
                    cmd.privateIpAddress());
        }
        Subnet subnet = cmd.subnetId() != null
                // A subnet shared with the caller is as good as its own for launching (VPC sharing).
                ? Subnets.asSeenBy(tx.world(), caller, Lookup.require(tx.world(), caller, Kind.SUBNET, Subnet.class,
                        cmd.subnetId()))
                : defaultSubnet(tx, cmd.zone());
        if (cmd.zone() != null && !cmd.zone().equals(subnet.availabilityZone())) {
            throw Ec2Errors.invalidValue(cmd.zone(), "availabilityZone", String.format(""
                    + "Subnet %s is in availability zone %s.", subnet.subnetId(), subnet.availabilityZone()));
        }
        List<SecurityGroupId> groups = new ArrayList<>(cmd.groupIds());
        for (String name : cmd.groupNames()) {
            groups.add(Scoped.inVpc(tx.world(), SecurityGroup.class, subnet.vpcId(),
                    g -> name.equals(g.groupName()) && Visibility.owns(caller, g)).stream().findFirst()
                    .map(SecurityGroup::groupId)
                    .orElseThrow(() -> ErrorCode.INVALID_GROUP_NOT_FOUND.format(
                            "The security group '%s' does not exist in VPC '%s'", name, subnet.vpcId())));
        }
        List<SecurityGroupId> resolved = NetworkInterfaces.groups(tx, quotas, subnet, groups);
        Instance.DnsNameOptions dns = applied(onLaunch(subnet), cmd.dnsNameOptions(), subnet);
        // AWS launches as many as it can between MinCount and MaxCount; fewer than MinCount and nothing launches.
        long free = Subnets.availableAddressCount(tx.world(), subnet);
        int n = (int) Math.min(max, free);
        if (n < min) {
            throw ErrorCode.INSUFFICIENT_FREE_ADDRESSES_IN_SUBNET.format("There are not enough free addresses in "
                    + "subnet '%s' to satisfy the requested number of instances.", subnet.subnetId());
        }
        int ipv6 = ipv6Count(cmd.ipv6AddressCount(), subnet);
        ReservationId reservationId = new ReservationId(Ids.next(ReservationId.PREFIX));
        List<Instance> launched = new ArrayList<>();
        for (int index = 0; index < n; index++) {
            String instanceId = Ids.next("i");
            List<NetworkInterfaces.RequestedIp> ips = cmd.privateIpAddress() == null ? List.of()
                    : List.of(new NetworkInterfaces.RequestedIp(cmd.privateIpAddress(), true));
            NetworkInterface eni = NetworkInterfaces.createIn(tx, quotas, subnet,
                    cmd.interfaceDescription() == null ? "" : cmd.interfaceDescription(), resolved, ips, 0,
                    "interface", cmd.interfaceTags());
            for (int k = 0; k < ipv6; k++) {
                List<String> v6 = new ArrayList<>(eni.ipv6Addresses());
                v6.add(Subnets.allocateIpv6(tx.world(), subnet, eni.id() + (k == 0 ? "" : "/" + k)));
                eni = tx.put(eni.withIpv6Addresses(v6));
            }
            tx.put(eni.withAttachment(new NetworkInterface.Attachment(
                    new NetworkInterfaceAttachmentId(Ids.next(NetworkInterfaceAttachmentId.PREFIX)),
                    InstanceId.of(instanceId),
                    caller.accountId(), 0, AttachmentStatus.ATTACHED, true, tx.now())));
            Instance instance = new Instance(instanceId, caller.accountId(), caller.region(), cmd.imageId(), type,
                    cmd.keyName(), subnet.subnetId(), subnet.vpcId(), subnet.availabilityZone(),
                    eni.networkInterfaceId(),
                    eni.primaryIp(),
                    resolved, InstanceState.PENDING, tx.now(), tx.now(), Integer.toString(index), reservationId,
                    cmd.clientToken() == null ? "" : cmd.clientToken(), cmd.instanceTags(), cmd.fingerprint(), dns);
            launched.add(tx.put(instance));
        }
        return new Reservation(reservationId, caller.accountId(), launched);
    }

    /**
     * How many IPv6 addresses each launched instance's interface gets: the request's {@code Ipv6AddressCount}, else
     * one when the subnet assigns IPv6 addresses on creation, else none. A subnet without an IPv6 CIDR block takes
     * none (InvalidParameterCombination when asked).
     */
    static int ipv6Count(Integer requested, Subnet subnet) {
        if (requested == null) {
            return subnet.assignIpv6AddressOnCreation() && subnet.ipv6CidrBlock() != null ? 1 : 0;
        }
        if (requested < 0 || requested > NetworkInterfaces.MAX_IPV6_ADDRESSES) {
            throw Ec2Errors.invalidValue(requested, "Ipv6AddressCount", "Expected an integer from 0 to "
                    + NetworkInterfaces.MAX_IPV6_ADDRESSES + ".");
        }
        if (requested > 0 && subnet.ipv6CidrBlock() == null) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.format("The subnet '%s' has no IPv6 CIDR block: IPv6 "
                    + "addresses cannot be assigned to instances launched in it.", subnet.subnetId());
        }
        return requested;
    }

    private static int count(Integer value, String name) {
        if (value == null) {
            throw Ec2Errors.missingParameter(name);
        }
        if (value < 1) {
            throw Ec2Errors.invalidValue(value,
                    Character.toLowerCase(name.charAt(0)) + name.substring(1), "Expected a positive integer.");
        }
        return value;
    }

    /**
     * The subnet AWS launches into when none is named: the default subnet of the account's default VPC, in the
     * requested zone or else the first zone that has one.
     */
    static Subnet defaultSubnet(Tx tx, String zone) {
        Caller caller = tx.caller();
        Vpc vpc = Scoped.owned(tx.world(), caller, Vpc.class, Vpc::isDefault).stream().findFirst()
                .orElseThrow(() -> ErrorCode.VPC_ID_NOT_SPECIFIED.with(
                        "No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC."));
        return Scoped.inVpc(tx.world(), Subnet.class, vpc.vpcId(), s -> s.defaultForAz()
                && (zone == null || s.availabilityZone().equals(zone))).stream()
                .min(Comparator.comparing(Subnet::availabilityZone))
                .orElseThrow(() -> ErrorCode.MISSING_INPUT.format(
                        "No subnets found for the default VPC '%s'. Please specify a subnet.", vpc.vpcId()));
    }

    /** The caller's instances named by {@code ids}, for a change; unknown ids fail the whole call. */
    private static List<Instance> owned(Tx tx, List<String> ids) {
        if (ids == null || ids.isEmpty()) {
            throw Ec2Errors.missingParameter("InstanceId");
        }
        List<Instance> found = Lookup.requireAll(tx.world(), tx.caller(), Kind.INSTANCE, Instance.class, ids);
        for (Instance i : found) {
            if (!Visibility.owns(tx.caller(), i)) {
                throw Kind.INSTANCE.notFound(i.id());
            }
        }
        return found;
    }

    /** Starts stopped instances: stopped → pending → running; running ones are left as they are. */
    public static List<Transition> start(Tx tx, Duration delay, List<String> ids) {
        return move(tx, delay, ids, InstanceState.STOPPED, InstanceState.PENDING, InstanceState.RUNNING,
                "The instance '%s' is not in a state from which it can be started.");
    }

    /**
     * Stops running instances: running → stopping → stopped; stopped ones are left as they are. One with stop
     * protection ({@code disableApiStop}) refuses the whole call.
     */
    public static List<Transition> stop(Tx tx, Duration delay, List<String> ids) {
        for (Instance i : owned(tx, ids)) {
            if (i.settingsOrDefaults().disableApiStop()) {
                throw ErrorCode.OPERATION_NOT_PERMITTED.format("The instance '%s' may not be stopped. Modify its "
                        + "'disableApiStop' instance attribute and try again.", i.id());
            }
        }
        return move(tx, delay, ids, InstanceState.RUNNING, InstanceState.STOPPING, InstanceState.STOPPED,
                "This instance '%s' is not in a state from which it can be stopped.");
    }

    /**
     * Moves every instance in state {@code from} on to {@code via} (on its way to {@code to}); one already in
     * {@code via} or {@code to} stays as it is. An instance in any other state refuses the whole call with
     * {@code refusal} (its id in place of {@code %s}) before anything changes.
     */
    private static List<Transition> move(Tx tx, Duration delay, List<String> ids, InstanceState from, InstanceState via,
            InstanceState to,
            String refusal) {
        List<Instance> all = owned(tx, ids);
        for (Instance i : all) {
            InstanceState s = InstanceStates.observed(i, tx.now(), delay);
            if (!s.equals(from) && !s.equals(to) && !s.equals(via)) {
                throw ErrorCode.INCORRECT_INSTANCE_STATE.format(refusal, i.id());
            }
        }
        List<Transition> out = new ArrayList<>();
        for (Instance i : all) {
            InstanceState s = InstanceStates.observed(i, tx.now(), delay);
            if (s.equals(from)) {
                tx.put(i.withState(via, tx.now()));
                out.add(new Transition(i.instanceId(), s, via));
            } else {
                out.add(new Transition(i.instanceId(), s, s));
            }
        }
        return out;
    }

    /**
     * Terminates instances from any state: → shutting-down → terminated. The interfaces marked delete-on-termination
     * go at once (so their addresses are free again), the others are detached.
     */
    public static List<Transition> terminate(Tx tx, Duration delay, List<String> ids) {
        List<Instance> all = owned(tx, ids);
        for (Instance i : all) {
            if (i.settingsOrDefaults().disableApiTermination()) {
                throw ErrorCode.OPERATION_NOT_PERMITTED.format("The instance '%s' may not be terminated. Modify its "
                        + "'disableApiTermination' instance attribute and try again.", i.id());
            }
        }
        List<Transition> out = new ArrayList<>();
        for (Instance i : all) {
            InstanceState s = InstanceStates.observed(i, tx.now(), delay);
            if (s.equals(InstanceState.TERMINATED) || s.equals(InstanceState.SHUTTING_DOWN)) {
                out.add(new Transition(i.instanceId(), s, s));
                continue;
            }
            for (NetworkInterface eni : NetworkInterfaces.attachedTo(tx.world(), i.instanceId())) {
                if (eni.attachment().deleteOnTermination()) {
                    tx.remove(eni);
                } else {
                    tx.put(eni.withAttachment(null));
                }
            }
            tx.put(i.withState(InstanceState.SHUTTING_DOWN, tx.now()));
            out.add(new Transition(i.instanceId(), s, InstanceState.SHUTTING_DOWN));
        }
        return out;
    }

    /** The DNS name options an instance launched in {@code subnet} gets when it asks for none. */
    static Instance.DnsNameOptions onLaunch(Subnet subnet) {
        return new Instance.DnsNameOptions(subnet.hostnameTypeOnLaunch(), subnet.enableResourceNameDnsARecordOnLaunch(),
                subnet.enableResourceNameDnsAAAARecordOnLaunch());
    }

    /**
     * The instance's DNS name options: its own, or for one stored before they were kept, its subnet's current
     * on-launch ones (what the data plane read before); AWS's defaults when the subnet is gone.
     */
    public static Instance.DnsNameOptions dnsNameOptions(dev.underpass.model.World world, Instance instance) {
        if (instance.privateDnsNameOptions() != null) {
            return instance.privateDnsNameOptions();
        }
        return world.find(Subnet.class, instance.subnetId()).map(Instances::onLaunch)
                .orElse(new Instance.DnsNameOptions(Instance.IP_NAME, false, false));
    }

    /** A hostname type that {@code req} gives must be one AWS knows; checked before anything about the instance. */
    private static void requireHostnameType(DnsNameRequest req) {
        String type = req.hostnameType();
        if (type != null && !type.equals(Instance.IP_NAME) && !type.equals(Instance.RESOURCE_NAME)) {
            throw Ec2Errors.invalidValue(type, "PrivateDnsHostnameType", "Valid values are: ip-name, resource-name.");
        }
    }

    /** {@code current} with the parts {@code req} gives, checked as AWS checks them. */
    static Instance.DnsNameOptions applied(Instance.DnsNameOptions current, DnsNameRequest req, Subnet subnet) {
        if (req == null) {
            return current;
        }
        requireHostnameType(req);
        String type = req.hostnameType() != null ? req.hostnameType() : current.hostnameType();
        if (subnet != null && subnet.ipv6Native() && type.equals(Instance.IP_NAME)) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format("The hostname type ip-name is not supported for "
                    + "instances in the IPv6-only subnet %s; use resource-name.", subnet.subnetId());
        }
        boolean a = req.enableResourceNameDnsARecord() != null ? req.enableResourceNameDnsARecord()
                : current.enableResourceNameDnsARecord();
        boolean aaaa = req.enableResourceNameDnsAAAARecord() != null ? req.enableResourceNameDnsAAAARecord()
                : current.enableResourceNameDnsAAAARecord();
        return new Instance.DnsNameOptions(type, a, aaaa);
    }

    /**
     * ModifyPrivateDnsNameOptions: changes an instance's hostname type (only while it is stopped, as AWS requires)
     * and its resource-name record switches (in any state but terminated).
     */
    public static void modifyDnsNameOptions(Tx tx, Duration delay, InstanceId instanceId, DnsNameRequest req) {
        // AWS checks the value before the instance's state: a bad type is InvalidParameterValue even when running.
        requireHostnameType(req);
        Instance instance = Lookup.requireOwned(tx.world(), tx.caller(), Kind.INSTANCE, Instance.class, instanceId);
        InstanceState state = InstanceStates.observed(instance, tx.now(), delay);
        if (state.equals(InstanceState.TERMINATED) || state.equals(InstanceState.SHUTTING_DOWN)) {
            throw ErrorCode.INCORRECT_INSTANCE_STATE.format(
                    "The instance '%s' is not in a valid state for this operation: it is %s.", instanceId, state);
        }
        Instance.DnsNameOptions current = dnsNameOptions(tx.world(), instance);
        if (req.hostnameType() != null && !req.hostnameType().equals(current.hostnameType())
                && !state.equals(InstanceState.STOPPED)) {
            throw ErrorCode.INCORRECT_INSTANCE_STATE.format("The instance '%s' is not in the 'stopped' state.",
                    instanceId);
        }
        Subnet subnet = tx.world().find(Subnet.class, instance.subnetId()).orElse(null);
        tx.put(instance.withPrivateDnsNameOptions(applied(current, req, subnet)));
    }
}
