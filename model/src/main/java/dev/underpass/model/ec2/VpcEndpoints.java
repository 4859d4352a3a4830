package dev.underpass.model.ec2;

import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Index;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

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
 * @see <a href="https://docs.aws.amazon.com/vpc/latest/privatelink/concepts.html">AWS PrivateLink concepts</a>
 */
public final class VpcEndpoints {
    /** The default policy of a gateway endpoint, as DescribeVpcEndpoints prints it. */
    public static final String DEFAULT_GATEWAY_POLICY =
            "{\"Version\":\"2008-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\","
                    + "\"Resource\":\"*\"}]}";

    /** The default policy of an interface endpoint: AWS pretty-prints this one, with a space before each newline. */
    public static final String DEFAULT_INTERFACE_POLICY = "{\n  \"Statement\": [\n    {\n      \"Action\": \"*\", \n"
            + "      \"Effect\": \"Allow\", \n      \"Principal\": \"*\", \n      \"Resource\": \"*\"\n    }\n  ]\n}";

    /** The account AWS shows as the requester of endpoint network interfaces. */
    public static final String ENI_REQUESTER_ID = "727180483921";

    /** The owner AWS shows on the attachment of endpoint network interfaces. */
    public static final String ENI_ATTACHMENT_OWNER = "amazon-aws";

    private static final Set<String> KNOWN_TYPES = Set.of(VpcEndpoint.INTERFACE, VpcEndpoint.GATEWAY,
            VpcEndpoint.GATEWAY_LOAD_BALANCER, "Resource", "ServiceNetwork", "Tunnel");
    private static final Set<String> IP_ADDRESS_TYPES = Set.of("ipv4", "dualstack", "ipv6");
    private static final String DNS_TOKEN_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final RandomGenerator RANDOM = Ids.generator(); // The current transaction's source.

    private VpcEndpoints() {}

    /** A CreateVpcEndpoint request; {@code policyDocument} is already validated, or null for the default. */
    public record Create(String vpcId, String serviceName, String type, String policyDocument,
            List<String> routeTableIds, List<String> subnetIds, List<String> securityGroupIds,
            Boolean privateDnsEnabled, String ipAddressType, String dnsRecordIpType,
            Boolean privateDnsOnlyForInboundResolverEndpoint, Map<String, String> tags) {
        public Create {
            routeTableIds = routeTableIds == null ? List.of() : List.copyOf(routeTableIds);
            subnetIds = subnetIds == null ? List.of() : List.copyOf(subnetIds);
            securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
        }
    }

