package dev.underpass.model.elb;

import dev.underpass.model.net.IpFamily;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What CreateTargetGroup accepts beyond the API's enums: the target types and protocols, which of them underpass
 * emulates, the protocol an {@code alb} target group needs, and the protocol versions of HTTP(S) groups. The health
 * check rules are the handlers' {@code TargetGroupHealthChecks}; the attributes {@link TargetGroupAttributes}.
 */
public final class TargetGroupRules {
    public static final List<String> PROTOCOL_VERSIONS = List.of("HTTP1", "HTTP2", "GRPC");
    /** The API's target group protocols underpass refuses as not emulated. */
    private static final Set<Protocol> NOT_EMULATED = EnumSet.of(Protocol.GENEVE, Protocol.QUIC, Protocol.TCP_QUIC);

    private TargetGroupRules() {}

    /** Whether groups of this protocol are an Application Load Balancer's (HTTP checks, ALB attributes). */
    public static boolean isHttp(Protocol protocol) {
        return protocol != null && protocol.http();
    }

    /**
     * A protocol this target type takes and underpass emulates: an {@code alb} group is TCP (ValidationError), and
     * GENEVE, QUIC and TCP_QUIC are refused (InvalidConfigurationRequest).
     */
    public static void requireProtocol(TargetType targetType, Protocol protocol) {
        if (targetType == TargetType.ALB && protocol != Protocol.TCP) {
            throw ElbError.VALIDATION_ERROR.format(
                    "A target group with target type 'alb' must use the TCP protocol, not '%s'", protocol);
        }
        if (NOT_EMULATED.contains(protocol)) {
            throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                    "underpass does not support the target group protocol '%s'", protocol);
        }
    }

    /** Target groups are {@code ipv4} here. */
    public static void requireIpAddressType(IpFamily ipAddressType) {
        if (ipAddressType != IpFamily.IPV4) {
            throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                    "underpass supports only the 'ipv4' IP address type for target groups, not '%s'", ipAddressType);
        }
    }

    /**
     * The protocol version a group of {@code protocol} gets when the request asks for {@code requested} (null when
     * absent): HTTP1 by default for HTTP(S), none for the others, which may not ask for one (ValidationError). The
     * value asked for is upper-cased; whether it is one of {@link #PROTOCOL_VERSIONS} is the caller's enum check.
     */
    public static String protocolVersion(Protocol protocol, String requested) {
        if (requested != null && requested.isEmpty()) {
            requested = null; // Terraform's aws_lb_target_group sends an empty version when none is configured.
        }
        if (requested != null && !isHttp(protocol)) {
            throw ElbError.VALIDATION_ERROR.format(
                    "A protocol version can only be specified for HTTP and HTTPS target groups, not %s", protocol);
        }
        if (!isHttp(protocol)) {
            return null;
        }
        return requested == null ? "HTTP1" : requested.toUpperCase(Locale.ROOT);
    }
}
