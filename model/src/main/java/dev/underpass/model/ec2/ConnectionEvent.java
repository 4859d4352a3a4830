package dev.underpass.model.ec2;

import dev.underpass.model.UntaggedResource;
import java.time.Instant;

/**
 * One connection event that a connection notification subscribed to: what AWS would have published to the SNS
 * topic. Stored like any resource (so the log survives a restart and a reset of the owner's account clears it), and
 * read through {@code GET /_underpass/events}. The id orders events by time and then by sequence within one call,
 * so the log reads in the order things happened.
 *
 * @param ownerId the account of the notification (the provider for service notifications)
 * @param message the JSON body AWS would publish as the SNS message
 */
public record ConnectionEvent(
        String id,
        String ownerId,
        String region,
        Instant time,
        String type,
        EndpointServiceId serviceId,
        VpcEndpointId vpcEndpointId,
        String endpointOwner,
        String endpointState,
        ConnectionNotificationId notificationId,
        String topicArn,
        String message)
        implements UntaggedResource {

    @Override
    public String resourceType() {
        return "vpc-endpoint-connection-event";
    }
}
