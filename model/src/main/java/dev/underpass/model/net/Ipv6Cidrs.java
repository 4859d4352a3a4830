package dev.underpass.model.net;

import dev.underpass.model.AsciiDigits;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IPv6 CIDR blocks in the canonical text AWS stores and compares them in: RFC 5952 (lower case, no leading zeros,
 * the longest run of two or more zero hextets as {@code ::}) followed by the prefix length.
 */
public final class Ipv6Cidrs {
    private Ipv6Cidrs() {}

    /**
     * The canonical form of {@code text}, or null when it is not an IPv6 block. With {@code clearHostBits} host bits
     * are cleared (routes: AWS rounds {@code 2001:db8::1/32}); without, a block with host bits set is not a block
     * (rules: AWS refuses it).
     */
    public static String canonical(String text, boolean clearHostBits) {
        if (text == null) {
            return null;
        }
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1 || text.indexOf(':') < 0 || text.indexOf('/', slash + 1) >= 0) {
            return null;
        }
        String digits = text.substring(slash + 1);
        int prefix = digits.length() > 3 ? -1 : AsciiDigits.parseUnsigned(digits, 128);
        if (prefix < 0) {
            return null;
        }
        String literal = text.substring(0, slash);
        // ASCII hex only: the JDK's literal parser, like Character.digit, also takes other scripts' digits, and
        // what it does not take as a literal it would look up in DNS.
        if (!literal.chars().allMatch(c -> AsciiDigits.hexValue((char) c) >= 0 || c == ':' || c == '.')) {
            return null;
        }
        byte[] bytes;
        try {
            // With only hex digits, colons and dots the JDK parses the literal itself and never asks DNS.
            InetAddress address = InetAddress.getByName(literal);
            if (!(address instanceof Inet6Address)) {
                return null;
            }
            bytes = address.getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
        for (int bit = prefix; bit < 128; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((bytes[bit / 8] & mask) != 0) {
                if (!clearHostBits) {
                    return null;
                }
                bytes[bit / 8] &= (byte) ~mask;
            }
        }
        return format(bytes) + "/" + prefix;
    }

    private static String format(byte[] bytes) {
        int[] h = new int[8];
        for (int i = 0; i < 8; i++) {
            h[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8;) {
            if (h[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && h[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(h[i]));
        }
        return sb.toString();
    }
}
