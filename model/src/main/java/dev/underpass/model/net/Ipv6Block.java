package dev.underpass.model.net;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv6 CIDR block as a number and a prefix length, for containment and overlap tests. Text goes through
 * {@link Ipv6Cidrs#canonical} so that the same block always prints the same way.
 */
public record Ipv6Block(BigInteger network, int prefix) {
    private static final BigInteger ALL = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    /** Parses a block with no host bits set, or returns null when {@code text} is not one. */
    public static Ipv6Block parseOrNull(String text) {
        String canonical = Ipv6Cidrs.canonical(text, false);
        if (canonical == null) {
            return null;
        }
        int slash = canonical.indexOf('/');
        try {
            byte[] bytes = InetAddress.getByName(canonical.substring(0, slash)).getAddress();
            return new Ipv6Block(new BigInteger(1, bytes), Integer.parseInt(canonical.substring(slash + 1)));
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Parses a block known to be valid (stored data). */
    public static Ipv6Block parse(String text) {
        Ipv6Block b = parseOrNull(text);
        if (b == null) {
            throw new IllegalArgumentException("not an IPv6 CIDR block: " + text);
        }
        return b;
    }

    private BigInteger mask() {
        return ALL.shiftRight(prefix).xor(ALL);
    }

    public boolean contains(BigInteger address) {
        return address.and(mask()).equals(network);
    }

    public boolean contains(Ipv6Block other) {
        return other.prefix >= prefix && contains(other.network);
    }

    public boolean overlaps(Ipv6Block other) {
        return contains(other.network) || other.contains(network);
    }

    /** The address {@code offset} places after the network address. */
    public BigInteger address(BigInteger offset) {
        return network.add(offset);
    }

    /** The block {@code index} places along, of length {@code newPrefix}, inside this one. */
    public Ipv6Block child(int newPrefix, long index) {
        return new Ipv6Block(network.add(BigInteger.valueOf(index).shiftLeft(128 - newPrefix)), newPrefix);
    }

    /** An address in RFC 5952 text. */
    public static String format(BigInteger address) {
        byte[] raw = address.toByteArray();
        byte[] bytes = new byte[16];
        int copy = Math.min(raw.length, 16);
        System.arraycopy(raw, raw.length - copy, bytes, 16 - copy, copy);
        try {
            String cidr = Ipv6Cidrs.canonical(InetAddress.getByAddress(bytes).getHostAddress() + "/128", false);
            return cidr.substring(0, cidr.indexOf('/'));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return format(network) + "/" + prefix;
    }
}
