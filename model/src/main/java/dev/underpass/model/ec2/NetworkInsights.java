package dev.underpass.model.ec2;

import dev.underpass.model.Caller;
import dev.underpass.model.Ec2Errors;
import dev.underpass.model.ErrorCode;
import dev.underpass.model.Ids;
import dev.underpass.model.Resource;
import dev.underpass.model.Tx;
import dev.underpass.model.World;
import dev.underpass.model.net.Ipv4;
import java.util.Locale;
import java.util.Map;

/**
 * The rules of the EC2 Network Insights API (Reachability Analyzer paths and analyses), after the
 * <a href="https://docs.aws.amazon.com/vpc/latest/reachability/">Reachability Analyzer guide</a>: a path names a
 * source (an id of the caller's, or an ARN for another account's resource), a destination or destination address,
 * a protocol ({@code tcp} or {@code udp}) and optionally a port. The analysis itself is the {@code reach} module's;
 * the handler runs it and stores the result here.
 */
public final class NetworkInsights {
    private NetworkInsights() {}

    /**
     * The kinds a path may start or end at, of those underpass has (AWS also takes transit gateways, their
     * attachments and VPN gateways; endpoint services are named by {@code vpce-svc-} ids).
     */
    private static final java.util.Set<Kind> ENDS = java.util.EnumSet.of(Kind.INSTANCE, Kind.NETWORK_INTERFACE,
            Kind.INTERNET_GATEWAY, Kind.VPC_ENDPOINT, Kind.VPC_PEERING_CONNECTION);

    /** CreateNetworkInsightsPath's input. */
    public record CreatePath(String source, String destination, String sourceIp, String destinationIp,
            String protocol, Integer destinationPort, Map<String, String> tags) {}

    public static NetworkInsightsPath createPath(Tx tx, CreatePath cmd) {
        Caller caller = tx.caller();
        if (cmd.source() == null || cmd.source().isEmpty()) {
            throw Ec2Errors.missingParameter("Source");
        }
        if (cmd.protocol() == null || cmd.protocol().isEmpty()) {
            throw Ec2Errors.missingParameter("Protocol");
        }
        String protocol = cmd.protocol().toLowerCase(Locale.ROOT);
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw Ec2Errors.invalidValue(cmd.protocol(), "Protocol", ""
                    + "Valid values: tcp, udp.");
        }
        if (cmd.destinationPort() != null && (cmd.destinationPort() < 0 || cmd.destinationPort() > 65535)) {
            throw Ec2Errors.invalidValue(cmd.destinationPort(), "DestinationPort", ""
                    + "It must be between 0 and 65535.");
        }
        address(cmd.sourceIp(), "SourceIp");
        address(cmd.destinationIp(), "DestinationIp");
        if ((cmd.destination() == null || cmd.destination().isEmpty()) && cmd.destinationIp() == null) {
            throw Ec2Errors.missingParameter("Destination or "
                    + "DestinationIp");
        }
        Resource source = resolve(tx.world(), caller, cmd.source());
        Resource destination = cmd.destination() == null || cmd.destination().isEmpty() ? null
                : resolve(tx.world(), caller, cmd.destination());
        return tx.put(new NetworkInsightsPath(Ids.next("nip"), caller.accountId(), caller.region(), source.id(),
                destination == null ? null : destination.id(), arn(source), destination == null ? null
                        : arn(destination),
                cmd.sourceIp(), cmd.destinationIp(), protocol, cmd.destinationPort(),
                tx.now(), cmd.tags()));
    }

    private static void address(String ip, String name) {
        if (ip != null && (ip.length() > 15 || !Ipv4.isValid(ip))) {
            throw Ec2Errors.invalidValue(ip, name, "It must be an IPv4 address.");
        }
    }

    /**
     * The resource a path names: an id of the caller's (with AWS's Malformed/NotFound answer), an endpoint service
     * the caller can name, or an ARN, which may name another account's resource in the region.
     */
    static Resource resolve(World world, Caller caller, String text) {
        String id = text;
        boolean arn = text.startsWith("arn:");
        if (arn) {
            String[] parts = text.split(":", 6);
            if (parts.length < 6 || !parts[3].equals(caller.region()) || parts[5].indexOf('/') < 0) {
                throw ErrorCode.INVALID_PARAMETER_VALUE.format("The ARN '%s' does not name an EC2 resource in %s.",
                        text, caller.region());
            }
            id = parts[5].substring(parts[5].indexOf('/') + 1);
        }
        if (id.startsWith("vpce-svc-")) {
            String svc = id;
            return world.find(EndpointService.class, svc).filter(s -> s.region().equals(caller.region()))
                    .orElseThrow(() -> ErrorCode.INVALID_PARAMETER_VALUE.format(
                            "The VPC endpoint service '%s' does not exist.", svc));
        }
        Kind kind = Kind.ofId(id);
        if (!ENDS.contains(kind)) {
            throw ErrorCode.INVALID_PARAMETER_VALUE.format("'%s' is not a resource Reachability Analyzer can use as "
                    + "a source or destination.", text);
        }
        if (arn) {
            String found = id;
            Ids.require(kind.prefix(), id, kind.malformed());
            return world.find(kind.type(), id).filter(r -> r.region().equals(caller.region()))
                    .orElseThrow(() -> kind.notFound(found));
        }
        return Lookup.require(world, caller, kind, kind.type(), id);
    }

    static String arn(Resource r) {
        return "arn:aws:ec2:" + r.region() + ":" + r.ownerId() + ":" + r.resourceType() + "/" + r.id();
    }

    public static NetworkInsightsPath requirePath(World world, Caller caller, NetworkInsightsPathId id) {
        return Lookup.requireOwned(world, caller, Kind.NETWORK_INSIGHTS_PATH, NetworkInsightsPath.class, id);
    }

    public static void deletePath(Tx tx, NetworkInsightsPathId id) {
        NetworkInsightsPath path = requirePath(tx.world(), tx.caller(), id);
        tx.remove(path);
    }

    public static NetworkInsightsAnalysis deleteAnalysis(Tx tx, NetworkInsightsAnalysisId id) {
        NetworkInsightsAnalysis a = Lookup.requireOwned(tx.world(), tx.caller(), Kind.NETWORK_INSIGHTS_ANALYSIS,
                NetworkInsightsAnalysis.class, id);
        tx.remove(a);
        return a;
    }
}
