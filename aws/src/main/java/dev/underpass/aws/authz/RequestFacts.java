package dev.underpass.aws.authz;

import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.elb.LoadBalancer;
import dev.underpass.model.AwsNamed;
import dev.underpass.aws.authz.OrgGuard.Check;
import dev.underpass.aws.authz.OrgGuard.Target;
import dev.underpass.model.Caller;
import dev.underpass.model.Resource;
import dev.underpass.model.World;
import dev.underpass.model.ec2.EndpointService;
import dev.underpass.model.ec2.ServicePermissions;
import dev.underpass.model.ec2.Subnet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;

/**
 * Derives the {@link Check} of an EC2, ELBv2 or RAM request from its SDK request object, reading members by their model
 * names (no per-operation code): the resource the action creates ({@code vpc-endpoint/*} for
 * {@code CreateVpcEndpoint}), the caller's resources the request names by id or ARN (each with its tags as
 * {@code ec2:ResourceTag/…} and {@code aws:ResourceTag/…}, and {@code ec2:Subnet}/{@code ec2:Vpc} for subnets),
 * and the request keys {@code aws:RequestTag/…}, {@code aws:TagKeys}, {@code ec2:Vpc} (from {@code VpcId}),
 * {@code ec2:VpceServiceName} and {@code ec2:VpceServiceOwner} ({@code amazon} for AWS services, else the service
 * owner's account).
 *
 * <p>As in the Service Authorization Reference, EC2 authorizes an action on the resources it creates and names
 * (RunInstances on the instance, subnet, security groups, …), {@code Describe*} on {@code *} only; ELBv2 on the
 * load balancer, target group, listener or rule it creates or names. Request keys are given with every resource
 * (AWS gives some only with some resource types: see docs/policy.md).
 */
public final class RequestFacts {
    /** EC2 resource ids: {@code vpc-0abc…}, {@code vpce-svc-…}, {@code sg-…}. */
    private static final Pattern EC2_ID = Pattern.compile("[a-z]+(?:-[a-z]+)*-[0-9a-f]{8,17}");
    /** At most this many named resources are authorized one by one; beyond, the request is authorized on them. */
    private static final int MAX_TARGETS = 25;

    /** What an EC2 action creates, by AWS's ARN resource type. */
    private static final Map<String, String> EC2_CREATES = Map.ofEntries(
            Map.entry("CreateVpc", "vpc"), Map.entry("CreateDefaultVpc", "vpc"), Map.entry("CreateSubnet", "subnet"),
            Map.entry("CreateDefaultSubnet", "subnet"), Map.entry("CreateSecurityGroup", "security-group"),
            Map.entry("CreateRouteTable", "route-table"), Map.entry("CreateNetworkAcl", "network-acl"),
            Map.entry("CreateNetworkInterface", "network-interface"), Map.entry("RunInstances", "instance"),
            Map.entry("CreateInternetGateway", "internet-gateway"), Map.entry("CreateNatGateway", "natgateway"),
            Map.entry("CreateEgressOnlyInternetGateway", "egress-only-internet-gateway"),
            Map.entry("CreateVpcEndpoint", "vpc-endpoint"),
            Map.entry("CreateVpcEndpointServiceConfiguration", "vpc-endpoint-service"),
            Map.entry("CreateManagedPrefixList", "prefix-list"), Map.entry("AllocateAddress", "elastic-ip"),
            Map.entry("CreateVpcPeeringConnection", "vpc-peering-connection"),
            Map.entry("CreateDhcpOptions", "dhcp-options"), Map.entry("CreateFlowLogs", "vpc-flow-log"));

    private RequestFacts() {}

    /** The check of an EC2 request ({@code ec2:<Action>}). */
    public static Check ec2(String action, SdkPojo request, World world, Caller caller) {
        Map<String, Object> keys = new LinkedHashMap<>();
        List<Target> targets = new ArrayList<>();
        boolean describe = action.startsWith("Describe") || action.startsWith("Get");
        String created = EC2_CREATES.get(action);
        if (created != null) {
            targets.add(new Target(ec2Arn(caller.region(), caller.accountId(), created, "*"), Map.of()));
        }
        Set<String> named = new LinkedHashSet<>();
        for (SdkField<?> f : request.sdkFields()) {
            Object value = f.getValueOrDefault(request);
            if (value == null) {
                continue;
            }
            String member = f.memberName();
            switch (member) {
                case "TagSpecifications", "Tags" -> tags(value, keys);
                case "ServiceName" -> {
                    if (action.equals("CreateVpcEndpoint") && value instanceof String name) {
                        keys.put("ec2:VpceServiceName", name);
                        keys.put("ec2:VpceServiceOwner", serviceOwner(world, name));
                    }
                }
                default -> strings(value, named);
            }
            if (member.equals("VpcId") && value instanceof String vpc) {
                keys.put("ec2:Vpc", ec2Arn(caller.region(), caller.accountId(), "vpc", vpc));
            }
        }
        if (!describe) {
            for (String id : named) {
                if (targets.size() >= MAX_TARGETS) {
                    break;
                }
                if (EC2_ID.matcher(id).matches()) {
                    Target t = ec2Target(world, caller, id);
                    if (t != null) {
                        targets.add(t);
                    }
                }
            }
        }
        return new Check("ec2:" + action, targets, keys);
    }

