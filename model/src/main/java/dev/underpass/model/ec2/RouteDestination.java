package dev.underpass.model.ec2;

import dev.underpass.model.net.Cidr;
import dev.underpass.model.net.Ipv6Cidrs;
import java.util.Objects;

/**
 * What a route matches: an IPv4 block, an IPv6 block or a managed prefix list. Parsed once, where a route is made
 * or read from the store, so that route resolution works on numbers and never parses the text again.
 */
public sealed interface RouteDestination {

    /** The destination as AWS writes it (the block, or the prefix list's id); one route per text in a table. */
    String text();

    /** An IPv4 block such as {@code 10.0.0.0/16}. */
    record Ipv4(Cidr cidr) implements RouteDestination {
        public Ipv4 {
            Objects.requireNonNull(cidr, "cidr");
        }

        @Override
        public String text() {
            return cidr.toString();
        }
    }

    /** An IPv6 block in RFC 5952's compressed form, such as {@code ::/0}. */
    record Ipv6(String block) implements RouteDestination {
        public Ipv6 {
            Objects.requireNonNull(block, "block");
        }

        @Override
        public String text() {
            return block;
        }
    }

    /** A managed prefix list ({@code pl-…}): every entry of the list is a destination. */
    record PrefixList(String id) implements RouteDestination {
        public PrefixList {
            Objects.requireNonNull(id, "id");
        }

        @Override
        public String text() {
            return id;
        }
    }

    /**
     * A destination from its text, for blocks known to be valid (a VPC's own blocks, stored routes): a {@code pl-}
     * id, an IPv6 block (put in canonical form), or an IPv4 block.
     */
    static RouteDestination of(String text) {
        if (text.startsWith("pl-")) {
            return new PrefixList(text);
        }
        if (text.indexOf(':') >= 0) {
            String canonical = Ipv6Cidrs.canonical(text, false);
            return new Ipv6(canonical == null ? text : canonical);
        }
        return new Ipv4(Cidr.parse(text));
    }
}
