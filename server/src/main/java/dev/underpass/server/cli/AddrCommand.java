package dev.underpass.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code underpass addr i-…|eni-…|vpce-…|LB-ARN}: asks a running underpass ({@code GET /_underpass/addresses}) for
 * the loopback address that stands for the resource's network interfaces, and prints one line per interface:
 * loopback address, the private IPv4 address it stands for, the interface, its role and zone. With no id, every
 * address. Exit status: 0 found, 1 nothing found, 2 no server to ask.
 */
@Command(name = "addr", mixinStandardHelpOptions = true,
        description = "The loopback address of an instance, endpoint or load balancer interface (data plane).")
public final class AddrCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "ID", description = "i-…, eni-…, vpce-… or a load balancer ARN.")
    String id;

    @Option(names = "--json", description = "Print the server's JSON answer.")
    boolean json;

    @Mixin
    ControlClient server;

    @Override
    public Integer call() {
        PrintWriter out = server.out();
        PrintWriter err = server.err();
        Map<String, String> params = id == null ? Map.of() : Map.of("id", id);
        Optional<JsonNode> answer = server.get("addr", "/_underpass/addresses", params, err);
        if (answer.isEmpty()) {
            return 2;
        }
        JsonNode body = answer.get();
        JsonNode list = body.path("addresses");
        if (json) {
            out.println(body.toPrettyString());
        } else {
            for (JsonNode a : list) {
                out.printf("%-15s %-15s %s %s %s %s%n", a.path("loopback").asText(), a.path("privateIp").asText(),
                        a.path("networkInterfaceId").asText(), a.path("role").asText(),
                        TraceCommand.shorten(a.path("resourceId").asText()), a.path("availabilityZone").asText());
            }
            if (!"loopback".equals(body.path("dataPlane").asText())) {
                out.println("(the server's data plane is off: nothing listens on these addresses)");
            }
        }
        out.flush();
        if (list.isEmpty()) {
            err.println("underpass addr: no address for " + (id == null ? "any interface" : id) + ".");
            return 1;
        }
        return 0;
    }
}
