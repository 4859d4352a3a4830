package dev.underpass.server;

import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;

/**
 * The PrivateLink scenario the analyzer's tests share, built through the SDK: the provider's instance behind an
 * internal NLB (TCP 443 to 8080) offered as an endpoint service that requires acceptance; the consumer's client
 * instance and an interface endpoint whose security group admits TCP 80 only, still {@code pendingAcceptance}. So
 * a trace from the client to the endpoint on 443 is blocked twice; {@link #fix()} clears both.
 */
record BlockedPrivateLink(Ec2Client provider, Ec2Client consumer, String serviceId, String endpointId,
        String endpointGroup, String client, String appInstance) {

    static BlockedPrivateLink build(UnderpassExtension underpass, String providerAccount, String consumerAccount) {
        Ec2Client provider = underpass.ec2(providerAccount);
        ElasticLoadBalancingV2Client elb = underpass.elbv2(providerAccount);
        String pvpc = provider.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String psub = provider.createSubnet(r -> r.vpcId(pvpc).cidrBlock("10.0.1.0/24")
                .availabilityZone("us-east-1a")).subnet().subnetId();
        String app = provider.runInstances(r -> r.imageId("ami-12345678").instanceType("t3.micro").minCount(1)
                .maxCount(1).subnetId(psub)).instances().get(0).instanceId();
        String pDefault = provider.describeSecurityGroups(r -> r.filters(f -> f.name("vpc-id").values(pvpc),
                f -> f.name("group-name").values("default"))).securityGroups().get(0).groupId();
        provider.authorizeSecurityGroupIngress(r -> r.groupId(pDefault).ipProtocol("tcp").fromPort(8080)
                .toPort(8080).cidrIp("10.0.0.0/16"));
        String nlb = elb.createLoadBalancer(r -> r.name("app").type("network").scheme("internal").subnets(psub))
                .loadBalancers().get(0).loadBalancerArn();
        String tg = elb.createTargetGroup(r -> r.name("app").protocol("TCP").port(8080).vpcId(pvpc)
                .targetType("instance")).targetGroups().get(0).targetGroupArn();
        elb.registerTargets(r -> r.targetGroupArn(tg).targets(TargetDescription.builder().id(app).build()));
        elb.createListener(r -> r.loadBalancerArn(nlb).port(443).protocol("TCP")
                .defaultActions(Action.builder().type("forward").targetGroupArn(tg).build()));
        var service = provider.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(nlb)
                .acceptanceRequired(true)).serviceConfiguration();
        provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(service.serviceId())
                .addAllowedPrincipals("arn:aws:iam::" + consumerAccount + ":root"));

        Ec2Client consumer = underpass.ec2(consumerAccount);
        String cvpc = consumer.createVpc(r -> r.cidrBlock("10.1.0.0/16")).vpc().vpcId();
        String csub = consumer.createSubnet(r -> r.vpcId(cvpc).cidrBlock("10.1.1.0/24")
                .availabilityZone("us-east-1a")).subnet().subnetId();
        String client = consumer.runInstances(r -> r.imageId("ami-12345678").instanceType("t3.micro").minCount(1)
                .maxCount(1).subnetId(csub)).instances().get(0).instanceId();
        String group = consumer.createSecurityGroup(r -> r.vpcId(cvpc).groupName("endpoint")
                .description("endpoint")).groupId();
        consumer.authorizeSecurityGroupIngress(r -> r.groupId(group).ipProtocol("tcp").fromPort(80)
                .toPort(80).cidrIp("10.1.0.0/16"));
        String endpoint = consumer.createVpcEndpoint(r -> r.vpcId(cvpc).vpcEndpointType("Interface")
                .serviceName(service.serviceName()).subnetIds(csub).securityGroupIds(group))
                .vpcEndpoint().vpcEndpointId();
        return new BlockedPrivateLink(provider, consumer, service.serviceId(), endpoint, group, client, app);
    }

    /** The provider accepts the endpoint and the consumer opens 443 from its VPC. */
    void fix() {
        provider.acceptVpcEndpointConnections(r -> r.serviceId(serviceId).vpcEndpointIds(endpointId));
        consumer.authorizeSecurityGroupIngress(r -> r.groupId(endpointGroup).ipProtocol("tcp").fromPort(443)
                .toPort(443).cidrIp("10.1.0.0/16"));
    }
}
