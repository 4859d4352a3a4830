package dev.underpass.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code underpass trace}: asks a running underpass ({@code GET /_underpass/trace}) whether a flow gets through,
 * and prints one line per hop (component, what was checked, the rule or route that matched) and a verdict; when
 * blocked, every blocker with its fix. With {@code --sources all} instead of {@code --from}: every interface that can
 * reach the destination, and the rest counted by reason. Exit status: 0 reachable (by at least one source), 1
 * blocked, 2 bad input (or no server to ask).
 */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = "Can this reach that? Every hop, and every blocker with its fix, from a running underpass.")
public final class TraceCommand implements Callable<Integer> {
    static final int REACHABLE = 0;
    static final int BLOCKED = 1;
    static final int BAD_INPUT = 2;

    @Option(names = "--from", description = "Source: i-…, eni-…, a private IPv4 address, or an instance's private "
            + "DNS name or resource name.")
    String from;

    @Option(names = "--sources", description = "all: list every interface that can reach --to (instead of --from).")
    String sources;

    @Option(names = "--to", required = true,
            description = "Destination: i-…, eni-…, vpce-…, vpce-svc-…, a load balancer ARN, an endpoint or load "
                    + "balancer DNS name, an instance's private DNS name or resource name, or an IPv4 address.")
    String to;

    @Option(names = "--port", required = true, description = "Destination port.")
    int port;

    @Option(names = "--protocol", defaultValue = "tcp", description = "tcp or udp (default: ${DEFAULT-VALUE}).")
    String protocol;

    @Option(names = "--account", description = "The source's account (default: the source's owner).")
    String account;

    @Option(names = "--region", description = "The source's region (default: the source's region).")
    String region;

    @Option(names = "--principal", description = "With --action and --resource: the request the flow carries "
            + "(an IAM ARN); the policies on the path are evaluated too.")
    String principal;

    @Option(names = "--action", description = "The request's action, e.g. s3:GetObject.")
    String action;

    @Option(names = "--resource", description = "The request's resource ARN.")
    String resource;

    @Option(names = "--identity-policy", paramLabel = "FILE", description = "The principal's identity policy (JSON).")
    String identityPolicy;

    @Option(names = "--resource-policy", paramLabel = "FILE", description = "The resource's policy (JSON).")
    String resourcePolicy;

    @Option(names = "--json", description = "Print the answer as JSON (schema: docs/trace.md).")
    boolean json;

    @Mixin
    ControlClient server;

