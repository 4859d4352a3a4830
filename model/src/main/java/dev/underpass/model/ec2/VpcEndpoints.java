package dev.underpass.model.ec2;

import dev.underpass.model.PolicyDocument;
import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * VPC endpoints to AWS services. A gateway endpoint is a route: in each of its route tables AWS adds
 * {@code DestinationPrefixListId=pl-… → GatewayId=vpce-…}, at most one per service per table, and only the endpoint
 * can add, change or remove it. An interface endpoint is a set of requester-managed network interfaces, one per
 * subnet and at most one per Availability Zone, each with an address of its subnet, guarded by security groups
 * (the VPC's default group when none is given), and named by DNS entries in AWS's formats.
 *
 * <p>Endpoint policies arrive here already validated (the wire layer runs the policy parser, which the model does
 * not depend on); an omitted policy becomes AWS's default full-access text, which AWS prints differently for the
 * two types.
 *
 * <p>This class holds what is common to both types and the interface endpoints' own rules (offerings, DNS options,
 * private DNS); a gateway endpoint's routes are in {@link GatewayEndpoints}, and what every interface endpoint
 * shares with one to a customer service ({@link EndpointConnections}) is in {@link InterfaceEndpoints}.
 *
 * @see <a href="https://docs.aws.amazon.com/vpc/latest/privatelink/concepts.html">AWS PrivateLink concepts</a>
 */
public final class VpcEndpoints {
    /** The default policy of a gateway endpoint, as DescribeVpcEndpoints prints it. */
    public static final PolicyDocument DEFAULT_GATEWAY_POLICY = PolicyDocument.of(
            "{\"Version\":\"2008-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\","
                    + "\"Resource\":\"*\"}]}");

    /** The default policy of an interface endpoint: AWS pretty-prints this one, with a space before each newline. */
    public static final PolicyDocument DEFAULT_INTERFACE_POLICY = PolicyDocument.of(
            "{\n  \"Statement\": [\n    {\n      \"Action\": \"*\", \n      \"Effect\": \"Allow\", \n"
                    + "      \"Principal\": \"*\", \n      \"Resource\": \"*\"\n    }\n  ]\n}");

    /** The account AWS shows as the requester of endpoint network interfaces. */
    public static final String ENI_REQUESTER_ID = "727180483921";

    /** The owner AWS shows on the attachment of endpoint network interfaces. */
    public static final String ENI_ATTACHMENT_OWNER = "amazon-aws";

    private static final Set<String> KNOWN_TYPES = Set.of("Interface", "Gateway", "GatewayLoadBalancer", "Resource",
            "ServiceNetwork", "Tunnel");

    private VpcEndpoints() {}
    /** A CreateVpcEndpoint request; {@code policyDocument} is already validated, or null for the default. */
    public record Create(VpcId vpcId, String serviceName, String type, PolicyDocument policyDocument,
            List<RouteTableId> routeTableIds, List<SubnetId> subnetIds, List<SecurityGroupId> securityGroupIds,
            Boolean privateDnsEnabled, String ipAddressType, String dnsRecordIpType,
            Boolean privateDnsOnlyForInboundResolverEndpoint, Map<String, String> tags) {
        public Create {
            routeTableIds = routeTableIds == null ? List.of() : List.copyOf(routeTableIds);
            subnetIds = subnetIds == null ? List.of() : List.copyOf(subnetIds);
            securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
        }
    }

    /** A ModifyVpcEndpoint request; null members leave that part alone. */
    public record Modify(VpcEndpointId vpcEndpointId, boolean resetPolicy, PolicyDocument policyDocument,
            List<RouteTableId> addRouteTableIds, List<RouteTableId> removeRouteTableIds, List<SubnetId> addSubnetIds,
            List<SubnetId> removeSubnetIds, List<SecurityGroupId> addSecurityGroupIds,
            List<SecurityGroupId> removeSecurityGroupIds,
            Boolean privateDnsEnabled, String ipAddressType, String dnsRecordIpType,
            Boolean privateDnsOnlyForInboundResolverEndpoint) {
        public Modify {
            addRouteTableIds = addRouteTableIds == null ? List.of() : List.copyOf(addRouteTableIds);
            removeRouteTableIds = removeRouteTableIds == null ? List.of() : List.copyOf(removeRouteTableIds);
            addSubnetIds = addSubnetIds == null ? List.of() : List.copyOf(addSubnetIds);
            removeSubnetIds = removeSubnetIds == null ? List.of() : List.copyOf(removeSubnetIds);
            addSecurityGroupIds = addSecurityGroupIds == null ? List.of() : List.copyOf(addSecurityGroupIds);
            removeSecurityGroupIds = removeSecurityGroupIds == null ? List.of() : List.copyOf(removeSecurityGroupIds);
        }
    }

