package dev.underpass.model;

/**
 * The catalogue of AWS error codes underpass raises, each with the HTTP status AWS answers it with. Wire strings are
 * written out, never derived from the Java name, because AWS's spelling is irregular ({@code InvalidVpcID.NotFound}
 * beside {@code InvalidVpcId.Malformed}).
 */
public enum ErrorCode implements AwsError {
    // Common to every action.
    /** The form names an action the service does not have. */
    INVALID_ACTION("InvalidAction", 400),
    /** The action exists in AWS but underpass does not emulate it (yet). */
    UNSUPPORTED_OPERATION("UnsupportedOperation", 400),
    /** A required parameter is absent. */
    MISSING_PARAMETER("MissingParameter", 400),
    /** A parameter value is of the wrong type, out of range or not one of the allowed values. */
    INVALID_PARAMETER_VALUE("InvalidParameterValue", 400),
    /** Two parameters that may not be combined were both given. */
    INVALID_PARAMETER_COMBINATION("InvalidParameterCombination", 400),
    /** A parameter is not valid for this action. */
    INVALID_PARAMETER("InvalidParameter", 400),
    /** The request names a parameter the action does not have. */
    UNKNOWN_PARAMETER("UnknownParameter", 400),
    /** The query string or form body cannot be parsed. */
    MALFORMED_QUERY_STRING("MalformedQueryString", 400),
    // The request cannot be read as HTTP at all. AWS's front ends answer these before any service sees the
    // request, with statuses but no documented codes; underpass names them so clients get its usual envelope.
    /** A garbage request line, a bad or repeated Content-Length, a bad chunk. */
    MALFORMED_HTTP_REQUEST("MalformedHttpRequest", 400),
    /** A body over the server's limit (16 MiB). */
    REQUEST_ENTITY_TOO_LARGE("RequestEntityTooLarge", 413),
    /** A request line over the HTTP decoder's limit. */
    REQUEST_URI_TOO_LONG("RequestURITooLong", 414),
    /** Headers over the HTTP decoder's limit. */
    REQUEST_HEADER_FIELDS_TOO_LARGE("RequestHeaderFieldsTooLarge", 431),
    /** {@code DryRun=true} and the call would have succeeded. */
    DRY_RUN_OPERATION("DryRunOperation", 412),
    /** The caller may not perform the operation. */
    UNAUTHORIZED_OPERATION("UnauthorizedOperation", 403),
    /** No Authorization header and no presigned query. */
    MISSING_AUTHENTICATION_TOKEN("MissingAuthenticationToken", 401),
    /** The Authorization header is malformed. */
    INCOMPLETE_SIGNATURE("IncompleteSignature", 400),
    /** The credentials are not recognised. */
    AUTH_FAILURE("AuthFailure", 401),
    /** X-Amz-Date is too far from the server's clock. */
    REQUEST_EXPIRED("RequestExpired", 400),
    /** A NextToken that underpass did not issue, or that no longer applies. */
    INVALID_NEXT_TOKEN("InvalidNextToken", 400),
    /** The {@code Version} form parameter is not the service's API version. */
    NO_SUCH_VERSION("NoSuchVersion", 400),
    /** A resource id of an unknown or unsupported kind in a tagging call. */
    INVALID_ID("InvalidID", 400),
    /** More tags than AWS allows on one resource. */
    TAG_LIMIT_EXCEEDED("TagLimitExceeded", 400),
    /** A ClientToken was reused with different request parameters. */
    IDEMPOTENT_PARAMETER_MISMATCH("IdempotentParameterMismatch", 400),
    /** The action is not allowed on this resource (e.g. detaching an instance's primary network interface). */
    OPERATION_NOT_PERMITTED("OperationNotPermitted", 400),
    /** An object still has dependents. */
    DEPENDENCY_VIOLATION("DependencyViolation", 400),
    /** A fault inside underpass; never used for a client's mistake. */
    INTERNAL_ERROR("InternalError", 500),
    /**
     * The server cannot take the request for now and nothing was done, e.g. a write whose commit failed because the
     * disk is full; retrying later can succeed (SDKs retry it by themselves).
     */
    SERVICE_UNAVAILABLE("ServiceUnavailable", 503),

