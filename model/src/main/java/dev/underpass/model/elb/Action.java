package dev.underpass.model.elb;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.AwsNamed;
import java.util.List;

/**
 * What a listener rule (or a listener's default rule) does with a request: forward it to weighted target groups,
 * redirect it, or answer it with a fixed response. Each action has AWS's {@code Order} (1-50000); a rule has exactly
 * one of these terminal actions (underpass does not model the {@code authenticate-*} and {@code jwt-validation}
 * actions that may precede it). Redirect components hold the caller's value or AWS's default
 * ({@code #{protocol}}, {@code #{port}}, {@code #{host}}, {@code /#{path}}, {@code #{query}}), as DescribeRules shows.
 *
 * @see <a href="https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#rule-action-types">Rule action types</a>
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Action.Forward.class, name = "forward"),
    @JsonSubTypes.Type(value = Action.Redirect.class, name = "redirect"),
    @JsonSubTypes.Type(value = Action.FixedResponse.class, name = "fixed-response"),
})
public sealed interface Action permits Action.Forward, Action.Redirect, Action.FixedResponse {
    String FORWARD = "forward";
    String REDIRECT = "redirect";
    String FIXED_RESPONSE = "fixed-response";

    int order();

    /** AWS's {@code Type} string. */
    String type();

    /** A target group and its weight (0-999) in a forward action. */
    record WeightedTargetGroup(TargetGroupArn targetGroupArn, int weight) {}

    /**
     * Forward to one or more target groups; {@code stickinessSeconds} is set when target group stickiness is enabled.
     */
    record Forward(int order, List<WeightedTargetGroup> targetGroups, boolean stickiness, Integer stickinessSeconds)
            implements Action {
        public Forward {
            targetGroups = List.copyOf(targetGroups);
        }

        @Override
        public String type() {
            return FORWARD;
        }

        public List<TargetGroupArn> targetGroupArns() {
            return targetGroups.stream().map(WeightedTargetGroup::targetGroupArn).toList();
        }
    }

    /**
     * Redirect with {@code HTTP_301} or {@code HTTP_302}. The request's protocol and status code are read with
     * {@link #of}, which refuses what the API's constraints refuse; the rest is {@code ListenerRules}' business.
     */
    record Redirect(int order, RedirectProtocol protocol, String port, String host, String path, String query,
            StatusCode statusCode) implements Action {
        @Override
        public String type() {
            return REDIRECT;
        }

        /**
         * A redirect as a request names it: the status code is required and one of the two; the protocol, if given,
         * is {@code HTTP}, {@code HTTPS} or {@code #{protocol}} (the request's own). {@code ValidationError}
         * otherwise, checked in that order.
         */
        public static Redirect of(int order, String protocol, String port, String host, String path, String query,
                String statusCode) {
            if (statusCode == null) {
                throw ElbError.VALIDATION_ERROR.with("A status code (HTTP_301 or HTTP_302) must be specified for a"
                        + " redirect action");
            }
            StatusCode status = ElbErrors.oneOf(StatusCode.values(), statusCode, "redirectConfig.statusCode");
            RedirectProtocol to = protocol == null ? null : AwsNamed.find(RedirectProtocol.values(), protocol);
            if (protocol != null && to == null) {
                throw ElbError.VALIDATION_ERROR.format("Redirect protocol '%s' must be HTTP, HTTPS or #{protocol}",
                        protocol);
            }
            return new Redirect(order, to, port, host, path, query, status);
        }
    }

    /** A redirect's HTTP status code. */
    enum StatusCode implements AwsNamed {
        HTTP_301,
        HTTP_302;

        /** AWS's name, as the API and the store write it and messages quote it. */
        @JsonValue
        @Override
        public String toString() {
            return Spelling.UPPER.of(this);
        }
    }

    /** The protocol a redirect sends the client to: HTTP, HTTPS, or the one it came with ({@code #{protocol}}). */
    enum RedirectProtocol implements AwsNamed {
        HTTP,
        HTTPS,
        ORIGINAL;

        /** AWS's name, as the API and the store write it and messages quote it. */
        @JsonValue
        @Override
        public String toString() {
            return this == ORIGINAL ? "#{protocol}" : name();
        }
    }

    /** Answer with a status code (2XX, 4XX, 5XX), an optional content type and an optional body. */
    record FixedResponse(int order, String statusCode, String contentType, String messageBody) implements Action {
        @Override
        public String type() {
            return FIXED_RESPONSE;
        }
    }

    /** The target groups every forward action of the list names, in order, without repeats. */
    static List<TargetGroupArn> targetGroupArns(List<Action> actions) {
        return actions.stream().filter(a -> a instanceof Forward).flatMap(a -> ((Forward) a).targetGroupArns()
                .stream()).distinct().toList();
    }
}
