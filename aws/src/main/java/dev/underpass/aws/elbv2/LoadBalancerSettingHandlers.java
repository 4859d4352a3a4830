package dev.underpass.aws.elbv2;

import dev.underpass.model.ec2.SecurityGroupId;
import dev.underpass.model.ec2.SubnetId;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.Tx;
import dev.underpass.model.ec2.NetworkInterface;
import dev.underpass.model.ec2.Subnet;
import dev.underpass.model.elb.AlbAttributes;
import dev.underpass.model.elb.AlbLoadBalancers;
import dev.underpass.model.elb.ElbError;
import dev.underpass.model.elb.LoadBalancer;
import dev.underpass.model.elb.ElbErrors;
import dev.underpass.model.elb.LoadBalancerRules;
import dev.underpass.model.elb.LoadBalancers;
import dev.underpass.model.elb.NlbAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeLoadBalancerAttributesRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeLoadBalancerAttributesResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ModifyLoadBalancerAttributesRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ModifyLoadBalancerAttributesResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.SetIpAddressTypeRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.SetIpAddressTypeResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.SetSecurityGroupsRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.SetSecurityGroupsResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.SetSubnetsRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.SetSubnetsResponse;

/**
 * What can change on a load balancer after it is created: its attributes (a Network Load Balancer's here, an
 * Application Load Balancer's in {@link AlbAttributes}), subnets, security groups and IP address type. A handler
 * family of its own, registered by {@link Elbv2Api}, so that {@link LoadBalancerHandlers} keeps the life cycle.
 */
final class LoadBalancerSettingHandlers {
    void register(Elbv2Registry registry) {
        registry.read("DescribeLoadBalancerAttributes", DescribeLoadBalancerAttributesRequest::builder,
                this::describeAttributes);
        registry.write("ModifyLoadBalancerAttributes", ModifyLoadBalancerAttributesRequest::builder,
                this::modifyAttributes);
        registry.write("SetSubnets", SetSubnetsRequest::builder, this::setSubnets);
        registry.write("SetSecurityGroups", SetSecurityGroupsRequest::builder, this::setSecurityGroups);
        registry.write("SetIpAddressType", SetIpAddressTypeRequest::builder, this::setIpAddressType);
    }

    private static List<LoadBalancerAttribute> attributes(LoadBalancer lb) {
        return ElbShapes.sdkAttributes(NlbAttributes.described(lb.attributes()),
                (k, v) -> LoadBalancerAttribute.builder().key(k).value(v).build());
    }

    private DescribeLoadBalancerAttributesResponse describeAttributes(DescribeLoadBalancerAttributesRequest req,
            Elbv2Api.ReadContext ctx) {
        LoadBalancer lb = LoadBalancers.requireLoadBalancer(ctx.world(), ctx.caller(),
                ElbShapes.required(req.loadBalancerArn(), "LoadBalancerArn"));
        return DescribeLoadBalancerAttributesResponse.builder().attributes(attributes(lb)).build();
    }

    private ModifyLoadBalancerAttributesResponse modifyAttributes(ModifyLoadBalancerAttributesRequest req, Tx tx) {
        LoadBalancer lb = LoadBalancers.requireLoadBalancer(tx.world(), tx.caller(),
                ElbShapes.required(req.loadBalancerArn(), "LoadBalancerArn"));
        if (lb.isApplication()) {
            Map<String, String> changes = ElbShapes.changeMap(req.attributes(), LoadBalancerAttribute::key,
                    LoadBalancerAttribute::value);
            LoadBalancer updated = tx.put(lb.withAttributes(AlbAttributes.modifyLoadBalancer(lb.attributes(),
                    changes)));
            return ModifyLoadBalancerAttributesResponse.builder().attributes(attributes(updated)).build();
        }
        LoadBalancer updated = tx.put(lb.withAttributes(NlbAttributes.modifyLoadBalancer(lb.attributes(),
                ElbShapes.changes(req.attributes(), LoadBalancerAttribute::key, LoadBalancerAttribute::value))));
        return ModifyLoadBalancerAttributesResponse.builder().attributes(attributes(updated)).build();
    }