    // VPCs and subnets.
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    INVALID_VPC_ID_MALFORMED("InvalidVpcId.Malformed", 400),
    /** An id of this kind that does not exist, or that the caller cannot see. */
    INVALID_VPC_ID_NOT_FOUND("InvalidVpcID.NotFound", 400),
    /**
     * A VPC block outside /16-/28 or overlapping the VPC's others. AWS's error list spells it {@code InvalidVpcRange};
     * the live API answers {@code InvalidVpc.Range}, as captured responses show.
     */
    INVALID_VPC_RANGE("InvalidVpc.Range", 400),
    /** Creating one more would go over AWS's quota for this resource. */
    VPC_LIMIT_EXCEEDED("VpcLimitExceeded", 400),
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    INVALID_SUBNET_ID_MALFORMED("InvalidSubnetId.Malformed", 400),
    /** An id of this kind that does not exist, or that the caller cannot see. */
    INVALID_SUBNET_ID_NOT_FOUND("InvalidSubnetID.NotFound", 400),
    /** A subnet CIDR that overlaps another subnet of the VPC. */
    INVALID_SUBNET_CONFLICT("InvalidSubnet.Conflict", 400),
    /** A subnet CIDR outside the VPC's blocks or outside the /16 to /28 (IPv6: /64) sizes. */
    INVALID_SUBNET_RANGE("InvalidSubnet.Range", 400),
    /** Creating one more would go over AWS's quota for this resource. */
    SUBNET_LIMIT_EXCEEDED("SubnetLimitExceeded", 400),
    /** An id of this kind that does not exist, or that the caller cannot see. */
    INVALID_CIDR_BLOCK_ASSOCIATION_NOT_FOUND("InvalidVpcCidrBlockAssociationID.NotFound", 400),
    /** Creating one more would go over AWS's quota for this resource. */
    CIDR_LIMIT_EXCEEDED("CidrLimitExceeded", 400),
    /** No free block of the requested size is left in the range to draw from. */
    INSUFFICIENT_CIDR_BLOCKS("InsufficientCidrBlocks", 400),
    /** An id of this kind that does not exist, or that the caller cannot see. */
    INVALID_SUBNET_CIDR_BLOCK_ASSOCIATION_NOT_FOUND("InvalidSubnetCidrBlockAssociationID.NotFound", 400),
    /** An Availability Zone name the Region does not have. */
    INVALID_AVAILABILITY_ZONE("InvalidAvailabilityZone", 400),
    /** An Availability Zone (or zone id) unknown to the Region. */
    INVALID_ZONE_NOT_FOUND("InvalidZone.NotFound", 400),
    /** CreateDefaultVpc while the Region already has a default VPC. */
    DEFAULT_VPC_ALREADY_EXISTS("DefaultVpcAlreadyExists", 400),
    /** CreateDefaultSubnet (or a call that needs the default VPC) in a Region without one. */
    DEFAULT_VPC_DOES_NOT_EXIST("DefaultVpcDoesNotExist", 400),
    /** CreateDefaultSubnet in a zone that already has a default subnet. */
    DEFAULT_SUBNET_ALREADY_EXISTS_IN_AZ("DefaultSubnetAlreadyExistsInAvailabilityZone", 400),

    // Route tables.
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    INVALID_ROUTE_TABLE_ID_MALFORMED("InvalidRouteTableId.Malformed", 400),
    /** An id of this kind that does not exist, or that the caller cannot see. */
    INVALID_ROUTE_TABLE_ID_NOT_FOUND("InvalidRouteTableID.NotFound", 400),
    /** An id of this kind that does not exist, or that the caller cannot see. */
    INVALID_ROUTE_NOT_FOUND("InvalidRoute.NotFound", 400),
    /** A route destination that is not a valid CIDR or prefix list. */
    INVALID_ROUTE_MALFORMED("InvalidRoute.Malformed", 400),
    /** ReplaceRoute or DeleteRoute on a route that cannot change in its state (the local route). */
    INVALID_ROUTE_INVALID_STATE("InvalidRoute.InvalidState", 400),
    /** CreateRoute for a destination the table already routes. */
    ROUTE_ALREADY_EXISTS("RouteAlreadyExists", 400),
    /** Creating one more would go over AWS's quota for this resource. */
    ROUTE_LIMIT_EXCEEDED("RouteLimitExceeded", 400),
    /** Creating one more would go over AWS's quota for this resource. */
    ROUTE_TABLE_LIMIT_EXCEEDED("RouteTableLimitExceeded", 400),
    /** An id of this kind that does not exist, or that the caller cannot see. */
    INVALID_ASSOCIATION_ID_NOT_FOUND("InvalidAssociationID.NotFound", 400),
    /** An id of this kind that does not exist, or that the caller cannot see. */
    INVALID_GATEWAY_ID_NOT_FOUND("InvalidGatewayID.NotFound", 400),
    /** Associating a subnet or gateway that already has an association of that kind. */
    RESOURCE_ALREADY_ASSOCIATED("Resource.AlreadyAssociated", 400),
    /** A route names a NAT gateway that does not exist (route calls spell it this way, not NatGatewayNotFound). */
    ROUTE_NAT_GATEWAY_NOT_FOUND("InvalidNatGatewayID.NotFound", 400),
    /** A prefix-list id that is not {@code pl-} followed by hex digits. */
    INVALID_PREFIX_LIST_ID_MALFORMED("InvalidPrefixListId.Malformed", 400),

