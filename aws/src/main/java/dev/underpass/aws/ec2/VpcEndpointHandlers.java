package dev.underpass.aws.ec2;

import dev.underpass.model.ec2.EndpointServiceId;
import dev.underpass.model.ec2.VpcEndpointId;
import dev.underpass.model.ec2.RouteTableId;
import dev.underpass.model.ec2.NetworkInterfaceId;
import dev.underpass.model.ec2.SecurityGroupId;
import dev.underpass.model.ec2.SubnetId;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.AwsNamed;
import dev.underpass.aws.ShapeCache;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Regions;
import dev.underpass.model.Resource;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.AwsServices;
import dev.underpass.model.ec2.EndpointService;
import dev.underpass.model.ec2.EndpointConnections;
import dev.underpass.model.ec2.ServicePermissions;
import dev.underpass.model.ec2.Kind;
import dev.underpass.model.ec2.Lookup;
import dev.underpass.model.ec2.Scoped;
import dev.underpass.model.ec2.SecurityGroup;
import dev.underpass.model.ec2.VpcEndpoints;
import dev.underpass.policy.PolicyParseException;
import dev.underpass.model.PolicyDocument;
import dev.underpass.policy.Policy;
import dev.underpass.policy.PolicyParser;
import dev.underpass.policy.PolicyType;
import dev.underpass.policy.PolicyValidator;
import dev.underpass.policy.SizeLimit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.CreateVpcEndpointRequest;
import software.amazon.awssdk.services.ec2.model.CreateVpcEndpointResponse;
import software.amazon.awssdk.services.ec2.model.DeleteVpcEndpointsRequest;
import software.amazon.awssdk.services.ec2.model.DeleteVpcEndpointsResponse;
import software.amazon.awssdk.services.ec2.model.DescribeVpcEndpointServicesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeVpcEndpointServicesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeVpcEndpointsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeVpcEndpointsResponse;
import software.amazon.awssdk.services.ec2.model.DnsEntry;
import software.amazon.awssdk.services.ec2.model.DnsOptions;
import software.amazon.awssdk.services.ec2.model.ModifyVpcEndpointRequest;
import software.amazon.awssdk.services.ec2.model.ModifyVpcEndpointResponse;
import software.amazon.awssdk.services.ec2.model.SecurityGroupIdentifier;
import software.amazon.awssdk.services.ec2.model.ServiceDetail;
import software.amazon.awssdk.services.ec2.model.ServiceTypeDetail;
import software.amazon.awssdk.services.ec2.model.UnsuccessfulItem;
import software.amazon.awssdk.services.ec2.model.UnsuccessfulItemError;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;

/**
 * VPC endpoints to AWS services (create, modify, delete, describe) and the service catalogue a caller can connect
 * to (DescribeVpcEndpointServices). Endpoint policies are checked here, with the shared policy parser, before the
 * domain sees them: a document that is not JSON, not policy grammar, over 20,480 characters, or missing what an
 * endpoint policy needs (a Principal, a Resource) is refused with {@code InvalidPolicyDocument} and nothing changes.
 */
record VpcEndpointHandlers(Ec2Registry api) {
    /**
     * EC2 answers DescribeVpcEndpoints and DescribeVpcEndpointServices with at most 1,000 items a page, serving a
     * larger MaxResults as 1,000.
     */
    private static final Describe.Limits PAGE_LIMITS = Describe.Limits.clamped(1, 1000);

    /** Validator findings that AWS refuses in an endpoint policy (others are advice, which AWS does not give). */
    private static final Set<String> REFUSED_FINDINGS = Set.of("MISSING_PRINCIPAL", "MISSING_RESOURCE",
            "INVALID_ACTION", "INVALID_ARN_PREFIX", "MISSING_ARN_FIELD", "INVALID_PRINCIPAL_FORMAT",
            "POLICY_SIZE_EXCEEDS_VPC_ENDPOINT_POLICY_QUOTA");

