package dev.underpass.model;

/**
 * Strict parsing of the numbers in requests: ASCII digits only. Java's own parsers are lenient in a way AWS is
 * not: {@link Integer#parseInt} and {@link Character#isDigit} take the decimal digits of every script (so
 * {@code ١٦}, Arabic-Indic sixteen, would be a prefix length of 16) and {@link Character#digit(char, int)} takes
 * full-width hex letters; {@code parseInt} also takes a leading {@code +}. Anything numeric a client sends goes
 * through here.
 */
public final class AsciiDigits {
    private AsciiDigits() {}

    /** Whether {@code text} is one or more of {@code 0-9} and nothing else. */
    public static boolean isDigits(CharSequence text) {
        if (text == null || text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * The value of {@code text} when it is ASCII digits only (no sign) and at most {@code max}, else -1. Leading
     * zeros are allowed; any length is safe (no overflow).
     */
    public static int parseUnsigned(CharSequence text, int max) {
        if (!isDigits(text)) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            value = value * 10 + (text.charAt(i) - '0');
            if (value > max) {
                return -1;
            }
        }
        return (int) value;
    }

    /** The value of an ASCII hex digit ({@code 0-9a-fA-F}), or -1. */
    public static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
