package dev.underpass.model.ec2;

import dev.underpass.model.ResourceId;
import dev.underpass.model.AwsNamed;
import dev.underpass.model.net.IpFamily;
import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Index;
import dev.underpass.model.Regions;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * AWS PrivateLink between accounts: endpoint services on the provider side, their allowed principals, the
 * interface endpoints consumers create to them, acceptance and rejection of those connections, and the connection
 * notifications with the event log that stands in for SNS.
 *
 * <p>Who sees what: a service is visible to its owner and to callers an allowed principal matches (the account's
 * root ARN matches every caller of that account; a user ARN matches that user; a role ARN matches every session
 * of that role; {@code *} matches everyone), in the service's region or in a region the provider added for cross-region access. A consumer who
 * cannot see a service is told it does not exist ({@code InvalidServiceName}), exactly as for an unknown name.
 *
 * <p>Lifecycle of a connection (the consumer's endpoint as the provider sees it): {@code pendingAcceptance} when the
 * service requires acceptance, else {@code pending}; accepting stores {@code pending}, which reads as
 * {@code available} once the configured transition time has passed ({@link VpcEndpoints#observedState}); the
 * provider may reject a pending or available endpoint ({@code rejected}); only the consumer deletes it.
 *
 * @see <a href="https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html">Configure an
 *     endpoint service</a>
 */
public final class EndpointServices {
    private static final Index<EndpointService, String> BY_LOAD_BALANCER =
            Index.byEach(EndpointService.class, EndpointService::networkLoadBalancerArns);

    private static final Pattern NLB_ARN = Pattern.compile(
            "arn:aws[a-z-]*:elasticloadbalancing:([a-z0-9-]+):(\\d{12}):loadbalancer/net/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}");
    private static final Pattern GWLB_ARN = Pattern.compile(
            "arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\\d{12}:loadbalancer/gwy/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}");

    private EndpointServices() {}

    /** A CreateVpcEndpointServiceConfiguration request. */
    public record Create(List<String> networkLoadBalancerArns, List<String> gatewayLoadBalancerArns,
            Boolean acceptanceRequired, String privateDnsName, List<String> supportedIpAddressTypes,
            List<String> supportedRegions, Map<String, String> tags) {
        public Create {
            networkLoadBalancerArns = listOrEmpty(networkLoadBalancerArns);
            gatewayLoadBalancerArns = listOrEmpty(gatewayLoadBalancerArns);
            supportedIpAddressTypes = listOrEmpty(supportedIpAddressTypes);
            supportedRegions = listOrEmpty(supportedRegions);
        }
    }

    /** A ModifyVpcEndpointServiceConfiguration request; null or empty members leave that part alone. */
    public record Modify(EndpointServiceId serviceId, String privateDnsName, boolean removePrivateDnsName,
            Boolean acceptanceRequired, List<String> addNetworkLoadBalancerArns,
            List<String> removeNetworkLoadBalancerArns, List<String> addGatewayLoadBalancerArns,
            List<String> addSupportedIpAddressTypes, List<String> removeSupportedIpAddressTypes,
            List<String> addSupportedRegions, List<String> removeSupportedRegions) {
        public Modify {
            addNetworkLoadBalancerArns = listOrEmpty(addNetworkLoadBalancerArns);
            removeNetworkLoadBalancerArns = listOrEmpty(removeNetworkLoadBalancerArns);
            addGatewayLoadBalancerArns = listOrEmpty(addGatewayLoadBalancerArns);
            addSupportedIpAddressTypes = listOrEmpty(addSupportedIpAddressTypes);
            removeSupportedIpAddressTypes = listOrEmpty(removeSupportedIpAddressTypes);
            addSupportedRegions = listOrEmpty(addSupportedRegions);
            removeSupportedRegions = listOrEmpty(removeSupportedRegions);
        }
    }

    /** One item a bulk call could not process, with AWS's error for it. */
    public record Failure(String resourceId, String code, String message) {
        static Failure of(String id, AwsException e) {
            return new Failure(id, e.code(), e.getMessage());
        }
    }

    private static List<String> listOrEmpty(List<String> l) {
        return l == null ? List.of() : List.copyOf(l);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Services.

    public static EndpointService create(Tx tx, Create cmd) {
        Caller caller = tx.caller();
        if (!cmd.gatewayLoadBalancerArns().isEmpty()) {
            throw ErrorCode.UNSUPPORTED_OPERATION.with("underpass does not emulate Gateway Load Balancers; endpoint "
                    + "services can be created with NetworkLoadBalancerArn only.");
        }
        if (cmd.networkLoadBalancerArns().isEmpty()) {
            throw ErrorCode.INVALID_PARAMETER.with(
                    "At least one NetworkLoadBalancerArn or GatewayLoadBalancerArn must be specified.");
        }
        List<String> arns = List.copyOf(new LinkedHashSet<>(cmd.networkLoadBalancerArns()));
        List<EndpointService.Zone> zones = zonesOf(loadBalancers(tx, arns));
        List<IpFamily> ipTypes = cmd.supportedIpAddressTypes().isEmpty() ? List.of(IpFamily.IPV4)
                : ipAddressTypes(cmd.supportedIpAddressTypes(), arns);
        List<String> regions = new ArrayList<>();
        regions.add(caller.region());
        addRegions(regions, cmd.supportedRegions());
        String id = Ids.next("vpce-svc");
        EndpointService.PrivateDns dns = cmd.privateDnsName() == null || cmd.privateDnsName().isEmpty() ? null
                : ServicePrivateDns.privateDns(tx.world(), caller.accountId(), cmd.privateDnsName());
        boolean acceptance = cmd.acceptanceRequired() == null || cmd.acceptanceRequired();
        return tx.put(new EndpointService(id, caller.accountId(), caller.region(),
                "com.amazonaws.vpce." + caller.region() + "." + id, EndpointService.State.AVAILABLE, arns, zones,
                acceptance, ipTypes, regions, dns, null, List.of(), tx.now(), cmd.tags()));
    }

    public static EndpointService modify(Tx tx, Modify cmd) {
        EndpointService s = requireOwned(tx.world(), tx.caller(), cmd.serviceId());
        if (!cmd.addGatewayLoadBalancerArns().isEmpty()) {
            throw ErrorCode.UNSUPPORTED_OPERATION.with(
                    "underpass does not emulate Gateway Load Balancers; use AddNetworkLoadBalancerArn.");
        }
        if (cmd.removePrivateDnsName() && cmd.privateDnsName() != null) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.with(
                    "The parameters PrivateDnsName and RemovePrivateDnsName cannot be used together.");
        }
        List<String> arns = new ArrayList<>(s.networkLoadBalancerArns());
        for (String arn : new LinkedHashSet<>(cmd.addNetworkLoadBalancerArns())) {
            loadBalancers(tx, List.of(arn));
            if (!arns.contains(arn)) {
                arns.add(arn);
            }
        }
        if (!cmd.removeNetworkLoadBalancerArns().isEmpty()) {
            for (String arn : cmd.removeNetworkLoadBalancerArns()) {
                checkNlbArnShape(arn);
                if (!arns.contains(arn)) {
                    throw ErrorCode.INVALID_NETWORK_LOAD_BALANCER_ARN_NOT_FOUND.format(
                            "The Network Load Balancer ARN '%s' is not associated with service %s.", arn, s.id());
                }
            }
            if (!EndpointConnections.activeConnections(tx.world(), s).isEmpty()) {
                throw ErrorCode.EXISTING_VPC_ENDPOINT_CONNECTIONS.format("Service %s has existing VPC endpoint "
                        + "connections; reject them before removing its load balancers.", s.id());
            }
            arns.removeAll(cmd.removeNetworkLoadBalancerArns());
            if (arns.isEmpty()) {
                throw ErrorCode.INVALID_PARAMETER.format(
                        "Service %s must keep at least one Network Load Balancer.", s.id());
            }
        }
        List<EndpointService.Zone> zones = zonesOf(loadBalancers(tx, arns));
        List<IpFamily> ipTypes = new ArrayList<>(s.supportedIpAddressTypes());
        for (IpFamily t : ipAddressTypes(cmd.addSupportedIpAddressTypes(), arns)) {
            if (!ipTypes.contains(t)) {
                ipTypes.add(t);
            }
        }
        // A name that is no family removes nothing, as before the types.
        ipTypes.removeIf(t -> cmd.removeSupportedIpAddressTypes().contains(t.wire()));
        if (ipTypes.isEmpty()) {
            throw ErrorCode.INVALID_PARAMETER.format(
                    "Service %s must keep at least one supported IP address type.", s.id());
        }
        List<String> regions = new ArrayList<>(s.supportedRegions());
        addRegions(regions, cmd.addSupportedRegions());
        for (String r : cmd.removeSupportedRegions()) {
            if (r.equals(s.region())) {
                throw ErrorCode.INVALID_PARAMETER.format(
                        "The service's own Region %s cannot be removed from its supported Regions.", r);
            }
            regions.remove(r);
        }
        EndpointService.PrivateDns dns = s.privateDns();
        if (cmd.removePrivateDnsName()) {
            dns = null;
        } else if (cmd.privateDnsName() != null && !cmd.privateDnsName().isEmpty()
                && (dns == null || !dns.name().equals(cmd.privateDnsName()))) {
            dns = ServicePrivateDns.privateDns(tx.world(), s.ownerId(), cmd.privateDnsName());
        }
        boolean acceptance = cmd.acceptanceRequired() != null ? cmd.acceptanceRequired() : s.acceptanceRequired();
        return tx.put(s.withSettings(arns, zones, acceptance, ipTypes, regions, dns));
    }

    /** Deletes services one by one; one with live connections, or not the caller's, is reported instead. */
    public static List<Failure> delete(Tx tx, List<EndpointServiceId> ids) {
        List<Failure> failures = new ArrayList<>();
        for (EndpointServiceId serviceId : new LinkedHashSet<>(ids)) {
            String id = serviceId.value();
            EndpointService s;
            try {
                s = requireOwned(tx.world(), tx.caller(), serviceId);
            } catch (AwsException e) {
                failures.add(Failure.of(id, e));
                continue;
            }
            if (!EndpointConnections.activeConnections(tx.world(), s).isEmpty()) {
                failures.add(new Failure(id, ErrorCode.EXISTING_VPC_ENDPOINT_CONNECTIONS.wire(), String.format(
                        "Service %s has existing VPC endpoint connections; reject them before deleting it.", id)));
                continue;
            }
            for (ConnectionNotification n : ConnectionNotifications.NOTIFICATIONS_BY_SERVICE.get(tx.world(),
                    serviceId)) {
                tx.remove(n);
            }
            tx.remove(s);
        }
        return failures;
    }

    /** The caller's service, or AWS's Malformed / NotFound error. */
    public static EndpointService requireOwned(World world, Caller caller, EndpointServiceId id) {
        if (ResourceId.absent(id)) {
            throw Ec2Errors.missingParameter("ServiceId");
        }
        Ids.require("vpce-svc", id.value(), ErrorCode.INVALID_VPC_ENDPOINT_SERVICE_ID_MALFORMED);
        return world.find(EndpointService.class, id).filter(s -> Visibility.owns(caller, s))
                .orElseThrow(() -> ErrorCode.INVALID_VPC_ENDPOINT_SERVICE_ID_NOT_FOUND.format(
                        "The Vpc Endpoint Service Id '%s' does not exist", id));
    }

    /** The caller's services named by {@code ids} (all or one error naming the missing ones, as Describe does). */
    public static List<EndpointService> requireAllOwned(World world, Caller caller, List<EndpointServiceId> ids) {
        List<EndpointService> out = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (EndpointServiceId id : new LinkedHashSet<>(ids)) {
            Ids.require("vpce-svc", id.value(), ErrorCode.INVALID_VPC_ENDPOINT_SERVICE_ID_MALFORMED);
            world.find(EndpointService.class, id).filter(s -> Visibility.owns(caller, s))
                    .ifPresentOrElse(out::add, () -> missing.add(id.value()));
        }
        if (!missing.isEmpty()) {
            throw ErrorCode.INVALID_VPC_ENDPOINT_SERVICE_ID_NOT_FOUND.format(
                    "The Vpc Endpoint Service Id '%s' does not exist", String.join(", ", missing));
        }
        return out;
    }

    /** The services that use a load balancer; ELBv2 refuses to delete it while there are any. */
    public static List<EndpointService> usingLoadBalancer(World world, String arn) {
        return List.copyOf(BY_LOAD_BALANCER.get(world, arn));
    }

    private static void checkNlbArnShape(String arn) {
        if (arn != null && GWLB_ARN.matcher(arn).matches()) {
            throw ErrorCode.INVALID_NETWORK_LOAD_BALANCER_ARN_MALFORMED.format("'%s' is a Gateway Load Balancer ARN, "
                    + "not a Network Load Balancer ARN (and underpass does not emulate Gateway Load Balancers).", arn);
        }
        if (arn != null && arn.matches("arn:aws[a-z-]*:elasticloadbalancing:.*:loadbalancer/app/.*")) {
            // Endpoint services front Network (and Gateway) Load Balancers only; an ALB is offered through an NLB
            // with a target group of type 'alb'.
            throw ErrorCode.INVALID_NETWORK_LOAD_BALANCER_ARN_MALFORMED.format("'%s' is an Application Load Balancer"
                    + " ARN, not a Network Load Balancer ARN; put the ALB behind an NLB (target type 'alb')", arn);
        }
        if (arn == null || !NLB_ARN.matcher(arn).matches()) {
            throw ErrorCode.INVALID_NETWORK_LOAD_BALANCER_ARN_MALFORMED.format(
                    "Invalid Network Load Balancer ARN: '%s'", arn);
        }
    }

    private static List<ServiceLoadBalancer> loadBalancers(Tx tx, List<String> arns) {
        List<ServiceLoadBalancer> out = new ArrayList<>();
        for (String arn : arns) {
            checkNlbArnShape(arn);
            ServiceLoadBalancer lb = tx.world().findAny(arn)
                    .filter(r -> r instanceof ServiceLoadBalancer)
                    .map(ServiceLoadBalancer.class::cast)
                    .filter(l -> Visibility.owns(tx.caller(), l))
                    .orElseThrow(() -> ErrorCode.INVALID_NETWORK_LOAD_BALANCER_ARN_NOT_FOUND.format(
                            "The Network Load Balancer ARN '%s' does not exist", arn));
            out.add(lb);
        }
        return out;
    }

    /** The union of the load balancers' zones, in zone-name order. */
    private static List<EndpointService.Zone> zonesOf(List<ServiceLoadBalancer> lbs) {
        Map<String, EndpointService.Zone> byId = new LinkedHashMap<>();
        for (ServiceLoadBalancer lb : lbs) {
            for (EndpointService.Zone z : lb.serviceZones()) {
                byId.putIfAbsent(z.zoneId(), z);
            }
        }
        List<EndpointService.Zone> out = new ArrayList<>(byId.values());
        out.sort(Comparator.comparing(EndpointService.Zone::name));
        return out;
    }

    /** Network Load Balancers in underpass are IPv4 only, so a service can offer only {@code ipv4}. */
    private static List<IpFamily> ipAddressTypes(List<String> requested, List<String> arns) {
        List<IpFamily> out = new ArrayList<>();
        for (String name : new LinkedHashSet<>(requested)) {
            IpFamily t = AwsNamed.find(IpFamily.values(), name);
            if (t == null) {
                throw Ec2Errors.invalidValue(name, "SupportedIpAddressType", "Valid values: ipv4, ipv6.");
            }
            if (t == IpFamily.IPV6) {
                throw ErrorCode.INVALID_PARAMETER.format("Supported IP address type ipv6 requires every Network Load "
                        + "Balancer of the service to be dualstack, and %s is ipv4 only.", arns.get(0));
            }
            out.add(t);
        }
        return out;
    }

    private static void addRegions(List<String> regions, List<String> add) {
        for (String r : new LinkedHashSet<>(add)) {
            if (!Regions.exists(r)) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format("The Region '%s' is not valid for SupportedRegion.", r);
            }
            if (!regions.contains(r)) {
                regions.add(r);
            }
        }
    }

    public static void modifyPayerResponsibility(Tx tx, EndpointServiceId serviceId, String payer) {
        EndpointService s = requireOwned(tx.world(), tx.caller(), serviceId);
        if (payer == null || payer.isEmpty()) {
            throw Ec2Errors.missingParameter("PayerResponsibility");
        }
        if (!payer.equals("ServiceOwner")) {
            throw Ec2Errors.invalidValue(payer, "PayerResponsibility", "Valid values: ServiceOwner.");
        }
        tx.put(s.withPayerResponsibility(payer));
    }

    /** Kept here for the control endpoint; see {@link ServicePrivateDns#preapprove(Tx, String, String, boolean)}. */
    public static String preapprove(Tx tx, EndpointServiceId serviceId, String domain, boolean ownerOnly) {
        return ServicePrivateDns.preapprove(tx, serviceId, domain, ownerOnly);
    }

    /** Kept here for the control endpoint; see {@link ConnectionNotifications#events}. */
    public static List<ConnectionEvent> events(World world, EndpointServiceId serviceId, VpcEndpointId endpointId) {
        return ConnectionNotifications.events(world, serviceId, endpointId);
    }
}