    // Security groups.
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    INVALID_GROUP_ID_MALFORMED("InvalidGroupId.Malformed", 400),
    /** An id of this kind that does not exist, or that the caller cannot see. */
    INVALID_GROUP_NOT_FOUND("InvalidGroup.NotFound", 400),
    /** CreateSecurityGroup with a name the VPC already has. */
    INVALID_GROUP_DUPLICATE("InvalidGroup.Duplicate", 400),
    /** DeleteSecurityGroup of a group still referenced by an interface or another group's rule. */
    INVALID_GROUP_IN_USE("InvalidGroup.InUse", 400),
    /** CreateSecurityGroup named {@code default}: every VPC already has its own default group. */
    INVALID_GROUP_RESERVED("InvalidGroup.Reserved", 400),
    /** CreateSecurityGroup without a VpcId in an account that has no default VPC. */
    VPC_ID_NOT_SPECIFIED("VPCIdNotSpecified", 400),
    /** Deleting what AWS keeps for the VPC's lifetime (its default security group). */
    CANNOT_DELETE("CannotDelete", 400),
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    INVALID_SECURITY_GROUP_RULE_ID_MALFORMED("InvalidSecurityGroupRuleId.Malformed", 400),
    /** An id of this kind that does not exist, or that the caller cannot see. */
    INVALID_SECURITY_GROUP_RULE_ID_NOT_FOUND("InvalidSecurityGroupRuleId.NotFound", 400),
    /** Authorizing a rule the group already has. */
    INVALID_PERMISSION_DUPLICATE("InvalidPermission.Duplicate", 400),
    /** A rule whose protocol, ports or peer do not fit together. */
    INVALID_PERMISSION_MALFORMED("InvalidPermission.Malformed", 400),
    /** Revoking a rule the group does not have. */
    INVALID_PERMISSION_NOT_FOUND("InvalidPermission.NotFound", 400),
    /** Creating one more would go over AWS's quota for this resource. */
    RULES_PER_SECURITY_GROUP_LIMIT_EXCEEDED("RulesPerSecurityGroupLimitExceeded", 400),
    /** Creating one more would go over AWS's quota for this resource. */
    SECURITY_GROUP_LIMIT_EXCEEDED("SecurityGroupLimitExceeded", 400),
    /** Creating one more would go over AWS's quota for this resource. */
    SECURITY_GROUPS_PER_INTERFACE_LIMIT_EXCEEDED("SecurityGroupsPerInterfaceLimitExceeded", 400),

    // Network ACLs.
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    INVALID_NETWORK_ACL_ID_MALFORMED("InvalidNetworkAclId.Malformed", 400),
    /** An id of this kind that does not exist, or that the caller cannot see. */
    INVALID_NETWORK_ACL_ID_NOT_FOUND("InvalidNetworkAclID.NotFound", 400),
    /** Replacing or deleting an ACL entry number the list does not have. */
    INVALID_NETWORK_ACL_ENTRY_NOT_FOUND("InvalidNetworkAclEntry.NotFound", 400),
    /** CreateNetworkAclEntry with a rule number already used in that direction. */
    NETWORK_ACL_ENTRY_ALREADY_EXISTS("NetworkAclEntryAlreadyExists", 400),
    /** Creating one more would go over AWS's quota for this resource. */
    NETWORK_ACL_ENTRY_LIMIT_EXCEEDED("NetworkAclEntryLimitExceeded", 400),
    /** Creating one more would go over AWS's quota for this resource. */
    NETWORK_ACL_LIMIT_EXCEEDED("NetworkAclLimitExceeded", 400),

