package dev.underpass.aws.elbv2;

import dev.underpass.model.elb.TargetGroupArn;
import dev.underpass.model.AwsNamed;
import dev.underpass.model.elb.Action.FixedResponse;
import dev.underpass.model.elb.Action.Forward;
import dev.underpass.model.elb.Action.Redirect;
import dev.underpass.model.elb.Action.WeightedTargetGroup;
import dev.underpass.model.elb.ElbError;
import dev.underpass.model.elb.RuleCondition;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.FixedResponseActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ForwardActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.HostHeaderConditionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.HttpHeaderConditionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.HttpRequestMethodConditionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.PathPatternConditionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.QueryStringConditionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.QueryStringKeyValuePair;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RedirectActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition.Builder;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.SourceIpConditionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupStickinessConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * Folds the wire's actions and conditions (their N optional members: {@code TargetGroupArn} or
 * {@code ForwardConfig}, legacy {@code Values} or a {@code …Config} per field) into the model's {@link
 * dev.underpass.model.elb.Action} and {@link RuleCondition} records once, and writes them back in the shape AWS
 * describes them. Whether the values are allowed is the model's business ({@code ListenerRules}); here only the
 * shape of the request is checked.
 */
final class ElbActions {
    private static final List<String> AUTHENTICATE = List.of("authenticate-oidc", "authenticate-cognito",
            "jwt-validation");
    private static final List<String> TYPES = List.of("forward", "authenticate-oidc", "authenticate-cognito",
            "redirect", "fixed-response", "jwt-validation");

    private ElbActions() {}

    static List<dev.underpass.model.elb.Action> fromSdk(List<Action> actions) {
        List<dev.underpass.model.elb.Action> out = new ArrayList<>();
        for (Action a : actions) {
            String type = ElbShapes.oneOf(ElbShapes.required(a.typeAsString(), "Actions.member.N.Type"),
                    "Actions.member.N.Type", TYPES);
            int order = a.order() == null ? 0 : a.order();
            if (AUTHENTICATE.contains(type)) {
                throw ElbError.INVALID_LOAD_BALANCER_ACTION.format(
                        "underpass does not model the '%s' action (forward, redirect and fixed-response only)", type);
            }
            out.add(switch (type) {
                case "forward" -> forward(a, order);
                case "redirect" -> {
                    RedirectActionConfig r = a.redirectConfig();
                    if (r == null) {
                        throw ElbError.VALIDATION_ERROR.with("A redirect action requires RedirectConfig");
                    }
                    yield Redirect.of(order, r.protocol(), r.port(), r.host(), r.path(), r.query(),
                            r.statusCodeAsString());
                }
                default -> {
                    FixedResponseActionConfig f = a.fixedResponseConfig();
                    if (f == null) {
                        throw ElbError.VALIDATION_ERROR.with("A fixed-response action requires FixedResponseConfig");
                    }
                    yield new FixedResponse(order, f.statusCode(), f.contentType(), f.messageBody());
                }
            });
        }
        return out;
    }

    private static Forward forward(Action a, int order) {
        List<WeightedTargetGroup> groups = new ArrayList<>();
        ForwardActionConfig config = a.forwardConfig();
        boolean stickiness = false;
        Integer seconds = null;
        if (config != null && config.hasTargetGroups() && !config.targetGroups().isEmpty()) {
            for (TargetGroupTuple t : config.targetGroups()) {
                groups.add(new WeightedTargetGroup(
                        TargetGroupArn.of(ElbShapes.required(t.targetGroupArn(),
                                "ForwardConfig.TargetGroups.member.N.TargetGroupArn")),
                        t.weight() == null ? 1 : t.weight()));
            }
            if (a.targetGroupArn() != null
                    && (groups.size() != 1
                            || !groups.get(0).targetGroupArn().equals(TargetGroupArn.of(a.targetGroupArn())))) {
                throw ElbError.VALIDATION_ERROR.with("You cannot specify both a target group ARN and a forward"
                        + " config unless they name the same single target group");
            }
        } else if (a.targetGroupArn() != null) {
            groups.add(new WeightedTargetGroup(TargetGroupArn.of(a.targetGroupArn()), 1));
        }
        if (config != null && config.targetGroupStickinessConfig() != null) {
            TargetGroupStickinessConfig s = config.targetGroupStickinessConfig();
            stickiness = Boolean.TRUE.equals(s.enabled());
            seconds = s.durationSeconds();
        }
        return new Forward(order, groups, stickiness, seconds);
    }

