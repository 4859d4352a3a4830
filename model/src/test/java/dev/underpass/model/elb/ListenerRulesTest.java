package dev.underpass.model.elb;

import dev.underpass.model.ec2.VpcId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The listener-rule, matcher and ALB attribute rules of {@code model/elb}, one line of setup per case. */
class ListenerRulesTest {
    private static final Caller CALLER = Caller.of("123456789012", "us-east-1");
    private static final String LB = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/"
            + "0123456789abcdef";

    private static void assertCode(Runnable call, String code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(AwsException.class,
                e -> assertThat(e.code()).isEqualTo(code));
    }

    private static RuleCondition paths(String... values) {
        return new RuleCondition(RuleCondition.PATH_PATTERN, List.of(values), null, null);
    }

    /** A world with an internal ALB and an HTTP listener whose default action is a fixed response. */
    private static Tx albWithListener() {
        LoadBalancer lb =
                new LoadBalancer(LB, CALLER.accountId(), CALLER.region(), "web", LoadBalancer.Type.APPLICATION,
                        LoadBalancer.Scheme.INTERNAL, VpcId.of("vpc-0123456789abcdef0"),
                        LoadBalancer.IpAddressType.IPV4,
                        List.of(), List.of(), Map.of(),
                        Instant.EPOCH, Map.of());
        Listener l = new Listener(LB.replace(":loadbalancer/", ":listener/") + "/00000000000000aa",
                CALLER.accountId(), CALLER.region(), LoadBalancerArn.of(LB), 80, Protocol.HTTP,
                List.of(new Action.FixedResponse(1, "404", null, null)), List.of(), null, List.of(), Instant.EPOCH,
                Map.of());
        Tx tx = new Tx(World.of(List.of(lb, l)), CALLER, Instant.EPOCH);
        ListenerRules.createDefault(tx, l);
        return tx;
    }

    private static Listener listener(Tx tx) {
        return tx.all(Listener.class).iterator().next();
    }

    private static List<Action> ok() {
        return List.of(new Action.FixedResponse(0, "200", "text/plain", "ok"));
    }

    @Test
    void conditions_countValuesAndWildcardsAcrossTheRule() {
        assertThat(ListenerRules.conditions(List.of(paths("/a", "/b"), new RuleCondition(RuleCondition.QUERY_STRING,
                null, null, List.of(new RuleCondition.QueryPair(null, "x"), new RuleCondition.QueryPair("k", "v"))),
                new RuleCondition(RuleCondition.HTTP_HEADER, List.of("a"), "X-Env", null)))).hasSize(3);
        assertCode(() -> ListenerRules.conditions(List.of(paths("/a", "/b", "/c"),
                new RuleCondition(RuleCondition.HTTP_HEADER, List.of("1", "2", "3"), "X-Env", null))),
                "ValidationError");
        assertCode(() -> ListenerRules.conditions(List.of(paths("/*?*", "/**?"))), "ValidationError");
        assertCode(() -> ListenerRules.conditions(List.of()), "ValidationError");
        assertCode(() -> ListenerRules.conditions(List.of(paths("/a"), paths("/b"))), "ValidationError");
        // http-header and query-string may repeat.
        assertThat(ListenerRules.conditions(List.of(
                new RuleCondition(RuleCondition.HTTP_HEADER, List.of("a"), "X-A", null),
                new RuleCondition(RuleCondition.HTTP_HEADER, List.of("b"), "X-B", null)))).hasSize(2);
        assertCode(() -> ListenerRules.conditions(List.of(new RuleCondition(RuleCondition.SOURCE_IP,
                List.of("2001:db8::"), null, null))), "ValidationError");
        assertThat(ListenerRules.conditions(List.of(new RuleCondition(RuleCondition.SOURCE_IP,
                List.of("2001:db8::/32", "192.0.2.0/24"), null, null)))).hasSize(1);
    }

    @Test
    void create_takesPrioritiesOncePerListener_andAtMostOneHundredRules() {
        Tx tx = albWithListener();
        Listener l = listener(tx);
        Rule first = ListenerRules.create(tx, l, 7, List.of(paths("/a")), ok(), Map.of());
        assertThat(first.priority()).isEqualTo(7);
        assertThat(first.actions().get(0).order()).isEqualTo(1);
        assertCode(() -> ListenerRules.create(tx, l, 7, List.of(paths("/b")), ok(), Map.of()), "PriorityInUse");
        for (int p = 8; p < 107; p++) {
            ListenerRules.create(tx, l, p, List.of(paths("/" + p)), ok(), Map.of());
        }
        assertCode(() -> ListenerRules.create(tx, l, 200, List.of(paths("/x")), ok(), Map.of()), "TooManyRules");
        assertThat(ListenerRules.ordered(LoadBalancers.rulesOf(tx.world(), l.listenerArn())))
                .hasSize(101).last().satisfies(r -> assertThat(r.isDefault()).isTrue());
    }