    private FilterSpec<dev.underpass.model.ec2.VpcEndpoint> endpointFilters(Instant now) {
        return FilterSpec.<dev.underpass.model.ec2.VpcEndpoint>resources()
                .one("ip-address-type", dev.underpass.model.ec2.VpcEndpoint::ipAddressType)
                .one("service-name", dev.underpass.model.ec2.VpcEndpoint::serviceName)
                .one("service-region", dev.underpass.model.ec2.VpcEndpoint::region)
                .one("vpc-id", dev.underpass.model.ec2.VpcEndpoint::vpcId)
                .one("vpc-endpoint-id", dev.underpass.model.ec2.VpcEndpoint::id)
                .one("vpc-endpoint-state",
                        e -> VpcEndpoints.observedState(e, now, api.settings().instanceTransition()).wire())
                .one("vpc-endpoint-type", e -> e.type().wire())
                .build();
    }

    /** A catalogue entry: an AWS offering or a customer service. */
    private record Listed(AwsServices.Offering offering, EndpointService custom) {
        String id() {
            return serviceName() + "/" + type();
        }

        String serviceName() {
            return offering != null ? offering.serviceName() : custom.serviceName();
        }

        String type() {
            return (offering != null ? offering.type() : dev.underpass.model.ec2.VpcEndpoint.Type.INTERFACE).wire();
        }

        List<String> ipTypes() {
            return AwsNamed.names(offering != null ? offering.supportedIpAddressTypes()
                    : custom.supportedIpAddressTypes());
        }

        String ownerId() {
            return offering != null ? "amazon" : custom.ownerId();
        }

        String region() {
            return offering != null ? offering.region() : custom.region();
        }

        Map<String, String> tags() {
            return offering != null ? Map.of() : custom.tags();
        }
    }

    private static final FilterSpec<Listed> SERVICE_FILTERS = FilterSpec.of(Listed::tags)
            .one("owner", Listed::ownerId)
            .one("service-name", Listed::serviceName)
            .one("service-region", Listed::region)
            .one("service-type", Listed::type)
            .many("supported-ip-address-types", Listed::ipTypes)
            .build();

    void register(Ec2Registry registry) {
        registry.write("CreateVpcEndpoint", CreateVpcEndpointRequest::builder, this::create);
        registry.write("ModifyVpcEndpoint", ModifyVpcEndpointRequest::builder, this::modify);
        registry.write("DeleteVpcEndpoints", DeleteVpcEndpointsRequest::builder, this::delete);
        registry.read("DescribeVpcEndpoints", DescribeVpcEndpointsRequest::builder, this::describe);
        registry.read("DescribeVpcEndpointServices", DescribeVpcEndpointServicesRequest::builder,
                this::describeServices);
    }

    private CreateVpcEndpointResponse create(CreateVpcEndpointRequest req, Tx tx) {
        if (req.serviceNetworkArn() != null || req.resourceConfigurationArn() != null) {
            throw ErrorCode.UNSUPPORTED_OPERATION.with(
                    "underpass does not support Resource or ServiceNetwork endpoints yet.");
        }
        boolean customer = ServicePermissions.isCustomerServiceName(req.serviceName());
        if (!customer && req.serviceRegion() != null && !req.serviceRegion().equals(tx.caller().region())) {
            throw ErrorCode.UNSUPPORTED_OPERATION.format("underpass does not support cross-Region endpoints to AWS "
                    + "services yet (ServiceRegion %s).", req.serviceRegion());
        }
        PolicyDocument policy = checkPolicy(req.policyDocument());
        var dns = req.dnsOptions();
        var cmd = new VpcEndpoints.Create(
                VpcId.of(Shapes.required(req.vpcId(), "VpcId")), req.serviceName(), req.vpcEndpointTypeAsString(),
                policy,
                RouteTableId.all(req.hasRouteTableIds() ? req.routeTableIds() : List.of()),
                SubnetId.all(req.hasSubnetIds() ? req.subnetIds() : List.of()),
                SecurityGroupId.all(req.hasSecurityGroupIds() ? req.securityGroupIds() : List.of()),
                req.privateDnsEnabled(),
                req.ipAddressTypeAsString(), dns == null ? null : dns.dnsRecordIpTypeAsString(),
                dns == null ? null : dns.privateDnsOnlyForInboundResolverEndpoint(),
                Shapes.tagsFor(req.tagSpecifications(), "vpc-endpoint"));
        // Endpoints to customer services (PrivateLink) follow their own rules: permissions, zones, acceptance.
        var endpoint = customer
                ? EndpointConnections.connect(tx, api.settings().quotas(), cmd, req.serviceRegion())
                : VpcEndpoints.create(tx, api.settings().quotas(), cmd);
        return CreateVpcEndpointResponse.builder()
                .vpcEndpoint(shape(tx.world(), endpoint, endpoint.state().wire()))
                .clientToken(req.clientToken()).build();
    }

