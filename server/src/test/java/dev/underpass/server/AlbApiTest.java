package dev.underpass.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ElasticLoadBalancingV2Exception;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/**
 * Application Load Balancers through the SDK: creation rules (two zones, security groups, DNS names), attributes,
 * SetSubnets/SetSecurityGroups/SetIpAddressType, HTTP and HTTPS listeners with every default action type, target
 * groups for ALBs (HTTP, gRPC, Lambda) and the NLB target group of type {@code alb} that fronts an ALB, and the
 * endpoint-service rule that only NLBs can be offered.
 */
class AlbApiTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();
    private static final String ACCOUNT = "313131313131";

    private final ElasticLoadBalancingV2Client elb = UNDERPASS.elbv2(ACCOUNT);
    private static Ec2Client ec2;

    private static String vpc;
    private static String subnetA;
    private static String subnetB;
    private static String subnetC;
    private static String defaultGroup;
    private static String webGroup;
    private static String otherVpcGroup;

    @BeforeAll
    static void network() {
        ec2 = UNDERPASS.ec2(ACCOUNT);
        vpc = ec2.createVpc(r -> r.cidrBlock("10.40.0.0/16")).vpc().vpcId();
        subnetA = subnet("10.40.1.0/24", "us-east-1a");
        subnetB = subnet("10.40.2.0/24", "us-east-1b");
        subnetC = subnet("10.40.3.0/24", "us-east-1c");
        defaultGroup = ec2.describeSecurityGroups(r -> r.filters(
                Filter.builder().name("vpc-id").values(vpc).build(),
                Filter.builder().name("group-name").values("default").build())).securityGroups().get(0).groupId();
        webGroup = ec2.createSecurityGroup(r -> r.groupName("web").description("web").vpcId(vpc)).groupId();
        String otherVpc = ec2.createVpc(r -> r.cidrBlock("10.41.0.0/16")).vpc().vpcId();
        otherVpcGroup = ec2.createSecurityGroup(r -> r.groupName("other").description("other").vpcId(otherVpc))
                .groupId();
    }

    private static String subnet(String cidr, String zone) {
        return ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock(cidr).availabilityZone(zone)).subnet().subnetId();
    }

    static void assertError(Runnable call, String code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ElasticLoadBalancingV2Exception.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.requestId()).isNotBlank();
        });
    }

    private LoadBalancer alb(String name) {
        return elb.createLoadBalancer(r -> r.name(name).type("application").scheme("internal")
                .subnets(subnetA, subnetB)).loadBalancers().get(0);
    }

    private TargetGroup http(String name) {
        return elb.createTargetGroup(r -> r.name(name).protocol("HTTP").port(80).vpcId(vpc)).targetGroups().get(0);
    }

    private static Action forward(TargetGroup tg) {
        return Action.builder().type("forward").targetGroupArn(tg.targetGroupArn()).build();
    }

    private Listener listen(LoadBalancer lb, int port, Action action) {
        return elb.createListener(r -> r.loadBalancerArn(lb.loadBalancerArn()).protocol("HTTP").port(port)
                .defaultActions(action)).listeners().get(0);
    }

    private Map<String, String> attributes(LoadBalancer lb) {
        return elb.describeLoadBalancerAttributes(r -> r.loadBalancerArn(lb.loadBalancerArn())).attributes().stream()
                .collect(Collectors.toMap(LoadBalancerAttribute::key, LoadBalancerAttribute::value));
    }

    private Map<String, String> attributes(TargetGroup tg) {
        return elb.describeTargetGroupAttributes(r -> r.targetGroupArn(tg.targetGroupArn())).attributes().stream()
                .collect(Collectors.toMap(TargetGroupAttribute::key, TargetGroupAttribute::value));
    }

    @Test
    void createLoadBalancer_internalAcrossTwoZones_isAnApplicationLoadBalancerWithAwsShapes() {
        LoadBalancer lb = elb.createLoadBalancer(r -> r.name("shop").scheme("internal").subnets(subnetA, subnetB))
                .loadBalancers().get(0);
        assertThat(lb.typeAsString()).isEqualTo("application");
        assertThat(lb.loadBalancerArn())
                .matches("arn:aws:elasticloadbalancing:us-east-1:313131313131:loadbalancer/app/shop/[0-9a-f]{16}");
        assertThat(lb.dnsName()).matches("internal-shop-[0-9]{10}\\.us-east-1\\.elb\\.amazonaws\\.com");
        assertThat(lb.canonicalHostedZoneId()).isEqualTo("Z35SXDOTRQ7X7K");
        assertThat(lb.schemeAsString()).isEqualTo("internal");
        assertThat(lb.securityGroups()).containsExactly(defaultGroup);
        assertThat(lb.availabilityZones()).extracting(z -> z.zoneName()).containsExactly("us-east-1a", "us-east-1b");
        assertThat(lb.availabilityZones()).allSatisfy(z -> assertThat(z.loadBalancerAddresses()).isEmpty());
        assertThat(lb.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic()).isNull();

        String description = "ELB app/shop/" + lb.loadBalancerArn().substring(
                lb.loadBalancerArn().lastIndexOf('/') + 1);
        List<NetworkInterface> enis = ec2.describeNetworkInterfaces(r -> r.filters(Filter.builder()
                .name("description").values(description).build())).networkInterfaces();
        assertThat(enis).hasSize(2).allSatisfy(e -> {
            assertThat(e.interfaceTypeAsString()).isEqualTo("interface");
            assertThat(e.requesterId()).isEqualTo("amazon-elb");
            assertThat(e.groups()).extracting(g -> g.groupId()).containsExactly(defaultGroup);
        });

        LoadBalancer again = elb.createLoadBalancer(r -> r.name("shop").scheme("internal")
                .subnets(subnetA, subnetB)).loadBalancers().get(0);
        assertThat(again.loadBalancerArn()).isEqualTo(lb.loadBalancerArn());
        elb.deleteLoadBalancer(r -> r.loadBalancerArn(lb.loadBalancerArn()));
        assertThat(ec2.describeNetworkInterfaces(r -> r.filters(Filter.builder().name("description")
                .values(description).build())).networkInterfaces()).isEmpty();
    }

    @Test
    void runAndTerminateInstances_whileLoadBalancerInterfacesExist_succeed() {
        // Load balancer interfaces are attached without an instance; instance calls once tripped over them (a 500).
        alb("beside-instances");
        String id = ec2.runInstances(r -> r.imageId("ami-12345678").instanceType("t3.micro").subnetId(subnetA)
                .minCount(1).maxCount(1)).instances().get(0).instanceId();
        assertThat(ec2.describeInstances(r -> r.instanceIds(id)).reservations().get(0).instances().get(0)
                .networkInterfaces()).hasSize(1);
        assertThat(ec2.terminateInstances(r -> r.instanceIds(id)).terminatingInstances()).hasSize(1);
    }

    @Test
    void createLoadBalancer_badInput_failsWithAwsCodesAndCreatesNothing() {
        assertError(() -> elb.createLoadBalancer(r -> r.name("one-zone").type("application").scheme("internal")
                .subnets(subnetA)), "ValidationError");
        assertError(() -> elb.createLoadBalancer(r -> r.name("foreign-sg").scheme("internal")
                .subnets(subnetA, subnetB).securityGroups(otherVpcGroup)), "InvalidSecurityGroup");
        assertError(() -> elb.createLoadBalancer(r -> r.name("no-such-sg").scheme("internal")
                .subnets(subnetA, subnetB).securityGroups("sg-0123456789abcdef0")), "InvalidSecurityGroup");
        assertError(() -> elb.createLoadBalancer(r -> r.name("fixed-ip").scheme("internal").subnetMappings(
                m -> m.subnetId(subnetA).privateIPv4Address("10.40.1.10"), m -> m.subnetId(subnetB))),
                "InvalidConfigurationRequest");
        // Internet-facing needs an internet gateway on the VPC.
        assertError(() -> elb.createLoadBalancer(r -> r.name("public").subnets(subnetA, subnetB)), "InvalidSubnet");
        assertError(() -> elb.createLoadBalancer(r -> r.name("dual").scheme("internal").ipAddressType("dualstack")
                .subnets(subnetA, subnetB)), "InvalidSubnet");
        assertError(() -> elb.createLoadBalancer(r -> r.name("dual-no-v4").scheme("internal")
                .ipAddressType("dualstack-without-public-ipv4").subnets(subnetA, subnetB)),
                "InvalidConfigurationRequest");
        assertThat(elb.describeLoadBalancers().loadBalancers()).extracting(LoadBalancer::loadBalancerName)
                .doesNotContain("one-zone", "foreign-sg", "no-such-sg", "fixed-ip", "public", "dual", "dual-no-v4");
    }

    @Test
    void attributes_haveAlbDefaults_andModifyIsValidated() {
        LoadBalancer lb = alb("attrs");
        Map<String, String> a = attributes(lb);
        assertThat(a).containsEntry("idle_timeout.timeout_seconds", "60")
                .containsEntry("routing.http2.enabled", "true")
                .containsEntry("deletion_protection.enabled", "false")
                .containsEntry("access_logs.s3.enabled", "false")
                .containsEntry("routing.http.desync_mitigation_mode", "defensive")
                .containsEntry("load_balancing.cross_zone.enabled", "true");

        elb.modifyLoadBalancerAttributes(r -> r.loadBalancerArn(lb.loadBalancerArn()).attributes(
                LoadBalancerAttribute.builder().key("idle_timeout.timeout_seconds").value("120").build(),
                LoadBalancerAttribute.builder().key("routing.http2.enabled").value("false").build(),
                LoadBalancerAttribute.builder().key("access_logs.s3.enabled").value("true").build(),
                LoadBalancerAttribute.builder().key("access_logs.s3.bucket").value("logs").build()));
        assertThat(attributes(lb)).containsEntry("idle_timeout.timeout_seconds", "120")
                .containsEntry("routing.http2.enabled", "false").containsEntry("access_logs.s3.bucket", "logs");

        for (String[] bad : new String[][] {{"idle_timeout.timeout_seconds", "0"},
            {"idle_timeout.timeout_seconds", "4001"}, {"routing.http2.enabled", "yes"},
            {"routing.http.desync_mitigation_mode", "lenient"}, {"no.such.key", "1"},
            {"load_balancing.cross_zone.enabled", "false"}}) {
            assertError(() -> elb.modifyLoadBalancerAttributes(r -> r.loadBalancerArn(lb.loadBalancerArn())
                    .attributes(LoadBalancerAttribute.builder().key(bad[0]).value(bad[1]).build())),
                    "InvalidConfigurationRequest");
        }
        assertThat(attributes(lb)).containsEntry("idle_timeout.timeout_seconds", "120");

        elb.modifyLoadBalancerAttributes(r -> r.loadBalancerArn(lb.loadBalancerArn()).attributes(
                LoadBalancerAttribute.builder().key("deletion_protection.enabled").value("true").build()));
        assertError(() -> elb.deleteLoadBalancer(r -> r.loadBalancerArn(lb.loadBalancerArn())),
                "OperationNotPermitted");
    }

    @Test
    void setSubnetsSecurityGroupsAndIpAddressType_followAlbRules() {
        LoadBalancer lb = alb("setters");
        var zones = elb.setSubnets(r -> r.loadBalancerArn(lb.loadBalancerArn()).subnets(subnetA, subnetB, subnetC))
                .availabilityZones();
        assertThat(zones).extracting(z -> z.zoneName()).containsExactly("us-east-1a", "us-east-1b", "us-east-1c");
        assertError(() -> elb.setSubnets(r -> r.loadBalancerArn(lb.loadBalancerArn()).subnets(subnetA)),
                "ValidationError");

        var set = elb.setSecurityGroups(r -> r.loadBalancerArn(lb.loadBalancerArn()).securityGroups(webGroup));
        assertThat(set.securityGroupIds()).containsExactly(webGroup);
        assertThat(elb.describeLoadBalancers(r -> r.loadBalancerArns(lb.loadBalancerArn())).loadBalancers().get(0)
                .securityGroups()).containsExactly(webGroup);
        String lbHex = lb.loadBalancerArn().substring(lb.loadBalancerArn().lastIndexOf('/') + 1);
        assertThat(ec2.describeNetworkInterfaces(r -> r.filters(Filter.builder().name("description")
                .values("ELB app/setters/" + lbHex).build())).networkInterfaces())
                .hasSize(3).allSatisfy(e -> assertThat(e.groups()).extracting(g -> g.groupId())
                        .containsExactly(webGroup));
        assertError(() -> elb.setSecurityGroups(r -> r.loadBalancerArn(lb.loadBalancerArn())
                .securityGroups(otherVpcGroup)), "InvalidSecurityGroup");
        assertError(() -> elb.setSecurityGroups(r -> r.loadBalancerArn(lb.loadBalancerArn())
                .securityGroups(List.of())), "ValidationError");

        assertThat(elb.setIpAddressType(r -> r.loadBalancerArn(lb.loadBalancerArn()).ipAddressType("ipv4"))
                .ipAddressTypeAsString()).isEqualTo("ipv4");
        assertError(() -> elb.setIpAddressType(r -> r.loadBalancerArn(lb.loadBalancerArn())
                .ipAddressType("dualstack")), "InvalidSubnet");
        assertError(() -> elb.setIpAddressType(r -> r.loadBalancerArn(lb.loadBalancerArn())
                .ipAddressType("sideways")), "ValidationError");

        // A Network Load Balancer created without security groups cannot get any later.
        LoadBalancer nlb = elb.createLoadBalancer(r -> r.name("plain-nlb").type("network").scheme("internal")
                .subnets(subnetA)).loadBalancers().get(0);
        assertError(() -> elb.setSecurityGroups(r -> r.loadBalancerArn(nlb.loadBalancerArn())
                .securityGroups(webGroup)), "InvalidConfigurationRequest");
    }

    @Test
    void listeners_httpAndHttps_withCertificatesAndSslPolicy() {
        LoadBalancer lb = alb("listeners");
        TargetGroup tg = http("listeners-web");
        Listener plain = listen(lb, 80, forward(tg));
        assertThat(plain.listenerArn()).matches(
                "arn:aws:elasticloadbalancing:us-east-1:313131313131:listener/app/listeners/[0-9a-f]{16}/[0-9a-f]{16}");
        assertThat(plain.protocolAsString()).isEqualTo("HTTP");
        Action shown = plain.defaultActions().get(0);
        assertThat(shown.typeAsString()).isEqualTo("forward");
        assertThat(shown.order()).isEqualTo(1);
        assertThat(shown.targetGroupArn()).isEqualTo(tg.targetGroupArn());
        assertThat(shown.forwardConfig().targetGroups()).singleElement()
                .satisfies(t -> assertThat(t.weight()).isEqualTo(1));
        assertThat(shown.forwardConfig().targetGroupStickinessConfig().enabled()).isFalse();
        assertThat(elb.describeTargetGroups(r -> r.targetGroupArns(tg.targetGroupArn())).targetGroups().get(0)
                .loadBalancerArns()).containsExactly(lb.loadBalancerArn());

        String cert = "arn:aws:acm:us-east-1:313131313131:certificate/3dcb0a41-bd72-4774-9ad9-756919c40557";
        Listener tls = elb.createListener(r -> r.loadBalancerArn(lb.loadBalancerArn()).protocol("HTTPS").port(443)
                .certificates(c -> c.certificateArn(cert)).defaultActions(forward(tg))).listeners().get(0);
        assertThat(tls.certificates()).singleElement().satisfies(c -> assertThat(c.certificateArn()).isEqualTo(cert));
        assertThat(tls.sslPolicy()).isEqualTo("ELBSecurityPolicy-2016-08");
        assertThat(tls.alpnPolicy()).isEmpty();

        assertError(() -> elb.createListener(r -> r.loadBalancerArn(lb.loadBalancerArn()).protocol("HTTPS")
                .port(8443).defaultActions(forward(tg))), "CertificateNotFound");
        assertError(() -> elb.createListener(r -> r.loadBalancerArn(lb.loadBalancerArn()).protocol("HTTPS")
                .port(8443).certificates(c -> c.certificateArn(cert)).sslPolicy("ELBSecurityPolicy-Nope")
                .defaultActions(forward(tg))), "SSLPolicyNotFound");
        assertError(() -> elb.createListener(r -> r.loadBalancerArn(lb.loadBalancerArn()).protocol("HTTPS")
                .port(8443).certificates(c -> c.certificateArn("not-a-certificate")).defaultActions(forward(tg))),
                "CertificateNotFound");
        assertError(() -> elb.createListener(r -> r.loadBalancerArn(lb.loadBalancerArn()).protocol("TCP")
                .port(8443).defaultActions(forward(tg))), "UnsupportedProtocol");
        assertError(() -> listen(lb, 80, Action.builder().type("fixed-response")
                .fixedResponseConfig(f -> f.statusCode("404")).build()), "DuplicateListener");
        TargetGroup tcp = elb.createTargetGroup(r -> r.name("listeners-tcp").protocol("TCP").port(80).vpcId(vpc))
                .targetGroups().get(0);
        assertError(() -> listen(lb, 81, forward(tcp)), "IncompatibleProtocols");

        // HTTPS listener switched to HTTP drops its certificate.
        Listener modified = elb.modifyListener(r -> r.listenerArn(tls.listenerArn()).protocol("HTTP").port(8080))
                .listeners().get(0);
        assertThat(modified.certificates()).isEmpty();
        assertThat(modified.sslPolicy()).isNull();
        assertThat(modified.port()).isEqualTo(8080);
    }

    @Test
    void listenerCertificates_addDescribeRemove_keepTheDefaultFirst() {
        LoadBalancer lb = alb("certs");
        TargetGroup tg = http("certs-web");
        String base = "arn:aws:acm:us-east-1:313131313131:certificate/";
        Listener l = elb.createListener(r -> r.loadBalancerArn(lb.loadBalancerArn()).protocol("HTTPS").port(443)
                .certificates(c -> c.certificateArn(base + "default")).defaultActions(forward(tg))).listeners().get(0);
        elb.addListenerCertificates(r -> r.listenerArn(l.listenerArn()).certificates(
                c -> c.certificateArn(base + "a"), c -> c.certificateArn(base + "b")));
        var listed = elb.describeListenerCertificates(r -> r.listenerArn(l.listenerArn())).certificates();
        assertThat(listed).extracting(c -> c.certificateArn().substring(base.length()) + "=" + c.isDefault())
                .containsExactly("default=true", "a=false", "b=false");
        assertThat(elb.describeListeners(r -> r.listenerArns(l.listenerArn())).listeners().get(0).certificates())
                .singleElement().satisfies(c -> assertThat(c.certificateArn()).isEqualTo(base + "default"));

        // ModifyListener replaces the default certificate and keeps the others.
        elb.modifyListener(r -> r.listenerArn(l.listenerArn()).certificates(c -> c.certificateArn(base + "new")));
        assertThat(elb.describeListenerCertificates(r -> r.listenerArn(l.listenerArn())).certificates())
                .extracting(c -> c.certificateArn().substring(base.length())).containsExactly("new", "a", "b");
        assertError(() -> elb.removeListenerCertificates(r -> r.listenerArn(l.listenerArn())
                .certificates(c -> c.certificateArn(base + "new"))), "OperationNotPermitted");
        elb.removeListenerCertificates(r -> r.listenerArn(l.listenerArn()).certificates(c -> c.certificateArn(
                base + "a")));
        assertThat(elb.describeListenerCertificates(r -> r.listenerArn(l.listenerArn())).certificates())
                .hasSize(2);
        assertError(() -> elb.addListenerCertificates(r -> r.listenerArn(l.listenerArn())
                .certificates(c -> c.certificateArn("arn:aws:s3:::bucket"))), "CertificateNotFound");
        var many = new java.util.ArrayList<software.amazon.awssdk.services.elasticloadbalancingv2.model.Certificate>();
        for (int i = 0; i < 25; i++) {
            many.add(software.amazon.awssdk.services.elasticloadbalancingv2.model.Certificate.builder()
                    .certificateArn(base + "extra-" + i).build());
        }
        assertError(() -> elb.addListenerCertificates(r -> r.listenerArn(l.listenerArn()).certificates(many)),
                "TooManyCertificates");
        Listener plain = listen(lb, 80, forward(tg));
        assertError(() -> elb.addListenerCertificates(r -> r.listenerArn(plain.listenerArn())
                .certificates(c -> c.certificateArn(base + "a"))), "ValidationError");
    }

    @Test
    void listenerAttributes_haveDefaultsPerProtocol_andModifyIsValidated() {
        LoadBalancer lb = alb("listener-attrs");
        Listener l = listen(lb, 80, forward(http("listener-attrs-web")));
        var attrs = elb.describeListenerAttributes(r -> r.listenerArn(l.listenerArn())).attributes();
        assertThat(attrs).anySatisfy(a -> assertThat(a.key() + "=" + a.value())
                .isEqualTo("routing.http.response.server.enabled=true"));
        assertThat(attrs).noneSatisfy(a -> assertThat(a.key()).startsWith("tcp."));
        var modified = elb.modifyListenerAttributes(r -> r.listenerArn(l.listenerArn()).attributes(a -> a
                .key("routing.http.response.x_frame_options.header_value").value("DENY"))).attributes();
        assertThat(modified).anySatisfy(a -> assertThat(a.key() + "=" + a.value())
                .isEqualTo("routing.http.response.x_frame_options.header_value=DENY"));
        assertError(() -> elb.modifyListenerAttributes(r -> r.listenerArn(l.listenerArn()).attributes(a -> a
                .key("tcp.idle_timeout.seconds").value("100"))), "InvalidConfigurationRequest");
        assertError(() -> elb.modifyListenerAttributes(r -> r.listenerArn(l.listenerArn()).attributes(a -> a
                .key("routing.http.response.server.enabled").value("maybe"))), "InvalidConfigurationRequest");

        LoadBalancer nlb = elb.createLoadBalancer(r -> r.name("listener-attrs-nlb").type("network").scheme("internal")
                .subnets(subnetA)).loadBalancers().get(0);
        TargetGroup tcp = elb.createTargetGroup(r -> r.name("listener-attrs-tcp").protocol("TCP").port(80)
                .vpcId(vpc)).targetGroups().get(0);
        Listener nl = elb.createListener(r -> r.loadBalancerArn(nlb.loadBalancerArn()).protocol("TCP").port(80)
                .defaultActions(forward(tcp))).listeners().get(0);
        assertThat(elb.describeListenerAttributes(r -> r.listenerArn(nl.listenerArn())).attributes())
                .singleElement().satisfies(a -> assertThat(a.key() + "=" + a.value())
                        .isEqualTo("tcp.idle_timeout.seconds=350"));
        assertError(() -> elb.modifyListenerAttributes(r -> r.listenerArn(nl.listenerArn()).attributes(a -> a
                .key("tcp.idle_timeout.seconds").value("59"))), "InvalidConfigurationRequest");
        elb.modifyListenerAttributes(r -> r.listenerArn(nl.listenerArn()).attributes(a -> a
                .key("tcp.idle_timeout.seconds").value("600")));
        assertThat(elb.describeListenerAttributes(r -> r.listenerArn(nl.listenerArn())).attributes().get(0).value())
                .isEqualTo("600");
    }

    @Test
    void defaultActions_weightedForwardRedirectAndFixedResponse() {
        LoadBalancer lb = alb("actions");
        TargetGroup blue = http("actions-blue");
        TargetGroup green = http("actions-green");
        Action weighted = Action.builder().type("forward").forwardConfig(f -> f
                .targetGroups(t -> t.targetGroupArn(blue.targetGroupArn()).weight(80),
                        t -> t.targetGroupArn(green.targetGroupArn()).weight(20))
                .targetGroupStickinessConfig(s -> s.enabled(true).durationSeconds(3600))).build();
        Action shown = listen(lb, 80, weighted).defaultActions().get(0);
        assertThat(shown.targetGroupArn()).isNull();
        assertThat(shown.forwardConfig().targetGroups()).extracting(t -> t.targetGroupArn() + "=" + t.weight())
                .containsExactly(blue.targetGroupArn() + "=80", green.targetGroupArn() + "=20");
        assertThat(shown.forwardConfig().targetGroupStickinessConfig().durationSeconds()).isEqualTo(3600);

        Action redirect = Action.builder().type("redirect")
                .redirectConfig(r -> r.protocol("HTTPS").port("443").statusCode("HTTP_301")).build();
        var config = listen(lb, 81, redirect).defaultActions().get(0).redirectConfig();
        assertThat(List.of(config.protocol(), config.port(), config.host(), config.path(), config.query(),
                config.statusCodeAsString())).containsExactly("HTTPS", "443", "#{host}", "/#{path}", "#{query}",
                        "HTTP_301");

        Action fixed = Action.builder().type("fixed-response").fixedResponseConfig(f -> f.statusCode("503")
                .contentType("text/plain").messageBody("down for maintenance")).build();
        var body = listen(lb, 82, fixed).defaultActions().get(0).fixedResponseConfig();
        assertThat(List.of(body.statusCode(), body.contentType(), body.messageBody()))
                .containsExactly("503", "text/plain", "down for maintenance");

        assertError(() -> listen(lb, 90, Action.builder().type("forward").forwardConfig(f -> f
                .targetGroups(t -> t.targetGroupArn(blue.targetGroupArn()))
                .targetGroupStickinessConfig(s -> s.enabled(true))).build()), "ValidationError");
        assertError(() -> listen(lb, 90, Action.builder().type("forward").forwardConfig(f -> f
                .targetGroups(t -> t.targetGroupArn(blue.targetGroupArn()).weight(1000))).build()),
                "ValidationError");
        assertError(() -> listen(lb, 90, Action.builder().type("redirect")
                .redirectConfig(r -> r.statusCode("HTTP_302")).build()), "InvalidLoadBalancerAction");
        assertError(() -> listen(lb, 90, Action.builder().type("redirect")
                .redirectConfig(r -> r.host("example.com")).build()), "ValidationError");
        assertError(() -> listen(lb, 90, Action.builder().type("redirect")
                .redirectConfig(r -> r.path("no-slash").statusCode("HTTP_301")).build()), "ValidationError");
        assertThatThrownBy(() -> listen(lb, 90, Action.builder().type("redirect")
                .redirectConfig(r -> r.statusCode("HTTP_307")).build()))
                .isInstanceOfSatisfying(ElasticLoadBalancingV2Exception.class, e -> assertThat(
                        e.awsErrorDetails().errorMessage()).isEqualTo(
                                "1 validation error detected: Value 'HTTP_307'"
                                        + " at 'redirectConfig.statusCode' failed to satisfy constraint: Member must satisfy"
                                        + " enum value set: [HTTP_301, HTTP_302]"));
        assertThatThrownBy(() -> listen(lb, 90, Action.builder().type("redirect")
                .redirectConfig(r -> r.protocol("ftp").statusCode("HTTP_301")).build()))
                .isInstanceOfSatisfying(ElasticLoadBalancingV2Exception.class, e -> assertThat(
                        e.awsErrorDetails().errorMessage()).isEqualTo(
                                "Redirect protocol 'ftp' must be HTTP, HTTPS or #{protocol}"));
        var original = listen(lb, 83, Action.builder().type("redirect")
                .redirectConfig(r -> r.protocol("#{protocol}").host("example.com").statusCode("HTTP_302")).build())
                .defaultActions().get(0).redirectConfig();
        assertThat(List.of(original.protocol(), original.host(), original.statusCodeAsString()))
                .containsExactly("#{protocol}", "example.com", "HTTP_302");
        assertError(() -> listen(lb, 90, Action.builder().type("fixed-response")
                .fixedResponseConfig(f -> f.statusCode("302")).build()), "ValidationError");
        assertError(() -> listen(lb, 90, Action.builder().type("fixed-response")
                .fixedResponseConfig(f -> f.statusCode("200").contentType("image/png")).build()),
                "InvalidLoadBalancerAction");
        assertError(() -> listen(lb, 90, Action.builder().type("authenticate-oidc").build()),
                "InvalidLoadBalancerAction");
        assertError(() -> elb.createListener(r -> r.loadBalancerArn(lb.loadBalancerArn()).protocol("HTTP").port(90)
                .defaultActions(forward(blue), fixed)), "TooManyActions");
        String cert = "arn:aws:acm:us-east-1:313131313131:certificate/abc";
        assertError(() -> elb.createListener(r -> r.loadBalancerArn(lb.loadBalancerArn()).protocol("HTTPS")
                .port(443).certificates(c -> c.certificateArn(cert)).defaultActions(Action.builder()
                        .type("redirect").redirectConfig(x -> x.protocol("HTTP").statusCode("HTTP_301")).build())),
                "InvalidLoadBalancerAction");

        TargetGroup[] six = new TargetGroup[6];
        for (int i = 0; i < 6; i++) {
            six[i] = http("actions-six-" + i);
        }
        assertError(() -> listen(lb, 90, Action.builder().type("forward").forwardConfig(f -> f.targetGroups(
                java.util.Arrays.stream(six)
                        .map(t -> software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple
                                .builder().targetGroupArn(t.targetGroupArn()).build())
                        .toList()))
                .build()),
                "TooManyTargetGroups");

        // A target group serves one load balancer.
        LoadBalancer second = alb("actions-second");
        assertError(() -> listen(second, 80, forward(blue)), "TargetGroupAssociationLimit");
        assertThat(elb.describeListeners(r -> r.loadBalancerArn(lb.loadBalancerArn())).listeners()).hasSize(4);
    }

    @Test
    void targetGroups_httpGrpcAndLambdaHealthCheckDefaultsAndMatchers() {
        TargetGroup web = http("tg-http");
        assertThat(List.of(web.healthCheckProtocolAsString(), web.healthCheckPath(), web.matcher().httpCode(),
                web.protocolVersion(), String.valueOf(web.healthCheckTimeoutSeconds())))
                .containsExactly("HTTP", "/", "200", "HTTP1", "5");

        TargetGroup grpc = elb.createTargetGroup(r -> r.name("tg-grpc").protocol("HTTPS").port(443).vpcId(vpc)
                .protocolVersion("GRPC")).targetGroups().get(0);
        assertThat(grpc.protocolVersion()).isEqualTo("GRPC");
        assertThat(grpc.matcher().grpcCode()).isEqualTo("12");
        assertThat(grpc.matcher().httpCode()).isNull();
        assertThat(grpc.healthCheckPath()).isEqualTo("/AWS.ALB/healthcheck");
        TargetGroup grpcRange = elb.modifyTargetGroup(r -> r.targetGroupArn(grpc.targetGroupArn())
                .matcher(m -> m.grpcCode("0-5"))).targetGroups().get(0);
        assertThat(grpcRange.matcher().grpcCode()).isEqualTo("0-5");

        TargetGroup ranged = elb.createTargetGroup(r -> r.name("tg-range").protocol("HTTP").port(80).vpcId(vpc)
                .matcher(m -> m.httpCode("200-299,302"))).targetGroups().get(0);
        assertThat(ranged.matcher().httpCode()).isEqualTo("200-299,302");
        for (String bad : List.of("100", "200-500", "abc", "299-200")) {
            assertError(() -> elb.createTargetGroup(r -> r.name("tg-bad").protocol("HTTP").port(80).vpcId(vpc)
                    .matcher(m -> m.httpCode(bad))), "ValidationError");
        }
        assertError(() -> elb.createTargetGroup(r -> r.name("tg-bad").protocol("HTTP").port(80).vpcId(vpc)
                .matcher(m -> m.grpcCode("12"))), "ValidationError");
        assertError(() -> elb.createTargetGroup(r -> r.name("tg-bad").protocol("HTTP").port(80).vpcId(vpc)
                .protocolVersion("HTTP3")), "ValidationError");
        assertError(() -> elb.createTargetGroup(r -> r.name("tg-bad").protocol("HTTPS").port(443).vpcId(vpc)
                .protocolVersion("GRPC").matcher(m -> m.grpcCode("100"))), "ValidationError");

        TargetGroup lambda = elb.createTargetGroup(r -> r.name("tg-lambda").targetType("lambda")).targetGroups()
                .get(0);
        assertThat(lambda.protocol()).isNull();
        assertThat(lambda.port()).isNull();
        assertThat(lambda.vpcId()).isNull();
        assertThat(lambda.healthCheckEnabled()).isFalse();
        assertThat(List.of(lambda.healthCheckIntervalSeconds(), lambda.healthCheckTimeoutSeconds()))
                .containsExactly(35, 30);
        assertThat(lambda.matcher().httpCode()).isEqualTo("200");
        assertThat(attributes(lambda)).containsExactly(Map.entry("lambda.multi_value_headers.enabled", "false"));
        String fn = "arn:aws:lambda:us-east-1:313131313131:function:hello";
        assertError(() -> elb.registerTargets(r -> r.targetGroupArn(lambda.targetGroupArn())
                .targets(t -> t.id("i-0123456789abcdef0"))), "InvalidTarget");
        elb.registerTargets(r -> r.targetGroupArn(lambda.targetGroupArn()).targets(t -> t.id(fn)));
        assertError(() -> elb.registerTargets(r -> r.targetGroupArn(lambda.targetGroupArn())
                .targets(t -> t.id(fn + "-two"))), "TooManyTargets");
        TargetHealthDescription h = elb.describeTargetHealth(r -> r.targetGroupArn(lambda.targetGroupArn()))
                .targetHealthDescriptions().get(0);
        assertThat(h.target().id()).isEqualTo(fn);
        assertThat(h.target().port()).isNull();
        assertThat(h.targetHealth().reasonAsString()).isEqualTo("Target.NotInUse");

        LoadBalancer lb = alb("tg-lambda-alb");
        listen(lb, 80, forward(lambda));
        assertThat(elb.describeTargetHealth(r -> r.targetGroupArn(lambda.targetGroupArn()))
                .targetHealthDescriptions().get(0).targetHealth().reasonAsString())
                .isEqualTo("Target.HealthCheckDisabled");
    }

    @Test
    void targetGroupAttributes_haveAlbDefaults_andModifyIsValidated() {
        TargetGroup tg = http("tg-attrs");
        assertThat(attributes(tg)).containsEntry("stickiness.type", "lb_cookie")
                .containsEntry("stickiness.lb_cookie.duration_seconds", "86400")
                .containsEntry("load_balancing.algorithm.type", "round_robin")
                .containsEntry("slow_start.duration_seconds", "0")
                .containsEntry("deregistration_delay.timeout_seconds", "300")
                .doesNotContainKey("proxy_protocol_v2.enabled");
        elb.modifyTargetGroupAttributes(r -> r.targetGroupArn(tg.targetGroupArn()).attributes(
                TargetGroupAttribute.builder().key("stickiness.enabled").value("true").build(),
                TargetGroupAttribute.builder().key("stickiness.type").value("app_cookie").build(),
                TargetGroupAttribute.builder().key("stickiness.app_cookie.cookie_name").value("SESSION").build(),
                TargetGroupAttribute.builder().key("load_balancing.algorithm.type")
                        .value("least_outstanding_requests").build()));
        assertThat(attributes(tg)).containsEntry("stickiness.type", "app_cookie")
                .containsEntry("load_balancing.algorithm.type", "least_outstanding_requests");
        for (String[] bad : new String[][] {{"stickiness.type", "source_ip"}, {"slow_start.duration_seconds", "10"},
            {"slow_start.duration_seconds", "60"}, {"load_balancing.algorithm.type", "random"},
            {"stickiness.lb_cookie.duration_seconds", "0"}, {"proxy_protocol_v2.enabled", "true"}}) {
            assertError(() -> elb.modifyTargetGroupAttributes(r -> r.targetGroupArn(tg.targetGroupArn())
                    .attributes(TargetGroupAttribute.builder().key(bad[0]).value(bad[1]).build())),
                    "InvalidConfigurationRequest");
        }
        assertThat(attributes(tg)).containsEntry("slow_start.duration_seconds", "0");
    }

    @Test
    void nlbTargetGroupOfTypeAlb_frontsAnAlb_andOnlyTheNlbCanBeAnEndpointService() {
        LoadBalancer alb = alb("fronted");
        TargetGroup web = http("fronted-web");
        listen(alb, 80, forward(web));
        TargetGroup albTg = elb.createTargetGroup(r -> r.name("fronted-alb").targetType("alb").protocol("TCP")
                .port(80).vpcId(vpc)).targetGroups().get(0);
        assertThat(List.of(albTg.healthCheckProtocolAsString(), albTg.healthCheckPath(), albTg.matcher().httpCode(),
                String.valueOf(albTg.healthCheckTimeoutSeconds()))).containsExactly("HTTP", "/", "200-399", "6");
        assertError(() -> elb.createTargetGroup(r -> r.name("alb-http").targetType("alb").protocol("HTTP").port(80)
                .vpcId(vpc)), "ValidationError");
        assertError(() -> listen(alb, 81, forward(albTg)), "InvalidConfigurationRequest");

        LoadBalancer nlb = elb.createLoadBalancer(r -> r.name("fronting").type("network").scheme("internal")
                .subnets(subnetA, subnetB)).loadBalancers().get(0);
        elb.createListener(r -> r.loadBalancerArn(nlb.loadBalancerArn()).protocol("TCP").port(80)
                .defaultActions(forward(albTg)));

        assertError(() -> elb.registerTargets(r -> r.targetGroupArn(albTg.targetGroupArn())
                .targets(t -> t.id(alb.loadBalancerArn()).port(8443))), "InvalidTarget");
        assertError(() -> elb.registerTargets(r -> r.targetGroupArn(albTg.targetGroupArn())
                .targets(t -> t.id(nlb.loadBalancerArn()))), "InvalidTarget");
        elb.registerTargets(r -> r.targetGroupArn(albTg.targetGroupArn()).targets(t -> t.id(alb.loadBalancerArn())));
        LoadBalancer otherAlb = alb("fronted-two");
        listen(otherAlb, 80, forward(http("fronted-two-web")));
        assertError(() -> elb.registerTargets(r -> r.targetGroupArn(albTg.targetGroupArn())
                .targets(t -> t.id(otherAlb.loadBalancerArn()))), "TooManyTargets");
        TargetHealthDescription h = elb.describeTargetHealth(r -> r.targetGroupArn(albTg.targetGroupArn()))
                .targetHealthDescriptions().get(0);
        assertThat(h.target().id()).isEqualTo(alb.loadBalancerArn());
        assertThat(h.target().port()).isEqualTo(80);
        assertThat(h.targetHealth().stateAsString()).isEqualTo("healthy");

        assertThatThrownBy(() -> ec2.createVpcEndpointServiceConfiguration(r -> r
                .networkLoadBalancerArns(alb.loadBalancerArn()))).isInstanceOfSatisfying(Ec2Exception.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidNetworkLoadBalancerArn.Malformed");
                    assertThat(e.statusCode()).isEqualTo(400);
                });
        var service = ec2.createVpcEndpointServiceConfiguration(r -> r.networkLoadBalancerArns(nlb.loadBalancerArn()))
                .serviceConfiguration();
        assertThat(service.networkLoadBalancerArns()).containsExactly(nlb.loadBalancerArn());
        ec2.deleteVpcEndpointServiceConfigurations(r -> r.serviceIds(service.serviceId()));
    }

    @Test
    void deleteLoadBalancer_removesItsListenersAndRules() {
        LoadBalancer lb = alb("doomed");
        TargetGroup tg = http("doomed-web");
        Listener l = listen(lb, 80, forward(tg));
        elb.createRule(r -> r.listenerArn(l.listenerArn()).priority(1).actions(forward(tg))
                .conditions(c -> c.field("path-pattern").values("/api/*")));
        assertError(() -> elb.deleteTargetGroup(r -> r.targetGroupArn(tg.targetGroupArn())), "ResourceInUse");
        elb.deleteLoadBalancer(r -> r.loadBalancerArn(lb.loadBalancerArn()));
        assertError(() -> elb.describeRules(r -> r.listenerArn(l.listenerArn())), "ListenerNotFound");
        assertThat(elb.describeTargetGroups(r -> r.targetGroupArns(tg.targetGroupArn())).targetGroups().get(0)
                .loadBalancerArns()).isEmpty();
        elb.deleteTargetGroup(r -> r.targetGroupArn(tg.targetGroupArn()));
    }
}
