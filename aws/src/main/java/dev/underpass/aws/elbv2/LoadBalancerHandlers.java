package dev.underpass.aws.elbv2;

import dev.underpass.model.Caller;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.InternetGateway;
import dev.underpass.model.ec2.NetworkInterface;
import dev.underpass.model.ec2.Scoped;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.elb.AlbAttributes;
import dev.underpass.model.elb.AlbLoadBalancers;
import dev.underpass.model.elb.ElbError;
import dev.underpass.model.elb.HostedZones;
import dev.underpass.model.elb.Listener;
import dev.underpass.model.elb.LoadBalancer;
import dev.underpass.model.elb.LoadBalancers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.AvailabilityZone;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateLoadBalancerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateLoadBalancerResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DeleteLoadBalancerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DeleteLoadBalancerResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeAccountLimitsRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeAccountLimitsResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeLoadBalancersRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeLoadBalancersResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Limit;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerAddress;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerState;

/**
 * Network and Application Load Balancers: create (one subnet per Availability Zone, each with a requester-managed
 * network interface and a private address in that subnet; an ALB needs two zones and has security groups, see
 * {@link AlbLoadBalancers}), describe, delete (with its listeners, rules and interfaces) and the account limits.
 * Gateway Load Balancers are refused with a clear message. Where the nodes go is {@link LoadBalancerPlacement}'s;
 * what changes later (attributes, subnets, security groups, IP address type) is {@link LoadBalancerSettingHandlers}'.
 */
record LoadBalancerHandlers(Elbv2Registry api) {
    /** Network Load Balancers per Region. */
    static final int MAX_LOAD_BALANCERS = 50;
    private static final List<String> SCHEMES = List.of("internet-facing", "internal");
    private static final List<String> TYPES = List.of("application", "network", "gateway");
    static final List<String> IP_ADDRESS_TYPES = List.of("ipv4", "dualstack", "dualstack-without-public-ipv4");

    void register(Elbv2Registry registry) {
        registry.write("CreateLoadBalancer", CreateLoadBalancerRequest::builder, this::create);
        registry.read("DescribeLoadBalancers", DescribeLoadBalancersRequest::builder, this::describe);
        registry.write("DeleteLoadBalancer", DeleteLoadBalancerRequest::builder, this::delete);
        registry.read("DescribeAccountLimits", DescribeAccountLimitsRequest::builder, this::limits);
    }

    static software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer toSdk(LoadBalancer lb,
            String state) {
        List<AvailabilityZone> zones = new ArrayList<>();
        for (LoadBalancer.Zone z : lb.zones()) {
            List<LoadBalancerAddress> addresses = z.addressRequested() && !lb.isApplication()
                    ? List.of(LoadBalancerAddress.builder().privateIPv4Address(z.privateIp()).build())
                    : List.of();
            zones.add(AvailabilityZone.builder().zoneName(z.zoneName()).subnetId(z.subnetId())
                    .loadBalancerAddresses(addresses).build());
        }
        var b = software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer.builder()
                .loadBalancerArn(lb.arn())
                .dnsName(lb.dnsName())
                .canonicalHostedZoneId(HostedZones.of(lb))
                .createdTime(lb.createdAt())
                .loadBalancerName(lb.name())
                .scheme(lb.scheme())
                .vpcId(lb.vpcId())
                .state(LoadBalancerState.builder().code(state).build())
                .type(lb.type())
                .availabilityZones(zones)
                .ipAddressType(lb.ipAddressType());
        if (lb.isApplication()) {
            b.securityGroups(lb.securityGroups());
        } else if (!lb.securityGroups().isEmpty()) {
            b.securityGroups(lb.securityGroups())
                    .enforceSecurityGroupInboundRulesOnPrivateLinkTraffic(enforceInbound(lb));
        }
        return b.build();
    }

    /** Whether an NLB's security groups also filter PrivateLink traffic ({@code on} unless turned off). */
    static String enforceInbound(LoadBalancer lb) {
        return lb.attributes().getOrDefault(ENFORCE_INBOUND, "on");
    }

    /**
     * Where the NLB's SetSecurityGroups choice is kept: not a real load balancer attribute, so it is filtered out of
     * DescribeLoadBalancerAttributes.
     */
    static final String ENFORCE_INBOUND = "underpass.enforce_security_group_inbound_rules_on_private_link";

    private String state(LoadBalancer lb, Instant now) {
        return lb.state(now, api.settings().provisioning());
    }

