package dev.underpass.model.ec2;

import dev.underpass.model.PolicyDocument;
import dev.underpass.model.Caller;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.EndpointServices.Failure;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Connections between consumers' interface endpoints and customer endpoint services: creating an endpoint to a
 * service, modifying it, and the provider's acceptance or rejection.
 *
 * <p>Lifecycle of a connection (the consumer's endpoint as the provider sees it): {@code pendingAcceptance} when the
 * service requires acceptance, else {@code pending}; accepting stores {@code pending}, which reads as
 * {@code available} once the configured transition time has passed ({@link VpcEndpoints#observedState}); the
 * provider may reject a pending or available endpoint ({@code rejected}); only the consumer deletes it.
 */
public final class EndpointConnections {
    private EndpointConnections() {}

    /** The endpoints connected to a service that block its deletion: any not rejected (or failed, or deleted). */
    public static List<VpcEndpoint> activeConnections(World world, EndpointService s) {
        return Scoped.ENDPOINTS_BY_SERVICE.get(world, s.serviceId(), e -> switch (e.state()) {
            case VpcEndpoint.State.PENDING_ACCEPTANCE, VpcEndpoint.State.PENDING, VpcEndpoint.State.AVAILABLE -> true;
            default -> false;
        });
    }

    /** Every endpoint connected to one of the caller's services in its region, in endpoint-id order. */
    public static List<VpcEndpoint> connections(World world, Caller caller) {
        List<VpcEndpoint> out = new ArrayList<>();
        for (EndpointService s : Scoped.owned(world, caller, EndpointService.class)) {
            out.addAll(Scoped.endpointsOf(world, s.serviceId()));
        }
        out.sort(Comparator.comparing(VpcEndpoint::id));
        return out;
    }

    /** The connection id AWS shows for an endpoint; derived from the endpoint id, so it needs no storage. */
    public static String connectionId(VpcEndpoint e) {
        return "vpce-con-" + e.id().substring("vpce-".length());
    }

    /** A CreateVpcEndpoint to a customer service; {@code serviceRegion} is null for the caller's own region. */
    public static VpcEndpoint connect(Tx tx, Quotas quotas, VpcEndpoints.Create cmd, String serviceRegion) {
        Caller caller = tx.caller();
        String type = cmd.type() == null || cmd.type().isEmpty() ? VpcEndpoint.Type.GATEWAY.wire() : cmd.type();
        Vpc vpc = Lookup.requireOwned(tx.world(), caller, Kind.VPC, Vpc.class, cmd.vpcId());
        EndpointService service =
                ServicePermissions.requireVisible(tx.world(), caller, cmd.serviceName(), serviceRegion);
        if (!type.equals(VpcEndpoint.Type.INTERFACE.wire())) {
            throw ErrorCode.INVALID_PARAMETER.format(
                    "Endpoint type (%s) does not match available service types ([Interface]).", type);
        }
        InterfaceEndpoints.checkRoomForInterfaceEndpoint(tx, quotas, cmd, vpc);
        List<Subnet> subnets = InterfaceEndpoints.subnets(tx, vpc, cmd.subnetIds(), List.of());
        checkZones(service, subnets, caller);
        VpcEndpoint.IpAddressType ipType = InterfaceEndpoints.checkIpAddressType(cmd.ipAddressType(),
                InterfaceEndpoints.defaultIpAddressType(subnets, service.supportedIpAddressTypes()), subnets);
        InterfaceEndpoints.checkServiceSupports(ipType, service.supportedIpAddressTypes(), service.id());
        VpcEndpoint.DnsRecordIpType recordIpType =
                InterfaceEndpoints.recordIpType(ipType, cmd.dnsRecordIpType(), null, null);
        boolean verified = service.privateDns() != null
                && service.privateDns().verified();
        boolean privateDns = cmd.privateDnsEnabled() != null ? cmd.privateDnsEnabled() : verified;
        if (privateDns) {
            checkPrivateDns(tx, vpc, service, null);
        }
        List<SecurityGroupId> groups = InterfaceEndpoints.groups(tx, quotas, vpc, cmd.securityGroupIds());
        PolicyDocument policy = cmd.policyDocument() == null ? VpcEndpoints.DEFAULT_INTERFACE_POLICY
                : cmd.policyDocument();
        VpcEndpoint.State state = service.acceptanceRequired() ? VpcEndpoint.State.PENDING_ACCEPTANCE
                : VpcEndpoint.State.PENDING;
        String id = Ids.next("vpce");
        VpcEndpoint endpoint = new VpcEndpoint(id, caller.accountId(), caller.region(), vpc.vpcId(),
                service.serviceName(), service.serviceId(), service.ownerId(), VpcEndpoint.Type.INTERFACE, state,
                tx.now(),
                policy, List.of(), List.of(), List.of(), groups, false, ipType,
                new VpcEndpoint.DnsOptions(recordIpType, null),
                InterfaceEndpoints.dnsToken(), InterfaceEndpoints.privateHostedZoneId(),
                List.of(), tx.now(), cmd.tags());
        List<NetworkInterfaceId> enis = new ArrayList<>();
        for (Subnet s : subnets) {
            enis.add(InterfaceEndpoints.createInterface(tx, quotas, endpoint, s, groups).networkInterfaceId());
        }
        VpcEndpoint done = withDnsEntries(tx.world(), service, endpoint.withInterfaces(
                subnets.stream().map(Subnet::subnetId).toList(), enis, groups, privateDns, endpoint.dnsOptions(),
                List.of()));
        tx.put(done);
        ConnectionNotifications.emit(tx, ConnectionNotifications.CONNECT, service, done);
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
                || !service.privateDns().verified()) {
            throw ErrorCode.INVALID_PARAMETER.format("Private DNS can't be enabled because the service %s does not "
                    + "provide a verified private DNS name.", service.serviceName());
        }
        InterfaceEndpoints.requireVpcDns(vpc);
        boolean conflict = !Scoped.inVpc(tx.world(), VpcEndpoint.class, vpc.vpcId(), e -> e.privateDnsEnabled()
                && !e.id().equals(exceptEndpoint) && service.serviceName().equals(e.serviceName())).isEmpty();
        if (conflict) {
            throw ErrorCode.INVALID_PARAMETER.format("private-dns-enabled cannot be set because there is already a "
                    + "conflicting DNS domain for %s in the VPC %s", service.privateDns().name(), vpc.vpcId());
        }
    }

    /**
     * DNS entries of an endpoint to a customer service: the Regional name, one zonal name per subnet, then (with
     * private DNS) the service's private DNS name in the endpoint's private hosted zone.
     */
    private static VpcEndpoint withDnsEntries(World world, EndpointService service, VpcEndpoint e) {
        return InterfaceEndpoints.withDnsEntries(world, e, "",
                "." + service.id() + "." + service.region() + ".vpce.amazonaws.com",
                e.privateDnsEnabled() && service.privateDns() != null,
                service.privateDns() == null ? null : service.privateDns().name());
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
        List<SecurityGroupId> groups = InterfaceEndpoints.modifiedGroups(tx, quotas, vpc, e, cmd);
        List<SubnetId> subnetIds = new ArrayList<>(e.subnetIds());
        List<NetworkInterfaceId> enis = new ArrayList<>(e.networkInterfaceIds());
        InterfaceEndpoints.removeSubnets(tx, subnetIds, enis, cmd.removeSubnetIds());
        List<Subnet> kept = subnetIds.stream().map(id -> tx.find(Subnet.class, id).orElseThrow()).toList();
        List<Subnet> added = InterfaceEndpoints.subnets(tx, vpc, cmd.addSubnetIds().stream()
                .filter(s -> !subnetIds.contains(s)).toList(), kept);
        if (service != null) {
            checkZones(service, added, tx.caller());
        }
        for (NetworkInterfaceId eniId : enis) {
            tx.find(NetworkInterface.class, eniId).ifPresent(n -> {
                if (!n.groupIds().equals(groups)) {
                    tx.put(n.withGroupIds(groups));
                }
            });
        }
        for (Subnet s : added) {
            subnetIds.add(s.subnetId());
            enis.add(InterfaceEndpoints.createInterface(tx, quotas, e, s, groups).networkInterfaceId());
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
    public static List<Failure> accept(Tx tx, EndpointServiceId serviceId, List<VpcEndpointId> endpointIds) {
        return decide(tx, serviceId, endpointIds, true);
    }

    /** RejectVpcEndpointConnections: pending or available endpoints become {@code rejected}. */
    public static List<Failure> reject(Tx tx, EndpointServiceId serviceId, List<VpcEndpointId> endpointIds) {
        return decide(tx, serviceId, endpointIds, false);
    }

    private static List<Failure> decide(Tx tx, EndpointServiceId serviceId, List<VpcEndpointId> endpointIds,
            boolean accept) {
        EndpointService service = EndpointServices.requireOwned(tx.world(), tx.caller(), serviceId);
        if (endpointIds == null || endpointIds.isEmpty()) {
            throw Ec2Errors.missingParameter("VpcEndpointId");
        }
        List<Failure> failures = new ArrayList<>();
        for (VpcEndpointId endpointId : new LinkedHashSet<>(endpointIds)) {
            String id = endpointId.value();
            if (!Ids.wellFormed("vpce", id)) {
                failures.add(new Failure(id, ErrorCode.INVALID_VPC_ENDPOINT_ID_MALFORMED.wire(),
                        "Invalid id: \"" + id + "\""));
                continue;
            }
            VpcEndpoint e =
                    tx.find(VpcEndpoint.class, endpointId).filter(x -> service.serviceId().equals(x.serviceId()))
                            .orElse(null);
            if (e == null) {
                failures.add(new Failure(id, ErrorCode.INVALID_VPC_ENDPOINT_ID_NOT_FOUND.wire(),
                        "The Vpc Endpoint Id '" + id + "' does not exist"));
                continue;
            }
            if (accept) {
                if (!e.state().equals(VpcEndpoint.State.PENDING_ACCEPTANCE)) {
                    failures.add(new Failure(id, ErrorCode.INCORRECT_STATE.wire(), String.format("Endpoint %s is in "
                            + "state %s; only endpoints in state pendingAcceptance can be accepted.", id, e.state())));
                    continue;
                }
                VpcEndpoint done = tx.put(e.withState(VpcEndpoint.State.PENDING, tx.now()));
                ConnectionNotifications.emit(tx, ConnectionNotifications.ACCEPT, service, done);
            } else {
                if (e.state().equals(VpcEndpoint.State.REJECTED) || e.state().equals(VpcEndpoint.State.DELETING)
                        || e.state().equals(VpcEndpoint.State.DELETED)) {
                    failures.add(new Failure(id, ErrorCode.INCORRECT_STATE.wire(), String.format("Endpoint %s is in "
                            + "state %s and cannot be rejected.", id, e.state())));
                    continue;
                }
                VpcEndpoint done = tx.put(e.withState(VpcEndpoint.State.REJECTED, tx.now()));
                ConnectionNotifications.emit(tx, ConnectionNotifications.REJECT, service, done);
            }
        }
        return failures;
    }

    /** Called by DeleteVpcEndpoints for an endpoint to a customer service, before it goes. */
    static void endpointDeleted(Tx tx, VpcEndpoint e) {
        tx.find(EndpointService.class, e.serviceId()).ifPresent(s -> ConnectionNotifications.emit(tx,
                ConnectionNotifications.DELETE, s, e.withState(VpcEndpoint.State.DELETED, tx.now())));
        for (ConnectionNotification n : ConnectionNotifications.NOTIFICATIONS_BY_ENDPOINT.get(tx.world(),
                e.vpcEndpointId())) {
            tx.remove(n);
        }
    }
}
