package dev.underpass.model.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.underpass.model.AsciiDigits;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every decimal digit of every script other than ASCII's is refused where a number or an address is parsed: Java's
 * own parsers ({@code Integer.parseInt}, {@code Character.isDigit}, {@code Character.digit}) accept them, AWS does
 * not ({@code 10.77.0.0/١٦} is {@code InvalidParameterValue}, not a /16).
 */
class NonAsciiDigitsTest {
    /** The digit {@code value} in every script that has decimal digits, ASCII excepted, across all planes. */
    static List<String> nonAsciiDigits(int value) {
        List<String> out = new ArrayList<>();
        for (int cp = 0x80; cp <= Character.MAX_CODE_POINT; cp++) {
            if (Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER && Character.digit(cp, 10) == value) {
                out.add(Character.toString(cp));
            }
        }
        return out;
    }

    @Test
    void thereAreManyScriptsToTry() {
        assertThat(nonAsciiDigits(1)).hasSizeGreaterThan(50).contains("١", "１", "߁");
    }

    @Test
    void cidrPrefixInAnotherScript_isNotACidr() {
        for (String one : nonAsciiDigits(1)) {
            for (String text : List.of("10.77.0.0/" + one + "6", "10.77.0.0/1" + nonAsciiDigits(6).get(0),
                    "10.77.0.0/" + one)) {
                assertThat(Cidr.isValid(text)).as(text).isFalse();
            }
        }
        assertThat(Cidr.parse("10.77.0.0/16").prefix()).isEqualTo(16);
    }

    @Test
    void ipv4OctetInAnotherScript_isNotAnAddress() {
        for (String one : nonAsciiDigits(1)) {
            assertThat(Ipv4.isValid("10.77.0." + one)).isFalse();
        }
    }

    @Test
    void ipv6BlockWithDigitsOfAnotherScript_isNotABlock() {
        assertThat(Ipv6Cidrs.canonical("2001:db8::/32", false)).isEqualTo("2001:db8::/32");
        for (String two : nonAsciiDigits(2)) {
            assertThat(Ipv6Cidrs.canonical("2001:db8::/3" + two, false)).isNull();
            assertThat(Ipv6Cidrs.canonical(two + "001:db8::/32", false)).isNull();
        }
        assertThat(Ipv6Cidrs.canonical("２００１:db8::/32", false)).isNull();
        assertThat(Ipv6Cidrs.canonical("2001:ｄb8::/32", false)).isNull();
    }

    @Test
    void asciiDigits_takesOnlyZeroToNine() {
        assertThat(AsciiDigits.parseUnsigned("0016", 32)).isEqualTo(16);
        assertThat(AsciiDigits.parseUnsigned("33", 32)).isEqualTo(-1);
        assertThat(AsciiDigits.parseUnsigned("+16", 32)).isEqualTo(-1);
        assertThat(AsciiDigits.parseUnsigned("9".repeat(100), 32)).isEqualTo(-1);
        assertThat(AsciiDigits.parseUnsigned("", 32)).isEqualTo(-1);
        for (String six : nonAsciiDigits(6)) {
            assertThat(AsciiDigits.parseUnsigned("1" + six, 32)).isEqualTo(-1);
        }
        assertThat(AsciiDigits.hexValue('f')).isEqualTo(15);
        assertThat(AsciiDigits.hexValue('ｆ')).isEqualTo(-1);
        assertThat(AsciiDigits.hexValue('١')).isEqualTo(-1);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/٨")).isInstanceOf(IllegalArgumentException.class);
    }
}
