package dev.underpass.model.ec2;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.underpass.model.AwsNamed;
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
        EndpointServiceId serviceId,
        VpcEndpointId vpcEndpointId,
        String topicArn,
        List<String> events,
        State state,
        Map<String, String> tags)
        implements Resource {

    /** Whether the notification is sent, by AWS's names ({@code Enabled}, {@code Disabled}). */
    public enum State implements AwsNamed {
        ENABLED,
        DISABLED;

        /** AWS's name, as the API and the store write it and messages quote it. */
        @JsonValue
        @Override
        public String toString() {
            return Spelling.PASCAL.of(this);
        }
    }

    public static final String TOPIC = "Topic";

    public ConnectionNotification {
        events = List.copyOf(events);
        tags = Tags.copy(tags);
    }

    public ConnectionNotification withTopic(String arn, List<String> newEvents) {
        return new ConnectionNotification(id, ownerId, region, serviceId, vpcEndpointId, arn, newEvents, state,
                tags);
    }

    /** The notification's id, typed. */
    public ConnectionNotificationId connectionNotificationId() {
        return new ConnectionNotificationId(id);
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
