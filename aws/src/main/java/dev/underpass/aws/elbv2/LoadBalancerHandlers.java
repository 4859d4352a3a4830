package dev.underpass.aws.elbv2;

import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.Ids;
import dev.underpass.model.Regions;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.Addresses;
import dev.underpass.model.ec2.InternetGateway;
import dev.underpass.model.ec2.NetworkInterface;
import dev.underpass.model.ec2.Scoped;
import dev.underpass.model.ec2.SecurityGroup;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.elb.AlbAttributes;
import dev.underpass.model.elb.AlbLoadBalancers;
import dev.underpass.model.elb.ElbError;
import dev.underpass.model.elb.Listener;
import dev.underpass.model.elb.LoadBalancer;
import dev.underpass.model.elb.LoadBalancers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.AvailabilityZone;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateLoadBalancerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateLoadBalancerResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DeleteLoadBalancerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DeleteLoadBalancerResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeAccountLimitsRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeAccountLimitsResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeLoadBalancerAttributesRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeLoadBalancerAttributesResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeLoadBalancersRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeLoadBalancersResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Limit;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerAddress;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerState;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ModifyLoadBalancerAttributesRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ModifyLoadBalancerAttributesResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.SetIpAddressTypeRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.SetIpAddressTypeResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.SetSecurityGroupsRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.SetSecurityGroupsResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.SetSubnetsRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.SetSubnetsResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.SubnetMapping;

/**
 * Network and Application Load Balancers: create (one subnet per Availability Zone, each with a requester-managed
 * network interface and a private address in that subnet; an ALB needs two zones and has security groups, see
 * {@link AlbLoadBalancers}), describe, delete (with its listeners, rules and interfaces), attributes (ALB ones in
 * {@link AlbAttributes}), subnets, security groups, IP address type, and the account limits. Gateway Load Balancers
 * are refused with a clear message.
 */
final class LoadBalancerHandlers {
    /** Network Load Balancers per Region. */
    static final int MAX_LOAD_BALANCERS = 50;
    private static final List<String> SCHEMES = List.of("internet-facing", "internal");
    private static final List<String> TYPES = List.of("application", "network", "gateway");
    private static final List<String> IP_ADDRESS_TYPES = List.of("ipv4", "dualstack", "dualstack-without-public-ipv4");
    /** Route 53 hosted zone ids of NLB DNS names per Region (AWS's published table). */
    private static final Map<String, String> HOSTED_ZONES = Map.ofEntries(
            Map.entry("us-east-1", "Z26RNL4JYFTOTI"), Map.entry("us-east-2", "ZLMOA37VPKANP"),
            Map.entry("us-west-1", "Z24FKFUX50B4VW"), Map.entry("us-west-2", "Z18D5FSROUN65G"),
            Map.entry("ca-central-1", "Z2EPGBW3API2WT"), Map.entry("eu-central-1", "Z3F0SRJ5LGBH90"),
            Map.entry("eu-west-1", "Z2IFOLAFXWLO4F"), Map.entry("eu-west-2", "ZD4D7Y8KGAS4G"),
            Map.entry("eu-west-3", "Z1CMS0P5QUZ6D5"), Map.entry("eu-north-1", "Z1UDT6IFJ4EJM"),
            Map.entry("ap-south-1", "ZVDDRBQ08TROA"), Map.entry("ap-northeast-1", "Z31USIVHYNEOWT"),
            Map.entry("ap-northeast-2", "ZIBE1TIR4HY56"), Map.entry("ap-northeast-3", "Z1GWIQ4HH19I5X"),
            Map.entry("ap-southeast-1", "ZKVM4W9LS7TM"), Map.entry("ap-southeast-2", "ZCT6FZBF4DROD"),
            Map.entry("sa-east-1", "ZTK26PT1VY4CU"));
    /** The attributes a Network Load Balancer has, and which of them are booleans. */
    private static final Set<String> BOOLEAN_ATTRIBUTES = Set.of("access_logs.s3.enabled",
            "deletion_protection.enabled", "load_balancing.cross_zone.enabled", "ipv6.deny_all_igw_traffic",
            "zonal_shift.config.enabled");
    private static final List<String> ATTRIBUTE_KEYS = List.of("access_logs.s3.enabled", "access_logs.s3.bucket",
            "access_logs.s3.prefix", "deletion_protection.enabled", "ipv6.deny_all_igw_traffic",
            "load_balancing.cross_zone.enabled", "dns_record.client_routing_policy", "zonal_shift.config.enabled");