    private ModifyVpcEndpointResponse modify(ModifyVpcEndpointRequest req, Tx tx) {
        PolicyDocument policy = checkPolicy(req.policyDocument());
        var dns = req.dnsOptions();
        VpcEndpoints.modify(tx, api.settings().quotas(), new VpcEndpoints.Modify(
                VpcEndpointId.of(Shapes.required(req.vpcEndpointId(), "VpcEndpointId")), Shapes.flag(req.resetPolicy()),
                policy,
                RouteTableId.all(req.addRouteTableIds()), RouteTableId.all(req.removeRouteTableIds()),
                SubnetId.all(req.addSubnetIds()),
                SubnetId.all(req.removeSubnetIds()),
                SecurityGroupId.all(req.addSecurityGroupIds()), SecurityGroupId.all(req.removeSecurityGroupIds()),
                req.privateDnsEnabled(),
                req.ipAddressTypeAsString(), dns == null ? null : dns.dnsRecordIpTypeAsString(),
                dns == null ? null : dns.privateDnsOnlyForInboundResolverEndpoint()));
        return ModifyVpcEndpointResponse.builder().returnValue(true).build();
    }

    private DeleteVpcEndpointsResponse delete(DeleteVpcEndpointsRequest req, Tx tx) {
        if (!req.hasVpcEndpointIds() || req.vpcEndpointIds().isEmpty()) {
            throw Ec2Errors.missingParameter("VpcEndpointId");
        }
        List<UnsuccessfulItem> failed = new ArrayList<>();
        for (VpcEndpoints.Failure f : VpcEndpoints.delete(tx, VpcEndpointId.all(req.vpcEndpointIds()))) {
            failed.add(UnsuccessfulItem.builder().resourceId(f.resourceId())
                    .error(UnsuccessfulItemError.builder().code(f.code()).message(f.message()).build()).build());
        }
        return DeleteVpcEndpointsResponse.builder().unsuccessful(failed).build();
    }

    private DescribeVpcEndpointsResponse describe(DescribeVpcEndpointsRequest req, Ec2Api.ReadContext ctx) {
        World world = ctx.world();
        var page = Describe.visible(ctx, dev.underpass.model.ec2.VpcEndpoint.class, Kind.VPC_ENDPOINT,
                req.vpcEndpointIds())
                .filter(endpointFilters(ctx.now()), req.filters())
                .page(req.maxResults(), req.nextToken(), PAGE_LIMITS);
        ShapeCache shapes = ShapeCache.of(world);
        return DescribeVpcEndpointsResponse.builder()
                .vpcEndpoints(page.map(e -> {
                    String state = VpcEndpoints.observedState(e, ctx.now(), api.settings().instanceTransition())
                            .wire();
                    return shapes.shape(e, VpcEndpoint.class, state, () -> shape(world, e, state));
                }))
                .nextToken(page.nextToken()).build();
    }

