package dev.underpass.model.ec2;

import dev.underpass.model.Caller;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Index;
import dev.underpass.model.Ids;
import dev.underpass.model.Tx;
import java.util.List;
import java.util.Map;

/**
 * Internet gateway rules, after the VPC guide's
 * <a href="https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html">internet gateways</a> page:
 * a gateway is created detached, serves at most one VPC, a VPC has at most one, a gateway must be detached before
 * it is deleted, and it cannot be detached while the VPC still holds public addresses (public NAT gateways, Elastic IPs, instances'
 * public addresses).
 * Routes that point at a detached or deleted gateway are left in place and show as {@code blackhole}.
 */
public final class InternetGateways {
    /** The attachment state AWS reports for a VPC internet gateway that is attached. */
    public static final String ATTACHED = "available";

    private InternetGateways() {}

    public static InternetGateway create(Tx tx, Quotas quotas, Map<String, String> tags) {
        Caller caller = tx.caller();
        int existing = Scoped.owned(tx.world(), caller, InternetGateway.class).size();
        if (existing >= quotas.internetGatewaysPerRegion()) {
            throw ErrorCode.INTERNET_GATEWAY_LIMIT_EXCEEDED.format(
                    "The maximum number of internet gateways (%d) has been reached.",
                    quotas.internetGatewaysPerRegion());
        }
        return tx.put(new InternetGateway(Ids.next("igw"), caller.accountId(), caller.region(), List.of(), tags));
    }

    public static void attach(Tx tx, InternetGatewayId internetGatewayId, VpcId vpcId) {
        InternetGateway igw = owned(tx, internetGatewayId);
        Vpc vpc = Lookup.requireOwned(tx.world(), tx.caller(), Kind.VPC, Vpc.class, vpcId);
        if (!igw.attachedVpcIds().isEmpty()) {
            throw ErrorCode.RESOURCE_ALREADY_ASSOCIATED.format("resource %s is already attached to network %s",
                    igw.id(), igw.attachedVpcIds().get(0));
        }
        boolean vpcHasOne = !Scoped.inVpc(tx.world(), InternetGateway.class, vpc.vpcId()).isEmpty();
        if (vpcHasOne) {
            throw ErrorCode.RESOURCE_ALREADY_ASSOCIATED.format(
                    "Network %s already has an internet gateway attached", vpc.vpcId());
        }
        tx.put(igw.withAttachedVpcIds(List.of(vpc.vpcId())));
    }

    public static void detach(Tx tx, InternetGatewayId internetGatewayId, VpcId vpcId) {
        InternetGateway igw = owned(tx, internetGatewayId);
        Vpc vpc = Lookup.requireOwned(tx.world(), tx.caller(), Kind.VPC, Vpc.class, vpcId);
        if (!igw.attachedVpcIds().contains(vpc.vpcId())) {
            throw ErrorCode.GATEWAY_NOT_ATTACHED.format("resource %s is not attached to network %s", igw.id(),
                    vpc.vpcId());
        }
        boolean publicNat = !Scoped.inVpc(tx.world(), NatGateway.class, vpc.vpcId(), n -> !NatGateways.gone(n)
                && n.connectivityType() == NatGateway.ConnectivityType.PUBLIC).isEmpty();
        if (publicNat || ElasticIps.mapsAddressesIn(tx.world(), vpc.vpcId())) {
            throw ErrorCode.DEPENDENCY_VIOLATION.format("Network %s has some mapped public address(es). Please "
                    + "unmap those public address(es) before detaching the gateway.", vpc.vpcId());
        }
        tx.put(igw.withAttachedVpcIds(List.of()));
    }

    public static void delete(Tx tx, InternetGatewayId internetGatewayId) {
        InternetGateway igw = owned(tx, internetGatewayId);
        if (!igw.attachedVpcIds().isEmpty()) {
            throw ErrorCode.DEPENDENCY_VIOLATION.format(
                    "The internetGateway '%s' has dependencies and cannot be deleted.", igw.id());
        }
        // An edge association names the gateway; it goes with it.
        for (RouteTable t : Index.owned(tx.world(), RouteTable.class, igw.ownerId(), igw.region(),
                t -> t.associations().stream().anyMatch(a -> igw.internetGatewayId().equals(a.gatewayId())))) {
            tx.put(t.withAssociations(t.associations().stream()
                    .filter(a -> !igw.internetGatewayId().equals(a.gatewayId())).toList()));
        }
        tx.remove(igw);
    }

    private static InternetGateway owned(Tx tx, InternetGatewayId id) {
        return Lookup.requireOwned(tx.world(), tx.caller(), Kind.INTERNET_GATEWAY, InternetGateway.class, id);
    }
}
