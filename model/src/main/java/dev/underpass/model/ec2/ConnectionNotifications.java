package dev.underpass.model.ec2;

import dev.underpass.model.ResourceId;
import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Index;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.ec2.EndpointServices.Failure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Connection notifications of endpoint services and endpoints, and the event log that stands in for SNS: each
 * Connect, Accept, Reject and Delete appends one event per subscribed notification.
 */
public final class ConnectionNotifications {
    public static final String CONNECT = "Connect";
    public static final String ACCEPT = "Accept";
    public static final String REJECT = "Reject";
    public static final String DELETE = "Delete";
    private static final List<String> EVENTS = List.of(ACCEPT, CONNECT, DELETE, REJECT);
    static final Index<ConnectionNotification, EndpointServiceId> NOTIFICATIONS_BY_SERVICE =
            Index.by(ConnectionNotification.class, ConnectionNotification::serviceId);
    static final Index<ConnectionNotification, VpcEndpointId> NOTIFICATIONS_BY_ENDPOINT =
            Index.by(ConnectionNotification.class, ConnectionNotification::vpcEndpointId);
    /** Orders events written in the same millisecond; the time prefix orders them across restarts. */
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final Pattern SNS_TOPIC =
            Pattern.compile("arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}");

    private ConnectionNotifications() {}

    public static ConnectionNotification createNotification(Tx tx, EndpointServiceId serviceId,
            VpcEndpointId endpointId,
            String topicArn, List<String> events) {
        Caller caller = tx.caller();
        boolean hasService = !ResourceId.absent(serviceId);
        boolean hasEndpoint = !ResourceId.absent(endpointId);
        if (hasService == hasEndpoint) {
            throw hasService ? ErrorCode.INVALID_PARAMETER_COMBINATION.with(
                    "Specify either ServiceId or VpcEndpointId, not both.")
                    : Ec2Errors.missingParameter("ServiceId or "
                            + "VpcEndpointId");
        }
        if (hasService) {
            EndpointServices.requireOwned(tx.world(), caller, serviceId);
        } else {
            VpcEndpoint e = Lookup.requireOwned(tx.world(), caller, Kind.VPC_ENDPOINT, VpcEndpoint.class,
                    endpointId);
            if (!e.isInterface()) {
                throw ErrorCode.INVALID_PARAMETER.format(
                        "Connection notifications are supported for Interface endpoints only; %s is a %s endpoint.",
                        e.id(), e.type());
            }
        }
        List<String> checked = checkNotification(topicArn, events);
        return tx.put(new ConnectionNotification(Ids.next("vpce-nfn"), caller.accountId(), caller.region(),
                hasService ? serviceId : null, hasEndpoint ? endpointId : null, topicArn, checked,
                ConnectionNotification.State.ENABLED, Map.of()));
    }

    public static void modifyNotification(Tx tx, ConnectionNotificationId id, String topicArn, List<String> events) {
        ConnectionNotification n = requireNotification(tx.world(), tx.caller(), id);
        String arn = topicArn == null || topicArn.isEmpty() ? n.topicArn() : topicArn;
        List<String> ev = events == null || events.isEmpty() ? n.events() : events;
        tx.put(n.withTopic(arn, checkNotification(arn, ev)));
    }

    public static List<Failure> deleteNotifications(Tx tx, List<ConnectionNotificationId> ids) {
        List<Failure> failures = new ArrayList<>();
        for (ConnectionNotificationId id : new LinkedHashSet<>(ids)) {
            try {
                tx.remove(requireNotification(tx.world(), tx.caller(), id));
            } catch (AwsException e) {
                failures.add(Failure.of(id.value(), e));
            }
        }
        return failures;
    }

