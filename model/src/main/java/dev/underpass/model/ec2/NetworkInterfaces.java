package dev.underpass.model.ec2;

import dev.underpass.model.ResourceId;
import dev.underpass.model.Caller;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.net.Ipv4;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Elastic network interface rules: where addresses come from (the subnet, never a reserved or taken one), which
 * security groups apply (the VPC's {@code default} group unless told otherwise, never another VPC's), attachment to
 * instances (one interface per device index, the primary at index 0 never detachable) and what may be deleted
 * (nothing attached, nothing another service manages).
 *
 * <p>Follows <a href="https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-eni.html">Elastic network
 * interfaces</a>. Address allocation is safe without locks because every write runs on the store's single writer.
 */
public final class NetworkInterfaces {
    /**
     * The most private IPv4 addresses one interface may hold. AWS's real limit depends on the instance type of the
     * attached instance (50 on the largest); underpass applies the largest everywhere.
     */
    public static final int MAX_ADDRESSES = 50;
    /**
     * IPv6 addresses per interface, one limit for every instance type: AWS's depends on the type (t3.micro takes 2,
     * the largest types 50), which underpass does not model.
     */
    public static final int MAX_IPV6_ADDRESSES = 10;

    /** Interface types a user may ask CreateNetworkInterface for; {@code interface} is the default. */
    private static final Set<String> CREATABLE_TYPES = Set.of("interface", "efa", "efa-only", "branch", "trunk");

    private NetworkInterfaces() {}

    /** One requested private address; at most one may be primary. */
    public record RequestedIp(String address, boolean primary) {}

    /**
     * A request to create an interface. {@code addresses} are explicit addresses (the primary first or flagged),
     * {@code secondaryCount} asks for that many more chosen by underpass. An empty {@code groupIds} means the VPC's
     * default group.
     */
    public record Create(SubnetId subnetId, String description, List<SecurityGroupId> groupIds,
            List<RequestedIp> addresses,
            int secondaryCount, String interfaceType, Map<String, String> tags) {
        public Create {
            groupIds = groupIds == null ? List.of() : List.copyOf(groupIds);
            addresses = addresses == null ? List.of() : List.copyOf(addresses);
            tags = tags == null ? Map.of() : tags;
        }
    }

    /**
     * The interface as {@code caller} sees it: a participant's interface in the caller's shared VPC carries the
     * caller's name for its subnet's zone (names are per account, zone ids are not).
     */
    public static NetworkInterface asSeenBy(World world, Caller caller, NetworkInterface eni) {
        if (Visibility.owns(caller, eni)) {
            return eni;
        }
        return world.find(Subnet.class, eni.subnetId()).map(s -> Subnets.asSeenBy(world, caller, s))
                .filter(s -> !s.availabilityZone().equals(eni.availabilityZone()))
                .map(s -> eni.withAvailabilityZone(s.availabilityZone())).orElse(eni);
    }

    public static NetworkInterface create(Tx tx, Quotas quotas, Create cmd) {
        // A subnet shared with the caller takes its interfaces too (VPC sharing).
        Subnet subnet = Subnets.asSeenBy(tx.world(), tx.caller(),
                Lookup.require(tx.world(), tx.caller(), Kind.SUBNET, Subnet.class, cmd.subnetId()));
        String type = cmd.interfaceType() == null ? "interface" : cmd.interfaceType();
        if (!CREATABLE_TYPES.contains(type)) {
            throw Ec2Errors.invalidValue(type, "interfaceType", "Valid values: efa, efa-only, branch, trunk");
        }
        List<SecurityGroupId> groups = groups(tx, quotas, subnet, cmd.groupIds());
        return createIn(tx, quotas, subnet, cmd.description(), groups, cmd.addresses(), cmd.secondaryCount(), type,
                cmd.tags());
    }