    /** One endpoint DeleteVpcEndpoints could not delete, with AWS's error for it. */
    public record Failure(String resourceId, String code, String message) {}

    /** The state a client sees at {@code now}: a {@code pending} endpoint settles to {@code available}. */
    public static VpcEndpoint.State observedState(VpcEndpoint e, Instant now, Duration delay) {
        if (e.state() == VpcEndpoint.State.PENDING && !now.isBefore(e.stateChangedAt().plus(delay))) {
            return VpcEndpoint.State.AVAILABLE;
        }
        return e.state();
    }

    public static VpcEndpoint create(Tx tx, Quotas quotas, Create cmd) {
        Caller caller = tx.caller();
        String typeName = cmd.type() == null || cmd.type().isEmpty() ? "Gateway" : cmd.type();
        if (!KNOWN_TYPES.contains(typeName)) {
            throw ErrorCode.INVALID_VPC_ENDPOINT_TYPE.format("The VPC endpoint type '%s' is not valid. Valid types: "
                    + "Interface, Gateway, GatewayLoadBalancer, Resource, ServiceNetwork, Tunnel.", typeName);
        }
        Vpc vpc = Lookup.requireOwned(tx.world(), caller, Kind.VPC, Vpc.class, cmd.vpcId());
        VpcEndpoint.Type type = VpcEndpoint.Type.fromWire(typeName);
        if (type == null) {
            throw ErrorCode.UNSUPPORTED_OPERATION.format("underpass does not support %s endpoints yet; it emulates "
                    + "Gateway and Interface endpoints.", typeName);
        }
        if (cmd.serviceName() == null || cmd.serviceName().isEmpty()) {
            throw Ec2Errors.missingParameter("ServiceName");
        }
        AwsServices.Offering offering = offering(caller.region(), cmd.serviceName(), type);
        if (cmd.policyDocument() != null && !offering.service().policySupported()) {
            throw ErrorCode.INVALID_PARAMETER.format(
                    "The VPC endpoint service %s does not support policy documents.", cmd.serviceName());
        }
        String id = Ids.next("vpce");
        Instant now = tx.now();
        if (type == VpcEndpoint.Type.GATEWAY) {
            return GatewayEndpoints.create(tx, quotas, cmd, vpc, offering, id, now);
        }

        InterfaceEndpoints.checkRoomForInterfaceEndpoint(tx, quotas, cmd, vpc);
        List<Subnet> subnets = InterfaceEndpoints.subnets(tx, vpc, cmd.subnetIds(), List.of());
        VpcEndpoint.IpAddressType ipType = InterfaceEndpoints.checkIpAddressType(cmd.ipAddressType(),
                InterfaceEndpoints.defaultIpAddressType(subnets, offering.supportedIpAddressTypes()), subnets);
        InterfaceEndpoints.checkServiceSupports(ipType, offering.supportedIpAddressTypes(), offering.serviceName());
        VpcEndpoint.DnsOptions options = dnsOptions(offering, ipType, cmd.dnsRecordIpType(),
                cmd.privateDnsOnlyForInboundResolverEndpoint(), null, null);
        boolean privateDns = cmd.privateDnsEnabled() != null ? cmd.privateDnsEnabled()
                : offering.privateDnsName() != null && !offering.service().wildcardDns();
        List<SecurityGroupId> groups = InterfaceEndpoints.groups(tx, quotas, vpc, cmd.securityGroupIds());
        PolicyDocument policy = cmd.policyDocument() == null ? DEFAULT_INTERFACE_POLICY : cmd.policyDocument();
        VpcEndpoint endpoint = new VpcEndpoint(id, caller.accountId(), caller.region(), vpc.vpcId(),
                offering.serviceName(), null, null, type, VpcEndpoint.State.PENDING, now, policy, List.of(), List.of(),
                List.of(), groups, false, ipType, options, InterfaceEndpoints.dnsToken(),
                InterfaceEndpoints.privateHostedZoneId(), List.of(), now, cmd.tags());
        options = withInboundDefault(offering, privateDns, options);
        if (privateDns) {
            checkPrivateDns(tx, vpc, offering, endpoint, options);
        }
        List<NetworkInterfaceId> enis = new ArrayList<>();
        for (Subnet s : subnets) {
            enis.add(InterfaceEndpoints.createInterface(tx, quotas, endpoint, s, groups).networkInterfaceId());
        }
        VpcEndpoint done = endpoint.withInterfaces(subnets.stream().map(Subnet::subnetId).toList(), enis, groups,
                privateDns, options, List.of());
        return tx.put(withDnsEntries(tx.world(), done, offering));
    }

