package dev.underpass.server;

import dev.underpass.model.ec2.ConnectionNotificationId;
import dev.underpass.model.ec2.VpcEndpointId;
import dev.underpass.model.ec2.EndpointServiceId;
import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.World;
import dev.underpass.model.ec2.ConnectionEvent;
import dev.underpass.model.ec2.EndpointService;
import dev.underpass.model.ec2.EndpointServices;
import dev.underpass.store.Store;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The underpass control endpoints of PrivateLink, for what AWS does outside its API:
 *
 * <ul>
 *   <li>{@code POST /_underpass/private-dns/verify?serviceId=vpce-svc-…} or {@code ?domain=example.com}: records the
 *       domain as proven, as publishing the TXT record would in AWS. StartVpcEndpointServicePrivateDnsVerification
 *       then marks the service's name {@code verified} (a service created afterwards with a name under that domain
 *       starts verified).
 *   <li>{@code GET /_underpass/events[?serviceId=…][&endpointId=…]}: the connection events that connection
 *       notifications subscribed to, oldest first, each with the SNS message AWS would have published.
 * </ul>
 *
 * <p>Unsigned, both act across accounts (the server is on loopback or the caller showed the admin token, see
 * {@link ControlAccess}). SigV4-signed, both act for the signer's account only: it reads the events of its own
 * notifications (which are on its own services or its own endpoints), and verifies the names of its own services
 * only (a {@code domain} it proves counts for its own services, not for other accounts'). Another account's service
 * id then gets the very answer a service id that does not exist gets, so a caller cannot learn which ids exist
 * elsewhere.
 */
final class PrivateLinkControl {
    static final String VERIFY = "private-dns-verify";

    private PrivateLinkControl() {}

    /** {@code caller}: the signer of a signed request, or null for an unsigned one. */
    static CompletableFuture<Router.Outcome> verify(Store store, Router.Request req, Caller caller) {
        EndpointServiceId serviceId = EndpointServiceId.of(req.query().get("serviceId"));
        String domain = req.query().get("domain");
        String account = req.query().get("account");
        Router.Outcome refused = null;
        if ((serviceId == null) == (domain == null)) {
            refused = ControlAnswers.missing("Give exactly one of serviceId and domain.", VERIFY);
        }
        if (refused == null) {
            refused = ControlAnswers.unlessAccountAllowed(account, caller, "A signed verification acts for", VERIFY);
        }
        if (refused != null) {
            return CompletableFuture.completedFuture(refused);
        }
        Caller who = caller != null ? caller : Caller.of(account == null ? "000000000000" : account, "us-east-1");
        return store.write(who, tx -> {
            if (caller != null && serviceId != null) {
                requireOwnedAnywhere(tx.world(), caller, serviceId);
            }
            return EndpointServices.preapprove(tx, serviceId, domain, caller != null);
        })
                .handle((verified, error) -> {
                    if (error == null) {
                        Map<String, Object> body = new LinkedHashMap<>();
                        body.put("verified", verified);
                        body.put("serviceId", EndpointServiceId.text(serviceId));
                        return Router.json(200, body, VERIFY);
                    }
                    Throwable t = error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    if (t instanceof AwsException e) {
                        int status = e.status() >= 500 ? 500 : e.code().endsWith(".NotFound") ? 404 : 400;
                        return ControlAnswers.error(status, e.code(), e.getMessage(), VERIFY);
                    }
                    return ControlAnswers.error(500, "InternalError", "The verification could not be stored.",
                            VERIFY);
                });
    }

    /**
     * A service of the signer's account in any region (the control endpoints are not regional), else the error a
     * service id that exists nowhere gets: the model's own check, asked as the service's owner in the service's
     * region so that only a foreign owner (or no service at all) can fail it.
     */
    private static void requireOwnedAnywhere(World world, Caller caller, EndpointServiceId serviceId) {
        String region = world.find(EndpointService.class, serviceId)
                .filter(s -> s.ownerId().equals(caller.accountId())).map(EndpointService::region)
                .orElse(caller.region());
        EndpointServices.requireOwned(world, Caller.of(caller.accountId(), region), serviceId);
    }

    /** {@code caller}: the signer of a signed request, whose own events are all it sees; null for all events. */
    static Router.Outcome events(Store store, Router.Request req, Caller caller) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ConnectionEvent e : EndpointServices.events(store.world(),
                EndpointServiceId.of(req.query().get("serviceId")), VpcEndpointId.of(req.query().get("endpointId")))) {
            if (caller != null && !e.ownerId().equals(caller.accountId())) {
                continue; // another account's notification: its topic, ids and consumers are not the caller's
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", e.id());
            m.put("time", e.time().toString());
            m.put("type", e.type());
            m.put("serviceId", EndpointServiceId.text(e.serviceId()));
            m.put("endpointId", VpcEndpointId.text(e.vpcEndpointId()));
            m.put("endpointState", e.endpointState());
            m.put("consumerAccount", e.endpointOwner());
            m.put("notificationId", ConnectionNotificationId.text(e.notificationId()));
            m.put("notificationArn", e.topicArn());
            m.put("notificationOwner", e.ownerId());
            m.put("message", e.message());
            out.add(m);
        }
        return Router.json(200, out, "events");
    }
}