    private final Elbv2Registry api;

    LoadBalancerHandlers(Elbv2Registry api) {
        this.api = api;
    }

    void register(Elbv2Registry registry) {
        registry.write("CreateLoadBalancer", CreateLoadBalancerRequest::builder, this::create);
        registry.read("DescribeLoadBalancers", DescribeLoadBalancersRequest::builder, this::describe);
        registry.write("DeleteLoadBalancer", DeleteLoadBalancerRequest::builder, this::delete);
        registry.read("DescribeLoadBalancerAttributes", DescribeLoadBalancerAttributesRequest::builder,
                this::describeAttributes);
        registry.write("ModifyLoadBalancerAttributes", ModifyLoadBalancerAttributesRequest::builder,
                this::modifyAttributes);
        registry.write("SetSubnets", SetSubnetsRequest::builder, this::setSubnets);
        registry.write("SetSecurityGroups", SetSecurityGroupsRequest::builder, this::setSecurityGroups);
        registry.write("SetIpAddressType", SetIpAddressTypeRequest::builder, this::setIpAddressType);
        registry.read("DescribeAccountLimits", DescribeAccountLimitsRequest::builder, this::limits);
    }

    static String hostedZone(String region) {
        return HOSTED_ZONES.getOrDefault(region, "Z" + Integer.toHexString(region.hashCode()).toUpperCase());
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
                .canonicalHostedZoneId(lb.isApplication() ? AlbLoadBalancers.hostedZone(lb.region())
                        : hostedZone(lb.region()))
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
    private static String enforceInbound(LoadBalancer lb) {
        return lb.attributes().getOrDefault(ENFORCE_INBOUND, "on");
    }

    /**
     * Where the NLB's SetSecurityGroups choice is kept: not a real load balancer attribute, so it is filtered out of
     * DescribeLoadBalancerAttributes.
     */
    private static final String ENFORCE_INBOUND = "underpass.enforce_security_group_inbound_rules_on_private_link";

    private String state(LoadBalancer lb, Instant now) {
        return lb.state(now, api.settings().provisioning());
    }

    /** A subnet choice: the subnet and, optionally, the private address the caller wants there. */
    private record Choice(Subnet subnet, String privateIp) {}

    private List<Choice> choices(Tx tx, List<String> subnets, List<SubnetMapping> mappings, String scheme) {
        boolean hasSubnets = subnets != null && !subnets.isEmpty();
        boolean hasMappings = mappings != null && !mappings.isEmpty();
        if (hasSubnets && hasMappings) {
            throw ElbError.VALIDATION_ERROR.with("You can specify subnets or subnet mappings, not both");
        }
        if (!hasSubnets && !hasMappings) {
            throw ElbError.VALIDATION_ERROR.with("A Network Load Balancer must have at least one subnet: specify"
                    + " Subnets or SubnetMappings");
        }
        List<SubnetMapping> all = new ArrayList<>();
        if (hasSubnets) {
            for (String s : subnets) {
                all.add(SubnetMapping.builder().subnetId(s).build());
            }
        } else {
            all.addAll(mappings);
        }
        List<Choice> out = new ArrayList<>();
        Set<String> zones = new HashSet<>();
        String vpcId = null;
        for (SubnetMapping m : all) {
            String id = ElbShapes.required(m.subnetId(), "SubnetMappings.member.N.SubnetId");
            // A subnet shared with the caller (VPC sharing) takes its load balancers too.
            Subnet subnet = tx.find(Subnet.class, id)
                    .filter(s -> dev.underpass.model.ec2.Visibility.visible(tx.world(), tx.caller(), s))
                    .map(s -> dev.underpass.model.ec2.Subnets.asSeenBy(tx.caller(), s))
                    .orElseThrow(() -> ElbError.SUBNET_NOT_FOUND.format("The subnet ID '%s' is not valid", id));
            if (vpcId != null && !vpcId.equals(subnet.vpcId())) {
                throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                        "All subnets must belong to the same VPC: '%s' is in '%s', not '%s'", id, subnet.vpcId(),
                        vpcId);
            }
            vpcId = subnet.vpcId();
            if (!zones.add(subnet.availabilityZone())) {
                throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                        "A load balancer cannot be attached to multiple subnets in the same Availability Zone"
                                + " ('%s')", subnet.availabilityZone());
            }
            if (m.allocationId() != null) {
                throw ElbError.ALLOCATION_ID_NOT_FOUND.format("Elastic IP allocation '%s' not found",
                        m.allocationId());
            }
            if (m.privateIPv4Address() != null && !"internal".equals(scheme)) {
                throw ElbError.INVALID_CONFIGURATION_REQUEST.with(
                        "A private IPv4 address can only be specified for an internal load balancer");
            }
            out.add(new Choice(subnet, m.privateIPv4Address()));
        }
        return out;
    }

    private static LoadBalancer.Zone createInterface(Tx tx, Subnet subnet,
            String privateIp, String name, String lbId, List<String> groups, boolean application) {
        String address;
        try {
            address = privateIp == null ? Addresses.allocate(tx.world(), subnet, Set.of())
                    : Addresses.claim(tx.world(), subnet, privateIp, Set.of());
        } catch (AwsException e) {
            throw ElbError.INVALID_CONFIGURATION_REQUEST.with(e.getMessage());
        }
        String eniId = Ids.next("eni");
        tx.put(new NetworkInterface(eniId, tx.caller().accountId(), tx.caller().region(), subnet.id(),
                subnet.vpcId(), subnet.availabilityZone(),
                "ELB " + (application ? "app/" : "net/") + name + "/" + lbId,
                application ? "interface" : "network_load_balancer",
                true, "amazon-elb", mac(), false, List.of(new NetworkInterface.PrivateIp(address, true)), groups,
                new NetworkInterface.Attachment("ela-attach-" + Ids.hex(17), null, "amazon-elb", 1, "attached",
                        false, tx.now()),
                Map.of()));
        return new LoadBalancer.Zone(subnet.id(), subnet.availabilityZone(), zoneId(subnet), eniId, address,
                privateIp != null);
    }

    private static String zoneId(Subnet subnet) {
        if (subnet.availabilityZoneId() != null) {
            return subnet.availabilityZoneId();
        }
        return Regions.zone(subnet.region(), subnet.ownerId(), subnet.availabilityZone()).map(Regions.Zone::zoneId)
                .orElse(null);
    }

    private static String mac() {
        String hex = Ids.hex(10);
        StringBuilder sb = new StringBuilder("02");
        for (int i = 0; i < hex.length(); i += 2) {
            sb.append(':').append(hex, i, i + 2);
        }
        return sb.toString();
    }

    private static List<String> securityGroups(Tx tx, List<String> ids, String vpcId) {
        List<String> out = new ArrayList<>();
        if (ids == null) {
            return out;
        }
        for (String id : new LinkedHashSet<>(ids)) {
            SecurityGroup sg = tx.find(SecurityGroup.class, id)
                    .filter(g -> g.ownerId().equals(tx.caller().accountId())
                            && g.region().equals(tx.caller().region()))
                    .orElseThrow(() -> ElbError.INVALID_SECURITY_GROUP.format(
                            "One or more security groups are invalid: '%s' does not exist", id));
            if (!sg.vpcId().equals(vpcId)) {
                throw ElbError.INVALID_SECURITY_GROUP.format(
                        "Security group '%s' does not belong to VPC '%s'", id, vpcId);
            }
            out.add(id);
        }
        return out;
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
            refuseAddressChoices(req.subnetMappings());
        }
        if (req.customerOwnedIpv4Pool() != null) {
            throw ElbError.INVALID_CONFIGURATION_REQUEST.with(
                    "Customer-owned IPv4 pools are only supported for Application Load Balancers on Outposts");
        }
        Map<String, String> tags = ElbShapes.tags(req.tags());
        List<Choice> choices = choices(tx, req.subnets(), req.subnetMappings(), scheme);
        String vpcId = choices.get(0).subnet().vpcId();
        List<Subnet> subnets = choices.stream().map(Choice::subnet).toList();
        if (alb) {
            AlbLoadBalancers.requireTwoZones(subnets);
            AlbLoadBalancers.ipAddressType(ipType, scheme, subnets);
        }
        List<String> groups = alb ? AlbLoadBalancers.securityGroups(tx, req.securityGroups(), vpcId)
                : securityGroups(tx, req.securityGroups(), vpcId);

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
        for (Choice c : choices) {
            zones.add(createInterface(tx, c.subnet(), c.privateIp(), name, lbId, groups, alb));
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

    private static List<LoadBalancerAttribute> attributes(LoadBalancer lb) {
        List<LoadBalancerAttribute> out = new ArrayList<>();
        lb.attributes().forEach((k, v) -> {
            if (!k.equals(ENFORCE_INBOUND)) {
                out.add(LoadBalancerAttribute.builder().key(k).value(v).build());
            }
        });
        return out;
    }

    private DescribeLoadBalancerAttributesResponse describeAttributes(DescribeLoadBalancerAttributesRequest req,
            Elbv2Api.ReadContext ctx) {
        LoadBalancer lb = LoadBalancers.requireLoadBalancer(ctx.world(), ctx.caller(),
                ElbShapes.required(req.loadBalancerArn(), "LoadBalancerArn"));
        return DescribeLoadBalancerAttributesResponse.builder().attributes(attributes(lb)).build();
    }

    private ModifyLoadBalancerAttributesResponse modifyAttributes(ModifyLoadBalancerAttributesRequest req, Tx tx) {
        LoadBalancer lb = LoadBalancers.requireLoadBalancer(tx.world(), tx.caller(),
                ElbShapes.required(req.loadBalancerArn(), "LoadBalancerArn"));
        if (lb.isApplication()) {
            Map<String, String> changes = new LinkedHashMap<>();
            for (LoadBalancerAttribute a : ElbShapes.requiredList(req.attributes(), "Attributes")) {
                changes.put(ElbShapes.required(a.key(), "Attributes.member.N.Key"),
                        a.value() == null ? "" : a.value());
            }
            LoadBalancer updated = tx.put(lb.withAttributes(AlbAttributes.modifyLoadBalancer(lb.attributes(),
                    changes)));
            return ModifyLoadBalancerAttributesResponse.builder().attributes(attributes(updated)).build();
        }
        Map<String, String> attrs = ElbShapes.modifiedAttributes(lb.attributes(), req.attributes(),
                LoadBalancerAttribute::key, LoadBalancerAttribute::value, "Load balancer", ATTRIBUTE_KEYS::contains,
                BOOLEAN_ATTRIBUTES, (before, key, value) -> {
                    if (key.equals("dns_record.client_routing_policy") && !List.of("availability_zone_affinity",
                            "partial_availability_zone_affinity", "any_availability_zone").contains(value)) {
                        throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                                "Load balancer attribute '%s' has an invalid value '%s'", key, value);
                    }
                });
        if ("true".equals(attrs.get("access_logs.s3.enabled"))
                && Objects.requireNonNullElse(attrs.get("access_logs.s3.bucket"), "").isEmpty()) {
            throw ElbError.INVALID_CONFIGURATION_REQUEST.with(
                    "The attribute 'access_logs.s3.bucket' is required when access logs are enabled");
        }
        LoadBalancer updated = tx.put(lb.withAttributes(attrs));
        return ModifyLoadBalancerAttributesResponse.builder().attributes(attributes(updated)).build();
    }

    private SetSubnetsResponse setSubnets(SetSubnetsRequest req, Tx tx) {
        LoadBalancer lb = LoadBalancers.requireLoadBalancer(tx.world(), tx.caller(),
                ElbShapes.required(req.loadBalancerArn(), "LoadBalancerArn"));
        if (lb.isApplication()) {
            refuseAddressChoices(req.subnetMappings());
        }
        List<Choice> choices = choices(tx, req.subnets(), req.subnetMappings(), lb.scheme());
        if (lb.isApplication()) {
            AlbLoadBalancers.requireTwoZones(choices.stream().map(Choice::subnet).toList());
        }
        for (Choice c : choices) {
            if (!c.subnet().vpcId().equals(lb.vpcId())) {
                throw ElbError.INVALID_SUBNET.format("Subnet '%s' is not in the load balancer's VPC '%s'",
                        c.subnet().id(), lb.vpcId());
            }
        }
        List<LoadBalancer.Zone> zones = new ArrayList<>();
        Set<String> kept = new HashSet<>();
        for (Choice c : choices) {
            LoadBalancer.Zone existing = lb.zones().stream().filter(z -> z.subnetId().equals(c.subnet().id()))
                    .findFirst().orElse(null);
            if (existing != null) {
                zones.add(existing);
                kept.add(existing.subnetId());
            } else {
                zones.add(createInterface(tx, c.subnet(), c.privateIp(), lb.name(), lb.lbId(),
                        lb.securityGroups(), lb.isApplication()));
            }
        }
        for (LoadBalancer.Zone z : lb.zones()) {
            if (!kept.contains(z.subnetId())) {
                tx.find(NetworkInterface.class, z.networkInterfaceId()).ifPresent(tx::remove);
            }
        }
        LoadBalancer updated = tx.put(lb.withZones(zones));
        return SetSubnetsResponse.builder()
                .availabilityZones(toSdk(updated, LoadBalancer.ACTIVE).availabilityZones())
                .ipAddressType(updated.ipAddressType()).build();
    }

    /** Application Load Balancers choose neither private addresses nor Elastic IPs. */
    private static void refuseAddressChoices(List<SubnetMapping> mappings) {
        if (mappings == null) {
            return;
        }
        for (SubnetMapping m : mappings) {
            if (m.privateIPv4Address() != null || m.allocationId() != null || m.iPv6Address() != null) {
                throw ElbError.INVALID_CONFIGURATION_REQUEST.with(
                        "Application Load Balancers do not support private IP addresses or Elastic IP addresses in"
                                + " subnet mappings");
            }
        }
    }

    private SetSecurityGroupsResponse setSecurityGroups(SetSecurityGroupsRequest req, Tx tx) {
        LoadBalancer lb = LoadBalancers.requireLoadBalancer(tx.world(), tx.caller(),
                ElbShapes.required(req.loadBalancerArn(), "LoadBalancerArn"));
        if (req.securityGroups() == null || !req.hasSecurityGroups()) {
            ElbShapes.required(null, "SecurityGroups");
        }
        List<String> groups;
        Map<String, String> attrs = lb.attributes();
        if (lb.isApplication()) {
            if (req.enforceSecurityGroupInboundRulesOnPrivateLinkTrafficAsString() != null) {
                throw ElbError.INVALID_CONFIGURATION_REQUEST.with("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic"
                        + " applies to Network Load Balancers only");
            }
            if (req.securityGroups().isEmpty()) {
                throw ElbError.VALIDATION_ERROR.with("An Application Load Balancer must have at least one security"
                        + " group");
            }
            groups = AlbLoadBalancers.securityGroups(tx, req.securityGroups(), lb.vpcId());
        } else {
            // An NLB created without security groups cannot get any, and one created with them keeps at least one.
            if (lb.securityGroups().isEmpty()) {
                throw ElbError.INVALID_CONFIGURATION_REQUEST.with("You cannot set security groups on a Network Load"
                        + " Balancer which was created without any security groups");
            }
            if (req.securityGroups().isEmpty()) {
                throw ElbError.INVALID_CONFIGURATION_REQUEST.with(
                        "You cannot remove all security groups from a Network Load Balancer created with them");
            }
            groups = securityGroups(tx, req.securityGroups(), lb.vpcId());
            if (groups.size() > AlbLoadBalancers.MAX_SECURITY_GROUPS) {
                throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                        "A load balancer can have at most %d security groups", AlbLoadBalancers.MAX_SECURITY_GROUPS);
            }
            String enforce = req.enforceSecurityGroupInboundRulesOnPrivateLinkTrafficAsString();
            if (enforce != null) {
                ElbShapes.oneOf(enforce, "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic",
                        List.of("on", "off"));
                attrs = new LinkedHashMap<>(attrs);
                attrs.put(ENFORCE_INBOUND, enforce);
            }
        }
        for (LoadBalancer.Zone z : lb.zones()) {
            tx.find(NetworkInterface.class, z.networkInterfaceId())
                    .ifPresent(eni -> tx.put(eni.withGroupIds(groups)));
        }
        LoadBalancer updated = tx.put(lb.withSecurityGroups(groups).withAttributes(attrs));
        var out = SetSecurityGroupsResponse.builder().securityGroupIds(updated.securityGroups());
        if (!updated.isApplication()) {
            out.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic(enforceInbound(updated));
        }
        return out.build();
    }

    private SetIpAddressTypeResponse setIpAddressType(SetIpAddressTypeRequest req, Tx tx) {
        LoadBalancer lb = LoadBalancers.requireLoadBalancer(tx.world(), tx.caller(),
                ElbShapes.required(req.loadBalancerArn(), "LoadBalancerArn"));
        String type = ElbShapes.oneOf(ElbShapes.required(req.ipAddressTypeAsString(), "IpAddressType"),
                "IpAddressType", IP_ADDRESS_TYPES);
        if (!lb.isApplication() && !type.equals("ipv4")) {
            throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                    "underpass supports only the 'ipv4' IP address type for Network Load Balancers, not '%s'", type);
        }
        List<Subnet> subnets = new ArrayList<>();
        for (LoadBalancer.Zone z : lb.zones()) {
            tx.find(Subnet.class, z.subnetId()).ifPresent(subnets::add);
        }
        AlbLoadBalancers.ipAddressType(type, lb.scheme(), subnets);
        LoadBalancer updated = tx.put(lb.withIpAddressType(type));
        return SetIpAddressTypeResponse.builder().ipAddressType(updated.ipAddressType()).build();
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
