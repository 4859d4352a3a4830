package dev.underpass.server;

import dev.underpass.dataplane.FlowLogWriter;
import dev.underpass.model.Caller;
import dev.underpass.model.World;
import dev.underpass.model.ec2.FlowLog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /_underpass/flow-logs[?flowLogId=fl-…][&action=ACCEPT|REJECT]}: the records the data plane wrote for
 * each flow log (docs/dataplane.md), as objects keyed by the flow log's field names, with the files they are in.
 * A signed call sees its own account's flow logs only; the admin token (or an open server) sees all. Open UDP
 * flows' traffic so far is reported first, so it shows.
 */
final class FlowLogControl {
    private FlowLogControl() {}

    static Router.Outcome flowLogs(UnderpassServer server, Router.Request req, Caller caller) {
        String id = req.query().get("flowLogId");
        String action = req.query().get("action");
        if (action != null && !action.equals("ACCEPT") && !action.equals("REJECT")) {
            return ControlAnswers.invalid("Value (" + action
                    + ") for parameter action is invalid. Valid values are ACCEPT and REJECT.", "flow-logs");
        }
        World w = server.store().world();
        List<FlowLog> logs = w.all(FlowLog.class, f -> (caller == null || f.ownerId().equals(caller.accountId()))
                && (id == null || f.id().equals(id)));
        if (id != null && logs.isEmpty()) {
            return ControlAnswers.error(404, "InvalidFlowLogId.NotFound", "Flow log " + id + " does not exist",
                    "flow-logs");
        }
        FlowLogWriter writer = server.flowLogs();
        if (server.dataPlane() != null) {
            // Open UDP flows are otherwise reported when they end (idle for 120 s): report what they carried so far.
            server.dataPlane().flushFlows();
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (FlowLog f : logs) {
            List<String> fields = FlowLogWriter.fields(f);
            int actionAt = fields.indexOf("action");
            List<String> files = new ArrayList<>();
            List<Map<String, String>> records = new ArrayList<>();
            for (FlowLogWriter.LogFile file : writer == null ? List.<FlowLogWriter.LogFile>of() : writer.read(f)) {
                if (file.name() != null) {
                    files.add("flow-logs/" + f.id() + "/" + file.name());
                }
                for (String line : file.records()) {
                    String[] values = line.split(" ");
                    if (action != null && (actionAt < 0 || actionAt >= values.length
                            || !values[actionAt].equals(action))) {
                        continue;
                    }
                    Map<String, String> r = new LinkedHashMap<>();
                    for (int i = 0; i < fields.size() && i < values.length; i++) {
                        r.put(fields.get(i), values[i]);
                    }
                    records.add(r);
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("flowLogId", f.id());
            m.put("resourceId", f.resourceId());
            m.put("trafficType", f.trafficType());
            m.put("maxAggregationInterval", f.maxAggregationInterval());
            m.put("logFormat", f.logFormat());
            m.put("files", files);
            m.put("records", records);
            out.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("dataPlane", server.dataPlane() != null ? "loopback" : "off");
        body.put("flowLogs", out);
        return Router.json(200, body, "flow-logs");
    }
}