    @Override
    public Integer call() {
        PrintWriter out = server.out();
        PrintWriter err = server.err();
        if ((from == null) == (sources == null)) {
            err.println("underpass trace: give --from, or --sources all.");
            return BAD_INPUT;
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (from != null) {
            params.put("from", from);
        } else {
            params.put("sources", sources);
        }
        params.put("to", to);
        params.put("port", String.valueOf(port));
        params.put("protocol", protocol);
        if (account != null) {
            params.put("account", account);
        }
        try {
            putIf(params, "principal", principal);
            putIf(params, "action", action);
            putIf(params, "resource", resource);
            putIf(params, "identityPolicy", identityPolicy == null ? null : java.nio.file.Files.readString(
                    java.nio.file.Path.of(identityPolicy)));
            putIf(params, "resourcePolicy", resourcePolicy == null ? null : java.nio.file.Files.readString(
                    java.nio.file.Path.of(resourcePolicy)));
        } catch (IOException e) {
            err.println("underpass trace: cannot read " + e.getMessage());
            return BAD_INPUT;
        }
        if (region != null) {
            params.put("region", region);
        }
        Optional<JsonNode> answer = server.get("trace", "/_underpass/trace", params, err);
        if (answer.isEmpty()) {
            return BAD_INPUT;
        }
        JsonNode body = answer.get();
        if (sources != null) {
            if (json) {
                out.println(body.toPrettyString());
            } else {
                printSources(out, body);
            }
            out.flush();
            return body.path("reachable").isEmpty() ? BLOCKED : REACHABLE;
        }
        boolean reachable = body.path("reachable").asBoolean();
        if (json) {
            out.println(body.toPrettyString());
        } else {
            print(out, body);
        }
        out.flush();
        return reachable ? REACHABLE : BLOCKED;
    }

    static void print(PrintWriter out, JsonNode body) {
        JsonNode q = body.path("query");
        JsonNode resolved = body.path("resolved");
        out.printf("trace %s -> %s %s/%d (account %s, %s)%n", named(q, resolved, "from"), named(q, resolved, "to"),
                q.path("protocol").asText(), q.path("port").asInt(), q.path("account").asText(),
                q.path("region").asText());
        hops(out, "forward", body.path("forward"));
        hops(out, "return", body.path("return"));
        JsonNode blockers = body.path("blockers");
        JsonNode policy = body.path("policy");
        if (!policy.isMissingNode()) {
            out.printf("policy: %s%s (endpoint %s)%n", policy.path("decision").asText(),
                    policy.path("blocking").isNull() ? "" : " by " + policy.path("blocking").asText(),
                    policy.path("endpoint").isNull() ? "none" : policy.path("endpoint").asText());
        }
        if (body.path("reachable").asBoolean()) {
            out.println("REACHABLE");
            return;
        }
        out.printf("BLOCKED by %d:%n", blockers.size());
        int i = 1;
        for (JsonNode b : blockers) {
            String dir = b.path("direction").isNull() ? "" : " " + b.path("direction").asText();
            out.printf("  %d. %s (%s%s, %s path) %s%n     fix: %s%n", i++, b.path("code").asText(),
                    b.path("component").asText(), dir, b.path("path").asText(), b.path("message").asText(),
                    b.path("fix").asText());
        }
    }

    /** A name as asked, with what it stood for ({@code name (eni-…)}); an id or address as it is. */
    private static String named(JsonNode query, JsonNode resolved, String field) {
        String asked = query.path(field).asText();
        return resolved.has(field) ? asked + " (" + resolved.path(field).asText() + ")" : asked;
    }

    private static void putIf(Map<String, String> params, String key, String value) {
        if (value != null) {
            params.put(key, value);
        }
    }

    static void printSources(PrintWriter out, JsonNode body) {
        out.printf("who can reach %s %s/%d (%s): %d interfaces analyzed%n", body.path("to").asText(),
                body.path("protocol").asText(), body.path("port").asInt(), body.path("region").asText(),
                body.path("analyzed").asInt());
        for (JsonNode s : body.path("reachable")) {
            out.printf("  REACHES  %-22s %-20s %s %s%n", s.path("networkInterface").asText(),
                    s.path("instance").isNull() ? "-" : s.path("instance").asText(), s.path("account").asText(),
                    s.path("vpc").asText());
        }
        out.printf("%d reach, %d blocked%n", body.path("reachable").size(), body.path("blocked").asInt());
        body.path("blockedBy").properties().forEach(e -> out.printf("  %5d  %s%n", e.getValue().asInt(),
                e.getKey()));
    }

    private static void hops(PrintWriter out, String title, JsonNode hops) {
        if (hops.isEmpty()) {
            return;
        }
        out.println(title + ":");
        for (JsonNode h : hops) {
            String matched = h.path("matched").isNull() ? "" : "  [" + h.path("matched").asText() + "]";
            out.printf("  %2d  %-26s %-20s %s%s%n", h.path("sequence").asInt(), shorten(h.path("component").asText()),
                    h.path("type").asText(), h.path("check").asText(), matched);
        }
    }

    /** Load balancer, listener and target group ARNs are long: a kind and a name identify them in a table. */
    static String shorten(String component) {
        if (!component.startsWith("arn:")) {
            return component;
        }
        String[] segs = component.substring(component.lastIndexOf(':') + 1).split("/");
        return switch (segs[0]) {
            case "loadbalancer" -> segs.length > 2 ? "lb/" + segs[2] : component;
            case "listener" -> segs.length > 2 ? "listener/" + segs[2] : component;
            case "targetgroup" -> segs.length > 1 ? "tg/" + segs[1] : component;
            default -> component;
        };
    }
}
