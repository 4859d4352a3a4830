package dev.underpass.model;

/**
 * The catalogue of AWS error codes underpass raises, each with the HTTP status AWS answers it with. Wire strings are
 * written out, never derived from the Java name, because AWS's spelling is irregular ({@code InvalidVpcID.NotFound}
 * beside {@code InvalidVpcId.Malformed}).
 */
public final class ErrorCode {
    // Common to every action.
    /** The form names an action the service does not have. */
    public static final AwsError INVALID_ACTION = new AwsError("InvalidAction", 400);
    /** The action exists in AWS but underpass does not emulate it (yet). */
    public static final AwsError UNSUPPORTED_OPERATION = new AwsError("UnsupportedOperation", 400);
    /** A required parameter is absent. */
    public static final AwsError MISSING_PARAMETER = new AwsError("MissingParameter", 400);
    /** A parameter value is of the wrong type, out of range or not one of the allowed values. */
    public static final AwsError INVALID_PARAMETER_VALUE = new AwsError("InvalidParameterValue", 400);
    /** Two parameters that may not be combined were both given. */
    public static final AwsError INVALID_PARAMETER_COMBINATION = new AwsError("InvalidParameterCombination", 400);
    /** A parameter is not valid for this action. */
    public static final AwsError INVALID_PARAMETER = new AwsError("InvalidParameter", 400);
    /** The request names a parameter the action does not have. */
    public static final AwsError UNKNOWN_PARAMETER = new AwsError("UnknownParameter", 400);
    /** The query string or form body cannot be parsed. */
    public static final AwsError MALFORMED_QUERY_STRING = new AwsError("MalformedQueryString", 400);
    // The request cannot be read as HTTP at all. AWS's front ends answer these before any service sees the
    // request, with statuses but no documented codes; underpass names them so clients get its usual envelope.
    /** A garbage request line, a bad or repeated Content-Length, a bad chunk. */
    public static final AwsError MALFORMED_HTTP_REQUEST = new AwsError("MalformedHttpRequest", 400);
    /** A body over the server's limit (16 MiB). */
    public static final AwsError REQUEST_ENTITY_TOO_LARGE = new AwsError("RequestEntityTooLarge", 413);
    /** A request line over the HTTP decoder's limit. */
    public static final AwsError REQUEST_URI_TOO_LONG = new AwsError("RequestURITooLong", 414);
    /** Headers over the HTTP decoder's limit. */
    public static final AwsError REQUEST_HEADER_FIELDS_TOO_LARGE = new AwsError("RequestHeaderFieldsTooLarge", 431);
    /** {@code DryRun=true} and the call would have succeeded. */
    public static final AwsError DRY_RUN_OPERATION = new AwsError("DryRunOperation", 412);
    /** The caller may not perform the operation. */
    public static final AwsError UNAUTHORIZED_OPERATION = new AwsError("UnauthorizedOperation", 403);
    /** No Authorization header and no presigned query. */
    public static final AwsError MISSING_AUTHENTICATION_TOKEN = new AwsError("MissingAuthenticationToken", 401);
    /** The Authorization header is malformed. */
    public static final AwsError INCOMPLETE_SIGNATURE = new AwsError("IncompleteSignature", 400);
    /** The credentials are not recognised. */
    public static final AwsError AUTH_FAILURE = new AwsError("AuthFailure", 401);
    /** X-Amz-Date is too far from the server's clock. */
    public static final AwsError REQUEST_EXPIRED = new AwsError("RequestExpired", 400);
    /** A NextToken that underpass did not issue, or that no longer applies. */
    public static final AwsError INVALID_NEXT_TOKEN = new AwsError("InvalidNextToken", 400);
    /** The {@code Version} form parameter is not the service's API version. */
    public static final AwsError NO_SUCH_VERSION = new AwsError("NoSuchVersion", 400);
    /** A resource id of an unknown or unsupported kind in a tagging call. */
    public static final AwsError INVALID_ID = new AwsError("InvalidID", 400);
    /** More tags than AWS allows on one resource. */
    public static final AwsError TAG_LIMIT_EXCEEDED = new AwsError("TagLimitExceeded", 400);
    /** A ClientToken was reused with different request parameters. */
    public static final AwsError IDEMPOTENT_PARAMETER_MISMATCH = new AwsError("IdempotentParameterMismatch", 400);
    /** The action is not allowed on this resource (e.g. detaching an instance's primary network interface). */
    public static final AwsError OPERATION_NOT_PERMITTED = new AwsError("OperationNotPermitted", 400);
    /** An object still has dependents. */
    public static final AwsError DEPENDENCY_VIOLATION = new AwsError("DependencyViolation", 400);
    /** A fault inside underpass; never used for a client's mistake. */
    public static final AwsError INTERNAL_ERROR = new AwsError("InternalError", 500);
    /**
     * The server cannot take the request for now and nothing was done, e.g. a write whose commit failed because the
     * disk is full; retrying later can succeed (SDKs retry it by themselves).
     */
    public static final AwsError SERVICE_UNAVAILABLE = new AwsError("ServiceUnavailable", 503);

