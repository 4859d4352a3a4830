package dev.underpass.aws.ec2;

import dev.underpass.model.ec2.RouteTableAssociationId;
import dev.underpass.model.ec2.RouteTableId;
import dev.underpass.model.ec2.InternetGatewayId;
import dev.underpass.model.ec2.SubnetId;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.aws.ShapeCache;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.Kind;
import dev.underpass.model.ec2.Lookup;
import dev.underpass.model.ec2.RouteTables;
import dev.underpass.model.ec2.RouteTargets;
import dev.underpass.model.ec2.Routes;
import dev.underpass.model.ec2.Scoped;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.AssociateRouteTableRequest;
import software.amazon.awssdk.services.ec2.model.AssociateRouteTableResponse;
import software.amazon.awssdk.services.ec2.model.CreateRouteRequest;
import software.amazon.awssdk.services.ec2.model.CreateRouteResponse;
import software.amazon.awssdk.services.ec2.model.CreateRouteTableRequest;
import software.amazon.awssdk.services.ec2.model.CreateRouteTableResponse;
import software.amazon.awssdk.services.ec2.model.DeleteRouteRequest;
import software.amazon.awssdk.services.ec2.model.DeleteRouteResponse;
import software.amazon.awssdk.services.ec2.model.DeleteRouteTableRequest;
import software.amazon.awssdk.services.ec2.model.DeleteRouteTableResponse;
import software.amazon.awssdk.services.ec2.model.DescribeRouteTablesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeRouteTablesResponse;
import software.amazon.awssdk.services.ec2.model.DisassociateRouteTableRequest;
import software.amazon.awssdk.services.ec2.model.DisassociateRouteTableResponse;
import software.amazon.awssdk.services.ec2.model.ReplaceRouteRequest;
import software.amazon.awssdk.services.ec2.model.ReplaceRouteResponse;
import software.amazon.awssdk.services.ec2.model.ReplaceRouteTableAssociationRequest;
import software.amazon.awssdk.services.ec2.model.ReplaceRouteTableAssociationResponse;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociation;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociationState;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociationStateCode;

/**
 * Route tables: create, delete, describe, routes (create, replace, delete) and associations (associate,
 * disassociate, replace, including moving the main association). The rules live in {@link RouteTables},
 * {@link Routes} and {@link RouteTargets}; this class maps the wire shapes.
 */
record RouteTableHandlers(Ec2Registry api) {
    private static FilterSpec<dev.underpass.model.ec2.RouteTable> filters(World world) {
        return FilterSpec.<dev.underpass.model.ec2.RouteTable>resources()
                .many("association.gateway-id",
                        t -> assoc(t, a -> InternetGatewayId.text(a.gatewayId())))
                .many("association.route-table-association-id",
                        t -> assoc(t, a -> RouteTableAssociationId.text(a.associationId())))
                .many("association.route-table-id", t -> t.associations().isEmpty() ? List.of() : List.of(t.id()))
                .many("association.subnet-id", t -> assoc(t, a -> SubnetId.text(a.subnetId())))
                .many("association.main", t -> t.associations().stream().map(a -> String.valueOf(a.main())).toList())
                .one("owner-id", dev.underpass.model.ec2.RouteTable::ownerId)
                .one("route-table-id", dev.underpass.model.ec2.RouteTable::id)
                .many("route.destination-cidr-block",
                        t -> route(t, dev.underpass.model.ec2.RouteTable.Fields::destinationCidrBlock))
                .many("route.destination-ipv6-cidr-block",
                        t -> route(t, dev.underpass.model.ec2.RouteTable.Fields::destinationIpv6CidrBlock))
                .many("route.destination-prefix-list-id",
                        t -> route(t, dev.underpass.model.ec2.RouteTable.Fields::destinationPrefixListId))
                .many("route.egress-only-internet-gateway-id",
                        t -> route(t, dev.underpass.model.ec2.RouteTable.Fields::egressOnlyInternetGatewayId))
                .many("route.gateway-id", t -> route(t, dev.underpass.model.ec2.RouteTable.Fields::gatewayId))
                .many("route.instance-id", t -> route(t, dev.underpass.model.ec2.RouteTable.Fields::instanceId))
                .many("route.nat-gateway-id", t -> route(t, dev.underpass.model.ec2.RouteTable.Fields::natGatewayId))
                .many("route.network-interface-id",
                        t -> route(t, dev.underpass.model.ec2.RouteTable.Fields::networkInterfaceId))
                .many("route.transit-gateway-id", t -> List.of())
                .many("route.origin", t -> route(t, dev.underpass.model.ec2.RouteTable.Fields::origin))
                .many("route.state", t -> t.routes().stream().map(r -> RouteTargets.state(world, t, r).wire())
                        .toList())
                .many("route.vpc-peering-connection-id",
                        t -> route(t, dev.underpass.model.ec2.RouteTable.Fields::vpcPeeringConnectionId))
                .one("vpc-id", dev.underpass.model.ec2.RouteTable::vpcId)
                .build();
    }