    // Network interfaces.
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    INVALID_NETWORK_INTERFACE_ID_MALFORMED("InvalidNetworkInterfaceId.Malformed", 400),
    /** An id of this kind that does not exist, or that the caller cannot see. */
    INVALID_NETWORK_INTERFACE_ID_NOT_FOUND("InvalidNetworkInterfaceID.NotFound", 400),
    /** Deleting or attaching an interface that is already attached (in use). */
    INVALID_NETWORK_INTERFACE_IN_USE("InvalidNetworkInterface.InUse", 400),
    /** An id of this kind that does not exist, or that the caller cannot see. */
    INVALID_ATTACHMENT_ID_NOT_FOUND("InvalidAttachmentID.NotFound", 400),
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    INVALID_NETWORK_INTERFACE_ATTACHMENT_ID_MALFORMED("InvalidNetworkInterfaceAttachmentId.Malformed", 400),
    /** The subnet has no free address left for a new interface or address. */
    INSUFFICIENT_FREE_ADDRESSES_IN_SUBNET("InsufficientFreeAddressesInSubnet", 400),
    /** Creating one more would go over AWS's quota for this resource. */
    PRIVATE_IP_ADDRESS_LIMIT_EXCEEDED("PrivateIpAddressLimitExceeded", 400),
    /** A requested private address that another interface of the subnet already has. */
    INVALID_IP_ADDRESS_IN_USE("InvalidIPAddress.InUse", 400),
    /** Creating one more would go over AWS's quota for this resource. */
    NETWORK_INTERFACE_LIMIT_EXCEEDED("NetworkInterfaceLimitExceeded", 400),

    // Gateways.
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    INVALID_INTERNET_GATEWAY_ID_MALFORMED("InvalidInternetGatewayId.Malformed", 400),
    /** An id of this kind that does not exist, or that the caller cannot see. */
    INVALID_INTERNET_GATEWAY_ID_NOT_FOUND("InvalidInternetGatewayID.NotFound", 400),
    /** Detaching an internet gateway from a VPC it is not attached to, or a VPC without one where one is needed. */
    GATEWAY_NOT_ATTACHED("Gateway.NotAttached", 400),
    /** Creating one more would go over AWS's quota for this resource. */
    INTERNET_GATEWAY_LIMIT_EXCEEDED("InternetGatewayLimitExceeded", 400),
    /** An id of this kind that does not exist, or that the caller cannot see. */
    INVALID_NAT_GATEWAY_ID_NOT_FOUND("NatGatewayNotFound", 400),
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    NAT_GATEWAY_MALFORMED("NatGatewayMalformed", 400),
    /** Creating one more would go over AWS's quota for this resource. */
    NAT_GATEWAY_LIMIT_EXCEEDED("NatGatewayLimitExceeded", 400),
    /** An id of this kind that does not exist, or that the caller cannot see. */
    INVALID_ALLOCATION_ID_NOT_FOUND("InvalidAllocationID.NotFound", 400),
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    INVALID_ALLOCATION_ID_MALFORMED("InvalidAllocationID.Malformed", 400),

    // Elastic IPs.
    /** AllocateAddress beyond the Elastic IPs-per-region quota. */
    ADDRESS_LIMIT_EXCEEDED("AddressLimitExceeded", 400),
    /**
     * An address of another account, or one a service (a NAT gateway) manages: AWS answers {@code AuthFailure} with
     * status 400 here, unlike a credential failure (401).
     */
    ADDRESS_NOT_OWNED("AuthFailure", 400),
    /** AllocateAddress {@code Address=} that is not in the region's pool or is taken. */
    INVALID_ADDRESS_NOT_FOUND("InvalidAddress.NotFound", 400),
    /** A PublicIpv4Pool other than {@code amazon}. */
    INVALID_PUBLIC_IPV4_POOL_ID_NOT_FOUND("InvalidPublicIpv4PoolID.NotFound", 400),
    /** The region's share of underpass's public pool is exhausted. */
    INSUFFICIENT_ADDRESS_CAPACITY("InsufficientAddressCapacity", 400),

    // DHCP options sets.
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    INVALID_DHCP_OPTIONS_ID_MALFORMED("InvalidDhcpOptionsId.Malformed", 400),
    /** An id of this kind that does not exist, or that the caller cannot see. */
    INVALID_DHCP_OPTION_ID_NOT_FOUND("InvalidDhcpOptionID.NotFound", 400),

