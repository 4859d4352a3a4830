package dev.underpass.aws.ec2;

import dev.underpass.model.ec2.ServicePermissionId;
import dev.underpass.model.ec2.ConnectionNotificationId;
import dev.underpass.model.ec2.EndpointServiceId;
import dev.underpass.model.ec2.VpcEndpointId;
import dev.underpass.model.AwsNamed;
import dev.underpass.aws.ShapeCache;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.ConnectionNotification;
import dev.underpass.model.ec2.ConnectionNotifications;
import dev.underpass.model.ec2.EndpointService;
import dev.underpass.model.ec2.EndpointConnections;
import dev.underpass.model.ec2.EndpointServices;
import dev.underpass.model.ec2.Scoped;
import dev.underpass.model.ec2.ServicePermission;
import dev.underpass.model.ec2.ServicePermissions;
import dev.underpass.model.ec2.ServicePrivateDns;
import dev.underpass.model.ec2.VpcEndpoints;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.AcceptVpcEndpointConnectionsRequest;
import software.amazon.awssdk.services.ec2.model.AcceptVpcEndpointConnectionsResponse;
import software.amazon.awssdk.services.ec2.model.AddedPrincipal;
import software.amazon.awssdk.services.ec2.model.AllowedPrincipal;
import software.amazon.awssdk.services.ec2.model.CreateVpcEndpointConnectionNotificationRequest;
import software.amazon.awssdk.services.ec2.model.CreateVpcEndpointConnectionNotificationResponse;
import software.amazon.awssdk.services.ec2.model.CreateVpcEndpointServiceConfigurationRequest;
import software.amazon.awssdk.services.ec2.model.CreateVpcEndpointServiceConfigurationResponse;
import software.amazon.awssdk.services.ec2.model.DeleteVpcEndpointConnectionNotificationsRequest;
import software.amazon.awssdk.services.ec2.model.DeleteVpcEndpointConnectionNotificationsResponse;
import software.amazon.awssdk.services.ec2.model.DeleteVpcEndpointServiceConfigurationsRequest;
import software.amazon.awssdk.services.ec2.model.DeleteVpcEndpointServiceConfigurationsResponse;
import software.amazon.awssdk.services.ec2.model.DescribeVpcEndpointConnectionNotificationsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeVpcEndpointConnectionNotificationsResponse;
import software.amazon.awssdk.services.ec2.model.DescribeVpcEndpointConnectionsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeVpcEndpointConnectionsResponse;
import software.amazon.awssdk.services.ec2.model.DescribeVpcEndpointServiceConfigurationsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeVpcEndpointServiceConfigurationsResponse;
import software.amazon.awssdk.services.ec2.model.DescribeVpcEndpointServicePermissionsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeVpcEndpointServicePermissionsResponse;
import software.amazon.awssdk.services.ec2.model.ModifyVpcEndpointConnectionNotificationRequest;
import software.amazon.awssdk.services.ec2.model.ModifyVpcEndpointConnectionNotificationResponse;
import software.amazon.awssdk.services.ec2.model.ModifyVpcEndpointServiceConfigurationRequest;
import software.amazon.awssdk.services.ec2.model.ModifyVpcEndpointServiceConfigurationResponse;
import software.amazon.awssdk.services.ec2.model.ModifyVpcEndpointServicePayerResponsibilityRequest;
import software.amazon.awssdk.services.ec2.model.ModifyVpcEndpointServicePayerResponsibilityResponse;
import software.amazon.awssdk.services.ec2.model.ModifyVpcEndpointServicePermissionsRequest;
import software.amazon.awssdk.services.ec2.model.ModifyVpcEndpointServicePermissionsResponse;
import software.amazon.awssdk.services.ec2.model.PrivateDnsNameConfiguration;
import software.amazon.awssdk.services.ec2.model.ServiceConfiguration;
import software.amazon.awssdk.services.ec2.model.ServiceTypeDetail;
import software.amazon.awssdk.services.ec2.model.StartVpcEndpointServicePrivateDnsVerificationRequest;
import software.amazon.awssdk.services.ec2.model.StartVpcEndpointServicePrivateDnsVerificationResponse;
import software.amazon.awssdk.services.ec2.model.SupportedRegionDetail;
import software.amazon.awssdk.services.ec2.model.UnsuccessfulItem;
import software.amazon.awssdk.services.ec2.model.UnsuccessfulItemError;
import software.amazon.awssdk.services.ec2.model.VpcEndpointConnection;

