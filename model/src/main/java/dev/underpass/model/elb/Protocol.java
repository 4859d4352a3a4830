package dev.underpass.model.elb;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.AwsNamed;

/**
 * The protocol of a load balancer listener, a target group or a health check, by the API's names, in the order its
 * enum lists them (the order {@code ValidationError} messages quote). Which of them a listener, a group or a check
 * may use is the business of {@link NlbListeners}, {@link AlbListeners}, {@link TargetGroupRules} and
 * {@link HealthCheckRules}; underpass carries traffic for TCP, UDP, TCP_UDP and TLS.
 */
public enum Protocol implements AwsNamed {
    HTTP,
    HTTPS,
    TCP,
    TLS,
    UDP,
    TCP_UDP,
    GENEVE,
    QUIC,
    TCP_QUIC;

    /** AWS's name, as the API and the store write it and messages quote it. */
    @JsonValue
    @Override
    public String toString() {
        return Spelling.UPPER.of(this);
    }

    /** HTTP or HTTPS: an Application Load Balancer's protocols. */
    public boolean http() {
        return this == HTTP || this == HTTPS;
    }

    /** Whether a listener or group of this protocol carries UDP datagrams (UDP, TCP_UDP). */
    public boolean carriesUdp() {
        return this == UDP || this == TCP_UDP;
    }

    /** Whether a listener of this protocol accepts TCP connections (TCP, TCP_UDP, TLS). */
    public boolean acceptsTcp() {
        return this == TCP || this == TCP_UDP || this == TLS;
    }
}
