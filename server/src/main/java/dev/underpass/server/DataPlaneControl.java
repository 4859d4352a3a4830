package dev.underpass.server;

import dev.underpass.dataplane.DataPlane;
import dev.underpass.dataplane.LoopbackAddresses;
import dev.underpass.model.Caller;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /_underpass/addresses[?id=eni-…|i-…|vpce-…|LB ARN]}: the loopback address of each traffic-relevant
 * network interface (docs/dataplane.md), with the private IPv4 address it stands for. With the data plane off the
 * mapping is the same (a pure function of the world), only nothing listens on it. A signed call sees its own
 * account's interfaces only.
 */
final class DataPlaneControl {
    private DataPlaneControl() {}

    static Router.Outcome addresses(UnderpassServer server, Router.Request req, Caller caller) {
        DataPlane dp = server.dataPlane();
        LoopbackAddresses book = dp != null ? dp.addresses() : LoopbackAddresses.of(server.store().world());
        String id = req.query().get("id");
        List<Map<String, Object>> out = new ArrayList<>();
        for (LoopbackAddresses.Address a : book.all()) {
            if (caller != null && !a.ownerId().equals(caller.accountId())) {
                continue;
            }
            if (id != null && !id.equals(a.networkInterfaceId()) && !id.equals(a.resourceId())
                    && !id.equals(a.loopback())) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("loopback", a.loopback());
            m.put("privateIp", a.privateIp());
            m.put("networkInterfaceId", a.networkInterfaceId());
            m.put("role", a.role().wire());
            m.put("resourceId", a.resourceId());
            m.put("vpcId", a.vpcId());
            m.put("subnetId", a.subnetId());
            m.put("availabilityZone", a.availabilityZone());
            m.put("ownerId", a.ownerId());
            m.put("region", a.region());
            out.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("dataPlane", dp != null ? "loopback" : "off");
        body.put("addresses", out);
        return Router.json(200, body, "addresses");
    }
}