/**
 * The provider side of AWS PrivateLink: endpoint service configurations, their permissions, the connections of
 * consumers' endpoints (accept, reject, describe), connection notifications, private DNS verification and payer
 * responsibility. The rules live in {@link EndpointServices}; this class maps wire shapes to them and back.
 */
record EndpointServiceHandlers(Ec2Registry api) {
    private static final FilterSpec<EndpointService> SERVICE_FILTERS = FilterSpec.<EndpointService>resources()
            .one("service-name", EndpointService::serviceName)
            .one("service-id", EndpointService::id)
            .one("service-state", EndpointService::state)
            .each("supported-ip-address-types", EndpointService::supportedIpAddressTypes, AwsNamed::wire)
            .build();

    private static final FilterSpec<ServicePermission> PERMISSION_FILTERS =
            FilterSpec.of(ServicePermission::tags)
                    .one("principal", ServicePermission::principal)
                    .one("principal-type", ServicePermission::principalType)
                    .build();

    private static final FilterSpec<ConnectionNotification> NOTIFICATION_FILTERS =
            FilterSpec.<ConnectionNotification>resources()
                    .one("connection-notification-arn", ConnectionNotification::topicArn)
                    .one("connection-notification-id", ConnectionNotification::id)
                    .one("connection-notification-state", ConnectionNotification::state)
                    .one("connection-notification-type", n -> ConnectionNotification.TOPIC)
                    .one("service-id", ConnectionNotification::serviceId)
                    .one("vpc-endpoint-id", ConnectionNotification::vpcEndpointId)
                    .build();

    private FilterSpec<dev.underpass.model.ec2.VpcEndpoint> connectionFilters(Instant now) {
        return FilterSpec.<dev.underpass.model.ec2.VpcEndpoint>resources()
                .one("ip-address-type", dev.underpass.model.ec2.VpcEndpoint::ipAddressType)
                .one("service-id", dev.underpass.model.ec2.VpcEndpoint::serviceId)
                .one("vpc-endpoint-owner", dev.underpass.model.ec2.VpcEndpoint::ownerId)
                .one("vpc-endpoint-region", dev.underpass.model.ec2.VpcEndpoint::region)
                .one("vpc-endpoint-state", e -> state(e, now))
                .one("vpc-endpoint-id", dev.underpass.model.ec2.VpcEndpoint::id)
                .build();
    }

