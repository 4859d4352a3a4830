package dev.underpass.dataplane.service;

import dev.underpass.dataplane.FlowRecorder;
import dev.underpass.dataplane.LoopbackAddresses;
import dev.underpass.model.World;
import dev.underpass.model.ec2.AwsServices;
import dev.underpass.model.ec2.VpcEndpoint;
import dev.underpass.reach.Analysis;
import dev.underpass.reach.Analyzer;
import dev.underpass.reach.Blocker;
import dev.underpass.reach.Hop;
import dev.underpass.reach.Query;
import dev.underpass.reach.Timing;
import java.util.List;

/**
 * How a connection to an AWS service's address travels, as the analyzer says: through an interface endpoint (the
 * client connected to one of its interfaces), through a gateway endpoint (the source subnet's route table sends the
 * service's prefix list to it), over the internet (an internet or NAT gateway route), or not at all (the connection is
 * reset). The path gives the request its network context: {@code aws:SourceVpce}, {@code aws:SourceVpc} and
 * {@code aws:VpcSourceIp} through an endpoint, none over the internet.
 *
 * <p>The analyzer is asked about TCP port 443, the port AWS's service endpoints serve, whatever port the loopback
 * listener uses, so that security groups and network ACLs written for AWS apply unchanged.
 */
public record ServiceRoute(boolean allowed, String path, VpcEndpoint endpoint, LoopbackAddresses.Address source,
        List<String> blockers, String modelledAddress, FlowRecorder.Outcome outcome) {
    public static final int MODELLED_PORT = 443;
    /** The public address a service in another region (or one without a prefix list) stands at. */
    static final String INTERNET_ADDRESS = Analyzer.SERVICE_ON_THE_INTERNET;

    public ServiceRoute {
        blockers = List.copyOf(blockers);
    }

    /** A source that is no interface's address (127.0.0.1 among them): nothing carries it. */
    static ServiceRoute unknownSource() {
        return new ServiceRoute(false, "none", null, null, List.of("NO_SOURCE"), null,
                FlowRecorder.Outcome.REJECTED_AT_SOURCE);
    }

    /** A connection to an interface endpoint's interface {@code endpointInterface}. */
    static ServiceRoute viaInterface(World world, Timing timing, LoopbackAddresses.Address src, VpcEndpoint endpoint,
            String endpointInterface) {
        Query q = new Query(src.ownerId(), src.region(), src.networkInterfaceId(), endpoint.id(), "tcp",
                MODELLED_PORT);
        Analysis a = Analyzer.analyzeVia(world, q, timing, endpointInterface);
        return new ServiceRoute(a.reachable(), "interface", endpoint, src, codes(a), null, FlowRecorder.Outcome.of(a));
    }

    /**
     * A connection to the service's public address in {@code region}: the analyzer follows a flow to the first
     * address of the service's prefix list, which the route table sends to a gateway endpoint or a gateway.
     */
    static ServiceRoute viaPublicAddress(World world, Timing timing, LoopbackAddresses.Address src, String service,
            String region) {
        List<String> cidrs = AwsServices.prefixListFor(region, AwsServices.serviceName(region, service))
                .map(AwsServices.PrefixList::cidrs).orElse(List.of());
        if (cidrs.isEmpty() || !src.region().equals(region)) {
            // A client in another region reaches the service over the internet; so does one when no prefix list
            // is known. The analyzer is then asked about a public address of the service's region.
            return internetOnly(world, timing, src);
        }
        String ip = firstUsable(cidrs.get(0).substring(0, cidrs.get(0).indexOf('/')));
        Query q = new Query(src.ownerId(), src.region(), src.networkInterfaceId(), ip, "tcp", MODELLED_PORT);
        Analysis a = Analyzer.analyze(world, q, timing);
        VpcEndpoint gateway = null;
        for (Hop h : a.forward()) {
            if (h.type() == Hop.Kind.VPC_ENDPOINT && h.component().startsWith("vpce-")) {
                gateway = world.find(VpcEndpoint.class, h.component()).orElse(null);
            }
        }
        return new ServiceRoute(a.reachable(), gateway != null ? "gateway" : "internet", gateway, src, codes(a), ip,
                FlowRecorder.Outcome.of(a));
    }

    private static ServiceRoute internetOnly(World world, Timing timing, LoopbackAddresses.Address src) {
        Query q = new Query(src.ownerId(), src.region(), src.networkInterfaceId(), INTERNET_ADDRESS, "tcp",
                MODELLED_PORT);
        Analysis a = Analyzer.analyze(world, q, timing);
        return new ServiceRoute(a.reachable(), "internet", null, src, codes(a), INTERNET_ADDRESS,
                FlowRecorder.Outcome.of(a));
    }

    /** The network address of a block is no host; the one after it is. */
    private static String firstUsable(String ip) {
        String[] p = ip.split("\\.");
        int last = Integer.parseInt(p[3]);
        return p[0] + "." + p[1] + "." + p[2] + "." + (last == 0 ? 1 : last);
    }

    private static List<String> codes(Analysis a) {
        return a.blockers().stream().map(Blocker::code).toList();
    }
}
