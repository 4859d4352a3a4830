package dev.underpass.model.elb;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a Network Load Balancer listener may be (the Application Load Balancer's are {@link AlbListeners}): TCP,
 * UDP, TCP_UDP or TLS; it forwards to one target group of the load balancer's VPC whose protocol fits its own (a
 * TLS listener may forward to TCP, a TCP one to TCP_UDP); a target group of type {@code alb} takes TCP only. A TLS
 * listener has exactly one default certificate and a security policy ({@value #DEFAULT_TLS_POLICY} when none is
 * given); the other protocols take neither.
 *
 * @see <a href="https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-listeners.html">NLB listeners</a>
 */
public final class NlbListeners {
    /** The protocols of a Network Load Balancer listener. */
    public static final Set<Protocol> PROTOCOLS = EnumSet.of(Protocol.TCP, Protocol.UDP, Protocol.TCP_UDP,
            Protocol.TLS);
    public static final String DEFAULT_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
    /** Which target group protocols a listener protocol may forward to. */
    private static final Map<Protocol, Set<Protocol>> COMPATIBLE = Map.of(
            Protocol.TCP, EnumSet.of(Protocol.TCP, Protocol.TCP_UDP),
            Protocol.UDP, EnumSet.of(Protocol.UDP, Protocol.TCP_UDP),
            Protocol.TCP_UDP, EnumSet.of(Protocol.TCP_UDP),
            Protocol.TLS, EnumSet.of(Protocol.TCP, Protocol.TLS));

    private NlbListeners() {}

    /** A listener's certificates, security policy and ALPN policy. */
    public record Security(List<String> certificates, String sslPolicy, List<String> alpn) {}

    /** A protocol an NLB listener has, else UnsupportedProtocol. */
    public static void requireProtocol(Protocol protocol) {
        if (!PROTOCOLS.contains(protocol)) {
            throw ElbError.UNSUPPORTED_PROTOCOL.format(
                    "Protocol '%s' is not supported for Network Load Balancers; use TCP, UDP, TCP_UDP or TLS",
                    protocol);
        }
    }

    /**
     * A target group a listener of {@code protocol} on {@code lb} may forward to: one with a VPC (not Lambda), the
     * load balancer's, and a protocol that fits (IncompatibleProtocols otherwise).
     */
    public static void requireUsable(LoadBalancer lb, TargetGroup tg, Protocol protocol) {
        if (tg.vpcId() == null) {
            throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                    "Target group '%s' of target type '%s' cannot be used by a Network Load Balancer", tg.arn(),
                    tg.targetType());
        }
        if (!tg.vpcId().equals(lb.vpcId())) {
            throw ElbError.INVALID_CONFIGURATION_REQUEST.format(
                    "Target group '%s' is in VPC '%s', but the load balancer is in VPC '%s'", tg.arn(), tg.vpcId(),
                    lb.vpcId());
        }
        if (!COMPATIBLE.getOrDefault(protocol, Set.of()).contains(tg.protocol())) {
            throw ElbError.INCOMPATIBLE_PROTOCOLS.format(
                    "The listener protocol '%s' is not compatible with the target group protocol '%s'", protocol,
                    tg.protocol());
        }
        if (tg.targetType() == TargetType.ALB && protocol != Protocol.TCP) {
            throw ElbError.INCOMPATIBLE_PROTOCOLS.format(
                    "A target group of target type 'alb' can only be used by a TCP listener, not %s", protocol);
        }
    }

    /** The ALPN policies an NLB TLS listener takes (one at most). */
    public static final java.util.Set<String> ALPN_POLICIES =
            java.util.Set.of("HTTP1Only", "HTTP2Only", "HTTP2Optional", "HTTP2Preferred", "None");

    /** A TLS listener's ALPN policy: none, or one of {@link #ALPN_POLICIES} (else ALPNPolicyNotFound). */
    private static List<String> alpn(List<String> alpn) {
        if (alpn == null || alpn.isEmpty()) {
            return List.of();
        }
        if (alpn.size() > 1) {
            throw ElbError.VALIDATION_ERROR.with("Only one ALPN policy can be specified for a listener");
        }
        if (!ALPN_POLICIES.contains(alpn.get(0))) {
            throw ElbError.ALPN_POLICY_NOT_SUPPORTED.format("ALPN policy '%s' not found; valid policies: HTTP1Only, "
                    + "HTTP2Only, HTTP2Optional, HTTP2Preferred, None", alpn.get(0));
        }
        return List.copyOf(alpn);
    }

    /**
     * The security of a listener of {@code protocol}: a TLS one needs exactly one certificate, an ACM or IAM server
     * certificate ARN (CertificateNotFound without, or for any other string), and a predefined policy
     * (SSLPolicyNotFound for another name), and gets the default policy if none is given, and at most one known ALPN
     * policy (ALPNPolicyNotFound); any other protocol refuses certificates, a policy and an ALPN policy.
     */
    public static Security security(Protocol protocol, List<String> certificates, String sslPolicy,
            List<String> alpn) {
        if (protocol == Protocol.TLS) {
            if (certificates.isEmpty() || certificates.get(0) == null) {
                throw ElbError.CERTIFICATE_NOT_FOUND.with("A certificate must be specified for a TLS listener");
            }
            if (certificates.size() > 1) {
                throw ElbError.VALIDATION_ERROR.with("Only one default certificate can be given for a listener");
            }
            if (!AlbListeners.isCertificateArn(certificates.get(0))) {
                throw ElbError.CERTIFICATE_NOT_FOUND.format("Certificate '%s' not found: a TLS listener takes an ACM "
                        + "certificate ARN or an IAM server certificate ARN", certificates.get(0));
            }
            String policy = sslPolicy == null ? DEFAULT_TLS_POLICY : sslPolicy;
            if (!AlbListeners.SSL_POLICIES.contains(policy)) {
                throw ElbError.SSL_POLICY_NOT_FOUND.format("SSL policy '%s' not found", policy);
            }
            return new Security(certificates, policy, alpn(alpn));
        }
        if (!certificates.isEmpty() || sslPolicy != null) {
            throw ElbError.VALIDATION_ERROR.format(
                    "Certificates and an SSL policy can only be specified for TLS listeners, not %s", protocol);
        }
        if (alpn != null && !alpn.isEmpty()) {
            throw ElbError.ALPN_POLICY_NOT_SUPPORTED.format(
                    "An ALPN policy can only be specified for TLS listeners, not %s", protocol);
        }
        return new Security(List.of(), null, List.of());
    }
}
