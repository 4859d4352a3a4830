package dev.underpass.model.elb;

import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A listener of a load balancer ({@code …:listener/net/<lb name>/<lb id>/<16 hex>}, also its id): a port and a
 * protocol, and a default action that forwards to one target group. TLS listeners also carry certificate ARNs and
 * a security policy.
 */
public record Listener(
        String id,
        String ownerId,
        String region,
        String loadBalancerArn,
        int port,
        String protocol,
        String targetGroupArn,
        List<String> certificateArns,
        String sslPolicy,
        List<String> alpnPolicy,
        Instant createdAt,
        Map<String, String> tags)
        implements Resource {

    public Listener {
        certificateArns = List.copyOf(certificateArns);
        alpnPolicy = List.copyOf(alpnPolicy);
        tags = Tags.copy(tags);
    }

    public String arn() {
        return id;
    }

    @Override
    public Listener withTags(Map<String, String> tags) {
        return new Listener(id, ownerId, region, loadBalancerArn, port, protocol, targetGroupArn, certificateArns,
                sslPolicy, alpnPolicy, createdAt, tags);
    }

    public Listener with(int newPort, String newProtocol, String newTargetGroupArn, List<String> newCertificates,
            String newSslPolicy, List<String> newAlpn) {
        return new Listener(id, ownerId, region, loadBalancerArn, newPort, newProtocol, newTargetGroupArn,
                newCertificates, newSslPolicy, newAlpn, createdAt, tags);
    }

    @Override
    public String resourceType() {
        return "listener";
    }
}