    /** A ModifyVpcEndpoint request; null members leave that part alone. */
    public record Modify(String vpcEndpointId, boolean resetPolicy, String policyDocument,
            List<String> addRouteTableIds, List<String> removeRouteTableIds, List<String> addSubnetIds,
            List<String> removeSubnetIds, List<String> addSecurityGroupIds, List<String> removeSecurityGroupIds,
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
    public static String observedState(VpcEndpoint e, Instant now, Duration delay) {
        if (VpcEndpoint.PENDING.equals(e.state()) && !now.isBefore(e.stateChangedAt().plus(delay))) {
            return VpcEndpoint.AVAILABLE;
        }
        return e.state();
    }

    public static VpcEndpoint create(Tx tx, Quotas quotas, Create cmd) {
        Caller caller = tx.caller();
        String type = cmd.type() == null || cmd.type().isEmpty() ? VpcEndpoint.GATEWAY : cmd.type();
        if (!KNOWN_TYPES.contains(type)) {
            throw ErrorCode.INVALID_VPC_ENDPOINT_TYPE.format("The VPC endpoint type '%s' is not valid. Valid types: "
                    + "Interface, Gateway, GatewayLoadBalancer, Resource, ServiceNetwork, Tunnel.", type);
        }
        Vpc vpc = Lookup.requireOwned(tx.world(), caller, Kind.VPC, Vpc.class, cmd.vpcId());
        if (!type.equals(VpcEndpoint.GATEWAY) && !type.equals(VpcEndpoint.INTERFACE)) {
            throw ErrorCode.UNSUPPORTED_OPERATION.format("underpass does not support %s endpoints yet; it emulates "
                    + "Gateway and Interface endpoints.", type);
        }
        if (cmd.serviceName() == null || cmd.serviceName().isEmpty()) {
            throw ErrorCode.MISSING_PARAMETER.with("The request must contain the parameter ServiceName");
        }
        AwsServices.Offering offering = offering(caller.region(), cmd.serviceName(), type);
        if (cmd.policyDocument() != null && !offering.service().policySupported()) {
            throw ErrorCode.INVALID_PARAMETER.format(
                    "The VPC endpoint service %s does not support policy documents.", cmd.serviceName());
        }
        String id = Ids.next("vpce");
        Instant now = tx.now();
        if (type.equals(VpcEndpoint.GATEWAY)) {
            if (!cmd.subnetIds().isEmpty() || !cmd.securityGroupIds().isEmpty()) {
                throw ErrorCode.INVALID_PARAMETER.with(
                        "Subnets and security groups can be specified only for Interface endpoints.");
            }
            if (Boolean.TRUE.equals(cmd.privateDnsEnabled())) {
                throw ErrorCode.INVALID_PARAMETER.with("Private DNS can be enabled only for Interface endpoints.");
            }
            long gateways = Scoped.owned(tx.world(), caller, VpcEndpoint.class, VpcEndpoint::isGateway).size();
            if (gateways >= quotas.gatewayEndpointsPerRegion()) {
                throw ErrorCode.VPC_ENDPOINT_LIMIT_EXCEEDED.format(
                        "The maximum number of gateway VPC endpoints (%d) in this Region has been reached.",
                        quotas.gatewayEndpointsPerRegion());
            }
            String policy = cmd.policyDocument() == null ? DEFAULT_GATEWAY_POLICY : cmd.policyDocument();
            VpcEndpoint endpoint = new VpcEndpoint(id, caller.accountId(), caller.region(), vpc.id(),
                    offering.serviceName(), null, null, type, VpcEndpoint.AVAILABLE, now, policy, List.of(),
                    List.of(), List.of(), List.of(), false, "ipv4", null, null, null, List.of(), now, cmd.tags());
            List<String> tables = new ArrayList<>(new LinkedHashSet<>(cmd.routeTableIds()));
            for (String rtb : tables) {
                addRoute(tx, quotas, endpoint, rtb);
            }
            return tx.put(endpoint.withRouteTableIds(tables));
        }

        // Interface.
        if (!cmd.routeTableIds().isEmpty()) {
            throw ErrorCode.INVALID_PARAMETER.with("Route tables can be specified only for Gateway endpoints.");
        }
        long inVpc = Scoped.inVpc(tx.world(), VpcEndpoint.class, vpc.id(), e -> !e.isGateway()).size();
        if (inVpc >= quotas.interfaceEndpointsPerVpc()) {
            throw ErrorCode.VPC_ENDPOINT_LIMIT_EXCEEDED.format(
                    "The maximum number of interface VPC endpoints (%d) in VPC %s has been reached.",
                    quotas.interfaceEndpointsPerVpc(), vpc.id());
        }
        List<Subnet> subnets = subnets(tx, vpc, cmd.subnetIds(), List.of());
        String ipType = cmd.ipAddressType() != null ? cmd.ipAddressType()
                : defaultIpAddressType(subnets, offering.supportedIpAddressTypes());
        checkIpAddressType(ipType, subnets);
        checkServiceSupports(ipType, offering.supportedIpAddressTypes(), offering.serviceName());
        VpcEndpoint.DnsOptions options = dnsOptions(offering, ipType, cmd.dnsRecordIpType(),
                cmd.privateDnsOnlyForInboundResolverEndpoint(), null, null);
        boolean privateDns = cmd.privateDnsEnabled() != null ? cmd.privateDnsEnabled()
                : offering.privateDnsName() != null && !offering.service().wildcardDns();
        List<String> groups = groups(tx, quotas, vpc, cmd.securityGroupIds());
        String policy = cmd.policyDocument() == null ? DEFAULT_INTERFACE_POLICY : cmd.policyDocument();
        VpcEndpoint endpoint = new VpcEndpoint(id, caller.accountId(), caller.region(), vpc.id(),
                offering.serviceName(), null, null, type, VpcEndpoint.PENDING, now, policy, List.of(), List.of(),
                List.of(), groups, false, ipType, options, dnsToken(), "Z" + Ids.hex(20).toUpperCase(
                        java.util.Locale.ROOT).substring(0, 13), List.of(), now, cmd.tags());
        options = withInboundDefault(offering, privateDns, options);
        if (privateDns) {
            checkPrivateDns(tx, vpc, offering, endpoint, options);
        }
        List<String> enis = new ArrayList<>();
        for (Subnet s : subnets) {
            enis.add(createInterface(tx, quotas, endpoint, s, groups).id());
        }
        VpcEndpoint done = endpoint.withInterfaces(subnets.stream().map(Subnet::id).toList(), enis, groups,
                privateDns, options, List.of());
        return tx.put(withDnsEntries(tx.world(), done, offering));
    }

    public static VpcEndpoint modify(Tx tx, Quotas quotas, Modify cmd) {
        VpcEndpoint endpoint = Lookup.requireOwned(tx.world(), tx.caller(), Kind.VPC_ENDPOINT, VpcEndpoint.class,
                cmd.vpcEndpointId());
        if (endpoint.serviceId() != null) {
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
            return tx.put(modifyRoutes(tx, quotas, endpoint, cmd));
        }
        if (routeChange) {
            throw ErrorCode.INVALID_PARAMETER.format(
                    "Endpoint %s is an Interface endpoint; route tables apply only to Gateway endpoints.",
                    endpoint.id());
        }
        return tx.put(modifyInterfaces(tx, quotas, vpc, offering, endpoint, cmd));
    }

    private static VpcEndpoint modifyRoutes(Tx tx, Quotas quotas, VpcEndpoint endpoint, Modify cmd) {
        List<String> tables = new ArrayList<>(endpoint.routeTableIds());
        for (String rtb : new LinkedHashSet<>(cmd.removeRouteTableIds())) {
            Lookup.requireOwned(tx.world(), tx.caller(), Kind.ROUTE_TABLE, RouteTable.class, rtb);
            if (tables.remove(rtb)) {
                removeRoute(tx, endpoint, rtb);
            }
        }
        for (String rtb : new LinkedHashSet<>(cmd.addRouteTableIds())) {
            if (!tables.contains(rtb)) {
                addRoute(tx, quotas, endpoint, rtb);
                tables.add(rtb);
            }
        }
        return endpoint.withRouteTableIds(tables);
    }

    private static VpcEndpoint modifyInterfaces(Tx tx, Quotas quotas, Vpc vpc, AwsServices.Offering offering,
            VpcEndpoint endpoint, Modify cmd) {
        // Security groups first, so that interfaces added below get the new set.
        List<String> groups = new ArrayList<>(endpoint.groupIds());
        for (String g : new LinkedHashSet<>(cmd.removeSecurityGroupIds())) {
            Lookup.require(tx.world(), tx.caller(), Kind.SECURITY_GROUP, SecurityGroup.class, g);
            groups.remove(g);
        }
        if (!cmd.addSecurityGroupIds().isEmpty()) {
            for (String g : groups(tx, quotas, vpc, cmd.addSecurityGroupIds())) {
                if (!groups.contains(g)) {
                    groups.add(g);
                }
            }
        }
        if (groups.isEmpty()) {
            throw ErrorCode.INVALID_PARAMETER.format(
                    "Endpoint %s must keep at least one security group.", endpoint.id());
        }
        if (groups.size() > quotas.securityGroupsPerInterface()) {
            throw ErrorCode.SECURITY_GROUPS_PER_INTERFACE_LIMIT_EXCEEDED.format(
                    "The maximum number of security groups per interface (%d) has been reached.",
                    quotas.securityGroupsPerInterface());
        }

        List<String> subnetIds = new ArrayList<>(endpoint.subnetIds());
        List<String> enis = new ArrayList<>(endpoint.networkInterfaceIds());
        for (String s : new LinkedHashSet<>(cmd.removeSubnetIds())) {
            Lookup.requireOwned(tx.world(), tx.caller(), Kind.SUBNET, Subnet.class, s);
            int at = subnetIds.indexOf(s);
            if (at >= 0) {
                subnetIds.remove(at);
                String eniId = enis.remove(at);
                tx.find(NetworkInterface.class, eniId).ifPresent(tx::remove);
            }
        }
        List<Subnet> kept = subnetIds.stream().map(id -> tx.find(Subnet.class, id).orElseThrow()).toList();
        List<Subnet> added = subnets(tx, vpc, cmd.addSubnetIds().stream().filter(s -> !subnetIds.contains(s))
                .toList(), kept);
        String ipType = cmd.ipAddressType() != null ? cmd.ipAddressType() : endpoint.ipAddressType();
        List<Subnet> all = new ArrayList<>(kept);
        all.addAll(added);
        checkIpAddressType(ipType, all);
        checkServiceSupports(ipType, offering.supportedIpAddressTypes(), offering.serviceName());
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
        for (String eniId : enis) {
            tx.find(NetworkInterface.class, eniId).ifPresent(n -> {
                NetworkInterface changed = withIpv6For(tx, ipType, n);
                if (!changed.groupIds().equals(groups)) {
                    changed = changed.withGroupIds(groups);
                }
                if (!changed.equals(n)) {
                    tx.put(changed);
                }
            });
        }
        for (Subnet s : added) {
            subnetIds.add(s.id());
            enis.add(createInterface(tx, quotas, updated, s, groups).id());
        }
        VpcEndpoint done = updated.withInterfaces(subnetIds, enis, groups, privateDns, options, List.of());
        return withDnsEntries(tx.world(), done, offering);
    }

    /**
     * Deletes endpoints one by one: those that cannot be deleted are reported, the others go with their routes
     * and network interfaces.
     */
    public static List<Failure> delete(Tx tx, List<String> ids) {
        List<Failure> failures = new ArrayList<>();
        for (String id : new LinkedHashSet<>(ids)) {
            VpcEndpoint endpoint;
            try {
                endpoint = Lookup.requireOwned(tx.world(), tx.caller(), Kind.VPC_ENDPOINT, VpcEndpoint.class, id);
            } catch (AwsException e) {
                failures.add(new Failure(id, e.code(), e.getMessage()));
                continue;
            }
            if (endpoint.serviceId() != null) {
                EndpointConnections.endpointDeleted(tx, endpoint);
            }
            for (String rtb : endpoint.routeTableIds()) {
                removeRoute(tx, endpoint, rtb);
            }
            for (String eni : endpoint.networkInterfaceIds()) {
                tx.find(NetworkInterface.class, eni).ifPresent(tx::remove);
            }
            tx.remove(endpoint);
        }
        return failures;
    }

    /** The route tables an endpoint's routes are still in (a table deleted meanwhile drops out). */
    public static List<String> liveRouteTables(World world, VpcEndpoint endpoint) {
        return endpoint.routeTableIds().stream().filter(id -> world.find(RouteTable.class, id).isPresent()).toList();
    }

    /** Whether a route is one a gateway endpoint manages, which the route-table API must not change. */
    public static boolean isEndpointRoute(RouteTable.Route route) {
        return route.destinationPrefixListId() != null && route.gatewayId() != null
                && route.gatewayId().startsWith("vpce-");
    }

    private static AwsServices.Offering offering(String region, String serviceName, String type) {
        return AwsServices.find(region, serviceName, type).orElseThrow(() -> {
            List<String> types = AwsServices.offerings(region).stream()
                    .filter(o -> o.serviceName().equals(serviceName)).map(AwsServices.Offering::type).toList();
            if (!types.isEmpty()) {
                return ErrorCode.INVALID_PARAMETER.format(
                        "Endpoint type (%s) does not match available service types ([%s]).", type,
                        String.join(", ", types));
            }
            return ErrorCode.INVALID_SERVICE_NAME.format("The Vpc Endpoint Service '%s' does not exist", serviceName);
        });
    }

    private static void addRoute(Tx tx, Quotas quotas, VpcEndpoint endpoint, String rtbId) {
        RouteTable table = Lookup.requireOwned(tx.world(), tx.caller(), Kind.ROUTE_TABLE, RouteTable.class, rtbId);
        if (!table.vpcId().equals(endpoint.vpcId())) {
            throw ErrorCode.INVALID_PARAMETER.format("The route table %s is not in VPC %s of the endpoint.", rtbId,
                    endpoint.vpcId());
        }
        String pl = AwsServices.prefixListFor(endpoint.region(), endpoint.serviceName()).orElseThrow().id();
        for (RouteTable.Route r : table.routes()) {
            if (pl.equals(r.destinationPrefixListId())) {
                throw ErrorCode.ROUTE_ALREADY_EXISTS.format(
                        "The route identified by %s already exists in route table %s.", pl, rtbId);
            }
        }
        if (table.routes().size() >= quotas.routesPerTable()) {
            throw ErrorCode.ROUTE_LIMIT_EXCEEDED.format(
                    "The maximum number of routes (%d) in route table %s has been reached.", quotas.routesPerTable(),
                    rtbId);
        }
        List<RouteTable.Route> routes = new ArrayList<>(table.routes());
        routes.add(new RouteTable.Route(null, null, pl, endpoint.id(), null, null, null, null, "CreateRoute",
                "active"));
        tx.put(table.withRoutes(routes));
    }

    private static void removeRoute(Tx tx, VpcEndpoint endpoint, String rtbId) {
        tx.find(RouteTable.class, rtbId).ifPresent(table -> {
            List<RouteTable.Route> routes = new ArrayList<>(table.routes());
            if (routes.removeIf(r -> endpoint.id().equals(r.gatewayId()) && r.destinationPrefixListId() != null)) {
                tx.put(table.withRoutes(routes));
            }
        });
    }

    /** Looks up subnets for an interface endpoint: the caller's, in the VPC, one per zone (with {@code kept}). */
    static List<Subnet> subnets(Tx tx, Vpc vpc, List<String> ids, List<Subnet> kept) {
        List<Subnet> out = new ArrayList<>();
        Map<String, String> zoneToSubnet = new HashMap<>();
        for (Subnet s : kept) {
            zoneToSubnet.put(s.availabilityZoneId(), s.id());
        }
        for (String id : new LinkedHashSet<>(ids)) {
            Subnet s = Lookup.requireOwned(tx.world(), tx.caller(), Kind.SUBNET, Subnet.class, id);
            if (!s.vpcId().equals(vpc.id())) {
                throw ErrorCode.INVALID_PARAMETER.format("The subnet %s does not belong to VPC %s.", id, vpc.id());
            }
            if (zoneToSubnet.putIfAbsent(s.availabilityZoneId(), s.id()) != null) {
                throw ErrorCode.DUPLICATE_SUBNETS_IN_SAME_ZONE.format("Found another VPC endpoint subnet in the "
                        + "availability zone of %s. VPC endpoint subnets should be in different availability zones "
                        + "supported by the VPC endpoint service.", id);
            }
            out.add(s);
        }
        return out;
    }

    static List<String> groups(Tx tx, Quotas quotas, Vpc vpc, List<String> ids) {
        if (ids.isEmpty()) {
            return Scoped.inVpc(tx.world(), SecurityGroup.class, vpc.id(), SecurityGroup::isDefault).stream()
                    .map(SecurityGroup::id).limit(1).toList();
        }
        List<String> out = new ArrayList<>();
        for (String id : new LinkedHashSet<>(ids)) {
            SecurityGroup g = Lookup.require(tx.world(), tx.caller(), Kind.SECURITY_GROUP, SecurityGroup.class, id);
            if (!g.vpcId().equals(vpc.id())) {
                throw ErrorCode.INVALID_PARAMETER.format(
                        "The security group %s does not belong to VPC %s.", id, vpc.id());
            }
            out.add(g.id());
        }
        if (out.size() > quotas.securityGroupsPerInterface()) {
            throw ErrorCode.SECURITY_GROUPS_PER_INTERFACE_LIMIT_EXCEEDED.format(
                    "The maximum number of security groups per interface (%d) has been reached.",
                    quotas.securityGroupsPerInterface());
        }
        return out;
    }

    /** The DNS record types an endpoint can publish, as AWS names them. */
    private static final List<String> DNS_RECORD_IP_TYPES = List.of("ipv4", "dualstack", "ipv6", "service-defined");

    /**
     * The IP address type AWS picks when the request names none: {@code ipv6} when every subnet is IPv6-only (and
     * the service takes IPv6), otherwise {@code ipv4}.
     */
    static String defaultIpAddressType(List<Subnet> subnets, List<String> supported) {
        boolean allIpv6Only = !subnets.isEmpty() && subnets.stream().allMatch(s -> !s.hasIpv4());
        return allIpv6Only && supported.contains("ipv6") ? "ipv6" : "ipv4";
    }

    /**
     * AWS's rules for the endpoint's IP address type against its subnets: {@code ipv4} needs every subnet to have
     * an IPv4 range, {@code dualstack} needs both IPv4 and IPv6 ranges in every subnet, {@code ipv6} needs every
     * subnet to be IPv6-only.
     */
    static void checkIpAddressType(String ipType, List<Subnet> subnets) {
        if (!IP_ADDRESS_TYPES.contains(ipType)) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "Value (%s) for parameter IpAddressType is invalid. Valid values: ipv4, dualstack, ipv6.", ipType);
        }
        for (Subnet s : subnets) {
            boolean v4 = s.hasIpv4();
            boolean v6 = s.ipv6CidrBlock() != null;
            switch (ipType) {
                case "ipv4" -> {
                    if (!v4) {
                        throw ErrorCode.INVALID_PARAMETER.format("IpAddressType ipv4 requires subnets with IPv4 "
                                + "address ranges, but subnet %s is an IPv6-only subnet.", s.id());
                    }
                }
                case "dualstack" -> {
                    if (!v4 || !v6) {
                        throw ErrorCode.INVALID_PARAMETER.format("IpAddressType dualstack requires subnets with both "
                                + "IPv4 and IPv6 address ranges, but subnet %s has %s.", s.id(),
                                v4 ? "no IPv6 CIDR block" : "no IPv4 CIDR block");
                    }
                }
                default -> {
                    if (v4 || !v6) {
                        throw ErrorCode.INVALID_PARAMETER.format("IpAddressType ipv6 requires IPv6-only subnets, but "
                                + "subnet %s %s.", s.id(), v6 ? "also has an IPv4 CIDR block"
                                        : "has no IPv6 CIDR block");
                    }
                }
            }
        }
    }

    /**
     * The service must accept the families the endpoint uses: {@code dualstack} needs both {@code ipv4} and
     * {@code ipv6} among the service's supported IP address types.
     */
    static void checkServiceSupports(String ipType, List<String> supported, String serviceName) {
        boolean ok = switch (ipType) {
            case "dualstack" -> supported.contains("ipv4") && supported.contains("ipv6");
            default -> supported.contains(ipType);
        };
        if (!ok) {
            throw ErrorCode.INVALID_PARAMETER.format("The VPC endpoint service %s does not support IP address type "
                    + "%s; its supported IP address types are: %s.", serviceName, ipType,
                    String.join(", ", supported));
        }
    }

    /**
     * The DNS record IP type: given, it must suit the address type ({@code ipv4} records need an ipv4 or dualstack
     * endpoint, {@code ipv6} records an ipv6 or dualstack one, {@code dualstack} and {@code service-defined} a
     * dualstack one); omitted, it follows the address type, or stays as it was while the address type does.
     */
    static String recordIpType(String ipType, String requested, String current, String currentIpType) {
        if (requested == null) {
            return current != null && ipType.equals(currentIpType) ? current : ipType;
        }
        if (!DNS_RECORD_IP_TYPES.contains(requested)) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format("Value (%s) for parameter DnsRecordIpType is invalid. "
                    + "Valid values: ipv4, dualstack, ipv6, service-defined.", requested);
        }
        List<String> allowed = switch (ipType) {
            case "ipv4" -> List.of("ipv4");
            case "ipv6" -> List.of("ipv6");
            default -> DNS_RECORD_IP_TYPES;
        };
        if (!allowed.contains(requested)) {
            throw ErrorCode.INVALID_PARAMETER.format("DnsRecordIpType %s is not supported with IpAddressType %s; "
                    + "use one of: %s.", requested, ipType, String.join(", ", allowed));
        }
        return requested;
    }

    private static VpcEndpoint.DnsOptions dnsOptions(AwsServices.Offering offering, String ipType,
            String recordType, Boolean inboundOnly, VpcEndpoint.DnsOptions current, String currentIpType) {
        String record = recordIpType(ipType, recordType, current != null ? current.dnsRecordIpType() : null,
                currentIpType);
        Boolean inbound = inboundOnly != null ? inboundOnly : current != null
                ? current.privateDnsOnlyForInboundResolverEndpoint() : null;
        if (inboundOnly != null && !offering.service().gateway()) {
            throw ErrorCode.INVALID_PARAMETER.format("PrivateDnsOnlyForInboundResolverEndpoint is supported only "
                    + "for services that also offer a Gateway endpoint; %s does not.", offering.serviceName());
        }
        return new VpcEndpoint.DnsOptions(record, inbound);
    }

    /** Gives an endpoint interface an IPv6 address when the endpoint uses IPv6, and takes it away when not. */
    static NetworkInterface withIpv6For(Tx tx, String ipType, NetworkInterface n) {
        boolean wants = !ipType.equals("ipv4");
        if (wants && n.ipv6Addresses().isEmpty()) {
            Subnet subnet = tx.find(Subnet.class, n.subnetId()).orElseThrow();
            return n.withIpv6Addresses(List.of(Subnets.allocateIpv6(tx.world(), subnet, n.id())));
        }
        if (!wants && !n.ipv6Addresses().isEmpty()) {
            return n.withIpv6Addresses(List.of());
        }
        return n;
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
        if (!vpc.enableDnsSupport() || !vpc.enableDnsHostnames()) {
            throw ErrorCode.INVALID_PARAMETER.format("Enabling private DNS requires both enableDnsSupport and "
                    + "enableDnsHostnames VPC attributes set to true for %s", vpc.id());
        }
        boolean conflict = !Scoped.inVpc(tx.world(), VpcEndpoint.class, vpc.id(), e -> !e.id().equals(endpoint.id())
                && endpoint.serviceName().equals(e.serviceName()) && e.privateDnsEnabled()).isEmpty();
        if (conflict) {
            throw ErrorCode.INVALID_PARAMETER.format("private-dns-enabled cannot be set because there is already a "
                    + "conflicting DNS domain for %s in the VPC %s", offering.privateDnsName().replace("*.", ""),
                    vpc.id());
        }
        // S3 (and DynamoDB) take over the service name only for the Route 53 inbound resolver by default, which
        // AWS allows only when the VPC also has a gateway endpoint to the service.
        boolean inboundOnly = options.privateDnsOnlyForInboundResolverEndpoint() == null
                || options.privateDnsOnlyForInboundResolverEndpoint();
        if (offering.service().gateway() && inboundOnly) {
            boolean gateway = !Scoped.inVpc(tx.world(), VpcEndpoint.class, vpc.id(), e -> e.isGateway()
                    && endpoint.serviceName().equals(e.serviceName())).isEmpty();
            if (!gateway) {
                throw ErrorCode.INVALID_PARAMETER.format("To set PrivateDnsOnlyForInboundResolverEndpoint to true, "
                        + "the VPC %s must have a Gateway endpoint for the service.", vpc.id());
            }
        }
    }

    static NetworkInterface createInterface(Tx tx, Quotas quotas, VpcEndpoint endpoint, Subnet subnet,
            List<String> groups) {
        long enis = Index.owned(tx.world(), NetworkInterface.class, endpoint.ownerId(), endpoint.region()).size();
        if (enis >= quotas.networkInterfacesPerRegion()) {
            throw ErrorCode.NETWORK_INTERFACE_LIMIT_EXCEEDED.with(
                    "The maximum number of network interfaces has been reached.");
        }
        List<NetworkInterface.PrivateIp> ips = subnet.hasIpv4()
                ? List.of(new NetworkInterface.PrivateIp(Addresses.allocate(tx.world(), subnet, Set.of()), true))
                : List.of();
        NetworkInterface.Attachment attachment = new NetworkInterface.Attachment(Ids.next("ela-attach"), null,
                ENI_ATTACHMENT_OWNER, 1, "attached", false, tx.now());
        NetworkInterface eni = new NetworkInterface(Ids.next("eni"), endpoint.ownerId(), endpoint.region(),
                subnet.id(), subnet.vpcId(), subnet.availabilityZone(), "VPC Endpoint Interface " + endpoint.id(),
                "vpc_endpoint", true, ENI_REQUESTER_ID, macAddress(), true, ips, groups, attachment, Map.of());
        return tx.put(withIpv6For(tx, endpoint.ipAddressType(), eni));
    }

    /**
     * DNS entries as AWS lists them: the Regional name, then one zonal name per subnet's zone, then (with private
     * DNS) the service's own name in the endpoint's private hosted zone.
     */
    private static VpcEndpoint withDnsEntries(World world, VpcEndpoint e, AwsServices.Offering offering) {
        String hostedZone = AwsServices.endpointHostedZone(e.region());
        String prefix = offering.service().wildcardDns() ? "*." : "";
        String suffix = "." + offering.service().dnsLabel() + "." + e.region() + ".vpce.amazonaws.com";
        String base = prefix + e.id() + "-" + e.dnsToken();
        List<VpcEndpoint.DnsEntry> entries = new ArrayList<>();
        entries.add(new VpcEndpoint.DnsEntry(base + suffix, hostedZone));
        for (String subnetId : e.subnetIds()) {
            world.find(Subnet.class, subnetId).ifPresent(s -> entries.add(
                    new VpcEndpoint.DnsEntry(base + "-" + s.availabilityZone() + suffix, hostedZone)));
        }
        if (e.privateDnsEnabled()) {
            entries.add(new VpcEndpoint.DnsEntry(offering.privateDnsName(), e.privateHostedZoneId()));
        }
        return e.withInterfaces(e.subnetIds(), e.networkInterfaceIds(), e.groupIds(), e.privateDnsEnabled(),
                e.dnsOptions(), entries);
    }

    static String dnsToken() {
        StringBuilder sb = new StringBuilder(8);
        for (int i = 0; i < 8; i++) {
            sb.append(DNS_TOKEN_ALPHABET.charAt(RANDOM.nextInt(DNS_TOKEN_ALPHABET.length())));
        }
        return sb.toString();
    }

    /** A locally administered unicast MAC, as AWS gives every interface ({@code 02:…}). */
    private static String macAddress() {
        String hex = Ids.hex(10);
        StringBuilder sb = new StringBuilder("02");
        for (int i = 0; i < 10; i += 2) {
            sb.append(':').append(hex, i, i + 2);
        }
        return sb.toString();
    }
}