    public static ConnectionNotification requireNotification(World world, Caller caller, ConnectionNotificationId id) {
        if (ResourceId.absent(id)) {
            throw Ec2Errors.missingParameter("ConnectionNotificationId");
        }
        if (!Ids.wellFormed("vpce-nfn", id.value())) {
            throw ErrorCode.INVALID_CONNECTION_NOTIFICATION.format("Invalid id: \"%s\"", id);
        }
        return world.find(ConnectionNotification.class, id).filter(n -> Visibility.owns(caller, n))
                .orElseThrow(() -> ErrorCode.INVALID_CONNECTION_NOTIFICATION.format(
                        "The connection notification '%s' does not exist", id));
    }

    private static List<String> checkNotification(String topicArn, List<String> events) {
        if (topicArn == null || topicArn.isEmpty()) {
            throw Ec2Errors.missingParameter("ConnectionNotificationArn");
        }
        if (!SNS_TOPIC.matcher(topicArn).matches()) {
            throw ErrorCode.INVALID_CONNECTION_NOTIFICATION.format("The ARN '%s' is not a valid SNS topic ARN.",
                    topicArn);
        }
        if (events == null || events.isEmpty()) {
            throw Ec2Errors.missingParameter("ConnectionEvents");
        }
        List<String> out = new ArrayList<>();
        for (String e : new LinkedHashSet<>(events)) {
            if (!EVENTS.contains(e)) {
                throw Ec2Errors.invalidValue(e, "ConnectionEvents", "Valid values: Accept, Connect, "
                        + "Delete, Reject.");
            }
            out.add(e);
        }
        return out;
    }

    /**
     * Appends one event per enabled notification that subscribes to {@code type}: the service's own notifications
     * (provider side) and the endpoint's (consumer side).
     */
    static void emit(Tx tx, String type, EndpointService service, VpcEndpoint endpoint) {
        java.util.TreeMap<String, ConnectionNotification> candidates = new java.util.TreeMap<>();
        NOTIFICATIONS_BY_SERVICE.get(tx.world(), service.serviceId()).forEach(n -> candidates.put(n.id(), n));
        NOTIFICATIONS_BY_ENDPOINT.get(tx.world(), endpoint.vpcEndpointId()).forEach(n -> candidates.put(n.id(), n));
        List<ConnectionNotification> subscribed = candidates.values().stream()
                .filter(n -> n.state() == ConnectionNotification.State.ENABLED && n.events().contains(type)).toList();
        for (ConnectionNotification n : subscribed) {
            Instant now = tx.now();
            String id = String.format("vpce-evt-%013d-%09d", now.toEpochMilli(),
                    SEQUENCE.incrementAndGet() % 1_000_000_000L);
            tx.put(new ConnectionEvent(id, n.ownerId(), n.region(), now, type, service.serviceId(),
                    endpoint.vpcEndpointId(),
                    endpoint.ownerId(), endpoint.state().wire(), n.connectionNotificationId(), n.topicArn(),
                    message(type, service, endpoint, n, now)));
        }
    }

    /** The JSON AWS would publish: the event, the endpoint and its state, the service, and the notification. */
    private static String message(String type, EndpointService service, VpcEndpoint endpoint,
            ConnectionNotification n, Instant now) {
        return "{\"Event\":\"" + type + "\",\"EventTime\":\"" + now + "\",\"ServiceId\":\"" + service.id()
                + "\",\"ServiceName\":\"" + service.serviceName() + "\",\"VpcEndpointId\":\"" + endpoint.id()
                + "\",\"VpcEndpointOwner\":\"" + endpoint.ownerId() + "\",\"VpcEndpointState\":\"" + endpoint.state()
                + "\",\"VpcEndpointRegion\":\"" + endpoint.region() + "\",\"ConnectionNotificationId\":\"" + n.id()
                + "\",\"ConnectionNotificationArn\":\"" + n.topicArn() + "\"}";
    }

    /** The event log, oldest first; optionally only one service's or one endpoint's events. */
    public static List<ConnectionEvent> events(World world, EndpointServiceId serviceId, VpcEndpointId endpointId) {
        return world.all(ConnectionEvent.class, e -> (serviceId == null || serviceId.equals(e.serviceId()))
                && (endpointId == null || endpointId.equals(e.vpcEndpointId())));
    }
}
