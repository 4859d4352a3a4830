package dev.underpass.policy;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/** Parsing of typed condition values, shared by policy values (at parse time) and request values. */
final class Values {
    private Values() {}

    /** A decimal number, or null. */
    static BigDecimal number(String text) {
        if (text == null || text.isEmpty() || text.length() > 64) {
            return null;
        }
        char c = text.charAt(0);
        if (!(c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9'))) {
            return null;
        }
        // ASCII only: BigDecimal, like Integer.parseInt, also reads the digits of other scripts.
        for (int i = 0; i < text.length(); i++) {
            char d = text.charAt(i);
            if (!((d >= '0' && d <= '9') || d == '-' || d == '+' || d == '.' || d == 'e' || d == 'E')) {
                return null;
            }
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * A date: W3C/ISO 8601 ({@code 2024-05-01}, {@code 2024-05-01T12:00:00Z}, with an offset or fraction) or epoch
     * seconds; a date-time without a zone is taken as UTC. Returns null when unparseable.
     */
    static Instant date(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        boolean epoch = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9') && !(i == 0 && c == '-') && c != '.') {
                epoch = false;
                break;
            }
        }
        if (epoch) {
            BigDecimal seconds = number(text);
            if (seconds == null) {
                return null;
            }
            try {
                long whole = seconds.longValue();
                int nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).intValue();
                return Instant.ofEpochSecond(whole, nanos);
            } catch (ArithmeticException | java.time.DateTimeException e) {
                return null;
            }
        }
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            var parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(text, OffsetDateTime::from, LocalDateTime::from);
            return parsed instanceof OffsetDateTime odt ? odt.toInstant()
                    : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** {@code true}/{@code false} in any case, or null. */
    static Boolean bool(String text) {
        if ("true".equalsIgnoreCase(text)) {
            return Boolean.TRUE;
        }
        if ("false".equalsIgnoreCase(text)) {
            return Boolean.FALSE;
        }
        return null;
    }

    /** Base-64 bytes, or null. */
    static ByteBuffer binary(String text) {
        try {
            return ByteBuffer.wrap(Base64.getDecoder().decode(text)).asReadOnlyBuffer();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