    // Egress-only internet gateways.
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    INVALID_EGRESS_ONLY_INTERNET_GATEWAY_ID_MALFORMED("InvalidEgressOnlyInternetGatewayId.Malformed", 400),
    /** An id of this kind that does not exist, or that the caller cannot see. */
    INVALID_EGRESS_ONLY_INTERNET_GATEWAY_ID_NOT_FOUND("InvalidEgressOnlyInternetGatewayId.NotFound", 400),
    /** Creating one more would go over AWS's quota for this resource. */
    EGRESS_ONLY_INTERNET_GATEWAY_LIMIT_EXCEEDED("EgressOnlyInternetGatewayLimitExceeded", 400),

    // Network Insights (Reachability Analyzer). The codes follow EC2's InvalidXxxId pattern [unconfirmed].
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    INVALID_NETWORK_INSIGHTS_PATH_ID_MALFORMED("InvalidNetworkInsightsPathId.Malformed", 400),
    /** An id of this kind that does not exist, or that the caller cannot see. */
    INVALID_NETWORK_INSIGHTS_PATH_ID_NOT_FOUND("InvalidNetworkInsightsPathId.NotFound", 400),
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    INVALID_NETWORK_INSIGHTS_ANALYSIS_ID_MALFORMED("InvalidNetworkInsightsAnalysisId.Malformed", 400),
    /** An id of this kind that does not exist, or that the caller cannot see. */
    INVALID_NETWORK_INSIGHTS_ANALYSIS_ID_NOT_FOUND("InvalidNetworkInsightsAnalysisId.NotFound", 400),

    // VPC endpoints and prefix lists.
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    INVALID_VPC_ENDPOINT_ID_MALFORMED("InvalidVpcEndpointId.Malformed", 400),
    /** An id of this kind that does not exist, or that the caller cannot see. */
    INVALID_VPC_ENDPOINT_ID_NOT_FOUND("InvalidVpcEndpointId.NotFound", 400),
    /** The service name does not exist or the caller may not see it. */
    INVALID_SERVICE_NAME("InvalidServiceName", 400),
    /** An interface endpoint is given two subnets in one Availability Zone. */
    DUPLICATE_SUBNETS_IN_SAME_ZONE("DuplicateSubnetsInSameZone", 400),
    /** A VpcEndpointType the service does not offer. */
    INVALID_VPC_ENDPOINT_TYPE("InvalidVpcEndpointType", 400),
    /** An endpoint policy that is not JSON, not policy grammar, or too long. */
    INVALID_POLICY_DOCUMENT("InvalidPolicyDocument", 400),
    /** Creating one more would go over AWS's quota for this resource. */
    VPC_ENDPOINT_LIMIT_EXCEEDED("VpcEndpointLimitExceeded", 400),
    /** An id of this kind that does not exist, or that the caller cannot see. */
    INVALID_PREFIX_LIST_ID_NOT_FOUND("InvalidPrefixListID.NotFound", 400),
    /** A prefix-list change names a CurrentVersion that is not the list's version. */
    PREFIX_LIST_VERSION_MISMATCH("PrefixListVersionMismatch", 400),
    /** The resource is not in a state that allows the change (e.g. an AWS-managed prefix list). */
    INCORRECT_STATE("IncorrectState", 400),
    /** More entries than a prefix list's MaxEntries (code unconfirmed). */
    PREFIX_LIST_MAX_ENTRIES_EXCEEDED("PrefixListMaxEntriesExceeded", 400),