    private static Map<String, String> defaultAttributes(String scheme) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("access_logs.s3.enabled", "false");
        a.put("access_logs.s3.bucket", "");
        a.put("access_logs.s3.prefix", "");
        a.put("deletion_protection.enabled", "false");
        a.put("ipv6.deny_all_igw_traffic", String.valueOf("internal".equals(scheme)));
        a.put("load_balancing.cross_zone.enabled", "false");
        a.put("dns_record.client_routing_policy", "any_availability_zone");
        a.put("zonal_shift.config.enabled", "false");
        return a;
    }

    private CreateLoadBalancerResponse create(CreateLoadBalancerRequest req, Tx tx) {
        Caller caller = tx.caller();
        String name = ElbShapes.required(req.name(), "Name");
        ElbShapes.name(name, "Load balancer");
        if (name.startsWith("internal-")) {
            throw ElbError.VALIDATION_ERROR.format("Load balancer name '%s' cannot begin with 'internal-'", name);
        }
        String type = ElbShapes.oneOf(req.typeAsString() == null ? "application" : req.typeAsString(), "Type",
                TYPES);
        if (type.equals("gateway")) {
            throw ElbError.INVALID_CONFIGURATION_REQUEST.with(
                    "underpass emulates Network and Application Load Balancers: Type 'gateway' is not supported");
        }
        boolean alb = type.equals("application");
        String scheme = ElbShapes.oneOf(req.schemeAsString() == null ? "internet-facing" : req.schemeAsString(),
                "Scheme", SCHEMES);
        String ipType = ElbShapes.oneOf(req.ipAddressTypeAsString() == null ? "ipv4" : req.ipAddressTypeAsString(),
                "IpAddressType", IP_ADDRESS_TYPES);
        if (!alb && !ipType.equals("ipv4")) {
            throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                    "underpass supports only the 'ipv4' IP address type for Network Load Balancers, not '%s'",
                    ipType);
        }
        if (alb) {
            LoadBalancerPlacement.refuseAddressChoices(req.subnetMappings());
        }
        if (req.customerOwnedIpv4Pool() != null) {
            throw ElbError.INVALID_CONFIGURATION_REQUEST.with(
                    "Customer-owned IPv4 pools are only supported for Application Load Balancers on Outposts");
        }
        Map<String, String> tags = ElbShapes.tags(req.tags());
        List<LoadBalancerPlacement.Choice> choices = LoadBalancerPlacement.choices(tx, req.subnets(),
                req.subnetMappings(), scheme);
        String vpcId = choices.get(0).subnet().vpcId();
        List<Subnet> subnets = choices.stream().map(LoadBalancerPlacement.Choice::subnet).toList();
        if (alb) {
            AlbLoadBalancers.requireTwoZones(subnets);
            AlbLoadBalancers.ipAddressType(ipType, scheme, subnets);
        }
        List<String> groups = alb ? AlbLoadBalancers.securityGroups(tx, req.securityGroups(), vpcId)
                : LoadBalancerPlacement.securityGroups(tx, req.securityGroups(), vpcId);

        List<LoadBalancer> mine = LoadBalancers.owned(tx.world(), caller);
        for (LoadBalancer existing : mine) {
            if (existing.name().equals(name)) {
                Set<String> wanted = new HashSet<>();
                choices.forEach(c -> wanted.add(c.subnet().id()));
                Set<String> have = new HashSet<>();
                existing.zones().forEach(z -> have.add(z.subnetId()));
                if (existing.type().equals(type) && existing.scheme().equals(scheme) && wanted.equals(have)
                        && new HashSet<>(existing.securityGroups()).equals(new HashSet<>(groups))) {
                    // CreateLoadBalancer is idempotent: the same settings give back the same load balancer.
                    return CreateLoadBalancerResponse.builder()
                            .loadBalancers(toSdk(existing, state(existing, tx.now()))).build();
                }
                throw ElbError.DUPLICATE_LOAD_BALANCER_NAME.format(
                        "A load balancer with the same name '%s' exists, but with different settings", name);
            }
        }
        if (mine.size() >= MAX_LOAD_BALANCERS) {
            throw ElbError.TOO_MANY_LOAD_BALANCERS.format(
                    "The quota for the number of load balancers has been reached (%d)", MAX_LOAD_BALANCERS);
        }
        if (scheme.equals("internet-facing")) {
            boolean igw = Scoped.inVpc(tx.world(), InternetGateway.class, vpcId).stream()
                    .anyMatch(g -> g.ownerId().equals(caller.accountId()));
            if (!igw) {
                throw ElbError.INVALID_SUBNET.format("VPC %s has no internet gateway", vpcId);
            }
        }
        String arn = LoadBalancers.loadBalancerArn(caller, name, type);
        String lbId = arn.substring(arn.lastIndexOf('/') + 1);
        List<LoadBalancer.Zone> zones = new ArrayList<>();
        for (LoadBalancerPlacement.Choice c : choices) {
            zones.add(LoadBalancerPlacement.createInterface(tx, c.subnet(), c.privateIp(), name, lbId, groups, alb));
        }
        LoadBalancer lb = tx.put(new LoadBalancer(arn, caller.accountId(), caller.region(), name, type,
                scheme, vpcId, ipType, zones, groups,
                alb ? AlbAttributes.loadBalancerDefaults(scheme) : defaultAttributes(scheme), tx.now(), tags));
        return CreateLoadBalancerResponse.builder()
                .loadBalancers(toSdk(lb, LoadBalancer.PROVISIONING)).build();
    }

    private DescribeLoadBalancersResponse describe(DescribeLoadBalancersRequest req, Elbv2Api.ReadContext ctx) {
        World world = ctx.world();
        boolean byArn = req.hasLoadBalancerArns() && !req.loadBalancerArns().isEmpty();
        boolean byName = req.hasNames() && !req.names().isEmpty();
        if (byArn && byName) {
            throw ElbError.VALIDATION_ERROR.with(
                    "Load balancer names and load balancer ARNs cannot be specified at the same time");
        }
        List<LoadBalancer> found;
        if (byArn) {
            found = ElbShapes.byArns(req.loadBalancerArns(),
                    arn -> LoadBalancers.requireLoadBalancer(world, ctx.caller(), arn));
        } else if (byName) {
            found = ElbShapes.byNames(LoadBalancers.owned(world, ctx.caller()), req.names(), LoadBalancer::name,
                    missing -> ElbError.LOAD_BALANCER_NOT_FOUND.format("Load balancers '%s' not found", missing));
        } else {
            found = LoadBalancers.owned(world, ctx.caller());
        }
        ElbShapes.Page<LoadBalancer> page = ElbShapes.page(found, req.pageSize(), req.marker(), LoadBalancer::id);
        List<software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer> out = new ArrayList<>();
        for (LoadBalancer lb : page.items()) {
            out.add(toSdk(lb, state(lb, ctx.now())));
        }
        return DescribeLoadBalancersResponse.builder().loadBalancers(out).nextMarker(page.nextMarker()).build();
    }

    private DeleteLoadBalancerResponse delete(DeleteLoadBalancerRequest req, Tx tx) {
        String arn = ElbShapes.required(req.loadBalancerArn(), "LoadBalancerArn");
        // Deleting a load balancer that does not exist (or no longer exists) succeeds, as in AWS.
        LoadBalancers.findOwnedLoadBalancer(tx.world(), tx.caller(), arn).ifPresent(lb -> {
            if (lb.attributeTrue("deletion_protection.enabled")) {
                throw ElbError.OPERATION_NOT_PERMITTED.format(
                        "Load balancer '%s' cannot be deleted because deletion protection is enabled", arn);
            }
            var services = dev.underpass.model.ec2.EndpointServices.usingLoadBalancer(tx.world(), arn);
            if (!services.isEmpty()) {
                throw ElbError.RESOURCE_IN_USE.format("Load balancer '%s' cannot be deleted because it is currently "
                        + "associated with VPC endpoint service %s", arn, services.get(0).id());
            }
            for (Listener l : LoadBalancers.listenersOf(tx.world(), arn)) {
                ListenerHandlers.remove(tx, l);
            }
            for (LoadBalancer.Zone z : lb.zones()) {
                tx.find(NetworkInterface.class, z.networkInterfaceId()).ifPresent(tx::remove);
            }
            tx.remove(lb);
        });
        return DeleteLoadBalancerResponse.builder().build();
    }

    private DescribeAccountLimitsResponse limits(DescribeAccountLimitsRequest req, Elbv2Api.ReadContext ctx) {
        List<Limit> limits = new ArrayList<>();
        Map<String, Integer> values = new LinkedHashMap<>();
        values.put("application-load-balancers", 50);
        values.put("condition-values-per-alb-rule", 5);
        values.put("condition-wildcards-per-alb-rule", 5);
        values.put("gateway-load-balancers", 100);
        values.put("gateway-load-balancers-per-vpc", 100);
        values.put("geneve-target-groups", 100);
        values.put("listeners-per-application-load-balancer", 50);
        values.put("listeners-per-network-load-balancer", ListenerHandlers.MAX_LISTENERS);
        values.put("network-load-balancer-enis-per-vpc", 1200);
        values.put("network-load-balancers", MAX_LOAD_BALANCERS);
        values.put("rules-per-application-load-balancer", 100);
        values.put("target-groups", TargetGroupHandlers.MAX_TARGET_GROUPS);
        values.put("target-groups-per-action-on-application-load-balancer", 5);
        values.put("target-groups-per-action-on-network-load-balancer", 1);
        values.put("target-groups-per-application-load-balancer", 100);
        values.put("targets-per-application-load-balancer", 1000);
        values.put("targets-per-availability-zone-per-gateway-load-balancer", 300);
        values.put("targets-per-availability-zone-per-network-load-balancer", 500);
        values.put("targets-per-network-load-balancer", 3000);
        values.forEach((k, v) -> limits.add(Limit.builder().name(k).max(String.valueOf(v)).build()));
        ElbShapes.Page<Limit> page = ElbShapes.page(limits, req.pageSize(), req.marker(), Limit::name);
        return DescribeAccountLimitsResponse.builder().limits(page.items()).nextMarker(page.nextMarker()).build();
    }
}
