package dev.underpass.server;

import static dev.underpass.server.Ec2Assertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AllowedPrincipal;
import software.amazon.awssdk.services.ec2.model.ConnectionNotification;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ServiceConfiguration;
import software.amazon.awssdk.services.ec2.model.ServiceDetail;
import software.amazon.awssdk.services.ec2.model.UnsuccessfulItem;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;
import software.amazon.awssdk.services.ec2.model.VpcEndpointConnection;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ElasticLoadBalancingV2Exception;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;

/**
 * The seed's PrivateLink scenario through the SDK: a provider runs an application on instances in private subnets
 * of two AZs behind an internal Network Load Balancer, offers it as an endpoint service that requires acceptance,
 * and allows two consumer accounts; one consumer is accepted, the other rejected, and a third account cannot even
 * see the service. Around it: every rule and error of the provider and consumer sides, notifications and the event
 * log, and isolation between accounts.
 */
class PrivateLinkTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();
    private static final String PROVIDER = "111111111111";
    private static final String ALICE = "222222222222";
    private static final String BOB = "333333333333";
    private static final String STRANGER = "444444444444";

    private static Ec2Client provider;
    private static ElasticLoadBalancingV2Client providerElb;

    private static String nlbArn;
    private static String providerVpc;

    /** A consumer's network: a VPC with a subnet in us-east-1a, us-east-1b and us-east-1c. */
    private record Consumer(Ec2Client ec2, String vpc, String subnetA, String subnetB, String subnetC) {}

    @BeforeAll
    static void providerApplication() {
        provider = UNDERPASS.ec2(PROVIDER);
        providerElb = UNDERPASS.elbv2(PROVIDER);
        providerVpc = provider.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String a = subnet(provider, providerVpc, "10.0.1.0/24", "us-east-1a");
        String b = subnet(provider, providerVpc, "10.0.2.0/24", "us-east-1b");
        List<String> instances = new ArrayList<>();
        for (String s : List.of(a, b)) {
            instances.add(provider.runInstances(r -> r.imageId("ami-12345678").instanceType("t3.micro").minCount(1)
                    .maxCount(1).subnetId(s)).instances().get(0).instanceId());
        }
        nlbArn = providerElb.createLoadBalancer(r -> r.name("app").type("network").scheme("internal")
                .subnets(a, b)).loadBalancers().get(0).loadBalancerArn();
        String tg = providerElb.createTargetGroup(r -> r.name("app").protocol("TCP").port(8080)
                .vpcId(providerVpc).targetType("instance")).targetGroups().get(0).targetGroupArn();
        providerElb.registerTargets(r -> r.targetGroupArn(tg).targets(instances.stream()
                .map(i -> TargetDescription.builder().id(i).build()).toList()));
        providerElb.createListener(r -> r.loadBalancerArn(nlbArn).port(443).protocol("TCP")
                .defaultActions(Action.builder().type("forward").targetGroupArn(tg).build()));
    }

    private static String subnet(Ec2Client ec2, String vpc, String cidr, String zone) {
        return ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock(cidr).availabilityZone(zone)).subnet().subnetId();
    }

    private static final java.util.Map<String, Consumer> CONSUMERS = new java.util.HashMap<>();

    /** One network per consumer account (the default quota allows five VPCs), made on first use. */
    private static Consumer consumer(String account, String cidrPrefix) {
        return CONSUMERS.computeIfAbsent(account, a -> network(a, cidrPrefix));
    }

    private static Consumer network(String account, String cidrPrefix) {
        Ec2Client ec2 = UNDERPASS.ec2(account);
        String vpc = ec2.createVpc(r -> r.cidrBlock(cidrPrefix + ".0.0/16")).vpc().vpcId();
        return new Consumer(ec2, vpc, subnet(ec2, vpc, cidrPrefix + ".1.0/24", "us-east-1a"),
                subnet(ec2, vpc, cidrPrefix + ".2.0/24", "us-east-1b"),
                subnet(ec2, vpc, cidrPrefix + ".3.0/24", "us-east-1c"));
    }

    private static ServiceConfiguration service(boolean acceptance) {
        return provider.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(nlbArn)
                .acceptanceRequired(acceptance)).serviceConfiguration();
    }

    private static void allow(ServiceConfiguration s, String... accounts) {
        provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(s.serviceId()).addAllowedPrincipals(
                java.util.Arrays.stream(accounts).map(a -> "arn:aws:iam::" + a + ":root").toList()));
    }

    private static VpcEndpoint connect(Consumer c, ServiceConfiguration s, String... subnets) {
        return c.ec2().createVpcEndpoint(r -> r.vpcId(c.vpc()).vpcEndpointType("Interface")
                .serviceName(s.serviceName()).subnetIds(subnets)).vpcEndpoint();
    }

    private static String state(Consumer c, String endpointId) {
        return c.ec2().describeVpcEndpoints(r -> r.vpcEndpointIds(endpointId)).vpcEndpoints().get(0)
                .stateAsString();
    }

    private static void assertUnsuccessful(List<UnsuccessfulItem> items, String id, String code) {
        assertThat(items).anySatisfy(i -> {
            assertThat(i.resourceId()).isEqualTo(id);
            assertThat(i.error().code()).isEqualTo(code);
            assertThat(i.error().message()).isNotBlank();
        });
    }

    @Test
    void seedScenario_acceptedRejectedAndUnlistedConsumers_seeAwsStates() {
        Consumer alice = consumer(ALICE, "10.1");
        Consumer bob = consumer(BOB, "10.2");
        Consumer stranger = consumer(STRANGER, "10.3");
        ServiceConfiguration s = service(true);
        assertThat(s.serviceId()).matches("vpce-svc-[0-9a-f]{17}");
        assertThat(s.serviceName()).isEqualTo("com.amazonaws.vpce.us-east-1." + s.serviceId());
        assertThat(s.serviceStateAsString()).isEqualTo("Available");
        assertThat(s.availabilityZones()).containsExactly("us-east-1a", "us-east-1b");
        assertThat(s.availabilityZoneIds()).containsExactly("use1-az1", "use1-az2");
        assertThat(s.baseEndpointDnsNames()).containsExactly(s.serviceId() + ".us-east-1.vpce.amazonaws.com");
        assertThat(s.acceptanceRequired()).isTrue();
        assertThat(s.supportedIpAddressTypesAsStrings()).containsExactly("ipv4");
        assertThat(s.serviceType().get(0).serviceTypeAsString()).isEqualTo("Interface");
        assertThat(s.networkLoadBalancerArns()).containsExactly(nlbArn);
        allow(s, ALICE, BOB);

        // Alice and Bob see the service, with the provider as owner; the stranger does not.
        ServiceDetail seen = alice.ec2().describeVpcEndpointServices(r -> r.serviceNames(s.serviceName()))
                .serviceDetails().get(0);
        assertThat(seen.owner()).isEqualTo(PROVIDER);
        assertThat(seen.acceptanceRequired()).isTrue();
        assertThat(seen.availabilityZoneIds()).containsExactly("use1-az1", "use1-az2");
        assertThat(bob.ec2().describeVpcEndpointServices().serviceNames()).contains(s.serviceName());
        assertThat(stranger.ec2().describeVpcEndpointServices().serviceNames()).doesNotContain(s.serviceName());
        assertError(() -> stranger.ec2().describeVpcEndpointServices(r -> r.serviceNames(s.serviceName())),
                "InvalidServiceName");
        assertError(() -> connect(stranger, s, stranger.subnetA()), "InvalidServiceName");

        // Alice connects across two AZs: pendingAcceptance, with DNS names under the service's base name.
        VpcEndpoint a = connect(alice, s, alice.subnetA(), alice.subnetB());
        assertThat(a.stateAsString()).isEqualTo("pendingAcceptance");
        assertThat(a.dnsEntries().get(0).dnsName())
                .matches(a.vpcEndpointId() + "-[a-z0-9]{8}\\." + s.serviceId()
                        + "\\.us-east-1\\.vpce\\.amazonaws\\.com");
        assertThat(a.dnsEntries().get(1).dnsName()).contains("-us-east-1a." + s.serviceId());
        assertThat(a.dnsEntries()).hasSize(3);
        assertThat(a.networkInterfaceIds()).hasSize(2);
        VpcEndpoint b = connect(bob, s, bob.subnetB());
        assertThat(b.stateAsString()).isEqualTo("pendingAcceptance");

        // The provider sees both connections, and accepts Alice and rejects Bob.
        List<VpcEndpointConnection> pending = provider.describeVpcEndpointConnections(r -> r.filters(
                Filter.builder().name("vpc-endpoint-state").values("pendingAcceptance").build()))
                .vpcEndpointConnections();
        assertThat(pending).extracting(VpcEndpointConnection::vpcEndpointId)
                .contains(a.vpcEndpointId(), b.vpcEndpointId());
        VpcEndpointConnection ac = pending.stream().filter(c -> c.vpcEndpointId().equals(a.vpcEndpointId()))
                .findFirst().orElseThrow();
        assertThat(ac.vpcEndpointOwner()).isEqualTo(ALICE);
        assertThat(ac.serviceId()).isEqualTo(s.serviceId());
        assertThat(ac.networkLoadBalancerArns()).containsExactly(nlbArn);
        assertThat(ac.dnsEntries()).hasSize(3);
        assertThat(ac.ipAddressTypeAsString()).isEqualTo("ipv4");
        assertThat(ac.vpcEndpointConnectionId()).startsWith("vpce-con-");
        assertThat(ac.creationTimestamp()).isNotNull();
        assertThat(provider.acceptVpcEndpointConnections(r -> r.serviceId(s.serviceId())
                .vpcEndpointIds(a.vpcEndpointId())).unsuccessful()).isEmpty();
        assertThat(provider.rejectVpcEndpointConnections(r -> r.serviceId(s.serviceId())
                .vpcEndpointIds(b.vpcEndpointId())).unsuccessful()).isEmpty();
        assertThat(state(alice, a.vpcEndpointId())).isEqualTo("available");
        assertThat(state(bob, b.vpcEndpointId())).isEqualTo("rejected");

        // The service cannot go while Alice is connected; it can once she is rejected.
        var failed = provider.deleteVpcEndpointServiceConfigurations(r -> r.serviceIds(s.serviceId())).unsuccessful();
        assertUnsuccessful(failed, s.serviceId(), "ExistingVpcEndpointConnections");
        provider.rejectVpcEndpointConnections(r -> r.serviceId(s.serviceId()).vpcEndpointIds(a.vpcEndpointId()));
        assertThat(state(alice, a.vpcEndpointId())).isEqualTo("rejected");
        assertThat(provider.deleteVpcEndpointServiceConfigurations(r -> r.serviceIds(s.serviceId())).unsuccessful())
                .isEmpty();
        alice.ec2().deleteVpcEndpoints(r -> r.vpcEndpointIds(a.vpcEndpointId()));
        bob.ec2().deleteVpcEndpoints(r -> r.vpcEndpointIds(b.vpcEndpointId()));
    }

    @Test
    void createVpcEndpoint_withoutAcceptance_isAvailableAndProviderMayStillRejectIt() {
        Consumer alice = consumer(ALICE, "10.4");
        ServiceConfiguration s = service(false);
        allow(s, ALICE);
        VpcEndpoint e = connect(alice, s, alice.subnetA());
        assertThat(e.stateAsString()).isEqualTo("pending");
        assertThat(state(alice, e.vpcEndpointId())).isEqualTo("available");
        var accept = provider.acceptVpcEndpointConnections(r -> r.serviceId(s.serviceId())
                .vpcEndpointIds(e.vpcEndpointId())).unsuccessful();
        assertUnsuccessful(accept, e.vpcEndpointId(), "IncorrectState");
        provider.rejectVpcEndpointConnections(r -> r.serviceId(s.serviceId()).vpcEndpointIds(e.vpcEndpointId()));
        assertThat(state(alice, e.vpcEndpointId())).isEqualTo("rejected");
        alice.ec2().deleteVpcEndpoints(r -> r.vpcEndpointIds(e.vpcEndpointId()));
        provider.deleteVpcEndpointServiceConfigurations(r -> r.serviceIds(s.serviceId()));
    }

    @Test
    void createVpcEndpoint_subnetInZoneTheServiceDoesNotOffer_failsWithInvalidParameter() {
        Consumer alice = consumer(ALICE, "10.5");
        ServiceConfiguration s = service(true);
        allow(s, ALICE);
        assertError(() -> connect(alice, s, alice.subnetC()), "InvalidParameter");
        assertError(() -> connect(alice, s, alice.subnetA(), alice.subnetC()), "InvalidParameter");
        // Nothing was left behind by the refused calls.
        assertThat(alice.ec2().describeVpcEndpoints(r -> r.filters(Filter.builder().name("service-name")
                .values(s.serviceName()).build())).vpcEndpoints()).isEmpty();
        provider.deleteVpcEndpointServiceConfigurations(r -> r.serviceIds(s.serviceId()));
    }

    @Test
    void createVpcEndpoint_gatewayTypeToCustomerService_failsWithInvalidParameter() {
        Consumer alice = consumer(ALICE, "10.6");
        ServiceConfiguration s = service(true);
        allow(s, ALICE);
        assertError(() -> alice.ec2().createVpcEndpoint(r -> r.vpcId(alice.vpc()).serviceName(s.serviceName())),
                "InvalidParameter");
        provider.deleteVpcEndpointServiceConfigurations(r -> r.serviceIds(s.serviceId()));
    }

    @Test
    void acceptAndReject_unknownMalformedAndOtherServicesEndpoints_reportedPerItem() {
        Consumer alice = consumer(ALICE, "10.7");
        ServiceConfiguration s = service(true);
        ServiceConfiguration other = service(true);
        allow(s, ALICE);
        VpcEndpoint e = connect(alice, s, alice.subnetA());
        var result = provider.acceptVpcEndpointConnections(r -> r.serviceId(other.serviceId())
                .vpcEndpointIds(e.vpcEndpointId(), "vpce-0123456789abcdef0", "vpce-bad")).unsuccessful();
        assertThat(result).hasSize(3);
        assertUnsuccessful(result, e.vpcEndpointId(), "InvalidVpcEndpointId.NotFound");
        assertUnsuccessful(result, "vpce-0123456789abcdef0", "InvalidVpcEndpointId.NotFound");
        assertUnsuccessful(result, "vpce-bad", "InvalidVpcEndpointId.Malformed");
        // One good and one bad: the good one is accepted.
        var mixed = provider.acceptVpcEndpointConnections(r -> r.serviceId(s.serviceId())
                .vpcEndpointIds(e.vpcEndpointId(), "vpce-0123456789abcdef0")).unsuccessful();
        assertThat(mixed).hasSize(1);
        assertThat(state(alice, e.vpcEndpointId())).isEqualTo("available");
        // Only the provider accepts or rejects, and only the consumer deletes.
        assertError(() -> alice.ec2().rejectVpcEndpointConnections(r -> r.serviceId(s.serviceId())
                .vpcEndpointIds(e.vpcEndpointId())), "InvalidVpcEndpointServiceId.NotFound");
        var providerDelete = provider.deleteVpcEndpoints(r -> r.vpcEndpointIds(e.vpcEndpointId())).unsuccessful();
        assertUnsuccessful(providerDelete, e.vpcEndpointId(), "InvalidVpcEndpointId.NotFound");
        assertThat(state(alice, e.vpcEndpointId())).isEqualTo("available");
        assertError(() -> provider.acceptVpcEndpointConnections(r -> r.serviceId("vpce-svc-0123456789abcdef0")
                .vpcEndpointIds(e.vpcEndpointId())), "InvalidVpcEndpointServiceId.NotFound");
        assertError(() -> provider.acceptVpcEndpointConnections(r -> r.serviceId("svc-1")
                .vpcEndpointIds(e.vpcEndpointId())), "InvalidVpcEndpointServiceIdId.Malformed");
        alice.ec2().deleteVpcEndpoints(r -> r.vpcEndpointIds(e.vpcEndpointId()));
        assertThat(provider.deleteVpcEndpointServiceConfigurations(r -> r.serviceIds(s.serviceId(),
                other.serviceId())).unsuccessful()).isEmpty();
    }

    @Test
    void createServiceConfiguration_badLoadBalancerArns_failWithAwsCodes() {
        assertError(() -> provider.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns("nlb")),
                "InvalidNetworkLoadBalancerArn.Malformed");
        assertError(() -> provider.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(
                "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/web/0123456789abcdef")),
                "InvalidNetworkLoadBalancerArn.Malformed");
        assertError(() -> provider.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(
                "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/gwy/fw/0123456789abcdef")),
                "InvalidNetworkLoadBalancerArn.Malformed");
        assertError(() -> provider.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(
                "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/net/none/0123456789abcdef")),
                "InvalidNetworkLoadBalancerArn.NotFound");
        // Another account's load balancer is not found either.
        assertError(() -> UNDERPASS.ec2(ALICE).createVpcEndpointServiceConfiguration(r -> r
                .networkLoadBalancerArns(nlbArn)), "InvalidNetworkLoadBalancerArn.NotFound");
        assertError(() -> provider.createVpcEndpointServiceConfiguration(r -> r.acceptanceRequired(true)),
                "InvalidParameter");
        assertError(() -> provider.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(nlbArn)
                .supportedIpAddressTypes("ipv6")), "InvalidParameter");
        assertError(() -> provider.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(nlbArn)
                .supportedIpAddressTypes("dualstack")), "InvalidParameterValue");
        assertError(() -> provider.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(nlbArn)
                .supportedRegions("mars-north-1")), "InvalidParameterValue");
        assertThat(provider.describeVpcEndpointServiceConfigurations().serviceConfigurations()).noneMatch(
                c -> c.networkLoadBalancerArns().isEmpty());
    }

    @Test
    void deleteLoadBalancer_usedByService_failsWithResourceInUse() {
        ServiceConfiguration s = service(true);
        assertThatThrownBy(() -> providerElb.deleteLoadBalancer(r -> r.loadBalancerArn(nlbArn)))
                .isInstanceOfSatisfying(ElasticLoadBalancingV2Exception.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceInUse"));
        provider.deleteVpcEndpointServiceConfigurations(r -> r.serviceIds(s.serviceId()));
    }

    @Test
    void modifyServiceConfiguration_changesSettingsAndRefusesWhatAwsRefuses() {
        Consumer alice = consumer(ALICE, "10.8");
        ServiceConfiguration s = service(true);
        allow(s, ALICE);
        provider.modifyVpcEndpointServiceConfiguration(r -> r.serviceId(s.serviceId()).acceptanceRequired(false)
                .addSupportedRegions("eu-west-1"));
        ServiceConfiguration after = provider.describeVpcEndpointServiceConfigurations(r -> r.serviceIds(
                s.serviceId())).serviceConfigurations().get(0);
        assertThat(after.acceptanceRequired()).isFalse();
        assertThat(after.remoteAccessEnabled()).isTrue();
        assertThat(after.supportedRegions()).extracting(r -> r.region()).containsExactly("us-east-1", "eu-west-1");
        assertError(() -> provider.modifyVpcEndpointServiceConfiguration(r -> r.serviceId(s.serviceId())
                .removeSupportedRegions("us-east-1")), "InvalidParameter");
        // The supported IP address types: a name that is no type removes nothing; the last one stays.
        provider.modifyVpcEndpointServiceConfiguration(r -> r.serviceId(s.serviceId())
                .addSupportedIpAddressTypes("ipv4").removeSupportedIpAddressTypes("dualstack"));
        assertThat(provider.describeVpcEndpointServiceConfigurations(r -> r.serviceIds(s.serviceId()))
                .serviceConfigurations().get(0).supportedIpAddressTypesAsStrings()).containsExactly("ipv4");
        assertError(() -> provider.modifyVpcEndpointServiceConfiguration(r -> r.serviceId(s.serviceId())
                .removeSupportedIpAddressTypes("ipv4")), "InvalidParameter");
        assertError(() -> provider.modifyVpcEndpointServiceConfiguration(r -> r.serviceId(s.serviceId())
                .addSupportedIpAddressTypes("IPv4")), "InvalidParameterValue");
        assertError(() -> provider.modifyVpcEndpointServiceConfiguration(r -> r.serviceId(s.serviceId())
                .privateDnsName("a.example.com").removePrivateDnsName(true)), "InvalidParameterCombination");
        VpcEndpoint e = connect(alice, s, alice.subnetA());
        assertThat(e.stateAsString()).isEqualTo("pending");
        assertError(() -> provider.modifyVpcEndpointServiceConfiguration(r -> r.serviceId(s.serviceId())
                .removeNetworkLoadBalancerArns(nlbArn)), "ExistingVpcEndpointConnections");
        assertError(() -> UNDERPASS.ec2(ALICE).modifyVpcEndpointServiceConfiguration(r -> r.serviceId(s.serviceId())
                .acceptanceRequired(true)), "InvalidVpcEndpointServiceId.NotFound");
        provider.modifyVpcEndpointServicePayerResponsibility(r -> r.serviceId(s.serviceId())
                .payerResponsibility("ServiceOwner"));
        assertThat(provider.describeVpcEndpointServiceConfigurations(r -> r.serviceIds(s.serviceId()))
                .serviceConfigurations().get(0).payerResponsibilityAsString()).isEqualTo("ServiceOwner");
        assertError(() -> provider.modifyVpcEndpointServicePayerResponsibility(r -> r.serviceId(s.serviceId())
                .payerResponsibility("Consumer")), "InvalidParameterValue");
        alice.ec2().deleteVpcEndpoints(r -> r.vpcEndpointIds(e.vpcEndpointId()));
        provider.deleteVpcEndpointServiceConfigurations(r -> r.serviceIds(s.serviceId()));
    }

    @Test
    void crossRegion_consumerSeesServiceOnlyWhenItsRegionIsSupported() {
        ServiceConfiguration s = service(true);
        allow(s, ALICE);
        Ec2Client west = UNDERPASS.ec2(ALICE, "eu-west-1");
        assertThat(west.describeVpcEndpointServices(r -> r.serviceRegions("us-east-1")).serviceNames())
                .doesNotContain(s.serviceName());
        provider.modifyVpcEndpointServiceConfiguration(r -> r.serviceId(s.serviceId())
                .addSupportedRegions("eu-west-1"));
        ServiceDetail d = west.describeVpcEndpointServices(r -> r.serviceRegions("us-east-1")).serviceDetails()
                .stream().filter(x -> x.serviceName().equals(s.serviceName())).findFirst().orElseThrow();
        assertThat(d.serviceRegion()).isEqualTo("us-east-1");
        // Same-region listing in eu-west-1 does not include it: cross-region access is asked for explicitly.
        assertThat(west.describeVpcEndpointServices().serviceNames()).doesNotContain(s.serviceName());
        String vpc = west.createVpc(r -> r.cidrBlock("10.9.0.0/16")).vpc().vpcId();
        String subnet = subnet(west, vpc, "10.9.1.0/24", "eu-west-1a");
        assertError(() -> west.createVpcEndpoint(r -> r.vpcId(vpc).vpcEndpointType("Interface")
                .serviceName(s.serviceName()).subnetIds(subnet)), "InvalidServiceName");
        VpcEndpoint e = west.createVpcEndpoint(r -> r.vpcId(vpc).vpcEndpointType("Interface")
                .serviceName(s.serviceName()).serviceRegion("us-east-1").subnetIds(subnet)).vpcEndpoint();
        assertThat(e.stateAsString()).isEqualTo("pendingAcceptance");
        assertThat(e.serviceRegion()).isEqualTo("us-east-1");
        VpcEndpointConnection c = provider.describeVpcEndpointConnections(r -> r.filters(Filter.builder()
                .name("vpc-endpoint-id").values(e.vpcEndpointId()).build())).vpcEndpointConnections().get(0);
        assertThat(c.vpcEndpointRegion()).isEqualTo("eu-west-1");
        west.deleteVpcEndpoints(r -> r.vpcEndpointIds(e.vpcEndpointId()));
        provider.deleteVpcEndpointServiceConfigurations(r -> r.serviceIds(s.serviceId()));
    }

    @Test
    void permissions_principalFormatsTypesAndVisibility() {
        ServiceConfiguration s = service(true);
        var added = provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(s.serviceId())
                .addAllowedPrincipals("arn:aws:iam::" + ALICE + ":root", "arn:aws:iam::" + BOB + ":user/admin",
                        "arn:aws:iam::" + BOB + ":role/consumer", "elasticloadbalancing.amazonaws.com"));
        assertThat(added.returnValue()).isTrue();
        assertThat(added.addedPrincipals()).extracting(p -> p.principalTypeAsString())
                .containsExactly("Account", "User", "Role", "Service");
        assertThat(added.addedPrincipals()).allSatisfy(p -> {
            assertThat(p.servicePermissionId()).startsWith("vpce-svc-perm-");
            assertThat(p.serviceId()).isEqualTo(s.serviceId());
        });
        List<AllowedPrincipal> all = provider.describeVpcEndpointServicePermissions(r -> r.serviceId(s.serviceId()))
                .allowedPrincipals();
        assertThat(all).hasSize(4);
        assertThat(provider.describeVpcEndpointServicePermissions(r -> r.serviceId(s.serviceId()).filters(
                Filter.builder().name("principal-type").values("Account").build())).allowedPrincipals())
                .extracting(AllowedPrincipal::principal).containsExactly("arn:aws:iam::" + ALICE + ":root");
        // A user or role principal admits that principal only, not the account's root caller.
        assertThat(UNDERPASS.ec2(BOB).describeVpcEndpointServices().serviceNames()).doesNotContain(s.serviceName());
        assertThat(UNDERPASS.ec2(ALICE).describeVpcEndpointServices().serviceNames()).contains(s.serviceName());
        // '*' admits everyone; removing it and Alice hides the service again.
        provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(s.serviceId()).addAllowedPrincipals("*"));
        assertThat(UNDERPASS.ec2(STRANGER).describeVpcEndpointServices().serviceNames()).contains(s.serviceName());
        provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(s.serviceId())
                .removeAllowedPrincipals("*", "arn:aws:iam::" + ALICE + ":root"));
        assertThat(UNDERPASS.ec2(STRANGER).describeVpcEndpointServices().serviceNames())
                .doesNotContain(s.serviceName());
        assertThat(UNDERPASS.ec2(ALICE).describeVpcEndpointServices().serviceNames()).doesNotContain(s.serviceName());
        for (String bad : List.of("222222222222", "arn:aws:iam::12345:root", "arn:aws:iam::222222222222:group/g",
                "arn:aws:sts::222222222222:assumed-role/r/s", "arn:aws:iam::222222222222:user/path/admin")) {
            assertError(() -> provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(s.serviceId())
                    .addAllowedPrincipals(bad)), "InvalidPrincipal");
        }
        assertError(() -> provider.modifyVpcEndpointServicePermissions(r -> r.serviceId(s.serviceId())
                .addAllowedPrincipals("arn:aws:organizations::111111111111:organization/o-abcdefghij")),
                "UnknownPrincipalType.Unsupported");
        assertThat(provider.describeVpcEndpointServicePermissions(r -> r.serviceId(s.serviceId()))
                .allowedPrincipals()).hasSize(3);
        assertError(() -> UNDERPASS.ec2(ALICE).describeVpcEndpointServicePermissions(r -> r.serviceId(
                s.serviceId())), "InvalidVpcEndpointServiceId.NotFound");
        assertError(() -> provider.describeVpcEndpointServicePermissions(r -> r.serviceId(s.serviceId())
                .maxResults(2)), "InvalidParameterValue");
        provider.deleteVpcEndpointServiceConfigurations(r -> r.serviceIds(s.serviceId()));
    }

    @Test
    void privateDns_staysPendingUntilDomainIsPreapprovedThenVerifies() {
        ServiceConfiguration s = provider.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(nlbArn)
                .privateDnsName("api.seed-provider.example")).serviceConfiguration();
        assertThat(s.privateDnsName()).isEqualTo("api.seed-provider.example");
        assertThat(s.privateDnsNameConfiguration().stateAsString()).isEqualTo("pendingVerification");
        assertThat(s.privateDnsNameConfiguration().type()).isEqualTo("TXT");
        assertThat(s.privateDnsNameConfiguration().name()).matches("_[a-z0-9]{20}");
        assertThat(s.privateDnsNameConfiguration().value()).matches("vpce:[A-Za-z0-9]{20}");
        provider.startVpcEndpointServicePrivateDnsVerification(r -> r.serviceId(s.serviceId()));
        assertThat(configuration(s).privateDnsNameConfiguration().stateAsString()).isEqualTo("pendingVerification");
        var answer = TestClients.call("POST", UNDERPASS.server().endpoint(),
                "/_underpass/private-dns/verify?serviceId=" + s.serviceId());
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("verified").asText()).isEqualTo("api.seed-provider.example");
        provider.startVpcEndpointServicePrivateDnsVerification(r -> r.serviceId(s.serviceId()));
        assertThat(configuration(s).privateDnsNameConfiguration().stateAsString()).isEqualTo("verified");
        assertThat(TestClients.call("POST", UNDERPASS.server().endpoint(),
                "/_underpass/private-dns/verify?serviceId=vpce-svc-0123456789abcdef0").status()).isEqualTo(404);
        ServiceConfiguration plain = service(true);
        assertError(() -> provider.startVpcEndpointServicePrivateDnsVerification(r -> r.serviceId(
                plain.serviceId())), "InvalidParameter");
        provider.deleteVpcEndpointServiceConfigurations(r -> r.serviceIds(s.serviceId(), plain.serviceId()));
    }

    private static ServiceConfiguration configuration(ServiceConfiguration s) {
        return provider.describeVpcEndpointServiceConfigurations(r -> r.serviceIds(s.serviceId()))
                .serviceConfigurations().get(0);
    }

    @Test
    void notifications_recordEveryEventTheySubscribeToInTheEventLog() {
        Consumer alice = consumer(ALICE, "10.10");
        Consumer bob = consumer(BOB, "10.11");
        ServiceConfiguration s = service(true);
        allow(s, ALICE, BOB);
        String topic = "arn:aws:sns:us-east-1:" + PROVIDER + ":VpceNotification";
        ConnectionNotification n = provider.createVpcEndpointConnectionNotification(r -> r.serviceId(s.serviceId())
                .connectionNotificationArn(topic).connectionEvents("Connect", "Accept", "Reject"))
                .connectionNotification();
        assertThat(n.connectionNotificationId()).matches("vpce-nfn-[0-9a-f]{17}");
        assertThat(n.connectionNotificationStateAsString()).isEqualTo("Enabled");
        assertThat(n.connectionNotificationTypeAsString()).isEqualTo("Topic");
        VpcEndpoint a = connect(alice, s, alice.subnetA());
        VpcEndpoint b = connect(bob, s, bob.subnetA());
        provider.acceptVpcEndpointConnections(r -> r.serviceId(s.serviceId()).vpcEndpointIds(a.vpcEndpointId()));
        provider.rejectVpcEndpointConnections(r -> r.serviceId(s.serviceId()).vpcEndpointIds(b.vpcEndpointId()));
        provider.modifyVpcEndpointConnectionNotification(r -> r.connectionNotificationId(
                n.connectionNotificationId()).connectionEvents("Delete"));
        alice.ec2().deleteVpcEndpoints(r -> r.vpcEndpointIds(a.vpcEndpointId()));

        JsonNode log = TestClients.call("GET", UNDERPASS.server().endpoint(),
                "/_underpass/events?serviceId=" + s.serviceId()).body();
        List<String> seen = new ArrayList<>();
        log.forEach(e -> seen.add(e.get("type").asText() + " " + e.get("endpointId").asText() + " "
                + e.get("consumerAccount").asText()));
        assertThat(seen).containsExactly("Connect " + a.vpcEndpointId() + " " + ALICE,
                "Connect " + b.vpcEndpointId() + " " + BOB, "Accept " + a.vpcEndpointId() + " " + ALICE,
                "Reject " + b.vpcEndpointId() + " " + BOB, "Delete " + a.vpcEndpointId() + " " + ALICE);
        JsonNode first = log.get(0);
        assertThat(first.get("notificationArn").asText()).isEqualTo(topic);
        assertThat(first.get("endpointState").asText()).isEqualTo("pendingAcceptance");
        assertThat(first.get("message").asText()).contains("\"Event\":\"Connect\"").contains(a.vpcEndpointId());

        // Describe with filters; modify and delete; errors.
        assertThat(provider.describeVpcEndpointConnectionNotifications(r -> r.filters(Filter.builder()
                .name("service-id").values(s.serviceId()).build())).connectionNotificationSet())
                .extracting(ConnectionNotification::connectionEvents).containsExactly(List.of("Delete"));
        assertThat(UNDERPASS.ec2(ALICE).describeVpcEndpointConnectionNotifications().connectionNotificationSet())
                .isEmpty();
        assertError(() -> provider.createVpcEndpointConnectionNotification(r -> r.serviceId(s.serviceId())
                .connectionNotificationArn("not-a-topic").connectionEvents("Connect")),
                "InvalidConnectionNotification");
        assertError(() -> provider.createVpcEndpointConnectionNotification(r -> r.serviceId(s.serviceId())
                .connectionNotificationArn(topic).connectionEvents("Explode")), "InvalidParameterValue");
        assertError(() -> provider.createVpcEndpointConnectionNotification(r -> r.connectionNotificationArn(topic)
                .connectionEvents("Connect")), "MissingParameter");
        assertError(() -> UNDERPASS.ec2(ALICE).createVpcEndpointConnectionNotification(r -> r.serviceId(
                s.serviceId()).connectionNotificationArn(topic).connectionEvents("Connect")),
                "InvalidVpcEndpointServiceId.NotFound");
        // The consumer subscribes to its own endpoint.
        ConnectionNotification mine = bob.ec2().createVpcEndpointConnectionNotification(r -> r
                .vpcEndpointId(b.vpcEndpointId()).connectionNotificationArn("arn:aws:sns:us-east-1:" + BOB + ":mine")
                .connectionEvents("Delete")).connectionNotification();
        var deleted = provider.deleteVpcEndpointConnectionNotifications(r -> r.connectionNotificationIds(
                n.connectionNotificationId(), mine.connectionNotificationId())).unsuccessful();
        assertUnsuccessful(deleted, mine.connectionNotificationId(), "InvalidConnectionNotification");
        assertThat(deleted).hasSize(1);
        bob.ec2().deleteVpcEndpoints(r -> r.vpcEndpointIds(b.vpcEndpointId()));
        JsonNode bobs = TestClients.call("GET", UNDERPASS.server().endpoint(),
                "/_underpass/events?endpointId=" + b.vpcEndpointId()).body();
        assertThat(bobs.get(bobs.size() - 1).get("type").asText()).isEqualTo("Delete");
        assertThat(bobs.get(bobs.size() - 1).get("notificationArn").asText()).endsWith(":mine");
        provider.deleteVpcEndpointServiceConfigurations(r -> r.serviceIds(s.serviceId()));
    }

    @Test
    void describeServiceConfigurations_filtersPagingAndIsolation() {
        ServiceConfiguration s1 = service(true);
        ServiceConfiguration s2 = service(false);
        assertThat(provider.describeVpcEndpointServiceConfigurations(r -> r.filters(Filter.builder()
                .name("service-id").values(s2.serviceId()).build())).serviceConfigurations())
                .extracting(ServiceConfiguration::serviceId).containsExactly(s2.serviceId());
        assertThat(provider.describeVpcEndpointServiceConfigurations(r -> r.filters(Filter.builder()
                .name("service-state").values("Available").build())).serviceConfigurations().size())
                .isGreaterThanOrEqualTo(2);
        assertThat(provider.describeVpcEndpointServiceConfigurations(r -> r.serviceIds(s1.serviceId(), s2.serviceId())
                .filters(Filter.builder().name("supported-ip-address-types").values("ipv4").build()))
                .serviceConfigurations()).hasSize(2);
        assertThat(provider.describeVpcEndpointServiceConfigurations(r -> r.serviceIds(s1.serviceId(), s2.serviceId())
                .filters(Filter.builder().name("supported-ip-address-types").values("ipv6").build()))
                .serviceConfigurations()).isEmpty();
        var page = provider.describeVpcEndpointServiceConfigurations(r -> r.maxResults(5));
        assertThat(page.serviceConfigurations().size()).isLessThanOrEqualTo(5);
        assertError(() -> provider.describeVpcEndpointServiceConfigurations(r -> r.maxResults(4)),
                "InvalidParameterValue");
        assertError(() -> provider.describeVpcEndpointServiceConfigurations(r -> r.filters(Filter.builder()
                .name("nope").values("x").build())), "InvalidParameterValue");
        assertError(() -> UNDERPASS.ec2(ALICE).describeVpcEndpointServiceConfigurations(r -> r.serviceIds(
                s1.serviceId())), "InvalidVpcEndpointServiceId.NotFound");
        assertThat(UNDERPASS.ec2(ALICE).describeVpcEndpointServiceConfigurations().serviceConfigurations())
                .isEmpty();
        assertThat(UNDERPASS.ec2(ALICE).describeVpcEndpointConnections().vpcEndpointConnections()).isEmpty();
        assertError(() -> provider.describeVpcEndpointConnections(r -> r.maxResults(1001)), "InvalidParameterValue");
        var del = provider.deleteVpcEndpointServiceConfigurations(r -> r.serviceIds(s1.serviceId(), s2.serviceId(),
                "vpce-svc-0123456789abcdef0")).unsuccessful();
        assertThat(del).hasSize(1);
        assertUnsuccessful(del, "vpce-svc-0123456789abcdef0", "InvalidVpcEndpointServiceId.NotFound");
    }

    @Test
    void customerServiceEndpoint_modifyAndDescribeFromConsumerSide() {
        Consumer alice = consumer(ALICE, "10.12");
        ServiceConfiguration s = service(true);
        allow(s, ALICE);
        VpcEndpoint e = connect(alice, s, alice.subnetA());
        alice.ec2().modifyVpcEndpoint(r -> r.vpcEndpointId(e.vpcEndpointId()).addSubnetIds(alice.subnetB()));
        VpcEndpoint after = alice.ec2().describeVpcEndpoints(r -> r.vpcEndpointIds(e.vpcEndpointId()))
                .vpcEndpoints().get(0);
        assertThat(after.subnetIds()).containsExactly(alice.subnetA(), alice.subnetB());
        assertThat(after.dnsEntries()).hasSize(3);
        assertThat(after.serviceName()).isEqualTo(s.serviceName());
        assertError(() -> alice.ec2().modifyVpcEndpoint(r -> r.vpcEndpointId(e.vpcEndpointId())
                .addSubnetIds(alice.subnetC())), "InvalidParameter");
        assertThat(alice.ec2().describeVpcEndpoints(r -> r.filters(Filter.builder().name("vpc-endpoint-state")
                .values("pendingAcceptance").build())).vpcEndpoints()).extracting(VpcEndpoint::vpcEndpointId)
                .contains(e.vpcEndpointId());
        alice.ec2().deleteVpcEndpoints(r -> r.vpcEndpointIds(e.vpcEndpointId()));
        provider.deleteVpcEndpointServiceConfigurations(r -> r.serviceIds(s.serviceId()));
    }

    @Test
    void customerServiceEndpoint_modifySecurityGroupsAndRemoveSubnet_updatesItsInterfaces() {
        Consumer alice = consumer(ALICE, "10.13");
        ServiceConfiguration s = service(false);
        allow(s, ALICE);
        VpcEndpoint e = connect(alice, s, alice.subnetA(), alice.subnetB());
        assertThat(e.groups()).hasSize(1);
        String defaultGroup = e.groups().get(0).groupId();
        String web = alice.ec2().createSecurityGroup(r -> r.vpcId(alice.vpc()).groupName("web-" + e.vpcEndpointId())
                .description("web")).groupId();

        alice.ec2().modifyVpcEndpoint(r -> r.vpcEndpointId(e.vpcEndpointId()).addSecurityGroupIds(web)
                .removeSecurityGroupIds(defaultGroup).removeSubnetIds(alice.subnetB()));
        VpcEndpoint after = alice.ec2().describeVpcEndpoints(r -> r.vpcEndpointIds(e.vpcEndpointId()))
                .vpcEndpoints().get(0);
        assertThat(after.groups()).extracting(g -> g.groupId()).containsExactly(web);
        assertThat(after.subnetIds()).containsExactly(alice.subnetA());
        assertThat(after.networkInterfaceIds()).hasSize(1);
        assertThat(alice.ec2().describeNetworkInterfaces(r -> r.networkInterfaceIds(after.networkInterfaceIds()))
                .networkInterfaces().get(0).groups()).extracting(g -> g.groupId()).containsExactly(web);
        String gone = e.networkInterfaceIds().stream().filter(id -> !after.networkInterfaceIds().contains(id))
                .findFirst().orElseThrow();
        assertError(() -> alice.ec2().describeNetworkInterfaces(r -> r.networkInterfaceIds(gone)),
                "InvalidNetworkInterfaceID.NotFound");

        // The last group cannot go.
        assertError(() -> alice.ec2().modifyVpcEndpoint(r -> r.vpcEndpointId(e.vpcEndpointId())
                .removeSecurityGroupIds(web)), "InvalidParameter");
        alice.ec2().deleteVpcEndpoints(r -> r.vpcEndpointIds(e.vpcEndpointId()));
        provider.deleteVpcEndpointServiceConfigurations(r -> r.serviceIds(s.serviceId()));
    }
}