    @Test
    void setPriorities_swapsInOneCall_butNeverCollides() {
        Tx tx = albWithListener();
        Listener l = listener(tx);
        Rule a = ListenerRules.create(tx, l, 1, List.of(paths("/a")), ok(), Map.of());
        Rule b = ListenerRules.create(tx, l, 2, List.of(paths("/b")), ok(), Map.of());
        Map<String, Integer> swap = new java.util.LinkedHashMap<>();
        swap.put(a.id(), 2);
        swap.put(b.id(), 1);
        assertThat(ListenerRules.setPriorities(tx, swap)).extracting(Rule::priority).containsExactly(2, 1);
        assertCode(() -> ListenerRules.setPriorities(tx, Map.of(a.id(), 1)), "PriorityInUse");
        assertCode(() -> ListenerRules.setPriorities(tx, Map.of(l.defaultRuleArn(), 5)), "OperationNotPermitted");
        assertCode(() -> ListenerRules.delete(tx, tx.find(Rule.class, l.defaultRuleArn()).orElseThrow()),
                "OperationNotPermitted");
    }

    @Test
    void redirect_fillsAwsDefaults_andRefusesALoop() {
        Tx tx = albWithListener();
        LoadBalancer lb = tx.find(LoadBalancer.class, LB).orElseThrow();
        Action r = ListenerRules
                .albActions(tx, lb, Protocol.HTTP, List.of(Action.Redirect.of(0, "HTTPS", null, null, null,
                        null, "HTTP_301")))
                .get(0);
        assertThat(r).isEqualTo(new Action.Redirect(1, Action.RedirectProtocol.HTTPS, "#{port}", "#{host}",
                "/#{path}", "#{query}", Action.StatusCode.HTTP_301));
        assertCode(
                () -> ListenerRules.albActions(tx, lb, Protocol.HTTP, List.of(Action.Redirect.of(0, null, null, null,
                        null, null, "HTTP_302"))),
                "InvalidLoadBalancerAction");
        assertCode(() -> ListenerRules.albActions(tx, lb, Protocol.HTTPS, List.of(Action.Redirect.of(0, "HTTP", null,
                null, null, null, "HTTP_302"))), "InvalidLoadBalancerAction");
        // The request's own constraints, checked as the redirect is read: status code required and one of two,
        // protocol HTTP, HTTPS or #{protocol}.
        assertCode(() -> Action.Redirect.of(0, "HTTPS", null, null, null, null, null), "ValidationError");
        assertThatThrownBy(() -> Action.Redirect.of(0, "HTTPS", null, null, null, null, "HTTP_307"))
                .hasMessageContaining("Member must satisfy enum value set: [HTTP_301, HTTP_302]");
        assertThatThrownBy(() -> Action.Redirect.of(0, "FTP", null, null, null, null, "HTTP_301"))
                .hasMessage("Redirect protocol 'FTP' must be HTTP, HTTPS or #{protocol}");
        assertThat(Action.Redirect.of(0, "#{protocol}", "8443", null, null, null, "HTTP_302").protocol())
                .isEqualTo(Action.RedirectProtocol.ORIGINAL);
        List<Action> two = new ArrayList<>(ok());
        two.addAll(ok());
        assertCode(() -> ListenerRules.albActions(tx, lb, Protocol.HTTP, two), "TooManyActions");
    }

    @Test
    void matchers_acceptCodesListsAndRanges_withinTheirBounds() {
        assertThat(Matchers.httpCode("200,202,300-399", 200, 499)).isEqualTo("200,202,300-399");
        assertCode(() -> Matchers.httpCode("500", 200, 499), "ValidationError");
        assertCode(() -> Matchers.httpCode("200-", 200, 499), "ValidationError");
        assertThat(Matchers.grpcCode("0-99")).isEqualTo("0-99");
        assertCode(() -> Matchers.grpcCode("100"), "ValidationError");
    }

    @Test
    void albAttributes_validateRangesAndCombinations() {
        Map<String, String> lb = AlbAttributes.loadBalancerDefaults(LoadBalancer.Scheme.INTERNAL);
        assertThat(AlbAttributes.modifyLoadBalancer(lb, Map.of("client_keep_alive.seconds", "60")))
                .containsEntry("client_keep_alive.seconds", "60");
        assertCode(() -> AlbAttributes.modifyLoadBalancer(lb, Map.of("client_keep_alive.seconds", "59")),
                "InvalidConfigurationRequest");
        assertCode(() -> AlbAttributes.modifyLoadBalancer(lb, Map.of("connection_logs.s3.enabled", "true")),
                "InvalidConfigurationRequest");
        Map<String, String> tg = AlbAttributes.targetGroupDefaults(TargetType.INSTANCE);
        assertCode(() -> AlbAttributes.modifyTargetGroup(tg, Map.of("load_balancing.algorithm.anomaly_mitigation",
                "on")), "InvalidConfigurationRequest");
        assertThat(AlbAttributes.modifyTargetGroup(tg, Map.of("load_balancing.algorithm.type", "weighted_random",
                "load_balancing.algorithm.anomaly_mitigation", "on")))
                .containsEntry("load_balancing.algorithm.anomaly_mitigation", "on");
        assertCode(() -> AlbAttributes.modifyTargetGroup(tg, Map.of("stickiness.enabled", "true",
                "stickiness.type", "app_cookie")), "InvalidConfigurationRequest");
    }
}