    /**
     * The check of a request to a service whose actions underpass does not authorize on resources (Organizations):
     * {@code <prefix>:<Action>} on {@code *}, with {@code aws:RequestTag/…} and {@code aws:TagKeys} from its
     * {@code Tags}.
     */
    public static Check global(String prefix, String action, SdkPojo request) {
        Map<String, Object> keys = new LinkedHashMap<>();
        for (SdkField<?> f : request.sdkFields()) {
            if (f.memberName().equalsIgnoreCase("Tags")) {
                Object value = f.getValueOrDefault(request);
                if (value != null) {
                    tags(value, keys);
                }
            }
        }
        return new Check(prefix + ":" + action, List.of(), keys);
    }

    /** The check of an ELBv2 request ({@code elasticloadbalancing:<Action>}). */
    public static Check elbv2(String action, SdkPojo request, World world, Caller caller) {
        Map<String, Object> keys = new LinkedHashMap<>();
        List<Target> targets = new ArrayList<>();
        String name = string(request, "Name");
        String base = "arn:aws:elasticloadbalancing:" + caller.region() + ":" + caller.accountId() + ":";
        if (action.equals("CreateLoadBalancer") && name != null) {
            String type = string(request, "Type");
            LoadBalancer.Type known = AwsNamed.find(LoadBalancer.Type.values(), type);
            String kind = (known == null ? LoadBalancer.Type.APPLICATION : known).arnPrefix();
            targets.add(new Target(base + "loadbalancer/" + kind + "/" + name + "/*", Map.of()));
        } else if (action.equals("CreateTargetGroup") && name != null) {
            targets.add(new Target(base + "targetgroup/" + name + "/*", Map.of()));
        }
        Set<String> named = new LinkedHashSet<>();
        for (SdkField<?> f : request.sdkFields()) {
            Object value = f.getValueOrDefault(request);
            if (value == null) {
                continue;
            }
            if (f.memberName().equals("Tags")) {
                tags(value, keys);
            } else {
                strings(value, named);
            }
        }
        if (!action.startsWith("Describe")) {
            for (String arn : named) {
                if (targets.size() >= MAX_TARGETS) {
                    break;
                }
                if (arn.startsWith("arn:aws:elasticloadbalancing:")) {
                    targets.add(elbTarget(world, caller, arn));
                }
            }
        }
        return new Check("elasticloadbalancing:" + action, targets, keys);
    }

    /**
     * The check of a RAM request ({@code ram:<Action>}): the share it creates ({@code resource-share/*}) or the RAM
     * ARNs it names; the keys {@code ram:ResourceShareName}, {@code ram:RequestedResourceType} and
     * {@code ram:ResourceArn} (from {@code resourceArns}), {@code ram:Principal}, {@code
     * ram:RequestedAllowsExternalPrincipals}, {@code ram:PermissionArn}, {@code aws:RequestTag/…} and
     * {@code aws:TagKeys}. {@code Get*}/{@code List*} on {@code *}.
     */
    public static Check ram(String action, SdkPojo request, World world, Caller caller) {
        Map<String, Object> keys = new LinkedHashMap<>();
        List<Target> targets = new ArrayList<>();
        if (action.equals("CreateResourceShare")) {
            targets.add(new Target("arn:aws:ram:" + caller.region() + ":" + caller.accountId() + ":resource-share/*",
                    Map.of()));
        }
        Set<String> named = new LinkedHashSet<>();
        for (SdkField<?> f : request.sdkFields()) {
            Object value = f.getValueOrDefault(request);
            if (value == null) {
                continue;
            }
            switch (f.memberName().toLowerCase(java.util.Locale.ROOT)) {
                case "tags" -> tags(value, keys);
                case "name" -> keys.put("ram:ResourceShareName", String.valueOf(value));
                case "allowexternalprincipals" -> keys.put("ram:RequestedAllowsExternalPrincipals",
                        String.valueOf(value));
                case "permissionarns" -> strings(value, named);
                case "principals" -> {
                    Set<String> principals = new LinkedHashSet<>();
                    strings(value, principals);
                    keys.put("ram:Principal", List.copyOf(principals));
                }
                case "resourcearns" -> {
                    Set<String> arns = new LinkedHashSet<>();
                    strings(value, arns);
                    keys.put("ram:ResourceArn", List.copyOf(arns));
                    keys.put("ram:RequestedResourceType", arns.stream().map(RequestFacts::resourceType)
                            .distinct().toList());
                }
                default -> strings(value, named);
            }
        }
        boolean read = action.startsWith("Get") || action.startsWith("List");
        for (String arn : named) {
            if (arn.startsWith("arn:aws:ram:")) {
                if (arn.contains(":permission/")) {
                    keys.put("ram:PermissionArn", arn);
                } else if (!read && targets.size() < MAX_TARGETS) {
                    targets.add(new Target(arn, Map.of()));
                }
            }
        }
        return new Check("ram:" + action, targets, keys);
    }

