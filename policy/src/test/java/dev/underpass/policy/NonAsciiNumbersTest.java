package dev.underpass.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Numbers and addresses in conditions are ASCII: another script's digits are not numbers to IAM. */
class NonAsciiNumbersTest {
    @Test
    void ipRangeWithAnotherScriptsDigits_isNotARange() {
        assertThat(IpRange.parse("10.0.0.0/16")).isNotNull();
        assertThat(IpRange.parse("10.0.0.0/١٦")).isNull();
        assertThat(IpRange.parse("2001:db8::/32")).isNotNull();
        assertThat(IpRange.parse("２001:db8::/32")).isNull();
        assertThat(IpRange.parse("2001:ｄb8::/32")).isNull();
    }

    @Test
    void numberWithAnotherScriptsDigits_isNotANumber() {
        assertThat(Values.number("16")).isEqualByComparingTo("16");
        assertThat(Values.number("1٦")).isNull();
        assertThat(Values.number("1６")).isNull();
    }
}
