package dev.underpass.model.elb;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A listener of a load balancer ({@code …:listener/<net|app>/<lb name>/<lb id>/<16 hex>}, also its id): a port, a
 * protocol and the default actions (an NLB listener forwards to one target group; an ALB listener may forward to
 * weighted groups, redirect or answer with a fixed response). TLS and HTTPS listeners also carry certificate ARNs
 * (the first is the default certificate) and a security policy. Its default rule is a {@link Rule} record.
 */
public record Listener(
        String id,
        String ownerId,
        String region,
        LoadBalancerArn loadBalancerArn,
        int port,
        Protocol protocol,
        List<Action> defaultActions,
        List<String> certificateArns,
        String sslPolicy,
        List<String> alpnPolicy,
        Instant createdAt,
        Map<String, String> tags,
        Map<String, String> attributes)
        implements Resource {

    public Listener {
        defaultActions = defaultActions == null ? List.of() : List.copyOf(defaultActions);
        certificateArns = List.copyOf(certificateArns);
        alpnPolicy = List.copyOf(alpnPolicy);
        tags = Tags.copy(tags);
        attributes = attributes == null ? Map.of() : Tags.copy(attributes);
    }

    /** A listener whose attributes all have their defaults. */
    public Listener(String id, String ownerId, String region, LoadBalancerArn loadBalancerArn, int port,
            Protocol protocol,
            List<Action> defaultActions, List<String> certificateArns, String sslPolicy, List<String> alpnPolicy,
            Instant createdAt, Map<String, String> tags) {
        this(id, ownerId, region, loadBalancerArn, port, protocol, defaultActions, certificateArns, sslPolicy,
                alpnPolicy, createdAt, tags, Map.of());
    }

    /**
     * Reads a stored listener. Listeners stored before ALBs existed have a single {@code targetGroupArn} instead of
     * {@code defaultActions}; they load as a forward to that group.
     */
    @JsonCreator
    static Listener fromJson(@JsonProperty("id") String id, @JsonProperty("ownerId") String ownerId,
            @JsonProperty("region") String region, @JsonProperty("loadBalancerArn") LoadBalancerArn loadBalancerArn,
            @JsonProperty("port") int port, @JsonProperty("protocol") Protocol protocol,
            @JsonProperty("defaultActions") List<Action> defaultActions,
            @JsonProperty("targetGroupArn") TargetGroupArn legacyTargetGroupArn,
            @JsonProperty("certificateArns") List<String> certificateArns, @JsonProperty("sslPolicy") String sslPolicy,
            @JsonProperty("alpnPolicy") List<String> alpnPolicy, @JsonProperty("createdAt") Instant createdAt,
            @JsonProperty("tags") Map<String, String> tags,
            @JsonProperty("attributes") Map<String, String> attributes) {
        List<Action> actions = defaultActions;
        if ((actions == null || actions.isEmpty()) && legacyTargetGroupArn != null) {
            actions = List.of(new Action.Forward(1, List.of(new Action.WeightedTargetGroup(legacyTargetGroupArn, 1)),
                    false, null));
        }
        return new Listener(id, ownerId, region, loadBalancerArn, port, protocol, actions,
                certificateArns == null ? List.of() : certificateArns, sslPolicy,
                alpnPolicy == null ? List.of() : alpnPolicy, createdAt, tags == null ? Map.of() : tags, attributes);
    }

    public String arn() {
        return id;
    }

    /** The listener's ARN, typed. */
    public ListenerArn listenerArn() {
        return new ListenerArn(id);
    }

    /** The target groups the default actions forward to. */
    public List<TargetGroupArn> targetGroupArns() {
        return Action.targetGroupArns(defaultActions);
    }

    /** The ARN of this listener's default rule: derived from the listener's, so it needs no lookup. */
    public String defaultRuleArn() {
        return id.replace(":listener/", ":listener-rule/") + "/" + id.substring(id.lastIndexOf('/') + 1);
    }

    @Override
    public Listener withTags(Map<String, String> tags) {
        return new Listener(id, ownerId, region, loadBalancerArn, port, protocol, defaultActions, certificateArns,
                sslPolicy, alpnPolicy, createdAt, tags, attributes);
    }

    public Listener with(int newPort, Protocol newProtocol, List<Action> newActions, List<String> newCertificates,
            String newSslPolicy, List<String> newAlpn) {
        return new Listener(id, ownerId, region, loadBalancerArn, newPort, newProtocol, newActions,
                newCertificates, newSslPolicy, newAlpn, createdAt, tags, attributes);
    }

    /** With these attribute values (only those changed from the defaults need be kept). */
    public Listener withAttributes(Map<String, String> newAttributes) {
        return new Listener(id, ownerId, region, loadBalancerArn, port, protocol, defaultActions, certificateArns,
                sslPolicy, alpnPolicy, createdAt, tags, newAttributes);
    }

    @Override
    public String resourceType() {
        return "listener";
    }
}
