package dev.underpass.aws.elbv2;

import dev.underpass.model.elb.LoadBalancerArn;
import dev.underpass.model.ec2.SecurityGroupId;
import dev.underpass.model.ec2.SubnetId;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.Caller;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.NetworkInterface;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.elb.AlbAttributes;
import dev.underpass.model.elb.AlbLoadBalancers;
import dev.underpass.model.elb.ElbError;
import dev.underpass.model.elb.ElbErrors;
import dev.underpass.model.elb.ElbLimits;
import dev.underpass.model.elb.HostedZones;
import dev.underpass.model.elb.Listener;
import dev.underpass.model.elb.LoadBalancer;
import dev.underpass.model.elb.LoadBalancerRules;
import dev.underpass.model.elb.LoadBalancers;
import dev.underpass.model.elb.NlbAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    void register(Elbv2Registry registry) {
        registry.write("CreateLoadBalancer", CreateLoadBalancerRequest::builder, this::create);
        registry.read("DescribeLoadBalancers", DescribeLoadBalancersRequest::builder, this::describe);
        registry.write("DeleteLoadBalancer", DeleteLoadBalancerRequest::builder, this::delete);
        registry.read("DescribeAccountLimits", DescribeAccountLimitsRequest::builder, this::limits);
    }

    static software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer toSdk(LoadBalancer lb,
            LoadBalancer.State state) {
        List<AvailabilityZone> zones = new ArrayList<>();
        for (LoadBalancer.Zone z : lb.zones()) {
            List<LoadBalancerAddress> addresses = z.addressRequested() && !lb.isApplication()
                    ? List.of(LoadBalancerAddress.builder().privateIPv4Address(z.privateIp()).build())
                    : List.of();
            zones.add(AvailabilityZone.builder().zoneName(z.zoneName()).subnetId(SubnetId.text(z.subnetId()))
                    .loadBalancerAddresses(addresses).build());
        }
        var b = software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer.builder()
                .loadBalancerArn(lb.arn())
                .dnsName(lb.dnsName())
                .canonicalHostedZoneId(HostedZones.of(lb))
                .createdTime(lb.createdAt())
                .loadBalancerName(lb.name())
                .scheme(lb.scheme().wire())
                .vpcId(VpcId.text(lb.vpcId()))
                .state(LoadBalancerState.builder().code(state.wire()).build())
                .type(lb.type().wire())
                .availabilityZones(zones)
                .ipAddressType(lb.ipAddressType().wire());
        if (lb.isApplication()) {
            b.securityGroups(SecurityGroupId.texts(lb.securityGroups()));
        } else if (!lb.securityGroups().isEmpty()) {
            b.securityGroups(SecurityGroupId.texts(lb.securityGroups()))
                    .enforceSecurityGroupInboundRulesOnPrivateLinkTraffic(
                            NlbAttributes.enforceInbound(lb.attributes()));
        }
        return b.build();
    }

    private LoadBalancer.State state(LoadBalancer lb, Instant now) {
        return lb.state(now, api.settings().provisioning());
    }

    private CreateLoadBalancerResponse create(CreateLoadBalancerRequest req, Tx tx) {
        Caller caller = tx.caller();
        String name = ElbShapes.required(req.name(), "Name");
        LoadBalancerRules.requireLoadBalancerName(name);
        LoadBalancer.Type type = req.typeAsString() == null ? LoadBalancer.Type.APPLICATION
                : ElbErrors.oneOf(LoadBalancer.Type.values(), req.typeAsString(), "type");
        LoadBalancerRules.requireEmulatedType(type);
        boolean alb = type == LoadBalancer.Type.APPLICATION;
        LoadBalancer.Scheme scheme = req.schemeAsString() == null ? LoadBalancer.Scheme.INTERNET_FACING
                : ElbErrors.oneOf(LoadBalancer.Scheme.values(), req.schemeAsString(), "scheme");
        LoadBalancer.IpAddressType ipType = req.ipAddressTypeAsString() == null ? LoadBalancer.IpAddressType.IPV4
                : ElbErrors.oneOf(LoadBalancer.IpAddressType.values(), req.ipAddressTypeAsString(), "ipAddressType");
        LoadBalancerRules.requireIpAddressTypeFor(alb, ipType);
        if (alb) {
            LoadBalancerPlacement.refuseAddressChoices(req.subnetMappings());
        }
        LoadBalancerRules.refuseCustomerOwnedPool(req.customerOwnedIpv4Pool());
        Map<String, String> tags = ElbShapes.tags(req.tags());
        List<LoadBalancerPlacement.Choice> choices = LoadBalancerPlacement.choices(tx, req.subnets(),
                req.subnetMappings(), scheme);
        VpcId vpcId = choices.get(0).subnet().vpcId();
        List<Subnet> subnets = choices.stream().map(LoadBalancerPlacement.Choice::subnet).toList();
        if (alb) {
            AlbLoadBalancers.requireTwoZones(subnets);
            AlbLoadBalancers.requireIpAddressType(ipType, scheme, subnets);
        }
        List<String> groups = alb ? AlbLoadBalancers.securityGroups(tx, req.securityGroups(), vpcId)
                : LoadBalancerPlacement.securityGroups(tx, req.securityGroups(), vpcId);

        List<LoadBalancer> mine = LoadBalancers.owned(tx.world(), caller);
        for (LoadBalancer existing : mine) {
            if (existing.name().equals(name)) {
                if (LoadBalancerRules.sameSettings(existing, type, scheme,
                        choices.stream().map(c -> c.subnet().id()).toList(), SecurityGroupId.all(groups))) {
                    // CreateLoadBalancer is idempotent: the same settings give back the same load balancer.
                    return CreateLoadBalancerResponse.builder()
                            .loadBalancers(toSdk(existing, state(existing, tx.now()))).build();
                }
                throw LoadBalancerRules.duplicateName(name);
            }
        }
        ElbLimits.requireRoomForLoadBalancer(mine.size());
        LoadBalancerRules.requireInternetGateway(tx.world(), caller, scheme, vpcId);
        String arn = LoadBalancers.loadBalancerArn(caller, name, type);
        String lbId = arn.substring(arn.lastIndexOf('/') + 1);
        List<LoadBalancer.Zone> zones = new ArrayList<>();
        for (LoadBalancerPlacement.Choice c : choices) {
            zones.add(LoadBalancerPlacement.createInterface(tx, c.subnet(), c.privateIp(), name, lbId, groups, alb));
        }
        Map<String, String> attributes = alb ? AlbAttributes.loadBalancerDefaults(scheme)
                : NlbAttributes.loadBalancerDefaults(scheme);
        LoadBalancer lb = tx.put(new LoadBalancer(arn, caller.accountId(), caller.region(), name, type,
                scheme, vpcId, ipType, zones, SecurityGroupId.all(groups), attributes, tx.now(), tags));
        return CreateLoadBalancerResponse.builder()
                .loadBalancers(toSdk(lb, LoadBalancer.State.PROVISIONING)).build();
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
            LoadBalancerRules.requireDeletable(tx.world(), lb);
            for (Listener l : LoadBalancers.listenersOf(tx.world(), LoadBalancerArn.of(arn))) {
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
        ElbLimits.accountLimits().forEach((k, v) -> limits.add(Limit.builder().name(k).max(String.valueOf(v)).build()));
        ElbShapes.Page<Limit> page = ElbShapes.page(limits, req.pageSize(), req.marker(), Limit::name);
        return DescribeAccountLimitsResponse.builder().limits(page.items()).nextMarker(page.nextMarker()).build();
    }
}
