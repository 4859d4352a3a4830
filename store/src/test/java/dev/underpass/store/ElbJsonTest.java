package dev.underpass.store;

import dev.underpass.model.elb.ListenerArn;
import dev.underpass.model.elb.TargetGroupArn;
import dev.underpass.model.elb.LoadBalancerArn;
import dev.underpass.model.ec2.VpcId;
import dev.underpass.model.net.IpFamily;
import static org.assertj.core.api.Assertions.assertThat;

import dev.underpass.model.elb.Action;
import dev.underpass.model.elb.Listener;
import dev.underpass.model.elb.Protocol;
import dev.underpass.model.elb.Rule;
import dev.underpass.model.elb.RuleCondition;
import dev.underpass.model.elb.TargetGroup;
import dev.underpass.model.elb.TargetType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ALB listeners, rules and target groups survive the store's JSON, and listeners stored before ALBs still load. */
class ElbJsonTest {
    private static final String LISTENER = "arn:aws:elasticloadbalancing:us-east-1:111111111111:listener/app/web/"
            + "0123456789abcdef/00000000000000aa";
    private static final String TG = "arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/web/"
            + "0123456789abcdef";
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void listenerAndRuleWithEveryActionAndCondition_roundTrip() {
        Listener l = new Listener(LISTENER, "111111111111", "us-east-1", LoadBalancerArn.of("arn:lb"), 443,
                Protocol.HTTPS,
                List.of(new Action.Forward(1, List.of(new Action.WeightedTargetGroup(TargetGroupArn.of(TG), 80)), true,
                        300)),
                List.of("arn:aws:acm:us-east-1:111111111111:certificate/abc"), "ELBSecurityPolicy-2016-08", List.of(),
                T, Map.of("k", "v"));
        assertThat(Json.write(l)).contains("\"protocol\":\"HTTPS\"");
        assertThat(Json.read(Json.write(l))).isEqualTo(l);
        Rule r = new Rule(LISTENER.replace(":listener/", ":listener-rule/") + "/00000000000000bb", "111111111111",
                "us-east-1", ListenerArn.of(LISTENER), 7, List.of(
                        new RuleCondition(RuleCondition.PATH_PATTERN, List.of("/api/*"), null, null),
                        new RuleCondition(RuleCondition.HTTP_HEADER, List.of("a*"), "X-Env", null),
                        new RuleCondition(RuleCondition.QUERY_STRING, null, null,
                                List.of(new RuleCondition.QueryPair(null, "v")))),
                List.of(new Action.Redirect(1, Action.RedirectProtocol.HTTPS, "443", "#{host}", "/#{path}", "#{query}",
                        Action.StatusCode.HTTP_301)),
                T,
                Map.of());
        assertThat(Json.read(Json.write(r))).isEqualTo(r);
        // The typed protocol and status code keep the stored names: a row written before they were typed reads
        // back the same with both decoders and is written again byte for byte.
        Rule original = r.with(r.conditions(), List.of(new Action.Redirect(1, Action.RedirectProtocol.ORIGINAL,
                "#{port}", "example.com", "/#{path}", "#{query}", Action.StatusCode.HTTP_302)));
        String stored = Json.write(original);
        assertThat(stored).contains("\"protocol\":\"#{protocol}\"").contains("\"statusCode\":\"HTTP_302\"");
        assertThat(Json.read(stored)).isEqualTo(original);
        assertThat(Json.readWithJackson(stored)).isEqualTo(original);
        assertThat(Json.write(Json.read(stored.getBytes(java.nio.charset.StandardCharsets.UTF_8)))).isEqualTo(stored);
        Rule fixed = r.with(r.conditions(), List.of(new Action.FixedResponse(1, "503", "text/plain", "down")));
        assertThat(Json.read(Json.write(fixed))).isEqualTo(fixed);
    }

    @Test
    void listenerStoredWithATargetGroupArn_loadsAsAForward() {
        String old = "{\"@kind\":\"listener\",\"id\":\"" + LISTENER + "\",\"ownerId\":\"111111111111\","
                + "\"region\":\"us-east-1\",\"loadBalancerArn\":\"arn:lb\",\"port\":443,\"protocol\":\"TCP\","
                + "\"targetGroupArn\":\"" + TG + "\",\"certificateArns\":[],\"sslPolicy\":null,\"alpnPolicy\":[],"
                + "\"createdAt\":\"2026-01-01T00:00:00Z\",\"tags\":{}}";
        Listener read = (Listener) Json.read(old);
        assertThat(read.protocol()).isEqualTo(Protocol.TCP);
        assertThat(read.targetGroupArns()).containsExactly(TargetGroupArn.of(TG));
        assertThat(read.defaultActions()).containsExactly(
                new Action.Forward(1, List.of(new Action.WeightedTargetGroup(TargetGroupArn.of(TG), 1)), false, null));
    }

    @Test
    void targetGroupWithProtocolVersion_roundTrips() {
        TargetGroup tg = new TargetGroup(TG, "111111111111", "us-east-1", "web", Protocol.HTTPS, 443, VpcId.of("vpc-1"),
                TargetType.IP,
                IpFamily.IPV4,
                "GRPC",
                new TargetGroup.HealthCheck(true, Protocol.HTTPS, "traffic-port", "/AWS.ALB/healthcheck", 30, 5, 5, 2,
                        "12"),
                List.of(), Map.of("stickiness.enabled", "false"), T, Map.of());
        String json = Json.write(tg);
        assertThat(json).contains("\"protocol\":\"HTTPS\"").contains("\"targetType\":\"ip\"")
                .contains("\"ipAddressType\":\"ipv4\"");
        assertThat(Json.read(json)).isEqualTo(tg);
        assertThat(Json.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(tg);
        assertThat(Json.readWithJackson(json)).isEqualTo(tg);
    }
}