    static List<Action> toSdk(List<dev.underpass.model.elb.Action> actions) {
        List<Action> out = new ArrayList<>();
        for (dev.underpass.model.elb.Action a : actions) {
            Action.Builder b = Action.builder().type(a.type()).order(a.order());
            switch (a) {
                case Forward f -> {
                    if (f.targetGroups().size() == 1) {
                        b.targetGroupArn(TargetGroupArn.text(f.targetGroups().get(0).targetGroupArn()));
                    }
                    TargetGroupStickinessConfig.Builder s = TargetGroupStickinessConfig.builder()
                            .enabled(f.stickiness());
                    if (f.stickiness()) {
                        s.durationSeconds(f.stickinessSeconds());
                    }
                    b.forwardConfig(ForwardActionConfig.builder()
                            .targetGroups(f.targetGroups().stream().map(w -> TargetGroupTuple.builder()
                                    .targetGroupArn(TargetGroupArn.text(w.targetGroupArn())).weight(w.weight()).build())
                                    .toList())
                            .targetGroupStickinessConfig(s.build()).build());
                }
                case Redirect r -> b.redirectConfig(RedirectActionConfig.builder()
                        .protocol(AwsNamed.wireOf(r.protocol())).port(r.port()).host(r.host()).path(r.path())
                        .query(r.query()).statusCode(AwsNamed.wireOf(r.statusCode())).build());
                case FixedResponse f -> b.fixedResponseConfig(FixedResponseActionConfig.builder()
                        .statusCode(f.statusCode()).contentType(f.contentType()).messageBody(f.messageBody())
                        .build());
            }
            out.add(b.build());
        }
        return out;
    }

    static List<RuleCondition> conditionsFromSdk(
            List<software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition> conditions) {
        List<RuleCondition> out = new ArrayList<>();
        for (var c : conditions) {
            String field = ElbShapes.required(c.field(), "Conditions.member.N.Field");
            List<String> legacy = c.hasValues() && !c.values().isEmpty() ? c.values() : null;
            int configs = (c.hostHeaderConfig() != null ? 1 : 0) + (c.pathPatternConfig() != null ? 1 : 0)
                    + (c.httpHeaderConfig() != null ? 1 : 0) + (c.httpRequestMethodConfig() != null ? 1 : 0)
                    + (c.queryStringConfig() != null ? 1 : 0) + (c.sourceIpConfig() != null ? 1 : 0);
            if (configs > 1 || (legacy != null && configs > 0)) {
                throw ElbError.VALIDATION_ERROR.format(
                        "A '%s' condition takes either Values or one matching condition config, not several", field);
            }
            Object config = switch (field) {
                case RuleCondition.HOST_HEADER -> c.hostHeaderConfig();
                case RuleCondition.PATH_PATTERN -> c.pathPatternConfig();
                case RuleCondition.HTTP_HEADER -> c.httpHeaderConfig();
                case RuleCondition.HTTP_REQUEST_METHOD -> c.httpRequestMethodConfig();
                case RuleCondition.QUERY_STRING -> c.queryStringConfig();
                case RuleCondition.SOURCE_IP -> c.sourceIpConfig();
                default -> throw ElbError.VALIDATION_ERROR.format("Condition field '%s' must be one of %s", field,
                        RuleCondition.FIELDS);
            };
            if (configs == 1 && config == null) {
                throw ElbError.VALIDATION_ERROR.format("The condition config does not match the field '%s'", field);
            }
            if (legacy != null && !field.equals(RuleCondition.HOST_HEADER)
                    && !field.equals(RuleCondition.PATH_PATTERN)) {
                throw ElbError.VALIDATION_ERROR.format(
                        "Values can only be given directly for host-header and path-pattern conditions, not '%s'",
                        field);
            }
            out.add(switch (config) {
                case null -> new RuleCondition(field, legacy, null, null);
                case HostHeaderConditionConfig h -> new RuleCondition(field, h.values(), null, null);
                case PathPatternConditionConfig p -> new RuleCondition(field, p.values(), null, null);
                case HttpHeaderConditionConfig h -> new RuleCondition(field, h.values(), h.httpHeaderName(), null);
                case HttpRequestMethodConditionConfig m -> new RuleCondition(field, m.values(), null, null);
                case QueryStringConditionConfig q -> new RuleCondition(field, null, null, q.values().stream()
                        .map(p -> new RuleCondition.QueryPair(p.key(), p.value())).toList());
                case SourceIpConditionConfig s -> new RuleCondition(field, s.values(), null, null);
                default -> throw new IllegalStateException(config.getClass().getName());
            });
        }
        return out;
    }

    static List<software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition> conditionsToSdk(
            List<RuleCondition> conditions) {
        List<software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition> out = new ArrayList<>();
        for (RuleCondition c : conditions) {
            Builder b = software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition.builder()
                    .field(c.field());
            switch (c.field()) {
                case RuleCondition.HOST_HEADER -> b.values(c.values())
                        .hostHeaderConfig(HostHeaderConditionConfig.builder().values(c.values()).build());
                case RuleCondition.PATH_PATTERN -> b.values(c.values())
                        .pathPatternConfig(PathPatternConditionConfig.builder().values(c.values()).build());
                case RuleCondition.HTTP_HEADER -> b.httpHeaderConfig(HttpHeaderConditionConfig.builder()
                        .httpHeaderName(c.httpHeaderName()).values(c.values()).build());
                case RuleCondition.HTTP_REQUEST_METHOD -> b.httpRequestMethodConfig(
                        HttpRequestMethodConditionConfig.builder().values(c.values()).build());
                case RuleCondition.QUERY_STRING -> b.queryStringConfig(QueryStringConditionConfig.builder()
                        .values(c.queryPairs().stream().map(p -> QueryStringKeyValuePair.builder().key(p.key())
                                .value(p.value()).build()).toList())
                        .build());
                default -> b.sourceIpConfig(SourceIpConditionConfig.builder().values(c.values()).build());
            }
            out.add(b.build());
        }
        return out;
    }
}
