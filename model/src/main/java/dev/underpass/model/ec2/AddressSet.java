package dev.underpass.model.ec2;

import dev.underpass.model.net.Cidr;
import dev.underpass.model.net.Ipv6Cidrs;
import java.util.Objects;

/**
 * A set of addresses as routes and security-group rules name them: an IPv4 block, an IPv6 block or a managed prefix
 * list. It is what a route matches and one of the peers a rule may have ({@link RulePeer}). Parsed once, where a
 * route or rule is made or read from the store, so that matching works on numbers and never parses the text again.
 */
public sealed interface AddressSet {

    /** Every IPv4 address ({@code 0.0.0.0/0}). */
    Ipv4 ALL_IPV4 = new Ipv4(new Cidr(0, 0));

    /** Every IPv6 address ({@code ::/0}). */
    Ipv6 ALL_IPV6 = new Ipv6("::/0");

    /** The set as AWS writes it (the block, or the prefix list's id); one route per text in a table. */
    String text();

    /** An IPv4 block such as {@code 10.0.0.0/16}. */
    record Ipv4(Cidr cidr) implements AddressSet, RulePeer {
        public Ipv4 {
            Objects.requireNonNull(cidr, "cidr");
        }

        @Override
        public String text() {
            return cidr.toString();
        }
    }

    /** An IPv6 block in RFC 5952's compressed form, such as {@code ::/0}. */
    record Ipv6(String block) implements AddressSet, RulePeer {
        public Ipv6 {
            Objects.requireNonNull(block, "block");
        }

        @Override
        public String text() {
            return block;
        }
    }

    /** A managed prefix list ({@code pl-…}): every entry of the list is a destination. */
    record PrefixList(PrefixListId prefixListId) implements AddressSet, RulePeer {
        public PrefixList {
            Objects.requireNonNull(prefixListId, "prefixListId");
        }

        @Override
        public String text() {
            return prefixListId.value();
        }
    }

    /**
     * The set a text names, for blocks known to be valid (a VPC's own blocks, stored routes): a {@code pl-} id, an
     * IPv6 block (put in canonical form), or an IPv4 block.
     */
    static AddressSet of(String text) {
        if (text.startsWith("pl-")) {
            return new PrefixList(new PrefixListId(text));
        }
        if (text.indexOf(':') >= 0) {
            String canonical = Ipv6Cidrs.canonical(text, false);
            return new Ipv6(canonical == null ? text : canonical);
        }
        return new Ipv4(Cidr.parse(text));
    }
}