    void register(Ec2Registry registry) {
        registry.write("CreateVpcEndpointServiceConfiguration", CreateVpcEndpointServiceConfigurationRequest::builder,
                this::create);
        registry.write("ModifyVpcEndpointServiceConfiguration", ModifyVpcEndpointServiceConfigurationRequest::builder,
                this::modify);
        registry.write("DeleteVpcEndpointServiceConfigurations",
                DeleteVpcEndpointServiceConfigurationsRequest::builder, this::delete);
        registry.read("DescribeVpcEndpointServiceConfigurations",
                DescribeVpcEndpointServiceConfigurationsRequest::builder, this::describe);
        registry.read("DescribeVpcEndpointServicePermissions", DescribeVpcEndpointServicePermissionsRequest::builder,
                this::describePermissions);
        registry.write("ModifyVpcEndpointServicePermissions", ModifyVpcEndpointServicePermissionsRequest::builder,
                this::modifyPermissions);
        registry.write("AcceptVpcEndpointConnections", AcceptVpcEndpointConnectionsRequest::builder, this::accept);
        registry.write("RejectVpcEndpointConnections",
                software.amazon.awssdk.services.ec2.model.RejectVpcEndpointConnectionsRequest::builder,
                this::reject);
        registry.read("DescribeVpcEndpointConnections", DescribeVpcEndpointConnectionsRequest::builder,
                this::describeConnections);
        registry.write("CreateVpcEndpointConnectionNotification",
                CreateVpcEndpointConnectionNotificationRequest::builder, this::createNotification);
        registry.write("ModifyVpcEndpointConnectionNotification",
                ModifyVpcEndpointConnectionNotificationRequest::builder, this::modifyNotification);
        registry.write("DeleteVpcEndpointConnectionNotifications",
                DeleteVpcEndpointConnectionNotificationsRequest::builder, this::deleteNotifications);
        registry.read("DescribeVpcEndpointConnectionNotifications",
                DescribeVpcEndpointConnectionNotificationsRequest::builder, this::describeNotifications);
        registry.write("StartVpcEndpointServicePrivateDnsVerification",
                StartVpcEndpointServicePrivateDnsVerificationRequest::builder, this::startVerification);
        registry.write("ModifyVpcEndpointServicePayerResponsibility",
                ModifyVpcEndpointServicePayerResponsibilityRequest::builder, this::modifyPayer);
    }

    private String state(dev.underpass.model.ec2.VpcEndpoint e, Instant now) {
        return VpcEndpoints.observedState(e, now, api.settings().instanceTransition()).wire();
    }

    private CreateVpcEndpointServiceConfigurationResponse create(CreateVpcEndpointServiceConfigurationRequest req,
            Tx tx) {
        EndpointService s = EndpointServices.create(tx, new EndpointServices.Create(
                req.hasNetworkLoadBalancerArns() ? req.networkLoadBalancerArns() : null,
                req.hasGatewayLoadBalancerArns() ? req.gatewayLoadBalancerArns() : null,
                req.acceptanceRequired(), req.privateDnsName(),
                req.hasSupportedIpAddressTypes() ? req.supportedIpAddressTypes() : null,
                req.hasSupportedRegions() ? req.supportedRegions() : null,
                Shapes.tagsFor(req.tagSpecifications(), "vpc-endpoint-service")));
        return CreateVpcEndpointServiceConfigurationResponse.builder().serviceConfiguration(configuration(s))
                .clientToken(req.clientToken()).build();
    }

    private ModifyVpcEndpointServiceConfigurationResponse modify(ModifyVpcEndpointServiceConfigurationRequest req,
            Tx tx) {
        EndpointServices.modify(tx,
                new EndpointServices.Modify(EndpointServiceId.of(Shapes.required(req.serviceId(), "ServiceId")),
                        req.privateDnsName(), Shapes.flag(req.removePrivateDnsName()), req.acceptanceRequired(),
                        req.addNetworkLoadBalancerArns(), req.removeNetworkLoadBalancerArns(),
                        req.addGatewayLoadBalancerArns(), req.addSupportedIpAddressTypes(),
                        req.removeSupportedIpAddressTypes(), req.addSupportedRegions(), req.removeSupportedRegions()));
        return ModifyVpcEndpointServiceConfigurationResponse.builder().returnValue(true).build();
    }

    private DeleteVpcEndpointServiceConfigurationsResponse delete(DeleteVpcEndpointServiceConfigurationsRequest req,
            Tx tx) {
        if (!req.hasServiceIds() || req.serviceIds().isEmpty()) {
            throw Ec2Errors.missingParameter("ServiceId");
        }
        return DeleteVpcEndpointServiceConfigurationsResponse.builder()
                .unsuccessful(unsuccessful(EndpointServices.delete(tx, EndpointServiceId.all(req.serviceIds()))))
                .build();
    }