    private DescribeVpcEndpointServicesResponse describeServices(DescribeVpcEndpointServicesRequest req,
            Ec2Api.ReadContext ctx) {
        String region = ctx.caller().region();
        List<String> regions = req.serviceRegions().isEmpty() ? List.of(region) : req.serviceRegions();
        List<Listed> all = new ArrayList<>();
        for (String r : new java.util.LinkedHashSet<>(regions)) {
            if (r.equals(region)) {
                AwsServices.offerings(region).forEach(o -> all.add(new Listed(o, null)));
            }
            // Customer services of that region that let this caller in (from this region, when it is another).
            ServicePermissions.visibleServices(ctx.world(), ctx.caller(), r).forEach(s -> all.add(new Listed(null, s)));
        }
        all.sort(java.util.Comparator.comparing(Listed::id));
        for (String name : req.serviceNames()) {
            if (all.stream().noneMatch(l -> l.serviceName().equals(name))) {
                throw ErrorCode.INVALID_SERVICE_NAME.format("The Vpc Endpoint Service '%s' does not exist", name);
            }
        }
        var page = Describe.of(all, Listed::id)
                .where(l -> req.serviceNames().isEmpty() || req.serviceNames().contains(l.serviceName()))
                .filter(SERVICE_FILTERS, req.filters()).page(req.maxResults(), req.nextToken(), PAGE_LIMITS);
        List<ServiceDetail> details = page.items().stream()
                .map(l -> l.offering() != null ? detail(l.offering()) : detail(l.custom(), ctx))
                .toList();
        return DescribeVpcEndpointServicesResponse.builder()
                .serviceDetails(details)
                .serviceNames(details.stream().map(ServiceDetail::serviceName).distinct().toList())
                .nextToken(page.nextToken()).build();
    }

    /** A customer service as its consumers see it; tags are shown to the owner only. */
    private static ServiceDetail detail(EndpointService s, Ec2Api.ReadContext ctx) {
        dev.underpass.model.Caller caller = ctx.caller();
        var b = ServiceDetail.builder()
                .serviceName(s.serviceName())
                .serviceId(s.id())
                .serviceType(ServiceTypeDetail.builder().serviceType("Interface").build())
                .serviceRegion(s.region())
                .availabilityZoneIds(s.zoneIds())
                // The consumer's names for the service's zone ids (they differ under --az-mapping per-account).
                .availabilityZones(s.zoneIds().stream().map(id -> ctx.world().azMapping()
                        .zone(s.region(), caller.accountId(), id).map(Regions.Zone::name).orElse(id)).toList())
                .owner(s.ownerId())
                .baseEndpointDnsNames(s.baseEndpointDnsName())
                // AWS reports endpoint policies as unsupported for services behind a customer's load balancer.
                .vpcEndpointPolicySupported(false)
                .acceptanceRequired(s.acceptanceRequired())
                .managesVpcEndpoints(false)
                .payerResponsibility(s.payerResponsibility())
                .supportedIpAddressTypesWithStrings(AwsNamed.names(s.supportedIpAddressTypes()))
                .tags(s.ownerId().equals(caller.accountId()) ? Shapes.tags(s.tags()) : List.of());
        if (s.privateDns() != null) {
            b.privateDnsName(s.privateDns().name())
                    .privateDnsNames(software.amazon.awssdk.services.ec2.model.PrivateDnsDetails.builder()
                            .privateDnsName(s.privateDns().name()).build())
                    .privateDnsNameVerificationState(s.privateDns().state().wire());
        }
        return b.build();
    }

    /**
     * Checks a policy document (null: none given) and parses it, once: returns the text unchanged with its parsed
     * policy when it is one AWS would accept, else throws {@code InvalidPolicyDocument} naming the problem.
     */
    static PolicyDocument checkPolicy(String json) {
        if (json == null) {
            return null;
        }
        Policy parsed;
        try {
            parsed = PolicyParser.parse(json, SizeLimit.VPC_ENDPOINT_POLICY);
        } catch (PolicyParseException e) {
            throw ErrorCode.INVALID_POLICY_DOCUMENT.format("Invalid policy document: %s", e.getMessage());
        }
        for (var finding : PolicyValidator.validate(json, PolicyType.VPC_ENDPOINT)) {
            if (REFUSED_FINDINGS.contains(finding.issueCode())) {
                String where = finding.location().path();
                throw ErrorCode.INVALID_POLICY_DOCUMENT.format("Invalid policy document: %s%s",
                        where.isEmpty() ? "" : where + ": ", finding.message());
            }
        }
        return new PolicyDocument(json, parsed);
    }

