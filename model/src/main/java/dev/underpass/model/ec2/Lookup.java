package dev.underpass.model.ec2;

import dev.underpass.model.Caller;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Resource;
import dev.underpass.model.ResourceId;
import dev.underpass.model.World;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Finding a resource by id on a caller's behalf: a malformed id, an unknown id and another account's resource
 * (unless shared with the caller) all get AWS's answers, so one account never learns of another's resources.
 */
public final class Lookup {
    private Lookup() {}

    /** The resource, if it exists and the caller may see it; else AWS's Malformed or NotFound error. */
    public static <T extends Resource> T require(World world, Caller caller, Kind kind, Class<T> type, String id) {
        if (id == null || id.isEmpty()) {
            throw Ec2Errors.missingParameter(parameterName(kind));
        }
        Ids.require(kind.prefix(), id, kind.malformed());
        return world.find(type, id).filter(r -> Visibility.visible(world, caller, r))
                .orElseThrow(() -> kind.notFound(id));
    }

    /** {@link #require(World, Caller, Kind, Class, String)} by a typed id (null: the parameter is missing). */
    public static <T extends Resource> T require(World world, Caller caller, Kind kind, Class<T> type,
            ResourceId id) {
        return require(world, caller, kind, type, id == null ? null : id.value());
    }

    /** {@link #requireOwned(World, Caller, Kind, Class, String)} by a typed id (null: the parameter is missing). */
    public static <T extends Resource> T requireOwned(World world, Caller caller, Kind kind, Class<T> type,
            ResourceId id) {
        return requireOwned(world, caller, kind, type, id == null ? null : id.value());
    }

    /**
     * The resource only if the caller owns it (changing is stricter than seeing). One the caller sees but does not
     * own (a participant and the shared VPC's route table, the VPC owner and a participant's interface) answers
     * AWS's {@code UnauthorizedOperation}, as a shared VPC does.
     */
    public static <T extends Resource> T requireOwned(World world, Caller caller, Kind kind, Class<T> type,
            String id) {
        T r = require(world, caller, kind, type, id);
        if (!Visibility.owns(caller, r)) {
            throw ErrorCode.UNAUTHORIZED_OPERATION.format("You are not authorized to perform this operation on %s: "
                    + "it belongs to account %s. This operation does not support shared VPCs.", id, r.ownerId());
        }
        return r;
    }

    /**
     * The resources named by {@code ids} (duplicates removed, order kept); if any is unknown, one NotFound error
     * names them all, as Describe calls do.
     */
    public static <T extends Resource> List<T> requireAll(World world, Caller caller, Kind kind, Class<T> type,
            List<String> ids) {
        List<T> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String id : new LinkedHashSet<>(ids)) {
            Ids.require(kind.prefix(), id, kind.malformed());
            world.find(type, id).filter(r -> Visibility.visible(world, caller, r))
                    .ifPresentOrElse(found::add, () -> missing.add(id));
        }
        if (!missing.isEmpty()) {
            throw kind.notFound(missing);
        }
        return found;
    }

    private static String parameterName(Kind kind) {
        return switch (kind) {
            case VPC -> "VpcId";
            case SUBNET -> "SubnetId";
            case ROUTE_TABLE -> "RouteTableId";
            case SECURITY_GROUP -> "GroupId";
            case NETWORK_ACL -> "NetworkAclId";
            case NETWORK_INTERFACE -> "NetworkInterfaceId";
            case INSTANCE -> "InstanceId";
            case INTERNET_GATEWAY -> "InternetGatewayId";
            case NAT_GATEWAY -> "NatGatewayId";
            case VPC_ENDPOINT -> "VpcEndpointId";
            case PREFIX_LIST -> "PrefixListId";
            case VPC_PEERING_CONNECTION -> "VpcPeeringConnectionId";
            case ELASTIC_IP -> "AllocationId";
            case DHCP_OPTIONS -> "DhcpOptionsId";
            case EGRESS_ONLY_INTERNET_GATEWAY -> "EgressOnlyInternetGatewayId";
            case NETWORK_INSIGHTS_PATH -> "NetworkInsightsPathId";
            case NETWORK_INSIGHTS_ANALYSIS -> "NetworkInsightsAnalysisId";
        };
    }
}