    /**
     * Creates an interface in a subnet already checked, with groups already resolved. RunInstances uses it for each
     * instance's primary interface.
     */
    static NetworkInterface createIn(Tx tx, Quotas quotas, Subnet subnet, String description,
            List<SecurityGroupId> groups,
            List<RequestedIp> requested, int secondaryCount, String type, Map<String, String> tags) {
        Caller caller = tx.caller();
        long owned = Scoped.owned(tx.world(), caller, NetworkInterface.class).size();
        if (owned >= quotas.networkInterfacesPerRegion()) {
            throw ErrorCode.NETWORK_INTERFACE_LIMIT_EXCEEDED.format(
                    "You have reached the limit of %d network interfaces in region %s.",
                    quotas.networkInterfacesPerRegion(), caller.region());
        }
        List<NetworkInterface.PrivateIp> ips = addresses(tx.world(), subnet, requested, secondaryCount);
        NetworkInterface eni = new NetworkInterface(Ids.next("eni"), caller.accountId(), caller.region(),
                subnet.subnetId(), subnet.vpcId(), subnet.availabilityZone(), description == null ? "" : description,
                type,
                false, null, macAddress(), true, ips, groups, null, tags);
        return tx.put(eni);
    }

    /** Resolves requested addresses and a count into the interface's address list, primary first. */
    private static List<NetworkInterface.PrivateIp> addresses(World world, Subnet subnet, List<RequestedIp> requested,
            int secondaryCount) {
        if (secondaryCount < 0) {
            throw Ec2Errors.invalidValue(secondaryCount, "secondaryPrivateIpAddressCount",
                    "Expected a positive integer.");
        }
        long primaries = requested.stream().filter(RequestedIp::primary).count();
        if (primaries > 1) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.with(
                    "Only one private IP address can be designated as primary.");
        }
        if (requested.size() + Math.max(secondaryCount, 0) + (requested.isEmpty() ? 1 : 0) > MAX_ADDRESSES) {
            throw ErrorCode.PRIVATE_IP_ADDRESS_LIMIT_EXCEEDED.format(
                    "Number of private addresses will exceed limit (%d) for this network interface.", MAX_ADDRESSES);
        }
        Set<Integer> taken = new HashSet<>();
        List<NetworkInterface.PrivateIp> ips = new ArrayList<>();
        // The flagged primary goes first; without a flag the first address given is the primary.
        List<RequestedIp> ordered = new ArrayList<>(requested);
        ordered.sort((a, b) -> Boolean.compare(b.primary(), a.primary()));
        for (RequestedIp r : ordered) {
            String address = Addresses.claim(world, subnet, r.address(), taken);
            taken.add(Ipv4.parse(address));
            ips.add(new NetworkInterface.PrivateIp(address, ips.isEmpty()));
        }
        int wanted = secondaryCount + (ips.isEmpty() ? 1 : 0);
        for (int i = 0; i < wanted; i++) {
            String address = Addresses.allocate(world, subnet, taken);
            taken.add(Ipv4.parse(address));
            ips.add(new NetworkInterface.PrivateIp(address, ips.isEmpty()));
        }
        return ips;
    }

    /**
     * The security groups for an interface in {@code subnet}: the given ones (the caller's, in the subnet's VPC, at
     * most the per-interface quota), or the VPC's default group.
     */
    public static List<SecurityGroupId> groups(Tx tx, Quotas quotas, Subnet subnet, List<SecurityGroupId> requested) {
        if (requested == null || requested.isEmpty()) {
            if (!Visibility.owns(tx.caller(), subnet)) {
                // The VPC's default group belongs to its owner, and a participant cannot launch with it.
                throw ErrorCode.MISSING_PARAMETER.format("Subnet %s is shared with you by account %s: name one of "
                        + "your own security groups (the VPC's default security group belongs to its owner).",
                        subnet.subnetId(), subnet.ownerId());
            }
            return Scoped.inVpc(tx.world(), SecurityGroup.class, subnet.vpcId(), SecurityGroup::isDefault).stream()
                    .map(SecurityGroup::groupId).limit(1).toList();
        }
        List<SecurityGroupId> distinct = List.copyOf(new LinkedHashSet<>(requested));
        if (distinct.size() > quotas.securityGroupsPerInterface()) {
            throw ErrorCode.SECURITY_GROUPS_PER_INTERFACE_LIMIT_EXCEEDED.format(
                    "The maximum number of security groups per interface (%d) has been reached.",
                    quotas.securityGroupsPerInterface());
        }
        for (SecurityGroupId id : distinct) {
            SecurityGroup g = tx.find(SecurityGroup.class, id).filter(x -> Visibility.owns(tx.caller(), x))
                    .orElse(null);
            if (g == null) {
                // Another account's group (a shared VPC's owner's, another participant's) cannot be used: AWS
                // answers as for a group that does not exist.
                Lookup.require(tx.world(), tx.caller(), Kind.SECURITY_GROUP, SecurityGroup.class, id);
                throw Kind.SECURITY_GROUP.notFound(id);
            }
            if (!g.vpcId().equals(subnet.vpcId())) {
                throw ErrorCode.INVALID_PARAMETER.format(
                        "Security group %s and subnet %s belong to different networks.", id, subnet.subnetId());
            }
        }
        return distinct;
    }

    /** Deletes an interface the caller manages and that nothing uses. */
    public static void delete(Tx tx, NetworkInterfaceId eniId) {
        NetworkInterface eni = Lookup.requireOwned(tx.world(), tx.caller(), Kind.NETWORK_INTERFACE,
                NetworkInterface.class, eniId);
        if (eni.attachment() != null) {
            throw ErrorCode.INVALID_NETWORK_INTERFACE_IN_USE.format(
                    "The network interface '%s' is currently in use.", eniId);
        }
        if (eni.requesterManaged()) {
            // Interfaces of NAT gateways and endpoints belong to the managing service; only it may delete them.
            throw ErrorCode.OPERATION_NOT_PERMITTED.format(
                    "You are not allowed to delete network interface '%s': it is managed by %s.", eniId,
                    eni.requesterId() == null ? "another service" : eni.requesterId());
        }
        tx.remove(eni);
    }

    /** Attaches an available interface to an instance at a free device index; returns the attachment id. */
    public static NetworkInterfaceAttachmentId attach(Tx tx, Duration transition, NetworkInterfaceId eniId,
            InstanceId instanceId,
            Integer deviceIndex) {
        NetworkInterface eni = Lookup.requireOwned(tx.world(), tx.caller(), Kind.NETWORK_INTERFACE,
                NetworkInterface.class, eniId);
        Instance instance = Lookup.requireOwned(tx.world(), tx.caller(), Kind.INSTANCE, Instance.class, instanceId);
        if (deviceIndex == null) {
            throw Ec2Errors.missingParameter("DeviceIndex");
        }
        if (deviceIndex < 0) {
            throw Ec2Errors.invalidValue(deviceIndex, "deviceIndex", "Expected a non-negative integer.");
        }
        InstanceState state = InstanceStates.observed(instance, tx.now(), transition);
        if (!state.equals(InstanceState.RUNNING) && !state.equals(InstanceState.STOPPED)) {
            throw ErrorCode.INCORRECT_INSTANCE_STATE.format(
                    "The instance '%s' is not in a valid state for this operation: it is %s.", instanceId, state);
        }
        if (eni.attachment() != null) {
            throw ErrorCode.INVALID_NETWORK_INTERFACE_IN_USE.format("Interface: [%s] in use.", eniId);
        }
        if (!eni.availabilityZone().equals(instance.availabilityZone())) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.with("You may not attach a network interface to an "
                    + "instance if they are not in the same availability zone");
        }
        for (NetworkInterface other : attachedTo(tx.world(), instanceId)) {
            if (other.attachment().deviceIndex() == deviceIndex) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                        "Instance '%s' already has an interface attached at device index '%d'.", instanceId,
                        deviceIndex);
            }
        }
        NetworkInterfaceAttachmentId attachmentId =
                new NetworkInterfaceAttachmentId(Ids.next(NetworkInterfaceAttachmentId.PREFIX));
        tx.put(eni.withAttachment(
                new NetworkInterface.Attachment(attachmentId, instanceId, instance.ownerId(),
                        deviceIndex, AttachmentStatus.ATTACHED, false, tx.now())));
        return attachmentId;
    }

    /** Detaches by attachment id; the primary interface (device index 0) stays. */
    public static void detach(Tx tx, NetworkInterfaceAttachmentId attachmentId) {
        if (ResourceId.absent(attachmentId)) {
            throw Ec2Errors.missingParameter("AttachmentId");
        }
        Ids.require(NetworkInterfaceAttachmentId.PREFIX, attachmentId.value(),
                ErrorCode.INVALID_NETWORK_INTERFACE_ATTACHMENT_ID_MALFORMED);
        NetworkInterface eni = byAttachment(tx.world(), tx.caller(), attachmentId)
                .orElseThrow(() -> ErrorCode.INVALID_ATTACHMENT_ID_NOT_FOUND.format(
                        "The attachment ID '%s' does not exist", attachmentId));
        if (eni.attachment().deviceIndex() == 0) {
            throw ErrorCode.OPERATION_NOT_PERMITTED.with(
                    "The network interface at device index 0 and networkCard index 0 cannot be detached.");
        }
        tx.put(eni.withAttachment(null));
    }

    /** The caller's interface holding this attachment. */
    public static Optional<NetworkInterface> byAttachment(World world, Caller caller,
            NetworkInterfaceAttachmentId attachmentId) {
        return Scoped.owned(world, caller, NetworkInterface.class, n -> n.attachment() != null
                && attachmentId.equals(n.attachment().attachmentId())).stream().findFirst();
    }

    /**
     * Interfaces attached to an instance, by device index. Interfaces that services manage (load balancers, NAT
     * gateways, endpoints) are attached to no instance and never appear here.
     */
    public static List<NetworkInterface> attachedTo(World world, InstanceId instanceId) {
        List<NetworkInterface> out = new ArrayList<>(Scoped.INTERFACES_BY_INSTANCE.get(world, instanceId));
        out.sort((a, b) -> Integer.compare(a.attachment().deviceIndex(), b.attachment().deviceIndex()));
        return out;
    }

    /** Changes the delete-on-termination flag of an attachment. */
    public static NetworkInterface setDeleteOnTermination(Tx tx, NetworkInterface eni,
            NetworkInterfaceAttachmentId attachmentId,
            boolean delete) {
        NetworkInterface.Attachment a = eni.attachment();
        if (a == null || !a.attachmentId().equals(attachmentId)) {
            throw ErrorCode.INVALID_ATTACHMENT_ID_NOT_FOUND.format("The attachment ID '%s' does not exist",
                    attachmentId);
        }
        return tx.put(eni.withAttachment(new NetworkInterface.Attachment(a.attachmentId(), a.instanceId(),
                a.instanceOwnerId(), a.deviceIndex(), a.status(), delete, a.attachTime())));
    }

    /**
     * Assigns secondary addresses, explicit or counted. With {@code allowReassignment} an address held as a
     * secondary by another of the caller's interfaces in the subnet moves here; otherwise it is in use.
     */
    public static List<String> assign(Tx tx, NetworkInterfaceId eniId, List<String> requested, Integer count,
            boolean allowReassignment) {
        NetworkInterface eni = Lookup.requireOwned(tx.world(), tx.caller(), Kind.NETWORK_INTERFACE,
                NetworkInterface.class, eniId);
        boolean explicit = requested != null && !requested.isEmpty();
        if (explicit && count != null) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.with(
                    "Specify either PrivateIpAddress or SecondaryPrivateIpAddressCount, not both.");
        }
        if (!explicit && count == null) {
            throw Ec2Errors.missingParameter("PrivateIpAddress or SecondaryPrivateIpAddressCount");
        }
        if (count != null && count < 1) {
            throw Ec2Errors.invalidValue(count, "secondaryPrivateIpAddressCount", "Expected a positive "
                    + "integer.");
        }
        int adding = explicit ? new LinkedHashSet<>(requested).size() : count;
        if (eni.privateIps().size() + adding > MAX_ADDRESSES) {
            throw ErrorCode.PRIVATE_IP_ADDRESS_LIMIT_EXCEEDED.format(
                    "Number of private addresses will exceed limit (%d) for this network interface.", MAX_ADDRESSES);
        }
        Subnet subnet = tx.find(Subnet.class, eni.subnetId()).orElseThrow(() -> Kind.SUBNET.notFound(eni.subnetId()));
        List<String> added = new ArrayList<>();
        Set<Integer> taken = new HashSet<>();
        if (explicit) {
            for (String text : new LinkedHashSet<>(requested)) {
                if (allowReassignment && Ipv4.isValid(text)) {
                    releaseSecondaryElsewhere(tx, eni, text);
                }
                String address = Addresses.claim(tx.world(), subnet, text, taken);
                taken.add(Ipv4.parse(address));
                added.add(address);
            }
        } else {
            for (int i = 0; i < count; i++) {
                String address = Addresses.allocate(tx.world(), subnet, taken);
                taken.add(Ipv4.parse(address));
                added.add(address);
            }
        }
        NetworkInterface current = tx.find(NetworkInterface.class, eniId).orElseThrow();
        List<NetworkInterface.PrivateIp> ips = new ArrayList<>(current.privateIps());
        added.forEach(a -> ips.add(new NetworkInterface.PrivateIp(a, false)));
        tx.put(current.withPrivateIps(ips));
        return added;
    }

    private static void releaseSecondaryElsewhere(Tx tx, NetworkInterface target, String address) {
        String normal = Ipv4.format(Ipv4.parse(address));
        for (NetworkInterface other : Scoped.interfacesIn(tx.world(), target.subnetId()).stream()
                .filter(n -> !n.id().equals(target.id()) && Visibility.owns(tx.caller(), n)).toList()) {
            List<NetworkInterface.PrivateIp> kept = new ArrayList<>(other.privateIps());
            if (kept.removeIf(ip -> !ip.primary() && ip.address().equals(normal))) {
                tx.put(other.withPrivateIps(kept));
            }
        }
    }

    /** Removes secondary addresses; each must be a secondary address of this interface. */
    public static void unassign(Tx tx, NetworkInterfaceId eniId, List<String> addresses) {
        NetworkInterface eni = Lookup.requireOwned(tx.world(), tx.caller(), Kind.NETWORK_INTERFACE,
                NetworkInterface.class, eniId);
        if (addresses == null || addresses.isEmpty()) {
            throw Ec2Errors.missingParameter("PrivateIpAddress");
        }
        List<NetworkInterface.PrivateIp> kept = new ArrayList<>(eni.privateIps());
        for (String a : addresses) {
            NetworkInterface.PrivateIp held = eni.privateIps().stream().filter(ip -> ip.address().equals(a))
                    .findFirst().orElseThrow(() -> ErrorCode.INVALID_PARAMETER_VALUE.format(
                            "Some of the specified addresses are not assigned to interface %s", eniId));
            if (held.primary()) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                        "The primary private IP address %s of interface %s cannot be unassigned.", a, eniId);
            }
            kept.remove(held);
        }
        tx.put(eni.withPrivateIps(kept));
    }

    /** A locally administered unicast MAC address, as AWS gives ENIs ({@code 02:…}). */
    public static String macAddress() {
        String hex = Ids.hex(10);
        StringBuilder mac = new StringBuilder("02");
        for (int i = 0; i < 10; i += 2) {
            mac.append(':').append(hex, i, i + 2);
        }
        return mac.toString();
    }

    /**
     * The private DNS name of an address: {@code ip-10-0-1-5.ec2.internal} in us-east-1, elsewhere
     * {@code ip-10-0-1-5.<region>.compute.internal}.
     */
    public static String privateDnsName(String region, String address) {
        if (address == null) {
            return "";
        }
        String host = "ip-" + address.replace('.', '-');
        return region.equals("us-east-1") ? host + ".ec2.internal" : host + "." + region + ".compute.internal";
    }

    /**
     * An instance's resource-name hostname: {@code i-0123456789abcdef0.ec2.internal} in us-east-1, elsewhere
     * {@code i-0123456789abcdef0.<region>.compute.internal}.
     */
    public static String resourceDnsName(String region, String instanceId) {
        return region.equals("us-east-1") ? instanceId + ".ec2.internal"
                : instanceId + "." + region + ".compute.internal";
    }
}
