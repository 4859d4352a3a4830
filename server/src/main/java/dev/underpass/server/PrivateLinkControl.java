package dev.underpass.server;

import dev.underpass.model.AwsException;
import dev.underpass.model.Caller;
import dev.underpass.model.ec2.ConnectionEvent;
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
 */
final class PrivateLinkControl {
    private PrivateLinkControl() {}

    static CompletableFuture<Router.Outcome> verify(Store store, Router.Request req) {
        if (!req.method().equals("POST")) {
            return CompletableFuture.completedFuture(Router.json(405, Map.of("error", "MethodNotAllowed", "message",
                    "Verification takes POST, not " + req.method() + "."), "private-dns-verify"));
        }
        String serviceId = req.query().get("serviceId");
        String domain = req.query().get("domain");
        if ((serviceId == null) == (domain == null)) {
            return CompletableFuture.completedFuture(Router.json(400, Map.of("error", "MissingParameter", "message",
                    "Give exactly one of serviceId and domain."), "private-dns-verify"));
        }
        String account = req.query().getOrDefault("account", "000000000000");
        return store.write(Caller.of(account, "us-east-1"), tx -> EndpointServices.preapprove(tx, serviceId, domain))
                .handle((verified, error) -> {
                    if (error == null) {
                        Map<String, Object> body = new LinkedHashMap<>();
                        body.put("verified", verified);
                        body.put("serviceId", serviceId);
                        return Router.json(200, body, "private-dns-verify");
                    }
                    Throwable t = error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    if (t instanceof AwsException e) {
                        return Router.json(e.status() == 500 ? 500 : 400, Map.of("error", e.code(), "message",
                                e.getMessage()), "private-dns-verify");
                    }
                    return Router.json(500, Map.of("error", "InternalError", "message",
                            "The verification could not be stored."), "private-dns-verify");
                });
    }

    static Router.Outcome events(Store store, Router.Request req) {
        if (!req.method().equals("GET")) {
            return Router.json(405, Map.of("error", "MethodNotAllowed", "message",
                    "The event log takes GET, not " + req.method() + "."), "events");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (ConnectionEvent e : EndpointServices.events(store.world(), req.query().get("serviceId"),
                req.query().get("endpointId"))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", e.id());
            m.put("time", e.time().toString());
            m.put("type", e.type());
            m.put("serviceId", e.serviceId());
            m.put("endpointId", e.vpcEndpointId());
            m.put("endpointState", e.endpointState());
            m.put("consumerAccount", e.endpointOwner());
            m.put("notificationId", e.notificationId());
            m.put("notificationArn", e.topicArn());
            m.put("notificationOwner", e.ownerId());
            m.put("message", e.message());
            out.add(m);
        }
        return Router.json(200, out, "events");
    }
}
