package dev.underpass.server;

import static dev.underpass.server.AlbApiTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * The error paths of the ALB calls that the other suites use only on their happy path: ModifyListener,
 * ModifyTargetGroup, the listener and target group reads, and RemoveTags. Each bad call answers AWS's code with
 * status 400 and changes nothing; an ARN of the right shape that names nothing the caller has answers the NotFound
 * code of its kind, so another account's resources are as invisible as missing ones.
 */
class AlbErrorPathsApiTest {
    @RegisterExtension
    static final UnderpassExtension UNDERPASS = new UnderpassExtension();
    private static final String ACCOUNT = "323232323232";
    private static final String STRANGER = "323232323233";

    private final ElasticLoadBalancingV2Client elb = UNDERPASS.elbv2(ACCOUNT);
    private final ElasticLoadBalancingV2Client stranger = UNDERPASS.elbv2(STRANGER);
    private static TestVpcs.TwoZones net;

    @BeforeAll
    static void network() {
        net = TestVpcs.twoZones(UNDERPASS.ec2(ACCOUNT), "10.32.0.0/16");
    }

    /** The same ARN with its last id changed: well formed, naming nothing. */
    private static String missing(String arn) {
        return arn.substring(0, arn.length() - 16) + "0123456789abcdef";
    }

    private LoadBalancer alb(String name) {
        return elb.createLoadBalancer(r -> r.name(name).type("application").scheme("internal")
                .subnets(net.subnetA(), net.subnetB())).loadBalancers().get(0);
    }

    private TargetGroup http(String name) {
        return elb.createTargetGroup(r -> r.name(name).protocol("HTTP").port(80)
                .vpcId(net.vpcId())).targetGroups().get(0);
    }

    private static Action fixed(String status) {
        return Action.builder().type("fixed-response").fixedResponseConfig(c -> c.statusCode(status)).build();
    }

    private Listener listen(LoadBalancer lb, int port) {
        return elb.createListener(r -> r.loadBalancerArn(lb.loadBalancerArn()).protocol("HTTP").port(port)
                .defaultActions(fixed("200"))).listeners().get(0);
    }

    @Test
    void modifyListener_badInput_failsWithAwsCodesAndChangesNothing() {
        LoadBalancer lb = alb("modify-errors");
        Listener web = listen(lb, 80);
        listen(lb, 8080);
        String arn = web.listenerArn();

        assertError(() -> elb.modifyListener(r -> r.listenerArn(missing(arn)).port(81)), "ListenerNotFound");
        assertError(() -> stranger.modifyListener(r -> r.listenerArn(arn).port(81)), "ListenerNotFound");
        assertError(() -> elb.modifyListener(r -> r.listenerArn(arn).port(8080)), "DuplicateListener");
        assertError(() -> elb.modifyListener(r -> r.listenerArn(arn).protocol("HTTPS").port(443)),
                "CertificateNotFound");
        assertError(() -> elb.modifyListener(r -> r.listenerArn(arn).protocol("TCP")), "UnsupportedProtocol");
        assertError(() -> elb.modifyListener(r -> r.listenerArn(arn).port(0)), "ValidationError");
        assertError(() -> elb.modifyListener(r -> r.listenerArn(arn).defaultActions(Action.builder().type("forward")
                .targetGroupArn(missing(http("modify-errors").targetGroupArn())).build())), "TargetGroupNotFound");

        Listener after = elb.describeListeners(r -> r.listenerArns(arn)).listeners().get(0);
        assertThat(after.port()).isEqualTo(80);
        assertThat(after.protocolAsString()).isEqualTo("HTTP");
        assertThat(after.certificates()).isEmpty();
        assertThat(after.defaultActions()).singleElement().satisfies(a -> {
            assertThat(a.typeAsString()).isEqualTo("fixed-response");
            assertThat(a.fixedResponseConfig().statusCode()).isEqualTo("200");
        });
    }