    // VPCs and subnets.
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    public static final AwsError INVALID_VPC_ID_MALFORMED = new AwsError("InvalidVpcId.Malformed", 400);
    /** An id of this kind that does not exist, or that the caller cannot see. */
    public static final AwsError INVALID_VPC_ID_NOT_FOUND = new AwsError("InvalidVpcID.NotFound", 400);
    /**
     * A VPC block outside /16-/28 or overlapping the VPC's others. AWS's error list spells it {@code InvalidVpcRange};
     * the live API answers {@code InvalidVpc.Range}, as captured responses show.
     */
    public static final AwsError INVALID_VPC_RANGE = new AwsError("InvalidVpc.Range", 400);
    /** Creating one more would go over AWS's quota for this resource. */
    public static final AwsError VPC_LIMIT_EXCEEDED = new AwsError("VpcLimitExceeded", 400);
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    public static final AwsError INVALID_SUBNET_ID_MALFORMED = new AwsError("InvalidSubnetId.Malformed", 400);
    /** An id of this kind that does not exist, or that the caller cannot see. */
    public static final AwsError INVALID_SUBNET_ID_NOT_FOUND = new AwsError("InvalidSubnetID.NotFound", 400);
    /** A subnet CIDR that overlaps another subnet of the VPC. */
    public static final AwsError INVALID_SUBNET_CONFLICT = new AwsError("InvalidSubnet.Conflict", 400);
    /** A subnet CIDR outside the VPC's blocks or outside the /16 to /28 (IPv6: /64) sizes. */
    public static final AwsError INVALID_SUBNET_RANGE = new AwsError("InvalidSubnet.Range", 400);
    /** Creating one more would go over AWS's quota for this resource. */
    public static final AwsError SUBNET_LIMIT_EXCEEDED = new AwsError("SubnetLimitExceeded", 400);
    /** An id of this kind that does not exist, or that the caller cannot see. */
    public static final AwsError INVALID_CIDR_BLOCK_ASSOCIATION_NOT_FOUND =
            new AwsError("InvalidVpcCidrBlockAssociationID.NotFound", 400);
    /** Creating one more would go over AWS's quota for this resource. */
    public static final AwsError CIDR_LIMIT_EXCEEDED = new AwsError("CidrLimitExceeded", 400);
    /** No free block of the requested size is left in the range to draw from. */
    public static final AwsError INSUFFICIENT_CIDR_BLOCKS = new AwsError("InsufficientCidrBlocks", 400);
    /** An id of this kind that does not exist, or that the caller cannot see. */
    public static final AwsError INVALID_SUBNET_CIDR_BLOCK_ASSOCIATION_NOT_FOUND =
            new AwsError("InvalidSubnetCidrBlockAssociationID.NotFound", 400);
    /** An Availability Zone name the Region does not have. */
    public static final AwsError INVALID_AVAILABILITY_ZONE = new AwsError("InvalidAvailabilityZone", 400);
    /** An Availability Zone (or zone id) unknown to the Region. */
    public static final AwsError INVALID_ZONE_NOT_FOUND = new AwsError("InvalidZone.NotFound", 400);
    /** CreateDefaultVpc while the Region already has a default VPC. */
    public static final AwsError DEFAULT_VPC_ALREADY_EXISTS = new AwsError("DefaultVpcAlreadyExists", 400);
    /** CreateDefaultSubnet (or a call that needs the default VPC) in a Region without one. */
    public static final AwsError DEFAULT_VPC_DOES_NOT_EXIST = new AwsError("DefaultVpcDoesNotExist", 400);
    /** CreateDefaultSubnet in a zone that already has a default subnet. */
    public static final AwsError DEFAULT_SUBNET_ALREADY_EXISTS_IN_AZ =
            new AwsError("DefaultSubnetAlreadyExistsInAvailabilityZone", 400);

