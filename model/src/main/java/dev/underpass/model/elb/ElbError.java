package dev.underpass.model.elb;

import dev.underpass.model.AwsError;

/**
 * Elastic Load Balancing v2 error codes with their HTTP statuses, spelled as the 2015-12-01 model's {@code error.code}
 * traits spell them (which is not always the shape name minus {@code Exception}). Every one is a client fault with
 * status 400 except where noted.
 */
public final class ElbError {
    /** A parameter breaks a constraint of the model (length, range, pattern, required) or an ARN is malformed. */
    public static final AwsError VALIDATION_ERROR = new AwsError("ValidationError", 400);
    /** The organization's service control policies do not let the caller's account make the request. */
    public static final AwsError ACCESS_DENIED = new AwsError("AccessDenied", 403);
    /** A load balancer ARN or name that does not exist for the caller. */
    public static final AwsError LOAD_BALANCER_NOT_FOUND = new AwsError("LoadBalancerNotFound", 400);
    /** CreateLoadBalancer with a name already used by a load balancer of different settings. */
    public static final AwsError DUPLICATE_LOAD_BALANCER_NAME = new AwsError("DuplicateLoadBalancerName", 400);
    /** More load balancers than the regional quota. */
    public static final AwsError TOO_MANY_LOAD_BALANCERS = new AwsError("TooManyLoadBalancers", 400);
    /** A target group ARN or name that does not exist for the caller. */
    public static final AwsError TARGET_GROUP_NOT_FOUND = new AwsError("TargetGroupNotFound", 400);
    /** CreateTargetGroup with a name already used by a target group of different settings. */
    public static final AwsError DUPLICATE_TARGET_GROUP_NAME = new AwsError("DuplicateTargetGroupName", 400);
    /** More target groups than the regional quota. */
    public static final AwsError TOO_MANY_TARGET_GROUPS = new AwsError("TooManyTargetGroups", 400);
    /** A listener ARN that does not exist for the caller. */
    public static final AwsError LISTENER_NOT_FOUND = new AwsError("ListenerNotFound", 400);
    /** A listener already exists on that port of the load balancer. */
    public static final AwsError DUPLICATE_LISTENER = new AwsError("DuplicateListener", 400);
    /** More listeners than allowed on one load balancer. */
    public static final AwsError TOO_MANY_LISTENERS = new AwsError("TooManyListeners", 400);
    /** A request that is well formed but not possible in this configuration. */
    public static final AwsError INVALID_CONFIGURATION_REQUEST = new AwsError("InvalidConfigurationRequest", 400);
    /** A subnet that cannot be used (for example no internet gateway for an internet-facing load balancer). */
    public static final AwsError INVALID_SUBNET = new AwsError("InvalidSubnet", 400);
    /** A subnet id that does not exist for the caller. */
    public static final AwsError SUBNET_NOT_FOUND = new AwsError("SubnetNotFound", 400);
    /** A security group that does not exist or is in another VPC. */
    public static final AwsError INVALID_SECURITY_GROUP = new AwsError("InvalidSecurityGroup", 400);
    /** A target that cannot be registered (unknown, not running, outside the VPC). */
    public static final AwsError INVALID_TARGET = new AwsError("InvalidTarget", 400);
    /** More targets than allowed. */
    public static final AwsError TOO_MANY_TARGETS = new AwsError("TooManyTargets", 400);
    /** A target group already used by another load balancer. */
    public static final AwsError TARGET_GROUP_ASSOCIATION_LIMIT = new AwsError("TargetGroupAssociationLimit", 400);
    /** A resource still in use (a target group referenced by a listener). */
    public static final AwsError RESOURCE_IN_USE = new AwsError("ResourceInUse", 400);
    /** The listener and target group protocols do not fit together. */
    public static final AwsError INCOMPATIBLE_PROTOCOLS = new AwsError("IncompatibleProtocols", 400);
    /** A protocol the load balancer type does not support. */
    public static final AwsError UNSUPPORTED_PROTOCOL = new AwsError("UnsupportedProtocol", 400);
    /** A listener action that is not valid for this load balancer. */
    public static final AwsError INVALID_LOAD_BALANCER_ACTION = new AwsError("InvalidLoadBalancerAction", 400);
    /** More than one action where one is allowed. */
    public static final AwsError TOO_MANY_ACTIONS = new AwsError("TooManyActions", 400);
    /** A TLS listener without a certificate. */
    public static final AwsError CERTIFICATE_NOT_FOUND = new AwsError("CertificateNotFound", 400);
    /** An operation refused by the resource's settings (deletion protection). */
    public static final AwsError OPERATION_NOT_PERMITTED = new AwsError("OperationNotPermitted", 400);
    /** The same tag key twice in one request. */
    public static final AwsError DUPLICATE_TAG_KEYS = new AwsError("DuplicateTagKeys", 400);
    /** More tags than allowed on one resource (or resources in one request). */
    public static final AwsError TOO_MANY_TAGS = new AwsError("TooManyTags", 400);
    /** A scheme that is not possible here. */
    public static final AwsError INVALID_SCHEME = new AwsError("InvalidScheme", 400);
    /** An Elastic IP allocation id that does not exist (underpass has no Elastic IPs for load balancers yet). */
    public static final AwsError ALLOCATION_ID_NOT_FOUND = new AwsError("AllocationIdNotFound", 400);
    /** The same priority used twice (listener rules). */
    public static final AwsError PRIORITY_IN_USE = new AwsError("PriorityInUse", 400);
    /** A listener rule ARN that does not exist for the caller. */
    public static final AwsError RULE_NOT_FOUND = new AwsError("RuleNotFound", 400);
    /** More rules than the quota of an Application Load Balancer (100, default rules excluded). */
    public static final AwsError TOO_MANY_RULES = new AwsError("TooManyRules", 400);
    /** A security policy name that is not one of ELB's predefined policies. */
    public static final AwsError SSL_POLICY_NOT_FOUND = new AwsError("SSLPolicyNotFound", 400);
    /** More certificates on a listener than the quota (25 besides the default certificate). */
    public static final AwsError TOO_MANY_CERTIFICATES = new AwsError("TooManyCertificates", 400);
    /** An ALPN policy on a listener that does not support one (ALB HTTPS listeners). */
    public static final AwsError ALPN_POLICY_NOT_SUPPORTED = new AwsError("ALPNPolicyNotFound", 400);
    /** More distinct target groups on one Application Load Balancer than the quota (100). */
    public static final AwsError TOO_MANY_UNIQUE_TARGET_GROUPS_PER_LOAD_BALANCER =
            new AwsError("TooManyUniqueTargetGroupsPerLoadBalancer", 400);
    /** The same target registered more often than allowed (a Lambda function in more than one group). */
    public static final AwsError TOO_MANY_REGISTRATIONS_FOR_TARGET_ID =
            new AwsError("TooManyRegistrationsForTargetId", 400);
    /** A capacity reservation change while the previous one is still pending (ModifyCapacityReservation). */
    public static final AwsError CAPACITY_RESERVATION_PENDING = new AwsError("CapacityReservationPending", 400);
    /** A third decrease of a load balancer's capacity reservation in one day. */
    public static final AwsError CAPACITY_DECREASE_REQUEST_LIMIT_EXCEEDED =
            new AwsError("CapacityDecreaseRequestLimitExceeded", 400);

    private ElbError() {}
}