    // Endpoint services (PrivateLink provider side).
    /** A {@code vpce-svc-…} id that is not the prefix and hex digits (AWS's errors page spells it with IdId). */
    INVALID_VPC_ENDPOINT_SERVICE_ID_MALFORMED("InvalidVpcEndpointServiceIdId.Malformed", 400),
    /** No endpoint service with that id owned by the caller. */
    INVALID_VPC_ENDPOINT_SERVICE_ID_NOT_FOUND("InvalidVpcEndpointServiceId.NotFound", 400),
    /** A load balancer ARN that is not a Network Load Balancer ARN. */
    INVALID_NETWORK_LOAD_BALANCER_ARN_MALFORMED("InvalidNetworkLoadBalancerArn.Malformed", 400),
    /** A Network Load Balancer ARN of nothing the caller owns. */
    INVALID_NETWORK_LOAD_BALANCER_ARN_NOT_FOUND("InvalidNetworkLoadBalancerArn.NotFound", 400),
    /** Deleting a service, or removing its load balancers, while endpoints are connected to it. */
    EXISTING_VPC_ENDPOINT_CONNECTIONS("ExistingVpcEndpointConnections", 400),
    /** An allowed principal that is not an account root, user or role ARN, a service principal or {@code *}. */
    INVALID_PRINCIPAL("InvalidPrincipal", 400),
    /** An allowed principal of a kind endpoint services do not support (an organization ARN). */
    UNKNOWN_PRINCIPAL_TYPE_UNSUPPORTED("UnknownPrincipalType.Unsupported", 400),
    /** A connection notification whose topic ARN is not an SNS topic ARN, or that does not exist. */
    INVALID_CONNECTION_NOTIFICATION("InvalidConnectionNotification", 400),

    // VPC peering connections.
    /** A {@code pcx-…} id that is not the prefix and hex digits. */
    INVALID_VPC_PEERING_CONNECTION_ID_MALFORMED("InvalidVpcPeeringConnectionId.Malformed", 400),
    /** No VPC peering connection with that id that the caller can see. */
    INVALID_VPC_PEERING_CONNECTION_ID_NOT_FOUND("InvalidVpcPeeringConnectionID.NotFound", 400),
    /** The peering connection's status does not allow the call (accepting a rejected request, deleting a failed one). */
    INVALID_STATE_TRANSITION("InvalidStateTransition", 400),
    /** A pending or active peering connection already joins the two VPCs. */
    VPC_PEERING_CONNECTION_ALREADY_EXISTS("VpcPeeringConnectionAlreadyExists", 400),
    /** Accepting would give one of the two VPCs more active peering connections than its quota. */
    ACTIVE_VPC_PEERING_CONNECTION_PER_VPC_LIMIT_EXCEEDED("ActiveVpcPeeringConnectionPerVpcLimitExceeded", 400),
    /** The account already has as many unaccepted requests in the region as its quota allows. */
    OUTSTANDING_VPC_PEERING_CONNECTION_LIMIT_EXCEEDED("OutstandingVpcPeeringConnectionLimitExceeded", 400),
    /** Remote DNS resolution asked for while a peered VPC has DNS hostnames or DNS support turned off. */
    INVALID_VPC_PEERING_CONNECTION_STATE_DNS_HOSTNAMES_DISABLED(
            "InvalidVpcPeeringConnectionState.DnsHostnamesDisabled", 400),

    // Instances.
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    INVALID_INSTANCE_ID_MALFORMED("InvalidInstanceID.Malformed", 400),
    /** An id of this kind that does not exist, or that the caller cannot see. */
    INVALID_INSTANCE_ID_NOT_FOUND("InvalidInstanceID.NotFound", 400),
    /** An instance cannot stand for one interface (a route to an instance with several interfaces). */
    INVALID_INSTANCE_ID("InvalidInstanceID", 400),
    /** An action the instance's current state does not allow (e.g. stopping a terminated one). */
    INCORRECT_INSTANCE_STATE("IncorrectInstanceState", 400),
    /** An id of this kind that is not well formed (wrong prefix, length or characters). */
    INVALID_AMI_ID_MALFORMED("InvalidAMIID.Malformed", 400),
    /** A well-formed {@code ami-} id that names no image in the region (RunInstances, DescribeImages). */
    INVALID_AMI_ID_NOT_FOUND("InvalidAMIID.NotFound", 400),
    /** DescribeInstanceTypes names an instance type that does not exist. */
    INVALID_INSTANCE_TYPE("InvalidInstanceType", 400),
    /** DescribeImages {@code Owner} is neither an alias nor a 12-digit account id. */
    INVALID_USER_ID_MALFORMED("InvalidUserID.Malformed", 400),
    /** Creating one more would go over AWS's quota for this resource. */
    INSTANCE_LIMIT_EXCEEDED("InstanceLimitExceeded", 400),
    /** RunInstances without a subnet when the default VPC has no default subnet to launch into. */
    MISSING_INPUT("MissingInput", 400);

    private final String wire;
    private final int status;

    ErrorCode(String wire, int status) {
        this.wire = wire;
        this.status = status;
    }

    @Override
    public String wire() {
        return wire;
    }

    @Override
    public int status() {
        return status;
    }
}
