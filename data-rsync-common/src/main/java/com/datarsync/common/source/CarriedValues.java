package com.datarsync.common.source;

import java.math.BigDecimal;
import java.time.LocalTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The forms values take in a change event, and as text in a template (docs/data-path.md,
 * "Types"): the one place the capture (the listener's ColumnValues), the listener's JDBC reads
 * ({@link JdbcColumnValues}: verification, repair), data-process and the data-source service's
 * template preview take them from.
 */
public final class CarriedValues {

    public static final DateTimeFormatter LOCAL_DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");
    public static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");
    public static final DateTimeFormatter INSTANT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** Writes characters as they are (an emoji stays an emoji, not \\uD83D\\uDE00). */
    private static final com.fasterxml.jackson.databind.ObjectMapper ARRAY_TEXT =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private CarriedValues() {
    }

    /**
     * A time of day as {@code HH:mm:ss.SSSSSS}. MySQL TIME is a duration (-838:59:59 to
     * 838:59:59) and PostgreSQL allows 24:00:00: outside one day it is written the way MySQL
     * writes it, a sign, the hours (two digits or more), minutes, seconds and six fraction digits.
     */
    public static String time(long nanos) {
        if (nanos >= 0 && nanos < TimeUnit.DAYS.toNanos(1)) {
            return LOCAL_TIME.format(LocalTime.ofNanoOfDay(nanos));
        }
        long magnitude = Math.abs(nanos / 1_000L);   // microseconds: the finest any source keeps
        long seconds = magnitude / 1_000_000L;
        return String.format(Locale.ROOT, "%s%02d:%02d:%02d.%06d", nanos < 0 ? "-" : "", seconds / 3600,
                seconds / 60 % 60, seconds % 60, magnitude % 1_000_000L);
    }

    /** A time of day written as {@code [-]H:MM:SS[.f]} (MySQL's, PostgreSQL's text), as {@link #time}. */
    public static String time(String text) {
        boolean negative = text.startsWith("-");
        String[] parts = (negative ? text.substring(1) : text).split("[:.]");
        long nanos = (Long.parseLong(parts[0]) * 3600 + Long.parseLong(parts[1]) * 60 + Long.parseLong(parts[2]))
                * 1_000_000_000L;
        if (parts.length > 3) {
            nanos += Long.parseLong((parts[3] + "000000000").substring(0, 9));
        }
        return time(negative ? -nanos : nanos);
    }

    /** A time with offset ({@code 12:34:56.789+05:30}, also PostgreSQL's {@code +05}) as the same time of day in UTC, with {@code Z}. */
    public static String utcTimeOfDay(String offsetTime) {
        String iso = offsetTime.matches(".*[+-]\\d\\d$") ? offsetTime + ":00" : offsetTime;
        return LOCAL_TIME.format(OffsetTime.parse(iso).withOffsetSameInstant(ZoneOffset.UTC).toLocalTime()) + "Z";
    }

    /** The lowest {@code length} bits of a little-endian byte array as a bit string, most significant first. */
    public static String bitString(byte[] littleEndian, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int bit = length - 1; bit >= 0; bit--) {
            int index = bit / 8;
            out.append(index < littleEndian.length && (littleEndian[index] >> (bit % 8) & 1) == 1 ? '1' : '0');
        }
        return out.toString();
    }

    /**
     * An interval as PostgreSQL writes it with {@code intervalstyle = iso_8601}: each non-zero
     * part with its own sign ({@code P1Y2M3DT4H5M6.789S}, {@code P1M-1D}), {@code PT0S} when all
     * are zero. Months and days stay apart (a month is not 30 days).
     */
    public static String isoInterval(long years, long months, long days, long hours, long minutes, BigDecimal seconds) {
        StringBuilder date = new StringBuilder("P");
        part(date, years, "Y");
        part(date, months, "M");
        part(date, days, "D");
        StringBuilder time = new StringBuilder();
        part(time, hours, "H");
        part(time, minutes, "M");
        if (seconds.signum() != 0) {
            time.append(seconds.stripTrailingZeros().toPlainString()).append('S');
        }
        if (time.isEmpty()) {
            return date.length() == 1 ? "PT0S" : date.toString();
        }
        return date.append('T').append(time).toString();
    }

    private static void part(StringBuilder out, long n, String unit) {
        if (n != 0) {
            out.append(n).append(unit);
        }
    }

    /**
     * The text a carried value contributes to a template. Decimals as written; a binary floating
     * point number by its shortest decimal without exponent ({@code 1.0E300} is a 1 and 300 zeros),
     * as the change event's JSON number reads as a decimal; NaN and the infinities by name; an
     * array as JSON text.
     */
    public static String templateText(Object value) {
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) ? new BigDecimal(value.toString()).toPlainString() : value.toString();
        }
        if (value instanceof java.util.Collection<?> || value instanceof java.util.Map<?, ?>) {
            // Arrays (and JSON read as a document) as JSON text: ["a","b c"], never Java's [a, b c].
            try {
                return ARRAY_TEXT.writeValueAsString(value);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("not writable as JSON: " + e.getOriginalMessage(), e);
            }
        }
        return value.toString();
    }
}