    // Route tables.
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    public static final AwsError INVALID_ROUTE_TABLE_ID_MALFORMED = new AwsError("InvalidRouteTableId.Malformed", 400);
    /** An id of this kind that does not exist, or that the caller cannot see. */
    public static final AwsError INVALID_ROUTE_TABLE_ID_NOT_FOUND = new AwsError("InvalidRouteTableID.NotFound", 400);
    /** An id of this kind that does not exist, or that the caller cannot see. */
    public static final AwsError INVALID_ROUTE_NOT_FOUND = new AwsError("InvalidRoute.NotFound", 400);
    /** A route destination that is not a valid CIDR or prefix list. */
    public static final AwsError INVALID_ROUTE_MALFORMED = new AwsError("InvalidRoute.Malformed", 400);
    /** ReplaceRoute or DeleteRoute on a route that cannot change in its state (the local route). */
    public static final AwsError INVALID_ROUTE_INVALID_STATE = new AwsError("InvalidRoute.InvalidState", 400);
    /** CreateRoute for a destination the table already routes. */
    public static final AwsError ROUTE_ALREADY_EXISTS = new AwsError("RouteAlreadyExists", 400);
    /** Creating one more would go over AWS's quota for this resource. */
    public static final AwsError ROUTE_LIMIT_EXCEEDED = new AwsError("RouteLimitExceeded", 400);
    /** Creating one more would go over AWS's quota for this resource. */
    public static final AwsError ROUTE_TABLE_LIMIT_EXCEEDED = new AwsError("RouteTableLimitExceeded", 400);
    /** An id of this kind that does not exist, or that the caller cannot see. */
    public static final AwsError INVALID_ASSOCIATION_ID_NOT_FOUND = new AwsError("InvalidAssociationID.NotFound", 400);
    /** An id of this kind that does not exist, or that the caller cannot see. */
    public static final AwsError INVALID_GATEWAY_ID_NOT_FOUND = new AwsError("InvalidGatewayID.NotFound", 400);
    /** Associating a subnet or gateway that already has an association of that kind. */
    public static final AwsError RESOURCE_ALREADY_ASSOCIATED = new AwsError("Resource.AlreadyAssociated", 400);
    /** A route names a NAT gateway that does not exist (route calls spell it this way, not NatGatewayNotFound). */
    public static final AwsError ROUTE_NAT_GATEWAY_NOT_FOUND = new AwsError("InvalidNatGatewayID.NotFound", 400);
    /** A prefix-list id that is not {@code pl-} followed by hex digits. */
    public static final AwsError INVALID_PREFIX_LIST_ID_MALFORMED = new AwsError("InvalidPrefixListId.Malformed", 400);

