package dev.underpass.model.net;

import dev.underpass.model.AsciiDigits;

/**
 * An IPv4 CIDR block. The network address must have no host bits set: AWS refuses {@code 10.0.0.1/16} rather than
 * silently rounding it.
 */
public record Cidr(int network, int prefix) implements Comparable<Cidr> {
    public Cidr {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix length out of range: " + prefix);
        }
        if ((network & ~mask(prefix)) != 0) {
            throw new IllegalArgumentException("host bits set in " + Ipv4.format(network) + "/" + prefix);
        }
    }

    /** Parses {@code a.b.c.d/n}; throws {@link IllegalArgumentException} with the reason otherwise. */
    public static Cidr parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no CIDR block");
        }
        int slash = text.indexOf('/');
        if (slash < 0 || slash == text.length() - 1 || text.length() - slash > 3) {
            throw new IllegalArgumentException("not a CIDR block: " + text);
        }
        // ASCII digits only: Character.isDigit and Integer.parseInt take every script's digits.
        int prefix = AsciiDigits.parseUnsigned(text.substring(slash + 1), 32);
        if (prefix < 0) {
            throw new IllegalArgumentException("not a CIDR block: " + text);
        }
        return new Cidr(Ipv4.parse(text.substring(0, slash)), prefix);
    }

    public static boolean isValid(String text) {
        return Ipv4.accepts(Cidr::parse, text);
    }

    public static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    /** Number of addresses in the block. */
    public long size() {
        return 1L << (32 - prefix);
    }

    public int first() {
        return network;
    }

    public int last() {
        return network | ~mask(prefix);
    }

    public boolean contains(int address) {
        return (address & mask(prefix)) == network;
    }

    public boolean contains(Cidr other) {
        return other.prefix >= prefix && contains(other.network);
    }

    public boolean overlaps(Cidr other) {
        return contains(other.network) || other.contains(network);
    }

    @Override
    public int compareTo(Cidr o) {
        int c = Ipv4.compare(network, o.network);
        return c != 0 ? c : Integer.compare(prefix, o.prefix);
    }

    @Override
    public String toString() {
        return Ipv4.format(network) + "/" + prefix;
    }
}
