package dev.underpass.model.elb;

import dev.underpass.model.ec2.SecurityGroupId;
import dev.underpass.model.ec2.SubnetId;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.World;
import dev.underpass.model.ec2.EndpointService;
import dev.underpass.model.ec2.EndpointServices;
import dev.underpass.model.ec2.InternetGateway;
import dev.underpass.model.ec2.Scoped;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of a load balancer's life cycle that hold for both types underpass emulates: the names, types, schemes
 * and IP address types CreateLoadBalancer accepts, when a second CreateLoadBalancer of the same name is the same
 * load balancer again, what an internet-facing one needs, and what stops DeleteLoadBalancer. The Application Load
 * Balancer's own rules are {@link AlbLoadBalancers}; the quotas are {@link ElbLimits}.
 *
 * @see <a href="https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html">CreateLoadBalancer</a>
 */
public final class LoadBalancerRules {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9-]{1,32}");

    private LoadBalancerRules() {}

    /**
     * Load balancer and target group names ({@code what} is "Load balancer" or "Target group"): 1-32 alphanumerics
     * or hyphens, no hyphen at either end; ValidationError otherwise.
     */
    public static void requireName(String name, String what) {
        if (name.length() > 32) {
            throw ElbError.VALIDATION_ERROR.format("%s name '%s' cannot be longer than '32' characters", what,
                    name);
        }
        if (!NAME.matcher(name).matches()) {
            throw ElbError.VALIDATION_ERROR.format(
                    "%s name '%s' can only contain characters that are alphanumeric characters or hyphens(-)", what,
                    name);
        }
        if (name.startsWith("-") || name.endsWith("-")) {
            throw ElbError.VALIDATION_ERROR.format("%s name '%s' cannot begin or end with a hyphen", what, name);
        }
    }

    /** A load balancer's name: a name as above that does not begin with {@code internal-} (AWS's DNS prefix). */
    public static void requireLoadBalancerName(String name) {
        requireName(name, "Load balancer");
        if (name.startsWith("internal-")) {
            throw ElbError.VALIDATION_ERROR.format("Load balancer name '%s' cannot begin with 'internal-'", name);
        }
    }

    /** A type underpass emulates: {@code application} or {@code network}, not {@code gateway}. */
    public static void requireEmulatedType(LoadBalancer.Type type) {
        if (type == LoadBalancer.Type.GATEWAY) {
            throw ElbError.INVALID_CONFIGURATION_REQUEST.with(
                    "underpass emulates Network and Application Load Balancers: Type 'gateway' is not supported");
        }
    }

    /** An IP address type the load balancer's type allows here: a Network Load Balancer is {@code ipv4} only. */
    public static void requireIpAddressTypeFor(boolean application, LoadBalancer.IpAddressType ipAddressType) {
        if (!application && ipAddressType != LoadBalancer.IpAddressType.IPV4) {
            throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                    "underpass supports only the 'ipv4' IP address type for Network Load Balancers, not '%s'",
                    ipAddressType);
        }
    }

    /** A customer-owned IPv4 pool is for ALBs on Outposts, which underpass does not emulate. */
    public static void refuseCustomerOwnedPool(String pool) {
        if (pool != null) {
            throw ElbError.INVALID_CONFIGURATION_REQUEST.with(
                    "Customer-owned IPv4 pools are only supported for Application Load Balancers on Outposts");
        }
    }

    /**
     * Whether {@code existing} is what a CreateLoadBalancer of its name with these settings would make (then the
     * call answers it again: CreateLoadBalancer is idempotent). Subnets and groups compare as sets.
     */
    public static boolean sameSettings(LoadBalancer existing, LoadBalancer.Type type, LoadBalancer.Scheme scheme,
            Collection<String> subnetIds, Collection<SecurityGroupId> groups) {
        Set<String> have = new HashSet<>();
        existing.zones().forEach(z -> have.add(SubnetId.text(z.subnetId())));
        return existing.type() == type && existing.scheme() == scheme && have.equals(new HashSet<>(
                subnetIds)) && new HashSet<>(existing.securityGroups()).equals(new HashSet<>(groups));
    }

    /** The same name with other settings: DuplicateLoadBalancerName. */
    public static AwsException duplicateName(String name) {
        return ElbError.DUPLICATE_LOAD_BALANCER_NAME.format(
                "A load balancer with the same name '%s' exists, but with different settings", name);
    }

    /** An internet-facing load balancer needs an internet gateway of the caller's attached to its VPC. */
    public static void requireInternetGateway(World world, Caller caller, LoadBalancer.Scheme scheme,
            VpcId vpcId) {
        if (scheme != LoadBalancer.Scheme.INTERNET_FACING) {
            return;
        }
        boolean igw = Scoped.inVpc(world, InternetGateway.class, vpcId).stream()
                .anyMatch(g -> g.ownerId().equals(caller.accountId()));
        if (!igw) {
            throw ElbError.INVALID_SUBNET.format("VPC %s has no internet gateway", vpcId);
        }
    }

    /**
     * A load balancer DeleteLoadBalancer may remove: deletion protection off (OperationNotPermitted) and no VPC
     * endpoint service in front of it (ResourceInUse).
     */
    public static void requireDeletable(World world, LoadBalancer lb) {
        if (lb.attributeTrue("deletion_protection.enabled")) {
            throw ElbError.OPERATION_NOT_PERMITTED.format(
                    "Load balancer '%s' cannot be deleted because deletion protection is enabled", lb.arn());
        }
        List<EndpointService> services = EndpointServices.usingLoadBalancer(world, lb.arn());
        if (!services.isEmpty()) {
            throw ElbError.RESOURCE_IN_USE.format("Load balancer '%s' cannot be deleted because it is currently "
                    + "associated with VPC endpoint service %s", lb.arn(), services.get(0).id());
        }
    }
}
