package dev.underpass.model.ec2;

import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Index;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.sts.Principal;
import dev.underpass.model.sts.Principals;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who may see and connect to an endpoint service: the allowed principals of a service (account root, user, role,
 * {@code *}, service principals, organizational units) and how they match a caller, in the service's region or
 * in a region the provider added. A consumer that may not see a service is told it does not exist.
 */
public final class ServicePermissions {
    private static final Index<EndpointService, String> BY_REGION =
            Index.by(EndpointService.class, EndpointService::region);

    private static final Pattern SERVICE_NAME = Pattern.compile(
            "com\\.amazonaws\\.vpce\\.([a-z0-9-]+)\\.(vpce-svc-[0-9a-f]{8,17})");
    private static final Pattern SERVICE_PRINCIPAL = Pattern.compile("[a-z0-9][a-z0-9.-]*\\.amazonaws\\.com");
    private static final Pattern ORGANIZATION_UNIT = Pattern.compile(
            "arn:aws:organizations::\\d{12}:ou/o-[a-z0-9]{10,32}/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}");
    private static final Pattern ORGANIZATION = Pattern.compile(
            "arn:aws:organizations::\\d{12}:organization/o-[a-z0-9]{10,32}");

    private ServicePermissions() {}

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
            case null, default -> {
            }
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
    public static List<ServicePermission> modifyPermissions(Tx tx, EndpointServiceId serviceId, List<String> add,
            List<String> remove) {
        EndpointService s = EndpointServices.requireOwned(tx.world(), tx.caller(), serviceId);
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
            ServicePermission perm = new ServicePermission(
                    new ServicePermissionId(Ids.next(ServicePermissionId.PREFIX)), p, types.get(p), Map.of());
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
        return s.region().equals(serviceRegion) && s.state() == EndpointService.State.AVAILABLE
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

}