    /** RAM's resource type of an ARN: {@code ec2:Subnet}, {@code ec2:PrefixList}, else {@code service:type}. */
    private static String resourceType(String arn) {
        String[] parts = arn.split(":", 6);
        if (parts.length < 6) {
            return arn;
        }
        String type = parts[5].contains("/") ? parts[5].substring(0, parts[5].indexOf('/')) : parts[5];
        StringBuilder camel = new StringBuilder();
        for (String word : type.split("-")) {
            if (!word.isEmpty()) {
                camel.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
        }
        return parts[2] + ":" + camel;
    }

    private static String ec2Arn(String region, String account, String type, String id) {
        return "arn:aws:ec2:" + region + ":" + account + ":" + type + "/" + id;
    }

    /**
     * A named EC2 resource the caller owns, with its keys; null for one it does not own or that does not exist
     * (the handler answers NotFound, and another account's resource must not show through a decoded message).
     */
    private static Target ec2Target(World world, Caller caller, String id) {
        Resource r = world.findAny(id).orElse(null);
        if (r == null || !r.ownerId().equals(caller.accountId())) {
            return null;
        }
        Map<String, Object> keys = new LinkedHashMap<>();
        resourceTags(r, "ec2:ResourceTag/", keys);
        if (r instanceof Subnet s) {
            keys.put("ec2:Subnet", ec2Arn(s.region(), s.ownerId(), "subnet", s.id()));
            keys.put("ec2:Vpc", ec2Arn(s.region(), s.ownerId(), "vpc", VpcId.text(s.vpcId())));
        }
        return new Target(ec2Arn(r.region(), r.ownerId(), r.resourceType(), r.id()), keys);
    }

    private static Target elbTarget(World world, Caller caller, String arn) {
        Resource r = world.findAny(arn).orElse(null);
        Map<String, Object> keys = new LinkedHashMap<>();
        if (r != null && r.ownerId().equals(caller.accountId())) {
            resourceTags(r, "elasticloadbalancing:ResourceTag/", keys);
        }
        return new Target(arn, keys);
    }

    private static void resourceTags(Resource r, String servicePrefix, Map<String, Object> keys) {
        for (Map.Entry<String, String> t : r.tags().entrySet()) {
            keys.put(servicePrefix + t.getKey(), t.getValue());
            keys.put("aws:ResourceTag/" + t.getKey(), t.getValue());
        }
    }

    /** {@code ec2:VpceServiceOwner}: {@code amazon} for AWS services, the owner's account for an endpoint service. */
    private static String serviceOwner(World world, String serviceName) {
        if (ServicePermissions.isCustomerServiceName(serviceName)) {
            String id = serviceName.substring(serviceName.lastIndexOf('.') + 1);
            return world.find(EndpointService.class, id).map(EndpointService::ownerId).orElse("unknown");
        }
        return "amazon";
    }

    /** {@code aws:RequestTag/<key>} and {@code aws:TagKeys} from a list of tags or of tag specifications. */
    private static void tags(Object value, Map<String, Object> keys) {
        List<String> tagKeys = new ArrayList<>();
        collectTags(value, keys, tagKeys);
        if (!tagKeys.isEmpty()) {
            @SuppressWarnings("unchecked")
            List<String> existing = keys.get("aws:TagKeys") instanceof List<?> l ? (List<String>) l : List.of();
            List<String> all = new ArrayList<>(existing);
            tagKeys.stream().filter(k -> !all.contains(k)).forEach(all::add);
            keys.put("aws:TagKeys", all);
        }
    }

    private static void collectTags(Object value, Map<String, Object> keys, List<String> tagKeys) {
        if (value instanceof List<?> list) {
            list.forEach(v -> collectTags(v, keys, tagKeys));
        } else if (value instanceof SdkPojo pojo) {
            String key = string(pojo, "Key");
            if (key != null) {
                String v = string(pojo, "Value");
                keys.put("aws:RequestTag/" + key, v == null ? "" : v);
                tagKeys.add(key);
                return;
            }
            for (SdkField<?> f : pojo.sdkFields()) {
                if (f.memberName().equalsIgnoreCase("Tags")) {
                    collectTags(f.getValueOrDefault(pojo), keys, tagKeys);
                }
            }
        }
    }

    /** Every string of a top-level member (a string or a list of strings). */
    private static void strings(Object value, Set<String> out) {
        if (value instanceof String s) {
            out.add(s);
        } else if (value instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof String s) {
                    out.add(s);
                }
            }
        }
    }

    private static String string(SdkPojo pojo, String member) {
        for (SdkField<?> f : pojo.sdkFields()) {
            // RAM's restJson shapes spell members in lower camel case (key, value); EC2's and ELB's in upper.
            if (f.memberName().equalsIgnoreCase(member)) {
                Object v = f.getValueOrDefault(pojo);
                return v instanceof String s ? s : null;
            }
        }
        return null;
    }
}
