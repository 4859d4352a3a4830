package dev.underpass.model.elb;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.ResourceId;
import java.util.Objects;

/**
 * A load balancer's ARN ({@code arn:aws:elasticloadbalancing:…:loadbalancer/net/web/…}), as
 * its listeners, an endpoint service's load balancers and the rules that look up a load balancer's listeners name it
 * ({@link ResourceId} says how it is stored and read).
 */
public record LoadBalancerArn(String value) implements ResourceId {
    public LoadBalancerArn {
        Objects.requireNonNull(value, "value");
    }

    /** The id {@code value} names, or null for none (an absent request member, a stored null). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static LoadBalancerArn of(String value) {
        return value == null ? null : new LoadBalancerArn(value);
    }

    /** The ids {@code values} name, in order; none for null. */
    public static java.util.List<LoadBalancerArn> all(java.util.List<String> values) {
        return values == null ? java.util.List.of() : values.stream().map(LoadBalancerArn::new).toList();
    }

    /** The texts of {@code ids}, in order. */
    public static java.util.List<String> texts(java.util.List<LoadBalancerArn> ids) {
        return ids.stream().map(LoadBalancerArn::value).toList();
    }

    /** The text of {@code id}, or null for none (the API then leaves the member out). */
    public static String text(LoadBalancerArn id) {
        return ResourceId.text(id);
    }

    /** The text, as the API and the store write it and messages quote it. */
    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}
