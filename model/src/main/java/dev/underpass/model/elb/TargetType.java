package dev.underpass.model.elb;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.AwsNamed;
import java.util.List;

/**
 * What a target group's targets are, by the API's names in its order: instances (the target sees the client's
 * address), IP addresses, one Lambda function (no protocol, port or VPC), or one Application Load Balancer (behind a
 * Network Load Balancer's TCP listener).
 */
public enum TargetType implements AwsNamed {
    INSTANCE,
    IP,
    LAMBDA,
    ALB;

    /** Every type, as the API's enum constraint lists them. */
    public static final List<TargetType> ALL = List.of(values());

    /** AWS's name, as the API and the store write it and messages quote it. */
    @JsonValue
    @Override
    public String toString() {
        return Spelling.KEBAB.of(this);
    }

    /**
     * The type the API calls {@code name}; any other name is refused as the API's enum constraint refuses it
     * ({@code ValidationError} naming {@code member}).
     */
    public static TargetType require(String name, String member) {
        TargetType t = AwsNamed.find(values(), name);
        if (t == null) {
            throw ElbErrors.validation(name, member, "satisfy enum value set: " + ALL);
        }
        return t;
    }

    /** A Lambda function or an Application Load Balancer: a group of these takes one target. */
    public boolean single() {
        return this == LAMBDA || this == ALB;
    }
}
