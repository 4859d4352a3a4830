package dev.underpass.model.ec2;

import dev.underpass.model.AwsNamed;
import dev.underpass.model.Caller;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Index;
import dev.underpass.model.Tx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * NAT gateway rules, after the VPC guide's
 * <a href="https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html">NAT gateways</a> page.
 *
 * <p>A NAT gateway lives in one subnet through a requester-managed network interface (type {@code nat_gateway})
 * holding one private address of the subnet, so the subnet's free address count drops by one. A public gateway
 * also needs an Elastic IP allocation of the caller's that nothing uses yet: the gateway associates it with its
 * interface on the caller's behalf (the account cannot move or release it meanwhile) and frees it when deleted.
 *
 * <p>States: the stored state is the last one requested; clients see {@code pending} in the CreateNatGateway
 * answer and {@code available} afterwards (there is no provisioning to wait for). DeleteNatGateway removes the
 * interface at once and leaves the gateway {@code deleted}; AWS keeps deleted gateways visible for about an hour,
 * and so does underpass ({@link #RETENTION}), after which they are NotFound and pruned on the next write.
 */
public final class NatGateways {
    /** How long a deleted NAT gateway stays visible to Describe calls. */
    public static final Duration RETENTION = Duration.ofHours(1);
    /** Who manages a NAT gateway's network interface, as DescribeNetworkInterfaces reports it. */
    public static final String REQUESTER_ID = "amazon-aws";

    private NatGateways() {}

    /** A request to create a NAT gateway. */
    public record Create(SubnetId subnetId, String connectivityType, AllocationId allocationId, String privateIpAddress,
            Map<String, String> tags) {}

    /** Whether the gateway no longer forwards (deleted or failed): routes to it are black holes. */
    public static boolean gone(NatGateway n) {
        return n.state() == NatGateway.State.DELETED || n.state() == NatGateway.State.FAILED;
    }

    /** Live public gateways by their stand-in public address. */
    private static final Index<NatGateway, String> LIVE_BY_PUBLIC_IP = Index.by(NatGateway.class,
            n -> gone(n) ? null : n.publicIp());

    /** Whether Describe calls still show the gateway at {@code now}. */
    public static boolean retained(NatGateway n, Instant now) {
        return n.state() != NatGateway.State.DELETED || n.deleteTime() == null
                || now.isBefore(n.deleteTime().plus(RETENTION));
    }

    /** The state a client sees: a gateway that was pending when created has since become available. */
    public static NatGateway.State observed(NatGateway n) {
        return n.state() == NatGateway.State.PENDING ? NatGateway.State.AVAILABLE : n.state();
    }

    public static NatGateway create(Tx tx, Quotas quotas, Create cmd) {
        Caller caller = tx.caller();
        prune(tx);
        Subnet subnet = Lookup.requireOwned(tx.world(), caller, Kind.SUBNET, Subnet.class, cmd.subnetId());
        NatGateway.ConnectivityType type = cmd.connectivityType() == null || cmd.connectivityType().isEmpty()
                ? NatGateway.ConnectivityType.PUBLIC
                : AwsNamed.find(NatGateway.ConnectivityType.values(), cmd.connectivityType());
        if (type == null) {
            throw Ec2Errors.invalidValue(cmd.connectivityType(), "connectivityType", "Valid values: public, private");
        }
        AllocationId allocationId = cmd.allocationId() == null || cmd.allocationId().isEmpty() ? null
                : cmd.allocationId();
        String publicIp = null;
        ElasticIp eip = null;
        if (type == NatGateway.ConnectivityType.PUBLIC) {
            if (allocationId == null) {
                throw Ec2Errors.missingParameter("AllocationId for a public NAT gateway");
            }
            eip = ElasticIps.owned(tx, allocationId);
            if (ElasticIps.live(tx.world(), eip) != null) {
                throw ErrorCode.RESOURCE_ALREADY_ASSOCIATED.format(
                        "Elastic IP address [%s] is already associated", allocationId);
            }
            publicIp = eip.publicIp();
        } else if (allocationId != null) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.with(
                    "An AllocationId cannot be specified for a private NAT gateway.");
        }
        long inZone = Scoped.owned(tx.world(), caller, NatGateway.class, n -> !gone(n)
                && tx.find(Subnet.class, n.subnetId()).map(s -> s.availabilityZone()
                        .equals(subnet.availabilityZone())).orElse(false))
                .size();
        if (inZone >= quotas.natGatewaysPerAz()) {
            throw ErrorCode.NAT_GATEWAY_LIMIT_EXCEEDED.format(
                    "The maximum number of NAT gateways (%d) in availability zone %s has been reached.",
                    quotas.natGatewaysPerAz(), subnet.availabilityZone());
        }
        String privateIp = cmd.privateIpAddress() == null || cmd.privateIpAddress().isEmpty()
                ? Addresses.allocate(tx.world(), subnet, Set.of())
                : Addresses.claim(tx.world(), subnet, cmd.privateIpAddress(), Set.of());
        String id = Ids.next("nat");
        String eniId = Ids.next("eni");
        NetworkInterface eni = new NetworkInterface(eniId, caller.accountId(), caller.region(), subnet.subnetId(),
                subnet.vpcId(), subnet.availabilityZone(), "Interface for NAT Gateway " + id, "nat_gateway", true,
                REQUESTER_ID, macAddress(), false, List.of(new NetworkInterface.PrivateIp(privateIp, true)),
                List.of(),
                new NetworkInterface.Attachment(NetworkInterfaceAttachmentId.of("ela-attach-" + Ids.hex(17)), null,
                        REQUESTER_ID, 1,
                        AttachmentStatus.ATTACHED, false, tx.now()),
                Map.of());
        tx.put(eni);
        if (eip != null) {
            ElasticIps.associateForService(tx, eip, eni, ElasticIps.NAT_GATEWAY_SERVICE);
        }
        return tx.put(new NatGateway(id, caller.accountId(), caller.region(), subnet.subnetId(), subnet.vpcId(), type,
                eni.networkInterfaceId(), privateIp, allocationId, publicIp, NatGateway.State.PENDING, tx.now(), null,
                cmd.tags()));
    }

    /** Deletes a NAT gateway: its interface goes at once, the gateway stays visible as {@code deleted}. */
    public static NatGateway delete(Tx tx, NatGatewayId natGatewayId) {
        NatGateway nat = Lookup.requireOwned(tx.world(), tx.caller(), Kind.NAT_GATEWAY, NatGateway.class,
                natGatewayId);
        if (!retained(nat, tx.now())) {
            throw Kind.NAT_GATEWAY.notFound(natGatewayId);
        }
        if (gone(nat)) {
            return nat;
        }
        tx.find(NetworkInterface.class, nat.networkInterfaceId()).ifPresent(tx::remove);
        ElasticIps.releaseFromService(tx, nat.networkInterfaceId());
        NatGateway deleted = tx.put(nat.withState(NatGateway.State.DELETED, tx.now()));
        prune(tx);
        return deleted;
    }

    /** Forgets deleted gateways whose retention has passed. */
    private static void prune(Tx tx) {
        for (NatGateway n : Scoped.owned(tx.world(), tx.caller(), NatGateway.class, n -> !retained(n, tx.now()))) {
            tx.remove(n);
        }
    }

    /** A locally administered unicast MAC, as AWS's interface MACs are ({@code 0e:…}). */
    private static String macAddress() {
        String hex = Ids.hex(10);
        StringBuilder sb = new StringBuilder("0e");
        for (int i = 0; i < 10; i += 2) {
            sb.append(':').append(hex, i, i + 2);
        }
        return sb.toString();
    }
}
