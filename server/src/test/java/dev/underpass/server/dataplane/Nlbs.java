package dev.underpass.server.dataplane;

import com.sun.net.httpserver.HttpServer;
import dev.underpass.server.Loopback;
import dev.underpass.server.TestVpcs;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ServiceConfiguration;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateTargetGroupRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/**
 * The load-balancer steps the loopback data-plane tests share: instances to serve, an internal NLB, a TCP target
 * group with a health check on /health, targets registered, a listener forwarding to a group.
 */
final class Nlbs {
    private Nlbs() {}

    /** Runs {@code count} small instances in the subnet; their ids, sorted. */
    static List<String> instances(Ec2Client ec2, String subnetId, int count) {
        return ec2.runInstances(r -> r.imageId("ami-12345678").instanceType("t3.micro").minCount(count)
                .maxCount(count).subnetId(subnetId)).instances().stream().map(i -> i.instanceId()).sorted().toList();
    }

    /** An internal Network Load Balancer with a node in each subnet; its ARN. */
    static String internalNlb(ElasticLoadBalancingV2Client elb, String name, String... subnetIds) {
        return elb.createLoadBalancer(r -> r.name(name).type("network").scheme("internal").subnets(subnetIds))
                .loadBalancers().get(0).loadBalancerArn();
    }

    /**
     * A TCP instance target group whose health check asks for /health over {@code checkProtocol} (HTTP or HTTPS)
     * every {@code interval} seconds with a 2-second timeout, wants 200 only, and moves after 2 results either way;
     * its ARN.
     */
    static String checkedTargetGroup(ElasticLoadBalancingV2Client elb, String name, String vpcId, int port,
            String checkProtocol, int interval) {
        return elb.createTargetGroup(r -> r.name(name).protocol("TCP").port(port).vpcId(vpcId)
                .targetType("instance").healthCheckProtocol(checkProtocol).healthCheckPath("/health")
                .matcher(m -> m.httpCode("200")).healthCheckIntervalSeconds(interval).healthCheckTimeoutSeconds(2)
                .healthyThresholdCount(2).unhealthyThresholdCount(2)).targetGroups().get(0).targetGroupArn();
    }

    /** Registers the instances as targets of the group, on its own port. */
    static void register(ElasticLoadBalancingV2Client elb, String targetGroupArn, String... instanceIds) {
        elb.registerTargets(r -> r.targetGroupArn(targetGroupArn).targets(Arrays.stream(instanceIds)
                .map(id -> TargetDescription.builder().id(id).build()).toList()));
    }

    /** A TCP listener on {@code port} forwarding to the group. */
    static void forwardTcp(ElasticLoadBalancingV2Client elb, String nlbArn, int port, String targetGroupArn) {
        elb.createListener(r -> r.loadBalancerArn(nlbArn).port(port).protocol("TCP")
                .defaultActions(a -> a.type("forward").targetGroupArn(targetGroupArn)));
    }

    /** The id of the VPC's default security group. */
    static String defaultGroup(Ec2Client ec2, String vpcId) {
        return ec2.describeSecurityGroups(r -> r.filters(f -> f.name("vpc-id").values(vpcId),
                f -> f.name("group-name").values("default"))).securityGroups().get(0).groupId();
    }

