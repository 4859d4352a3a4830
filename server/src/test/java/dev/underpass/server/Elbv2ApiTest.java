package dev.underpass.server;

import dev.underpass.model.ec2.ReservationId;
import dev.underpass.model.ec2.ImageId;
import dev.underpass.model.ec2.SubnetId;
import dev.underpass.model.ec2.VpcId;
import static dev.underpass.server.AlbApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.Caller;
import dev.underpass.model.ec2.InstanceState;
import dev.underpass.model.ec2.Instance;
import dev.underpass.model.ec2.InstanceStates;
import dev.underpass.model.ec2.InternetGateway;
import dev.underpass.model.ec2.NetworkInterface;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ElasticLoadBalancingV2Exception;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

class Elbv2ApiTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();
    private static final String ACCOUNT = "111111111111";
    private static final String OTHER = "222222222222";

    private final ElasticLoadBalancingV2Client elb = UNDERPASS.elbv2(ACCOUNT);
    private final ElasticLoadBalancingV2Client other = UNDERPASS.elbv2(OTHER);

    private static String vpc;
    private static String subnetA;
    private static String subnetB;
    private static String subnetC;
    private static String otherVpcSubnet;
    private static String instanceA;
    private static String instanceB;
    private static String stopped;

    @BeforeAll
    static void network() {
        Ec2Client ec2 = UNDERPASS.ec2(ACCOUNT);
        vpc = ec2.createVpc(r -> r.cidrBlock("10.20.0.0/16")).vpc().vpcId();
        subnetA = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.20.1.0/24").availabilityZone("us-east-1a"))
                .subnet().subnetId();
        subnetB = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.20.2.0/24").availabilityZone("us-east-1b"))
                .subnet().subnetId();
        subnetC = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.20.3.0/24").availabilityZone("us-east-1c"))
                .subnet().subnetId();
        String otherVpc = ec2.createVpc(r -> r.cidrBlock("10.30.0.0/16")).vpc().vpcId();
        otherVpcSubnet = ec2.createSubnet(r -> r.vpcId(otherVpc).cidrBlock("10.30.1.0/24")
                .availabilityZone("us-east-1a")).subnet().subnetId();
        instanceA = instance(subnetA, "us-east-1a", "10.20.1.100", InstanceState.RUNNING);
        instanceB = instance(subnetB, "us-east-1b", "10.20.2.100", InstanceState.RUNNING);
        stopped = instance(subnetA, "us-east-1a", "10.20.1.101", InstanceState.STOPPED);
    }

    /** RunInstances is not on this branch: an instance record goes straight into the store. */
    private static String instance(String subnet, String zone, String ip, InstanceState state) {
        String id = dev.underpass.model.Ids.next("i");
        Instant now = Instant.now();
        UNDERPASS.server().store().writeAndWait(Caller.of(ACCOUNT, "us-east-1"), tx -> tx.put(new Instance(id,
                ACCOUNT, "us-east-1", ImageId.of("ami-12345678"), "t3.micro", null, SubnetId.of(subnet), VpcId.of(vpc),
                zone, null,
                ip,
                List.of(),
                state, now, now, "0", ReservationId.of("r-0123456789abcdef0"), null, Map.of())));
        return id;
    }

    private LoadBalancer nlb(String name, String... subnets) {
        return elb.createLoadBalancer(r -> r.name(name).type("network").scheme("internal").subnets(subnets))
                .loadBalancers().get(0);
    }

    private TargetGroup group(String name, String protocol, String targetType) {
        return elb.createTargetGroup(r -> r.name(name).protocol(protocol).port(8080).vpcId(vpc)
                .targetType(targetType)).targetGroups().get(0);
    }

    private Listener listen(LoadBalancer lb, int port, String protocol, TargetGroup tg) {
        return elb.createListener(r -> r.loadBalancerArn(lb.loadBalancerArn()).port(port).protocol(protocol)
                .defaultActions(Action.builder().type("forward").targetGroupArn(tg.targetGroupArn()).build()))
                .listeners().get(0);
    }

    @Test
    void createLoadBalancer_internalAcrossTwoZones_hasArnDnsNameZonesAndInterfaces() {
        LoadBalancer lb = nlb("provider-nlb", subnetA, subnetB);

        assertThat(lb.loadBalancerArn())
                .matches(
                        "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/net/provider-nlb/[0-9a-f]{16}");
        String lbId = lb.loadBalancerArn().substring(lb.loadBalancerArn().lastIndexOf('/') + 1);
        assertThat(lb.dnsName()).isEqualTo("provider-nlb-" + lbId + ".elb.us-east-1.amazonaws.com");
        assertThat(lb.canonicalHostedZoneId()).isEqualTo("Z26RNL4JYFTOTI");
        assertThat(lb.typeAsString()).isEqualTo("network");
        assertThat(lb.schemeAsString()).isEqualTo("internal");
        assertThat(lb.vpcId()).isEqualTo(vpc);
        assertThat(lb.ipAddressTypeAsString()).isEqualTo("ipv4");
        assertThat(lb.state().codeAsString()).isEqualTo("provisioning");
        assertThat(lb.createdTime()).isNotNull();
        assertThat(lb.availabilityZones()).extracting(z -> z.zoneName() + "/" + z.subnetId())
                .containsExactlyInAnyOrder("us-east-1a/" + subnetA, "us-east-1b/" + subnetB);

        LoadBalancer described = elb.describeLoadBalancers(r -> r.loadBalancerArns(lb.loadBalancerArn()))
                .loadBalancers().get(0);
        assertThat(described.state().codeAsString()).isEqualTo("active");
        assertThat(described.dnsName()).isEqualTo(lb.dnsName());

        List<NetworkInterface> enis = UNDERPASS.server().store().world().all(NetworkInterface.class,
                e -> e.description().equals("ELB net/provider-nlb/" + lbId));
        assertThat(enis).hasSize(2).allSatisfy(e -> {
            assertThat(e.interfaceType()).isEqualTo("network_load_balancer");
            assertThat(e.requesterManaged()).isTrue();
            assertThat(e.ownerId()).isEqualTo(ACCOUNT);
        });
        assertThat(enis).extracting(n -> n.subnetId().value()).containsExactlyInAnyOrder(subnetA, subnetB);
        assertThat(enis).extracting(NetworkInterface::primaryIp)
                .allSatisfy(ip -> assertThat(ip).startsWith("10.20."));
        assertThat(dev.underpass.model.elb.LoadBalancers.findByArn(UNDERPASS.server().store().world(),
                lb.loadBalancerArn())).get().satisfies(d -> assertThat(d.zoneIds())
                        .containsExactly("use1-az1", "use1-az2"));

        elb.deleteLoadBalancer(r -> r.loadBalancerArn(lb.loadBalancerArn()));
        assertThat(UNDERPASS.server().store().world().all(NetworkInterface.class,
                e -> e.description().equals("ELB net/provider-nlb/" + lbId))).isEmpty();
        assertError(() -> elb.describeLoadBalancers(r -> r.loadBalancerArns(lb.loadBalancerArn())),
                "LoadBalancerNotFound");
        // Deleting again succeeds, as AWS documents.
        elb.deleteLoadBalancer(r -> r.loadBalancerArn(lb.loadBalancerArn()));
    }

    @Test
    void createLoadBalancer_withSubnetMappingAddress_usesThatAddress() {
        LoadBalancer lb = elb.createLoadBalancer(r -> r.name("mapped").type("network").scheme("internal")
                .subnetMappings(m -> m.subnetId(subnetC).privateIPv4Address("10.20.3.50"))).loadBalancers().get(0);
        assertThat(lb.availabilityZones().get(0).loadBalancerAddresses().get(0).privateIPv4Address())
                .isEqualTo("10.20.3.50");
        assertError(() -> elb.createLoadBalancer(r -> r.name("mapped-2").type("network").scheme("internal")
                .subnetMappings(m -> m.subnetId(subnetC).privateIPv4Address("10.20.3.50"))),
                "InvalidConfigurationRequest");
        elb.deleteLoadBalancer(r -> r.loadBalancerArn(lb.loadBalancerArn()));
    }

    @Test
    void createLoadBalancer_sameNameAndSettings_isIdempotent_differentSettings_failsWithDuplicate() {
        LoadBalancer first = nlb("idem", subnetA);
        LoadBalancer again = nlb("idem", subnetA);
        assertThat(again.loadBalancerArn()).isEqualTo(first.loadBalancerArn());
        assertError(() -> nlb("idem", subnetA, subnetB), "DuplicateLoadBalancerName");
        elb.deleteLoadBalancer(r -> r.loadBalancerArn(first.loadBalancerArn()));
    }

    @Test
    void createLoadBalancer_badInput_failsWithAwsCodes() {
        assertError(() -> nlb("-bad"), "ValidationError");
        assertError(() -> nlb("a".repeat(33), subnetA), "ValidationError");
        assertError(() -> nlb("internal-x", subnetA), "ValidationError");
        assertError(() -> nlb("no-subnets"), "ValidationError");
        assertError(() -> nlb("unknown-subnet", "subnet-0123456789abcdef0"), "SubnetNotFound");
        assertError(() -> nlb("two-vpcs", subnetA, otherVpcSubnet), "InvalidConfigurationRequest");
        // Without a Type the load balancer is an Application Load Balancer, which needs two zones.
        assertError(() -> elb.createLoadBalancer(r -> r.name("app").scheme("internal").subnets(subnetA)),
                "ValidationError");
        assertError(() -> elb.createLoadBalancer(r -> r.name("gwy").type("gateway").subnets(subnetA)),
                "InvalidConfigurationRequest");
        assertError(() -> elb.createLoadBalancer(r -> r.name("scheme").type("network").scheme("sideways")
                .subnets(subnetA)), "ValidationError");
        // Internet-facing needs an internet gateway on the VPC.
        assertError(() -> elb.createLoadBalancer(r -> r.name("public").type("network").subnets(subnetA)),
                "InvalidSubnet");
        // Another account's subnet is not found.
        assertError(() -> other.createLoadBalancer(r -> r.name("theirs").type("network").scheme("internal")
                .subnets(subnetA)), "SubnetNotFound");
    }

    @Test
    void createLoadBalancer_internetFacingWithGateway_succeeds() {
        UNDERPASS.server().store().writeAndWait(Caller.of(ACCOUNT, "us-east-1"), tx -> tx.put(new InternetGateway(
                dev.underpass.model.Ids.next("igw"), ACCOUNT, "us-east-1", List.of(VpcId.of(vpc)), Map.of())));
        LoadBalancer lb = elb.createLoadBalancer(r -> r.name("public-ok").type("network").subnets(subnetB))
                .loadBalancers().get(0);
        assertThat(lb.schemeAsString()).isEqualTo("internet-facing");
        assertThat(lb.dnsName()).startsWith("public-ok-");
        elb.deleteLoadBalancer(r -> r.loadBalancerArn(lb.loadBalancerArn()));
    }

    @Test
    void describeLoadBalancers_anotherAccount_seesNothing() {
        LoadBalancer lb = nlb("isolated", subnetA);
        assertError(() -> other.describeLoadBalancers(r -> r.loadBalancerArns(lb.loadBalancerArn())),
                "LoadBalancerNotFound");
        assertError(() -> other.describeLoadBalancers(r -> r.names("isolated")), "LoadBalancerNotFound");
        assertThat(other.describeLoadBalancers().loadBalancers()).isEmpty();
        assertError(() -> other.describeLoadBalancerAttributes(r -> r.loadBalancerArn(lb.loadBalancerArn())),
                "LoadBalancerNotFound");
        assertError(() -> other.addTags(r -> r.resourceArns(lb.loadBalancerArn()).tags(t -> t.key("k"))),
                "LoadBalancerNotFound");
        // Another account's delete is the no-op of a missing load balancer: the load balancer stays.
        other.deleteLoadBalancer(r -> r.loadBalancerArn(lb.loadBalancerArn()));
        assertThat(elb.describeLoadBalancers(r -> r.names("isolated")).loadBalancers()).hasSize(1);
        assertError(() -> elb.describeLoadBalancers(r -> r.loadBalancerArns("arn:nope")), "ValidationError");
        elb.deleteLoadBalancer(r -> r.loadBalancerArn(lb.loadBalancerArn()));
    }

    @Test
    void describeLoadBalancers_pagesWithMarker() {
        LoadBalancer a = nlb("page-a", subnetA);
        LoadBalancer b = nlb("page-b", subnetA);
        LoadBalancer c = nlb("page-c", subnetA);
        var first = elb.describeLoadBalancers(r -> r.pageSize(2));
        assertThat(first.loadBalancers()).hasSize(2);
        assertThat(first.nextMarker()).isNotNull();
        var rest = elb.describeLoadBalancers(r -> r.pageSize(2).marker(first.nextMarker()));
        assertThat(rest.loadBalancers().size() + first.loadBalancers().size())
                .isEqualTo(elb.describeLoadBalancers().loadBalancers().size());
        assertError(() -> elb.describeLoadBalancers(r -> r.pageSize(401)), "ValidationError");
        assertError(() -> elb.describeLoadBalancers(r -> r.marker("garbage!")), "ValidationError");
        for (LoadBalancer lb : List.of(a, b, c)) {
            elb.deleteLoadBalancer(r -> r.loadBalancerArn(lb.loadBalancerArn()));
        }
    }

    @Test
    void loadBalancerAttributes_defaultsModifyAndDeletionProtection() {
        LoadBalancer lb = nlb("attrs", subnetA);
        Map<String, String> attrs = attributes(lb);
        assertThat(attrs).containsEntry("load_balancing.cross_zone.enabled", "false")
                .containsEntry("deletion_protection.enabled", "false")
                .containsEntry("access_logs.s3.enabled", "false");

        elb.modifyLoadBalancerAttributes(r -> r.loadBalancerArn(lb.loadBalancerArn()).attributes(
                LoadBalancerAttribute.builder().key("load_balancing.cross_zone.enabled").value("true").build(),
                LoadBalancerAttribute.builder().key("deletion_protection.enabled").value("true").build()));
        assertThat(attributes(lb)).containsEntry("load_balancing.cross_zone.enabled", "true");
        assertError(() -> elb.deleteLoadBalancer(r -> r.loadBalancerArn(lb.loadBalancerArn())),
                "OperationNotPermitted");
        assertError(() -> elb.modifyLoadBalancerAttributes(r -> r.loadBalancerArn(lb.loadBalancerArn())
                .attributes(LoadBalancerAttribute.builder().key("no.such.key").value("1").build())),
                "InvalidConfigurationRequest");
        assertError(() -> elb.modifyLoadBalancerAttributes(r -> r.loadBalancerArn(lb.loadBalancerArn())
                .attributes(LoadBalancerAttribute.builder().key("deletion_protection.enabled").value("yes")
                        .build())),
                "InvalidConfigurationRequest");

        elb.modifyLoadBalancerAttributes(r -> r.loadBalancerArn(lb.loadBalancerArn()).attributes(
                LoadBalancerAttribute.builder().key("deletion_protection.enabled").value("false").build()));
        elb.deleteLoadBalancer(r -> r.loadBalancerArn(lb.loadBalancerArn()));
    }

    private Map<String, String> attributes(LoadBalancer lb) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        elb.describeLoadBalancerAttributes(r -> r.loadBalancerArn(lb.loadBalancerArn())).attributes()
                .forEach(a -> out.put(a.key(), a.value()));
        return out;
    }

    @Test
    void createTargetGroup_tcp_hasNlbHealthCheckDefaults() {
        TargetGroup tg = group("tcp-defaults", "TCP", "instance");
        assertThat(tg.targetGroupArn())
                .matches("arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/tcp-defaults/[0-9a-f]{16}");
        assertThat(tg.protocolAsString()).isEqualTo("TCP");
        assertThat(tg.port()).isEqualTo(8080);
        assertThat(tg.healthCheckProtocolAsString()).isEqualTo("TCP");
        assertThat(tg.healthCheckPort()).isEqualTo("traffic-port");
        assertThat(tg.healthCheckEnabled()).isTrue();
        assertThat(tg.healthCheckIntervalSeconds()).isEqualTo(30);
        assertThat(tg.healthCheckTimeoutSeconds()).isEqualTo(10);
        assertThat(tg.healthyThresholdCount()).isEqualTo(5);
        assertThat(tg.unhealthyThresholdCount()).isEqualTo(2);
        assertThat(tg.healthCheckPath()).isNull();
        assertThat(tg.targetTypeAsString()).isEqualTo("instance");
        assertThat(tg.loadBalancerArns()).isEmpty();

        assertError(() -> elb.createTargetGroup(r -> r.name("tcp-defaults").protocol("UDP").port(53).vpcId(vpc)),
                "DuplicateTargetGroupName");
        assertError(() -> elb.createTargetGroup(r -> r.name("bad-interval").protocol("TCP").port(1).vpcId(vpc)
                .healthCheckIntervalSeconds(3)), "ValidationError");
        // A Lambda target group has no protocol, port or VPC.
        assertError(() -> elb.createTargetGroup(r -> r.name("lambda").targetType("lambda").protocol("HTTP")),
                "ValidationError");
        assertError(() -> elb.createTargetGroup(r -> r.name("no-vpc").protocol("TCP").port(1)
                .vpcId("vpc-0123456789abcdef0")), "ValidationError");

        var attrs = elb.describeTargetGroupAttributes(r -> r.targetGroupArn(tg.targetGroupArn())).attributes();
        assertThat(attrs).anySatisfy(a -> {
            assertThat(a.key()).isEqualTo("deregistration_delay.timeout_seconds");
            assertThat(a.value()).isEqualTo("300");
        });
        elb.modifyTargetGroupAttributes(r -> r.targetGroupArn(tg.targetGroupArn()).attributes(a -> a
                .key("deregistration_delay.timeout_seconds").value("0")));
        assertThat(elb.describeTargetGroupAttributes(r -> r.targetGroupArn(tg.targetGroupArn())).attributes())
                .anySatisfy(a -> assertThat(a.key() + "=" + a.value())
                        .isEqualTo("deregistration_delay.timeout_seconds=0"));
        TargetGroup modified = elb.modifyTargetGroup(r -> r.targetGroupArn(tg.targetGroupArn())
                .healthCheckIntervalSeconds(10).healthCheckTimeoutSeconds(5)).targetGroups().get(0);
        assertThat(modified.healthCheckIntervalSeconds()).isEqualTo(10);
        elb.deleteTargetGroup(r -> r.targetGroupArn(tg.targetGroupArn()));
        assertError(() -> elb.describeTargetGroups(r -> r.targetGroupArns(tg.targetGroupArn())),
                "TargetGroupNotFound");
    }

    @Test
    void targetGroupNamesAndAttributes_refusalsNameEveryMissingGroupAndTheBadAttribute() {
        TargetGroup b = group("names-b", "TCP", "instance");
        TargetGroup a = group("names-a", "TCP", "instance");
        assertThat(elb.describeTargetGroups(r -> r.names("names-b", "names-a", "names-b")).targetGroups())
                .extracting(TargetGroup::targetGroupArn)
                .containsExactlyInAnyOrder(a.targetGroupArn(), b.targetGroupArn());
        assertErrorMessage(() -> elb.describeTargetGroups(r -> r.names("names-a", "nope-1", "nope-2")),
                "TargetGroupNotFound", "Target groups '[nope-1, nope-2]' not found");

        String arn = a.targetGroupArn();
        assertErrorMessage(() -> elb.modifyTargetGroupAttributes(r -> r.targetGroupArn(arn).attributes(
                x -> x.key("stickiness.enabled").value("true"), x -> x.key("no.such.key").value("1"))),
                "InvalidConfigurationRequest", "Target group attribute key 'no.such.key' is not recognized");
        assertErrorMessage(() -> elb.modifyTargetGroupAttributes(r -> r.targetGroupArn(arn).attributes(
                x -> x.key("stickiness.enabled").value("yes"))),
                "InvalidConfigurationRequest", "Target group attribute 'stickiness.enabled' must be 'true' or"
                        + " 'false', not 'yes'");
        assertErrorMessage(() -> elb.modifyTargetGroupAttributes(r -> r.targetGroupArn(arn).attributes(
                x -> x.key("deregistration_delay.timeout_seconds").value("3601"))),
                "InvalidConfigurationRequest", "Target group attribute 'deregistration_delay.timeout_seconds' must"
                        + " be a number of seconds from 0 to 3600, not '3601'");
        assertErrorMessage(() -> elb.modifyTargetGroupAttributes(r -> r.targetGroupArn(arn).attributes(
                x -> x.key("stickiness.type").value("lb_cookie"))),
                "InvalidConfigurationRequest",
                "Stickiness type 'lb_cookie' is not supported for target groups with the TCP protocol");
        // A refused request changes nothing, not even the attributes before the bad one.
        assertThat(elb.describeTargetGroupAttributes(r -> r.targetGroupArn(arn)).attributes())
                .anySatisfy(x -> assertThat(x.key() + "=" + x.value()).isEqualTo("stickiness.enabled=false"));
        elb.deleteTargetGroup(r -> r.targetGroupArn(a.targetGroupArn()));
        elb.deleteTargetGroup(r -> r.targetGroupArn(b.targetGroupArn()));
    }

    @Test
    void clientIpPreservation_cannotBeTurnedOffForAUdpGroup_butCanForATcpOne() {
        TargetGroup udp = group("keep-client-udp", "UDP", "ip");
        TargetGroup tcp = group("keep-client-tcp", "TCP", "ip");
        assertErrorMessage(() -> elb.modifyTargetGroupAttributes(r -> r.targetGroupArn(udp.targetGroupArn())
                .attributes(a -> a.key("preserve_client_ip.enabled").value("false"))),
                "InvalidConfigurationRequest",
                "Client IP preservation cannot be disabled for target groups with the UDP protocol");
        elb.modifyTargetGroupAttributes(r -> r.targetGroupArn(tcp.targetGroupArn())
                .attributes(a -> a.key("preserve_client_ip.enabled").value("true")));
        for (var expected : Map.of(udp, "true", tcp, "true").entrySet()) {
            assertThat(elb.describeTargetGroupAttributes(r -> r.targetGroupArn(expected.getKey().targetGroupArn()))
                    .attributes()).anySatisfy(a -> {
                        assertThat(a.key()).isEqualTo("preserve_client_ip.enabled");
                        assertThat(a.value()).isEqualTo(expected.getValue());
                    });
        }
    }

    @Test
    void ipAddressTypes_areTheApisEnums_andUnderpassRefusesTheFamiliesItDoesNotCarry() {
        assertThat(group("v4-group", "TCP", "ip").ipAddressTypeAsString()).isEqualTo("ipv4");
        assertErrorMessage(() -> elb.createTargetGroup(r -> r.name("v6-group").protocol("TCP").port(1).vpcId(vpc)
                .targetType("ip").ipAddressType("ipv6")), "InvalidConfigurationRequest",
                "underpass supports only the 'ipv4' IP address type for target groups, not 'ipv6'");
        assertErrorMessage(() -> elb.createTargetGroup(r -> r.name("v5-group").protocol("TCP").port(1).vpcId(vpc)
                .ipAddressType("ipv5")), "ValidationError",
                "1 validation error detected: Value 'ipv5' at 'ipAddressType' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [ipv4, ipv6]");
        assertErrorMessage(() -> elb.createLoadBalancer(r -> r.name("v5-nlb").type("network").scheme("internal")
                .subnets(subnetA).ipAddressType("ipv5")), "ValidationError",
                "1 validation error detected: Value 'ipv5' at 'ipAddressType' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [ipv4, dualstack, dualstack-without-public-ipv4]");
        assertErrorMessage(() -> elb.createLoadBalancer(r -> r.name("dual-nlb").type("network").scheme("internal")
                .subnets(subnetA).ipAddressType("dualstack")), "InvalidConfigurationRequest",
                "underpass supports only the 'ipv4' IP address type for Network Load Balancers, not 'dualstack'");
        LoadBalancer lb = nlb("v4-nlb", subnetA);
        assertThat(lb.ipAddressTypeAsString()).isEqualTo("ipv4");
        assertErrorMessage(() -> elb.setIpAddressType(r -> r.loadBalancerArn(lb.loadBalancerArn())
                .ipAddressType("dualstack-without-public-ipv4")), "InvalidConfigurationRequest",
                "underpass supports only the 'ipv4' IP address type for Network Load Balancers, not "
                        + "'dualstack-without-public-ipv4'");
        assertThat(elb.setIpAddressType(r -> r.loadBalancerArn(lb.loadBalancerArn()).ipAddressType("ipv4"))
                .ipAddressTypeAsString()).isEqualTo("ipv4");
        assertThat(elb.describeTargetGroups(r -> r.names("v4-group")).targetGroups().get(0).ipAddressTypeAsString())
                .isEqualTo("ipv4");
        assertThat(elb.describeTargetGroups().targetGroups()).extracting(TargetGroup::targetGroupName)
                .doesNotContain("v6-group", "v5-group");
        assertThat(elb.describeLoadBalancers().loadBalancers()).extracting(LoadBalancer::loadBalancerName)
                .doesNotContain("v5-nlb", "dual-nlb");
    }

    private static void assertErrorMessage(Runnable call, String code, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ElasticLoadBalancingV2Exception.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
            assertThat(e.statusCode()).isEqualTo(400);
        });
    }

    @Test
    void scenario_nlbListenerTargetsAndHealth() {
        LoadBalancer lb = nlb("scenario", subnetA, subnetB);
        TargetGroup tg = group("scenario-tg", "TCP", "instance");

        elb.registerTargets(r -> r.targetGroupArn(tg.targetGroupArn()).targets(
                TargetDescription.builder().id(instanceA).build(), TargetDescription.builder().id(instanceB).build()));
        assertThat(health(tg)).allSatisfy(h -> {
            assertThat(h.targetHealth().stateAsString()).isEqualTo("unused");
            assertThat(h.targetHealth().reasonAsString()).isEqualTo("Target.NotInUse");
        });

        Listener listener = listen(lb, 443, "TCP", tg);
        assertThat(listener.listenerArn()).startsWith(lb.loadBalancerArn().replace(":loadbalancer/", ":listener/"));
        assertThat(listener.defaultActions().get(0).targetGroupArn()).isEqualTo(tg.targetGroupArn());
        assertThat(health(tg)).hasSize(2).allSatisfy(h -> {
            assertThat(h.targetHealth().stateAsString()).isEqualTo("healthy");
            assertThat(h.healthCheckPort()).isEqualTo("8080");
        });
        assertThat(health(tg)).extracting(h -> h.target().availabilityZone())
                .containsExactlyInAnyOrder("us-east-1a", "us-east-1b");

        assertThat(elb.describeTargetGroups(r -> r.loadBalancerArn(lb.loadBalancerArn())).targetGroups())
                .singleElement().satisfies(t -> assertThat(t.loadBalancerArns()).containsExactly(lb.loadBalancerArn()));
        assertThat(elb.describeListeners(r -> r.loadBalancerArn(lb.loadBalancerArn())).listeners())
                .extracting(Listener::port).containsExactly(443);

        assertError(() -> listen(lb, 443, "UDP", group("scenario-udp", "UDP", "instance")), "DuplicateListener");
        assertError(() -> listen(lb, 80, "UDP", tg), "IncompatibleProtocols");
        assertError(() -> listen(lb, 80, "HTTP", tg), "UnsupportedProtocol");
        assertError(() -> elb.deleteTargetGroup(r -> r.targetGroupArn(tg.targetGroupArn())), "ResourceInUse");
        LoadBalancer second = nlb("scenario-2", subnetA);
        assertError(() -> listen(second, 443, "TCP", tg), "TargetGroupAssociationLimit");

        // A stopped instance cannot be registered; a deregistered one drains.
        assertError(() -> elb.registerTargets(r -> r.targetGroupArn(tg.targetGroupArn())
                .targets(t -> t.id(stopped))), "InvalidTarget");
        assertError(() -> elb.registerTargets(r -> r.targetGroupArn(tg.targetGroupArn())
                .targets(t -> t.id("i-0123456789abcdef0"))), "InvalidTarget");
        elb.deregisterTargets(r -> r.targetGroupArn(tg.targetGroupArn()).targets(t -> t.id(instanceB)));
        assertThat(health(tg)).filteredOn(h -> h.target().id().equals(instanceB)).singleElement()
                .satisfies(h -> {
                    assertThat(h.targetHealth().stateAsString()).isEqualTo("draining");
                    assertThat(h.targetHealth().reasonAsString()).isEqualTo("Target.DeregistrationInProgress");
                });
        // Deregistering what is not registered (here: already draining) succeeds and changes nothing, as AWS
        // documents.
        elb.deregisterTargets(r -> r.targetGroupArn(tg.targetGroupArn()).targets(t -> t.id(instanceB)));
        assertThat(health(tg)).filteredOn(h -> h.target().id().equals(instanceB)).singleElement()
                .satisfies(h -> assertThat(h.targetHealth().stateAsString()).isEqualTo("draining"));
        // A registration on another port than the group's stays until the request names that port.
        elb.registerTargets(r -> r.targetGroupArn(tg.targetGroupArn()).targets(t -> t.id(instanceA).port(9000)));
        elb.deregisterTargets(r -> r.targetGroupArn(tg.targetGroupArn()).targets(t -> t.id(instanceA)
                .port(9001)));
        elb.deregisterTargets(r -> r.targetGroupArn(tg.targetGroupArn()).targets(t -> t.id("i-0123456789abcdef0")));
        // A port outside the API's range is refused, as on RegisterTargets.
        assertError(() -> elb.deregisterTargets(r -> r.targetGroupArn(tg.targetGroupArn()).targets(t -> t.id(instanceA)
                .port(0))), "ValidationError");
        assertThat(health(tg)).filteredOn(h -> h.target().port() == 9000).singleElement()
                .satisfies(h -> assertThat(h.targetHealth().stateAsString()).isNotEqualTo("draining"));
        elb.deregisterTargets(r -> r.targetGroupArn(tg.targetGroupArn()).targets(t -> t.id(instanceA).port(9000)));
        assertThat(health(tg)).filteredOn(h -> h.target().port() == 9000).singleElement()
                .satisfies(h -> assertThat(h.targetHealth().stateAsString()).isEqualTo("draining"));
        TargetHealthDescription unknown = elb.describeTargetHealth(r -> r.targetGroupArn(tg.targetGroupArn())
                .targets(t -> t.id(stopped))).targetHealthDescriptions().get(0);
        assertThat(unknown.targetHealth().reasonAsString()).isEqualTo("Target.NotRegistered");

        // Isolation: the other account sees none of it.
        assertError(() -> other.describeTargetHealth(r -> r.targetGroupArn(tg.targetGroupArn())),
                "TargetGroupNotFound");
        assertError(() -> other.describeListeners(r -> r.listenerArns(listener.listenerArn())), "ListenerNotFound");

        elb.deleteListener(r -> r.listenerArn(listener.listenerArn()));
        assertError(() -> elb.deleteListener(r -> r.listenerArn(listener.listenerArn())), "ListenerNotFound");
        elb.deleteTargetGroup(r -> r.targetGroupArn(tg.targetGroupArn()));
        elb.deleteLoadBalancer(r -> r.loadBalancerArn(lb.loadBalancerArn()));
        elb.deleteLoadBalancer(r -> r.loadBalancerArn(second.loadBalancerArn()));
    }

    @Test
    void ipTargets_zoneFromSubnet_andUnusedWhenZoneNotEnabled() {
        LoadBalancer lb = nlb("ip-lb", subnetA);
        TargetGroup tg = group("ip-tg", "TCP_UDP", "ip");
        listen(lb, 53, "TCP_UDP", tg);
        elb.registerTargets(r -> r.targetGroupArn(tg.targetGroupArn()).targets(
                TargetDescription.builder().id("10.20.1.10").port(5353).build(),
                TargetDescription.builder().id("10.20.2.10").build()));
        List<TargetHealthDescription> health = health(tg);
        assertThat(health).filteredOn(h -> h.target().id().equals("10.20.1.10")).singleElement().satisfies(h -> {
            assertThat(h.target().port()).isEqualTo(5353);
            assertThat(h.target().availabilityZone()).isEqualTo("us-east-1a");
            assertThat(h.targetHealth().stateAsString()).isEqualTo("healthy");
        });
        assertThat(health).filteredOn(h -> h.target().id().equals("10.20.2.10")).singleElement().satisfies(h -> {
            assertThat(h.targetHealth().stateAsString()).isEqualTo("unused");
            assertThat(h.targetHealth().reasonAsString()).isEqualTo("Target.NotInUse");
        });
        assertError(() -> elb.registerTargets(r -> r.targetGroupArn(tg.targetGroupArn())
                .targets(t -> t.id("192.168.1.1"))), "InvalidTarget");
        assertError(() -> elb.registerTargets(r -> r.targetGroupArn(tg.targetGroupArn())
                .targets(t -> t.id("not-an-ip"))), "ValidationError");
        elb.deleteLoadBalancer(r -> r.loadBalancerArn(lb.loadBalancerArn()));
        elb.deleteTargetGroup(r -> r.targetGroupArn(tg.targetGroupArn()));
    }

    private List<TargetHealthDescription> health(TargetGroup tg) {
        return elb.describeTargetHealth(r -> r.targetGroupArn(tg.targetGroupArn())).targetHealthDescriptions();
    }

    @Test
    void tags_addDescribeRemove_andErrors() {
        LoadBalancer lb = elb.createLoadBalancer(r -> r.name("tagged").type("network").scheme("internal")
                .subnets(subnetA).tags(Tag.builder().key("team").value("net").build())).loadBalancers().get(0);
        TargetGroup tg = group("tagged-tg", "TCP", "instance");
        elb.addTags(r -> r.resourceArns(lb.loadBalancerArn(), tg.targetGroupArn())
                .tags(Tag.builder().key("env").value("test").build()));
        var described = elb.describeTags(r -> r.resourceArns(lb.loadBalancerArn(), tg.targetGroupArn()))
                .tagDescriptions();
        assertThat(described.get(0).tags()).extracting(t -> t.key() + "=" + t.value())
                .containsExactly("team=net", "env=test");
        assertThat(described.get(1).tags()).extracting(Tag::key).containsExactly("env");
        elb.removeTags(r -> r.resourceArns(lb.loadBalancerArn()).tagKeys("team"));
        assertThat(elb.describeTags(r -> r.resourceArns(lb.loadBalancerArn())).tagDescriptions().get(0).tags())
                .extracting(Tag::key).containsExactly("env");
        assertError(() -> elb.addTags(r -> r.resourceArns(lb.loadBalancerArn()).tags(
                Tag.builder().key("k").value("1").build(), Tag.builder().key("k").value("2").build())),
                "DuplicateTagKeys");
        assertError(() -> elb.describeTags(r -> r.resourceArns("arn:aws:s3:::bucket")), "ValidationError");
        elb.deleteLoadBalancer(r -> r.loadBalancerArn(lb.loadBalancerArn()));
        elb.deleteTargetGroup(r -> r.targetGroupArn(tg.targetGroupArn()));
    }

    @Test
    void describeAccountLimits_listsNetworkLoadBalancerQuotas() {
        assertThat(elb.describeAccountLimits().limits())
                .anySatisfy(l -> assertThat(l.name() + "=" + l.max()).isEqualTo("network-load-balancers=50"))
                .anySatisfy(l -> assertThat(l.name() + "=" + l.max())
                        .isEqualTo("listeners-per-network-load-balancer=50"));
    }

    private static HttpResponse<String> raw(String body) {
        return RawHttp.post(UNDERPASS.endpoint(), body, Map.of(
                "Authorization", RawHttp.authorization(ACCOUNT, "us-east-1", "elasticloadbalancing"),
                "X-Amz-Date", RawHttp.amzDate()));
    }

    @Test
    void rawRequest_unknownLoadBalancer_getsAwsQueryErrorEnvelope() {
        HttpResponse<String> r = raw("Action=DescribeLoadBalancers&Version=2015-12-01&LoadBalancerArns.member.1="
                + "arn%3Aaws%3Aelasticloadbalancing%3Aus-east-1%3A111111111111%3Aloadbalancer%2Fnet%2Fx%2F0123456789abcdef");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body())
                .contains("<ErrorResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\">")
                .contains("<Type>Sender</Type>").contains("<Code>LoadBalancerNotFound</Code>")
                .containsPattern("</Error><RequestId>[^<]+</RequestId></ErrorResponse>");
    }

    @Test
    void rawRequest_successHasResultWrapperAndResponseMetadata() {
        HttpResponse<String> r = raw("Action=DescribeLoadBalancers&Version=2015-12-01&Names=");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains(
                "<DescribeLoadBalancersResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\">")
                .contains("<DescribeLoadBalancersResult>")
                .containsPattern("</DescribeLoadBalancersResult><ResponseMetadata><RequestId>[^<]+</RequestId>"
                        + "</ResponseMetadata></DescribeLoadBalancersResponse>");
    }

    @Test
    void rawRequest_malformedInput_neverA500() {
        List<String> bodies = List.of(
                "Action=NoSuchAction&Version=2015-12-01",
                "Version=2015-12-01",
                "Action=DescribeLoadBalancers&Version=2015-12-01&PageSize=abc",
                "Action=DescribeLoadBalancers&Version=2015-12-01&Names.1=flat",
                "Action=DescribeLoadBalancers&Version=2015-12-01&Names=notempty",
                "Action=DescribeLoadBalancers&Version=2015-12-01&Bogus=1",
                "Action=DescribeLoadBalancers&Version=2015-12-01&Names.member.x=a",
                "Action=DescribeLoadBalancers&Version=2015-12-01&Names..member=a",
                "Action=CreateLoadBalancer&Version=2015-12-01",
                "Action=CreateListener&Version=2015-12-01&LoadBalancerArn=x&Port=99999999999",
                "Action=RegisterTargets&Version=2015-12-01&TargetGroupArn=x&Targets.member.1.Port=1",
                "Action=DescribeLoadBalancers&Version=2014-01-01");
        for (String body : bodies) {
            HttpResponse<String> r = raw(body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(r.body()).as(body).contains("<ErrorResponse").contains("<Type>Sender</Type>");
        }
        assertThat(raw("Action=NoSuchAction&Version=2015-12-01").body()).contains("<Code>InvalidAction</Code>");
        assertThat(raw("Action=DescribeLoadBalancers&Version=2015-12-01&PageSize=abc").body())
                .contains("<Code>ValidationError</Code>");
        assertThat(raw("Action=DescribeLoadBalancers&Version=2015-12-01&Bogus=1").body())
                .contains("<Code>UnknownParameter</Code>");
    }
}