    @Test
    void targetGroupCalls_unknownOrOutOfRange_failWithAwsCodesAndChangeNothing() {
        TargetGroup tg = http("tg-errors");
        String arn = tg.targetGroupArn();

        assertError(() -> elb.modifyTargetGroup(r -> r.targetGroupArn(missing(arn)).healthCheckPath("/x")),
                "TargetGroupNotFound");
        assertError(() -> stranger.modifyTargetGroup(r -> r.targetGroupArn(arn).healthCheckPath("/x")),
                "TargetGroupNotFound");
        assertError(() -> elb.modifyTargetGroup(r -> r.targetGroupArn(arn).healthCheckIntervalSeconds(1)),
                "ValidationError");
        assertError(() -> elb.modifyTargetGroup(r -> r.targetGroupArn(arn).healthyThresholdCount(11)),
                "ValidationError");
        assertError(() -> elb.modifyTargetGroup(r -> r.targetGroupArn(arn).matcher(m -> m.httpCode("600"))),
                "ValidationError");
        assertError(() -> elb.describeTargetGroupAttributes(r -> r.targetGroupArn(missing(arn))),
                "TargetGroupNotFound");
        assertError(() -> elb.modifyTargetGroupAttributes(r -> r.targetGroupArn(arn).attributes(a -> a
                .key("deregistration_delay.timeout_seconds").value("-1"))), "InvalidConfigurationRequest");

        TargetGroup after = elb.describeTargetGroups(r -> r.targetGroupArns(arn)).targetGroups().get(0);
        assertThat(after.healthCheckPath()).isEqualTo(tg.healthCheckPath());
        assertThat(after.healthCheckIntervalSeconds()).isEqualTo(tg.healthCheckIntervalSeconds());
        assertThat(after.healthyThresholdCount()).isEqualTo(tg.healthyThresholdCount());
        assertThat(after.matcher().httpCode()).isEqualTo(tg.matcher().httpCode());
    }

    @Test
    void listenerReads_ofAnUnknownListener_failWithListenerNotFound() {
        Listener l = listen(alb("reads-errors"), 80);
        String unknown = missing(l.listenerArn());

        assertError(() -> elb.describeListenerCertificates(r -> r.listenerArn(unknown)), "ListenerNotFound");
        assertError(() -> elb.describeListenerAttributes(r -> r.listenerArn(unknown)), "ListenerNotFound");
        assertError(() -> stranger.describeListenerAttributes(r -> r.listenerArn(l.listenerArn())),
                "ListenerNotFound");
        assertError(() -> elb.describeRules(r -> r.listenerArn(unknown)), "ListenerNotFound");
        assertError(() -> elb.describeListeners(r -> r.listenerArns(unknown)), "ListenerNotFound");
        assertThat(elb.describeListenerCertificates(r -> r.listenerArn(l.listenerArn())).certificates()).isEmpty();
    }

    @Test
    void removeTags_unknownResource_failsWithTheNotFoundOfItsKind_andKeepsTheTags() {
        LoadBalancer lb = alb("tag-errors");
        TargetGroup tg = http("tag-errors");
        Listener l = listen(lb, 80);
        Rule rule = elb.createRule(r -> r.listenerArn(l.listenerArn()).priority(5).conditions(RuleCondition.builder()
                .field("path-pattern").pathPatternConfig(c -> c.values("/x")).build()).actions(fixed("404")))
                .rules().get(0);
        List<String> arns = List.of(lb.loadBalancerArn(), tg.targetGroupArn(), l.listenerArn(), rule.ruleArn());
        elb.addTags(r -> r.resourceArns(arns).tags(t -> t.key("team").value("web")));

        assertError(() -> elb.removeTags(r -> r.resourceArns(missing(lb.loadBalancerArn())).tagKeys("team")),
                "LoadBalancerNotFound");
        assertError(() -> elb.removeTags(r -> r.resourceArns(missing(tg.targetGroupArn())).tagKeys("team")),
                "TargetGroupNotFound");
        assertError(() -> elb.removeTags(r -> r.resourceArns(missing(l.listenerArn())).tagKeys("team")),
                "ListenerNotFound");
        assertError(() -> elb.removeTags(r -> r.resourceArns(missing(rule.ruleArn())).tagKeys("team")),
                "RuleNotFound");
        assertError(() -> elb.removeTags(r -> r.resourceArns("arn:aws:s3:::bucket").tagKeys("team")),
                "ValidationError");
        assertError(() -> stranger.removeTags(r -> r.resourceArns(rule.ruleArn()).tagKeys("team")), "RuleNotFound");
        // One bad ARN fails the whole call: the good ones before it keep their tags.
        assertError(() -> elb.removeTags(r -> r.resourceArns(lb.loadBalancerArn(), missing(tg.targetGroupArn()))
                .tagKeys("team")), "TargetGroupNotFound");

        assertThat(elb.describeTags(r -> r.resourceArns(arns)).tagDescriptions())
                .allSatisfy(d -> assertThat(d.tags()).singleElement()
                        .satisfies(t -> assertThat(t.value()).isEqualTo("web")));
    }
}
