package dev.underpass.policy;

/**
 * An IPv4 or IPv6 CIDR block from an {@code IpAddress}/{@code NotIpAddress} condition. A value without a prefix
 * length is a single address ({@code /32} or {@code /128}). Addresses are parsed by hand: never through
 * {@link java.net.InetAddress}, which may resolve names.
 *
 * @param v6 whether this is an IPv6 block
 * @param high the upper 64 bits (IPv6) or 0 (IPv4)
 * @param low the lower 64 bits (IPv6) or the 32-bit address (IPv4)
 * @param prefix the prefix length
 * @param hostBitsSet whether the address had bits set after the prefix (Access Analyzer suggests fixing that)
 */
public record IpRange(boolean v6, long high, long low, int prefix, boolean hostBitsSet) {

    /** Parses a CIDR block, or returns null. */
    public static IpRange parse(String text) {
        String address = text;
        int prefix;
        int slash = text.indexOf('/');
        boolean v6 = text.indexOf(':') >= 0;
        int max = v6 ? 128 : 32;
        if (slash >= 0) {
            address = text.substring(0, slash);
            String p = text.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            prefix = Integer.parseInt(p);
            if (prefix > max) {
                return null;
            }
        } else {
            prefix = max;
        }
        long[] bits = new long[2];
        if (!parseAddress(address, bits)) {
            return null;
        }
        long high = bits[0];
        long low = bits[1];
        long maskedHigh = v6 ? high & mask(prefix) : 0;
        long maskedLow = v6 ? low & mask(prefix - 64) : low & (mask(prefix + 32) & 0xFFFF_FFFFL);
        boolean hostBits = maskedHigh != high || maskedLow != low;
        return new IpRange(v6, maskedHigh, maskedLow, prefix, hostBits);
    }

    /** Whether {@code address} (no prefix) lies in this block; false when it is not an address of this family. */
    public boolean contains(String address) {
        long[] bits = new long[2];
        if (!parseAddress(address, bits)) {
            return false;
        }
        boolean isV6 = address.indexOf(':') >= 0;
        if (isV6 != v6) {
            return false;
        }
        if (v6) {
            return (bits[0] & mask(prefix)) == high && (bits[1] & mask(prefix - 64)) == low;
        }
        return (bits[1] & mask(prefix + 32) & 0xFFFF_FFFFL) == low;
    }

    /** Whether the whole block lies in private or otherwise non-public space (RFC 1918, loopback, link-local, ULA). */
    public boolean isPrivate() {
        if (!v6) {
            return within(0x0A00_0000L, 8) || within(0xAC10_0000L, 12) || within(0xC0A8_0000L, 16)
                    || within(0x7F00_0000L, 8) || within(0xA9FE_0000L, 16) || within(0x6440_0000L, 10);
        }
        return prefix >= 7 && (high & 0xFE00_0000_0000_0000L) == 0xFC00_0000_0000_0000L // fc00::/7
                || prefix >= 10 && (high & 0xFFC0_0000_0000_0000L) == 0xFE80_0000_0000_0000L // fe80::/10
                || prefix == 128 && high == 0 && low == 1; // ::1
    }

    /** Whether the block overlaps private space without lying inside it. */
    public boolean overlapsPrivate() {
        if (v6 || isPrivate()) {
            return false;
        }
        long[][] privates = {{0x0A00_0000L, 8}, {0xAC10_0000L, 12}, {0xC0A8_0000L, 16}};
        for (long[] p : privates) {
            int shorter = Math.min(prefix, (int) p[1]);
            long m = mask(shorter + 32) & 0xFFFF_FFFFL;
            if ((low & m) == (p[0] & m)) {
                return true;
            }
        }
        return false;
    }

    private boolean within(long network, int networkPrefix) {
        long m = mask(networkPrefix + 32) & 0xFFFF_FFFFL;
        return prefix >= networkPrefix && (low & m) == network;
    }

    /** A mask with the top {@code bits} bits of a long set (clamped to 0..64). */
    private static long mask(int bits) {
        if (bits <= 0) {
            return 0;
        }
        if (bits >= 64) {
            return -1L;
        }
        return -1L << (64 - bits);
    }

    /** Parses an IPv4 or IPv6 address into {@code out} (high, low); IPv4 goes in the low 32 bits. */
    static boolean parseAddress(String s, long[] out) {
        return s.indexOf(':') >= 0 ? parseV6(s, out) : parseV4(s, 0, s.length(), out);
    }

    private static boolean parseV4(String s, int from, int to, long[] out) {
        long value = 0;
        int octets = 0;
        int i = from;
        while (i <= to) {
            int start = i;
            int octet = 0;
            while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                octet = octet * 10 + (s.charAt(i) - '0');
                i++;
                if (i - start > 3) {
                    return false;
                }
            }
            if (i == start || octet > 255) {
                return false;
            }
            value = (value << 8) | octet;
            octets++;
            if (i == to) {
                break;
            }
            if (s.charAt(i) != '.' || octets == 4) {
                return false;
            }
            i++;
        }
        if (octets != 4) {
            return false;
        }
        out[0] = 0;
        out[1] = value;
        return true;
    }

    private static boolean parseV6(String s, long[] out) {
        int[] groups = new int[8];
        int count = 0;
        int gap = -1;
        int i = 0;
        int n = s.length();
        if (s.startsWith("::")) {
            gap = 0;
            i = 2;
            if (n == 2) {
                out[0] = 0;
                out[1] = 0;
                return true;
            }
        } else if (s.startsWith(":")) {
            return false;
        }
        while (i < n) {
            int start = i;
            int value = 0;
            while (i < n && hex(s.charAt(i)) >= 0 && i - start < 4) {
                value = value * 16 + hex(s.charAt(i));
                i++;
            }
            if (i < n && s.charAt(i) == '.') {
                // An embedded IPv4 address fills the last two groups.
                long[] v4 = new long[2];
                if (count > 6 || !parseV4(s, start, n, v4)) {
                    return false;
                }
                groups[count++] = (int) (v4[1] >>> 16);
                groups[count++] = (int) (v4[1] & 0xFFFF);
                i = n;
                break;
            }
            if (i == start || count == 8) {
                return false;
            }
            groups[count++] = value;
            if (i == n) {
                break;
            }
            if (s.charAt(i) != ':') {
                return false;
            }
            i++;
            if (i < n && s.charAt(i) == ':') {
                if (gap >= 0) {
                    return false;
                }
                gap = count;
                i++;
            } else if (i == n) {
                return false;
            }
        }
        if (gap >= 0) {
            if (count == 8) {
                return false;
            }
            int move = count - gap;
            System.arraycopy(groups, gap, groups, 8 - move, move);
            for (int k = gap; k < 8 - move; k++) {
                groups[k] = 0;
            }
        } else if (count != 8) {
            return false;
        }
        long high = 0;
        long low = 0;
        for (int k = 0; k < 4; k++) {
            high = (high << 16) | groups[k];
            low = (low << 16) | groups[k + 4];
        }
        out[0] = high;
        out[1] = low;
        return true;
    }

    /** An ASCII hex digit's value, or -1 ({@link Character#digit(char, int)} also takes full-width letters). */
    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }
}