    private DescribeVpcEndpointServiceConfigurationsResponse describe(
            DescribeVpcEndpointServiceConfigurationsRequest req, Ec2Api.ReadContext ctx) {
        World world = ctx.world();
        List<EndpointService> candidates = req.serviceIds().isEmpty()
                ? List.copyOf(Scoped.owned(world, ctx.caller(), EndpointService.class))
                : EndpointServices.requireAllOwned(world, ctx.caller(), EndpointServiceId.all(req.serviceIds()));
        var page = Describe.of(candidates).filter(SERVICE_FILTERS, req.filters())
                .page(req.maxResults(), req.nextToken(), Describe.Limits.STANDARD);
        return DescribeVpcEndpointServiceConfigurationsResponse.builder()
                .serviceConfigurations(page.map(EndpointServiceHandlers::configuration))
                .nextToken(page.nextToken()).build();
    }

    private DescribeVpcEndpointServicePermissionsResponse describePermissions(
            DescribeVpcEndpointServicePermissionsRequest req, Ec2Api.ReadContext ctx) {
        EndpointService s =
                EndpointServices.requireOwned(ctx.world(), ctx.caller(), EndpointServiceId.of(req.serviceId()));
        var page = Describe.of(s.permissions(), p -> p.id().value()).filter(PERMISSION_FILTERS, req.filters())
                .page(req.maxResults(), req.nextToken(), Describe.Limits.STANDARD);
        return DescribeVpcEndpointServicePermissionsResponse.builder()
                .allowedPrincipals(page.map(p -> AllowedPrincipal.builder()
                        .principalType(p.principalType()).principal(p.principal())
                        .servicePermissionId(ServicePermissionId.text(p.id())).serviceId(s.id())
                        .tags(Shapes.tags(p.tags()))
                        .build()))
                .nextToken(page.nextToken()).build();
    }

    private ModifyVpcEndpointServicePermissionsResponse modifyPermissions(
            ModifyVpcEndpointServicePermissionsRequest req, Tx tx) {
        EndpointServiceId serviceId = EndpointServiceId.of(Shapes.required(req.serviceId(), "ServiceId"));
        List<ServicePermission> added = ServicePermissions.modifyPermissions(tx, serviceId,
                req.hasAddAllowedPrincipals() ? req.addAllowedPrincipals() : List.of(),
                req.hasRemoveAllowedPrincipals() ? req.removeAllowedPrincipals() : List.of());
        return ModifyVpcEndpointServicePermissionsResponse.builder()
                .addedPrincipals(added.stream().map(p -> AddedPrincipal.builder().principalType(p.principalType())
                        .principal(p.principal()).servicePermissionId(ServicePermissionId.text(p.id()))
                        .serviceId(serviceId.value()).build())
                        .toList())
                .returnValue(true).build();
    }

    private AcceptVpcEndpointConnectionsResponse accept(AcceptVpcEndpointConnectionsRequest req, Tx tx) {
        return AcceptVpcEndpointConnectionsResponse.builder().unsuccessful(unsuccessful(EndpointConnections.accept(tx,
                EndpointServiceId.of(Shapes.required(req.serviceId(), "ServiceId")),
                VpcEndpointId.all(req.vpcEndpointIds())))).build();
    }

    private software.amazon.awssdk.services.ec2.model.RejectVpcEndpointConnectionsResponse reject(
            software.amazon.awssdk.services.ec2.model.RejectVpcEndpointConnectionsRequest req, Tx tx) {
        return software.amazon.awssdk.services.ec2.model.RejectVpcEndpointConnectionsResponse.builder()
                .unsuccessful(unsuccessful(EndpointConnections.reject(tx,
                        EndpointServiceId.of(Shapes.required(req.serviceId(), "ServiceId")),
                        VpcEndpointId.all(req.vpcEndpointIds()))))
                .build();
    }