    private static ServiceDetail detail(AwsServices.Offering o) {
        var b = ServiceDetail.builder()
                .serviceName(o.serviceName())
                .serviceId(EndpointServiceId.text(o.serviceId()))
                .serviceType(ServiceTypeDetail.builder().serviceType(o.type().wire()).build())
                .serviceRegion(o.region())
                .availabilityZoneIds(o.zones().stream().map(z -> z.zoneId()).toList())
                .availabilityZones(o.zones().stream().map(z -> z.name()).toList())
                .owner("amazon")
                .baseEndpointDnsNames(o.baseEndpointDnsName())
                .vpcEndpointPolicySupported(o.service().policySupported())
                .acceptanceRequired(false)
                .managesVpcEndpoints(false)
                .supportedIpAddressTypesWithStrings(AwsNamed.names(o.supportedIpAddressTypes()))
                .tags(List.of());
        if (o.privateDnsName() != null) {
            b.privateDnsName(o.privateDnsName())
                    .privateDnsNames(software.amazon.awssdk.services.ec2.model.PrivateDnsDetails.builder()
                            .privateDnsName(o.privateDnsName()).build())
                    .privateDnsNameVerificationState(EndpointService.PrivateDns.State.VERIFIED.wire());
        }
        return b.build();
    }

    /** The endpoint's DNS names as both the endpoint and its service's connections list them. */
    static List<DnsEntry> dnsEntries(dev.underpass.model.ec2.VpcEndpoint e) {
        return e.dnsEntries().stream().map(d -> DnsEntry.builder().dnsName(d.dnsName()).hostedZoneId(d.hostedZoneId())
                .build()).toList();
    }

    static VpcEndpoint shape(World world, dev.underpass.model.ec2.VpcEndpoint e, String state) {
        var b = VpcEndpoint.builder()
                .vpcEndpointId(e.id())
                .vpcEndpointType(e.type().wire())
                .vpcId(VpcId.text(e.vpcId()))
                .serviceName(e.serviceName())
                .state(state)
                .policyDocument(e.policyDocument() == null ? null : e.policyDocument().text())
                .routeTableIds(RouteTableId.texts(VpcEndpoints.liveRouteTables(world, e)))
                .subnetIds(SubnetId.texts(e.subnetIds()))
                .groups(e.groupIds().stream()
                        .map(id -> SecurityGroupIdentifier.builder().groupId(SecurityGroupId.text(id))
                                .groupName(
                                        world.find(SecurityGroup.class, id).map(SecurityGroup::groupName).orElse(null))
                                .build())
                        .toList())
                .privateDnsEnabled(e.privateDnsEnabled())
                .requesterManaged(false)
                .networkInterfaceIds(NetworkInterfaceId.texts(e.networkInterfaceIds()))
                .dnsEntries(dnsEntries(e))
                .creationTimestamp(e.createdAt())
                .ownerId(e.ownerId())
                .serviceRegion(switch (e.target()) {
                    case dev.underpass.model.ec2.VpcEndpoint.Target.AwsService aws -> e.region();
                    case dev.underpass.model.ec2.VpcEndpoint.Target.CustomerService c ->
                        world.find(EndpointService.class, c.serviceId())
                                .map(EndpointService::region).orElse(e.region());
                })
                .tags(Shapes.tags(e.tags()));
        if (e.placement() instanceof dev.underpass.model.ec2.VpcEndpoint.Placement.Interface placed) {
            b.ipAddressType(AwsNamed.wireOf(placed.ipAddressType()));
            if (placed.dnsOptions() != null) {
                b.dnsOptions(DnsOptions.builder().dnsRecordIpType(AwsNamed.wireOf(placed.dnsRecordIpType()))
                        .privateDnsOnlyForInboundResolverEndpoint(
                                placed.dnsOptions().privateDnsOnlyForInboundResolverEndpoint())
                        .build());
            }
        }
        return b.build();
    }
}