    public static VpcEndpoint modify(Tx tx, Quotas quotas, Modify cmd) {
        VpcEndpoint endpoint = Lookup.requireOwned(tx.world(), tx.caller(), Kind.VPC_ENDPOINT, VpcEndpoint.class,
                cmd.vpcEndpointId());
        if (endpoint.target() instanceof VpcEndpoint.Target.CustomerService) {
            return tx.put(EndpointConnections.modifyEndpoint(tx, quotas, endpoint, cmd));
        }
        Vpc vpc = tx.find(Vpc.class, endpoint.vpcId()).orElseThrow();
        AwsServices.Offering offering = offering(endpoint.region(), endpoint.serviceName(), endpoint.type());
        if (cmd.resetPolicy() && cmd.policyDocument() != null) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.with(
                    "The parameters PolicyDocument and ResetPolicy cannot be used together.");
        }
        if (cmd.policyDocument() != null) {
            if (!offering.service().policySupported()) {
                throw ErrorCode.INVALID_PARAMETER.format(
                        "The VPC endpoint service %s does not support policy documents.", endpoint.serviceName());
            }
            endpoint = endpoint.withPolicyDocument(cmd.policyDocument());
        } else if (cmd.resetPolicy()) {
            endpoint = endpoint.withPolicyDocument(endpoint.isGateway() ? DEFAULT_GATEWAY_POLICY
                    : DEFAULT_INTERFACE_POLICY);
        }
        boolean interfaceChange = !cmd.addSubnetIds().isEmpty() || !cmd.removeSubnetIds().isEmpty()
                || !cmd.addSecurityGroupIds().isEmpty() || !cmd.removeSecurityGroupIds().isEmpty()
                || cmd.privateDnsEnabled() != null || cmd.ipAddressType() != null || cmd.dnsRecordIpType() != null
                || cmd.privateDnsOnlyForInboundResolverEndpoint() != null;
        boolean routeChange = !cmd.addRouteTableIds().isEmpty() || !cmd.removeRouteTableIds().isEmpty();
        if (endpoint.isGateway()) {
            if (interfaceChange) {
                throw ErrorCode.INVALID_PARAMETER.format("Endpoint %s is a Gateway endpoint; subnets, security "
                        + "groups, private DNS and DNS options apply only to Interface endpoints.", endpoint.id());
            }
            return tx.put(GatewayEndpoints.modifyRoutes(tx, quotas, endpoint, cmd));
        }
        if (routeChange) {
            throw ErrorCode.INVALID_PARAMETER.format(
                    "Endpoint %s is an Interface endpoint; route tables apply only to Gateway endpoints.",
                    endpoint.id());
        }
        return tx.put(modifyInterfaces(tx, quotas, vpc, offering, endpoint, cmd));
    }
    private static VpcEndpoint modifyInterfaces(Tx tx, Quotas quotas, Vpc vpc, AwsServices.Offering offering,
            VpcEndpoint endpoint, Modify cmd) {
        // Security groups first, so that interfaces added below get the new set.
        List<SecurityGroupId> groups = InterfaceEndpoints.modifiedGroups(tx, quotas, vpc, endpoint, cmd);
        if (groups.size() > quotas.securityGroupsPerInterface()) {
            throw ErrorCode.SECURITY_GROUPS_PER_INTERFACE_LIMIT_EXCEEDED.format(
                    "The maximum number of security groups per interface (%d) has been reached.",
                    quotas.securityGroupsPerInterface());
        }

        List<SubnetId> subnetIds = new ArrayList<>(endpoint.subnetIds());
        List<NetworkInterfaceId> enis = new ArrayList<>(endpoint.networkInterfaceIds());
        InterfaceEndpoints.removeSubnets(tx, subnetIds, enis, cmd.removeSubnetIds());
        List<Subnet> kept = subnetIds.stream().map(id -> tx.find(Subnet.class, id).orElseThrow()).toList();
        List<Subnet> added = InterfaceEndpoints.subnets(tx, vpc,
                cmd.addSubnetIds().stream().filter(s -> !subnetIds.contains(s)).toList(), kept);
        List<Subnet> all = new ArrayList<>(kept);
        all.addAll(added);
        VpcEndpoint.IpAddressType ipType =
                InterfaceEndpoints.checkIpAddressType(cmd.ipAddressType(), endpoint.ipAddressType(), all);
        InterfaceEndpoints.checkServiceSupports(ipType, offering.supportedIpAddressTypes(), offering.serviceName());
        VpcEndpoint.DnsOptions options = dnsOptions(offering, ipType, cmd.dnsRecordIpType(),
                cmd.privateDnsOnlyForInboundResolverEndpoint(), endpoint.dnsOptions(), endpoint.ipAddressType());
        boolean privateDns = cmd.privateDnsEnabled() != null ? cmd.privateDnsEnabled() : endpoint.privateDnsEnabled();
        options = withInboundDefault(offering, privateDns, options);
        VpcEndpoint updated = new VpcEndpoint(endpoint.id(), endpoint.ownerId(), endpoint.region(),
                endpoint.vpcId(), endpoint.serviceName(), endpoint.serviceId(), endpoint.serviceOwner(),
                endpoint.type(), endpoint.state(), endpoint.stateChangedAt(), endpoint.policyDocument(),
                endpoint.routeTableIds(), endpoint.subnetIds(), endpoint.networkInterfaceIds(), groups, privateDns,
                ipType, options, endpoint.dnsToken(), endpoint.privateHostedZoneId(), endpoint.dnsEntries(),
                endpoint.createdAt(), endpoint.tags());
        if (privateDns && (!endpoint.privateDnsEnabled() || cmd.privateDnsOnlyForInboundResolverEndpoint() != null)) {
            checkPrivateDns(tx, vpc, offering, updated, options);
        }
        for (NetworkInterfaceId eniId : enis) {
            tx.find(NetworkInterface.class, eniId).ifPresent(n -> {
                NetworkInterface changed = InterfaceEndpoints.withIpv6For(tx, ipType, n);
                if (!changed.groupIds().equals(groups)) {
                    changed = changed.withGroupIds(groups);
                }
                if (!changed.equals(n)) {
                    tx.put(changed);
                }
            });
        }
        for (Subnet s : added) {
            subnetIds.add(s.subnetId());
            enis.add(InterfaceEndpoints.createInterface(tx, quotas, updated, s, groups).networkInterfaceId());
        }
        VpcEndpoint done = updated.withInterfaces(subnetIds, enis, groups, privateDns, options, List.of());
        return withDnsEntries(tx.world(), done, offering);
    }
    /**
     * Deletes endpoints one by one: those that cannot be deleted are reported, the others go with their routes
     * and network interfaces.
     */
    public static List<Failure> delete(Tx tx, List<VpcEndpointId> ids) {
        List<Failure> failures = new ArrayList<>();
        for (VpcEndpointId endpointId : new LinkedHashSet<>(ids)) {
            String id = endpointId.value();
            VpcEndpoint endpoint;
            try {
                endpoint =
                        Lookup.requireOwned(tx.world(), tx.caller(), Kind.VPC_ENDPOINT, VpcEndpoint.class, endpointId);
            } catch (AwsException e) {
                failures.add(new Failure(id, e.code(), e.getMessage()));
                continue;
            }
            if (endpoint.target() instanceof VpcEndpoint.Target.CustomerService) {
                EndpointConnections.endpointDeleted(tx, endpoint);
            }
            for (RouteTableId rtb : endpoint.routeTableIds()) {
                GatewayEndpoints.removeRoute(tx, endpoint, rtb);
            }
            for (NetworkInterfaceId eni : endpoint.networkInterfaceIds()) {
                tx.find(NetworkInterface.class, eni).ifPresent(tx::remove);
            }
            tx.remove(endpoint);
        }
        return failures;
    }

    /** The route tables an endpoint's routes are still in (a table deleted meanwhile drops out). */
    public static List<RouteTableId> liveRouteTables(World world, VpcEndpoint endpoint) {
        return endpoint.routeTableIds().stream().filter(id -> world.find(RouteTable.class, id).isPresent()).toList();
    }
    private static AwsServices.Offering offering(String region, String serviceName, VpcEndpoint.Type type) {
        return AwsServices.find(region, serviceName, type).orElseThrow(() -> {
            List<String> types = AwsServices.offerings(region).stream()
                    .filter(o -> o.serviceName().equals(serviceName)).map(o -> o.type().wire()).toList();
            if (!types.isEmpty()) {
                return ErrorCode.INVALID_PARAMETER.format(
                        "Endpoint type (%s) does not match available service types ([%s]).", type,
                        String.join(", ", types));
            }
            return ErrorCode.INVALID_SERVICE_NAME.format("The Vpc Endpoint Service '%s' does not exist", serviceName);
        });
    }
    private static VpcEndpoint.DnsOptions dnsOptions(AwsServices.Offering offering, VpcEndpoint.IpAddressType ipType,
            String recordType, Boolean inboundOnly, VpcEndpoint.DnsOptions current,
            VpcEndpoint.IpAddressType currentIpType) {
        VpcEndpoint.DnsRecordIpType record = InterfaceEndpoints.recordIpType(ipType, recordType,
                current != null ? current.dnsRecordIpType() : null, currentIpType);
        Boolean inbound = inboundOnly != null ? inboundOnly : current != null
                ? current.privateDnsOnlyForInboundResolverEndpoint() : null;
        if (inboundOnly != null && !offering.service().gateway()) {
            throw ErrorCode.INVALID_PARAMETER.format("PrivateDnsOnlyForInboundResolverEndpoint is supported only "
                    + "for services that also offer a Gateway endpoint; %s does not.", offering.serviceName());
        }
        return new VpcEndpoint.DnsOptions(record, inbound);
    }
    /** With private DNS on, S3 and DynamoDB default to answering only the inbound resolver, as AWS shows. */
    private static VpcEndpoint.DnsOptions withInboundDefault(AwsServices.Offering offering, boolean privateDns,
            VpcEndpoint.DnsOptions options) {
        if (privateDns && offering.service().gateway() && options.privateDnsOnlyForInboundResolverEndpoint() == null) {
            return new VpcEndpoint.DnsOptions(options.dnsRecordIpType(), true);
        }
        return options;
    }
    private static void checkPrivateDns(Tx tx, Vpc vpc, AwsServices.Offering offering, VpcEndpoint endpoint,
            VpcEndpoint.DnsOptions options) {
        if (offering.privateDnsName() == null) {
            throw ErrorCode.INVALID_PARAMETER.format("Private DNS can't be enabled because the service %s does not "
                    + "provide a private DNS name.", offering.serviceName());
        }
        InterfaceEndpoints.requireVpcDns(vpc);
        boolean conflict = !Scoped.inVpc(tx.world(), VpcEndpoint.class, vpc.vpcId(), e -> !e.id().equals(endpoint.id())
                && endpoint.serviceName().equals(e.serviceName()) && e.privateDnsEnabled()).isEmpty();
        if (conflict) {
            throw ErrorCode.INVALID_PARAMETER.format("private-dns-enabled cannot be set because there is already a "
                    + "conflicting DNS domain for %s in the VPC %s", offering.privateDnsName().replace("*.", ""),
                    vpc.vpcId());
        }
        // S3 (and DynamoDB) take over the service name only for the Route 53 inbound resolver by default, which
        // AWS allows only when the VPC also has a gateway endpoint to the service.
        boolean inboundOnly = options.privateDnsOnlyForInboundResolverEndpoint() == null
                || options.privateDnsOnlyForInboundResolverEndpoint();
        if (offering.service().gateway() && inboundOnly) {
            boolean gateway = !Scoped.inVpc(tx.world(), VpcEndpoint.class, vpc.vpcId(), e -> e.isGateway()
                    && endpoint.serviceName().equals(e.serviceName())).isEmpty();
            if (!gateway) {
                throw ErrorCode.INVALID_PARAMETER.format("To set PrivateDnsOnlyForInboundResolverEndpoint to true, "
                        + "the VPC %s must have a Gateway endpoint for the service.", vpc.vpcId());
            }
        }
    }
    /**
     * DNS entries as AWS lists them for an endpoint to an AWS service: the Regional name (with {@code *.} for
     * services answering any name below it), one zonal name per subnet's zone, then (with private DNS) the service's
     * own name in the endpoint's private hosted zone.
     */
    private static VpcEndpoint withDnsEntries(World world, VpcEndpoint e, AwsServices.Offering offering) {
        return InterfaceEndpoints.withDnsEntries(world, e, offering.service().wildcardDns() ? "*." : "",
                "." + offering.service().dnsLabel() + "." + e.region() + ".vpce.amazonaws.com",
                e.privateDnsEnabled(), offering.privateDnsName());
    }
}