    private DescribeVpcEndpointConnectionsResponse describeConnections(DescribeVpcEndpointConnectionsRequest req,
            Ec2Api.ReadContext ctx) {
        World world = ctx.world();
        var page = Describe.of(EndpointConnections.connections(world, ctx.caller()))
                .filter(connectionFilters(ctx.now()), req.filters())
                .page(req.maxResults(), req.nextToken(), Describe.Limits.STANDARD);
        ShapeCache shapes = ShapeCache.of(world);
        List<VpcEndpointConnection> out = new ArrayList<>(page.items().size());
        for (var e : page.items()) {
            String state = state(e, ctx.now());
            out.add(shapes.shape(e, VpcEndpointConnection.class, state, () -> connection(world, e, state)));
        }
        return DescribeVpcEndpointConnectionsResponse.builder().vpcEndpointConnections(out)
                .nextToken(page.nextToken()).build();
    }

    /** An endpoint as its service's provider sees it. */
    private static VpcEndpointConnection connection(World world, dev.underpass.model.ec2.VpcEndpoint e,
            String state) {
        EndpointService s = world.find(EndpointService.class, e.serviceId()).orElseThrow();
        return VpcEndpointConnection.builder()
                .serviceId(s.id())
                .vpcEndpointId(e.id())
                .vpcEndpointOwner(e.ownerId())
                .vpcEndpointState(state)
                .creationTimestamp(e.createdAt())
                .dnsEntries(VpcEndpointHandlers.dnsEntries(e))
                .networkLoadBalancerArns(s.networkLoadBalancerArns())
                .ipAddressType(AwsNamed.wireOf(e.ipAddressType()))
                .vpcEndpointConnectionId(EndpointConnections.connectionId(e))
                .vpcEndpointRegion(e.region())
                .tags(List.of())
                .build();
    }

    private CreateVpcEndpointConnectionNotificationResponse createNotification(
            CreateVpcEndpointConnectionNotificationRequest req, Tx tx) {
        ConnectionNotification n = ConnectionNotifications.createNotification(tx, EndpointServiceId.of(req.serviceId()),
                VpcEndpointId.of(req.vpcEndpointId()),
                req.connectionNotificationArn(), req.hasConnectionEvents() ? req.connectionEvents() : List.of());
        return CreateVpcEndpointConnectionNotificationResponse.builder().connectionNotification(notification(n))
                .clientToken(req.clientToken()).build();
    }

    private ModifyVpcEndpointConnectionNotificationResponse modifyNotification(
            ModifyVpcEndpointConnectionNotificationRequest req, Tx tx) {
        ConnectionNotifications.modifyNotification(tx, ConnectionNotificationId.of(req.connectionNotificationId()),
                req.connectionNotificationArn(),
                req.hasConnectionEvents() ? req.connectionEvents() : null);
        return ModifyVpcEndpointConnectionNotificationResponse.builder().returnValue(true).build();
    }

    private DeleteVpcEndpointConnectionNotificationsResponse deleteNotifications(
            DeleteVpcEndpointConnectionNotificationsRequest req, Tx tx) {
        if (!req.hasConnectionNotificationIds() || req.connectionNotificationIds().isEmpty()) {
            throw Ec2Errors.missingParameter("ConnectionNotificationId");
        }
        return DeleteVpcEndpointConnectionNotificationsResponse.builder()
                .unsuccessful(
                        unsuccessful(ConnectionNotifications.deleteNotifications(tx,
                                ConnectionNotificationId.all(req.connectionNotificationIds()))))
                .build();
    }

    private DescribeVpcEndpointConnectionNotificationsResponse describeNotifications(
            DescribeVpcEndpointConnectionNotificationsRequest req, Ec2Api.ReadContext ctx) {
        World world = ctx.world();
        List<ConnectionNotification> candidates = req.connectionNotificationId() != null
                ? List.of(ConnectionNotifications.requireNotification(world, ctx.caller(),
                        ConnectionNotificationId.of(req.connectionNotificationId())))
                : List.copyOf(Scoped.owned(world, ctx.caller(), ConnectionNotification.class));
        var page = Describe.of(candidates).filter(NOTIFICATION_FILTERS, req.filters())
                .page(req.maxResults(), req.nextToken(), Describe.Limits.of(1, 1000));
        return DescribeVpcEndpointConnectionNotificationsResponse.builder()
                .connectionNotificationSet(page.map(EndpointServiceHandlers::notification))
                .nextToken(page.nextToken()).build();
    }