    private static List<String> assoc(dev.underpass.model.ec2.RouteTable t,
            java.util.function.Function<dev.underpass.model.ec2.RouteTable.Association, String> field) {
        return t.associations().stream().map(field).filter(v -> v != null).toList();
    }

    private static List<String> route(dev.underpass.model.ec2.RouteTable t,
            java.util.function.Function<dev.underpass.model.ec2.RouteTable.Fields, String> field) {
        return t.routes().stream().map(r -> field.apply(r.fields())).filter(v -> v != null).toList();
    }

    void register(Ec2Registry registry) {
        registry.write("CreateRouteTable", CreateRouteTableRequest::builder, this::create);
        registry.write("DeleteRouteTable", DeleteRouteTableRequest::builder, this::delete);
        registry.read("DescribeRouteTables", DescribeRouteTablesRequest::builder, this::describe);
        registry.write("CreateRoute", CreateRouteRequest::builder, this::createRoute);
        registry.write("ReplaceRoute", ReplaceRouteRequest::builder, this::replaceRoute);
        registry.write("DeleteRoute", DeleteRouteRequest::builder, this::deleteRoute);
        registry.write("AssociateRouteTable", AssociateRouteTableRequest::builder, this::associate);
        registry.write("DisassociateRouteTable", DisassociateRouteTableRequest::builder, this::disassociate);
        registry.write("ReplaceRouteTableAssociation", ReplaceRouteTableAssociationRequest::builder,
                this::replaceAssociation);
    }

    private CreateRouteTableResponse create(CreateRouteTableRequest req, Tx tx) {
        var table = RouteTables.create(tx, api.settings().quotas(), VpcId.of(Shapes.required(req.vpcId(), "VpcId")),
                Shapes.tagsFor(req.tagSpecifications(), "route-table"));
        return CreateRouteTableResponse.builder().routeTable(shape(tx.world(), table))
                .clientToken(req.clientToken()).build();
    }

    private DeleteRouteTableResponse delete(DeleteRouteTableRequest req, Tx tx) {
        RouteTables.delete(tx, RouteTableId.of(Shapes.required(req.routeTableId(), "RouteTableId")));
        return DeleteRouteTableResponse.builder().build();
    }

    /** DescribeRouteTables pages by at most 100. */
    private static final Describe.Limits PAGE_LIMITS = Describe.Limits.of(5, 100);

    private DescribeRouteTablesResponse describe(DescribeRouteTablesRequest req, Ec2Api.ReadContext ctx) {
        World world = ctx.world();
        var page = Describe.visible(ctx, dev.underpass.model.ec2.RouteTable.class, Kind.ROUTE_TABLE,
                req.routeTableIds())
                .filter(filters(world), req.filters()).page(req.maxResults(), req.nextToken(), PAGE_LIMITS);
        return DescribeRouteTablesResponse.builder()
                .routeTables(ShapeCache.of(world).shapes(page.items(), RouteTable.class, t -> shape(world, t)))
                .nextToken(page.nextToken()).build();
    }

    private CreateRouteResponse createRoute(CreateRouteRequest req, Tx tx) {
        Routes.createRoute(tx, api.settings().quotas(),
                RouteTableId.of(Shapes.required(req.routeTableId(), "RouteTableId")),
                new Routes.Destination(req.destinationCidrBlock(), req.destinationIpv6CidrBlock(),
                        req.destinationPrefixListId()),
                new RouteTargets.Target(req.gatewayId(), req.natGatewayId(), req.networkInterfaceId(),
                        req.instanceId(), req.vpcEndpointId(), req.vpcPeeringConnectionId(),
                        req.egressOnlyInternetGatewayId(), req.transitGatewayId(), req.localGatewayId(),
                        req.carrierGatewayId(), req.coreNetworkArn(), req.odbNetworkArn()));
        return CreateRouteResponse.builder().returnValue(true).build();
    }

