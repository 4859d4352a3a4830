package dev.underpass.model.ec2;

import dev.underpass.model.Resource;
import java.util.List;

/**
 * A load balancer as an endpoint service sees it: a resource whose id is its ARN, in some Availability Zones.
 * {@code model.elb.LoadBalancer} implements it. It is declared here, not there, because the ELB package depends on
 * the VPC core (instances as targets, subnets, security groups) and the VPC core must not depend back on it.
 */
public interface ServiceLoadBalancer extends Resource {

    /** Each zone the load balancer is enabled in, as (zone name, zone id). */
    List<EndpointService.Zone> serviceZones();
}