    /** Lets TCP ports {@code from}..{@code to} in from {@code cidr} through the group. */
    static void admitTcp(Ec2Client ec2, String groupId, int from, int to, String cidr) {
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(groupId).ipProtocol("tcp").fromPort(from).toPort(to)
                .cidrIp(cidr));
    }

    /** A provider's one-subnet VPC with instances in it, all traffic from the VPC let in (health checks too). */
    record Provider(String vpcId, String subnetId, List<String> instances) {}

    /**
     * Creates a VPC of {@code vpcCidr} (an IPv4 /16) with a /24 subnet, its x.y.1.0, in us-east-1a, runs
     * {@code count} instances there, and lets the whole VPC block in through its default group.
     */
    static Provider provider(Ec2Client ec2, String vpcCidr, int count) {
        String prefix = vpcCidr.substring(0, vpcCidr.indexOf('.', vpcCidr.indexOf('.') + 1) + 1);
        TestVpcs.Net net = TestVpcs.net(ec2, vpcCidr, prefix + "1.0/24", "us-east-1a");
        List<String> ids = instances(ec2, net.subnet().subnetId(), count);
        DataPlaneTest.admitVpcBlock(ec2, net.vpc().vpcId(), vpcCidr);
        return new Provider(net.vpc().vpcId(), net.subnet().subnetId(), ids);
    }

    /** The target's health description in the group. */
    static TargetHealthDescription health(ElasticLoadBalancingV2Client elb, String targetGroupArn, String targetId) {
        return elb.describeTargetHealth(r -> r.targetGroupArn(targetGroupArn)).targetHealthDescriptions().stream()
                .filter(d -> d.target().id().equals(targetId)).findFirst().orElseThrow();
    }

    /**
     * Starts the server as an app: /health answers {@code healthStatus}'s current value, every other path 200;
     * both with {@code body}. Answers the started server.
     */
    static HttpServer serve(HttpServer http, IntSupplier healthStatus, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        http.createContext("/", exchange -> {
            int code = exchange.getRequestURI().getPath().equals("/health") ? healthStatus.getAsInt() : 200;
            exchange.sendResponseHeaders(code, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        http.start();
        return http;
    }

    /**
     * Offers the NLB as an endpoint service that accepts connections without approval and lets {@code account}
     * create endpoints to it; answers the service.
     */
    static ServiceConfiguration offer(Ec2Client provider, String nlbArn, String account) {
        ServiceConfiguration service = provider.createVpcEndpointServiceConfiguration(r -> r
                .networkLoadBalancerArns(nlbArn).acceptanceRequired(false)).serviceConfiguration();
        provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(service.serviceId())
                .addAllowedPrincipals("arn:aws:iam::" + account + ":root"));
        return service;
    }

    /**
     * A provider's VPC of {@code vpcCidr} (an IPv4 /16) with one app instance in its x.y.1.0/24 subnet in
     * us-east-1a, whose default group lets TCP {@code appPort} in from the VPC.
     */
    static Provider oneApp(Ec2Client ec2, String vpcCidr, int appPort) {
        String prefix = vpcCidr.substring(0, vpcCidr.indexOf('.', vpcCidr.indexOf('.') + 1) + 1);
        TestVpcs.Net net = TestVpcs.net(ec2, vpcCidr, prefix + "1.0/24", "us-east-1a");
        String app = Loopback.instance(ec2, net.subnet().subnetId());
        admitTcp(ec2, defaultGroup(ec2, net.vpc().vpcId()), appPort, appPort, vpcCidr);
        return new Provider(net.vpc().vpcId(), net.subnet().subnetId(), List.of(app));
    }

    /**
     * Puts the backend's instances behind a new internal NLB named {@code name} (one TCP listener on
     * {@code listenerPort}, a TCP target group on {@code appPort} that {@code checks} may give health-check
     * settings) and offers it to {@code consumer} through {@link #offer}; answers the service.
     */
    static ServiceConfiguration offerApp(Ec2Client provider, ElasticLoadBalancingV2Client elb, Provider backend,
            String name, int appPort, int listenerPort, String consumer,
            Consumer<CreateTargetGroupRequest.Builder> checks) {
        String nlb = internalNlb(elb, name, backend.subnetId());
        String tg = elb.createTargetGroup(r -> checks.accept(r.name(name).protocol("TCP").port(appPort)
                .vpcId(backend.vpcId()).targetType("instance"))).targetGroups().get(0).targetGroupArn();
        register(elb, tg, backend.instances().toArray(String[]::new));
        forwardTcp(elb, nlb, listenerPort, tg);
        return offer(provider, nlb, consumer);
    }
}
