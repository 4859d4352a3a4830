package dev.underpass.server;

import static dev.underpass.server.AlbApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeRulesResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RulePriorityPair;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * Listener rules through the SDK: every condition type, priorities and the default rule, the per-rule quotas
 * (five condition values, five wildcards) and the per-load-balancer quota (100 rules), ModifyRule, DeleteRule,
 * SetRulePriorities and DescribeRules with pagination, and tags on rules. Each test uses its own account, so quotas
 * and priorities do not interfere.
 */
class ListenerRuleApiTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();
    private static final String ACCOUNT = "414141414141";

    private final ElasticLoadBalancingV2Client elb = UNDERPASS.elbv2(ACCOUNT);
    private static TestVpcs.TwoZones net;

    @BeforeAll
    static void network() {
        net = TestVpcs.twoZones(UNDERPASS.ec2(ACCOUNT), "10.50.0.0/16");
    }

    /** An ALB with an HTTP listener on port 80 whose default action forwards to {@code <name>-default}. */
    private record Setup(LoadBalancer lb, Listener listener, TargetGroup tg) {}

    private Setup setup(String name) {
        LoadBalancer lb = elb.createLoadBalancer(r -> r.name(name).scheme("internal")
                .subnets(net.subnetA(), net.subnetB()))
                .loadBalancers().get(0);
        TargetGroup tg = elb.createTargetGroup(r -> r.name(name + "-default").protocol("HTTP").port(80)
                .vpcId(net.vpcId()))
                .targetGroups().get(0);
        Listener l = elb.createListener(r -> r.loadBalancerArn(lb.loadBalancerArn()).protocol("HTTP").port(80)
                .defaultActions(forward(tg))).listeners().get(0);
        return new Setup(lb, l, tg);
    }

    private static Action forward(TargetGroup tg) {
        return Action.builder().type("forward").targetGroupArn(tg.targetGroupArn()).build();
    }

    private static Action fixed(String code) {
        return Action.builder().type("fixed-response").fixedResponseConfig(f -> f.statusCode(code)).build();
    }

    private static RuleCondition path(String... values) {
        return RuleCondition.builder().field("path-pattern").pathPatternConfig(p -> p.values(values)).build();
    }

    private Rule rule(Listener l, int priority, RuleCondition... conditions) {
        return elb.createRule(r -> r.listenerArn(l.listenerArn()).priority(priority).conditions(conditions)
                .actions(fixed("200"))).rules().get(0);
    }

    @Test
    void createRule_everyConditionType_isDescribedAsAwsShowsIt() {
        Setup s = setup("conditions");
        Rule host = rule(s.listener(), 10, RuleCondition.builder().field("host-header").values("*.example.com")
                .build());
        assertThat(host.ruleArn()).matches("arn:aws:elasticloadbalancing:us-east-1:414141414141:listener-rule/app/"
                + "conditions/[0-9a-f]{16}/[0-9a-f]{16}/[0-9a-f]{16}");
        assertThat(host.priority()).isEqualTo("10");
        assertThat(host.isDefault()).isFalse();
        assertThat(host.conditions().get(0).values()).containsExactly("*.example.com");
        assertThat(host.conditions().get(0).hostHeaderConfig().values()).containsExactly("*.example.com");
        assertThat(host.actions().get(0).fixedResponseConfig().statusCode()).isEqualTo("200");

        Rule header = rule(s.listener(), 20, RuleCondition.builder().field("http-header")
                .httpHeaderConfig(h -> h.httpHeaderName("User-Agent").values("*Mobile*")).build());
        assertThat(header.conditions().get(0).httpHeaderConfig().httpHeaderName()).isEqualTo("User-Agent");
        Rule method = rule(s.listener(), 30, RuleCondition.builder().field("http-request-method")
                .httpRequestMethodConfig(m -> m.values("GET", "HEAD")).build());
        assertThat(method.conditions().get(0).httpRequestMethodConfig().values()).containsExactly("GET", "HEAD");
        Rule query = rule(s.listener(), 40, RuleCondition.builder().field("query-string")
                .queryStringConfig(q -> q.values(v -> v.key("version").value("v1"), v -> v.value("*example*")))
                .build());
        assertThat(query.conditions().get(0).queryStringConfig().values())
                .extracting(v -> v.key() + "=" + v.value()).containsExactly("version=v1", "null=*example*");
        Rule source = rule(s.listener(), 50, RuleCondition.builder().field("source-ip")
                .sourceIpConfig(c -> c.values("10.0.0.0/8", "2001:db8::/32")).build());
        assertThat(source.conditions().get(0).sourceIpConfig().values()).containsExactly("10.0.0.0/8", "2001:db8::/32");
        Rule combined = rule(s.listener(), 5, path("/api/*"), RuleCondition.builder().field("host-header")
                .hostHeaderConfig(h -> h.values("api.example.com")).build());
        assertThat(combined.conditions()).extracting(RuleCondition::field).containsExactly("path-pattern",
                "host-header");

        List<Rule> rules = elb.describeRules(r -> r.listenerArn(s.listener().listenerArn())).rules();
        assertThat(rules).extracting(Rule::priority).containsExactly("5", "10", "20", "30", "40", "50", "default");
        Rule byDefault = rules.get(rules.size() - 1);
        assertThat(byDefault.isDefault()).isTrue();
        assertThat(byDefault.conditions()).isEmpty();
        assertThat(byDefault.actions().get(0).targetGroupArn()).isEqualTo(s.tg().targetGroupArn());

        // The same rule again is idempotent; another rule at a used priority is not.
        assertThat(rule(s.listener(), 5, path("/api/*"), RuleCondition.builder().field("host-header")
                .hostHeaderConfig(h -> h.values("api.example.com")).build()).ruleArn())
                .isEqualTo(combined.ruleArn());
        assertError(() -> rule(s.listener(), 10, path("/other")), "PriorityInUse");
    }

    @Test
    void createRule_badConditionsAndPriorities_failWithAwsCodesAndCreateNothing() {
        Setup s = setup("bad-rules");
        assertError(() -> rule(s.listener(), 0, path("/a")), "ValidationError");
        assertError(() -> rule(s.listener(), 50001, path("/a")), "ValidationError");
        assertError(() -> rule(s.listener(), 1, path("/1", "/2", "/3", "/4", "/5", "/6")), "ValidationError");
        assertError(() -> rule(s.listener(), 1, path("/1", "/2", "/3"), RuleCondition.builder().field("host-header")
                .values("a.example.com", "b.example.com", "c.example.com").build()), "ValidationError");
        assertError(() -> rule(s.listener(), 1, path("/*/*/*", "/*/*/*")), "ValidationError");
        assertError(() -> rule(s.listener(), 1, path("/a"), path("/b")), "ValidationError");
        assertError(() -> rule(s.listener(), 1, RuleCondition.builder().field("http-header")
                .httpHeaderConfig(h -> h.httpHeaderName("Host").values("x")).build()), "ValidationError");
        assertError(() -> rule(s.listener(), 1, RuleCondition.builder().field("http-header")
                .httpHeaderConfig(h -> h.values("x")).build()), "ValidationError");
        assertError(() -> rule(s.listener(), 1, RuleCondition.builder().field("source-ip")
                .sourceIpConfig(c -> c.values("10.0.0.300/8")).build()), "ValidationError");
        assertError(() -> rule(s.listener(), 1, RuleCondition.builder().field("http-request-method")
                .httpRequestMethodConfig(m -> m.values("get")).build()), "ValidationError");
        assertError(() -> rule(s.listener(), 1, RuleCondition.builder().field("query-string")
                .queryStringConfig(q -> q.values(v -> v.key("k"))).build()), "ValidationError");
        assertError(() -> rule(s.listener(), 1, RuleCondition.builder().field("host-header").values("a.example.com")
                .hostHeaderConfig(h -> h.values("b.example.com")).build()), "ValidationError");
        assertError(() -> rule(s.listener(), 1, RuleCondition.builder().field("source-ip").values("10.0.0.0/8")
                .build()), "ValidationError");
        assertError(() -> rule(s.listener(), 1, RuleCondition.builder().field("cookie").values("x").build()),
                "ValidationError");
        assertError(() -> rule(s.listener(), 1, RuleCondition.builder().field("host-header").values("bad host")
                .build()), "ValidationError");
        assertError(() -> elb.createRule(r -> r.listenerArn(s.listener().listenerArn()).priority(1)
                .conditions(path("/a")).actions(fixed("200"), fixed("404"))), "TooManyActions");
        assertError(() -> elb.createRule(r -> r.listenerArn(s.listener().listenerArn() + "0").priority(1)
                .conditions(path("/a")).actions(fixed("200"))), "ValidationError");
        assertThat(elb.describeRules(r -> r.listenerArn(s.listener().listenerArn())).rules()).hasSize(1);

        // Network Load Balancer listeners have no rules to add.
        LoadBalancer nlb = elb.createLoadBalancer(r -> r.name("bad-rules-nlb").type("network").scheme("internal")
                .subnets(net.subnetA())).loadBalancers().get(0);
        TargetGroup tcp = elb.createTargetGroup(r -> r.name("bad-rules-tcp").protocol("TCP").port(80)
                .vpcId(net.vpcId()))
                .targetGroups().get(0);
        Listener nl = elb.createListener(r -> r.loadBalancerArn(nlb.loadBalancerArn()).protocol("TCP").port(80)
                .defaultActions(forward(tcp))).listeners().get(0);
        assertError(() -> rule(nl, 1, path("/a")), "UnsupportedProtocol");
        assertThat(elb.describeRules(r -> r.listenerArn(nl.listenerArn())).rules()).singleElement()
                .satisfies(r -> assertThat(r.isDefault()).isTrue());
    }

    @Test
    void modifyDeleteAndSetRulePriorities_andTheDefaultRuleStaysPut() {
        Setup s = setup("lifecycle");
        Rule one = rule(s.listener(), 1, path("/one"));
        Rule two = rule(s.listener(), 2, path("/two"));
        String defaultArn = elb.describeRules(r -> r.listenerArn(s.listener().listenerArn())).rules().stream()
                .filter(Rule::isDefault).findFirst().orElseThrow().ruleArn();

        Rule modified = elb.modifyRule(r -> r.ruleArn(one.ruleArn()).conditions(path("/uno"))).rules().get(0);
        assertThat(modified.conditions().get(0).values()).containsExactly("/uno");
        assertThat(modified.actions().get(0).fixedResponseConfig().statusCode()).isEqualTo("200");
        Rule redirected = elb.modifyRule(r -> r.ruleArn(one.ruleArn()).actions(Action.builder().type("redirect")
                .redirectConfig(c -> c.path("/new").statusCode("HTTP_302")).build())).rules().get(0);
        assertThat(redirected.actions().get(0).redirectConfig().path()).isEqualTo("/new");
        assertThat(redirected.conditions().get(0).values()).containsExactly("/uno");
        assertError(() -> elb.modifyRule(r -> r.ruleArn(defaultArn).actions(fixed("404"))), "OperationNotPermitted");
        assertError(() -> elb.modifyRule(r -> r.ruleArn(one.ruleArn()).conditions(path("/1", "/2", "/3", "/4",
                "/5", "/6"))), "ValidationError");

        // Swapping two priorities in one call is allowed; colliding with a third rule is not.
        List<Rule> swapped = elb.setRulePriorities(r -> r.rulePriorities(
                RulePriorityPair.builder().ruleArn(one.ruleArn()).priority(2).build(),
                RulePriorityPair.builder().ruleArn(two.ruleArn()).priority(1).build())).rules();
        assertThat(swapped).extracting(Rule::priority).containsExactly("2", "1");
        Rule three = rule(s.listener(), 3, path("/three"));
        assertError(() -> elb.setRulePriorities(r -> r.rulePriorities(
                RulePriorityPair.builder().ruleArn(three.ruleArn()).priority(1).build())), "PriorityInUse");
        assertError(() -> elb.setRulePriorities(r -> r.rulePriorities(
                RulePriorityPair.builder().ruleArn(defaultArn).priority(7).build())), "OperationNotPermitted");
        String missing = one.ruleArn().substring(0, one.ruleArn().length() - 16) + "0123456789abcdef";
        assertError(() -> elb.setRulePriorities(r -> r.rulePriorities(
                RulePriorityPair.builder().ruleArn(missing).priority(9).build())), "RuleNotFound");
        assertThat(elb.describeRules(r -> r.ruleArns(three.ruleArn())).rules().get(0).priority()).isEqualTo("3");

        assertError(() -> elb.deleteRule(r -> r.ruleArn(defaultArn)), "OperationNotPermitted");
        elb.deleteRule(r -> r.ruleArn(two.ruleArn()));
        assertError(() -> elb.describeRules(r -> r.ruleArns(two.ruleArn())), "RuleNotFound");
        assertError(() -> elb.deleteRule(r -> r.ruleArn(two.ruleArn())), "RuleNotFound");
        assertError(() -> elb.describeRules(r -> r.ruleArns("not-an-arn")), "ValidationError");
        assertError(() -> elb.describeRules(r -> r.pageSize(5)), "ValidationError");

        // ModifyListener changes the default rule's actions.
        elb.modifyListener(r -> r.listenerArn(s.listener().listenerArn()).defaultActions(fixed("404")));
        assertThat(elb.describeRules(r -> r.ruleArns(defaultArn)).rules().get(0).actions().get(0)
                .fixedResponseConfig().statusCode()).isEqualTo("404");
        assertThat(elb.describeTargetGroups(r -> r.targetGroupArns(s.tg().targetGroupArn())).targetGroups().get(0)
                .loadBalancerArns()).isEmpty();
    }

    @Test
    void rulesForwardToTargetGroups_whichThenBelongToTheLoadBalancer() {
        Setup s = setup("routing");
        TargetGroup api = elb.createTargetGroup(r -> r.name("routing-api").protocol("HTTP").port(8080)
                .vpcId(net.vpcId()))
                .targetGroups().get(0);
        Rule r1 = elb.createRule(r -> r.listenerArn(s.listener().listenerArn()).priority(1).conditions(path("/api/*"))
                .actions(forward(api)).tags(t -> t.key("team").value("api"))).rules().get(0);
        assertThat(elb.describeTags(r -> r.resourceArns(r1.ruleArn(), s.listener().listenerArn())).tagDescriptions())
                .extracting(d -> d.tags().size()).containsExactly(1, 0);
        assertThat(r1.actions().get(0).forwardConfig().targetGroups()).singleElement()
                .satisfies(t -> assertThat(t.targetGroupArn()).isEqualTo(api.targetGroupArn()));
        assertThat(elb.describeTargetGroups(r -> r.loadBalancerArn(s.lb().loadBalancerArn())).targetGroups())
                .extracting(TargetGroup::targetGroupName).containsExactlyInAnyOrder("routing-api", "routing-default");
        assertError(() -> elb.deleteTargetGroup(r -> r.targetGroupArn(api.targetGroupArn())), "ResourceInUse");
        elb.deleteRule(r -> r.ruleArn(r1.ruleArn()));
        elb.deleteTargetGroup(r -> r.targetGroupArn(api.targetGroupArn()));
    }

    @Test
    void tooManyRules_pagination_andTagsOnRules() {
        Setup s = setup("quota");
        List<String> arns = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            int priority = i;
            arns.add(rule(s.listener(), priority, path("/p" + priority)).ruleArn());
        }
        assertError(() -> rule(s.listener(), 101, path("/p101")), "TooManyRules");
        // The quota is per load balancer: a second listener cannot take more either.
        Listener second = elb.createListener(r -> r.loadBalancerArn(s.lb().loadBalancerArn()).protocol("HTTP")
                .port(8080).defaultActions(fixed("404"))).listeners().get(0);
        assertError(() -> rule(second, 1, path("/x")), "TooManyRules");

        List<String> seen = new ArrayList<>();
        String marker = null;
        do {
            String m = marker;
            DescribeRulesResponse page = elb.describeRules(r -> r.listenerArn(s.listener().listenerArn())
                    .pageSize(40).marker(m));
            page.rules().forEach(r -> seen.add(r.priority()));
            marker = page.nextMarker();
        } while (marker != null);
        assertThat(seen).hasSize(101).startsWith("1", "2", "3").endsWith("100", "default");

        elb.addTags(r -> r.resourceArns(arns.get(0)).tags(t -> t.key("team").value("web")));
        assertThat(elb.describeTags(r -> r.resourceArns(arns.get(0))).tagDescriptions().get(0).tags())
                .singleElement().satisfies(t -> assertThat(t.key() + "=" + t.value()).isEqualTo("team=web"));
        elb.removeTags(r -> r.resourceArns(arns.get(0)).tagKeys("team"));
        assertThat(elb.describeTags(r -> r.resourceArns(arns.get(0))).tagDescriptions().get(0).tags()).isEmpty();
    }

    private static HttpResponse<String> raw(String body) {
        return RawHttp.post(UNDERPASS.endpoint(), body, Map.of(
                "Authorization", RawHttp.authorization(ACCOUNT, "us-east-1", "elasticloadbalancing"),
                "X-Amz-Date", RawHttp.amzDate()));
    }

    @Test
    void rawRequest_malformedRulesAndListenerInput_getAwsCodesNeverA500() {
        Setup s = setup("raw");
        String l = s.listener().listenerArn().replace(":", "%3A").replace("/", "%2F");
        String base = "Action=CreateRule&Version=2015-12-01&ListenerArn=" + l
                + "&Actions.member.1.Type=fixed-response&Actions.member.1.FixedResponseConfig.StatusCode=200";
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put(
                base + "&Priority=abc&Conditions.member.1.Field=path-pattern&Conditions.member.1.Values.member.1=/a",
                "ValidationError");
        expected.put(base + "&Priority=1", "ValidationError");
        expected.put(base + "&Priority=1&Conditions.member.1.Field=path-pattern", "ValidationError");
        expected.put(base + "&Priority=1&Conditions.member.1.Field=query-string"
                + "&Conditions.member.1.QueryStringConfig.Values.member.1.Key=k", "ValidationError");
        expected.put(base + "&Priority=1&Conditions.member.1.Field=http-header"
                + "&Conditions.member.1.HttpHeaderConfig.Values.member.1=v", "ValidationError");
        expected.put(base + "&Priority=1&Conditions.member.1.Field=host-header"
                + "&Conditions.member.1.PathPatternConfig.Values.member.1=/a", "ValidationError");
        expected.put(base + "&Priority=1&Conditions.member.1.Field=path-pattern&Conditions.member.1.Values.member.1=/a"
                + "&Transforms.member.1.Type=url-rewrite", "InvalidConfigurationRequest");
        expected.put("Action=CreateRule&Version=2015-12-01&ListenerArn=" + l + "&Priority=1"
                + "&Conditions.member.1.Field=path-pattern&Conditions.member.1.Values.member.1=/a"
                + "&Actions.member.1.Type=redirect", "ValidationError");
        expected.put("Action=CreateRule&Version=2015-12-01&ListenerArn=" + l + "&Priority=1"
                + "&Conditions.member.1.Field=path-pattern&Conditions.member.1.Values.member.1=/a"
                + "&Actions.member.1.Type=forward", "ValidationError");
        expected.put("Action=SetRulePriorities&Version=2015-12-01", "ValidationError");
        expected.put("Action=SetRulePriorities&Version=2015-12-01&RulePriorities.member.1.Priority=1",
                "ValidationError");
        expected.put("Action=ModifyRule&Version=2015-12-01", "ValidationError");
        expected.put("Action=DescribeRules&Version=2015-12-01&ListenerArn=" + l + "&PageSize=0", "ValidationError");
        expected.put("Action=DescribeRules&Version=2015-12-01&ListenerArn=" + l + "&Marker=zzz", "ValidationError");
        expected.put("Action=ModifyListenerAttributes&Version=2015-12-01&ListenerArn=" + l, "ValidationError");
        expected.put("Action=AddListenerCertificates&Version=2015-12-01&ListenerArn=" + l, "ValidationError");
        expected.put("Action=SetSecurityGroups&Version=2015-12-01&LoadBalancerArn=x", "ValidationError");
        expected.put("Action=SetIpAddressType&Version=2015-12-01&LoadBalancerArn=x&IpAddressType=ipv4",
                "ValidationError");
        expected.put("Action=CreateLoadBalancer&Version=2015-12-01&Name=raw-2&Type=application"
                + "&Subnets.member.1=subnet-0123456789abcdef0&Subnets.member.2=subnet-0123456789abcdef1",
                "SubnetNotFound");
        expected.forEach((body, code) -> {
            HttpResponse<String> r = raw(body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(r.body()).as(body).contains("<ErrorResponse").contains("<Code>" + code + "</Code>");
        });
        assertThat(elb.describeRules(r -> r.listenerArn(s.listener().listenerArn())).rules()).hasSize(1);
    }
}
