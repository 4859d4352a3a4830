package dev.underpass.model.ec2;

import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Index;
import dev.underpass.model.Regions;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.sts.Principal;
import dev.underpass.model.sts.Principals;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
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
    public static final String CONNECT = "Connect";
    public static final String ACCEPT = "Accept";
    public static final String REJECT = "Reject";
    public static final String DELETE = "Delete";
    private static final List<String> EVENTS = List.of(ACCEPT, CONNECT, DELETE, REJECT);
    private static final Index<ConnectionNotification, String> NOTIFICATIONS_BY_SERVICE =
            Index.by(ConnectionNotification.class, ConnectionNotification::serviceId);
    private static final Index<ConnectionNotification, String> NOTIFICATIONS_BY_ENDPOINT =
            Index.by(ConnectionNotification.class, ConnectionNotification::vpcEndpointId);
    private static final Index<EndpointService, String> BY_LOAD_BALANCER =
            Index.byEach(EndpointService.class, EndpointService::networkLoadBalancerArns);
    private static final Index<EndpointService, String> BY_REGION =
            Index.by(EndpointService.class, EndpointService::region);

    private static final Pattern NLB_ARN = Pattern.compile(
            "arn:aws[a-z-]*:elasticloadbalancing:([a-z0-9-]+):(\\d{12}):loadbalancer/net/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}");
    private static final Pattern GWLB_ARN = Pattern.compile(
            "arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\\d{12}:loadbalancer/gwy/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}");
    private static final Pattern SERVICE_NAME = Pattern.compile(
            "com\\.amazonaws\\.vpce\\.([a-z0-9-]+)\\.(vpce-svc-[0-9a-f]{8,17})");
    private static final Pattern SERVICE_PRINCIPAL = Pattern.compile("[a-z0-9][a-z0-9.-]*\\.amazonaws\\.com");
    private static final Pattern ORGANIZATION_UNIT = Pattern.compile(
            "arn:aws:organizations::\\d{12}:ou/o-[a-z0-9]{10,32}/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}");
    private static final Pattern ORGANIZATION = Pattern.compile(
            "arn:aws:organizations::\\d{12}:organization/o-[a-z0-9]{10,32}");
    private static final Pattern SNS_TOPIC = Pattern.compile("arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?=.{1,255}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}\\.?");
    private static final String LOWER = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String MIXED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final RandomGenerator RANDOM = Ids.generator(); // The current transaction's source.
    /** Orders events written in the same millisecond; the time prefix orders them across restarts. */
    private static final AtomicLong SEQUENCE = new AtomicLong();

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
    public record Modify(String serviceId, String privateDnsName, boolean removePrivateDnsName,
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
        List<String> ipTypes = ipAddressTypes(cmd.supportedIpAddressTypes().isEmpty() ? List.of("ipv4")
                : cmd.supportedIpAddressTypes(), arns);
        List<String> regions = new ArrayList<>();
        regions.add(caller.region());
        addRegions(regions, cmd.supportedRegions());
        String id = Ids.next("vpce-svc");
        EndpointService.PrivateDns dns = cmd.privateDnsName() == null || cmd.privateDnsName().isEmpty() ? null
                : privateDns(tx.world(), caller.accountId(), cmd.privateDnsName());
        boolean acceptance = cmd.acceptanceRequired() == null || cmd.acceptanceRequired();
        return tx.put(new EndpointService(id, caller.accountId(), caller.region(),
                "com.amazonaws.vpce." + caller.region() + "." + id, EndpointService.AVAILABLE, arns, zones,
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
            if (!activeConnections(tx.world(), s).isEmpty()) {
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
        List<String> ipTypes = new ArrayList<>(s.supportedIpAddressTypes());
        for (String t : ipAddressTypes(cmd.addSupportedIpAddressTypes(), arns)) {
            if (!ipTypes.contains(t)) {
                ipTypes.add(t);
            }
        }
        for (String t : cmd.removeSupportedIpAddressTypes()) {
            ipTypes.remove(t);
        }
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
            dns = privateDns(tx.world(), s.ownerId(), cmd.privateDnsName());
        }
        boolean acceptance = cmd.acceptanceRequired() != null ? cmd.acceptanceRequired() : s.acceptanceRequired();
        return tx.put(s.withSettings(arns, zones, acceptance, ipTypes, regions, dns));
    }

    /** Deletes services one by one; one with live connections, or not the caller's, is reported instead. */
    public static List<Failure> delete(Tx tx, List<String> ids) {
        List<Failure> failures = new ArrayList<>();
        for (String id : new LinkedHashSet<>(ids)) {
            EndpointService s;
            try {
                s = requireOwned(tx.world(), tx.caller(), id);
            } catch (AwsException e) {
                failures.add(Failure.of(id, e));
                continue;
            }
            if (!activeConnections(tx.world(), s).isEmpty()) {
                failures.add(new Failure(id, ErrorCode.EXISTING_VPC_ENDPOINT_CONNECTIONS.wire(), String.format(
                        "Service %s has existing VPC endpoint connections; reject them before deleting it.", id)));
                continue;
            }
            for (ConnectionNotification n : NOTIFICATIONS_BY_SERVICE.get(tx.world(), id)) {
                tx.remove(n);
            }
            tx.remove(s);
        }
        return failures;
    }

    /** The caller's service, or AWS's Malformed / NotFound error. */
    public static EndpointService requireOwned(World world, Caller caller, String id) {
        if (id == null || id.isEmpty()) {
            throw ErrorCode.MISSING_PARAMETER.with("The request must contain the parameter ServiceId");
        }
        Ids.require("vpce-svc", id, ErrorCode.INVALID_VPC_ENDPOINT_SERVICE_ID_MALFORMED);
        return world.find(EndpointService.class, id).filter(s -> Visibility.owns(caller, s))
                .orElseThrow(() -> ErrorCode.INVALID_VPC_ENDPOINT_SERVICE_ID_NOT_FOUND.format(
                        "The Vpc Endpoint Service Id '%s' does not exist", id));
    }

    /** The caller's services named by {@code ids} (all or one error naming the missing ones, as Describe does). */
    public static List<EndpointService> requireAllOwned(World world, Caller caller, List<String> ids) {
        List<EndpointService> out = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String id : new LinkedHashSet<>(ids)) {
            Ids.require("vpce-svc", id, ErrorCode.INVALID_VPC_ENDPOINT_SERVICE_ID_MALFORMED);
            world.find(EndpointService.class, id).filter(s -> Visibility.owns(caller, s))
                    .ifPresentOrElse(out::add, () -> missing.add(id));
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
    private static List<String> ipAddressTypes(List<String> requested, List<String> arns) {
        List<String> out = new ArrayList<>();
        for (String t : new LinkedHashSet<>(requested)) {
            if (!t.equals("ipv4") && !t.equals("ipv6")) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                        "Value (%s) for parameter SupportedIpAddressType is invalid. Valid values: ipv4, ipv6.", t);
            }
            if (t.equals("ipv6")) {
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

    // ---------------------------------------------------------------------------------------------------------
    // Private DNS names.

    private static EndpointService.PrivateDns privateDns(World world, String owner, String name) {
        if (!DOMAIN.matcher(name).matches()) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format("The private DNS name '%s' is not a valid domain name.",
                    name);
        }
        String state = isPreapproved(world, owner, name) ? EndpointService.PrivateDns.VERIFIED
                : EndpointService.PrivateDns.PENDING_VERIFICATION;
        return new EndpointService.PrivateDns(name, state, "_" + random(LOWER, 20), "vpce:" + random(MIXED, 20));
    }

    /**
     * Whether the name, or a domain it is under, was marked verified through the control endpoint, for every account
     * or for {@code owner}'s services.
     */
    static boolean isPreapproved(World world, String owner, String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        if (n.startsWith("*.")) {
            n = n.substring(2);
        }
        while (true) {
            if (world.find(VerifiedDomain.class, VerifiedDomain.idFor(n)).isPresent()
                    || world.find(VerifiedDomain.class, VerifiedDomain.idFor(owner, n)).isPresent()) {
                return true;
            }
            int dot = n.indexOf('.');
            if (dot < 0) {
                return false;
            }
            n = n.substring(dot + 1);
        }
    }

    /**
     * StartVpcEndpointServicePrivateDnsVerification: without public DNS to query, the check succeeds when the domain
     * was pre-approved ({@link #preapprove}); otherwise the name stays {@code pendingVerification}.
     */
    public static void startVerification(Tx tx, String serviceId) {
        EndpointService s = requireOwned(tx.world(), tx.caller(), serviceId);
        if (s.privateDns() == null) {
            throw ErrorCode.INVALID_PARAMETER.format("Service %s does not have a private DNS name to verify.", s.id());
        }
        if (!s.privateDns().state().equals(EndpointService.PrivateDns.VERIFIED)
                && isPreapproved(tx.world(), s.ownerId(), s.privateDns().name())) {
            tx.put(s.withPrivateDns(s.privateDns().withState(EndpointService.PrivateDns.VERIFIED)));
        }
    }

    /**
     * The underpass stand-in for publishing the TXT record: records {@code domain} (or the private DNS name of
     * service {@code serviceId}) as proven for the services of every account. Returns the domain recorded.
     */
    public static String preapprove(Tx tx, String serviceId, String domain) {
        return preapprove(tx, serviceId, domain, false);
    }

    /**
     * {@link #preapprove(Tx, String, String)}, with {@code ownerOnly} recording the domain as proven for the
     * services of its owner's account only (the caller's, or the service's owner), as a SigV4-signed control call
     * does, so one account's proof never verifies another account's names.
     */
    public static String preapprove(Tx tx, String serviceId, String domain, boolean ownerOnly) {
        String name = domain;
        String owner = tx.caller().accountId();
        if (serviceId != null) {
            EndpointService s = tx.find(EndpointService.class, serviceId).orElseThrow(() ->
                    ErrorCode.INVALID_VPC_ENDPOINT_SERVICE_ID_NOT_FOUND.format(
                            "The Vpc Endpoint Service Id '%s' does not exist", serviceId));
            if (s.privateDns() == null) {
                throw ErrorCode.INVALID_PARAMETER.format("Service %s has no private DNS name.", serviceId);
            }
            name = s.privateDns().name();
            owner = s.ownerId();
        }
        if (name == null || !DOMAIN.matcher(name.startsWith("*.") ? name.substring(2) : name).matches()) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format("'%s' is not a valid domain name.", name);
        }
        String bare = name.startsWith("*.") ? name.substring(2) : name;
        String id = ownerOnly ? VerifiedDomain.idFor(owner, bare) : VerifiedDomain.idFor(bare);
        tx.put(new VerifiedDomain(id, owner, "global", tx.now()));
        return bare;
    }

    public static void modifyPayerResponsibility(Tx tx, String serviceId, String payer) {
        EndpointService s = requireOwned(tx.world(), tx.caller(), serviceId);
        if (payer == null || payer.isEmpty()) {
            throw ErrorCode.MISSING_PARAMETER.with("The request must contain the parameter PayerResponsibility");
        }
        if (!payer.equals("ServiceOwner")) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                    "Value (%s) for parameter PayerResponsibility is invalid. Valid values: ServiceOwner.", payer);
        }
        tx.put(s.withPayerResponsibility(payer));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Permissions and visibility.

    /** AWS's classification of a principal, or its error for one it does not accept. */
    public static String principalType(String principal) {
        if (principal == null || principal.isEmpty()) {
            throw ErrorCode.INVALID_PRINCIPAL.format("Invalid Principal: '%s'", principal);
        }
        if (principal.equals("*")) {
            return ServicePermission.ALL;
        }
        // Users and roles are accepted without a path only.
        switch (Principal.parse(principal).orElse(null)) {
            case Principal.Root r -> {
                return ServicePermission.ACCOUNT;
            }
            case Principal.User u when u.path().isEmpty() -> {
                return ServicePermission.USER;
            }
            case Principal.Role r when r.path().isEmpty() -> {
                return ServicePermission.ROLE;
            }
            case null, default -> { }
        }
        if (SERVICE_PRINCIPAL.matcher(principal).matches()) {
            return ServicePermission.SERVICE;
        }
        if (ORGANIZATION_UNIT.matcher(principal).matches()) {
            return ServicePermission.ORGANIZATION_UNIT;
        }
        if (ORGANIZATION.matcher(principal).matches()) {
            throw ErrorCode.UNKNOWN_PRINCIPAL_TYPE_UNSUPPORTED.format(
                    "Principal type of '%s' is not supported; allow its organizational units instead.", principal);
        }
        throw ErrorCode.INVALID_PRINCIPAL.format("Invalid Principal: '%s'", principal);
    }

    /**
     * ModifyVpcEndpointServicePermissions: removes, then adds, principals; returns the added ones (a principal
     * already allowed keeps its permission id and is not added twice).
     */
    public static List<ServicePermission> modifyPermissions(Tx tx, String serviceId, List<String> add,
            List<String> remove) {
        EndpointService s = requireOwned(tx.world(), tx.caller(), serviceId);
        List<String> adding = add == null ? List.of() : List.copyOf(new LinkedHashSet<>(add));
        List<String> removing = remove == null ? List.of() : List.copyOf(new LinkedHashSet<>(remove));
        Map<String, String> types = new LinkedHashMap<>();
        for (String p : adding) {
            types.put(p, principalType(p));
        }
        for (String p : removing) {
            principalType(p);
        }
        List<ServicePermission> permissions = new ArrayList<>(s.permissions());
        permissions.removeIf(p -> removing.contains(p.principal()));
        List<ServicePermission> added = new ArrayList<>();
        for (String p : adding) {
            Optional<ServicePermission> existing = permissions.stream().filter(x -> x.principal().equals(p))
                    .findFirst();
            if (existing.isPresent()) {
                added.add(existing.get());
                continue;
            }
            ServicePermission perm = new ServicePermission(Ids.next("vpce-svc-perm"), p, types.get(p), Map.of());
            permissions.add(perm);
            added.add(perm);
        }
        tx.put(s.withPermissions(permissions));
        return added;
    }

    /**
     * Whether an allowed principal of the service matches the caller's principal (the owner's account always may):
     * {@code *} matches everyone, an account's root ARN every principal of that account, a user ARN that user, and
     * a role ARN every session of that role. Service principals and organizational units never match an account's
     * caller here.
     */
    public static boolean allowed(EndpointService s, Caller caller) {
        if (s.ownerId().equals(caller.accountId())) {
            return true;
        }
        for (ServicePermission p : s.permissions()) {
            switch (p.principalType()) {
                case ServicePermission.ALL, ServicePermission.ACCOUNT, ServicePermission.USER,
                        ServicePermission.ROLE -> {
                    if (Principals.covers(p.principal(), caller.accountId(), caller.principalArn())) {
                        return true;
                    }
                }
                default -> {
                    // Service principals and organizational units: not an account's caller.
                }
            }
        }
        return false;
    }

    /**
     * Whether the caller, asking about services of {@code serviceRegion}, may see {@code s}: it must be allowed,
     * available, in that region, and reachable from the caller's region.
     */
    public static boolean visible(EndpointService s, Caller caller, String serviceRegion) {
        return s.region().equals(serviceRegion) && EndpointService.AVAILABLE.equals(s.state())
                && s.supportedRegions().contains(caller.region()) && allowed(s, caller);
    }

    /** Every service the caller may see among those of {@code serviceRegion}, in id order. */
    public static List<EndpointService> visibleServices(World world, Caller caller, String serviceRegion) {
        // Other accounts' services are listed by design (those that allow the caller); only one region's are read.
        return BY_REGION.get(world, serviceRegion, s -> visible(s, caller, serviceRegion));
    }

    /** Whether a service name has the customer form {@code com.amazonaws.vpce.<region>.vpce-svc-…}. */
    public static boolean isCustomerServiceName(String name) {
        return name != null && SERVICE_NAME.matcher(name).matches();
    }

    /** The service a consumer names, if it may see it; else {@code InvalidServiceName} as for an unknown name. */
    public static EndpointService requireVisible(World world, Caller caller, String serviceName,
            String serviceRegion) {
        Matcher m = SERVICE_NAME.matcher(serviceName == null ? "" : serviceName);
        AwsException unknown = ErrorCode.INVALID_SERVICE_NAME.format(
                "The Vpc Endpoint Service '%s' does not exist", serviceName);
        if (!m.matches()) {
            throw unknown;
        }
        String region = serviceRegion != null ? serviceRegion : caller.region();
        return world.find(EndpointService.class, m.group(2))
                .filter(s -> s.serviceName().equals(serviceName) && visible(s, caller, region))
                .orElseThrow(() -> unknown);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Connections.

    /** The endpoints connected to a service that block its deletion: any not rejected (or failed, or deleted). */
    public static List<VpcEndpoint> activeConnections(World world, EndpointService s) {
        return Scoped.ENDPOINTS_BY_SERVICE.get(world, s.id(), e -> switch (e.state()) {
            case VpcEndpoint.PENDING_ACCEPTANCE, VpcEndpoint.PENDING, VpcEndpoint.AVAILABLE -> true;
            default -> false;
        });
    }

    /** Every endpoint connected to one of the caller's services in its region, in endpoint-id order. */
    public static List<VpcEndpoint> connections(World world, Caller caller) {
        List<VpcEndpoint> out = new ArrayList<>();
        for (EndpointService s : Scoped.owned(world, caller, EndpointService.class)) {
            out.addAll(Scoped.endpointsOf(world, s.id()));
        }
        out.sort(java.util.Comparator.comparing(VpcEndpoint::id));
        return out;
    }

    /** The connection id AWS shows for an endpoint; derived from the endpoint id, so it needs no storage. */
    public static String connectionId(VpcEndpoint e) {
        return "vpce-con-" + e.id().substring("vpce-".length());
    }

    /** A CreateVpcEndpoint to a customer service; {@code serviceRegion} is null for the caller's own region. */
    public static VpcEndpoint connect(Tx tx, Quotas quotas, VpcEndpoints.Create cmd, String serviceRegion) {
        Caller caller = tx.caller();
        String type = cmd.type() == null || cmd.type().isEmpty() ? VpcEndpoint.GATEWAY : cmd.type();
        Vpc vpc = Lookup.requireOwned(tx.world(), caller, Kind.VPC, Vpc.class, cmd.vpcId());
        EndpointService service = requireVisible(tx.world(), caller, cmd.serviceName(), serviceRegion);
        if (!type.equals(VpcEndpoint.INTERFACE)) {
            throw ErrorCode.INVALID_PARAMETER.format(
                    "Endpoint type (%s) does not match available service types ([Interface]).", type);
        }
        if (!cmd.routeTableIds().isEmpty()) {
            throw ErrorCode.INVALID_PARAMETER.with("Route tables can be specified only for Gateway endpoints.");
        }
        long inVpc = Scoped.inVpc(tx.world(), VpcEndpoint.class, vpc.id(), e -> !e.isGateway()).size();
        if (inVpc >= quotas.interfaceEndpointsPerVpc()) {
            throw ErrorCode.VPC_ENDPOINT_LIMIT_EXCEEDED.format(
                    "The maximum number of interface VPC endpoints (%d) in VPC %s has been reached.",
                    quotas.interfaceEndpointsPerVpc(), vpc.id());
        }
        List<Subnet> subnets = VpcEndpoints.subnets(tx, vpc, cmd.subnetIds(), List.of());
        String ipType = cmd.ipAddressType() != null ? cmd.ipAddressType()
                : VpcEndpoints.defaultIpAddressType(subnets, service.supportedIpAddressTypes());
        checkZones(service, subnets, caller);
        VpcEndpoints.checkIpAddressType(ipType, subnets);
        VpcEndpoints.checkServiceSupports(ipType, service.supportedIpAddressTypes(), service.id());
        String recordIpType = VpcEndpoints.recordIpType(ipType, cmd.dnsRecordIpType(), null, null);
        boolean verified = service.privateDns() != null
                && service.privateDns().state().equals(EndpointService.PrivateDns.VERIFIED);
        boolean privateDns = cmd.privateDnsEnabled() != null ? cmd.privateDnsEnabled() : verified;
        if (privateDns) {
            checkPrivateDns(tx, vpc, service, null);
        }
        List<String> groups = VpcEndpoints.groups(tx, quotas, vpc, cmd.securityGroupIds());
        String policy = cmd.policyDocument() == null ? VpcEndpoints.DEFAULT_INTERFACE_POLICY : cmd.policyDocument();
        String state = service.acceptanceRequired() ? VpcEndpoint.PENDING_ACCEPTANCE : VpcEndpoint.PENDING;
        String id = Ids.next("vpce");
        VpcEndpoint endpoint = new VpcEndpoint(id, caller.accountId(), caller.region(), vpc.id(),
                service.serviceName(), service.id(), service.ownerId(), VpcEndpoint.INTERFACE, state, tx.now(),
                policy, List.of(), List.of(), List.of(), groups, false, ipType,
                new VpcEndpoint.DnsOptions(recordIpType, null),
                VpcEndpoints.dnsToken(), "Z" + Ids.hex(20).toUpperCase(java.util.Locale.ROOT).substring(0, 13),
                List.of(), tx.now(), cmd.tags());
        List<String> enis = new ArrayList<>();
        for (Subnet s : subnets) {
            enis.add(VpcEndpoints.createInterface(tx, quotas, endpoint, s, groups).id());
        }
        VpcEndpoint done = withDnsEntries(tx.world(), service, endpoint.withInterfaces(
                subnets.stream().map(Subnet::id).toList(), enis, groups, privateDns, endpoint.dnsOptions(),
                List.of()));
        tx.put(done);
        emit(tx, CONNECT, service, done);
        return done;
    }

    /** Consumer subnets must be in zones the service offers, matched by zone id (names differ between accounts). */
    private static void checkZones(EndpointService service, List<Subnet> subnets, Caller caller) {
        if (!service.region().equals(caller.region())) {
            // A cross-region endpoint reaches the service over the AWS backbone; any zone of the caller's region.
            return;
        }
        for (Subnet s : subnets) {
            if (!service.zoneIds().contains(s.availabilityZoneId())) {
                throw ErrorCode.INVALID_PARAMETER.format("The VPC endpoint service %s does not support the "
                        + "availability zone of the subnet: %s (%s, zone id %s). Supported zone ids: %s.",
                        service.id(), s.id(), s.availabilityZone(), s.availabilityZoneId(),
                        String.join(", ", service.zoneIds()));
            }
        }
    }

    private static void checkPrivateDns(Tx tx, Vpc vpc, EndpointService service, String exceptEndpoint) {
        if (service.privateDns() == null
                || !service.privateDns().state().equals(EndpointService.PrivateDns.VERIFIED)) {
            throw ErrorCode.INVALID_PARAMETER.format("Private DNS can't be enabled because the service %s does not "
                    + "provide a verified private DNS name.", service.serviceName());
        }
        if (!vpc.enableDnsSupport() || !vpc.enableDnsHostnames()) {
            throw ErrorCode.INVALID_PARAMETER.format("Enabling private DNS requires both enableDnsSupport and "
                    + "enableDnsHostnames VPC attributes set to true for %s", vpc.id());
        }
        boolean conflict = !Scoped.inVpc(tx.world(), VpcEndpoint.class, vpc.id(), e -> e.privateDnsEnabled()
                && !e.id().equals(exceptEndpoint) && service.serviceName().equals(e.serviceName())).isEmpty();
        if (conflict) {
            throw ErrorCode.INVALID_PARAMETER.format("private-dns-enabled cannot be set because there is already a "
                    + "conflicting DNS domain for %s in the VPC %s", service.privateDns().name(), vpc.id());
        }
    }

    /**
     * DNS entries of an endpoint to a customer service: the Regional name, one zonal name per subnet, then (with
     * private DNS) the service's private DNS name in the endpoint's private hosted zone.
     */
    private static VpcEndpoint withDnsEntries(World world, EndpointService service, VpcEndpoint e) {
        String hostedZone = AwsServices.endpointHostedZone(e.region());
        String suffix = "." + service.id() + "." + service.region() + ".vpce.amazonaws.com";
        String base = e.id() + "-" + e.dnsToken();
        List<VpcEndpoint.DnsEntry> entries = new ArrayList<>();
        entries.add(new VpcEndpoint.DnsEntry(base + suffix, hostedZone));
        for (String subnetId : e.subnetIds()) {
            world.find(Subnet.class, subnetId).ifPresent(s -> entries.add(
                    new VpcEndpoint.DnsEntry(base + "-" + s.availabilityZone() + suffix, hostedZone)));
        }
        if (e.privateDnsEnabled() && service.privateDns() != null) {
            entries.add(new VpcEndpoint.DnsEntry(service.privateDns().name(), e.privateHostedZoneId()));
        }
        return e.withInterfaces(e.subnetIds(), e.networkInterfaceIds(), e.groupIds(), e.privateDnsEnabled(),
                e.dnsOptions(), entries);
    }

    /**
     * ModifyVpcEndpoint on an endpoint to a customer service: policy, security groups, subnets (in the service's
     * zones) and private DNS. IP address type and DNS options of such endpoints cannot be changed in underpass.
     */
    static VpcEndpoint modifyEndpoint(Tx tx, Quotas quotas, VpcEndpoint endpoint, VpcEndpoints.Modify cmd) {
        if (!cmd.addRouteTableIds().isEmpty() || !cmd.removeRouteTableIds().isEmpty()) {
            throw ErrorCode.INVALID_PARAMETER.format(
                    "Endpoint %s is an Interface endpoint; route tables apply only to Gateway endpoints.",
                    endpoint.id());
        }
        if (cmd.ipAddressType() != null || cmd.dnsRecordIpType() != null
                || cmd.privateDnsOnlyForInboundResolverEndpoint() != null) {
            throw ErrorCode.UNSUPPORTED_OPERATION.format("underpass cannot change the IP address type or DNS options "
                    + "of endpoint %s to an endpoint service.", endpoint.id());
        }
        if (cmd.resetPolicy() && cmd.policyDocument() != null) {
            throw ErrorCode.INVALID_PARAMETER_COMBINATION.with(
                    "The parameters PolicyDocument and ResetPolicy cannot be used together.");
        }
        VpcEndpoint e = endpoint;
        if (cmd.policyDocument() != null) {
            e = e.withPolicyDocument(cmd.policyDocument());
        } else if (cmd.resetPolicy()) {
            e = e.withPolicyDocument(VpcEndpoints.DEFAULT_INTERFACE_POLICY);
        }
        Vpc vpc = tx.find(Vpc.class, e.vpcId()).orElseThrow();
        EndpointService service = tx.find(EndpointService.class, e.serviceId()).orElse(null);
        List<String> groups = new ArrayList<>(e.groupIds());
        for (String g : new LinkedHashSet<>(cmd.removeSecurityGroupIds())) {
            Lookup.require(tx.world(), tx.caller(), Kind.SECURITY_GROUP, SecurityGroup.class, g);
            groups.remove(g);
        }
        for (String g : VpcEndpoints.groups(tx, quotas, vpc, cmd.addSecurityGroupIds().isEmpty() ? List.of()
                : cmd.addSecurityGroupIds())) {
            if (!cmd.addSecurityGroupIds().isEmpty() && !groups.contains(g)) {
                groups.add(g);
            }
        }
        if (groups.isEmpty()) {
            throw ErrorCode.INVALID_PARAMETER.format("Endpoint %s must keep at least one security group.", e.id());
        }
        List<String> subnetIds = new ArrayList<>(e.subnetIds());
        List<String> enis = new ArrayList<>(e.networkInterfaceIds());
        for (String s : new LinkedHashSet<>(cmd.removeSubnetIds())) {
            Lookup.requireOwned(tx.world(), tx.caller(), Kind.SUBNET, Subnet.class, s);
            int at = subnetIds.indexOf(s);
            if (at >= 0) {
                subnetIds.remove(at);
                tx.find(NetworkInterface.class, enis.remove(at)).ifPresent(tx::remove);
            }
        }
        List<Subnet> kept = subnetIds.stream().map(id -> tx.find(Subnet.class, id).orElseThrow()).toList();
        List<Subnet> added = VpcEndpoints.subnets(tx, vpc, cmd.addSubnetIds().stream()
                .filter(s -> !subnetIds.contains(s)).toList(), kept);
        if (service != null) {
            checkZones(service, added, tx.caller());
        }
        for (String eniId : enis) {
            tx.find(NetworkInterface.class, eniId).ifPresent(n -> {
                if (!n.groupIds().equals(groups)) {
                    tx.put(n.withGroupIds(groups));
                }
            });
        }
        for (Subnet s : added) {
            subnetIds.add(s.id());
            enis.add(VpcEndpoints.createInterface(tx, quotas, e, s, groups).id());
        }
        boolean privateDns = cmd.privateDnsEnabled() != null ? cmd.privateDnsEnabled() : e.privateDnsEnabled();
        if (privateDns && !e.privateDnsEnabled()) {
            if (service == null) {
                throw ErrorCode.INVALID_PARAMETER.format("The endpoint service of %s no longer exists.", e.id());
            }
            checkPrivateDns(tx, vpc, service, e.id());
        }
        e = e.withInterfaces(subnetIds, enis, groups, privateDns, e.dnsOptions(), e.dnsEntries());
        return service == null ? e : withDnsEntries(tx.world(), service, e);
    }

    /** AcceptVpcEndpointConnections: each endpoint must be connected to the service and wait for acceptance. */
    public static List<Failure> accept(Tx tx, String serviceId, List<String> endpointIds) {
        return decide(tx, serviceId, endpointIds, true);
    }

    /** RejectVpcEndpointConnections: pending or available endpoints become {@code rejected}. */
    public static List<Failure> reject(Tx tx, String serviceId, List<String> endpointIds) {
        return decide(tx, serviceId, endpointIds, false);
    }

    private static List<Failure> decide(Tx tx, String serviceId, List<String> endpointIds, boolean accept) {
        EndpointService service = requireOwned(tx.world(), tx.caller(), serviceId);
        if (endpointIds == null || endpointIds.isEmpty()) {
            throw ErrorCode.MISSING_PARAMETER.with("The request must contain the parameter VpcEndpointId");
        }
        List<Failure> failures = new ArrayList<>();
        for (String id : new LinkedHashSet<>(endpointIds)) {
            if (!Ids.wellFormed("vpce", id)) {
                failures.add(new Failure(id, ErrorCode.INVALID_VPC_ENDPOINT_ID_MALFORMED.wire(),
                        "Invalid id: \"" + id + "\""));
                continue;
            }
            VpcEndpoint e = tx.find(VpcEndpoint.class, id).filter(x -> service.id().equals(x.serviceId()))
                    .orElse(null);
            if (e == null) {
                failures.add(new Failure(id, ErrorCode.INVALID_VPC_ENDPOINT_ID_NOT_FOUND.wire(),
                        "The Vpc Endpoint Id '" + id + "' does not exist"));
                continue;
            }
            if (accept) {
                if (!e.state().equals(VpcEndpoint.PENDING_ACCEPTANCE)) {
                    failures.add(new Failure(id, ErrorCode.INCORRECT_STATE.wire(), String.format("Endpoint %s is in "
                            + "state %s; only endpoints in state pendingAcceptance can be accepted.", id, e.state())));
                    continue;
                }
                VpcEndpoint done = tx.put(e.withState(VpcEndpoint.PENDING, tx.now()));
                emit(tx, ACCEPT, service, done);
            } else {
                if (e.state().equals(VpcEndpoint.REJECTED) || e.state().equals(VpcEndpoint.DELETING)
                        || e.state().equals(VpcEndpoint.DELETED)) {
                    failures.add(new Failure(id, ErrorCode.INCORRECT_STATE.wire(), String.format("Endpoint %s is in "
                            + "state %s and cannot be rejected.", id, e.state())));
                    continue;
                }
                VpcEndpoint done = tx.put(e.withState(VpcEndpoint.REJECTED, tx.now()));
                emit(tx, REJECT, service, done);
            }
        }
        return failures;
    }

    /** Called by DeleteVpcEndpoints for an endpoint to a customer service, before it goes. */
    static void endpointDeleted(Tx tx, VpcEndpoint e) {
        tx.find(EndpointService.class, e.serviceId()).ifPresent(s -> emit(tx, DELETE, s, e.withState(
                VpcEndpoint.DELETED, tx.now())));
        for (ConnectionNotification n : NOTIFICATIONS_BY_ENDPOINT.get(tx.world(), e.id())) {
            tx.remove(n);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Connection notifications and the event log.

    public static ConnectionNotification createNotification(Tx tx, String serviceId, String endpointId,
            String topicArn, List<String> events) {
        Caller caller = tx.caller();
        boolean hasService = serviceId != null && !serviceId.isEmpty();
        boolean hasEndpoint = endpointId != null && !endpointId.isEmpty();
        if (hasService == hasEndpoint) {
            throw hasService ? ErrorCode.INVALID_PARAMETER_COMBINATION.with(
                    "Specify either ServiceId or VpcEndpointId, not both.")
                    : ErrorCode.MISSING_PARAMETER.with("The request must contain the parameter ServiceId or "
                            + "VpcEndpointId");
        }
        if (hasService) {
            requireOwned(tx.world(), caller, serviceId);
        } else {
            VpcEndpoint e = Lookup.requireOwned(tx.world(), caller, Kind.VPC_ENDPOINT, VpcEndpoint.class,
                    endpointId);
            if (!e.isInterface()) {
                throw ErrorCode.INVALID_PARAMETER.format(
                        "Connection notifications are supported for Interface endpoints only; %s is a %s endpoint.",
                        e.id(), e.type());
            }
        }
        List<String> checked = checkNotification(topicArn, events);
        return tx.put(new ConnectionNotification(Ids.next("vpce-nfn"), caller.accountId(), caller.region(),
                hasService ? serviceId : null, hasEndpoint ? endpointId : null, topicArn, checked,
                ConnectionNotification.ENABLED, Map.of()));
    }

    public static void modifyNotification(Tx tx, String id, String topicArn, List<String> events) {
        ConnectionNotification n = requireNotification(tx.world(), tx.caller(), id);
        String arn = topicArn == null || topicArn.isEmpty() ? n.topicArn() : topicArn;
        List<String> ev = events == null || events.isEmpty() ? n.events() : events;
        tx.put(n.withTopic(arn, checkNotification(arn, ev)));
    }

    public static List<Failure> deleteNotifications(Tx tx, List<String> ids) {
        List<Failure> failures = new ArrayList<>();
        for (String id : new LinkedHashSet<>(ids)) {
            try {
                tx.remove(requireNotification(tx.world(), tx.caller(), id));
            } catch (AwsException e) {
                failures.add(Failure.of(id, e));
            }
        }
        return failures;
    }

    public static ConnectionNotification requireNotification(World world, Caller caller, String id) {
        if (id == null || id.isEmpty()) {
            throw ErrorCode.MISSING_PARAMETER.with("The request must contain the parameter ConnectionNotificationId");
        }
        if (!Ids.wellFormed("vpce-nfn", id)) {
            throw ErrorCode.INVALID_CONNECTION_NOTIFICATION.format("Invalid id: \"%s\"", id);
        }
        return world.find(ConnectionNotification.class, id).filter(n -> Visibility.owns(caller, n))
                .orElseThrow(() -> ErrorCode.INVALID_CONNECTION_NOTIFICATION.format(
                        "The connection notification '%s' does not exist", id));
    }

    private static List<String> checkNotification(String topicArn, List<String> events) {
        if (topicArn == null || topicArn.isEmpty()) {
            throw ErrorCode.MISSING_PARAMETER.with("The request must contain the parameter ConnectionNotificationArn");
        }
        if (!SNS_TOPIC.matcher(topicArn).matches()) {
            throw ErrorCode.INVALID_CONNECTION_NOTIFICATION.format("The ARN '%s' is not a valid SNS topic ARN.",
                    topicArn);
        }
        if (events == null || events.isEmpty()) {
            throw ErrorCode.MISSING_PARAMETER.with("The request must contain the parameter ConnectionEvents");
        }
        List<String> out = new ArrayList<>();
        for (String e : new LinkedHashSet<>(events)) {
            if (!EVENTS.contains(e)) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format(
                        "Value (%s) for parameter ConnectionEvents is invalid. Valid values: Accept, Connect, "
                                + "Delete, Reject.", e);
            }
            out.add(e);
        }
        return out;
    }

    /**
     * Appends one event per enabled notification that subscribes to {@code type}: the service's own notifications
     * (provider side) and the endpoint's (consumer side).
     */
    static void emit(Tx tx, String type, EndpointService service, VpcEndpoint endpoint) {
        java.util.TreeMap<String, ConnectionNotification> candidates = new java.util.TreeMap<>();
        NOTIFICATIONS_BY_SERVICE.get(tx.world(), service.id()).forEach(n -> candidates.put(n.id(), n));
        NOTIFICATIONS_BY_ENDPOINT.get(tx.world(), endpoint.id()).forEach(n -> candidates.put(n.id(), n));
        List<ConnectionNotification> subscribed = candidates.values().stream().filter(n ->
                ConnectionNotification.ENABLED.equals(n.state()) && n.events().contains(type)).toList();
        for (ConnectionNotification n : subscribed) {
            Instant now = tx.now();
            String id = String.format("vpce-evt-%013d-%09d", now.toEpochMilli(),
                    SEQUENCE.incrementAndGet() % 1_000_000_000L);
            tx.put(new ConnectionEvent(id, n.ownerId(), n.region(), now, type, service.id(), endpoint.id(),
                    endpoint.ownerId(), endpoint.state(), n.id(), n.topicArn(),
                    message(type, service, endpoint, n, now)));
        }
    }

    /** The JSON AWS would publish: the event, the endpoint and its state, the service, and the notification. */
    private static String message(String type, EndpointService service, VpcEndpoint endpoint,
            ConnectionNotification n, Instant now) {
        return "{\"Event\":\"" + type + "\",\"EventTime\":\"" + now + "\",\"ServiceId\":\"" + service.id()
                + "\",\"ServiceName\":\"" + service.serviceName() + "\",\"VpcEndpointId\":\"" + endpoint.id()
                + "\",\"VpcEndpointOwner\":\"" + endpoint.ownerId() + "\",\"VpcEndpointState\":\"" + endpoint.state()
                + "\",\"VpcEndpointRegion\":\"" + endpoint.region() + "\",\"ConnectionNotificationId\":\"" + n.id()
                + "\",\"ConnectionNotificationArn\":\"" + n.topicArn() + "\"}";
    }

    /** The event log, oldest first; optionally only one service's or one endpoint's events. */
    public static List<ConnectionEvent> events(World world, String serviceId, String endpointId) {
        return world.all(ConnectionEvent.class, e -> (serviceId == null || serviceId.equals(e.serviceId()))
                && (endpointId == null || endpointId.equals(e.vpcEndpointId())));
    }

    private static String random(String alphabet, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