    private SetSubnetsResponse setSubnets(SetSubnetsRequest req, Tx tx) {
        LoadBalancer lb = LoadBalancers.requireLoadBalancer(tx.world(), tx.caller(),
                ElbShapes.required(req.loadBalancerArn(), "LoadBalancerArn"));
        if (lb.isApplication()) {
            LoadBalancerPlacement.refuseAddressChoices(req.subnetMappings());
        }
        List<LoadBalancerPlacement.Choice> choices = LoadBalancerPlacement.choices(tx, req.subnets(),
                req.subnetMappings(), lb.scheme());
        if (lb.isApplication()) {
            AlbLoadBalancers.requireTwoZones(choices.stream().map(LoadBalancerPlacement.Choice::subnet).toList());
        }
        for (LoadBalancerPlacement.Choice c : choices) {
            if (!c.subnet().vpcId().equals(lb.vpcId())) {
                throw ElbError.INVALID_SUBNET.format("Subnet '%s' is not in the load balancer's VPC '%s'",
                        c.subnet().id(), lb.vpcId());
            }
        }
        List<LoadBalancer.Zone> zones = new ArrayList<>();
        Set<SubnetId> kept = new HashSet<>();
        for (LoadBalancerPlacement.Choice c : choices) {
            LoadBalancer.Zone existing = lb.zones().stream().filter(z -> z.subnetId().equals(c.subnet().subnetId()))
                    .findFirst().orElse(null);
            if (existing != null) {
                zones.add(existing);
                kept.add(existing.subnetId());
            } else {
                zones.add(LoadBalancerPlacement.createInterface(tx, c.subnet(), c.privateIp(), lb.name(), lb.lbId(),
                        SecurityGroupId.texts(lb.securityGroups()), lb.isApplication()));
            }
        }
        for (LoadBalancer.Zone z : lb.zones()) {
            if (!kept.contains(z.subnetId())) {
                tx.find(NetworkInterface.class, z.networkInterfaceId()).ifPresent(tx::remove);
            }
        }
        LoadBalancer updated = tx.put(lb.withZones(zones));
        return SetSubnetsResponse.builder()
                .availabilityZones(LoadBalancerHandlers.toSdk(updated, LoadBalancer.State.ACTIVE).availabilityZones())
                .ipAddressType(updated.ipAddressType().wire()).build();
    }

    private SetSecurityGroupsResponse setSecurityGroups(SetSecurityGroupsRequest req, Tx tx) {
        LoadBalancer lb = LoadBalancers.requireLoadBalancer(tx.world(), tx.caller(),
                ElbShapes.required(req.loadBalancerArn(), "LoadBalancerArn"));
        if (req.securityGroups() == null || !req.hasSecurityGroups()) {
            ElbShapes.required(null, "SecurityGroups");
        }
        List<String> groups;
        Map<String, String> attrs = lb.attributes();
        if (lb.isApplication()) {
            if (req.enforceSecurityGroupInboundRulesOnPrivateLinkTrafficAsString() != null) {
                throw ElbError.INVALID_CONFIGURATION_REQUEST.with("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic"
                        + " applies to Network Load Balancers only");
            }
            if (req.securityGroups().isEmpty()) {
                throw ElbError.VALIDATION_ERROR.with("An Application Load Balancer must have at least one security"
                        + " group");
            }
            groups = AlbLoadBalancers.securityGroups(tx, req.securityGroups(), lb.vpcId());
        } else {
            // An NLB created without security groups cannot get any, and one created with them keeps at least one.
            if (lb.securityGroups().isEmpty()) {
                throw ElbError.INVALID_CONFIGURATION_REQUEST.with("You cannot set security groups on a Network Load"
                        + " Balancer which was created without any security groups");
            }
            if (req.securityGroups().isEmpty()) {
                throw ElbError.INVALID_CONFIGURATION_REQUEST.with(
                        "You cannot remove all security groups from a Network Load Balancer created with them");
            }
            groups = LoadBalancerPlacement.securityGroups(tx, req.securityGroups(), lb.vpcId());
            if (groups.size() > AlbLoadBalancers.MAX_SECURITY_GROUPS) {
                throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                        "A load balancer can have at most %d security groups", AlbLoadBalancers.MAX_SECURITY_GROUPS);
            }
            String enforce = req.enforceSecurityGroupInboundRulesOnPrivateLinkTrafficAsString();
            if (enforce != null) {
                ElbShapes.oneOf(enforce, "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic",
                        List.of("on", "off"));
                attrs = NlbAttributes.withEnforceInbound(attrs, enforce);
            }
        }
        for (LoadBalancer.Zone z : lb.zones()) {
            tx.find(NetworkInterface.class, z.networkInterfaceId())
                    .ifPresent(eni -> tx.put(eni.withGroupIds(SecurityGroupId.all(groups))));
        }
        LoadBalancer updated = tx.put(lb.withSecurityGroups(SecurityGroupId.all(groups)).withAttributes(attrs));
        var out = SetSecurityGroupsResponse.builder().securityGroupIds(SecurityGroupId.texts(updated.securityGroups()));
        if (!updated.isApplication()) {
            out.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic(
                    NlbAttributes.enforceInbound(updated.attributes()));
        }
        return out.build();
    }

    private SetIpAddressTypeResponse setIpAddressType(SetIpAddressTypeRequest req, Tx tx) {
        LoadBalancer lb = LoadBalancers.requireLoadBalancer(tx.world(), tx.caller(),
                ElbShapes.required(req.loadBalancerArn(), "LoadBalancerArn"));
        LoadBalancer.IpAddressType type = ElbErrors.oneOf(LoadBalancer.IpAddressType.values(),
                ElbShapes.required(req.ipAddressTypeAsString(), "IpAddressType"), "ipAddressType");
        LoadBalancerRules.requireIpAddressTypeFor(lb.isApplication(), type);
        List<Subnet> subnets = new ArrayList<>();
        for (LoadBalancer.Zone z : lb.zones()) {
            tx.find(Subnet.class, z.subnetId()).ifPresent(subnets::add);
        }
        AlbLoadBalancers.requireIpAddressType(type, lb.scheme(), subnets);
        LoadBalancer updated = tx.put(lb.withIpAddressType(type));
        return SetIpAddressTypeResponse.builder().ipAddressType(updated.ipAddressType().wire()).build();
    }
}
