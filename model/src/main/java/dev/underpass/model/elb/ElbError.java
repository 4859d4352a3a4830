package dev.underpass.model.elb;

import dev.underpass.model.AwsError;

/**
 * Elastic Load Balancing v2 error codes with their HTTP statuses, spelled as the 2015-12-01 model's {@code error.code}
 * traits spell them (which is not always the shape name minus {@code Exception}). Every one is a client fault with
 * status 400 except where noted.
 */
public enum ElbError implements AwsError {
    /** A parameter breaks a constraint of the model (length, range, pattern, required) or an ARN is malformed. */
    VALIDATION_ERROR("ValidationError", 400),
    /** The organization's service control policies do not let the caller's account make the request. */
    ACCESS_DENIED("AccessDenied", 403),
    /** A load balancer ARN or name that does not exist for the caller. */
    LOAD_BALANCER_NOT_FOUND("LoadBalancerNotFound", 400),
    /** CreateLoadBalancer with a name already used by a load balancer of different settings. */
    DUPLICATE_LOAD_BALANCER_NAME("DuplicateLoadBalancerName", 400),
    /** More load balancers than the regional quota. */
    TOO_MANY_LOAD_BALANCERS("TooManyLoadBalancers", 400),
    /** A target group ARN or name that does not exist for the caller. */
    TARGET_GROUP_NOT_FOUND("TargetGroupNotFound", 400),
    /** CreateTargetGroup with a name already used by a target group of different settings. */
    DUPLICATE_TARGET_GROUP_NAME("DuplicateTargetGroupName", 400),
    /** More target groups than the regional quota. */
    TOO_MANY_TARGET_GROUPS("TooManyTargetGroups", 400),
    /** A listener ARN that does not exist for the caller. */
    LISTENER_NOT_FOUND("ListenerNotFound", 400),
    /** A listener already exists on that port of the load balancer. */
    DUPLICATE_LISTENER("DuplicateListener", 400),
    /** More listeners than allowed on one load balancer. */
    TOO_MANY_LISTENERS("TooManyListeners", 400),
    /** A request that is well formed but not possible in this configuration. */
    INVALID_CONFIGURATION_REQUEST("InvalidConfigurationRequest", 400),
    /** A subnet that cannot be used (for example no internet gateway for an internet-facing load balancer). */
    INVALID_SUBNET("InvalidSubnet", 400),
    /** A subnet id that does not exist for the caller. */
    SUBNET_NOT_FOUND("SubnetNotFound", 400),
    /** A security group that does not exist or is in another VPC. */
    INVALID_SECURITY_GROUP("InvalidSecurityGroup", 400),
    /** A target that cannot be registered (unknown, not running, outside the VPC). */
    INVALID_TARGET("InvalidTarget", 400),
    /** More targets than allowed. */
    TOO_MANY_TARGETS("TooManyTargets", 400),
    /** A target group already used by another load balancer. */
    TARGET_GROUP_ASSOCIATION_LIMIT("TargetGroupAssociationLimit", 400),
    /** A resource still in use (a target group referenced by a listener). */
    RESOURCE_IN_USE("ResourceInUse", 400),
    /** The listener and target group protocols do not fit together. */
    INCOMPATIBLE_PROTOCOLS("IncompatibleProtocols", 400),
    /** A protocol the load balancer type does not support. */
    UNSUPPORTED_PROTOCOL("UnsupportedProtocol", 400),
    /** A listener action that is not valid for this load balancer. */
    INVALID_LOAD_BALANCER_ACTION("InvalidLoadBalancerAction", 400),
    /** More than one action where one is allowed. */
    TOO_MANY_ACTIONS("TooManyActions", 400),
    /** A TLS listener without a certificate. */
    CERTIFICATE_NOT_FOUND("CertificateNotFound", 400),
    /** An operation refused by the resource's settings (deletion protection). */
    OPERATION_NOT_PERMITTED("OperationNotPermitted", 400),
    /** The same tag key twice in one request. */
    DUPLICATE_TAG_KEYS("DuplicateTagKeys", 400),
    /** More tags than allowed on one resource (or resources in one request). */
    TOO_MANY_TAGS("TooManyTags", 400),
    /** A scheme that is not possible here. */
    INVALID_SCHEME("InvalidScheme", 400),
    /** An Elastic IP allocation id that does not exist (underpass has no Elastic IPs for load balancers yet). */
    ALLOCATION_ID_NOT_FOUND("AllocationIdNotFound", 400),
    /** The same priority used twice (listener rules). */
    PRIORITY_IN_USE("PriorityInUse", 400),
    /** A listener rule ARN that does not exist for the caller. */
    RULE_NOT_FOUND("RuleNotFound", 400),
    /** More rules than the quota of an Application Load Balancer (100, default rules excluded). */
    TOO_MANY_RULES("TooManyRules", 400),
    /** A security policy name that is not one of ELB's predefined policies. */
    SSL_POLICY_NOT_FOUND("SSLPolicyNotFound", 400),
    /** More certificates on a listener than the quota (25 besides the default certificate). */
    TOO_MANY_CERTIFICATES("TooManyCertificates", 400),
    /** An ALPN policy on a listener that does not support one (ALB HTTPS listeners). */
    ALPN_POLICY_NOT_SUPPORTED("ALPNPolicyNotFound", 400),
    /** More distinct target groups on one Application Load Balancer than the quota (100). */
    TOO_MANY_UNIQUE_TARGET_GROUPS_PER_LOAD_BALANCER("TooManyUniqueTargetGroupsPerLoadBalancer", 400),
    /** The same target registered more often than allowed (a Lambda function in more than one group). */
    TOO_MANY_REGISTRATIONS_FOR_TARGET_ID("TooManyRegistrationsForTargetId", 400);

    private final String wire;
    private final int status;

    ElbError(String wire, int status) {
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