    // Security groups.
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    public static final AwsError INVALID_GROUP_ID_MALFORMED = new AwsError("InvalidGroupId.Malformed", 400);
    /** An id of this kind that does not exist, or that the caller cannot see. */
    public static final AwsError INVALID_GROUP_NOT_FOUND = new AwsError("InvalidGroup.NotFound", 400);
    /** CreateSecurityGroup with a name the VPC already has. */
    public static final AwsError INVALID_GROUP_DUPLICATE = new AwsError("InvalidGroup.Duplicate", 400);
    /** DeleteSecurityGroup of a group still referenced by an interface or another group's rule. */
    public static final AwsError INVALID_GROUP_IN_USE = new AwsError("InvalidGroup.InUse", 400);
    /** CreateSecurityGroup named {@code default}: every VPC already has its own default group. */
    public static final AwsError INVALID_GROUP_RESERVED = new AwsError("InvalidGroup.Reserved", 400);
    /** CreateSecurityGroup without a VpcId in an account that has no default VPC. */
    public static final AwsError VPC_ID_NOT_SPECIFIED = new AwsError("VPCIdNotSpecified", 400);
    /** Deleting what AWS keeps for the VPC's lifetime (its default security group). */
    public static final AwsError CANNOT_DELETE = new AwsError("CannotDelete", 400);
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    public static final AwsError INVALID_SECURITY_GROUP_RULE_ID_MALFORMED =
            new AwsError("InvalidSecurityGroupRuleId.Malformed", 400);
    /** An id of this kind that does not exist, or that the caller cannot see. */
    public static final AwsError INVALID_SECURITY_GROUP_RULE_ID_NOT_FOUND =
            new AwsError("InvalidSecurityGroupRuleId.NotFound", 400);
    /** Authorizing a rule the group already has. */
    public static final AwsError INVALID_PERMISSION_DUPLICATE = new AwsError("InvalidPermission.Duplicate", 400);
    /** A rule whose protocol, ports or peer do not fit together. */
    public static final AwsError INVALID_PERMISSION_MALFORMED = new AwsError("InvalidPermission.Malformed", 400);
    /** Revoking a rule the group does not have. */
    public static final AwsError INVALID_PERMISSION_NOT_FOUND = new AwsError("InvalidPermission.NotFound", 400);
    /** Creating one more would go over AWS's quota for this resource. */
    public static final AwsError RULES_PER_SECURITY_GROUP_LIMIT_EXCEEDED =
            new AwsError("RulesPerSecurityGroupLimitExceeded", 400);
    /** Creating one more would go over AWS's quota for this resource. */
    public static final AwsError SECURITY_GROUP_LIMIT_EXCEEDED = new AwsError("SecurityGroupLimitExceeded", 400);
    /** Creating one more would go over AWS's quota for this resource. */
    public static final AwsError SECURITY_GROUPS_PER_INTERFACE_LIMIT_EXCEEDED =
            new AwsError("SecurityGroupsPerInterfaceLimitExceeded", 400);

    // Network ACLs.
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    public static final AwsError INVALID_NETWORK_ACL_ID_MALFORMED = new AwsError("InvalidNetworkAclId.Malformed", 400);
    /** An id of this kind that does not exist, or that the caller cannot see. */
    public static final AwsError INVALID_NETWORK_ACL_ID_NOT_FOUND = new AwsError("InvalidNetworkAclID.NotFound", 400);
    /** Replacing or deleting an ACL entry number the list does not have. */
    public static final AwsError INVALID_NETWORK_ACL_ENTRY_NOT_FOUND =
            new AwsError("InvalidNetworkAclEntry.NotFound", 400);
    /** CreateNetworkAclEntry with a rule number already used in that direction. */
    public static final AwsError NETWORK_ACL_ENTRY_ALREADY_EXISTS = new AwsError("NetworkAclEntryAlreadyExists", 400);
    /** Creating one more would go over AWS's quota for this resource. */
    public static final AwsError NETWORK_ACL_ENTRY_LIMIT_EXCEEDED = new AwsError("NetworkAclEntryLimitExceeded", 400);
    /** Creating one more would go over AWS's quota for this resource. */
    public static final AwsError NETWORK_ACL_LIMIT_EXCEEDED = new AwsError("NetworkAclLimitExceeded", 400);

