package dev.underpass.model.net;

import dev.underpass.model.AsciiDigits;
import java.util.Locale;

/**
 * An IP protocol as security group rules and network ACL entries name it: a protocol number from 0 to 255, or every
 * protocol ({@code -1}).
 *
 * <p>AWS spells one protocol two ways. A security group rule names TCP, UDP, ICMP and ICMPv6 ({@code tcp}) and gives
 * other protocols by number; a network ACL entry always gives the number ({@code 6}). Both accept either spelling
 * from a client. The value is the number; {@link #ruleName()} and {@link #aclNumber()} are the two spellings.
 */
public record IpProtocol(int number) {
    public static final IpProtocol ALL = new IpProtocol(-1);
    public static final IpProtocol ICMP = new IpProtocol(1);
    public static final IpProtocol TCP = new IpProtocol(6);
    public static final IpProtocol UDP = new IpProtocol(17);
    public static final IpProtocol ICMPV6 = new IpProtocol(58);

    public IpProtocol {
        if (number < -1 || number > 255) {
            throw new IllegalArgumentException("an IP protocol is a number from 0 to 255, or -1 for all: " + number);
        }
    }

    /**
     * The protocol a client names: {@code tcp}, {@code udp}, {@code icmp}, {@code icmpv6} (any case), {@code all}
     * or {@code -1}, or a decimal number up to 255 (leading zeros allowed). Null when it names none, so that each
     * API refuses it with its own error.
     */
    public static IpProtocol parse(String raw) {
        if (raw == null) {
            return null;
        }
        String p = raw.trim().toLowerCase(Locale.ROOT);
        return switch (p) {
            case "tcp" -> TCP;
            case "udp" -> UDP;
            case "icmp" -> ICMP;
            case "icmpv6" -> ICMPV6;
            case "all", "-1" -> ALL;
            default -> {
                // At most three ASCII digits, as AWS takes them; no regex, since the store reads every stored rule
                // and entry through here when it starts.
                int n = p.length() <= 3 ? AsciiDigits.parseUnsigned(p, 255) : -1;
                yield n < 0 ? null : of(n);
            }
        };
    }

    /** The protocol numbered {@code number} ({@code -1} for all). */
    public static IpProtocol of(int number) {
        return switch (number) {
            case -1 -> ALL;
            case 1 -> ICMP;
            case 6 -> TCP;
            case 17 -> UDP;
            case 58 -> ICMPV6;
            default -> new IpProtocol(number);
        };
    }

    /** Every protocol: a rule or entry that matches all traffic, whatever its ports. */
    public boolean isAll() {
        return number == -1;
    }

    /** TCP or UDP, whose rules and entries carry a port range. */
    public boolean hasPorts() {
        return number == 6 || number == 17;
    }

    /** ICMP or ICMPv6, whose rules and entries carry a type and a code. */
    public boolean isIcmp() {
        return number == 1 || number == 58;
    }

    /** Whether a rule or entry for this protocol applies to a packet of {@code packet}'s protocol. */
    public boolean covers(IpProtocol packet) {
        return isAll() || number == packet.number;
    }

    /**
     * The name the four common protocols go by ({@code tcp}, {@code udp}, {@code icmp}, {@code icmpv6}, and
     * {@code all} for every protocol), or null for the others.
     */
    public String commonName() {
        return switch (number) {
            case -1 -> "all";
            case 1 -> "icmp";
            case 6 -> "tcp";
            case 17 -> "udp";
            case 58 -> "icmpv6";
            default -> null;
        };
    }

    /** A security group rule's spelling: {@code tcp}, {@code udp}, {@code icmp}, {@code icmpv6}, {@code -1}, or the number. */
    public String ruleName() {
        String name = commonName();
        return name == null || isAll() ? Integer.toString(number) : name;
    }

    /** A network ACL entry's spelling: the number, {@code -1} for all. */
    public String aclNumber() {
        return Integer.toString(number);
    }

    /** The rule spelling, as messages quote it. */
    @Override
    public String toString() {
        return ruleName();
    }
}
