package dev.underpass.model.elb;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.AwsNamed;

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

    /** AWS's name, as the API and the store write it and messages quote it. */
    @JsonValue
    @Override
    public String toString() {
        return Spelling.KEBAB.of(this);
    }

    /** A Lambda function or an Application Load Balancer: a group of these takes one target. */
    public boolean single() {
        return this == LAMBDA || this == ALB;
    }
}
