package dev.underpass.model.ec2;

import dev.underpass.model.Caller;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Tx;
import java.util.Map;

/**
 * Egress-only internet gateway rules, after the VPC guide's
 * <a href="https://docs.aws.amazon.com/vpc/latest/userguide/egress-only-internet-gateway.html">egress-only internet
 * gateways</a> page: a gateway is created attached to one VPC and stays so until deleted; routes to it carry IPv6
 * destinations only; routes left pointing at a deleted gateway show as {@code blackhole}; a VPC with a gateway
 * cannot be deleted. AWS's quota is five per region and one per VPC.
 */
public final class EgressOnlyInternetGateways {
    /** The attachment state AWS reports: always attached, from creation on. */
    public static final String ATTACHED = "attached";

    private EgressOnlyInternetGateways() {}

    public static EgressOnlyInternetGateway create(Tx tx, Quotas quotas, VpcId vpcId, Map<String, String> tags) {
        Caller caller = tx.caller();
        Vpc vpc = Lookup.requireOwned(tx.world(), caller, Kind.VPC, Vpc.class, vpcId);
        if (!Scoped.inVpc(tx.world(), EgressOnlyInternetGateway.class, vpc.vpcId()).isEmpty()) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "Network %s already has an egress-only internet gateway attached", vpc.vpcId());
        }
        int existing = Scoped.owned(tx.world(), caller, EgressOnlyInternetGateway.class).size();
        if (existing >= quotas.egressOnlyInternetGatewaysPerRegion()) {
            throw ErrorCode.EGRESS_ONLY_INTERNET_GATEWAY_LIMIT_EXCEEDED.format(
                    "The maximum number of egress-only internet gateways (%d) has been reached.",
                    quotas.egressOnlyInternetGatewaysPerRegion());
        }
        return tx.put(new EgressOnlyInternetGateway(Ids.next("eigw"), caller.accountId(), caller.region(), vpc.vpcId(),
                tags));
    }

    /** Deletes a gateway; the routes to it stay and become black holes. */
    public static void delete(Tx tx, EgressOnlyInternetGatewayId id) {
        tx.remove(Lookup.requireOwned(tx.world(), tx.caller(), Kind.EGRESS_ONLY_INTERNET_GATEWAY,
                EgressOnlyInternetGateway.class, id));
    }
}