    private StartVpcEndpointServicePrivateDnsVerificationResponse startVerification(
            StartVpcEndpointServicePrivateDnsVerificationRequest req, Tx tx) {
        ServicePrivateDns.startVerification(tx, EndpointServiceId.of(Shapes.required(req.serviceId(), "ServiceId")));
        return StartVpcEndpointServicePrivateDnsVerificationResponse.builder().returnValue(true).build();
    }

    private ModifyVpcEndpointServicePayerResponsibilityResponse modifyPayer(
            ModifyVpcEndpointServicePayerResponsibilityRequest req, Tx tx) {
        EndpointServices.modifyPayerResponsibility(tx,
                EndpointServiceId.of(Shapes.required(req.serviceId(), "ServiceId")),
                req.payerResponsibilityAsString());
        return ModifyVpcEndpointServicePayerResponsibilityResponse.builder().returnValue(true).build();
    }

    private static List<UnsuccessfulItem> unsuccessful(List<EndpointServices.Failure> failures) {
        List<UnsuccessfulItem> out = new ArrayList<>();
        for (EndpointServices.Failure f : failures) {
            out.add(UnsuccessfulItem.builder().resourceId(f.resourceId())
                    .error(UnsuccessfulItemError.builder().code(f.code()).message(f.message()).build()).build());
        }
        return out;
    }

    static ServiceConfiguration configuration(EndpointService s) {
        var b = ServiceConfiguration.builder()
                .serviceType(ServiceTypeDetail.builder().serviceType("Interface").build())
                .serviceId(s.id())
                .serviceName(s.serviceName())
                .serviceState(s.state().wire())
                .availabilityZoneIds(s.zoneIds())
                .availabilityZones(s.zoneNames())
                .acceptanceRequired(s.acceptanceRequired())
                .managesVpcEndpoints(false)
                .networkLoadBalancerArns(s.networkLoadBalancerArns())
                .supportedIpAddressTypesWithStrings(AwsNamed.names(s.supportedIpAddressTypes()))
                .baseEndpointDnsNames(s.baseEndpointDnsName())
                .payerResponsibility(s.payerResponsibility())
                .tags(Shapes.tags(s.tags()))
                .supportedRegions(s.supportedRegions().stream().map(r -> SupportedRegionDetail.builder().region(r)
                        .serviceState(EndpointService.State.AVAILABLE.wire()).build()).toList())
                .remoteAccessEnabled(s.remoteAccessEnabled());
        if (s.privateDns() != null) {
            b.privateDnsName(s.privateDns().name())
                    .privateDnsNameConfiguration(PrivateDnsNameConfiguration.builder()
                            .state(s.privateDns().state().wire()).type("TXT").value(s.privateDns().txtValue())
                            .name(s.privateDns().txtName()).build());
        }
        return b.build();
    }

    static software.amazon.awssdk.services.ec2.model.ConnectionNotification notification(ConnectionNotification n) {
        return software.amazon.awssdk.services.ec2.model.ConnectionNotification.builder()
                .connectionNotificationId(n.id())
                .serviceId(EndpointServiceId.text(n.serviceId()))
                .vpcEndpointId(VpcEndpointId.text(n.vpcEndpointId()))
                .connectionNotificationType(ConnectionNotification.TOPIC)
                .connectionNotificationArn(n.topicArn())
                .connectionEvents(n.events())
                .connectionNotificationState(n.state().wire())
                .serviceRegion(n.region())
                .build();
    }
}
