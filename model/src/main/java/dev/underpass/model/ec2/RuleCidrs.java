package dev.underpass.model.ec2;

import dev.underpass.model.net.Cidr;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The CIDR blocks of security-group rules and network-ACL entries, IPv4 or IPv6, in the canonical text AWS stores
 * and compares them in. A block with host bits set ({@code 10.0.0.1/16}) is malformed: AWS refuses it rather than
 * rounding, and comparing canonical text is then the same as comparing blocks, which makes duplicate detection exact.
 */
final class RuleCidrs {
    private RuleCidrs() {}

    /** The canonical form of an IPv4 block, or null when {@code text} is not one. */
    static String ipv4(String text) {
        try {
            return Cidr.parse(text).toString();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The canonical (RFC 5952, lower-case, compressed) form of an IPv6 block, or null when {@code text} is not one. */
    static String ipv6(String text) {
        if (text == null) {
            return null;
        }
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1 || text.indexOf(':') < 0 || text.indexOf('/', slash + 1) >= 0) {
            return null;
        }
        String digits = text.substring(slash + 1);
        if (digits.length() > 3 || !digits.chars().allMatch(Character::isDigit)) {
            return null;
        }
        int prefix = Integer.parseInt(digits);
        if (prefix > 128) {
            return null;
        }
        String literal = text.substring(0, slash);
        if (!literal.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
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
            if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                return null;
            }
        }
        return format(bytes) + "/" + prefix;
    }

    /** RFC 5952 text: hextets without leading zeros, the longest run (of two or more) of zero hextets as {@code ::}. */
    private static String format(byte[] bytes) {
        int[] h = new int[8];
        for (int i = 0; i < 8; i++) {
            h[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
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