    // Network interfaces.
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    public static final AwsError INVALID_NETWORK_INTERFACE_ID_MALFORMED =
            new AwsError("InvalidNetworkInterfaceId.Malformed", 400);
    /** An id of this kind that does not exist, or that the caller cannot see. */
    public static final AwsError INVALID_NETWORK_INTERFACE_ID_NOT_FOUND =
            new AwsError("InvalidNetworkInterfaceID.NotFound", 400);
    /** Deleting or attaching an interface that is already attached (in use). */
    public static final AwsError INVALID_NETWORK_INTERFACE_IN_USE = new AwsError("InvalidNetworkInterface.InUse", 400);
    /** An id of this kind that does not exist, or that the caller cannot see. */
    public static final AwsError INVALID_ATTACHMENT_ID_NOT_FOUND = new AwsError("InvalidAttachmentID.NotFound", 400);
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    public static final AwsError INVALID_NETWORK_INTERFACE_ATTACHMENT_ID_MALFORMED =
            new AwsError("InvalidNetworkInterfaceAttachmentId.Malformed", 400);
    /** The subnet has no free address left for a new interface or address. */
    public static final AwsError INSUFFICIENT_FREE_ADDRESSES_IN_SUBNET =
            new AwsError("InsufficientFreeAddressesInSubnet", 400);
    /** Creating one more would go over AWS's quota for this resource. */
    public static final AwsError PRIVATE_IP_ADDRESS_LIMIT_EXCEEDED = new AwsError("PrivateIpAddressLimitExceeded", 400);
    /** A requested private address that another interface of the subnet already has. */
    public static final AwsError INVALID_IP_ADDRESS_IN_USE = new AwsError("InvalidIPAddress.InUse", 400);
    /** Creating one more would go over AWS's quota for this resource. */
    public static final AwsError NETWORK_INTERFACE_LIMIT_EXCEEDED = new AwsError("NetworkInterfaceLimitExceeded", 400);

    // Gateways.
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    public static final AwsError INVALID_INTERNET_GATEWAY_ID_MALFORMED =
            new AwsError("InvalidInternetGatewayId.Malformed", 400);
    /** An id of this kind that does not exist, or that the caller cannot see. */
    public static final AwsError INVALID_INTERNET_GATEWAY_ID_NOT_FOUND =
            new AwsError("InvalidInternetGatewayID.NotFound", 400);
    /** Detaching an internet gateway from a VPC it is not attached to, or a VPC without one where one is needed. */
    public static final AwsError GATEWAY_NOT_ATTACHED = new AwsError("Gateway.NotAttached", 400);
    /** Creating one more would go over AWS's quota for this resource. */
    public static final AwsError INTERNET_GATEWAY_LIMIT_EXCEEDED = new AwsError("InternetGatewayLimitExceeded", 400);
    /** An id of this kind that does not exist, or that the caller cannot see. */
    public static final AwsError INVALID_NAT_GATEWAY_ID_NOT_FOUND = new AwsError("NatGatewayNotFound", 400);
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    public static final AwsError NAT_GATEWAY_MALFORMED = new AwsError("NatGatewayMalformed", 400);
    /** Creating one more would go over AWS's quota for this resource. */
    public static final AwsError NAT_GATEWAY_LIMIT_EXCEEDED = new AwsError("NatGatewayLimitExceeded", 400);
    /** An id of this kind that does not exist, or that the caller cannot see. */
    public static final AwsError INVALID_ALLOCATION_ID_NOT_FOUND = new AwsError("InvalidAllocationID.NotFound", 400);
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    public static final AwsError INVALID_ALLOCATION_ID_MALFORMED = new AwsError("InvalidAllocationID.Malformed", 400);

