package dev.underpass.model.ec2;

import dev.underpass.model.Resource;
import dev.underpass.model.Tags;
import java.util.List;
import java.util.Map;

/**
 * A connection notification ({@code vpce-nfn-…}): an SNS topic that hears about the connection events
 * ({@code Connect|Accept|Reject|Delete}) of one endpoint service (provider side) or of one interface endpoint
 * (consumer side). Exactly one of {@code serviceId} and {@code vpcEndpointId} is set. underpass has no SNS: what
 * would be published is appended to the event log instead ({@link ConnectionEvent}).
 */
public record ConnectionNotification(
        String id,
        String ownerId,
        String region,
        String serviceId,
        String vpcEndpointId,
        String topicArn,
        List<String> events,
        String state,
        Map<String, String> tags)
        implements Resource {

    public static final String ENABLED = "Enabled";
    public static final String TOPIC = "Topic";

    public ConnectionNotification {
        events = List.copyOf(events);
        tags = Tags.copy(tags);
    }

    public ConnectionNotification withTopic(String arn, List<String> newEvents) {
        return new ConnectionNotification(id, ownerId, region, serviceId, vpcEndpointId, arn, newEvents, state,
                tags);
    }

    @Override
    public ConnectionNotification withTags(Map<String, String> newTags) {
        return new ConnectionNotification(id, ownerId, region, serviceId, vpcEndpointId, topicArn, events, state,
                newTags);
    }

    @Override
    public String resourceType() {
        return "vpc-endpoint-connection-notification";
    }
}
