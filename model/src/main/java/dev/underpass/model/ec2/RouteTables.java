package dev.underpass.model.ec2;

import dev.underpass.model.Tx;
import java.util.ArrayList;
import java.util.List;

/** Route-table rules shared by the VPC life cycle and the route-table API. */
public final class RouteTables {
    private RouteTables() {}

    /** The {@code local} route AWS puts in every table of a VPC for each of its CIDR blocks. */
    public static RouteTable.Route localRoute(String cidr) {
        return new RouteTable.Route(cidr, null, null, "local", null, null, null, null, "CreateRouteTable", "active");
    }

    /** Adds the local route for a newly associated VPC CIDR block to every table of the VPC. */
    public static void addLocalRoutes(Tx tx, String vpcId, String cidr) {
        for (RouteTable t : tx.all(RouteTable.class, t -> t.vpcId().equals(vpcId))) {
            List<RouteTable.Route> routes = new ArrayList<>(t.routes());
            routes.add(localRoute(cidr));
            tx.put(t.withRoutes(routes));
        }
    }

    public static void removeLocalRoutes(Tx tx, String vpcId, String cidr) {
        for (RouteTable t : tx.all(RouteTable.class, t -> t.vpcId().equals(vpcId))) {
            List<RouteTable.Route> routes = new ArrayList<>(t.routes());
            routes.removeIf(r -> "local".equals(r.gatewayId()) && cidr.equals(r.destinationCidrBlock()));
            tx.put(t.withRoutes(routes));
        }
    }

    /** The table a subnet uses: its explicit association, else the VPC's main table. */
    public static RouteTable effectiveFor(dev.underpass.model.World world, Subnet subnet) {
        RouteTable main = null;
        for (RouteTable t : world.all(RouteTable.class)) {
            if (!t.vpcId().equals(subnet.vpcId())) {
                continue;
            }
            for (RouteTable.Association a : t.associations()) {
                if (subnet.id().equals(a.subnetId())) {
                    return t;
                }
                if (a.main()) {
                    main = t;
                }
            }
        }
        return main;
    }
}