    // Elastic IPs.
    /** AllocateAddress beyond the Elastic IPs-per-region quota. */
    public static final AwsError ADDRESS_LIMIT_EXCEEDED = new AwsError("AddressLimitExceeded", 400);
    /**
     * An address of another account, or one a service (a NAT gateway) manages: AWS answers {@code AuthFailure} with
     * status 400 here, unlike a credential failure (401).
     */
    public static final AwsError ADDRESS_NOT_OWNED = new AwsError("AuthFailure", 400);
    /** AllocateAddress {@code Address=} that is not in the region's pool or is taken. */
    public static final AwsError INVALID_ADDRESS_NOT_FOUND = new AwsError("InvalidAddress.NotFound", 400);
    /** A PublicIpv4Pool other than {@code amazon}. */
    public static final AwsError INVALID_PUBLIC_IPV4_POOL_ID_NOT_FOUND =
            new AwsError("InvalidPublicIpv4PoolID.NotFound", 400);
    /** The region's share of underpass's public pool is exhausted. */
    public static final AwsError INSUFFICIENT_ADDRESS_CAPACITY = new AwsError("InsufficientAddressCapacity", 400);

    // DHCP options sets.
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    public static final AwsError INVALID_DHCP_OPTIONS_ID_MALFORMED =
            new AwsError("InvalidDhcpOptionsId.Malformed", 400);
    /** An id of this kind that does not exist, or that the caller cannot see. */
    public static final AwsError INVALID_DHCP_OPTION_ID_NOT_FOUND = new AwsError("InvalidDhcpOptionID.NotFound", 400);

    // Egress-only internet gateways.
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    public static final AwsError INVALID_EGRESS_ONLY_INTERNET_GATEWAY_ID_MALFORMED =
            new AwsError("InvalidEgressOnlyInternetGatewayId.Malformed", 400);
    /** An id of this kind that does not exist, or that the caller cannot see. */
    public static final AwsError INVALID_EGRESS_ONLY_INTERNET_GATEWAY_ID_NOT_FOUND =
            new AwsError("InvalidEgressOnlyInternetGatewayId.NotFound", 400);
    /** Creating one more would go over AWS's quota for this resource. */
    public static final AwsError EGRESS_ONLY_INTERNET_GATEWAY_LIMIT_EXCEEDED =
            new AwsError("EgressOnlyInternetGatewayLimitExceeded", 400);

    // Network Insights (Reachability Analyzer). The codes follow EC2's InvalidXxxId pattern [unconfirmed].
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    public static final AwsError INVALID_NETWORK_INSIGHTS_PATH_ID_MALFORMED =
            new AwsError("InvalidNetworkInsightsPathId.Malformed", 400);
    /** An id of this kind that does not exist, or that the caller cannot see. */
    public static final AwsError INVALID_NETWORK_INSIGHTS_PATH_ID_NOT_FOUND =
            new AwsError("InvalidNetworkInsightsPathId.NotFound", 400);
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    public static final AwsError INVALID_NETWORK_INSIGHTS_ANALYSIS_ID_MALFORMED =
            new AwsError("InvalidNetworkInsightsAnalysisId.Malformed", 400);
    /** An id of this kind that does not exist, or that the caller cannot see. */
    public static final AwsError INVALID_NETWORK_INSIGHTS_ANALYSIS_ID_NOT_FOUND =
            new AwsError("InvalidNetworkInsightsAnalysisId.NotFound", 400);

