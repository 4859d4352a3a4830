package dev.underpass.model.net;

import java.util.function.Consumer;

/** Dotted-quad IPv4 addresses as unsigned 32-bit values held in an {@code int}. */
public final class Ipv4 {
    private Ipv4() {}

    /** Parses a dotted quad strictly: four decimal octets, no leading zeros; throws IllegalArgumentException otherwise. */
    public static int parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no address");
        }
        int value = 0;
        int octets = 0;
        int i = 0;
        int n = text.length();
        while (i <= n) {
            int start = i;
            int octet = 0;
            while (i < n && text.charAt(i) != '.') {
                char c = text.charAt(i);
                if (c < '0' || c > '9' || i - start >= 3) {
                    throw new IllegalArgumentException("not an IPv4 address: " + text);
                }
                octet = octet * 10 + (c - '0');
                i++;
            }
            if (i == start || octet > 255 || (i - start > 1 && text.charAt(start) == '0')) {
                throw new IllegalArgumentException("not an IPv4 address: " + text);
            }
            value = (value << 8) | octet;
            octets++;
            i++;
            if (octets == 4) {
                if (i <= n) {
                    throw new IllegalArgumentException("not an IPv4 address: " + text);
                }
                return value;
            }
        }
        throw new IllegalArgumentException("not an IPv4 address: " + text);
    }

    public static boolean isValid(String text) {
        return Ipv4.accepts(Ipv4::parse, text);
    }

    /** Whether {@code parser}, which throws {@link IllegalArgumentException} on what it refuses, takes {@code text}. */
    static boolean accepts(Consumer<String> parser, String text) {
        try {
            parser.accept(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static String format(int address) {
        return ((address >>> 24) & 0xff) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "."
                + (address & 0xff);
    }

    /** Unsigned comparison, so 200.0.0.0 sorts after 10.0.0.0. */
    public static int compare(int a, int b) {
        return Integer.compareUnsigned(a, b);
    }
}
