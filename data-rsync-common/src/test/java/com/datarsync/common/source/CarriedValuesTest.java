package com.datarsync.common.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class CarriedValuesTest {

    @Test
    void floatingPointNumbersAreWrittenOutWithoutExponentAndArraysAsJson() {
        assertThat(CarriedValues.templateText(3.4028235E38f)).isEqualTo("340282350000000000000000000000000000000");
        assertThat(CarriedValues.templateText(4.9E-324)).isEqualTo("0." + "0".repeat(323) + "49");
        assertThat(CarriedValues.templateText(0.1)).isEqualTo("0.1");
        assertThat(CarriedValues.templateText(-0.0)).as("as the event's JSON number reads").isEqualTo("0.0");
        assertThat(CarriedValues.templateText(Double.NaN)).isEqualTo("NaN");
        assertThat(CarriedValues.templateText(Float.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
        assertThat(CarriedValues.templateText(new BigDecimal("12.30"))).isEqualTo("12.30");
        assertThat(CarriedValues.templateText(List.of("a", "b c", "😀"))).isEqualTo("[\"a\",\"b c\",\"😀\"]");
        assertThat(CarriedValues.templateText(java.util.Arrays.asList(1, null))).isEqualTo("[1,null]");
    }

    @Test
    void intervalsAsPostgresWritesThemInIso8601() {
        assertThat(CarriedValues.isoInterval(1, 2, 3, 4, 5, new BigDecimal("6.789000"))).isEqualTo("P1Y2M3DT4H5M6.789S");
        assertThat(CarriedValues.isoInterval(0, 1, -1, 0, 0, BigDecimal.ZERO)).isEqualTo("P1M-1D");
        assertThat(CarriedValues.isoInterval(0, 0, 0, 0, 0, new BigDecimal("0.0"))).isEqualTo("PT0S");
        assertThat(CarriedValues.isoInterval(0, 0, 0, 0, 0, new BigDecimal("-1.5"))).isEqualTo("PT-1.5S");
    }

    @Test
    void timesBeyondADayAndTimesWithAnOffset() {
        assertThat(CarriedValues.time("-838:59:59")).isEqualTo("-838:59:59.000000");
        assertThat(CarriedValues.time("24:00:00")).isEqualTo("24:00:00.000000");
        assertThat(CarriedValues.time("12:00:00.5")).isEqualTo("12:00:00.500000");
        assertThat(CarriedValues.utcTimeOfDay("12:34:56.789+05:30")).isEqualTo("07:04:56.789000Z");
        assertThat(CarriedValues.utcTimeOfDay("23:00:00-03")).isEqualTo("02:00:00.000000Z");
    }

    @Test
    void bitsMostSignificantFirst() {
        assertThat(CarriedValues.bitString(new byte[] {0x01, (byte) 0x80}, 16)).isEqualTo("1000000000000001");
        assertThat(CarriedValues.bitString(new byte[] {0x16}, 5)).isEqualTo("10110");
        assertThat(CarriedValues.bitString(new byte[0], 3)).isEqualTo("000");
    }
}
