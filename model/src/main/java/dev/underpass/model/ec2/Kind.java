package dev.underpass.model.ec2;

import dev.underpass.model.AwsError;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Resource;

/**
 * The EC2 resource kinds: id prefix, record type, and the exact error codes and wording AWS uses when an id of
 * that kind is malformed or unknown.
 */
public enum Kind {
    VPC("vpc", Vpc.class, ErrorCode.INVALID_VPC_ID_MALFORMED, ErrorCode.INVALID_VPC_ID_NOT_FOUND, "vpc"),
    SUBNET("subnet", Subnet.class, ErrorCode.INVALID_SUBNET_ID_MALFORMED,
            ErrorCode.INVALID_SUBNET_ID_NOT_FOUND, "subnet"),
    ROUTE_TABLE("rtb", RouteTable.class, ErrorCode.INVALID_ROUTE_TABLE_ID_MALFORMED,
            ErrorCode.INVALID_ROUTE_TABLE_ID_NOT_FOUND, "routeTable"),
    SECURITY_GROUP("sg", SecurityGroup.class, ErrorCode.INVALID_GROUP_ID_MALFORMED, ErrorCode.INVALID_GROUP_NOT_FOUND,
            "The security group '%s' does not exist", "The security groups '%s' do not exist"),
    NETWORK_ACL("acl", NetworkAcl.class, ErrorCode.INVALID_NETWORK_ACL_ID_MALFORMED,
            ErrorCode.INVALID_NETWORK_ACL_ID_NOT_FOUND, "networkAcl"),
    NETWORK_INTERFACE("eni", NetworkInterface.class, ErrorCode.INVALID_NETWORK_INTERFACE_ID_MALFORMED,
            ErrorCode.INVALID_NETWORK_INTERFACE_ID_NOT_FOUND, "networkInterface"),
    INSTANCE("i", Instance.class, ErrorCode.INVALID_INSTANCE_ID_MALFORMED,
            ErrorCode.INVALID_INSTANCE_ID_NOT_FOUND, "instance"),
    INTERNET_GATEWAY("igw", InternetGateway.class, ErrorCode.INVALID_INTERNET_GATEWAY_ID_MALFORMED,
            ErrorCode.INVALID_INTERNET_GATEWAY_ID_NOT_FOUND, "internetGateway"),
    NAT_GATEWAY("nat", NatGateway.class, ErrorCode.NAT_GATEWAY_MALFORMED, ErrorCode.INVALID_NAT_GATEWAY_ID_NOT_FOUND,
            "The Nat Gateway %s was not found", "The Nat Gateways %s were not found"),
    VPC_ENDPOINT("vpce", VpcEndpoint.class, ErrorCode.INVALID_VPC_ENDPOINT_ID_MALFORMED,
            ErrorCode.INVALID_VPC_ENDPOINT_ID_NOT_FOUND, "The Vpc Endpoint Id '%s' does not exist",
            "The Vpc Endpoint Ids '%s' do not exist"),
    PREFIX_LIST("pl", ManagedPrefixList.class, ErrorCode.INVALID_PREFIX_LIST_ID_MALFORMED,
            ErrorCode.INVALID_PREFIX_LIST_ID_NOT_FOUND, "prefix list"),
    VPC_PEERING_CONNECTION("pcx", PeeringConnection.class, ErrorCode.INVALID_VPC_PEERING_CONNECTION_ID_MALFORMED,
            ErrorCode.INVALID_VPC_PEERING_CONNECTION_ID_NOT_FOUND, "vpcPeeringConnection"),
    ELASTIC_IP("eipalloc", ElasticIp.class, ErrorCode.INVALID_ALLOCATION_ID_MALFORMED,
            ErrorCode.INVALID_ALLOCATION_ID_NOT_FOUND, "allocation"),
    DHCP_OPTIONS("dopt", DhcpOptions.class, ErrorCode.INVALID_DHCP_OPTIONS_ID_MALFORMED,
            ErrorCode.INVALID_DHCP_OPTION_ID_NOT_FOUND, "dhcpOption"),
    EGRESS_ONLY_INTERNET_GATEWAY("eigw", EgressOnlyInternetGateway.class,
            ErrorCode.INVALID_EGRESS_ONLY_INTERNET_GATEWAY_ID_MALFORMED,
            ErrorCode.INVALID_EGRESS_ONLY_INTERNET_GATEWAY_ID_NOT_FOUND, "egressOnlyInternetGateway"),
    NETWORK_INSIGHTS_PATH("nip", NetworkInsightsPath.class, ErrorCode.INVALID_NETWORK_INSIGHTS_PATH_ID_MALFORMED,
            ErrorCode.INVALID_NETWORK_INSIGHTS_PATH_ID_NOT_FOUND, "NetworkInsightsPath"),
    NETWORK_INSIGHTS_ANALYSIS("nia", NetworkInsightsAnalysis.class,
            ErrorCode.INVALID_NETWORK_INSIGHTS_ANALYSIS_ID_MALFORMED,
            ErrorCode.INVALID_NETWORK_INSIGHTS_ANALYSIS_ID_NOT_FOUND, "NetworkInsightsAnalysis");

    private final String prefix;
    private final Class<? extends Resource> type;
    private final AwsError malformed;
    private final AwsError notFound;
    private final String notFoundOne;
    private final String notFoundMany;

    /** A kind whose not-found messages follow EC2's usual wording, "The {@code noun} ID '…' does not exist". */
    Kind(String prefix, Class<? extends Resource> type, AwsError malformed, AwsError notFound, String noun) {
        this(prefix, type, malformed, notFound, "The " + noun + " ID '%s' does not exist",
                "The " + noun + " IDs '%s' do not exist");
    }

    Kind(String prefix, Class<? extends Resource> type, AwsError malformed, AwsError notFound, String notFoundOne,
            String notFoundMany) {
        this.prefix = prefix;
        this.type = type;
        this.malformed = malformed;
        this.notFound = notFound;
        this.notFoundOne = notFoundOne;
        this.notFoundMany = notFoundMany;
    }

    public String prefix() {
        return prefix;
    }

    public Class<? extends Resource> type() {
        return type;
    }

    public AwsError malformed() {
        return malformed;
    }

    public AwsError notFoundCode() {
        return notFound;
    }

    public dev.underpass.model.AwsException notFound(String id) {
        return notFound.format(notFoundOne, id);
    }

    /** {@link #notFound(String)} for a typed id. */
    public dev.underpass.model.AwsException notFound(dev.underpass.model.ResourceId id) {
        return notFound(id.value());
    }

    public dev.underpass.model.AwsException notFound(java.util.List<String> ids) {
        return ids.size() == 1 ? notFound(ids.get(0)) : notFound.format(notFoundMany, String.join(", ", ids));
    }

    /** The kind whose prefix the id carries, or null. */
    public static Kind ofId(String id) {
        if (id == null) {
            return null;
        }
        int dash = id.lastIndexOf('-');
        if (dash < 0) {
            return null;
        }
        String p = id.substring(0, dash);
        for (Kind k : values()) {
            if (k.prefix.equals(p)) {
                return k;
            }
        }
        return null;
    }
}