    // VPC endpoints and prefix lists.
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    public static final AwsError INVALID_VPC_ENDPOINT_ID_MALFORMED =
            new AwsError("InvalidVpcEndpointId.Malformed", 400);
    /** An id of this kind that does not exist, or that the caller cannot see. */
    public static final AwsError INVALID_VPC_ENDPOINT_ID_NOT_FOUND = new AwsError("InvalidVpcEndpointId.NotFound", 400);
    /** The service name does not exist or the caller may not see it. */
    public static final AwsError INVALID_SERVICE_NAME = new AwsError("InvalidServiceName", 400);
    /** An interface endpoint is given two subnets in one Availability Zone. */
    public static final AwsError DUPLICATE_SUBNETS_IN_SAME_ZONE = new AwsError("DuplicateSubnetsInSameZone", 400);
    /** A VpcEndpointType the service does not offer. */
    public static final AwsError INVALID_VPC_ENDPOINT_TYPE = new AwsError("InvalidVpcEndpointType", 400);
    /** An endpoint policy that is not JSON, not policy grammar, or too long. */
    public static final AwsError INVALID_POLICY_DOCUMENT = new AwsError("InvalidPolicyDocument", 400);
    /** Creating one more would go over AWS's quota for this resource. */
    public static final AwsError VPC_ENDPOINT_LIMIT_EXCEEDED = new AwsError("VpcEndpointLimitExceeded", 400);
    /** An id of this kind that does not exist, or that the caller cannot see. */
    public static final AwsError INVALID_PREFIX_LIST_ID_NOT_FOUND = new AwsError("InvalidPrefixListID.NotFound", 400);
    /** A prefix-list change names a CurrentVersion that is not the list's version. */
    public static final AwsError PREFIX_LIST_VERSION_MISMATCH = new AwsError("PrefixListVersionMismatch", 400);
    /** The resource is not in a state that allows the change (e.g. an AWS-managed prefix list). */
    public static final AwsError INCORRECT_STATE = new AwsError("IncorrectState", 400);
    /** More entries than a prefix list's MaxEntries (code unconfirmed). */
    public static final AwsError PREFIX_LIST_MAX_ENTRIES_EXCEEDED = new AwsError("PrefixListMaxEntriesExceeded", 400);

    // Endpoint services (PrivateLink provider side).
    /** A {@code vpce-svc-…} id that is not the prefix and hex digits (AWS's errors page spells it with IdId). */
    public static final AwsError INVALID_VPC_ENDPOINT_SERVICE_ID_MALFORMED =
            new AwsError("InvalidVpcEndpointServiceIdId.Malformed", 400);
    /** No endpoint service with that id owned by the caller. */
    public static final AwsError INVALID_VPC_ENDPOINT_SERVICE_ID_NOT_FOUND =
            new AwsError("InvalidVpcEndpointServiceId.NotFound", 400);
    /** A load balancer ARN that is not a Network Load Balancer ARN. */
    public static final AwsError INVALID_NETWORK_LOAD_BALANCER_ARN_MALFORMED =
            new AwsError("InvalidNetworkLoadBalancerArn.Malformed", 400);
    /** A Network Load Balancer ARN of nothing the caller owns. */
    public static final AwsError INVALID_NETWORK_LOAD_BALANCER_ARN_NOT_FOUND =
            new AwsError("InvalidNetworkLoadBalancerArn.NotFound", 400);
    /** Deleting a service, or removing its load balancers, while endpoints are connected to it. */
    public static final AwsError EXISTING_VPC_ENDPOINT_CONNECTIONS =
            new AwsError("ExistingVpcEndpointConnections", 400);
    /** An allowed principal that is not an account root, user or role ARN, a service principal or {@code *}. */
    public static final AwsError INVALID_PRINCIPAL = new AwsError("InvalidPrincipal", 400);
    /** An allowed principal of a kind endpoint services do not support (an organization ARN). */
    public static final AwsError UNKNOWN_PRINCIPAL_TYPE_UNSUPPORTED =
            new AwsError("UnknownPrincipalType.Unsupported", 400);
    /** A connection notification whose topic ARN is not an SNS topic ARN, or that does not exist. */
    public static final AwsError INVALID_CONNECTION_NOTIFICATION = new AwsError("InvalidConnectionNotification", 400);

