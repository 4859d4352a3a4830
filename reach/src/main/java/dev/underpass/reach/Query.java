package dev.underpass.reach;

import dev.underpass.model.net.IpProtocol;
import java.util.Locale;

/**
 * One question: can {@code source} open a {@code protocol} connection to {@code destination} on {@code port}, and
 * can the answers come back? The source is an instance, a network interface or a private IPv4 address of the
 * account; the destination an instance, a network interface, an interface endpoint ({@code vpce-}), an endpoint
 * service ({@code vpce-svc-}, reached through the source VPC's endpoint to it), a DNS name of an endpoint, or an
 * IPv4 address (inside a VPC or on the internet). The account and region say whose source it is.
 *
 * <p>{@code policy}, when set, is the request the flow carries (principal, action, resource): the analysis then also
 * evaluates the policies on the way ({@link PolicyQuestion}).
 *
 * <p>The compact constructor refuses malformed input with {@link IllegalArgumentException} quoting the bad value;
 * whether the named resources exist is the analysis's business (it answers {@code NO_SOURCE_OR_DESTINATION}).
 */
public record Query(String accountId, String region, String source, String destination, String protocol, int port,
        PolicyQuestion policy) {

    /** A question about the network only. */
    public Query(String accountId, String region, String source, String destination, String protocol, int port) {
        this(accountId, region, source, destination, protocol, port, null);
    }

    public Query {
        source = require(source, "source");
        destination = require(destination, "destination");
        require(accountId, "account");
        require(region, "region");
        protocol = protocol == null || protocol.isBlank() ? "tcp" : protocol.strip().toLowerCase(Locale.ROOT);
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw new IllegalArgumentException("protocol must be tcp or udp, not '" + protocol + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, not " + port);
        }
    }

    private static String require(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a " + what + " is required");
        }
        return value.strip();
    }

    /** The IP protocol the rules and entries on the way are matched against. */
    IpProtocol ipProtocol() {
        return protocol.equals("tcp") ? IpProtocol.TCP : IpProtocol.UDP;
    }
}