    private ReplaceRouteResponse replaceRoute(ReplaceRouteRequest req, Tx tx) {
        Routes.replaceRoute(tx, RouteTableId.of(Shapes.required(req.routeTableId(), "RouteTableId")),
                new Routes.Destination(req.destinationCidrBlock(), req.destinationIpv6CidrBlock(),
                        req.destinationPrefixListId()),
                new RouteTargets.Target(req.gatewayId(), req.natGatewayId(), req.networkInterfaceId(),
                        req.instanceId(), req.vpcEndpointId(), req.vpcPeeringConnectionId(),
                        req.egressOnlyInternetGatewayId(), req.transitGatewayId(), req.localGatewayId(),
                        req.carrierGatewayId(), req.coreNetworkArn(), req.odbNetworkArn()),
                Shapes.flag(req.localTarget()));
        return ReplaceRouteResponse.builder().build();
    }

    private DeleteRouteResponse deleteRoute(DeleteRouteRequest req, Tx tx) {
        Routes.deleteRoute(tx, RouteTableId.of(Shapes.required(req.routeTableId(), "RouteTableId")),
                new Routes.Destination(req.destinationCidrBlock(), req.destinationIpv6CidrBlock(),
                        req.destinationPrefixListId()));
        return DeleteRouteResponse.builder().build();
    }

    private AssociateRouteTableResponse associate(AssociateRouteTableRequest req, Tx tx) {
        if (req.publicIpv4Pool() != null) {
            throw dev.underpass.model.ErrorCode.UNSUPPORTED_OPERATION.with(
                    "underpass does not yet support public IPv4 pools in route table associations.");
        }
        var association =
                RouteTables.associate(tx, RouteTableId.of(Shapes.required(req.routeTableId(), "RouteTableId")),
                        SubnetId.of(req.subnetId()), req.gatewayId());
        return AssociateRouteTableResponse.builder()
                .associationId(RouteTableAssociationId.text(association.associationId()))
                .associationState(associated()).build();
    }

    private DisassociateRouteTableResponse disassociate(DisassociateRouteTableRequest req, Tx tx) {
        RouteTables.disassociate(tx, RouteTableAssociationId.of(Shapes.required(req.associationId(), "AssociationId")));
        return DisassociateRouteTableResponse.builder().build();
    }

    private ReplaceRouteTableAssociationResponse replaceAssociation(ReplaceRouteTableAssociationRequest req, Tx tx) {
        var association = RouteTables.replaceAssociation(tx,
                RouteTableAssociationId.of(Shapes.required(req.associationId(), "AssociationId")),
                RouteTableId.of(Shapes.required(req.routeTableId(), "RouteTableId")));
        return ReplaceRouteTableAssociationResponse.builder()
                .newAssociationId(RouteTableAssociationId.text(association.associationId()))
                .associationState(associated()).build();
    }

    private static RouteTableAssociationState associated() {
        return RouteTableAssociationState.builder().state(RouteTableAssociationStateCode.ASSOCIATED).build();
    }

    static RouteTable shape(World world, dev.underpass.model.ec2.RouteTable t) {
        var b = RouteTable.builder().routeTableId(t.id()).vpcId(VpcId.text(t.vpcId())).ownerId(t.ownerId())
                .propagatingVgws(List.of())
                .associations(t.associations().stream().map(a -> RouteTableAssociation.builder()
                        .main(a.main()).routeTableAssociationId(RouteTableAssociationId.text(a.associationId()))
                        .routeTableId(t.id())
                        .subnetId(SubnetId.text(a.subnetId())).gatewayId(InternetGatewayId.text(a.gatewayId()))
                        .associationState(associated())
                        .build())
                        .toList())
                .routes(t.routes().stream().map(r -> route(r.fields(), RouteTargets.state(world, t, r).wire()))
                        .toList())
                .tags(Shapes.tags(t.tags()));
        return b.build();
    }

    private static Route route(dev.underpass.model.ec2.RouteTable.Fields f, String state) {
        return Route.builder().destinationCidrBlock(f.destinationCidrBlock())
                .destinationIpv6CidrBlock(f.destinationIpv6CidrBlock())
                .destinationPrefixListId(f.destinationPrefixListId())
                .gatewayId(f.gatewayId()).natGatewayId(f.natGatewayId())
                .egressOnlyInternetGatewayId(f.egressOnlyInternetGatewayId())
                .networkInterfaceId(f.networkInterfaceId()).instanceId(f.instanceId())
                .instanceOwnerId(f.instanceOwnerId()).vpcPeeringConnectionId(f.vpcPeeringConnectionId())
                .origin(f.origin()).state(state).build();
    }
}