    // VPC peering connections.
    /** A {@code pcx-…} id that is not the prefix and hex digits. */
    public static final AwsError INVALID_VPC_PEERING_CONNECTION_ID_MALFORMED =
            new AwsError("InvalidVpcPeeringConnectionId.Malformed", 400);
    /** No VPC peering connection with that id that the caller can see. */
    public static final AwsError INVALID_VPC_PEERING_CONNECTION_ID_NOT_FOUND =
            new AwsError("InvalidVpcPeeringConnectionID.NotFound", 400);
    /** The peering connection's status does not allow the call (accepting a rejected request, deleting a failed one). */
    public static final AwsError INVALID_STATE_TRANSITION = new AwsError("InvalidStateTransition", 400);
    /** A pending or active peering connection already joins the two VPCs. */
    public static final AwsError VPC_PEERING_CONNECTION_ALREADY_EXISTS =
            new AwsError("VpcPeeringConnectionAlreadyExists", 400);
    /** Accepting would give one of the two VPCs more active peering connections than its quota. */
    public static final AwsError ACTIVE_VPC_PEERING_CONNECTION_PER_VPC_LIMIT_EXCEEDED =
            new AwsError("ActiveVpcPeeringConnectionPerVpcLimitExceeded", 400);
    /** The account already has as many unaccepted requests in the region as its quota allows. */
    public static final AwsError OUTSTANDING_VPC_PEERING_CONNECTION_LIMIT_EXCEEDED =
            new AwsError("OutstandingVpcPeeringConnectionLimitExceeded", 400);
    /** Remote DNS resolution asked for while a peered VPC has DNS hostnames or DNS support turned off. */
    public static final AwsError INVALID_VPC_PEERING_CONNECTION_STATE_DNS_HOSTNAMES_DISABLED =
            new AwsError("InvalidVpcPeeringConnectionState.DnsHostnamesDisabled", 400);

    // Instances.
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    public static final AwsError INVALID_INSTANCE_ID_MALFORMED = new AwsError("InvalidInstanceID.Malformed", 400);
    /** An id of this kind that does not exist, or that the caller cannot see. */
    public static final AwsError INVALID_INSTANCE_ID_NOT_FOUND = new AwsError("InvalidInstanceID.NotFound", 400);
    /** An instance cannot stand for one interface (a route to an instance with several interfaces). */
    public static final AwsError INVALID_INSTANCE_ID = new AwsError("InvalidInstanceID", 400);
    /** An action the instance's current state does not allow (e.g. stopping a terminated one). */
    public static final AwsError INCORRECT_INSTANCE_STATE = new AwsError("IncorrectInstanceState", 400);
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    public static final AwsError INVALID_AMI_ID_MALFORMED = new AwsError("InvalidAMIID.Malformed", 400);
    /** A well-formed {@code ami-} id that names no image in the region (RunInstances, DescribeImages). */
    public static final AwsError INVALID_AMI_ID_NOT_FOUND = new AwsError("InvalidAMIID.NotFound", 400);
    /** DescribeInstanceTypes names an instance type that does not exist. */
    public static final AwsError INVALID_INSTANCE_TYPE = new AwsError("InvalidInstanceType", 400);
    /** DescribeImages {@code Owner} is neither an alias nor a 12-digit account id. */
    public static final AwsError INVALID_USER_ID_MALFORMED = new AwsError("InvalidUserID.Malformed", 400);
    /** Creating one more would go over AWS's quota for this resource. */
    public static final AwsError INSTANCE_LIMIT_EXCEEDED = new AwsError("InstanceLimitExceeded", 400);
    /** RunInstances without a subnet when the default VPC has no default subnet to launch into. */
    public static final AwsError MISSING_INPUT = new AwsError("MissingInput", 400);

    private ErrorCode() {}
}
