package dev.underpass.model.elb;

import dev.underpass.model.Tx;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What an Application Load Balancer listener may be: HTTP or HTTPS on ports 1-65535; an HTTPS listener has exactly
 * one default certificate (an ACM or IAM server certificate ARN: underpass records it, there is no certificate
 * store to look it up in) and a predefined security policy ({@value #DEFAULT_SSL_POLICY} when none is given, as in
 * AWS's CLI tutorial); ALB listeners take no ALPN policy. Default actions follow {@link ListenerRules#albActions}.
 *
 * @see <a href="https://docs.aws.amazon.com/elasticloadbalancing/latest/application/create-https-listener.html">HTTPS listeners</a>
 */
public final class AlbListeners {
    public static final String DEFAULT_SSL_POLICY = "ELBSecurityPolicy-2016-08";
    /** ELB's predefined security policies (the names DescribeSSLPolicies lists). */
    public static final List<String> SSL_POLICIES = List.of("ELBSecurityPolicy-2016-08",
            "ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
            "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06", "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
            "ELBSecurityPolicy-TLS13-1-1-2021-06", "ELBSecurityPolicy-TLS13-1-0-2021-06",
            "ELBSecurityPolicy-TLS13-1-3-2021-06", "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
            "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04", "ELBSecurityPolicy-TLS-1-0-2015-04",
            "ELBSecurityPolicy-TLS-1-1-2017-01", "ELBSecurityPolicy-TLS-1-2-2017-01",
            "ELBSecurityPolicy-TLS-1-2-Ext-2018-06", "ELBSecurityPolicy-FS-2018-06", "ELBSecurityPolicy-FS-1-1-2019-08",
            "ELBSecurityPolicy-FS-1-2-2019-08", "ELBSecurityPolicy-FS-1-2-Res-2019-08",
            "ELBSecurityPolicy-FS-1-2-Res-2020-10", "ELBSecurityPolicy-2015-05");
    /** Certificates per listener besides the default one. */
    public static final int MAX_CERTIFICATES = 25;
    /**
     * An ACM certificate (in a region) or an IAM server certificate (global, with an optional path), in one of the
     * partitions ELB serves: aws, aws-cn, aws-us-gov.
     */
    private static final Pattern CERTIFICATE_ARN = Pattern.compile("arn:aws(-cn|-us-gov)?:(acm:[a-z]{2}(-[a-z]+)+-\\d+"
            + ":\\d{12}:certificate/[A-Za-z0-9-]+|iam::\\d{12}:server-certificate/[\\w+=,.@/-]+)");

    private AlbListeners() {}

    /** Whether an ARN has the shape of an ACM certificate or an IAM server certificate (ALB and NLB listeners). */
    public static boolean isCertificateArn(String arn) {
        return arn != null && CERTIFICATE_ARN.matcher(arn).matches();
    }

    /**
     * AddListenerCertificates: the listener's certificate list after adding to it (the first stays the default).
     * Only HTTPS and TLS listeners take certificates; at most {@value #MAX_CERTIFICATES} besides the default.
     */
    public static List<String> addCertificates(Listener l, List<String> arns) {
        if (l.protocol() != Protocol.HTTPS && l.protocol() != Protocol.TLS) {
            throw ElbError.VALIDATION_ERROR.format("Certificates can only be added to HTTPS and TLS listeners, not %s",
                    l.protocol());
        }
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>(l.certificateArns());
        for (String arn : arns) {
            if (!isCertificateArn(arn)) {
                throw ElbError.CERTIFICATE_NOT_FOUND.format("Certificate '%s' not found", arn);
            }
            out.add(arn);
        }
        if (out.size() - 1 > MAX_CERTIFICATES) {
            throw ElbError.TOO_MANY_CERTIFICATES.format(
                    "A listener can have at most %d certificates besides the default certificate", MAX_CERTIFICATES);
        }
        return List.copyOf(out);
    }

    /** RemoveListenerCertificates: the default certificate cannot be removed; unknown ones are ignored. */
    public static List<String> removeCertificates(Listener l, List<String> arns) {
        if (!l.certificateArns().isEmpty() && arns.contains(l.certificateArns().get(0))) {
            throw ElbError.OPERATION_NOT_PERMITTED.format(
                    "The default certificate '%s' cannot be removed; use ModifyListener to replace it",
                    l.certificateArns().get(0));
        }
        List<String> out = new java.util.ArrayList<>(l.certificateArns());
        out.removeAll(arns);
        return List.copyOf(out);
    }

    /** The settings an ALB listener will have, checked. */
    public record Settings(int port, Protocol protocol, List<Action> actions, List<String> certificates,
            String sslPolicy) {}

    public static Settings settings(Tx tx, LoadBalancer lb, int port, Protocol protocol, List<Action> actions,
            List<String> certificates, String sslPolicy, List<String> alpn) {
        if (!protocol.http()) {
            throw ElbError.UNSUPPORTED_PROTOCOL.format(
                    "Protocol '%s' is not supported for Application Load Balancers; use HTTP or HTTPS", protocol);
        }
        if (port < 1 || port > 65535) {
            throw ElbErrors.validation(port, "port", "have value between 1 and 65535");
        }
        if (alpn != null && !alpn.isEmpty()) {
            throw ElbError.ALPN_POLICY_NOT_SUPPORTED.with(
                    "ALPN policies are supported only for TLS listeners of Network Load Balancers");
        }
        List<Action> checked = ListenerRules.albActions(tx, lb, protocol, actions);
        if (protocol == Protocol.HTTP) {
            if (!certificates.isEmpty() || sslPolicy != null) {
                throw ElbError.VALIDATION_ERROR.with(
                        "Certificates and an SSL policy can only be specified for HTTPS listeners");
            }
            return new Settings(port, protocol, checked, List.of(), null);
        }
        if (certificates.isEmpty()) {
            throw ElbError.CERTIFICATE_NOT_FOUND.with("A certificate must be specified for HTTPS listeners");
        }
        if (certificates.size() > 1) {
            throw ElbError.VALIDATION_ERROR.with(
                    "Only one default certificate can be specified; add others with AddListenerCertificates");
        }
        for (String arn : certificates) {
            if (!isCertificateArn(arn)) {
                throw ElbError.CERTIFICATE_NOT_FOUND.format("Certificate '%s' not found", arn);
            }
        }
        String policy = sslPolicy == null ? DEFAULT_SSL_POLICY : sslPolicy;
        if (!SSL_POLICIES.contains(policy)) {
            throw ElbError.SSL_POLICY_NOT_FOUND.format("SSL policy '%s' not found", policy);
        }
        return new Settings(port, protocol, checked, certificates, policy);
    }
}
